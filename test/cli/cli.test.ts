/**
 * The CLI as a user runs it: `node dist/cli.js FILE [--json]` in a child
 * process. Expected numbers are worked out by hand from Keras semantics.
 */
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = join(__dirname, "..", "..");
const cli = join(root, "dist", "cli.js");
const example = join(root, "examples", "mnist_cnn.py");
const mistakes = join(root, "examples", "mistakes.py");

/** Newest modification time of any source the CLI bundle is built from. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function run(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface JsonLayer {
  layer: string | null;
  text?: string;
  line: number;
  output: (number | "?" | null)[] | null;
  params: number | string | null;
  /** A later call of a layer or model whose first call holds its weights. */
  shared?: boolean;
}
interface JsonModel {
  name: string | null;
  line: number;
  input: (number | "?" | null)[] | null;
  layers: JsonLayer[];
  totals: { total: number | string | null; trainable: number | string | null; nonTrainable: number | string | null };
  diagnostics: { code: string; severity: string; message: string; line: number; column: number }[];
}

let tmp: string;

before(() => {
  // Build when the bundle is missing or older than the sources.
  if (!existsSync(cli) || statSync(cli).mtimeMs < newestSource(join(root, "server", "src"))) {
    const build = spawnSync(process.execPath, [join(root, "scripts", "build.mjs")], { cwd: root, encoding: "utf8" });
    assert.equal(build.status, 0, `build failed:\n${build.stdout}\n${build.stderr}`);
  }
  tmp = mkdtempSync(join(tmpdir(), "layer-lens-cli-"));
  process.on("exit", () => rmSync(tmp, { recursive: true, force: true }));
});

function tempFile(name: string, text: string): string {
  const path = join(tmp, name);
  writeFileSync(path, text);
  return path;
}

