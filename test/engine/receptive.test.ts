/**
 * Receptive field and cumulative stride (jump), worked out by hand with
 * k_eff = d·(k − 1) + 1, r_out = r_in + (k_eff − 1)·j_in, j_out = j_in·s,
 * from r = 1, j = 1 at the input.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { receptiveFields } from "../../server/src/engine/receptive";
import { sequential, tup } from "./helpers";
import { unresolved } from "../../server/src/engine/values";

/** Per layer (Input included): `field×field/jump×jump` per axis, or undefined. */
function fields(model: ReturnType<typeof sequential>): (string | undefined)[] {
  return receptiveFields(model.layers).map((f) =>
    f ? `${f.axes.map((a) => a.field).join("×")}/${f.axes.map((a) => a.jump).join("×")}` : undefined,
  );
}

test("two 3×3 convolutions see 5×5: r = 1 + 2·1 = 3, then 3 + 2·1 = 5", () => {
  const model = sequential([28, 28, 1], [
    ["Conv2D", [8, 3]],
    ["Conv2D", [8, 3]],
  ]);
  assert.deepEqual(fields(model), [undefined, "3×3/1×1", "5×5/1×1"]);
  const second = receptiveFields(model.layers)[2]!.axes[0];
  assert.deepEqual(
    { axis: second.axis, kernel: second.kernel, fieldIn: second.fieldIn, jumpIn: second.jumpIn, stride: second.stride },
    { axis: "height", kernel: 3, fieldIn: 3, jumpIn: 1, stride: 1 },
  );
});

test("conv 3 + pool 2 + conv 3: 3, then 3 + 1·1 = 4 with jump 2, then 4 + 2·2 = 8", () => {
  const model = sequential([28, 28, 1], [
    ["Conv2D", [8, 3]],
    ["MaxPooling2D", [2]],
    ["Conv2D", [8, 3]],
  ]);
  assert.deepEqual(fields(model), [undefined, "3×3/1×1", "4×4/2×2", "8×8/2×2"]);
});

test("dilation widens the window: k_eff = 2·(3 − 1) + 1 = 5, then a strided 3: 5 + 2·1 = 7, jump 2", () => {
  const model = sequential([32, 32, 3], [
    ["Conv2D", [8, 3, { dilation_rate: 2 }]],
    ["Conv2D", [8, 3, { strides: 2 }]],
  ]);
  assert.deepEqual(fields(model), [undefined, "5×5/1×1", "7×7/2×2"]);
});

test("each axis on its own: (3, 5) with strides (1, 2), then a 2×2 pool: (3 + 1·1, 5 + 1·2) = (4, 7), jumps (2, 4)", () => {
  const model = sequential([32, 32, 3], [
    ["Conv2D", [8, tup(3, 5), { strides: tup(1, 2) }]],
    ["MaxPooling2D", [tup(2, 2)]],
  ]);
  assert.deepEqual(fields(model), [undefined, "3×5/1×2", "4×7/2×4"]);
});

test("pooling with strides=1 and padding='same' still widens the field: 3 + (3 − 1)·1 = 5", () => {
  const model = sequential([28, 28, 1], [
    ["Conv2D", [8, 3]],
    ["AveragePooling2D", [3, { strides: 1, padding: "same" }]],
  ]);
  assert.deepEqual(fields(model), [undefined, "3×3/1×1", "5×5/1×1"]);
});

test("a 1-D stack: Conv1D(k=5, s=2) then Conv1D(k=3): 5 with jump 2, then 5 + 2·2 = 9", () => {
  const model = sequential([100, 4], [
    ["Conv1D", [8, 5, { strides: 2 }]],
    ["Conv1D", [8, 3]],
  ]);
  assert.deepEqual(fields(model), [undefined, "5/2", "9/2"]);
  assert.equal(receptiveFields(model.layers)[1]!.axes[0].axis, "length");
});

test("position-wise layers pass the field through; separable and depthwise convolutions count", () => {
  const model = sequential([32, 32, 3], [
    ["Conv2D", [8, 3]],
    ["BatchNormalization", []],
    ["ReLU", []],
    ["ZeroPadding2D", [1]],
    ["SeparableConv2D", [8, 3]],
    ["DepthwiseConv2D", [3]],
  ]);
  assert.deepEqual(fields(model), [undefined, "3×3/1×1", undefined, undefined, undefined, "5×5/1×1", "7×7/1×1"]);
});

test("after a layer whose geometry is not followed, no field is claimed", () => {
  const reshaped = sequential([28, 28, 1], [
    ["Conv2D", [8, 3]],
    ["Reshape", [tup(26 * 26, 8)]],
    ["Conv1D", [8, 3]],
  ]);
  assert.deepEqual(fields(reshaped), [undefined, "3×3/1×1", undefined, undefined]);
  const transposed = sequential([28, 28, 1], [
    ["Conv2DTranspose", [8, 3, { strides: 2 }]],
    ["Conv2D", [8, 3]],
  ]);
  assert.deepEqual(fields(transposed), [undefined, undefined, undefined]);
  const unknownKernel = sequential([28, 28, 1], [
    ["Conv2D", [8, unresolved("a function call")]],
    ["Conv2D", [8, 3]],
  ]);
  assert.deepEqual(fields(unknownKernel), [undefined, undefined, undefined]);
});

test("a layer fed by another tensor than its predecessor's output (a branch) gets no field, even of equal shape", () => {
  const model = sequential([28, 28, 1], [
    ["Conv2D", [8, 3, { padding: "same" }]],
    ["Conv2D", [8, 3, { padding: "same" }]],
  ]);
  // The second convolution reads a tensor of the same shape that is not the first one's output.
  const branch = [model.layers[0], model.layers[1], { ...model.layers[2], input: [...model.layers[2].input!] }];
  assert.deepEqual(fields({ ...model, layers: branch }), [undefined, "3×3/1×1", undefined]);
});
