/**
 * What a layer call computes, as each spec's cost rule states it beside its shape and weight rules:
 * multiply-accumulates (MACs) for one sample (the batch axis excluded), with the formula and the user's
 * numbers filled in. The convention, stated once here and in the README and hovers (`COST_CONVENTION`):
 *
 * - Matrix products and convolutions (Dense, every convolution, the recurrent cells' products at every
 *   step, attention's projections and its two batched products, Dot, matmul) count one MAC per
 *   multiply-add; FLOPs = 2 × MACs. Bias additions and activations are not counted.
 * - Normalization counts one per output element (x·scale + shift, the statistics not counted); pooling one
 *   per window element for each output (a comparison for max, an addition for average), global pooling one
 *   per input element; bilinear upsampling four per output element (a weighted sum of four neighbours),
 *   nearest upsampling none (it copies).
 * - Element-wise layers and functions (activations, Add, Multiply…, dropout, rescaling) are not counted: 0.
 *   Nor is what only moves data (reshaping, padding, cropping, concatenation, embedding lookups, indexing).
 *
 * A dimension that is not a number (`None`, `?`) makes the count unknown, never guessed.
 */
import { Args } from "./args";
import { withThousands } from "./format";
import { Dim, Shape, isKnown } from "./shape";
import type { Weight } from "./spec";

export interface Cost {
  /** Multiply-accumulates for one sample; undefined when unknown. */
  readonly macs?: bigint;
  /** The count with the user's numbers, e.g. `26·26 · 3·3·1 · 32 = 194,688`. */
  readonly formula?: string;
  /** What is counted, or why the count is unknown. */
  readonly note?: string;
}

/** What a cost rule reads: the call's arguments, its input(s), output and weights as the analysis found them. */
export interface CostInput {
  readonly args: Args;
  readonly input?: Shape;
  /** Every input of a call on several tensors (merge, attention, `tf.matmul`). */
  readonly inputs?: readonly (Shape | undefined)[];
  readonly output?: Shape;
  readonly weights: readonly Weight[];
}

export type CostRule = (layer: CostInput) => Cost;

export const COST_CONVENTION =
  "MACs are multiply-accumulates per sample (FLOPs = 2 × MACs) of matrix products and convolutions; bias additions, " +
  "activations and other element-wise operations are not counted; normalization counts one per element, pooling one per window element.";

/** A product of dimensions and its text (`26·26`); undefined when one of them is not a number. */
export interface Factor {
  readonly value: bigint;
  readonly text: string;
}

export function factor(dims: readonly (Dim | undefined)[]): Factor | undefined {
  let value = 1n;
  for (const d of dims) {
    if (d === undefined || !isKnown(d)) return undefined;
    value *= BigInt(d);
  }
  return { value, text: dims.length ? dims.join("·") : "1" };
}

/** A weight's size as a factor (its shape written out), undefined when unknown. */
export function weightFactor(w: Weight | undefined): Factor | undefined {
  return w?.shape ? factor(w.shape) : undefined;
}

export const UNKNOWN_DIMENSION = "depends on a dimension that is not known statically";

/** `a · b · c = n`: the product of the factors, or unknown when one is. */
export function product(factors: readonly (Factor | undefined)[], note?: string): Cost {
  if (factors.some((f) => f === undefined)) return { note: UNKNOWN_DIMENSION };
  const known = factors as Factor[];
  const macs = known.reduce((acc, f) => acc * f.value, 1n);
  const text = known.map((f) => f.text).join(" · ");
  return { macs, formula: known.length > 1 || known[0].text.includes("·") ? `${text} = ${withThousands(macs)}` : withThousands(macs), ...(note ? { note } : {}) };
}

/** The sum of several parts, each named (`10 · 64·4·16 (query) + …`); unknown, with the first part's reason, when one is. */
export function sum(parts: readonly { readonly label: string; readonly cost: Cost }[]): Cost {
  const unknown = parts.find((p) => p.cost.macs === undefined);
  if (unknown) return { note: unknown.cost.note ?? UNKNOWN_DIMENSION };
  const macs = parts.reduce((acc, p) => acc + p.cost.macs!, 0n);
  const text = parts.map((p) => `${(p.cost.formula ?? "0").replace(/ = [\d,]+$/, "")} (${p.label})`).join(" + ");
  return { macs, formula: `${text} = ${withThousands(macs)}` };
}

/** `steps × (per step)`, e.g. a recurrent layer's cell run at every time step. */
export function times(count: Factor | undefined, each: Cost, label: string): Cost {
  if (!count || each.macs === undefined) return { note: each.note ?? UNKNOWN_DIMENSION };
  const macs = count.value * each.macs;
  const inner = (each.formula ?? withThousands(each.macs)).replace(/ = [\d,]+$/, "");
  return { macs, formula: `${count.text} ${label} · (${inner}) = ${withThousands(macs)}`, ...(each.note ? { note: each.note } : {}) };
}

/** Element-wise layers and functions: not counted, by the convention. */
export const elementwiseCost: CostRule = () => ({ macs: 0n, note: "element-wise: not counted in MACs" });

/** What only moves or selects data. */
export const dataMovementCost: CostRule = () => ({ macs: 0n, note: "moves data only: no arithmetic" });

/** One per element of the output (normalization: x·scale + shift). */
export const perOutputElement = (note: string): CostRule => ({ output }) => product([output && factor(output.slice(1))], note);

/** A product of two tensors contracted over `inner`: every element of the output (after the batch axis) is a dot product of that length. */
export function contraction(output: Shape | undefined, inner: Dim | undefined): Cost {
  if (!output || output.length < 2) return { note: UNKNOWN_DIMENSION };
  return product([factor(output.slice(1)), inner === undefined ? undefined : factor([inner])]);
}

/** Preprocessing (augmentation is the identity at inference; rescaling and lookups are element-wise): not counted. */
export const preprocessingCost: CostRule = () => ({ macs: 0n, note: "preprocessing: not counted in MACs" });

/** `specs` with `rule` as the cost rule of each that has none of its own. */
export function costing<T extends { readonly cost?: CostRule }>(rule: CostRule, specs: readonly T[]): T[] {
  return specs.map((spec) => (spec.cost ? spec : { ...spec, cost: rule }));
}
