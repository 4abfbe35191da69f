/**
 * Arrays an analysis keeps, copied to their exact length.
 *
 * A V8 array built by pushing or spreading keeps room for about 16 more elements (≈110 bytes);
 * the analysis of a long file keeps tens of thousands of shapes, formulas, weight lists and label
 * candidates (at 50,000 lines, ≈20 MB of empty room), and every garbage collection walks them.
 */
import { LayerResult } from "./spec";

export function exactLength<T>(items: readonly T[]): T[] {
  return items.slice();
}

export function keptResult(result: LayerResult): LayerResult {
  return { ...result, output: result.output && exactLength(result.output), weights: exactLength(result.weights), formulas: exactLength(result.formulas) };
}
