/**
 * Wrappers. Expected values worked out by hand from Keras 3:
 * - Bidirectional (keras/src/layers/rnn/bidirectional.py): forward copy + backward
 *   copy (same config, go_backwards=True) or backward_layer → twice the weights;
 *   compute_output_shape doubles the last axis for 'concat', keeps it for
 *   sum / mul / ave, returns two outputs for None; `_verify_layer_config` requires
 *   different go_backwards and equal stateful / return_sequences / return_state.
 * - TimeDistributed (keras/src/layers/rnn/time_distributed.py): child input
 *   (batch, *input[2:]), output (child[0], time, *child[1:]); rank ≥ 3.
 * LSTM(u) on C features: 4·(C·u + u·u + u); Dense: (C + 1)·units.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { analyzeText } from "../../server/src/analysis";
import { bindArguments } from "../../server/src/engine/bind";
import { findLayer } from "../../server/src/engine/layers/registry";
import { LayerValue } from "../../server/src/engine/values";
import { Arg, Row, argsIR, checkRow, infer, rowName, sequential } from "./helpers";

const N = "None";

/** A layer constructed inside an argument, e.g. the `LSTM(64)` in `Bidirectional(LSTM(64))`. */
const L = (kind: string, ...args: Arg[]): LayerValue => ({ layer: { kind, args: argsIR(args) } });

// LSTM(64) on 32: 4·(32·64 + 64·64 + 64) = 24,832; two copies 49,664.
const LSTM64 = 24832n;

