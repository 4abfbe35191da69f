/**
 * A model's parameter totals from its layers' weights: trainable and not, or unknown with the reason and a
 * lower bound of what could be counted.
 */
import { Weight } from "./spec";
import { ModelAnalysis, ParamTotals } from "./results";

export function sumWeights(weights: readonly Weight[], keep: (w: Weight) => boolean): bigint | undefined {
  let sum = 0n;
  for (const w of weights.filter(keep)) {
    if (w.count === undefined) return undefined;
    sum += w.count;
  }
  return sum;
}

/**
 * A model's totals from its layers' weights. `uncounted` names something in the model whose weights are not
 * known at all (a layer Layer Lens does not model); then, as when some weight's size is unknown, the total
 * is unknown and what could be counted is kept as a lower bound, never shown as the total.
 */
export function totalsOf(weightGroups: readonly (readonly Weight[])[], uncounted?: string): ParamTotals {
  const all = weightGroups.flat();
  const total = uncounted === undefined ? sumWeights(all, () => true) : undefined;
  if (total !== undefined) return { total, trainable: sumWeights(all, (w) => w.trainable), nonTrainable: sumWeights(all, (w) => !w.trainable) };
  // Whole layers only: a layer whose kernel is unknown but whose bias is known adds nothing.
  const known = weightGroups.reduce((sum, group) => sum + (sumWeights(group, () => true) ?? 0n), 0n);
  return { known, unknownBecause: uncounted ?? "some layer's parameters depend on a dimension that cannot be known statically" };
}

/** A model set `trainable = False`: all its parameters are non-trainable, as `model.summary()` then counts them. */
export function frozenModel(analysis: ModelAnalysis): ModelAnalysis {
  const { total } = analysis.totals;
  if (!analysis.model.frozen || total === undefined) return analysis;
  return { ...analysis, totals: { ...analysis.totals, trainable: 0n, nonTrainable: total } };
}

/** Why a model's weights cannot all be counted: it includes `what`. */
export function includes(what: string): string {
  return `it includes \`${what}\`, which Layer Lens does not model`;
}
