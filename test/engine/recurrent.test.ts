/**
 * Recurrent layers. Expected values worked out by hand from Keras 3:
 * - RNN.compute_output_shape (keras/src/layers/rnn/rnn.py): (batch, units), or
 *   (batch, timesteps, units) with return_sequences; return_state adds the states.
 * - Cells' build (simple_rnn.py, lstm.py, gru.py): kernel (C, g·units),
 *   recurrent_kernel (units, g·units), bias (g·units), g = 1 / 4 / 3; GRU with
 *   reset_after=True (default) has bias (2, 3·units).
 * - ConvLSTM (conv_lstm.py): step output by compute_conv_output_shape; kernel
 *   k…·C·4f, recurrent_kernel k…·f·4f, bias 4f.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { findLayer } from "../../server/src/engine/layers/registry";
import { Row, checkRow, infer, rowName, sequential, tup } from "./helpers";

const N = "None";

const rows: Row[] = [
  // SimpleRNN: 8·10 + 10·10 + 10 = 80 + 100 + 10 = 190.
  { kind: "SimpleRNN", args: [10], input: [N, 5, 8], output: [N, 10], params: 190n },
  { kind: "SimpleRNN", args: [10, { return_sequences: true }], input: [N, 5, 8], output: [N, 5, 10], params: 190n },
  { kind: "SimpleRNN", args: [10, { use_bias: false }], input: [N, 5, 8], output: [N, 10], params: 180n, note: "80 + 100" },
  { kind: "SimpleRNN", args: [10, "relu", false], input: [N, 5, 8], output: [N, 10], params: 180n, note: "positional activation, use_bias" },
  { kind: "SimpleRNN", args: [10, { go_backwards: true, dropout: 0.2, recurrent_dropout: 0.1, seed: 1 }], input: [N, 5, 8], output: [N, 10], params: 190n },
  { kind: "SimpleRNN", args: [10, { dropout: 1.5 }], input: [N, 5, 8], output: [N, 10], params: 190n, note: "Keras clamps dropout to [0, 1]" },
  { kind: "SimpleRNN", args: [10], input: [N, N, 8], output: [N, 10], params: 190n, note: "open timesteps" },
  { kind: "SimpleRNN", args: [10, { return_sequences: true }], input: [N, N, 8], output: [N, N, 10], params: 190n },
  { kind: "SimpleRNN", args: [10, { return_state: true }], input: [N, 5, 8], output: [N, 10], params: 190n, problems: ["multipleOutputs"] },
  { kind: "SimpleRNN", args: [10, { stateful: true }], input: [32, 5, 8], output: [32, 10], params: 190n },
  { kind: "SimpleRNN", args: [10, { stateful: true }], input: [N, 5, 8], output: [N, 10], params: 190n, problems: ["staticDimensionRequired"] },
  { kind: "SimpleRNN", args: [10, { unroll: true }], input: [N, 5, 8], output: [N, 10], params: 190n },
  { kind: "SimpleRNN", args: [10, { unroll: true }], input: [N, N, 8], output: [N, 10], params: 190n, problems: ["staticDimensionRequired"] },
  { kind: "SimpleRNN", args: [10, { zero_output_for_mask: true }], input: [N, 5, 8], output: [N, 10], params: 190n, note: "RNN keyword via **kwargs" },
  { kind: "SimpleRNN", args: [10, { recurrent_activation: "sigmoid" }], input: [N, 5, 8], output: [N, 10], params: 190n, problems: ["unknownKeyword"] },
  { kind: "SimpleRNN", args: [0], input: [N, 5, 8], output: [N, "?"], params: undefined, problems: ["nonPositiveArgument"] },
  { kind: "SimpleRNN", args: [], input: [N, 5, 8], output: [N, "?"], params: undefined, problems: ["missingArgument"] },
  { kind: "SimpleRNN", args: [10, { dropout: "high" }], input: [N, 5, 8], output: [N, 10], params: 190n, problems: ["invalidArgument"] },
  { kind: "SimpleRNN", args: [10, { return_sequences: "yes" }], input: [N, 5, 8], output: undefined, params: 190n, problems: ["invalidArgument"] },
  { kind: "SimpleRNN", args: [10], input: [N, 8], output: undefined, params: undefined, problems: ["wrongRank"] },
  { kind: "SimpleRNN", args: [10], input: [N, 5, 8, 1], output: undefined, params: undefined, problems: ["wrongRank"] },
  { kind: "SimpleRNN", args: [10], input: [N, 5, N], output: [N, 10], params: undefined, problems: ["undefinedLastDimension"] },
  { kind: "SimpleRNN", args: [10], input: undefined, output: undefined, params: undefined },

  // LSTM(64) on 32 features: 4·(32·64 + 64·64 + 64) = 4·(2,048 + 4,096 + 64) = 4·6,208 = 24,832.
  { kind: "LSTM", args: [64], input: [N, 10, 32], output: [N, 64], params: 24832n },
  // LSTM(4) on 8 features: 4·(32 + 16 + 4) = 208.
  { kind: "LSTM", args: [4, { return_sequences: true }], input: [N, 10, 8], output: [N, 10, 4], params: 208n },
  { kind: "LSTM", args: [4, { use_bias: false }], input: [N, 10, 8], output: [N, 4], params: 192n, note: "4·(32 + 16)" },
  { kind: "LSTM", args: [4, "relu", "hard_sigmoid", true], input: [N, 10, 8], output: [N, 4], params: 208n, note: "positional" },
  { kind: "LSTM", args: [4, { unit_forget_bias: false, kernel_initializer: "he_normal", recurrent_initializer: "glorot_uniform" }], input: [N, 10, 8], output: [N, 4], params: 208n },
  { kind: "LSTM", args: [4, { kernel_regularizer: "l2", recurrent_regularizer: "l2", bias_regularizer: "l2", activity_regularizer: "l2" }], input: [N, 10, 8], output: [N, 4], params: 208n },
  { kind: "LSTM", args: [4, { kernel_constraint: null, recurrent_constraint: null, bias_constraint: null }], input: [N, 10, 8], output: [N, 4], params: 208n },
  { kind: "LSTM", args: [4, { go_backwards: true, unroll: true }], input: [N, 10, 8], output: [N, 4], params: 208n },
  { kind: "LSTM", args: [4, { implementation: 1 }], input: [N, 10, 8], output: [N, 4], params: 208n, note: "popped from **kwargs" },
  { kind: "LSTM", args: [4, { use_cudnn: false }], input: [N, 10, 8], output: [N, 4], params: 208n },
  { kind: "LSTM", args: [4, { use_cudnn: true }], input: [N, 10, 8], output: [N, 4], params: 208n, note: "cuDNN-compatible configuration" },
  { kind: "LSTM", args: [4, { use_cudnn: true, activation: "relu" }], input: [N, 10, 8], output: [N, 4], params: 208n, problems: ["cudnnUnavailable"] },
  { kind: "LSTM", args: [4, { use_cudnn: true, recurrent_dropout: 0.2 }], input: [N, 10, 8], output: [N, 4], params: 208n, problems: ["cudnnUnavailable"] },
  { kind: "LSTM", args: [4, { use_cudnn: "yes" }], input: [N, 10, 8], output: [N, 4], params: 208n, problems: ["invalidArgument"] },
  { kind: "LSTM", args: [4, { return_sequences: true, return_state: true }], input: [N, 10, 8], output: [N, 10, 4], params: 208n, problems: ["multipleOutputs"] },
  { kind: "LSTM", args: [4, { stateful: true }], input: [16, 10, 8], output: [16, 4], params: 208n },
  { kind: "LSTM", args: [-1], input: [N, 10, 8], output: [N, "?"], params: undefined, problems: ["nonPositiveArgument"] },
  { kind: "LSTM", args: [4], input: [N, 10, 8, 3], output: undefined, params: undefined, problems: ["wrongRank"] },

  // GRU(10) on 8 features, reset_after=True: 3·(8·10 + 10·10) + 2·3·10 = 540 + 60 = 600.
  { kind: "GRU", args: [10], input: [N, 5, 8], output: [N, 10], params: 600n },
  // reset_after=False: 3·(8·10 + 10·10 + 10) = 3·190 = 570.
  { kind: "GRU", args: [10, { reset_after: false }], input: [N, 5, 8], output: [N, 10], params: 570n },
  { kind: "GRU", args: [10, { use_bias: false }], input: [N, 5, 8], output: [N, 10], params: 540n, note: "3·(80 + 100)" },
  { kind: "GRU", args: [10, { return_sequences: true, return_state: true }], input: [N, 5, 8], output: [N, 5, 10], params: 600n, problems: ["multipleOutputs"] },
  { kind: "GRU", args: [10, { use_cudnn: true, reset_after: false }], input: [N, 5, 8], output: [N, 10], params: 570n, problems: ["cudnnUnavailable"] },
  { kind: "GRU", args: [10, { use_cudnn: true }], input: [N, 5, 8], output: [N, 10], params: 600n },
  { kind: "GRU", args: [10, { reset_after: "yes" }], input: [N, 5, 8], output: [N, 10], params: undefined, problems: ["invalidArgument"] },
  { kind: "GRU", args: [10, { unit_forget_bias: true }], input: [N, 5, 8], output: [N, 10], params: 600n, problems: ["unknownKeyword"] },
  { kind: "GRU", args: [10, { stateful: true, unroll: true }], input: [N, N, 8], output: [N, 10], params: 600n, problems: ["staticDimensionRequired", "staticDimensionRequired"] },

  // ConvLSTM2D(8, 3) on (10, 16, 16, 1): 16 − 3 + 1 = 14; 4·(3·3·1·8 + 3·3·8·8 + 8) = 4·(72 + 576 + 8) = 2,624.
  { kind: "ConvLSTM2D", args: [8, 3], input: [N, 10, 16, 16, 1], output: [N, 14, 14, 8], params: 2624n },
  { kind: "ConvLSTM2D", args: [8, 3, { return_sequences: true }], input: [N, 10, 16, 16, 1], output: [N, 10, 14, 14, 8], params: 2624n },
  { kind: "ConvLSTM2D", args: [8, 3, { padding: "same" }], input: [N, 10, 16, 16, 1], output: [N, 16, 16, 8], params: 2624n },
  // strides 2: ⌊(16 − 3) / 2⌋ + 1 = 7.
  { kind: "ConvLSTM2D", args: [8, 3, 2], input: [N, 10, 16, 16, 1], output: [N, 7, 7, 8], params: 2624n },
  { kind: "ConvLSTM2D", args: [8, tup(3, 5)], input: [N, 10, 16, 16, 1], output: [N, 14, 12, 8], params: 4n * (15n * 8n + 15n * 64n + 8n), note: "4·(15·1·8 + 15·8·8 + 8) = 4,352" },
  // dilation 2: 2·(3 − 1) + 1 = 5, 16 − 5 + 1 = 12.
  { kind: "ConvLSTM2D", args: [8, 3, { dilation_rate: 2 }], input: [N, 10, 16, 16, 1], output: [N, 12, 12, 8], params: 2624n },
  { kind: "ConvLSTM2D", args: [8, 3, { data_format: "channels_first" }], input: [N, 10, 1, 16, 16], output: [N, 8, 14, 14], params: 2624n },
  { kind: "ConvLSTM2D", args: [8, 3, { data_format: "channels_first", return_sequences: true }], input: [N, 10, 1, 16, 16], output: [N, 10, 8, 14, 14], params: 2624n },
  { kind: "ConvLSTM2D", args: [8, 3, { use_bias: false }], input: [N, 10, 16, 16, 1], output: [N, 14, 14, 8], params: 2592n, note: "4·(72 + 576)" },
  { kind: "ConvLSTM2D", args: [8, 3, { go_backwards: true, stateful: true, dropout: 0.1 }], input: [4, 10, 16, 16, 1], output: [4, 14, 14, 8], params: 2624n },
  { kind: "ConvLSTM2D", args: [8, 3, { return_state: true }], input: [N, 10, 16, 16, 1], output: [N, 14, 14, 8], params: 2624n, problems: ["multipleOutputs"] },
  // Strided and dilated at once: ⌊(16 − 5) / 2⌋ + 1 = 6, and Keras raises.
  { kind: "ConvLSTM2D", args: [8, 3, { strides: 2, dilation_rate: 2 }], input: [N, 10, 16, 16, 1], output: [N, 6, 6, 8], params: 2624n, problems: ["stridesWithDilation"] },
  { kind: "ConvLSTM2D", args: [8, 3, { padding: "causal" }], input: [N, 10, 16, 16, 1], output: [N, "?", "?", 8], params: 2624n, problems: ["causalPadding"] },
  { kind: "ConvLSTM2D", args: [8, 3, { padding: "full" }], input: [N, 10, 16, 16, 1], output: [N, "?", "?", 8], params: 2624n, problems: ["invalidPadding"] },
  { kind: "ConvLSTM2D", args: [8, 3, { data_format: "nhwc" }], input: [N, 10, 16, 16, 1], output: [N, "?", "?", "?"], params: undefined, problems: ["invalidDataFormat"] },
  { kind: "ConvLSTM2D", args: [0, 3], input: [N, 10, 16, 16, 1], output: [N, 14, 14, "?"], params: undefined, problems: ["nonPositiveArgument"] },
  { kind: "ConvLSTM2D", args: [8, 0], input: [N, 10, 16, 16, 1], output: [N, "?", "?", 8], params: undefined, problems: ["nonPositiveArgument"] },
  { kind: "ConvLSTM2D", args: [8], input: [N, 10, 16, 16, 1], output: [N, "?", "?", 8], params: undefined, problems: ["missingArgument"] },
  // Window larger than the input: 4 − 5 + 1 = 0 on both axes.
  { kind: "ConvLSTM2D", args: [4, 5], input: [N, 3, 4, 4, 2], output: [N, "?", "?", 4], params: 4n * (25n * 2n * 4n + 25n * 4n * 4n + 4n), problems: ["nonPositiveDimension", "nonPositiveDimension"] },
  { kind: "ConvLSTM2D", args: [8, 3], input: [N, 10, N, 16, 1], output: [N, N, 14, 8], params: 2624n, problems: ["staticDimensionRequired"] },
  { kind: "ConvLSTM2D", args: [8, 3], input: [N, 10, 16, 16, N], output: [N, 14, 14, 8], params: undefined, problems: ["undefinedAxis"] },
  { kind: "ConvLSTM2D", args: [8, 3, { unroll: true }], input: [N, N, 16, 16, 1], output: [N, 14, 14, 8], params: 2624n, problems: ["staticDimensionRequired"] },
  { kind: "ConvLSTM2D", args: [8, 3], input: [N, 16, 16, 1], output: undefined, params: undefined, problems: ["wrongRank"] },
  { kind: "ConvLSTM2D", args: [8, 3], input: undefined, output: undefined, params: undefined },
  // ConvLSTM1D(4, 3) on (5, 20, 2): 20 − 3 + 1 = 18; 4·(3·2·4 + 3·4·4 + 4) = 4·(24 + 48 + 4) = 304.
  { kind: "ConvLSTM1D", args: [4, 3], input: [N, 5, 20, 2], output: [N, 18, 4], params: 304n },
  { kind: "ConvLSTM1D", args: [4, 3, { padding: "same", return_sequences: true }], input: [N, 5, 20, 2], output: [N, 5, 20, 4], params: 304n },
  { kind: "ConvLSTM1D", args: [4, 3], input: [N, 20, 2], output: undefined, params: undefined, problems: ["wrongRank"] },
  // ConvLSTM3D(2, 3) on (4, 8, 8, 8, 1): 6 per axis; 4·(27·1·2 + 27·2·2 + 2) = 4·(54 + 108 + 2) = 656.
  { kind: "ConvLSTM3D", args: [2, 3], input: [N, 4, 8, 8, 8, 1], output: [N, 6, 6, 6, 2], params: 656n },
  { kind: "ConvLSTM3D", args: [2, 3, { data_format: "channels_first", strides: tup(1, 2, 2) }], input: [N, 4, 1, 8, 8, 8], output: [N, 2, 6, 3, 3], params: 656n, note: "⌊(8 − 3) / 2⌋ + 1 = 3" },
];

for (const row of rows) test(rowName(row), () => checkRow(row, assert));

test("formulas show the gate arithmetic with the user's numbers", () => {
  assert.deepEqual(infer("LSTM", [64], [N, 10, 32]).result.formulas, [{ label: "params", text: "4·(32·64 + 64·64 + 64) = 24,832" }]);
  assert.deepEqual(infer("GRU", [10], [N, 5, 8]).result.formulas, [{ label: "params", text: "3·(8·10 + 10·10) + 2·3·10 = 600" }]);
  assert.deepEqual(infer("GRU", [10, { reset_after: false }], [N, 5, 8]).result.formulas, [{ label: "params", text: "3·(8·10 + 10·10 + 10) = 570" }]);
  assert.deepEqual(infer("SimpleRNN", [10, { use_bias: false }], [N, 5, 8]).result.formulas, [{ label: "params", text: "8·10 + 10·10 = 180" }]);
  const conv = infer("ConvLSTM2D", [8, 3], [N, 10, 16, 16, 1]).result.formulas;
  assert.deepEqual(conv.at(-1), { label: "params", text: "4·(3·3·1·8 + 3·3·8·8 + 8) = 2,624" });
  assert.deepEqual(conv[0], { label: "height", text: "16 − 3 + 1 = 14" });
});

test("weights have Keras's shapes, including GRU's (2, 3·units) bias", () => {
  const shapes = (kind: string, args: Parameters<typeof infer>[1], input: Parameters<typeof infer>[2]) =>
    infer(kind, args, input).result.weights.map((w) => [w.name, w.shape]);
  assert.deepEqual(shapes("GRU", [10], [N, 5, 8]), [["kernel", [8, 30]], ["recurrent_kernel", [10, 30]], ["bias", [2, 30]]]);
  assert.deepEqual(shapes("GRU", [10, { reset_after: false }], [N, 5, 8]), [["kernel", [8, 30]], ["recurrent_kernel", [10, 30]], ["bias", [30]]]);
  assert.deepEqual(shapes("LSTM", [4], [N, 10, 8]), [["kernel", [8, 16]], ["recurrent_kernel", [4, 16]], ["bias", [16]]]);
  assert.deepEqual(shapes("ConvLSTM2D", [8, 3], [N, 10, 16, 16, 1]), [["kernel", [3, 3, 1, 32]], ["recurrent_kernel", [3, 3, 8, 32]], ["bias", [32]]]);
  // Unknown input: the weights are listed, with unknown sizes.
  const unknown = infer("LSTM", [4], undefined).result.weights;
  assert.deepEqual(unknown.map((w) => w.name), ["kernel", "recurrent_kernel", "bias"]);
  assert.equal(unknown[0].count, undefined);
});

test("return_state names every returned tensor; the hint keeps the first", () => {
  const got = infer("LSTM", [4, { return_sequences: true, return_state: true }], [N, 10, 8]);
  assert.equal(got.result.problems[0].argument, "return_state");
  assert.match(got.messages[0], /LSTM returns 3 tensors here: \(None, 10, 4\), \(None, 4\), \(None, 4\)/);
  assert.match(got.messages[0], /expects 1 input\(s\), but it received 3 input tensors/);
});

test("a ConvLSTM window that does not fit blames kernel_size on the input's axis (time axis counted)", () => {
  const [problem] = infer("ConvLSTM2D", [4, 5], [N, 3, 4, 10, 2]).result.problems;
  assert.equal(problem.id, "nonPositiveDimension");
  assert.equal(problem.argument, "kernel_size");
  assert.equal(problem.axis, 2);
});

test("stateful / unroll problems sit on their argument", () => {
  const got = infer("GRU", [10, { stateful: true, unroll: true }], [N, N, 8]);
  assert.deepEqual(got.result.problems.map((p) => p.argument), ["stateful", "unroll"]);
  assert.match(got.messages[0], /batch size must be static/);
  assert.match(got.messages[1], /Cannot unroll a RNN/);
});

test("recurrent specs declare Keras 3's signatures in positional order", () => {
  const names = (kind: string) => findLayer(kind)!.params.map((p) => p.name);
  assert.deepEqual(names("LSTM").slice(0, 24), [
    "units", "activation", "recurrent_activation", "use_bias", "kernel_initializer", "recurrent_initializer",
    "bias_initializer", "unit_forget_bias", "kernel_regularizer", "recurrent_regularizer", "bias_regularizer",
    "activity_regularizer", "kernel_constraint", "recurrent_constraint", "bias_constraint", "dropout",
    "recurrent_dropout", "seed", "return_sequences", "return_state", "go_backwards", "stateful", "unroll", "use_cudnn",
  ]);
  assert.deepEqual(names("GRU").slice(20, 23), ["stateful", "unroll", "reset_after"]);
  assert.equal(findLayer("GRU")!.params.find((p) => p.name === "reset_after")!.default, true);
  assert.deepEqual(names("SimpleRNN").slice(0, 3), ["units", "activation", "use_bias"]);
  assert.deepEqual(names("SimpleRNN").slice(15, 21), ["return_sequences", "return_state", "go_backwards", "stateful", "unroll", "seed"]);
  assert.deepEqual(names("ConvLSTM2D").slice(0, 9), ["filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate", "activation", "recurrent_activation", "use_bias"]);
  assert.equal(findLayer("ConvLSTM3D")!.params.find((p) => p.name === "strides")!.default, 1);
});

test("in a model: Input → LSTM(return_sequences) → GRU → Dense, totals add up", () => {
  const model = sequential([10, 32], [
    ["LSTM", [64, { return_sequences: true }]],
    ["GRU", [16]],
    ["Dense", [1]],
  ]);
  // LSTM 24,832; GRU on 64 features: 3·(64·16 + 16·16) + 2·3·16 = 3·1,280 + 96 = 3,936; Dense 17.
  assert.deepEqual(model.layers.map((l) => l.output), [[N, 10, 32], [N, 10, 64], [N, 16], [N, 1]]);
  assert.equal(model.totals.total, 24832n + 3936n + 17n);
  assert.deepEqual(model.diagnostics, []);
});

test("in a model: return_state is explained with LL306 on the argument", () => {
  const model = sequential([10, 32], [["LSTM", [8, { return_state: true }]]]);
  assert.deepEqual(model.diagnostics.map((d) => d.code), ["LL306"]);
});
