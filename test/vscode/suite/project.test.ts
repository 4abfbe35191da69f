/// <reference types="mocha" />
// A model split across files in VS Code, on the bundled example examples/cifar_project: the training script's
// hints come from the modules it imports; a module opened beside it shows the script's calls; an edit in the module,
// not yet saved, reaches the script.
import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import { closeAllEditors, examplePath, hintsOnLine, lineOf, openFile } from "./helpers";

suite("A project: examples/cifar_project", () => {
  let script: vscode.TextDocument;

  suiteSetup(async () => {
    script = (await openFile(examplePath("cifar_project/train.py"))).document;
  });
  suiteTeardown(async () => {
    await closeAllEditors();
  });

  test("the script's lines show what the imported blocks and head build", async () => {
    // ResidualBlock(64) from models/blocks.py: two 3×3 convolutions 64 → 64 with bias, 2 · (3·3·64·64 + 64).
    const byLine = await hintsOnLine(script, lineOf(script, "x = ResidualBlock("), ["(None, 8, 8, 64) · 73,856 params"]);
    // classifier from models/heads.py: Dense(NUM_CLASSES = 10, from config.py) on 64 channels, 64·10 + 10.
    assert.deepEqual(byLine.get(lineOf(script, "outputs = classifier(x)")), ["(None, 10) · 650 params"]);
  });

  test("models/heads.py beside it shows the script's call, and an unsaved edit there reaches the script", async () => {
    const heads = (await openFile(examplePath("cifar_project/models/heads.py"))).document;
    try {
      // Alone, the helper's input is unknown; beside train.py it is the script's 8×8×64 features.
      await hintsOnLine(heads, lineOf(heads, "return layers.Dense("), ["(None, 10) · 650 params"]);
      const edit = new vscode.WorkspaceEdit();
      const at = heads.getText().indexOf("layers.Dense(classes") + "layers.Dense(".length;
      edit.insert(heads.uri, heads.positionAt(at), "2 * ");
      assert.ok(await vscode.workspace.applyEdit(edit));
      // Dense(20) on 64: 64·20 + 20.
      await hintsOnLine(script, lineOf(script, "outputs = classifier(x)"), ["(None, 20) · 1,300 params"]);
    } finally {
      await vscode.window.showTextDocument(heads);
      await vscode.commands.executeCommand("workbench.action.files.revert");
    }
    await hintsOnLine(script, lineOf(script, "outputs = classifier(x)"), ["(None, 10) · 650 params"]);
  });
});
