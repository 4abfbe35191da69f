/**
 * TensorFlow ops, expectations worked out by hand from TensorFlow's documentation:
 * windowed output size (GetWindowedOutputSize) 'VALID' ⌈(n − k + 1) / s⌉, 'SAME' ⌈n / s⌉,
 * explicit ⌊(n + before + after − k) / s⌋ + 1 with k = d·(f − 1) + 1; strides / ksize /
 * dilations an int or a list of 1, 2 or 4; conv2d filters (fh, fw, in, out) with the
 * input's channels a multiple of `in`; bias_add's bias as long as the channel axis;
 * matmul's inner sizes equal, batch axes broadcast. The ops own no weights.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { MultiRow, checkMultiRow, inferMulti, multiRowName } from "./multiInput";

const N = "None";
const U = "?";
const EXPLICIT_1 = [[0, 0], [1, 1], [1, 1], [0, 0]];

const rows: MultiRow[] = [
  // The seed: 32×32×3, 20 filters 8×8×3, stride 2, zero padding 1: ⌊(32 + 2 − 8) / 2⌋ + 1 = 14.
  { kind: "tf.nn.conv2d", args: [{ strides: 2, padding: EXPLICIT_1 }], inputs: [[N, 32, 32, 3], [8, 8, 3, 20]], output: [N, 14, 14, 20] },
  { kind: "tf.nn.conv2d", args: [[1, 2, 2, 1], EXPLICIT_1], inputs: [[N, 32, 32, 3], [8, 8, 3, 20]], output: [N, 14, 14, 20], note: "positional, strides of 4" },
  // 28 − 5 + 1 = 24.
  { kind: "tf.nn.conv2d", args: [{ strides: 1, padding: "VALID" }], inputs: [[1, 28, 28, 1], [5, 5, 1, 32]], output: [1, 24, 24, 32] },
  { kind: "tf.nn.conv2d", args: [{ strides: [2, 2], padding: "SAME" }], inputs: [[N, 28, 28, 1], [3, 3, 1, 8]], output: [N, 14, 14, 8] },
  { kind: "tf.nn.conv2d", args: [{ strides: [3], padding: "SAME" }], inputs: [[N, 28, 28, 1], [3, 3, 1, 8]], output: [N, 10, 10, 8], note: "⌈28 / 3⌉" },
  { kind: "tf.nn.conv2d", args: [{ strides: [2, 1], padding: "VALID" }], inputs: [[N, 28, 28, 1], [5, 5, 1, 8]], output: [N, 12, 24, 8], note: "⌈(28 − 5 + 1) / 2⌉ = 12" },
  // Dilation 2 on a 3-tap filter spans 5: 28 − 5 + 1 = 24.
  { kind: "tf.nn.conv2d", args: [{ strides: 1, padding: "VALID", dilations: 2 }], inputs: [[N, 28, 28, 1], [3, 3, 1, 8]], output: [N, 24, 24, 8] },
  { kind: "tf.nn.conv2d", args: [{ strides: 1, padding: "VALID", dilations: [1, 2, 2, 1] }], inputs: [[N, 28, 28, 1], [3, 3, 1, 8]], output: [N, 24, 24, 8] },
  // NCHW: strides [1, 1, 2, 2] are (h, w) = (2, 2): ⌈(32 − 3 + 1) / 2⌉ = 15.
  { kind: "tf.nn.conv2d", args: [{ strides: [1, 1, 2, 2], padding: "VALID", data_format: "NCHW" }], inputs: [[N, 3, 32, 32], [3, 3, 3, 16]], output: [N, 16, 15, 15] },
  { kind: "tf.nn.conv2d", args: [{ strides: 1, padding: [[0, 0], [0, 0], [2, 2], [1, 1]], data_format: "NCHW" }], inputs: [[N, 3, 32, 32], [5, 3, 3, 16]], output: [N, 16, 32, 32] },
  // Grouped: 6 input channels on a 3-channel filter = 2 groups; 4 outputs split evenly.
  { kind: "tf.nn.conv2d", args: [{ strides: 1, padding: "SAME" }], inputs: [[N, 8, 8, 6], [3, 3, 3, 4]], output: [N, 8, 8, 4] },
  { kind: "tf.nn.conv2d", args: [{ strides: 1, padding: "SAME" }], inputs: [[N, N, N, 3], [3, 3, 3, 20]], output: [N, N, N, 20] },
  { kind: "tf.nn.conv2d", args: [{ strides: 1, padding: "SAME" }], inputs: [[N, 28, 28, 3], undefined], output: [N, 28, 28, U], note: "'SAME' sizes do not need the filter" },
  { kind: "tf.nn.conv2d", args: [{ strides: 1, padding: "VALID" }], inputs: [[N, 28, 28, 3], undefined], output: [N, U, U, U] },
  { kind: "tf.nn.conv2d", args: [{ strides: 1, padding: "VALID" }], inputs: [[5, 2, 28, 28, 3], [3, 3, 3, 4]], output: [5, 2, 26, 26, 4], note: "extra leading batch axes" },
  { kind: "tf.nn.conv2d", args: [{ strides: 1, padding: "VALID" }], inputs: [undefined, [3, 3, 3, 4]], output: undefined },
  // Errors TensorFlow raises.
  { kind: "tf.nn.conv2d", args: [{ strides: 1, padding: "VALID" }], inputs: [[N, 28, 28, 3], [3, 3, 4, 8]], output: undefined, problems: ["incompatibleShapes"], note: "3 channels, filter wants 4" },
  { kind: "tf.nn.conv2d", args: [{ strides: 1, padding: "VALID" }], inputs: [[N, 8, 8, 6], [3, 3, 3, 5]], output: undefined, problems: ["incompatibleShapes"], note: "5 outputs over 2 groups" },
  { kind: "tf.nn.conv2d", args: [{ strides: 1, padding: "VALID" }], inputs: [[N, 4, 4, 3], [5, 5, 3, 8]], output: [N, U, U, 8], problems: ["nonPositiveDimension", "nonPositiveDimension"] },
  { kind: "tf.nn.conv2d", args: [{ strides: [2, 2, 2, 2], padding: "VALID" }], inputs: [[N, 28, 28, 3], [3, 3, 3, 8]], output: [N, U, U, 8], problems: ["invalidArgument"], note: "batch stride" },
  { kind: "tf.nn.conv2d", args: [{ strides: [1, 2, 2], padding: "VALID" }], inputs: [[N, 28, 28, 3], [3, 3, 3, 8]], output: [N, U, U, 8], problems: ["invalidArgument"] },
  { kind: "tf.nn.conv2d", args: [{ strides: 0, padding: "VALID" }], inputs: [[N, 28, 28, 3], [3, 3, 3, 8]], output: [N, U, U, 8], problems: ["nonPositiveArgument"] },
  { kind: "tf.nn.conv2d", args: [{ strides: 1, padding: "same" }], inputs: [[N, 28, 28, 3], [3, 3, 3, 8]], output: [N, U, U, 8], problems: ["invalidArgument"], note: "case-sensitive" },
  { kind: "tf.nn.conv2d", args: [{ strides: 1, padding: [[1, 1], [1, 1], [1, 1], [0, 0]] }], inputs: [[N, 28, 28, 3], [3, 3, 3, 8]], output: [N, U, U, 8], problems: ["invalidArgument"], note: "batch padding" },
  { kind: "tf.nn.conv2d", args: [{ strides: 1, padding: [[1, 1], [1, 1]] }], inputs: [[N, 28, 28, 3], [3, 3, 3, 8]], output: [N, U, U, 8], problems: ["invalidArgument"] },
  { kind: "tf.nn.conv2d", args: [{ strides: 1, padding: "VALID", data_format: "channels_last" }], inputs: [[N, 28, 28, 3], [3, 3, 3, 8]], output: undefined, problems: ["invalidArgument"] },
  { kind: "tf.nn.conv2d", args: [{ strides: 1, padding: "VALID" }], inputs: [[28, 28, 3], [3, 3, 3, 8]], output: undefined, problems: ["wrongRank"] },
  { kind: "tf.nn.conv2d", args: [{ strides: 1, padding: "VALID" }], inputs: [[N, 28, 28, 3], [3, 3, 8]], output: undefined, problems: ["wrongRank"] },
  { kind: "tf.nn.conv2d", args: [{ padding: "VALID" }], inputs: [[N, 28, 28, 3], [3, 3, 3, 8]], output: [N, U, U, 8], problems: ["missingArgument"] },

  // Pooling: ⌈(28 − 2 + 1) / 2⌉ = 14; ⌈28 / 2⌉ = 14; ⌈(28 − 3 + 1) / 2⌉ = 13.
  { kind: "tf.nn.max_pool2d", args: [{ ksize: 2, strides: 2, padding: "VALID" }], inputs: [[N, 28, 28, 8]], output: [N, 14, 14, 8] },
  { kind: "tf.nn.max_pool2d", args: [[1, 3, 3, 1], [1, 2, 2, 1], "SAME"], inputs: [[N, 28, 28, 8]], output: [N, 14, 14, 8] },
  { kind: "tf.nn.max_pool2d", args: [{ ksize: 3, strides: 2, padding: "VALID" }], inputs: [[N, 28, 28, 8]], output: [N, 13, 13, 8] },
  // Explicit padding 1: ⌊(28 + 1 + 1 − 3) / 2⌋ + 1 = 14.
  { kind: "tf.nn.max_pool2d", args: [{ ksize: 3, strides: 2, padding: EXPLICIT_1 }], inputs: [[N, 28, 28, 8]], output: [N, 14, 14, 8] },
  { kind: "tf.nn.avg_pool2d", args: [{ ksize: 2, strides: 2, padding: "VALID", data_format: "NCHW" }], inputs: [[N, 8, 28, 28]], output: [N, 8, 14, 14] },
  { kind: "tf.nn.avg_pool2d", args: [{ ksize: [2, 3], strides: [2, 3], padding: "VALID" }], inputs: [[N, 28, 27, 8]], output: [N, 14, 9, 8] },
  { kind: "tf.nn.avg_pool2d", args: [{ ksize: 3, strides: 2, padding: EXPLICIT_1 }], inputs: [[N, 28, 28, 8]], output: [N, U, U, 8], problems: ["invalidArgument"], note: "explicit padding is max_pool2d's only" },
  { kind: "tf.nn.max_pool2d", args: [{ ksize: [2, 2, 2, 2], strides: 2, padding: "VALID" }], inputs: [[N, 28, 28, 8]], output: [N, U, U, 8], problems: ["invalidArgument"] },
  { kind: "tf.nn.max_pool2d", args: [{ ksize: 5, strides: 1, padding: "VALID" }], inputs: [[N, 4, 28, 8]], output: [N, U, 24, 8], problems: ["nonPositiveDimension"] },
  { kind: "tf.nn.max_pool2d", args: [{ ksize: 2, strides: 2, padding: "VALID" }], inputs: [[N, 28, 8]], output: undefined, problems: ["wrongRank"] },

  // bias_add.
  { kind: "tf.nn.bias_add", args: [], inputs: [[N, 14, 14, 20], [20]], output: [N, 14, 14, 20] },
  { kind: "tf.nn.bias_add", args: [{ data_format: "NCHW" }], inputs: [[N, 20, 14, 14], [20]], output: [N, 20, 14, 14] },
  { kind: "tf.nn.bias_add", args: [{ data_format: "N...C" }], inputs: [[N, 10], [10]], output: [N, 10] },
  { kind: "tf.nn.bias_add", args: [], inputs: [[N, 14, 14, 20], undefined], output: [N, 14, 14, 20] },
  { kind: "tf.nn.bias_add", args: [], inputs: [[N, 14, 14, 20], [10]], output: undefined, problems: ["incompatibleShapes"] },
  { kind: "tf.nn.bias_add", args: [{ data_format: "NCHW" }], inputs: [[N, 14, 14, 20], [20]], output: undefined, problems: ["incompatibleShapes"] },
  { kind: "tf.nn.bias_add", args: [], inputs: [[N, 20], [1, 20]], output: undefined, problems: ["wrongRank"] },
  { kind: "tf.nn.bias_add", args: [{ data_format: "CHW" }], inputs: [[N, 20], [20]], output: [N, 20], problems: ["invalidArgument"] },

  // matmul.
  { kind: "tf.matmul", args: [], inputs: [[N, 784], [784, 10]], output: [N, 10] },
  { kind: "tf.matmul", args: [{ transpose_b: true }], inputs: [[2, 3], [4, 3]], output: [2, 4] },
  { kind: "tf.matmul", args: [{ transpose_a: true }], inputs: [[3, 2], [3, 4]], output: [2, 4] },
  { kind: "tf.matmul", args: [{ adjoint_a: true, adjoint_b: true }], inputs: [[3, 2], [4, 3]], output: [2, 4] },
  { kind: "tf.matmul", args: [], inputs: [[10, 2, 3], [3, 5]], output: [10, 2, 5] },
  { kind: "tf.matmul", args: [], inputs: [[10, 2, 3], [1, 3, 5]], output: [10, 2, 5] },
  { kind: "tf.matmul", args: [], inputs: [[N, 2, 3], [7, 3, 5]], output: [7, 2, 5] },
  { kind: "tf.matmul", args: [], inputs: [[N, 4, 8], [N, 8, 4]], output: [N, 4, 4] },
  { kind: "tf.matmul", args: [], inputs: [[N, N], [N, 10]], output: [N, 10] },
  { kind: "tf.matmul", args: [], inputs: [[N, 784], [100, 10]], output: undefined, problems: ["incompatibleShapes"] },
  { kind: "tf.matmul", args: [], inputs: [[10, 2, 3], [4, 3, 5]], output: undefined, problems: ["incompatibleShapes"], note: "batch 10 vs 4" },
  { kind: "tf.matmul", args: [{ transpose_a: true, adjoint_a: true }], inputs: [[3, 2], [3, 4]], output: [2, 4], problems: ["invalidArgument"] },
  { kind: "tf.matmul", args: [], inputs: [[3], [3, 4]], output: undefined, problems: ["wrongRank"] },
];

for (const row of rows) test(multiRowName(row), () => checkMultiRow(row, assert));

test("the seed's tf.nn.conv2d explains its sizes and names the shapes it cannot combine", () => {
  const got = inferMulti("tf.nn.conv2d", [{ strides: 2, padding: EXPLICIT_1 }], [[N, 32, 32, 3], [8, 8, 3, 20]]);
  assert.deepEqual(got.result.formulas, [
    { label: "height", text: "⌊(32 + 1 + 1 − 8) / 2⌋ + 1 = 14" },
    { label: "width", text: "⌊(32 + 1 + 1 − 8) / 2⌋ + 1 = 14" },
  ]);
  assert.deepEqual(got.result.weights, []);
  const bad = inferMulti("tf.nn.conv2d", [{ strides: 1, padding: "VALID" }], [[N, 28, 28, 3], [3, 3, 4, 8]]);
  assert.match(bad.messages[0], /^tf\.nn\.conv2d needs .*: got \(None, 28, 28, 3\) and \(3, 3, 4, 8\)\.$/);
  assert.deepEqual(bad.inputs, [1]);
});
