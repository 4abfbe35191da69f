/**
 * torch.nn's loss modules, called on (input, target) or three tensors. Every output shape, parameter count, PyTorch
 * message and warning below was printed by python3-torch 1.13 (Debian, /usr/bin/python3) running the same module on
 * zeros of the input shapes (class indices as long zeros; a `weight` was torch.ones of the shape noted), except the
 * two rows marked as current PyTorch's.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { PyValue, pyFloat, unresolved } from "../../server/src/engine/values";
import { inferMulti } from "./multiInput";
import { TorchMultiRow, assertSaysAsTorch, checkTorchMultiRow, multiRowName } from "./torchModuleRows";

/** A tensor the user passes to the constructor (`weight=torch.ones(10)`): a buffer, not a parameter. */
const tensor: PyValue = { ref: "tensor", id: 0 };

const rows: TorchMultiRow[] = [
  { kind: "torch.nn.CrossEntropyLoss", args: [], inputs: [[64, 10], [64]], output: [], params: 0n },
  { kind: "torch.nn.CrossEntropyLoss", args: [{ reduction: "none" }], inputs: [[64, 10], [64]], output: [64], params: 0n },
  { kind: "torch.nn.CrossEntropyLoss", args: [{ reduction: "none" }], inputs: [[8, 5, 4, 4], [8, 4, 4]], output: [8, 4, 4], params: 0n },
  { kind: "torch.nn.CrossEntropyLoss", args: [{ reduction: "none", label_smoothing: 0.1 }], inputs: [[8, 5], [8, 5]], output: [8], params: 0n, note: "probabilities (float) of the input's shape" },
  { kind: "torch.nn.CrossEntropyLoss", args: [], inputs: [[10], []], output: [], params: 0n, note: "unbatched" },
  { kind: "torch.nn.CrossEntropyLoss", args: [{ weight: tensor }], inputs: [[64, 10], [64]], output: [], params: 0n, note: "weight (10,) is a buffer" },
  { kind: "torch.nn.CrossEntropyLoss", args: [], inputs: [[64, 10], [3]], output: undefined, params: 0n, problems: ["torchOpRefuses"], torch: "ValueError: Expected input batch_size (64) to match target batch_size (3)." },
  { kind: "torch.nn.CrossEntropyLoss", args: [{ reduction: "none" }], inputs: [[8, 5, 4, 4], [8, 4, 3]], output: undefined, params: 0n, problems: ["torchOpRefuses"], torch: "RuntimeError: size mismatch (got input: [8, 5, 4, 4] , target: [8, 4, 3]" },
  { kind: "torch.nn.CrossEntropyLoss", args: [{ reduction: "max" }], inputs: [[64, 10], [64]], output: undefined, params: 0n, problems: ["invalidArgument"], torch: "ValueError: max is not a valid value for reduction" },
  { kind: "torch.nn.NLLLoss", args: [{ reduction: "none" }], inputs: [[64, 10], [64]], output: [64], params: 0n },
  { kind: "torch.nn.NLLLoss", args: [{ reduce: false }], inputs: [[64, 10], [64]], output: [64], params: 0n, problems: ["torchWarns"], note: "reduce=False: reduction 'none'" },
  { kind: "torch.nn.NLLLoss", args: [], inputs: [[64, 10], [64, 2]], output: undefined, params: 0n, problems: ["torchOpRefuses"], torch: "RuntimeError: 0D or 1D target tensor expected, multi-target not supported" },
  { kind: "torch.nn.CrossEntropyLoss", args: [{ ignore_index: 0 }], inputs: [[2, 3], [2, 3]], output: undefined, params: 0n, problems: ["torchOpRefuses"], torch: "RuntimeError: ignore_index is not supported for floating point target" },
  { kind: "torch.nn.CrossEntropyLoss", args: [{ ignore_index: 5, reduction: "none" }], inputs: [[2, 3, 4, 4], [2, 3, 4, 4]], output: undefined, params: 0n, problems: ["torchOpRefuses"], torch: "RuntimeError: ignore_index is not supported for floating point target" },
  { kind: "torch.nn.CrossEntropyLoss", args: [{ ignore_index: -1 }], inputs: [[2, 3], [2, 3]], output: [], params: 0n, note: "probabilities with a negative ignore_index" },
  { kind: "torch.nn.NLLLoss", args: [{ reduction: "none" }], inputs: [[4], [4]], output: [], params: 0n, note: "1-D input, 1-D target of its length: 0-dim whatever the reduction" },
  { kind: "torch.nn.NLLLoss", args: [], inputs: [[4], []], output: [], params: 0n, note: "unbatched" },
  { kind: "torch.nn.NLLLoss", args: [{ reduction: "sum" }], inputs: [[4], [1]], output: undefined, params: 0n, problems: ["torchOpRefuses"], torch: "RuntimeError: size mismatch (got input: [4], target: [1])" },
  { kind: "torch.nn.MSELoss", args: [], inputs: [[64, 1], [64, 1]], output: [], params: 0n },
  { kind: "torch.nn.MSELoss", args: [{ reduction: "none" }], inputs: [[64, 1], [64]], output: [64, 64], params: 0n, problems: ["torchWarns"], note: "the classic broadcast" },
  { kind: "torch.nn.MSELoss", args: [{ reduction: "none" }], inputs: [[64, 2], [3]], output: undefined, params: 0n, problems: ["torchBroadcast"], torch: "RuntimeError: The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 1" },
  { kind: "torch.nn.MSELoss", args: [{ reduction: "batchmean" }], inputs: [[4, 3], [4, 3]], output: undefined, params: 0n, problems: ["invalidArgument"], torch: "ValueError: batchmean is not a valid value for reduction" },
  { kind: "torch.nn.L1Loss", args: [{ size_average: false }], inputs: [[8, 3], [8, 3]], output: [], params: 0n, problems: ["torchWarns"], note: "size_average=False: reduction 'sum'" },
  { kind: "torch.nn.L1Loss", args: [{ size_average: false, reduce: false, reduction: "sum" }], inputs: [[8, 3], [8, 3]], output: [8, 3], params: 0n, problems: ["torchWarns"], note: "reduce=False wins over reduction" },
  { kind: "torch.nn.SmoothL1Loss", args: [{ reduction: "none", beta: 0.5 }], inputs: [[4, 3], [4, 3]], output: [4, 3], params: 0n },
  { kind: "torch.nn.HuberLoss", args: [{ reduction: "sum", delta: 2.0 }], inputs: [[4, 3], [4, 3]], output: [], params: 0n },
  { kind: "torch.nn.SoftMarginLoss", args: [{ reduction: "none" }], inputs: [[4, 3], [4, 3]], output: [4, 3], params: 0n },
  { kind: "torch.nn.SoftMarginLoss", args: [{ reduction: "none" }], inputs: [[4, 4], [1, 4]], output: [4, 4], params: 0n, note: "the target broadcasts into the input, no warning" },
  { kind: "torch.nn.SoftMarginLoss", args: [], inputs: [[4, 1], [4, 4]], output: undefined, params: 0n, problems: ["torchOpRefuses"], torch: "RuntimeError: output with shape [4, 1] doesn't match the broadcast shape [4, 4]" },
  { kind: "torch.nn.SoftMarginLoss", args: [{ reduction: "none" }], inputs: [[4], [2, 4]], output: undefined, params: 0n, problems: ["torchOpRefuses"], torch: "RuntimeError: output with shape [4] doesn't match the broadcast shape [2, 4]" },
  { kind: "torch.nn.KLDivLoss", args: [{ reduction: "batchmean", log_target: true }], inputs: [[4, 3], [4, 3]], output: [], params: 0n },
  { kind: "torch.nn.KLDivLoss", args: [{ reduction: "none" }], inputs: [[4, 3], [3]], output: [4, 3], params: 0n, note: "broadcast without a warning" },
  { kind: "torch.nn.BCELoss", args: [], inputs: [[16, 1], [16, 1]], output: [], params: 0n },
  { kind: "torch.nn.BCELoss", args: [{ reduction: "none" }], inputs: [[16, 1], [16]], output: undefined, params: 0n, problems: ["torchOpRefuses"], torch: "ValueError: Using a target size (torch.Size([16])) that is different to the input size (torch.Size([16, 1])) is deprecated. Please ensure they have the same size." },
  { kind: "torch.nn.BCEWithLogitsLoss", args: [{ reduction: "none" }], inputs: [[16, 3], [16, 3]], output: [16, 3], params: 0n },
  { kind: "torch.nn.BCEWithLogitsLoss", args: [{ weight: tensor }], inputs: [[16, 3], [16, 3]], output: [], params: 0n, note: "weight (3,) is a buffer" },
  { kind: "torch.nn.BCEWithLogitsLoss", args: [], inputs: [[16, 1], [16]], output: undefined, params: 0n, problems: ["torchOpRefuses"], torch: "ValueError: Target size (torch.Size([16])) must be the same as input size (torch.Size([16, 1]))" },
  { kind: "torch.nn.PoissonNLLLoss", args: [{ reduction: "none" }], inputs: [[4, 3], [4, 3]], output: [4, 3], params: 0n },
  { kind: "torch.nn.PoissonNLLLoss", args: [{ full: true }], inputs: [[4, 3], [3]], output: [], params: 0n, note: "broadcast without a warning" },
  { kind: "torch.nn.HingeEmbeddingLoss", args: [{ reduction: "none", margin: 0.5 }], inputs: [[4, 3], [4, 1]], output: [4, 3], params: 0n },
  { kind: "torch.nn.MultiLabelSoftMarginLoss", args: [{ reduction: "none" }], inputs: [[8, 5], [8, 5]], output: [8], params: 0n },
  { kind: "torch.nn.MultiLabelSoftMarginLoss", args: [{ reduction: "none" }], inputs: [[5], [5]], output: [], params: 0n },
  { kind: "torch.nn.MultiLabelSoftMarginLoss", args: [], inputs: [[], []], output: undefined, params: 0n, problems: ["torchRefuses"], torch: "IndexError: Dimension specified as -1 but tensor has no dimensions" },
  { kind: "torch.nn.MarginRankingLoss", args: [{ reduction: "none" }], inputs: [[8], [8], [8]], output: [8], params: 0n },
  { kind: "torch.nn.MarginRankingLoss", args: [], inputs: [[8], [8], [8, 1]], output: undefined, params: 0n, problems: ["torchRefuses"], torch: "RuntimeError: margin_ranking_loss : All input tensors should have same dimension but got sizes: input1: torch.Size([8]), input2: torch.Size([8]), target: torch.Size([8, 1])" },
  { kind: "torch.nn.CosineEmbeddingLoss", args: [{ reduction: "none" }], inputs: [[8, 16], [8, 16], [8]], output: [8], params: 0n },
  { kind: "torch.nn.CosineEmbeddingLoss", args: [{ reduction: "none" }], inputs: [[16], [16], []], output: [], params: 0n },
  { kind: "torch.nn.CosineEmbeddingLoss", args: [], inputs: [[8, 16], [8, 16], [8, 2]], output: undefined, params: 0n, problems: ["torchRefuses"], torch: "RuntimeError: 0D or 1D target tensor expected, multi-target not supported" },
  { kind: "torch.nn.CosineEmbeddingLoss", args: [], inputs: [[8, 16, 1], [8, 16], [8]], output: undefined, params: 0n, problems: ["torchRefuses"], torch: "RuntimeError: 1D target tensor expects 2D input tensors, but found inputs with sizes [8, 16, 1] and [8, 16]." },
  { kind: "torch.nn.CosineEmbeddingLoss", args: [], inputs: [[8, 16], [8, 15], [8]], output: undefined, params: 0n, problems: ["torchBroadcast"], torch: "RuntimeError: The size of tensor a (16) must match the size of tensor b (15) at non-singleton dimension 1" },
  { kind: "torch.nn.TripletMarginLoss", args: [{ reduction: "none" }], inputs: [[8, 16], [8, 16], [8, 16]], output: [8], params: 0n },
  { kind: "torch.nn.TripletMarginLoss", args: [], inputs: [[16], [16], [16]], output: [], params: 0n },
  { kind: "torch.nn.TripletMarginLoss", args: [{ reduction: "none" }], inputs: [[2, 1], [2, 3], [2, 4]], output: [2], params: 0n, note: "anchor broadcasts to both" },
  { kind: "torch.nn.TripletMarginLoss", args: [{ reduction: "none", swap: true }], inputs: [[2, 1], [2, 3], [2, 4]], output: undefined, params: 0n, problems: ["torchBroadcast"], torch: "RuntimeError: The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1", note: "swap compares positive and negative" },
  // 1.13 says "All inputs should have same dimension but got 2D, 1D and 2D inputs."; current PyTorch's words (aten/src/ATen/native/Loss.cpp).
  { kind: "torch.nn.TripletMarginLoss", args: [], inputs: [[8, 16], [16], [8, 16]], output: undefined, params: 0n, problems: ["torchRefuses"], torch: "RuntimeError: The anchor, positive, and negative tensors are expected to have the same number of dimensions, but got: anchor 2D, positive 1D, and negative 2D inputs" },
  // 1.13 takes it; current PyTorch's TripletMarginLoss.__init__ raises (torch/nn/modules/loss.py).
  { kind: "torch.nn.TripletMarginLoss", args: [{ margin: pyFloat(0) }], inputs: [[8, 16], [8, 16], [8, 16]], output: [], params: 0n, problems: ["torchRefuses"], torch: "ValueError: TripletMarginLoss: expected margin to be greater than 0, got 0.0 instead" },
];

