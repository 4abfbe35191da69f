/**
 * Neovim as a user configures it from the README: Debian's Neovim 0.7 (installed by .ci/run)
 * runs headless with the README's "Neovim 0.7 to 0.9" init.lua verbatim, `layer-lens-server`
 * on the PATH as `npm install -g` would put it, and `neovim_driver.lua` doing what a user does.
 * The numbers are worked out by hand below; Neovim's LSP log must stay free of warnings and errors
 * (it used to say "no handler found" at every change of settings).
 */
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { editorHome, readmeBlock } from "./readme";

interface Seen {
  failure?: string;
  capabilities: { executeCommand?: { commands: string[] } };
  hints: { line: number; label: string }[];
  shown: { line: number; label: string }[];
  hover: { kind: string; value: string };
  lenses: { line: number; title: string; command: string }[];
  messages: string[];
  hints_after_edit: { line: number; label: string }[];
  diagnostics: { line: number; col: number; code: string; severity: number; message: string }[];
  actions: string[];
  fixed_line: string;
  diagnostics_after_fix: { code: string; line: number }[];
  log_path: string;
}

let seen: Seen;
let log: string;
let mnist: string;

const lineOf = (text: string, needle: string) => text.split("\n").findIndex((l) => l.includes(needle));
const labelsAt = (hints: { line: number; label: string }[], line: number) => hints.filter((h) => h.line === line).map((h) => h.label);

before(() => {
  assert.ok(spawnSync("nvim", ["--version"]).status === 0, "Neovim is missing: apt-get install neovim (.ci/run installs it)");
  const { home, bin, workspace } = editorHome("neovim", ["mnist_cnn.py", "mistakes.py"]);
  mnist = readFileSync(join(workspace, "mnist_cnn.py"), "utf8");

  const init = join(home, "init.lua");
  writeFileSync(init, readmeBlock("### Neovim 0.7 to 0.9", "lua"));
  const resultFile = join(home, "result.json");
  const xdg = (name: string) => join(home, name);
  const run = spawnSync("nvim", ["--headless", "-u", init, "-c", `luafile ${join(__dirname, "neovim_driver.lua")}`], {
    cwd: workspace,
    encoding: "utf8",
    timeout: 90_000,
    env: {
      ...process.env,
      PATH: `${bin}:${process.env.PATH}`,
      XDG_CONFIG_HOME: xdg("config"),
      XDG_CACHE_HOME: xdg("cache"),
      XDG_DATA_HOME: xdg("data"),
      XDG_STATE_HOME: xdg("state"),
      LAYER_LENS_RESULT: resultFile,
    },
  });
  assert.ok(existsSync(resultFile), `Neovim wrote no result (status ${run.status}, ${run.signal ?? "no signal"}):\n${run.stdout}\n${run.stderr}`);
  seen = JSON.parse(readFileSync(resultFile, "utf8")) as Seen;
  log = existsSync(seen.log_path) ? readFileSync(seen.log_path, "utf8") : "";
});

test("the README's init.lua attaches the server and runs every step without a failure", () => {
  assert.equal(seen.failure, undefined);
  assert.deepEqual(seen.capabilities.executeCommand?.commands, ["layerLens.showSummary"]);
});

test("inlay hints by raw request, and the same labels shown at the end of their lines", () => {
  // 28 − 3 + 1 = 26, (3·3·1 + 1)·32 = 320; ⌊26 / 2⌋ = 13; 13 − 3 + 1 = 11, (3·3·32 + 1)·64 = 18,496; ⌊11 / 2⌋ = 5;
  // 5·5·64 = 1,600; (1,600 + 1)·10 = 16,010; total 320 + 18,496 + 16,010 = 34,826 (·4 B = 136.04 KB).
  assert.deepEqual(labelsAt(seen.hints, lineOf(mnist, "layers.Conv2D(32")), ["(None, 26, 26, 32) · 320 params"]);
  assert.deepEqual(labelsAt(seen.hints, lineOf(mnist, "layers.Conv2D(64")), ["(None, 11, 11, 64) · 18,496 params"]);
  assert.deepEqual(labelsAt(seen.hints, lineOf(mnist, "layers.Flatten()")), ["(None, 1600)"]);
  assert.deepEqual(labelsAt(seen.hints, lineOf(mnist, "layers.Dense(num_classes")), ["(None, 10) · 16,010 params"]);
  assert.ok(seen.hints.some((h) => h.label === "Total params: 34,826 (136.04 KB)"));
  assert.deepEqual(
    [...seen.shown].sort((a, b) => a.line - b.line || a.label.localeCompare(b.label)),
    [...seen.hints].sort((a, b) => a.line - b.line || a.label.localeCompare(b.label)),
  );
});

