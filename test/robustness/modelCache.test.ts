/**
 * The per-model analysis cache must be invisible: after any edit, the cached
 * analysis of every model equals what the engine computes from scratch.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { analyzeSequential } from "../../server/src/engine/analyze";
import { ModelAnalysisCache } from "../../server/src/lsp/modelCache";
import { extractModels } from "../../server/src/python/extract";
import { parsePython } from "../../server/src/python/parser";
import { ROOT } from "../lsp/client";

const sources = [
  ...readdirSync(join(ROOT, "test", "fixtures")).filter((f) => f.endsWith(".py")).map((f) => join(ROOT, "test", "fixtures", f)),
  ...readdirSync(join(ROOT, "examples")).filter((f) => f.endsWith(".py")).map((f) => join(ROOT, "examples", f)),
].map((path) => readFileSync(path, "utf8"));

/** Edits that move models without changing them, change one, or duplicate one (two equal models at different places). */
function edits(text: string): string[] {
  const firstModel = text.indexOf("keras.Sequential");
  const units = /Dense\((\d+)/.exec(text);
  return [
    `# a comment that moves everything\n${text}`,
    text.replace("\n", "\n\n\n"),
    units ? text.replace(units[0], `Dense(${Number(units[1]) + 1}`) : text,
    firstModel >= 0 ? `${text}\n${text.slice(text.lastIndexOf("\n", firstModel) + 1)}` : text,
    text,
    `x = 1\n${text}`,
  ];
}

test("cached analyses equal fresh ones after edits that move, change and duplicate models", () => {
  let compared = 0;
  for (const source of sources) {
    const cache = new ModelAnalysisCache();
    for (const text of [source, ...edits(source)]) {
      const models = extractModels(parsePython(text), text);
      const cached = cache.analyzeAll(models);
      assert.equal(cached.length, models.length);
      models.forEach((model, i) => assert.deepEqual(cached[i], analyzeSequential(model)));
      compared += models.length;
    }
  }
  assert.ok(compared > 100, `only ${compared} models compared`);
});

test("numbers JSON cannot write keep models apart: Dense(1e309), Dense(None) and Dense(-0.0) are three models", () => {
  const cache = new ModelAnalysisCache();
  for (const units of ["1e309", "None", "-0.0", "0", "float('nan')"]) {
    const text = `import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(${units})])\n`;
    const models = extractModels(parsePython(text), text);
    assert.deepEqual(cache.analyzeAll(models), models.map(analyzeSequential), units);
  }
});
