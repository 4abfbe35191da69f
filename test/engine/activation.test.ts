/**
 * Activation and dropout layers keep the shape and have no weights; the specs
 * check arguments as Keras 3's constructors do:
 * ReLU (keras/src/layers/activations/relu.py): max_value None or ≥ 0, negative_slope
 * and threshold not None and ≥ 0. LeakyReLU (leaky_relu.py): negative_slope=0.3,
 * ≥ 0; deprecated `alpha` still accepted. Softmax (softmax.py): axis int or list.
 * Dropout (regularization/dropout.py): 0 ≤ rate ≤ 1; noise_shape None or positive
 * ints/None. SpatialDropout1D/2D/3D (spatial_dropout.py): input rank 3/4/5,
 * constructors (rate, [data_format,] seed, name, dtype) without **kwargs.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Row, checkRow, infer, rowName, sequential, tup } from "./helpers";

const N = "None";

const rows: Row[] = [
  { kind: "Activation", args: ["relu"], input: [N, 10], output: [N, 10] },
  { kind: "Activation", args: [{ activation: "softmax" }], input: [N, 4, 4, 3], output: [N, 4, 4, 3] },
  { kind: "Activation", args: [], input: [N, 10], output: [N, 10], problems: ["missingArgument"] },
  { kind: "Activation", args: [], input: undefined, output: undefined, problems: ["missingArgument"] },

  { kind: "ReLU", args: [], input: [N, 10], output: [N, 10] },
  { kind: "ReLU", args: [6.0], input: [N, 10], output: [N, 10] },
  { kind: "ReLU", args: [6, 0.1, 0.5], input: [N, 10], output: [N, 10], note: "positional" },
  { kind: "ReLU", args: [{ max_value: 0 }], input: [N, 10], output: [N, 10], note: "0 is allowed" },
  { kind: "ReLU", args: [{ max_value: -1 }], input: [N, 10], output: [N, 10], problems: ["invalidArgument"] },
  { kind: "ReLU", args: [{ negative_slope: null }], input: [N, 10], output: [N, 10], problems: ["invalidArgument"] },
  { kind: "ReLU", args: [{ negative_slope: -0.1 }], input: [N, 10], output: [N, 10], problems: ["invalidArgument"] },
  { kind: "ReLU", args: [{ threshold: -0.5 }], input: [N, 10], output: [N, 10], problems: ["invalidArgument"] },
  { kind: "ReLU", args: [{ alpha: 0.1 }], input: [N, 10], output: [N, 10], problems: ["unknownKeyword"] },

  { kind: "LeakyReLU", args: [], input: [N, 10], output: [N, 10] },
  { kind: "LeakyReLU", args: [0.1], input: [N, 5, 10], output: [N, 5, 10] },
  { kind: "LeakyReLU", args: [{ negative_slope: -0.1 }], input: [N, 10], output: [N, 10], problems: ["invalidArgument"] },
  { kind: "LeakyReLU", args: [{ alpha: 0.2 }], input: [N, 10], output: [N, 10], note: "deprecated spelling" },
  { kind: "LeakyReLU", args: [{ alpha: -1 }], input: [N, 10], output: [N, 10], problems: ["invalidArgument"] },
  { kind: "LeakyReLU", args: [{ alpha: null }], input: [N, 10], output: [N, 10], problems: ["invalidArgument"] },

  { kind: "Softmax", args: [], input: [N, 10], output: [N, 10] },
  { kind: "Softmax", args: [{ axis: 1 }], input: [N, 5, 10], output: [N, 5, 10] },
  { kind: "Softmax", args: [tup(1, 2)], input: [N, 5, 10], output: [N, 5, 10] },
  { kind: "Softmax", args: [{ axis: 3 }], input: [N, 5, 10], output: [N, 5, 10], problems: ["invalidArgument"], note: "rank 3 has axes −3…2" },
  { kind: "Softmax", args: [{ axis: -4 }], input: [N, 5, 10], output: [N, 5, 10], problems: ["invalidArgument"] },
  { kind: "Softmax", args: [{ axis: "last" }], input: [N, 10], output: [N, 10], problems: ["invalidArgument"] },

  { kind: "Dropout", args: [0.5], input: [N, 128], output: [N, 128] },
  { kind: "Dropout", args: [0], input: [N, 128], output: [N, 128], note: "rate 0 allowed" },
  { kind: "Dropout", args: [1], input: [N, 128], output: [N, 128], note: "rate 1 allowed: 0 <= rate <= 1" },
  { kind: "Dropout", args: [0.25], input: [N, 4, 4, 8], output: [N, 4, 4, 8] },
  { kind: "Dropout", args: [0.5, tup(null, 1), 3], input: [N, 10], output: [N, 10], note: "positional" },
  { kind: "Dropout", args: [{ rate: 0.2, noise_shape: tup(null, 1, 64), seed: 42 }], input: [N, 10, 64], output: [N, 10, 64] },
  { kind: "Dropout", args: [1.5], input: [N, 128], output: [N, 128], problems: ["invalidArgument"] },
  { kind: "Dropout", args: [-0.1], input: [N, 128], output: [N, 128], problems: ["invalidArgument"] },
  { kind: "Dropout", args: ["0.5"], input: [N, 128], output: [N, 128], problems: ["invalidArgument"] },
  { kind: "Dropout", args: [0.5, { noise_shape: tup(0, 1) }], input: [N, 128], output: [N, 128], problems: ["invalidArgument"] },
  { kind: "Dropout", args: [0.5, { noise_shape: "abc" }], input: [N, 128], output: [N, 128], problems: ["invalidArgument"] },
  { kind: "Dropout", args: [], input: [N, 128], output: [N, 128], problems: ["missingArgument"] },
  { kind: "Dropout", args: [0.5, { trainable: false, name: "drop" }], input: [N, 128], output: [N, 128], note: "base keywords" },
  { kind: "Dropout", args: [0.5, { data_format: "channels_last" }], input: [N, 128], output: [N, 128], problems: ["unknownKeyword"] },

  { kind: "SpatialDropout1D", args: [0.2], input: [N, 10, 64], output: [N, 10, 64] },
  { kind: "SpatialDropout1D", args: [0.2, 7], input: [N, 10, 64], output: [N, 10, 64], note: "seed positional" },
  { kind: "SpatialDropout1D", args: [0.2], input: [N, 64], output: undefined, problems: ["wrongRank"] },
  { kind: "SpatialDropout1D", args: [0.2, { data_format: "channels_first" }], input: [N, 10, 64], output: [N, 10, 64], problems: ["unknownKeyword"] },
  { kind: "SpatialDropout2D", args: [0.2], input: [N, 8, 8, 16], output: [N, 8, 8, 16] },
  { kind: "SpatialDropout2D", args: [0.2, "channels_first"], input: [N, 16, 8, 8], output: [N, 16, 8, 8] },
  { kind: "SpatialDropout2D", args: [0.2, { name: "sd", dtype: "float32", seed: 1 }], input: [N, 8, 8, 16], output: [N, 8, 8, 16] },
  { kind: "SpatialDropout2D", args: [0.2], input: [N, 8, 8], output: undefined, problems: ["wrongRank"] },
  { kind: "SpatialDropout2D", args: [1.5], input: [N, 8, 8, 16], output: [N, 8, 8, 16], problems: ["invalidArgument"] },
  { kind: "SpatialDropout2D", args: [0.2, { data_format: "bad" }], input: [N, 8, 8, 16], output: [N, 8, 8, 16], problems: ["invalidDataFormat"] },
  { kind: "SpatialDropout2D", args: [0.1, { noise_shape: tup(1, 1) }], input: [N, 8, 8, 16], output: [N, 8, 8, 16], problems: ["unknownKeyword"] },
  { kind: "SpatialDropout2D", args: [0.2, { trainable: false }], input: [N, 8, 8, 16], output: [N, 8, 8, 16], problems: ["unknownKeyword"], note: "no **kwargs" },
  { kind: "SpatialDropout3D", args: [0.1], input: [N, 4, 4, 4, 2], output: [N, 4, 4, 4, 2] },
  { kind: "SpatialDropout3D", args: [0.1, { data_format: "channels_first" }], input: [N, 2, 4, 4, 4], output: [N, 2, 4, 4, 4] },
  { kind: "SpatialDropout3D", args: [0.1], input: [N, 4, 4, 2], output: undefined, problems: ["wrongRank"] },
];

for (const row of rows) test(rowName(row), () => checkRow(row, assert));

test("invalid rate names the allowed range", () => {
  const [problem] = infer("Dropout", [1.5], ["None", 128]).result.problems;
  assert.equal(problem.argument, "rate");
  assert.deepEqual(problem.values, { argument: "rate", expected: "a number in [0, 1]", value: "1.5" });
});

test("Sequential: activations and dropout pass shapes and add no weights", () => {
  // Dense (4 + 1)·8 = 40, (8 + 1)·3 = 27.
  const model = sequential([4], [
    ["Dense", [8]],
    ["ReLU", []],
    ["Dropout", [0.5]],
    ["Dense", [3]],
    ["Softmax", []],
  ]);
  assert.deepEqual(model.layers.at(-1)?.output, ["None", 3]);
  assert.equal(model.totals.total, 67n);
  assert.deepEqual(model.diagnostics, []);
});
