/**
 * The model description the Python front end hands to the engine: plain data,
 * with source positions as [start, end) offsets into the document text. The
 * engine never sees a syntax tree.
 */
import { PyValue } from "./values";

export interface Span {
  readonly start: number;
  readonly end: number;
}

export interface ArgIR {
  /** Keyword name; absent for a positional argument. */
  readonly name?: string;
  readonly value: PyValue;
  readonly span: Span;
}

/** A call of a Keras layer class, e.g. `layers.Conv2D(32, 3)`. */
export interface LayerCallIR {
  readonly type: "layer";
  /** The Keras class name the callee resolved to, e.g. `Conv2D`. */
  readonly kind: string;
  readonly args: readonly ArgIR[];
  /** The whole call expression. */
  readonly span: Span;
  /** The callee (`layers.Conv2D`), where diagnostics about the layer as a whole go. */
  readonly calleeSpan: Span;
}

/** An element of a model that is not a Keras layer call we can follow. */
export interface OpaqueIR {
  readonly type: "opaque";
  /** What the user wrote, shortened, for messages. */
  readonly text: string;
  readonly span: Span;
  /** True for a call still being typed (unclosed or broken); it gets no hint and no message. */
  readonly incomplete?: boolean;
}

export type ElementIR = LayerCallIR | OpaqueIR;

export interface SequentialIR {
  /** The variable it is assigned to, if any. */
  readonly name?: string;
  /** The `Sequential(...)` call. */
  readonly span: Span;
  readonly calleeSpan: Span;
  /** Where the totals hint goes (end of the statement that completes the model). */
  readonly totalsOffset: number;
  readonly elements: readonly ElementIR[];
  /** `model.build(shape)`, when present. */
  readonly build?: { readonly value: PyValue; readonly span: Span };
}
