/**
 * The incremental analysis (`IncrementalProgram`) against the oracle it must equal:
 * one interpreter run over the whole file (`extractProgram` + `analyzeProgram`).
 * Compared on every fixture and example, on programs where objects and names cross
 * between distant statements, and after each of a few hundred random edits applied
 * to a kept analysis with incremental parsing, as the server does.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { Tree } from "@lezer/common";
import { ProgramAnalysis, analyzeProgram, within } from "../../server/src/engine/analyze";
import { documentHints, hoverAt } from "../../server/src/engine/report";
import { extractProgram as extractOnce } from "../../server/src/python/extract";
import { treeGeneration } from "../../server/src/python/libraries/generation";
import { IncrementalProgram, partLookups } from "../../server/src/python/incremental";
import { ParsedDocument, parsePython } from "../../server/src/python/parser";
import { LensDocument } from "../../server/src/lsp/document";
import { TextDocument } from "vscode-languageserver-textdocument";
// @ts-expect-error: a plain ES module without types (the benchmark's generator of realistic files).
import { generateKerasFile, random } from "../../scripts/bench-corpus.mjs";

const OPTIONS = { shapes: true, parameters: true, batchDimension: true, totals: true };

/** The oracle's program: one interpreter run over the whole tree, read as the Keras generation the whole file shows. */
function extractProgram(tree: Tree, text: string): ReturnType<typeof extractOnce> {
  return extractOnce(tree, text, treeGeneration(tree, text));
}

/** Everything a user sees of an analysis (up to an offset), order-free: hints with their tooltips, and diagnostics. */
function seen(analysis: ProgramAnalysis, through = Infinity): string[] {
  const hints = documentHints(analysis, OPTIONS, (offset) => offset <= through).map((h) => `hint ${h.offset} ${h.candidates[0]}\n${h.explain()}`);
  const diagnostics = analysis.diagnostics.filter((d) => d.span.start <= through).map((d) => `${d.code} ${d.span.start}-${d.span.end} ${d.message} ${d.related.map((r) => `${r.span.start}:${r.message}`).join("|")}`);
  return [...hints, ...diagnostics].sort();
}

function wholeFile(text: string, tree: Tree): string[] {
  return seen(analyzeProgram(extractProgram(tree, text)));
}

/** Compares with one run over the tree of a fresh parse (an edited document's tree is the same: errorZones.ts). */
function assertSameAsWholeFile(text: string, analysis: ProgramAnalysis, what: string): void {
  const expected = wholeFile(text, parsePython(text));
  const actual = seen(analysis);
  if (actual.join("\n") === expected.join("\n")) return;
  const missing = expected.filter((l) => !actual.includes(l)).slice(0, 3);
  const extra = actual.filter((l) => !expected.includes(l)).slice(0, 3);
  assert.fail(`${what}: differs from one run over the whole file\nmissing: ${missing.join("\n---\n")}\nextra: ${extra.join("\n---\n")}`);
}

const PRELUDE = "import keras\nfrom keras import layers\n";

