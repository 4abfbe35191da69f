/**
 * The edit history never shows: after any sequence of edits, a document shows what the same text
 * opened afresh shows. A property over random programs (the fixtures, the examples and generated
 * Keras files) and random edits, run in process on the server's documents (`LensDocument`) with
 * what the server does between edits interleaved: hints for a visible range, slices of the
 * background analysis under a budget, whole-file requests. Compared: the syntax tree, and every
 * hint (label and tooltip), diagnostic, code lens and model summary.
 *
 * Runs FUZZ_RUNS cases (default sized for CI); `npm run fuzz N` runs it with N.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { TextDocument } from "vscode-languageserver-textdocument";
import { LensDocument } from "../../server/src/lsp/document";
import { inlayHints } from "../../server/src/lsp/inlayHints";
import { codeLenses } from "../../server/src/lsp/codeLens";
import { summaryRequest } from "../../server/src/lsp/summary";
import { defaultSettings } from "../../server/src/lsp/settings";
import { ParsedDocument, parsePython } from "../../server/src/python/parser";
// @ts-expect-error: a plain ES module without types (the benchmark's generator of realistic files).
import { generateKerasFile } from "../../scripts/bench-corpus.mjs";
import { ROOT } from "../lsp/client";

const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
/**
 * `npm test` runs the same cases every time (a seed of its own), so that CI is reproducible; `npm run fuzz` draws new
 * ones each run (FUZZ_RUNS set), or replays a report's with FUZZ_SEED.
 */
const SEED = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : process.env.FUZZ_RUNS === undefined ? 20_261_205 : undefined;
const seeded = SEED === undefined ? {} : { seed: SEED };

const SOURCES = [join(ROOT, "test", "fixtures"), join(ROOT, "examples")].flatMap((dir) =>
  readdirSync(dir)
    .filter((f) => f.endsWith(".py"))
    .map((f) => readFileSync(join(dir, f), "utf8")),
);

const generated = (min: number, max: number) => fc.tuple(fc.integer({ min, max }), fc.nat()).map(([lines, seed]) => generateKerasFile(lines, seed) as string);

const program = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...SOURCES) }, { weight: 1, arbitrary: generated(20, 400) });

/** ...and files long enough (over 50,000 characters) to be parsed only as far as the visible lines at first. */
const longProgram = fc.oneof({ weight: 4, arbitrary: program }, { weight: 1, arbitrary: generated(1_400, 1_800) });

/** What the server may do between two edits. */
type Between = "nothing" | "hints" | "visible" | "slice";

const edit = fc.record({
  from: fc.nat(),
  length: fc.nat({ max: 12 }),
  text: fc.oneof(
    fc.constantFrom("", "1", "0", "(", ")", "[", "]", ",", ":", "\n", "    ", "'''", "def ", "x = ", "layers.Dense(10),\n", "layers.Conv2D(8, 3)", "# ", '"', "-"),
    fc.string({ maxLength: 8 }),
  ),
  between: fc.constantFrom<Between>("nothing", "nothing", "hints", "visible", "slice"),
  at: fc.nat(),
});

const WHOLE = { start: { line: 0, character: 0 }, end: { line: 1_000_000, character: 0 } };

/** Everything a user sees of a document, as text. */
function seen(doc: LensDocument): string[] {
  const hints = inlayHints(doc, WHOLE, defaultSettings, 0).map((h) => {
    const label = typeof h.label === "string" ? h.label : h.label.map((part) => part.value).join("");
    const tooltip = typeof h.tooltip === "string" ? h.tooltip : h.tooltip?.value;
    return `hint ${h.position.line}:${h.position.character} ${label}\n${tooltip}`;
  });
  const analysis = doc.analyze();
  const diagnostics = analysis.diagnostics.map((d) => `${d.code} ${d.span.start}-${d.span.end} ${d.message}`);
  const lenses = codeLenses(doc).map((l) => `lens ${l.range.start.line} ${l.command?.title}`);
  const summaries = analysis.models.map((_, model) => JSON.stringify(summaryRequest(doc, { textDocument: { uri: doc.uri }, model })));
  return [...hints, ...diagnostics, ...lenses, ...summaries];
}

/** An edit's range in the current text, from offsets that may fall past its end. */
function place(text: string, e: { from: number; length: number }): { from: number; to: number } {
  const from = e.from % (text.length + 1);
  return { from, to: Math.min(text.length, from + e.length) };
}

