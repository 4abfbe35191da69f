/**
 * torch.nn.Embedding and EmbeddingBag. Every output shape, parameter count and PyTorch message below was printed
 * by python3-torch 1.13 (Debian) running the same module on an index tensor (torch.long) of the input shape, and
 * offsets `torch.arange(n)` for EmbeddingBag's second tensor (/usr/bin/python3); `_freeze` is PyTorch ≥ 2.0's, run
 * there without it.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { infer, rowName } from "./helpers";
import { inferMulti } from "./multiInput";
import { TorchMultiRow, TorchRow, checkTorchMultiRow, checkTorchRow, multiRowName } from "./torchModuleRows";

const rows: TorchRow[] = [
  { kind: "torch.nn.Embedding", args: [1000, 64], input: [2, 7], output: [2, 7, 64], params: 64000n },
  { kind: "torch.nn.Embedding", args: [10, 4], input: [], output: [4], params: 40n, note: "a 0-D index" },
  { kind: "torch.nn.Embedding", args: [10, 4], input: [5], output: [5, 4], params: 40n },
  { kind: "torch.nn.Embedding", args: [10, 4, { padding_idx: 0, max_norm: 1.0, sparse: true }], input: [2, 3, 5], output: [2, 3, 5, 4], params: 40n },
  { kind: "torch.nn.Embedding", args: [10, 4, -10], input: [2, 3], output: [2, 3, 4], params: 40n },
  { kind: "torch.nn.Embedding", args: [10, 4, 10], input: [2, 3], output: [2, 3, 4], params: 40n, problems: ["torchRefuses"], torch: "AssertionError: Padding_idx must be within num_embeddings" },
  { kind: "torch.nn.Embedding", args: [10, 4, -11], input: [2, 3], output: [2, 3, 4], params: 40n, problems: ["torchRefuses"], torch: "AssertionError: Padding_idx must be within num_embeddings" },
  { kind: "torch.nn.Embedding", args: [10, 4, { _freeze: true }], input: [2, 3], output: [2, 3, 4], params: 40n, trainable: 0n, note: "_freeze (PyTorch \u2265 2.0): a parameter that does not require grad" },
  { kind: "torch.nn.Embedding", args: [0, 4], input: undefined, output: undefined, params: 0n },
  { kind: "torch.nn.Embedding", args: [-1, 4], input: [2], output: [2, 4], params: undefined, problems: ["invalidArgument"], torch: "RuntimeError: Trying to create tensor with negative dimension -1: [-1, 4]", ownWording: true },
  { kind: "torch.nn.EmbeddingBag", args: [10, 4], input: [2, 7], output: [2, 4], params: 40n },
  { kind: "torch.nn.EmbeddingBag", args: [10, 4, { mode: "max" }], input: [2, 7], output: [2, 4], params: 40n },
  { kind: "torch.nn.EmbeddingBag", args: [10, 4], input: [7], output: undefined, params: 40n, problems: ["torchInputRank"], torch: "ValueError: offsets has to be a 1D Tensor but got None" },
  { kind: "torch.nn.EmbeddingBag", args: [10, 4], input: [2, 7, 3], output: undefined, params: 40n, problems: ["torchInputRank"], torch: "ValueError: input has to be 1D or 2D Tensor, but got Tensor of dimension 3" },
  { kind: "torch.nn.EmbeddingBag", args: [10, 4, { mode: "avg" }], input: [2, 7], output: [2, 4], params: 40n, problems: ["torchRefuses"], torch: "ValueError: mode has to be one of sum, mean or max" },
  { kind: "torch.nn.EmbeddingBag", args: [10, 4, { padding_idx: 10 }], input: [2, 7], output: [2, 4], params: 40n, problems: ["torchRefuses"], torch: "AssertionError: padding_idx must be within num_embeddings" },
];

for (const row of rows) test(rowName(row), () => checkTorchRow(row));

const bagRows: TorchMultiRow[] = [
  { kind: "torch.nn.EmbeddingBag", args: [10, 4], inputs: [[7], [3]], output: [3, 4], params: 40n },
  { kind: "torch.nn.EmbeddingBag", args: [10, 4, { include_last_offset: true }], inputs: [[7], [3]], output: [2, 4], params: 40n },
  { kind: "torch.nn.EmbeddingBag", args: [10, 4], inputs: [[2, 7], [2]], output: undefined, params: 40n, problems: ["torchRefuses"], torch: "ValueError: if input is 2D, then offsets has to be None, as input is treated is a mini-batch of fixed length sequences. However, found offsets of type <class 'torch.Tensor'>" },
];

for (const row of bagRows) test(multiRowName(row), () => checkTorchMultiRow(row));

test("Embedding's formula and weight", () => {
  const got = infer("torch.nn.Embedding", [1000, 64], undefined);
  assert.deepEqual(got.result.formulas, [{ label: "params", text: "1000·64 = 64,000" }]);
  assert.deepEqual(got.result.weights.map((w) => [w.name, w.shape]), [["weight", [1000, 64]]]);
});

test("EmbeddingBag on a 1-D input with offsets of unknown length has an unknown number of bags", () => {
  assert.deepEqual(inferMulti("torch.nn.EmbeddingBag", [10, 4], [[7], undefined]).output, ["?", 4]);
});
