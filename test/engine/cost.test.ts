/**
 * MACs per sample for each family, through the whole pipeline (Keras code → analysis → the spec's cost rule),
 * each expected count worked out by hand in the test; memory by dtype. The convention: server/src/engine/cost.ts.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { analyzeText } from "../../server/src/analysis";
import { callCost, callMemory, modelFootprint } from "../../server/src/engine/footprint";
import { LayerAnalysis, ModelAnalysis, ProgramAnalysis } from "../../server/src/engine/results";
import { documentHints, hoverAt } from "../../server/src/engine/report";

function analyse(body: string): { analysis: ProgramAnalysis; model: ModelAnalysis } {
  const analysis = analyzeText(`import keras\nfrom keras import layers\n${body}`);
  const model = analysis.models.find((m) => m.model.name === "model");
  assert.ok(model, "a model is found");
  return { analysis, model };
}

const kind = (l: LayerAnalysis) => (l.element.type === "layer" ? l.element.kind : l.element.type);

/** Each layer's MACs (undefined where unknown), Input left out, in call order. */
function macs(body: string): [string, bigint | undefined][] {
  const { analysis, model } = analyse(body);
  return model.layers.filter((l) => !l.spec?.isInput).map((l) => [kind(l), callCost(l, analysis).macs]);
}

function formula(body: string, layer: string): string | undefined {
  const { analysis, model } = analyse(body);
  return callCost(model.layers.find((l) => kind(l) === layer)!, analysis).formula;
}

test("the seeds' example: a 14×14×20 output from 8×8×3 filters is 14·14·8·8·3·20 = 752,640 MACs", () => {
  const body = `model = keras.Sequential([keras.Input(shape=(32, 32, 3)), layers.ZeroPadding2D(1), layers.Conv2D(20, (8, 8), strides=2)])`;
  assert.deepEqual(macs(body), [["ZeroPadding2D", 0n], ["Conv2D", 752_640n]]);
  assert.equal(formula(body, "Conv2D"), "14·14 · 8·8·3 · 20 = 752,640");
});

test("Conv2D on MNIST: 26·26 · 3·3·1 · 32 = 194,688 (the issue's example)", () => {
  const body = `model = keras.Sequential([keras.Input(shape=(28, 28, 1)), layers.Conv2D(32, 3)])`;
  assert.equal(formula(body, "Conv2D"), "26·26 · 3·3·1 · 32 = 194,688");
});

test("convolutions: groups divide the depth, dilation changes nothing, channels_first reads its own axes", () => {
  // groups=4 on 8 channels: 10·10 (valid 3×3 on 12×12) · 3·3·(8/4) · 16 = 100·18·16 = 28,800.
  assert.deepEqual(macs(`model = keras.Sequential([keras.Input(shape=(12, 12, 8)), layers.Conv2D(16, 3, groups=4)])`), [["Conv2D", 28_800n]]);
  // dilation 2: k_eff = 5, 12 − 5 + 1 = 8 → 8·8 · 3·3·8 · 4 = 64·72·4 = 18,432.
  assert.deepEqual(macs(`model = keras.Sequential([keras.Input(shape=(12, 12, 8)), layers.Conv2D(4, 3, dilation_rate=2)])`), [["Conv2D", 18_432n]]);
  // channels_first (8, 12, 12): 'same' keeps 12·12 → 144 · 1·1·8 · 2 = 2,304.
  assert.deepEqual(macs(`model = keras.Sequential([keras.Input(shape=(8, 12, 12)), layers.Conv2D(2, 1, padding="same", data_format="channels_first")])`), [["Conv2D", 2_304n]]);
  // Conv1D causal on (20, 6): 20 · 5·6 · 10 = 6,000. Conv3D on (6, 6, 6, 2), 3³: 4·4·4 · 27·2 · 5 = 64·270 = 17,280.
  assert.deepEqual(macs(`model = keras.Sequential([keras.Input(shape=(20, 6)), layers.Conv1D(10, 5, padding="causal")])`), [["Conv1D", 6_000n]]);
  assert.deepEqual(macs(`model = keras.Sequential([keras.Input(shape=(6, 6, 6, 2)), layers.Conv3D(5, 3)])`), [["Conv3D", 17_280n]]);
});

