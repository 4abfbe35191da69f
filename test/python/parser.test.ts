/**
 * The parser on long files: @lezer/lr's guard against trees too deep to walk must not cut valid
 * statements in two. It forces a parse out of a construct after 300 reductions of it over 2,000
 * characters, and also counted the top level's, so in a long file with comments between its
 * statements (or of a function's body) one statement in every 300 or so became error nodes.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { Tree } from "@lezer/common";
import { TextDocument } from "vscode-languageserver-textdocument";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ParsedDocument, parsePython } from "../../server/src/python/parser";
import { ROOT } from "../lsp/client";
import { LensDocument } from "../../server/src/lsp/document";
import { inlayHints } from "../../server/src/lsp/inlayHints";
import { defaultSettings } from "../../server/src/lsp/settings";

/** `count` assignments, each after a blank line and a comment: ~25 characters a statement. */
const commented = (count: number) => Array.from({ length: count }, (_, i) => `\n# step ${i}\nvalue_${i} = f(${i})`).join("\n") + "\n";

function errorsIn(tree: Tree): number[] {
  const at: number[] = [];
  tree.iterate({ enter: (node) => void (node.type.isError && at.push(node.from)) });
  return at;
}

const assignments = (tree: Tree) => tree.topNode.getChildren("AssignStatement").length;

describe("long files with comments between statements", () => {
  test("parsed whole: every statement is one assignment, and no error", () => {
    const parsed = new ParsedDocument(commented(3000));
    assert.deepEqual(errorsIn(parsed.tree), []);
    assert.equal(assignments(parsed.tree), 3000);
  });

  test("parsed again after an edit, from the last tree: still no error", () => {
    const text = commented(3000);
    const parsed = new ParsedDocument(text);
    assert.deepEqual(errorsIn(parsed.tree), []);
    const at = text.indexOf("value_1500 = f(1500)") + "value_1500 = f(".length;
    parsed.update(`${text.slice(0, at)}7${text.slice(at)}`, [{ from: at, to: at, insertedLength: 1 }]);
    assert.deepEqual(errorsIn(parsed.tree), []);
    assert.equal(assignments(parsed.tree), 3000);
  });

  test("a function whose body is such a block: no error", () => {
    const body = commented(3000).replace(/\n(?=.)/g, "\n    ");
    const parsed = new ParsedDocument(`def build():${body}`);
    assert.deepEqual(errorsIn(parsed.tree), []);
    assert.equal(parsed.tree.topNode.getChild("FunctionDefinition")!.getChild("Body")!.getChildren("AssignStatement").length, 3000);
  });

  test("the first lines of such a file, parsed before the rest: no error", () => {
    const text = commented(6000);
    const head = new ParsedDocument(text).headTree(text.indexOf("value_2500 = "), 2_000);
    assert.ok(head, "a file this long is parsed head first");
    // Its statements are those before `until` (where its parse stopped, the next one may be cut).
    assert.deepEqual(errorsIn(head.tree).filter((at) => at < head.until), []);
    assert.ok(head.until > text.indexOf("value_2500 = "));
  });
});

const labelsOf = (text: string, lines: number) => {
  const doc = new LensDocument(TextDocument.create("file:///sum.py", "python", 1, text));
  const hints = inlayHints(doc, { start: { line: 0, character: 0 }, end: { line: lines, character: 0 } }, defaultSettings, 0);
  return hints.map((hint) => (typeof hint.label === "string" ? hint.label : hint.label.map((part) => part.value).join("")));
};

test("a 100,000-term sum opening a file, which the guard is for, still leaves the model after it its hints", () => {
  const sum = Array.from({ length: 100_000 }, () => "1").join(" + ");
  const text = [sum, "import keras", "from keras import layers", "m = keras.Sequential([", "    keras.Input((3,)),", "    layers.Dense(2),", "])", ""].join("\n");
  // Dense(2) on 3 features: (3 + 1)·2 = 8 params, 32 bytes.
  assert.deepEqual(labelsOf(text, 7), ["(None, 3)", "(None, 2) · 8 params", "Total params: 8 (32.00 B)"]);
});

