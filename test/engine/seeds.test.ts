/**
 * Every worked example in the reference texts (shared/seeds), written as the
 * Keras code a user would type, through the whole pipeline (parse → extract → engine).
 * The expected numbers are the ones the seed texts derive by hand.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { analyzeText } from "../../server/src/analysis";
import { formatShape } from "../../server/src/engine/shape";
import { inferMulti } from "./multiInput";

function layers(source: string): { kind: string; shape: string; params: string }[] {
  const [model] = analyzeText(`import keras\nfrom keras import layers\n${source}`).models;
  assert.ok(model, "a model is found");
  return model.layers.map((l) => ({
    kind: l.element.type === "layer" ? l.element.kind : "opaque",
    shape: l.output ? formatShape(l.output) : "unknown",
    params: String(l.params),
  }));
}

test("3×3 kernel, 32 input channels, 64 filters: 3·3·32·64 + 64 = 18,496", () => {
  const result = layers(`keras.Sequential([keras.Input(shape=(16, 16, 32)), layers.Conv2D(64, 3, strides=2, padding="same")])`);
  assert.deepEqual(result[1], { kind: "Conv2D", shape: "(None, 8, 8, 64)", params: "18496" });
});

test("32×32×3, 20 filters 8×8, stride 2, padding 1: 14×14×20 and (8·8·3 + 1)·20 = 3,860", () => {
  const result = layers(`keras.Sequential([
    keras.Input(shape=(32, 32, 3)),
    layers.ZeroPadding2D(1),
    layers.Conv2D(20, (8, 8), strides=2),
  ])`);
  assert.deepEqual(result[2], { kind: "Conv2D", shape: "(None, 14, 14, 20)", params: "3860" });
});

test("100×100 grayscale: Conv2D(60, 7×7) has 3,000 parameters, Conv2D(100, 5×5) 150,100", () => {
  const result = layers(`model = keras.Sequential()
model.add(layers.Conv2D(60, (7, 7), input_shape=(100, 100, 1), padding="same", activation="relu"))
model.add(layers.Conv2D(100, (5, 5), padding="same", activation="relu"))
model.add(layers.MaxPooling2D(pool_size=(2, 2)))
model.add(layers.Dense(250))
model.add(layers.Dense(200))`);
  assert.deepEqual(result[0], { kind: "Conv2D", shape: "(None, 100, 100, 60)", params: "3000" });
  assert.deepEqual(result[1], { kind: "Conv2D", shape: "(None, 100, 100, 100)", params: "150100" });
  // Dense on the 4-D pooled tensor acts on the last axis only: (100 + 1)·250, then (250 + 1)·200.
  assert.deepEqual(result[3], { kind: "Dense", shape: "(None, 50, 50, 250)", params: "25250" });
  assert.deepEqual(result[4], { kind: "Dense", shape: "(None, 50, 50, 200)", params: "50200" });
});

test("the seed's 100×100 network reports Dense on a rank-4 tensor", () => {
  const [model] = analyzeText(`from keras.models import Sequential
from keras.layers import Conv2D, MaxPooling2D, Dense
model = Sequential()
model.add(Conv2D(60, (7, 7), input_shape = (100, 100, 1), padding="same", activation="relu"))
model.add(MaxPooling2D(pool_size=(2, 2)))
model.add(Dense(250))`).models;
  assert.deepEqual(
    model.diagnostics.map((d) => d.code),
    ["LL301"],
  );
});

for (const [filters, channels, params] of [
  [1, 1, "10"],
  [5, 1, "50"],
  [5, 3, "140"],
] as const) {
  test(`Conv2D(${filters}, 3) on (10, 10, ${channels}) gives (None, 8, 8, ${filters}) and ${params} parameters`, () => {
    const result = layers(
      `model1 = keras.models.Sequential()\nmodel1.add(layers.Conv2D(filters=${filters}, kernel_size=3, input_shape=(10, 10, ${channels}), activation='relu'))`,
    );
    assert.deepEqual(result[0], { kind: "Conv2D", shape: `(None, 8, 8, ${filters})`, params });
  });
}

test("the tf.nn.conv2d seed: 32×32×3 input, 20 filters 8×8×3, stride 2, zero padding 1 → 14×14×20, then the bias", () => {
  // The op itself owns no weights; the seed's 3,840 + 20 = 3,860 live on the filter and bias variables.
  const conv = inferMulti("tf.nn.conv2d", [{ strides: [1, 2, 2, 1], padding: [[0, 0], [1, 1], [1, 1], [0, 0]] }], [["None", 32, 32, 3], [8, 8, 3, 20]]);
  assert.deepEqual(conv.output, ["None", 14, 14, 20]);
  assert.deepEqual(conv.problems, []);
  const biased = inferMulti("tf.nn.bias_add", [], [conv.output, [20]]);
  assert.deepEqual(biased.output, ["None", 14, 14, 20]);
  assert.equal(conv.params, 0n);
});
