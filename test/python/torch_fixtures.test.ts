/**
 * The PyTorch tutorials' classic nets (test/fixtures/torch), each read by Layer Lens and run by PyTorch itself
 * (Debian's python3-torch, `torch_trace.py`): for every module the fixture constructs, the shapes of its outputs
 * and its parameters, by the line of its constructor call, and every top-level model's sum(p.numel()), all and
 * trainable. Nothing expected is typed by hand.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { analyzeText } from "../../server/src/analysis";
import { formatShape } from "../../server/src/engine/shape";

/** Debian's interpreter, which has python3-torch (another python3 on the PATH may not). */
const PYTHON = "/usr/bin/python3";
const FIXTURES = join(__dirname, "../fixtures/torch");

interface Traced {
  readonly modules: Record<string, { readonly shapes: number[][]; readonly params: number }>;
  readonly models: Record<string, { readonly total: number; readonly trainable: number }>;
}

function trace(file: string): Traced {
  const out = execFileSync(PYTHON, [join(__dirname, "torch_trace.py"), file], { encoding: "utf8" });
  return JSON.parse(out.trim().split("\n").pop()!) as Traced;
}

const lineOf = (text: string, offset: number) => text.slice(0, offset).split("\n").length;

for (const name of readdirSync(FIXTURES).filter((f) => f.endsWith(".py")).sort()) {
  test(`${name}: every module's shapes and parameters, and each model's total, as PyTorch computes them`, () => {
    const file = join(FIXTURES, name);
    const text = readFileSync(file, "utf8");
    const torch = trace(file);
    const analysis = analyzeText(text);
    // Each module's first call carries its parameters; later calls share them.
    const ours = new Map<number, { shapes: string[]; params: (bigint | undefined)[] }>();
    for (const layer of analysis.calls) {
      if (layer.element.type !== "layer" || !layer.element.constructed) continue;
      const line = lineOf(text, layer.element.constructed.start);
      const entry = ours.get(line) ?? { shapes: [], params: [] };
      entry.shapes.push(layer.output ? formatShape(layer.output) : "?");
      if (!layer.sharedWith) entry.params.push(layer.params);
      ours.set(line, entry);
    }
    for (const [line, expected] of Object.entries(torch.modules)) {
      const got = ours.get(Number(line));
      assert.ok(got, `${name}:${line}: PyTorch ran a module made here; Layer Lens shows nothing`);
      const shapes = expected.shapes.map((s) => `(${s.join(", ")})`).sort();
      assert.deepEqual([...got.shapes].sort(), shapes, `${name}:${line}: output shapes`);
      assert.ok(got.params.every((p) => p !== undefined), `${name}:${line}: parameters unknown`);
      assert.equal(got.params.reduce((a, p) => a! + p!, 0n), BigInt(expected.params), `${name}:${line}: parameters`);
    }
    for (const [model, count] of Object.entries(torch.models)) {
      if (count.total === 0) continue;
      const found = analysis.models.find((m) => m.model.name === model);
      assert.ok(found, `${name}: the model ${model} is not found`);
      assert.equal(found.totals.total, BigInt(count.total), `${name}: ${model}'s total params`);
      assert.equal(found.totals.trainable, BigInt(count.trainable), `${name}: ${model}'s trainable params`);
    }
  });
}
