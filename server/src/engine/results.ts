/**
 * What an analysis is: each layer call's result, each model's rows and totals, each helper run's, the
 * diagnostics with their places, and an analysis in pieces (`within`, `piecewise`). Plain data.
 */
import { KerasGeneration } from "./generations";

import { DiagnosticId, Diagnostics, Severity, formatMessage } from "./diagnostics";
import { BlockIR, ElementIR, ModelIR, Span } from "./ir";

import { Shape } from "./shape";
import { Formula, LayerSpec, Weight } from "./spec";

export interface RelatedInfo {
  readonly span: Span;
  readonly message: string;
}

export interface EngineDiagnostic {
  readonly code: string;
  readonly id: DiagnosticId;
  readonly severity: Severity;
  readonly message: string;
  readonly span: Span;
  readonly related: readonly RelatedInfo[];
  /** The numbers in the message, for quick fixes that use them (`actual`: the size the input really has). */
  readonly values?: Readonly<Record<string, string | number>>;
}

export interface LayerAnalysis {
  readonly element: ElementIR;
  readonly spec?: LayerSpec;
  readonly input?: Shape;
  /** Every input shape of a call on several tensors (merge, attention, tf.nn ops). */
  readonly inputs?: readonly (Shape | undefined)[];
  readonly output?: Shape;
  /** Further outputs of a call that returns a tuple (attention scores). */
  readonly extraOutputs?: readonly (Shape | undefined)[];
  readonly weights: readonly Weight[];
  /** Undefined when some weight's size is unknown. */
  readonly params?: bigint;
  readonly formulas: readonly Formula[];
  /** For a later call of a layer instance: its first call, where its weights are created (and counted). */
  readonly sharedWith?: Span;
  /** For a custom layer's row in a model's summary, or a nested model's call: the calls it made inside. */
  readonly inner?: readonly LayerAnalysis[];
  /** For TensorFlow tensors without a batch axis (a `tf.Variable`): the shape prints whole. */
  readonly unbatched?: boolean;
  /**
   * Keras refuses to build this layer (it has an error diagnostic). `output` is still what it would
   * make, for its own hint, but nothing flows on from it: what follows is unknown, not wrong.
   */
  readonly refused?: boolean;
  /**
   * A row of a PyTorch model's summary, as torchinfo numbers it (`Conv2d: 2-1`: depth 2, first at that depth under
   * its parent); a `container` (a Sequential, a module of the user's) lists its modules after it, its parameters
   * theirs (shown `--`, as torchinfo does).
   */
  readonly depth?: { readonly level: number; readonly index: number; readonly container?: boolean };
}

export interface ParamTotals {
  readonly total?: bigint;
  readonly trainable?: bigint;
  readonly nonTrainable?: bigint;
  /** When the total is unknown: the parameters of the layers that could be counted, a lower bound. */
  readonly known?: bigint;
  /** When the total is unknown: why, naming the first thing that could not be counted. */
  readonly unknownBecause?: string;
}

export interface ModelAnalysis {
  readonly model: ModelIR;
  /** The Keras generation the model was read as (the program's): 2, 3, or absent when not known. */
  readonly keras?: KerasGeneration;
  /** The program's global dtype policy (`ProgramIR.dtypePolicy`), absent for float32. */
  readonly dtypePolicy?: string;
  readonly input?: Shape;
  readonly layers: readonly LayerAnalysis[];
  /**
   * The rows of its summary when they are not its layer calls one by one: a custom layer's calls (and its
   * `add_weight` variables) as one row, as Keras lists it; see `summaryLayers`.
   */
  readonly rows?: readonly LayerAnalysis[];
  readonly totals: ParamTotals;
  readonly diagnostics: readonly EngineDiagnostic[];
}

/**
 * The layers a model's summary lists, one row each as Keras lists them: a custom layer is one row whatever it
 * calls inside, and a layer or nested model called again (shared weights) is listed at its first call only,
 * unless `everyCall` asks for every call (each later one marked by its `sharedWith`).
 */
export function summaryLayers(model: ModelAnalysis, everyCall = false): readonly LayerAnalysis[] {
  const rows = model.rows ?? model.layers;
  return everyCall ? rows : rows.filter((l) => !l.sharedWith);
}

/**
 * A PyTorch model's summary (`ModelAnalysis.rows`) lists its modules, as torchinfo does, not the functions, tensor methods and operators
 * between them; a call not followed stays listed when it may hold weights (its `?` explains the total's).
 */
export function isModuleRow(layer: LayerAnalysis): boolean {
  const element = layer.element;
  if (element.type === "opaque") return layer.params !== 0n;
  if (element.type !== "layer") return true;
  // PyTorch's rows are its modules, as torchinfo's hooks see them: never a function (`torch.cat` takes a list).
  if (element.kind.startsWith("torch.")) return /^torch\.nn\.[A-Z]/.test(element.kind);
  if (layer.spec) return layer.spec.multiInput?.form !== "op";
  return /^[A-Z]/.test(element.kind);
}

