/**
 * PyTorch's convolutions: `Conv1d/2d/3d`, `ConvTranspose1d/2d/3d` and their Lazy forms, as torch/nn/modules/conv.py
 * builds them (`_ConvNd.__init__`'s checks, weight shapes) and ATen's Convolution.cpp runs them
 * (`check_shape_forward`'s channel and size checks, `conv_output_size`, the transposed output size).
 *
 * - Weight: `(out_channels, in_channels / groups, *kernel_size)`; transposed `(in_channels, out_channels / groups,
 *   *kernel_size)`; bias `(out_channels,)`. Built in `__init__`, so known without an input, except for the Lazy
 *   modules, which take in_channels from their first input's channel axis.
 * - Output per spatial axis: ⌊(n + 2·p − d·(k − 1) − 1)/s + 1⌋ (`padding='same'` keeps n, stride 1 only);
 *   transposed (n − 1)·s − 2·p + d·(k − 1) + output_padding + 1.
 * - Inputs batched `(N, C, *)` or unbatched `(C, *)`.
 * - MACs per sample: output positions · (in / groups)·∏k · out; transposed: input positions · in·∏k · (out / groups)
 *   (each input value is scattered through its group's kernels).
 */
import { Args } from "../../args";
import { CostInput, CostRule, factor, product } from "../../cost";
import { withThousands } from "../../format";
import { spatialNames, unknownFrom, weight } from "../../math";
import { Dim, Shape, UNKNOWN, formatShape, isKnown } from "../../shape";
import { Formula, LayerResult, LayerSpec, ParamDecl, Problem, Weight } from "../../spec";
import { pyRepr } from "../../values";
import {
  AxisWindow,
  Layout,
  Rank,
  SmallAxis,
  effectiveWindow,
  layoutOf,
  outputTooSmall,
  ranks,
  reflectionMessage,
  sizesText,
  slidingOutput,
  torchSize,
  transposedOutput,
  wrongRankProblem,
} from "./window";

interface Variant {
  readonly rank: Rank;
  readonly transposed: boolean;
  readonly lazy: boolean;
}

const classNameOf = ({ rank, transposed, lazy }: Variant) => `${lazy ? "Lazy" : ""}Conv${transposed ? "Transpose" : ""}${rank}d`;

/**
 * The constructors' parameters in PyTorch's order. ConvTranspose puts output_padding after padding and dilation
 * after bias; the Lazy forms drop in_channels.
 */
function convParams({ transposed, lazy }: Variant): ParamDecl[] {
  const head: ParamDecl[] = [
    ...(lazy ? [] : [{ name: "in_channels" }]),
    { name: "out_channels" },
    { name: "kernel_size" },
    { name: "stride", default: 1 },
    { name: "padding", default: 0 },
  ];
  const middle: ParamDecl[] = transposed
    ? [{ name: "output_padding", default: 0 }, { name: "groups", default: 1 }, { name: "bias", default: true }, { name: "dilation", default: 1 }]
    : [{ name: "dilation", default: 1 }, { name: "groups", default: 1 }, { name: "bias", default: true }];
  return [...head, ...middle, { name: "padding_mode", default: "zeros" }, { name: "device", default: null }, { name: "dtype", default: null }];
}

/** Padding per axis on each side; 'same' pads d·(k − 1) in all, the smaller half on the left (`_ConvNd.__init__`). */
type ConvPadding = { readonly same: true } | { readonly same: false; readonly each: number[] };

function readPadding(args: Args, rank: Rank, transposed: boolean): ConvPadding | undefined {
  const raw = args.raw("padding");
  if (raw === undefined) return undefined;
  const tuple = rank === 1 ? "an integer" : `an integer or a tuple of ${rank} integers`;
  if (typeof raw === "string") {
    // PyTorch compares the strings as written: 'SAME' is refused.
    if (!transposed && raw === "same") return { same: true };
    if (!transposed && raw === "valid") return { same: false, each: Array<number>(rank).fill(0) };
    const allowed = transposed ? tuple : `'same', 'valid', ${tuple}`;
    args.problems.push({ id: "invalidPadding", argument: "padding", values: { allowed, value: pyRepr(raw) } });
    return undefined;
  }
  const each = args.intTuple("padding", rank, 0);
  return each && { same: false, each };
}

