/**
 * Merge layers, expectations worked out by hand from Keras 3 (keras/src/layers/merging):
 * - Merge._compute_elemwise_op_output_shape: non-batch shapes aligned from the right;
 *   per pair equal → kept, one side 1 → the other, None on either side → None, else error.
 *   Known batch sizes must agree; the output batch is the known one.
 * - Concatenate.build: with `axis` deleted, same rank and same non-None sizes (batch included);
 *   compute_output_shape: input 0's shape, axis sizes summed (None if any is None).
 * - Dot.build: shape1[axes[0]] != shape2[axes[1]] raises (Python comparison, None ≠ 8);
 *   compute_output_shape: shape1 − axis, + shape2 − axis − batch, + (1,) when rank 1 is left.
 * None of them has weights.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { findLayer } from "../../server/src/engine/layers/registry";
import { tup } from "./helpers";
import { MultiRow, checkMultiRow, inferFunctional, inferMulti, multiRowName } from "./multiInput";
import { sequential } from "./helpers";

const N = "None";
const U = "?";

const rows: MultiRow[] = [
  // Concatenate: default axis -1 sums the last axis.
  { kind: "Concatenate", args: [], inputs: [[N, 8, 8, 16], [N, 8, 8, 32]], output: [N, 8, 8, 48] },
  { kind: "Concatenate", args: [], inputs: [[N, 8, 8, 16], [N, 8, 8, 16], [N, 8, 8, 4]], output: [N, 8, 8, 36] },
  { kind: "Concatenate", args: [{ axis: 1 }], inputs: [[N, 2, 5], [N, 1, 5]], output: [N, 3, 5], note: "the Keras docs' example, batch open" },
  { kind: "Concatenate", args: [1], inputs: [[N, 2, 5], [N, 1, 5]], output: [N, 3, 5], note: "axis positional" },
  { kind: "Concatenate", args: [{ axis: -2 }], inputs: [[N, 2, 5], [N, 7, 5]], output: [N, 9, 5] },
  { kind: "Concatenate", args: [], inputs: [[N, 10]], output: [N, 10], note: "one input is accepted" },
  { kind: "Concatenate", args: [], inputs: [[N, 4, N], [N, 4, 3]], output: [N, 4, N], note: "None on the axis → None" },
  { kind: "Concatenate", args: [], inputs: [[N, N, 3], [N, 4, 3]], output: [N, N, 6], note: "None matches a size; input 0's dims are kept" },
  { kind: "Concatenate", args: [], inputs: [[N, 4, 3], [N, N, 3]], output: [N, 4, 6] },
  { kind: "Concatenate", args: [], inputs: [[N, 4, 3], [N, 4, U]], output: [N, 4, U] },
  { kind: "Concatenate", args: [], inputs: [[N, 4, 3], undefined], output: [N, 4, U], note: "an unknown input" },
  { kind: "Concatenate", args: [], inputs: [undefined, [N, 4, 3]], output: [N, U, U], note: "input 0 unknown: its sizes are Keras's output" },
  { kind: "Concatenate", args: [], inputs: [[32, 4], [32, 6]], output: [32, 10], note: "fixed batch" },
  { kind: "Concatenate", args: [{ axis: 0 }], inputs: [[32, 4], [16, 4]], output: [48, 4], note: "along the batch axis" },
  { kind: "Concatenate", args: [], inputs: [[N, 8, 8, 16], [N, 4, 4, 16]], output: undefined, problems: ["incompatibleShapes"] },
  { kind: "Concatenate", args: [], inputs: [[N, 8, 16], [N, 8, 8, 16]], output: undefined, problems: ["incompatibleShapes"], note: "ranks differ" },
  { kind: "Concatenate", args: [], inputs: [[32, 4], [16, 4]], output: undefined, problems: ["incompatibleShapes"], note: "batch sizes differ" },
  { kind: "Concatenate", args: [], inputs: [[N, N, 3], [N, 4, 3], [N, 5, 3]], output: undefined, problems: ["incompatibleShapes"], note: "None in the first does not hide 4 ≠ 5" },
  { kind: "Concatenate", args: [{ axis: 3 }], inputs: [[N, 4, 3], [N, 4, 3]], output: undefined, problems: ["invalidArgument"] },
  { kind: "Concatenate", args: [{ axis: -4 }], inputs: [[N, 4, 3], [N, 4, 3]], output: undefined, problems: ["invalidArgument"] },
  { kind: "Concatenate", args: [{ axis: "last" }], inputs: [[N, 4, 3], [N, 4, 3]], output: undefined, problems: ["invalidArgument"] },
  { kind: "Concatenate", args: [{ axis: { unresolved: "a function parameter" } }], inputs: [[N, 4, 3], [N, 4, 3]], output: [N, U, U] },
  { kind: "Concatenate", args: [], inputs: [], output: undefined, problems: ["inputCount"] },
  { kind: "Concatenate", args: [{ axes: 1 }], inputs: [[N, 4], [N, 4]], output: [N, 8], problems: ["unknownKeyword"] },

  // Element-wise merges.
  { kind: "Add", args: [], inputs: [[N, 8], [N, 8]], output: [N, 8] },
  { kind: "Add", args: [], inputs: [[N, 8], [N, 8], [N, 8]], output: [N, 8] },
  { kind: "Add", args: [], inputs: [[N, 8]], output: [N, 8], note: "Keras 3 accepts one input" },
  { kind: "Add", args: [], inputs: [[N, 8, 1], [N, 1, 4]], output: [N, 8, 4], note: "1s broadcast" },
  { kind: "Add", args: [], inputs: [[N, 4, 5], [N, 5]], output: [N, 4, 5], note: "lower rank aligned to the end" },
  { kind: "Add", args: [], inputs: [[N, 5], [N, 4, 5]], output: [N, 4, 5] },
  { kind: "Add", args: [], inputs: [[N, N, 5], [N, 3, 5]], output: [N, N, 5], note: "None with a size gives None" },
  { kind: "Add", args: [], inputs: [[N, N, 5], [N, 1, 5]], output: [N, N, 5] },
  { kind: "Add", args: [], inputs: [[N, U, 5], [N, 3, 5]], output: [N, U, 5] },
  { kind: "Add", args: [], inputs: [[N, 8], [4, 8]], output: [4, 8], note: "the known batch size wins" },
  { kind: "Add", args: [], inputs: [[N, 8], undefined], output: undefined },
  { kind: "Add", args: [], inputs: [[N, 8], [N, 4]], output: undefined, problems: ["incompatibleShapes"] },
  { kind: "Add", args: [], inputs: [[N, 8], [N, 8], [N, 3]], output: undefined, problems: ["incompatibleShapes"] },
  { kind: "Add", args: [], inputs: [[N, 4, 5], [N, 4]], output: undefined, problems: ["incompatibleShapes"], note: "aligned from the end: 5 vs 4" },
  { kind: "Add", args: [], inputs: [[4, 8], [2, 8]], output: undefined, problems: ["incompatibleShapes"], note: "batch sizes differ" },
  { kind: "Add", args: [], inputs: [], output: undefined, problems: ["inputCount"] },
  { kind: "Subtract", args: [], inputs: [[N, 16], [N, 16]], output: [N, 16] },
  { kind: "Subtract", args: [], inputs: [[N, 16], [N, 1]], output: [N, 16] },
  { kind: "Subtract", args: [], inputs: [[N, 16]], output: undefined, problems: ["inputCount"] },
  { kind: "Subtract", args: [], inputs: [[N, 16], [N, 16], [N, 16]], output: undefined, problems: ["inputCount"] },
  { kind: "Multiply", args: [], inputs: [[N, 10, 3], [N, 10, 3]], output: [N, 10, 3] },
  { kind: "Multiply", args: [], inputs: [[N, 10, 3], [N, 10, 1]], output: [N, 10, 3], note: "a gate of one channel" },
  { kind: "Average", args: [], inputs: [[N, 6], [N, 6], [N, 6], [N, 6]], output: [N, 6] },
  { kind: "Maximum", args: [], inputs: [[N, 2, 2], [N, 2, 2]], output: [N, 2, 2] },
  { kind: "Minimum", args: [], inputs: [[N, 2, 2], [N, 3, 2]], output: undefined, problems: ["incompatibleShapes"] },
  { kind: "Maximum", args: [{ axis: 1 }], inputs: [[N, 2], [N, 2]], output: [N, 2], problems: ["unknownKeyword"] },

  // Dot: the Keras docs' examples. (2, 3, 5)·(2, 10, 3) with axes (1, 2) → (2, 5, 10).
  { kind: "Dot", args: [{ axes: tup(1, 2) }], inputs: [[2, 3, 5], [2, 10, 3]], output: [2, 5, 10] },
  // (1, 5, 2)·(1, 2, 5), axes (1, 2): 5 == 5 → (1, 2, 2).
  { kind: "Dot", args: [{ axes: tup(1, 2) }], inputs: [[1, 5, 2], [1, 2, 5]], output: [1, 2, 2] },
  // Dense(8) outputs, axes=1: (None, 8)·(None, 8) → (None,) + (1,).
  { kind: "Dot", args: [{ axes: 1 }], inputs: [[N, 8], [N, 8]], output: [N, 1] },
  { kind: "Dot", args: [1], inputs: [[N, 8], [N, 8]], output: [N, 1], note: "axes positional" },
  { kind: "Dot", args: [{ axes: -1 }], inputs: [[N, 4, 8], [N, 6, 8]], output: [N, 4, 6], note: "attention-style q·kᵀ" },
  { kind: "Dot", args: [{ axes: -1 }], inputs: [[N, 4, 8], [N, 8]], output: [N, 4], note: "negative int counts from each input's end" },
  { kind: "Dot", args: [{ axes: [2, 1] }], inputs: [[N, 4, 8], [N, 8, 3]], output: [N, 4, 3] },
  { kind: "Dot", args: [{ axes: tup(-1, -2) }], inputs: [[N, 4, 8], [N, 8, 3]], output: [N, 4, 3] },
  { kind: "Dot", args: [{ axes: 1, normalize: true }], inputs: [[N, 8], [N, 8]], output: [N, 1] },
  { kind: "Dot", args: [{ axes: 1 }], inputs: [[N, N], [N, N]], output: [N, 1], note: "None == None" },
  { kind: "Dot", args: [{ axes: 1 }], inputs: [[N, U], [N, 8]], output: [N, 1], note: "? might be 8" },
  { kind: "Dot", args: [{ axes: 1 }], inputs: [[N, N], [N, 8]], output: undefined, problems: ["incompatibleShapes"], note: "Python: None != 8" },
  { kind: "Dot", args: [{ axes: 1 }], inputs: [[N, 8], [N, 4]], output: undefined, problems: ["incompatibleShapes"] },
  { kind: "Dot", args: [{ axes: 0 }], inputs: [[N, 8], [N, 8]], output: undefined, problems: ["invalidArgument"], note: "batch axis" },
  { kind: "Dot", args: [{ axes: 2 }], inputs: [[N, 8], [N, 8]], output: undefined, problems: ["invalidArgument"], note: "out of range" },
  { kind: "Dot", args: [{ axes: tup(1, 2, 3) }], inputs: [[N, 8], [N, 8]], output: undefined, problems: ["invalidArgument"] },
  { kind: "Dot", args: [{ axes: 1, normalize: "yes" }], inputs: [[N, 8], [N, 8]], output: [N, 1], problems: ["invalidArgument"] },
  { kind: "Dot", args: [], inputs: [[N, 8], [N, 8]], output: undefined, problems: ["missingArgument"] },
  { kind: "Dot", args: [{ axes: 1 }], inputs: [[N, 8], [N, 8], [N, 8]], output: undefined, problems: ["inputCount"] },
  { kind: "Dot", args: [{ axes: 1 }], inputs: [[8], [N, 8]], output: undefined, problems: ["wrongRank"] },
  { kind: "Dot", args: [{ axes: 1 }], inputs: [[N, 8], undefined], output: undefined },
];

for (const row of rows) test(multiRowName(row), () => checkMultiRow(row, assert));

test("a shape mismatch names both shapes and the tensor at fault", () => {
  const got = inferMulti("Concatenate", [], [[N, 8, 8, 16], [N, 4, 4, 16]]);
  assert.deepEqual(got.messages, ["Concatenate needs matching shapes except on axis -1: got (None, 8, 8, 16) and (None, 4, 4, 16)."]);
  assert.deepEqual(got.inputs, [1]);
  const add = inferMulti("Add", [], [[N, 8], [N, 8], [N, 3]]);
  assert.match(add.messages[0], /^Add needs .*: got \(None, 8\) and \(None, 3\)\.$/);
  assert.deepEqual(add.inputs, [2]);
  assert.deepEqual(inferMulti("Subtract", [], [[N, 1]]).messages, ["Subtract must be called on a list of exactly 2 tensors; got 1."]);
});

test("the functional forms take the inputs first and the constructor's arguments after", () => {
  assert.deepEqual(inferFunctional("concatenate", [{ axis: 1 }], [[N, 2, 5], [N, 1, 5]]).output, [N, 3, 5]);
  assert.deepEqual(inferFunctional("concatenate", [], [[N, 2, 5], [N, 2, 5]]).output, [N, 2, 10]);
  for (const name of ["add", "multiply", "average", "maximum", "minimum"]) {
    assert.deepEqual(inferFunctional(name, [], [[N, 4], [N, 4], [N, 1]]).output, [N, 4], name);
  }
  assert.deepEqual(inferFunctional("subtract", [], [[N, 4], [N, 4]]).output, [N, 4]);
  assert.deepEqual(inferFunctional("subtract", [], [[N, 4]]).problems, ["inputCount"]);
  // keras.layers.dot(inputs, axes=-1): unlike Dot, axes has a default.
  assert.deepEqual(inferFunctional("dot", [], [[N, 4, 8], [N, 6, 8]]).output, [N, 4, 6]);
  assert.deepEqual(inferFunctional("dot", [{ axes: 1 }], [[N, 8], [N, 8]]).output, [N, 1]);
  assert.equal(findLayer("dot"), undefined, "the functions are not layer classes");
});

test("a merge layer inside Sequential gets one tensor, which Keras refuses", () => {
  const model = sequential([8], [["Add", []]]);
  assert.deepEqual(model.diagnostics.map((d) => d.code), ["LL126"]);
  assert.match(model.diagnostics[0].message, /Add must be called on a list of tensors; got a single tensor/);
});