test("transposed, depthwise and separable convolutions", () => {
  // Conv2DTranspose(4, 3, strides=2) on 5×5×6: every input position through the kernel: 5·5 · 3·3·6 · 4 = 25·216 = 5,400.
  assert.deepEqual(macs(`model = keras.Sequential([keras.Input(shape=(5, 5, 6)), layers.Conv2DTranspose(4, 3, strides=2)])`), [["Conv2DTranspose", 5_400n]]);
  // DepthwiseConv2D(3, depth_multiplier=2) on 10×10×4: 8·8 · 3·3·4 · 2 = 64·72 = 4,608.
  assert.deepEqual(macs(`model = keras.Sequential([keras.Input(shape=(10, 10, 4)), layers.DepthwiseConv2D(3, depth_multiplier=2)])`), [["DepthwiseConv2D", 4_608n]]);
  // SeparableConv2D(16, 3) on 10×10×4: depthwise 8·8·3·3·4 = 2,304, pointwise 8·8·4·16 = 4,096; 6,400 in all.
  const body = `model = keras.Sequential([keras.Input(shape=(10, 10, 4)), layers.SeparableConv2D(16, 3)])`;
  assert.deepEqual(macs(body), [["SeparableConv2D", 6_400n]]);
  assert.equal(formula(body, "SeparableConv2D"), "8·8 · 3·3·4 · 1 (depthwise) + 8·8 · 4 · 16 (pointwise) = 6,400");
});

test("Dense: each position multiplies the kernel; LocallyConnected2D: every kernel entry once", () => {
  // 784·128 = 100,352, then 128·10 = 1,280; on (None, 7, 32): 7 · 32·8 = 1,792.
  assert.deepEqual(macs(`model = keras.Sequential([keras.Input(shape=(784,)), layers.Dense(128), layers.Dense(10)])`), [["Dense", 100_352n], ["Dense", 1_280n]]);
  assert.deepEqual(macs(`model = keras.Sequential([keras.Input(shape=(7, 32)), layers.Dense(8)])`), [["Dense", 1_792n]]);
  // LocallyConnected2D(3, 2) on 4×4×2 (tf.keras 2): 3·3 positions · 2·2·2 · 3 = 9·24 = 216.
  const local = analyzeText(`import tensorflow as tf\nfrom tensorflow.keras import layers\nmodel = tf.keras.Sequential([tf.keras.Input(shape=(4, 4, 2)), layers.LocallyConnected2D(3, 2)])`, { kerasVersion: 2 });
  assert.equal(callCost(local.models[0].layers[1], local).macs, 216n);
});

test("recurrent layers: the cell's two products at every step", () => {
  // LSTM(32) on (10, 16): 10 · (16·128 + 32·128) = 10·6,144 = 61,440. GRU(8): 10 · (16·24 + 8·24) = 10·576 = 5,760. SimpleRNN(4): 10 · (16·4 + 4·4) = 800.
  assert.deepEqual(macs(`model = keras.Sequential([keras.Input(shape=(10, 16)), layers.LSTM(32)])`), [["LSTM", 61_440n]]);
  assert.deepEqual(macs(`model = keras.Sequential([keras.Input(shape=(10, 16)), layers.GRU(8)])`), [["GRU", 5_760n]]);
  assert.deepEqual(macs(`model = keras.Sequential([keras.Input(shape=(10, 16)), layers.SimpleRNN(4)])`), [["SimpleRNN", 800n]]);
  assert.equal(formula(`model = keras.Sequential([keras.Input(shape=(10, 16)), layers.SimpleRNN(4)])`, "SimpleRNN"), "10 steps · (16·4 (input) + 4·4 (state)) = 800");
  // Bidirectional doubles it: 2 · 800 = 1,600. A sequence of open length has no count.
  assert.deepEqual(macs(`model = keras.Sequential([keras.Input(shape=(10, 16)), layers.Bidirectional(layers.SimpleRNN(4))])`), [["Bidirectional", 1_600n]]);
  assert.deepEqual(macs(`model = keras.Sequential([keras.Input(shape=(None, 16)), layers.LSTM(32)])`), [["LSTM", undefined]]);
  // ConvLSTM2D(4, 3) on (5, 8, 8, 2), 'valid': 6·6 positions; each step 36·(3·3·2·16) + 36·(3·3·4·16) = 10,368 + 20,736 = 31,104; · 5 = 155,520.
  assert.deepEqual(macs(`model = keras.Sequential([keras.Input(shape=(5, 8, 8, 2)), layers.ConvLSTM2D(4, 3)])`), [["ConvLSTM2D", 155_520n]]);
  // TimeDistributed(Dense(3)) on (6, 5): 6 · 5·3 = 90.
  assert.deepEqual(macs(`model = keras.Sequential([keras.Input(shape=(6, 5)), layers.TimeDistributed(layers.Dense(3))])`), [["TimeDistributed", 90n]]);
});