describe("edited documents equal the same text opened afresh", () => {
  test("random programs, random edits: the syntax tree is the one a fresh parse gives", () => {
    fc.assert(
      fc.property(program, fc.array(edit, { minLength: 1, maxLength: 30 }), (source, edits) => {
        let text = source;
        const parsed = new ParsedDocument(text);
        void parsed.tree;
        for (const e of edits) {
          const { from, to } = place(text, e);
          text = text.slice(0, from) + e.text + text.slice(to);
          parsed.update(text, [{ from, to, insertedLength: e.text.length }]);
          // Parsed now and then: in full, or a slice of a parse that the next edits overtake.
          if (e.between === "hints") void parsed.tree;
          else if (e.between === "slice") parsed.parseUntil(performance.now() + (e.at % 20) / 10);
        }
        assert.equal(parsed.tree.toString(), parsePython(text).toString());
      }),
      { numRuns: RUNS * 5, includeErrorInReport: true, ...seeded },
    );
  });

  test("random programs, random edits, with the server's work between them", () => {
    fc.assert(
      fc.property(longProgram, fc.array(edit, { minLength: 1, maxLength: 20 }), (source, edits) => {
        const doc = new LensDocument(TextDocument.create("file:///edited.py", "python", 1, source));
        doc.analyze();
        edits.forEach((e, i) => {
          const { from, to } = place(doc.text.getText(), e);
          doc.update([{ range: { start: doc.text.positionAt(from), end: doc.text.positionAt(to) }, text: e.text }], i + 2);
          const at = e.at % (doc.text.getText().length + 1);
          if (e.between === "hints") seen(doc);
          else if (e.between === "slice") doc.analyze(Infinity, (e.at % 20) / 10);
          else if (e.between === "visible") {
            const end = doc.text.positionAt(at);
            inlayHints(doc, { start: { line: Math.max(0, end.line - 40), character: 0 }, end }, defaultSettings, 0);
          }
        });
        const text = doc.text.getText();
        const fresh = new LensDocument(TextDocument.create("file:///edited.py", "python", 1, text));
        assert.deepEqual(seen(doc), seen(fresh));
      }),
      { numRuns: RUNS, includeErrorInReport: true, ...seeded },
    );
  });
});

/**
 * A backbone's layers are analysed once per configuration, input and `trainable` flag, and reused by every later
 * analysis (`engine/libraryRuns.ts`): edits that keep, change and restore those must show what a fresh document
 * shows, and the numbers Keras gives.
 */
describe("a file with a backbone, edited, equals the same text opened afresh", () => {
  const source = readFileSync(join(ROOT, "test", "fixtures", "backbones_transfer.py"), "utf8");

  function replace(doc: LensDocument, from: string, to: string, version: number): void {
    const at = doc.text.getText().indexOf(from);
    assert.ok(at >= 0, from);
    doc.update([{ range: { start: doc.text.positionAt(at), end: doc.text.positionAt(at + from.length) }, text: to }], version);
  }

  function totals(doc: LensDocument): { output: string; total?: bigint; trainable?: bigint; nonTrainable?: bigint } {
    const model = doc.analyze().models.find((m) => doc.text.getText().startsWith("tf.keras.Model(inputs, outputs)", m.model.calleeSpan.start))!;
    const base = doc.analyze().calls.find((c) => c.element.type === "model" && c.element.text.startsWith("mobilenetv2"));
    return { output: base?.output?.join(", ") ?? "?", ...model.totals };
  }

  test("the head, the fine-tuning split and the input size edited and restored", () => {
    const doc = new LensDocument(TextDocument.create("file:///transfer.py", "python", 1, source));
    let version = 1;
    const check = (expected: ReturnType<typeof totals>) => {
      assert.deepEqual(totals(doc), expected);
      assert.deepEqual(seen(doc), seen(new LensDocument(TextDocument.create("file:///transfer.py", "python", 1, doc.text.getText()))));
    };
    // The tutorial's summary after the fine-tuning split.
    const tutorial = { output: "None, 5, 5, 1280", total: 2_259_265n, trainable: 1_862_721n, nonTrainable: 396_544n };
    check(tutorial);
    // Nothing frozen: only MobileNetV2's 34,112 batch-normalization moving means and variances do not train.
    replace(doc, "fine_tune_at = 100", "fine_tune_at = 0", ++version);
    check({ output: "None, 5, 5, 1280", total: 2_259_265n, trainable: 2_259_265n - 34_112n, nonTrainable: 34_112n });
    replace(doc, "fine_tune_at = 0", "fine_tune_at = 100", ++version);
    check(tutorial);
    // Three units on 1,280 features: (1280 + 1)·3 = 3,843 weights in the head, all trainable.
    replace(doc, "tf.keras.layers.Dense(1)", "tf.keras.layers.Dense(3)", ++version);
    check({ ...tutorial, total: 2_257_984n + 3_843n, trainable: 1_862_721n - 1_281n + 3_843n });
    // 192 halves five times to 6: the same weights, another configuration.
    replace(doc, "IMG_SIZE = (160, 160)", "IMG_SIZE = (192, 192)", ++version);
    replace(doc, "shape=(160, 160, 3)", "shape=(192, 192, 3)", ++version);
    check({ ...tutorial, output: "None, 6, 6, 1280", total: 2_257_984n + 3_843n, trainable: 1_862_721n - 1_281n + 3_843n });
    replace(doc, "IMG_SIZE = (192, 192)", "IMG_SIZE = (160, 160)", ++version);
    replace(doc, "shape=(192, 192, 3)", "shape=(160, 160, 3)", ++version);
    replace(doc, "tf.keras.layers.Dense(3)", "tf.keras.layers.Dense(1)", ++version);
    check(tutorial);
  });
});