describe("layer-lens on examples/mnist_cnn.py", () => {
  test("prints a table per model with layers, output shapes, params and totals; exits 0 (no errors)", () => {
    const { status, stdout } = run(example);
    assert.equal(status, 0, stdout);
    // One title per model, in source order.
    const titles = stdout.split("\n").filter((l) => l.includes("(Sequential)"));
    assert.deepEqual(titles.map((t) => t.replace(/^.*mnist_cnn\.py:\d+\s+/, "")), ["model (Sequential)", "seed (Sequential)"]);
    for (const header of ["Layer (type)", "Output Shape", "Param #", "MACs", "Output memory"]) assert.ok(stdout.includes(header), header);

    // The classic MNIST CNN: 28×28×1 → Conv2D(32, 3×3): 26×26×32, (3·3·1+1)·32 = 320
    // → MaxPooling 2×2: 13×13×32 → Conv2D(64, 3×3): 11×11×64, (3·3·32+1)·64 = 18,496
    // → MaxPooling: ⌊11/2⌋ = 5 → Flatten: 5·5·64 = 1600 → Dropout → Dense(10): (1600+1)·10 = 16,010.
    // MACs: 26·26·3·3·1·32 = 194,688; pooling 13·13·32·2·2 = 21,632; 11·11·3·3·32·64 = 2,230,272; 5·5·64·2·2 = 6,400;
    // Dense 1600·10 = 16,000. Output memory, float32: 26·26·32·4 = 86,528 B = 84.50 KB; 13·13·32·4 = 21,632 B = 21.12 KB;
    // 11·11·64·4 = 30,976 B = 30.25 KB; 5·5·64·4 = 6,400 B = 6.25 KB; 10·4 = 40 B.
    const row = (layer: string, shape: string, params: string, macs: string, memory: string) =>
      new RegExp(`^${layer}\\s+\\d+\\s+${shape.replace(/[()]/g, "\\$&")}\\s+${params}\\s+${macs}\\s+${memory}$`, "m");
    assert.match(stdout, row("Conv2D", "(None, 26, 26, 32)", "320", "194,688", "84.50 KB"));
    assert.match(stdout, row("MaxPooling2D", "(None, 13, 13, 32)", "0", "21,632", "21.12 KB"));
    assert.match(stdout, row("Conv2D", "(None, 11, 11, 64)", "18,496", "2,230,272", "30.25 KB"));
    assert.match(stdout, row("MaxPooling2D", "(None, 5, 5, 64)", "0", "6,400", "6.25 KB"));
    assert.match(stdout, row("Flatten", "(None, 1600)", "0", "0", "6.25 KB"));
    assert.match(stdout, row("Dropout", "(None, 1600)", "0", "0", "6.25 KB"));
    assert.match(stdout, row("Dense", "(None, 10)", "16,010", "16,000", "40.00 B"));
    // 320 + 18,496 + 16,010 = 34,826
    assert.match(stdout, /^Total params: 34,826\b/m);
    // 194,688 + 21,632 + 2,230,272 + 6,400 + 16,000 = 2,468,992.
    assert.match(stdout, /^Total MACs: 2,468,992 per sample/m);

    // The seed model (see the JSON test for the arithmetic): 34·34·3·4 = 13,872 B = 13.55 KB; 14·14·20·4 = 15,680 B = 15.31 KB;
    // BatchNormalization one per element, 14·14·20 = 3,920, and so is the global pooling; Dense 20·10 = 200.
    assert.match(stdout, row("ZeroPadding2D", "(None, 34, 34, 3)", "0", "0", "13.55 KB"));
    assert.match(stdout, row("Conv2D", "(None, 14, 14, 20)", "3,860", "752,640", "15.31 KB"));
    assert.match(stdout, row("BatchNormalization", "(None, 14, 14, 20)", "80", "3,920", "15.31 KB"));
    assert.match(stdout, row("GlobalAveragePooling2D", "(None, 20)", "0", "3,920", "80.00 B"));
    assert.match(stdout, row("Dense", "(None, 10)", "210", "200", "40.00 B"));
    assert.match(stdout, /^Total params: 4,150\b/m);
    assert.match(stdout, /^Trainable params: 4,110\b/m);
    assert.match(stdout, /^Non-trainable params: 40\b/m);
    assert.doesNotMatch(stdout, / error LL/);
  });

  test("a whole script with calls Layer Lens cannot follow still lists every layer of its model, in order", () => {
    const fixture = join(root, "test", "fixtures", "real_script_unknown_calls.py");
    const { status, stdout } = run(fixture, "--json");
    assert.equal(status, 0);
    const [report] = JSON.parse(stdout) as { models: JsonModel[] }[];
    const model = report.models.find((m) => m.name === "model")!;
    // The script's model: Input, Conv1D, a slice, the user's own function, a third-party layer, LSTM, Dropout, Dense.
    assert.deepEqual(
      model.layers.map((l) => l.layer ?? l.text),
      ["Input", "Conv1D", "GetItem", "random_jitter", "tfa.layers.GroupNormalization(groups=4)", "LSTM", "Dropout", "Dense"],
    );
    // Only the Conv1D can be counted: (3·12 + 1)·32 = 1,184, a lower bound; the total is unknown, with why.
    const totals = model.totals as JsonModel["totals"] & { unknownBecause?: string; countedAtLeast?: number };
    assert.equal(totals.total, null);
    assert.equal(totals.countedAtLeast, 1184);
    assert.match(totals.unknownBecause ?? "", /random_jitter/);
  });

  test("--json lists every call of a shared model, the later ones marked shared so the rows can be summed", () => {
    const dir = mkdtempSync(join(tmpdir(), "layer-lens-cli-"));
    try {
      const file = join(dir, "siamese.py");
      writeFileSync(
        file,
        [
          "import keras",
          "from keras import layers",
          "tower = keras.Sequential([layers.Input((8,)), layers.Dense(4)], name='tower')",
          "a = keras.Input(shape=(8,))",
          "b = keras.Input(shape=(8,))",
          "siamese = keras.Model([a, b], layers.Subtract()([tower(a), tower(b)]))",
          "",
        ].join("\n"),
      );
      const { status, stdout } = run(file, "--json");
      assert.equal(status, 0);
      const [report] = JSON.parse(stdout) as { models: JsonModel[] }[];
      const model = report.models.find((m) => m.name === "siamese")!;
      // The tower (8·4 + 4 = 36) counts once; its second call is marked and its count not added again.
      const towers = model.layers.filter((l) => l.text === undefined && l.layer === null);
      assert.deepEqual(towers.map((l) => [l.params, l.shared ?? false]), [[36, false], [36, true]]);
      const summed = model.layers.filter((l) => !l.shared).reduce((n, l) => n + Number(l.params ?? 0), 0);
      assert.equal(summed, 36);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("--json has models, layers, totals and diagnostics with hand-computed values", () => {
    const { status, stdout } = run(example, "--json");
    assert.equal(status, 0);
    const reports = JSON.parse(stdout) as { file: string; models: JsonModel[] }[];
    assert.equal(reports.length, 1);
    const [report] = reports;
    assert.equal(report.file, example);
    assert.deepEqual(report.models.map((m) => [m.name, m.line]), [["model", 12], ["seed", 28]]);

    const seed = report.models[1];
    // Keras's None (an open batch) is JSON's null; parameter counts are numbers.
    assert.deepEqual(seed.input, [null, 32, 32, 3]);
    assert.deepEqual(
      seed.layers.map((l) => [l.layer, l.line, l.output, l.params]),
      [
        ["Input", 29, [null, 32, 32, 3], 0],
        // Zero padding of 1 on each side: 32 + 2 = 34.
        ["ZeroPadding2D", 30, [null, 34, 34, 3], 0],
        // ⌊(34 − 8) / 2⌋ + 1 = 14; weights (8·8·3 + 1)·20 = 3,860.
        ["Conv2D", 31, [null, 14, 14, 20], 3860],
        // gamma, beta, moving mean, moving variance: 4·20 = 80.
        ["BatchNormalization", 32, [null, 14, 14, 20], 80],
        ["GlobalAveragePooling2D", 33, [null, 20], 0],
        // (20 + 1)·10 = 210.
        ["Dense", 34, [null, 10], 210],
      ],
    );
    // 3,860 + 80 + 210 = 4,150; the moving mean and variance (2·20 = 40) are not trainable.
    // MACs 752,640 + 3,920 + 3,920 + 200 = 760,680; activations, float32: the input 32·32·3·4 = 12,288 B, then
    // 13,872 + 15,680 + 15,680 + 80 + 40: 57,640 B a sample.
    assert.deepEqual(seed.totals, { total: 4150, trainable: 4110, nonTrainable: 40, macs: 760680, activationBytes: 57640 });
    const conv = seed.layers[2] as JsonLayer & Record<string, unknown>;
    assert.deepEqual([conv.macs, conv.macsFormula, conv.dtype, conv.outputBytes, conv.paramBytes], [752640, "14·14 · 8·8·3 · 20 = 752,640", "float32", 15680, 3860 * 4]);
    assert.deepEqual(seed.diagnostics, []);

    const mnist = report.models[0];
    // 3,136 (the input) + 86,528 + 21,632 + 30,976 + 3 · 6,400 + 40 = 161,512 bytes.
    assert.deepEqual(mnist.totals, { total: 34826, trainable: 34826, nonTrainable: 0, macs: 2468992, activationBytes: 161512 });
    assert.deepEqual(mnist.diagnostics, []);
  });
});

describe("layer-lens on examples/mistakes.py", () => {
  test("exits 1 because a model has an error, and reports it at file:line:column", () => {
    const { status, stdout } = run(mistakes);
    assert.equal(status, 1);
    assert.match(stdout, /mistakes\.py:11:\d+: error LL\d+:/);

    const json = run(mistakes, "--json");
    assert.equal(json.status, 1);
    const [report] = JSON.parse(json.stdout) as { models: JsonModel[] }[];
    // broken: input (3, 32, 32) read channels-last: Conv2D(16, 3) → (1, 30, 16),
    // (3·3·32 + 1)·16 = 4,624; the next 3×3 convolution would need height 1 − 3 + 1 = −1.
    const broken = report.models.find((m) => m.name === "broken")!;
    assert.deepEqual(broken.layers[0].output, [null, 1, 30, 16]);
    assert.equal(broken.layers[0].params, 4624);
    const errors = broken.diagnostics.filter((d) => d.severity === "error");
    assert.equal(errors.length, 1);
    assert.equal(errors[0].line, 11);
    assert.match(errors[0].message, /-1/);
    assert.ok(broken.diagnostics.some((d) => d.severity === "warning" && d.line === 10 && /channels/i.test(d.message)));
  });
});

describe("exit codes", () => {
  test("0 on a clean file", () => {
    const file = tempFile(
      "clean.py",
      [
        "from tensorflow import keras",
        "from tensorflow.keras import layers",
        "",
        "model = keras.Sequential([",
        "    keras.Input(shape=(16,)),",
        "    layers.Dense(8, activation='relu'),",
        "    layers.Dense(1),",
        "])",
        "",
      ].join("\n"),
    );
    const { status, stdout, stderr } = run(file);
    assert.equal(status, 0, stdout + stderr);
    // (16 + 1)·8 = 136; (8 + 1)·1 = 9; total 145.
    // MACs 16·8 = 128 and 8·1 = 8; outputs 8·4 = 32 B and 4 B.
    assert.match(stdout, /^Dense\s+6\s+\(None, 8\)\s+136\s+128\s+32.00 B$/m);
    assert.match(stdout, /^Dense\s+7\s+\(None, 1\)\s+9\s+8\s+4.00 B$/m);
    assert.match(stdout, /^Total params: 145\b/m);

    const json = run(file, "--json");
    assert.equal(json.status, 0);
    const [report] = JSON.parse(json.stdout) as { models: JsonModel[] }[];
    // 128 + 8 = 136 MACs; 16·4 + 32 + 4 = 100 bytes of activations.
    assert.deepEqual(report.models[0].totals, { total: 145, trainable: 145, nonTrainable: 0, macs: 136, activationBytes: 100 });
  });

  test("0 and a note on a file without a model", () => {
    const file = tempFile("plain.py", "print('hello')\n");
    const { status, stdout } = run(file);
    assert.equal(status, 0);
    assert.match(stdout, /no Keras model found/);
    assert.deepEqual(JSON.parse(run(file, "--json").stdout)[0].models, []);
  });

  test("a reader that closes the pipe early ends the CLI quietly", () => {
    // Enough output to outlast the pipe's buffer: the CLI writes after `head` has gone.
    const big = tempFile("many.py", `import keras\n${Array.from({ length: 400 }, (_, i) => `m${i} = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(2)])`).join("\n")}\n`);
    const r = spawnSync("sh", ["-c", `"${process.execPath}" "${cli}" "${big}" | head -n 1`], { cwd: root, encoding: "utf8" });
    assert.equal(r.status, 0);
    assert.equal(r.stdout.split("\n")[0], `${big}:2  m0 (Sequential)`);
    assert.doesNotMatch(r.stderr, /EPIPE|Error/);
  });

  test("2 with a usage message when no file is given", () => {
    for (const args of [[], ["--json"]]) {
      const { status, stdout, stderr } = run(...args);
      assert.equal(status, 2);
      assert.match(stderr, /usage: layer-lens/);
      assert.equal(stdout, "");
    }
  });

  test("0 and the usage on stdout for --help", () => {
    const { status, stdout, stderr } = run("--help");
    assert.equal(status, 0);
    assert.match(stdout, /^usage: layer-lens PATH\.\.\. .*--format text\|json\|sarif\|github/);
    assert.equal(stderr, "");
  });

  test("2 on an unknown option", () => {
    const { status, stderr } = run("--verbose", example);
    assert.equal(status, 2);
    assert.match(stderr, /usage/);
  });

  test("2 with a message when the file does not exist", () => {
    const missing = join(tmp, "does-not-exist.py");
    const { status, stderr } = run(missing);
    assert.equal(status, 2);
    assert.match(stderr, /cannot read/);
    assert.ok(stderr.includes(missing));
  });
});
