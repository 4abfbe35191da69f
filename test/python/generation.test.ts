/**
 * Which Keras generation a file shows (python/libraries/generation.ts), and how the incremental analysis
 * reads it: detected from the file's statements, overridden by `layerLens.kerasVersion`, and every kept
 * part analysed again when the generation changes. The modules that tell were checked against
 * keras/api/__init__.py, keras/api/layers/__init__.py and tf_keras/api/golden/v2/tensorflow.keras.pbtxt.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { Tree } from "@lezer/common";
import { analyzeProgram } from "../../server/src/engine/analyze";
import { documentHints } from "../../server/src/engine/report";
import { extractProgram } from "../../server/src/python/extract";
import { IncrementalProgram } from "../../server/src/python/incremental";
import { ParsedDocument, parsePython } from "../../server/src/python/parser";
import { treeGeneration } from "../../server/src/python/libraries/generation";
import { analyzeText } from "../../server/src/analysis";

const detected = (text: string) => treeGeneration(parsePython(text), text);

const SHOWN: [string, string, 2 | 3 | undefined][] = [
  ["import tf_keras", "import tf_keras as keras\n", 2],
  ["from tf_keras", "from tf_keras import layers\n", 2],
  ["from tf_keras.layers", "from tf_keras.layers import Dense, Conv2D\n", 2],
  ["TensorFlow's own copy", "from tensorflow.python.keras import layers\n", 2],
  ["the experimental preprocessing module", "from tensorflow.keras.layers.experimental import preprocessing\n", 2],
  ["an experimental path read through tf", "import tensorflow as tf\nr = tf.keras.layers.experimental.preprocessing.Rescaling(1 / 255)\n", 2],
  ["ThresholdedReLU imported", "from keras.layers import ThresholdedReLU\n", 2],
  ["LocallyConnected2D read through an alias", "from tensorflow.keras import layers as L\nx = L.LocallyConnected2D(8, 3)\n", 2],
  ["from keras import ops", "import keras\nfrom keras import ops\n", 3],
  ["keras.ops read", "import keras\ny = keras.ops.mean(x)\n", 3],
  ["keras.random through an alias", "import keras as K\nz = K.random.normal((2,))\n", 3],
  ["keras_core", "import keras_core as keras\n", 3],
  ["tf.keras.ops (Keras 3 from TensorFlow 2.16)", "import tensorflow as tf\ny = tf.keras.ops.sum(x)\n", 3],
  ["keras.config", "import keras\nkeras.config.set_image_data_format('channels_first')\n", 3],
  ["an import inside a function", "def f():\n    from keras import ops\n    return ops\n", 3],
  ["import keras alone", "import keras\nfrom keras import layers\n", undefined],
  ["from tensorflow import keras", "from tensorflow import keras\nm = keras.Sequential()\n", undefined],
  ["tf.keras alone", "import tensorflow as tf\nm = tf.keras.Sequential([tf.keras.layers.Dense(2)])\n", undefined],
  ["tf.random is TensorFlow's", "import tensorflow as tf\nz = tf.random.normal((2,))\n", undefined],
  ["both", "import tf_keras\nimport keras\ny = keras.ops.mean(x)\n", undefined],
  ["only comments and strings", "# keras.ops, import tf_keras\ns = 'keras.ops'\nimport keras\n", undefined],
  ["a name never imported", "keras = object()\nkeras.ops.mean(1)\n", undefined],
  ["a relative import", "from .keras import ops\n", undefined],
];

describe("the generation a file shows", () => {
  for (const [what, text, expected] of SHOWN) test(`${what}: ${expected ?? "not known"}`, () => assert.equal(detected(text), expected));
});

/** A file whose numbers depend on the generation: AveragePooling2D() pools by (2, 2) in tf.keras 2 only. */
const POOLED = `from tensorflow import keras
from tensorflow.keras import layers

model = keras.Sequential([
    keras.Input(shape=(28, 28, 3)),
    layers.AveragePooling2D(),
    layers.Flatten(),
    layers.Dense(10),
])
`;

