/**
 * The CLI as a pipeline runs it: many files at once (folders, globs, notebooks), in
 * parallel, in the formats CI systems read (JSON checked against the published schema
 * by ajv, SARIF 2.1.0, GitHub workflow commands), with `--fail-on` deciding the exit
 * code. Expected places and numbers are worked out by hand next to each assertion.
 */
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import Ajv2020 from "ajv/dist/2020";
import { Diagnostics } from "../../server/src/engine/diagnostics";

const root = join(__dirname, "..", "..");
const cli = join(root, "dist", "cli.js");
const mistakes = join(root, "examples", "mistakes.py");
const schema = JSON.parse(readFileSync(join(root, "docs", "cli-output.schema.json"), "utf8")) as object;

function run(args: readonly string[], cwd = root): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const lines = (...l: string[]) => l.join("\n") + "\n";

/** A channels-first looking input: a warning (LL201) and no error. Conv2D(8, 3) on (3, 32, 32): (None, 1, 30, 8), (3·3·32 + 1)·8 = 2,312. */
const WARNED = lines("import keras", "from keras import layers", "model = keras.Sequential([keras.Input(shape=(3, 32, 32)), layers.Conv2D(8, 3)])");
const CLEAN = lines("import keras", "from keras import layers", "model = keras.Sequential([keras.Input(shape=(16,)), layers.Dense(8)])");

/**
 * A notebook: a Markdown cell, then imports with an IPython magic, then a model whose 5×5 kernel
 * does not fit its 4×4 input (4 − 5 + 1 = 0 for height and width: LL101 twice), on the kernel
 * argument at cell 3, line 3, column 4 + len("layers.Conv2D(2, ") + 1 = 22.
 */
const NOTEBOOK = {
  cells: [
    { cell_type: "markdown", metadata: {}, source: ["# A model\n"] },
    { cell_type: "code", metadata: {}, execution_count: null, outputs: [], source: ["import keras\n", "from keras import layers\n", "%matplotlib inline"] },
    {
      cell_type: "code",
      metadata: {},
      execution_count: null,
      outputs: [],
      source: ["model = keras.Sequential([\n", "    keras.Input(shape=(4, 4, 1)),\n", "    layers.Conv2D(2, 5),\n", "])"],
    },
  ],
  metadata: { language_info: { name: "python" } },
  nbformat: 4,
  nbformat_minor: 5,
};

let tmp: string;

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmp, "tree-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

before(() => {
  if (!existsSync(cli)) {
    const build = spawnSync(process.execPath, [join(root, "scripts", "build.mjs")], { cwd: root, encoding: "utf8" });
    assert.equal(build.status, 0, build.stderr);
  }
  tmp = mkdtempSync(join(tmpdir(), "layer-lens-pipelines-"));
  process.on("exit", () => rmSync(tmp, { recursive: true, force: true }));
});