/** Programs whose statements reach each other across unrelated code (each between two filler models). */
const CROSSINGS: Record<string, string> = {
  "a model completed by .add far below": "model = keras.Sequential([keras.Input((8,))])\n@@\nmodel.add(layers.Dense(3))\n",
  "a constant rebound between its uses": "N = 4\na = keras.Sequential([keras.Input((2,)), layers.Dense(N)])\n@@\nN = 8\nb = keras.Sequential([keras.Input((2,)), layers.Dense(N)])\n",
  "a helper defined at the top, called at the bottom":
    "def head(x, n):\n    return layers.Dense(n)(x)\n@@\ni = keras.Input((5,))\no = head(i, 3)\nm = keras.Model(i, o)\n",
  "a helper never called reads a constant rebound later": "U = 3\ndef build():\n    return keras.Sequential([keras.Input((4,)), layers.Dense(U)])\n@@\nU = 7\n",
  "a star import in the middle": "@@\nfrom keras.layers import *\nm = keras.Sequential([keras.Input((3,)), Dense(2)])\n",
  "a helper rebinding a module name with global":
    "def make():\n    global M\n    M = keras.Sequential([keras.Input((3,)), layers.Dense(2)])\n@@\nmake()\n@@\nM.add(layers.Dense(4))\n",
  "an annotation naming a constant": "SEQ = 12\n@@\n# input: (None, SEQ, 4)\nclass Net(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.d = layers.Dense(2)\n    def call(self, x):\n        return self.d(x)\n",
  "a subclass built far below": "class Net(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.d = layers.Dense(2)\n    def call(self, x):\n        return self.d(x)\nnet = Net()\n@@\nnet.build((None, 6))\n",
  "objects kept in a tuple": "a = keras.Sequential([keras.Input((3,)), layers.Dense(2)])\npair = (a, 1)\n@@\nfirst, _ = pair\nwide = keras.Sequential([keras.Input((3,)), first, layers.Dense(9)])\n",
  "a rebinding inside an if does not cut": "model = keras.Sequential([keras.Input((8,))])\nif FLAG:\n    model = 3\n@@\nmodel.add(layers.Dense(3))\n",
  "a dict config changed later": "cfg = dict(units=3)\n@@\ncfg['units'] = 5\nm = keras.Sequential([keras.Input((2,)), layers.Dense(**cfg)])\n",
  "a shared layer called in two places": "shared = layers.Dense(4)\na = keras.Input((3,))\n@@\nb = keras.Input((3,))\nm = keras.Model([a, b], [shared(a), shared(b)])\n",
  "functional chains reusing x": "i = keras.Input((4,))\nx = layers.Dense(3)(i)\nm1 = keras.Model(i, x)\n@@\ni = keras.Input((6,))\nx = layers.Dense(5)(i)\nx = layers.Dense(2)(x)\nm2 = keras.Model(i, x)\n",
  "a module alias rebound": "import keras.layers as L\n@@\nL = None\nm = keras.Sequential([keras.Input((3,)), L.Dense(2)])\n",
  "a helper never called, and an import below binding a name it reads":
    "def build():\n    return keras.Sequential([keras.Input((4,)), L.Dense(2)])\n@@\nimport keras.layers as L\n",
  "a helper never called, and a star import below": "def build():\n    return keras.Sequential([keras.Input((4,)), Dense(2)])\n@@\nfrom keras.layers import *\n",
  "a loop adding to a model": "model = keras.Sequential([keras.Input((4,))])\n@@\nfor n in [8, 4]:\n    model.add(layers.Dense(n))\n",
  "a helper rebinding a constant with global, called far below":
    "N = 4\ndef grow():\n    global N\n    N = 8\n@@\ngrow()\n@@\nm = keras.Sequential([keras.Input((2,)), layers.Dense(N)])\n",
  "a helper never called reading a constant that a helper called far below rebinds with global":
    "def late():\n    return keras.Sequential([keras.Input((2,)), layers.Dense(N)])\nN = 4\ndef grow():\n    global N\n    N = 8\n@@\ngrow()\n",
  "a helper never called rebinding a constant with global":
    "N = 4\ndef grow():\n    global N\n    N = 8\n@@\nm = keras.Sequential([keras.Input((2,)), layers.Dense(N)])\n@@\ndef late():\n    return keras.Sequential([keras.Input((2,)), layers.Dense(N)])\n",
  "a list appended to far below": "sizes = [3]\n@@\nsizes.append(5)\n@@\nfor n in sizes:\n    m = keras.Sequential([keras.Input((2,)), layers.Dense(n)])\n",
  "a list a helper appends to, called far below":
    "sizes = [3]\ndef grow():\n    sizes.append(5)\n@@\ngrow()\n@@\nm = keras.Sequential([keras.Input((2,)), layers.Dense(len(sizes))])\n",
  "a list a helper never called appends to": "sizes = [3]\ndef grow():\n    sizes.append(5)\n@@\nm = keras.Sequential([keras.Input((2,)), layers.Dense(len(sizes))])\n",
  "a helper never called reading a list appended to far below":
    "sizes = [3]\ndef late():\n    return keras.Sequential([keras.Input((2,)), layers.Dense(len(sizes))])\n@@\nsizes.append(5)\n",
  "a list a helper fills through its parameter, far below":
    "def fill(out, widths):\n    for w in widths:\n        out.append(layers.Dense(w))\nblocks = [keras.Input((3,))]\n@@\nfill(blocks, [4, 2])\n@@\nm = keras.Sequential(blocks)\n",
  "a list changed through another name far below":
    "a = [3]\nb = a\n@@\nb.append(5)\n@@\nm = keras.Sequential([keras.Input((2,)), layers.Dense(len(a))])\n",
  "a helper never called reading a list item assigned far below":
    "sizes = [3]\ndef late():\n    return keras.Sequential([keras.Input((2,)), layers.Dense(sizes[0])])\n@@\nsizes[0] = 5\n",
  "a dict updated far below": "cfg = dict(units=3)\n@@\ncfg.update(units=6)\nm = keras.Sequential([keras.Input((2,)), layers.Dense(**cfg)])\n",
  "a match rebinding a constant": "K = 3\n@@\nmatch K:\n    case 3:\n        K = 5\n@@\nm = keras.Sequential([keras.Input((2,)), layers.Dense(K)])\n",
  "a dict item set in a branch": "cfg = {'units': 3}\n@@\nif FLAG:\n    cfg['units'] = 5\n@@\nm = keras.Sequential([keras.Input((2,)), layers.Dense(**cfg)])\n",
};