const rows: Row[] = [
  { kind: "Bidirectional", args: [{ layer: L("LSTM", 64) }], input: [N, 10, 32], output: [N, 128], params: 2n * LSTM64 },
  { kind: "Bidirectional", args: [{ layer: L("LSTM", 64), merge_mode: "sum" }], input: [N, 10, 32], output: [N, 64], params: 2n * LSTM64 },
  { kind: "Bidirectional", args: [{ layer: L("LSTM", 64), merge_mode: "mul" }], input: [N, 10, 32], output: [N, 64], params: 2n * LSTM64 },
  { kind: "Bidirectional", args: [{ layer: L("LSTM", 64), merge_mode: "ave" }], input: [N, 10, 32], output: [N, 64], params: 2n * LSTM64 },
  { kind: "Bidirectional", args: [{ layer: L("LSTM", 64), merge_mode: null }], input: [N, 10, 32], output: [N, 64], params: 2n * LSTM64, problems: ["multipleOutputs"] },
  { kind: "Bidirectional", args: [{ layer: L("LSTM", 64, { return_sequences: true }) }], input: [N, 10, 32], output: [N, 10, 128], params: 2n * LSTM64 },
  { kind: "Bidirectional", args: [{ layer: L("LSTM", 64), weights: null }], input: [N, 10, 32], output: [N, 128], params: 2n * LSTM64 },
  // GRU(10) on 8: 600 each.
  { kind: "Bidirectional", args: [{ layer: L("GRU", 10) }], input: [N, 5, 8], output: [N, 20], params: 1200n },
  // SimpleRNN(10) on 8: 190 each.
  { kind: "Bidirectional", args: [{ layer: L("SimpleRNN", 10, { return_sequences: true }), merge_mode: "sum" }], input: [N, 5, 8], output: [N, 5, 10], params: 380n },
  // ConvLSTM2D(4, 3) on (5, 8, 8, 1): 6×6; 4·(9·1·4 + 9·4·4 + 4) = 4·184 = 736 each; last axis doubled.
  { kind: "Bidirectional", args: [{ layer: L("ConvLSTM2D", 4, 3) }], input: [N, 5, 8, 8, 1], output: [N, 6, 6, 8], params: 1472n },
  // A custom backward layer: its own weights. LSTM(64, go_backwards=True) again: 49,664.
  { kind: "Bidirectional", args: [{ layer: L("LSTM", 64), backward_layer: L("LSTM", 64, { go_backwards: true }) }], input: [N, 10, 32], output: [N, 128], params: 2n * LSTM64 },
  { kind: "Bidirectional", args: [{ layer: L("LSTM", 64), backward_layer: L("LSTM", 64, { go_backwards: true, activation: "relu" }), merge_mode: "ave" }], input: [N, 10, 32], output: [N, 64], params: 2n * LSTM64 },
  // Backward LSTM(32): 4·(32·32 + 32·32 + 32) = 8,320; Keras's compute_output_shape still says 2·64.
  { kind: "Bidirectional", args: [{ layer: L("LSTM", 64), backward_layer: L("LSTM", 32, { go_backwards: true }) }], input: [N, 10, 32], output: [N, 128], params: LSTM64 + 8320n, problems: ["bidirectionalMismatch"] },
  { kind: "Bidirectional", args: [{ layer: L("LSTM", 64), backward_layer: L("LSTM", 64) }], input: [N, 10, 32], output: [N, 128], params: 2n * LSTM64, problems: ["bidirectionalMismatch"], note: "same go_backwards" },
  { kind: "Bidirectional", args: [{ layer: L("LSTM", 64), backward_layer: L("LSTM", 64, { go_backwards: true, return_sequences: true }) }], input: [N, 10, 32], output: [N, 128], params: 2n * LSTM64, problems: ["bidirectionalMismatch"] },
  { kind: "Bidirectional", args: [{ layer: L("LSTM", 64, { go_backwards: true }) }], input: [N, 10, 32], output: [N, 128], params: 2n * LSTM64, problems: ["bidirectionalMismatch"], note: "both copies backwards" },
  // return_state: output + 2 forward states + 2 backward states = 5 tensors, one note.
  { kind: "Bidirectional", args: [{ layer: L("LSTM", 64, { return_state: true }) }], input: [N, 10, 32], output: [N, 128], params: 2n * LSTM64, problems: ["multipleOutputs"] },
  { kind: "Bidirectional", args: [{ layer: L("Dense", 5) }], input: [N, 10, 32], output: undefined, params: undefined, problems: ["notRecurrentLayer"] },
  { kind: "Bidirectional", args: [{ layer: L("LSTM", 64), backward_layer: L("Dense", 5) }], input: [N, 10, 32], output: undefined, params: undefined, problems: ["notRecurrentLayer"] },
  { kind: "Bidirectional", args: [{ layer: L("LSTM", 64), merge_mode: "max" }], input: [N, 10, 32], output: [N, "?"], params: 2n * LSTM64, problems: ["invalidArgument"] },
  { kind: "Bidirectional", args: [{ layer: L("LSTM", 64), merge_mode: "CONCAT" }], input: [N, 10, 32], output: [N, "?"], params: 2n * LSTM64, problems: ["invalidArgument"], note: "Keras compares exactly" },
  { kind: "Bidirectional", args: [{ layer: 5 }], input: [N, 10, 32], output: undefined, params: undefined, problems: ["invalidArgument"] },
  { kind: "Bidirectional", args: [], input: [N, 10, 32], output: undefined, params: undefined, problems: ["missingArgument"] },
  { kind: "Bidirectional", args: [{ layer: L("MyRNN", 64) }], input: [N, 10, 32], output: undefined, params: undefined, note: "a layer Layer Lens does not model" },
  // Problems of the wrapped call come through, placed on `layer`.
  { kind: "Bidirectional", args: [{ layer: L("LSTM", 0) }], input: [N, 10, 32], output: [N, "?"], params: undefined, problems: ["nonPositiveArgument"] },
  { kind: "Bidirectional", args: [{ layer: L("LSTM", 64) }], input: [N, 32], output: undefined, params: undefined, problems: ["wrongRank"] },
  { kind: "Bidirectional", args: [{ layer: L("LSTM", 64) }], input: undefined, output: undefined, params: undefined },
  { kind: "Bidirectional", args: [{ layer: L("LSTM", 64), go_backwards: true }], input: [N, 10, 32], output: [N, 128], params: 2n * LSTM64, problems: ["unknownKeyword"] },

  // TimeDistributed(Dense(5)) on (7, 3): (3 + 1)·5 = 20.
  { kind: "TimeDistributed", args: [{ layer: L("Dense", 5) }], input: [N, 7, 3], output: [N, 7, 5], params: 20n },
  // TimeDistributed(Conv2D(4, 3)) on (6, 10, 10, 1): 10 − 3 + 1 = 8; (3·3·1 + 1)·4 = 40.
  { kind: "TimeDistributed", args: [{ layer: L("Conv2D", 4, 3) }], input: [N, 6, 10, 10, 1], output: [N, 6, 8, 8, 4], params: 40n },
  { kind: "TimeDistributed", args: [{ layer: L("Conv2D", 4, 3, { padding: "same" }) }], input: [N, N, 10, 10, 1], output: [N, N, 10, 10, 4], params: 40n },
  { kind: "TimeDistributed", args: [{ layer: L("MaxPooling2D") }], input: [N, 6, 10, 10, 3], output: [N, 6, 5, 5, 3], params: 0n },
  { kind: "TimeDistributed", args: [{ layer: L("Flatten") }], input: [N, 6, 4, 4, 2], output: [N, 6, 32], params: 0n },
  // LSTM(8) on each (10, 3) slice: 4·(3·8 + 8·8 + 8) = 4·96 = 384.
  { kind: "TimeDistributed", args: [{ layer: L("LSTM", 8) }], input: [N, 4, 10, 3], output: [N, 4, 8], params: 384n },
  // Bidirectional(LSTM(4)) on each (10, 8) slice: 2·4·(8·4 + 4·4 + 4) = 2·208 = 416.
  { kind: "TimeDistributed", args: [{ layer: L("Bidirectional", { layer: L("LSTM", 4) }) }], input: [N, 3, 10, 8], output: [N, 3, 8], params: 416n },
  // Dense on each (3, 2) slice acts on the last axis: (2 + 1)·5 = 15, with Dense's own note.
  { kind: "TimeDistributed", args: [{ layer: L("Dense", 5) }], input: [N, 7, 3, 2], output: [N, 7, 3, 5], params: 15n, problems: ["denseOnHighRank"] },
  { kind: "TimeDistributed", args: [{ layer: L("Dense", 5) }], input: [8, 7, 3], output: [8, 7, 5], params: 20n, note: "fixed batch" },
  // Height 2 − 3 + 1 = 0.
  { kind: "TimeDistributed", args: [{ layer: L("Conv2D", 4, 3) }], input: [N, 6, 2, 10, 1], output: [N, 6, "?", 8, 4], params: 40n, problems: ["nonPositiveDimension"] },
  { kind: "TimeDistributed", args: [{ layer: L("Conv2D", 0, 3) }], input: [N, 6, 10, 10, 1], output: [N, 6, 8, 8, "?"], params: undefined, problems: ["nonPositiveArgument"] },
  { kind: "TimeDistributed", args: [{ layer: L("Conv2D", 4, 3) }], input: [N, 6, 10, 1], output: undefined, params: undefined, problems: ["wrongRank"], note: "inner rank" },
  { kind: "TimeDistributed", args: [{ layer: L("Dense", 5) }], input: [N, 7], output: undefined, params: undefined, problems: ["wrongRank"] },
  { kind: "TimeDistributed", args: [{ layer: L("Dense", 5) }], input: undefined, output: undefined, params: undefined },
  { kind: "TimeDistributed", args: [{ layer: "dense" }], input: [N, 7, 3], output: undefined, params: undefined, problems: ["invalidArgument"] },
  { kind: "TimeDistributed", args: [{ layer: L("Foo", 5) }], input: [N, 7, 3], output: undefined, params: undefined },
  { kind: "TimeDistributed", args: [], input: [N, 7, 3], output: undefined, params: undefined, problems: ["missingArgument"] },
  { kind: "TimeDistributed", args: [{ layer: L("Dense", 5), merge_mode: "sum" }], input: [N, 7, 3], output: [N, 7, 5], params: 20n, problems: ["unknownKeyword"] },
];

