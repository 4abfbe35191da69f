/// <reference types="mocha" />
// Diagnostics as VS Code holds them for the Problems panel and the squiggles.
import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import { closeAllEditors, eventually, examplePath, lineOf, openFile } from "./helpers";

const codeOf = (d: vscode.Diagnostic) => String(typeof d.code === "object" ? d.code.value : d.code);

suite("diagnostics on examples/mistakes.py", () => {
  let doc: vscode.TextDocument;
  let diagnostics: vscode.Diagnostic[];

  suiteSetup(async () => {
    doc = (await openFile(examplePath("mistakes.py"))).document;
    diagnostics = await eventually(
      () => vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === "layer-lens"),
      (found) => found.some((d) => codeOf(d) === "LL112"),
      "Layer Lens diagnostics",
    );
  });
  suiteTeardown(closeAllEditors);

  const at = (needle: string) => diagnostics.filter((d) => d.range.start.line === lineOf(doc, needle)).map(codeOf).sort();

  test("channels-first input: a warning, then the second 3×3 convolution runs out of rows (3 → 1 → −1)", () => {
    assert.deepEqual(at("input_shape=(3, 32, 32)"), ["LL201"]);
    const secondConv = lineOf(doc, "input_shape=(3, 32, 32)") + 1;
    const errors = diagnostics.filter((d) => d.range.start.line === secondConv);
    assert.deepEqual(errors.map(codeOf), ["LL101"]);
    assert.equal(errors[0].severity, vscode.DiagnosticSeverity.Error);
  });

  test("Dense on an image is information, strides with dilation an error", () => {
    const dense = diagnostics.find((d) => codeOf(d) === "LL301");
    assert.equal(dense?.range.start.line, lineOf(doc, "layers.Dense(10)"));
    assert.equal(dense?.severity, vscode.DiagnosticSeverity.Information);
    const dilated = diagnostics.find((d) => codeOf(d) === "LL112");
    assert.equal(dilated?.severity, vscode.DiagnosticSeverity.Error);
    // Placed on the arguments at fault, not on the whole line.
    assert.match(doc.getText(dilated?.range), /^strides=2/);
  });

  test("the clean example has none", async () => {
    const mnist = (await openFile(examplePath("mnist_cnn.py"))).document;
    // Wait for its hints first, so that an empty list means analysed, not pending.
    await eventually(
      () => vscode.commands.executeCommand<vscode.InlayHint[]>("vscode.executeInlayHintProvider", mnist.uri, new vscode.Range(0, 0, mnist.lineCount, 0)),
      (hints) => hints.length > 0,
      "hints on mnist_cnn.py",
    );
    assert.deepEqual(vscode.languages.getDiagnostics(mnist.uri).filter((d) => d.source === "layer-lens"), []);
  });
});
