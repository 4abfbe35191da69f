/**
 * `layerLens.kerasVersion` over real LSP: the same document read as the file shows it ("auto"), as tf.keras 2
 * and as Keras 3, the setting changed while it is open; hints, diagnostics and refresh requests follow.
 * AveragePooling2D() has tf.keras 2's default pool (2, 2) (tf_keras/layers/pooling/average_pooling2d.py) and
 * none in Keras 3 (keras/src/layers/pooling/average_pooling2d.py).
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { DidChangeConfigurationNotification } from "vscode-languageserver-protocol/node";
import { LspClient, labelsByLine, lineOf } from "./client";

const TEXT = [
  "from tensorflow import keras",
  "from tensorflow.keras import layers",
  "",
  "model = keras.Sequential([",
  "    keras.Input(shape=(28, 28, 3)),",
  "    layers.AveragePooling2D(),",
  "    layers.Flatten(),",
  "    layers.Dense(10),",
  "])",
  "",
].join("\n");

const pool = lineOf(TEXT, "AveragePooling2D");
const dense = lineOf(TEXT, "Dense(10)");
const total = lineOf(TEXT, "])");

describe("layerLens.kerasVersion", () => {
  let client: LspClient;
  let uri: string;

  before(async () => {
    client = await LspClient.start();
    uri = client.uri("keras-version.py");
  });

  after(async () => {
    await client?.stop();
  });

  /** Sends the setting and waits for the diagnostics the server publishes again. */
  async function configure(kerasVersion: string | undefined): Promise<string[]> {
    const published = client.nextDiagnostics(uri);
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { layerLens: kerasVersion === undefined ? {} : { kerasVersion } } });
    return (await published).diagnostics.map((d) => `${d.range.start.line}: ${d.code}`);
  }

  test("auto: the file does not say which Keras it is for; the pool is unknown, with a warning", async () => {
    const opened = await client.open(uri, TEXT);
    assert.deepEqual(opened.diagnostics.map((d) => `${d.range.start.line}: ${d.code}`), [`${pool}: LL206`]);
    const byLine = labelsByLine(await client.inlayHints(uri));
    assert.deepEqual(byLine.get(pool), ["(None, ?, ?, 3)"]);
    // Flatten over (None, ?, ?, 3) leaves the Dense's input width, so its parameters, unknown.
    assert.deepEqual(byLine.get(dense), ["(None, 10) · ? params"]);
  });

  test('"2": tf.keras 2 pools by (2, 2), the warning goes, and the client is asked for hints and lenses again', async () => {
    const hints = client.refreshRequests;
    const lenses = client.lensRefreshRequests;
    assert.deepEqual(await configure("2"), []);
    const byLine = labelsByLine(await client.inlayHints(uri));
    // ⌊(28 − 2) / 2⌋ + 1 = 14; Flatten 14·14·3 = 588; Dense 588·10 + 10 = 5,890; 23,560 B = 23.01 KB.
    assert.deepEqual(byLine.get(pool), ["(None, 14, 14, 3)"]);
    assert.deepEqual(byLine.get(dense), ["(None, 10) · 5,890 params"]);
    assert.deepEqual(byLine.get(total), ["Total params: 5,890 (23.01 KB)"]);
    assert.ok(client.refreshRequests > hints, "inlay hints refreshed");
    assert.ok(client.lensRefreshRequests > lenses, "code lenses refreshed");
  });

  test('"3": Keras 3 requires pool_size (LL111), and nothing flows on from the refused layer', async () => {
    assert.deepEqual(await configure("3"), [`${pool}: LL111`]);
    const byLine = labelsByLine(await client.inlayHints(uri));
    assert.equal(byLine.get(dense), undefined);
  });

  test("a document opened after the setting is read as it says", async () => {
    const other = client.uri("keras-version-later.py");
    const opened = await client.open(other, TEXT);
    assert.deepEqual(opened.diagnostics.map((d) => d.code), ["LL111"]);
    await client.close(other);
  });

  test("back to auto (the setting removed): the warning again", async () => {
    assert.deepEqual(await configure(undefined), [`${pool}: LL206`]);
    assert.deepEqual(labelsByLine(await client.inlayHints(uri)).get(pool), ["(None, ?, ?, 3)"]);
  });

  test("an import of tf_keras reads the file as tf.keras 2 under auto", async () => {
    const other = client.uri("keras-version-tf-keras.py");
    const text = TEXT.replace("from tensorflow import keras", "import tf_keras as keras").replace("from tensorflow.keras import layers", "from tf_keras import layers");
    const opened = await client.open(other, text);
    assert.deepEqual(opened.diagnostics, []);
    assert.deepEqual(labelsByLine(await client.inlayHints(other)).get(pool), ["(None, 14, 14, 3)"]);
    await client.close(other);
  });
});
