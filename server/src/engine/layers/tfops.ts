/**
 * Low-level TensorFlow ops (`MultiInput` form "op"): functions, not layers; the tensors
 * and the options come in one call, `params` lists the options. They own no weights
 * (a filter or bias variable is counted where it is created).
 *
 * - tf.nn.conv2d(input, filters, strides, padding, data_format='NHWC', dilations=None):
 *   filters (fh, fw, in, out). Per spatial axis, with k = d·(f − 1) + 1:
 *   'VALID' ⌈(n − k + 1) / s⌉, 'SAME' ⌈n / s⌉, explicit [[0, 0], [t, b], [l, r], [0, 0]]
 *   ⌊(n + t + b − k) / s⌋ + 1. The input's channels must be a multiple of the filter's
 *   `in` (grouped when larger), and `out` a multiple of the groups (Conv2D's shape function).
 * - tf.nn.max_pool2d / tf.nn.avg_pool2d(input, ksize, strides, padding, data_format='NHWC'):
 *   the same window sizes over a rank-4 input; explicit paddings for max_pool2d only.
 * - strides / dilations / ksize: an int, or a list of 1, 2 or 4 ints (`_get_sequence`); the
 *   batch and channel entries of a list of 4 must be 1. padding: exactly 'SAME' or 'VALID'
 *   (the op's attribute is case-sensitive) or a list of 4 [before, after] pairs with zero
 *   batch and channel padding (`convert_padding`).
 * - tf.nn.bias_add(value, bias, data_format=None): bias is 1-D, as long as the channel
 *   axis (last for 'N...C', axis 1 for 'NC...'); the output is value's shape.
 * - tf.matmul(a, b, transpose_a, transpose_b, adjoint_a, adjoint_b, …): both rank ≥ 2;
 *   a's columns (rows when transposed) must equal b's rows (columns when transposed);
 *   the leading batch axes broadcast (BatchMatMulV2). Output (…batch, a rows, b columns).
 */
import { CostRule, contraction, elementwiseCost, factor, product } from "../cost";
import { Args } from "../args";
import { Dim, Shape, UNKNOWN, formatShape, isKnown, openOf } from "../shape";
import { Formula, LayerResult, LayerSpec, MultiInput, ParamDecl, Problem } from "../spec";
import { effectiveKernel, unknownFrom, windowOutput } from "../math";
import { PyValue, isInt, isSequence, items, pyRepr } from "../values";

type Layout = "NHWC" | "NCHW";
type OpPadding = { kind: "SAME" | "VALID" } | { kind: "EXPLICIT"; pads: [number, number][] };

const done = (args: Args, output: Shape | undefined, problems: Problem[], formulas: Formula[] = []): LayerResult => ({
  output,
  weights: [],
  formulas,
  problems: [...args.problems, ...problems],
});

function invalid(args: Args, argument: string, expected: string, value: PyValue): undefined {
  args.problems.push({ id: "invalidArgument", argument, values: { argument, expected, value: pyRepr(value) } });
  return undefined;
}

function mismatch(op: string, requirement: string, first: Shape, second: Shape, input: number): Problem {
  return { id: "incompatibleShapes", input, values: { layer: op, requirement, first: formatShape(first), second: formatShape(second) } };
}

function rankProblem(op: string, shape: Shape, expected: string, example: string, input: number): Problem {
  return { id: "wrongRank", input, values: { layer: op, expected, example, shape: formatShape(shape), rank: shape.length }, };
}

/** data_format: exactly 'NHWC' or 'NCHW'. */
function layoutArg(args: Args): Layout | undefined {
  const v = args.raw("data_format");
  if (v === undefined) return undefined;
  if (v === "NHWC" || v === "NCHW") return v;
  return invalid(args, "data_format", "'NHWC' or 'NCHW'", v);
}

/**
 * `_get_sequence(value, 2, channel_index, name)`: the (height, width) entries of an int
 * or a list of 1, 2 or 4 ints; a list of 4 must have 1 on the batch and channel axes.
 */
