/**
 * Fuzzing the language server over stdio with fast-check: real Keras files
 * mutated the way code looks while it is typed or broken, random bytes, and
 * random sequences of incremental edits. Properties: every request is
 * answered, no handler fails, no hint shows an impossible number, and a
 * document edited incrementally shows what it shows when opened afresh.
 *
 * Runs FUZZ_RUNS cases per property (default sized for CI); `npm run fuzz`
 * runs many more and prints request latencies (never asserted).
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { InlayHint } from "vscode-languageserver-protocol";
import { LspClient, ROOT, labelText, positionAt, wholeDocument } from "../lsp/client";
import { unsoundHints } from "./hints";

const RUNS = Number(process.env.FUZZ_RUNS ?? 15);
const LONG = process.env.FUZZ_RUNS !== undefined;

const SOURCES = [
  ...readdirSync(join(ROOT, "test", "fixtures")).filter((f) => f.endsWith(".py")).map((f) => join(ROOT, "test", "fixtures", f)),
  ...readdirSync(join(ROOT, "examples")).filter((f) => f.endsWith(".py")).map((f) => join(ROOT, "examples", f)),
].map((path) => readFileSync(path, "utf8"));

/** Python tokens, roughly: enough to delete, duplicate and replace whole ones. */
const TOKEN = /[A-Za-z_][A-Za-z_0-9]*|\d[\d_.eE]*|"[^"\n]*"|'[^'\n]*'|#[^\n]*|\s+|./g;

const ABSURD_NUMBERS = [
  "0",
  "-1",
  "-0.0",
  "10**30",
  "1e309",
  "-1e309",
  "1e309 - 1e309",
  "float('nan')",
  "float('inf')",
  "2**53 + 1",
  "2**63",
  "10**400",
  "1 / 3",
  "0.5",
  "3.0",
  "True",
  "None",
  `(${"7, ".repeat(5000)}7)`,
  `[${"1, ".repeat(20_000)}1]`,
];

type Mutation = (tokens: string[]) => string[];

const at = (index: number, tokens: string[]) => index % Math.max(1, tokens.length);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.nat().map((i): Mutation => (t) => t.filter((_, j) => j !== at(i, t))),
  fc.nat().map((i): Mutation => (t) => t.flatMap((x, j) => (j === at(i, t) ? [x, x] : [x]))),
  // Unclosed brackets: drop one closing bracket.
  fc.nat().map((i): Mutation => (t) => {
    const closers = t.flatMap((x, j) => (/^[)\]}]$/.test(x) ? [j] : []));
    return closers.length ? t.filter((_, j) => j !== closers[i % closers.length]) : t;
  }),
  // Swapped arguments: exchange the tokens after two commas.
  fc.tuple(fc.nat(), fc.nat()).map(([i, k]): Mutation => (t) => {
    const commas = t.flatMap((x, j) => (x === "," && j + 2 < t.length ? [j + 2] : []));
    if (commas.length < 2) return t;
    const [a, b] = [commas[i % commas.length], commas[k % commas.length]];
    const out = [...t];
    [out[a], out[b]] = [out[b], out[a]];
    return out;
  }),
  // Absurd numbers in place of a number.
  fc.tuple(fc.nat(), fc.constantFrom(...ABSURD_NUMBERS)).map(([i, n]): Mutation => (t) => {
    const numbers = t.flatMap((x, j) => (/^\d/.test(x) ? [j] : []));
    if (!numbers.length) return t;
    const target = numbers[i % numbers.length];
    return t.map((x, j) => (j === target ? n : x));
  }),
  // Random text (any UTF-16 code units, lone surrogates and NULs included) at a random place.
  fc.tuple(fc.nat(), fc.string({ unit: "binary", maxLength: 20 })).map(([i, s]): Mutation => (t) => [...t.slice(0, at(i, t)), s, ...t.slice(at(i, t))]),
);

const mutatedSource = fc
  .tuple(fc.constantFrom(...SOURCES), fc.array(mutation, { minLength: 1, maxLength: 6 }))
  .map(([source, mutations]) => mutations.reduce((tokens: string[], m) => m(tokens), source.match(TOKEN) ?? []).join(""));