/** A small unrelated model, so crossings have something between their statements. */
function filler(k: number): string {
  return `filler_${k} = keras.Sequential([keras.Input((${k + 2},)), layers.Dense(${k + 1})])\n`;
}

function crossingProgram(template: string): string {
  let k = 0;
  return PRELUDE + template.split("@@\n").join(`${filler(k++)}${filler(k++)}`);
}

describe("incremental analysis equals one run over the whole file", () => {
  const files = [
    ...readdirSync("test/fixtures").filter((f) => f.endsWith(".py")).map((f) => join("test/fixtures", f)),
    ...readdirSync("examples").filter((f) => f.endsWith(".py")).map((f) => join("examples", f)),
  ];
  for (const file of files) {
    test(file, () => {
      const text = readFileSync(file, "utf8");
      assertSameAsWholeFile(text, new IncrementalProgram().analyze(parsePython(text), text), file);
    });
  }

  test("the benchmark's generated 1,000-line file", () => {
    const text: string = generateKerasFile(1000, 7);
    const program = new IncrementalProgram();
    assertSameAsWholeFile(text, program.analyze(parsePython(text), text), "generated file");
    // About one model per 22 lines, each its own part: the cut is fine-grained.
    assert.ok(program.lastRun.parts > 40, `${program.lastRun.parts} parts`);
  });

  for (const [what, template] of Object.entries(CROSSINGS)) {
    test(what, () => {
      const text = crossingProgram(template);
      assertSameAsWholeFile(text, new IncrementalProgram().analyze(parsePython(text), text), what);
    });
  }
});

