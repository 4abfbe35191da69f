/**
 * Code written for tf.keras 2 against Keras 3: each difference read as tf.keras 2 (2), as Keras 3 (3) and when
 * the file does not say which (unknown: a warning, LL206, and unknown where the numbers would differ).
 * Expected values worked out by hand from both sources:
 * - Pooling: keras/src/layers/pooling/average_pooling{1,2,3}d.py `pool_size` has no default, max_pooling*.py
 *   2 / (2, 2) / (2, 2, 2); tf_keras/layers/pooling/average_pooling*.py and max_pooling*.py all 2 / (2, 2) / (2, 2, 2).
 * - LeakyReLU: keras/src/layers/activations/leaky_relu.py `negative_slope=0.3`, `alpha` popped from **kwargs,
 *   None or < 0 raises; tf_keras/layers/activation/leaky_relu.py `alpha=0.3` only, only None raises.
 * - ThresholdedReLU: tf_keras/layers/activation/thresholded_relu.py `theta=1.0` (None or < 0 raises); not in
 *   keras/api/layers/__init__.py.
 * - LocallyConnected1D/2D: tf_keras/layers/locally_connected/locally_connected{1,2}d.py (kernel per implementation,
 *   bias (output sizes…, filters)); not in Keras 3.
 * - Embedding: keras/src/layers/core/embedding.py pops `input_length` and ignores it; tf_keras/layers/core/
 *   embedding.py sets `input_shape=(input_length,)` or `(None,)`, positional order (…, embeddings_regularizer,
 *   activity_regularizer, embeddings_constraint, mask_zero, input_length, sparse).
 * - BatchNormalization: tf_keras/api/golden/v2/tensorflow.keras.layers.-batch-normalization.pbtxt (13 parameters as
 *   Keras 3's, then `synchronized`), tf_keras/layers/normalization/batch_normalization.py (`fused`,
 *   `virtual_batch_size`, `adjustment`; a list of axes gives each weight the input's rank with 1 outside them);
 *   keras/src/layers/normalization/batch_normalization.py `int(axis)`, 14th parameter `renorm`.
 * - RNNs: tf_keras/api/golden/v2/tensorflow.keras.layers.-g-r-u.pbtxt / -l-s-t-m.pbtxt (`reset_after=True`,
 *   `unroll=False` as in Keras 3; no `seed`; `time_major`), keras/src/layers/rnn/rnn.py (no `time_major`).
 * - Input: tf_keras/engine/input_layer.py `Input(shape, batch_size, name, dtype, …, **kwargs)` popping
 *   `batch_input_shape` and `batch_shape`; keras/src/layers/core/input_layer.py `Input(shape, batch_size, dtype, …)`.
 * - Base layer: tf_keras/engine/base_layer.py takes `batch_input_shape`, `batch_size`, `weights`, `dynamic`,
 *   `implementation`, and `input_shape` over `input_dim`; keras/src/layers/layer.py pops `input_dim` / `input_shape`
 *   only. Sequential (tf_keras/engine/sequential.py `add`): a first layer's `_batch_input_shape` becomes its input.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { Arg, Reading, infer, sequentialRaw, tup } from "./helpers";
import { Shape } from "../../server/src/engine/shape";
import { Diagnostics } from "../../server/src/engine/diagnostics";
import { allLayers, findLayer } from "../../server/src/engine/layers/registry";

const N = "None";
const U = "?";

interface Case {
  readonly kind: string;
  readonly args: readonly Arg[];
  readonly input: Shape | undefined;
  /** What each reading gives: output, parameters (0n by default, undefined: unknown) and problem ids. */
  readonly as: Partial<Record<Reading, { output: Shape | undefined; params?: bigint | undefined; problems?: readonly string[] }>>;
  readonly note?: string;
}

