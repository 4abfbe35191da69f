/**
 * PyTorch's pooling modules, as torch/nn/modules/pooling.py builds them and ATen's Pool.h sizes their output:
 * `MaxPool1d/2d/3d`, `AvgPool1d/2d/3d`, `LPPool1d/2d/3d` (an average pool of x^p, padding 0),
 * `AdaptiveAvgPool1d/2d/3d`, `AdaptiveMaxPool1d/2d/3d` and `MaxUnpool1d/2d/3d`.
 *
 * - Windowed pools: per spatial axis `pooling_output_shape` (window.ts), `stride=None` meaning kernel_size, each
 *   side's padding at most half the window (`paddingBound` says which window). With return_indices the module
 *   returns (output, indices), the indices shaped as the output. LPPool is F.lp_pool*d: an average pool (AvgPool3d's
 *   own input check included) whose result is multiplied by the kernel's size and raised to 1/norm_type.
 * - Adaptive pools: the output size given per axis, None keeping the input's. An average pool to 1 on every axis is
 *   a mean over the last axes, which takes any input with enough of them (ATen's adaptive_avg_pool2d/3d).
 * - MaxUnpool: (n − 1)·s − 2·p + k per axis (`_unpool_output_size` in torch/nn/functional.py), without an
 *   output_size given to the forward; an axis of 0 is an empty output, a negative one an error.
 * - Inputs batched `(N, C, *)` or unbatched `(C, *)`; no weights.
 * - Cost, by the convention: one per window element for each output element (an adaptive window's size varies:
 *   its elements are summed per axis).
 */
import { Args } from "../../args";
import { CostRule, Factor, factor, product } from "../../cost";
import { spatialNames, unknownFrom } from "../../math";
import { Dim, Shape, UNKNOWN, formatDim, isKnown } from "../../shape";
import { Formula, LayerResult, LayerSpec, ParamDecl, Problem } from "../../spec";
import { isInt, isSequence, items, pyRepr } from "../../values";
import {
  AxisWindow,
  Rank,
  SmallAxis,
  effectiveWindow,
  layoutOf,
  outputTooSmall,
  ranks,
  sizesText,
  slidingOutput,
  wrongRankProblem,
} from "./window";

/** The window arguments of a windowed pool, once read (undefined where an argument is invalid or unknown). */
interface PoolWindow {
  readonly kernel?: number[];
  readonly stride?: number[];
  readonly padding?: number[];
  readonly dilation?: number[];
  readonly ceilMode?: boolean;
}

function readWindow(args: Args, rank: Rank, options: { padding: boolean; dilation: boolean; minStride?: number }): PoolWindow {
  const kernel = args.intTuple("kernel_size", rank);
  // stride=None (the default) is kernel_size.
  const stride = args.has("stride") ? args.intTuple("stride", rank, options.minStride) : kernel;
  const padding = options.padding ? args.intTuple("padding", rank, 0) : Array<number>(rank).fill(0);
  const dilation = options.dilation ? args.intTuple("dilation", rank) : Array<number>(rank).fill(1);
  return { kernel, stride, padding, dilation, ceilMode: args.bool("ceil_mode") };
}

interface PoolKind {
  readonly family: "Max" | "Avg" | "LP";
  readonly rank: Rank;
}

/**
 * The window whose half bounds each side's padding in current PyTorch, checked on the forward whatever the input:
 * - "dilated", d·(k − 1) + 1: Pool.h's pooling_output_shape, which every pool runs first; it is the only bound of
 *   MaxPool2d (pool2d_shape_check compares the same dilated window), and of MaxPool1d with return_indices, which
 *   runs as a 2-D pool of height 1;
 * - "kernel", the kernel alone: MaxPool1d without indices (MaxPooling.cpp's check_max_pool1d, before anything
 *   else) and MaxPool3d (pool3d_shape_check compares kT / 2, dilation aside). AvgPool and LPPool have no dilation,
 *   so both bounds are one.
 * An unknown return_indices leaves MaxPool1d the looser bound: only a padding both refuse is reported.
 */
function paddingBound({ family, rank }: PoolKind, returnIndices: boolean | undefined): "dilated" | "kernel" {
  if (family !== "Max" || rank === 2) return "dilated";
  if (rank === 3) return "kernel";
  return returnIndices === false ? "kernel" : "dilated";
}