describe("many files", () => {
  test("a folder: its .py files and notebooks in name order, not hidden folders, node_modules or other files", () => {
    const dir = tree({
      "b/m2.py": CLEAN,
      "m1.py": WARNED,
      "nb.ipynb": JSON.stringify(NOTEBOOK),
      ".hidden/x.py": CLEAN,
      ".ipynb_checkpoints/nb-checkpoint.ipynb": JSON.stringify(NOTEBOOK),
      "node_modules/y.py": CLEAN,
      "notes.txt": "not Python",
    });
    const { status, stdout } = run(["--format", "json", dir]);
    const files = (JSON.parse(stdout) as { file: string }[]).map((r) => r.file.slice(dir.length + 1));
    assert.deepEqual(files, ["b/m2.py", "m1.py", "nb.ipynb"]);
    assert.equal(status, 1, "the notebook's LL101 is an error");
  });

  test("globs, quoted so the CLI expands them; one that matches nothing is a usage error", () => {
    const dir = tree({ "src/a.py": CLEAN, "src/deep/b.py": WARNED, "src/c.txt": "x", "top.py": CLEAN });
    const some = run(["--format", "json", "src/**/*.py"], dir);
    assert.deepEqual((JSON.parse(some.stdout) as { file: string }[]).map((r) => r.file), ["src/a.py", "src/deep/b.py"]);
    assert.equal(some.status, 0);
    const shallow = run(["--format", "json", "./src/*.py"], dir);
    assert.deepEqual((JSON.parse(shallow.stdout) as { file: string }[]).map((r) => r.file), ["src/a.py"]);
    const none = run(["src/**/*.ipynb"], dir);
    assert.equal(none.status, 2);
    assert.match(none.stderr, /src\/\*\*\/\*\.ipynb: no Python files or notebooks match/);
    const nowhere = run(["missing/**/*.py", "top.py"], dir);
    assert.equal(nowhere.status, 2);
    assert.match(nowhere.stderr, /missing\/\*\*\/\*\.py: no Python files or notebooks match/);
    assert.match(nowhere.stdout, /^top\.py:3 {2}model \(Sequential\)$/m, "the other paths are still read");
  });

  test("a notebook's problems are placed at their cell and the line within it; IPython magics are not Python", () => {
    const dir = tree({ "nb.ipynb": JSON.stringify(NOTEBOOK) });
    const { status, stdout } = run(["nb.ipynb"], dir);
    assert.equal(status, 1);
    assert.match(stdout, /^nb\.ipynb:cell 3:3:22: error LL101: Conv2D would make the height 0/m);
    // (5·5·1 + 1)·2 = 52 parameters, counted although the shape cannot be.
    // Its MACs and output memory are unknown with its rows and columns.
    assert.match(stdout, /^Conv2D\s+3:3\s+\(None, \?, \?, 2\)\s+52\s+\?\s+\?$/m);
    assert.match(stdout, /^nb\.ipynb:cell 3:1 {2}model \(Sequential\)$/m);
    const [report] = JSON.parse(run(["--json", "nb.ipynb"], dir).stdout) as { diagnostics: { code: string; cell: number; line: number; column: number }[] }[];
    assert.deepEqual(
      report.diagnostics.map((d) => [d.code, d.cell, d.line, d.column]),
      [["LL101", 3, 3, 22], ["LL101", 3, 3, 22]],
    );
  });

  test("a file that is not a notebook, or cannot be read, is reported and the others still are: exit 2", () => {
    const dir = tree({ "bad.ipynb": "{ not json", "good.py": CLEAN });
    const { status, stdout, stderr } = run(["bad.ipynb", "missing.py", "good.py"], dir);
    assert.equal(status, 2);
    assert.match(stderr, /cannot read bad\.ipynb: not a notebook/);
    assert.match(stderr, /cannot read missing\.py/);
    // (16 + 1)·8 = 136.
    assert.match(stdout, /^Total params: 136 /m);
    assert.match(stdout, /^Layer Lens: 1 file \(2 files not read\), 1 model, 0 errors, 0 warnings, 0 information$/m);
  });

  test("files analysed in parallel give byte for byte what one thread gives, in the order named", () => {
    const names = Array.from({ length: 12 }, (_, i) => `f${String(i).padStart(2, "0")}.py`);
    const dir = tree(Object.fromEntries(names.map((n, i) => [n, i % 3 === 0 ? WARNED : CLEAN])));
    for (const format of ["text", "json"]) {
      const serial = run(["--format", format, "--jobs", "1", ...names], dir);
      const parallel = run(["--format", format, "--jobs", "3", ...names], dir);
      assert.equal(parallel.stdout, serial.stdout);
      assert.equal(parallel.stderr, serial.stderr);
    }
    const text = run(["--jobs", "3", ...names], dir).stdout;
    // f00, f03, f06, f09 carry the warning: 4 warnings over 12 files and 12 models; the summary ends the output.
    assert.match(text, /\nLayer Lens: 12 files, 12 models, 0 errors, 4 warnings, 0 information\n$/);
    assert.deepEqual([...text.matchAll(/^(f\d\d\.py):3 /gm)].map((m) => m[1]), names);
  });
});

describe("--fail-on", () => {
  test("error (the default) fails on errors only; warning on warnings too; never only on usage or file errors", () => {
    const dir = tree({ "warned.py": WARNED });
    const status = (...args: string[]) => run(args, dir).status;
    assert.deepEqual([status("warned.py"), status("warned.py", "--fail-on", "error"), status("warned.py", "--fail-on", "warning"), status("warned.py", "--fail-on=never")], [0, 0, 1, 0]);
    assert.deepEqual([status(mistakes), status(mistakes, "--fail-on", "warning"), status(mistakes, "--fail-on", "never")], [1, 1, 0]);
    assert.equal(status("warned.py", "--fail-on", "information"), 2);
    assert.equal(status("warned.py", "--format", "xml"), 2);
  });
});