const cases: Case[] = [
  // Average pooling without pool_size: tf.keras 2's default 2, Keras 3 requires it. ⌊(100 − 2) / 2⌋ + 1 = 50.
  {
    kind: "AveragePooling1D", args: [], input: [N, 100, 16],
    as: { 2: { output: [N, 50, 16] }, 3: { output: [N, U, 16], problems: ["missingArgument"] }, unknown: { output: [N, U, 16], problems: ["generationDiffers"] } },
  },
  // (2, 2): ⌊(28 − 2) / 2⌋ + 1 = 14.
  {
    kind: "AveragePooling2D", args: [], input: [N, 28, 28, 32],
    as: { 2: { output: [N, 14, 14, 32] }, 3: { output: [N, U, U, 32], problems: ["missingArgument"] }, unknown: { output: [N, U, U, 32], problems: ["generationDiffers"] } },
  },
  {
    kind: "AvgPool3D", args: [], input: [N, 16, 16, 16, 1], note: "alias",
    as: { 2: { output: [N, 8, 8, 8, 1] }, 3: { output: [N, U, U, U, 1], problems: ["missingArgument"] }, unknown: { output: [N, U, U, U, 1], problems: ["generationDiffers"] } },
  },
  // Given, or Max pooling: both generations agree. ⌊(28 − 3) / 3⌋ + 1 = 9.
  { kind: "AveragePooling2D", args: [3], input: [N, 28, 28, 32], as: { 2: { output: [N, 9, 9, 32] }, 3: { output: [N, 9, 9, 32] }, unknown: { output: [N, 9, 9, 32] } } },
  { kind: "MaxPooling2D", args: [], input: [N, 28, 28, 32], as: { 2: { output: [N, 14, 14, 32] }, 3: { output: [N, 14, 14, 32] }, unknown: { output: [N, 14, 14, 32] } } },
  { kind: "MaxPooling1D", args: [], input: [N, 100, 16], as: { 2: { output: [N, 50, 16] }, 3: { output: [N, 50, 16] }, unknown: { output: [N, 50, 16] } } },

  // LeakyReLU: alpha and the positional slope are both generations'; negative_slope is Keras 3's.
  { kind: "LeakyReLU", args: [{ alpha: 0.2 }], input: [N, 10], as: { 2: { output: [N, 10] }, 3: { output: [N, 10] }, unknown: { output: [N, 10] } } },
  { kind: "LeakyReLU", args: [0.2], input: [N, 10], as: { 2: { output: [N, 10] }, 3: { output: [N, 10] }, unknown: { output: [N, 10] } } },
  {
    kind: "LeakyReLU", args: [{ negative_slope: 0.2 }], input: [N, 10],
    as: { 2: { output: [N, 10], problems: ["notInGeneration"] }, 3: { output: [N, 10] }, unknown: { output: [N, 10], problems: ["generationDiffers"] } },
  },
  {
    kind: "LeakyReLU", args: [{ alpha: -0.1 }], input: [N, 10], note: "only Keras 3 refuses a negative slope",
    as: { 2: { output: [N, 10] }, 3: { output: [N, 10], problems: ["invalidArgument"] }, unknown: { output: [N, 10], problems: ["generationDiffers"] } },
  },

  // ThresholdedReLU: tf.keras 2's only; read as anything else, nothing is known of it.
  {
    kind: "ThresholdedReLU", args: [{ theta: 0.5 }], input: [N, 10],
    as: { 2: { output: [N, 10] }, 3: { output: undefined, problems: ["notInGeneration"] }, unknown: { output: undefined, problems: ["generationDiffers"] } },
  },
  { kind: "ThresholdedReLU", args: [-1], input: [N, 10], note: "theta < 0 raises", as: { 2: { output: [N, 10], problems: ["invalidArgument"] } } },

  // LocallyConnected2D, the docstring's example: (30·30)·(3·3·3·64) + (30·30)·64 = 1,555,200 + 57,600 = 1,612,800.
  {
    kind: "LocallyConnected2D", args: [64, tup(3, 3)], input: [N, 32, 32, 3],
    as: { 2: { output: [N, 30, 30, 64], params: 1612800n }, 3: { output: undefined, params: undefined, problems: ["notInGeneration"] }, unknown: { output: undefined, params: undefined, problems: ["generationDiffers"] } },
  },
  // 15 − 3 + 1 = 13: kernel (169, 9·16, 8) = 194,688, bias (13, 13, 8) = 1,352.
  { kind: "LocallyConnected2D", args: [8, 3], input: [N, 15, 15, 16], as: { 2: { output: [N, 13, 13, 8], params: 196040n } } },
  // implementation=2: kernel (15, 15, 16, 13, 13, 8) = 4,867,200 + 1,352.
  { kind: "LocallyConnected2D", args: [8, 3, { implementation: 2 }], input: [N, 15, 15, 16], as: { 2: { output: [N, 13, 13, 8], params: 4868552n } } },
  // implementation=3, 'valid': one entry per connection, 169·9·16·8 = 194,688 (as implementation 1) + 1,352.
  { kind: "LocallyConnected2D", args: [8, 3, { implementation: 3 }], input: [N, 15, 15, 16], as: { 2: { output: [N, 13, 13, 8], params: 196040n } } },
  // 'same' keeps 15: implementation=2 kernel (15, 15, 16, 15, 15, 8) = 6,480,000, bias 15·15·8 = 1,800.
  { kind: "LocallyConnected2D", args: [8, 3, { padding: "same", implementation: 2 }], input: [N, 15, 15, 16], as: { 2: { output: [N, 15, 15, 8], params: 6481800n } } },
  // implementation 1 is 'valid' only (the constructor raises); what it would make: (225, 144, 8) = 259,200 + 1,800.
  { kind: "LocallyConnected2D", args: [8, 3, { padding: "same" }], input: [N, 15, 15, 16], as: { 2: { output: [N, 15, 15, 8], params: 261000n, problems: ["invalidArgument"] } } },
  { kind: "LocallyConnected2D", args: [8, 3, { padding: "same", implementation: 3 }], input: [N, 15, 15, 16], note: "windows cut at the edges", as: { 2: { output: [N, 15, 15, 8], params: undefined } } },
  // strides 2: ⌊(15 − 3) / 2⌋ + 1 = 7; kernel 49·144·8 = 56,448, bias 7·7·8 = 392.
  { kind: "LocallyConnected2D", args: [8, 3, { strides: 2 }], input: [N, 15, 15, 16], as: { 2: { output: [N, 7, 7, 8], params: 56840n } } },
  { kind: "LocallyConnected2D", args: [8, 3, { data_format: "channels_first" }], input: [N, 16, 15, 15], as: { 2: { output: [N, 8, 13, 13], params: 196040n } } },
  { kind: "LocallyConnected2D", args: [8, 3], input: [N, N, 15, 16], note: "build needs the spatial sizes", as: { 2: { output: [N, N, 13, 8], params: undefined, problems: ["staticDimensionRequired"] } } },
  // LocallyConnected1D: 10 − 3 + 1 = 8; kernel (8, 3·2, 4) = 192, bias (8, 4) = 32; implementation 2: (10, 2, 8, 4) = 640.
  { kind: "LocallyConnected1D", args: [4, 3], input: [N, 10, 2], as: { 2: { output: [N, 8, 4], params: 224n } } },
  { kind: "LocallyConnected1D", args: [4, 3, { implementation: 2 }], input: [N, 10, 2], as: { 2: { output: [N, 8, 4], params: 672n } } },

  // Embedding: input_length is taken by both (Keras 3 ignores it); sparse is tf.keras 2's.
  { kind: "Embedding", args: [1000, 64, { input_length: 10 }], input: [N, 10], as: { 2: { output: [N, 10, 64], params: 64000n }, 3: { output: [N, 10, 64], params: 64000n }, unknown: { output: [N, 10, 64], params: 64000n } } },
  {
    kind: "Embedding", args: [1000, 64, { sparse: true }], input: [N, 10],
    as: { 2: { output: [N, 10, 64], params: 64000n }, 3: { output: [N, 10, 64], params: 64000n, problems: ["unknownKeyword"] }, unknown: { output: [N, 10, 64], params: 64000n, problems: ["generationDiffers"] } },
  },
  {
    kind: "Embedding", args: [10, 4, "uniform", null, "l2"], input: [N, 3], note: "the 5th positional is activity_regularizer in tf.keras 2, embeddings_constraint in Keras 3",
    as: { 2: { output: [N, 3, 4], params: 40n }, 3: { output: [N, 3, 4], params: 40n }, unknown: { output: [N, 3, 4], params: 40n, problems: ["generationDiffers"] } },
  },

  // BatchNormalization: fused / virtual_batch_size / adjustment are tf.keras 2's; 4·64 = 256 either way.
  {
    kind: "BatchNormalization", args: [{ fused: true }], input: [N, 64],
    as: { 2: { output: [N, 64], params: 256n }, 3: { output: [N, 64], params: 256n, problems: ["unknownKeyword"] }, unknown: { output: [N, 64], params: 256n, problems: ["generationDiffers"] } },
  },
  { kind: "BatchNormalization", args: [{ virtual_batch_size: 8 }], input: [N, 64], as: { 2: { output: [N, 64], params: 256n }, 3: { output: [N, 64], params: 256n, problems: ["unknownKeyword"] } } },
  // A list of axes: tf.keras 2 shapes each weight (1, 8, 8, 1): 4·64 = 256; Keras 3 raises (int(axis)).
  {
    kind: "BatchNormalization", args: [{ axis: [1, 2] }], input: [N, 8, 8, 16],
    as: { 2: { output: [N, 8, 8, 16], params: 256n }, 3: { output: [N, 8, 8, 16], params: undefined, problems: ["invalidArgument"] }, unknown: { output: [N, 8, 8, 16], params: undefined, problems: ["generationDiffers"] } },
  },
  // The 14th positional argument: synchronized in tf.keras 2 (4·10 = 40), renorm in Keras 3 (7·10 = 70).
  {
    kind: "BatchNormalization", args: [-1, 0.99, 0.001, true, true, "zeros", "ones", "zeros", "ones", null, null, null, null, true], input: [N, 10],
    as: { 2: { output: [N, 10], params: 40n }, 3: { output: [N, 10], params: 70n }, unknown: { output: [N, 10], params: undefined, problems: ["generationDiffers"] } },
  },
  // renorm is both generations': moving_stddev, renorm_mean, renorm_stddev besides the four: 7·64 = 448.
  { kind: "BatchNormalization", args: [{ renorm: true }], input: [N, 64], as: { 2: { output: [N, 64], params: 448n }, 3: { output: [N, 64], params: 448n }, unknown: { output: [N, 64], params: 448n } } },

  // Dropout(rate, noise_shape, seed) is the same in both.
  { kind: "Dropout", args: [0.5, { noise_shape: tup(null, 1, 16) }], input: [N, 5, 16], as: { 2: { output: [N, 5, 16] }, 3: { output: [N, 5, 16] }, unknown: { output: [N, 5, 16] } } },

  // GRU: reset_after=True in both: 3·(8·10 + 10·10) + 2·3·10 = 600. LSTM unroll=False in both: 4·(4·8 + 8·8 + 8) = 416.
  { kind: "GRU", args: [10], input: [N, 5, 8], as: { 2: { output: [N, 10], params: 600n }, 3: { output: [N, 10], params: 600n }, unknown: { output: [N, 10], params: 600n } } },
  { kind: "LSTM", args: [8], input: [N, 5, 4], as: { 2: { output: [N, 8], params: 416n }, 3: { output: [N, 8], params: 416n }, unknown: { output: [N, 8], params: 416n } } },
  // time_major is tf.keras 2's; a time-major input is not followed (the weights still are).
  {
    kind: "GRU", args: [10, { time_major: true }], input: [N, 5, 8],
    as: { 2: { output: undefined, params: 600n }, 3: { output: [N, 10], params: 600n, problems: ["unknownKeyword"] }, unknown: { output: undefined, params: 600n, problems: ["generationDiffers"] } },
  },
  { kind: "LSTM", args: [8, { time_major: false }], input: [N, 5, 4], as: { 2: { output: [N, 8], params: 416n }, unknown: { output: [N, 8], params: 416n, problems: ["generationDiffers"] } } },
  // The 17th positional argument: return_sequences in tf.keras 2, seed in Keras 3 (True: not an int).
  {
    kind: "GRU", args: [10, "tanh", "sigmoid", true, "glorot_uniform", "orthogonal", "zeros", null, null, null, null, null, null, null, 0, 0, true], input: [N, 5, 8],
    as: { 2: { output: [N, 5, 10], params: 600n }, 3: { output: [N, 10], params: 600n, problems: ["invalidArgument"] }, unknown: { output: undefined, params: 600n, problems: ["generationDiffers"] } },
  },

  // Input: batch_input_shape is tf.keras 2's (Keras 3's Input has no **kwargs); batch_shape both.
  {
    kind: "Input", args: [{ batch_input_shape: tup(null, 8) }], input: undefined,
    as: { 2: { output: [N, 8] }, 3: { output: undefined, problems: ["unknownKeyword"] }, unknown: { output: undefined, problems: ["generationDiffers"] } },
  },
  { kind: "Input", args: [{ batch_shape: tup(4, 8) }], input: undefined, as: { 2: { output: [4, 8] }, 3: { output: [4, 8] }, unknown: { output: [4, 8] } } },
  // The 3rd positional argument: name in tf.keras 2, dtype in Keras 3; the shape is the same.
  { kind: "Input", args: [tup(8), null, "x"], input: undefined, as: { 2: { output: [N, 8] }, 3: { output: [N, 8] }, unknown: { output: [N, 8], problems: ["generationDiffers"] } } },

  // Conv2D's kernel_initializer and Dense's input_dim are the same in both.
  { kind: "Conv2D", args: [8, 3, { kernel_initializer: "he_normal" }], input: [N, 10, 10, 3], as: { 2: { output: [N, 8, 8, 8], params: 224n }, 3: { output: [N, 8, 8, 8], params: 224n }, unknown: { output: [N, 8, 8, 8], params: 224n } } },
];