function labels(analysis: ReturnType<typeof analyzeText>): string[] {
  return documentHints(analysis, { shapes: true, parameters: true, batchDimension: true, totals: true }).map((h) => h.candidates[0]);
}

describe("reading a file as a generation", () => {
  test("not known: the default pool is unknown, with a warning; 2: (2, 2); 3: the missing argument", () => {
    const unknown = analyzeText(POOLED);
    assert.ok(labels(unknown).includes("(None, ?, ?, 3)"));
    assert.deepEqual(unknown.diagnostics.map((d) => d.code), ["LL206"]);
    // ⌊(28 − 2) / 2⌋ + 1 = 14; Flatten 14·14·3 = 588; Dense 588·10 + 10 = 5,890.
    const two = analyzeText(POOLED, { kerasVersion: 2 });
    assert.ok(labels(two).includes("(None, 14, 14, 3)"));
    assert.ok(labels(two).includes("(None, 10) · 5,890 params"));
    assert.deepEqual(two.diagnostics, []);
    assert.deepEqual(analyzeText(POOLED, { kerasVersion: 3 }).diagnostics.map((d) => d.code), ["LL111"]);
  });

  test("an import of tf_keras reads the file as tf.keras 2 without a setting; the setting overrides it", () => {
    const text = `import tf_keras as keras\n${POOLED.split("\n").slice(1).join("\n").replace("from tensorflow.keras import layers", "from tf_keras import layers")}`;
    assert.ok(labels(analyzeText(text)).includes("(None, 14, 14, 3)"));
    assert.deepEqual(analyzeText(text, { kerasVersion: 3 }).diagnostics.map((d) => d.code), ["LL111"]);
  });

  test("an edit that changes what the file shows analyses every part again, as one run over the whole file would", () => {
    let text = `${POOLED}\nother = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(2)])\n`;
    const doc = new ParsedDocument(text);
    const program = new IncrementalProgram();
    const before = program.analyze(doc.tree, text);
    assert.ok(labels(before).includes("(None, ?, ?, 3)"));
    // Insert an import of tf_keras at the top: the model above is read as tf.keras 2 now.
    const insert = "import tf_keras\n";
    text = insert + text;
    doc.update(text, [{ from: 0, to: 0, insertedLength: insert.length }]);
    program.edited([{ from: 0, to: 0, insertedLength: insert.length }]);
    const after = program.analyze(doc.tree, text);
    assert.equal(program.lastRun.ran, program.lastRun.parts, "every part runs again");
    assert.ok(labels(after).includes("(None, 14, 14, 3)"));
    assert.deepEqual(labels(after).sort(), labels(oracle(doc.tree, text)).sort());
    // And back: the import deleted, the parts of the first reading are not taken for this one.
    text = text.slice(insert.length);
    doc.update(text, [{ from: 0, to: insert.length, insertedLength: 0 }]);
    program.edited([{ from: 0, to: insert.length, insertedLength: 0 }]);
    assert.deepEqual(labels(program.analyze(doc.tree, text)), labels(before));
  });

  test("setKerasVersion: the next analysis reads the file as the setting says; the same setting again changes nothing", () => {
    const doc = new ParsedDocument(POOLED);
    const program = new IncrementalProgram();
    assert.ok(labels(program.analyze(doc.tree, POOLED)).includes("(None, ?, ?, 3)"));
    assert.equal(program.setKerasVersion(2), true);
    assert.ok(labels(program.analyze(doc.tree, POOLED)).includes("(None, 14, 14, 3)"));
    assert.equal(program.setKerasVersion(2), false);
    program.analyze(doc.tree, POOLED);
    assert.equal(program.lastRun.ran, 0, "nothing to run again");
    assert.equal(program.setKerasVersion("auto"), true);
    assert.ok(labels(program.analyze(doc.tree, POOLED)).includes("(None, ?, ?, 3)"));
  });
});

function oracle(tree: Tree, text: string) {
  const keras = treeGeneration(tree, text);
  return analyzeProgram(keras ? { ...extractProgram(tree, text), keras } : extractProgram(tree, text));
}
