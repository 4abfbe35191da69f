/// <reference types="mocha" />
// Code lenses above each model, as VS Code asks for them, and the summary they open.
import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import { closeAllEditors, eventually, examplePath, lineOf, openFile } from "./helpers";

suite("code lenses on examples/mnist_cnn.py", () => {
  let doc: vscode.TextDocument;
  let lenses: vscode.CodeLens[];

  suiteSetup(async () => {
    doc = (await openFile(examplePath("mnist_cnn.py"))).document;
    lenses = await eventually(
      // The second argument asks VS Code to resolve the lenses' commands too.
      () => vscode.commands.executeCommand<vscode.CodeLens[]>("vscode.executeCodeLensProvider", doc.uri, 10),
      (found) => found.length >= 4,
      "code lenses for both models",
    );
  });
  suiteTeardown(closeAllEditors);

  const titlesAt = (needle: string) => lenses.filter((l) => l.range.start.line === lineOf(doc, needle)).map((l) => l.command?.title);

  test("the MNIST model: 34,826 params, all trainable, · 4 B = 139,304 B = 136.04 KB, and its MACs", () => {
    // MACs: 26·26·3·3·1·32 = 194,688; pooling 13·13·32·2·2 = 21,632; 11·11·3·3·32·64 = 2,230,272; 5·5·64·2·2 = 6,400;
    // Dense 1600·10 = 16,000: 2,468,992 ≈ 2.47M.
    assert.deepEqual(titlesAt("model = keras.Sequential("), [
      "Total 34,826 params (136.04 KB) · trainable 34,826 (136.04 KB) · non-trainable 0 (0.00 B) · 2.47M MACs",
      "Show summary",
    ]);
  });

  test("the seed model: BatchNormalization's moving mean and variance (2·20 = 40) are non-trainable", () => {
    // (8·8·3 + 1)·20 = 3,860; BatchNormalization 4·20 = 80; Dense (20 + 1)·10 = 210.
    // 4,150 · 4 B = 16,600 B = 16.21 KB; 4,110 · 4 B = 16,440 B = 16.05 KB; 40 · 4 B = 160 B.
    assert.deepEqual(titlesAt("seed = keras.Sequential()"), [
      // MACs: 14·14·8·8·3·20 = 752,640 + BatchNormalization 14·14·20 = 3,920 + pooling 3,920 + Dense 20·10 = 200: 760,680 ≈ 761k.
      "Total 4,150 params (16.21 KB) · trainable 4,110 (16.05 KB) · non-trainable 40 (160.00 B) · 761k MACs",
      "Show summary",
    ]);
  });

  test("the totals lead to the same summary: no lens has an empty command", () => {
    const line = lenses.filter((l) => l.range.start.line === lineOf(doc, "model = keras.Sequential("));
    assert.deepEqual(line.map((l) => l.command?.command), ["layerLens.showSummary", "layerLens.showSummary"]);
    assert.deepEqual(line[0].command?.arguments, line[1].command?.arguments);
  });

  test("“Show summary” opens the model summary beside the editor", async () => {
    const show = lenses.find((l) => l.range.start.line === lineOf(doc, "model = keras.Sequential(") && l.command?.title === "Show summary");
    assert.ok(show?.command, "no Show summary lens");
    await vscode.commands.executeCommand(show.command.command, ...(show.command.arguments ?? []));
    const webviewTabs = () =>
      vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter((tab) => tab.input instanceof vscode.TabInputWebview);
    const tabs = await eventually(webviewTabs, (found) => found.length > 0, "the summary webview");
    assert.equal(tabs.length, 1);
    assert.match(tabs[0].label, /model/i);
  });
});