/** PyTorch's message for the first check a padding fails, as `paddingBound` orders them. */
function paddingMessage(kind: PoolKind, returnIndices: boolean | undefined, w: PoolWindow, axis: AxisWindow): string {
  const overDilated = axis.padding > Math.floor(effectiveWindow(axis) / 2);
  if (kind.family === "Max" && kind.rank === 1 && returnIndices === false) {
    return `max_pool1d() padding should be at most half of kernel size, but got padding=${axis.padding} and kernel_size=${axis.kernel}`;
  }
  if (overDilated || kind.rank !== 3) {
    return `pad should be at most half of effective kernel size, but got pad=${axis.padding}, kernel_size=${axis.kernel} and dilation=${axis.dilation}`;
  }
  // pool3d_shape_check prints every axis, W before H.
  const [pT, pH, pW] = w.padding!;
  const [eT, eH, eW] = w.kernel!.map((kernel, i) => effectiveWindow({ kernel, stride: 1, padding: 0, dilation: w.dilation![i] }));
  return `pad should be smaller than or equal to half of effective kernel size, but got padT: ${pT} padW: ${pW} padH: ${pH} effectiveKT: ${eT} effectiveKW: ${eW} effectiveKH: ${eH}`;
}

function paddingProblems(layer: string, kind: PoolKind, returnIndices: boolean | undefined, w: PoolWindow): Problem[] {
  if (!w.kernel || !w.padding || !w.dilation) return [];
  const names = spatialNames(kind.rank);
  const bound = paddingBound(kind, returnIndices);
  const problems: Problem[] = [];
  w.kernel.forEach((kernel, i) => {
    const axis: AxisWindow = { kernel, stride: 1, padding: w.padding![i], dilation: w.dilation![i] };
    const extent = bound === "dilated" ? effectiveWindow(axis) : kernel;
    const half = Math.floor(extent / 2);
    if (axis.padding <= half) return;
    const window = axis.dilation === 1 ? `${kernel}` : bound === "dilated" ? `${axis.dilation}·(${kernel} − 1) + 1 = ${extent}` : `the kernel ${kernel}, dilation aside`;
    problems.push({
      id: "torchPoolPadding",
      argument: "padding",
      values: { layer, padding: axis.padding, axis: names[i], window, half, torch: paddingMessage(kind, returnIndices, w, axis) },
    });
  });
  return problems;
}

/**
 * AvgPool3d's own check (ATen's pool3d_shape_check with check_input_size), LPPool3d's too: the input itself, padding
 * aside, must be at least the window on every axis, even where ceil_mode would still place a window.
 */
function inputBelowKernel(layer: string, kernel: number[], sizes: Shape): Problem | undefined {
  if (!sizes.every(isKnown) || sizes.every((n, i) => (n as number) >= kernel[i])) return undefined;
  const [t, h, w] = sizes;
  const [kT, kH, kW] = kernel;
  const detail = `input image (T: ${t} H: ${h} W: ${w}) smaller than kernel size (kT: ${kT} kH: ${kH} kW: ${kW})`;
  return { id: "torchRefuses", argument: "kernel_size", values: { detail, layer, error: "RuntimeError" } };
}

/**
 * What F.lp_pool*d refuses beyond its average pool: it raises the result to 1 / float(norm_type), and lp_pool1d
 * multiplies it by kernel_size itself, an int there (a tuple or list is no multiplier).
 */
function lpProblems(args: Args, rank: Rank, layer: string): Problem[] {
  const problems: Problem[] = [];
  if (args.float("norm_type") === 0) {
    problems.push({ id: "torchRefuses", argument: "norm_type", values: { detail: "float division by zero", layer, error: "ZeroDivisionError" } });
  }
  const kernel = args.raw("kernel_size");
  if (rank === 1 && kernel !== undefined && isSequence(kernel)) {
    const type = Array.isArray(kernel) ? "list" : "tuple";
    const detail = `mul(): argument 'other' (position 1) must be Tensor, not ${type}`;
    problems.push({ id: "torchRefuses", argument: "kernel_size", values: { detail, layer, error: "TypeError" } });
  }
  return problems;
}

