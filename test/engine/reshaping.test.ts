/**
 * Reshaping layers. Expected values worked out by hand from Keras 3:
 * Flatten.compute_output_shape (product of the non-batch dims, None if any is None,
 * (batch, 1) for a rank-1 input), Reshape → compute_reshape_output_shape on the
 * non-batch dims (keras/src/ops/operation_utils.py), ZeroPadding1D/2D/3D
 * (each padded axis grows by before + after; None stays None).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Row, checkRow, infer, rowName, sequential, tup } from "./helpers";

const N = "None";

const rows: Row[] = [
  // Flatten: 7·7·64 = 3136.
  { kind: "Flatten", args: [], input: [N, 7, 7, 64], output: [N, 3136] },
  { kind: "Flatten", args: [{ data_format: "channels_first" }], input: [N, 64, 7, 7], output: [N, 3136], note: "order changes, size does not" },
  { kind: "Flatten", args: ["channels_last"], input: [N, 10], output: [N, 10] },
  { kind: "Flatten", args: [], input: [N], output: [N, 1], note: "rank-1 input gains a feature axis" },
  { kind: "Flatten", args: [], input: [32, 4, 5], output: [32, 20], note: "4·5 = 20, batch kept" },
  { kind: "Flatten", args: [], input: [N, N, 8], output: [N, N], problems: ["flattenUnknown"] },
  { kind: "Flatten", args: [], input: [N, "?", 8], output: [N, "?"] },
  { kind: "Flatten", args: [], input: [N, N, "?"], output: [N, "?"], note: "? wins over None, no warning" },
  { kind: "Flatten", args: [{ data_format: "bad" }], input: [N, 7, 7, 64], output: [N, 3136], problems: ["invalidDataFormat"] },
  { kind: "Flatten", args: [], input: undefined, output: undefined },

  // Reshape: target (3, 4) from 12 elements.
  { kind: "Reshape", args: [tup(3, 4)], input: [N, 12], output: [N, 3, 4] },
  // -1: 12 / (2·2) = 3.
  { kind: "Reshape", args: [tup(-1, 2, 2)], input: [N, 12], output: [N, 3, 2, 2] },
  // 3136 / (7·7) = 64; a list is accepted like a tuple.
  { kind: "Reshape", args: [{ target_shape: [7, 7, -1] }], input: [N, 3136], output: [N, 7, 7, 64] },
  // 4·5 = 20.
  { kind: "Reshape", args: [tup(-1)], input: [N, 4, 5], output: [N, 20] },
  { kind: "Reshape", args: [tup(2, -1, 3)], input: [8, 4, 6], output: [8, 2, 4, 3], note: "24 / (2·3) = 4" },
  // 28·28 = 784 ≠ 5·5 = 25.
  { kind: "Reshape", args: [tup(5, 5)], input: [N, 28, 28], output: [N, 5, 5], problems: ["reshapeMismatch"] },
  // 12 is not a multiple of 5.
  { kind: "Reshape", args: [tup(-1, 5)], input: [N, 12], output: [N, "?", 5], problems: ["reshapeMismatch"] },
  // Keras: a known size of 0 cannot divide the input.
  { kind: "Reshape", args: [tup(0, -1)], input: [N, 12], output: [N, 0, "?"], problems: ["reshapeMismatch"] },
  { kind: "Reshape", args: [tup(-1, -1)], input: [N, 12], output: undefined, problems: ["invalidArgument"] },
  { kind: "Reshape", args: [tup(-2, 6)], input: [N, 12], output: undefined, problems: ["invalidArgument"] },
  { kind: "Reshape", args: [12], input: [N, 12], output: undefined, problems: ["invalidArgument"], note: "not a tuple" },
  { kind: "Reshape", args: [], input: [N, 12], output: undefined, problems: ["missingArgument"] },
  // Open input dims: Keras cannot infer the -1 and gives None; ? stays ?.
  { kind: "Reshape", args: [tup(-1, 4)], input: [N, N, 4], output: [N, N, 4] },
  { kind: "Reshape", args: [tup(-1, 4)], input: [N, "?", 4], output: [N, "?", 4] },
  { kind: "Reshape", args: [tup(2, 6)], input: [N, N, 4], output: [N, 2, 6], note: "no check possible" },
  { kind: "Reshape", args: [tup(3, 4)], input: undefined, output: undefined },

  // ZeroPadding2D default (1, 1): 28 + 1 + 1 = 30.
  { kind: "ZeroPadding2D", args: [], input: [N, 28, 28, 1], output: [N, 30, 30, 1] },
  { kind: "ZeroPadding2D", args: [2], input: [N, 28, 28, 1], output: [N, 32, 32, 1], note: "28 + 2 + 2" },
  // (sym_h, sym_w) = (1, 2): h 30, w 28 + 2 + 2 = 32.
  { kind: "ZeroPadding2D", args: [tup(1, 2)], input: [N, 28, 28, 1], output: [N, 30, 32, 1] },
  // ((1, 2), (3, 4)): h 28 + 1 + 2 = 31, w 28 + 3 + 4 = 35.
  { kind: "ZeroPadding2D", args: [{ padding: tup(tup(1, 2), tup(3, 4)) }], input: [N, 28, 28, 1], output: [N, 31, 35, 1] },
  { kind: "ZeroPadding2D", args: [tup(1, 2), "channels_first"], input: [N, 3, 28, 28], output: [N, 3, 30, 32] },
  { kind: "ZeroPadding2D", args: [0], input: [N, 28, 28, 1], output: [N, 28, 28, 1] },
  { kind: "ZeroPadding2D", args: [1], input: [N, N, 28, 1], output: [N, N, 30, 1], note: "None stays None" },
  // ZeroPadding1D default 1: 10 + 1 + 1 = 12.
  { kind: "ZeroPadding1D", args: [], input: [N, 10, 8], output: [N, 12, 8] },
  { kind: "ZeroPadding1D", args: [tup(1, 2)], input: [N, 10, 8], output: [N, 13, 8] },
  { kind: "ZeroPadding1D", args: [3, { data_format: "channels_first" }], input: [N, 8, 10], output: [N, 8, 16] },
  // ZeroPadding3D default ((1, 1), (1, 1), (1, 1)): 4 → 6.
  { kind: "ZeroPadding3D", args: [], input: [N, 4, 4, 4, 1], output: [N, 6, 6, 6, 1] },
  // (1, 2, 3): 4 + 2 = 6, 4 + 4 = 8, 4 + 6 = 10.
  { kind: "ZeroPadding3D", args: [tup(1, 2, 3)], input: [N, 4, 4, 4, 1], output: [N, 6, 8, 10, 1] },
  // ((0, 1), (2, 0), (1, 1)) channels_first: 5 + 1 = 6, 5 + 2 = 7, 5 + 2 = 7.
  { kind: "ZeroPadding3D", args: [tup(tup(0, 1), tup(2, 0), tup(1, 1)), "channels_first"], input: [N, 2, 5, 5, 5], output: [N, 2, 6, 7, 7] },
  // Invalid.
  { kind: "ZeroPadding2D", args: [-1], input: [N, 28, 28, 1], output: [N, "?", "?", 1], problems: ["invalidArgument"] },
  { kind: "ZeroPadding2D", args: [tup(1, 2, 3)], input: [N, 28, 28, 1], output: [N, "?", "?", 1], problems: ["invalidArgument"] },
  { kind: "ZeroPadding2D", args: [{ padding: "same" }], input: [N, 28, 28, 1], output: [N, "?", "?", 1], problems: ["invalidArgument"] },
  { kind: "ZeroPadding1D", args: [tup(1)], input: [N, 10, 8], output: [N, "?", 8], problems: ["invalidArgument"] },
  { kind: "ZeroPadding1D", args: [tup(1, 2, 3)], input: [N, 10, 8], output: [N, "?", 8], problems: ["invalidArgument"] },
  { kind: "ZeroPadding3D", args: [tup(1, 2)], input: [N, 4, 4, 4, 1], output: [N, "?", "?", "?", 1], problems: ["invalidArgument"] },
  { kind: "ZeroPadding2D", args: [{ data_format: "nhwc" }], input: [N, 28, 28, 1], output: [N, "?", "?", "?"], problems: ["invalidDataFormat"] },
  { kind: "ZeroPadding2D", args: [], input: [N, 28, 28], output: undefined, problems: ["wrongRank"] },
  { kind: "ZeroPadding1D", args: [], input: [N, 28, 28, 1], output: undefined, problems: ["wrongRank"] },
  { kind: "ZeroPadding2D", args: [{ cropping: 1 }], input: [N, 28, 28, 1], output: [N, 30, 30, 1], problems: ["unknownKeyword"] },
];

for (const row of rows) test(rowName(row), () => checkRow(row, assert));

test("formulas: flattened size, inferred -1 and padded sizes", () => {
  assert.deepEqual(infer("Flatten", [], ["None", 7, 7, 64]).result.formulas, [{ label: "flattened", text: "7·7·64 = 3,136" }]);
  assert.deepEqual(infer("Reshape", [tup(7, 7, -1)], ["None", 3136]).result.formulas, [{ label: "-1", text: "3,136 / (7·7) = 64" }]);
  assert.deepEqual(infer("ZeroPadding2D", [tup(1, 2)], ["None", 28, 28, 1]).result.formulas, [
    { label: "height", text: "28 + 1 + 1 = 30" },
    { label: "width", text: "28 + 2 + 2 = 32" },
  ]);
});

test("reshape mismatch message carries target, input and the element counts", () => {
  const [problem] = infer("Reshape", [tup(5, 5)], ["None", 28, 28]).result.problems;
  assert.equal(problem.argument, "target_shape");
  assert.equal(problem.values.target, "(5, 5)");
  assert.equal(problem.values.input, "(None, 28, 28)");
  assert.match(String(problem.values.detail), /784/);
  assert.match(String(problem.values.detail), /25/);
});

test("Sequential: pad, flatten, reshape back", () => {
  // 26 + 1 + 1 = 28; 28·28·1 = 784; 784 / 28 = 28.
  const model = sequential([26, 26, 1], [
    ["ZeroPadding2D", []],
    ["Flatten", []],
    ["Reshape", [tup(28, -1)]],
  ]);
  assert.deepEqual(model.layers.map((l) => l.output), [
    ["None", 26, 26, 1],
    ["None", 28, 28, 1],
    ["None", 784],
    ["None", 28, 28],
  ]);
  assert.deepEqual(model.diagnostics, []);
  assert.equal(model.totals.total, 0n);
});

test("Sequential: Flatten over None warns with LL202", () => {
  const model = sequential([null, 8], [["Flatten", []]]);
  const warning = model.diagnostics.find((d) => d.id === "flattenUnknown");
  assert.equal(warning?.code, "LL202");
  assert.equal(warning?.severity, "warning");
});
