/// <reference types="mocha" />
// Inlay hints of the bundled example, as VS Code itself asks the extension for them.
import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import { EXTENSION_ID, REPO_ROOT, closeAllEditors, examplePath, hintsOnLine, lineOf, openFile } from "./helpers";

suite("inlay hints on examples/mnist_cnn.py", () => {
  let doc: vscode.TextDocument;
  let byLine: Map<number, string[]>;

  suiteSetup(async () => {
    doc = (await openFile(examplePath("mnist_cnn.py"))).document;
    // Conv2D(32, (3, 3)) on 28×28×1: 28 − 3 + 1 = 26; (3·3·1 + 1)·32 = 320 parameters.
    byLine = await hintsOnLine(doc, lineOf(doc, "layers.Conv2D(32"), ["(None, 26, 26, 32) · 320 params"]);
  });
  suiteTeardown(closeAllEditors);

  test("the extension under test is the one being developed, and it is active", () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded`);
    assert.equal(vscode.Uri.file(extension.extensionPath).fsPath, vscode.Uri.file(REPO_ROOT).fsPath);
    assert.ok(extension.isActive);
  });

  test("every layer of the MNIST model has its shape and parameters", () => {
    const expected: [string, string][] = [
      ["keras.Input(shape=input_shape)", "(None, 28, 28, 1)"],
      ["layers.Conv2D(32", "(None, 26, 26, 32) · 320 params"],
      // ⌊26 / 2⌋ = 13.
      ["layers.MaxPooling2D(pool_size=(2, 2)),\n        layers.Conv2D(64", "(None, 13, 13, 32)"],
      // 13 − 3 + 1 = 11; (3·3·32 + 1)·64 = 18,496.
      ["layers.Conv2D(64", "(None, 11, 11, 64) · 18,496 params"],
      // 5·5·64 = 1,600; (1,600 + 1)·10 = 16,010.
      ["layers.Flatten()", "(None, 1600)"],
      ["layers.Dropout(0.5)", "(None, 1600)"],
      ["layers.Dense(num_classes", "(None, 10) · 16,010 params"],
    ];
    for (const [needle, label] of expected) {
      assert.deepEqual(byLine.get(lineOf(doc, needle)), [label], needle);
    }
  });

  test("the model's line has its total: 320 + 18,496 + 16,010 = 34,826 params, 139,304 B", () => {
    // The total sits where the Sequential call ends: the `)` after the list.
    const closing = lineOf(doc, "    ]\n)") + 1;
    assert.deepEqual(byLine.get(closing), ["Total params: 34,826 (136.04 KB)"]);
  });

  test("lines outside any layer call get no hint", () => {
    for (const needle of ["import keras", "num_classes = 10", "input_shape = (28, 28, 1)"]) {
      assert.equal(byLine.get(lineOf(doc, needle)), undefined, needle);
    }
  });
});
