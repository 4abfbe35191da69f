/// <reference types="mocha" />
// Settings changed the way the Settings editor changes them reach the server.
import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import { closeAllEditors, eventually, examplePath, hintsByLine, hintsOnLine, lineOf, openFile, openUntitled } from "./helpers";

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
    for (const key of ["hints.parameters", "hints.shapes", "hints.batchDimension", "hints.totals", "hints.maximumLength", "hints.macs"]) {
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

  test("hints.maximumLength: 43 by default, VS Code's own limit; 0 lets a line's hints be whole", async () => {
    assert.equal(config().inspect("hints.maximumLength")?.defaultValue, 43);
    // Conv2D(1000, 3) twice on one line after (128, 128, 3): 126 and 124; (3·3·3 + 1)·1000 = 28,000 and
    // (3·3·1000 + 1)·1000 = 9,001,000 params: 38 + 41 = 79 characters whole.
    const wide = (
      await openUntitled(
        [
          "import keras",
          "from keras import layers",
          "inputs = keras.Input(shape=(128, 128, 3))",
          "x = layers.Conv2D(1000, 3)(inputs); y = layers.Conv2D(1000, 3)(x)",
          "model = keras.Model(inputs, y)",
          "",
        ].join("\n"),
      )
    ).document;
    const whole = ["(None, 126, 126, 1000) · 28,000 params", "(None, 124, 124, 1000) · 9,001,000 params"];
    const cut = await eventually(() => hintsByLine(wide), (byLine) => (byLine.get(3)?.length ?? 0) === 2, "two hints on the wide line");
    assert.ok(cut.get(3)!.join("").length <= 43, cut.get(3)!.join(" | "));
    await config().update("hints.maximumLength", 0, vscode.ConfigurationTarget.Global);
    await hintsOnLine(wide, 3, whole);
  });

  test("hints.totals off: no total at the model", async () => {
    const closing = lineOf(doc, "    ]\n)") + 1;
    await hintsOnLine(doc, closing, ["Total params: 34,826 (136.04 KB)"]);
    await config().update("hints.totals", false, vscode.ConfigurationTarget.Global);
    await hintsOnLine(doc, closing, []);
  });
});
