/**
 * Code being typed is broken most of the time. The server must keep showing
 * what it can (the complete layers above the cursor), never show a wrong
 * hint for a half-typed call, and keep running.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { LspClient, labelsByLine, lineOf, positionAt } from "./client";

const lines = (...l: string[]) => l.join("\n") + "\n";

const HEADER = ["import keras", "from keras import layers", ""];

/** The complete part of the model: 28×28×1 → Conv2D(32, 3) → Flatten. */
const COMPLETE = [
  "model = keras.Sequential([",
  "    keras.Input(shape=(28, 28, 1)),",
  "    layers.Conv2D(32, 3),",
  "    layers.Flatten(),",
];

// 28 − 3 + 1 = 26; (3·3·1 + 1)·32 = 320; flatten 26·26·32 = 21,632.
const EXPECTED_ABOVE: [string, string][] = [
  ["keras.Input(shape=(28, 28, 1))", "(None, 28, 28, 1)"],
  ["layers.Conv2D(32, 3)", "(None, 26, 26, 32) · 320 params"],
  ["layers.Flatten()", "(None, 21632)"],
];

describe("broken code", () => {
  let client: LspClient;

  before(async () => {
    client = await LspClient.start();
  });

  after(async () => {
    await client?.stop();
  });

  /** Opens `text`, checks the hints of the complete layers, returns the hints by line and the diagnostics. */
  async function openAndCheck(name: string, text: string) {
    const uri = client.uri(name);
    const published = await client.open(uri, text);
    const byLine = labelsByLine(await client.inlayHints(uri));
    for (const [needle, label] of EXPECTED_ABOVE) {
      assert.deepEqual(byLine.get(lineOf(text, needle)), [label], `hint on \`${needle}\` in ${JSON.stringify([...byLine])}`);
    }
    return { uri, byLine, diagnostics: published.diagnostics };
  }

  /** A later request on a good document succeeds: the server survived. */
  async function assertAlive() {
    assert.ok(client.alive, `server exited; stderr: ${client.stderr}`);
    const uri = client.uri("alive.py");
    const text = lines(...HEADER, ...COMPLETE, "])");
    await client.open(uri, text);
    const byLine = labelsByLine(await client.inlayHints(uri));
    assert.deepEqual(byLine.get(lineOf(text, "layers.Conv2D")), ["(None, 26, 26, 32) · 320 params"]);
    await client.close(uri);
  }

  test("a half-typed `layers.Dense(` at the end of the list keeps the hints above it", async () => {
    const text = lines(...HEADER, ...COMPLETE, "    layers.Dense(");
    const { byLine, diagnostics } = await openAndCheck("unclosed-end.py", text);
    assert.equal(byLine.get(lineOf(text, "layers.Dense(")), undefined);
    assert.deepEqual(diagnostics.filter((d) => String(d.code).startsWith("LL1")), [], "no errors for code being typed");
    await assertAlive();
  });

  test("an unclosed call followed by more code keeps the hints above it", async () => {
    const text = lines(
      ...HEADER,
      ...COMPLETE,
      "    layers.Dense(",
      "",
      "",
      "def train(model, x, y):",
      "    model.compile(optimizer='adam', loss='mse')",
      "    return model.fit(x, y, epochs=3)",
    );
    const { byLine } = await openAndCheck("unclosed-middle.py", text);
    assert.equal(byLine.get(lineOf(text, "layers.Dense(")), undefined);
    await assertAlive();
  });

  test("an unclosed list bracket (no `])` yet) keeps the hints above it", async () => {
    const text = lines(...HEADER, ...COMPLETE, "    layers.Dense(10),", "", "model.summary()");
    const { byLine } = await openAndCheck("unclosed-list.py", text);
    // Dense(10) on (None, 21632): 21,632·10 + 10 = 216,330 params, if the server shows it at all.
    const dense = byLine.get(lineOf(text, "layers.Dense(10)"));
    if (dense) assert.deepEqual(dense, ["(None, 10) · 216,330 params"]);
    await assertAlive();
  });

  test("a syntax error in a function below keeps the model's hints and totals", async () => {
    const text = lines(
      ...HEADER,
      ...COMPLETE,
      "    layers.Dense(10),",
      "])",
      "",
      "",
      "def broken(:",
      "    return 1 +",
      "",
      "",
      "def also_broken(x",
      "    print(x",
    );
    const { byLine, diagnostics } = await openAndCheck("broken-function.py", text);
    // Dense: 21,632·10 + 10 = 216,330; total 320 + 216,330 = 216,650 · 4 B = 866,600 B = 846.289 KB.
    assert.deepEqual(byLine.get(lineOf(text, "layers.Dense(10)")), ["(None, 10) · 216,330 params"]);
    assert.deepEqual(byLine.get(lineOf(text, "])")), ["Total params: 216,650 (846.29 KB)"]);
    assert.deepEqual(diagnostics, []);
    await assertAlive();
  });

  test("a syntax error in a function above keeps the model's hints", async () => {
    const text = lines(
      ...HEADER,
      "def broken(:",
      "    return 1 +",
      "",
      "",
      ...COMPLETE,
      "    layers.Dense(10),",
      "])",
    );
    const { byLine } = await openAndCheck("broken-function-above.py", text);
    assert.deepEqual(byLine.get(lineOf(text, "layers.Dense(10)")), ["(None, 10) · 216,330 params"]);
    await assertAlive();
  });

  const HALF_TYPED = [
    "layers.Dense(units=)",
    "layers.Dense(10, activation=)",
    "layers.Dense(10 *)",
    "layers.Dense(10,, 2)",
    'layers.Dense(10, activation="rel)',
    "layers.Dense(10, use_bias=Tr",
    "layers.Dense(1 0)",
  ];

  for (const call of HALF_TYPED) {
    test(`a half-typed argument \`${call}\` gets no hint rather than a wrong one`, async () => {
      const text = lines(...HEADER, ...COMPLETE, `    ${call},`, "    layers.Dense(1),", "])", "", "print(model)");
      const { byLine } = await openAndCheck(`half-typed-${HALF_TYPED.indexOf(call)}.py`, text);
      const line = lineOf(text, call);
      assert.equal(byLine.get(line), undefined, `hint on the half-typed call: ${JSON.stringify(byLine.get(line))}`);
      // After it nothing is known for sure: no shape may be claimed for the last Dense's input,
      // so if it has a hint it must not pretend to know its parameters.
      const next = byLine.get(lineOf(text, "layers.Dense(1)"));
      if (next) assert.ok(next.every((l) => !/\d params/.test(l)), `guessed parameters after a broken call: ${JSON.stringify(next)}`);
      await assertAlive();
    });
  }

  test("typing a layer call one character at a time never breaks the hints above, and ends with the right hint", async () => {
    const base = lines(...HEADER, ...COMPLETE, "    ", "])");
    const uri = client.uri("typing.py");
    await client.open(uri, base);
    const typed = "layers.Dense(10, activation='softmax'),";
    const line = lineOf(base, "    \n");
    for (let i = 0; i < typed.length; i++) {
      const position = { line, character: 4 + i };
      await client.change(uri, [{ range: { start: position, end: position }, text: typed[i] }]);
      const byLine = labelsByLine(await client.inlayHints(uri));
      const text = client.document(uri).text;
      for (const [needle, label] of EXPECTED_ABOVE) {
        assert.deepEqual(byLine.get(lineOf(text, needle)), [label], `after typing ${JSON.stringify(typed.slice(0, i + 1))}`);
      }
      const current = byLine.get(line);
      // Until its closing parenthesis is typed the call is incomplete: no hint yet.
      if (current && i < typed.lastIndexOf(")")) assert.fail(`hint ${JSON.stringify(current)} while typing ${JSON.stringify(typed.slice(0, i + 1))}`);
    }
    const version = client.document(uri).version;
    const settled = client.nextDiagnostics(uri, { minVersion: version });
    const byLine = labelsByLine(await client.inlayHints(uri));
    // 21,632·10 + 10 = 216,330; total 216,650 · 4 B = 846.29 KB.
    assert.deepEqual(byLine.get(line), ["(None, 10) · 216,330 params"]);
    assert.deepEqual(byLine.get(line + 1), ["Total params: 216,650 (846.29 KB)"]);
    assert.deepEqual((await settled).diagnostics, []);
    await assertAlive();
  });

  test("deleting the whole model and undoing it", async () => {
    const text = lines(...HEADER, ...COMPLETE, "])");
    const uri = client.uri("delete-undo.py");
    await client.open(uri, text);
    const start = positionAt(text, text.indexOf("model ="));
    const end = positionAt(text, text.length);
    await client.change(uri, [{ range: { start, end }, text: "" }]);
    assert.deepEqual(await client.inlayHints(uri), []);
    await client.change(uri, [{ range: { start, end: start }, text: text.slice(text.indexOf("model =")) }]);
    const byLine = labelsByLine(await client.inlayHints(uri));
    assert.deepEqual(byLine.get(lineOf(text, "layers.Conv2D")), ["(None, 26, 26, 32) · 320 params"]);
    await assertAlive();
  });

  test("pathological input (10,000 nested brackets, a 100,000-character line) is answered in time", async () => {
    const nested = "x = " + "(".repeat(10_000) + "1" + ")".repeat(10_000);
    const long = "y = [" + Array.from({ length: 20_000 }, (_, i) => String(i)).join(", ") + "]";
    const nestedModel = "deep = keras.Sequential(" + "[".repeat(5_000) + "layers.Dense(1)" + "]".repeat(5_000) + ")";
    const text = lines(...HEADER, nested, long, nestedModel, ...COMPLETE, "])");
    const uri = client.uri("pathological.py");
    await client.open(uri, text);
    const byLine = labelsByLine(await client.inlayHints(uri));
    assert.deepEqual(byLine.get(lineOf(text, "layers.Conv2D")), ["(None, 26, 26, 32) · 320 params"]);
    await client.hover(uri, lineOf(text, "layers.Conv2D"), 8);
    await assertAlive();
  });

  test("text that is not Python at all", async () => {
    const uri = client.uri("not-python.py");
    await client.open(uri, "\u0000\u0001 }{ ]]] ))) keras.Sequential(((( layers.Conv2D(\n\t\t\r\n😀 =>");
    assert.deepEqual(await client.inlayHints(uri), []);
    await client.hover(uri, 0, 30);
    await assertAlive();
  });
});
