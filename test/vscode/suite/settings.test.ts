/// <reference types="mocha" />
// Settings changed the way the Settings editor changes them reach the server.
import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import { closeAllEditors, examplePath, hintsOnLine, lineOf, openFile } from "./helpers";

suite("layerLens.* settings", () => {
  let doc: vscode.TextDocument;
  let conv: number;
  const config = () => vscode.workspace.getConfiguration("layerLens");

  suiteSetup(async () => {
    doc = (await openFile(examplePath("mnist_cnn.py"))).document;
    conv = lineOf(doc, "layers.Conv2D(32");
    await hintsOnLine(doc, conv, ["(None, 26, 26, 32) · 320 params"]);
  });
  teardown(async () => {
    for (const key of ["hints.parameters", "hints.shapes", "hints.batchDimension", "hints.totals", "hints.macs"]) {
      await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    }
  });
  suiteTeardown(closeAllEditors);

  test("every setting is declared with a description and a default", () => {
    const declared = vscode.extensions.getExtension("layer-lens.layer-lens")?.packageJSON.contributes.configuration.properties;
    for (const key of ["hints.shapes", "hints.parameters", "hints.totals", "hints.batchDimension"]) {
      assert.equal(config().inspect(key)?.defaultValue, true, key);
      assert.ok(declared[`layerLens.${key}`].markdownDescription, key);
    }
    assert.equal(config().inspect("hints.macs")?.defaultValue, false);
    assert.ok(declared["layerLens.hints.macs"].markdownDescription);
  });

  test("hints.macs on: each layer's MACs after its parameters, within the line", async () => {
    await config().update("hints.macs", true, vscode.ConfigurationTarget.Global);
    // 26·26 · 3·3·1 · 32 = 194,688 ≈ 195k; the label is 43 characters, VS Code's default limit.
    await hintsOnLine(doc, conv, ["(None, 26, 26, 32) · 320 params · 195k MACs"]);
    await config().update("hints.macs", undefined, vscode.ConfigurationTarget.Global);
    await hintsOnLine(doc, conv, ["(None, 26, 26, 32) · 320 params"]);
  });

  test("hints.parameters off: shapes only, and back on", async () => {
    await config().update("hints.parameters", false, vscode.ConfigurationTarget.Global);
    await hintsOnLine(doc, conv, ["(None, 26, 26, 32)"]);
    await config().update("hints.parameters", undefined, vscode.ConfigurationTarget.Global);
    await hintsOnLine(doc, conv, ["(None, 26, 26, 32) · 320 params"]);
  });

  test("hints.batchDimension off: shapes without the leading None", async () => {
    await config().update("hints.batchDimension", false, vscode.ConfigurationTarget.Global);
    await hintsOnLine(doc, conv, ["(26, 26, 32) · 320 params"]);
  });

  test("hints.shapes off: parameters only", async () => {
    await config().update("hints.shapes", false, vscode.ConfigurationTarget.Global);
    const byLine = await hintsOnLine(doc, conv, ["320 params"]);
    // Layers without weights have nothing left to show.
    assert.equal(byLine.get(lineOf(doc, "layers.Flatten()")), undefined);
  });

  test("hints.totals off: no total at the model", async () => {
    const closing = lineOf(doc, "    ]\n)") + 1;
    await hintsOnLine(doc, closing, ["Total params: 34,826 (136.04 KB)"]);
    await config().update("hints.totals", false, vscode.ConfigurationTarget.Global);
    await hintsOnLine(doc, closing, []);
  });
});
