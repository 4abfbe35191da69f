/**
 * torch.nn's normalization modules. Every output shape, parameter count and PyTorch message below was printed
 * by python3-torch 1.13 (Debian) running the same module on a tensor of the input shape (/usr/bin/python3,
 * `sum(p.numel() for p in m.parameters())`, which leaves out the running statistics, buffers), except where a
 * note says PyTorch 2.x differs (InstanceNorm's channel check, GroupNorm's rank check) and RMSNorm, which 1.13 lacks: its rows follow
 * PyTorch 2.4's documentation (a weight of normalized_shape, no bias). Where PyTorch raises in the forward pass
 * the output is what Layer Lens still shows: the input's shape when only a size disagrees, none for a wrong rank.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { infer, rowName, tup } from "./helpers";
import { TorchRow, assertSaysAsTorch, checkTorchRow } from "./torchModuleRows";
import { findLayer } from "../../server/src/engine/layers/registry";
import { bindArguments } from "../../server/src/engine/bind";
import { argsIR } from "./helpers";

const rows: TorchRow[] = [
  { kind: "torch.nn.BatchNorm2d", args: [6], input: [2, 6, 5, 5], output: [2, 6, 5, 5], params: 12n, note: "running statistics are buffers, not parameters" },
  { kind: "torch.nn.BatchNorm2d", args: [6, { affine: false }], input: [2, 6, 5, 5], output: [2, 6, 5, 5], params: 0n },
  { kind: "torch.nn.BatchNorm2d", args: [6, 1e-3, 0.01, true, false], input: [2, 6, 5, 5], output: [2, 6, 5, 5], params: 12n },
  { kind: "torch.nn.BatchNorm2d", args: [6, { momentum: null }], input: [2, 6, 5, 5], output: [2, 6, 5, 5], params: 12n },
  { kind: "torch.nn.BatchNorm2d", args: [6], input: undefined, output: undefined, params: 12n },
  { kind: "torch.nn.BatchNorm2d", args: [6], input: [6, 5, 5], output: undefined, params: 12n, problems: ["torchInputRank"], torch: "ValueError: expected 4D input (got 3D input)" },
  { kind: "torch.nn.BatchNorm2d", args: [6], input: [2, 3, 5, 5], output: [2, 3, 5, 5], params: 12n, problems: ["torchRunningStats"], torch: "RuntimeError: running_mean should contain 3 elements not 6" },
  { kind: "torch.nn.BatchNorm2d", args: [3], input: [2, 6, 5, 5], output: [2, 6, 5, 5], params: 6n, problems: ["torchRunningStats"], torch: "RuntimeError: running_mean should contain 6 elements not 3" },
  { kind: "torch.nn.BatchNorm2d", args: [6, { track_running_stats: false }], input: [2, 3, 5, 5], output: [2, 3, 5, 5], params: 12n, problems: ["torchRunningStats"], torch: "RuntimeError: weight should contain 3 elements not 6" },
  { kind: "torch.nn.BatchNorm2d", args: [6, { affine: false, track_running_stats: false }], input: [2, 3, 5, 5], output: [2, 3, 5, 5], params: 0n },
  { kind: "torch.nn.BatchNorm2d", args: [6, { bias: false }], input: [2, 6, 5, 5], output: [2, 6, 5, 5], params: 12n, problems: ["unknownKeyword"], torch: "TypeError: _BatchNorm.__init__() got an unexpected keyword argument 'bias'", ownWording: true },
  { kind: "torch.nn.BatchNorm1d", args: [6], input: [2, 6], output: [2, 6], params: 12n },
  { kind: "torch.nn.BatchNorm1d", args: [6], input: [2, 6, 9], output: [2, 6, 9], params: 12n },
  { kind: "torch.nn.BatchNorm1d", args: [6], input: [2, 6, 9, 9], output: undefined, params: 12n, problems: ["torchInputRank"], torch: "ValueError: expected 2D or 3D input (got 4D input)" },
  { kind: "torch.nn.BatchNorm1d", args: [6], input: [6], output: undefined, params: 12n, problems: ["torchInputRank"], torch: "ValueError: expected 2D or 3D input (got 1D input)" },
  // A single value per channel: without running statistics the batch's are used in eval mode too (PyTorch raised in
  // both modes); with them, in training only (eval mode ran), so nothing is claimed.
  { kind: "torch.nn.BatchNorm1d", args: [2, { track_running_stats: false }], input: [1, 2], output: [1, 2], params: 4n, problems: ["torchRefuses"], torch: "ValueError: Expected more than 1 value per channel when training, got input size torch.Size([1, 2])" },
  { kind: "torch.nn.BatchNorm2d", args: [3, { track_running_stats: false }], input: [1, 3, 1, 1], output: [1, 3, 1, 1], params: 6n, problems: ["torchRefuses"], torch: "ValueError: Expected more than 1 value per channel when training, got input size torch.Size([1, 3, 1, 1])" },
  { kind: "torch.nn.BatchNorm2d", args: [3, { track_running_stats: false }], input: [1, 3, 1, 2], output: [1, 3, 1, 2], params: 6n, note: "two positions for one sample are enough" },
  { kind: "torch.nn.BatchNorm1d", args: [2], input: [1, 2], output: [1, 2], params: 4n, note: "refused in training mode only" },
  { kind: "torch.nn.BatchNorm3d", args: [4], input: [2, 4, 3, 8, 8], output: [2, 4, 3, 8, 8], params: 8n },
  { kind: "torch.nn.BatchNorm3d", args: [6], input: [2, 6, 9, 9], output: undefined, params: 12n, problems: ["torchInputRank"], torch: "ValueError: expected 5D input (got 4D input)" },
  { kind: "torch.nn.LazyBatchNorm2d", args: [], input: [2, 4, 5, 5], output: [2, 4, 5, 5], params: 8n },
  { kind: "torch.nn.LazyBatchNorm1d", args: [{ affine: false }], input: [2, 4], output: [2, 4], params: 0n },
  { kind: "torch.nn.LazyBatchNorm3d", args: [], input: [2, 4, 5, 5], output: undefined, params: 8n, problems: ["torchInputRank"], torch: "ValueError: expected 5D input (got 4D input)" },
  { kind: "torch.nn.InstanceNorm2d", args: [6], input: [2, 6, 4, 4], output: [2, 6, 4, 4], params: 0n },
  { kind: "torch.nn.InstanceNorm2d", args: [6, { affine: true }], input: [2, 6, 4, 4], output: [2, 6, 4, 4], params: 12n },
  { kind: "torch.nn.InstanceNorm2d", args: [6], input: [6, 4, 4], output: [6, 4, 4], params: 0n, note: "unbatched" },
  { kind: "torch.nn.InstanceNorm2d", args: [6], input: [6, 4], output: undefined, params: 0n, problems: ["torchInputRank"], torch: "ValueError: expected 3D or 4D input (got 2D input)" },
  { kind: "torch.nn.InstanceNorm2d", args: [6], input: [2, 3, 4, 4], output: [2, 3, 4, 4], params: 0n, problems: ["torchInstanceNormFeatures"], torchWarning: "input's size at dim=1 does not match num_features. You can silence this warning by not passing in num_features, which is not used because affine=False", note: "PyTorch 2.x warns (1.13 does not)" },
  { kind: "torch.nn.InstanceNorm2d", args: [6, { affine: true }], input: [2, 3, 4, 4], output: [2, 3, 4, 4], params: 12n, problems: ["torchRefuses"], torch: "ValueError: expected input's size at dim=1 to match num_features (6), but got: 3.", note: "PyTorch 2.x's check (1.13: weight should contain 6 elements not 12)" },
  { kind: "torch.nn.InstanceNorm2d", args: [6, { track_running_stats: true }], input: [2, 3, 4, 4], output: [2, 3, 4, 4], params: 0n, problems: ["torchInstanceNormFeatures", "torchRunningStats"], torch: "RuntimeError: running_mean should contain 6 elements not 12", note: "the statistics repeated for each of the 2 samples" },
  { kind: "torch.nn.InstanceNorm1d", args: [6], input: [2, 6, 9], output: [2, 6, 9], params: 0n },
  { kind: "torch.nn.InstanceNorm1d", args: [6], input: [6, 9], output: [6, 9], params: 0n },
  { kind: "torch.nn.InstanceNorm1d", args: [6], input: [2, 6, 9, 9], output: undefined, params: 0n, problems: ["torchInputRank"], torch: "ValueError: expected 2D or 3D input (got 4D input)" },
  { kind: "torch.nn.InstanceNorm3d", args: [6], input: [2, 6, 3, 3, 3], output: [2, 6, 3, 3, 3], params: 0n },
  // A single position per channel: without running statistics refused in eval mode too (PyTorch raised in both
  // modes, the size printed with the batch dimension added to an unbatched input); with them, in training only.
  { kind: "torch.nn.InstanceNorm2d", args: [3], input: [3, 1, 1], output: [3, 1, 1], params: 0n, problems: ["torchRefuses"], torch: "ValueError: Expected more than 1 spatial element when training, got input size torch.Size([1, 3, 1, 1])" },
  { kind: "torch.nn.InstanceNorm1d", args: [4], input: [2, 4, 1], output: [2, 4, 1], params: 0n, problems: ["torchRefuses"], torch: "ValueError: Expected more than 1 spatial element when training, got input size torch.Size([2, 4, 1])" },
  { kind: "torch.nn.InstanceNorm1d", args: [4, { affine: true }], input: [4, 1], output: [4, 1], params: 8n, problems: ["torchRefuses"], torch: "ValueError: Expected more than 1 spatial element when training, got input size torch.Size([1, 4, 1])" },
  { kind: "torch.nn.InstanceNorm1d", args: [6], input: [2, 3, 1], output: [2, 3, 1], params: 0n, problems: ["torchInstanceNormFeatures", "torchRefuses"], torch: "ValueError: Expected more than 1 spatial element when training, got input size torch.Size([2, 3, 1])", note: "PyTorch 2.x warns first" },
  { kind: "torch.nn.InstanceNorm2d", args: [3, { track_running_stats: true }], input: [3, 1, 1], output: [3, 1, 1], params: 0n, note: "refused in training mode only" },
  { kind: "torch.nn.InstanceNorm3d", args: [6], input: [6, 3, 3], output: undefined, params: 0n, problems: ["torchInputRank"], torch: "ValueError: expected 4D or 5D input (got 3D input)" },
  { kind: "torch.nn.LazyInstanceNorm2d", args: [], input: [2, 4, 5, 5], output: [2, 4, 5, 5], params: 8n, note: "its signature defaults affine to True" },
  { kind: "torch.nn.LazyInstanceNorm1d", args: [], input: [4, 5], output: [4, 5], params: 10n, problems: ["torchRefuses"], torch: "ValueError: expected input's size at dim=0 to match num_features (5), but got: 4.", note: "num_features from dim 1 even unbatched; PyTorch 2.x's message (1.13: running_mean should contain 4 elements not 5)" },
  { kind: "torch.nn.LayerNorm", args: [10], input: [3, 5, 10], output: [3, 5, 10], params: 20n },
  { kind: "torch.nn.LayerNorm", args: [tup(5, 10)], input: [3, 5, 10], output: [3, 5, 10], params: 100n },
  { kind: "torch.nn.LayerNorm", args: [[5, 10], { elementwise_affine: false }], input: [3, 5, 10], output: [3, 5, 10], params: 0n },
  { kind: "torch.nn.LayerNorm", args: [10], input: [20, 5], output: [20, 5], params: 20n, problems: ["torchRefuses"], torch: "RuntimeError: Given normalized_shape=[10], expected input with shape [*, 10], but got input of size[20, 5]" },
  { kind: "torch.nn.LayerNorm", args: [tup(4, 10)], input: [3, 5, 10], output: [3, 5, 10], params: 80n, problems: ["torchRefuses"], torch: "RuntimeError: Given normalized_shape=[4, 10], expected input with shape [*, 4, 10], but got input of size[3, 5, 10]" },
  { kind: "torch.nn.LayerNorm", args: [tup(2, 5, 10)], input: [5, 10], output: [5, 10], params: 200n, problems: ["torchRefuses"], torch: "RuntimeError: Given normalized_shape=[2, 5, 10], expected input with shape [*, 2, 5, 10], but got input of size[5, 10]" },
  { kind: "torch.nn.GroupNorm", args: [3, 6], input: [2, 6, 4, 4], output: [2, 6, 4, 4], params: 12n },
  { kind: "torch.nn.GroupNorm", args: [3, 6, { affine: false }], input: [2, 6, 4, 4], output: [2, 6, 4, 4], params: 0n },
  { kind: "torch.nn.GroupNorm", args: [3, 6], input: [2, 6], output: [2, 6], params: 12n },
  { kind: "torch.nn.GroupNorm", args: [4, 6], input: [2, 6, 4, 4], output: [2, 6, 4, 4], params: 12n, problems: ["torchRefuses"], torch: "ValueError: num_channels must be divisible by num_groups" },
  { kind: "torch.nn.GroupNorm", args: [3, 6], input: [2, 9, 4, 4], output: [2, 9, 4, 4], params: 12n, problems: ["torchRefuses"], torch: "RuntimeError: Expected weight to be a vector of size equal to the number of channels in input, but got weight of shape [6] and input of shape [2, 9, 4, 4]" },
  { kind: "torch.nn.GroupNorm", args: [3, 6], input: [2, 4, 4, 4], output: [2, 4, 4, 4], params: 12n, problems: ["torchRefuses"], torch: "RuntimeError: Expected number of channels in input to be divisible by num_groups, but got input of shape [2, 4, 4, 4] and num_groups=3" },
  { kind: "torch.nn.GroupNorm", args: [3, 6, { affine: false }], input: [2, 9, 4, 4], output: [2, 9, 4, 4], params: 0n },
  { kind: "torch.nn.GroupNorm", args: [3, 6], input: [6], output: undefined, params: 12n, problems: ["torchInputRank"], torch: "RuntimeError: Expected at least 2 dimensions for input tensor but received 1", note: "PyTorch 2.x's check (1.13: IndexError: Dimension out of range)" },
  // One value per group, whatever the mode (PyTorch raised in both): the size printed is (N·C // num_groups, num_groups, positions…).
  { kind: "torch.nn.GroupNorm", args: [3, 3], input: [1, 3], output: [1, 3], params: 6n, problems: ["torchRefuses"], torch: "ValueError: Expected more than 1 value per channel when training, got input size [1, 3]" },
  { kind: "torch.nn.GroupNorm", args: [2, 2], input: [1, 3, 1], output: [1, 3, 1], params: 4n, problems: ["torchRefuses"], torch: "ValueError: Expected more than 1 value per channel when training, got input size [1, 2, 1]", note: "before the channel checks" },
  { kind: "torch.nn.GroupNorm", args: [2, 4], input: [1, 4], output: [1, 4], params: 8n, note: "two channels per group are enough" },
  { kind: "torch.nn.GroupNorm", args: [0, 6], input: [2, 6], output: [2, 6], params: 12n, problems: ["nonPositiveArgument"], torch: "ZeroDivisionError: integer modulo by zero", ownWording: true },
  { kind: "torch.nn.LocalResponseNorm", args: [2], input: [2, 6, 4, 4], output: [2, 6, 4, 4], params: 0n },
  { kind: "torch.nn.LocalResponseNorm", args: [2], input: [2, 6, 4], output: [2, 6, 4], params: 0n },
  { kind: "torch.nn.LocalResponseNorm", args: [2], input: [2, 6, 3, 3, 3, 3], output: [2, 6, 3, 3, 3, 3], params: 0n },
  { kind: "torch.nn.LocalResponseNorm", args: [2], input: [2, 6], output: undefined, params: 0n, problems: ["torchInputRank"], torch: "ValueError: Expected 3D or higher dimensionality input (got 2 dimensions)" },
];

for (const row of rows) test(rowName(row), () => checkTorchRow(row));

// RMSNorm (PyTorch ≥ 2.4, not in 1.13): weight of normalized_shape when elementwise_affine, no bias.
const rmsRows: TorchRow[] = [
  { kind: "torch.nn.RMSNorm", args: [[5, 10]], input: [3, 5, 10], output: [3, 5, 10], params: 50n },
  { kind: "torch.nn.RMSNorm", args: [10, { eps: 1e-6, elementwise_affine: false }], input: [3, 5, 10], output: [3, 5, 10], params: 0n },
  {
    kind: "torch.nn.RMSNorm", args: [10], input: [20, 5], output: [20, 5], params: 10n, problems: ["torchRefuses"],
    torch: "RuntimeError: Given normalized_shape=[10], expected input with shape [*, 10], but got input of size[20, 5]",
  },
];

for (const row of rmsRows) test(rowName(row), () => checkTorchRow(row));

test("BatchNorm's channel mismatch is on num_features and carries the input's channels", () => {
  const got = infer("torch.nn.BatchNorm2d", [3], [2, 6, 5, 5]);
  const problem = got.result.problems.find((p) => p.id === "torchRunningStats");
  assert.equal(problem?.argument, "num_features");
  assert.equal(problem?.values.actual, 6);
  assertSaysAsTorch(got.messages, "RuntimeError: running_mean should contain 6 elements not 3");
});

test("normalization formulas: 2·C for an affine norm, 2·(∏ shape) for LayerNorm", () => {
  assert.deepEqual(infer("torch.nn.BatchNorm2d", [6], undefined).result.formulas, [{ label: "params", text: "2·6 = 12" }]);
  assert.deepEqual(infer("torch.nn.LayerNorm", [tup(5, 10)], undefined).result.formulas, [{ label: "params", text: "2·(5·10) = 100" }]);
  assert.deepEqual(infer("torch.nn.LayerNorm", [10, { bias: false }], undefined).params, 10n);
});

test("a Lazy norm's weights are unknown until its first input", () => {
  assert.equal(infer("torch.nn.LazyBatchNorm2d", [], undefined).params, undefined);
  assert.equal(infer("torch.nn.LazyBatchNorm2d", [{ affine: false }], undefined).params, 0n);
});

test("normalization cost: one per element of a sample, the batch left out only when there is one", () => {
  const cost = (kind: string, args: readonly number[], input: number[]) => {
    const spec = findLayer(kind)!;
    const binding = bindArguments(spec, argsIR(args));
    const result = spec.infer(binding.args, input);
    return spec.cost!({ args: binding.args, input, output: result.output, weights: result.weights }).macs;
  };
  assert.equal(cost("torch.nn.BatchNorm2d", [6], [2, 6, 5, 5]), 150n);
  assert.equal(cost("torch.nn.InstanceNorm2d", [6], [6, 5, 5]), 150n);
  assert.equal(cost("torch.nn.InstanceNorm2d", [6], [2, 6, 5, 5]), 150n);
});
