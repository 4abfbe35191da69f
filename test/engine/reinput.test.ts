/** Running a model's layers again on another input shape, and reading the shape the user types. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseShapeText, withInput } from "../../server/src/engine/reinput";
import { sequentialRaw, tup } from "./helpers";

test("the typed shape is one sample's, as for keras.Input(shape=…): brackets optional, None allowed", () => {
  assert.deepEqual(parseShapeText("(32, 32, 1)"), { shape: [32, 32, 1] });
  assert.deepEqual(parseShapeText("32,32,1"), { shape: [32, 32, 1] });
  assert.deepEqual(parseShapeText(" [None, 128] "), { shape: ["None", 128] });
  assert.deepEqual(parseShapeText("(10,)"), { shape: [10] });
  for (const bad of ["", "()", "(0, 3)", "(-1,)", "(2.5, 3)", "(x, 3)", "(3,,4)", "(2147483648,)"]) {
    assert.ok("error" in parseShapeText(bad), `accepted ${JSON.stringify(bad)}`);
  }
  // 2^31 − 1 is the largest accepted.
  assert.deepEqual(parseShapeText("(2147483647,)"), { shape: [2147483647] });
});

test("input_shape= on the first layer: replaced; trainable=False still freezes a layer", () => {
  const model = sequentialRaw([
    ["Dense", [4, { input_shape: tup(3) }]],
    ["Dense", [2, { trainable: false }]],
  ]);
  const rerun = withInput(model, [5])!;
  assert.deepEqual(rerun.input, ["None", 5]);
  // (5 + 1)·4 = 24 trainable; (4 + 1)·2 = 10 frozen.
  assert.deepEqual(rerun.layers.map((l) => [l.output, l.params]), [
    [["None", 4], 24n],
    [["None", 2], 10n],
  ]);
  assert.deepEqual(rerun.totals, { total: 34n, trainable: 24n, nonTrainable: 10n });
  // The original is untouched: (3 + 1)·4 = 16.
  assert.equal(model.layers[0].params, 16n);
});

test("a fixed batch size stays; problems on the new input come back as diagnostics on the layer", () => {
  const model = sequentialRaw([
    ["Input", [{ shape: tup(4, 4, 1), batch_size: 8 }]],
    ["Conv2D", [2, 3]],
  ]);
  const fits = withInput(model, [6, 6, 1])!;
  // 6 − 3 + 1 = 4; (3·3·1 + 1)·2 = 20.
  assert.deepEqual(fits.layers[1].output, [8, 4, 4, 2]);
  assert.equal(fits.totals.total, 20n);
  assert.deepEqual(fits.diagnostics, []);
  const tooSmall = withInput(model, [2, 2, 1])!;
  // 2 − 3 + 1 = 0 on both axes.
  assert.deepEqual(tooSmall.diagnostics.map((d) => d.code), ["LL101", "LL101"]);
  assert.match(tooSmall.diagnostics[0].message, /Conv2D would make the height 0: 2 − 3 \+ 1 = 0/);
});

test("a model that is not a chain of layers is not re-run: no number rather than a guess", () => {
  const model = sequentialRaw([
    ["Dense", [4, { input_shape: tup(3) }]],
    ["Dense", [4]],
  ]);
  const branch = { ...model, layers: [model.layers[0], { ...model.layers[1], input: [...model.layers[1].input!] }] };
  assert.equal(withInput(branch, [5]), undefined);
  assert.ok(withInput(model, [5]));
});
