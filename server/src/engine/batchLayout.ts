/**
 * The `batch_first` mistake, where the shapes prove it: a recurrent module or Transformer encoder reads its 3-D input
 * as (sequence, batch, features) (batch_first=False, PyTorch's default) or as (batch, sequence, features), while
 * another axis of that input is provably the batch. Proof comes only from a module that says where its own output's
 * batch is — a convolution, pooling or batch/instance/group norm on a batched input (N, C, …), or a recurrent module
 * or encoder whose batch_first is known — followed forward through steps that provably keep each axis (element-wise
 * functions, Linear and LayerNorm on the last axis, Embedding, permute and transpose, a reshape that keeps the first
 * size). Anything else ends the proof: a tensor of the user's making (`torch.randn(B, T, F)`, token ids) says nothing
 * about which axis is the batch, so it never fires there. PyTorch itself runs such code and mixes the samples.
 */
import { bindArguments } from "./bind";
import { ArgIR, LayerCallIR } from "./ir";
import { findLayer } from "./layers/registry";
import { EngineDiagnostic, LayerAnalysis, diagnostic } from "./results";
import { Shape, formatShape, isKnown } from "./shape";
import { PyValue, isInt, isLayerValue, isSequence, items } from "./values";

/** The modules that read a (sequence, batch, features) input, or (batch, sequence, features) with batch_first. */
const READERS = /^torch\.nn\.(RNN|LSTM|GRU|TransformerEncoderLayer|TransformerEncoder)$/;

/** Modules and functions whose batched output is (N, C, …), the digit their number of axes after C. */
const CHANNELS_FIRST: readonly RegExp[] = [
  /^torch\.nn\.(Lazy)?Conv(Transpose)?([123])d$/,
  /^torch\.nn\.(Max|Avg|LP|AdaptiveAvg|AdaptiveMax|FractionalMax)Pool([123])d$/,
  /^torch\.nn\.(Lazy)?InstanceNorm([123])d$/,
  /^torch\.nn\.functional\.(conv|conv_transpose|max_pool|avg_pool|adaptive_avg_pool|adaptive_max_pool)([123])d$/,
];

/** Steps that keep every axis where it is (element-wise, or acting on the last axis only). */
const KEEPS_AXES = new RegExp(
  "^torch\\.(" +
    [
      "nn\\.(Identity|Linear|LazyLinear|LayerNorm|RMSNorm|Dropout|Dropout1d|AlphaDropout|ReLU|ReLU6|LeakyReLU|PReLU|ELU|SELU|CELU|GELU|SiLU|Mish|Tanh|Sigmoid|Hardtanh|Hardswish|Hardsigmoid|Softplus|Softsign|Tanhshrink)",
      "nn\\.functional\\.(relu|relu6|leaky_relu|elu|selu|celu|gelu|silu|mish|tanh|sigmoid|hardtanh|hardswish|softplus|dropout|layer_norm|linear)",
      "(relu|tanh|sigmoid|abs|exp|log|sqrt|neg)",
      "Tensor\\.(relu|tanh|sigmoid|abs|exp|log|sqrt|neg|contiguous|clone|detach|float|double|half|to|cpu|cuda)",
    ].join("|") +
    ")$",
);

/** Where a step's output has its batch, when the step itself says: an axis index, or undefined. */
function batchAxis(step: LayerAnalysis, call: LayerCallIR): number | undefined {
  const rank = step.output?.length;
  if (rank === undefined) return undefined;
  for (const pattern of CHANNELS_FIRST) {
    const spatial = call.kind.match(pattern)?.at(-1);
    if (spatial !== undefined) return rank === Number(spatial) + 2 ? 0 : undefined;
  }
  // BatchNorm takes (N, C) or (N, C, …) only, GroupNorm (N, C, …): their first axis is always the batch.
  if (/^torch\.nn\.(Lazy)?BatchNorm[123]d$|^torch\.nn\.GroupNorm$/.test(call.kind)) return 0;
  if (READERS.test(call.kind) && rank === 3) {
    const first = batchFirst(call);
    return first === undefined ? undefined : first ? 0 : 1;
  }
  return undefined;
}

/** The module's batch_first as its constructor says (a TransformerEncoder's, its layer's), undefined when not known. */
function batchFirst(call: Pick<LayerCallIR, "kind" | "args">): boolean | undefined {
  const spec = findLayer(call.kind);
  if (call.kind !== "torch.nn.TransformerEncoder") return spec && bindArguments(spec, call.args).args.bool("batch_first");
  const layer = (call.args.find((a) => a.name === "encoder_layer") ?? call.args.find((a) => a.name === undefined))?.value;
  return isLayerValue(layer) ? batchFirst(layer.layer) : undefined;
}

