/**
 * Convolution layers: Conv1D/2D/3D (Keras's BaseConv), Conv1D/2D/3DTranspose
 * (BaseConvTranspose), SeparableConv1D/2D (BaseSeparableConv) and
 * DepthwiseConv1D/2D (BaseDepthwiseConv). One shared skeleton reads the window
 * arguments, checks the rank, finds the input channels and places the new channel
 * axis; each kind supplies its spatial rule, output channels and weights.
 *
 * Shape rule, per spatial axis:
 * - Conv, Separable, Depthwise (`compute_conv_output_shape`): 'valid' gives
 *   ⌊(n − (d·(k−1)+1)) / s⌋ + 1, 'same' (and 'causal', Conv1D only) gives ⌈n / s⌉.
 * - Transpose (`compute_conv_transpose_output_shape`, backend_utils.py), with
 *   k' = d·(k−1)+1: 'valid' gives (n−1)·s + k' + p where p = output_padding, or
 *   max(k', s) − k' when output_padding is None; 'same' gives n·s without
 *   output_padding, else (n−1)·s + (k' mod 2) + p.
 * Channels: Conv / Transpose / Separable → `filters`; Depthwise → C_in·depth_multiplier.
 * Weights:
 * - Conv: kernel k₁·…·kᵣ·(C_in / groups)·filters, bias filters.
 * - Transpose: kernel k₁·…·kᵣ·filters·C_in, bias filters.
 * - Separable: depthwise_kernel k₁·…·kᵣ·C_in·m, pointwise_kernel 1·…·1·(C_in·m)·filters, bias filters.
 * - Depthwise: kernel k₁·…·kᵣ·C_in·m, bias C_in·m.
 * All of them reject strides > 1 together with dilation_rate > 1.
 * MACs per sample (dilation changes none of them):
 * - Conv: out positions · k₁·…·kᵣ·(C_in / groups) · filters.
 * - Transpose: in positions · k₁·…·kᵣ·C_in · filters (each input value scattered through the kernel).
 * - Separable: out positions · k₁·…·kᵣ·C_in·m (depthwise) + out positions · (C_in·m)·filters (pointwise).
 * - Depthwise: out positions · k₁·…·kᵣ·C_in·m.
 */
import { Args, DataFormat } from "../args";
import { Dim, Shape, UNKNOWN, isKnown } from "../shape";
import { Formula, LayerResult, LayerSpec, ParamDecl, Problem, Weight } from "../spec";
import {
  DimResult,
  Padding,
  adapterParams,
  channelIndex,
  effectiveKernel,
  rankProblem,
  slideWindows,
  spatialExample,
  spatialNames,
  unknownFrom,
  weight,
  weightOptions,
  withAdapters,
} from "../math";
import { withThousands } from "../format";
import { PyValue } from "../values";
import { CostInput, CostRule, Factor, factor, product, sum } from "../cost";

type Rank = 1 | 2 | 3;

/** Keras's `strides=1` for 1-D layers, `(1, 1)` / `(1, 1, 1)` where the subclass writes a tuple. */
function ones(rank: Rank, asTuple: boolean): PyValue {
  return asTuple && rank > 1 ? { tuple: Array<number>(rank).fill(1) } : 1;
}

const convParams: ParamDecl[] = [
  { name: "filters" },
  { name: "kernel_size" },
  { name: "strides", default: 1 },
  { name: "padding", default: "valid" },
  { name: "data_format", default: null },
  { name: "dilation_rate", default: 1 },
  { name: "groups", default: 1 },
  { name: "activation", default: null },
  { name: "use_bias", default: true },
  ...weightOptions(["kernel"]),
];