function windowedParams({ family, rank }: PoolKind): ParamDecl[] {
  if (family === "LP") return [{ name: "norm_type" }, { name: "kernel_size" }, { name: "stride", default: null }, { name: "ceil_mode", default: false }];
  const head: ParamDecl[] = [{ name: "kernel_size" }, { name: "stride", default: null }, { name: "padding", default: 0 }];
  if (family === "Max") return [...head, { name: "dilation", default: 1 }, { name: "return_indices", default: false }, { name: "ceil_mode", default: false }];
  const average: ParamDecl[] = [...head, { name: "ceil_mode", default: false }, { name: "count_include_pad", default: true }];
  return rank === 1 ? average : [...average, { name: "divisor_override", default: null }];
}

/** One per window element for each output element (the batch axis excluded). */
function windowedCost(rank: Rank): CostRule {
  return ({ args, output }) => {
    const kernel = args.intTuple("kernel_size", rank);
    const layout = output && layoutOf(output, rank);
    const perSample = layout && (layout.batched ? output.slice(1) : output);
    return product([perSample && factor(perSample), kernel && factor(kernel)], "one per window element");
  };
}

function windowedSpec(kind: PoolKind): LayerSpec {
  const { family, rank } = kind;
  const name = `torch.nn.${family}Pool${rank}d`;
  const what = { Max: "maximum", Avg: "mean", LP: "p-norm" }[family];
  return {
    name,
    summary: `${rank}-D ${family === "LP" ? "power-average" : family === "Max" ? "max" : "average"} pooling: the ${what} over windows of size kernel_size, moved by stride (default: kernel_size).`,
    params: windowedParams(kind),
    closedKeywords: true,
    cost: windowedCost(rank),
    infer(args: Args, input: Shape | undefined): LayerResult {
      const w = readWindow(args, rank, { padding: family !== "LP", dilation: family === "Max" });
      const returnIndices = family === "Max" ? args.bool("return_indices") : false;
      const problems: Problem[] = [...paddingProblems(name, kind, returnIndices, w), ...(family === "LP" ? lpProblems(args, rank, name) : [])];
      if (family === "Avg") args.bool("count_include_pad");
      if (family === "Avg" && rank > 1 && args.has("divisor_override")) {
        // ATen: "divisor must be not zero"; a negative divisor is accepted.
        const divisor = args.int("divisor_override", -Infinity);
        if (divisor === 0) problems.push({ id: "torchRefuses", argument: "divisor_override", values: { detail: "divisor must be not zero", layer: name, error: "RuntimeError" } });
      }
      const formulas: Formula[] = [];
      const finish = (output?: Shape): LayerResult => ({
        output,
        weights: [],
        formulas,
        problems: [...args.problems, ...problems],
        ...(returnIndices ? { extraOutputs: [output] } : {}),
      });
      if (!input) return finish();
      const layout = layoutOf(input, rank);
      if (!layout) {
        problems.push(wrongRankProblem(name, input, rank));
        return finish();
      }
      const inputs = input.slice(layout.firstSpatial);
      const names = spatialNames(rank);
      const sizes: Dim[] = [];
      const small: SmallAxis[] = [];
      inputs.forEach((n, i) => {
        const { kernel, stride, padding, dilation, ceilMode } = w;
        if (!kernel || !stride || !padding || !dilation || ceilMode === undefined) return sizes.push(unknownFrom(n));
        const out = slidingOutput(n, { kernel: kernel[i], stride: stride[i], padding: padding[i], dilation: dilation[i] }, ceilMode);
        if (out.formula) formulas.push({ label: names[i], text: out.formula });
        if (isKnown(out.dim) && out.dim <= 0) small.push({ axis: layout.firstSpatial + i, spatialIndex: i, value: out.dim, formula: out.formula ?? "" });
        return sizes.push(isKnown(out.dim) && out.dim <= 0 ? UNKNOWN : out.dim);
      });
      if (family !== "Max" && rank === 3 && w.kernel) {
        const below = inputBelowKernel(name, w.kernel, inputs);
        if (below) problems.push(below);
      }
      if (small.length) {
        // ATen prints channels and sizes; the 1-D pools run as 2-D ones of height 1.
        const lift = (dims: readonly Dim[]) => [input[layout.channelAxis], ...(rank === 1 ? [1] : []), ...dims];
        const outs = sizes.map((d, i) => small.find((s) => s.spatialIndex === i)?.value ?? d);
        const torch = `Given input size: ${sizesText(lift(inputs), "x")}. Calculated output size: ${sizesText(lift(outs), "x")}. Output size is too small`;
        problems.push(outputTooSmall(name, rank, small, torch, "kernel_size"));
      }
      return finish([...input.slice(0, layout.firstSpatial), ...sizes]);
    },
  };
}