/** The integers a tensor method was given after the tensor (`x.permute(0, 2, 1)` or `x.permute((0, 2, 1))`). */
function intsAfterTensor(args: readonly ArgIR[]): number[] | undefined {
  const rest = args.filter((a) => a.name === undefined).slice(1).map((a) => a.value);
  const values: PyValue[] = rest.length === 1 && isSequence(rest[0]) ? items(rest[0]) : rest;
  return values.every(isInt) ? (values as number[]) : undefined;
}

/** The step's input axis that its output axis `axis` is, when the step provably keeps it; undefined otherwise. */
function inputAxis(step: LayerAnalysis, call: LayerCallIR, axis: number): number | undefined {
  const input = step.input;
  const output = step.output;
  if (!input || !output) return undefined;
  const positive = (d: number) => (d < 0 ? d + input.length : d);
  if (KEEPS_AXES.test(call.kind)) return input.length === output.length ? axis : undefined;
  if (call.kind === "torch.nn.Embedding") return axis < input.length ? axis : undefined;
  if (call.kind === "torch.Tensor.permute" || call.kind === "torch.permute") {
    const dims = intsAfterTensor(call.args);
    return dims && dims.length === input.length ? positive(dims[axis]) : undefined;
  }
  if (/^torch\.(Tensor\.)?(transpose|swapaxes)$/.test(call.kind)) {
    const dims = intsAfterTensor(call.args);
    if (!dims || dims.length !== 2) return undefined;
    const [a, b] = dims.map(positive);
    return axis === a ? b : axis === b ? a : axis;
  }
  // Flattening from start_dim on keeps the axes before it (torch.flatten's start_dim is 0 by default, nn.Flatten's 1).
  if (/^torch\.(Tensor\.)?flatten$|^torch\.nn\.Flatten$/.test(call.kind)) {
    const given = call.args.find((a) => a.name === "start_dim")?.value ?? (call.kind === "torch.nn.Flatten" ? call.args.find((a) => a.name === undefined)?.value : intsAfterTensor(call.args.filter((a) => a.name === undefined).slice(0, 2))?.[0]);
    const start = given === undefined ? (call.kind === "torch.nn.Flatten" ? 1 : 0) : isInt(given) ? positive(given) : undefined;
    return start !== undefined && axis < start ? axis : undefined;
  }
  // A reshape that keeps the first size keeps the first axis: each of its slices holds the same elements.
  if (/^torch\.(Tensor\.)?(view|reshape)$/.test(call.kind)) {
    return axis === 0 && isKnown(input[0]) && input[0] === output[0] ? 0 : undefined;
  }
  return undefined;
}

/** The step before `chain[i]` whose output is the batch, following `axis` of `chain[i]`'s input back. */
function provenBatch(chain: readonly LayerAnalysis[], axis: number): LayerAnalysis | undefined {
  let at: number | undefined = axis;
  for (let i = chain.length - 1; i >= 0 && at !== undefined; i--) {
    const step = chain[i];
    if (step.element.type !== "layer") return undefined;
    const batch = batchAxis(step, step.element);
    if (batch !== undefined) return batch === at ? step : undefined;
    at = inputAxis(step, step.element, at);
  }
  return undefined;
}

/**
 * LL354 at a reader's first call whose input's batch is provably on another axis than the reader takes it from,
 * placed on the constructor's `batch_first` (or its name, when not written), where the quick fix sets it.
 */
export function batchLayoutMistake(call: LayerCallIR, input: Shape | undefined, lineage: () => readonly LayerAnalysis[]): EngineDiagnostic[] {
  if (!READERS.test(call.kind) || input?.length !== 3) return [];
  const first = batchFirst(call);
  if (first === undefined) return [];
  const reads = first ? 0 : 1;
  const chain = lineage();
  for (const axis of [0, 1, 2]) {
    if (axis === reads) continue;
    const source = provenBatch(chain, axis);
    if (!source || source.element.type !== "layer") continue;
    const layer = call.kind.replace(/^torch\.nn\./, "");
    const written = call.args.find((a) => a.name === "batch_first");
    const values = {
      layer,
      shape: formatShape(input),
      layout: first ? "(batch, sequence, features)" : "(sequence, batch, features)",
      flag: first ? "True" : "False",
      axis,
      size: isKnown(input[axis]) ? String(input[axis]) : "?",
      source: source.element.kind.replace(/^torch\.nn\./, ""),
      fix: axis + reads === 1 ? `set batch_first=${!first ? "True" : "False"}${call.kind === "torch.nn.TransformerEncoder" ? " on its encoder layer" : ""}, or put the batch on axis ${reads}` : `put the batch on axis ${reads}`,
    };
    // The quick fix reads the axis (`values`), which `diagnostic` keeps only for a size.
    return [{ ...diagnostic("torchBatchFirst", values, written?.span ?? call.calleeSpan), values }];
  }
  return [];
}