describe("incremental analysis after edits", () => {
  test("an edit inside one model runs that model's part only, and later parts keep their place", () => {
    const models = Array.from({ length: 30 }, (_, k) => `m${k} = keras.Sequential([keras.Input((${k + 3},)), layers.Dense(${k + 1})])\n`);
    let text = PRELUDE + models.join("");
    const doc = new ParsedDocument(text);
    const program = new IncrementalProgram();
    program.analyze(doc.tree, text);
    assert.equal(program.lastRun.ran, program.lastRun.parts);
    const at = text.indexOf("Dense(11)") + "Dense(1".length;
    text = text.slice(0, at) + "00" + text.slice(at);
    doc.update(text, [{ from: at, to: at, insertedLength: 2 }]);
    program.edited([{ from: at, to: at, insertedLength: 2 }]);
    const analysis = program.analyze(doc.tree, text);
    assert.equal(program.lastRun.ran, 1, "only the edited model runs again");
    assertSameAsWholeFile(text, analysis, "after the edit");
  });

  test("a file of thousands of identical statements: after an edit above them, each finds its own part again", () => {
    // Identical code shares one key: the lookup holds thousands of parts under it, one per place.
    let text = `${PRELUDE}N = 4\n${"counter = counter + 1\n".repeat(5000)}m = keras.Sequential([keras.Input((2,)), layers.Dense(N)])\n`;
    const doc = new ParsedDocument(text);
    const program = new IncrementalProgram();
    program.analyze(doc.tree, text);
    const parts = program.lastRun.parts;
    assert.ok(parts > 5000, `${parts} parts`);
    const at = text.indexOf("N = 4") + "N = ".length;
    text = `${text.slice(0, at)}6${text.slice(at + 1)}`;
    doc.update(text, [{ from: at, to: at + 1, insertedLength: 1 }]);
    program.edited([{ from: at, to: at + 1, insertedLength: 1 }]);
    const lookedBefore = partLookups();
    const analysis = program.analyze(doc.tree, text);
    assert.equal(program.lastRun.parts, parts);
    // The constant's statement and the model reading it; the identical statements keep theirs.
    assert.equal(program.lastRun.ran, 2);
    // A few looks per part, not one per identical part before it (12.5 million when that was so).
    const looked = partLookups() - lookedBefore;
    assert.ok(looked <= 4 * parts, `${looked} looks for ${parts} parts`);
    assertSameAsWholeFile(text, analysis, "after the edit");
  });

  test("editing a constant re-runs the parts that read it, and nothing else", () => {
    let text = `${PRELUDE}N = 4\nunrelated = keras.Sequential([keras.Input((2,)), layers.Dense(3)])\nreads = keras.Sequential([keras.Input((2,)), layers.Dense(N)])\n`;
    const doc = new ParsedDocument(text);
    const program = new IncrementalProgram();
    program.analyze(doc.tree, text);
    const at = text.indexOf("N = 4") + 4;
    text = `${text.slice(0, at)}9${text.slice(at + 1)}`;
    doc.update(text, [{ from: at, to: at + 1, insertedLength: 1 }]);
    program.edited([{ from: at, to: at + 1, insertedLength: 1 }]);
    const analysis = program.analyze(doc.tree, text);
    // The constant's own statement and the model reading it; the unrelated model is kept.
    assert.equal(program.lastRun.ran, 2);
    assertSameAsWholeFile(text, analysis, "after the edit");
  });

  /** Appends `line` to a kept analysis of `before` as an edit; the result must equal a fresh whole-file run. */
  function appendAfterAnalysis(before: string, line: string): void {
    const doc = new ParsedDocument(before);
    const program = new IncrementalProgram();
    program.analyze(doc.tree, before);
    const text = before + line;
    doc.update(text, [{ from: before.length, to: before.length, insertedLength: line.length }]);
    program.edited([{ from: before.length, to: before.length, insertedLength: line.length }]);
    assertSameAsWholeFile(text, program.analyze(doc.tree, text), `after typing ${JSON.stringify(line)}`);
  }

  test("typing on and deleting again while only the visible lines are analysed finds the earlier versions of the model", () => {
    // Visible-range analyses stop short of the end, so the lookups are never rebuilt from a complete one.
    const models = Array.from({ length: 30 }, (_, k) => `m${k} = keras.Sequential([keras.Input((${k + 3},))])\nm${k}.add(layers.Dense(${k + 1}))\n`);
    let text = PRELUDE + models.join("");
    const doc = new ParsedDocument(text);
    const program = new IncrementalProgram();
    const visible = () => text.indexOf("m12.add") + 1;
    program.analyze(doc.tree, text, visible());
    const at = text.indexOf("Dense(13)") + "Dense(1".length;
    const edit = (from: number, to: number, inserted: string) => {
      text = text.slice(0, from) + inserted + text.slice(to);
      const change = { from, to, insertedLength: inserted.length };
      doc.update(text, [change]);
      program.edited([change]);
      const analysis = program.analyze(doc.tree, text, visible());
      assert.deepEqual(seen(analysis, visible()), seen(analyzeProgram(extractProgram(doc.tree, text)), visible()));
      return program.lastRun.ran;
    };
    // The edited statement is not its part's first: each version of the part is kept under the same first statement.
    assert.equal(edit(at, at, "7"), 1);
    assert.equal(edit(at + 1, at + 1, "8"), 1);
    assert.equal(edit(at + 2, at + 2, "9"), 1);
    assert.equal(edit(at + 2, at + 3, ""), 0, "the version with 78 is found again");
    assert.equal(edit(at + 1, at + 2, ""), 0, "the version with 7 is found again");
    assert.equal(edit(at, at + 1, ""), 0, "the original is found again");
  });

  /** Replaces the first `find` in a kept analysis of `before` (as one edit); the result must equal a fresh whole-file run. */
  function replaceAfterAnalysis(before: string, find: string, replacement: string): void {
    const doc = new ParsedDocument(before);
    const program = new IncrementalProgram();
    program.analyze(doc.tree, before);
    const at = before.indexOf(find);
    const text = before.slice(0, at) + replacement + before.slice(at + find.length);
    const change = { from: at, to: at + find.length, insertedLength: replacement.length };
    doc.update(text, [change]);
    program.edited([change]);
    assertSameAsWholeFile(text, program.analyze(doc.tree, text), `after replacing ${JSON.stringify(find)}`);
  }

  test("a statement far below rewritten in place to read an earlier model joins that model's part", () => {
    // As many statements as before, one with new facts: the earlier part must not be kept as it was.
    replaceAfterAnalysis(PRELUDE + "m = keras.Sequential([keras.Input((4,))])\n" + filler(0) + "z = 1\n" + filler(1), "z = 1", "z = m");
    replaceAfterAnalysis(PRELUDE + "m = keras.Sequential([keras.Input((4,))])\n" + filler(0) + "print(1)\n" + filler(1), "print(1)", "m.add(layers.Dense(3))");
  });

  test("a constant renamed in place below a helper never called re-runs the helper's part", () => {
    replaceAfterAnalysis(PRELUDE + "U = 3\ndef build():\n    return keras.Sequential([keras.Input((4,)), layers.Dense(U)])\n" + filler(0) + "V = 7\n" + filler(1), "V = 7", "U = 7");
  });

  test("an import rewritten in place into a star import below a helper never called re-runs the helper's part", () => {
    // The helper mentions no name the import statement mentions: only the star says it may rebind them.
    const helper = "def build():\n    x = Input((4,))\n    return Dense(2)(x)\n";
    replaceAfterAnalysis(PRELUDE + helper + filler(0) + "from keras.layers import Flatten\n" + filler(1), "import Flatten", "import *");
  });

  test("a statement typed far below that reads an earlier model joins that model's part again", () => {
    appendAfterAnalysis(PRELUDE + "m = keras.Sequential([keras.Input((4,))])\n" + filler(0) + filler(1), "m.add(layers.Dense(3))\n");
  });

  test("a constant rebound far below a helper never called re-runs the helper's part", () => {
    appendAfterAnalysis(PRELUDE + "U = 3\ndef build():\n    return keras.Sequential([keras.Input((4,)), layers.Dense(U)])\n" + filler(0), "U = 7\n");
  });

  test("random edits to a kept analysis give what a fresh run over the whole file gives", () => {
    const rnd = random(11) as () => number;
    const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)];
    let text: string = Object.values(CROSSINGS).map(crossingProgram).join("") + generateKerasFile(300, 3);
    const doc = new ParsedDocument(text);
    const program = new IncrementalProgram();
    program.analyze(doc.tree, text);
    const snippets = ["7", "0", "(", ")", ",", "\n", "x", "model", " = ", "layers.Dense(2)", "#", "\n    ", "N", "global M\n"];
    let pending: { from: number; to: number; insertedLength: number }[] = [];
    for (let step = 0; step < 150; step++) {
      const lines = text.split("\n");
      const lineStarts: number[] = [];
      let offset = 0;
      for (const line of lines) {
        lineStarts.push(offset);
        offset += line.length + 1;
      }
      const line = Math.floor(rnd() * lines.length);
      let from: number;
      let to: number;
      let inserted: string;
      switch (pick(["type", "replace", "delete", "dropLine", "copyLine"])) {
        case "replace":
          // Same length: only the text tells the statement changed.
          from = lineStarts[line] + Math.floor(rnd() * lines[line].length);
          to = Math.min(text.length, from + 1);
          inserted = pick(["7", "0", "x", "N", ")"]);
          break;
        case "type":
          from = to = lineStarts[line] + Math.floor(rnd() * (lines[line].length + 1));
          inserted = pick(snippets);
          break;
        case "delete":
          from = lineStarts[line] + Math.floor(rnd() * (lines[line].length + 1));
          to = Math.min(text.length, from + 1 + Math.floor(rnd() * 3));
          inserted = "";
          break;
        case "dropLine":
          from = lineStarts[line];
          to = Math.min(text.length, from + lines[line].length + 1);
          inserted = "";
          break;
        default:
          from = to = lineStarts[line];
          inserted = `${pick(lines)}\n`;
      }
      text = text.slice(0, from) + inserted + text.slice(to);
      const change = { from, to, insertedLength: inserted.length };
      doc.update(text, [change]);
      pending.push(change);
      // Now and then two edits reach the analysis together.
      if (step % 7 === 3) continue;
      // Mostly the program is told where the edits were (as the server does); else it must find out.
      if (step % 3 !== 0) program.edited(pending);
      pending = [];
      if (step % 4 === 1) {
        // As the server does for visible lines: the analysis only as far as they reach.
        const through = Math.floor(rnd() * text.length);
        const partial = program.analyze(doc.tree, text, through);
        const expected = seen(analyzeProgram(extractProgram(parsePython(text), text)), through);
        assert.deepEqual(seen(partial, through), expected, `as far as ${through} after edit ${step}`);
      }
      assertSameAsWholeFile(text, program.analyze(doc.tree, text), `after edit ${step} at ${from}`);
    }
  });
});

