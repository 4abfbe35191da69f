/**
 * A model given where a layer is expected: a Keras model is a layer, so `TimeDistributed(frame_model)`
 * runs the model on each time step (its output per step, its weights once); Bidirectional refuses one
 * (`_verify_layer_config` reads the wrapped layer's go_backwards, which a Sequential or functional model
 * lacks). An instance of the file's own class may be a layer: unknown with a reason, never an error.
 * A value that cannot be a layer (a function, a number) stays the error Keras raises.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { analyzeText } from "../../server/src/analysis";
import { ModelAnalysis } from "../../server/src/engine/analyze";
import { formatShape } from "../../server/src/engine/shape";
import { infer } from "./helpers";

const N = "None";
const PRELUDE = "import keras\nfrom keras import layers\n";

const analyze = (source: string) => analyzeText(PRELUDE + source);

function rows(model: ModelAnalysis): string[] {
  return model.layers
    .filter((l) => !l.spec?.isInput)
    .map((l) => `${l.element.type === "layer" ? l.element.kind : l.element.type} ${l.output ? formatShape(l.output) : "-"} ${l.params ?? "?"}`);
}

const ENCODER = `encoder = keras.Sequential([
    keras.Input(shape=(12, 12, 1)),
    layers.Conv2D(4, 3),
    layers.Flatten(),
])
`;

test("TimeDistributed(Sequential model with its own Input): the model's output per step, its weights", () => {
  // 12 − 3 + 1 = 10, (3·3·1 + 1)·4 = 40; flatten 10·10·4 = 400; over 5 steps: (None, 5, 400), 40 params.
  const analysis = analyze(`${ENCODER}clip = keras.Sequential([
    keras.Input(shape=(5, 12, 12, 1)),
    layers.TimeDistributed(encoder),
    layers.GlobalAveragePooling1D(),
])
`);
  const clip = analysis.models[1];
  assert.deepEqual(rows(clip), ["TimeDistributed (None, 5, 400) 40", "GlobalAveragePooling1D (None, 400) 0"]);
  assert.equal(clip.totals.total, 40n);
  assert.deepEqual(analysis.diagnostics, []);
});

test("TimeDistributed(functional model) in a functional graph, and layer=… by keyword", () => {
  // Dense(6) on 3: 3·6 + 6 = 24; Dense(2) on 6: 14. Over 7 steps: (None, 7, 2), 38 params.
  const analysis = analyze(`step_in = keras.Input(shape=(3,))
step = keras.Model(step_in, layers.Dense(2)(layers.Dense(6)(step_in)))
seq_in = keras.Input(shape=(7, 3))
seq_out = layers.TimeDistributed(layer=step)(seq_in)
seq = keras.Model(seq_in, seq_out)
`);
  const seq = analysis.models[1];
  assert.deepEqual(rows(seq), ["TimeDistributed (None, 7, 2) 38"]);
  assert.equal(seq.totals.total, 38n);
  assert.deepEqual(analysis.diagnostics, []);
});

test("TimeDistributed(Sequential without an Input of its own) builds it on each step's shape", () => {
  // Each step is (None, 9); Dense(4): 9·4 + 4 = 40.
  const analysis = analyze(`step = keras.Sequential([layers.Dense(4)])
seq = keras.Sequential([keras.Input(shape=(3, 9)), layers.TimeDistributed(step)])
`);
  assert.deepEqual(rows(analysis.models[1]), ["TimeDistributed (None, 3, 4) 40"]);
  assert.equal(analysis.models[1].totals.total, 40n);
});

test("a model's problems stay on the model; TimeDistributed of a model whose output is unknown is unknown, not wrong", () => {
  const analysis = analyze(`step = keras.Sequential([keras.Input(shape=(4,)), layers.Foo()])
seq = keras.Sequential([keras.Input(shape=(3, 4)), layers.TimeDistributed(step), layers.Dense(2)])
`);
  assert.deepEqual(rows(analysis.models[1]), ["TimeDistributed - ?", "Dense - ?"]);
  assert.equal(analysis.models[1].totals.total, undefined);
  assert.deepEqual(analysis.diagnostics.map((d) => d.code), ["LL303"]);
});

test("TimeDistributed(model with two outputs) is unknown, with the reason", () => {
  const analysis = analyze(`a_in = keras.Input(shape=(4,))
two = keras.Model(a_in, [layers.Dense(2)(a_in), layers.Dense(3)(a_in)])
seq = keras.Sequential([keras.Input(shape=(5, 4)), layers.TimeDistributed(two)])
`);
  const wrapper = analysis.models[1].layers[1];
  assert.equal(wrapper.output, undefined);
  // Its weights are still the model's: 4·2 + 2 + 4·3 + 3 = 25.
  assert.equal(wrapper.params, 25n);
  const messages = analysis.diagnostics.filter((d) => d.code === "LL302").map((d) => d.message);
  assert.deepEqual(messages, ["Shapes are unknown from here: layer is not known statically (the model's output: it returns 2 tensors)."]);
});

test("Bidirectional(model) stays an error: Keras reads the wrapped layer's go_backwards", () => {
  const analysis = analyze(`${ENCODER}bad = keras.Sequential([keras.Input(shape=(5, 12, 12, 1)), layers.Bidirectional(encoder)])
`);
  assert.deepEqual(analysis.diagnostics.map((d) => d.code), ["LL113"]);
  assert.match(analysis.diagnostics[0].message, /layer must be a recurrent layer such as LSTM\(64\).*got a model/);
  assert.deepEqual(rows(analysis.models[1]), ["Bidirectional - ?"]);
});

test("an instance of the file's own layer class is a layer Layer Lens does not follow: unknown, one LL302, no error", () => {
  const analysis = analyze(`class Scale(layers.Layer):
    def call(self, x):
        return x

td = keras.Sequential([keras.Input(shape=(5, 4)), layers.TimeDistributed(Scale()), layers.Dense(2), layers.Dense(1)])
bi = keras.Sequential([keras.Input(shape=(5, 4)), layers.Bidirectional(Scale())])
`);
  assert.deepEqual(analysis.diagnostics.map((d) => [d.code, d.message]), [
    ["LL302", "Shapes are unknown from here: layer is not known statically (an instance of a class of this file, which Layer Lens does not follow as a layer)."],
    ["LL302", "Shapes are unknown from here: layer is not known statically (an instance of a class of this file, which Layer Lens does not follow as a layer)."],
  ]);
  assert.equal(analysis.models[0].totals.total, undefined);
});

test("what cannot be a layer stays an error: a function, a number, a string", () => {
  for (const value of [{ ref: "function" as const, id: 0 }, 3, "dense"]) {
    const got = infer("TimeDistributed", [{ layer: value }], [N, 5, 4]);
    assert.deepEqual(got.problems, ["invalidArgument"], JSON.stringify(value));
    assert.match(got.messages[0], /layer must be a Keras layer such as LSTM\(64\)/);
  }
});

test("without a resolver (a spec run on its own), a model is unknown, never an error", () => {
  const got = infer("TimeDistributed", [{ layer: { ref: "model", id: 0 } }], [N, 5, 4]);
  assert.deepEqual(got.problems, []);
  assert.equal(got.output, undefined);
  assert.equal(got.params, undefined);
});
