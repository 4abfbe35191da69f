/// <reference types="mocha" />
// The bundled notebook, opened with VS Code's own Jupyter support: the model
// cell's hints come from the imports and constants of the cells above it, and
// follow an edit there.
import * as assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as vscode from "vscode";
import { closeAllEditors, eventually, examplePath, hintsByLine, hintsOnLine, lineOf, replace } from "./helpers";

suite("notebooks: examples/mnist_cnn.ipynb", () => {
  let notebook: vscode.NotebookDocument;
  let constantsText: string;
  let folder: string;

  /** The code cell whose text contains `needle`. */
  function cell(needle: string): vscode.TextDocument {
    const found = notebook.getCells().find((c) => c.kind === vscode.NotebookCellKind.Code && c.document.getText().includes(needle));
    assert.ok(found, `no code cell with ${JSON.stringify(needle)}`);
    return found.document;
  }

  suiteSetup(async () => {
    // A copy: the tests edit the notebook, and the example must stay as it is whatever VS Code does with an edited notebook.
    folder = mkdtempSync(join(tmpdir(), "layer-lens-notebook-"));
    const copy = join(folder, "mnist_cnn.ipynb");
    copyFileSync(examplePath("mnist_cnn.ipynb"), copy);
    notebook = await vscode.workspace.openNotebookDocument(vscode.Uri.file(copy));
    await vscode.window.showNotebookDocument(notebook);
    constantsText = cell("num_classes = 10").getText();
  });
  // The notebook stays open between tests: each test's edit of the constants is undone.
  teardown(async () => {
    const constants = cell("num_classes");
    const edit = new vscode.WorkspaceEdit();
    edit.replace(constants.uri, new vscode.Range(0, 0, constants.lineCount, 0), constantsText);
    assert.ok(await vscode.workspace.applyEdit(edit));
  });
  suiteTeardown(async () => {
    await closeAllEditors();
    rmSync(folder, { recursive: true, force: true });
  });

  test("the model cell shows every layer's shape and parameters, from the constants of an earlier cell", async () => {
    const model = cell("keras.Sequential(");
    assert.equal(model.uri.scheme, "vscode-notebook-cell");
    // Conv2D(32, (3, 3)) on input_shape = (28, 28, 1) from the constants cell: 26; (3·3·1 + 1)·32 = 320.
    const byLine = await hintsOnLine(model, lineOf(model, "layers.Conv2D(32"), ["(None, 26, 26, 32) · 320 params"]);
    const expected: [string, string][] = [
      ["keras.Input(shape=input_shape)", "(None, 28, 28, 1)"],
      // ⌊26 / 2⌋ = 13; 13 − 3 + 1 = 11 and (3·3·32 + 1)·64 = 18,496; ⌊11 / 2⌋ = 5.
      ["layers.Conv2D(64", "(None, 11, 11, 64) · 18,496 params"],
      // 5·5·64 = 1,600; num_classes = 10 from the constants cell: (1,600 + 1)·10 = 16,010.
      ["layers.Flatten()", "(None, 1600)"],
      ["layers.Dense(num_classes", "(None, 10) · 16,010 params"],
    ];
    for (const [needle, label] of expected) assert.deepEqual(byLine.get(lineOf(model, needle)), [label], needle);
    // 320 + 18,496 + 16,010 = 34,826 params, 139,304 B; on the last line, the model's closing `)`.
    assert.deepEqual(byLine.get(model.lineCount - 1), ["Total params: 34,826 (136.04 KB)"]);
    // The imports cell (with its %matplotlib line) and the constants cell have no layer calls.
    assert.deepEqual([...(await hintsByLine(cell("import keras")))], []);
    assert.deepEqual([...(await hintsByLine(cell("num_classes = 10")))], []);
  });

  test("editing the constants cell updates the model cell", async () => {
    const model = cell("keras.Sequential(");
    await hintsOnLine(model, lineOf(model, "layers.Conv2D(32"), ["(None, 26, 26, 32) · 320 params"]);
    await replace(cell("num_classes = 10"), "(28, 28, 1)", "(32, 32, 1)");
    // 32 − 3 + 1 = 30; ⌊30 / 2⌋ = 15; 15 − 3 + 1 = 13; ⌊13 / 2⌋ = 6; 6·6·64 = 2,304; (2,304 + 1)·10 = 23,050.
    const byLine = await hintsOnLine(model, lineOf(model, "layers.Dense(num_classes"), ["(None, 10) · 23,050 params"]);
    assert.deepEqual(byLine.get(lineOf(model, "layers.Conv2D(32")), ["(None, 30, 30, 32) · 320 params"]);
    assert.deepEqual(byLine.get(lineOf(model, "layers.Flatten()")), ["(None, 2304)"]);
    // 320 + 18,496 + 23,050 = 41,866 params, 167,464 B.
    assert.deepEqual(byLine.get(model.lineCount - 1), ["Total params: 41,866 (163.54 KB)"]);
  });

  test("a problem caused by the constants cell is reported on the model cell, where the layer is", async () => {
    const model = cell("keras.Sequential(");
    const constants = cell("num_classes = 10");
    await hintsOnLine(model, lineOf(model, "layers.Conv2D(32"), ["(None, 26, 26, 32) · 320 params"]);
    await replace(constants, "(28, 28, 1)", "(6, 6, 1)");
    // 6 − 3 + 1 = 4; ⌊4 / 2⌋ = 2; the second 3×3 kernel no longer fits: 2 − 3 + 1 = 0, for height and width.
    const codes = (doc: vscode.TextDocument) => vscode.languages.getDiagnostics(doc.uri).map((d) => [String(typeof d.code === "object" ? d.code.value : d.code), d.range.start.line]);
    const conv64 = lineOf(model, "layers.Conv2D(64");
    await eventually(() => codes(model), (found) => JSON.stringify(found) === JSON.stringify([["LL101", conv64], ["LL101", conv64]]), "LL101 twice on the second Conv2D");
    assert.deepEqual(codes(constants), []);
  });
});