function spatialPair(args: Args, name: string, layout: Layout): [number, number] | undefined {
  const v = args.raw(name);
  if (v === undefined) return undefined;
  if (v === null && name === "dilations") return [1, 1];
  const list = isInt(v) ? [v] : isSequence(v) && items(v).every(isInt) ? (items(v) as number[]) : undefined;
  if (!list || ![1, 2, 4].includes(list.length)) return invalid(args, name, "an int or a list of 1, 2 or 4 ints", v);
  if (list.some((x) => x < 1)) {
    args.problems.push({ id: "nonPositiveArgument", argument: name, values: { argument: name, value: pyRepr(v) } });
    return undefined;
  }
  if (list.length === 1) return [list[0], list[0]];
  if (list.length === 2) return [list[0], list[1]];
  const [batch, c] = layout === "NHWC" ? [list[0], list[3]] : [list[0], list[1]];
  if (batch !== 1 || c !== 1) return invalid(args, name, `1 on the batch and channel axes (${layout})`, v);
  return layout === "NHWC" ? [list[1], list[2]] : [list[2], list[3]];
}

function paddingArg(args: Args, layout: Layout | undefined, explicitAllowed: boolean): OpPadding | undefined {
  const v = args.raw("padding");
  if (v === undefined) return undefined;
  if (v === "SAME" || v === "VALID") return { kind: v };
  const expected = explicitAllowed ? "'SAME', 'VALID' or a list of 4 [before, after] pairs" : "'SAME' or 'VALID'";
  if (!explicitAllowed || !isSequence(v)) return invalid(args, "padding", expected, v);
  const pairs = items(v).map((p) => (isSequence(p) && items(p).length === 2 && items(p).every((x) => isInt(x) && x >= 0) ? (items(p) as [number, number]) : undefined));
  if (pairs.length !== 4 || pairs.some((p) => p === undefined)) return invalid(args, "padding", expected, v);
  const all = pairs as [number, number][];
  if (!layout) return undefined;
  const [h, w, b, c] = layout === "NHWC" ? [1, 2, 0, 3] : [2, 3, 0, 1];
  if (all[b].some((x) => x !== 0) || all[c].some((x) => x !== 0)) {
    return invalid(args, "padding", "zero padding on the batch and channel axes", v);
  }
  return { kind: "EXPLICIT", pads: [all[h], all[w]] };
}

/** One spatial output size and its formula, as TensorFlow's GetWindowedOutputSize computes it. */
function windowed(n: Dim, size: number, stride: number, dilation: number, padding: OpPadding, axis: 0 | 1): { dim: Dim; formula?: string } {
  if (padding.kind !== "EXPLICIT") return windowOutput(n, size, stride, padding.kind === "SAME" ? "same" : "valid", dilation);
  if (!isKnown(n)) return { dim: n };
  const k = effectiveKernel(size, dilation);
  const kText = dilation === 1 ? `${size}` : `(${dilation}·(${size} − 1) + 1)`;
  const [before, after] = padding.pads[axis];
  const out = Math.floor((n + before + after - k) / stride) + 1;
  const padded = `${n} + ${before} + ${after}`;
  return { dim: out, formula: stride === 1 ? `${padded} − ${kText} + 1 = ${out}` : `⌊(${padded} − ${kText}) / ${stride}⌋ + 1 = ${out}` };
}

interface Window {
  readonly size?: [number, number];
  readonly strides?: [number, number];
  readonly dilations?: [number, number];
  readonly padding?: OpPadding;
}

