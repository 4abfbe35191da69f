/**
 * Normalization layers. Expected counts worked out by hand from Keras 3:
 * BatchNormalization.build (keras/src/layers/normalization/batch_normalization.py):
 * gamma (scale) and beta (center) trainable, moving_mean and moving_variance
 * non-trainable, each of shape (input[axis],); renorm=True adds moving_stddev,
 * renorm_mean, renorm_stddev (non-trainable). LayerNormalization.build
 * (layer_normalization.py): gamma (scale or rms_scaling) and beta (center and not
 * rms_scaling), each of shape tuple(input[a] for a in axis).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Row, checkRow, infer, rowName, sequential, tup } from "./helpers";

const N = "None";

const rows: Row[] = [
  // 4 vectors of 64: 256 = 128 trainable (gamma, beta) + 128 non-trainable (moving stats).
  { kind: "BatchNormalization", args: [], input: [N, 64], output: [N, 64], params: 256n, trainable: 128n, nonTrainable: 128n },
  // Channels last: 4·32 = 128.
  { kind: "BatchNormalization", args: [], input: [N, 28, 28, 32], output: [N, 28, 28, 32], params: 128n, trainable: 64n, nonTrainable: 64n },
  // axis=1 on channels-first maps: 4·32 = 128.
  { kind: "BatchNormalization", args: [{ axis: 1 }], input: [N, 32, 28, 28], output: [N, 32, 28, 28], params: 128n, trainable: 64n, nonTrainable: 64n },
  { kind: "BatchNormalization", args: [1], input: [N, 10, 20], output: [N, 10, 20], params: 40n, note: "axis positional: 4·10" },
  { kind: "BatchNormalization", args: [{ axis: 3 }], input: [N, 8, 8, 16], output: [N, 8, 8, 16], params: 64n },
  { kind: "BatchNormalization", args: [{ axis: -3 }], input: [N, 8, 8, 16], output: [N, 8, 8, 16], params: 32n, note: "axis −3 → index 1 = 8; 4·8" },
  // center=False: gamma + 2 moving = 3·64 = 192 (64 trainable).
  { kind: "BatchNormalization", args: [{ center: false }], input: [N, 64], output: [N, 64], params: 192n, trainable: 64n, nonTrainable: 128n },
  { kind: "BatchNormalization", args: [{ scale: false }], input: [N, 64], output: [N, 64], params: 192n, trainable: 64n, nonTrainable: 128n },
  { kind: "BatchNormalization", args: [{ scale: false, center: false }], input: [N, 64], output: [N, 64], params: 128n, trainable: 0n, nonTrainable: 128n },
  // renorm: 7·64 = 448, trainable 2·64 = 128, non-trainable 5·64 = 320.
  { kind: "BatchNormalization", args: [{ renorm: true, renorm_momentum: 0.9, renorm_clipping: null }], input: [N, 64], output: [N, 64], params: 448n, trainable: 128n, nonTrainable: 320n },
  // Other arguments change no shape or count.
  { kind: "BatchNormalization", args: [-1, 0.9, 1e-5, true, true, "zeros", "ones", "zeros", "ones", null, null, null, null, false, null, 0.99, false], input: [N, 10], output: [N, 10], params: 40n, note: "all 17 positional" },
  { kind: "BatchNormalization", args: [{ momentum: 0.9, epsilon: 1e-5, synchronized: false, gamma_regularizer: "l2" }], input: [N, 10], output: [N, 10], params: 40n },
  // Invalid.
  { kind: "BatchNormalization", args: [{ axis: 4 }], input: [N, 8, 8, 16], output: [N, 8, 8, 16], params: undefined, problems: ["invalidArgument"] },
  { kind: "BatchNormalization", args: [{ axis: [1, 2] }], input: [N, 8, 8, 16], output: [N, 8, 8, 16], params: undefined, problems: ["invalidArgument"], note: "Keras does int(axis)" },
  { kind: "BatchNormalization", args: [{ momentum: "high" }], input: [N, 64], output: [N, 64], params: 256n, problems: ["invalidArgument"] },
  { kind: "BatchNormalization", args: [{ center: "yes" }], input: [N, 64], output: [N, 64], params: undefined, problems: ["invalidArgument"] },
  { kind: "BatchNormalization", args: [], input: [N, N], output: [N, N], params: undefined, problems: ["undefinedLastDimension"] },
  { kind: "BatchNormalization", args: [], input: undefined, output: undefined, params: undefined },
  { kind: "BatchNormalization", args: [{ fused: true }], input: [N, 64], output: [N, 64], params: 256n, problems: ["unknownKeyword"], note: "Keras 2 only" },

  // LayerNormalization over the last axis: gamma 64 + beta 64.
  { kind: "LayerNormalization", args: [], input: [N, 64], output: [N, 64], params: 128n, trainable: 128n, nonTrainable: 0n },
  { kind: "LayerNormalization", args: [], input: [N, 10, 64], output: [N, 10, 64], params: 128n },
  // Keras docstring: axis=[1, 2, 3] on (5, 20, 30, 40) → gamma, beta (20, 30, 40): 2·24,000 = 48,000.
  { kind: "LayerNormalization", args: [{ axis: [1, 2, 3] }], input: [5, 20, 30, 40], output: [5, 20, 30, 40], params: 48000n },
  // (−2, −1) on (None, 10, 64): 2·640 = 1,280.
  { kind: "LayerNormalization", args: [tup(-2, -1)], input: [N, 10, 64], output: [N, 10, 64], params: 1280n },
  { kind: "LayerNormalization", args: [{ center: false }], input: [N, 64], output: [N, 64], params: 64n },
  { kind: "LayerNormalization", args: [{ scale: false }], input: [N, 64], output: [N, 64], params: 64n },
  { kind: "LayerNormalization", args: [{ scale: false, center: false }], input: [N, 64], output: [N, 64], params: 0n },
  // rms_scaling: gamma only, center ignored, scale=False ignored.
  { kind: "LayerNormalization", args: [{ rms_scaling: true }], input: [N, 64], output: [N, 64], params: 64n },
  { kind: "LayerNormalization", args: [{ rms_scaling: true, scale: false }], input: [N, 64], output: [N, 64], params: 64n },
  { kind: "LayerNormalization", args: [-1, 1e-6, true, true, false], input: [N, 8], output: [N, 8], params: 16n, note: "positional" },
  // Invalid.
  { kind: "LayerNormalization", args: [{ axis: 2 }], input: [N, 64], output: [N, 64], params: undefined, problems: ["invalidArgument"] },
  { kind: "LayerNormalization", args: [{ axis: "last" }], input: [N, 64], output: [N, 64], params: undefined, problems: ["invalidArgument"] },
  { kind: "LayerNormalization", args: [], input: [N, 10, N], output: [N, 10, N], params: undefined, problems: ["undefinedLastDimension"] },
  { kind: "LayerNormalization", args: [{ axis: 1 }], input: [N, N, 64], output: [N, N, 64], params: undefined, note: "size of axis 1 unknown" },
  { kind: "LayerNormalization", args: [{ momentum: 0.9 }], input: [N, 64], output: [N, 64], params: 128n, problems: ["unknownKeyword"] },
];

for (const row of rows) test(rowName(row), () => checkRow(row, assert));

test("BatchNormalization weights and formula", () => {
  const got = infer("BatchNormalization", [], ["None", 64]);
  assert.deepEqual(
    got.result.weights.map((w) => [w.name, w.shape, w.trainable]),
    [
      ["gamma", [64], true],
      ["beta", [64], true],
      ["moving_mean", [64], false],
      ["moving_variance", [64], false],
    ],
  );
  assert.deepEqual(got.result.formulas, [{ label: "params", text: "4·64 = 256 (128 trainable, 128 non-trainable)" }]);
});

test("LayerNormalization weights take the shape of the normalized axes, in order", () => {
  const got = infer("LayerNormalization", [{ axis: [3, 1] }], [5, 20, 30, 40]);
  assert.deepEqual(got.result.weights.map((w) => [w.name, w.shape]), [
    ["gamma", [40, 20]],
    ["beta", [40, 20]],
  ]);
  assert.deepEqual(got.result.formulas, [{ label: "params", text: "2·(40·20) = 1,600" }]);
});

test("Sequential: BatchNormalization's moving statistics are non-trainable in the totals", () => {
  // Dense: (8 + 1)·16 = 144; BN: 4·16 = 64 (32 + 32).
  const model = sequential([8], [
    ["Dense", [16]],
    ["BatchNormalization", []],
  ]);
  assert.equal(model.totals.total, 208n);
  assert.equal(model.totals.trainable, 176n);
  assert.equal(model.totals.nonTrainable, 32n);
});

test("Sequential: trainable=False freezes BatchNormalization's gamma and beta", () => {
  const model = sequential([16], [["BatchNormalization", [{ trainable: false }]]]);
  assert.equal(model.totals.total, 64n);
  assert.equal(model.totals.trainable, 0n);
  assert.equal(model.totals.nonTrainable, 64n);
});