const PADDING_MODES = ["zeros", "reflect", "replicate", "circular"];

function readPaddingMode(args: Args, variant: Variant, problems: Problem[]): string | undefined {
  const mode = args.raw("padding_mode");
  if (mode === undefined) return undefined;
  if (typeof mode !== "string" || !PADDING_MODES.includes(mode)) {
    problems.push({
      id: "invalidArgument",
      argument: "padding_mode",
      values: { argument: "padding_mode", expected: "'zeros', 'reflect', 'replicate' or 'circular'", value: pyRepr(mode) },
    });
    return undefined;
  }
  if (variant.transposed && mode !== "zeros") {
    problems.push({
      id: "torchRefuses",
      argument: "padding_mode",
      values: { detail: `Only "zeros" padding mode is supported for ${classNameOf({ ...variant, lazy: false })}`, layer: args.layer, error: "ValueError" },
    });
    return undefined;
  }
  return mode;
}

/** Each side's padding on axis `i`: 'same' splits d·(k − 1) with the extra element on the right. */
function sides(padding: ConvPadding, window: AxisWindow): [number, number] {
  if (!padding.same) return [window.padding, window.padding];
  const total = window.dilation * (window.kernel - 1);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

/** The names ATen gives the axes of a transposed convolution's output_padding message (1-D runs as 2-D). */
const TRANSPOSE_AXES: Record<Rank, string[]> = { 1: ["height", "width"], 2: ["height", "width"], 3: ["depth", "height", "width"] };

/** ConvTranspose: on every axis output_padding must be below stride or below dilation (ATen raises on the forward). */
function outputPaddingProblem(args: Args, rank: Rank, outputPadding: number[], stride: number[], dilation: number[]): Problem | undefined {
  if (outputPadding.every((p, i) => p < stride[i] || p < dilation[i])) return undefined;
  // conv_transpose1d runs as a 2-D one of height 1.
  const lift = (values: number[], height: number) => (rank === 1 ? [height, ...values] : values);
  const names = TRANSPOSE_AXES[rank];
  const list = (what: string, values: number[]) => values.map((v, i) => `${what}_${names[i]}: ${v}`).join(" ");
  const detail =
    "output padding must be smaller than either stride or dilation, but got " +
    [list("output_padding", lift(outputPadding, 0)), list("stride", lift(stride, 1)), list("dilation", lift(dilation, 1))].join(" ");
  return { id: "torchRefuses", argument: "output_padding", values: { detail, layer: args.layer, error: "RuntimeError" } };
}

/**
 * padding='same': refused with a stride (`_ConvNd.__init__`); with zeros padding, an odd total d·(k − 1) on an axis
 * makes ATen pad a copy of the input and warn (Convolution.cpp).
 */
function samePaddingProblems(args: Args, rank: Rank, kernel?: number[], stride?: number[], dilation?: number[], paddingMode?: string): Problem[] {
  const problems: Problem[] = [];
  if (stride?.some((s) => s !== 1)) {
    const detail = "padding='same' is not supported for strided convolutions";
    problems.push({ id: "torchRefuses", argument: "padding", values: { detail, layer: args.layer, error: "ValueError" } });
  }
  if (kernel && dilation && paddingMode === "zeros") {
    const uneven = spatialNames(rank).filter((_, i) => (dilation[i] * (kernel[i] - 1)) % 2 === 1);
    const window = rank === 1 ? `${kernel[0]}` : `(${kernel.join(", ")})`;
    if (uneven.length) problems.push({ id: "torchSameEvenKernel", argument: "kernel_size", values: { window, axes: uneven.join(" and ") } });
  }
  return problems;
}

/** What the constructor's arguments give, read once. */
interface ConvArgs {
  readonly inChannels?: number;
  readonly outChannels?: number;
  readonly kernel?: number[];
  readonly stride?: number[];
  readonly dilation?: number[];
  readonly padding?: ConvPadding;
  readonly outputPadding?: number[];
  readonly groups?: number;
  readonly bias?: boolean;
  readonly paddingMode?: string;
}

function readConvArgs(args: Args, variant: Variant, problems: Problem[]): ConvArgs {
  const { rank, transposed, lazy } = variant;
  const inChannels = lazy ? undefined : args.int("in_channels");
  const outChannels = args.int("out_channels");
  const kernel = args.intTuple("kernel_size", rank);
  const stride = args.intTuple("stride", rank);
  const padding = readPadding(args, rank, transposed);
  const dilation = args.intTuple("dilation", rank);
  const outputPadding = transposed ? args.intTuple("output_padding", rank, 0) : undefined;
  const groups = args.int("groups");
  const bias = args.bool("bias");
  const paddingMode = readPaddingMode(args, variant, problems);
  // _ConvNd.__init__'s checks (the Lazy forms check in_channels when their input arrives).
  if (groups !== undefined) {
    if (inChannels !== undefined && inChannels % groups !== 0) {
      problems.push({ id: "groupsNotDividing", argument: "groups", values: { what: "in_channels", count: inChannels, groups } });
    }
    if (outChannels !== undefined && outChannels % groups !== 0) {
      problems.push({ id: "groupsNotDividing", argument: "groups", values: { what: "out_channels", count: outChannels, groups } });
    }
  }
  if (padding?.same) problems.push(...samePaddingProblems(args, rank, kernel, stride, dilation, paddingMode));
  if (outputPadding && stride && dilation) {
    const problem = outputPaddingProblem(args, rank, outputPadding, stride, dilation);
    if (problem) problems.push(problem);
  }
  return { inChannels, outChannels, kernel, stride, dilation, padding, outputPadding, groups, bias, paddingMode };
}

const divided = (count: number | undefined, groups: number | undefined) =>
  count !== undefined && groups !== undefined && count % groups === 0 ? count / groups : undefined;

/** The weight's shape for `inChannels` input channels (undefined: unknown), as `_ConvNd.__init__` makes it. */
function weightShape(c: ConvArgs, transposed: boolean, inChannels: number | undefined): (number | undefined)[] {
  const kernel = c.kernel ?? [undefined];
  return transposed ? [inChannels, divided(c.outChannels, c.groups), ...kernel] : [c.outChannels, divided(inChannels, c.groups), ...kernel];
}

function weightsFor(c: ConvArgs, transposed: boolean, inChannels: number | undefined): Weight[] {
  const biasWeights = c.bias === false ? [] : c.bias === undefined ? [{ name: "bias", trainable: true }] : [weight("bias", [c.outChannels])];
  return [weight("weight", weightShape(c, transposed, inChannels)), ...biasWeights];
}

/** `6·3·5·5 + 6 = 456`, the grouped factor written `(in/groups)`. */
function paramsFormula(c: ConvArgs, transposed: boolean, inChannels: number, weights: readonly Weight[]): Formula | undefined {
  if (!c.kernel || c.outChannels === undefined || c.groups === undefined || weights.some((w) => w.count === undefined)) return undefined;
  const grouped = (n: number) => (c.groups! > 1 ? `(${n}/${c.groups})` : `${n}`);
  const factors = transposed ? [inChannels, grouped(c.outChannels), ...c.kernel] : [c.outChannels, grouped(inChannels), ...c.kernel];
  const total = weights.reduce((sum, w) => sum + w.count!, 0n);
  const biasText = c.bias ? ` + ${c.outChannels}` : "";
  return { label: "params", text: `${factors.join("·")}${biasText} = ${withThousands(total)}` };
}

/** PyTorch's message for an input whose channels are not in_channels. */
function channelMessage(c: ConvArgs, transposed: boolean, inChannels: number, input: Shape, layout: Layout): string {
  const given = transposed ? "transposed=1" : `groups=${c.groups ?? "?"}`;
  const asBatch = layout.batched ? input : [1, ...input];
  const weightText = torchSize(weightShape(c, transposed, inChannels).map((d) => d ?? UNKNOWN));
  const actual = input[layout.channelAxis];
  return `Given ${given}, weight of size ${weightText}, expected input${torchSize(asBatch)} to have ${inChannels} channels, but got ${actual} channels instead`;
}

interface Spatial {
  readonly sizes: Dim[];
  readonly formulas: Formula[];
  readonly problems: Problem[];
}

/** The output's spatial sizes, PyTorch's size checks, and the padding modes' limits. */
function spatialSizes(layer: string, variant: Variant, c: ConvArgs, input: Shape, layout: Layout): Spatial {
  const { rank, transposed } = variant;
  const names = spatialNames(rank);
  const result: Spatial = { sizes: [], formulas: [], problems: [] };
  const small: SmallAxis[] = [];
  const inputs = input.slice(layout.firstSpatial);
  for (let i = 0; i < rank; i++) {
    const n = inputs[i];
    const { kernel, stride, dilation, padding } = c;
    const outputPadding = transposed ? c.outputPadding : [];
    if (!kernel || !stride || !dilation || !padding || !outputPadding) {
      result.sizes.push(unknownFrom(n));
      continue;
    }
    const window: AxisWindow = { kernel: kernel[i], stride: stride[i], dilation: dilation[i], padding: padding.same ? 0 : padding.each[i] };
    if (padding.same) {
      // Refused with a stride (reported with the arguments): then unknown.
      result.sizes.push(stride[i] === 1 ? n : unknownFrom(n));
      if (isKnown(n) && stride[i] === 1) result.formulas.push({ label: names[i], text: `${n} (padding='same')` });
    } else {
      const out = transposed ? transposedOutput(n, window, outputPadding[i]) : slidingOutput(n, window);
      if (out.formula) result.formulas.push({ label: names[i], text: out.formula });
      if (isKnown(out.dim) && out.dim <= 0) small.push({ axis: layout.firstSpatial + i, spatialIndex: i, value: out.dim, formula: out.formula ?? "" });
      result.sizes.push(isKnown(out.dim) && out.dim <= 0 ? UNKNOWN : out.dim);
    }
    const limit = paddingModeProblem(layer, variant, c.paddingMode, sides(padding, window), input, layout.firstSpatial + i, names[i]);
    if (limit) result.problems.push(limit);
  }
  if (small.length && c.kernel && c.stride && c.dilation && c.padding && !c.padding.same) {
    result.problems.push(outputTooSmall(layer, rank, small, tooSmallMessage(variant, c, inputs, result.sizes, small), "kernel_size"));
  }
  return result;
}

/** ATen's message for an output size ≤ 0 (the forward convolution: the dilated kernel exceeds the padded input). */
function tooSmallMessage(variant: Variant, c: ConvArgs, inputs: Shape, sizes: readonly Dim[], small: readonly SmallAxis[]): string {
  const padding = c.padding && !c.padding.same ? c.padding.each : [];
  if (variant.transposed) {
    const outs = sizes.map((d, i) => small.find((s) => s.spatialIndex === i)?.value ?? d);
    // conv_transpose1d runs as a 2-D one of height 1.
    const lift = (dims: readonly Dim[]) => (variant.rank === 1 ? [1, ...dims] : dims);
    return `Given input size per channel: ${sizesText(lift(inputs))}. Calculated output size per channel: ${sizesText(lift(outs))}. Output size is too small`;
  }
  const padded = inputs.map((n, i) => (isKnown(n) ? n + 2 * padding[i] : n));
  const kernels = c.kernel!.map((k, i) => effectiveWindow({ kernel: k, stride: 1, padding: 0, dilation: c.dilation![i] }));
  return `Calculated padded input size per channel: ${sizesText(padded)}. Kernel size: ${sizesText(kernels)}. Kernel size can't be greater than actual input size`;
}

/**
 * padding_mode 'reflect' and 'circular' pad the input with F.pad before convolving: reflection needs each side's
 * padding below the axis's size, circular at most the size (ATen's ReflectionPad.cpp and PadNd.cpp).
 */
function paddingModeProblem(layer: string, variant: Variant, mode: string | undefined, [left, right]: [number, number], input: Shape, axis: number, name: string): Problem | undefined {
  const n = input[axis];
  if (!isKnown(n) || (mode !== "reflect" && mode !== "circular")) return undefined;
  const limit = mode === "reflect" ? n - 1 : n;
  if (left <= limit && right <= limit) return undefined;
  const torch =
    mode === "reflect"
      ? reflectionMessage(input, axis, variant.rank, left, right)
      : "Padding value causes wrapping around more than once.";
  return {
    id: "torchPaddingTooLarge",
    argument: "padding",
    values: { layer, axis: name, size: n, padding: left === right ? `${left}` : `(${left}, ${right})`, mode, limit: `at most ${limit}`, torch },
  };
}

function convSpec(variant: Variant): LayerSpec {
  const { rank, transposed, lazy } = variant;
  const name = `torch.nn.${classNameOf(variant)}`;
  const what = transposed ? `${rank}-D transposed convolution` : `${rank}-D convolution`;
  return {
    name,
    summary: lazy
      ? `${what} whose in_channels is taken from its first input: slides out_channels learned windows of size kernel_size over it.`
      : `${what}: slides out_channels learned windows of size kernel_size over an input of in_channels channels.`,
    params: convParams(variant),
    closedKeywords: true,
    cost: transposed ? transposeCost(rank) : forwardCost(rank),
    infer(args: Args, input: Shape | undefined): LayerResult {
      const problems: Problem[] = [];
      const c = readConvArgs(args, variant, problems);
      const formulas: Formula[] = [];
      const finish = (output: Shape | undefined, weights: Weight[]): LayerResult => ({ output, weights, formulas, problems: [...args.problems, ...problems] });
      // The Lazy forms have no weights to count until an input gives in_channels.
      const declared = lazy ? undefined : c.inChannels;
      if (!input) return finish(undefined, weightsFor(c, transposed, declared));
      const layout = layoutOf(input, rank);
      if (!layout) {
        problems.push(wrongRankProblem(name, input, rank));
        return finish(undefined, weightsFor(c, transposed, declared));
      }
      const actual = input[layout.channelAxis];
      const inChannels = lazy ? (isKnown(actual) ? actual : undefined) : c.inChannels;
      if (lazy && inChannels !== undefined && c.groups !== undefined && inChannels % c.groups !== 0) {
        problems.push({ id: "groupsNotDividing", argument: "groups", values: { what: "in_channels", count: inChannels, groups: c.groups } });
      }
      if (!lazy && inChannels !== undefined && isKnown(actual) && actual !== inChannels) {
        problems.push({
          id: "torchChannelMismatch",
          argument: "in_channels",
          values: { layer: name, expected: inChannels, actual, shape: formatShape(input), torch: channelMessage(c, transposed, inChannels, input, layout) },
        });
      }
      const spatial = spatialSizes(name, variant, c, input, layout);
      formulas.push(...spatial.formulas);
      problems.push(...spatial.problems);
      const weights = weightsFor(c, transposed, inChannels);
      const params = inChannels === undefined ? undefined : paramsFormula(c, transposed, inChannels, weights);
      if (params) formulas.push(params);
      const channels = c.outChannels ?? UNKNOWN;
      return finish(layout.batched ? [input[0], channels, ...spatial.sizes] : [channels, ...spatial.sizes], weights);
    },
  };
}

/** The spatial axes of `shape` (batched or not), as a factor. */
function positions(shape: Shape | undefined, rank: Rank) {
  const layout = shape && layoutOf(shape, rank);
  return layout ? factor(shape.slice(layout.firstSpatial)) : undefined;
}

const weightOf = (layer: CostInput) => layer.weights.find((w) => w.name === "weight")?.shape;

/** Each output position multiplies one group's whole kernel: (in / groups)·∏k, for each output channel. */
function forwardCost(rank: Rank): CostRule {
  return (layer) => {
    const shape = weightOf(layer);
    return product([positions(layer.output, rank), shape && factor(shape.slice(1)), shape && factor(shape.slice(0, 1))]);
  };
}

/** Each input position is scattered through its group's kernels: in·∏k, times out / groups. */
function transposeCost(rank: Rank): CostRule {
  return (layer) => {
    const shape = weightOf(layer);
    return product([positions(layer.input, rank), shape && factor([shape[0], ...shape.slice(2)]), shape && factor([shape[1]])]);
  };
}

export const torchConvolutionModules: readonly LayerSpec[] = [false, true].flatMap((lazy) =>
  [false, true].flatMap((transposed) => ranks.map((rank) => convSpec({ rank, transposed, lazy }))),
);
