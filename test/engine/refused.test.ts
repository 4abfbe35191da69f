/**
 * A layer Keras refuses to build (any error diagnostic: a constructor that raises, a build that
 * raises) stops Keras there, so nothing after it has a shape: what follows is unknown, never
 * computed from the refused layer's would-be output (which raised more LL101s), and it does not
 * repeat an LL302 on every later layer either. The refused layer keeps its own would-be output for
 * its hint, next to the error that explains it.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { analyzeText } from "../../server/src/analysis";
import { ModelAnalysis } from "../../server/src/engine/analyze";
import { withInput } from "../../server/src/engine/reinput";
import { formatShape } from "../../server/src/engine/shape";

const PRELUDE = "import os\nimport keras\nfrom keras import layers\nunits = int(os.environ['UNITS'])\n";

function analyze(source: string) {
  return analyzeText(PRELUDE + source);
}

/** Each layer as `Kind shape params`, Input included (`-` for an unknown shape, `?` for unknown params). */
function rows(model: ModelAnalysis): string[] {
  return model.layers.map((l) => {
    const kind = l.element.type === "layer" ? l.element.kind : l.element.type;
    return `${kind} ${l.output ? formatShape(l.output) : "-"} ${l.params ?? "?"}${l.refused ? " refused" : ""}`;
  });
}

const codes = (analysis: { diagnostics: readonly { code: string }[] }) => analysis.diagnostics.map((d) => d.code);

test("Sequential: after strides with dilation (LL112) nothing is followed, and no LL101 or LL302 follows", () => {
  // ⌊(8 − 5) / 2⌋ + 1 = 2 rows: Conv2D(8, 3) after it would make 2 − 3 + 1 = 0 (the false LL101 it raised).
  const analysis = analyze(`m = keras.Sequential([
    keras.Input(shape=(8, 8, 3)),
    layers.Conv2D(8, 3, strides=2, dilation_rate=2),
    layers.Conv2D(8, 3),
    layers.Dense(units),
    layers.Dense(4),
])
`);
  const [model] = analysis.models;
  assert.deepEqual(rows(model), [
    "Input (None, 8, 8, 3) 0",
    "Conv2D (None, 2, 2, 8) 224 refused",
    "Conv2D - ?",
    "Dense - ?",
    "Dense - ?",
  ]);
  assert.deepEqual(codes(analysis), ["LL112"]);
  assert.equal(model.totals.total, undefined);
});

test("Sequential: a build error (LL101) stops the chain too; a later constructor error is still reported", () => {
  // 4 − 3 + 1 = 2, then 2 − 3 + 1 = 0: LL101. Dense(2, activaton=…) raises in its constructor whatever its input.
  const analysis = analyze(`m = keras.Sequential([
    keras.Input(shape=(4, 4, 3)),
    layers.Conv2D(8, 3),
    layers.Conv2D(8, 3),
    layers.MaxPooling2D(2),
    layers.Dense(2, activaton="relu"),
])
`);
  const [model] = analysis.models;
  assert.deepEqual(rows(model).slice(2), ["Conv2D (None, ?, ?, 8) 584 refused", "MaxPooling2D - 0", "Dense - ? refused"]);
  // The refused layer's own errors (height and width both 0), then the keyword; nothing from MaxPooling2D.
  assert.deepEqual(codes(analysis), ["LL101", "LL101", "LL109"]);
});

test("Sequential: a nested model after a refused layer gives no shape and no 'cannot be followed' message", () => {
  const analysis = analyze(`head = keras.Sequential([keras.Input(shape=(10,)), layers.Dense(3)])
m = keras.Sequential([
    keras.Input(shape=(8, 8, 3)),
    layers.Conv2D(8, 3, strides=2, dilation_rate=2),
    head,
    layers.Dense(2),
])
`);
  const model = analysis.models[1];
  assert.deepEqual(rows(model).slice(2), ["model - 33", "Dense - ?"]);
  assert.deepEqual(codes(analysis), ["LL112"]);
});

test("functional: the refused branch stops there, and so does a merge it reaches; the other branch is followed", () => {
  const analysis = analyze(`pixels = keras.Input(shape=(16, 16, 3))
a = layers.Conv2D(8, 3, strides=2, dilation_rate=2)(pixels)
b = layers.Conv2D(8, 11)(pixels)
merged = layers.Concatenate()([a, b])
out = layers.Conv2D(4, 7)(merged)
model = keras.Model(pixels, out)
`);
  const [model] = analysis.models;
  assert.deepEqual(rows(model), [
    "Input (None, 16, 16, 3) 0",
    "Conv2D (None, 6, 6, 8) 224 refused",
    "Conv2D (None, 6, 6, 8) 2912",
    "Concatenate - 0",
    "Conv2D - ?",
  ]);
  assert.deepEqual(codes(analysis), ["LL112"]);
});

test("functional: a merge Keras refuses passes nothing on", () => {
  // (None, 4) and (None, 6) cannot be added: LL125; the Dense after it has no input shape.
  const analysis = analyze(`a = keras.Input(shape=(4,))
b = keras.Input(shape=(6,))
s = layers.Add()([a, b])
out = layers.Dense(units)(s)
model = keras.Model([a, b], out)
`);
  const [model] = analysis.models;
  assert.deepEqual(rows(model).slice(2), ["Add - 0 refused", "Dense - ?"]);
  assert.deepEqual(codes(analysis), ["LL125"]);
});

test("functional: a model called after a refused layer does not start the chain again", () => {
  const analysis = analyze(`head = keras.Sequential([keras.Input(shape=(2, 2, 8)), layers.Flatten()])
x_in = keras.Input(shape=(8, 8, 3))
x = layers.Conv2D(8, 3, strides=2, dilation_rate=2)(x_in)
y = head(x)
z = layers.Dense(2)(y)
model = keras.Model(x_in, z)
`);
  const dense = analysis.calls.find((c) => c.element.type === "layer" && c.element.kind === "Dense" && c.input === undefined);
  assert.ok(dense, "the Dense after the model call has no input shape");
  assert.equal(dense.output, undefined);
  assert.deepEqual(codes(analysis), ["LL112"]);
});

test("a layer with an unknown argument after an unknown input adds no LL302 of its own", () => {
  // The unsupported layer says shapes are unknown from there (LL303); Dense(units) does not repeat it.
  const analysis = analyze(`m = keras.Sequential([
    keras.Input(shape=(4,)),
    layers.Foo(),
    layers.Dense(units),
])
`);
  assert.deepEqual(codes(analysis), ["LL303"]);
});

test("'try another input size' still re-runs a model with a refused layer, which a larger input may fix", () => {
  const [model] = analyze(`m = keras.Sequential([
    keras.Input(shape=(4, 4, 3)),
    layers.Conv2D(8, 3),
    layers.Conv2D(8, 3),
    layers.Dense(2),
])
`).models;
  assert.equal(model.layers[3].output, undefined);
  // 8 − 3 + 1 = 6, 6 − 3 + 1 = 4; Dense(2) per position: (8 + 1)·2 = 18.
  const bigger = withInput(model, [8, 8, 3]);
  assert.ok(bigger);
  assert.deepEqual(rows(bigger).slice(1), ["Conv2D (None, 6, 6, 8) 224", "Conv2D (None, 4, 4, 8) 584", "Dense (None, 4, 4, 2) 18"]);
  assert.equal(bigger.totals.total, 224n + 584n + 18n);
  // Still too small: the re-run stops at the refusal too.
  const same = withInput(model, [4, 4, 3]);
  assert.ok(same);
  assert.equal(same.layers[3].output, undefined);
});
