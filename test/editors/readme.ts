/** The README's configuration snippets, read where the user reads them, and a place to run an editor on them. */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../lsp/client";

/** The first fenced block of `language` after the line that starts with `heading` (e.g. "### Emacs"). */
export function readmeBlock(heading: string, language: string): string {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const at = readme.split("\n").findIndex((line) => line.startsWith(heading));
  if (at < 0) throw new Error(`README.md has no line starting ${heading}`);
  const after = readme.split("\n").slice(at + 1).join("\n");
  const block = new RegExp("^```" + language + "\\n([\\s\\S]*?)^```$", "m").exec(after);
  if (!block) throw new Error(`no ${language} block after ${heading}`);
  return block[1];
}

export interface EditorHome {
  /** A throw-away home: the editor's configuration and caches go here. */
  readonly home: string;
  /** A folder for the PATH holding `layer-lens-server`, the npm package's bin as `npm install -g` links it. */
  readonly bin: string;
  /** Where the editor runs, with copies of the examples it opens. */
  readonly workspace: string;
}

/** A home, PATH folder and workspace for running an editor as a user who installed the npm package would. */
export function editorHome(name: string, examples: readonly string[]): EditorHome {
  if (!existsSync(join(ROOT, "packages", "layer-lens-server", "dist", "server.js"))) {
    const build = spawnSync(process.execPath, [join(ROOT, "scripts", "build.mjs")], { cwd: ROOT, encoding: "utf8" });
    assert.equal(build.status, 0, build.stderr);
  }
  const home = mkdtempSync(join(tmpdir(), `layer-lens-${name}-`));
  process.on("exit", () => rmSync(home, { recursive: true, force: true }));
  const bin = join(home, "bin");
  const workspace = join(home, "workspace");
  mkdirSync(bin);
  mkdirSync(workspace);
  symlinkSync(join(ROOT, "packages", "layer-lens-server", "bin", "layer-lens-server.js"), join(bin, "layer-lens-server"));
  for (const example of examples) copyFileSync(join(ROOT, "examples", example), join(workspace, example));
  return { home, bin, workspace };
}
