/**
 * Activation layers: Activation, ReLU, LeakyReLU, Softmax. All keep the shape and
 * have no weights; the specs only check the arguments as Keras's constructors do.
 */
import { Args } from "../args";
import { Shape, formatShape } from "../shape";
import { LayerResult, LayerSpec, Problem } from "../spec";
import { pyRepr } from "../values";

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

const leakyReluSpec: LayerSpec = {
  name: "LeakyReLU",
  summary: "Leaky ReLU: x for x ≥ 0, `negative_slope`·x below.",
  params: [
    { name: "negative_slope", default: 0.3 },
    // Deprecated Keras 2 spelling, still accepted (with a warning) and taking precedence.
    { name: "alpha", default: null },
  ],
  infer(args, input) {
    args.float(args.given.has("alpha") ? "alpha" : "negative_slope", 0);
    return same(args, input);
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

export const activationLayers: LayerSpec[] = [activationSpec, reluSpec, leakyReluSpec, softmaxSpec];
