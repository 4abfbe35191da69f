/**
 * Emacs as a user configures it from the README, in batch, with `layer-lens-server` on the PATH:
 * - eglot 1.9 (Debian's elpa-eglot for Emacs 28, installed by .ci/run) with the README's eglot
 *   snippet, opening examples/mistakes.py. An Emacs without markdown-mode asks for plain-text hovers;
 *   eglot announces neither dynamic registration nor refreshes, and warns at anything it did not announce.
 * - lsp-mode 8 (elpa-lsp-mode) with the README's add-on snippet, beside pyright (the project's own
 *   basedpyright, which installs `pyright-langserver`): both servers run on the file and both report.
 */
import { describe, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../lsp/client";
import { editorHome, readmeBlock } from "./readme";

interface Seen {
  failure?: string;
  messages: string;
}

/** Runs batch Emacs in a fresh home on mistakes.py with `init` (a README snippet) and then `driver`; what the driver saw. */
function runEmacs<T extends Seen>(name: string, init: string, driver: string, setup = ""): T {
  assert.ok(spawnSync("emacs", ["--version"]).status === 0, "Emacs is missing: apt-get install emacs-nox elpa-eglot elpa-lsp-mode (.ci/run installs them)");
  const { home, bin, workspace } = editorHome(name, ["mistakes.py"]);
  if (setup) assert.equal(spawnSync("sh", ["-c", setup], { cwd: workspace }).status, 0, setup);
  const initFile = join(home, "init.el");
  writeFileSync(initFile, init);
  const resultFile = join(home, "result.json");
  const run = spawnSync("emacs", ["--batch", "-l", "package", "--eval", "(package-initialize)", "-l", initFile, "-l", join(__dirname, driver)], {
    cwd: workspace,
    encoding: "utf8",
    timeout: 120_000,
    env: { ...process.env, HOME: home, PATH: `${bin}:${join(ROOT, "node_modules", ".bin")}:${process.env.PATH}`, LAYER_LENS_RESULT: resultFile },
  });
  assert.ok(existsSync(resultFile), `Emacs wrote no result (status ${run.status}):\n${run.stdout}\n${run.stderr}`);
  return JSON.parse(readFileSync(resultFile, "utf8")) as T;
}

/** The lines of Emacs's *Messages* that warn or report an error. */
const warnings = (seen: Seen) => seen.messages.split("\n").filter((l) => /warning|unsupported|error/i.test(l));

describe("eglot, with the README's configuration", () => {
  let seen: Seen & { server?: string; hover_kind?: string; hover?: string; diagnostics?: [number, string, string][] };
  before(() => {
    seen = runEmacs("eglot", readmeBlock("### Emacs", "elisp"), "emacs_driver.el");
  });

  test("connects to layer-lens", () => {
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
    assert.deepEqual(warnings(seen), []);
  });
});

describe("lsp-mode, Layer Lens an add-on beside pyright", () => {
  let seen: Seen & { servers?: string[]; diagnostics?: [string, string, number][] };
  before(() => {
    // A repository, so that lsp-mode finds the project's root without asking.
    seen = runEmacs("lsp-mode", readmeBlock("eglot talks to one server per buffer", "elisp"), "lsp_mode_driver.el", "git init -q");
  });

  test("both servers run on the file", () => {
    assert.equal(seen.failure, undefined);
    assert.deepEqual(seen.servers, ["layer-lens", "pyright"]);
  });

  test("Layer Lens's diagnostics arrive beside pyright's", () => {
    const ours = (seen.diagnostics ?? []).filter(([source]) => source === "layer-lens").map(([, code, line]) => [code, line]).sort();
    assert.deepEqual(ours, [["LL101", 11], ["LL112", 20], ["LL201", 10], ["LL301", 17]]);
    assert.ok((seen.diagnostics ?? []).some(([source]) => source !== "layer-lens"), "no diagnostic from pyright");
  });

  test("lsp-mode reports nothing wrong with layer-lens (its other warnings are of this bare Emacs: no yasnippet, no flymake checker)", () => {
    const ours = seen.messages.split("\n").filter((l) => l.includes("layer-lens"));
    assert.ok(ours.some((l) => /layer-lens:\d+ initialized successfully/.test(l)), ours.join("\n"));
    assert.deepEqual(ours.filter((l) => /warn|error|fail|unsupported/i.test(l)), []);
  });
});