describe("an analysis in slices", () => {
  test("with a deadline already past, each call runs one more part; the last gives the whole analysis", () => {
    const text: string = generateKerasFile(300, 9);
    const tree = parsePython(text);
    const program = new IncrementalProgram();
    let calls = 0;
    let analysis: ProgramAnalysis;
    do {
      analysis = program.analyze(tree, text, Infinity, 0);
      calls++;
      assert.ok(calls < 1000, "no progress");
    } while (!program.lastRun.complete);
    assert.equal(calls, program.lastRun.parts, "one part per call");
    assertSameAsWholeFile(text, analysis, "after the last slice");
  });
});

describe("an analysis in pieces", () => {
  test("the pieces around a range hold every hint and hover of that range", () => {
    const text: string = generateKerasFile(400, 5);
    const analysis = new IncrementalProgram().analyze(parsePython(text), text);
    assert.ok((analysis.pieces?.length ?? 0) > 20, `cut into ${analysis.pieces?.length} pieces`);
    const rnd = random(3) as () => number;
    const hintsIn = (a: ProgramAnalysis, from: number, to: number) =>
      documentHints(a, OPTIONS, (offset) => offset >= from && offset <= to).map((h) => `${h.offset} ${h.candidates.join("|")} ${h.explain()}`);
    for (let n = 0; n < 60; n++) {
      const from = Math.floor(rnd() * text.length);
      const to = Math.min(text.length, from + Math.floor(rnd() * 3000));
      assert.deepEqual(hintsIn(within(analysis, from, to), from, to), hintsIn(analysis, from, to), `hints in [${from}, ${to}]`);
      assert.deepEqual(hoverAt(within(analysis, from, from), from), hoverAt(analysis, from), `hover at ${from}`);
    }
  });
});