for (const row of rows) test(rowName(row), () => checkRow(row, assert));

test("a positional wrapped layer binds like a keyword one", () => {
  for (const [kind, lv, input, output, params] of [
    ["Bidirectional", L("LSTM", 64), [N, 10, 32], [N, 128], 49664n],
    ["TimeDistributed", L("Dense", 5), [N, 7, 3], [N, 7, 5], 20n],
  ] as const) {
    const spec = findLayer(kind)!;
    const binding = bindArguments(spec, [{ value: lv, span: { start: 0, end: 0 } }]);
    const result = spec.infer(binding.args, input);
    assert.deepEqual(result.output, output);
    assert.equal(result.weights.reduce((a, w) => a + (w.count ?? 0n), 0n), params);
  }
  // The brief's literal form.
  const spec = findLayer("Bidirectional")!;
  const binding = bindArguments(spec, [{ value: { layer: { kind: "LSTM", args: [{ value: 64, span: { start: 0, end: 0 } }] } }, span: { start: 0, end: 0 } }]);
  assert.deepEqual(spec.infer(binding.args, [N, 10, 32]).output, [N, 128]);
});

test("Bidirectional names forward and backward weights and shows the doubling", () => {
  const got = infer("Bidirectional", [{ layer: L("LSTM", 64) }], [N, 10, 32]);
  assert.deepEqual(got.result.weights.map((w) => w.name), [
    "forward_kernel", "forward_recurrent_kernel", "forward_bias", "backward_kernel", "backward_recurrent_kernel", "backward_bias",
  ]);
  assert.deepEqual(got.result.formulas, [
    { label: "features", text: "2·64 = 128" },
    { label: "params", text: "2·24,832 = 49,664" },
  ]);
  const custom = infer("Bidirectional", [{ layer: L("LSTM", 64), backward_layer: L("LSTM", 32, { go_backwards: true }) }], [N, 10, 32]);
  assert.deepEqual(custom.result.formulas.at(-1), { label: "params", text: "24,832 + 8,320 = 33,152" });
});

