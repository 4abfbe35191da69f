/**
 * torch.nn.Linear, LazyLinear, Bilinear, Identity, Flatten and Unflatten. Every output shape, parameter count
 * and PyTorch message below was printed by python3-torch 1.13 (Debian) running the same module on a tensor of
 * the input shape (/usr/bin/python3, `sum(p.numel() for p in m.parameters())`); where PyTorch raises, the
 * output is what Layer Lens still shows (Linear and Bilinear keep their output size, the rest give none).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { infer, rowName, tup } from "./helpers";
import { TorchMultiRow, TorchRow, checkTorchMultiRow, checkTorchRow, multiRowName } from "./torchModuleRows";
import { inferMulti } from "./multiInput";
import { findLayer } from "../../server/src/engine/layers/registry";
import { bindArguments } from "../../server/src/engine/bind";
import { argsIR } from "./helpers";

const rows: TorchRow[] = [
  { kind: "torch.nn.Linear", args: [4096, 128], input: [64, 4096], output: [64, 128], params: 524416n },
  { kind: "torch.nn.Linear", args: [9216, 128], input: [64, 9216], output: [64, 128], params: 1179776n },
  { kind: "torch.nn.Linear", args: [10, 3, { bias: false }], input: [2, 10], output: [2, 3], params: 30n },
  { kind: "torch.nn.Linear", args: [10, 3], input: [10], output: [3], params: 33n, note: "unbatched 1-D input" },
  { kind: "torch.nn.Linear", args: [10, 3], input: [2, 7, 10], output: [2, 7, 3], params: 33n },
  { kind: "torch.nn.Linear", args: [10, 3], input: [2, 4, 5, 10], output: [2, 4, 5, 3], params: 33n, problems: ["torchLinearOnHighRank"] },
  { kind: "torch.nn.Linear", args: [10, 3, true, { device: null, dtype: null }], input: [2, 10], output: [2, 3], params: 33n },
  { kind: "torch.nn.Linear", args: [{ in_features: 10, out_features: 3 }], input: undefined, output: undefined, params: 33n },
  { kind: "torch.nn.Linear", args: [0, 3], input: [2, 0], output: [2, 3], params: 3n, note: "zero in_features is allowed" },
  { kind: "torch.nn.Linear", args: [4096, 128], input: [64, 9216], output: [64, 128], params: 524416n, problems: ["torchMatmulShapes"], torch: "RuntimeError: mat1 and mat2 shapes cannot be multiplied (64x9216 and 4096x128)" },
  { kind: "torch.nn.Linear", args: [10, 3], input: [7], output: [3], params: 33n, problems: ["torchMatmulShapes"], torch: "RuntimeError: mat1 and mat2 shapes cannot be multiplied (1x7 and 10x3)" },
  { kind: "torch.nn.Linear", args: [10, 3], input: [2, 5, 7], output: [2, 5, 3], params: 33n, problems: ["torchMatmulShapes"], torch: "RuntimeError: mat1 and mat2 shapes cannot be multiplied (10x7 and 10x3)" },
  { kind: "torch.nn.Linear", args: [1, 3], input: [], output: undefined, params: 6n, problems: ["torchInputRank"], torch: "RuntimeError: both arguments to matmul need to be at least 1D, but they are 0D and 2D" },
  { kind: "torch.nn.Linear", args: [-1, 3], input: [2, 5], output: [2, 3], params: undefined, problems: ["invalidArgument"], torch: "RuntimeError: Trying to create tensor with negative dimension -1: [3, -1]", ownWording: true },
  { kind: "torch.nn.Linear", args: [10, 3, { bias: true, units: 4 }], input: [2, 10], output: [2, 3], params: 33n, problems: ["unknownKeyword"], torch: "TypeError: Linear.__init__() got an unexpected keyword argument 'units'", ownWording: true },
  { kind: "torch.nn.LazyLinear", args: [7], input: [3, 11], output: [3, 7], params: 84n },
  { kind: "torch.nn.LazyLinear", args: [7, { bias: false }], input: [3, 5, 11], output: [3, 5, 7], params: 77n },
  { kind: "torch.nn.LazyLinear", args: [7], input: undefined, output: undefined, params: undefined, note: "weights unknown until the first input" },
  { kind: "torch.nn.Identity", args: [], input: [2, 3, 4], output: [2, 3, 4], params: 0n },
  { kind: "torch.nn.Identity", args: [{ anything: 4 }], input: [2, 3], output: [2, 3], params: 0n },
  { kind: "torch.nn.Identity", args: [3, { unused: 0.5 }], input: [2, 3], output: [2, 3], params: 0n, note: "Identity(*args, **kwargs) ignores positional arguments too" },
  { kind: "torch.nn.Flatten", args: [], input: [2, 3, 4, 5], output: [2, 60], params: 0n },
  { kind: "torch.nn.Flatten", args: [0, 2], input: [2, 3, 4, 5], output: [24, 5], params: 0n },
  { kind: "torch.nn.Flatten", args: [2], input: [2, 3, 4, 5], output: [2, 3, 20], params: 0n },
  { kind: "torch.nn.Flatten", args: [{ start_dim: 1, end_dim: -2 }], input: [2, 3, 4, 5], output: [2, 12, 5], params: 0n },
  { kind: "torch.nn.Flatten", args: [-1], input: [2, 3], output: [2, 3], params: 0n },
  { kind: "torch.nn.Flatten", args: [0, 0], input: [], output: [1], params: 0n, note: "a 0-D input becomes (1,)" },
  { kind: "torch.nn.Flatten", args: [], input: [5], output: undefined, params: 0n, problems: ["torchDimOutOfRange"], torch: "IndexError: Dimension out of range (expected to be in range of [-1, 0], but got 1)" },
  { kind: "torch.nn.Flatten", args: [4], input: [2, 3, 4, 5], output: undefined, params: 0n, problems: ["torchDimOutOfRange"], torch: "IndexError: Dimension out of range (expected to be in range of [-4, 3], but got 4)" },
  { kind: "torch.nn.Flatten", args: [2, 1], input: [2, 3, 4, 5], output: undefined, params: 0n, problems: ["torchRefuses"], torch: "RuntimeError: flatten() has invalid args: start_dim cannot come after end_dim" },
  { kind: "torch.nn.Unflatten", args: [1, tup(2, 5)], input: [3, 10], output: [3, 2, 5], params: 0n },
  { kind: "torch.nn.Unflatten", args: [1, tup(2, -1)], input: [3, 10], output: [3, 2, 5], params: 0n },
  { kind: "torch.nn.Unflatten", args: [-1, [2, 5]], input: [3, 10], output: [3, 2, 5], params: 0n },
  { kind: "torch.nn.Unflatten", args: [1, tup(0, 5)], input: [3, 0], output: [3, 0, 5], params: 0n },
  { kind: "torch.nn.Unflatten", args: [1, tup(3, 5)], input: [3, 10], output: undefined, params: 0n, problems: ["torchRefuses"], torch: "RuntimeError: unflatten: Provided sizes [3, 5] don't multiply up to the size of dim 1 (10) in the input tensor" },
  { kind: "torch.nn.Unflatten", args: [1, tup(3, -1)], input: [3, 10], output: undefined, params: 0n, problems: ["torchRefuses"], torch: "RuntimeError: unflatten: Provided sizes [3, -1] don't multiply up to the size of dim 1 (10) in the input tensor" },
  { kind: "torch.nn.Unflatten", args: [2, tup(2, 5)], input: [3, 10], output: undefined, params: 0n, problems: ["torchDimOutOfRange"], torch: "IndexError: Dimension out of range (expected to be in range of [-2, 1], but got 2)" },
  { kind: "torch.nn.Unflatten", args: [1, 5], input: [3, 10], output: undefined, params: 0n, problems: ["torchRefuses"], torch: "TypeError: unflattened_size must be a tuple of ints, but found type int" },
];

for (const row of rows) test(rowName(row), () => checkTorchRow(row));

const bilinearRows: TorchMultiRow[] = [
  { kind: "torch.nn.Bilinear", args: [5, 6, 7], inputs: [[8, 5], [8, 6]], output: [8, 7], params: 217n },
  { kind: "torch.nn.Bilinear", args: [5, 6, 7, { bias: false }], inputs: [[2, 8, 5], [2, 8, 6]], output: [2, 8, 7], params: 210n },
  { kind: "torch.nn.Bilinear", args: [5, 6, 7], inputs: [[5], [6]], output: [7], params: 217n },
  { kind: "torch.nn.Bilinear", args: [5, 6, 7], inputs: [[8, 4], [8, 6]], output: [8, 7], params: 217n, problems: ["torchRefuses"], torch: "RuntimeError: bilinear(): input1 size does not match weight size: got 4 but expected 5" },
  { kind: "torch.nn.Bilinear", args: [5, 6, 7], inputs: [[8, 5], [8, 4]], output: [8, 7], params: 217n, problems: ["torchRefuses"], torch: "RuntimeError: bilinear(): input2 size does not match weight size: got 4 but expected 6" },
  { kind: "torch.nn.Bilinear", args: [5, 6, 7], inputs: [[8, 5], [9, 6]], output: [8, 7], params: 217n, problems: ["torchRefuses"], torch: "RuntimeError: bilinear(): input batch dimensions do not match at dim 0: got 8 and 9" },
  { kind: "torch.nn.Bilinear", args: [5, 6, 7], inputs: [[2, 8, 5], [8, 6]], output: undefined, params: 217n, problems: ["torchRefuses"], torch: "RuntimeError: bilinear(): input dimensions do not match: got 3 and 2" },
];

for (const row of bilinearRows) test(multiRowName(row), () => checkTorchMultiRow(row));

test("Linear's mismatch carries the incoming size for the quick fix, on in_features", () => {
  const got = infer("torch.nn.Linear", [4096, 128], [64, 9216]);
  const problem = got.result.problems.find((p) => p.id === "torchMatmulShapes");
  assert.equal(problem?.argument, "in_features");
  assert.equal(problem?.values.actual, 9216);
});

test("Linear's weights are known without an input, as PyTorch builds them in __init__", () => {
  const got = infer("torch.nn.Linear", [9216, 128], undefined);
  assert.deepEqual(
    got.result.weights.map((w) => [w.name, w.shape, w.trainable]),
    [["weight", [128, 9216], true], ["bias", [128], true]],
  );
  assert.deepEqual(got.result.formulas, [{ label: "params", text: "128·9216 + 128 = 1,179,776" }]);
});

test("Bilinear's formula and a Flatten's product", () => {
  assert.deepEqual(inferMulti("torch.nn.Bilinear", [5, 6, 7], [[8, 5], [8, 6]]).result.formulas, [{ label: "params", text: "7·5·6 + 7 = 217" }]);
  assert.deepEqual(infer("torch.nn.Flatten", [], [2, 16, 5, 5]).result.formulas, [{ label: "flattened", text: "16·5·5 = 400" }]);
  assert.deepEqual(infer("torch.nn.Unflatten", [1, tup(4, -1)], [2, 12]).result.formulas, [{ label: "dim 2", text: "12 / 4 = 3" }]);
});

test("an unknown dimension stays unknown through Flatten and Unflatten", () => {
  assert.deepEqual(infer("torch.nn.Flatten", [], [2, 3, "?", 5]).output, [2, "?"]);
  assert.deepEqual(infer("torch.nn.Unflatten", [1, tup(2, -1)], [2, "?"]).output, [2, 2, "?"]);
  assert.deepEqual(infer("torch.nn.Linear", [10, 3], [2, "?"]).problems, []);
});

test("Linear's cost: every leading position after the batch multiplies the weight", () => {
  const spec = findLayer("torch.nn.Linear")!;
  const binding = bindArguments(spec, argsIR([10, 3]));
  const input = [2, 7, 10];
  const result = spec.infer(binding.args, input);
  assert.deepEqual(spec.cost!({ args: binding.args, input, output: result.output, weights: result.weights }), { macs: 210n, formula: "7 · 3·10 = 210" });
});

test("Bilinear's cost: in1·in2 products for each output feature at every position", () => {
  const spec = findLayer("torch.nn.Bilinear")!;
  const binding = bindArguments(spec, argsIR([5, 6, 7]));
  const inputs = [[8, 3, 5], [8, 3, 6]];
  const result = inferMulti("torch.nn.Bilinear", [5, 6, 7], inputs).result;
  assert.deepEqual(spec.cost!({ args: binding.args, inputs, output: result.output, weights: result.weights }), { macs: 630n, formula: "3 · 7·5·6 = 630" });
});