for (const row of rows) test(multiRowName(row), () => checkTorchMultiRow(row));

test("the messages name the module, as PyTorch's traceback does", () => {
  const got = inferMulti("torch.nn.CrossEntropyLoss", [], [[64, 10], [3]]);
  assert.match(got.messages[0], /^CrossEntropyLoss cannot run on/);
});

test("size_average / reduce: PyTorch's deprecation warning, on the argument, naming the reduction taken", () => {
  const got = inferMulti("torch.nn.NLLLoss", [{ reduce: false }], [[64, 10], [64]]);
  assertSaysAsTorch(got.messages, "UserWarning: size_average and reduce args will be deprecated, please use reduction='none' instead.");
  assert.equal(got.result.problems[0].argument, "reduce");
});

test("a size_average that is not a constant leaves the reduction, and so the output, unknown", () => {
  const got = inferMulti("torch.nn.MSELoss", [{ size_average: unresolved("a function parameter") }], [[8, 3], [8, 3]]);
  assert.equal(got.output, undefined);
  assert.deepEqual(got.problems, []);
});

test("a loss module called on too few tensors is told it needs the target too", () => {
  assert.deepEqual(inferMulti("torch.nn.CrossEntropyLoss", [], [[64, 10]]).problems, ["inputCount"]);
  assert.match(inferMulti("torch.nn.MarginRankingLoss", [], [[8], [8]]).messages[0], /three tensors, input1, input2 and target/);
});
