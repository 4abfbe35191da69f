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

/** Hovers the fixtures' hints cannot show: each run of a call site, a helper call, a model's summary. */
describe("hovers on the front end's fixtures", () => {
  let client: LspClient;
  const text = (hover: Awaited<ReturnType<LspClient["hover"]>>) => (hover && typeof hover.contents === "object" && "value" in hover.contents ? hover.contents.value : "");

  before(async () => {
    client = await LspClient.start();
  });

  after(async () => {
    await client?.stop();
  });

  test("a layer call inside a helper lists the shapes of each run", async () => {
    const { uri } = await client.openFixture("helpers_loops.py");
    const hover = text(await client.hoverAt(uri, "layers.Conv2D(filters, kernel_size"));
    assert.match(hover, /run 4 times/);
    // conv_block(inputs, 16), conv_block(x, 32, kernel_size=5), then twice inside residual_block.
    const outputs = [...hover.matchAll(/\| \d \| `\(None, 32, 32, (\d+)\)` \| `\(None, 32, 32, (\d+)\)` \| ([\d,]+) \|/g)].map((m) => `${m[1]}→${m[2]} ${m[3]}`);
    assert.deepEqual(outputs, ["3→16 448", "16→32 12,832", "32→32 9,248", "32→32 9,248"]);
  });

  test("a layer in a loop whose runs differ: each run's shapes, all runs' parameters, how to read the hint", async () => {
    const { uri } = await client.openFixture("keras_xception.py");
    const hover = text(await client.hoverAt(uri, "layers.SeparableConv2D(size, 3"));
    assert.match(hover, /run 3 times/);
    // 'same' keeps 90, 45, 23 rows and columns; 3·3·c + c·n + n: 34,176 + 133,888 + 378,072 = 546,136.
    const runs = [...hover.matchAll(/^\| (\d) \| `\(None, (\d+), \2, (\d+)\)` \| `\(None, \2, \2, (\d+)\)` \| ([\d,]+) \|$/gm)].map((m) => `${m[2]}: ${m[3]}→${m[4]} ${m[5]}`);
    assert.deepEqual(runs, ["90: 128→256 34,176", "45: 256→512 133,888", "23: 512→728 378,072"]);
    assert.match(hover, /Parameters of all runs: 546,136 /);
    assert.match(hover, /first run→last run/);
  });

  test("a helper called from a loop lists what each run returns", async () => {
    const { uri } = await client.openFixture("helpers_loops.py");
    const hover = text(await client.hoverAt(uri, "down(d, f)"));
    assert.match(hover, /\*\*down\(…\)\*\* — run 3 times here/);
    // 'same', stride 2: 16, 8, 4; (3·3·3 + 1)·8 = 224, (3·3·8 + 1)·16 = 1,168, (3·3·16 + 1)·32 = 4,640.
    const runs = [...hover.matchAll(/^\| (\d) \| `\(None, (\d+), \2, (\d+)\)` \| ([\d,]+) \|$/gm)].map((m) => `${m[1]}: ${m[2]}, ${m[3]} ${m[4]}`);
    assert.deepEqual(runs, ["1: 16, 8 224", "2: 8, 16 1,168", "3: 4, 32 4,640"]);
    assert.match(hover, /first run→last run/);
  });

  test("a helper call lists the layers it ran and what it returns", async () => {
    const { uri } = await client.openFixture("helpers_loops.py");
    const hover = text(await client.hoverAt(uri, "conv_block(inputs, 16)"));
    assert.match(hover, /conv_block/);
    assert.match(hover, /\| Conv2D \| `\(None, 32, 32, 16\)` \| 448 \|/);
    assert.match(hover, /\| BatchNormalization \| `\(None, 32, 32, 16\)` \| 64 \|/);
    assert.match(hover, /Returns `\(None, 32, 32, 16\)` · 512 params/);
  });

  test("a functional model's callee shows its summary, a shared layer listed once as Keras lists it", async () => {
    const { uri } = await client.openFixture("shared_layers.py");
    const hover = text(await client.hoverAt(uri, "keras.Model([left, right], distance)"));
    assert.match(hover, /\*\*siamese\*\* \(Functional\)/);
    assert.equal(hover.match(/\| Dense \|/g)?.length, 1, hover);
    assert.match(hover, /\| Dense \| `\(None, 16\)` \| 144 \|/);
    assert.doesNotMatch(hover, /shared/);
    assert.match(hover, /Total params: 144/);
  });
});

describe("hints of call sites run several times", () => {
  let client: LspClient;

  before(async () => {
    client = await LspClient.start();
  });

  after(async () => {
    await client?.stop();
  });

  test("the hint's tooltip lists every run, not only the first", async () => {
    const { uri, text } = await client.openFixture("helpers_loops.py");
    const line = text.split("\n").findIndex((l) => l.includes("layers.Conv2D(filters, kernel_size"));
    const hint = (await client.inlayHints(uri)).find((h) => h.position.line === line);
    assert.ok(hint, "a hint on the Conv2D line of conv_block");
    assert.equal(typeof hint.label, "string");
    const tooltip = typeof hint.tooltip === "object" ? hint.tooltip.value : String(hint.tooltip);
    assert.match(tooltip, /run 4 times/);
    for (const params of ["448", "12,832", "9,248"]) assert.ok(tooltip.includes(`| ${params} |`), `${params} in ${tooltip}`);
  });
});