describe("--format json", () => {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  const validate = ajv.compile(schema);

  test("the output for the examples, a notebook and scripts with unknown and shared parts fits the published schema", () => {
    const fixtures = ["real_script_unknown_calls.py", "shared_layers.py", "tf_ops.py", "subclassed.py"].map((f) => join(root, "test", "fixtures", f));
    const { stdout } = run(["--format", "json", join(root, "examples"), ...fixtures]);
    const output = JSON.parse(stdout) as unknown;
    assert.ok(validate(output), ajv.errorsText(validate.errors));
    // Each example (the Keras ones, the notebook, the PyTorch one, the project's files) and each fixture is one report.
    const examples = readdirSync(join(root, "examples"), { recursive: true }).filter((f) => /\.(py|ipynb)$/.test(String(f))).length;
    assert.equal((output as unknown[]).length, examples + fixtures.length);
  });

  test("a count beyond 2^53 is a string of its digits, as the schema says, and the schema refuses a small count as a string", () => {
    // Dense(100,000,000) on 100,000,000 features: (10^8 + 1)·10^8 = 10,000,000,100,000,000 > 2^53 ≈ 9.007·10^15.
    const dir = tree({ "huge.py": lines("import keras", "from keras import layers", "model = keras.Sequential([keras.Input(shape=(100000000,)), layers.Dense(100000000)])") });
    const output = JSON.parse(run(["--json", "huge.py"], dir).stdout) as { models: { layers: { params: unknown }[]; totals: { total: unknown } }[] }[];
    assert.ok(validate(output), ajv.errorsText(validate.errors));
    assert.equal(output[0].models[0].totals.total, "10000000100000000");
    assert.equal(output[0].models[0].layers[1].params, "10000000100000000");
    output[0].models[0].totals.total = "320";
    assert.equal(validate(output), false);
  });
});

describe("--format sarif", () => {
  test("SARIF 2.1.0: one rule per diagnostic code from the table, each result at its rule, level and region", () => {
    const { status, stdout, stderr } = run(["--format", "sarif", "examples/mistakes.py"]);
    assert.equal(status, 1);
    const log = JSON.parse(stdout) as {
      version: string;
      $schema: string;
      runs: {
        tool: { driver: { name: string; rules: { id: string; defaultConfiguration: { level: string }; fullDescription: { text: string } }[] } };
        results: { ruleId: string; ruleIndex: number; level: string; message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: Record<string, number> } }[] }[];
      }[];
    };
    assert.equal(log.version, "2.1.0");
    assert.match(log.$schema, /sarif-2\.1\.0/);
    const [sarifRun] = log.runs;
    const rules = sarifRun.tool.driver.rules;
    const level = { error: "error", warning: "warning", information: "note" } as const;
    assert.deepEqual(
      rules.map((r) => [r.id, r.defaultConfiguration.level, r.fullDescription.text]),
      Object.values(Diagnostics).map((d) => [d.code, level[d.severity], d.explanation]),
    );
    for (const result of sarifRun.results) assert.equal(rules[result.ruleIndex].id, result.ruleId);
    // The summary goes to stderr: stdout is the SARIF document alone.
    assert.match(stderr, /^Layer Lens: 1 file, 3 models, 2 errors, 1 warning, 1 information$/m);
    // mistakes.py line 11: `        layers.Conv2D(16, 3),`, the kernel 3 at column 8 + len("layers.Conv2D(16, ") + 1 = 27, one character long.
    const ll101 = sarifRun.results.find((r) => r.ruleId === "LL101")!;
    assert.equal(ll101.level, "error");
    assert.deepEqual(ll101.locations[0].physicalLocation, {
      artifactLocation: { uri: "examples/mistakes.py", uriBaseId: "%SRCROOT%" },
      region: { startLine: 11, startColumn: 27, endLine: 11, endColumn: 28 },
    });
    assert.deepEqual(sarifRun.results.map((r) => [r.ruleId, r.level]), [["LL201", "warning"], ["LL101", "error"], ["LL301", "note"], ["LL112", "error"]]);
  });
});

describe("--format github", () => {
  test("one workflow command per diagnostic, at its line and column; properties escaped as the runner reads them", () => {
    const dir = tree({ "a,b: c.py": WARNED });
    const { status, stdout } = run(["--format", "github", "a,b: c.py"], dir);
    assert.equal(status, 0);
    const [command, summary] = stdout.trimEnd().split("\n");
    // On the Input call: from column len("model = keras.Sequential([") + 1 = 27 to 27 + len("keras.Input(shape=(3, 32, 32))") = 57.
    assert.match(command, /^::warning file=a%2Cb%3A c\.py,line=3,col=27,endLine=3,endColumn=57,title=Layer Lens LL201::The input shape \(3, 32, 32\) looks channels-first/);
    assert.equal(summary, "Layer Lens: 1 file, 1 model, 0 errors, 1 warning, 0 information");
  });
});
