/**
 * The `batch_first` mistake, where the shapes prove it: a recurrent module or Transformer encoder reads its 3-D input
 * as (sequence, batch, features) (batch_first=False, PyTorch's default) or as (batch, sequence, features), while
 * another axis of that input is provably the batch; or a call after it (a classification loss, a convolution or
 * norm) reads as the batch an axis of its output that it gives as the sequence (`out[:, -1]` on a seq-first output).
 * Proof comes only from a module that says where its own output's batch is — a convolution, pooling or
 * batch/instance/group norm on a batched input (N, C, …), or a recurrent module or encoder whose batch_first is known —
 * followed forward through steps that provably keep each axis (element-wise functions, Linear and LayerNorm on the
 * last axis, Embedding, permute and transpose, basic indexing, a reshape that keeps the first size). Anything else
 * ends the proof: a tensor of the user's making (`torch.randn(B, T, F)`, token ids) says nothing about which axis is
 * the batch until something reads it. PyTorch itself runs such code and mixes the samples.
 */
import { bindArguments } from "./bind";
import { ArgIR, LayerCallIR } from "./ir";
import { findLayer } from "./layers/registry";
import { EngineDiagnostic, LayerAnalysis, diagnostic } from "./results";
import { Shape, formatShape, isKnown } from "./shape";
import { PyValue, isEllipsis, isInt, isLayerValue, isSequence, isSlice, items } from "./values";

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

/** The input axis a basic index (`x[:, -1]`, `x[..., :64]`, `x[None]`) keeps as output axis `axis`: an int drops one. */
function indexedAxis(key: PyValue | undefined, rank: number, axis: number): number | undefined {
  if (key === undefined) return undefined;
  const entries = typeof key === "object" && key !== null && "tuple" in key ? key.tuple : [key];
  const taking = entries.filter((e) => e !== null && !isEllipsis(e)).length;
  const kept: (number | undefined)[] = [];
  let at = 0;
  for (const entry of entries) {
    if (isEllipsis(entry)) for (let k = 0; k < rank - taking; k++) kept.push(at++);
    else if (entry === null) kept.push(undefined);
    else if (isSlice(entry)) kept.push(at++);
    else if (isInt(entry)) at++;
    // A tensor or list index gathers: no axis is kept as it was.
    else return undefined;
  }
  while (at < rank) kept.push(at++);
  return kept[axis];
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
  if (call.kind === "GetItem") return indexedAxis(call.args.find((a) => a.name === "key")?.value, input.length, axis);
  // A reshape that keeps the first size keeps the first axis: each of its slices holds the same elements.
  if (/^torch\.(Tensor\.)?(view|reshape)$/.test(call.kind)) {
    return axis === 0 && isKnown(input[0]) && input[0] === output[0] ? 0 : undefined;
  }
  return undefined;
}

/** A step that says where its output's batch is, the axis it is at, and the axis a tensor's axis came from there. */
interface Origin {
  readonly step: LayerAnalysis & { readonly element: LayerCallIR };
  readonly batch: number;
  readonly axis: number;
}

/** Following `axis` of the chain's last output back to the first step that says where its output's batch is. */
function originOf(chain: readonly LayerAnalysis[], axis: number): Origin | undefined {
  let at: number | undefined = axis;
  for (let i = chain.length - 1; i >= 0 && at !== undefined; i--) {
    const step = chain[i];
    if (step.element.type !== "layer") return undefined;
    const batch = batchAxis(step, step.element);
    if (batch !== undefined) return { step: step as Origin["step"], batch, axis: at };
    at = inputAxis(step, step.element, at);
  }
  return undefined;
}

/** Calls that read their input's first axis as the batch (a class loss on (N, C, …); batched convolutions and norms). */
function readsBatchFirst(call: LayerCallIR, input: Shape): boolean {
  if (/^torch\.nn\.(CrossEntropyLoss|NLLLoss)$|^torch\.nn\.functional\.(cross_entropy|nll_loss)$/.test(call.kind)) return input.length >= 2;
  if (/^torch\.nn\.(Lazy)?BatchNorm[123]d$|^torch\.nn\.GroupNorm$/.test(call.kind)) return true;
  const spatial = CHANNELS_FIRST.map((pattern) => call.kind.match(pattern)?.at(-1)).find((d) => d !== undefined);
  return spatial !== undefined && input.length === Number(spatial) + 2;
}

