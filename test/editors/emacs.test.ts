/**
 * Emacs as a user configures it from the README: Debian's Emacs 28 with eglot 1.9 (elpa-eglot,
 * installed by .ci/run) in batch, the README's eglot snippet as its init, `layer-lens-server` on the
 * PATH, and `emacs_driver.el` opening examples/mistakes.py. Emacs without markdown-mode asks for
 * plain-text hovers; eglot announces neither dynamic registration nor refreshes, and warns at
 * anything it did not announce.
 */
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { editorHome, readmeBlock } from "./readme";

interface Seen {
  failure?: string;
  server?: string;
  hover_kind?: string;
  hover?: string;
  diagnostics?: [number, string, string][];
  messages: string;
}

let seen: Seen;

before(() => {
  assert.ok(spawnSync("emacs", ["--version"]).status === 0, "Emacs is missing: apt-get install emacs-nox elpa-eglot (.ci/run installs them)");
  const { home, bin, workspace } = editorHome("emacs", ["mistakes.py"]);
  const init = join(home, "init.el");
  writeFileSync(init, readmeBlock("### Emacs", "elisp"));
  const resultFile = join(home, "result.json");
  const run = spawnSync("emacs", ["--batch", "-l", "package", "--eval", "(package-initialize)", "-l", init, "-l", join(__dirname, "emacs_driver.el")], {
    cwd: workspace,
    encoding: "utf8",
    timeout: 90_000,
    env: { ...process.env, HOME: home, PATH: `${bin}:${process.env.PATH}`, LAYER_LENS_RESULT: resultFile },
  });
  assert.ok(existsSync(resultFile), `Emacs wrote no result (status ${run.status}):\n${run.stdout}\n${run.stderr}`);
  seen = JSON.parse(readFileSync(resultFile, "utf8")) as Seen;
});

test("eglot connects to layer-lens with the README's configuration", () => {
  assert.equal(seen.failure, undefined);
  assert.equal(seen.server, "layer-lens");
});

test("the hover comes as plain text, laid out for a terminal", () => {
  assert.equal(seen.hover_kind, "plaintext");
  // The first Conv2D of `broken`: input (3, 32, 32) read channels-last, 32 − 3 + 1 = 30, (3·3·32 + 1)·16 = 4,624.
  assert.match(seen.hover ?? "", /^\(3·3·32 \+ 1\)·16 = 4,624$/m);
  assert.match(seen.hover ?? "", /^Parameters: 4,624$/m);
  for (const markup of ["**", "`", "|"]) assert.ok(!(seen.hover ?? "").includes(markup), `${markup} in:\n${seen.hover}`);
});

test("the diagnostics of examples/mistakes.py reach flymake", () => {
  const byLine = (seen.diagnostics ?? []).map(([line, type]) => [line, type]).sort();
  // LL201 (warning) on line 10, LL101 (error) on 11, LL301 (information: a note) on 17, LL112 (error) on 20.
  assert.deepEqual(byLine, [[10, "eglot-warning"], [11, "eglot-error"], [17, "eglot-note"], [20, "eglot-error"]].sort());
});

test("eglot printed no warning: nothing registered that it did not offer", () => {
  const warnings = seen.messages.split("\n").filter((l) => /warning|unsupported|error/i.test(l));
  assert.deepEqual(warnings, []);
});