test("attention: the projections and the two batched products", () => {
  // MHA(num_heads=2, key_dim=8) on (6, 16), self-attention: query, key and value 6 · 16·2·8 = 1,536 each (4,608);
  // scores 2 · 6·6 · 8 = 576; context 576; output 6 · 2·8·16 = 1,536. 4,608 + 1,152 + 1,536 = 7,296.
  const mha = `inp = keras.Input(shape=(6, 16))\nout = layers.MultiHeadAttention(num_heads=2, key_dim=8)(inp, inp)\nmodel = keras.Model(inp, out)`;
  assert.deepEqual(macs(mha), [["MultiHeadAttention", 7_296n]]);
  // Cross-attention, query (4, 16), value (9, 12), value_dim 5, output_shape 7: query 4·16·2·8 = 1,024; key 9·12·2·8 = 1,728;
  // value 9·12·2·5 = 1,080; scores 2·4·9·8 = 576; context 2·4·9·5 = 360; output 4·2·5·7 = 280. 5,048 in all.
  const cross = `q = keras.Input(shape=(4, 16))\nv = keras.Input(shape=(9, 12))\nout = layers.MultiHeadAttention(2, 8, value_dim=5, output_shape=7)(q, v)\nmodel = keras.Model([q, v], out)`;
  assert.deepEqual(macs(cross), [["MultiHeadAttention", 5_048n]]);
  // Attention()([q (4, 8), v (9, 8)]): scores 4·9·8 = 288, context 4·9·8 = 288: 576.
  const dot = `q = keras.Input(shape=(4, 8))\nv = keras.Input(shape=(9, 8))\nout = layers.Attention()([q, v])\nmodel = keras.Model([q, v], out)`;
  assert.deepEqual(macs(dot), [["Attention", 576n]]);
  // GroupQueryAttention(head_dim=4, num_query_heads=4, num_key_value_heads=2) on (5, 8): query 5·8·4·4 = 640, key and value
  // 5·8·2·4 = 320 each, scores and context 4·5·5·4 = 400 each, output 5·4·4·8 = 640: 2,720.
  const gqa = `inp = keras.Input(shape=(5, 8))\nout = layers.GroupQueryAttention(4, 4, 2)(inp, inp)\nmodel = keras.Model(inp, out)`;
  assert.deepEqual(macs(gqa), [["GroupQueryAttention", 2_720n]]);
});

test("normalization, pooling and upsampling as the convention counts them", () => {
  // BatchNormalization on 6×6×4: one per element, 144. MaxPooling2D(2) → 3·3·4 outputs · 2·2 = 144. GlobalAveragePooling2D on 3·3·4: 36.
  const body = `model = keras.Sequential([keras.Input(shape=(6, 6, 4)), layers.BatchNormalization(), layers.MaxPooling2D(2), layers.GlobalAveragePooling2D()])`;
  assert.deepEqual(macs(body), [["BatchNormalization", 144n], ["MaxPooling2D", 144n], ["GlobalAveragePooling2D", 36n]]);
  // Nearest upsampling copies (0); bilinear: 4 per output element, 6·6·2 outputs · 4 = 288; LayerNormalization on (5, 3): 15.
  assert.deepEqual(macs(`model = keras.Sequential([keras.Input(shape=(3, 3, 2)), layers.UpSampling2D(2)])`), [["UpSampling2D", 0n]]);
  assert.deepEqual(macs(`model = keras.Sequential([keras.Input(shape=(3, 3, 2)), layers.UpSampling2D(2, interpolation="bilinear")])`), [["UpSampling2D", 288n]]);
  assert.deepEqual(macs(`model = keras.Sequential([keras.Input(shape=(5, 3)), layers.LayerNormalization()])`), [["LayerNormalization", 15n]]);
});