/** Conv1DTranspose takes output_padding positionally; Conv2D/3DTranspose only through **kwargs. */
function transposeParams(rank: Rank): ParamDecl[] {
  const outputPadding: ParamDecl = { name: "output_padding", default: null };
  const head: ParamDecl[] = [
    { name: "filters" },
    { name: "kernel_size" },
    { name: "strides", default: ones(rank, true) },
    { name: "padding", default: "valid" },
  ];
  const tail: ParamDecl[] = [
    { name: "data_format", default: null },
    { name: "dilation_rate", default: ones(rank, true) },
    { name: "activation", default: null },
    { name: "use_bias", default: true },
    ...weightOptions(["kernel"]),
  ];
  return rank === 1 ? [...head, outputPadding, ...tail] : [...head, ...tail, outputPadding];
}

function separableParams(rank: Rank): ParamDecl[] {
  return [
    { name: "filters" },
    { name: "kernel_size" },
    { name: "strides", default: ones(rank, true) },
    { name: "padding", default: "valid" },
    { name: "data_format", default: null },
    { name: "dilation_rate", default: ones(rank, true) },
    { name: "depth_multiplier", default: 1 },
    { name: "activation", default: null },
    { name: "use_bias", default: true },
    ...weightOptions(["depthwise", "pointwise"]),
  ];
}

function depthwiseParams(rank: Rank): ParamDecl[] {
  return [
    { name: "kernel_size" },
    { name: "strides", default: ones(rank, true) },
    { name: "padding", default: "valid" },
    { name: "depth_multiplier", default: 1 },
    { name: "data_format", default: null },
    { name: "dilation_rate", default: ones(rank, true) },
    { name: "activation", default: null },
    { name: "use_bias", default: true },
    ...weightOptions(["depthwise"]),
  ];
}

/** The sliding-window arguments every convolution has, as Keras standardizes them. */
interface ConvWindow {
  readonly kernel?: number[];
  readonly strides?: number[];
  readonly dilation?: number[];
  readonly padding?: Padding;
}

/** Reads kernel_size, strides, dilation_rate, padding; Keras rejects strides > 1 with dilation_rate > 1. */
function readWindow(args: Args, rank: Rank, allowCausal: boolean, problems: Problem[]): ConvWindow {
  const kernel = args.intTuple("kernel_size", rank);
  const strides = args.intTuple("strides", rank);
  const dilation = args.intTuple("dilation_rate", rank);
  const padding = args.padding(allowCausal);
  if (strides && dilation && Math.max(...strides) > 1 && Math.max(...dilation) > 1) {
    problems.push({
      id: "stridesWithDilation",
      argument: "strides",
      values: { strides: `(${strides.join(", ")})`, dilation: `(${dilation.join(", ")})` },
    });
  }
  return { kernel, strides, dilation, padding };
}

interface Spatial {
  readonly spatial: Dim[];
  readonly formulas: Formula[];
  readonly problems: Problem[];
}

/** The forward rule (`compute_conv_output_shape`). An unknown dilation leaves every size unknown. */
function forwardSpatial(name: string, input: Shape, rank: Rank, format: DataFormat, w: ConvWindow): Spatial {
  const window = { size: w.dilation ? w.kernel : undefined, strides: w.strides, padding: w.padding, dilation: w.dilation };
  return slideWindows(name, input, rank, format, window, "kernel_size");
}

/** One axis of `compute_conv_transpose_output_shape`; `outputPadding` null is Keras's None. */
export function transposeOutput(input: Dim, kernel: number, stride: number, padding: "valid" | "same", outputPadding: number | null, dilation = 1): DimResult {
  if (!isKnown(input)) return { dim: input };
  const k = effectiveKernel(kernel, dilation);
  const kText = dilation === 1 ? `${kernel}` : `(${dilation}·(${kernel} − 1) + 1)`;
  const base = stride === 1 ? `${input} − 1` : `(${input} − 1)·${stride}`;
  if (padding === "valid") {
    if (outputPadding === null) {
      const out = (input - 1) * stride + Math.max(k, stride);
      return { dim: out, formula: k >= stride ? `${base} + ${kText} = ${out}` : `${input}·${stride} = ${out}` };
    }
    const out = (input - 1) * stride + k + outputPadding;
    return { dim: out, formula: `${base} + ${kText} + ${outputPadding} = ${out}` };
  }
  if (outputPadding === null) {
    const out = input * stride;
    return { dim: out, formula: stride === 1 ? `${input} = ${out}` : `${input}·${stride} = ${out}` };
  }
  const out = (input - 1) * stride + (k % 2) + outputPadding;
  return { dim: out, formula: `${base} + ${kText} mod 2 + ${outputPadding} = ${out}` };
}

