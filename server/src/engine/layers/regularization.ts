/**
 * Regularization layers: Dropout, SpatialDropout1D/2D/3D, GaussianNoise, GaussianDropout,
 * AlphaDropout and ActivityRegularization. They keep the shape and have no weights.
 * Keras raises unless 0 ≤ rate ≤ 1 (and 0 ≤ stddev ≤ 1 for GaussianNoise).
 *
 * SpatialDropout's constructors are `(rate, [data_format,] seed=None, name=None,
 * dtype=None)` without `**kwargs`, so the other base-layer keywords (trainable,
 * input_shape…) are a TypeError there (`closedKeywords`).
 */
import { costing, elementwiseCost } from "../cost";
import { Args } from "../args";
import { Shape } from "../shape";
import { LayerResult, LayerSpec, Problem } from "../spec";
import { rankProblem, spatialExample } from "../math";
import { isInt, isSequence, isUnresolved, items, pyRepr } from "../values";

const same = (args: Args, input: Shape | undefined, problems: Problem[] = []): LayerResult => ({
  output: input,
  weights: [],
  formulas: [],
  problems: [...args.problems, ...problems],
});

/** Keras's `_validate_noise_shape`: None, or a tuple/list of positive ints or None. */
function checkNoiseShape(args: Args): void {
  const v = args.raw("noise_shape");
  if (v === undefined || v === null) return;
  const ok = isSequence(v) && items(v).every((d) => d === null || (isInt(d) && d > 0) || isUnresolved(d));
  if (!ok) {
    args.problems.push({
      id: "invalidArgument",
      argument: "noise_shape",
      values: { argument: "noise_shape", expected: "a tuple of positive integers or None", value: pyRepr(v) },
    });
  }
}

const dropoutSpec: LayerSpec = {
  name: "Dropout",
  summary: "During training, sets a fraction `rate` of the inputs to 0 and scales the rest by 1/(1 − rate); the shape is unchanged.",
  params: [{ name: "rate" }, { name: "noise_shape", default: null }, { name: "seed", default: null }],
  infer(args, input) {
    args.float("rate", 0, 1);
    checkNoiseShape(args);
    return same(args, input);
  },
};


function spatialDropoutSpec(rank: 1 | 2 | 3): LayerSpec {
  const name = `SpatialDropout${rank}D`;
  return {
    name,
    summary: `Dropout of whole ${rank}-D feature maps (entire channels) instead of single elements; the shape is unchanged.`,
    params: [
      { name: "rate" },
      ...(rank === 1 ? [] : [{ name: "data_format", default: null }]),
      { name: "seed", default: null },
      { name: "name", default: null },
      { name: "dtype", default: null },
    ],
    closedKeywords: true,
    // tf.keras 2's SpatialDropout{1,2,3}D(rate, [data_format,] **kwargs) passes **kwargs on to Dropout and the base layer.
    generations: { keras2Kwargs: true, source: `keras/src/layers/regularization/spatial_dropout.py; tf_keras/layers/regularization/spatial_dropout${rank}d.py` },
    infer(args: Args, input: Shape | undefined): LayerResult {
      args.float("rate", 0, 1);
      if (rank > 1) args.dataFormat();
      if (!input) return same(args, input);
      const wrongRank = rankProblem(name, input, rank + 2, spatialExample(rank));
      if (wrongRank) return { weights: [], formulas: [], problems: [...args.problems, wrongRank] };
      return same(args, input);
    },
  };
}

/** GaussianNoise (gaussian_noise.py): __init__ raises unless 0 ≤ stddev ≤ 1. */
const gaussianNoiseSpec: LayerSpec = {
  name: "GaussianNoise",
  summary: "During training, adds zero-centred Gaussian noise of standard deviation `stddev`; the shape is unchanged.",
  params: [{ name: "stddev" }, { name: "seed", default: null }],
  infer(args, input) {
    args.float("stddev", 0, 1);
    return same(args, input);
  },
};

/** GaussianDropout (gaussian_dropout.py): __init__ raises unless 0 ≤ rate ≤ 1. */
const gaussianDropoutSpec: LayerSpec = {
  name: "GaussianDropout",
  summary: "During training, multiplies the inputs by 1-centred Gaussian noise of standard deviation √(rate / (1 − rate)); the shape is unchanged.",
  params: [{ name: "rate" }, { name: "seed", default: null }],
  infer(args, input) {
    args.float("rate", 0, 1);
    return same(args, input);
  },
};

/** AlphaDropout (alpha_dropout.py): __init__ raises unless 0 ≤ rate ≤ 1. */
const alphaDropoutSpec: LayerSpec = {
  name: "AlphaDropout",
  summary: "Dropout for SELU networks: drops to the negative saturation value and keeps mean and variance; the shape is unchanged.",
  params: [{ name: "rate" }, { name: "noise_shape", default: null }, { name: "seed", default: null }],
  infer(args, input) {
    args.float("rate", 0, 1);
    checkNoiseShape(args);
    return same(args, input);
  },
};

/** ActivityRegularization (activity_regularization.py): identity that adds an L1/L2 activity penalty. */
const activityRegularizationSpec: LayerSpec = {
  name: "ActivityRegularization",
  summary: "Adds `l1`·Σ|x| + `l2`·Σx² of its input to the loss; passes the input through unchanged.",
  params: [{ name: "l1", default: 0.0 }, { name: "l2", default: 0.0 }],
  infer(args, input) {
    args.float("l1");
    args.float("l2");
    // __init__ passes its own activity_regularizer to Layer, so a second one is a TypeError.
    const problems: Problem[] = args.given.has("activity_regularizer")
      ? [{ id: "unknownKeyword", argument: "activity_regularizer", values: { layer: "ActivityRegularization", name: "activity_regularizer" } }]
      : [];
    return same(args, input, problems);
  },
};

export const regularizationLayers: LayerSpec[] = costing(elementwiseCost, [
  dropoutSpec,
  spatialDropoutSpec(1),
  spatialDropoutSpec(2),
  spatialDropoutSpec(3),
  gaussianNoiseSpec,
  gaussianDropoutSpec,
  alphaDropoutSpec,
  activityRegularizationSpec,
]);