describe("the first lines of a long file, analysed before the whole file is parsed", () => {
  /** A long program (over 50,000 characters): many fillers between a crossing's statements. */
  function longProgram(template: string): string {
    let k = 0;
    const fillers = () => Array.from({ length: 400 }, () => filler(k++)).join("");
    return PRELUDE + fillers() + template.split("@@\n").join(fillers()) + fillers();
  }

  /**
   * Analyses each text as far as each of `marks` as the server does for visible lines (a new document each
   * time), and compares with one run over the whole file; how many were answered from the first lines only.
   */
  function assertHeadSameAsWholeFile(text: string, marks: readonly number[], what: string): number {
    const whole = analyzeProgram(extractProgram(parsePython(text), text));
    let fromHead = 0;
    for (const through of marks) {
      const doc = new LensDocument(TextDocument.create("file:///long.py", "python", 1, text));
      assert.deepEqual(seen(doc.analyze(through), through), seen(whole, through), `${what}, as far as ${through}`);
      if (doc.takeAnsweredFromHead()) fromHead++;
    }
    return fromHead;
  }

  for (const [what, template] of Object.entries(CROSSINGS)) {
    test(what, () => {
      const text = longProgram(template);
      // Before, within and after each crossing's statements.
      const marks = [2_000, ...[...text.matchAll(/^(?!filler_).+$/gm)].map((m) => m.index! + m[0].length)];
      assertHeadSameAsWholeFile(text, marks, what);
    });
  }

  test("the benchmark's generated 3,000-line file, at its top and further down", () => {
    const text: string = generateKerasFile(3000, 4);
    const lineStart = (line: number) => text.split("\n").slice(0, line).join("\n").length;
    const marks = [0, 60, 700, 1500].map((line) => lineStart(line + 60));
    assert.equal(assertHeadSameAsWholeFile(text, marks, "generated file"), marks.length, "answered from the first lines only");
  });

  test("after random edits, typed without a pause, as the server analyses visible lines", () => {
    const rnd = random(23) as () => number;
    const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)];
    let text: string = generateKerasFile(1600, 6);
    let doc = new LensDocument(TextDocument.create("file:///typed.py", "python", 1, text));
    // Edits that keep strings and brackets closed: a text where they are not has no outline and is parsed whole.
    const closed = (line: string) => !/"""|\\/.test(line) && (line.match(/"/g)?.length ?? 0) % 2 === 0 && [..."([{"].every((open, k) => line.split(open).length === line.split(")]}"[k]).length);
    // (No star import: once typed, every helper never called above it reaches it, mostly past the first lines.)
    const statements = ["x = 1\n", "global M\n", "model_3 = 3\n", "# input: (None, 4)\n", "\n", "    pass\n", "model_1.add(layers.Dense(2))\n"];
    let answeredFromHead = 0;
    for (let step = 0; step < 80; step++) {
      // Edits in the first third of the file, where a head is parsed.
      const lines = text.slice(0, Math.floor(text.length * 0.3)).split("\n");
      const line = Math.floor(rnd() * (lines.length - 1));
      const lineStart = lines.slice(0, line).join("\n").length + (line > 0 ? 1 : 0);
      let from = lineStart;
      let to = lineStart;
      let inserted = "";
      const kind = pick(["digit", "statement", "copy", "drop"]);
      if (kind === "digit" && /\d/.test(lines[line])) {
        from = to = lineStart + lines[line].search(/\d/);
        to++;
        inserted = String(Math.floor(rnd() * 10));
      } else if (kind === "copy" && closed(lines[line])) inserted = `${pick(lines.filter(closed))}\n`;
      else if (kind === "drop" && closed(lines[line])) to = lineStart + lines[line].length + 1;
      else inserted = pick(statements);
      const start = doc.text.positionAt(from);
      const end = doc.text.positionAt(to);
      text = text.slice(0, from) + inserted + text.slice(to);
      doc.update([{ range: { start, end }, text: inserted }], step + 2);
      const through = Math.min(text.length - 1, from + Math.floor(rnd() * 3000));
      const partial = doc.analyze(through);
      const fromHead = doc.takeAnsweredFromHead();
      if (fromHead) answeredFromHead++;
      assert.deepEqual(seen(partial, through), seen(analyzeProgram(extractProgram(parsePython(text), text)), through), `as far as ${through} after edit ${step} at ${from}`);
      // Once a document is parsed whole (a part went past its first lines), its edits are parsed incrementally;
      // and now and then the typing pauses. Then the file is opened again, with no tree.
      if (!fromHead || step % 5 === 4) doc = new LensDocument(TextDocument.create("file:///typed.py", "python", 1, text));
    }
    // (The others: a part reached past the first lines, e.g. a helper never called that reads a name the edits rebind.)
    assert.ok(answeredFromHead > 25, `${answeredFromHead} of 80 answered from the first lines only`);
  });
});

describe("parsing a long file's first lines, then the whole file in slices, with edits between", () => {
  /** The top-level statements of a tree (those starting before `until`): kind and extent. */
  const statementsOf = (tree: Tree, until = Infinity) => {
    const found: string[] = [];
    const walk = tree.cursor();
    for (let more = walk.firstChild(); more && walk.from < until; more = walk.nextSibling()) found.push(`${walk.name}@${walk.from}-${walk.to}`);
    return found;
  };

  test("heads parsed from earlier heads' nodes, with edits between, have a fresh parse's statements", () => {
    const rnd = random(37) as () => number;
    let text: string = generateKerasFile(3000, 12);
    let compared = 0;
    for (let trial = 0; trial < 12; trial++) {
      const doc = new ParsedDocument(text);
      let through = Math.floor(rnd() * text.length * 0.4);
      for (let round = 0; round < 6; round++) {
        const head = doc.headTree(through, 2000);
        const fresh = statementsOf(parsePython(text), head?.until);
        assert.deepEqual(fresh.filter((s) => s.startsWith("⚠")), [], "valid code parses without errors");
        if (head) {
          assert.deepEqual(statementsOf(head.tree, head.until), fresh, `head ${trial}.${round}`);
          compared++;
        }
        // A digit typed into a number before the cut: the code stays valid.
        const near = Math.floor(rnd() * through);
        const at = near + Math.max(0, text.slice(near).search(/\d/));
        text = `${text.slice(0, at)}7${text.slice(at)}`;
        doc.update(text, [{ from: at, to: at, insertedLength: 1 }]);
        through = Math.min(text.length - 1, through + Math.floor(rnd() * 5000));
      }
    }
    assert.ok(compared > 40, `${compared} heads compared`);
  });

  test("a whole parse in slices with edits between gives the tree of a parse of the whole text at once", () => {
    const rnd = random(31) as () => number;
    let text: string = generateKerasFile(3000, 12);
    const doc = new ParsedDocument(text);
    doc.headTree(1000, 2000);
    let done = false;
    for (let round = 0; !done; round++) {
      assert.ok(round < 1000, "the whole parse never completes");
      for (let slices = Math.floor(rnd() * 40); slices > 0 && !done; slices--) done = doc.parseUntil(0);
      // A digit typed into a number: the code stays valid.
      const near = Math.floor(rnd() * text.length);
      const next = text.slice(near).search(/\d/);
      const at = next < 0 ? text.search(/\d/) : near + next;
      text = `${text.slice(0, at)}7${text.slice(at)}`;
      doc.update(text, [{ from: at, to: at, insertedLength: 1 }]);
      done = round > 10 && doc.parseUntil(Infinity);
    }
    const incremental = new ParsedDocument(text);
    assert.deepEqual(statementsOf(doc.tree), statementsOf(incremental.tree));
  });
});
