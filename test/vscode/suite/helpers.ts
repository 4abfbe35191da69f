// Shared steps of the integration tests: open documents the way a user does and
// wait for what the language server answers asynchronously.
import * as assert from "node:assert/strict";
import { join } from "node:path";
import * as vscode from "vscode";

export const EXTENSION_ID = "layer-lens.layer-lens";

/** The repository root: the suite is bundled into out/test/vscode/. */
export const REPO_ROOT = join(__dirname, "..", "..", "..");

export function examplePath(name: string): string {
  return join(REPO_ROOT, "examples", name);
}

export async function openFile(path: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(path));
  return vscode.window.showTextDocument(doc);
}

/** An unsaved Python editor, so edits never touch a file. */
export async function openUntitled(content: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument({ language: "python", content });
  return vscode.window.showTextDocument(doc);
}

/**
 * Polls `probe` until `done` accepts its value; the server answers after it has
 * started and analysed the text, so a first answer may be empty or stale.
 * Fails with the last value seen.
 */
export async function eventually<T>(probe: () => Thenable<T> | T, done: (value: T) => boolean, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await probe();
  while (!done(last)) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}; last seen: ${JSON.stringify(last, null, 1)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    last = await probe();
  }
  return last;
}

export function labelText(hint: vscode.InlayHint): string {
  return typeof hint.label === "string" ? hint.label : hint.label.map((part) => part.value).join("");
}

/** Inlay-hint labels by 0-based line, in position order. */
export async function hintsByLine(doc: vscode.TextDocument): Promise<Map<number, string[]>> {
  const whole = new vscode.Range(0, 0, doc.lineCount, 0);
  const hints = await vscode.commands.executeCommand<vscode.InlayHint[]>("vscode.executeInlayHintProvider", doc.uri, whole);
  const byLine = new Map<number, string[]>();
  for (const hint of [...hints].sort((a, b) => a.position.compareTo(b.position))) {
    byLine.set(hint.position.line, [...(byLine.get(hint.position.line) ?? []), labelText(hint)]);
  }
  return byLine;
}

/** The 0-based line of the first line of `doc` containing `needle`. */
export function lineOf(doc: vscode.TextDocument, needle: string): number {
  const offset = doc.getText().indexOf(needle);
  assert.ok(offset >= 0, `${JSON.stringify(needle)} not in ${doc.uri.toString()}`);
  return doc.positionAt(offset).line;
}

/** The position just inside `needle` (`into` characters from its start). */
export function positionOf(doc: vscode.TextDocument, needle: string, into = 0): vscode.Position {
  const offset = doc.getText().indexOf(needle);
  assert.ok(offset >= 0, `${JSON.stringify(needle)} not in ${doc.uri.toString()}`);
  return doc.positionAt(offset + into);
}

/** Waits until the hints of `line` are exactly `labels`, and returns all hints. */
export function hintsOnLine(doc: vscode.TextDocument, line: number, labels: string[]): Promise<Map<number, string[]>> {
  return eventually(
    () => hintsByLine(doc),
    (byLine) => JSON.stringify(byLine.get(line) ?? []) === JSON.stringify(labels),
    `hints ${JSON.stringify(labels)} on line ${line + 1} of ${doc.uri.toString()}`,
  );
}

/** Replaces the first `needle` in `doc` through a WorkspaceEdit, as an extension or a refactoring would. */
export async function replace(doc: vscode.TextDocument, needle: string, replacement: string): Promise<void> {
  const start = positionOf(doc, needle);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, new vscode.Range(start, start.translate(0, needle.length)), replacement);
  assert.ok(await vscode.workspace.applyEdit(edit), `edit ${needle} → ${replacement} refused`);
}

/** Closes every editor, discarding unsaved edits (no "save?" prompt, no file written). */
export async function closeAllEditors(): Promise<void> {
  for (let i = 0; i < 50 && (vscode.window.activeTextEditor || vscode.window.activeNotebookEditor); i++) {
    await vscode.commands.executeCommand("workbench.action.revertAndCloseActiveEditor");
  }
}