/**
 * Whether a row has a hint of its own where its span is: not one of a library's model (a backbone's layer) nor one
 * made by another module's code (whose span is the call that ran it, hinted by that call's block).
 */
export function hintedHere(layer: LayerAnalysis): boolean {
  const element = layer.element;
  return !element.imported && !(element.type === "layer" && element.library);
}

export function diagnostic(id: DiagnosticId, values: Record<string, string | number>, span: Span, related: RelatedInfo[] = []): EngineDiagnostic {
  const def = Diagnostics[id];
  return { code: def.code, id, severity: def.severity, message: formatMessage(def.message, values), span, related, ...("actual" in values ? { values } : {}) };
}

/** One run of a helper function (or a custom layer's `call`) at its call site. */
export interface BlockAnalysis {
  readonly block: BlockIR;
  /** The shapes of the tensors it returned, in order. */
  readonly outputs: readonly (Shape | undefined)[];
  /** The weights of the layers it created. */
  readonly weights: readonly Weight[];
  /** Undefined when some of those weights cannot be sized. */
  readonly params?: bigint;
  /** The calls it made. */
  readonly calls: readonly LayerAnalysis[];
}

export interface ProgramAnalysis {
  /** The program's Keras generation and dtype policy, which a call's cost is read with (`footprint.ts`). */
  readonly keras?: KerasGeneration;
  readonly dtypePolicy?: string;
  readonly models: readonly ModelAnalysis[];
  /** Every layer call, Input and TensorFlow tensor followed, models or not: where hints and hovers come from. */
  readonly calls: readonly LayerAnalysis[];
  readonly blocks: readonly BlockAnalysis[];
  /** All diagnostics, each once. */
  readonly diagnostics: readonly EngineDiagnostic[];
  /**
   * The same analysis cut into consecutive stretches of the text, each holding everything that
   * sits in it, when the producer knows them (the incremental front end does): see `within`.
   */
  readonly pieces?: readonly AnalysisPiece[];
}

/** A stretch of the text and the analysis of everything in it. */
export type AnalysisPiece = { readonly span: Span; readonly analysis: ProgramAnalysis };

/**
 * The part of an analysis that can hold anything at offsets in [from, to]: the pieces that
 * reach that range (all of it when the analysis is not in pieces). A request for the visible
 * lines of a long file then looks at those lines' surroundings only.
 */
export function within(analysis: ProgramAnalysis, from: number, to: number): ProgramAnalysis {
  const pieces = analysis.pieces;
  if (!pieces) return analysis;
  let low = 0;
  let high = pieces.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (pieces[mid].span.end < from) low = mid + 1;
    else high = mid;
  }
  let end = low;
  while (end < pieces.length && pieces[end].span.start <= to) end++;
  return end - low === 1 ? pieces[low].analysis : piecewise(pieces.slice(low, end));
}

/**
 * Analyses of consecutive stretches of a text as one, in order. The whole-document lists are
 * joined when first asked for: readers that go piece by piece (`within`, hints) never need them.
 */
export function piecewise(pieces: readonly AnalysisPiece[]): ProgramAnalysis {
  let joined: ProgramAnalysis | undefined;
  const join = (): ProgramAnalysis => (joined ??= joinAnalyses(pieces.map((p) => p.analysis)));
  return {
    pieces,
    // Every piece is of one program: one generation, one policy.
    ...(pieces[0] ? contextOf(pieces[0].analysis) : {}),
    get models() {
      return join().models;
    },
    get calls() {
      return join().calls;
    },
    get blocks() {
      return join().blocks;
    },
    get diagnostics() {
      return join().diagnostics;
    },
  };
}

function contextOf(analysis: ProgramAnalysis): Pick<ProgramAnalysis, "keras" | "dtypePolicy"> {
  return { ...(analysis.keras ? { keras: analysis.keras } : {}), ...(analysis.dtypePolicy ? { dtypePolicy: analysis.dtypePolicy } : {}) };
}

export function joinAnalyses(analyses: readonly ProgramAnalysis[]): ProgramAnalysis {
  const joined = {
    ...(analyses[0] ? contextOf(analyses[0]) : {}), models: [] as ModelAnalysis[], calls: [] as LayerAnalysis[], blocks: [] as BlockAnalysis[], diagnostics: [] as EngineDiagnostic[] };
  for (const analysis of analyses) {
    for (const model of analysis.models) joined.models.push(model);
    for (const call of analysis.calls) joined.calls.push(call);
    for (const block of analysis.blocks) joined.blocks.push(block);
    for (const diagnostic of analysis.diagnostics) joined.diagnostics.push(diagnostic);
  }
  return joined;
}
