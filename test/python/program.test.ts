/**
 * The front end as an interpreter, through `analyzeText`: what it follows by identity
 * (tensors, layer instances, models, helpers, user classes) and the bounds that keep
 * pathological files from hanging it. Expected numbers are worked out by hand.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { analyzeText } from "../../server/src/analysis";
import { ModelAnalysis, summaryLayers } from "../../server/src/engine/analyze";
import { summaryRows } from "../../server/src/engine/report";
import { formatShape } from "../../server/src/engine/shape";
import { LIMITS } from "../../server/src/python/extract";
import { DOCUMENT_STEPS } from "../../server/src/python/incremental";

const PRELUDE = "import keras\nfrom keras import layers\n";

function modelNamed(src: string, name: string): ModelAnalysis {
  const found = analyzeText(PRELUDE + src).models.find((m) => m.model.name === name);
  assert.ok(found, `no model ${name}`);
  return found;
}

/** `Layer (output) params` for each layer of a model. */
function rows(model: ModelAnalysis): string[] {
  return model.layers.map((l) => {
    const name = l.element.type === "layer" ? l.element.kind : l.element.text;
    return `${name} ${l.output ? formatShape(l.output) : "?"} ${l.sharedWith ? "shared" : l.params === undefined ? "?" : l.params}`;
  });
}

describe("functional models", () => {
  test("keyword, positional and dict forms give the same model; each layer instance counts once", () => {
    const body = "a = keras.Input(shape=(4,))\nd = layers.Dense(2)\nx = d(a)\ny = d(x)\n";
    for (const make of ["keras.Model(a, y)", "keras.Model(inputs=a, outputs=y)", "keras.Model(inputs={'a': a}, outputs={'y': y})", "keras.models.Model([a], [y])"]) {
      const model = modelNamed(`${body}m = ${make}\n`, "m");
      // Dense(2) on 4 features: 4·2 + 2 = 10. Called again on its own 2-wide output Keras would refuse
      // (the kernel is 4×2); the shape follows the spec, the weights are the first call's.
      assert.deepEqual(rows(model), ["Input (None, 4) 0", "Dense (None, 2) 10", "Dense (None, 2) shared"], make);
      assert.equal(model.totals.total, 10n, make);
    }
  });

  test("a layer outside the path from the inputs to the outputs is not counted", () => {
    const model = modelNamed("a = keras.Input(shape=(3,))\nside = layers.Dense(100)(a)\nout = layers.Dense(1)(a)\nm = keras.Model(a, out)\n", "m");
    assert.equal(model.totals.total, 4n); // 3·1 + 1
  });

  test("a function not followed keeps the layers before it in the model, and makes the total unknown", () => {
    const src = "import foo\na = keras.Input(shape=(3,))\nh = layers.Dense(4)(a)\nout = layers.Dense(1)(foo.transform(h))\nm = keras.Model(a, out)\n";
    const model = modelNamed(src, "m");
    // Dense(4) on 3 features: 3·4 + 4 = 16, counted; the Dense(1) after the unknown call cannot be sized.
    assert.deepEqual(rows(model), ["Input (None, 3) 0", "Dense (None, 4) 16", "foo.transform ? ?", "Dense ? ?"]);
    assert.equal(model.totals.total, undefined);
    assert.equal(model.totals.known, 16n);
    assert.match(model.totals.unknownBecause ?? "", /foo\.transform/);
    assert.ok(model.diagnostics.some((d) => d.code === "LL302" && /`foo\.transform` is not something Layer Lens follows/.test(d.message)));
    // Outside a model, an unknown call on a tensor is worth no message.
    const loose = analyzeText(PRELUDE + "import foo\na = keras.Input(shape=(3,))\nout = foo.transform(a)\n");
    assert.equal(loose.diagnostics.filter((d) => d.code === "LL302").length, 0);
  });
});

