/**
 * Conv1D/2D/3D arguments. Expected values worked out by hand from Keras 3's
 * `compute_conv_output_shape` (keras/src/ops/operation_utils.py): valid →
 * ⌊(n − (d·(k − 1) + 1)) / s⌋ + 1, same / causal → ⌊(n − 1) / s⌋ + 1; kernel
 * k₁·…·kᵣ·(C_in / groups)·filters, bias filters.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Row, checkRow, infer, rowName, sequential, tup } from "./helpers";

const N = "None";

const rows: Row[] = [
  // 32 − 3 + 1 = 30; (3·3·3 + 1)·16 = 448.
  { kind: "Conv2D", args: [16, 3], input: [N, 32, 32, 3], output: [N, 30, 30, 16], params: 448n },
  { kind: "Convolution2D", args: [16, 3], input: [N, 32, 32, 3], output: [N, 30, 30, 16], params: 448n, note: "alias" },
  // Tuple kernel (3, 5): h 30, w 32 − 5 + 1 = 28; (3·5·3 + 1)·16 = 736.
  { kind: "Conv2D", args: [16, tup(3, 5)], input: [N, 32, 32, 3], output: [N, 30, 28, 16], params: 736n },
  { kind: "Conv2D", args: [16, [3, 3]], input: [N, 32, 32, 3], output: [N, 30, 30, 16], params: 448n, note: "list kernel = int kernel" },
  // Stride 2: ⌊(32 − 3) / 2⌋ + 1 = 15; (27 + 1)·8 = 224.
  { kind: "Conv2D", args: [8, 3, { strides: 2 }], input: [N, 32, 32, 3], output: [N, 15, 15, 8], params: 224n },
  // Stride (1, 2): h 30, w 15.
  { kind: "Conv2D", args: [8, 3, tup(1, 2)], input: [N, 32, 32, 3], output: [N, 30, 15, 8], params: 224n },
  // same, stride 2: ⌊31 / 2⌋ + 1 = 16.
  { kind: "Conv2D", args: [8, 3, 2, "same"], input: [N, 32, 32, 3], output: [N, 16, 16, 8], params: 224n },
  { kind: "Conv2D", args: [8, 3, { padding: "same" }], input: [N, 32, 32, 3], output: [N, 32, 32, 8], params: 224n },
  // Dilation 2: effective 2·(3 − 1) + 1 = 5, 32 − 5 + 1 = 28.
  { kind: "Conv2D", args: [8, 3, { dilation_rate: 2 }], input: [N, 32, 32, 3], output: [N, 28, 28, 8], params: 224n },
  // No bias: 3·3·3·8 = 216.
  { kind: "Conv2D", args: [8, 3, { use_bias: false }], input: [N, 32, 32, 3], output: [N, 30, 30, 8], params: 216n },
  // channels_first: (3, 32, 32) → (8, 30, 30).
  { kind: "Conv2D", args: [8, 3, { data_format: "channels_first" }], input: [N, 3, 32, 32], output: [N, 8, 30, 30], params: 224n },
  // groups=2: 3·3·(4/2)·16 + 16 = 288 + 16 = 304.
  { kind: "Conv2D", args: [16, 3, { groups: 2 }], input: [N, 32, 32, 4], output: [N, 30, 30, 16], params: 304n },
  { kind: "Conv2D", args: [8, 3], input: [N, N, N, 3], output: [N, N, N, 8], params: 224n, note: "open spatial dims" },
  // Conv1D: 100 − 5 + 1 = 96; (5·8 + 1)·32 = 1,312.
  { kind: "Conv1D", args: [32, 5], input: [N, 100, 8], output: [N, 96, 32], params: 1312n },
  { kind: "Convolution1D", args: [32, 5], input: [N, 100, 8], output: [N, 96, 32], params: 1312n, note: "alias" },
  // causal keeps the length; (3·8 + 1)·16 = 400.
  { kind: "Conv1D", args: [16, 3, { padding: "causal" }], input: [N, 100, 8], output: [N, 100, 16], params: 400n },
  // causal stride 2: ⌊99 / 2⌋ + 1 = 50.
  { kind: "Conv1D", args: [16, 3, { padding: "causal", strides: 2 }], input: [N, 100, 8], output: [N, 50, 16], params: 400n },
  // Dilation 4: 4·2 + 1 = 9, 20 − 9 + 1 = 12; (3·1 + 1)·4 = 16.
  { kind: "Conv1D", args: [4, 3, { dilation_rate: 4 }], input: [N, 20, 1], output: [N, 12, 4], params: 16n },
  { kind: "Conv1D", args: [4, 3, { data_format: "channels_first" }], input: [N, 2, 10], output: [N, 4, 8], params: 28n, note: "(3·2 + 1)·4" },
  // Conv3D: 16 − 3 + 1 = 14; (27·1 + 1)·8 = 224.
  { kind: "Conv3D", args: [8, 3], input: [N, 16, 16, 16, 1], output: [N, 14, 14, 14, 8], params: 224n },
  // (3, 3, 1) stride (1, 2, 1): d 8, h ⌊7 / 2⌋ + 1 = 4, w 10; (3·3·1·2 + 1)·8 = 152.
  { kind: "Conv3D", args: [8, tup(3, 3, 1), { strides: tup(1, 2, 1) }], input: [N, 10, 10, 10, 2], output: [N, 8, 4, 10, 8], params: 152n },
  { kind: "Conv3D", args: [8, 3, { data_format: "channels_first", use_bias: false }], input: [N, 2, 6, 6, 6], output: [N, 8, 4, 4, 4], params: 432n, note: "27·2·8" },

  // Invalid.
  { kind: "Conv2D", args: [0, 3], input: [N, 32, 32, 3], output: [N, 30, 30, "?"], params: undefined, problems: ["nonPositiveArgument"] },
  { kind: "Conv2D", args: ["8", 3], input: [N, 32, 32, 3], output: [N, 30, 30, "?"], params: undefined, problems: ["invalidArgument"] },
  { kind: "Conv2D", args: [8, 3, { strides: 0 }], input: [N, 32, 32, 3], output: [N, "?", "?", 8], params: 224n, problems: ["nonPositiveArgument"] },
  { kind: "Conv2D", args: [8, tup(3, 3, 3)], input: [N, 32, 32, 3], output: [N, "?", "?", 8], params: undefined, problems: ["invalidArgument"] },
  // Strided and dilated at once: Keras raises. Shape still from the formula: ⌊(32 − 5) / 2⌋ + 1 = 14.
  { kind: "Conv2D", args: [8, 3, { strides: 2, dilation_rate: 2 }], input: [N, 32, 32, 3], output: [N, 14, 14, 8], params: 224n, problems: ["stridesWithDilation"] },
  { kind: "Conv2D", args: [8, 3, { padding: "causal" }], input: [N, 32, 32, 3], output: [N, "?", "?", 8], params: 224n, problems: ["causalPadding"] },
  { kind: "Conv3D", args: [8, 3, { padding: "causal" }], input: [N, 8, 8, 8, 1], output: [N, "?", "?", "?", 8], params: 224n, problems: ["causalPadding"] },
  { kind: "Conv2D", args: [8, 3, { padding: "full" }], input: [N, 32, 32, 3], output: [N, "?", "?", 8], params: 224n, problems: ["invalidPadding"] },
  // groups=4, filters 10: 10 % 4 ≠ 0; input channels 8 % 4 = 0. Kernel 3·3·2·10 + 10 = 190.
  { kind: "Conv2D", args: [10, 3, { groups: 4 }], input: [N, 8, 8, 8], output: [N, 6, 6, 10], params: 190n, problems: ["groupsNotDividing"] },
  // groups=3: filters 8 % 3 ≠ 0 and channels 4 % 3 ≠ 0.
  { kind: "Conv2D", args: [8, 3, { groups: 3 }], input: [N, 8, 8, 4], output: [N, 6, 6, 8], params: undefined, problems: ["groupsNotDividing", "groupsNotDividing"] },
  { kind: "Conv2D", args: [8, 3], input: [N, 28, 28], output: undefined, params: undefined, problems: ["wrongRank"] },
  { kind: "Conv1D", args: [8, 3], input: [N, 28, 28, 1], output: undefined, params: undefined, problems: ["wrongRank"] },
  // 4 − 5 + 1 = 0 on both axes.
  { kind: "Conv2D", args: [8, 5], input: [N, 4, 4, 1], output: [N, "?", "?", 8], params: 208n, problems: ["nonPositiveDimension", "nonPositiveDimension"], note: "(25 + 1)·8 = 208" },
  { kind: "Conv2D", args: [{ filter: 8, kernel_size: 3 }], input: [N, 32, 32, 3], output: [N, 30, 30, "?"], params: undefined, problems: ["unknownKeyword", "missingArgument"] },
  { kind: "Conv2D", args: [8], input: [N, 32, 32, 3], output: [N, "?", "?", 8], params: undefined, problems: ["missingArgument"] },
  { kind: "Conv2D", args: [8, 3], input: undefined, output: undefined, params: undefined },
];

for (const row of rows) test(rowName(row), () => checkRow(row, assert));

test("conv formulas: dilated window and grouped parameters", () => {
  const dilated = infer("Conv1D", [4, 3, { dilation_rate: 4 }], ["None", 20, 1]);
  assert.deepEqual(dilated.result.formulas, [
    { label: "length", text: "20 − (4·(3 − 1) + 1) + 1 = 12" },
    { label: "params", text: "(3·1 + 1)·4 = 16" },
  ]);
  const grouped = infer("Conv2D", [16, 3, { groups: 2 }], ["None", 32, 32, 4]);
  assert.deepEqual(grouped.result.formulas.at(-1), { label: "params", text: "(3·3·(4/2) + 1)·16 = 304" });
});

test("Sequential: misspelled keyword 'filter' is LL109 on the keyword", () => {
  const model = sequential([32, 32, 3], [["Conv2D", [{ filter: 8, kernel_size: 3 }]]]);
  const unknown = model.diagnostics.find((d) => d.id === "unknownKeyword");
  assert.equal(unknown?.code, "LL109");
  assert.equal(unknown?.severity, "error");
  assert.match(unknown?.message ?? "", /Conv2D has no argument 'filter'/);
});

test("Sequential: Conv2D on a rank-3 input is LL108", () => {
  const model = sequential([28, 28], [["Conv2D", [8, 3]]]);
  const wrong = model.diagnostics.find((d) => d.id === "wrongRank");
  assert.equal(wrong?.code, "LL108");
  assert.equal(model.layers[1].output, undefined);
});

test("Sequential: strided dilated conv is LL112 and causal Conv2D is LL103", () => {
  const model = sequential([32, 32, 3], [
    ["Conv2D", [8, 3, { strides: 2, dilation_rate: 2 }]],
    ["Conv2D", [8, 3, { padding: "causal" }]],
  ]);
  assert.deepEqual(model.diagnostics.map((d) => d.code), ["LL112", "LL103"]);
});
