/// <reference types="mocha" />
// PyTorch in VS Code, on the bundled example examples/cifar_pytorch.py: the hints VS Code asks for, the
// in_features mismatch PyTorch would raise only once training starts, and its quick fix applied through a
// WorkspaceEdit, after which the classifier's shapes follow.
import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import { closeAllEditors, eventually, examplePath, hintsOnLine, lineOf, openFile } from "./helpers";

const codeOf = (d: vscode.Diagnostic) => String(typeof d.code === "object" ? d.code.value : d.code);

suite("PyTorch: examples/cifar_pytorch.py", () => {
  let doc: vscode.TextDocument;

  suiteSetup(async () => {
    doc = (await openFile(examplePath("cifar_pytorch.py"))).document;
  });
  suiteTeardown(async () => {
    // The example is left as it is on disk: the fix below is undone.
    await vscode.commands.executeCommand("workbench.action.files.revert");
    await closeAllEditors();
  });

  test("each module's line: its shapes and parameters; forward's lines: their shapes", async () => {
    // Three conv_blocks: 32→64→128 channels on 32→16→8 pixels; 896 + 18,496 + 73,856 = 93,248 params.
    const byLine = await hintsOnLine(doc, lineOf(doc, "nn.Conv2d(cin, cout"), ["×3 (32, 32→128, 32→8, 32→8) · 93,248 params"]);
    // Three 2×2 poolings take 32 to 4: 128·4·4 = 2,048 features.
    assert.deepEqual(byLine.get(lineOf(doc, "x = torch.flatten(x, 1)")), ["(32, 2048)"]);
  });

  test("LL155 on in_features (PyTorch's mat1 and mat2 error); setting it to 2048 fixes the classifier", async () => {
    const line = lineOf(doc, "self.fc1 = nn.Linear");
    const [diagnostic] = await eventually(
      () => vscode.languages.getDiagnostics(doc.uri).filter((d) => codeOf(d) === "LL155"),
      (found) => found.length === 1,
      "LL155",
    );
    assert.equal(diagnostic.range.start.line, line);
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
    assert.match(diagnostic.message, /mat1 and mat2 shapes cannot be multiplied \(32x2048 and 4096x256\)/);
    const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>("vscode.executeCodeActionProvider", doc.uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a): a is vscode.CodeAction => "edit" in a && a.title === "Set in_features to 2048, the size of its input");
    assert.ok(fix?.edit, JSON.stringify(actions.map((a) => a.title)));
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    // 2048·256 + 256 = 524,544 params; then fc2 runs: (32, 10), 256·10 + 10 = 2,570.
    const byLine = await hintsOnLine(doc, line, ["(32, 256) · 524,544 params"]);
    assert.deepEqual(byLine.get(lineOf(doc, "self.fc2 = nn.Linear")), ["(32, 10) · 2,570 params"]);
    await eventually(() => vscode.languages.getDiagnostics(doc.uri).map(codeOf), (codes) => !codes.includes("LL155"), "LL155 gone");
  });
});
