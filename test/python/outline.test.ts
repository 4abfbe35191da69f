/**
 * The outline (`outline.ts`): top-level statements found from characters alone must be
 * the parser's, and their facts must include what `statementFacts` finds in the tree
 * (read names, rebound names) and claim no rebinding-without-reading it does not.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { SyntaxNode } from "@lezer/common";
import { OutlineTail, outline, outlineFacts } from "../../server/src/python/outline";
import { parsePython } from "../../server/src/python/parser";
import { ANY_NAME, StatementFacts, statementFacts } from "../../server/src/python/statements";
// @ts-expect-error: a plain ES module without types (the benchmark's generator of realistic files).
import { generateKerasFile } from "../../scripts/bench-corpus.mjs";

function parsedStatements(text: string): { node: SyntaxNode; gapStart: number }[] {
  const found: { node: SyntaxNode; gapStart: number }[] = [];
  let gapStart = 0;
  for (let node = parsePython(text).topNode.firstChild; node; node = node.nextSibling) {
    if (node.name === "Comment") continue;
    found.push({ node, gapStart });
    gapStart = node.to;
  }
  return found;
}

const subset = (a: ReadonlySet<string>, b: ReadonlySet<string>) => [...a].filter((name) => !b.has(name));

/** The outline's statements start where the parser's do, and each one's facts cover the parser's. */
function assertOutlineCovers(text: string, what: string): void {
  const statements = outline(text);
  assert.ok(statements, `${what}: no outline`);
  const parsed = parsedStatements(text);
  assert.deepEqual(
    statements.map((s) => s.start),
    parsed.map((p) => p.node.from),
    `${what}: statement starts`,
  );
  parsed.forEach(({ node, gapStart }, n) => {
    const exact = statementFacts(node, text, gapStart);
    const outlined = outlineFacts(text, statements, n);
    const line = `${what}, statement at ${node.from} (${JSON.stringify(text.slice(node.from, node.from + 40))})`;
    const read = (f: StatementFacts) => new Set([...f.uses, ...f.kills]);
    assert.deepEqual(subset(read(exact), read(outlined)), [], `${line}: names mentioned`);
    assert.deepEqual(subset(exact.uses, outlined.uses), [], `${line}: names read`);
    assert.deepEqual(subset(outlined.kills, exact.kills), [], `${line}: names rebound without being read`);
    if (!outlined.binds.has(ANY_NAME)) assert.deepEqual(subset(exact.binds, outlined.binds), [], `${line}: names rebound`);
  });
}

const files = [
  ...readdirSync("test/fixtures").filter((f) => f.endsWith(".py")).map((f) => join("test/fixtures", f)),
  ...readdirSync("examples").filter((f) => f.endsWith(".py")).map((f) => join("examples", f)),
];

describe("the outline of a text has the parser's statements", () => {
  for (const file of files) test(file, () => assertOutlineCovers(readFileSync(file, "utf8"), file));

  test("the benchmark's generated 2,000-line file", () => assertOutlineCovers(generateKerasFile(2000, 5), "generated"));

  const tricky: Record<string, string> = {
    "a triple-quoted string holding lines that look like statements": 'doc = """\nx = 1\nimport keras\n"""\nx = 2\n',
    "an f-string with quotes and braces inside its fields (PEP 701)": 'a = f"{d["k"]} {{not a field}} {f\'{x!r:>{w}}\'}"\nb = a\n',
    "a decorated function": "@decorate\n@other(1)\ndef f(x):\n    return x\ny = f(2)\n",
    "else, elif, except and finally at column 0": "if a:\n    b = 1\nelif c:\n    b = 2\nelse:\n    b = 3\ntry:\n    d = 1\nexcept E:\n    d = 2\nfinally:\n    e = 3\nz = b\n",
    "a line continued by a backslash": "x = 1 + \\\n2\ny = x\n",
    "brackets over several lines, with a line at column 0 inside": "m = f(\n1,\n2)\nn = [\n]\n",
    "comments holding quotes and brackets": "# it's (not a string\nx = 1  # nor this \"\ny = x\n",
    "CRLF and lone CR line ends": "a = 1\r\nb = 2\rc = a\r\n",
    "semicolons, walrus, augmented and annotated assignments": "a = 1; b = 2\n(c := 3)\nd += 1\ne: int = 4\nf >>= 1\ng = h = 5\n",
    "keywords, soft keywords and global": "match = 1\ntype = 2\nprint(match)\ndef g():\n    global q\n    q = 1\nimport a.b as c\nfrom m import *\ndel c\n",
    "an input annotation before an assignment": "# input: (None, x)\nx = 3\ny = x\n",
    "non-ASCII identifiers and a lambda with defaults": "größe = 3\nf = lambda a=größe: a\nπ = f()\n",
    "a nested definition with a body indented further down": "class A:\n    def f(self):\n        if x:\n            return 1\n        return 2\n    y = 3\nz = A\n",
  };
  for (const [what, text] of Object.entries(tricky)) test(what, () => assertOutlineCovers(text, what));
});

