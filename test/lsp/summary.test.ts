/**
 * The model summary request (status bar, summary view) on a long file: the status bar asks for
 * it at every cursor move, so it analyses the file only as far as the cursor when that suffices,
 * and answers exactly what an analysis of the whole file answers.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { TextDocument } from "vscode-languageserver-textdocument";
import { LensDocument } from "../../server/src/lsp/document";
import { summaryRequest } from "../../server/src/lsp/summary";
// @ts-expect-error: a plain ES module without types (the benchmark's generator of realistic files).
import { generateKerasFile } from "../../scripts/bench-corpus.mjs";

const uri = "file:///summary_long.py";
const text: string = generateKerasFile(3000, 8);
const open = () => new LensDocument(TextDocument.create(uri, "python", 1, text));

/** The position a few characters into the line after the `nth` Sequential list's opening (a layer of that model). */
function insideSequential(nth: number) {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf("keras.Sequential([", at + 1);
  assert.ok(at > 0, "the generated file has that many Sequential lists");
  return TextDocument.create(uri, "python", 1, text).positionAt(text.indexOf("\n", at) + 5);
}

test("a summary for the cursor analyses the file only as far as the cursor, and equals the whole file's answer", () => {
  const position = insideSequential(3);
  const doc = open();
  const fromCursor = summaryRequest(doc, { textDocument: { uri }, position });
  assert.equal(doc.analysedCompletely, false, "the whole file was analysed");
  const analysed = open();
  analysed.analyze();
  const fromWhole = summaryRequest(analysed, { textDocument: { uri }, position });
  assert.ok(fromWhole && fromWhole.rows.length > 1, "the cursor is in a model");
  assert.deepEqual(fromCursor, fromWhole);
  // Its index names the same model once the whole file is analysed.
  assert.deepEqual(summaryRequest(analysed, { textDocument: { uri }, model: fromCursor?.model }), fromWhole);
});

test("outside every model after two of them: no summary, and the rest of the file is not analysed for it", () => {
  const at = text.indexOf("# Model 4:");
  const doc = open();
  const position = TextDocument.create(uri, "python", 1, text).positionAt(at);
  assert.equal(summaryRequest(doc, { textDocument: { uri }, position }), null);
  assert.equal(doc.analysedCompletely, false, "the whole file was analysed");
});

test("a file with one model: its summary wherever the cursor is", () => {
  const single = "import keras\nfrom keras import layers\n\nmodel = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(2)])\n\nprint('done')\n";
  const doc = new LensDocument(TextDocument.create("file:///single.py", "python", 1, single));
  for (const line of [0, 5]) {
    const result = summaryRequest(doc, { textDocument: { uri: "file:///single.py" }, position: { line, character: 0 } });
    // (4 + 1)·2 = 10.
    assert.equal(result?.total.count, "10", `line ${line}`);
  }
});

test("a backbone's row lists its own layers, by Keras's names, only when the request expands it", async () => {
  const { readFileSync } = await import("node:fs");
  const { join } = await import("node:path");
  const { ROOT } = await import("./client");
  const source = readFileSync(join(ROOT, "test", "fixtures", "backbones_transfer.py"), "utf8");
  const doc = new LensDocument(TextDocument.create("file:///transfer.py", "python", 1, source));
  const position = doc.text.positionAt(source.indexOf("tf.keras.Model(inputs, outputs)"));
  const collapsed = summaryRequest(doc, { textDocument: { uri: doc.uri }, position })!;
  const at = collapsed.rows.findIndex((r) => r.layer === "mobilenetv2_1.00_160");
  const backbone = collapsed.rows[at];
  // The augmentation Sequential before it is a nested model too: RandomFlip and RandomRotation.
  assert.equal(collapsed.rows.find((r) => r.layer === "data_augmentation")?.nested, 2);
  // TensorFlow's transfer-learning tutorial: "Number of layers in the base model: 154", its InputLayer one of them.
  assert.equal(backbone.nested, 153);
  assert.equal(backbone.rows, undefined, "sent collapsed");
  assert.ok(collapsed.rows.every((r) => r.rows === undefined));

  const expanded = summaryRequest(doc, { textDocument: { uri: doc.uri }, position, expand: [at] })!;
  const rows = expanded.rows[at].rows!;
  assert.equal(rows.length, 153);
  assert.deepEqual(expanded.rows.map(({ rows: _, ...r }) => r), collapsed.rows.map(({ rows: _, ...r }) => r), "the outer rows unchanged");
  // Conv1 halves 160 to 80 with 32 filters of 3·3·3 and no bias: 864 weights.
  assert.deepEqual([rows[0].layer, rows[0].outputShape, rows[0].params], ["Conv1 (Conv2D)", "(None, 80, 80, 32)", "864"]);
  assert.equal(rows[0].name, undefined, "the layer cell names it already");
  // The last, out_relu: 160 halved five times is 5, at 1,280 channels.
  assert.deepEqual([rows.at(-1)!.layer, rows.at(-1)!.outputShape, rows.at(-1)!.params], ["out_relu (ReLU)", "(None, 5, 5, 1280)", "0"]);
  // Keras's published count of MobileNetV2 without its top, over its layers.
  const sum = rows.reduce((acc, r) => acc + BigInt(r.params.replace(/,/g, "")), 0n);
  assert.equal(sum, 2_257_984n);
  assert.ok(JSON.stringify(collapsed).length < 10_000, "the collapsed summary stays small");
});
