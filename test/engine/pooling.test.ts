/**
 * Pooling layers. Expected values are worked out by hand from Keras 3's
 * `compute_pooling_output_shape` (keras/src/ops/operation_utils.py):
 * valid → ⌊(n − pool) / stride⌋ + 1 (error when ≤ 0), same → ⌊(n − 1) / stride⌋ + 1,
 * strides=None → strides = pool_size (keras/src/layers/pooling/base_pooling.py).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { findLayer } from "../../server/src/engine/layers/registry";
import { Row, checkRow, infer, rowName, sequential, tup } from "./helpers";

const N = "None";

const rows: Row[] = [
  // Defaults: pool (2, 2), strides None → (2, 2): ⌊(28 − 2) / 2⌋ + 1 = 14.
  { kind: "MaxPooling2D", args: [], input: [N, 28, 28, 32], output: [N, 14, 14, 32] },
  { kind: "MaxPool2D", args: [], input: [N, 28, 28, 32], output: [N, 14, 14, 32], note: "alias" },
  // pool 3, strides default to 3: ⌊(28 − 3) / 3⌋ + 1 = 8 + 1 = 9.
  { kind: "MaxPooling2D", args: [3], input: [N, 28, 28, 32], output: [N, 9, 9, 32] },
  // Explicit strides 1: 5 − 2 + 1 = 4.
  { kind: "MaxPooling2D", args: [{ pool_size: 2, strides: 1 }], input: [N, 5, 5, 4], output: [N, 4, 4, 4] },
  // Tuples: h ⌊(10 − 2) / 1⌋ + 1 = 9, w ⌊(11 − 3) / 2⌋ + 1 = 5.
  { kind: "MaxPooling2D", args: [tup(2, 3), { strides: tup(1, 2) }], input: [N, 10, 11, 3], output: [N, 9, 5, 3] },
  // same: h ⌊(7 − 1) / 2⌋ + 1 = 4, w ⌊(8 − 1) / 2⌋ + 1 = 4.
  { kind: "MaxPooling2D", args: [3, { strides: 2, padding: "same" }], input: [N, 7, 8, 1], output: [N, 4, 4, 1] },
  { kind: "MaxPooling2D", args: [3, 2, "SAME"], input: [N, 7, 8, 1], output: [N, 4, 4, 1], note: "padding is case-insensitive" },
  // same with a window larger than the input: ⌊(4 − 1) / 5⌋ + 1 = 1.
  { kind: "MaxPooling2D", args: [5, { padding: "same" }], input: [N, 4, 4, 1], output: [N, 1, 1, 1] },
  // channels_first: (C, H, W) = (3, 32, 30) → (3, 16, 15).
  { kind: "MaxPooling2D", args: [{ data_format: "channels_first" }], input: [N, 3, 32, 30], output: [N, 3, 16, 15] },
  { kind: "MaxPooling2D", args: [{ data_format: "channels_last" }], input: [N, 32, 30, 3], output: [N, 16, 15, 3] },
  // 1-D default pool 2: ⌊(100 − 2) / 2⌋ + 1 = 50.
  { kind: "MaxPooling1D", args: [], input: [N, 100, 16], output: [N, 50, 16] },
  { kind: "MaxPool1D", args: [4, null, "valid"], input: [N, 10, 8], output: [N, 2, 8], note: "⌊(10 − 4) / 4⌋ + 1 = 2" },
  { kind: "MaxPooling1D", args: [3, 1, "same"], input: [N, 10, 8], output: [N, 10, 8] },
  { kind: "MaxPooling1D", args: [{ data_format: "channels_first" }], input: [N, 8, 10], output: [N, 8, 5] },
  // 3-D default pool (2, 2, 2): 16 → 8.
  { kind: "MaxPooling3D", args: [], input: [N, 16, 16, 16, 1], output: [N, 8, 8, 8, 1] },
  // (1, 2, 2) channels_first: d ⌊(10 − 1) / 1⌋ + 1 = 10, h = w = ⌊(20 − 2) / 2⌋ + 1 = 10.
  { kind: "MaxPool3D", args: [tup(1, 2, 2), { data_format: "channels_first" }], input: [N, 4, 10, 20, 20], output: [N, 4, 10, 10, 10] },
  // Average pooling: same arithmetic; in Keras 3 pool_size has no default.
  { kind: "AveragePooling2D", args: [2], input: [N, 28, 28, 32], output: [N, 14, 14, 32] },
  { kind: "AvgPool2D", args: [{ pool_size: tup(2, 2), strides: tup(1, 1) }], input: [N, 3, 3, 1], output: [N, 2, 2, 1] },
  { kind: "AveragePooling2D", args: [], input: [N, 28, 28, 32], output: [N, "?", "?", 32], problems: ["missingArgument"] },
  // ⌊(10 − 1) / 3⌋ + 1 = 4.
  { kind: "AveragePooling1D", args: [3, { padding: "same" }], input: [N, 10, 2], output: [N, 4, 2] },
  { kind: "AvgPool1D", args: [2, { data_format: "channels_first" }], input: [N, 2, 9], output: [N, 2, 4], note: "⌊(9 − 2) / 2⌋ + 1 = 4" },
  // Keras docstring example: 30 → ⌊(30 − 3) / 3⌋ + 1 = 10.
  { kind: "AveragePooling3D", args: [{ pool_size: 3 }], input: [N, 30, 30, 30, 3], output: [N, 10, 10, 10, 3] },
  { kind: "AvgPool3D", args: [2, { data_format: "channels_first", padding: "same" }], input: [N, 3, 5, 5, 5], output: [N, 3, 3, 3, 3] },
  // Open dimensions pass through: None stays None, ? stays ?.
  { kind: "MaxPooling1D", args: [], input: [N, N, 8], output: [N, N, 8] },
  { kind: "MaxPooling2D", args: [], input: [N, "?", 28, 3], output: [N, "?", 14, 3] },
  { kind: "MaxPooling2D", args: [], input: [4, 28, 28, 3], output: [4, 14, 14, 3], note: "fixed batch" },
  { kind: "MaxPooling2D", args: [], input: undefined, output: undefined },
  // Invalid values.
  { kind: "MaxPooling2D", args: [0], input: [N, 28, 28, 32], output: [N, "?", "?", 32], problems: ["nonPositiveArgument"] },
  { kind: "MaxPooling2D", args: [2, 0], input: [N, 28, 28, 32], output: [N, "?", "?", 32], problems: ["nonPositiveArgument"] },
  { kind: "MaxPooling2D", args: [tup(2, 2, 2)], input: [N, 28, 28, 3], output: [N, "?", "?", 3], problems: ["invalidArgument"] },
  // ⌊(4 − 5) / 5⌋ + 1 = −1 + 1 = 0 on both axes.
  { kind: "MaxPooling2D", args: [5], input: [N, 4, 4, 1], output: [N, "?", "?", 1], problems: ["nonPositiveDimension", "nonPositiveDimension"] },
  // h: 2 − 3 + 1 = 0, w: 10 − 3 + 1 = 8.
  { kind: "MaxPooling2D", args: [3, 1], input: [N, 2, 10, 1], output: [N, "?", 8, 1], problems: ["nonPositiveDimension"] },
  { kind: "MaxPooling2D", args: [{ padding: "full" }], input: [N, 28, 28, 3], output: [N, "?", "?", 3], problems: ["invalidPadding"] },
  { kind: "MaxPooling1D", args: [{ padding: "causal" }], input: [N, 10, 3], output: [N, "?", 3], problems: ["causalPadding"] },
  { kind: "MaxPooling2D", args: [{ data_format: "channels_middle" }], input: [N, 28, 28, 3], output: [N, "?", "?", "?"], problems: ["invalidDataFormat"] },
  { kind: "MaxPooling2D", args: [], input: [N, 28, 28], output: undefined, problems: ["wrongRank"] },
  { kind: "MaxPooling1D", args: [], input: [N, 28, 28, 3], output: undefined, problems: ["wrongRank"] },
  { kind: "AveragePooling3D", args: [2], input: [N, 8, 8, 3], output: undefined, problems: ["wrongRank"] },
  { kind: "MaxPooling2D", args: [{ pool: 2 }], input: [N, 28, 28, 3], output: [N, 14, 14, 3], problems: ["unknownKeyword"] },
  { kind: "MaxPooling2D", args: [2, 2, "valid", null, "extra"], input: [N, 28, 28, 3], output: [N, 14, 14, 3], problems: ["tooManyPositional"] },

  // Global pooling: (batch, channels), or 1 per spatial axis with keepdims.
  { kind: "GlobalMaxPooling2D", args: [], input: [N, 7, 7, 512], output: [N, 512] },
  { kind: "GlobalMaxPool2D", args: [{ keepdims: true }], input: [N, 7, 7, 512], output: [N, 1, 1, 512] },
  { kind: "GlobalAveragePooling2D", args: [{ data_format: "channels_first" }], input: [N, 512, 7, 7], output: [N, 512] },
  { kind: "GlobalAvgPool2D", args: ["channels_first", true], input: [N, 512, 7, 7], output: [N, 512, 1, 1] },
  { kind: "GlobalMaxPooling1D", args: [], input: [N, N, 64], output: [N, 64] },
  { kind: "GlobalAveragePooling1D", args: [{ keepdims: true }], input: [N, 10, 64], output: [N, 1, 64] },
  { kind: "GlobalAvgPool1D", args: [{ data_format: "channels_first", keepdims: true }], input: [N, 64, 10], output: [N, 64, 1] },
  { kind: "GlobalMaxPool3D", args: [{ keepdims: true, data_format: "channels_first" }], input: [N, 8, 4, 4, 4], output: [N, 8, 1, 1, 1] },
  { kind: "GlobalMaxPooling3D", args: [], input: [N, 4, 4, 4, 8], output: [N, 8] },
  { kind: "GlobalAveragePooling3D", args: [{ keepdims: true }], input: [N, 4, 4, 4, 8], output: [N, 1, 1, 1, 8] },
  { kind: "GlobalAveragePooling2D", args: [], input: [N, 7, 7, N], output: [N, N], note: "open channels stay open" },
  { kind: "GlobalMaxPooling2D", args: [], input: [N, 10, 64], output: undefined, problems: ["wrongRank"] },
  { kind: "GlobalAveragePooling1D", args: [], input: [N, 4, 4, 64], output: undefined, problems: ["wrongRank"] },
  { kind: "GlobalMaxPooling2D", args: [{ keepdims: "yes" }], input: [N, 7, 7, 8], output: undefined, problems: ["invalidArgument"] },
  { kind: "GlobalAvgPool1D", args: [{ data_format: "nchw" }], input: [N, 10, 8], output: [N, "?"], problems: ["invalidDataFormat"] },
  { kind: "GlobalMaxPooling2D", args: [{ pool_size: 2 }], input: [N, 7, 7, 8], output: [N, 8], problems: ["unknownKeyword"] },
];

for (const row of rows) test(rowName(row), () => checkRow(row, assert));

test("pooling has no weights and formulas show the window arithmetic", () => {
  const got = infer("MaxPooling2D", [tup(2, 3), { strides: tup(1, 2) }], ["None", 10, 11, 3]);
  assert.deepEqual(got.result.weights, []);
  assert.deepEqual(got.result.formulas, [
    { label: "height", text: "10 − 2 + 1 = 9" },
    { label: "width", text: "⌊(11 − 3) / 2⌋ + 1 = 5" },
  ]);
});

test("a non-positive pooled size names the axis, the formula and pool_size", () => {
  const got = infer("MaxPooling2D", [3, 1], ["None", 2, 10, 1]);
  const [problem] = got.result.problems;
  assert.equal(problem.id, "nonPositiveDimension");
  assert.equal(problem.argument, "pool_size");
  assert.equal(problem.axis, 1);
  assert.deepEqual(problem.values, { layer: "MaxPooling2D", axis: "height", value: 0, formula: "2 − 3 + 1 = 0", history: "" });
});

test("channels_first pooling names spatial axes after the channel axis", () => {
  const got = infer("MaxPooling2D", [5, { data_format: "channels_first" }], ["None", 64, 4, 40]);
  // h: ⌊(4 − 5) / 5⌋ + 1 = 0 at input axis 2; w: ⌊(40 − 5) / 5⌋ + 1 = 8.
  assert.deepEqual(got.output, ["None", 64, "?", 8]);
  assert.equal(got.result.problems[0].axis, 2);
});

test("each pooling spec declares its spatial rank and Keras 3 signature", () => {
  for (const [kind, rank] of [["MaxPooling1D", 1], ["AveragePooling3D", 3], ["GlobalMaxPooling2D", 2], ["GlobalAvgPool3D", 3]] as const) {
    assert.equal(findLayer(kind)?.spatialRank, rank, kind);
  }
});

test("Sequential: pooling twice too often reports the shrink history", () => {
  // 8 → 4 → 2 → ⌊(2 − 3) / 3⌋ + 1 = 0.
  const model = sequential([8, 8, 1], [
    ["MaxPooling2D", []],
    ["MaxPooling2D", []],
    ["MaxPooling2D", [3]],
  ]);
  assert.deepEqual(model.layers[2].output, ["None", 2, 2, 1]);
  assert.deepEqual(model.layers[3].output, ["None", "?", "?", 1]);
  const errors = model.diagnostics.filter((d) => d.id === "nonPositiveDimension");
  assert.equal(errors.length, 2);
  assert.equal(errors[0].code, "LL101");
  assert.match(errors[0].message, /It was 8 at the model input and shrunk by MaxPooling2D \(8 → 4\), MaxPooling2D \(4 → 2\)/);
  assert.equal(model.totals.total, 0n);
});

test("Sequential: a channels-first looking input warns before global pooling", () => {
  const model = sequential([3, 32, 32], [["GlobalAveragePooling2D", []]]);
  assert.deepEqual(model.layers[1].output, ["None", 32]);
  assert.ok(model.diagnostics.some((d) => d.id === "channelsFirstInput"));
});