test("element-wise layers and data movement count 0; Dot and matmul count their products", () => {
  const body = `model = keras.Sequential([keras.Input(shape=(4, 4, 2)), layers.ReLU(), layers.Dropout(0.5), layers.Flatten(), layers.Activation("softmax")])`;
  assert.deepEqual(macs(body), [["ReLU", 0n], ["Dropout", 0n], ["Flatten", 0n], ["Activation", 0n]]);
  // Dot(axes=2) of (3, 5) and (4, 5): a (3, 4) output, each a dot product of 5: 60. keras.ops.matmul of (3, 5) and (5, 2): 3·2 · 5 = 30.
  const dot = `a = keras.Input(shape=(3, 5))\nb = keras.Input(shape=(4, 5))\nout = layers.Dot(axes=2)([a, b])\nmodel = keras.Model([a, b], out)`;
  assert.deepEqual(macs(dot), [["Dot", 60n]]);
  const matmul = `a = keras.Input(shape=(3, 5))\nb = keras.Input(shape=(5, 2))\nout = keras.ops.matmul(a, b)\nmodel = keras.Model([a, b], out)`;
  assert.deepEqual(macs(matmul), [["keras.ops.matmul", 30n]]);
  // x + y between layers: element-wise, 0.
  const add = `a = keras.Input(shape=(3,))\nout = layers.Dense(3)(a) + a\nmodel = keras.Model(a, out)`;
  assert.deepEqual(macs(add), [["Dense", 9n], ["add", 0n]]);
});

test("the model's total sums every call (a shared layer at each call) and is unknown when one count is", () => {
  // shared Dense(4) on (3,) twice: 2 · 3·4 = 24, then Dense(1) on 4: 4. 28 in all.
  const shared = `inp = keras.Input(shape=(3,))\nd = layers.Dense(3)\nx = d(d(inp))\nout = layers.Dense(1)(x)\nmodel = keras.Model(inp, out)`;
  assert.equal(modelFootprint(analyse(shared).model).macs, 2n * 3n * 3n + 3n);
  const open = analyse(`model = keras.Sequential([keras.Input(shape=(None, 3)), layers.Dense(2)])`).model;
  assert.equal(modelFootprint(open).macs, undefined);
  assert.match(modelFootprint(open).macsUnknownBecause ?? "", /Dense/);
  // A nested model costs what its layers do: Dense(2) on 5 inside = 10, then Dense(1) on 2 = 2.
  const nested = `inner = keras.Sequential([keras.Input(shape=(5,)), layers.Dense(2)])\nmodel = keras.Sequential([keras.Input(shape=(5,)), inner, layers.Dense(1)])`;
  assert.equal(modelFootprint(analyse(nested).model).macs, 12n);
});

test("memory: the output per sample and per batch by dtype, the weights by their variable dtype", () => {
  // Conv2D(8, 3) on 10×10×1: output 8·8·8 = 512 float32 = 2,048 bytes; batch 16 → 32,768. Weights 3·3·1·8 + 8 = 80 → 320 bytes.
  const { analysis, model } = analyse(`model = keras.Sequential([keras.Input(shape=(10, 10, 1), batch_size=16), layers.Conv2D(8, 3), layers.Dense(2, dtype="float16")])`);
  const conv = callMemory(model.layers[1], analysis);
  assert.deepEqual([conv.outputPerSample, conv.outputPerBatch, conv.params, conv.dtype?.compute], [2_048n, 32_768n, 320n, "float32"]);
  // Dense(2, dtype="float16") on (8, 8, 8): output 8·8·2 = 128 halves = 256 bytes; weights 8·2 + 2 = 18 halves = 36 bytes.
  const dense = callMemory(model.layers[2], analysis);
  assert.deepEqual([dense.outputPerSample, dense.params, dense.dtype?.variable], [256n, 36n, "float16"]);
  // The forward activations: input 10·10·1·4 = 400 + 2,048 + 256 = 2,704 bytes a sample, 43,264 for the batch of 16.
  const footprint = modelFootprint(model);
  assert.deepEqual([footprint.activationsPerSample, footprint.activationsPerBatch], [2_704n, 43_264n]);
});

