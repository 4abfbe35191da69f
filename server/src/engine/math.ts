/**
 * Formulas shared by layer families, each returning the value together with the
 * formula text with the user's numbers filled in (the hover shows them).
 */
import { Dim, NONE, Shape, UNKNOWN, formatShape, isKnown } from "./shape";
import { Formula, ParamDecl, Problem, Weight } from "./spec";
import { Args } from "./args";
import { withThousands } from "./format";

export type Padding = "valid" | "same" | "causal";

export interface DimResult {
  readonly dim: Dim;
  readonly formula?: string;
}

/** `d·(k−1)+1`, the extent of a dilated window. */
export function effectiveKernel(kernel: number, dilation: number): number {
  return dilation * (kernel - 1) + 1;
}

/**
 * Output length of a sliding window (convolution or pooling) along one axis, as
 * Keras's `compute_conv_output_shape` / `compute_pooling_output_shape` compute it.
 */
export function windowOutput(input: Dim, kernel: number, stride: number, padding: Padding, dilation = 1): DimResult {
  if (!isKnown(input)) return { dim: input };
  if (padding === "same" || padding === "causal") {
    const out = Math.floor((input - 1) / stride) + 1;
    return { dim: out, formula: stride === 1 ? `${input} = ${out}` : `⌈${input} / ${stride}⌉ = ${out}` };
  }
  const k = effectiveKernel(kernel, dilation);
  const kText = dilation === 1 ? `${kernel}` : `(${dilation}·(${kernel} − 1) + 1)`;
  const out = Math.floor((input - k) / stride) + 1;
  const formula =
    stride === 1 ? `${input} − ${kText} + 1 = ${out}` : `⌊(${input} − ${kText}) / ${stride}⌋ + 1 = ${out}`;
  return { dim: out, formula };
}

/** The expected input layout of an N-D spatial layer (channels_last), for rank messages. */
export function spatialExample(rank: number): string {
  return `(batch, ${spatialNames(rank).join(", ")}, channels)`;
}

/** An open dimension stays as it is; a known one becomes unknown when an argument it depends on is. */
export function unknownFrom(d: Dim): Dim {
  return isKnown(d) ? UNKNOWN : d;
}

export interface Window {
  readonly size?: readonly number[];
  readonly strides?: readonly number[];
  readonly padding?: Padding;
  readonly dilation?: readonly number[];
}

/**
 * Slides a window over each spatial axis of `input` (convolution or pooling):
 * the output sizes, their formulas, and a problem for any size that goes
 * non-positive, blamed on `argument`. Unknown window arguments make the sizes unknown.
 */
export function slideWindows(
  layer: string,
  input: Shape,
  rank: number,
  format: "channels_last" | "channels_first",
  window: Window,
  argument: string,
): { spatial: Dim[]; formulas: Formula[]; problems: Problem[] } {
  const firstSpatial = format === "channels_first" ? 2 : 1;
  const names = spatialNames(rank);
  const spatial: Dim[] = [];
  const formulas: Formula[] = [];
  const problems: Problem[] = [];
  const { size, strides, padding, dilation } = window;
  for (let i = 0; i < rank; i++) {
    const axis = firstSpatial + i;
    const n = input[axis];
    if (!size || !strides || !padding) {
      spatial.push(unknownFrom(n));
      continue;
    }
    const out = windowOutput(n, size[i], strides[i], padding, dilation?.[i] ?? 1);
    if (out.formula) formulas.push({ label: names[i], text: out.formula });
    if (isKnown(out.dim) && out.dim <= 0) {
      problems.push({
        id: "nonPositiveDimension",
        argument,
        axis,
        values: { layer, axis: names[i], value: out.dim, formula: out.formula ?? "", history: "" },
      });
      spatial.push(UNKNOWN);
    } else spatial.push(out.dim);
  }
  return { spatial, formulas, problems };
}

/** Names of the spatial axes, for messages and formula labels. */
export function spatialNames(rank: number): string[] {
  if (rank === 1) return ["length"];
  if (rank === 2) return ["height", "width"];
  if (rank === 3) return ["depth", "height", "width"];
  return Array.from({ length: rank }, (_, i) => `axis ${i + 1}`);
}

