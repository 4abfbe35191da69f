/**
 * Pathological documents over LSP: huge, deeply nested, strangely encoded.
 * The server answers every request in bounded time and memory; where it gives
 * up it says so once in its log and shows no hints rather than wrong ones;
 * hint positions stay exact in UTF-16 code units.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { InlayHint, InlayHintRequest } from "vscode-languageserver-protocol/node";
import { LspClient, labelText, labelsByLine, withTimeout, wholeDocument } from "../lsp/client";

/** Big documents take seconds to parse on a loaded machine; the bound is on hanging, not on speed. */
const SLOW_MS = 60_000;

const HEADER = "import keras\nfrom keras import layers\n";
/**
 * Input (4,) → Dense(3): 4·3 + 3 = 15 params; 15 · 4 B = 60 B. The totals go
 * on the closing line, so the first line's labels fit the 43-character budget whole.
 */
const SMALL_MODEL_LINE = "m = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(3),";
const SMALL_MODEL = `${SMALL_MODEL_LINE}\n])`;
const SMALL_LABELS = ["(None, 4)", "(None, 3) · 15 params", "Total params: 15 (60.00 B)"];

describe("pathological documents", () => {
  let client: LspClient;

  before(async () => {
    client = await LspClient.start();
  });

  after(async () => {
    await client?.stop();
  });

  function hints(uri: string, text: string): Promise<InlayHint[]> {
    const request = client.connection.sendRequest(InlayHintRequest.type, { textDocument: { uri }, range: wholeDocument(text) });
    return withTimeout(request, `inlay hints for ${uri}`, SLOW_MS).then((h) => h ?? []);
  }

  async function openSlowly(uri: string, text: string): Promise<void> {
    await client.open(uri, text).catch(() => undefined); // diagnostics may come late; the hints request below waits
  }

  /** The small model's hints, found on the line holding `needle`: each at the end of the call it follows, the totals on the closing line. */
  async function assertSmallModel(text: string, needle = SMALL_MODEL_LINE): Promise<void> {
    const uri = client.uri("small.py");
    await client.open(uri, text);
    const found = await client.inlayHints(uri);
    const lines = text.split(/\r\n|\r|\n/);
    const line = lines.findIndex((l) => l.includes(needle));
    // Columns as JavaScript counts them: UTF-16 code units, as LSP positions.
    const endOf = (call: RegExp) => {
      const match = call.exec(lines[line])!;
      return match.index + match[0].length;
    };
    const expected = [
      { line, character: endOf(/keras\.Input\(shape=\(4,\)\)/), label: SMALL_LABELS[0] },
      { line, character: endOf(/layers\.Dense\([^)]*\)/), label: SMALL_LABELS[1] },
      { line: line + 1, character: 2, label: SMALL_LABELS[2] },
    ];
    assert.deepEqual(
      found.map((h) => ({ ...h.position, label: labelText(h) })),
      expected,
    );
    await client.close(uri);
  }

  function assertServing(): Promise<void> {
    assert.ok(client.alive, `server exited; stderr: ${client.stderr}`);
    return assertSmallModel(`${HEADER}${SMALL_MODEL}\n`);
  }

  const logsAbout = (uri: string) => client.logs.filter((l) => l.includes(uri));

  for (const [name, make] of [
    ["a 20 MB file", () => `${HEADER}${SMALL_MODEL}\n${"x = 1  # filler filler filler filler filler filler\n".repeat(400_000)}`],
    ["a single 5 MB line", () => `${HEADER}${SMALL_MODEL}\nx = [${"1, ".repeat(5_000_000 / 3)}1]\n`],
  ] as const) {
    test(`${name}: not analysed, said once in the log, no hints, other documents still served`, async () => {
      const text = make();
      const uri = client.uri("huge.py");
      await openSlowly(uri, text);
      assert.deepEqual(await hints(uri, text), []);
      await client.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: "# edited\n" }]);
      assert.deepEqual(await hints(uri, text), []);
      assert.equal(logsAbout(uri).length, 1, JSON.stringify(logsAbout(uri)));
      assert.match(logsAbout(uri)[0], /does not analyse .* over 4,000,000 characters/);
      await client.close(uri);
      await assertServing();
    });
  }

  test("a 1 MB single line below the limit: the model after it gets its exact hints", async () => {
    await assertSmallModel(`${HEADER}x = [${"1, ".repeat(1_000_000 / 3)}1]\n${SMALL_MODEL}\n`);
  });

  test("brackets nested 100,000 deep (closed, and unclosed) before a model: the model keeps its hints", async () => {
    await assertSmallModel(`${HEADER}x = ${"(".repeat(100_000)}1${")".repeat(100_000)}\n${SMALL_MODEL}\n`);
    await assertSmallModel(`${HEADER}${SMALL_MODEL}\ny = ${"[".repeat(100_000)}\n`);
  });

  test("a long file with a `;` inside brackets far below the model, asked for its first lines at once: the model's hints", async () => {
    // Long enough that, until it is parsed whole, its rest is read from its characters (outline.ts), where this
    // once made the scan start over forever. Asked before the open's whole parse is done, as an editor does.
    const filler = Array.from({ length: 6_000 }, (_, i) => `value_${i} = ${i}`).join("\n");
    const uri = client.uri("semicolon.py");
    void openSlowly(uri, `${HEADER}${SMALL_MODEL}\n${filler}\nw = f(1; 2)\n`);
    const found = await client.inlayHints(uri, { start: { line: 0, character: 0 }, end: { line: 40, character: 0 } });
    assert.deepEqual(found.map(labelText), SMALL_LABELS);
  });

  test("a model with 100,000 layers: every layer's hint and the exact total", async () => {
    const text = `${HEADER}m = keras.Sequential([\n    keras.Input(shape=(1,)),\n${"    layers.Dense(1),\n".repeat(100_000)}])\n`;
    const uri = client.uri("100k.py");
    await openSlowly(uri, text);
    const byLine = labelsByLine(await hints(uri, text));
    // Each Dense(1) on (None, 1): 1·1 + 1 = 2 params; 100,000 · 2 = 200,000 params · 4 B = 800,000 B = 781.25 KB.
    assert.equal(byLine.size, 100_002);
    assert.deepEqual(byLine.get(3), ["(None, 1)"]);
    assert.deepEqual(byLine.get(4), ["(None, 1) · 2 params"]);
    assert.deepEqual(byLine.get(100_003), ["(None, 1) · 2 params"]);
    assert.deepEqual(byLine.get(100_004), ["Total params: 200,000 (781.25 KB)"]);
    await client.close(uri);
  });

  test("NUL bytes in comments, strings and between statements", async () => {
    await assertSmallModel(`${HEADER}# \0\0\0\ns = "\0"\n\0\n${SMALL_MODEL}\n`);
  });

  test("lone UTF-16 surrogates before the model on its line: positions in code units", async () => {
    const needle = `s = "\uD800\uDC00\uDC00\uD800"; ${SMALL_MODEL_LINE}`;
    await assertSmallModel(`${HEADER}${needle}\n])\n`, needle);
  });

  test("CRLF, CR-only and mixed line endings", async () => {
    await assertSmallModel(`${HEADER}x = 1\r\n${SMALL_MODEL}\r\n`);
    await assertSmallModel(`import keras\r\nfrom keras import layers\r\n\r\n${SMALL_MODEL}\r\n`);
    await assertSmallModel(`import keras\r\nfrom keras import layers\n\r\n${SMALL_MODEL}\n`);
  });

  test("CRLF inside a multi-line model: hints at the end of each call, on the call's line", async () => {
    const text = ["import keras", "from keras import layers", "m = keras.Sequential([", "\tkeras.Input(shape=(4,)),", "\tlayers.Dense(3),", "])", ""].join("\r\n");
    const uri = client.uri("crlf.py");
    await client.open(uri, text);
    const found = (await client.inlayHints(uri)).map((h) => ({ ...h.position, label: labelText(h) }));
    // Tabs are one code unit each: `\tkeras.Input(shape=(4,))` ends at 1 + 23 = 24; `\tlayers.Dense(3)` at 1 + 15 = 16.
    assert.deepEqual(found, [
      { line: 3, character: 24, label: SMALL_LABELS[0] },
      { line: 4, character: 16, label: SMALL_LABELS[1] },
      { line: 5, character: 2, label: SMALL_LABELS[2] },
    ]);
    await client.close(uri);
  });

  test("a byte-order mark at the start of the file", async () => {
    await assertSmallModel(`\uFEFF${HEADER}${SMALL_MODEL}\n`);
    await assertSmallModel(`\uFEFFimport keras\r\nfrom keras import layers\r\n${SMALL_MODEL}\r\n`);
  });

  test("emoji and CJK before the calls on their line: positions in UTF-16 code units", async () => {
    const needle = `s = "😀🎉 形状"; ${SMALL_MODEL_LINE}`;
    // `s = "` 5, "😀🎉" 2 + 2 (two code units each), ` 形状` 3, `"; ` 3: the model starts at 15; in code points it would be 13.
    assert.equal(needle.indexOf("m = "), 15);
    await assertSmallModel(`${HEADER}${needle}\n])\n`, needle);
  });

  test("non-ASCII identifiers for constants and models", async () => {
    await assertSmallModel(`${HEADER}单位 = 3\n${SMALL_MODEL.replace("m = ", "réseau = ").replace("Dense(3)", "Dense(单位)")}\n`, "réseau = ");
  });

  test("the server survived all of the above, logged no handler failure and stayed within 1 GB", async () => {
    await assertServing();
    assert.deepEqual(client.logs.filter((l) => /failed/.test(l)), []);
    const peakKb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${client.child.pid}/status`, "utf8"))?.[1]);
    assert.ok(peakKb < 1024 * 1024, `peak RSS ${Math.round(peakKb / 1024)} MB`);
  });
});
