/**
 * Dense, Input and InputLayer arguments. Expected values by hand from Keras 3:
 * Dense maps the last axis (…, n) → (…, units) with n·units + units weights
 * (keras/src/layers/core/dense.py); Input(shape, batch_size, …, batch_shape)
 * gives (batch_size or None,) + shape, or batch_shape as is (core/input_layer.py).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { pyFloat } from "../../server/src/engine/values";
import { Row, checkRow, infer, rowName, sequentialRaw, tup } from "./helpers";

const N = "None";

const rows: Row[] = [
  // (64 + 1)·10 = 650.
  { kind: "Dense", args: [10], input: [N, 64], output: [N, 10], params: 650n },
  { kind: "Dense", args: [10, { use_bias: false }], input: [N, 64], output: [N, 10], params: 640n, note: "64·10" },
  { kind: "Dense", args: [{ units: 3, activation: "relu" }], input: [N, 4], output: [N, 3], params: 15n, note: "(4 + 1)·3" },
  { kind: "Dense", args: [3, "relu", true, "he_normal"], input: [N, 4], output: [N, 3], params: 15n, note: "positional" },
  { kind: "Dense", args: [2], input: [16, 4], output: [16, 2], params: 10n, note: "fixed batch" },
  // Rank 3: acts on the last axis, (20 + 1)·5 = 105, with the information LL301.
  { kind: "Dense", args: [5], input: [N, 10, 20], output: [N, 10, 5], params: 105n, problems: ["denseOnHighRank"] },
  // Rank 4: (8 + 1)·5 = 45.
  { kind: "Dense", args: [5], input: [N, 4, 4, 8], output: [N, 4, 4, 5], params: 45n, problems: ["denseOnHighRank"] },
  // LoRA: kernel frozen (8·4 = 32), bias 4, lora_kernel_a 8·2 = 16, lora_kernel_b 2·4 = 8.
  { kind: "Dense", args: [4, { lora_rank: 2 }], input: [N, 8], output: [N, 4], params: 60n, trainable: 28n, nonTrainable: 32n },
  // Invalid.
  { kind: "Dense", args: [0], input: [N, 64], output: [N, "?"], params: undefined, problems: ["nonPositiveArgument"] },
  { kind: "Dense", args: [10.5], input: [N, 64], output: [N, "?"], params: undefined, problems: ["invalidArgument"] },
  // A whole float (`Dense(256 / 2)`, `Dense(1e3)`): Keras 3 wants an int, "Received: units=128.0".
  { kind: "Dense", args: [{ units: pyFloat(128) }], input: [N, 64], output: [N, "?"], params: undefined, problems: ["invalidArgument"] },
  { kind: "Dropout", args: [{ rate: pyFloat(1) }], input: [N, 64], output: [N, 64], params: 0n, note: "rate 1.0 is a float, as it should be" },
  { kind: "Dense", args: [10], input: [N, N], output: [N, 10], params: undefined, problems: ["undefinedLastDimension"] },
  { kind: "Dense", args: [10], input: [N], output: undefined, params: undefined, problems: ["wrongRank"] },
  { kind: "Dense", args: [], input: [N, 64], output: [N, "?"], params: undefined, problems: ["missingArgument"] },
  { kind: "Dense", args: [10, { kernel_size: 3 }], input: [N, 64], output: [N, 10], params: 650n, problems: ["unknownKeyword"] },
  { kind: "Dense", args: [10], input: undefined, output: undefined, params: undefined },

  // Input / InputLayer: the shape comes from the arguments.
  { kind: "Input", args: [{ shape: tup(28, 28, 1) }], input: undefined, output: [N, 28, 28, 1] },
  { kind: "Input", args: [tup(10)], input: undefined, output: [N, 10], note: "positional shape" },
  { kind: "Input", args: [{ shape: tup(10), batch_size: 32 }], input: undefined, output: [32, 10] },
  { kind: "Input", args: [{ batch_shape: tup(8, 5) }], input: undefined, output: [8, 5] },
  { kind: "Input", args: [{ shape: tup(null, 3) }], input: undefined, output: [N, N, 3] },
  { kind: "Input", args: [{ shape: [4, 4], name: "x", dtype: "float32" }], input: undefined, output: [N, 4, 4] },
  { kind: "InputLayer", args: [{ shape: tup(4) }], input: undefined, output: [N, 4] },
  { kind: "InputLayer", args: [{ input_shape: tup(4) }], input: undefined, output: [N, 4], note: "Keras 2 spelling" },
  { kind: "InputLayer", args: [{ batch_shape: tup(2, 3, 4) }], input: undefined, output: [2, 3, 4] },
  { kind: "Input", args: [{ shape: 5 }], input: undefined, output: undefined, problems: ["invalidArgument"] },
  { kind: "Input", args: [{ shape: tup(-1, 3) }], input: undefined, output: undefined, problems: ["invalidArgument"] },
  { kind: "Input", args: [{ shapes: tup(3) }], input: undefined, output: undefined, problems: ["unknownKeyword"] },
];

for (const row of rows) test(rowName(row), () => checkRow(row, assert));

test("Dense formula and weights", () => {
  const got = infer("Dense", [10], ["None", 64]);
  assert.deepEqual(got.result.formulas, [{ label: "params", text: "(64 + 1)·10 = 650" }]);
  assert.deepEqual(got.result.weights.map((w) => [w.name, w.shape]), [
    ["kernel", [64, 10]],
    ["bias", [10]],
  ]);
});

test("Sequential: Dense on a rank-4 input is the information LL301", () => {
  const model = sequentialRaw([
    ["Input", [{ shape: tup(4, 4, 8) }]],
    ["Dense", [5]],
  ]);
  assert.deepEqual(model.diagnostics.map((d) => [d.code, d.severity]), [["LL301", "information"]]);
  assert.match(model.diagnostics[0].message, /\(None, 4, 4, 5\)/);
});

test("Sequential: input_shape= and input_dim= on the first layer declare the input", () => {
  // (4 + 1)·10 = 50.
  const a = sequentialRaw([["Dense", [10, { input_shape: tup(4) }]]]);
  assert.deepEqual(a.input, ["None", 4]);
  assert.equal(a.totals.total, 50n);
  const b = sequentialRaw([["Dense", [10, { input_dim: 4 }]]]);
  assert.deepEqual(b.layers[0].output, ["None", 10]);
  assert.equal(b.totals.total, 50n);
});

test("Sequential: no input shape leaves parameter totals unknown", () => {
  const model = sequentialRaw([["Dense", [10]]]);
  assert.equal(model.totals.total, undefined);
  assert.ok(model.diagnostics.some((d) => d.id === "shapeUnknown"));
});

test("Sequential: unknown keyword 'filter' is LL109", () => {
  const model = sequentialRaw([
    ["Input", [{ shape: tup(8, 8, 1) }]],
    ["Conv2D", [{ filter: 4, kernel_size: 3 }]],
  ]);
  assert.ok(model.diagnostics.some((d) => d.code === "LL109"));
});