export function product(values: readonly number[]): bigint {
  return values.reduce((acc, v) => acc * BigInt(v), 1n);
}

/** A weight whose shape may contain unknown dimensions. */
export function weight(name: string, shape: readonly (number | undefined)[], trainable = true): Weight {
  if (shape.some((d) => d === undefined)) return { name, trainable };
  const known = shape as number[];
  return { name, shape: known, count: product(known), trainable };
}

/** `a·b·c = n` for a weight, for the hover. */
export function weightFormula(w: Weight): Formula | undefined {
  if (!w.shape || w.count === undefined) return undefined;
  const factors = w.shape.length ? w.shape.join("·") : "1";
  return { label: w.name, text: w.shape.length > 1 ? `${factors} = ${withThousands(w.count)}` : withThousands(w.count) };
}

export function channelIndex(format: "channels_last" | "channels_first", rank: number): number {
  return format === "channels_last" ? rank - 1 : 1;
}

/** A rank problem when `input` has not exactly `rank` dimensions (batch included). */
export function rankProblem(layer: string, input: Shape, rank: number, example: string): Problem | undefined {
  if (input.length === rank) return undefined;
  return {
    id: "wrongRank",
    values: { layer, expected: rank, example, shape: formatShape(input), rank: input.length },
  };
}

/** A rank problem when `input` has fewer than `min` dimensions. */
export function minRankProblem(layer: string, input: Shape, min: number, example: string): Problem | undefined {
  if (input.length >= min) return undefined;
  return {
    id: "wrongRank",
    values: { layer, expected: `${min} or more`, example, shape: formatShape(input), rank: input.length },
  };
}

/** The dimension itself if known, else the open marker to propagate. */
export function dimOr(d: number | undefined): Dim {
  return d === undefined ? UNKNOWN : d;
}

export { NONE, UNKNOWN };

/**
 * initializer / regularizer / constraint keywords for the named weights and a bias, in Keras's order
 * (Dense, the convolutions, MultiHeadAttention).
 */
export function weightOptions(kernels: string[], kernelDefault = "glorot_uniform"): ParamDecl[] {
  return [
    ...kernels.map((k) => ({ name: `${k}_initializer`, default: kernelDefault })),
    { name: "bias_initializer", default: "zeros" },
    ...kernels.map((k) => ({ name: `${k}_regularizer`, default: null })),
    { name: "bias_regularizer", default: null },
    { name: "activity_regularizer", default: null },
    ...kernels.map((k) => ({ name: `${k}_constraint`, default: null })),
    { name: "bias_constraint", default: null },
  ];
}

/** Keyword-only LoRA / DoRA arguments that Dense, EinsumDense and BaseConv accept. */
export const adapterParams: ParamDecl[] = [
  { name: "lora_rank", default: null },
  { name: "lora_alpha", default: null },
  { name: "dora_rank", default: null },
  { name: "dora_alpha", default: null },
];

/**
 * With `lora_rank=r` Keras freezes the kernel and adds two trainable factors,
 * kernel.shape[:-1] + (r,) and (r, units). Returns undefined when no adapter is set.
 * DoRA's extra magnitude vector is not modelled, so its weights become unknown.
 */
export function withAdapters(args: Args, weights: Weight[]): Weight[] | undefined {
  if (args.has("dora_rank")) {
    args.unresolved.set("dora_rank", "DoRA adapter weights are not modelled");
    return weights.map((w) => ({ name: w.name, trainable: w.trainable }));
  }
  if (!args.has("lora_rank")) return undefined;
  const rank = args.int("lora_rank");
  const [kernel, ...rest] = weights;
  const units = kernel.shape?.[kernel.shape.length - 1];
  const inner = kernel.shape?.slice(0, -1) ?? [undefined];
  return [
    { ...kernel, trainable: false },
    ...rest,
    weight("lora_kernel_a", [...inner, rank]),
    weight("lora_kernel_b", [rank, units]),
  ];
}