test("a hover with the formulas filled in", () => {
  assert.equal(seen.hover.kind, "markdown");
  assert.ok(seen.hover.value.includes("13 − 3 + 1 = 11"), seen.hover.value);
  assert.ok(seen.hover.value.includes("(3·3·32 + 1)·64 = 18,496"), seen.hover.value);
});

test("a code lens runs layerLens.showSummary on the server, which shows the summary", () => {
  const line = lineOf(mnist, "model = keras.Sequential(");
  assert.deepEqual(
    seen.lenses.filter((l) => l.line === line).map((l) => [l.title, l.command]),
    [
      // The model's MACs, 2,468,992 (test/cli/cli.test.ts), in short.
      ["Total 34,826 params (136.04 KB) · trainable 34,826 (136.04 KB) · non-trainable 0 (0.00 B) · 2.47M MACs", "layerLens.showSummary"],
      ["Show summary", "layerLens.showSummary"],
    ],
  );
  assert.equal(seen.messages.length, 1);
  assert.match(seen.messages[0], /^Model: "model"/);
  assert.match(seen.messages[0], /Conv2D\s+\(None, 11, 11, 64\)\s+18,496/);
});

test("an edit changes the hints: Conv2D(32) in place of Conv2D(64)", () => {
  // 13 − 3 + 1 = 11, (3·3·32 + 1)·32 = 9,248; Flatten 5·5·32 = 800; Dense (800 + 1)·10 = 8,010.
  assert.deepEqual(labelsAt(seen.hints_after_edit, lineOf(mnist, "layers.Conv2D(64")), ["(None, 11, 11, 32) · 9,248 params"]);
  assert.deepEqual(labelsAt(seen.hints_after_edit, lineOf(mnist, "layers.Flatten()")), ["(None, 800)"]);
  assert.deepEqual(labelsAt(seen.hints_after_edit, lineOf(mnist, "layers.Dense(num_classes")), ["(None, 10) · 8,010 params"]);
});

test("examples/mistakes.py's diagnostics, and a quick fix that removes its error", () => {
  // As the CLI reports them (0-based lines here): LL201 on line 10, LL101 on 11, LL301 on 17, LL112 on 20.
  assert.deepEqual(seen.diagnostics.map((d) => [d.code, d.line + 1, d.severity]).sort(), [["LL101", 11, 1], ["LL112", 20, 1], ["LL201", 10, 2], ["LL301", 17, 3]].sort());
  assert.match(seen.actions[0], /padding=["']same["']/);
  // The file writes its strings in double quotes, and so does the fix.
  assert.equal(seen.fixed_line, '        layers.Conv2D(16, 3, padding="same"),');
  // The error on line 11 is gone; height 1 now reaches line 12's 3×3 kernel: 1 − 3 + 1 = −1, its own LL101.
  assert.deepEqual(seen.diagnostics_after_fix.filter((d) => d.code === "LL101").map((d) => d.line + 1), [12]);
  assert.ok(seen.diagnostics_after_fix.some((d) => d.code === "LL112"), "the other problems stay");
});

test("Neovim's LSP log has no warning or error: no unhandled request, no registration it refused, nothing on stderr", () => {
  const problems = log.split("\n").filter((l) => /\[(WARN|ERROR)\]/.test(l));
  assert.deepEqual(problems, []);
});
