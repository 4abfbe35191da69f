/**
 * Data-driven language-server tests: every test/fixtures/*.py is a Keras program
 * annotated with what the editor should show, each value worked out by hand:
 *
 *   layers.Conv2D(1, 3),  # => (None, 8, 8, 1) · 10 params
 *   layers.Conv2D(16, 3),  # => (None, ?, 28, 16) · 2,320 params  # !! LL101
 *
 * `# => A | B` lists the exact inlay-hint labels on that line, in order; a line
 * without `# =>` must get no hint. `# !! LL101 LL302` lists the codes of the
 * diagnostics whose range starts on that line; a line without `# !!` must get
 * none. The server is asked for the hints of the whole document.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { FIXTURES, LspClient, labelsByLine } from "./client";

interface Expectations {
  readonly hints: Map<number, string[]>;
  readonly diagnostics: Map<number, string[]>;
}

const HINT = "# =>";
const DIAG = "# !!";

/** Reads the `# =>` and `# !!` annotations of a fixture, by 0-based line. */
export function parseExpectations(text: string): Expectations {
  const hints = new Map<number, string[]>();
  const diagnostics = new Map<number, string[]>();
  text.split("\n").forEach((line, n) => {
    const h = line.indexOf(HINT);
    const d = line.indexOf(DIAG);
    if (h >= 0) {
      const end = d > h ? d : line.length;
      const labels = line
        .slice(h + HINT.length, end)
        .split(" | ")
        .map((l) => l.trim());
      hints.set(n, labels);
    }
    if (d >= 0) {
      const end = h > d ? h : line.length;
      diagnostics.set(n, line.slice(d + DIAG.length, end).trim().split(/[\s,]+/).filter(Boolean).sort());
    }
  });
  return { hints, diagnostics };
}

/** `12: label | label` lines, sorted by line, for readable diffs. */
function render(map: ReadonlyMap<number, readonly string[]>): string[] {
  return [...map.entries()].sort(([a], [b]) => a - b).map(([line, items]) => `${line + 1}: ${items.join(" | ")}`);
}

const fixtures = readdirSync(FIXTURES)
  .filter((f) => f.endsWith(".py"))
  .sort();

describe("fixtures", () => {
  let client: LspClient;

  before(async () => {
    client = await LspClient.start();
  });

  after(async () => {
    await client?.stop();
  });

  test("there are fixtures with expectations", () => {
    assert.ok(fixtures.length >= 10, `only ${fixtures.length} fixtures in ${FIXTURES}`);
  });

  for (const name of fixtures) {
    describe(name, () => {
      let text = "";
      let uri = "";
      let published: { line: number; code: string }[] = [];

      before(async () => {
        const opened = await client.openFixture(name);
        text = opened.text;
        uri = opened.uri;
        published = opened.diagnostics.diagnostics.map((d) => ({ line: d.range.start.line, code: String(d.code) }));
      });

      test("inlay hints match the `# =>` annotations", async () => {
        const expected = parseExpectations(text).hints;
        assert.ok(expected.size > 0, `${name} has no # => annotations`);
        const actual = labelsByLine(await client.inlayHints(uri));
        assert.deepEqual(render(actual), render(expected));
      });

      test("diagnostics match the `# !!` annotations", () => {
        const expected = parseExpectations(text).diagnostics;
        const actual = new Map<number, string[]>();
        for (const d of published) actual.set(d.line, [...(actual.get(d.line) ?? []), d.code].sort());
        assert.deepEqual(render(actual), render(expected));
      });
    });
  }
});