test("a 100,000-term sum written a term a line, whose chain starts a line, gives the layer it sizes its units or none", () => {
  const sum = ["UNITS = (", "    1", ...Array.from({ length: 99_999 }, () => "    + 1"), ")"];
  const text = ["import keras", "from keras import layers", ...sum, "m = keras.Sequential([", "    keras.Input((3,)),", "    layers.Dense(UNITS),", "])", ""].join("\n");
  const [input, dense, totals] = labelsOf(text, sum.length + 10);
  assert.equal(input, "(None, 3)");
  // Dense(100,000) on 3 features: (3 + 1)·100,000 = 400,000 params; unknown is honest too, a wrong number is not.
  assert.ok(["(None, 100000) · 400,000 params", "(None, ?) · ? params"].includes(dense), dense);
  assert.ok(["Total params: 400,000 (1.53 MB)", "Total params: ?"].includes(totals), totals);
});

/**
 * Edit sequences after which Lezer's incremental parse, left to reuse nodes near syntax errors,
 * gave another tree than a fresh parse (found by test/robustness/differential.test.ts and by
 * random edits to the fixtures). Offsets are taken modulo the text's length plus one, as there.
 */
const DIVERGING_EDITS: Record<string, { file: string; edits: { from: number; length: number; text: string }[]; parsedBetween?: false }> = {
  "an error recovered in an indented body far below a new one": {
    file: "test/fixtures/real_script_vae.py",
    edits: [
      { from: 2069, length: 4, text: "[" },
      { from: 3254, length: 4, text: "-" },
      { from: 639, length: 2, text: "[" },
      { from: 251, length: 5, text: "x =" },
      { from: 1771, length: 5, text: "x =" },
    ],
  },
  // docs/lezer-incremental-recovery.md: Lezer alone takes the statements after `class Paths:` into its body.
  "the reproduction written for Lezer": {
    file: "docs/lezer-repro/before.py",
    edits: [{ from: 104, length: 3, text: "" }],
  },
  // Found by `npm run fuzz 5000` once error zones were in place (edits not parsed one by one, as there).
  "a comma typed over a generated file's first line, then a deletion": {
    file: "test/python/diverging/generated_1.py",
    edits: [
      { from: 0, length: 12, text: "," },
      { from: 452191543, length: 3, text: "" },
      { from: 0, length: 0, text: "" },
    ],
    parsedBetween: false,
  },
  "indentation and a bracket typed at a generated file's start, then a deletion": {
    file: "test/python/diverging/generated_2.py",
    edits: [
      { from: 0, length: 6, text: "   " },
      { from: 0, length: 3, text: "    " },
      { from: 0, length: 2, text: "]" },
      { from: 14042441, length: 9, text: "" },
      { from: 0, length: 0, text: "" },
    ],
    parsedBetween: false,
  },
  // Found by `npm run fuzz 5000` once short files with errors were parsed afresh: the first line's opening quotes
  // deleted, its closing ones open a string to the next docstring, and every docstring's quotes after it swap roles.
  "a long generated file's opening docstring quotes deleted, then a line joined far below": {
    file: "test/python/diverging/generated_3.py",
    edits: [
      { from: 0, length: 8, text: " " },
      { from: 1657494163, length: 4, text: "" },
    ],
    parsedBetween: false,
  },
  // The second deletion takes a docstring's closing quotes; the parse resumes inside the class after it.
  "two deletions in a script with a dataclass": {
    file: "test/fixtures/real_script_config_unet.py",
    edits: [
      { from: 11347058, length: 12, text: "" },
      { from: 237543735, length: 3, text: "" },
    ],
  },
  "six edits to the diagnostics fixture": {
    file: "test/fixtures/diagnostics.py",
    edits: [
      { from: 0, length: 1, text: "   " },
      { from: 0, length: 12, text: " !   " },
      { from: 380709591, length: 10, text: "x = " },
      { from: 746474213, length: 3, text: "-" },
      { from: 1166731135, length: 2, text: "[" },
    ],
  },
};

describe("after edits near syntax errors, the tree a fresh parse gives", () => {
  for (const [what, { file, edits, parsedBetween }] of Object.entries(DIVERGING_EDITS)) {
    test(what, () => {
      let text = readFileSync(join(ROOT, file), "utf8");
      const parsed = new ParsedDocument(text);
      void parsed.tree;
      for (const edit of edits) {
        const from = edit.from % (text.length + 1);
        const to = Math.min(text.length, from + edit.length);
        text = text.slice(0, from) + edit.text + text.slice(to);
        parsed.update(text, [{ from, to, insertedLength: edit.text.length }]);
        if (parsedBetween !== false) void parsed.tree;
      }
      assert.equal(parsed.tree.toString(), parsePython(text).toString());
    });
  }
});
