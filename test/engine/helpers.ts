/**
 * Shared test helpers: drive layer specs through the public path (bind the
 * arguments to the Keras signature, then infer), or a whole Sequential model
 * through `analyzeSequential`.
 *
 * Arguments are written as a list: plain values are positional, an object
 * `{ name: value }` holds keywords, a Python tuple is `{ tuple: [...] }`.
 *
 * Calls are read as Keras 3 unless a test says otherwise (`keras`: 2 for tf.keras 2, "unknown" for a
 * file that does not show which; see engine/generations.ts).
 */
import { bindArguments } from "../../server/src/engine/bind";
import { Diagnostics, formatMessage } from "../../server/src/engine/diagnostics";
import { analyzeSequential, ModelAnalysis } from "../../server/src/engine/analyze";
import { ArgIR, ElementIR, SequentialIR } from "../../server/src/engine/ir";
import { findLayer } from "../../server/src/engine/layers/registry";
import { Shape } from "../../server/src/engine/shape";
import { LayerResult } from "../../server/src/engine/spec";
import { PyValue, PyTuple } from "../../server/src/engine/values";
import { KerasGeneration } from "../../server/src/engine/generations";

/** The generation a test reads calls as: "unknown" stands for a file that does not say. */
export type Reading = KerasGeneration | "unknown";
const generation = (reading: Reading): KerasGeneration | undefined => (reading === "unknown" ? undefined : reading);

export type Keywords = { readonly [name: string]: PyValue };
export type Arg = PyValue | Keywords;

/** A Python tuple. */
export const tup = (...values: PyValue[]): PyTuple => ({ tuple: values });

function isKeywords(a: Arg): a is Keywords {
  return typeof a === "object" && a !== null && !Array.isArray(a) && !("tuple" in a) && !("unresolved" in a);
}

let offset = 0;
const span = () => {
  offset += 10;
  return { start: offset, end: offset + 5 };
};

export function argsIR(args: readonly Arg[]): ArgIR[] {
  const out: ArgIR[] = [];
  for (const a of args) {
    if (isKeywords(a)) for (const [name, value] of Object.entries(a)) out.push({ name, value, span: span() });
    else out.push({ value: a, span: span() });
  }
  return out;
}

export interface Inferred {
  readonly result: LayerResult;
  readonly output?: Shape;
  /** Total weights, undefined when a weight's size is unknown. */
  readonly params?: bigint;
  readonly trainable?: bigint;
  readonly nonTrainable?: bigint;
  /** Problem ids from binding and inference, in order. */
  readonly problems: string[];
  /** The problems' messages, filled in (throws if a placeholder value is missing). */
  readonly messages: string[];
}

function sum(counts: (bigint | undefined)[]): bigint | undefined {
  return counts.some((c) => c === undefined) ? undefined : counts.reduce<bigint>((a, c) => a + (c as bigint), 0n);
}

/** Binds `args` to the spec of `kind` and infers its output for `input`, read as `keras` (Keras 3 by default). */
export function infer(kind: string, args: readonly Arg[], input: Shape | undefined, keras: Reading = 3): Inferred {
  const spec = findLayer(kind);
  if (!spec) throw new Error(`no spec for ${kind}`);
  const binding = bindArguments(spec, argsIR(args), undefined, generation(keras));
  const result = spec.infer(binding.args, input);
  return {
    result,
    output: result.output,
    params: sum(result.weights.map((w) => w.count)),
    trainable: sum(result.weights.filter((w) => w.trainable).map((w) => w.count)),
    nonTrainable: sum(result.weights.filter((w) => !w.trainable).map((w) => w.count)),
    problems: [...binding.problems, ...result.problems].map((p) => p.id),
    messages: [...binding.problems, ...result.problems].map((p) => formatMessage(Diagnostics[p.id].message, p.values)),
  };
}

/** `Sequential([Input(shape=input), *layers])` analysed (read as Keras 3 unless `keras` says otherwise). */
export function sequential(input: readonly PyValue[], layers: readonly [string, readonly Arg[]][], keras: Reading = 3): ModelAnalysis {
  const first: [string, readonly Arg[]] = ["Input", [{ shape: tup(...input) }]];
  const elements: ElementIR[] = [first, ...layers].map(([kind, args]) => ({
    type: "layer",
    kind,
    args: argsIR(args),
    span: span(),
    calleeSpan: span(),
  }));
  const model: SequentialIR = { span: span(), calleeSpan: span(), totalsOffset: 0, elements };
  return analyzeSequential(model, { keras: generation(keras) });
}

/** `Sequential([...layers])` without an explicit Input (for `input_shape=` / `input_dim=`). */
export function sequentialRaw(layers: readonly [string, readonly Arg[]][], keras: Reading = 3): ModelAnalysis {
  const elements: ElementIR[] = layers.map(([kind, args]) => ({ type: "layer", kind, args: argsIR(args), span: span(), calleeSpan: span() }));
  return analyzeSequential({ span: span(), calleeSpan: span(), totalsOffset: 0, elements }, { keras: generation(keras) });
}

/** One row of a data-driven table. */
export interface Row {
  /** Optional note shown in the test name. */
  readonly note?: string;
  readonly kind: string;
  readonly args: readonly Arg[];
  /** Incoming shape, batch included; undefined when unknown (or for Input). */
  readonly input: Shape | undefined;
  /** Expected output shape; undefined when even the rank is unknown. */
  readonly output: Shape | undefined;
  /** Expected total weights; 0n by default, undefined when unknown. */
  readonly params?: bigint | undefined;
  readonly trainable?: bigint;
  readonly nonTrainable?: bigint;
  /** Expected problem ids, in order; none by default. */
  readonly problems?: readonly string[];
}

function describeArgs(args: readonly Arg[]): string {
  return JSON.stringify(args)
    .replace(/\{"tuple":\[(.*?)\]\}/g, "($1)")
    .replace(/"/g, "'");
}

export function rowName(row: Row): string {
  const input = row.input ? `(${row.input.join(", ")})` : "unknown input";
  return `${row.kind}${describeArgs(row.args)} on ${input}${row.note ? ` — ${row.note}` : ""}`;
}

/** Checks one row: output, parameter counts and problem ids. */
export function checkRow(row: Row, assert: typeof import("node:assert/strict")): void {
  const got = infer(row.kind, row.args, row.input);
  assert.deepEqual(got.output, row.output, "output shape");
  assert.deepEqual(got.problems, row.problems ?? [], "problems");
  const params = "params" in row ? row.params : 0n;
  assert.equal(got.params, params, "params");
  if (row.trainable !== undefined) assert.equal(got.trainable, row.trainable, "trainable params");
  if (row.nonTrainable !== undefined) assert.equal(got.nonTrainable, row.nonTrainable, "non-trainable params");
}
