/**
 * The README's recipes for pipelines, run as written: the git pre-commit hook and the
 * pre-commit framework's configuration on a fixture repository, and the CI step's commands
 * in a checkout, with `layer-lens` installed from the packed npm package (the step's
 * `npm install -g layer-lens-server` is that install, into a throw-away prefix).
 */
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../lsp/client";
import { readmeBlock } from "../editors/readme";
import { Installed, PACKAGE, installPackage } from "../package/install";

const CLEAN = "import keras\nfrom keras import layers\nmodel = keras.Sequential([keras.Input(shape=(16,)), layers.Dense(8)])\n";

let tmp: string;
let installed: Installed;
let env: NodeJS.ProcessEnv;

before(() => {
  tmp = mkdtempSync(join(tmpdir(), "layer-lens-recipes-"));
  process.on("exit", () => rmSync(tmp, { recursive: true, force: true }));
  installed = installPackage(tmp);
  env = {
    ...process.env,
    PATH: `${installed.bin}:${process.env.PATH}`,
    HOME: tmp,
    GIT_AUTHOR_NAME: "t",
    GIT_AUTHOR_EMAIL: "t@example.com",
    GIT_COMMITTER_NAME: "t",
    GIT_COMMITTER_EMAIL: "t@example.com",
  };
});

function sh(command: string, cwd: string) {
  const r = spawnSync("bash", ["-c", command], { cwd, env, encoding: "utf8", timeout: 120_000 });
  return { status: r.status, output: r.stdout + r.stderr, stdout: r.stdout };
}

/** A fresh repository with one commit of a clean model. */
function repository(): string {
  const repo = mkdtempSync(join(tmp, "repo-"));
  writeFileSync(join(repo, "clean.py"), CLEAN);
  assert.equal(sh("git init -q && git add clean.py && git commit -q -m init", repo).status, 0);
  return repo;
}

const head = (repo: string) => sh("git rev-parse HEAD", repo).stdout.trim();

/** Stages `files` (name → text, or a path to copy) and tries to commit; the hook decides. */
function commit(repo: string, files: Record<string, string>) {
  const before = head(repo);
  for (const [name, content] of Object.entries(files)) {
    if (content.startsWith("/")) copyFileSync(content, join(repo, name));
    else writeFileSync(join(repo, name), content);
  }
  const names = Object.keys(files).map((n) => `'${n}'`).join(" ");
  const result = sh(`git add ${names} && git commit -q -m change`, repo);
  return { ...result, committed: head(repo) !== before };
}

const mistakes = join(ROOT, "examples", "mistakes.py");

describe("the git pre-commit hook", () => {
  test("lets a clean model and non-Python files through, stops a file with an error, names with spaces included", () => {
    const repo = repository();
    const hook = join(repo, ".git", "hooks", "pre-commit");
    writeFileSync(hook, readmeBlock("A **pre-commit hook**", "sh"));
    chmodSync(hook, 0o755);

    assert.ok(commit(repo, { "notes.txt": "no Python here\n" }).committed);
    assert.ok(commit(repo, { "second model.py": CLEAN }).committed);
    const refused = commit(repo, { "my mistakes.py": mistakes });
    assert.equal(refused.committed, false, refused.output);
    assert.match(refused.output, /my mistakes\.py:11:27: error LL101/);
    // The warnings alone of another file do not stop it: --fail-on error.
    const warned = "import keras\nfrom keras import layers\nmodel = keras.Sequential([keras.Input(shape=(3, 32, 32)), layers.Conv2D(8, 3)])\n";
    sh("git reset -q", repo);
    rmSync(join(repo, "my mistakes.py"));
    assert.ok(commit(repo, { "warned.py": warned }).committed);
  });
});

describe("the pre-commit framework's configuration", () => {
  test("runs layer-lens on the staged Python files and notebooks and stops a commit with an error", () => {
    const repo = repository();
    writeFileSync(join(repo, ".pre-commit-config.yaml"), readmeBlock("The same with the [pre-commit]", "yaml"));
    assert.equal(sh("git add .pre-commit-config.yaml && git commit -q -m config && pre-commit install", repo).status, 0);
    assert.ok(commit(repo, { "model.py": CLEAN }).committed);
    const notebook = JSON.parse(readFileSync(join(ROOT, "examples", "mnist_cnn.ipynb"), "utf8")) as { cells: { cell_type: string; source: string[] }[] };
    const model = notebook.cells.find((c) => c.cell_type === "code" && c.source.join("").includes("layers.Conv2D(64"))!;
    // A 100×100 kernel on the 11×11 map left after the first convolution and pooling: 11 − 100 + 1 = −88.
    model.source = model.source.map((line) => line.replace("layers.Conv2D(64, kernel_size=(3, 3)", "layers.Conv2D(64, kernel_size=(100, 100)"));
    const refused = commit(repo, { "broken.ipynb": JSON.stringify(notebook) });
    assert.equal(refused.committed, false, refused.output);
    assert.match(refused.output, /broken\.ipynb:cell \d+:\d+:\d+: error LL101/);
  });
});

describe("the CI step", () => {
  const commands = () =>
    readmeBlock("A **CI step**", "yaml")
      .split("\n")
      .flatMap((line) => /^\s*- run: (.*)$/.exec(line)?.[1] ?? []);

  test("installs the package the repository builds, by its name", () => {
    const [install] = commands();
    const { name } = JSON.parse(readFileSync(join(PACKAGE, "package.json"), "utf8")) as { name: string };
    assert.equal(install, `npm install -g ${name}`);
  });

  test("annotates the errors and fails the job; then writes a SARIF file for the upload without failing", () => {
    const checkout = mkdtempSync(join(tmp, "checkout-"));
    copyFileSync(mistakes, join(checkout, "mistakes.py"));
    writeFileSync(join(checkout, "clean.py"), CLEAN);
    const [, annotate, upload] = commands();
    const annotated = sh(annotate, checkout);
    assert.equal(annotated.status, 1);
    // mistakes.py line 11: the kernel 3 of `        layers.Conv2D(16, 3),`, column 27.
    assert.match(annotated.stdout, /^::error file=mistakes\.py,line=11,col=27,endLine=11,endColumn=28,title=Layer Lens LL101::/m);
    const uploaded = sh(upload, checkout);
    assert.equal(uploaded.status, 0, uploaded.output);
    const log = JSON.parse(readFileSync(join(checkout, "layer-lens.sarif"), "utf8")) as { version: string; runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    assert.equal(log.version, "2.1.0");
    assert.deepEqual(
      log.runs[0].results.map((r) => [r.ruleId, r.locations[0].physicalLocation.artifactLocation.uri]),
      [["LL201", "mistakes.py"], ["LL101", "mistakes.py"], ["LL301", "mistakes.py"], ["LL112", "mistakes.py"]],
    );
  });

  test("passes on a checkout without errors", () => {
    const checkout = mkdtempSync(join(tmp, "checkout-"));
    writeFileSync(join(checkout, "clean.py"), CLEAN);
    const [, annotate] = commands();
    assert.equal(sh(annotate, checkout).status, 0);
  });
});