test("the wrapped layer's problems are placed on the wrapper's argument", () => {
  const got = infer("Bidirectional", [{ layer: L("LSTM", 0) }], [N, 10, 32]);
  assert.equal(got.result.problems[0].argument, "layer");
  const back = infer("Bidirectional", [{ layer: L("LSTM", 64), backward_layer: L("LSTM", 64, { go_backwards: true, dropout: "x" }) }], [N, 10, 32]);
  assert.deepEqual(back.result.problems.map((p) => [p.id, p.argument]), [["invalidArgument", "backward_layer"]]);
  // TimeDistributed: the inner axis 1 (height) is axis 2 of the wrapper's input.
  const td = infer("TimeDistributed", [{ layer: L("Conv2D", 4, 3) }], [N, 6, 2, 10, 1]);
  assert.equal(td.result.problems[0].argument, "layer");
  assert.equal(td.result.problems[0].axis, 2);
});

test("merge_mode=None and return_state explain what Keras returns", () => {
  const none = infer("Bidirectional", [{ layer: L("LSTM", 64), merge_mode: null }], [N, 10, 32]);
  assert.equal(none.result.problems[0].argument, "merge_mode");
  assert.match(none.messages[0], /returns 2 tensors here: \(None, 64\), \(None, 64\)/);
  const state = infer("Bidirectional", [{ layer: L("LSTM", 64, { return_state: true }) }], [N, 10, 32]);
  assert.match(state.messages[0], /returns 5 tensors here: \(None, 128\), \(None, 64\), \(None, 64\), \(None, 64\), \(None, 64\)/);
  const notRnn = infer("Bidirectional", [{ layer: L("Dense", 5) }], [N, 10, 32]);
  assert.match(notRnn.messages[0], /Bidirectional needs a recurrent layer .*Dense is not one/);
});

test("wrapper specs declare Keras 3's signatures", () => {
  assert.deepEqual(findLayer("Bidirectional")!.params, [
    { name: "layer" },
    { name: "merge_mode", default: "concat" },
    { name: "weights", default: null },
    { name: "backward_layer", default: null },
  ]);
  assert.deepEqual(findLayer("TimeDistributed")!.params, [{ name: "layer" }]);
});

test("in a model: stacked Bidirectional LSTMs then Dense(1), totals add up", () => {
  const model = sequential([10, 32], [
    ["Bidirectional", [{ layer: L("LSTM", 64, { return_sequences: true }) }]],
    ["Bidirectional", [{ layer: L("LSTM", 64) }]],
    ["Dense", [1]],
  ]);
  // Second LSTM(64) on 128 features: 4·(128·64 + 64·64 + 64) = 4·12,352 = 49,408; two copies 98,816; Dense (128 + 1)·1 = 129.
  assert.deepEqual(model.layers.map((l) => l.output), [[N, 10, 32], [N, 10, 128], [N, 128], [N, 1]]);
  assert.equal(model.totals.total, 49664n + 98816n + 129n);
  assert.deepEqual(model.diagnostics, []);
});

test("in a model: TimeDistributed(Conv2D) over frames, then TimeDistributed(Flatten) and an LSTM", () => {
  const model = sequential([6, 10, 10, 1], [
    ["TimeDistributed", [{ layer: L("Conv2D", 4, 3) }]],
    ["TimeDistributed", [{ layer: L("Flatten") }]],
    ["LSTM", [8]],
  ]);
  // 8·8·4 = 256 features; LSTM(8): 4·(256·8 + 8·8 + 8) = 4·2,120 = 8,480.
  assert.deepEqual(model.layers.map((l) => l.output), [[N, 6, 10, 10, 1], [N, 6, 8, 8, 4], [N, 6, 256], [N, 8]]);
  assert.equal(model.totals.total, 40n + 8480n);
  // An error inside the wrapped call is placed on the wrapper's `layer` argument span.
  const bad = sequential([10, 32], [["Bidirectional", [{ layer: L("Dense", 5) }]]]);
  assert.deepEqual(bad.diagnostics.map((d) => d.code), ["LL122"]);
});

test("a wrapped layer created with trainable=False contributes non-trainable weights", () => {
  const [model] = analyzeText(`import keras
from keras import layers
m = keras.Sequential([keras.Input(shape=(7, 3)), layers.TimeDistributed(layers.Dense(5, trainable=False))])
`).models;
  // Dense(5) on 3 features: 3·5 + 5 = 20 weights, all frozen.
  assert.equal(model.totals.total, 20n);
  assert.equal(model.totals.nonTrainable, 20n);
  assert.equal(model.totals.trainable, 0n);
});
