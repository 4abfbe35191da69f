/**
 * Activation layers: Activation, ReLU, LeakyReLU, Softmax, ELU and PReLU, and tf.keras 2's
 * ThresholdedReLU. All keep the shape; only PReLU has weights (its `alpha`). Keras 3 has no
 * ThresholdedReLU (keras/src/layers/activations/ holds only the other six): it is modelled for
 * code written for tf.keras 2 only (see `generations`).
 */
import { costing, elementwiseCost } from "../cost";
import { Args } from "../args";
import { Shape, formatShape } from "../shape";
import { LayerResult, LayerSpec, Problem } from "../spec";
import { numeric, pyRepr } from "../values";
import { differs } from "../generations";
import { weight, weightFormula } from "../math";

const same = (args: Args, input: Shape | undefined, problems: Problem[] = []): LayerResult => ({
  output: input,
  weights: [],
  formulas: [],
  problems: [...args.problems, ...problems],
});

const activationSpec: LayerSpec = {
  name: "Activation",
  summary: "Applies an activation function element-wise; the shape is unchanged.",
  // Any name in keras.activations or a callable; the set of names varies between
  // Keras versions and custom ones can be registered, so it is not checked.
  params: [{ name: "activation" }],
  infer: (args, input) => same(args, input),
};

const reluSpec: LayerSpec = {
  name: "ReLU",
  summary: "Rectified linear unit, optionally capped at `max_value`, with `negative_slope` below `threshold`.",
  params: [
    { name: "max_value", default: null },
    { name: "negative_slope", default: 0.0 },
    { name: "threshold", default: 0.0 },
  ],
  infer(args, input) {
    // Keras raises for a negative max_value, and for a None or negative slope or threshold.
    if (args.raw("max_value") !== null) args.float("max_value", 0);
    args.float("negative_slope", 0);
    args.float("threshold", 0);
    return same(args, input);
  },
};

/**
 * LeakyReLU. Keras 3 (keras/src/layers/activations/leaky_relu.py): `negative_slope=0.3`, and tf.keras 2's `alpha`
 * still taken from **kwargs (with a deprecation warning), winning; None or a negative slope raises. tf.keras 2
 * (tf_keras/layers/activation/leaky_relu.py): `alpha=0.3` alone, only None raises; `negative_slope` is refused.
 */
const LEAKY_RELU_SOURCE = "keras/src/layers/activations/leaky_relu.py; tf_keras/layers/activation/leaky_relu.py";

const leakyReluSpec: LayerSpec = {
  name: "LeakyReLU",
  summary: "Leaky ReLU: x for x ≥ 0, `negative_slope`·x below.",
  params: [
    { name: "negative_slope", default: 0.3, generations: { only: 3, note: "tf.keras 2 calls it alpha", source: LEAKY_RELU_SOURCE } },
    // Deprecated Keras 2 spelling, still accepted (with a warning) and taking precedence.
    { name: "alpha", default: null },
  ],
  // tf.keras 2's one positional parameter, alpha, is the slope Keras 3 calls negative_slope.
  generations: { keras2Positional: ["negative_slope"], source: LEAKY_RELU_SOURCE },
  infer(args, input) {
    const slope = args.given.has("alpha") ? "alpha" : "negative_slope";
    const value = numeric(args.raw(slope));
    if (args.keras === 3) args.float(slope, 0);
    else if (args.keras === 2 || value === undefined || value >= 0) args.float(slope);
    else return same(args, input, [differs(`LeakyReLU's slope ${pyRepr(args.raw(slope)!)} is below 0: tf.keras 2 takes it, Keras 3 raises`, slope)]);
    return same(args, input);
  },
};