test("memory: a mixed_float16 policy computes in float16 and keeps the weights in float32; Input stays float32", () => {
  const { analysis, model } = analyse(`keras.mixed_precision.set_global_policy("mixed_float16")\nmodel = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(3)])`);
  const [input, dense] = [callMemory(model.layers[0], analysis), callMemory(model.layers[1], analysis)];
  // Input 4 float32 = 16 bytes; Dense's output 3 float16 = 6 bytes, its weights 4·3 + 3 = 15 float32 = 60 bytes.
  assert.deepEqual([input.outputPerSample, dense.outputPerSample, dense.params], [16n, 6n, 60n]);
});

test("TensorFlow's ops: tf.nn.conv2d multiplies its filter at every output position, tf.nn pools one per window element, tf.matmul one per product", () => {
  const body = [
    "import tensorflow as tf",
    "inputs = keras.Input(shape=(8, 8, 3))",
    "w = tf.Variable(tf.random.normal([3, 3, 3, 4]))",
    "x = tf.nn.conv2d(inputs, w, strides=1, padding='VALID')",
    "x = tf.nn.max_pool2d(x, ksize=2, strides=2, padding='VALID')",
    "v = tf.Variable(tf.random.normal([4, 5]))",
    "y = tf.matmul(tf.reshape(x, [-1, 4]), v)",
    "model = keras.Model(inputs, y)",
  ].join("\n");
  // conv2d: 6·6 positions · 3·3·3 · 4 = 3,888; max_pool2d: 3·3·4 outputs · 2·2 = 144; matmul (None, 4)·(4, 5): 5 · 4 = 20.
  const costs = new Map(macs(body));
  assert.deepEqual([costs.get("tf.nn.conv2d"), costs.get("tf.nn.max_pool2d"), costs.get("tf.matmul")], [3_888n, 144n, 20n]);
});

test("the forward activations take `x + y` in its operands' dtype when every other tensor of the model has one and the same", () => {
  // Input 4 float32 = 16 B, Dense(4) 16 B, x + y 16 B: 48 B a sample.
  const residual = `inp = keras.Input(shape=(4,))\nout = layers.Dense(4)(inp) + inp\nmodel = keras.Model(inp, out)`;
  assert.equal(modelFootprint(analyse(residual).model).activationsPerSample, 48n);
  // With a float16 layer beside float32 tensors, the sum's dtype is not followed: unknown, saying why.
  const mixed = `inp = keras.Input(shape=(4,))\nout = layers.Dense(4, dtype="float16")(inp) + inp\nmodel = keras.Model(inp, out)`;
  const footprint = modelFootprint(analyse(mixed).model);
  assert.equal(footprint.activationsPerSample, undefined);
  assert.match(footprint.activationsUnknownBecause ?? "", /operands' dtype is not followed/);
});

test("a hint's kept tooltip says what the call costs only when the hints show MACs; the hover always does", () => {
  const body = `model = keras.Sequential([keras.Input(shape=(28, 28, 1)), layers.Conv2D(32, 3)])`;
  const { analysis } = analyse(body);
  const options = { shapes: true, parameters: true, batchDimension: true, totals: false };
  const tooltip = (macs: boolean) => documentHints(analysis, { ...options, macs }).find((h) => h.candidates[0].startsWith("(None, 26, 26, 32)"))!;
  assert.doesNotMatch(tooltip(false).explain(), /MACs/);
  assert.deepEqual(tooltip(true).candidates[0], "(None, 26, 26, 32) · 320 params · 195k MACs");
  assert.match(tooltip(true).explain(), /`MACs = 26·26 · 3·3·1 · 32 = 194,688`/);
  const source = `import keras\nfrom keras import layers\n${body}`;
  assert.match(hoverAt(analysis, source.indexOf("Conv2D(32") + 2)!.markdown, /`MACs = 26·26 · 3·3·1 · 32 = 194,688`/);
});
