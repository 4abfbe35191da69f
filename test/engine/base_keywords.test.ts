/**
 * The keywords of Keras 3's base `Layer.__init__` (keras/src/layers/layer.py): `activity_regularizer`,
 * `trainable`, `dtype`, `autocast`, `name`, and the legacy `input_dim` / `input_shape` it pops from
 * `**kwargs` for Sequential, which makes an InputLayer of the first layer's
 * (keras/src/models/sequential.py `add`). A layer whose own signature declares a parameter of one of
 * these names keeps it for itself: `Embedding(input_dim=1000, …)` is a vocabulary of 1,000, not an
 * input of width 1,000. The table below is every registered spec with such a parameter, so a layer
 * added later is checked without touching this file.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { BASE_KEYWORDS, baseKeywords, bindArguments } from "../../server/src/engine/bind";
import { allLayers } from "../../server/src/engine/layers/registry";
import { PyValue } from "../../server/src/engine/values";
import { argsIR, sequentialRaw, tup } from "./helpers";

const N = "None";

/** Every spec with parameters whose names are also base-layer keywords; Input and InputLayer bind none. */
const collisions = allLayers()
  .filter((spec) => !spec.isInput)
  .map((spec) => ({ spec, params: spec.params.filter((p) => BASE_KEYWORDS.includes(p.name)).map((p) => p.name) }))
  .filter((c) => c.params.length > 0);

test("the registry has layers whose own parameters are named like base keywords (Embedding's input_dim among them)", () => {
  assert.ok(collisions.some((c) => c.spec.name === "Embedding" && c.params.includes("input_dim")));
});

for (const { spec, params } of collisions) {
  test(`${spec.name}(${params.map((p) => `${p}=…`).join(", ")}) binds its own parameters, not base keywords`, () => {
    for (const param of params) {
      // A value no base keyword would take as it is: it must reach the layer's own parameter.
      const sentinel: PyValue = param === "input_dim" ? 1000 : param === "name" ? "own_name" : param === "trainable" ? false : "own";
      const binding = bindArguments(spec, argsIR([{ [param]: sentinel }]), undefined, 3);
      assert.equal(binding.base.has(param), false, `${param} is not a base keyword here`);
      assert.equal(binding.args.raw(param), sentinel, `${param} is the layer's own parameter`);
      assert.ok(!baseKeywords(spec, 3).includes(param));
      assert.ok(!binding.problems.some((p) => p.id === "unknownKeyword" && p.argument === param));
      if (spec.multiInput) continue;
      // First in a Sequential: no InputLayer from the layer's own parameter…
      assert.equal(sequentialRaw([[spec.name, [{ [param]: sentinel }]]]).input, undefined, `no input from ${param}`);
      // …but the legacy input_shape beside it (when that is a base keyword for this layer) counts.
      if (baseKeywords(spec, 3).includes("input_shape")) {
        assert.deepEqual(sequentialRaw([[spec.name, [{ [param]: sentinel, input_shape: tup(12) }]]]).input, [N, 12], `${param} with input_shape`);
      }
    }
  });
}

test("issue 23: Embedding(input_dim=1000, output_dim=8, input_shape=(12,)) first in a Sequential gives (None, 12, 8)", () => {
  // InputLayer(shape=(12,)) → (None, 12); Embedding appends output_dim: (None, 12, 8); 1000·8 = 8,000 weights
  // (tfjs-layers agrees: embedding({inputDim: 1000, outputDim: 8, inputShape: [12]}) → [null, 12, 8], 8,000).
  const model = sequentialRaw([
    ["Embedding", [{ input_dim: 1000, output_dim: 8, input_shape: tup(12) }]],
    ["Flatten", []],
    ["Dense", [1]],
  ]);
  assert.deepEqual(model.input, [N, 12]);
  assert.deepEqual(model.layers.map((l) => l.output), [[N, 12, 8], [N, 96], [N, 1]]);
  // 96 + 1 = 97 for the Dense.
  assert.equal(model.totals.total, 8000n + 97n);
  assert.deepEqual(model.diagnostics, []);
});

test("a base input_dim that is not None wins over input_shape, which Keras then leaves in **kwargs (an error)", () => {
  // Layer.__init__: input_dim popped; input_shape popped only when input_dim is None; leftovers raise
  // 'Unrecognized keyword arguments passed to Dense: {'input_shape': (4,)}'.
  const both = sequentialRaw([["Dense", [10, { input_dim: 4, input_shape: tup(4) }]]]);
  assert.deepEqual(both.input, [N, 4]);
  assert.deepEqual(both.diagnostics.map((d) => d.code), ["LL109"]);
  assert.match(both.diagnostics[0].message, /Dense has no argument 'input_shape'/);
  // input_dim=None: input_shape is read.
  const none = sequentialRaw([["Dense", [10, { input_dim: null, input_shape: tup(6) }]]]);
  assert.deepEqual(none.input, [N, 6]);
  assert.deepEqual(none.layers[0].output, [N, 10]);
  assert.deepEqual(none.diagnostics, []);
  // input_shape=None alone: no InputLayer, nothing known.
  assert.equal(sequentialRaw([["Dense", [10, { input_shape: null }]]]).input, undefined);
});

test("Keras 3 honours no batch_input_shape, batch_size or weights on a layer: Unrecognized keyword arguments", () => {
  for (const keyword of ["batch_input_shape", "batch_size"]) {
    const model = sequentialRaw([["Dense", [10, { [keyword]: tup(null, 4) }]]]);
    assert.equal(model.input, undefined, keyword);
    assert.deepEqual(model.diagnostics.filter((d) => d.code !== "LL302").map((d) => d.code), ["LL109"], keyword);
  }
  // Embedding and Bidirectional declare a `weights` parameter of their own; Dense does not.
  assert.ok(bindArguments(allLayers().find((s) => s.name === "Dense")!, argsIR([{ weights: null }]), undefined, 3).problems.some((p) => p.id === "unknownKeyword"));
});

// Constructors without **kwargs (SpatialDropout: `(rate, [data_format,] seed, name, dtype)`, spatial_dropout.py;
// TensorFlow functions) take no base keyword they do not declare: each is a TypeError, and none declares an input.
for (const spec of allLayers().filter((s) => s.closedKeywords)) {
  test(`${spec.name} has no **kwargs: undeclared base keywords are unknown keywords and declare no input`, () => {
    assert.deepEqual(baseKeywords(spec, 3), []);
    for (const keyword of BASE_KEYWORDS.filter((k) => !spec.params.some((p) => p.name === k))) {
      const binding = bindArguments(spec, argsIR([{ [keyword]: keyword === "input_shape" ? tup(8, 8, 16) : 4 }]), undefined, 3);
      assert.ok(binding.problems.some((p) => p.id === "unknownKeyword" && p.argument === keyword), keyword);
      if (!spec.multiInput) assert.equal(sequentialRaw([[spec.name, [0.2, { [keyword]: keyword === "input_shape" ? tup(8, 8, 16) : 4 }]]]).input, undefined, keyword);
    }
  });
}