/** The two spatial sizes after the window, with formulas and a problem for a non-positive one. */
function slide(op: string, input: Shape, layout: Layout, window: Window, argument: string) {
  const first = layout === "NHWC" ? input.length - 3 : input.length - 2;
  const names = ["height", "width"];
  const dims: Dim[] = [];
  const formulas: Formula[] = [];
  const problems: Problem[] = [];
  for (const axis of [0, 1] as const) {
    const n = input[first + axis];
    const { strides, padding } = window;
    // Under 'SAME' the output size does not depend on the window.
    const size = window.size ?? (padding?.kind === "SAME" ? [1, 1] : undefined);
    if (!size || !strides || !padding || !window.dilations) {
      dims.push(unknownFrom(n));
      continue;
    }
    const out = windowed(n, size[axis], strides[axis], window.dilations[axis], padding, axis);
    if (out.formula) formulas.push({ label: names[axis], text: out.formula });
    if (isKnown(out.dim) && out.dim <= 0) {
      problems.push({ id: "nonPositiveDimension", argument, axis: first + axis, values: { layer: op, axis: names[axis], value: out.dim, formula: out.formula ?? "", history: "" } });
      dims.push(UNKNOWN);
    } else dims.push(out.dim);
  }
  return { dims, formulas, problems };
}

/** Places the new spatial sizes and channel count into the input's layout. */
function withSpatial(input: Shape, layout: Layout, spatial: Dim[], channels: Dim): Dim[] {
  const batch = input.slice(0, input.length - 3);
  return layout === "NHWC" ? [...batch, ...spatial, channels] : [...batch, channels, ...spatial];
}

const conv2dOptions: ParamDecl[] = [
  { name: "strides" },
  { name: "padding" },
  { name: "data_format", default: "NHWC" },
  { name: "dilations", default: null },
  { name: "name", default: null },
];

function inferConv2d(args: Args, inputs: readonly (Shape | undefined)[]): LayerResult {
  const op = "tf.nn.conv2d";
  const layout = layoutArg(args);
  const strides = layout && spatialPair(args, "strides", layout);
  const dilations = layout && spatialPair(args, "dilations", layout);
  const padding = paddingArg(args, layout, true);
  const [input, filters] = inputs;
  const problems: Problem[] = [];
  if (input && input.length < 4) problems.push(rankProblem(op, input, "4 or more", "[batch, height, width, channels]", 0));
  if (filters && filters.length !== 4) problems.push(rankProblem(op, filters, "4", "[filter_height, filter_width, in_channels, out_channels]", 1));
  if (problems.length || !input || !layout) return done(args, undefined, problems);

  const channelAxis = layout === "NHWC" ? input.length - 1 : input.length - 3;
  const channels = input[channelAxis];
  const [fh, fw, fin, fout] = filters ?? [UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN];
  if (filters && isKnown(channels) && isKnown(fin) && channels % fin !== 0) {
    problems.push(mismatch(op, `input channels (${channels}) that are a multiple of the filter's in_channels (${fin})`, input, filters, 1));
  } else if (filters && isKnown(channels) && isKnown(fin) && isKnown(fout) && fout % (channels / fin) !== 0) {
    problems.push(mismatch(op, `out_channels (${fout}) divisible by the ${channels / fin} groups the channels make`, input, filters, 1));
  }
  if (problems.length) return done(args, undefined, problems);
  const size: [number, number] | undefined = isKnown(fh) && isKnown(fw) ? [fh, fw] : undefined;
  const { dims, formulas, problems: slid } = slide(op, input, layout, { size, strides, dilations, padding }, "padding");
  problems.push(...slid);
  return done(args, withSpatial(input, layout, dims, fout), problems, formulas);
}

const poolOptions: ParamDecl[] = [
  { name: "ksize" },
  { name: "strides" },
  { name: "padding" },
  { name: "data_format", default: "NHWC" },
  { name: "name", default: null },
];

function inferPool(op: string, explicitAllowed: boolean) {
  return (args: Args, inputs: readonly (Shape | undefined)[]): LayerResult => {
    const layout = layoutArg(args);
    const size = layout && spatialPair(args, "ksize", layout);
    const strides = layout && spatialPair(args, "strides", layout);
    const padding = paddingArg(args, layout, explicitAllowed);
    const [input] = inputs;
    if (!input || !layout) return done(args, undefined, []);
    if (input.length !== 4) return done(args, undefined, [rankProblem(op, input, "4", "[batch, height, width, channels]", 0)]);
    const channels = input[layout === "NHWC" ? 3 : 1];
    const { dims, formulas, problems } = slide(op, input, layout, { size, strides, dilations: [1, 1], padding }, "ksize");
    return done(args, withSpatial(input, layout, dims, channels), problems, formulas);
  };
}