/** The transpose rule over every spatial axis; a size that comes out ≤ 0 is reported on kernel_size. */
function transposeSpatial(
  name: string,
  input: Shape,
  rank: Rank,
  format: DataFormat,
  w: ConvWindow,
  outputPadding: number[] | null | undefined,
): Spatial {
  const first = format === "channels_first" ? 2 : 1;
  const names = spatialNames(rank);
  const out: Spatial = { spatial: [], formulas: [], problems: [] };
  for (let i = 0; i < rank; i++) {
    const n = input[first + i];
    if (!w.kernel || !w.strides || !w.dilation || !w.padding || w.padding === "causal" || outputPadding === undefined) {
      out.spatial.push(unknownFrom(n));
      continue;
    }
    const r = transposeOutput(n, w.kernel[i], w.strides[i], w.padding, outputPadding?.[i] ?? null, w.dilation[i]);
    if (r.formula) out.formulas.push({ label: names[i], text: r.formula });
    if (isKnown(r.dim) && r.dim <= 0) {
      out.problems.push({
        id: "nonPositiveDimension",
        argument: "kernel_size",
        axis: first + i,
        values: { layer: name, axis: names[i], value: r.dim, formula: r.formula ?? "", history: "" },
      });
      out.spatial.push(UNKNOWN);
    } else out.spatial.push(r.dim);
  }
  return out;
}

/** What distinguishes one kind of convolution, given the input channels (undefined when unknown). */
interface ConvKind {
  readonly spatial: (input: Shape, format: DataFormat) => Spatial;
  readonly outChannels: (inChannels: Dim) => Dim;
  /** Weights for known or unknown input channels (an unknown size makes that weight unknown). */
  readonly weights: (inChannels: number | undefined) => Weight[];
  /** The "params" formula once every weight is known. */
  readonly paramsFormula?: (inChannels: number, total: bigint) => string | undefined;
  /** Extra formulas (e.g. the output channels), given the input channels. */
  readonly channelFormula?: (inChannels: Dim) => Formula | undefined;
  /** Checks that need the input channels (Conv's groups). */
  readonly channelProblems?: (inChannels: Dim) => Problem[];
  /** LoRA / DoRA adapters (BaseConv only). */
  readonly adapters?: boolean;
}

function total(weights: readonly Weight[]): bigint | undefined {
  return weights.every((w) => w.count !== undefined) ? weights.reduce((a, w) => a + (w.count ?? 0n), 0n) : undefined;
}

