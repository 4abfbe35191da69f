/**
 * Language-server behaviour over real LSP: hovers, incremental edits, settings,
 * the per-line hint budget, unknown and closed documents, diagnostics' metadata.
 * Expected numbers are worked out by hand in the comments next to them.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { CodeLens, CodeLensRequest, DiagnosticSeverity, MarkupKind, TextDocumentSyncKind } from "vscode-languageserver-protocol/node";
import { LspClient, hoverText, labelText, labelsByLine, lineOf, messageText, tooltipText, withTimeout } from "./client";
// @ts-expect-error: a plain ES module without types (the benchmark's generator of realistic files).
import { generateKerasFile } from "../../scripts/bench-corpus.mjs";

const lines = (...l: string[]) => l.join("\n") + "\n";

/** The seed: 32×32×3 → ZeroPadding2D(1) → 34×34×3 → Conv2D(20, 8, strides=2). */
const SEED = lines(
  "import keras",
  "from keras import layers",
  "",
  "model = keras.Sequential(",
  "    [",
  "        keras.Input(shape=(32, 32, 3)),",
  "        layers.ZeroPadding2D(1),",
  "        layers.Conv2D(20, 8, strides=2),",
  "    ]",
  ")",
  "",
  "print(model)",
);

describe("language server", () => {
  let client: LspClient;

  before(async () => {
    client = await LspClient.start();
  });

  after(async () => {
    await client?.stop();
  });

  test("initialize announces incremental sync, inlay hints and hovers", () => {
    const caps = client.initializeResult?.capabilities;
    assert.ok(caps, "no initialize result");
    const sync = typeof caps.textDocumentSync === "object" ? caps.textDocumentSync.change : caps.textDocumentSync;
    assert.equal(sync, TextDocumentSyncKind.Incremental);
    assert.ok(caps.inlayHintProvider, "inlayHintProvider missing");
    assert.ok(caps.hoverProvider, "hoverProvider missing");
  });

  describe("hover", () => {
    let uri: string;
    before(async () => {
      uri = client.uri("seed.py");
      await client.open(uri, SEED);
    });

    test("on a Conv2D: input → output shapes and the formulas with the numbers filled in, as markdown", async () => {
      const hover = await client.hoverAt(uri, "layers.Conv2D(20", "layers.Conv2D(".length);
      assert.ok(hover, "no hover on the Conv2D call");
      assert.equal(typeof hover.contents === "object" && "kind" in hover.contents ? hover.contents.kind : undefined, MarkupKind.Markdown);
      const md = hoverText(hover);
      assert.match(md, /Conv2D/);
      assert.ok(md.includes("`(None, 34, 34, 3)` → `(None, 14, 14, 20)`"), md);
      // ⌊(34 − 8) / 2⌋ + 1 = 14 for both height and width.
      assert.ok(md.includes("⌊(34 − 8) / 2⌋ + 1 = 14"), md);
      // (8·8·3 + 1)·20 = 3,860.
      assert.ok(md.includes("(8·8·3 + 1)·20 = 3,860"), md);
      // kernel 8·8·3·20 = 3,840, bias 20.
      assert.ok(md.includes("3,840"), md);
      const line = lineOf(SEED, "layers.Conv2D(20");
      assert.equal(hover.range?.start.line, line);
      assert.equal(hover.range?.end.line, line);
    });

    test("on ZeroPadding2D: its formula 32 + 1 + 1 = 34 and no parameters", async () => {
      const md = hoverText(await client.hoverAt(uri, "layers.ZeroPadding2D", 3));
      assert.ok(md.includes("`(None, 32, 32, 3)` → `(None, 34, 34, 3)`"), md);
      assert.ok(md.includes("32 + 1 + 1 = 34"), md);
    });

    test("on `Sequential`: the model summary table and totals", async () => {
      const hover = await client.hoverAt(uri, "Sequential(", 2);
      assert.ok(hover, "no hover on Sequential");
      const md = hoverText(hover);
      assert.ok(md.includes("| Layer | Output shape | Params |"), md);
      // Keras's summary leaves the InputLayer out; ZeroPadding2D has 0 params.
      assert.match(md, /\| ZeroPadding2D \| `\(None, 34, 34, 3\)` \| 0 \|/);
      assert.match(md, /\| Conv2D \| `\(None, 14, 14, 20\)` \| 3,860 \|/);
      assert.doesNotMatch(md, /\| Input/);
      // 3,860 · 4 B = 15,440 B = 15.078 KB.
      assert.ok(md.includes("Total params: 3,860 (15.08 KB)"), md);
      assert.ok(md.includes("Trainable params: 3,860 (15.08 KB)"), md);
      assert.ok(md.includes("Non-trainable params: 0 (0.00 B)"), md);
    });

    test("outside any model: no hover", async () => {
      assert.equal(await client.hoverAt(uri, "print(model)", 2), null);
    });
  });

  describe("inlay hints", () => {
    test("are placed right after each call's closing parenthesis, with the full explanation as tooltip", async () => {
      const uri = client.uri("placement.py");
      await client.open(uri, SEED);
      const hints = await client.inlayHints(uri);
      const conv = hints.find((h) => labelText(h).includes("3,860"));
      assert.ok(conv, JSON.stringify(hints.map(labelText)));
      const line = lineOf(SEED, "layers.Conv2D(20");
      const lineText = SEED.split("\n")[line];
      assert.deepEqual(conv.position, { line, character: lineText.indexOf("),") + 1 });
      assert.ok(tooltipText(conv).includes("(8·8·3 + 1)·20 = 3,860"), tooltipText(conv));
      const total = hints.find((h) => labelText(h).startsWith("Total params"));
      assert.ok(total);
      assert.deepEqual(total.position, { line: lineOf(SEED, ")\n\nprint"), character: 1 });
    });

    test("a range request returns only the hints inside the range", async () => {
      const uri = client.uri("range.py");
      await client.open(uri, SEED);
      const line = lineOf(SEED, "layers.ZeroPadding2D");
      const hints = await client.inlayHints(uri, { start: { line, character: 0 }, end: { line, character: 200 } });
      assert.deepEqual(hints.map(labelText), ["(None, 34, 34, 3)"]);
    });

    test("an incremental edit (32 → 64 filters) changes the hints and republishes diagnostics", async () => {
      const text = lines(
        "import keras",
        "from keras import layers",
        "",
        "model = keras.Sequential([",
        "    keras.Input(shape=(28, 28, 1)),",
        "    layers.Conv2D(32, 3),",
        "    layers.Dense(10),",
        "])",
      );
      const uri = client.uri("edit.py");
      const first = await client.open(uri, text);
      // Dense on (None, 26, 26, 32) is per pixel: LL301.
      assert.deepEqual(first.diagnostics.map((d) => d.code), ["LL301"]);
      const conv = lineOf(text, "layers.Conv2D");
      const dense = lineOf(text, "layers.Dense");
      const total = lineOf(text, "])");
      let byLine = labelsByLine(await client.inlayHints(uri));
      // (3·3·1 + 1)·32 = 320; Dense 32·10 + 10 = 330; total 650 · 4 B = 2,600 B = 2.54 KB.
      assert.deepEqual(byLine.get(conv), ["(None, 26, 26, 32) · 320 params"]);
      assert.deepEqual(byLine.get(dense), ["(None, 26, 26, 10) · 330 params"]);
      assert.deepEqual(byLine.get(total), ["Total params: 650 (2.54 KB)"]);

      const republished = client.nextDiagnostics(uri, { minVersion: 2 });
      const character = "    layers.Conv2D(".length;
      const version = await client.change(uri, [{ range: { start: { line: conv, character }, end: { line: conv, character: character + 2 } }, text: "64" }]);
      assert.equal(version, 2);
      byLine = labelsByLine(await client.inlayHints(uri));
      // (3·3·1 + 1)·64 = 640; Dense 64·10 + 10 = 650; total 1,290 · 4 B = 5,160 B = 5.04 KB.
      assert.deepEqual(byLine.get(conv), ["(None, 26, 26, 64) · 640 params"]);
      assert.deepEqual(byLine.get(dense), ["(None, 26, 26, 10) · 650 params"]);
      assert.deepEqual(byLine.get(total), ["Total params: 1,290 (5.04 KB)"]);
      const diagnostics = await republished;
      assert.equal(diagnostics.version, 2);
      assert.deepEqual(diagnostics.diagnostics.map((d) => d.code), ["LL301"]);
    });

    test("several incremental changes in one notification apply in order", async () => {
      const text = lines(
        "import keras",
        "from keras import layers",
        "",
        "model = keras.Sequential([",
        "    keras.Input(shape=(28, 28, 1)),",
        "    layers.Conv2D(32, 3),",
        "])",
      );
      const uri = client.uri("multi-edit.py");
      await client.open(uri, text);
      const conv = lineOf(text, "layers.Conv2D");
      const input = lineOf(text, "keras.Input");
      // First 1 → 3 channels in the input, then a Flatten line inserted after the Conv2D
      // (positions of the second change refer to the text after the first).
      const ch = "    keras.Input(shape=(28, 28, ".length;
      await client.change(uri, [
        { range: { start: { line: input, character: ch }, end: { line: input, character: ch + 1 } }, text: "3" },
        { range: { start: { line: conv + 1, character: 0 }, end: { line: conv + 1, character: 0 } }, text: "    layers.Flatten(),\n" },
      ]);
      const byLine = labelsByLine(await client.inlayHints(uri));
      // (3·3·3 + 1)·32 = 896; flatten 26·26·32 = 21,632; total 896 · 4 B = 3,584 B = 3.50 KB.
      assert.deepEqual(byLine.get(input), ["(None, 28, 28, 3)"]);
      assert.deepEqual(byLine.get(conv), ["(None, 26, 26, 32) · 896 params"]);
      assert.deepEqual(byLine.get(conv + 1), ["(None, 21632)"]);
      assert.deepEqual(byLine.get(conv + 2), ["Total params: 896 (3.50 KB)"]);
    });

    test("a request for a document that was never opened returns an empty result, not an error", async () => {
      const uri = client.uri("never-opened.py");
      assert.deepEqual(await client.inlayHints(uri), []);
      assert.equal(await client.hover(uri, 0, 0), null);
    });
  });

  describe("settings", () => {
    let uri: string;
    const conv = lineOf(SEED, "layers.Conv2D(20");
    const pad = lineOf(SEED, "layers.ZeroPadding2D");
    const input = lineOf(SEED, "keras.Input");
    const total = lineOf(SEED, ")\n\nprint");

    before(async () => {
      uri = client.uri("settings.py");
      await client.open(uri, SEED);
    });

    after(async () => {
      await client.configure({});
    });

    async function labels() {
      return labelsByLine(await client.inlayHints(uri));
    }

    test("defaults: shapes with the batch dimension, parameters and totals", async () => {
      await client.configure({});
      const byLine = await labels();
      assert.deepEqual(byLine.get(input), ["(None, 32, 32, 3)"]);
      assert.deepEqual(byLine.get(pad), ["(None, 34, 34, 3)"]);
      assert.deepEqual(byLine.get(conv), ["(None, 14, 14, 20) · 3,860 params"]);
      assert.deepEqual(byLine.get(total), ["Total params: 3,860 (15.08 KB)"]);
    });

    test("shapes off: parameter counts only; layers without weights get no hint", async () => {
      const refreshes = client.refreshRequests;
      await client.configure({ shapes: false });
      const byLine = await labels();
      assert.equal(byLine.get(input), undefined);
      assert.equal(byLine.get(pad), undefined);
      assert.deepEqual(byLine.get(conv), ["3,860 params"]);
      assert.deepEqual(byLine.get(total), ["Total params: 3,860 (15.08 KB)"]);
      assert.ok(client.refreshRequests > refreshes, "the server should ask the client to refresh its inlay hints");
    });

    test("sent again unchanged (as a client does when it starts): hints are not asked for again", async () => {
      await client.configure({ totals: false });
      await labels(); // the request for hints again this change makes comes before the answer
      const refreshes = client.refreshRequests;
      await client.configure({ totals: false });
      await client.configure({ totals: false, shapes: true });
      // Answered after both notifications were handled: a request for hints again would have come before.
      const byLine = await labels();
      assert.equal(byLine.get(total), undefined);
      assert.equal(client.refreshRequests, refreshes, "asked for hints again though no setting changed");
      await client.configure({});
      await labels();
      assert.equal(client.refreshRequests, refreshes + 1, "not asked for hints again when totals came back");
    });

    test("parameters off: shapes only", async () => {
      await client.configure({ parameters: false });
      const byLine = await labels();
      assert.deepEqual(byLine.get(conv), ["(None, 14, 14, 20)"]);
      assert.deepEqual(byLine.get(pad), ["(None, 34, 34, 3)"]);
      assert.deepEqual(byLine.get(total), ["Total params: 3,860 (15.08 KB)"]);
    });

    test("batchDimension off: shapes without None", async () => {
      await client.configure({ batchDimension: false });
      const byLine = await labels();
      assert.deepEqual(byLine.get(input), ["(32, 32, 3)"]);
      assert.deepEqual(byLine.get(conv), ["(14, 14, 20) · 3,860 params"]);
    });

    test("totals off: no totals hint, layer hints unchanged", async () => {
      await client.configure({ totals: false });
      const byLine = await labels();
      assert.equal(byLine.get(total), undefined);
      assert.deepEqual(byLine.get(conv), ["(None, 14, 14, 20) · 3,860 params"]);
    });

    test("shapes and parameters off: only the totals", async () => {
      await client.configure({ shapes: false, parameters: false });
      const byLine = await labels();
      assert.deepEqual([...byLine.values()], [["Total params: 3,860 (15.08 KB)"]]);
    });

    test("back on: the full labels again", async () => {
      await client.configure({ shapes: true, parameters: true, totals: true, batchDimension: true });
      const byLine = await labels();
      assert.deepEqual(byLine.get(conv), ["(None, 14, 14, 20) · 3,860 params"]);
      assert.deepEqual(byLine.get(total), ["Total params: 3,860 (15.08 KB)"]);
    });

    test("a value of the wrong type keeps the default", async () => {
      await client.connection.sendNotification("workspace/didChangeConfiguration", {
        settings: { layerLens: { hints: { shapes: "no", parameters: 0 } } },
      });
      const byLine = await labels();
      assert.deepEqual(byLine.get(conv), ["(None, 14, 14, 20) · 3,860 params"]);
    });

    test("initializationOptions set the settings of a new server", async () => {
      const other = await LspClient.start({ batchDimension: false, totals: false });
      try {
        const u = other.uri("init-options.py");
        await other.open(u, SEED);
        const byLine = labelsByLine(await other.inlayHints(u));
        assert.deepEqual(byLine.get(conv), ["(14, 14, 20) · 3,860 params"]);
        assert.equal(byLine.get(total), undefined);
      } finally {
        await other.stop();
      }
    });
  });

  describe("the 43-character budget per line", () => {
    test("a rank-5 Conv3D with millions of parameters: the label is shortened, the tooltip is not", async () => {
      // (None, 64, 128, 128, 64) → Conv3D(512, 5): 64 − 5 + 1 = 60, 128 − 5 + 1 = 124;
      // (5·5·5·64 + 1)·512 = 8,001·512 = 4,096,512 params.
      // "(None, 60, 124, 124, 512) · 4,096,512 params" is 44 characters; 4.1M fits (39).
      const text = lines(
        "import keras",
        "from keras import layers",
        "",
        "model = keras.Sequential([",
        "    keras.Input(shape=(64, 128, 128, 64)),",
        "    layers.Conv3D(512, 5),",
        "])",
      );
      const uri = client.uri("budget-conv3d.py");
      await client.open(uri, text);
      const hints = await client.inlayHints(uri);
      const line = lineOf(text, "layers.Conv3D");
      const conv = hints.filter((h) => h.position.line === line);
      assert.deepEqual(conv.map(labelText), ["(None, 60, 124, 124, 512) · 4.1M params"]);
      assert.ok(tooltipText(conv[0]).includes("4,096,512"), tooltipText(conv[0]));
      // Total 4,096,512 · 4 B = 16,386,048 B = 15.627 MB.
      assert.deepEqual(
        hints.filter((h) => h.position.line === lineOf(text, "])")).map(labelText),
        ["Total params: 4,096,512 (15.63 MB)"],
      );
    });

    test("every line's labels together fit in 43 characters, even with several hints on one line", async () => {
      // One line, three hints: Input (None, 2048); Dense(4096): 2048·4096 + 4096 = 8,392,704 params;
      // totals 8,392,704 · 4 B = 33,570,816 B = 32.016 MB. Two Conv3D calls on one line as well.
      const text = lines(
        "import keras",
        "from keras import layers",
        "",
        "wide = keras.Sequential([keras.Input(shape=(2048,)), layers.Dense(4096)])",
        "",
        "deep = keras.Sequential([",
        "    keras.Input(shape=(64, 128, 128, 64)),",
        "    layers.Conv3D(512, 5), layers.Conv3D(1024, 3, padding='same'),",
        "])",
      );
      const uri = client.uri("budget-lines.py");
      await client.open(uri, text);
      const hints = await client.inlayHints(uri);
      const byLine = labelsByLine(hints);
      assert.ok(byLine.size >= 4, JSON.stringify([...byLine]));
      for (const [line, labels] of byLine) {
        const length = labels.reduce((n, l) => n + l.length, 0);
        assert.ok(length <= 43, `line ${line + 1}: ${JSON.stringify(labels)} is ${length} characters`);
        assert.ok(labels.every((l) => l.length > 0), `line ${line + 1}: empty label`);
      }
      const wideLine = lineOf(text, "wide =");
      const wide = hints.filter((h) => h.position.line === wideLine);
      assert.equal(wide.length, 3, JSON.stringify(wide.map(labelText)));
      assert.ok(tooltipText(wide[1]).includes("8,392,704"), tooltipText(wide[1]));
      assert.ok(tooltipText(wide[2]).includes("Total params: 8,392,704 (32.02 MB)"), tooltipText(wide[2]));
      // (3·3·3·512 + 1)·1,024 = 13,825·1,024 = 14,156,800 params for the second Conv3D.
      const deepLine = lineOf(text, "layers.Conv3D(512, 5), layers");
      const deep = hints.filter((h) => h.position.line === deepLine);
      assert.equal(deep.length, 2);
      assert.ok(tooltipText(deep[1]).includes("14,156,800"), tooltipText(deep[1]));
    });

    test("a totals label of exactly 43 characters is kept whole", async () => {
      // Dense(1) frozen on (None, 1): 1·1 + 1 = 2 non-trainable; Dense(1): 2. Total 4 = 16 B.
      const text = lines(
        "import keras",
        "from keras import layers",
        "",
        "tiny = keras.Sequential([",
        "    keras.Input(shape=(1,)),",
        "    layers.Dense(1, trainable=False),",
        "    layers.Dense(1),",
        "])",
      );
      const uri = client.uri("budget-exact.py");
      await client.open(uri, text);
      const byLine = labelsByLine(await client.inlayHints(uri));
      const label = "Total params: 4 (16.00 B) · 2 non-trainable";
      assert.equal(label.length, 43);
      assert.deepEqual(byLine.get(lineOf(text, "])")), [label]);
    });
  });

  describe("diagnostics", () => {
    test("on a long file they come from the whole file, analysed in slices, while hints are answered", async () => {
      // 2,000 small models (several slices of analysis), then a convolution wider than its input.
      const models = Array.from({ length: 2000 }, (_, k) => `m${k} = keras.Sequential([keras.Input((${(k % 50) + 2},)), layers.Dense(${(k % 7) + 1})])`);
      const text = ["import keras", "from keras import layers", ...models, "bad = keras.Sequential([keras.Input((28, 28, 1)), layers.Conv2D(8, 30)])", ""].join("\n");
      const uri = client.uri("long_file.py");
      const published = client.open(uri, text);
      // m1: Dense(2) on 3 features: (3 + 1)·2 = 8 params, 32 bytes (the line budget leaves the totals only).
      const line = lineOf(text, "m1 = ");
      const hints = await client.inlayHints(uri, { start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
      assert.ok(hints.some((h) => labelText(h) === "Total params: 8 (32.00 B)"), hints.map(labelText).join(" | "));
      const { diagnostics } = await published;
      // 28 − 30 + 1 = −1, for the height and the width.
      assert.deepEqual(
        diagnostics.map((d) => [d.code, d.range.start.line]),
        [
          ["LL101", lineOf(text, "bad = ")],
          ["LL101", lineOf(text, "bad = ")],
        ],
      );
    });

    test("a long file's code lenses come within a budget, and are asked for again once it is analysed", async () => {
      const models = Array.from({ length: 2000 }, (_, k) => `m${k} = keras.Sequential([keras.Input((${(k % 50) + 2},)), layers.Dense(${(k % 7) + 1})])`);
      const text = ["import keras", "from keras import layers", ...models, ""].join("\n");
      const uri = client.uri("long_lenses.py");
      const refreshes = client.lensRefreshRequests;
      const published = client.open(uri, text);
      const lensesOf = async () => (await withTimeout(client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } }), "code lenses")) ?? [];
      const key = (l: CodeLens) => `${l.range.start.line} ${l.command?.title}`;
      const first = await lensesOf();
      // Two lenses per model (totals, "Show summary"); a 50 ms budget covers far fewer than 2,000 models.
      assert.ok(first.length < 4000, `${first.length} lenses at once`);
      await published;
      const started = Date.now();
      while (client.lensRefreshRequests === refreshes && Date.now() - started < 10_000) await new Promise((resolve) => setTimeout(resolve, 20));
      assert.equal(client.lensRefreshRequests, refreshes + 1, "asked for lenses again");
      const all = await lensesOf();
      assert.equal(all.length, 4000);
      const everything = new Set(all.map(key));
      assert.ok(first.every((l) => everything.has(key(l))), "the first lenses are among the final ones");
      // m1: Dense(2) on 3 features: (3 + 1)·2 = 8 params.
      assert.ok(all.some((l) => l.range.start.line === lineOf(text, "m1 = ") && (l.command?.title ?? "").startsWith("Total 8 params (32.00 B)")), JSON.stringify(all.slice(0, 4)));
    });

    test("come even while the client never stops sending requests", async () => {
      // Slices of diagnostics wait for the client to be quiet, but not forever.
      const text = lines("import keras", "from keras import layers", "bad = keras.Sequential([keras.Input((28, 28, 1)), layers.Conv2D(8, 30)])");
      const uri = client.uri("busy_client.py");
      let arrived = false;
      const published = client.open(uri, text).then((p) => {
        arrived = true;
        return p;
      });
      const started = Date.now();
      while (!arrived && Date.now() - started < 20_000) await client.hover(uri, 2, 60);
      assert.ok(arrived, "no diagnostics while requests kept coming");
      assert.deepEqual((await published).diagnostics.map((d) => d.code), ["LL101", "LL101"]);
    });

    test("a long file's first lines are answered before it is parsed whole, and hints are asked for again once it is analysed", async () => {
      // A server of its own: other tests' settings changes ask for hints again too.
      const own = await LspClient.start();
      try {
        const text: string = generateKerasFile(3000, 8);
        const uri = own.uri("long_first_lines.py");
        const top = { start: { line: 0, character: 0 }, end: { line: 60, character: 0 } };
        const published = own.open(uri, text);
        const first = await own.inlayHints(uri, top);
        await published;
        // The request for hints again goes out right after the diagnostics: a round trip later it has come.
        const again = await own.inlayHints(uri, top);
        assert.equal(own.refreshRequests, 1, "asked for hints again");
        assert.ok(first.length > 10, `${first.length} hints`);
        assert.deepEqual(first.map((h) => [h.position, labelText(h)]), again.map((h) => [h.position, labelText(h)]));

        // A short file is parsed whole at once: nothing to ask for again.
        const short = own.uri("short_first_lines.py");
        await own.open(short, SEED);
        await own.inlayHints(short, top);
        assert.equal(own.refreshRequests, 1, "not asked again for a short file");
      } finally {
        await own.stop();
      }
    });

    test("carry source 'layer-lens', the code and the severity of its class", async () => {
      const text = lines(
        "import keras",
        "from keras import layers",
        "",
        "model = keras.Sequential([",
        "    layers.Conv2D(16, 3, input_shape=(3, 32, 32)),",
        "    layers.Conv2D(16, 3),",
        "    layers.Conv2D(8, 3, padding='full'),",
        "    layers.Dense(4),",
        "])",
        "pixelwise = keras.Sequential([keras.Input(shape=(6, 6, 9)), layers.Dense(4)])",
      );
      const uri = client.uri("metadata.py");
      const published = await client.open(uri, text);
      assert.equal(published.version, 1);
      const ds = published.diagnostics;
      // LL201 on input_shape; LL101 (1 − 3 + 1 = −1 rows) on the second Conv2D; LL102 on padding. Keras refuses
      // the model there, so the Dense after it gets no shape and no note; the Dense on (None, 6, 6, 9) gets LL301.
      assert.deepEqual(ds.map((d) => d.code).sort(), ["LL101", "LL102", "LL201", "LL301"]);
      for (const d of ds) {
        assert.equal(d.source, "layer-lens");
        assert.match(String(d.code), /^LL[123]\d\d$/);
        const expected = String(d.code).startsWith("LL1")
          ? DiagnosticSeverity.Error
          : String(d.code).startsWith("LL2")
            ? DiagnosticSeverity.Warning
            : DiagnosticSeverity.Information;
        assert.equal(d.severity, expected, `${d.code}: ${messageText(d)}`);
        assert.ok(messageText(d).length > 0);
      }
      const ll201 = ds.find((d) => d.code === "LL201")!;
      assert.equal(ll201.range.start.line, lineOf(text, "input_shape"));
      assert.equal(ll201.range.start.character, text.split("\n")[lineOf(text, "input_shape")].indexOf("input_shape"));
      assert.match(messageText(ll201), /\(32, 32, 3\)/);
      const ll102 = ds.find((d) => d.code === "LL102")!;
      assert.equal(ll102.range.start.line, lineOf(text, "padding='full'"));
      assert.match(messageText(ll102), /'full'/);
    });

    test("a non-positive dimension (LL101) names the earlier layers that shrank it, with their locations", async () => {
      const text = lines(
        "import keras",
        "from keras import layers",
        "",
        "shrinking = keras.Sequential([",
        "    keras.Input(shape=(16, 20, 3)),",
        "    layers.Conv2D(8, 5),",
        "    layers.MaxPooling2D(2),",
        "    layers.Conv2D(16, 5),",
        "    layers.Conv2D(32, 3),",
        "])",
      );
      const uri = client.uri("shrinking.py");
      const { diagnostics } = await client.open(uri, text);
      assert.deepEqual(diagnostics.map((d) => d.code), ["LL101"]);
      const d = diagnostics[0];
      assert.equal(d.range.start.line, lineOf(text, "Conv2D(32, 3)"));
      // Rows: 16 → 12 (Conv2D 5) → 6 (pool 2) → 2 (Conv2D 5), then 2 − 3 + 1 = 0.
      const message = messageText(d);
      assert.ok(message.includes("2 − 3 + 1 = 0"), message);
      assert.ok(message.includes("height"), message);
      const related = d.relatedInformation ?? [];
      assert.deepEqual(
        related.map((r) => r.location.range.start.line),
        [lineOf(text, "Conv2D(8, 5)"), lineOf(text, "MaxPooling2D(2)"), lineOf(text, "Conv2D(16, 5)")],
      );
      for (const r of related) assert.equal(r.location.uri, uri);
      assert.match(related[0].message, /Conv2D.*16.*12/);
      assert.match(related[1].message, /MaxPooling2D.*12.*6/);
      assert.match(related[2].message, /Conv2D.*6.*2/);
    });

    test("closing a document clears its diagnostics", async () => {
      const text = lines(
        "import keras",
        "from keras import layers",
        "",
        "model = keras.Sequential([keras.Input(shape=(16,)), layers.Dense(0)])",
      );
      const uri = client.uri("close.py");
      const opened = await client.open(uri, text);
      assert.deepEqual(opened.diagnostics.map((d) => d.code), ["LL105"]);
      const cleared = client.nextDiagnostics(uri);
      await client.close(uri);
      assert.deepEqual((await cleared).diagnostics, []);
      // Closed means unknown to the server: empty answers, no error.
      assert.deepEqual(await client.inlayHints(uri), []);
    });

    test("a clean model publishes an empty list", async () => {
      const uri = client.uri("clean.py");
      const { diagnostics } = await client.open(uri, SEED);
      assert.deepEqual(diagnostics, []);
    });

    test("rapid edits are debounced: diagnostics come for the latest version", async () => {
      const uri = client.uri("debounce.py");
      await client.open(uri, SEED);
      const last = client.nextDiagnostics(uri, { minVersion: 4 });
      await client.replace(uri, "Conv2D(20", "Conv2D(0");
      await client.replace(uri, "Conv2D(0", "Conv2D(2");
      const version = await client.replace(uri, "Conv2D(2", "Conv2D(20");
      assert.equal(version, 4);
      const published = await last;
      assert.equal(published.version, 4);
      assert.deepEqual(published.diagnostics, []);
    });
  });

  describe("Keras semantics the fixtures rely on", () => {
    test("comments inside a layer list or an argument list are not layers or arguments", async () => {
      const text = lines(
        "import keras",
        "from keras import layers",
        "",
        "model = keras.Sequential([",
        "    # Feature extractor",
        "    keras.Input(shape=(28, 28, 1)),  # grayscale digits",
        "    layers.Conv2D(",
        "        32,  # filters",
        "        3,  # kernel size",
        "    ),",
        "    # Classifier",
        "    layers.Flatten(),",
        "])",
      );
      const uri = client.uri("comments.py");
      const { diagnostics } = await client.open(uri, text);
      assert.deepEqual(
        diagnostics.map((d) => `${d.range.start.line + 1}: ${d.code} ${messageText(d)}`),
        [],
        "comments must not produce diagnostics",
      );
      const byLine = labelsByLine(await client.inlayHints(uri));
      // 28 − 3 + 1 = 26, (3·3·1 + 1)·32 = 320; flatten 26·26·32 = 21,632; 1,280 B = 1.25 KB.
      assert.deepEqual(byLine.get(lineOf(text, "keras.Input")), ["(None, 28, 28, 1)"]);
      assert.deepEqual(byLine.get(lineOf(text, "    ),")), ["(None, 26, 26, 32) · 320 params"]);
      assert.deepEqual(byLine.get(lineOf(text, "layers.Flatten")), ["(None, 21632)"]);
      assert.deepEqual(byLine.get(lineOf(text, "])")), ["Total params: 320 (1.25 KB)"]);
    });

    test("memory sizes round like Keras's summary (Python's '{:.2f}': half to even)", async () => {
      // Input (15,) → Dense(18): 15·18 + 18 = 288 params · 4 B = 1,152 B = 1.125 KB exactly;
      // Keras prints "{:.2f}".format(1.125) = "1.12" (the binary value is exactly halfway).
      const text = lines(
        "import keras",
        "from keras import layers",
        "",
        "model = keras.Sequential([keras.Input(shape=(15,)), layers.Dense(18)])",
        "",
      );
      const uri = client.uri("rounding.py");
      await client.open(uri, text);
      const hover = hoverText(await client.hoverAt(uri, "Sequential(", 2));
      assert.ok(hover.includes("Total params: 288 (1.12 KB)"), hover);
    });
  });

  test("the server is still running after all of the above", async () => {
    assert.ok(client.alive, `server exited; stderr: ${client.stderr}`);
    const uri = client.uri("alive.py");
    await client.open(uri, SEED);
    assert.ok((await client.inlayHints(uri)).length > 0);
    const failures = client.logs.filter((l) => /failed/.test(l));
    assert.deepEqual(failures, [], "handlers logged failures");
  });

  test("shutdown and exit end the process with code 0", async () => {
    const other = await LspClient.start();
    await other.stop();
    assert.equal(other.alive, false);
    assert.equal(await withTimeout(other.waitForExit(), "exit code"), 0);
  });
});
