/**
 * torch.nn's activation modules. Every output shape, parameter count, PyTorch message and warning below was
 * printed by python3-torch 1.13 (Debian) running the same module on a tensor of the input shape
 * (/usr/bin/python3), except where a note gives PyTorch 2.x's wording. Where PyTorch raises, the output is what
 * Layer Lens still shows: the input's shape when only an argument is at fault, none when the input is.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { infer, rowName } from "./helpers";
import { TorchRow, checkTorchRow } from "./torchModuleRows";

const rows: TorchRow[] = [
  { kind: "torch.nn.ReLU", args: [], input: [2, 3, 4], output: [2, 3, 4], params: 0n },
  { kind: "torch.nn.ReLU6", args: [], input: [2, 3, 4], output: [2, 3, 4], params: 0n },
  { kind: "torch.nn.LeakyReLU", args: [0.2], input: [2, 3, 4], output: [2, 3, 4], params: 0n },
  { kind: "torch.nn.ELU", args: [], input: [2, 3, 4], output: [2, 3, 4], params: 0n },
  { kind: "torch.nn.SELU", args: [], input: [2, 3, 4], output: [2, 3, 4], params: 0n },
  { kind: "torch.nn.CELU", args: [2.0], input: [2, 3, 4], output: [2, 3, 4], params: 0n },
  { kind: "torch.nn.GELU", args: [], input: [2, 3, 4], output: [2, 3, 4], params: 0n },
  { kind: "torch.nn.SiLU", args: [], input: [2, 3, 4], output: [2, 3, 4], params: 0n },
  { kind: "torch.nn.Mish", args: [], input: [2, 3, 4], output: [2, 3, 4], params: 0n },
  { kind: "torch.nn.Sigmoid", args: [], input: [2, 3, 4], output: [2, 3, 4], params: 0n },
  { kind: "torch.nn.Tanh", args: [], input: [2, 3, 4], output: [2, 3, 4], params: 0n },
  { kind: "torch.nn.Hardtanh", args: [-2.0, 2.0], input: [2, 3, 4], output: [2, 3, 4], params: 0n },
  { kind: "torch.nn.Hardsigmoid", args: [], input: [2, 3, 4], output: [2, 3, 4], params: 0n },
  { kind: "torch.nn.Hardswish", args: [], input: [2, 3, 4], output: [2, 3, 4], params: 0n },
  { kind: "torch.nn.Softplus", args: [2, 10], input: [2, 3, 4], output: [2, 3, 4], params: 0n },
  { kind: "torch.nn.Softsign", args: [], input: [2, 3, 4], output: [2, 3, 4], params: 0n },
  { kind: "torch.nn.Softshrink", args: [0.3], input: [2, 3, 4], output: [2, 3, 4], params: 0n },
  { kind: "torch.nn.Hardshrink", args: [], input: [2, 3, 4], output: [2, 3, 4], params: 0n },
  { kind: "torch.nn.Tanhshrink", args: [], input: [2, 3, 4], output: [2, 3, 4], params: 0n },
  { kind: "torch.nn.Threshold", args: [0.1, 20], input: [2, 3, 4], output: [2, 3, 4], params: 0n },
  { kind: "torch.nn.LogSigmoid", args: [], input: [2, 3, 4], output: [2, 3, 4], params: 0n },
  { kind: "torch.nn.RReLU", args: [], input: [2, 3, 4], output: [2, 3, 4], params: 0n },
  { kind: "torch.nn.ReLU", args: [{ inplace: true }], input: [], output: [], params: 0n, note: "a 0-D input" },
  { kind: "torch.nn.GELU", args: [{ approximate: "tanh" }], input: [2, 3], output: [2, 3], params: 0n },
  { kind: "torch.nn.GELU", args: ["fast"], input: [2, 3], output: [2, 3], params: 0n, problems: ["torchRefuses"], torch: "RuntimeError: approximate argument must be either none or tanh." },
  { kind: "torch.nn.Hardtanh", args: [2.0, 1.0], input: [2, 3], output: [2, 3], params: 0n, problems: ["torchRefuses"], torch: "AssertionError: ", ownWording: true, note: "PyTorch asserts max_val > min_val without a message" },
  { kind: "torch.nn.Hardtanh", args: [{ min_value: -3.0 }], input: [2, 3], output: [2, 3], params: 0n, note: "the deprecated spelling is still taken" },
  { kind: "torch.nn.Softshrink", args: [-1], input: [2, 3], output: [2, 3], params: 0n, problems: ["torchRefuses"], torch: "RuntimeError: lambda must be greater or equal to 0, but found to be -1." },
  { kind: "torch.nn.CELU", args: [0], input: [2, 3], output: [2, 3], params: 0n, problems: ["torchRefuses"], torch: "RuntimeError: ZeroDivisionError: alpha cannot be 0 for CELU" },
  { kind: "torch.nn.RReLU", args: [0.5, 0.1], input: [2, 3], output: [2, 3], params: 0n, problems: ["torchRefuses"], torch: "RuntimeError: Lower bound should be less than or equal to the upper bound" },
  { kind: "torch.nn.Threshold", args: [0.1], input: [2, 3], output: [2, 3], params: 0n, problems: ["missingArgument"], torch: "TypeError: Threshold.__init__() missing 1 required positional argument: 'value'", ownWording: true },
  { kind: "torch.nn.Softmax", args: [1], input: [2, 3], output: [2, 3], params: 0n },
  { kind: "torch.nn.Softmax", args: [{ dim: -1 }], input: [2, 3, 4], output: [2, 3, 4], params: 0n },
  { kind: "torch.nn.LogSoftmax", args: [1], input: [2, 3], output: [2, 3], params: 0n },
  { kind: "torch.nn.Softmin", args: [0], input: [2, 3], output: [2, 3], params: 0n },
  { kind: "torch.nn.Softmax", args: [2], input: [2, 3], output: undefined, params: 0n, problems: ["torchDimOutOfRange"], torch: "IndexError: Dimension out of range (expected to be in range of [-2, 1], but got 2)" },
  { kind: "torch.nn.Softmax", args: [-3], input: [2, 3], output: undefined, params: 0n, problems: ["torchDimOutOfRange"], torch: "IndexError: Dimension out of range (expected to be in range of [-2, 1], but got -3)" },
  { kind: "torch.nn.Softmax", args: [0], input: [], output: [], params: 0n },
  { kind: "torch.nn.Softmax", args: [1], input: [], output: undefined, params: 0n, problems: ["torchDimOutOfRange"], torch: "IndexError: Dimension out of range (expected to be in range of [-1, 0], but got 1)" },
  { kind: "torch.nn.Softmax", args: [], input: [2, 3], output: [2, 3], params: 0n, problems: ["torchImplicitDim"], torchWarning: "Implicit dimension choice for softmax has been deprecated. Change the call to include dim=X as an argument." },
  { kind: "torch.nn.Softmax", args: [], input: [2, 3, 4], output: [2, 3, 4], params: 0n, problems: ["torchImplicitDim"], torchWarning: "Implicit dimension choice for softmax has been deprecated. Change the call to include dim=X as an argument." },
  { kind: "torch.nn.LogSoftmax", args: [], input: [2, 3], output: [2, 3], params: 0n, problems: ["torchImplicitDim"], torchWarning: "Implicit dimension choice for log_softmax has been deprecated. Change the call to include dim=X as an argument." },
  { kind: "torch.nn.Softmin", args: [], input: [3], output: [3], params: 0n, problems: ["torchImplicitDim"], torchWarning: "Implicit dimension choice for softmin has been deprecated. Change the call to include dim=X as an argument." },
  { kind: "torch.nn.Softmax2d", args: [], input: [2, 3, 4, 5], output: [2, 3, 4, 5], params: 0n },
  { kind: "torch.nn.Softmax2d", args: [], input: [3, 4, 5], output: [3, 4, 5], params: 0n },
  { kind: "torch.nn.Softmax2d", args: [], input: [4, 5], output: undefined, params: 0n, problems: ["torchInputRank"], torch: "ValueError: Softmax2d: expected input to be 3D or 4D, got 2D instead", note: "PyTorch 2.x's message (1.13 asserted: Softmax2d requires a 3D or 4D tensor as input)" },
  { kind: "torch.nn.GLU", args: [], input: [2, 6], output: [2, 3], params: 0n },
  { kind: "torch.nn.GLU", args: [1], input: [2, 6, 5], output: [2, 3, 5], params: 0n },
  { kind: "torch.nn.GLU", args: [], input: [2, 5], output: undefined, params: 0n, problems: ["torchRefuses"], torch: "RuntimeError: Halving dimension must be even, but dimension 1 is size 5" },
  { kind: "torch.nn.GLU", args: [2], input: [2, 6], output: undefined, params: 0n, problems: ["torchDimOutOfRange"], torch: "IndexError: Dimension out of range (expected to be in range of [-2, 1], but got 2)" },
  { kind: "torch.nn.GLU", args: [], input: [], output: undefined, params: 0n, problems: ["torchInputRank"], torch: "RuntimeError: glu does not support scalars because halving size must be even" },
  { kind: "torch.nn.PReLU", args: [], input: [2, 3, 4], output: [2, 3, 4], params: 1n },
  { kind: "torch.nn.PReLU", args: [], input: [], output: [], params: 1n },
  { kind: "torch.nn.PReLU", args: [3], input: [2, 3, 4], output: [2, 3, 4], params: 3n },
  { kind: "torch.nn.PReLU", args: [3, 0.1], input: [2, 3], output: [2, 3], params: 3n },
  { kind: "torch.nn.PReLU", args: [3], input: [2, 4, 4], output: [2, 4, 4], params: 3n, problems: ["torchRefuses"], torch: "RuntimeError: Mismatch of parameter numbers and input channel size. Found parameter numbers = 3 and channel size = 4." },
  { kind: "torch.nn.PReLU", args: [3], input: [3], output: [3], params: 3n, problems: ["torchRefuses"], torch: "RuntimeError: Mismatch of parameter numbers and input channel size. Found parameter numbers = 3 and channel size = 1.", note: "a 1-D input counts one channel" },
  { kind: "torch.nn.PReLU", args: [3], input: [], output: undefined, params: 3n, problems: ["torchInputRank"], torch: "RuntimeError: Not allow zero-dim input tensor." },
  { kind: "torch.nn.ReLU", args: [{ negative_slope: 0.1 }], input: [2, 3], output: [2, 3], params: 0n, problems: ["unknownKeyword"], torch: "TypeError: ReLU.__init__() got an unexpected keyword argument 'negative_slope'", ownWording: true },
];

for (const row of rows) test(rowName(row), () => checkTorchRow(row));

test("GLU's halving formula, and Softmax's implicit choice named in the warning", () => {
  assert.deepEqual(infer("torch.nn.GLU", [1], [2, 6, 5]).result.formulas, [{ label: "dim 1", text: "6 / 2 = 3" }]);
  // _get_softmax_dim: 0 for a 0-, 1- or 3-D input, else 1.
  assert.match(infer("torch.nn.Softmax", [], [2, 3, 4]).messages[0], /picks dim=0 on the 3-D input/);
  assert.match(infer("torch.nn.Softmax", [], [2, 10]).messages[0], /picks dim=1 on the 2-D input/);
});

test("PReLU's mismatch is on num_parameters with the input's channels", () => {
  const problem = infer("torch.nn.PReLU", [3], [2, 4, 4]).result.problems[0];
  assert.equal(problem.argument, "num_parameters");
  assert.equal(problem.values.actual, 4);
});

test("an unknown input keeps an activation's output unknown and PReLU's weight known", () => {
  assert.equal(infer("torch.nn.ReLU", [], undefined).output, undefined);
  assert.equal(infer("torch.nn.PReLU", [8], undefined).params, 8n);
  assert.deepEqual(infer("torch.nn.GLU", [], [2, "?"]).output, [2, "?"]);
});