/**
 * LL354, placed on a reader's constructor: `batch_first` if written (else the module's name), where the quick fix sets
 * it. Either the reader's input has its batch on another axis than it reads (`evidence` names what made it so), or a
 * call after it reads an axis of its output as the batch that it does not give as such. `values.axis` is the axis
 * that is the batch; the quick fix reads it.
 */
function mistake(reader: LayerCallIR, shape: Shape, gives: boolean, axis: number, evidence: string): EngineDiagnostic | undefined {
  const first = batchFirst(reader);
  if (first === undefined) return undefined;
  const reads = first ? 0 : 1;
  const layout = first ? "(batch, sequence, features)" : "(sequence, batch, features)";
  const setting = `set batch_first=${first ? "False" : "True"}${reader.kind === "torch.nn.TransformerEncoder" ? " on its encoder layer" : ""}`;
  const values = {
    layer: reader.kind.replace(/^torch\.nn\./, ""),
    what: `${gives ? "gives its output" : "reads its input"} ${formatShape(shape)} as ${layout}`,
    flag: first ? "True" : "False",
    evidence,
    fix: `${axis + reads === 1 ? `${setting}, or ` : ""}${gives ? `read its output's batch from axis ${reads}` : `put the batch on axis ${reads}`}`,
    axis,
  };
  const written = reader.args.find((a) => a.name === "batch_first");
  // The quick fix reads the axis (`values`), which `diagnostic` keeps only for a size.
  return { ...diagnostic("torchBatchFirst", values, written?.span ?? reader.calleeSpan), values };
}

const short = (kind: string) => kind.replace(/^torch\.nn\./, "");
const sized = (shape: Shape, axis: number) => `axis ${axis} (size ${isKnown(shape[axis]) ? shape[axis] : "?"})`;

/** A program's batch_first check: each reader is named once, whichever of its calls or the calls after it proves it. */
export function batchLayoutChecker(): (call: LayerCallIR, input: Shape | undefined, lineage: () => readonly LayerAnalysis[]) => EngineDiagnostic[] {
  const named = new Set<number>();
  return (call, input, lineage) =>
    batchLayoutMistake(call, input, lineage).filter((d) => {
      const fresh = !named.has(d.span.start);
      named.add(d.span.start);
      return fresh;
    });
}

/**
 * The batch_first mistakes a call's first run proves: a reader whose input has its batch on another axis than it
 * reads, and a call that reads the batch first from an axis a reader before it gives as its sequence or features.
 */
function batchLayoutMistake(call: LayerCallIR, input: Shape | undefined, lineage: () => readonly LayerAnalysis[]): EngineDiagnostic[] {
  if (!input) return [];
  if (READERS.test(call.kind) && input.length === 3) {
    const first = batchFirst(call);
    if (first === undefined) return [];
    const chain = lineage();
    for (const axis of [0, 1, 2].filter((a) => a !== (first ? 0 : 1))) {
      const origin = originOf(chain, axis);
      if (!origin || origin.batch !== origin.axis) continue;
      const found = mistake(call, input, false, axis, `its ${sized(input, axis)} is the batch axis of ${short(origin.step.element.kind)}'s output`);
      return found ? [found] : [];
    }
    return [];
  }
  if (!readsBatchFirst(call, input)) return [];
  const origin = originOf(lineage(), 0);
  const output = origin?.step.output;
  if (!origin || !output || origin.axis === origin.batch || !READERS.test(origin.step.element.kind)) return [];
  const found = mistake(origin.step.element, output, true, origin.axis, `${short(call.kind)} reads its ${sized(output, origin.axis)} as the batch`);
  return found ? [found] : [];
}
