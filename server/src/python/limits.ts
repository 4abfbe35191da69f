/** Bounds on the work done for one document; beyond them values become unknown, with the reason. */
export const LIMITS = {
  /** Deeper syntax than this is not walked. */
  nesting: 200,
  /** Helper calls nested deeper than this (recursion) return an unknown value. */
  callDepth: 16,
  /** Loops and comprehensions over more items than this are not unrolled. */
  iterations: 256,
  /**
   * A loop over a model's layers (`for layer in base.layers: layer.trainable = False`) is unrolled up to this many:
   * a backbone has up to about 1,000, and leaving one out would make its trainable split wrong.
   */
  modelLayers: 2_000,
  /**
   * Statements and calls executed again and again (unrolled loop iterations, comprehensions, helper runs);
   * past this the rest of the file is not followed. Straight-line code runs once and is bounded by the
   * document's length, so it does not count: a Sequential list of 100,000 layers is followed to its end.
   */
  steps: 20_000,
  /**
   * A list changed in place is copied at each change (it is a value here): past this many items it is
   * unknown, so 20,000 `s.append(i)` lines cost no more than the file's length.
   */
  changedList: 1_000,
  /**
   * Items one comprehension (with those nested in it) may compute when it builds no layer or tensor: past
   * this its value is unknown (a positional-encoding table), charged `abandonedExpressionCost` steps.
   */
  expressionSteps: 2_000,
  abandonedExpressionCost: 100,
} as const;
