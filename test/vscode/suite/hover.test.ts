/// <reference types="mocha" />
// Hovers through VS Code's hover provider command: formulas with the user's numbers.
import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import { closeAllEditors, eventually, examplePath, lineOf, openFile, positionOf } from "./helpers";

function hoverMarkdown(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((hover) => hover.contents)
    .map((content) => (typeof content === "string" ? content : content.value))
    .join("\n");
}

suite("hovers on examples/mnist_cnn.py", () => {
  let doc: vscode.TextDocument;
  suiteSetup(async () => {
    doc = (await openFile(examplePath("mnist_cnn.py"))).document;
  });
  suiteTeardown(closeAllEditors);

  const hoverAt = (position: vscode.Position) =>
    eventually(
      () => vscode.commands.executeCommand<vscode.Hover[]>("vscode.executeHoverProvider", doc.uri, position),
      (hovers) => hoverMarkdown(hovers).includes("Conv2D") || hoverMarkdown(hovers).includes("Total params"),
      "a Layer Lens hover",
    );

  test("on the first Conv2D: input → output and the formulas with this model's numbers", async () => {
    const hovers = await hoverAt(positionOf(doc, "layers.Conv2D(32", "layers.Con".length));
    const md = hoverMarkdown(hovers);
    assert.ok(md.includes("`(None, 28, 28, 1)` → `(None, 26, 26, 32)`"), md);
    // Height and width: 28 − 3 + 1 = 26 (stride 1, 'valid' padding).
    assert.ok(md.includes("28 − 3 + 1 = 26"), md);
    // (kernel 3·3 · 1 input channel + 1 bias) · 32 filters.
    assert.ok(md.includes("(3·3·1 + 1)·32 = 320"), md);
    // 26·26 output positions · a 3×3×1 window · 32 filters.
    assert.ok(md.includes("`MACs = 26·26 · 3·3·1 · 32 = 194,688`"), md);
    const range = hovers.find((hover) => hover.range)?.range;
    assert.equal(range?.start.line, lineOf(doc, "layers.Conv2D(32"));
  });

  test("on the second Conv2D: 13 − 3 + 1 = 11 and (3·3·32 + 1)·64 = 18,496", async () => {
    const md = hoverMarkdown(await hoverAt(positionOf(doc, "layers.Conv2D(64", "layers.Con".length)));
    assert.ok(md.includes("13 − 3 + 1 = 11"), md);
    assert.ok(md.includes("(3·3·32 + 1)·64 = 18,496"), md);
  });

  test("on `Sequential`: the summary table and its totals", async () => {
    const md = hoverMarkdown(await hoverAt(positionOf(doc, "keras.Sequential(\n", "keras.Seq".length)));
    assert.match(md, /\| Conv2D \| `\(None, 26, 26, 32\)` \| 320 \|/);
    assert.match(md, /\| Dense \| `\(None, 10\)` \| 16,010 \|/);
    assert.ok(md.includes("Total params: 34,826 (136.04 KB)"), md);
    // 194,688 + 21,632 + 2,230,272 + 6,400 + 16,000.
    assert.ok(md.includes("Total MACs: 2,468,992 per sample"), md);
  });
});
