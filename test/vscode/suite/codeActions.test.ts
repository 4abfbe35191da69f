/// <reference types="mocha" />
// Quick fixes as VS Code offers them for a diagnostic, applied through its
// WorkspaceEdit; the hints then show the repaired model.
import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import { closeAllEditors, eventually, hintsOnLine, lineOf, openUntitled } from "./helpers";

const MODELS = `import keras
from keras import layers

per_pixel = keras.Sequential([
    keras.Input(shape=(28, 28, 1)),
    layers.Dense(10),
])
shrunk = keras.Sequential([
    keras.Input(shape=(4, 4, 1)),
    layers.Conv2D(8, 5),
])
dilated = keras.Sequential([
    keras.Input(shape=(64, 64, 3)),
    layers.Conv2D(8, 3, strides=2, dilation_rate=2),
])
`;

const codeOf = (d: vscode.Diagnostic) => String(typeof d.code === "object" ? d.code.value : d.code);

/** The quick fixes VS Code offers for the diagnostic `code` on the line containing `needle`. */
async function quickFixes(doc: vscode.TextDocument, code: string, needle: string): Promise<vscode.CodeAction[]> {
  const line = lineOf(doc, needle);
  const [diagnostic] = await eventually(
    () => vscode.languages.getDiagnostics(doc.uri).filter((d) => codeOf(d) === code && d.range.start.line === line),
    // LL101 comes once per axis that runs out (height and width): any one will do.
    (found) => found.length > 0,
    `${code} on line ${line + 1}`,
  );
  const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
    "vscode.executeCodeActionProvider",
    doc.uri,
    diagnostic.range,
    vscode.CodeActionKind.QuickFix.value,
  );
  return actions.filter((a): a is vscode.CodeAction => "kind" in a && !!a.kind && vscode.CodeActionKind.QuickFix.contains(a.kind));
}

async function apply(fix: vscode.CodeAction | undefined): Promise<void> {
  assert.ok(fix?.edit, "no such quick fix with an edit");
  assert.ok(await vscode.workspace.applyEdit(fix.edit));
}

suite("quick fixes", () => {
  let doc: vscode.TextDocument;
  setup(async () => {
    doc = (await openUntitled(MODELS)).document;
  });
  teardown(closeAllEditors);

  test("LL301: insert Flatten() before a Dense on an image; Dense then has (784 + 1)·10 = 7,850 params", async () => {
    const fixes = await quickFixes(doc, "LL301", "layers.Dense(10)");
    assert.deepEqual(fixes.map((f) => f.title), ["Insert layers.Flatten() before Dense"]);
    assert.equal(fixes[0].isPreferred, true);
    await apply(fixes[0]);
    const byLine = await hintsOnLine(doc, lineOf(doc, "layers.Dense(10)"), ["(None, 10) · 7,850 params"]);
    // 28·28·1 = 784.
    assert.deepEqual(byLine.get(lineOf(doc, "layers.Flatten()")), ["(None, 784)"]);
  });

  test("LL101: padding='same' keeps 4×4; (5·5·1 + 1)·8 = 208 params", async () => {
    const fixes = await quickFixes(doc, "LL101", "layers.Conv2D(8, 5)");
    const same = fixes.find((f) => f.title.startsWith("Use padding='same'"));
    await apply(same);
    await hintsOnLine(doc, lineOf(doc, "layers.Conv2D(8, 5"), ["(None, 4, 4, 8) · 208 params"]);
    await eventually(() => vscode.languages.getDiagnostics(doc.uri).map(codeOf), (codes) => !codes.includes("LL101"), "LL101 gone");
  });

  test("LL112: dropping strides or dilation_rate, each with its own output size", async () => {
    const titles = (await quickFixes(doc, "LL112", "strides=2, dilation_rate=2")).map((f) => f.title);
    assert.deepEqual(titles.sort(), ["Remove dilation_rate (keep strides)", "Remove strides (keep dilation_rate)"]);
    const keepDilation = (await quickFixes(doc, "LL112", "strides=2, dilation_rate=2")).find((f) => f.title.startsWith("Remove strides"));
    await apply(keepDilation);
    // Dilated 3×3 spans 2·(3 − 1) + 1 = 5: 64 − 5 + 1 = 60; (3·3·3 + 1)·8 = 224.
    await hintsOnLine(doc, lineOf(doc, "layers.Conv2D(8, 3"), ["(None, 60, 60, 8) · 224 params"]);
  });
});