/**
 * An adaptive pool's output_size: an int for every axis, or (2-D and 3-D) a tuple of ints and Nones, None keeping
 * the input's size; undefined when invalid (a problem) or unknown.
 */
function readOutputSize(args: Args, rank: Rank): (number | null)[] | undefined {
  const value = args.raw("output_size");
  if (value === undefined) return undefined;
  const allowNone = rank > 1;
  const list = isSequence(value) ? items(value) : [value];
  const each = isSequence(value) ? list : Array(rank).fill(value);
  const valid = list.length === (isSequence(value) ? rank : 1) && each.every((v) => (isInt(v) && v >= 0) || (allowNone && v === null));
  if (valid) return each as (number | null)[];
  const expected = allowNone ? `an integer ≥ 0, None, or a tuple of ${rank} of them` : "an integer ≥ 0";
  args.problems.push({ id: "invalidArgument", argument: "output_size", values: { argument: "output_size", expected, value: pyRepr(value) } });
  return undefined;
}

/** The elements an adaptive pool's windows cover along one axis: window i spans ⌊i·n/o⌋ to ⌈(i + 1)·n/o⌉. */
function adaptiveWindowTotal(n: number, out: number): number {
  let total = 0;
  for (let i = 0; i < out; i++) total += Math.ceil(((i + 1) * n) / out) - Math.floor((i * n) / out);
  return total;
}

function adaptiveCost(rank: Rank): CostRule {
  return ({ input, output }) => {
    const layout = input && layoutOf(input, rank);
    if (!layout || !output) return product([undefined]);
    const perAxis: (Factor | undefined)[] = input.slice(layout.firstSpatial).map((n, i) => {
      const out = output[layout.firstSpatial + i];
      return isKnown(n) && isKnown(out) ? factor([adaptiveWindowTotal(n, out)]) : undefined;
    });
    return product([factor([input[layout.channelAxis]]), ...perAxis], "one per window element");
  };
}

/**
 * Whether an adaptive average pool runs as a mean over the last `rank` axes, which ATen's adaptive_avg_pool2d/3d
 * do for an output of 1 on every axis, keeping any axes before them (adaptive_avg_pool1d checks its rank first).
 * F.adaptive_avg_pool2d/3d fill a tuple's Nones from the input's last axes first, and want more axes than the tuple
 * has ("Input dimension should be at least …"); an int passes as is, and the mean needs `rank` axes.
 * "maybe" when a None stands for an unknown size.
 */
function meanShortcut(args: Args, rank: Rank, outputSize: (number | null)[] | undefined, input: Shape): "yes" | "no" | "maybe" {
  const minimum = isSequence(args.raw("output_size")) ? rank + 1 : rank;
  if (rank === 1 || !outputSize || input.length < minimum) return "no";
  const last = input.slice(input.length - rank);
  const sizes = outputSize.map((size, i) => size ?? last[i]);
  if (sizes.some((d) => isKnown(d) && d !== 1)) return "no";
  return sizes.every(isKnown) ? "yes" : "maybe";
}