function inferBiasAdd(args: Args, inputs: readonly (Shape | undefined)[]): LayerResult {
  const op = "tf.nn.bias_add";
  const v = args.raw("data_format");
  let channelsFirst: boolean | undefined;
  if (v === null) channelsFirst = false;
  else if (typeof v === "string" && v.startsWith("NC")) channelsFirst = true;
  else if (typeof v === "string" && v.startsWith("N") && v.endsWith("C")) channelsFirst = false;
  else if (v !== undefined) invalid(args, "data_format", "of the form 'N...C' or 'NC...'", v);
  const [value, bias] = inputs;
  const problems: Problem[] = [];
  if (value && value.length < 2) problems.push(rankProblem(op, value, "2 or more", "[batch, …, channels]", 0));
  if (bias && bias.length !== 1) problems.push(rankProblem(op, bias, "1", "[channels]", 1));
  if (problems.length || !value) return done(args, undefined, problems);
  if (channelsFirst !== undefined && bias) {
    const c = value[channelsFirst ? 1 : value.length - 1];
    if (isKnown(c) && isKnown(bias[0]) && c !== bias[0]) {
      problems.push(mismatch(op, `a bias as long as the channel axis (${c})`, value, bias, 1));
    }
  }
  return done(args, problems.length ? undefined : value, problems);
}

const matmulOptions: ParamDecl[] = [
  { name: "transpose_a", default: false },
  { name: "transpose_b", default: false },
  { name: "adjoint_a", default: false },
  { name: "adjoint_b", default: false },
  { name: "a_is_sparse", default: false },
  { name: "b_is_sparse", default: false },
  { name: "output_type", default: null },
  { name: "grad_a", default: false },
  { name: "grad_b", default: false },
  { name: "name", default: null },
];

/** Numpy broadcasting of the leading (batch) axes; undefined when they cannot broadcast. */
function broadcastBatch(x: Shape, y: Shape): Dim[] | undefined {
  const n = Math.max(x.length, y.length);
  const out: Dim[] = [];
  for (let i = 0; i < n; i++) {
    const a = x[x.length - n + i] ?? 1;
    const b = y[y.length - n + i] ?? 1;
    if (isKnown(a) && isKnown(b)) {
      if (a !== b && a !== 1 && b !== 1) return undefined;
      out.push(a === 1 ? b : a);
    } else if (isKnown(a) && a !== 1) out.push(a);
    else if (isKnown(b) && b !== 1) out.push(b);
    else out.push(openOf(...[a, b].filter((d) => !isKnown(d))));
  }
  return out;
}

function inferMatmul(args: Args, inputs: readonly (Shape | undefined)[]): LayerResult {
  const op = "tf.matmul";
  const flags = Object.fromEntries(["transpose_a", "transpose_b", "adjoint_a", "adjoint_b"].map((f) => [f, args.bool(f)]));
  for (const side of ["a", "b"]) {
    if (flags[`transpose_${side}`] && flags[`adjoint_${side}`]) {
      invalid(args, `adjoint_${side}`, `False when transpose_${side}=True (only one of them can be True)`, true);
    }
  }
  const [a, b] = inputs;
  const problems: Problem[] = [];
  if (a && a.length < 2) problems.push(rankProblem(op, a, "2 or more", "[…, rows, columns]", 0));
  if (b && b.length < 2) problems.push(rankProblem(op, b, "2 or more", "[…, rows, columns]", 1));
  if (problems.length || !a || !b) return done(args, undefined, problems);
  const swapA = flags.transpose_a || flags.adjoint_a;
  const swapB = flags.transpose_b || flags.adjoint_b;
  const [rows, innerA] = swapA ? [a[a.length - 1], a[a.length - 2]] : [a[a.length - 2], a[a.length - 1]];
  const [innerB, cols] = swapB ? [b[b.length - 1], b[b.length - 2]] : [b[b.length - 2], b[b.length - 1]];
  if (isKnown(innerA) && isKnown(innerB) && innerA !== innerB) {
    problems.push(mismatch(op, `a's ${swapA ? "rows" : "columns"} (${innerA}) equal to b's ${swapB ? "columns" : "rows"} (${innerB})`, a, b, 1));
    return done(args, undefined, problems);
  }
  const batch = broadcastBatch(a.slice(0, -2), b.slice(0, -2));
  if (!batch) {
    problems.push(mismatch(op, "batch axes that broadcast", a, b, 1));
    return done(args, undefined, problems);
  }
  const unknownFlag = [swapA, swapB].some((s) => s === undefined);
  const output = unknownFlag ? [...batch, UNKNOWN, UNKNOWN] : [...batch, rows, cols];
  const formulas: Formula[] = [];
  if (!unknownFlag && isKnown(innerA)) formulas.push({ label: "inner", text: `${formatShape([rows, innerA])} · ${formatShape([innerB, cols])} → ${formatShape([rows, cols])}` });
  return done(args, output, problems, formulas);
}