for (const c of cases) {
  for (const [key, expected] of Object.entries(c.as) as [string, NonNullable<Case["as"][Reading]>][]) {
    const reading: Reading = key === "unknown" ? "unknown" : (Number(key) as 2 | 3);
    test(`${c.kind}${JSON.stringify(c.args)} read as ${reading === "unknown" ? "unknown" : reading === 2 ? "tf.keras 2" : "Keras 3"}${c.note ? ` — ${c.note}` : ""}`, () => {
      const got = infer(c.kind, c.args, c.input, reading);
      assert.deepEqual(got.output, expected.output, "output");
      assert.equal(got.params, "params" in expected ? expected.params : 0n, "params");
      assert.deepEqual(got.problems, expected.problems ?? [], "problems");
    });
  }
}

test("every generation note names the sources it was read from, and says something", () => {
  for (const spec of allLayers()) {
    if (spec.generations) assert.match(spec.generations.source, /tf_keras\/|keras\/src\//, spec.name);
    for (const p of spec.params) {
      const g = p.generations;
      if (!g) continue;
      assert.match(g.source, /tf_keras\//, `${spec.name}.${p.name}`);
      assert.ok(g.only !== undefined || "keras2Default" in g, `${spec.name}.${p.name} says nothing`);
    }
  }
});

test("the messages name both generations and how to choose", () => {
  const warning = infer("AveragePooling2D", [], [N, 28, 28, 32], "unknown").messages[0];
  assert.match(warning, /tf\.keras 2's AveragePooling2D defaults `pool_size` to \(2, 2\); Keras 3 requires it/);
  assert.match(warning, /layerLens\.kerasVersion/);
  assert.equal(Diagnostics.generationDiffers.severity, "warning");
  const error = infer("LeakyReLU", [{ negative_slope: 0.1 }], [N, 4], 2).messages[0];
  assert.match(error, /LeakyReLU's `negative_slope` is Keras 3's \(tf\.keras 2 calls it alpha\); tf\.keras 2 refuses it/);
  assert.match(error, /This file is read as tf\.keras 2/);
});

describe("a Sequential model's input from its first layer", () => {
  const rows = (m: ReturnType<typeof sequentialRaw>) => m.layers.map((l) => l.output);
  const codes = (m: ReturnType<typeof sequentialRaw>) => m.diagnostics.map((d) => d.code);

  test("Embedding(input_length=10): tf.keras 2 gives the model the input (None, 10); Keras 3 none", () => {
    const layers: [string, Arg[]][] = [["Embedding", [1000, 64, { input_length: 10 }]], ["Flatten", []], ["Dense", [1]]];
    // 1000·64 = 64,000; Flatten 10·64 = 640; Dense 640 + 1 = 641.
    const two = sequentialRaw(layers, 2);
    assert.deepEqual(two.input, [N, 10]);
    assert.deepEqual(rows(two), [[N, 10, 64], [N, 640], [N, 1]]);
    assert.equal(two.totals.total, 64641n);
    assert.deepEqual(codes(two), []);
    const three = sequentialRaw(layers, 3);
    assert.equal(three.input, undefined);
    assert.deepEqual(codes(three), ["LL302"]);
    const unknown = sequentialRaw(layers, "unknown");
    assert.equal(unknown.input, undefined);
    assert.deepEqual(codes(unknown), ["LL206"]);
    assert.match(unknown.diagnostics[0].message, /Embedding gives the model the input \(None, 10\) in tf\.keras 2 and no input in Keras 3/);
  });

  test("Embedding(10001, 16) first without input_length: tf.keras 2 builds the model on (None, None); 160,033 parameters", () => {
    // tf_keras Embedding sets input_shape=(None,): (None, None) → (None, None, 16), 10,001·16 = 160,016;
    // GlobalAveragePooling1D → (None, 16); Dense(1) 16 + 1 = 17.
    const layers: [string, Arg[]][] = [["Embedding", [10001, 16]], ["Dropout", [0.2]], ["GlobalAveragePooling1D", []], ["Dropout", [0.2]], ["Dense", [1]]];
    const two = sequentialRaw(layers, 2);
    assert.deepEqual(two.input, [N, N]);
    assert.deepEqual(rows(two), [[N, N, 16], [N, N, 16], [N, 16], [N, 16], [N, 1]]);
    assert.equal(two.totals.total, 160033n);
    assert.deepEqual(codes(sequentialRaw(layers, "unknown")), ["LL206"]);
  });

  test("batch_input_shape: tf.keras 2's input; Keras 3 refuses it", () => {
    const layers: [string, Arg[]][] = [["Dense", [8, { batch_input_shape: tup(null, 4) }]], ["Dense", [1]]];
    const two = sequentialRaw(layers, 2);
    assert.deepEqual(two.input, [N, 4]);
    assert.equal(two.totals.total, 49n);
    assert.deepEqual(codes(two), []);
    assert.deepEqual(codes(sequentialRaw(layers, 3)).filter((c) => c !== "LL302"), ["LL109"]);
    // Unknown: the keyword's own warning, and no 'no input shape' besides.
    const unknown = sequentialRaw(layers, "unknown");
    assert.equal(unknown.input, undefined);
    assert.deepEqual(codes(unknown), ["LL206"]);
  });

  test("input_shape with batch_size: (16, 4) in tf.keras 2", () => {
    const two = sequentialRaw([["Dense", [8, { input_shape: tup(4), batch_size: 16 }]]], 2);
    assert.deepEqual(two.input, [16, 4]);
    assert.deepEqual(two.layers[0].output, [16, 8]);
    assert.deepEqual(codes(sequentialRaw([["Dense", [8, { input_shape: tup(4), batch_size: 16 }]]], 3)), ["LL109"]);
    const unknown = sequentialRaw([["Dense", [8, { input_shape: tup(4), batch_size: 16 }]]], "unknown");
    assert.equal(unknown.input, undefined);
    assert.deepEqual(codes(unknown), ["LL206"]);
  });

  test("input_dim beside input_shape: tf.keras 2 reads input_shape; Keras 3 refuses it", () => {
    const layers: [string, Arg[]][] = [["Dense", [8, { input_dim: 4, input_shape: tup(5) }]]];
    const two = sequentialRaw(layers, 2);
    assert.deepEqual(two.input, [N, 5]);
    assert.equal(two.totals.total, 48n);
    const three = sequentialRaw(layers, 3);
    assert.deepEqual(three.input, [N, 4]);
    assert.deepEqual(codes(three), ["LL109"]);
    assert.equal(sequentialRaw(layers, "unknown").input, undefined);
  });

  test("SpatialDropout2D takes base keywords in tf.keras 2 (**kwargs), none in Keras 3", () => {
    const layers: [string, Arg[]][] = [["SpatialDropout2D", [0.2, { input_shape: tup(8, 8, 3) }]], ["Flatten", []]];
    const two = sequentialRaw(layers, 2);
    assert.deepEqual(two.input, [N, 8, 8, 3]);
    assert.deepEqual(rows(two), [[N, 8, 8, 3], [N, 192]]);
    assert.ok(codes(sequentialRaw(layers, 3)).includes("LL109"));
  });

  test("a first layer both read alike declares the same input, without a warning", () => {
    const layers: [string, Arg[]][] = [["Dense", [8, { input_shape: tup(4) }]]];
    for (const reading of [2, 3, "unknown"] as const) {
      const model = sequentialRaw(layers, reading);
      assert.deepEqual(model.input, [N, 4]);
      assert.deepEqual(codes(model), []);
    }
  });
});

test("the specs of layers only one generation has say which", () => {
  for (const name of ["ThresholdedReLU", "LocallyConnected1D", "LocallyConnected2D"]) assert.equal(findLayer(name)?.generations?.only, 2, name);
});
