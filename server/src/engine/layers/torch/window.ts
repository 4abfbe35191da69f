/**
 * What PyTorch's convolution, pooling and resampling modules share: where the channel and spatial axes of a
 * batched `(N, C, *)` or unbatched `(C, *)` input are, the sliding-window rule of ATen's Pool.h
 * (`pooling_output_shape`, which the convolutions' `conv_output_size` agrees with), the transposed
 * convolution's rule (`conv_transpose` output size), and sizes printed as PyTorch prints them in its messages.
 * Int-or-tuple arguments (`_single` / `_pair` / `_triple` in torch/nn/modules/utils.py) are read with
 * `Args.intTuple`, which accepts an int or a tuple of `rank` ints as they do.
 */
import { DimResult, spatialNames } from "../../math";
import { Dim, Shape, formatDim, isKnown } from "../../shape";
import { Problem } from "../../spec";

export type Rank = 1 | 2 | 3;

export const ranks = [1, 2, 3] as const;

/** Where a module's input keeps its axes: batched `(N, C, *spatial)` or unbatched `(C, *spatial)`. */
export interface Layout {
  readonly batched: boolean;
  readonly channelAxis: number;
  readonly firstSpatial: number;
}

/** The layout of an input of `spatial` spatial axes, or undefined when its rank is neither form's. */
export function layoutOf(input: Shape, spatial: number): Layout | undefined {
  if (input.length === spatial + 2) return { batched: true, channelAxis: 1, firstSpatial: 2 };
  if (input.length === spatial + 1) return { batched: false, channelAxis: 0, firstSpatial: 1 };
  return undefined;
}

const AXIS_LETTERS: Record<Rank, string> = { 1: "L", 2: "H, W", 3: "D, H, W" };

/** wrongRank for a module taking `(N, C, *spatial)` or `(C, *spatial)`. */
export function wrongRankProblem(layer: string, input: Shape, spatial: Rank): Problem {
  const letters = AXIS_LETTERS[spatial];
  return {
    id: "wrongRank",
    values: {
      layer,
      expected: `${spatial + 1} or ${spatial + 2}`,
      example: `((C, ${letters}) or (N, C, ${letters}))`,
      shape: `(${input.map(formatDim).join(", ")})`,
      rank: input.length,
    },
  };
}

/** One spatial axis of a convolution or pooling window, as PyTorch's arguments give it. */
export interface AxisWindow {
  readonly kernel: number;
  readonly stride: number;
  readonly padding: number;
  readonly dilation: number;
}

/** `d·(k − 1) + 1`, the extent of a dilated window. */
export function effectiveWindow(w: AxisWindow): number {
  return w.dilation * (w.kernel - 1) + 1;
}

/**
 * Pool.h's `pooling_output_shape`: ⌊(n + 2·p − d·(k − 1) − 1)/s + 1⌋, with ceil_mode ⌈…⌉ less one when the
 * last window would start in the right padding (it must start inside the input or the left padding).
 * Convolutions use the floor form.
 */
export function slidingOutput(input: Dim, w: AxisWindow, ceilMode = false): DimResult {
  if (!isKnown(input)) return { dim: input };
  const { kernel, stride, padding, dilation } = w;
  const numerator = input + 2 * padding - dilation * (kernel - 1) - 1;
  let out = Math.floor((numerator + (ceilMode ? stride - 1 : 0)) / stride) + 1;
  const body = `(${input} + 2·${padding} − ${dilation}·(${kernel} − 1) − 1)/${stride} + 1`;
  if (!ceilMode) return { dim: out, formula: `⌊${body}⌋ = ${out}` };
  if ((out - 1) * stride >= input + padding) {
    out -= 1;
    return { dim: out, formula: `⌈${body}⌉ − 1 = ${out} (the last window would start in the right padding)` };
  }
  return { dim: out, formula: `⌈${body}⌉ = ${out}` };
}

/** The transposed convolution's (n − 1)·s − 2·p + d·(k − 1) + output_padding + 1. */
export function transposedOutput(input: Dim, w: AxisWindow, outputPadding: number): DimResult {
  if (!isKnown(input)) return { dim: input };
  const { kernel, stride, padding, dilation } = w;
  const out = (input - 1) * stride - 2 * padding + dilation * (kernel - 1) + outputPadding + 1;
  return {
    dim: out,
    formula: `(${input} − 1)·${stride} − 2·${padding} + ${dilation}·(${kernel} − 1) + ${outputPadding} + 1 = ${out}`,
  };
}

/** A size as PyTorch prints a tensor's in its messages: `[8, 3, 32, 32]`. */
export function torchSize(shape: readonly Dim[]): string {
  return `[${shape.map(formatDim).join(", ")}]`;
}

/** Per-channel sizes as ATen prints them: `(2 x 2)` for convolutions, `(3x2x2)` for pooling (`separator` "x"). */
export function sizesText(sizes: readonly Dim[], separator = " x "): string {
  return `(${sizes.map(formatDim).join(separator)})`;
}

/** One spatial axis that came out too small. */
export interface SmallAxis {
  readonly axis: number;
  readonly spatialIndex: number;
  readonly value: number;
  readonly formula: string;
}

/**
 * torchOutputTooSmall for the axes that came out ≤ 0 (one problem per call, as PyTorch raises once), on the
 * first of them for the shrink history; `torch` is PyTorch's message for the whole input.
 */
export function outputTooSmall(layer: string, rank: Rank, small: readonly SmallAxis[], torch: string, argument: string): Problem {
  const names = spatialNames(rank);
  const sizes = small.map((s) => `the ${names[s.spatialIndex]} ${s.value}`).join(" and ");
  const formula = small.map((s) => (small.length > 1 ? `${names[s.spatialIndex]} ${s.formula}` : s.formula)).join("; ");
  return { id: "torchOutputTooSmall", argument, axis: small[0].axis, values: { layer, sizes, formula, torch, history: "" } };
}

/**
 * ATen's message for a reflection padding not below the axis's size (ReflectionPad.cpp). It numbers the pad's
 * arguments from the last axis (#4, #6, #8) and ends with the input's sizes for 1-D padding, its rank for 2-D and 3-D.
 */
export function reflectionMessage(input: Shape, axis: number, paddedAxes: number, left: number, right: number): string {
  const fromLast = input.length - 1 - axis;
  const inputText = paddedAxes === 1 ? torchSize(input) : `${input.length}`;
  return `Argument #${4 + 2 * fromLast}: Padding size should be less than the corresponding input dimension, but got: padding (${left}, ${right}) at dimension ${axis} of input ${inputText}`;
}
