/**
 * `node dist/cli.js FILE --keras-version 2|3|auto`: the file read as tf.keras 2, as Keras 3, or as it shows
 * (the default). AveragePooling2D() pools by tf.keras 2's default (2, 2) (tf_keras/layers/pooling/
 * average_pooling2d.py); Keras 3 requires pool_size (keras/src/layers/pooling/average_pooling2d.py).
 */
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = join(__dirname, "..", "..");
const cli = join(root, "dist", "cli.js");

const TEXT = `from tensorflow import keras
from tensorflow.keras import layers

model = keras.Sequential([
    keras.Input(shape=(28, 28, 3)),
    layers.AveragePooling2D(),
    layers.Flatten(),
    layers.Dense(10),
])
`;

let file: string;

before(() => {
  if (!existsSync(cli)) {
    const build = spawnSync(process.execPath, [join(root, "scripts", "build.mjs")], { cwd: root, encoding: "utf8" });
    assert.equal(build.status, 0, build.stderr);
  }
  const dir = mkdtempSync(join(tmpdir(), "layer-lens-keras-version-"));
  process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  file = join(dir, "pooled.py");
  writeFileSync(file, TEXT);
});

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: "utf8" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test("by default the file's imports tell: neither here, so a warning and an unknown pool; exit 0", () => {
  const { status, stdout } = run(file);
  assert.equal(status, 0, stdout);
  assert.match(stdout, /^AveragePooling2D\s+6\s+\(None, \?, \?, 3\)/m);
  assert.match(stdout, /warning LL206: tf\.keras 2 and Keras 3 differ here/);
  assert.deepEqual(run(file, "--keras-version", "auto").stdout, stdout);
});

test("--keras-version 2: (2, 2) pooling, ⌊(28 − 2) / 2⌋ + 1 = 14; Flatten 588; Dense 588·10 + 10 = 5,890", () => {
  const { status, stdout } = run(file, "--keras-version", "2", "--json");
  assert.equal(status, 0, stdout);
  const [report] = JSON.parse(stdout) as { models: { layers: { layer: string; output: unknown; params: number | null }[]; totals: { total: number }; diagnostics: unknown[] }[] }[];
  const model = report.models[0];
  assert.deepEqual(model.layers.map((l) => [l.layer, l.output]), [["Input", [null, 28, 28, 3]], ["AveragePooling2D", [null, 14, 14, 3]], ["Flatten", [null, 588]], ["Dense", [null, 10]]]);
  assert.equal(model.totals.total, 5890);
  assert.deepEqual(model.diagnostics, []);
});

test("--keras-version 3: pool_size is required (LL111), an error: exit 1", () => {
  const { status, stdout } = run("--keras-version", "3", file);
  assert.equal(status, 1, stdout);
  assert.match(stdout, /error LL111: AveragePooling2D needs the argument 'pool_size'/);
});

test("a value other than 2, 3 or auto, or none, is a usage error (exit 2)", () => {
  for (const args of [[file, "--keras-version", "4"], [file, "--keras-version"], [file, "--keras-version", "toString"]]) {
    const { status, stderr } = run(...args);
    assert.equal(status, 2, args.join(" "));
    assert.match(stderr, /--keras-version 2\|3\|auto/);
  }
});
