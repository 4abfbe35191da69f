/**
 * torch.nn's dropout modules. Every output shape and PyTorch message below was printed by python3-torch 1.13
 * (Debian) running the same module on a tensor of the input shape (/usr/bin/python3). A p outside [0, 1] fails
 * in the constructor; the output shown is still the input's, as the module would keep it.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { infer, rowName } from "./helpers";
import { TorchRow, checkTorchRow } from "./torchModuleRows";

const rows: TorchRow[] = [
  { kind: "torch.nn.Dropout", args: [], input: [2, 3, 4], output: [2, 3, 4], params: 0n },
  { kind: "torch.nn.Dropout", args: [0.2, true], input: [], output: [], params: 0n },
  { kind: "torch.nn.Dropout", args: [1.5], input: [2, 3], output: [2, 3], params: 0n, problems: ["torchRefuses"], torch: "ValueError: dropout probability has to be between 0 and 1, but got 1.5" },
  { kind: "torch.nn.Dropout", args: [{ p: -0.1 }], input: [2, 3], output: [2, 3], params: 0n, problems: ["torchRefuses"], torch: "ValueError: dropout probability has to be between 0 and 1, but got -0.1" },
  { kind: "torch.nn.Dropout", args: [1], input: [2, 3], output: [2, 3], params: 0n, note: "p = 1 is allowed" },
  { kind: "torch.nn.Dropout1d", args: [], input: [2, 3, 4], output: [2, 3, 4], params: 0n },
  { kind: "torch.nn.Dropout1d", args: [], input: [3, 4], output: [3, 4], params: 0n },
  { kind: "torch.nn.Dropout1d", args: [], input: [2, 3, 4, 5], output: undefined, params: 0n, problems: ["torchInputRank"], torch: "RuntimeError: dropout1d: Expected 2D or 3D input, but received a 4D input. Note that dropout1d exists to provide channel-wise dropout on inputs with 1 spatial dimension, a channel dimension, and an optional batch dimension (i.e. 2D or 3D inputs)." },
  { kind: "torch.nn.Dropout2d", args: [0.1], input: [2, 3, 4, 5], output: [2, 3, 4, 5], params: 0n },
  { kind: "torch.nn.Dropout2d", args: [], input: [3, 4, 5], output: [3, 4, 5], params: 0n, note: "warns only" },
  { kind: "torch.nn.Dropout3d", args: [], input: [2, 3, 4, 5, 6], output: [2, 3, 4, 5, 6], params: 0n },
  { kind: "torch.nn.Dropout3d", args: [], input: [3, 4, 5, 6], output: [3, 4, 5, 6], params: 0n },
  { kind: "torch.nn.AlphaDropout", args: [0.2], input: [2, 3], output: [2, 3], params: 0n },
  { kind: "torch.nn.AlphaDropout", args: [2], input: [2], output: [2], params: 0n, problems: ["torchRefuses"], torch: "ValueError: dropout probability has to be between 0 and 1, but got 2" },
  { kind: "torch.nn.FeatureAlphaDropout", args: [0.2], input: [2, 3, 4], output: [2, 3, 4], params: 0n },
  { kind: "torch.nn.FeatureAlphaDropout", args: [0.2], input: [2], output: undefined, params: 0n, problems: ["torchInputRank"], torch: "RuntimeError: Feature dropout requires at least 2 dimensions in the input" },
];

for (const row of rows) test(rowName(row), () => checkTorchRow(row));

test("a p outside [0, 1] is blamed on p", () => {
  assert.equal(infer("torch.nn.Dropout", [1.5], [2, 3]).result.problems[0].argument, "p");
});
