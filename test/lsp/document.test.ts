/**
 * A document's edits as the server applies them: an empty change (an editor may send one) leaves the
 * text as it is, so the tree and the analysis stay. Re-parsing with the tree's fragments all the same
 * was not harmless: on broken code Lezer may then recover differently than it did, and than a fresh
 * parse of the same text does.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { TextDocument } from "vscode-languageserver-textdocument";
import { LensDocument } from "../../server/src/lsp/document";

const text = "import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input((4,)), layers.Dense(2)])\n";
const at = (line: number, character: number) => ({ line, character });

test("an empty change keeps the analysis; a change of one character makes a new one", () => {
  const doc = new LensDocument(TextDocument.create("file:///empty_change.py", "python", 1, text));
  const before = doc.analyze();
  doc.update([{ range: { start: at(2, 4), end: at(2, 4) }, text: "" }], 2);
  assert.equal(doc.analyze(), before);
  assert.equal(doc.text.version, 2);
  doc.update([{ range: { start: at(2, 0), end: at(2, 0) }, text: "#" }], 3);
  assert.notEqual(doc.analyze(), before);
  assert.equal(doc.text.getText(), `${text.slice(0, text.indexOf("m = "))}#${text.slice(text.indexOf("m = "))}`);
});