function adaptiveSpec(family: "Avg" | "Max", rank: Rank): LayerSpec {
  const name = `torch.nn.Adaptive${family}Pool${rank}d`;
  return {
    name,
    summary: `${rank}-D adaptive ${family === "Max" ? "max" : "average"} pooling: windows chosen so that the output has output_size on each spatial axis (None keeps the input's).`,
    params: [{ name: "output_size" }, ...(family === "Max" ? [{ name: "return_indices", default: false }] : [])],
    closedKeywords: true,
    cost: adaptiveCost(rank),
    infer(args: Args, input: Shape | undefined): LayerResult {
      const outputSize = readOutputSize(args, rank);
      const returnIndices = family === "Max" ? args.bool("return_indices") : false;
      const problems: Problem[] = [];
      const finish = (output?: Shape): LayerResult => ({
        output,
        weights: [],
        formulas: [],
        problems: [...args.problems, ...problems],
        ...(returnIndices ? { extraOutputs: [output] } : {}),
      });
      if (!input) return finish();
      const mean = family === "Avg" ? meanShortcut(args, rank, outputSize, input) : "no";
      if (mean === "yes") return finish([...input.slice(0, input.length - rank), ...Array<Dim>(rank).fill(1)]);
      const layout = layoutOf(input, rank);
      if (!layout) {
        // A None over an unknown size may still make it the mean, which takes this rank: unknown, not refused.
        if (mean === "no") problems.push(wrongRankProblem(name, input, rank));
        return finish();
      }
      const sizes = input.slice(layout.firstSpatial).map((n, i) => (outputSize ? (outputSize[i] ?? n) : unknownFrom(n)));
      return finish([...input.slice(0, layout.firstSpatial), ...sizes]);
    },
  };
}

function unpoolSpec(rank: Rank): LayerSpec {
  const name = `torch.nn.MaxUnpool${rank}d`;
  return {
    name,
    summary: `${rank}-D max unpooling: puts each value back where the MaxPool${rank}d indices say, zeros elsewhere, in an output of (n − 1)·stride − 2·padding + kernel_size per axis.`,
    params: [{ name: "kernel_size" }, { name: "stride", default: null }, { name: "padding", default: 0 }],
    closedKeywords: true,
    infer(args: Args, input: Shape | undefined): LayerResult {
      // Only max_unpool3d checks its stride ("strides should be greater than zero"): 1-D and 2-D take a stride of 0.
      const w = readWindow(args, rank, { padding: true, dilation: false, minStride: rank === 3 ? 1 : 0 });
      const problems: Problem[] = [];
      const formulas: Formula[] = [];
      const finish = (output?: Shape): LayerResult => ({ output, weights: [], formulas, problems: [...args.problems, ...problems] });
      if (!input) return finish();
      const layout = layoutOf(input, rank);
      if (!layout) {
        problems.push(wrongRankProblem(name, input, rank));
        return finish();
      }
      const names = spatialNames(rank);
      const sizes = input.slice(layout.firstSpatial).map((n, i) => {
        if (!w.kernel || !w.stride || !w.padding) return unknownFrom(n);
        if (!isKnown(n)) return n;
        const out = (n - 1) * w.stride[i] - 2 * w.padding[i] + w.kernel[i];
        formulas.push({ label: names[i], text: `(${n} − 1)·${w.stride[i]} − 2·${w.padding[i]} + ${w.kernel[i]} = ${out}` });
        return out;
      });
      if (sizes.some((d) => isKnown(d) && d < 0)) {
        // An axis of 0 is an empty output. A negative one: current PyTorch's max_unpooling2d/3d shape check refuses it
        // (releases before it failed to size the tensor, "numel: integer multiplication overflow"). The 1-D module runs
        // as a 2-D one of width 1.
        const op = rank === 3 ? "max_unpooling3d" : "max_unpooling2d";
        const detail = `${op}(): output_size must contain non-negative spatial dimensions, but got output_size=(${[...sizes, ...(rank === 1 ? [1] : [])].map(formatDim).join(", ")})`;
        problems.push({ id: "torchRefuses", argument: "padding", values: { detail, layer: name, error: "RuntimeError" } });
      }
      return finish([...input.slice(0, layout.firstSpatial), ...sizes.map((d) => (isKnown(d) && d < 0 ? UNKNOWN : d))]);
    },
  };
}

export const torchPoolingModules: readonly LayerSpec[] = [
  ...(["Max", "Avg", "LP"] as const).flatMap((family) => ranks.map((rank) => windowedSpec({ family, rank }))),
  ...(["Avg", "Max"] as const).flatMap((family) => ranks.map((rank) => adaptiveSpec(family, rank))),
  ...ranks.map(unpoolSpec),
];