/** The shared skeleton: rank check, input channels, spatial sizes, channel axis, weights. */
function inferConv(name: string, rank: Rank, args: Args, input: Shape | undefined, kind: ConvKind, problems: Problem[]): LayerResult {
  const format = args.dataFormat();
  const formulas: Formula[] = [];
  const finish = (output: Shape | undefined, weights: Weight[]): LayerResult => ({
    output,
    weights,
    formulas,
    problems: [...args.problems, ...problems],
  });
  // Without a usable input the kernel's depth is unknown, so its size is too.
  const unknownWeights = kind.weights(undefined);
  if (!input) return finish(undefined, unknownWeights);
  const wrongRank = rankProblem(name, input, rank + 2, spatialExample(rank));
  if (wrongRank) {
    problems.push(wrongRank);
    return finish(undefined, unknownWeights);
  }
  const inChannels: Dim = format ? input[channelIndex(format, rank + 2)] : UNKNOWN;
  problems.push(...(kind.channelProblems?.(inChannels) ?? []));
  if (!format) return finish(input.map((d, i) => (i === 0 ? d : unknownFrom(d))), unknownWeights);

  const slid = kind.spatial(input, format);
  formulas.push(...slid.formulas);
  problems.push(...slid.problems);
  const channels = kind.outChannels(inChannels);
  const channelFormula = kind.channelFormula?.(inChannels);
  if (channelFormula) formulas.push(channelFormula);
  const output: Dim[] = format === "channels_first" ? [input[0], channels, ...slid.spatial] : [input[0], ...slid.spatial, channels];

  const weights = kind.weights(isKnown(inChannels) ? inChannels : undefined);
  if (kind.adapters) {
    const adapted = withAdapters(args, weights);
    if (adapted) return finish(output, adapted);
  }
  const sum = total(weights);
  if (sum !== undefined && isKnown(inChannels)) {
    const text = kind.paramsFormula?.(inChannels, sum);
    if (text) formulas.push({ label: "params", text });
  }
  return finish(output, weights);
}

/** A bias of `size`, absent with use_bias=False, unknown when use_bias itself is invalid. */
function bias(useBias: boolean | undefined, size: number | undefined): Weight[] {
  if (useBias === false) return [];
  return useBias === undefined ? [{ name: "bias", trainable: true }] : [weight("bias", [size])];
}

const known = (...values: (number | undefined)[]): boolean => values.every((v) => v !== undefined);

/** Parameter formula such as `(8·8·3 + 1)·20 = 3,860`, grouped when groups > 1. */
function paramFormula(kernel: number[], inChannels: number, groups: number, filters: number, useBias: boolean, sum: bigint): string {
  const perFilter = [...kernel, groups > 1 ? `(${inChannels}/${groups})` : inChannels].join("·");
  const body = useBias ? `(${perFilter} + 1)·${filters}` : `${perFilter}·${filters}`;
  return `${body} = ${withThousands(sum)}`;
}

/** The spatial axes of a convolution's input or output, in its data format. */
function spatialAxes(shape: Shape | undefined, rank: Rank, args: Args): Factor | undefined {
  const format = args.dataFormat();
  if (!shape || !format || shape.length !== rank + 2) return undefined;
  return factor(format === "channels_first" ? shape.slice(2) : shape.slice(1, rank + 1));
}

/** A weight's shape cut in two factors at `at` (the window and input channels · the output channels). */
function kernelFactors(w: Weight | undefined, at: number): [Factor | undefined, Factor | undefined] {
  if (!w?.shape) return [undefined, undefined];
  return [factor(w.shape.slice(0, at)), factor(w.shape.slice(at))];
}

const findWeight = (layer: CostInput, name: string) => layer.weights.find((w) => w.name === name);

/** Conv and Depthwise: each output position multiplies the whole kernel (C_in / groups deep) once. */
function forwardCost(rank: Rank): CostRule {
  return (layer) => product([spatialAxes(layer.output, rank, layer.args), ...kernelFactors(findWeight(layer, "kernel"), rank + 1)]);
}

/** Transpose: each input position is scattered through the whole kernel. */
function transposeCost(rank: Rank): CostRule {
  return (layer) => {
    const kernel = findWeight(layer, "kernel")?.shape;
    // The kernel is k…·filters·C_in; written as k…·C_in · filters, as the forward convolution reads.
    const window = kernel && factor([...kernel.slice(0, rank), kernel[rank + 1]]);
    return product([spatialAxes(layer.input, rank, layer.args), window, kernel && factor([kernel[rank]])]);
  };
}

function separableCost(rank: Rank): CostRule {
  return (layer) => {
    const positions = spatialAxes(layer.output, rank, layer.args);
    const depthwise = product([positions, ...kernelFactors(findWeight(layer, "depthwise_kernel"), rank + 1)]);
    const pointwise = product([positions, ...kernelFactors(findWeight(layer, "pointwise_kernel"), rank + 1).map((f) => f && { ...f, text: f.text.replace(/^(1·)+/, "") })]);
    return sum([{ label: "depthwise", cost: depthwise }, { label: "pointwise", cost: pointwise }]);
  };
}

