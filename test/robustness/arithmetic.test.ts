/**
 * Parameter counts beyond 2^53 stay exact through the whole server: parsed,
 * multiplied and summed as bigint, formatted digit by digit.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { LspClient, hoverText, labelText, lineOf, tooltipText } from "../lsp/client";
import { unsoundHints } from "./hints";

const TEXT = [
  "import keras",
  "from keras import layers",
  "huge = keras.Sequential([",
  "    keras.Input(shape=(2**20,)),",
  "    layers.Dense(2**40),",
  "])",
  "odd = keras.Sequential([",
  "    keras.Input(shape=(2**27,)),",
  "    layers.Dense(2**26 + 1),",
  "    layers.Dense(3),",
  "])",
  "",
].join("\n");

let client: LspClient;
let uri: string;

before(async () => {
  client = await LspClient.start();
  uri = client.uri("big-numbers.py");
  await client.open(uri, TEXT);
});

after(async () => {
  await client?.stop();
});

test("Dense(2**40) on a 2**20 input: (2^20 + 1)·2^40 = 2^60 + 2^40 parameters, every digit", async () => {
  const hints = await client.inlayHints(uri);
  assert.deepEqual(unsoundHints(hints), []);
  const dense = hints.find((h) => h.position.line === lineOf(TEXT, "layers.Dense(2**40)"))!;
  // 2^60 = 1,152,921,504,606,846,976 and 2^40 = 1,099,511,627,776.
  assert.match(tooltipText(dense), /1,152,922,604,118,474,752/);
  // The full label would exceed the 43-character line budget: 1,152,922,604,118,474,752 / 10^9 ≈ 1,152,922,604 billions.
  assert.equal(labelText(dense), "(None, 1099511627776) · 1152922604B params");
  const summary = hoverText(await client.hoverAt(uri, "keras.Sequential", 6));
  // Keras's summary divides by 1024 through "PB" and once more: 4·(2^60 + 2^40) B = 2^62 B (+ 2^42) reads "4.00 PB", as model.summary() prints.
  assert.match(summary, /Total params: 1,152,922,604,118,474,752 \(4\.00 PB\)/);
});

test("an odd total just above 2^53, which a double cannot hold, is exact", async () => {
  // (2^27 + 1)·(2^26 + 1) = 2^53 + 2^27 + 2^26 + 1 = 9,007,199,456,067,585;
  // Dense(3): (2^26 + 1)·3 + 3 = 201,326,598; sum 9,007,199,657,394,183 (doubles near it: …182 and …184).
  const offset = TEXT.indexOf("odd = keras.Sequential") + "odd = keras.".length;
  const line = lineOf(TEXT, "odd = keras.Sequential");
  const summary = hoverText(await client.hover(uri, line, offset - TEXT.lastIndexOf("\n", offset) - 1));
  assert.match(summary, /9,007,199,456,067,585/);
  assert.match(summary, /201,326,598/);
  assert.match(summary, /Total params: 9,007,199,657,394,183/);
  const hints = await client.inlayHints(uri);
  const first = hints.find((h) => h.position.line === lineOf(TEXT, "layers.Dense(2**26 + 1)"))!;
  assert.match(tooltipText(first), /9,007,199,456,067,585/);
});