function opSpec(name: string, summary: string, params: ParamDecl[], tensors: string[], infer: MultiInput["infer"]): LayerSpec {
  return {
    name,
    summary,
    params,
    infer: (args) => done(args, undefined, [{ id: "inputCount", values: { layer: name, expected: `its tensors (${tensors.join(", ")})`, got: "a single tensor" } }]),
    multiInput: { form: "op", tensors, min: tensors.length, max: tensors.length, infer },
    // A TensorFlow function, not a layer: no **kwargs, no base-layer keywords.
    closedKeywords: true,
  };
}

/** Each output element of `tf.matmul` is a dot product over a's columns (its rows when transposed). */
const matmulCost: CostRule = ({ args, inputs, output }) => {
  const a = inputs?.[0];
  const swap = args.bool("transpose_a") || args.bool("adjoint_a");
  return contraction(output, a && a.length >= 2 ? a[a.length - (swap ? 2 : 1)] : undefined);
};

/** `tf.nn.conv2d`: each output position multiplies the whole filter (height·width·in·out). */
const conv2dCost: CostRule = ({ args, inputs, output }) => {
  const filters = inputs?.[1];
  const layout = args.raw("data_format");
  if (!output || output.length !== 4 || (layout !== "NHWC" && layout !== "NCHW")) return product([undefined]);
  return product([factor(layout === "NHWC" ? output.slice(1, 3) : output.slice(2)), filters && factor(filters.slice(0, 3)), filters && factor(filters.slice(3))]);
};

/** `tf.nn.max_pool2d` / `avg_pool2d`: one comparison or addition per window element, for each output element. */
const poolCost: CostRule = ({ args, output }) => {
  const layout = layoutArg(args);
  const size = layout && spatialPair(args, "ksize", layout);
  return product([output && factor(output.slice(1)), size && factor(size)], "one per window element");
};

export const tfOps: LayerSpec[] = [
  { ...opSpec("tf.nn.conv2d", "2-D convolution of an NHWC (or NCHW) input with an explicit filter tensor [height, width, in, out].", conv2dOptions, ["input", "filters"], inferConv2d), cost: conv2dCost },
  { ...opSpec("tf.nn.max_pool2d", "2-D max pooling over windows of ksize.", poolOptions, ["input"], inferPool("tf.nn.max_pool2d", true)), cost: poolCost },
  { ...opSpec("tf.nn.avg_pool2d", "2-D average pooling over windows of ksize.", poolOptions, ["input"], inferPool("tf.nn.avg_pool2d", false)), cost: poolCost },
  { ...opSpec("tf.nn.bias_add", "Adds a 1-D bias along the channel axis.", [{ name: "data_format", default: null }, { name: "name", default: null }], ["value", "bias"], inferBiasAdd), cost: elementwiseCost },
  { ...opSpec("tf.matmul", "Matrix product of the last two axes, the leading axes broadcast as a batch.", matmulOptions, ["a", "b"], inferMatmul), cost: matmulCost },
];
