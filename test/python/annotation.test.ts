/**
 * The `# input: (None, 28, 28, 1)` annotation of subclassed models: the TextMate
 * injection grammar that highlights it (valid, contributed to Python, matching the
 * examples README documents), and the front end reading the same comments.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../lsp/client";
import { analyzeText } from "../../server/src/analysis";
import { formatShape } from "../../server/src/engine/shape";

interface Grammar {
  scopeName: string;
  injectionSelector: string;
  patterns: { include: string }[];
  repository: Record<string, { match: string; captures: Record<string, { name: string; patterns?: { match: string; name: string }[] }> }>;
}

const packageJson = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
const contributed = packageJson.contributes.grammars as { scopeName: string; path: string; injectTo: string[] }[];
const readme = readFileSync(join(ROOT, "README.md"), "utf8");

/**
 * Every `# input: …` annotation README shows in a code span or block: with a shape, not a mention of the
 * comment alone nor the quick fix's placeholder `(None, ?)`, which is meant not to be read until filled in.
 */
const documented = [...readme.matchAll(/#\s*input\s*:[^`\n]*/g)].map((m) => m[0].trim()).filter((e) => /:\s*[([]/.test(e) && !e.includes("?"));

describe("the input annotation grammar", () => {
  const entry = contributed.find((g) => g.injectTo?.includes("source.python"));
  assert.ok(entry, "package.json contributes a grammar injected into source.python");
  const grammar = JSON.parse(readFileSync(join(ROOT, entry.path), "utf8")) as Grammar;
  const rule = grammar.repository[grammar.patterns[0].include.slice(1)];
  const regex = new RegExp(rule.match);

  test("is valid JSON whose scope name is the one package.json contributes, injected into Python comments", () => {
    assert.equal(grammar.scopeName, entry.scopeName);
    assert.match(grammar.injectionSelector, /comment\.line\.number-sign\.python/);
  });

  test("README documents the annotation", () => assert.ok(documented.length >= 2, `found ${JSON.stringify(documented)}`));

  test("matches every documented example and captures the shape", () => {
    for (const example of documented) {
      const match = regex.exec(example);
      assert.ok(match, `no match for ${example}`);
      assert.equal(match[1], "input");
      assert.equal(match[3], example.slice(example.indexOf(":") + 1).trim());
    }
  });

  test("highlights None, numbers and names inside the shape", () => {
    // As TextMate scans: at each position the first pattern that matches there wins.
    const inner = rule.captures["3"].patterns!.map((p) => [new RegExp(p.match, "y"), p.name] as const);
    const shape = "(None, IMG, 28, 1)";
    const found: string[] = [];
    for (let at = 0; at < shape.length; ) {
      const hit = inner.map(([r, name]) => ((r.lastIndex = at), [r.exec(shape), name] as const)).find(([m]) => m);
      if (hit) found.push(`${hit[0]![0]}:${hit[1]}`);
      at += hit ? hit[0]![0].length : 1;
    }
    assert.deepEqual(found, [
      "None:constant.language.none.layer-lens",
      "IMG:variable.other.constant.layer-lens",
      "28:constant.numeric.integer.layer-lens",
      "1:constant.numeric.integer.layer-lens",
    ]);
  });

  test("does not match comments that are not the annotation", () => {
    for (const comment of ["# inputs: (None, 3)", "# the input: (None, 3)", "# input", "#: input (None, 3)"]) {
      assert.equal(regex.exec(comment), null, comment);
    }
  });
});

describe("the front end reads the annotation", () => {
  const model = (annotated: string) =>
    analyzeText(`import keras\nfrom keras import layers\nIMG = 28\n${annotated}\n        return layers.Flatten()(x)\n`).models.find((m) => m.model.kind === "subclassed");
  const shapes: [string, string][] = [
    ["# input: (None, 28, 28, 1)\nclass Net(keras.Model):\n    def call(self, x):", "(None, 28, 28, 1)"],
    ["class Net(keras.Model):  # input: (None, IMG, IMG, 3)\n    def call(self, x):", "(None, 28, 28, 3)"],
    ["class Net(keras.Model):\n    def call(self, x):  #input:(None, 5, 2)", "(None, 5, 2)"],
    ["class Net(keras.Model):\n    # input: (None, 7, 7)\n    def call(self, x):", "(None, 7, 7)"],
  ];
  for (const [source, shape] of shapes) {
    test(`${source.split("\n").find((l) => l.includes("input"))!.trim()} gives ${shape}`, () => {
      const found = model(source);
      assert.ok(found?.input, "the model has an input shape");
      assert.equal(formatShape(found.input), shape);
      const flatten = found.layers.find((l) => l.element.type === "layer" && l.element.kind === "Flatten");
      assert.ok(flatten?.output);
    });
  }

  test("a comment that is not an annotation, or is not next to the class, leaves the input unknown", () => {
    for (const source of ["# inputs: (None, 3)\nclass Net(keras.Model):\n    def call(self, x):", "# input: (None, 3)\n\nclass Net(keras.Model):\n    def call(self, x):"]) {
      const found = model(source);
      assert.ok(found, source);
      assert.equal(found.input, undefined, source);
      assert.ok(found.diagnostics.some((d) => d.code === "LL302"), source);
    }
  });
});
