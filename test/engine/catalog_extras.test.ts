/**
 * Normalization, activation and regularization layers added to the catalogue,
 * worked out by hand from Keras 3:
 * GroupNormalization (keras/src/layers/normalization/group_normalization.py):
 * (groups=32, axis=-1, epsilon=1e-3, center, scale, …); build() raises when
 * input[axis] is None, when groups > input[axis] or does not divide it; groups=-1
 * means input[axis] groups; gamma (scale) and beta (center) of (input[axis],).
 * UnitNormalization (unit_normalization.py): (axis=-1), int or list/tuple, no weights.
 * PReLU (activations/prelu.py): alpha of shape input[1:] with shared axes set to 1.
 * ELU (activations/elu.py): (alpha=1.0). Keras 3 has no ThresholdedReLU.
 * GaussianNoise (regularization/gaussian_noise.py): 0 ≤ stddev ≤ 1.
 * GaussianDropout, AlphaDropout (gaussian_dropout.py, alpha_dropout.py): 0 ≤ rate ≤ 1.
 * ActivityRegularization (activity_regularization.py): (l1=0.0, l2=0.0), passes its
 * own activity_regularizer to Layer.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { findLayer } from "../../server/src/engine/layers/registry";
import { Row, checkRow, infer, rowName, sequential, tup } from "./helpers";

const N = "None";

const rows: Row[] = [
  // GroupNormalization: gamma + beta of input[axis].
  { kind: "GroupNormalization", args: [], input: [N, 8, 8, 64], output: [N, 8, 8, 64], params: 128n, trainable: 128n, note: "64 % 32 = 0; 2·64" },
  { kind: "GroupNormalization", args: [8], input: [N, 10, 32], output: [N, 10, 32], params: 64n, note: "2·32" },
  { kind: "GroupNormalization", args: [{ groups: -1 }], input: [N, 10, 30], output: [N, 10, 30], params: 60n, note: "instance norm: 30 groups; 2·30" },
  { kind: "GroupNormalization", args: [{ groups: 8, axis: 1 }], input: [N, 64, 8, 8], output: [N, 64, 8, 8], params: 128n, note: "channels first" },
  { kind: "GroupNormalization", args: [4, -3], input: [N, 12, 5, 7], output: [N, 12, 5, 7], params: 24n, note: "axis −3 → 12; 2·12" },
  { kind: "GroupNormalization", args: [4, { center: false }], input: [N, 16], output: [N, 16], params: 16n },
  { kind: "GroupNormalization", args: [4, { scale: false }], input: [N, 16], output: [N, 16], params: 16n },
  { kind: "GroupNormalization", args: [4, { scale: false, center: false }], input: [N, 16], output: [N, 16], params: 0n },
  { kind: "GroupNormalization", args: [4, -1, 1e-5, true, true, "zeros", "ones", null, null, null, null], input: [N, 16], output: [N, 16], params: 32n, note: "all 11 positional" },
  // Invalid: 30 % 4 = 2; 16 < 32; None channels; groups 0 or −2.
  { kind: "GroupNormalization", args: [4], input: [N, 30], output: [N, 30], params: undefined, problems: ["groupsNotDividing"] },
  { kind: "GroupNormalization", args: [], input: [N, 8, 8, 16], output: [N, 8, 8, 16], params: undefined, problems: ["groupsNotDividing"], note: "more groups than channels" },
  { kind: "GroupNormalization", args: [4], input: [N, 8, N], output: [N, 8, N], params: undefined, problems: ["undefinedAxis"] },
  { kind: "GroupNormalization", args: [0], input: [N, 16], output: [N, 16], params: undefined, problems: ["invalidArgument"] },
  { kind: "GroupNormalization", args: [-2], input: [N, 16], output: [N, 16], params: undefined, problems: ["invalidArgument"] },
  { kind: "GroupNormalization", args: [4, 3], input: [N, 8, 16], output: [N, 8, 16], params: undefined, problems: ["invalidArgument"], note: "axis out of range" },
  { kind: "GroupNormalization", args: [4, [1, 2]], input: [N, 8, 16], output: [N, 8, 16], params: undefined, problems: ["invalidArgument"], note: "build() indexes one axis" },
  { kind: "GroupNormalization", args: [4], input: undefined, output: undefined, params: undefined },
  { kind: "GroupNormalization", args: [4, { momentum: 0.9 }], input: [N, 16], output: [N, 16], params: 32n, problems: ["unknownKeyword"] },

  { kind: "UnitNormalization", args: [], input: [N, 5], output: [N, 5] },
  { kind: "UnitNormalization", args: [[1, 2]], input: [N, 4, 5], output: [N, 4, 5] },
  { kind: "UnitNormalization", args: [{ axis: tup(-2, -1) }], input: [N, 4, 5], output: [N, 4, 5] },
  { kind: "UnitNormalization", args: [{ axis: "last" }], input: [N, 5], output: [N, 5], problems: ["invalidArgument"], note: "TypeError in __init__" },
  { kind: "UnitNormalization", args: [{ axis: 2 }], input: [N, 5], output: [N, 5], problems: ["invalidArgument"] },
  { kind: "UnitNormalization", args: [{ epsilon: 1e-6 }], input: [N, 5], output: [N, 5], problems: ["unknownKeyword"] },

  // PReLU: alpha = input[1:] with shared axes → 1.
  { kind: "PReLU", args: [], input: [N, 10], output: [N, 10], params: 10n, trainable: 10n },
  { kind: "PReLU", args: [], input: [N, 28, 28, 32], output: [N, 28, 28, 32], params: 25088n, note: "28·28·32" },
  { kind: "PReLU", args: [{ shared_axes: [1, 2] }], input: [N, 28, 28, 32], output: [N, 28, 28, 32], params: 32n, note: "1·1·32" },
  { kind: "PReLU", args: [{ shared_axes: 1 }], input: [N, 10, 5], output: [N, 10, 5], params: 5n, note: "int shared axis: 1·5" },
  { kind: "PReLU", args: ["zeros", null, null, tup(1, 2, 3)], input: [N, 4, 4, 8], output: [N, 4, 4, 8], params: 1n, note: "positional; 1·1·1" },
  { kind: "PReLU", args: [{ shared_axes: [1] }], input: [N, N, 16], output: [N, N, 16], params: 16n, note: "open axis shared: 1·16" },
  { kind: "PReLU", args: [], input: [N], output: [N], params: 1n, note: "scalar alpha" },
  { kind: "PReLU", args: [], input: [N, N, 16], output: [N, N, 16], params: undefined, problems: ["undefinedAxis"] },
  { kind: "PReLU", args: [{ shared_axes: [0] }], input: [N, 10], output: [N, 10], params: undefined, problems: ["invalidArgument"] },
  { kind: "PReLU", args: [{ shared_axes: [3] }], input: [N, 4, 4], output: [N, 4, 4], params: undefined, problems: ["invalidArgument"] },
  { kind: "PReLU", args: [], input: undefined, output: undefined, params: undefined },
  { kind: "PReLU", args: [{ alpha: 0.1 }], input: [N, 10], output: [N, 10], params: 10n, problems: ["unknownKeyword"] },

  { kind: "ELU", args: [], input: [N, 10], output: [N, 10] },
  { kind: "ELU", args: [0.5], input: [N, 3, 4], output: [N, 3, 4] },
  { kind: "ELU", args: [{ alpha: "one" }], input: [N, 10], output: [N, 10], problems: ["invalidArgument"] },

  // Regularization: shape kept, no weights.
  { kind: "GaussianNoise", args: [0.1], input: [N, 20], output: [N, 20] },
  { kind: "GaussianNoise", args: [{ stddev: 1, seed: 3 }], input: [N, 4, 4, 3], output: [N, 4, 4, 3], note: "1 allowed" },
  { kind: "GaussianNoise", args: [1.5], input: [N, 20], output: [N, 20], problems: ["invalidArgument"] },
  { kind: "GaussianNoise", args: [-0.1], input: [N, 20], output: [N, 20], problems: ["invalidArgument"] },
  { kind: "GaussianNoise", args: [], input: [N, 20], output: [N, 20], problems: ["missingArgument"] },
  { kind: "GaussianDropout", args: [0.3], input: [N, 20], output: [N, 20] },
  { kind: "GaussianDropout", args: [0.3, 7], input: [N, 20], output: [N, 20], note: "positional seed" },
  { kind: "GaussianDropout", args: [1.2], input: [N, 20], output: [N, 20], problems: ["invalidArgument"] },
  { kind: "GaussianDropout", args: [0.3, { noise_shape: tup(null, 1) }], input: [N, 20], output: [N, 20], problems: ["unknownKeyword"] },
  { kind: "AlphaDropout", args: [0.2], input: [N, 20], output: [N, 20] },
  { kind: "AlphaDropout", args: [0.2, tup(null, 1, 8), 1], input: [N, 5, 8], output: [N, 5, 8] },
  { kind: "AlphaDropout", args: [2], input: [N, 20], output: [N, 20], problems: ["invalidArgument"] },
  { kind: "AlphaDropout", args: [0.2, { noise_shape: "x" }], input: [N, 20], output: [N, 20], problems: ["invalidArgument"] },
  { kind: "ActivityRegularization", args: [], input: [N, 20], output: [N, 20] },
  { kind: "ActivityRegularization", args: [0.01, 0.001], input: [N, 20], output: [N, 20] },
  { kind: "ActivityRegularization", args: [{ l1: "a" }], input: [N, 20], output: [N, 20], problems: ["invalidArgument"] },
  { kind: "ActivityRegularization", args: [{ activity_regularizer: "l2" }], input: [N, 20], output: [N, 20], problems: ["unknownKeyword"], note: "passed twice to Layer" },
];

for (const row of rows) test(rowName(row), () => checkRow(row, assert));

test("Keras 3 has no ThresholdedReLU: it is modelled as tf.keras 2's only, and refused when a file is read as Keras 3", () => {
  assert.equal(findLayer("ThresholdedReLU")?.generations?.only, 2);
  // Keras 3 (keras/api/layers/__init__.py has no ThresholdedReLU): AttributeError, LL127, nothing passed on.
  assert.deepEqual(infer("ThresholdedReLU", [], ["None", 8], 3).problems, ["notInGeneration"]);
  assert.equal(infer("ThresholdedReLU", [], ["None", 8], 3).output, undefined);
});

test("GroupNormalization names the channels and groups when they do not divide", () => {
  const got = infer("GroupNormalization", [4], ["None", 30]);
  assert.deepEqual(got.messages, ["The channels on axis -1 (30) must be divisible by groups (4)."]);
});

test("PReLU alpha shape and formula", () => {
  const got = infer("PReLU", [{ shared_axes: [1, 2] }], ["None", 28, 28, 32]);
  assert.deepEqual(got.result.weights.map((w) => [w.name, w.shape, w.trainable]), [["alpha", [1, 1, 32], true]]);
  assert.deepEqual(got.result.formulas, [{ label: "params", text: "1·1·32 = 32" }]);
});

test("Sequential: Conv2D → GroupNormalization → PReLU totals", () => {
  // Conv2D (3·3·3 + 1)·16 = 448 → (None, 30, 30, 16); GroupNorm 2·16 = 32; PReLU shared (1, 2): 16.
  const model = sequential([32, 32, 3], [
    ["Conv2D", [16, 3]],
    ["GroupNormalization", [4]],
    ["PReLU", [{ shared_axes: [1, 2] }]],
    ["GaussianNoise", [0.1]],
  ]);
  assert.deepEqual(model.layers[4].output, ["None", 30, 30, 16]);
  assert.equal(model.totals.total, 496n);
  assert.equal(model.totals.trainable, 496n);
});
