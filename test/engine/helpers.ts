/**
 * Shared test helpers: drive layer specs through the public path (bind the
 * arguments to the Keras signature, then infer), or a whole Sequential model
 * through `analyzeSequential`.
 *
 * Arguments are written as a list: plain values are positional, an object
 * `{ name: value }` holds keywords, a Python tuple is `{ tuple: [...] }`.
 */
import { bindArguments } from "../../server/src/engine/bind";
import { analyzeSequential, ModelAnalysis } from "../../server/src/engine/analyze";
import { ArgIR, ElementIR, SequentialIR } from "../../server/src/engine/ir";
import { findLayer } from "../../server/src/engine/layers/registry";
import { Shape } from "../../server/src/engine/shape";
import { LayerResult } from "../../server/src/engine/spec";
import { PyValue, PyTuple } from "../../server/src/engine/values";

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
}

function sum(counts: (bigint | undefined)[]): bigint | undefined {
  return counts.some((c) => c === undefined) ? undefined : counts.reduce<bigint>((a, c) => a + (c as bigint), 0n);
}

/** Binds `args` to the spec of `kind` and infers its output for `input`. */
export function infer(kind: string, args: readonly Arg[], input: Shape | undefined): Inferred {
  const spec = findLayer(kind);
  if (!spec) throw new Error(`no spec for ${kind}`);
  const binding = bindArguments(spec, argsIR(args));
  const result = spec.infer(binding.args, input);
  return {
    result,
    output: result.output,
    params: sum(result.weights.map((w) => w.count)),
    trainable: sum(result.weights.filter((w) => w.trainable).map((w) => w.count)),
    nonTrainable: sum(result.weights.filter((w) => !w.trainable).map((w) => w.count)),
    problems: [...binding.problems, ...result.problems].map((p) => p.id),
  };
}

/** `Sequential([Input(shape=input), *layers])` analysed. */
export function sequential(input: readonly PyValue[], layers: readonly [string, readonly Arg[]][]): ModelAnalysis {
  const first: [string, readonly Arg[]] = ["Input", [{ shape: tup(...input) }]];
  const elements: ElementIR[] = [first, ...layers].map(([kind, args]) => ({
    type: "layer",
    kind,
    args: argsIR(args),
    span: span(),
    calleeSpan: span(),
  }));
  const model: SequentialIR = { span: span(), calleeSpan: span(), totalsOffset: 0, elements };
  return analyzeSequential(model);
}
