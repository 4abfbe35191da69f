/**
 * PyTorch's RNN, LSTM, GRU and cells (layers/torch/recurrent.ts). Every expected shape and parameter count was
 * printed by Debian's python3-torch 1.13 (`sum(p.numel() for p in m.parameters())`, and the shapes the module
 * returned on `torch.randn(*input)`); the error messages too, except where current PyTorch words them differently
 * (rank errors, RNN's positional nonlinearity: read from current torch/nn/modules/rnn.py), as the spec's comment says.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Row, checkRow, infer, rowName } from "./helpers";
import { MultiRow, checkMultiRow, inferMulti, multiRowName } from "./multiInput";
import { findLayer } from "../../server/src/engine/layers/registry";
import { bindArguments } from "../../server/src/engine/bind";
import { argsIR } from "./helpers";

const LSTM = "torch.nn.LSTM";
const GRU = "torch.nn.GRU";
const RNN = "torch.nn.RNN";

const rows: Row[] = [
  { kind: LSTM, args: [10, 20], input: [5, 3, 10], output: [5, 3, 20], params: 2560n },
  { kind: LSTM, args: [10, 20, 2, { bidirectional: true, proj_size: 5 }], input: [4, 3, 10], output: [4, 3, 10], params: 5840n },
  { kind: LSTM, args: [10, 20, 2, { bidirectional: true, proj_size: 5 }], input: [4, 10], output: [4, 10], params: 5840n, note: "unbatched" },
  { kind: GRU, args: [10, 20, 3, { batch_first: true }], input: [3, 7, 10], output: [3, 7, 20], params: 6960n },
  { kind: GRU, args: [10, 20, { batch_first: true }], input: [7, 10], output: [7, 20], params: 1920n, note: "batch_first ignored when unbatched" },
  // Current PyTorch reads RNN's fourth positional argument as nonlinearity (RNN.__init__: args[3]).
  { kind: RNN, args: [10, 20, 2, "relu"], input: [5, 3, 10], output: [5, 3, 20], params: 1480n },
  { kind: RNN, args: [10, 20, { bias: false }], input: [5, 3, 10], output: [5, 3, 20], params: 600n },
  { kind: LSTM, args: [8, 16, 20], input: [6, 2, 8], output: [6, 2, 16], params: 43008n, note: "deep stack, layers 1… grouped" },
  { kind: LSTM, args: [8, 16, 20, { bidirectional: true }], input: [6, 2, 8], output: [6, 2, 32], params: 124928n },
  { kind: LSTM, args: [32, 64, { bias: false, proj_size: 16 }], input: [6, 2, 32], output: [6, 2, 16], params: 13312n },
  { kind: GRU, args: [128, 256, 2, { bidirectional: true }], input: [50, 4, 128], output: [50, 4, 512], params: 1775616n },
  { kind: LSTM, args: [10, 20], input: undefined, output: undefined, params: 2560n, note: "weights come from the constructor" },
  { kind: "torch.nn.RNNCell", args: [10, 20], input: [3, 10], output: [3, 20], params: 640n },
  { kind: "torch.nn.LSTMCell", args: [10, 20], input: [10], output: [20], params: 2560n },
  { kind: "torch.nn.GRUCell", args: [10, 20, { bias: false }], input: [3, 10], output: [3, 20], params: 1800n },

  // PyTorch refuses or warns.
  { kind: LSTM, args: [10, 20], input: [5, 3, 30], output: [5, 3, 20], params: 2560n, problems: ["torchInputSize"] },
  { kind: LSTM, args: [10, 20], input: [5, 3, 4, 10], output: undefined, params: 2560n, problems: ["torchSequenceRank"] },
  { kind: LSTM, args: [10, 20, { dropout: 0.5 }], input: [5, 3, 10], output: [5, 3, 20], params: 2560n, problems: ["torchDropoutOneLayer"] },
  { kind: LSTM, args: [10, 20, 2, { dropout: 0.5 }], input: [5, 3, 10], output: [5, 3, 20], params: 5920n, note: "dropout between two layers: no warning" },
  { kind: LSTM, args: [10, 20, { dropout: 1.5 }], input: [5, 3, 10], output: [5, 3, 20], params: 2560n, problems: ["torchConstructorRefused"] },
  { kind: LSTM, args: [10, 20, { proj_size: 20 }], input: [5, 3, 10], output: [5, 3, "?"], params: undefined, problems: ["torchConstructorRefused"] },
  { kind: GRU, args: [10, 20, { proj_size: 5 }], input: [5, 3, 10], output: [5, 3, 5], params: 1120n, problems: ["torchConstructorRefused"], note: "RNNBase's projection weights" },
  { kind: RNN, args: [10, 20, { nonlinearity: "sigmoid" }], input: [5, 3, 10], output: [5, 3, 20], params: 640n, problems: ["torchConstructorRefused"] },
  { kind: RNN, args: [10, 20, { units: 3 }], input: [5, 3, 10], output: [5, 3, 20], params: 640n, problems: ["unknownKeyword"] },
  { kind: "torch.nn.RNNCell", args: [10, 20], input: [3, 30], output: [3, 20], params: 640n, problems: ["torchCallRefused"] },
  { kind: "torch.nn.LSTMCell", args: [10, 20], input: [3, 4, 10], output: undefined, params: 2560n, problems: ["torchSequenceRank"] },
  { kind: "torch.nn.RNNCell", args: [10, 20, true, "softsign"], input: [3, 10], output: [3, 20], params: 640n, problems: ["torchCallRefused"] },
];

for (const row of rows) test(rowName(row), () => checkRow(row, assert));

const multiRows: MultiRow[] = [
  // h_n and c_n (python3-torch: ((1, 3, 20), (1, 3, 20)); ((4, 3, 5), (4, 3, 20)) bidirectional, 2 layers, proj 5).
  { kind: LSTM, args: [10, 20], inputs: [[5, 3, 10]], output: [5, 3, 20], params: 2560n, extra: [[1, 3, 20], [1, 3, 20]] },
  { kind: LSTM, args: [10, 20, 2, { bidirectional: true, proj_size: 5 }], inputs: [[4, 3, 10]], output: [4, 3, 10], params: 5840n, extra: [[4, 3, 5], [4, 3, 20]] },
  { kind: LSTM, args: [10, 20, 2, { bidirectional: true, proj_size: 5 }], inputs: [[4, 10]], output: [4, 10], params: 5840n, extra: [[4, 5], [4, 20]] },
  { kind: GRU, args: [10, 20, 3, { batch_first: true }], inputs: [[3, 7, 10], [3, 3, 20]], output: [3, 7, 20], params: 6960n, extra: [[3, 3, 20]] },
  { kind: LSTM, args: [10, 20, 2], inputs: [[5, 3, 10], undefined], output: [5, 3, 20], params: 5920n, extra: [[2, 3, 20], [2, 3, 20]], note: "(h0, c0) tuple not followed" },
  // python3-torch: "Expected hidden size (2, 3, 20), got [1, 3, 20]".
  { kind: GRU, args: [10, 20, 2], inputs: [[5, 3, 10], [1, 3, 20]], output: [5, 3, 20], params: 4440n, extra: [[2, 3, 20]], problems: ["torchStateShape"] },
  { kind: RNN, args: [10, 20], inputs: [[5, 3, 10], [3, 20]], output: [5, 3, 20], params: 640n, extra: [[1, 3, 20]], problems: ["torchCallRefused"], note: "2-D state for a batched input" },
  { kind: "torch.nn.LSTMCell", args: [10, 20], inputs: [[3, 10]], output: [3, 20], params: 2560n, extra: [[3, 20]] },
  // python3-torch: "Input batch size 3 doesn't match hidden0 batch size 4", "hidden0 has inconsistent hidden_size: got 30, expected 20".
  { kind: "torch.nn.RNNCell", args: [10, 20], inputs: [[3, 10], [4, 20]], output: [3, 20], params: 640n, problems: ["torchCallRefused"] },
  { kind: "torch.nn.GRUCell", args: [10, 20], inputs: [[3, 10], [3, 30]], output: [3, 20], params: 1920n, problems: ["torchCallRefused"] },
];

for (const row of multiRows) test(multiRowName(row), () => checkMultiRow(row, assert));

test("PyTorch's own words: input size, rank, state, projection, dropout", () => {
  assert.deepEqual(infer(LSTM, [10, 20], [5, 3, 30]).messages, ["LSTM: input.size(-1) must be equal to input_size. Expected 10, got 30."]);
  assert.deepEqual(infer(LSTM, [10, 20], [5, 3, 4, 10]).messages, ["LSTM: Expected input to be 2D or 3D, got 4D input instead."]);
  assert.deepEqual(infer(RNN, [10, 20], [5, 3, 4, 10]).messages, ["RNN: Expected input to be 2D or 3D, got 4D tensor instead."]);
  assert.deepEqual(infer("torch.nn.LSTMCell", [10, 20], [3, 4, 10]).messages, ["LSTMCell: Expected input to be 1D or 2D, got 3D instead."]);
  assert.match(infer(LSTM, [10, 20, { proj_size: 20 }], undefined).messages[0], /^LSTM: proj_size has to be smaller than hidden_size\. PyTorch raises a ValueError/);
  assert.equal(
    infer(LSTM, [10, 20, { dropout: 0.5 }], undefined).messages[0].split(". (")[0],
    "LSTM: dropout option adds dropout after all but last recurrent layer, so non-zero dropout expects num_layers greater than 1, but got dropout=0.5 and num_layers=1",
  );
  assert.deepEqual(inferMulti(GRU, [10, 20, 2], [[5, 3, 10], [1, 3, 20]]).messages, ["GRU: Expected hidden size (2, 3, 20), got [1, 3, 20]."]);
  assert.match(inferMulti("torch.nn.RNNCell", [10, 20], [[3, 10], [4, 20]]).messages[0], /Input batch size 3 doesn't match hidden0 batch size 4/);
  assert.match(infer("torch.nn.RNNCell", [10, 20], [3, 30]).messages[0], /input has inconsistent input_size: got 30 expected 10/);
});

test("the diagnostic lands on input_size with the real size", () => {
  const [problem] = infer(LSTM, [10, 20], [5, 3, 30]).result.problems;
  assert.equal(problem.argument, "input_size");
  assert.equal(problem.values.actual, 30);
});

test("parameters are named and sized as named_parameters() lists them", () => {
  // python3-torch, nn.LSTM(10, 20, 2, bidirectional=True, proj_size=5).named_parameters(), first layer-direction and the last.
  const { weights } = infer(LSTM, [10, 20, 2, { bidirectional: true, proj_size: 5 }], undefined).result;
  assert.equal(weights.length, 20);
  assert.deepEqual(weights.slice(0, 5).map((w) => [w.name, w.shape]), [
    ["weight_ih_l0", [80, 10]],
    ["weight_hh_l0", [80, 5]],
    ["bias_ih_l0", [80]],
    ["bias_hh_l0", [80]],
    ["weight_hr_l0", [5, 20]],
  ]);
  assert.deepEqual([weights[15].name, weights[15].shape], ["weight_ih_l1_reverse", [80, 10]]);
  assert.ok(weights.every((w) => w.trainable));
  const cell = infer("torch.nn.GRUCell", [10, 20], undefined).result.weights;
  assert.deepEqual(cell.map((w) => [w.name, w.shape]), [["weight_ih", [60, 10]], ["weight_hh", [60, 20]], ["bias_ih", [60]], ["bias_hh", [60]]]);
});

test("formulas: parameters per layer and direction, doubled features, state rows", () => {
  const { formulas } = infer(LSTM, [10, 20, 2, { bidirectional: true, proj_size: 5 }], [4, 3, 10]).result;
  assert.deepEqual(formulas, [
    { label: "features", text: "2·5 = 10" },
    { label: "state rows", text: "2·2 = 4" },
    { label: "params", text: "2·(4·20·10 + 4·20·5 + 2·4·20 + 5·20) + 2·(4·20·10 + 4·20·5 + 2·4·20 + 5·20) = 5,840" },
  ]);
  assert.deepEqual(infer(RNN, [10, 20, { bias: false }], undefined).result.formulas, [{ label: "params", text: "20·10 + 20·20 = 600" }]);
});

test("binding follows RNNBase: device and dtype accepted, proj_size positional after bidirectional", () => {
  const spec = findLayer(LSTM)!;
  const binding = bindArguments(spec, argsIR([10, 20, 1, true, false, 0.0, false, 5, { device: "cpu" }]));
  assert.deepEqual(binding.problems, []);
  assert.equal(binding.args.raw("proj_size"), 5);
  const rnn = bindArguments(findLayer(RNN)!, argsIR([10, 20, 1, "relu", false]));
  assert.equal(rnn.args.raw("nonlinearity"), "relu");
  assert.equal(rnn.args.raw("bias"), false);
});

test("cost: every layer's matrices at every step; a cell once", () => {
  const spec = findLayer(LSTM)!;
  const binding = bindArguments(spec, argsIR([10, 20, { batch_first: true }]));
  const input = [3, 5, 10];
  const result = spec.infer(binding.args, input);
  // 5 steps · (4·20·10 + 4·20·20) = 5 · 2,400 = 12,000.
  const cost = spec.cost!({ args: binding.args, input, output: result.output, weights: result.weights });
  assert.equal(cost.macs, 12000n);
  assert.equal(cost.formula, "5 steps · (80·10 (weight_ih_l0) + 80·20 (weight_hh_l0)) = 12,000");
  const cell = findLayer("torch.nn.GRUCell")!;
  const cellBinding = bindArguments(cell, argsIR([10, 20]));
  const cellResult = cell.infer(cellBinding.args, [3, 10]);
  assert.equal(cell.cost!({ args: cellBinding.args, input: [3, 10], weights: cellResult.weights }).macs, 60n * 10n + 60n * 20n);
});

test("a deep stack lists layers 1… once, the number of layers in front of each shape", () => {
  // nn.LSTM(8, 16, 20): weight_ih_l1 … weight_ih_l19 are each (64, 16), as python3-torch lists them.
  const { weights } = infer(LSTM, [8, 16, 20], undefined).result;
  assert.deepEqual(weights.map((w) => [w.name, w.shape]), [
    ["weight_ih_l0", [64, 8]],
    ["weight_hh_l0", [64, 16]],
    ["bias_ih_l0", [64]],
    ["bias_hh_l0", [64]],
    ["weight_ih_l1…l19", [19, 64, 16]],
    ["weight_hh_l1…l19", [19, 64, 16]],
    ["bias_ih_l1…l19", [19, 64]],
    ["bias_hh_l1…l19", [19, 64]],
  ]);
});