/** ThresholdedReLU (tf_keras/layers/activation/thresholded_relu.py): `theta=1.0`, None or below 0 raises; x where x > theta, else 0. */
const thresholdedReluSpec: LayerSpec = {
  name: "ThresholdedReLU",
  summary: "x where x > `theta`, 0 elsewhere (tf.keras 2's; Keras 3 removed it); the shape is unchanged.",
  params: [{ name: "theta", default: 1.0 }],
  generations: { only: 2, source: "tf_keras/layers/activation/thresholded_relu.py; keras/api/layers/__init__.py (no ThresholdedReLU)" },
  infer(args, input) {
    args.float("theta", 0);
    // Only tf.keras 2 has the layer: read as anything else, what it gives is not known.
    return args.keras === 2 ? same(args, input) : { weights: [], formulas: [], problems: args.problems };
  },
};

const softmaxSpec: LayerSpec = {
  name: "Softmax",
  summary: "Softmax over `axis` (the last by default): values in (0, 1) summing to 1 along it.",
  params: [{ name: "axis", default: -1 }],
  infer(args, input) {
    const axes = args.axes("axis");
    const problems: Problem[] = [];
    if (input && axes) {
      const rank = input.length;
      const bad = axes.find((a) => a < -rank || a >= rank);
      if (bad !== undefined) {
        problems.push({
          id: "invalidArgument",
          argument: "axis",
          values: {
            argument: "axis",
            expected: `an axis of the rank-${rank} input ${formatShape(input)}, from ${-rank} to ${rank - 1}`,
            value: pyRepr(args.raw("axis") ?? null),
          },
        });
      }
    }
    return same(args, input, problems);
  },
};

const eluSpec: LayerSpec = {
  name: "ELU",
  summary: "Exponential linear unit: x for x ≥ 0, `alpha`·(eˣ − 1) below; the shape is unchanged.",
  params: [{ name: "alpha", default: 1.0 }],
  infer(args, input) {
    args.float("alpha");
    return same(args, input);
  },
};

/**
 * PReLU (keras/src/layers/activations/prelu.py): a trainable `alpha` shaped like the
 * input without the batch axis, with each axis in `shared_axes` set to 1.
 */
const preluSpec: LayerSpec = {
  name: "PReLU",
  summary: "Parametric ReLU: x for x ≥ 0, a learned `alpha`·x below, one alpha per element except along `shared_axes`.",
  params: [
    { name: "alpha_initializer", default: "Zeros" },
    { name: "alpha_regularizer", default: null },
    { name: "alpha_constraint", default: null },
    { name: "shared_axes", default: null },
  ],
  infer(args, input) {
    const shared = args.raw("shared_axes") === null ? [] : args.axes("shared_axes");
    const problems: Problem[] = [];
    if (!input || !shared) return { output: input, weights: [{ name: "alpha", trainable: true }], formulas: [], problems: args.problems };
    const rank = input.length;
    const bad = shared.find((a) => a < 1 || a >= rank);
    if (bad !== undefined) {
      problems.push({
        id: "invalidArgument",
        argument: "shared_axes",
        values: {
          argument: "shared_axes",
          expected: `non-batch axes of the rank-${rank} input ${formatShape(input)}, from 1 to ${rank - 1}`,
          value: pyRepr(args.raw("shared_axes") ?? null),
        },
      });
      return { output: input, weights: [{ name: "alpha", trainable: true }], formulas: [], problems: [...args.problems, ...problems] };
    }
    const shape: (number | undefined)[] = [];
    for (let i = 1; i < rank; i++) {
      const d = input[i];
      if (shared.includes(i)) shape.push(1);
      else if (typeof d === "number") shape.push(d);
      else {
        if (d === "None") problems.push({ id: "undefinedAxis", values: { layer: "PReLU", axis: i, shape: formatShape(input) } });
        shape.push(undefined);
      }
    }
    const alpha = weight("alpha", shape);
    const formula = weightFormula(alpha);
    return {
      output: input,
      weights: [alpha],
      formulas: formula ? [{ label: "params", text: formula.text }] : [],
      problems: [...args.problems, ...problems],
    };
  },
};

export const activationLayers: LayerSpec[] = costing(elementwiseCost, [activationSpec, reluSpec, leakyReluSpec, softmaxSpec, eluSpec, preluSpec, thresholdedReluSpec]);
