/**
 * The CLI on a project (issue 20): `layer-lens FOLDER` analyses every file with the project's imports followed,
 * a file's own folder is searched, `--root` adds a root. The PyTorch model assembled from `torch_nets/` is
 * checked against python3-torch (Debian's, /usr/bin/python3) building and running the same modules from the same
 * files; the Keras numbers are worked out by hand.
 */
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = join(__dirname, "..", "..");
const cli = join(root, "dist", "cli.js");
const project = join(root, "examples", "cifar_project");

interface JsonModel {
  name: string | null;
  input: (number | "?" | null)[] | null;
  layers: { layer: string | null; line: number; output: (number | "?" | null)[] | null; params: number | string | null }[];
  totals: { total: number | string | null; trainable: number | string | null; nonTrainable: number | string | null };
}
interface JsonFile {
  file: string;
  models: JsonModel[];
}

function run(...args: string[]): { status: number | null; files: JsonFile[]; stderr: string } {
  const r = spawnSync(process.execPath, [cli, "--json", ...args], { cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, files: r.stdout ? (JSON.parse(r.stdout) as JsonFile[]) : [], stderr: r.stderr };
}

const byName = (files: readonly JsonFile[], name: string) => {
  const found = files.find((f) => f.file.endsWith(name));
  assert.ok(found, `${name} was analysed`);
  return found;
};

before(() => {
  const build = spawnSync(process.execPath, [join(root, "scripts", "build.mjs")], { cwd: root, encoding: "utf8" });
  assert.equal(build.status, 0, build.stderr);
});

describe("layer-lens on a project folder", () => {
  const { status, files, stderr } = run(project);

  test("every file is analysed, with the project's imports followed", () => {
    assert.equal(status, 0, stderr);
    const names = files.map((f) => f.file.slice(project.length + 1)).sort();
    assert.deepEqual(names, ["config.py", "explore.ipynb", "models/__init__.py", "models/blocks.py", "models/heads.py", "torch_nets/__init__.py", "torch_nets/common.py", "torch_nets/layers.py", "train.py", "train_torch.py"]);
    const [cnn] = byName(files, "/train.py").models;
    // See test/lsp/project.test.ts for the arithmetic: two conv blocks, a residual block and a classifier.
    assert.deepEqual([cnn.totals.total, cnn.totals.trainable, cnn.totals.nonTrainable], [140_650, 140_266, 384]);
    assert.deepEqual(cnn.layers.map((l) => l.layer), [
      "Input",
      ...["Conv2D", "BatchNormalization", "Activation", "Conv2D", "BatchNormalization", "Activation", "MaxPooling2D"],
      ...["Conv2D", "BatchNormalization", "Activation", "Conv2D", "BatchNormalization", "Activation", "MaxPooling2D"],
      ...["ResidualBlock", "GlobalAveragePooling2D", "Dropout", "Dense"],
    ]);
    // The notebook imports the same modules: conv_block(inputs, 16) and the classifier, 2,864 + 170.
    assert.equal(byName(files, "explore.ipynb").models[0].totals.total, 3_034);
    // A module on its own shows no model of a script that imports it.
    assert.deepEqual(byName(files, "models/blocks.py").models, []);
  });

  test("the PyTorch model built from torch_nets/ is what python3-torch builds from the same files", () => {
    const oracle = spawnSync(
      "/usr/bin/python3",
      ["-c", ["import json, sys, torch", "from torch_nets.layers import Net", "model = Net(3, classes=10)", "out = model(torch.randn(64, 3, 32, 32))", "print(json.dumps([sum(p.numel() for p in model.parameters()), list(out.shape)]))"].join("\n")],
      { cwd: project, encoding: "utf8" },
    );
    assert.equal(oracle.status, 0, oracle.stderr);
    const [parameters, shape] = JSON.parse(oracle.stdout) as [number, number[]];
    const [net] = byName(files, "train_torch.py").models;
    assert.equal(net.totals.total, parameters);
    assert.deepEqual(net.layers.at(-1)?.output, shape);
    assert.deepEqual(net.input, [64, 3, 32, 32]);
  });
});

describe("where a script's imports are looked for", () => {
  test("a file named alone: its own folder", () => {
    const { status, files } = run(join(project, "train.py"));
    assert.equal(status, 0);
    assert.equal(files[0].models[0].totals.total, 140_650);
  });

  test("a script elsewhere: with --root, the project's modules; without, unknown", () => {
    const elsewhere = mkdtempSync(join(tmpdir(), "layer-lens-cli-root-"));
    try {
      const script = join(elsewhere, "tiny.py");
      writeFileSync(script, ["import keras", "from models import classifier", "inputs = keras.Input((4, 4, 8))", "model = keras.Model(inputs, classifier(inputs, 3))", ""].join("\n"));
      // Dense(3) on 8 channels: 8·3 + 3.
      assert.equal(run("--root", project, script).files[0].models[0].totals.total, 27);
      assert.equal(run(script).files[0].models[0].totals.total, null);
      const wrong = spawnSync(process.execPath, [cli, "--root", join(elsewhere, "missing"), script], { encoding: "utf8" });
      assert.equal(wrong.status, 2);
      assert.match(wrong.stderr, /--root takes a folder/);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  test("a copy of the project changed on disk is read as it is", () => {
    const copy = mkdtempSync(join(tmpdir(), "layer-lens-cli-copy-"));
    try {
      cpSync(project, copy, { recursive: true });
      writeFileSync(join(copy, "config.py"), "IMG_SIZE = 32\nCHANNELS = 3\nNUM_CLASSES = 100\nWIDTHS = (32, 64)\nDROPOUT = 0.25\nBATCH_SIZE = 64\n");
      // Dense(100) on 64 channels: 6,500 instead of 650.
      assert.equal(run(join(copy, "train.py")).files[0].models[0].totals.total, 140_650 - 650 + 6_500);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
