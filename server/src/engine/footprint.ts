/**
 * What a layer call and a model cost, computed when asked (a hover, the summary, the totals lens), never
 * during the analysis: the call is bound again from its arguments (kept in the IR) and its spec's cost rule
 * run on what the analysis found. MACs per sample as `cost.ts` counts them, and memory: the output's size
 * for one sample and for the batch when the batch is known, and the weights' size, by the dtype the code
 * sets (`dtype=` on a layer or Input, the global policy the program sets: `mixed_float16` computes in
 * float16 and keeps its variables in float32).
 */
import { bindArguments } from "./bind";
import { Cost, UNKNOWN_DIMENSION } from "./cost";
import type { KerasGeneration } from "./generations";
import { ArgIR } from "./ir";
import type { LayerAnalysis, ModelAnalysis } from "./results";
import { Shape, isKnown } from "./shape";
import { LayerSpec, MultiInput } from "./spec";
import { withThousands } from "./format";

/**
 * How the program reads calls: the Keras generation, and the dtype policy its `set_global_policy` call set
 * before any layer was made (absent: float32). `ProgramAnalysis` and `ModelAnalysis` carry both.
 */
export interface CostContext {
  readonly keras?: KerasGeneration;
  readonly dtypePolicy?: string;
}

const DTYPE_BYTES: Readonly<Record<string, number>> = {
  float16: 2, bfloat16: 2, float32: 4, float64: 8,
  int8: 1, uint8: 1, int16: 2, uint16: 2, int32: 4, uint32: 4, int64: 8, uint64: 8, bool: 1,
};

/** A dtype policy's two dtypes: what a layer computes (and outputs) in, and what its weights are kept in. */
export interface DtypePolicy {
  readonly compute: string;
  readonly variable: string;
}

/** `mixed_float16` computes in float16, keeps variables in float32; a plain dtype is both. Undefined: not one Keras takes. */
export function policyOf(name: string): DtypePolicy | undefined {
  const mixed = /^mixed_(float16|bfloat16)$/.exec(name);
  if (mixed) return { compute: mixed[1], variable: "float32" };
  return DTYPE_BYTES[name] !== undefined ? { compute: name, variable: name } : undefined;
}

/** Layers whose output is not in their compute dtype (indices, counts, strings): their output size is not followed. */
const OTHER_OUTPUT_DTYPE = new Set(["StringLookup", "IntegerLookup", "Hashing", "TextVectorization", "CategoryEncoding"]);

export interface Memory {
  /** The dtypes, or why they are not known. */
  readonly dtype?: DtypePolicy;
  readonly unknownBecause?: string;
  /** Bytes of the output for one sample and for the batch (when the batch size is known). */
  readonly outputPerSample?: bigint;
  readonly outputPerBatch?: bigint;
  readonly batch?: number;
  /** Bytes of the weights this call creates (none for a later call of a shared layer). */
  readonly params?: bigint;
}

/** The arguments a call was bound with: a TensorFlow op's own options come in the same call as its tensors. */
function callArguments(spec: LayerSpec, args: readonly ArgIR[]): readonly ArgIR[] {
  const multi: MultiInput | undefined = spec.multiInput;
  if (multi?.form !== "op") return args;
  const names = multi.tensors ?? [];
  let position = 0;
  return args.filter((a) => (a.name === undefined ? position++ >= names.length : !names.includes(a.name)));
}

function bound(layer: LayerAnalysis, context: CostContext) {
  const spec = layer.spec;
  if (!spec || layer.element.type !== "layer") return undefined;
  return { spec, binding: bindArguments(spec, callArguments(spec, layer.element.args), undefined, context.keras) };
}

/** Arithmetic on two tensors (`x + y`): analysed without a spec, weightless, on both tensors. */
function isOperator(layer: LayerAnalysis): boolean {
  return layer.element.type === "layer" && !layer.spec && layer.inputs?.length === 2 && layer.params === 0n;
}

