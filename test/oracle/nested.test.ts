/**
 * Differential tests, against TensorFlow.js, of two forms issue 23 found wrong or refused:
 * Embedding first in a Sequential with the legacy `input_shape` (its own `input_dim` is the
 * vocabulary, not the input width), and TimeDistributed around a Sequential model (a model is a
 * layer), whose own input is given or comes from the wrapper. Each layer's output shape and
 * parameter count, and the model's total, must match what tfjs builds from the same model.
 */
import { before, test } from "node:test";
import assert from "node:assert/strict";
import * as tfl from "@tensorflow/tfjs-layers";
import { analyzeText } from "../../server/src/analysis";
import { ModelAnalysis } from "../../server/src/engine/analyze";
import { Shape } from "../../server/src/engine/shape";
import { setupTfjs } from "./tfjs";

before(() => setupTfjs());

const PRELUDE = "import keras\nfrom keras import layers\n";

/** The model assigned to `name` in `source`. */
function modelNamed(source: string, name: string): ModelAnalysis {
  const text = PRELUDE + source;
  const start = text.indexOf(`${name} = `) + name.length + 3;
  const model = analyzeText(text).models.find((m) => m.model.span.start === start);
  assert.ok(model, `no model ${name}`);
  return model;
}

const shape = (s: readonly (number | null)[]): Shape => s.map((d) => (d === null ? "None" : d));

/** A Layer Lens model's rows (Input excluded) against a tfjs model's layers. */
function compare(ours: ModelAnalysis, theirs: tfl.LayersModel): void {
  const rows = ours.layers.filter((l) => !l.spec?.isInput);
  assert.deepEqual(
    rows.map((l) => [l.output, l.params]),
    theirs.layers.map((l) => [shape(l.outputShape as (number | null)[]), BigInt(l.countParams())]),
  );
  assert.equal(ours.totals.total, BigInt(theirs.countParams()));
  assert.deepEqual(ours.diagnostics, []);
}

for (const [vocab, width, length] of [
  [1000, 8, 12],
  [50, 3, 7],
  [20000, 64, 200],
] as const) {
  test(`Embedding(input_dim=${vocab}, output_dim=${width}, input_shape=(${length},)) first, then pooling and Dense`, () => {
    const ours = modelNamed(
      `m = keras.Sequential([\n    layers.Embedding(input_dim=${vocab}, output_dim=${width}, input_shape=(${length},)),\n    layers.GlobalAveragePooling1D(),\n    layers.Dense(2),\n])\n`,
      "m",
    );
    const theirs = tfl.sequential({
      layers: [
        tfl.layers.embedding({ inputDim: vocab, outputDim: width, inputShape: [length] }),
        tfl.layers.globalAveragePooling1d({}),
        tfl.layers.dense({ units: 2 }),
      ],
    });
    compare(ours, theirs);
  });
}

for (const [frames, side, filters, units] of [
  [10, 32, 16, 24],
  [4, 9, 3, 5],
] as const) {
  test(`TimeDistributed(Sequential encoder with its own Input) over ${frames} frames of ${side}×${side}, then an LSTM`, () => {
    const ours = modelNamed(
      `frame = keras.Sequential([\n    keras.Input(shape=(${side}, ${side}, 3)),\n    layers.Conv2D(${filters}, 3),\n    layers.GlobalAveragePooling2D(),\n    layers.Dense(${units}),\n])\n` +
        `video = keras.Sequential([\n    keras.Input(shape=(${frames}, ${side}, ${side}, 3)),\n    layers.TimeDistributed(frame),\n    layers.LSTM(4),\n])\n`,
      "video",
    );
    const frame = tfl.sequential({
      layers: [
        tfl.layers.conv2d({ filters, kernelSize: 3, inputShape: [side, side, 3] }),
        tfl.layers.globalAveragePooling2d({}),
        tfl.layers.dense({ units }),
      ],
    });
    const theirs = tfl.sequential({ layers: [tfl.layers.timeDistributed({ layer: frame, inputShape: [frames, side, side, 3] }), tfl.layers.lstm({ units: 4 })] });
    compare(ours, theirs);
  });
}

test("TimeDistributed(Sequential without an Input of its own) takes each time step's shape from the wrapper", () => {
  // In Keras the inner model is built on the wrapper's (batch, 7); tfjs needs the inner shape spelled out.
  const ours = modelNamed(
    "step = keras.Sequential([layers.Dense(5), layers.Dense(3)])\nseq = keras.Sequential([\n    keras.Input(shape=(6, 7)),\n    layers.TimeDistributed(step),\n])\n",
    "seq",
  );
  const step = tfl.sequential({ layers: [tfl.layers.dense({ units: 5, inputShape: [7] }), tfl.layers.dense({ units: 3 })] });
  const theirs = tfl.sequential({ layers: [tfl.layers.timeDistributed({ layer: step, inputShape: [6, 7] })] });
  compare(ours, theirs);
});