describe("a text whose statements cannot be told from its characters has no outline", () => {
  const irregular: Record<string, string> = {
    "an unterminated string": "a = 'open\nb = 1\n",
    "an unterminated triple-quoted string": 'a = """open\nb = 1\n',
    "an unclosed bracket": "a = f(1,\nb = 2\n",
    "a closing bracket too many": "a = 1)\nb = 2\n",
    "a backslash outside a string, not before a line end": "a = 1 \\ 2\n",
    "a backslash at the end of the text": "a = 1 + \\",
    "an indented first line": "  a = 1\n",
    "a form feed in the indentation": "a = 1\n\fb = 2\n",
    // The parser ends the statement at the `;` (the rest is another): this once made the scan start over, forever.
    "a semicolon inside brackets": "m = [1;\n2]\nn = m\n",
    "a semicolon inside a call's arguments": "a = f(x; y)\nb = a\n",
  };
  for (const [what, text] of Object.entries(irregular)) test(what, { timeout: 10_000 }, () => assert.equal(outline(text), undefined));
});

describe("the outline's tail answers as its statements' facts do", () => {
  /** What the index would answer from every statement's outline facts, for statements from `first` on. */
  function bruteForce(text: string, first: number, name: string): { mention?: { at: number; reads: boolean }; binder?: number } {
    const statements = outline(text)!;
    const facts = statements.map((_, n) => outlineFacts(text, statements, n)).slice(first);
    const at = facts.findIndex((f) => f.uses.has(name) || f.kills.has(name));
    let binder: number | undefined;
    facts.forEach((f, n) => {
      if (f.binds.has(name) || f.binds.has(ANY_NAME)) binder = n;
    });
    return { mention: at < 0 ? undefined : { at, reads: facts[at].uses.has(name) }, binder };
  }

  const texts: Record<string, string> = {
    "a generated file": generateKerasFile(300, 2),
    "crossings, comments and a star import":
      "import keras\nx = 1\n# input: (None, x)\nx = 2\ny = x\ndef f():\n    global x\n    x = 3\nclass C:\n    pass\nfrom keras.layers import *\nz = [x,\n y]\nw = y = z\n",
  };
  for (const [what, text] of Object.entries(texts)) {
    test(what, () => {
      const statements = outline(text)!;
      const names = new Set(text.match(/[A-Za-z_][A-Za-z0-9_]*/g));
      for (const first of [1, Math.floor(statements.length / 3), statements.length - 2]) {
        const tail = new OutlineTail(text, statements, first);
        for (const name of names) {
          const expected = bruteForce(text, first, name);
          assert.deepEqual(tail.firstMention(name), expected.mention, `${what}: first mention of ${name} from statement ${first}`);
          assert.equal(tail.lastBinder(name), expected.binder, `${what}: last binder of ${name} from statement ${first}`);
        }
      }
    });
  }

  test("a tail asked about many names (found in one pass) answers each as one asked about it first (found by search)", () => {
    // Words glued to digits (`0x1f`, `1e5`, `1if`), non-ASCII names, names only in comments and strings.
    const text = `${generateKerasFile(300, 4)}a1 = 0x1f + 1e5\nb = 1if a1 else 2\nxff = 3  # e5 f\né = xff\n_2 = é + len("if1 b")\n`;
    const statements = outline(text)!;
    const names = [...new Set(text.match(/[0-9A-Za-z_\u00a1-\uffff]+/g))].flatMap((run) => [run, run.slice(1), run.slice(2)]).filter((n) => /^[^0-9]/.test(n));
    assert.ok(names.length > 200, `${names.length} names`);
    for (const first of [1, Math.floor(statements.length / 2), statements.length - 4]) {
      const busy = new OutlineTail(text, statements, first);
      // One made after an edit, whose predecessor came to read its words in one pass, reads them at the first question.
      const readAtOnce = new OutlineTail(text, statements, first, true);
      for (const name of names) {
        const searched = new OutlineTail(text, statements, first).firstMention(name);
        assert.deepEqual(busy.firstMention(name), searched, `first mention of ${name} from statement ${first}`);
        assert.deepEqual(readAtOnce.firstMention(name), searched, `first mention of ${name} from statement ${first}, read at once`);
      }
      assert.ok(busy.readWhole && readAtOnce.readWhole, "read in one pass");
    }
  });
});