function convSpec(rank: Rank): LayerSpec {
  const name = `Conv${rank}D`;
  return {
    name,
    aliases: [`Convolution${rank}D`],
    summary: `${rank}-D convolution: slides \`filters\` learned windows of size \`kernel_size\` over the input.`,
    params: [...convParams, ...adapterParams],
    spatialRank: rank,
    cost: forwardCost(rank),
    infer(args: Args, input: Shape | undefined): LayerResult {
      const filters = args.int("filters");
      const problems: Problem[] = [];
      const w = readWindow(args, rank, rank === 1, problems);
      const groups = args.int("groups");
      const useBias = args.bool("use_bias");
      if (filters !== undefined && groups !== undefined && filters % groups !== 0) {
        problems.push({ id: "groupsNotDividing", argument: "groups", values: { what: "filters", count: filters, groups } });
      }
      const perGroup = (c: number | undefined) => (c !== undefined && groups !== undefined && c % groups === 0 ? c / groups : undefined);
      return inferConv(name, rank, args, input, {
        spatial: (x, format) => forwardSpatial(name, x, rank, format, w),
        outChannels: () => filters ?? UNKNOWN,
        weights: (c) => [weight("kernel", [...(w.kernel ?? [undefined]), perGroup(c), filters]), ...bias(useBias, filters)],
        channelProblems: (c) =>
          isKnown(c) && groups !== undefined && c % groups !== 0
            ? [{ id: "groupsNotDividing", argument: "groups", values: { what: "input channels", count: c, groups } }]
            : [],
        paramsFormula: (c, sum) =>
          w.kernel && groups && filters ? paramFormula(w.kernel, c, groups, filters, useBias !== false, sum) : undefined,
        adapters: true,
      }, problems);
    },
  };
}

/** Keras: `output_padding` must be < `strides` on every axis. */
function readOutputPadding(args: Args, rank: Rank, strides: number[] | undefined): number[] | null | undefined {
  if (args.raw("output_padding") === null) return null;
  const padding = args.intTuple("output_padding", rank, 0);
  if (!padding) return undefined;
  if (strides && padding.some((p, i) => p >= strides[i])) {
    args.problems.push({
      id: "invalidArgument",
      argument: "output_padding",
      values: {
        argument: "output_padding",
        expected: `smaller than strides (${strides.join(", ")}) on every axis`,
        value: `(${padding.join(", ")})`,
      },
    });
    return undefined;
  }
  return padding;
}

function transposeSpec(rank: Rank): LayerSpec {
  const name = `Conv${rank}DTranspose`;
  return {
    name,
    aliases: [`Convolution${rank}DTranspose`],
    summary: `${rank}-D transposed convolution: the reverse of Conv${rank}D's shape map, growing each spatial axis by \`strides\`, with \`filters\` output channels.`,
    params: transposeParams(rank),
    spatialRank: rank,
    cost: transposeCost(rank),
    infer(args: Args, input: Shape | undefined): LayerResult {
      const filters = args.int("filters");
      const problems: Problem[] = [];
      const w = readWindow(args, rank, false, problems);
      const outputPadding = readOutputPadding(args, rank, w.strides);
      const useBias = args.bool("use_bias");
      return inferConv(name, rank, args, input, {
        spatial: (x, format) => transposeSpatial(name, x, rank, format, w, outputPadding),
        outChannels: () => filters ?? UNKNOWN,
        weights: (c) => [weight("kernel", [...(w.kernel ?? [undefined]), filters, c]), ...bias(useBias, filters)],
        paramsFormula: (c, sum) => (w.kernel && filters ? paramFormula(w.kernel, c, 1, filters, useBias !== false, sum) : undefined),
      }, problems);
    },
  };
}

