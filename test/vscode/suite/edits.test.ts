/// <reference types="mocha" />
// Edits made through VS Code's WorkspaceEdit reach the server incrementally and
// the hints and diagnostics follow.
import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import { closeAllEditors, eventually, hintsOnLine, lineOf, openUntitled, replace } from "./helpers";

const MODEL = `import keras
from keras import layers

model = keras.Sequential([
    keras.Input(shape=(28, 28, 1)),
    layers.Conv2D(32, 3),
    layers.Flatten(),
])
`;

suite("edits through WorkspaceEdit", () => {
  let doc: vscode.TextDocument;
  setup(async () => {
    doc = (await openUntitled(MODEL)).document;
    // (3·3·1 + 1)·32 = 320; 26·26·32 = 21,632.
    await hintsOnLine(doc, lineOf(doc, "layers.Conv2D"), ["(None, 26, 26, 32) · 320 params"]);
  });
  teardown(closeAllEditors);

  test("more filters: (3·3·1 + 1)·64 = 640 params and Flatten 26·26·64 = 43,264", async () => {
    await replace(doc, "Conv2D(32, 3)", "Conv2D(64, 3)");
    const byLine = await hintsOnLine(doc, lineOf(doc, "layers.Conv2D"), ["(None, 26, 26, 64) · 640 params"]);
    assert.deepEqual(byLine.get(lineOf(doc, "layers.Flatten")), ["(None, 43264)"]);
  });

  test("a kernel larger than the input raises LL101, and undoing the edit clears it", async () => {
    await replace(doc, "Conv2D(32, 3)", "Conv2D(32, 30)");
    const codes = () => vscode.languages.getDiagnostics(doc.uri).map((d) => String(typeof d.code === "object" ? d.code.value : d.code));
    await eventually(codes, (found) => found.includes("LL101"), "LL101 after 28 − 30 + 1 = −1");
    await replace(doc, "Conv2D(32, 30)", "Conv2D(32, 3)");
    await eventually(codes, (found) => found.length === 0, "no diagnostics after the fix");
    await hintsOnLine(doc, lineOf(doc, "layers.Conv2D"), ["(None, 26, 26, 32) · 320 params"]);
  });

  test("a layer typed in the middle of the model updates the layers after it", async () => {
    await replace(doc, "    layers.Flatten(),", "    layers.MaxPooling2D(2),\n    layers.Flatten(),");
    // ⌊26 / 2⌋ = 13; 13·13·32 = 5,408.
    const byLine = await hintsOnLine(doc, lineOf(doc, "layers.Flatten"), ["(None, 5408)"]);
    assert.deepEqual(byLine.get(lineOf(doc, "layers.MaxPooling2D")), ["(None, 13, 13, 32)"]);
  });
});