/** One call's MACs per sample. A custom layer's or nested model's call costs what it calls inside. */
export function callCost(layer: LayerAnalysis, context: CostContext = {}): Cost {
  if (layer.inner) return innerCost(layer.inner, context);
  if (layer.refused) return { note: layer.element.type === "layer" && layer.element.kind.startsWith("torch.") ? "PyTorch raises on it" : "Keras refuses to build it" };
  if (layer.element.type === "opaque") return { note: "not followed" };
  if (isOperator(layer)) return { macs: 0n, note: "element-wise: not counted in MACs" };
  if (layer.element.type === "layer" && !layer.spec) return { note: `${layer.element.kind} is not modelled` };
  const call = bound(layer, context);
  if (!call) return { note: "not followed" };
  if (!call.spec.cost) return { note: `the cost of ${call.spec.name} is not counted yet` };
  return call.spec.cost({ args: call.binding.args, input: layer.input, inputs: layer.inputs, output: layer.output, weights: layer.weights });
}

function innerCost(calls: readonly LayerAnalysis[], context: CostContext): Cost {
  let macs = 0n;
  for (const call of calls) {
    const cost = callCost(call, context);
    if (cost.macs === undefined) return { note: `a call inside: ${cost.note ?? UNKNOWN_DIMENSION}` };
    macs += cost.macs;
  }
  return { macs, formula: `${withThousands(macs)} (the ${calls.length} calls it makes)` };
}

/** Size of `shape` after the batch axis in bytes, unknown when a dimension is. */
function bytesOf(shape: Shape | undefined, bytes: number): bigint | undefined {
  if (!shape || shape.slice(1).some((d) => !isKnown(d))) return undefined;
  return shape.slice(1).reduce<bigint>((acc, d) => acc * BigInt(d as number), BigInt(bytes));
}

/** The dtype policy of a call: its `dtype=` (Input's own), else the program's policy, else float32. */
function dtypeOf(layer: LayerAnalysis, context: CostContext): DtypePolicy | string {
  // A nested model's or custom layer's output is that of the call inside that made it.
  const producer = layer.inner?.find((l) => l.output === layer.output);
  if (producer) return dtypeOf(producer, context);
  const call = bound(layer, context);
  if (!call) return layer.inner ? "the output dtype of what it calls inside is not followed" : "the output dtype of a tensor function is not followed";
  if (call.spec.multiInput?.form === "op") return "the output dtype of a tensor function is not followed";
  if (OTHER_OUTPUT_DTYPE.has(call.spec.name)) return `${call.spec.name} outputs indices or counts, whose dtype is not followed`;
  const given = call.spec.isInput ? call.binding.args.raw("dtype") : call.binding.base.get("dtype");
  if (given === undefined || given === null) {
    // Input keeps float32 under a mixed policy: the first layer casts it.
    if (call.spec.isInput || !context.dtypePolicy) return { compute: "float32", variable: "float32" };
    return policyOf(context.dtypePolicy) ?? `the dtype policy "${context.dtypePolicy}" is not one Layer Lens knows`;
  }
  if (typeof given !== "string") return "its dtype is not known statically";
  return policyOf(given) ?? `the dtype "${given}" is not one Layer Lens knows`;
}

/** Whether every call inside a nested model or custom layer keeps its weights in the dtype of the one that made its output. */
function sameVariableDtype(layer: LayerAnalysis, policy: DtypePolicy, context: CostContext): boolean {
  if (!layer.inner) return true;
  return layer.inner.every((call) => {
    if (!call.weights.length) return true;
    const own = dtypeOf(call, context);
    return typeof own !== "string" && own.variable === policy.variable;
  });
}

export function callMemory(layer: LayerAnalysis, context: CostContext = {}): Memory {
  const policy = dtypeOf(layer, context);
  if (typeof policy === "string") return { unknownBecause: policy };
  const outputPerSample = bytesOf(layer.output, DTYPE_BYTES[policy.compute]);
  const batch = layer.output?.[0];
  const weights = layer.sharedWith ? [] : layer.weights;
  const counted = weights.every((w) => w.count !== undefined) && sameVariableDtype(layer, policy, context);
  const params = counted ? weights.reduce((acc, w) => acc + w.count! * BigInt(DTYPE_BYTES[policy.variable]), 0n) : undefined;
  return {
    dtype: policy,
    ...(outputPerSample !== undefined ? { outputPerSample } : { unknownBecause: UNKNOWN_DIMENSION }),
    ...(outputPerSample !== undefined && batch !== undefined && isKnown(batch) ? { outputPerBatch: outputPerSample * BigInt(batch), batch } : {}),
    ...(params !== undefined ? { params } : {}),
  };
}

