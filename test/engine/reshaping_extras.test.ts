/**
 * Permute, RepeatVector, Cropping1D/2D/3D, UpSampling1D/2D/3D. Expected values
 * worked out by hand from Keras 3 (keras/src/layers/reshaping/):
 * - Permute(dims): output axis i is input axis dims[i]; dims must sort to 1…n and
 *   the input must have rank n + 1 (permute.py).
 * - RepeatVector(n): (batch, f) → (batch, n, f); input rank 2 (repeat_vector.py).
 * - Cropping: each axis n − before − after; an int is symmetric, each entry of a
 *   tuple is an int or a (before, after) pair; Keras raises when the result is ≤ 0.
 *   Defaults: 1-D (1, 1), 2-D ((0, 0), (0, 0)), 3-D ((1, 1), (1, 1), (1, 1));
 *   Cropping1D has no data_format (cropping1d.py, cropping2d.py, cropping3d.py).
 * - UpSampling: each spatial axis n·size; 1-D size must be a positive int,
 *   2-D/3-D `standardize_tuple`; 2-D interpolation is resized with `ops.image.resize`.
 * No weights anywhere.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Row, checkRow, infer, rowName, sequential, tup } from "./helpers";

const N = "None";
const Q = "?";

const rows: Row[] = [
  // Permute — Keras docstring: (10, 64) with (2, 1) → (64, 10).
  { kind: "Permute", args: [tup(2, 1)], input: [N, 10, 64], output: [N, 64, 10] },
  { kind: "Permute", args: [tup(1, 3, 2)], input: [N, 4, 5, 6], output: [N, 4, 6, 5] },
  { kind: "Permute", args: [{ dims: [3, 1, 2] }], input: [N, 4, 5, 6], output: [N, 6, 4, 5], note: "list" },
  { kind: "Permute", args: [tup(2, 1)], input: [N, N, 8], output: [N, 8, N] },
  { kind: "Permute", args: [tup(1)], input: [7, 3], output: [7, 3], note: "identity on rank 2" },
  { kind: "Permute", args: [tup(0, 1)], input: [N, 10, 64], output: [N, Q, Q], problems: ["invalidArgument"], note: "0-based" },
  { kind: "Permute", args: [tup(1, 1)], input: [N, 10, 64], output: [N, Q, Q], problems: ["invalidArgument"] },
  { kind: "Permute", args: [tup(1, 3)], input: [N, 10, 64], output: [N, Q, Q], problems: ["invalidArgument"] },
  { kind: "Permute", args: [2], input: [N, 10, 64], output: [N, Q, Q], problems: ["invalidArgument"] },
  { kind: "Permute", args: [tup(2, 1)], input: [N, 4, 5, 6], output: undefined, problems: ["wrongRank"] },
  { kind: "Permute", args: [], input: [N, 10, 64], output: [N, Q, Q], problems: ["missingArgument"] },
  { kind: "Permute", args: [tup(2, 1)], input: undefined, output: undefined },

  // RepeatVector — Keras docstring: (32,) with 3 → (3, 32).
  { kind: "RepeatVector", args: [3], input: [N, 32], output: [N, 3, 32] },
  { kind: "RepeatVector", args: [{ n: 5 }], input: [N, N], output: [N, 5, N] },
  { kind: "RepeatVector", args: [0], input: [N, 32], output: [N, 0, 32], note: "Keras accepts any integer index" },
  { kind: "RepeatVector", args: [-1], input: [N, 32], output: [N, Q, 32], problems: ["invalidArgument"] },
  { kind: "RepeatVector", args: [2.5], input: [N, 32], output: [N, Q, 32], problems: ["invalidArgument"] },
  { kind: "RepeatVector", args: [3], input: [N, 10, 32], output: undefined, problems: ["wrongRank"] },
  { kind: "RepeatVector", args: [], input: [N, 32], output: [N, Q, 32], problems: ["missingArgument"] },

  // Cropping1D: default (1, 1): 10 − 1 − 1 = 8.
  { kind: "Cropping1D", args: [], input: [N, 10, 4], output: [N, 8, 4] },
  { kind: "Cropping1D", args: [2], input: [N, 10, 4], output: [N, 6, 4], note: "10 − 2 − 2" },
  { kind: "Cropping1D", args: [tup(1, 3)], input: [N, 10, 4], output: [N, 6, 4], note: "10 − 1 − 3" },
  { kind: "Cropping1D", args: [tup(0, 0)], input: [N, 10, 4], output: [N, 10, 4] },
  { kind: "Cropping1D", args: [], input: [N, N, 4], output: [N, N, 4] },
  // 10 − 5 − 5 = 0.
  { kind: "Cropping1D", args: [tup(5, 5)], input: [N, 10, 4], output: [N, Q, 4], problems: ["nonPositiveDimension"] },
  { kind: "Cropping1D", args: [-1], input: [N, 10, 4], output: [N, Q, 4], problems: ["invalidArgument"] },
  { kind: "Cropping1D", args: [tup(1, 2, 3)], input: [N, 10, 4], output: [N, Q, 4], problems: ["invalidArgument"] },
  { kind: "Cropping1D", args: [{ data_format: "channels_last" }], input: [N, 10, 4], output: [N, 8, 4], problems: ["unknownKeyword"] },
  { kind: "Cropping1D", args: [], input: [N, 10, 10, 4], output: undefined, problems: ["wrongRank"] },

  // Cropping2D — Keras docstring: ((2, 2), (4, 4)) on (28, 28, 3) → (24, 20, 3).
  { kind: "Cropping2D", args: [tup(tup(2, 2), tup(4, 4))], input: [2, 28, 28, 3], output: [2, 24, 20, 3] },
  { kind: "Cropping2D", args: [], input: [N, 28, 28, 3], output: [N, 28, 28, 3], note: "default crops nothing" },
  { kind: "Cropping2D", args: [2], input: [N, 28, 28, 3], output: [N, 24, 24, 3] },
  // (1, 2): h 28 − 1 − 1 = 26, w 28 − 2 − 2 = 24.
  { kind: "Cropping2D", args: [tup(1, 2)], input: [N, 28, 28, 3], output: [N, 26, 24, 3] },
  // Mixed ((1, 2), 3): h 28 − 1 − 2 = 25, w 28 − 3 − 3 = 22.
  { kind: "Cropping2D", args: [tup(tup(1, 2), 3)], input: [N, 28, 28, 3], output: [N, 25, 22, 3] },
  // channels_first: h 10 − 2 = 8, w 10 − 4 = 6.
  { kind: "Cropping2D", args: [tup(tup(1, 1), tup(2, 2)), "channels_first"], input: [N, 3, 10, 10], output: [N, 3, 8, 6] },
  { kind: "Cropping2D", args: [1], input: [N, N, 10, 3], output: [N, N, 8, 3] },
  // h 6 − 3 − 3 = 0.
  { kind: "Cropping2D", args: [tup(tup(3, 3), tup(0, 0))], input: [N, 6, 6, 1], output: [N, Q, 6, 1], problems: ["nonPositiveDimension"] },
  { kind: "Cropping2D", args: [tup(1, 1, 1)], input: [N, 28, 28, 3], output: [N, Q, Q, 3], problems: ["invalidArgument"] },
  { kind: "Cropping2D", args: [tup(tup(1, -1), 0)], input: [N, 28, 28, 3], output: [N, Q, Q, 3], problems: ["invalidArgument"] },
  { kind: "Cropping2D", args: [1, "nhwc"], input: [N, 28, 28, 3], output: [N, Q, Q, Q], problems: ["invalidDataFormat"] },
  { kind: "Cropping2D", args: [], input: [N, 28, 3], output: undefined, problems: ["wrongRank"] },

  // Cropping3D — Keras docstring: (2, 4, 2) on (28, 28, 10, 3) → (24, 20, 6, 3).
  { kind: "Cropping3D", args: [{ cropping: tup(2, 4, 2) }], input: [2, 28, 28, 10, 3], output: [2, 24, 20, 6, 3] },
  { kind: "Cropping3D", args: [], input: [N, 8, 8, 8, 2], output: [N, 6, 6, 6, 2], note: "default 1 on each side" },
  // channels_first, 1: 4 → 2, 5 → 3, 6 → 4.
  { kind: "Cropping3D", args: [1, "channels_first"], input: [N, 2, 4, 5, 6], output: [N, 2, 2, 3, 4] },
  // depth 4 − 2 − 2 = 0.
  { kind: "Cropping3D", args: [tup(2, 2, 2)], input: [N, 4, 8, 8, 1], output: [N, Q, 4, 4, 1], problems: ["nonPositiveDimension"] },
  { kind: "Cropping3D", args: [tup(1, 1)], input: [N, 8, 8, 8, 1], output: [N, Q, Q, Q, 1], problems: ["invalidArgument"] },

  // UpSampling1D: default 2: 10·2 = 20.
  { kind: "UpSampling1D", args: [], input: [N, 10, 4], output: [N, 20, 4] },
  { kind: "UpSampling1D", args: [3], input: [N, 10, 4], output: [N, 30, 4] },
  { kind: "UpSampling1D", args: [], input: [N, N, 4], output: [N, N, 4] },
  { kind: "UpSampling1D", args: [0], input: [N, 10, 4], output: [N, Q, 4], problems: ["nonPositiveArgument"] },
  { kind: "UpSampling1D", args: [tup(2)], input: [N, 10, 4], output: [N, Q, 4], problems: ["invalidArgument"], note: "Keras wants an int" },
  { kind: "UpSampling1D", args: [{ data_format: "channels_first" }], input: [N, 10, 4], output: [N, 20, 4], problems: ["unknownKeyword"] },
  { kind: "UpSampling1D", args: [], input: [N, 10, 10, 4], output: undefined, problems: ["wrongRank"] },

  // UpSampling2D: default (2, 2).
  { kind: "UpSampling2D", args: [], input: [N, 14, 14, 8], output: [N, 28, 28, 8] },
  // Keras docstring: size (1, 2) on (2, 1, 3) → (2, 2, 3).
  { kind: "UpSampling2D", args: [{ size: tup(1, 2) }], input: [2, 2, 1, 3], output: [2, 2, 2, 3] },
  // channels_first, 3: 5·3 = 15, 6·3 = 18.
  { kind: "UpSampling2D", args: [3, "channels_first"], input: [N, 8, 5, 6], output: [N, 8, 15, 18] },
  { kind: "UpSampling2D", args: [2, null, "bilinear"], input: [N, 14, 14, 8], output: [N, 28, 28, 8] },
  { kind: "UpSampling2D", args: [{ interpolation: "BICUBIC" }], input: [N, 14, 14, 8], output: [N, 28, 28, 8], note: "Keras lower-cases it" },
  { kind: "UpSampling2D", args: [{ interpolation: "cubic" }], input: [N, 14, 14, 8], output: [N, 28, 28, 8], problems: ["invalidArgument"] },
  { kind: "UpSampling2D", args: [0], input: [N, 14, 14, 8], output: [N, Q, Q, 8], problems: ["nonPositiveArgument"] },
  { kind: "UpSampling2D", args: [], input: [N, 14, 8], output: undefined, problems: ["wrongRank"] },

  // UpSampling3D: default (2, 2, 2).
  { kind: "UpSampling3D", args: [], input: [N, 2, 3, 4, 1], output: [N, 4, 6, 8, 1] },
  // (1, 2, 3) channels_first: 2·1, 2·2, 2·3.
  { kind: "UpSampling3D", args: [tup(1, 2, 3), "channels_first"], input: [N, 5, 2, 2, 2], output: [N, 5, 2, 4, 6] },
  { kind: "UpSampling3D", args: [{ interpolation: "nearest" }], input: [N, 2, 3, 4, 1], output: [N, 4, 6, 8, 1], problems: ["unknownKeyword"] },
  { kind: "UpSampling3D", args: [tup(2, 2)], input: [N, 2, 3, 4, 1], output: [N, Q, Q, Q, 1], problems: ["invalidArgument"] },
];

for (const row of rows) test(rowName(row), () => checkRow(row, assert));

test("cropping and upsampling formulas; no weights", () => {
  const crop = infer("Cropping2D", [tup(tup(1, 2), 3)], ["None", 28, 28, 3]);
  assert.deepEqual(crop.result.weights, []);
  assert.deepEqual(crop.result.formulas, [
    { label: "height", text: "28 − 1 − 2 = 25" },
    { label: "width", text: "28 − 3 − 3 = 22" },
  ]);
  const up = infer("UpSampling1D", [3], ["None", 10, 4]);
  assert.deepEqual(up.result.formulas, [{ label: "length", text: "10·3 = 30" }]);
});

test("a crop that leaves nothing names the axis and blames cropping", () => {
  const got = infer("Cropping2D", [tup(tup(0, 0), tup(3, 3)), "channels_first"], ["None", 1, 8, 6]);
  const [problem] = got.result.problems;
  assert.equal(problem.id, "nonPositiveDimension");
  assert.equal(problem.argument, "cropping");
  assert.equal(problem.axis, 3);
  assert.deepEqual(problem.values, { layer: "Cropping2D", axis: "width", value: 0, formula: "6 − 3 − 3 = 0", history: "" });
});

test("Sequential: cropping after pooling reports the shrink history", () => {
  // 8 → ⌊(8 − 2) / 2⌋ + 1 = 4 → 4 − 2 − 2 = 0.
  const model = sequential([8, 8, 1], [
    ["MaxPooling2D", []],
    ["Cropping2D", [2]],
  ]);
  const errors = model.diagnostics.filter((d) => d.id === "nonPositiveDimension");
  assert.equal(errors.length, 2);
  assert.equal(errors[0].code, "LL101");
  assert.match(errors[0].message, /It was 8 at the model input and shrunk by MaxPooling2D \(8 → 4\)/);
  assert.equal(errors[0].related.length, 1);
});

test("Sequential: an autoencoder-style stack of the new layers", () => {
  // (28, 28, 1) → UpSampling2D → (56, 56, 1) → Cropping2D(((2, 2), (4, 4))) → (52, 48, 1)
  // → Permute((2, 1, 3)) → (48, 52, 1) → Flatten → 2,496 → RepeatVector(2) → (2, 2496).
  const model = sequential([28, 28, 1], [
    ["UpSampling2D", []],
    ["Cropping2D", [tup(tup(2, 2), tup(4, 4))]],
    ["Permute", [tup(2, 1, 3)]],
    ["Flatten", []],
    ["RepeatVector", [2]],
  ]);
  assert.deepEqual(model.layers.map((l) => l.output), [
    ["None", 28, 28, 1],
    ["None", 56, 56, 1],
    ["None", 52, 48, 1],
    ["None", 48, 52, 1],
    ["None", 2496],
    ["None", 2, 2496],
  ]);
  assert.deepEqual(model.diagnostics, []);
  assert.equal(model.totals.total, 0n);
});