describe("helpers, loops and their bounds", () => {
  test("a recursive helper stops at the depth limit with an unknown value, never a number", () => {
    const src = "def grow(x, n):\n    x = layers.Dense(2)(x)\n    return grow(x, n + 1)\na = keras.Input(shape=(2,))\nm = keras.Model(a, grow(a, 0))\n";
    const model = modelNamed(src, "m");
    assert.equal(model.totals.total, undefined);
    const calls = analyzeText(PRELUDE + src).calls.filter((c) => c.element.type === "layer" && c.element.kind === "Dense");
    assert.equal(calls.length, LIMITS.callDepth);
  });

  test("a loop over more items than the limit is not unrolled: what it adds is unknown", () => {
    const src = `m = keras.Sequential([keras.Input(shape=(2,))])\nfor i in range(${LIMITS.iterations + 1}):\n    m.add(layers.Dense(2))\n`;
    const model = modelNamed(src, "m");
    assert.equal(model.totals.total, undefined);
    assert.deepEqual(rows(model).slice(1), ["a layer added inside a loop ? ?"]);
  });

  test("nested loops that exceed the statement budget leave the model's total unknown, not partial", () => {
    const src = `m = keras.Sequential([keras.Input(shape=(2,))])\nfor i in range(${LIMITS.iterations}):\n    for j in range(${LIMITS.iterations}):\n        m.add(layers.Dense(2))\n`;
    const started = Date.now();
    const model = modelNamed(src, "m");
    assert.equal(model.totals.total, undefined);
    assert.ok(model.layers.length < LIMITS.steps, `${model.layers.length} layers`);
    assert.ok(Date.now() - started < 60_000);
  });

  test("independent parts of a file share one budget: after it, the rest of the file is not followed", () => {
    // Each loop is its own part and runs LIMITS.steps statements before its own budget stops it.
    const loops = Math.ceil(DOCUMENT_STEPS / LIMITS.steps) + 1;
    const loop = `for i in range(${LIMITS.iterations}):\n    for j in range(${LIMITS.iterations}):\n        k = j\n`;
    const early = "early = keras.Sequential([keras.Input(shape=(2,)), layers.Dense(3)])\n";
    const late = "late = keras.Sequential([keras.Input(shape=(2,)), layers.Dense(3)])\n";
    const started = Date.now();
    const models = analyzeText(PRELUDE + early + loop.repeat(loops) + late).models;
    // Dense(3) on 2 features: (2 + 1)·3 = 9.
    assert.equal(models.find((m) => m.model.name === "early")?.totals.total, 9n);
    assert.equal(models.find((m) => m.model.name === "late"), undefined);
    assert.ok(Date.now() - started < 60_000);
  });

  test("a loop with break is not unrolled", () => {
    const model = modelNamed("m = keras.Sequential([keras.Input(shape=(2,))])\nfor i in range(3):\n    m.add(layers.Dense(2))\n    break\n", "m");
    assert.equal(model.totals.total, undefined);
  });

  test("a helper returning from a branch it may skip returns an unknown value", () => {
    const src = "import sys\ndef f(x):\n    if sys.argv:\n        return layers.Dense(2)(x)\n    return x\na = keras.Input(shape=(3,))\nm = keras.Model(a, f(a))\n";
    assert.equal(modelNamed(src, "m").totals.total, undefined);
  });

  test("keyword arguments, defaults, *args and **kwargs of helpers", () => {
    const src =
      "def block(x, *sizes, scale=1, **extra):\n    for s in sizes:\n        x = layers.Dense(s * scale, **extra)(x)\n    return x\n" +
      "a = keras.Input(shape=(2,))\nm = keras.Model(a, block(a, 3, 4, scale=2, use_bias=False))\n";
    // Dense(6, use_bias=False) on 2: 12; Dense(8, use_bias=False) on 6: 48.
    assert.deepEqual(rows(modelNamed(src, "m")).slice(1), ["Dense (None, 6) 12", "Dense (None, 8) 48"]);
  });
});

