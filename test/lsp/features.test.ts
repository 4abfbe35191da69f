/**
 * Editor features over real LSP: code lenses with the totals, the
 * `layerLens/modelSummary` request (rows, text, Markdown, another input size),
 * quick fixes applied and re-checked, receptive fields in hovers, and inlay-hint
 * label parts that link to the layer producing the input. Every expected number
 * is worked out by hand in the comment next to it.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  CodeAction,
  CodeActionKind,
  CodeActionRequest,
  CodeLensRequest,
  Diagnostic,
  InlayHint,
  InlayHintLabelPart,
  MarkupContent,
} from "vscode-languageserver-protocol/node";
import { LspClient, applyEdit, hoverText, labelsByLine, lineOf, withTimeout } from "./client";
import type { ModelSummaryResult } from "../../server/src/lsp/summary";

const lines = (...l: string[]) => l.join("\n") + "\n";

// MACs: 194,688 + 21,632 + 2,230,272 + 6,400 + 16,000 = 2,468,992 (the CLI test has each layer's arithmetic).
const MNIST_TOTALS = "Total 34,826 params (136.04 KB) · trainable 34,826 (136.04 KB) · non-trainable 0 (0.00 B) · 2.47M MACs";

describe("editor features", () => {
  let client: LspClient;

  before(async () => {
    client = await LspClient.start();
  });

  after(async () => {
    await client?.stop();
  });

  async function summary(params: { uri: string; line?: number; model?: number; inputShape?: string }): Promise<ModelSummaryResult | null> {
    return withTimeout(
      client.connection.sendRequest("layerLens/modelSummary", {
        textDocument: { uri: params.uri },
        ...(params.line !== undefined ? { position: { line: params.line, character: 8 } } : {}),
        ...(params.model !== undefined ? { model: params.model } : {}),
        ...(params.inputShape !== undefined ? { inputShape: params.inputShape } : {}),
      }),
      "model summary",
    );
  }

  describe("code lenses", () => {
    test("above each model: totals with their memory size as Keras prints them, and Show summary", async () => {
      const { uri, text } = await client.openFixture("mnist_cnn.py");
      const lenses = (await withTimeout(client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } }), "code lenses")) ?? [];
      const mnistLine = lineOf(text, "model = keras.Sequential(");
      const seedLine = lineOf(text, "seed = keras.Sequential()");
      const at = (line: number) => lenses.filter((l) => l.range.start.line === line).map((l) => l.command?.title);
      // MNIST: 34,826 · 4 B = 139,304 B = 136.039 KB; nothing frozen: 0 B.
      assert.deepEqual(at(mnistLine), [MNIST_TOTALS, "Show summary"]);
      // Seed: 4,150 params = 16,600 B = 16.21 KB; trainable 4,110 = 16,440 B = 16.05 KB;
      // BatchNormalization's moving mean and variance, 2·20 = 40 = 160 B, are not trainable.
      assert.deepEqual(at(seedLine), [
        // MACs: 752,640 + 3,920 + 3,920 + 200 = 760,680.
        "Total 4,150 params (16.21 KB) · trainable 4,110 (16.05 KB) · non-trainable 40 (160.00 B) · 761k MACs",
        "Show summary",
      ]);
      assert.equal(lenses.length, 4);
      const show = lenses.find((l) => l.range.start.line === mnistLine && l.command?.title === "Show summary")!;
      assert.equal(show.command?.command, "layerLens.showSummary");
      assert.deepEqual(show.command?.arguments, [uri, { line: mnistLine, character: "model = ".length }]);
      // The totals lead to the same summary: no lens carries an empty command id, which other editors refuse to run.
      const totals = lenses.find((l) => l.command?.title === MNIST_TOTALS)!;
      assert.deepEqual([totals.command?.command, totals.command?.arguments], [show.command?.command, show.command?.arguments]);
      for (const lens of lenses) assert.ok(lens.command?.command, `${lens.command?.title} has no command`);
    });
  });

  describe("model summary request", () => {
    test("rows like model.summary() with each layer's share of the total, as text and Markdown", async () => {
      const { uri, text } = await client.openFixture("mnist_cnn.py");
      const result = await summary({ uri, line: lineOf(text, "layers.Flatten()") });
      assert.ok(result);
      assert.equal(result.model, 0);
      assert.equal(result.title, "model");
      assert.equal(result.input, "(None, 28, 28, 1)");
      assert.equal(result.sample, "(28, 28, 1)");
      // Shares: 320 / 34,826 = 0.92 %; 18,496 / 34,826 = 53.11 %; 16,010 / 34,826 = 45.97 %.
      assert.deepEqual(
        result.rows.map((r) => [r.layer, r.outputShape, r.params, r.share]),
        [
          ["Conv2D", "(None, 26, 26, 32)", "320", "0.9%"],
          ["MaxPooling2D", "(None, 13, 13, 32)", "0", "0%"],
          ["Conv2D", "(None, 11, 11, 64)", "18,496", "53.1%"],
          ["MaxPooling2D", "(None, 5, 5, 64)", "0", "0%"],
          ["Flatten", "(None, 1600)", "0", "0%"],
          ["Dropout", "(None, 1600)", "0", "0%"],
          ["Dense", "(None, 10)", "16,010", "46.0%"],
        ],
      );
      assert.equal(result.rows[0].range.start.line, lineOf(text, "layers.Conv2D(32"));
      assert.deepEqual([result.total, result.trainable, result.nonTrainable], [
        { count: "34,826", memory: "136.04 KB" },
        { count: "34,826", memory: "136.04 KB" },
        { count: "0", memory: "0.00 B" },
      ]);
      assert.deepEqual(result.errors, []);
      const textLines = result.text.split("\n");
      assert.equal(textLines[0], 'Model: "model"  input (None, 28, 28, 1)');
      assert.match(textLines[1], /^Layer \(type\)\s+Output shape\s+Params\s+Share$/);
      assert.match(textLines[5], /^Conv2D\s+\(None, 11, 11, 64\)\s+18,496\s+53\.1%$/);
      // The forward activations, float32: 28·28·1·4 = 3,136 B for the input + 86,528 + 21,632 + 30,976 + 3·6,400 + 40 = 161,512 B = 157.73 KB.
      assert.deepEqual(textLines.slice(-5), [
        "Total params: 34,826 (136.04 KB)",
        "Trainable params: 34,826 (136.04 KB)",
        "Non-trainable params: 0 (0.00 B)",
        "Total MACs: 2,468,992 per sample (2.47M; FLOPs = 2 × MACs)",
        "Forward activations: 157.73 KB per sample (every layer's output, kept at once)",
      ]);
      // Each row's MACs and output memory (26·26·3·3·1·32 = 194,688; 26·26·32·4 B = 84.50 KB), and the totals.
      assert.deepEqual([result.rows[0].macs, result.rows[0].memory, result.macs, result.activations], ["194,688", "84.50 KB", "2,468,992", "157.73 KB"]);
      const md = result.markdown.split("\n");
      assert.ok(md.includes("| Layer (type) | Output shape | Params | Share |"), result.markdown);
      assert.ok(md.includes("| Conv2D | `(None, 26, 26, 32)` | 320 | 0.9% |"), result.markdown);
      assert.ok(md.includes("| Dense | `(None, 10)` | 16,010 | 46.0% |"), result.markdown);
      assert.ok(md.includes("Total params: 34,826 (136.04 KB)  "), result.markdown);
    });

    test("follows the cursor to the model it is in; by index when asked; nothing outside every model", async () => {
      const { uri, text } = await client.openFixture("mnist_cnn.py");
      const seed = await summary({ uri, line: lineOf(text, "seed.add(layers.BatchNormalization())") });
      assert.equal(seed?.model, 1);
      assert.equal(seed?.title, "seed");
      // BatchNormalization: 80 of 4,150 = 1.93 %.
      assert.deepEqual(seed?.rows.find((r) => r.layer === "BatchNormalization")?.share, "1.9%");
      assert.equal((await summary({ uri, model: 1 }))?.title, "seed");
      assert.equal(await summary({ uri, line: lineOf(text, "num_classes = 10") }), null);
    });

    test("a layer's name= shows as Keras prints it: name (Class)", async () => {
      const uri = client.uri("named.py");
      await client.open(uri, lines(
        "import keras",
        "from keras import layers",
        "model = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(2, name='head')])",
      ));
      const result = await summary({ uri, line: 2 });
      // (4 + 1)·2 = 10.
      assert.ok(result?.markdown.includes("| head (Dense) | `(None, 2)` | 10 | 100.0% |"), result?.markdown);
    });

    test("another input size, without editing the file: MNIST on 32×32×1", async () => {
      const { uri, text } = await client.openFixture("mnist_cnn.py");
      const result = await summary({ uri, line: lineOf(text, "layers.Flatten()"), inputShape: "(32, 32, 1)" });
      assert.ok(result);
      assert.equal(result.inputOverride, "(None, 32, 32, 1)");
      assert.equal(result.input, "(None, 32, 32, 1)");
      assert.equal(result.sample, "(32, 32, 1)");
      // 32 − 3 + 1 = 30; ⌊(30 − 2)/2⌋ + 1 = 15; 15 − 3 + 1 = 13; ⌊(13 − 2)/2⌋ + 1 = 6;
      // 6·6·64 = 2,304; Dense (2,304 + 1)·10 = 23,050. Total 320 + 18,496 + 23,050 = 41,866,
      // ·4 B = 167,464 B = 163.539 KB.
      assert.deepEqual(
        result.rows.map((r) => [r.outputShape, r.params]),
        [
          ["(None, 30, 30, 32)", "320"],
          ["(None, 15, 15, 32)", "0"],
          ["(None, 13, 13, 64)", "18,496"],
          ["(None, 6, 6, 64)", "0"],
          ["(None, 2304)", "0"],
          ["(None, 2304)", "0"],
          ["(None, 10)", "23,050"],
        ],
      );
      assert.deepEqual(result.total, { count: "41,866", memory: "163.54 KB" });
      assert.deepEqual(result.errors, []);
      // The document itself is unchanged: the plain request still gives 34,826.
      assert.equal((await summary({ uri, model: 0 }))?.total.count, "34,826");
    });

    test("an input too small for the model: the summary says where Keras would fail", async () => {
      const { uri } = await client.openFixture("mnist_cnn.py");
      // 8 − 3 + 1 = 6; pool 3; 3 − 3 + 1 = 1; pool ⌊(1 − 2)/2⌋ + 1 = 0: Keras refuses.
      const result = await summary({ uri, model: 0, inputShape: "8, 8, 1" });
      assert.equal(result?.rows[2].outputShape, "(None, 1, 1, 64)");
      assert.equal(result?.rows[3].outputShape, "(None, ?, ?, 64)");
      assert.equal(result?.errors.length, 2);
      assert.match(result!.errors[0], /^MaxPooling2D would make the height 0: ⌊\(1 − 2\) \/ 2⌋ \+ 1 = 0\./);
      assert.match(result!.errors[1], /^MaxPooling2D would make the width 0/);
      assert.equal(result?.total.count, "?");
    });

    test("a malformed input shape is refused with a reason, and the summary stays the source's", async () => {
      const { uri } = await client.openFixture("mnist_cnn.py");
      for (const typed of ["", "(32, -1, 1)", "(32, 3.5)", "(a, b)"]) {
        const result = await summary({ uri, model: 0, inputShape: typed });
        assert.ok(result?.inputError, `no error for ${JSON.stringify(typed)}`);
        assert.equal(result?.inputOverride, undefined);
        assert.equal(result?.total.count, "34,826");
      }
      // None is a valid open dimension: the spatial sizes become None, and Flatten over them is unknown.
      const open = await summary({ uri, model: 0, inputShape: "[None, None, 1]" });
      assert.equal(open?.inputError, undefined);
      assert.equal(open?.rows[0].outputShape, "(None, None, None, 32)");
    });
  });

  describe("quick fixes", () => {
    async function fixesFor(uri: string, code: string): Promise<{ diagnostic: Diagnostic; actions: CodeAction[] }> {
      const published = client.published.filter((p) => p.uri === uri).at(-1)!;
      const diagnostic = published.diagnostics.find((d) => d.code === code);
      assert.ok(diagnostic, `no ${code} in ${JSON.stringify(published.diagnostics.map((d) => d.code))}`);
      const actions = (await withTimeout(
        client.connection.sendRequest(CodeActionRequest.type, {
          textDocument: { uri },
          range: diagnostic.range,
          context: { diagnostics: [diagnostic] },
        }),
        "code actions",
      )) as CodeAction[];
      for (const action of actions) {
        assert.equal(action.kind, CodeActionKind.QuickFix);
        assert.deepEqual(action.diagnostics, [diagnostic]);
      }
      return { diagnostic, actions };
    }

    function applied(uri: string, action: CodeAction): string {
      const edits = action.edit?.changes?.[uri] ?? [];
      assert.ok(edits.length, "the action has no edit");
      // Edits of one action do not overlap; apply from the end so earlier ranges stay valid.
      const sorted = [...edits].sort((a, b) => b.range.start.line - a.range.start.line || b.range.start.character - a.range.start.character);
      return sorted.reduce((text, e) => applyEdit(text, e.range, e.newText), client.document(uri).text);
    }

    /** Opens the fixed text and returns its diagnostics' codes and its hint labels by source line. */
    async function recheck(text: string): Promise<{ codes: string[]; labels: Map<number, string[]> }> {
      const uri = client.uri("fixed.py");
      const published = await client.open(uri, text);
      return { codes: published.diagnostics.map((d) => String(d.code)), labels: labelsByLine(await client.inlayHints(uri)) };
    }

    const DENSE_ON_IMAGE = lines(
      "import keras",
      "from keras import layers",
      "",
      "model = keras.Sequential(",
      "    [",
      "        keras.Input(shape=(28, 28, 1)),",
      "        layers.Conv2D(8, 3),",
      "        layers.Dense(10),",
      "    ]",
      ")",
    );

    test("LL301: Flatten() inserted before the Dense, with the user's module prefix, in a layer list", async () => {
      const uri = client.uri("dense.py");
      await client.open(uri, DENSE_ON_IMAGE);
      const { actions } = await fixesFor(uri, "LL301");
      assert.deepEqual(actions.map((a) => a.title), ["Insert layers.Flatten() before Dense"]);
      assert.equal(actions[0].isPreferred, true);
      const fixed = applied(uri, actions[0]);
      assert.equal(fixed, DENSE_ON_IMAGE.replace("        layers.Dense(10),", "        layers.Flatten(),\n        layers.Dense(10),"));
      const { codes, labels } = await recheck(fixed);
      assert.deepEqual(codes, []);
      // Flatten: 26·26·8 = 5,408; Dense (5,408 + 1)·10 = 54,090.
      assert.deepEqual(labels.get(lineOf(fixed, "layers.Flatten()")), ["(None, 5408)"]);
      assert.deepEqual(labels.get(lineOf(fixed, "layers.Dense(10)")), ["(None, 10) · 54,090 params"]);
    });

    test("LL301 in a model built with .add(): a model.add(keras.layers.Flatten()) line before", async () => {
      const text = lines(
        "import keras",
        "",
        "net = keras.Sequential()",
        "net.add(keras.Input(shape=(4, 4, 2)))",
        "net.add(keras.layers.Dense(3))",
      );
      const uri = client.uri("dense-add.py");
      await client.open(uri, text);
      const { actions } = await fixesFor(uri, "LL301");
      assert.equal(actions.length, 1);
      const fixed = applied(uri, actions[0]);
      assert.equal(fixed, text.replace("net.add(keras.layers.Dense(3))", "net.add(keras.layers.Flatten())\nnet.add(keras.layers.Dense(3))"));
      const { codes, labels } = await recheck(fixed);
      assert.deepEqual(codes, []);
      // 4·4·2 = 32; (32 + 1)·3 = 99.
      assert.deepEqual(labels.get(lineOf(fixed, "Dense(3)")), ["(None, 3) · 99 params"]);
    });

    test("LL301 when Flatten is not importable as the Dense was written: no fix rather than a broken one", async () => {
      const uri = client.uri("dense-names.py");
      await client.open(uri, lines(
        "from keras import Input, Sequential",
        "from keras.layers import Conv2D, Dense",
        "model = Sequential([Input(shape=(8, 8, 1)), Conv2D(4, 3), Dense(2)])",
      ));
      const { actions } = await fixesFor(uri, "LL301");
      assert.deepEqual(actions, []);
    });

    test("LL101: padding='same' added when the window no longer fits", async () => {
      const text = lines(
        "import keras",
        "from keras import layers",
        "model = keras.Sequential([",
        "    keras.Input(shape=(5, 5, 3)),",
        "    layers.Conv2D(8, 3),",
        "    layers.Conv2D(8, 5),",
        "])",
      );
      const uri = client.uri("shrink.py");
      await client.open(uri, text);
      const { actions } = await fixesFor(uri, "LL101");
      assert.equal(actions.length, 1);
      const fixed = applied(uri, actions[0]);
      assert.equal(fixed, text.replace("layers.Conv2D(8, 5)", 'layers.Conv2D(8, 5, padding="same")'));
      const { codes, labels } = await recheck(fixed);
      assert.deepEqual(codes, []);
      // 'same' keeps 3×3; (5·5·8 + 1)·8 = 1,608.
      assert.deepEqual(labels.get(lineOf(fixed, "padding=")), ["(None, 3, 3, 8) · 1,608 params"]);
    });

    test("LL101: the added padding uses the quotes of the call's other strings", async () => {
      const text = lines(
        "import keras",
        "model = keras.Sequential([",
        "    keras.Input(shape=(4, 4, 1)),",
        "    keras.layers.Conv2D(2, 5, activation='relu'),",
        "])",
      );
      const uri = client.uri("quotes.py");
      await client.open(uri, text);
      const { actions } = await fixesFor(uri, "LL101");
      const fixed = applied(uri, actions[0]);
      assert.equal(fixed, text.replace("activation='relu')", "activation='relu', padding='same')"));
      const { codes, labels } = await recheck(fixed);
      assert.deepEqual(codes, []);
      // 'same': 4×4 kept; (5·5·1 + 1)·2 = 52.
      assert.deepEqual(labels.get(lineOf(fixed, "Conv2D")), ["(None, 4, 4, 2) · 52 params"]);
    });

    test("LL101 with padding='valid' written: the value is replaced, in the user's quotes", async () => {
      const text = lines(
        "import keras",
        "model = keras.Sequential([",
        "    keras.Input(shape=(3, 3, 8)),",
        "    keras.layers.MaxPooling2D(4, padding='valid'),",
        "])",
      );
      const uri = client.uri("pool.py");
      await client.open(uri, text);
      const { actions } = await fixesFor(uri, "LL101");
      assert.equal(actions.length, 1);
      const fixed = applied(uri, actions[0]);
      assert.equal(fixed, text.replace("padding='valid'", "padding='same'"));
      const { codes, labels } = await recheck(fixed);
      assert.deepEqual(codes, []);
      // ⌈3 / 4⌉ = 1.
      assert.deepEqual(labels.get(lineOf(fixed, "MaxPooling2D")), ["(None, 1, 1, 8)"]);
    });

    test("LL112: two fixes, drop strides or drop dilation_rate, each accepted by Keras", async () => {
      const text = lines(
        "import keras",
        "from keras import layers",
        "model = keras.Sequential([",
        "    keras.Input(shape=(28, 28, 1)),",
        "    layers.Conv2D(8, 3, strides=2, dilation_rate=2),",
        "])",
      );
      const uri = client.uri("dilated.py");
      await client.open(uri, text);
      const { actions } = await fixesFor(uri, "LL112");
      assert.deepEqual(actions.map((a) => a.title), ["Remove strides (keep dilation_rate)", "Remove dilation_rate (keep strides)"]);
      const noStrides = applied(uri, actions[0]);
      assert.equal(noStrides, text.replace("strides=2, dilation_rate=2", "dilation_rate=2"));
      const first = await recheck(noStrides);
      assert.deepEqual(first.codes, []);
      // k_eff = 2·(3 − 1) + 1 = 5: 28 − 5 + 1 = 24; (3·3·1 + 1)·8 = 80.
      assert.deepEqual(first.labels.get(lineOf(noStrides, "Conv2D")), ["(None, 24, 24, 8) · 80 params"]);
      const noDilation = applied(uri, actions[1]);
      assert.equal(noDilation, text.replace("strides=2, dilation_rate=2", "strides=2"));
      const second = await recheck(noDilation);
      assert.deepEqual(second.codes, []);
      // ⌊(28 − 3) / 2⌋ + 1 = 13.
      assert.deepEqual(second.labels.get(lineOf(noDilation, "Conv2D")), ["(None, 13, 13, 8) · 80 params"]);
    });

    test("LL112 with positional strides: set to 1 rather than removed", async () => {
      const text = lines(
        "import keras",
        "model = keras.Sequential([keras.Input(shape=(28, 28, 1)), keras.layers.Conv2D(8, 3, 2, dilation_rate=2)])",
      );
      const uri = client.uri("dilated-positional.py");
      await client.open(uri, text);
      const { actions } = await fixesFor(uri, "LL112");
      assert.equal(actions.length, 2);
      const fixed = applied(uri, actions[0]);
      assert.equal(fixed, text.replace("Conv2D(8, 3, 2, dilation_rate=2)", "Conv2D(8, 3, 1, dilation_rate=2)"));
      assert.deepEqual((await recheck(fixed)).codes, []);
    });

    test("LL106: filters set to the nearest multiples of groups, below and above", async () => {
      const text = lines(
        "import keras",
        "from keras import layers",
        "model = keras.Sequential([",
        "    keras.Input(shape=(28, 28, 8)),",
        "    layers.Conv2D(30, 3, groups=4),",
        "])",
      );
      const uri = client.uri("groups.py");
      await client.open(uri, text);
      const { actions } = await fixesFor(uri, "LL106");
      assert.deepEqual(actions.map((a) => a.title), [
        "Set filters to 28 (a multiple of groups=4)",
        "Set filters to 32 (a multiple of groups=4)",
      ]);
      const down = applied(uri, actions[0]);
      assert.equal(down, text.replace("Conv2D(30,", "Conv2D(28,"));
      const first = await recheck(down);
      assert.deepEqual(first.codes, []);
      // Kernel 3·3·(8/4)·28 = 504, bias 28: 532.
      assert.deepEqual(first.labels.get(lineOf(down, "Conv2D")), ["(None, 26, 26, 28) · 532 params"]);
      const up = applied(uri, actions[1]);
      const second = await recheck(up);
      assert.deepEqual(second.codes, []);
      // 3·3·2·32 = 576, bias 32: 608.
      assert.deepEqual(second.labels.get(lineOf(up, "Conv2D")), ["(None, 26, 26, 32) · 608 params"]);
    });

    test("LL106 about the input channels has no quick fix: the cause is another layer", async () => {
      const uri = client.uri("groups-input.py");
      await client.open(uri, lines(
        "import keras",
        "model = keras.Sequential([keras.Input(shape=(28, 28, 6)), keras.layers.Conv2D(8, 3, groups=4)])",
      ));
      const { actions } = await fixesFor(uri, "LL106");
      assert.deepEqual(actions, []);
    });

    test("a document too long to re-analyse promptly (over 500,000 characters) gets no quick fixes", async () => {
      const uri = client.uri("long.py");
      // 10,000 comment lines of 60 characters: 600,000 characters before the model.
      await client.open(uri, `${"# padding padding padding padding padding padding padding pad\n".repeat(10_000)}${DENSE_ON_IMAGE}`);
      const { actions } = await fixesFor(uri, "LL301");
      assert.deepEqual(actions, []);
    });

    test("a request for other kinds only gets no quick fixes", async () => {
      const uri = client.uri("only.py");
      await client.open(uri, DENSE_ON_IMAGE);
      const diagnostic = client.published.filter((p) => p.uri === uri).at(-1)!.diagnostics[0];
      const actions = await client.connection.sendRequest(CodeActionRequest.type, {
        textDocument: { uri },
        range: diagnostic.range,
        context: { diagnostics: [diagnostic], only: [CodeActionKind.Refactor] },
      });
      assert.deepEqual(actions, []);
    });
  });

  describe("hover: receptive field", () => {
    test("each conv/pool layer of MNIST with r and jump per axis, formulas filled in", async () => {
      const { uri } = await client.openFixture("mnist_cnn.py");
      const first = hoverText(await client.hoverAt(uri, "layers.Conv2D(32", 3));
      // r = 1 + (3 − 1)·1 = 3, j = 1·1 = 1.
      assert.ok(first.includes("**Receptive field 3×3**, cumulative stride (jump) 1×1"), first);
      assert.ok(first.includes("| height | `1 + (3 − 1)·1 = 3` | `1·1 = 1` |"), first);
      assert.ok(first.includes("| width | `1 + (3 − 1)·1 = 3` | `1·1 = 1` |"), first);
      const pool = hoverText(await client.hoverAt(uri, "layers.MaxPooling2D(pool_size", 3));
      // 3 + (2 − 1)·1 = 4, j = 1·2 = 2.
      assert.ok(pool.includes("| height | `3 + (2 − 1)·1 = 4` | `1·2 = 2` |"), pool);
      const second = hoverText(await client.hoverAt(uri, "layers.Conv2D(64", 3));
      // 4 + (3 − 1)·2 = 8, j = 2·1 = 2.
      assert.ok(second.includes("**Receptive field 8×8**, cumulative stride (jump) 2×2"), second);
      const dense = hoverText(await client.hoverAt(uri, "layers.Dense(num_classes", 3));
      assert.ok(!dense.includes("Receptive field"), dense);
    });

    test("a dilated convolution shows k_eff = d·(k − 1) + 1", async () => {
      const uri = client.uri("dilation.py");
      await client.open(uri, lines(
        "import keras",
        "model = keras.Sequential([keras.Input(shape=(32, 32, 3)), keras.layers.Conv2D(8, 3, dilation_rate=2)])",
      ));
      const md = hoverText(await client.hoverAt(uri, "Conv2D(8", 2));
      // k_eff = 2·(3 − 1) + 1 = 5; r = 1 + (5 − 1)·1 = 5.
      assert.ok(md.includes("| height | `2·(3 − 1) + 1 = 5` | `1 + (5 − 1)·1 = 5` | `1·1 = 1` |"), md);
    });
  });

  describe("inlay hint label parts", () => {
    test("the shape part links to the layer producing the input; each part says what it is", async () => {
      const { uri, text } = await client.openFixture("mnist_cnn.py");
      const hints = await client.inlayHints(uri);
      const partsOn = (needle: string) => {
        const hint = hints.find((h) => h.position.line === lineOf(text, needle));
        assert.ok(hint && Array.isArray(hint.label), `no label parts on ${needle}`);
        return hint.label as InlayHintLabelPart[];
      };
      const tooltip = (p: InlayHintLabelPart) => (p.tooltip as MarkupContent).value;

      const conv = partsOn("layers.Conv2D(32");
      assert.deepEqual(conv.map((p) => p.value), ["(None, 26, 26, 32)", " · 320 params"]);
      assert.equal(conv[0].location?.uri, uri);
      assert.equal(conv[0].location?.range.start.line, lineOf(text, "keras.Input(shape=input_shape)"));
      assert.match(tooltip(conv[0]), /^\*\*Output shape\*\* of Conv2D\./);
      assert.match(tooltip(conv[0]), /comes from line 14/);
      assert.match(tooltip(conv[1]), /^\*\*Parameters\*\* of Conv2D\./);
      assert.equal(conv[1].location, undefined);

      const dense = partsOn("layers.Dense(num_classes");
      assert.equal(dense[0].location?.range.start.line, lineOf(text, "layers.Dropout(0.5)"));

      const input = partsOn("keras.Input(shape=input_shape)");
      assert.deepEqual(input.map((p) => p.value), ["(None, 28, 28, 1)"]);
      assert.equal(input[0].location, undefined, "the Input has no producer");

      const cut = partsOn("seed.add(layers.Conv2D(20");
      // Built with .add(): the input comes from the ZeroPadding2D line.
      assert.deepEqual(cut.map((p) => p.value), ["(None, 14, 14, 20)", " · 3,860 params"]);
      assert.equal(cut[0].location?.range.start.line, lineOf(text, "seed.add(layers.ZeroPadding2D"));

      const totals = partsOn("seed = keras.Sequential()");
      assert.deepEqual(totals.map((p) => p.value), ["Total params: 4,150 (16.21 KB)"]);
      assert.match(tooltip(totals[0]), /Non-trainable params: 40/);
    });

    test("a label cut by the line budget keeps the parts of what it still shows", async () => {
      const uri = client.uri("cut.py");
      const text = lines(
        "import keras",
        "m = keras.Sequential([keras.Input(shape=(64, 64, 64, 3)), keras.layers.Conv3D(8, 3), keras.layers.Conv3D(8, 3)])",
      );
      await client.open(uri, text);
      const hints = (await client.inlayHints(uri)).filter((h) => h.position.line === 1);
      const labels = hints.map((h) => (h.label as InlayHintLabelPart[]).map((p) => p.value));
      // Input (None, 64, 64, 64, 3) = 23 characters, (None, 62, 62, 62, 8) and (None, 60, 60, 60, 8) = 23 each,
      // plus the totals: far over 43, so labels step down to shapes and then are cut with "…".
      assert.ok(labels.some((parts) => parts.join("").endsWith("…")), JSON.stringify(labels));
      for (const [i, hint] of hints.entries()) {
        const parts = hint.label as InlayHintLabelPart[];
        const kinds = parts.map((p) => (p.tooltip as MarkupContent).value.split(" ")[0]);
        if (i === 0 || i === hints.length - 1) continue; // the Input and the totals
        assert.deepEqual(kinds.slice(0, 1), ["**Output"], JSON.stringify(parts));
      }
    });

    test("with shapes switched off, a hint is a single parameters part with no link", async () => {
      const { uri, text } = await client.openFixture("mnist_cnn.py");
      await client.configure({ shapes: false });
      try {
        const hint = (await client.inlayHints(uri)).find((h) => h.position.line === lineOf(text, "layers.Conv2D(32"));
        const parts = hint?.label as InlayHintLabelPart[];
        assert.deepEqual(parts.map((p) => p.value), ["320 params"]);
        assert.equal(parts[0].location, undefined);
        assert.match((parts[0].tooltip as MarkupContent).value, /^\*\*Parameters\*\* of Conv2D\./);
      } finally {
        await client.configure({});
      }
    });
  });

  describe("many hints in one request", () => {
    // 150 models of 3 calls and a totals hint each: 600 hints, more than a response carries in full.
    const models = Array.from({ length: 150 }, (_, k) => `m${k} = keras.Sequential([\n    keras.Input((${k + 2},)),\n    layers.Dense(4),\n    layers.Dense(2),\n])`);
    const source = lines("import keras", "from keras import layers", ...models);

    test("come as plain labels; resolving one gives the label parts and tooltip a small request gives", async () => {
      const uri = client.uri("many_hints.py");
      await client.open(uri, source);
      const all = await client.inlayHints(uri);
      assert.equal(all.length, 600);
      assert.ok(all.every((h) => typeof h.label === "string" && h.tooltip === undefined && h.data !== undefined));
      // m7: Dense(4) on 9 features: (9 + 1)·4 = 40 params.
      const line = lineOf(source, "m7 = ") + 2;
      const plain = all.find((h) => h.position.line === line && (h.label as string).includes("40 params"));
      assert.ok(plain, JSON.stringify(all.filter((h) => h.position.line === line).map((h) => h.label)));
      const eager = (await client.inlayHints(uri, { start: { line, character: 0 }, end: { line: line + 1, character: 0 } })).find(
        (h) => h.position.character === plain.position.character,
      );
      assert.ok(eager && Array.isArray(eager.label), "a small request gives label parts");
      const resolved = await client.resolveInlayHint(plain);
      assert.deepEqual(resolved.position, plain.position);
      assert.deepEqual(resolved.label, eager.label);
      assert.deepEqual(resolved.tooltip, eager.tooltip);
      assert.match((resolved.tooltip as MarkupContent).value, /\(9 \+ 1\)·4 = 40/);
    });

    test("a hint the text no longer has where it was, or not made by this server, resolves to itself", async () => {
      const uri = client.uri("many_hints_edited.py");
      await client.open(uri, source);
      const [first] = await client.inlayHints(uri);
      assert.equal(first.label, "(None, 2)", "m0's Input");
      // Relabelled in place.
      await client.replace(uri, "keras.Input((2,))", "keras.Input((5,))");
      assert.deepEqual(await client.resolveInlayHint(first), first);
      // Moved: its line now holds the line above it.
      await client.replace(uri, "keras.Input((5,))", "keras.Input((2,))");
      await client.replace(uri, "m0 = ", "# m0\nm0 = ");
      assert.deepEqual(await client.resolveInlayHint(first), first);
      const foreign = { ...first, data: { offset: "x", uri } };
      assert.deepEqual(await client.resolveInlayHint(foreign), foreign);
    });

    test("after an edit, a whole-file answer equals a fresh document's, and a hint the edit left in place still resolves", async () => {
      const uri = client.uri("many_hints_kept.py");
      await client.open(uri, source);
      const earlier = await client.inlayHints(uri);
      await client.replace(uri, "keras.Input((9,))", "keras.Input((10,))");
      const later = await client.inlayHints(uri);
      const fresh = client.uri("many_hints_fresh.py");
      await client.open(fresh, source.replace("keras.Input((9,))", "keras.Input((10,))"));
      // The same hints, but for the number each names its document by.
      const seen = (hints: InlayHint[]) => hints.map(({ data, ...hint }) => ({ ...hint, nth: (data as number[])[1] }));
      assert.deepEqual(seen(later), seen(await client.inlayHints(fresh)));
      // A line added above moves the hints below it.
      await client.replace(uri, "m100 = ", "# the second hundred\nm100 = ");
      const moved = client.uri("many_hints_fresh_moved.py");
      await client.open(moved, client.document(uri).text);
      assert.deepEqual(seen(await client.inlayHints(uri)), seen(await client.inlayHints(moved)));
      const changed = later.filter((hint, i) => JSON.stringify(hint) !== JSON.stringify(earlier[i]));
      // m7's Input, its Dense(4) on 10 features, (10 + 1)·4 = 44 params, and its totals, 44 + 10.
      assert.deepEqual(changed.map((h) => h.label), ["(None, 10)", "(None, 4) · 44 params", "Total params: 54 (216.00 B)"]);
      const dense = earlier[1];
      const resolved = await client.resolveInlayHint(dense);
      assert.match((resolved.tooltip as MarkupContent).value, /\(2 \+ 1\)·4 = 12/);
      assert.deepEqual(resolved.position, dense.position);
    });

    test("a hint whose line another model shares is labelled again when that model's labels change", async () => {
      // Two models on one line: their labels share the line's width.
      const shared = "a = keras.Sequential([keras.Input((3,)), layers.Dense(4)]); b = keras.Sequential([keras.Input((5,)), layers.Dense(6)])";
      const uri = client.uri("many_hints_shared_line.py");
      await client.open(uri, lines(source, shared));
      const line = lineOf(lines(source, shared), "a = keras");
      const onLine = (hints: InlayHint[]) => hints.filter((h) => h.position.line === line).map((h) => h.label);
      const earlier = onLine(await client.inlayHints(uri));
      await client.replace(uri, "keras.Input((5,))", "keras.Input((500000,))", "b = keras");
      const later = onLine(await client.inlayHints(uri));
      const fresh = client.uri("many_hints_shared_line_fresh.py");
      await client.open(fresh, lines(source, shared.replace("keras.Input((5,))", "keras.Input((500000,))")));
      assert.deepEqual(later, onLine(await client.inlayHints(fresh)));
      assert.notDeepEqual(later.slice(0, 3), earlier.slice(0, 3), "model a's labels give way to b's longer ones");
    });
  });
});
