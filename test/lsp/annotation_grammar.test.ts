/**
 * The TextMate grammar that highlights `# input:` annotations (syntaxes/layer-lens-input.tmLanguage.json), its
 * regular expressions run over sample lines. There is no TextMate engine among the dependencies, so the test
 * does what VS Code does for this grammar by hand: VS Code's Python grammar (MagicPython) scopes every `#`
 * comment `comment.line.number-sign.python` with a begin `#` / end `$` rule that is part of every expression,
 * so a comment after code gets the scope as a comment alone on its line does; the injection's pattern is then
 * searched from the `#` to the end of the line. The pattern must find what the server reads (python/
 * definitions.ts: `#\s*input:` and the shape up to the next `#`) and nothing else. Oniguruma and JavaScript
 * agree on everything the pattern uses (`\s`, `\b`, `\d`, `\w`, classes, lookbehind, lookahead, `$` at the end
 * of a line given alone).
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./client";

interface Capture {
  readonly name: string;
  readonly patterns?: readonly { readonly match: string; readonly name: string }[];
}

const grammar = JSON.parse(readFileSync(join(ROOT, "syntaxes", "layer-lens-input.tmLanguage.json"), "utf8")) as {
  scopeName: string;
  injectionSelector: string;
  patterns: { include: string }[];
  repository: Record<string, { match: string; captures: Record<string, Capture> }>;
};
const packageJson = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  contributes: { grammars: { scopeName: string; path: string; injectTo?: string[] }[] };
};

const rule = grammar.repository["input-annotation"];

/** Where a line's comment starts: the first `#` outside a string ('…' or "…", with backslash escapes). */
function commentStart(line: string): number {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === "#") return i;
  }
  return -1;
}

interface Token {
  readonly text: string;
  readonly scope: string;
}

/** The tokens the injection gives a line: none outside a comment; else the first match searched from the `#`. */
function highlight(line: string): Token[] {
  const start = commentStart(line);
  if (start < 0) return [];
  const pattern = new RegExp(rule.match, "g");
  pattern.lastIndex = start;
  const match = pattern.exec(line);
  if (!match) return [];
  const tokens: Token[] = [];
  for (const [group, capture] of Object.entries(rule.captures)) {
    const text = match[Number(group)];
    tokens.push({ text, scope: capture.name });
    // The shape's own patterns, each position taken by the first that matches there, as TextMate does.
    const inner = (capture.patterns ?? []).map((p) => ({ regex: new RegExp(p.match, "y"), name: p.name }));
    for (let i = 0; i < text.length; ) {
      const found = inner.map((p) => ((p.regex.lastIndex = i), { m: p.regex.exec(text), name: p.name })).find((f) => f.m);
      if (found?.m) {
        tokens.push({ text: found.m[0], scope: found.name });
        i += found.m[0].length;
      } else i++;
    }
  }
  return tokens;
}

const scopes = (tokens: Token[]) => tokens.map((t) => `${t.scope.split(".").slice(0, -1).join(".")}:${t.text}`);

describe("the # input: grammar", () => {
  test("is injected into Python's line comments, whatever precedes them on the line", () => {
    assert.equal(grammar.injectionSelector, "L:comment.line.number-sign.python");
    assert.deepEqual(grammar.patterns, [{ include: "#input-annotation" }]);
    const contributed = packageJson.contributes.grammars.find((g) => g.scopeName === grammar.scopeName);
    assert.deepEqual(contributed, { scopeName: grammar.scopeName, path: "./syntaxes/layer-lens-input.tmLanguage.json", injectTo: ["source.python"] });
  });

  test("at the end of a keras.Input line: keyword, colon, and the shape's None, integers and constants", () => {
    assert.deepEqual(scopes(highlight("inputs = keras.Input(shape=x_train.shape[1:])  # input: (None, 288, N_CHANNELS)")), [
      "keyword.other.input:input",
      "punctuation.separator.annotation:" + ":",
      "meta.shape:(None, 288, N_CHANNELS)",
      "constant.language.none:None",
      "constant.numeric.integer:288",
      "variable.other.constant:N_CHANNELS",
    ]);
  });

  test("on a comment-only line and after a class or def call line, as before", () => {
    for (const line of ["# input: (None, 28, 28, 1)", "class Net(keras.Model):  # input: (None, 8)", "    def call(self, x):  #input:(None, IMG, IMG, 3)   "]) {
      const tokens = highlight(line);
      assert.equal(tokens[0]?.scope, "keyword.other.input.layer-lens", line);
      assert.equal(tokens[2].text, line.slice(line.lastIndexOf("(")).trimEnd(), line);
    }
  });

  test("after a first layer inside a list, after another comment, and in front of another comment", () => {
    const shape = (line: string) => highlight(line).find((t) => t.scope === "meta.shape.layer-lens")?.text;
    assert.equal(shape("    layers.Conv2D(32, 3, input_shape=x.shape[1:]),  # input: (None, 32, 32, 3)"), "(None, 32, 32, 3)");
    assert.equal(shape(")   # tabular data  # input: (None, 20)"), "(None, 20)");
    // What follows another `#` is another comment, as the server reads it.
    assert.equal(shape("inputs = keras.Input(shape=s)  # input: (None, 288, 1)  # from the ECG set"), "(None, 288, 1)");
    // The quick fix's placeholder: the keyword and the shape, the `?` left plain.
    assert.deepEqual(scopes(highlight("inputs = keras.Input(shape=x.shape[1:])  # input: (None, ?, ?)")), [
      "keyword.other.input:input",
      "punctuation.separator.annotation:" + ":",
      "meta.shape:(None, ?, ?)",
      "constant.language.none:None",
    ]);
  });

  test("nothing the server does not read: other words, a space before the colon, no shape, a '#' in a string", () => {
    for (const line of [
      "x = 1  # inputs: (None, 3)",
      "x = 1  # the input: (None, 3)",
      "x = 1  # input : (None, 3)",
      "x = 1  # input:",
      "x = 1  # input:   # nothing",
      'name = "# input: (None, 3)"',
      "inputs = keras.Input(shape=s)",
    ]) assert.deepEqual(highlight(line), [], line);
  });
});