describe("subclassed models and custom layers", () => {
  test("a model built twice with different arguments gives two models, each with its own numbers", () => {
    const src =
      "class Head(keras.Model):\n    def __init__(self, units):\n        super().__init__()\n        self.d = layers.Dense(units)\n    def call(self, x):\n        return self.d(x)\n" +
      "small = Head(2)\nsmall.build((None, 3))\nbig = Head(5)\nbig.build((None, 3))\n";
    assert.equal(modelNamed(src, "small").totals.total, 8n); // 3·2 + 2
    assert.equal(modelNamed(src, "big").totals.total, 20n); // 3·5 + 5
  });

  test("a subclass of a user's model class inherits its methods", () => {
    const src =
      "class Base(keras.Model):\n    def call(self, x):\n        return self.d(x)\n" +
      "class Child(Base):\n    def __init__(self):\n        super().__init__()\n        self.d = layers.Dense(4)\n" +
      "c = Child()\nc.build((None, 2))\n";
    assert.equal(modelNamed(src, "c").totals.total, 12n); // 2·4 + 4
  });
});

describe("tensor arithmetic", () => {
  const shapes = (src: string) =>
    analyzeText(PRELUDE + src)
      .calls.filter((c) => c.element.type === "layer" && ["add", "subtract", "multiply", "divide"].includes(c.element.kind))
      .map((c) => (c.output ? formatShape(c.output) : "?"));

  test("broadcasts as NumPy does: aligned from the right, 1 stretches, a missing axis is 1", () => {
    assert.deepEqual(shapes("a = keras.Input(shape=(200, 32))\nb = keras.Input(shape=(32,), batch_size=1)\nc = a + b\nd = a * a\ne = b - a\nf = a / 2\n"), [
      "(None, 200, 32)",
      "(None, 200, 32)",
      "(None, 200, 32)",
    ]);
  });

  test("shapes that do not broadcast are an error naming both, and the result is unknown", () => {
    const analysis = analyzeText(PRELUDE + "a = keras.Input(shape=(4, 3))\nb = keras.Input(shape=(5, 2))\nc = a + b\n");
    const problem = analysis.diagnostics.find((d) => d.code === "LL125");
    assert.ok(problem);
    assert.match(problem.message, /\(None, 4, 3\) and \(None, 5, 2\)/);
    assert.deepEqual(shapes("a = keras.Input(shape=(4, 3))\nb = keras.Input(shape=(5, 2))\nc = a + b\n"), ["?"]);
  });
});

describe("another input size for a functional chain", () => {
  test("a shared layer called twice in the chain counts its weights once", async () => {
    const { withInput } = await import("../../server/src/engine/reinput");
    const model = modelNamed("a = keras.Input(shape=(4,))\nd = layers.Dense(4)\nm = keras.Model(a, d(d(a)))\n", "m");
    assert.equal(model.totals.total, 20n); // 4·4 + 4
    const rerun = withInput(model, [4]);
    assert.ok(rerun);
    assert.equal(rerun.totals.total, 20n);
  });
});