export interface ModelFootprint {
  /** Total MACs per sample over every call (a shared layer counts at each call), or unknown with why. */
  readonly macs?: bigint;
  readonly macsUnknownBecause?: string;
  /** Forward activations: the outputs of every call of the model, kept all at once (as training keeps them). */
  readonly activationsPerSample?: bigint;
  readonly activationsPerBatch?: bigint;
  readonly batch?: number;
  readonly activationsUnknownBecause?: string;
}

const footprints = new WeakMap<ModelAnalysis, ModelFootprint>();

/** A model's totals; computed once per analysis of it. */
export function modelFootprint(model: ModelAnalysis): ModelFootprint {
  const kept = footprints.get(model);
  if (kept) return kept;
  const context: CostContext = model;
  let macs: bigint | undefined = 0n;
  let macsUnknownBecause: string | undefined;
  let activations: bigint | undefined = 0n;
  let activationsUnknownBecause: string | undefined;
  const name = (l: LayerAnalysis) => (l.element.type === "layer" ? l.element.kind : l.element.text);
  for (const layer of model.layers) {
    const cost = callCost(layer, context);
    if (cost.macs === undefined) {
      macsUnknownBecause ??= `${name(layer)}: ${cost.note ?? UNKNOWN_DIMENSION}`;
      macs = undefined;
    } else if (macs !== undefined) macs += cost.macs;
  }
  // A custom layer's or nested model's calls each keep their output too (the nested model's Input is the caller's tensor).
  const leaves: LayerAnalysis[] = [];
  const collect = (layers: readonly LayerAnalysis[], nested: boolean): void => {
    for (const layer of layers) {
      if (layer.inner) collect(layer.inner, true);
      else if (!(nested && layer.spec?.isInput)) leaves.push(layer);
    }
  };
  collect(model.layers, false);
  const memories = leaves.map((layer) => (isOperator(layer) ? undefined : callMemory(layer, context)));
  // `x + y` has its operands' dtype: known when every other tensor of the model has one and the same.
  const dtypes = new Set(memories.map((m) => m && (m.dtype?.compute ?? "?")).filter((d) => d !== undefined));
  const shared = dtypes.size === 1 && !dtypes.has("?") ? [...dtypes][0]! : undefined;
  for (const [i, layer] of leaves.entries()) {
    const memory = memories[i];
    const bytes = memory ? memory.outputPerSample : shared === undefined ? undefined : bytesOf(layer.output, DTYPE_BYTES[shared]);
    if (bytes === undefined) {
      const why = memory ? (memory.unknownBecause ?? UNKNOWN_DIMENSION) : shared === undefined ? "its operands' dtype is not followed" : UNKNOWN_DIMENSION;
      activationsUnknownBecause ??= `${name(layer)}: ${why}`;
      activations = undefined;
    } else if (activations !== undefined) activations += bytes;
  }
  const batch = model.input?.[0];
  const result: ModelFootprint = {
    ...(macs !== undefined ? { macs } : { macsUnknownBecause }),
    ...(activations !== undefined ? { activationsPerSample: activations } : { activationsUnknownBecause }),
    ...(activations !== undefined && batch !== undefined && isKnown(batch) ? { activationsPerBatch: activations * BigInt(batch), batch } : {}),
  };
  footprints.set(model, result);
  return result;
}

/** `1.23 G`, `300.5 M`, `194.7 k`: MACs in short, as papers print them. */
export function shortMacs(macs: bigint): string {
  const units: [bigint, string][] = [[1_000_000_000_000n, "T"], [1_000_000_000n, "G"], [1_000_000n, "M"], [1_000n, "k"]];
  for (const [size, suffix] of units) {
    if (macs >= size) {
      const value = Number(macs) / Number(size);
      return `${value.toFixed(value >= 100 ? 0 : value >= 10 ? 1 : 2)}${suffix}`;
    }
  }
  return String(macs);
}