/** Random bytes decoded as the editor would (invalid UTF-8 becomes U+FFFD). */
const randomBytes = fc.uint8Array({ maxLength: 4000 }).map((bytes) => Buffer.from(bytes).toString("utf8"));

describe("fuzzing over LSP", () => {
  let client: LspClient;
  const latencies: number[] = [];

  before(async () => {
    client = await LspClient.start();
  });

  after(async () => {
    if (LONG && latencies.length) {
      const sorted = [...latencies].sort((a, b) => a - b);
      const p = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)].toFixed(1);
      console.log(`fuzz: ${sorted.length} requests on files under 1 MB: p50 ${p(0.5)} ms, p99 ${p(0.99)} ms, max ${p(1)} ms (target: none over 200 ms)`);
    }
    await client?.stop();
  });

  async function timed<T>(text: string, request: () => Promise<T>): Promise<T> {
    const start = performance.now();
    const result = await request();
    if (text.length < 1_000_000) latencies.push(performance.now() - start);
    return result;
  }

  /** Opens `text`, asks for hints and a few hovers, checks the answers, closes it. */
  async function exercise(text: string, hoverOffsets: number[]): Promise<InlayHint[]> {
    const uri = client.uri("fuzz.py");
    await client.open(uri, text);
    const hints = await timed(text, () => client.inlayHints(uri, wholeDocument(text)));
    for (const offset of hoverOffsets) {
      const { line, character } = positionAt(text, offset % (text.length + 1));
      await timed(text, () => client.hover(uri, line, character));
    }
    await client.close(uri);
    assert.deepEqual(unsoundHints(hints), []);
    return hints;
  }

  function assertHealthy(): void {
    assert.ok(client.alive, `server exited; stderr: ${client.stderr}`);
    assert.deepEqual(client.logs.filter((l) => /failed/.test(l)), []);
  }

  test("mutated Keras files: every request answered, no handler fails, no impossible number", async () => {
    await fc.assert(
      fc.asyncProperty(mutatedSource, fc.array(fc.nat(), { maxLength: 3 }), async (text, hovers) => {
        await exercise(text, hovers);
        assertHealthy();
      }),
      { numRuns: RUNS, includeErrorInReport: true },
    );
  });

  test("random bytes: every request answered, no handler fails", async () => {
    await fc.assert(
      fc.asyncProperty(randomBytes, fc.array(fc.nat(), { maxLength: 3 }), async (text, hovers) => {
        await exercise(text, hovers);
        assertHealthy();
      }),
      { numRuns: RUNS, includeErrorInReport: true },
    );
  });

  /** An edit as offsets into the current text; applied as an LSP range. */
  const edit = fc.record({
    from: fc.nat(),
    length: fc.nat({ max: 12 }),
    text: fc.oneof(
      fc.constantFrom("", "1", "0", "(", ")", "[", "]", ",", "\n", "    ", "layers.Dense(10),\n", "layers.Conv2D(8, 3)", "# ", "\"", "1e309", "-"),
      fc.string({ maxLength: 8 }),
    ),
  });

  test("random incremental edits: the hints equal those of the same text opened afresh", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...SOURCES), fc.array(edit, { minLength: 1, maxLength: 25 }), async (source, edits) => {
        const uri = client.uri("edited.py");
        await client.open(uri, source);
        for (const e of edits) {
          const current = client.document(uri).text;
          const from = e.from % (current.length + 1);
          const to = Math.min(current.length, from + e.length);
          const range = { start: positionAt(current, from), end: positionAt(current, to) };
          await client.change(uri, [{ range, text: e.text }]);
          // Ask between edits sometimes, so both the incremental and the batched paths run.
          if (e.length % 3 === 0) await timed(current, () => client.inlayHints(uri));
        }
        const text = client.document(uri).text;
        const incremental = await timed(text, () => client.inlayHints(uri));
        const fresh = client.uri("fresh.py");
        await client.open(fresh, text);
        const reopened = await client.inlayHints(fresh);
        await client.close(uri);
        await client.close(fresh);
        const show = (hints: InlayHint[]) => hints.map((h) => `${h.position.line}:${h.position.character} ${labelText(h)}`);
        assert.deepEqual(show(incremental), show(reopened));
        assert.deepEqual(unsoundHints(incremental), []);
        assertHealthy();
      }),
      { numRuns: RUNS, includeErrorInReport: true },
    );
  });
});