describe("custom layers as Keras lists them", () => {
  const src = [
    "from keras import ops",
    "class TokenAndPosition(layers.Layer):",
    "    def __init__(self, maxlen, vocab, dim):",
    "        super().__init__()",
    "        self.token = layers.Embedding(vocab, dim)",
    "        self.position = layers.Embedding(maxlen, dim)",
    "    def call(self, x):",
    "        positions = ops.arange(0, ops.shape(x)[-1], 1)",
    "        return self.token(x) + self.position(positions)",
    "class Scale(layers.Layer):",
    "    def build(self, input_shape):",
    "        self.w = self.add_weight(shape=(input_shape[-1],), initializer='ones')",
    "        self.frozen = self.add_weight(shape=(2,), trainable=False)",
    "    def call(self, x):",
    "        return x * self.w + ops.sum(self.frozen)",
    "class Bias(layers.Layer):",
    "    def __init__(self, units):",
    "        super().__init__()",
    "        self.b = self.add_weight(shape=(units,))",
    "    def call(self, x):",
    "        return x + self.b",
    "inputs = keras.Input(shape=(20,))",
    "shared = Bias(16)",
    "x = TokenAndPosition(20, 1000, 16)(inputs)",
    "x = Scale()(x)",
    "x = shared(x)",
    "x = shared(x)",
    "m = keras.Model(inputs, x)",
    "",
  ].join("\n");

  test("each custom layer call is one row with the weights it made, its own and its sub-layers'", () => {
    const model = modelNamed(src, "m");
    // Embeddings 1,000·16 = 16,000 and 20·16 = 320; Scale's w is 16 (build sees (None, 20, 16)) and its frozen
    // pair 2; Bias's b 16, made in __init__, counted at its first call, the second call shared.
    assert.deepEqual(
      summaryRows(model).map((r) => `${r.layer} ${r.outputShape} ${r.params}`),
      ["TokenAndPosition (None, 20, 16) 16,320", "Scale (None, 20, 16) 18", "Bias (None, 20, 16) 16"],
    );
    // Every call, as the CLI's JSON lists them: the second call of `shared` is marked, not counted again.
    assert.deepEqual(
      summaryLayers(model, true).filter((l) => !l.spec?.isInput).map((l) => (l.sharedWith ? "shared" : String(l.params))),
      ["16320", "18", "16", "shared"],
    );
    assert.equal(model.totals.total, 16_354n);
    assert.equal(model.totals.nonTrainable, 2n);
  });

  test("a nested model called twice (a siamese tower) is one row, its weights counted once", () => {
    const siamese = [
      "tower = keras.Sequential([layers.Input((8,)), layers.Dense(4)], name='tower')",
      "a = keras.Input(shape=(8,))",
      "b = keras.Input(shape=(8,))",
      "d = layers.Subtract()([tower(a), tower(b)])",
      "m = keras.Model([a, b], layers.Dense(1)(d))",
      "",
    ].join("\n");
    const model = modelNamed(siamese, "m");
    // The tower: 8·4 + 4 = 36, once; the head (4 + 1)·1 = 5.
    assert.deepEqual(summaryRows(model).map((r) => `${r.layer} ${r.params}`), ["tower 36", "Subtract 0", "Dense 5"]);
    assert.equal(model.totals.total, 41n);
  });

  test("a weight made by add_weight and never used by call makes the total unknown, never short", () => {
    const unused = [
      "from keras import ops",
      "class Proj(layers.Layer):",
      "    def build(self, input_shape):",
      "        self.kernel = self.add_weight(shape=(input_shape[-1], 3))",
      "        self.spare = self.add_weight(shape=(7,))",
      "    def call(self, x):",
      "        return ops.matmul(x, self.kernel)",
      "a = keras.Input(shape=(5,))",
      "m = keras.Model(a, Proj()(a))",
      "",
    ].join("\n");
    const model = modelNamed(unused, "m");
    assert.equal(model.totals.total, undefined);
    assert.match(model.totals.unknownBecause ?? "", /Proj/);
  });
});


describe("freezing", () => {
  test("layer.trainable = False and model.trainable = False make their weights non-trainable, as the summary counts them", () => {
    const src = [
      "encoder = keras.Sequential([layers.Input((8,)), layers.Dense(4)], name='encoder')",
      "encoder.trainable = False",
      "inp = keras.Input(shape=(8,))",
      "head = layers.Dense(2)",
      "out = head(encoder(inp))",
      "clf = keras.Model(inp, out)",
      "emb = layers.Embedding(10, 3)",
      "seq = keras.Sequential([layers.Input((5,)), emb, layers.Flatten(), layers.Dense(1)])",
      "emb.trainable = False",
      "",
    ].join("\n");
    // The encoder's Dense 8·4 + 4 = 36, all frozen.
    const encoder = modelNamed(src, "encoder").totals;
    assert.deepEqual([encoder.total, encoder.trainable, encoder.nonTrainable], [36n, 0n, 36n]);
    // Used as a layer it stays frozen; the head (4·2 + 2 = 10) trains.
    const clf = modelNamed(src, "clf").totals;
    assert.deepEqual([clf.total, clf.trainable, clf.nonTrainable], [46n, 10n, 36n]);
    // The embedding 10·3 = 30 frozen; Dense (15 + 1)·1 = 16 trains.
    const seq = modelNamed(src, "seq").totals;
    assert.deepEqual([seq.total, seq.trainable, seq.nonTrainable], [46n, 16n, 30n]);
  });
});
