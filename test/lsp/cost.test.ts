/**
 * What a model costs, over real LSP: the hover's MACs with the formula and the user's numbers, the output's memory
 * by dtype, and `layerLens.hints.macs` adding MACs to the hints within the line budget (off by default).
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { InlayHintLabelPart, MarkupContent } from "vscode-languageserver-protocol";
import { LspClient, hoverText, labelsByLine, lineOf } from "./client";

describe("cost over LSP", () => {
  let client: LspClient;

  before(async () => {
    client = await LspClient.start();
  });

  after(async () => {
    await client?.stop();
  });

  test("the hover gives the MACs formula with the user's numbers, FLOPs, the output's size and the convention", async () => {
    const { uri } = await client.openFixture("mnist_cnn.py");
    const conv = hoverText(await client.hoverAt(uri, "layers.Conv2D(32", 3));
    // 26·26 output positions, a 3×3×1 window, 32 filters: 194,688 MACs, FLOPs twice that, 389,376.
    assert.ok(conv.includes("**MACs: 194,688** per sample (FLOPs = 2 × MACs = 389,376)"), conv);
    assert.ok(conv.includes("`MACs = 26·26 · 3·3·1 · 32 = 194,688`"), conv);
    // 26·26·32 float32 = 86,528 B = 84.50 KB; weights (3·3·1 + 1)·32 = 320 · 4 B = 1,280 B = 1.25 KB.
    assert.ok(conv.includes("Output: 84.50 KB per sample (float32) · weights 1.25 KB (float32)"), conv);
    assert.match(conv, /bias additions, activations and other element-wise operations are not counted/);
    const dropout = hoverText(await client.hoverAt(uri, "layers.Dropout(", 3));
    assert.ok(dropout.includes("**MACs: 0** per sample") && dropout.includes("element-wise: not counted in MACs"), dropout);
  });

  test("a known batch gives the batch's MACs and memory; an open length gives no count", async () => {
    const uri = client.uri("batch.py");
    await client.open(uri, [
      "import keras",
      "from keras import layers",
      "model = keras.Sequential([keras.Input(shape=(10,), batch_size=32), layers.Dense(4)])",
      "seq = keras.Sequential([keras.Input(shape=(None, 8)), layers.LSTM(4)])",
      "",
    ].join("\n"));
    const dense = hoverText(await client.hoverAt(uri, "layers.Dense(4", 3));
    // 10·4 = 40 per sample, 32·40 = 1,280 for the batch; output 4·4 B = 16 B, 512 B for 32.
    assert.ok(dense.includes("**MACs: 40** per sample (FLOPs = 2 × MACs = 80) · 1,280 for the batch of 32"), dense);
    assert.ok(dense.includes("Output: 16.00 B per sample, 512.00 B for the batch of 32 (float32)"), dense);
    const lstm = hoverText(await client.hoverAt(uri, "layers.LSTM(4", 3));
    assert.ok(lstm.includes("**MACs: ?** — depends on a dimension that is not known statically"), lstm);
  });

  test("layerLens.hints.macs adds each layer's MACs within 43 characters, as its own part; off by default", async () => {
    const { uri, text } = await client.openFixture("mnist_cnn.py");
    const line = lineOf(text, "layers.Conv2D(32");
    const plain = labelsByLine(await client.inlayHints(uri));
    assert.ok(![...plain.values()].flat().some((l) => l.includes("MACs")), "no MACs by default");
    await client.configure({ macs: true });
    try {
      const hints = await client.inlayHints(uri);
      const labels = labelsByLine(hints);
      // 194,688 → 195k; "(None, 26, 26, 32) · 320 params · 195k MACs" is 43 characters.
      assert.deepEqual(labels.get(line), ["(None, 26, 26, 32) · 320 params · 195k MACs"]);
      // Conv2D(64): 2,230,272 → 2.23M, but "(None, 11, 11, 64) · 18.5k params · 2.23M MACs" is 46 characters: the MACs
      // go first, the parameters stay. MaxPooling2D has no parameters: 13·13·32·2·2 = 21,632 → 21.6k.
      assert.deepEqual(labels.get(lineOf(text, "layers.Conv2D(64")), ["(None, 11, 11, 64) · 18,496 params"]);
      assert.deepEqual(labels.get(lineOf(text, "layers.MaxPooling2D(pool_size")), ["(None, 13, 13, 32) · 21.6k MACs"]);
      for (const [n, ls] of labels) assert.ok(ls.join("").length <= 43, `line ${n}: ${ls.join(" | ")}`);
      const parts = hints.find((h) => h.position.line === line)!.label as InlayHintLabelPart[];
      assert.deepEqual(parts.map((p) => p.value), ["(None, 26, 26, 32)", " · 320 params", " · 195k MACs"]);
      assert.match((parts[2].tooltip as MarkupContent).value, /^\*\*MACs\*\* of Conv2D: multiply-accumulates for one sample/);
    } finally {
      await client.configure({});
    }
  });
});