function separableSpec(rank: 1 | 2): LayerSpec {
  const name = `SeparableConv${rank}D`;
  return {
    name,
    aliases: [`SeparableConvolution${rank}D`],
    summary: `${rank}-D separable convolution: a depthwise convolution per input channel (\`depth_multiplier\` outputs each), then a 1×1 convolution to \`filters\` channels.`,
    params: separableParams(rank),
    spatialRank: rank,
    cost: separableCost(rank),
    infer(args: Args, input: Shape | undefined): LayerResult {
      const filters = args.int("filters");
      const problems: Problem[] = [];
      const w = readWindow(args, rank, false, problems);
      const multiplier = args.int("depth_multiplier");
      const useBias = args.bool("use_bias");
      const middle = (c: number | undefined) => (known(c, multiplier) ? c! * multiplier! : undefined);
      return inferConv(name, rank, args, input, {
        spatial: (x, format) => forwardSpatial(name, x, rank, format, w),
        outChannels: () => filters ?? UNKNOWN,
        weights: (c) => [
          weight("depthwise_kernel", [...(w.kernel ?? [undefined]), c, multiplier]),
          weight("pointwise_kernel", [...Array<number>(rank).fill(1), middle(c), filters]),
          ...bias(useBias, filters),
        ],
        paramsFormula: (c, sum) => {
          if (!w.kernel || !known(multiplier, filters)) return undefined;
          const depthwise = `${[...w.kernel, c, multiplier].join("·")} (depthwise)`;
          const pointwise = `${[...Array<number>(rank).fill(1), `(${c}·${multiplier})`, filters].join("·")} (pointwise)`;
          const biasText = useBias !== false ? ` + ${filters} (bias)` : "";
          return `${depthwise} + ${pointwise}${biasText} = ${withThousands(sum)}`;
        },
      }, problems);
    },
  };
}

function depthwiseSpec(rank: 1 | 2): LayerSpec {
  const name = `DepthwiseConv${rank}D`;
  return {
    name,
    summary: `${rank}-D depthwise convolution: convolves each input channel separately with \`depth_multiplier\` windows, giving channels × depth_multiplier outputs.`,
    params: depthwiseParams(rank),
    spatialRank: rank,
    cost: forwardCost(rank),
    infer(args: Args, input: Shape | undefined): LayerResult {
      const problems: Problem[] = [];
      const multiplier = args.int("depth_multiplier");
      const w = readWindow(args, rank, false, problems);
      const useBias = args.bool("use_bias");
      const outOf = (c: number | undefined) => (known(c, multiplier) ? c! * multiplier! : undefined);
      return inferConv(name, rank, args, input, {
        spatial: (x, format) => forwardSpatial(name, x, rank, format, w),
        outChannels: (c) => (isKnown(c) ? (multiplier === undefined ? UNKNOWN : c * multiplier) : c),
        channelFormula: (c) =>
          isKnown(c) && multiplier !== undefined ? { label: "channels", text: `${c}·${multiplier} = ${c * multiplier}` } : undefined,
        weights: (c) => [weight("kernel", [...(w.kernel ?? [undefined]), c, multiplier]), ...bias(useBias, outOf(c))],
        paramsFormula: (c, sum) => {
          if (!w.kernel || multiplier === undefined) return undefined;
          const k = w.kernel.join("·");
          const body = useBias !== false ? `(${k} + 1)·(${c}·${multiplier})` : `${k}·${c}·${multiplier}`;
          return `${body} = ${withThousands(sum)}`;
        },
      }, problems);
    },
  };
}

const ranks = [1, 2, 3] as const;

export const convolutionLayers: LayerSpec[] = [
  ...ranks.map(convSpec),
  ...ranks.map(transposeSpec),
  separableSpec(1),
  separableSpec(2),
  depthwiseSpec(1),
  depthwiseSpec(2),
];
