/**
 * The "Annotate the input shape" quick fix over real LSP: an Input's `shape` (or a first layer's `input_shape`)
 * taken from data gets an LL302, whose code action adds `  # input: (None, ?)` at the end of the call's line.
 * The edit is applied as an editor would, the `?`s replaced by a real shape as the user would, and the result
 * opened again: the hints become known. Every expected number is worked out in the comment next to it.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { CodeAction, CodeActionKind, CodeActionRequest, Diagnostic } from "vscode-languageserver-protocol/node";
import { LspClient, applyEdit, labelsByLine, lineOf, messageText, positionAt, withTimeout } from "./client";

const lines = (...l: string[]) => l.join("\n") + "\n";

const TITLE = "Annotate the input shape";

/** A training script whose input shape comes from the data it loads. */
const FUNCTIONAL = lines(
  "import numpy as np",
  "import keras",
  "from keras import layers",
  "",
  'x_train = np.load("data/x_train.npy")',
  'y_train = np.load("data/y_train.npy")',
  "",
  "inputs = keras.Input(shape=x_train.shape[1:])",
  'x = layers.Conv1D(16, 5, activation="relu")(inputs)',
  "x = layers.MaxPooling1D(2)(x)",
  "x = layers.Flatten()(x)",
  'outputs = layers.Dense(10, activation="softmax")(x)',
  'model = keras.Model(inputs, outputs, name="ecg")',
  'model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")',
  "model.fit(x_train, y_train, epochs=3)",
);

/** The classic CIFAR-10 script: the first layer's input_shape from the data. */
const CIFAR = lines(
  "import keras",
  "from keras.models import Sequential",
  "from keras.layers import Conv2D, Dense, Flatten, MaxPooling2D",
  "",
  "(x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()",
  "",
  "model = Sequential()",
  "model.add(Conv2D(32, (3, 3), padding='same', input_shape=x_train.shape[1:]))",
  "model.add(MaxPooling2D(pool_size=(2, 2)))",
  "model.add(Flatten())",
  "model.add(Dense(10))",
);

describe("quick fix: annotate the input shape", () => {
  let client: LspClient;

  before(async () => {
    client = await LspClient.start();
  });

  after(async () => {
    await client?.stop();
  });

  /** Opens a text and returns its diagnostics. */
  async function open(name: string, text: string): Promise<{ uri: string; diagnostics: Diagnostic[] }> {
    const uri = client.uri(name);
    return { uri, diagnostics: (await client.open(uri, text)).diagnostics };
  }

  async function actionsFor(uri: string, diagnostic: Diagnostic): Promise<CodeAction[]> {
    const actions = (await withTimeout(
      client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: diagnostic.range, context: { diagnostics: [diagnostic] } }),
      "code actions",
    )) as CodeAction[];
    for (const action of actions) {
      assert.equal(action.kind, CodeActionKind.QuickFix);
      assert.deepEqual(action.diagnostics, [diagnostic]);
    }
    return actions;
  }

  /** The only LL302 whose message includes `about`. */
  function ll302(diagnostics: Diagnostic[], about: string): Diagnostic {
    const found = diagnostics.filter((d) => d.code === "LL302" && messageText(d).includes(about));
    assert.equal(found.length, 1, JSON.stringify(diagnostics.map((d) => `${d.code} ${messageText(d)}`)));
    return found[0];
  }

  function applied(uri: string, action: CodeAction): string {
    const edits = action.edit?.changes?.[uri] ?? [];
    assert.equal(edits.length, 1, JSON.stringify(action.edit));
    return applyEdit(client.document(uri).text, edits[0].range, edits[0].newText);
  }

  /** The single insertion an action makes: where (line, character) and what. */
  function insertion(uri: string, action: CodeAction): { line: number; character: number; text: string } {
    const [edit] = action.edit!.changes![uri];
    assert.deepEqual(edit.range.start, edit.range.end, "an insertion, replacing nothing");
    return { ...edit.range.start, text: edit.newText };
  }

  test("an Input's shape from data: the comment at the end of its line; filled in, every hint is known", async () => {
    const { uri, diagnostics } = await open("ecg.py", FUNCTIONAL);
    const diagnostic = ll302(diagnostics, "shape is not known statically");
    // The diagnostic sits on `shape=x_train.shape[1:]`.
    assert.deepEqual(diagnostic.range.start, positionAt(FUNCTIONAL, FUNCTIONAL.indexOf("shape=x_train")));
    const actions = await actionsFor(uri, diagnostic);
    assert.deepEqual(actions.map((a) => a.title), [TITLE]);
    assert.equal(actions[0].isPreferred, undefined, "a placeholder to fill in is not applied by auto-fix");
    // At the end of line 7, after `inputs = keras.Input(shape=x_train.shape[1:])` (45 characters). The model's
    // next layer is a Conv1D: one spatial axis and the channels, two `?`.
    const inputLine = "inputs = keras.Input(shape=x_train.shape[1:])";
    assert.deepEqual(insertion(uri, actions[0]), { line: lineOf(FUNCTIONAL, inputLine), character: inputLine.length, text: "  # input: (None, ?, ?)" });
    const placeholder = applied(uri, actions[0]);
    assert.equal(placeholder, FUNCTIONAL.replace(inputLine, `${inputLine}  # input: (None, ?, ?)`));

    // The placeholder alone changes nothing: the same diagnostic, no error, and no second offer on that line.
    const unfilled = await open("ecg-placeholder.py", placeholder);
    assert.deepEqual(unfilled.diagnostics.map((d) => [d.code, messageText(d), d.range]), diagnostics.map((d) => [d.code, messageText(d), d.range]));
    assert.deepEqual(await actionsFor(unfilled.uri, ll302(unfilled.diagnostics, "shape is not known statically")), []);

    // Filled in as the user would: 288 samples of 1 channel.
    const filled = placeholder.replace("# input: (None, ?, ?)", "# input: (None, 288, 1)");
    const known = await open("ecg-filled.py", filled);
    assert.deepEqual(known.diagnostics, []);
    const labels = labelsByLine(await client.inlayHints(known.uri));
    // Conv1D: 288 − 5 + 1 = 284; (5·1 + 1)·16 = 96.
    assert.deepEqual(labels.get(lineOf(filled, "layers.Conv1D")), ["(None, 284, 16) · 96 params"]);
    // Pooling 2: 284 / 2 = 142.
    assert.deepEqual(labels.get(lineOf(filled, "layers.MaxPooling1D")), ["(None, 142, 16)"]);
    // 142·16 = 2,272; (2,272 + 1)·10 = 22,730.
    assert.deepEqual(labels.get(lineOf(filled, "layers.Flatten")), ["(None, 2272)"]);
    assert.deepEqual(labels.get(lineOf(filled, "layers.Dense")), ["(None, 10) · 22,730 params"]);
    // 96 + 22,730 = 22,826.
    assert.ok(labels.get(lineOf(filled, "model = keras.Model"))?.some((l) => l.includes("22,826")), JSON.stringify([...labels]));
  });

  test("a first layer's input_shape from data: the model's 'no input shape' LL302 offers the comment on that layer's line", async () => {
    const { uri, diagnostics } = await open("cifar.py", CIFAR);
    const diagnostic = ll302(diagnostics, "the model has no input shape");
    const actions = await actionsFor(uri, diagnostic);
    assert.deepEqual(actions.map((a) => a.title), [TITLE]);
    // Conv2D: two spatial axes and the channels, three `?`, after the line's last `)`.
    const conv = "model.add(Conv2D(32, (3, 3), padding='same', input_shape=x_train.shape[1:]))";
    assert.deepEqual(insertion(uri, actions[0]), { line: lineOf(CIFAR, conv), character: conv.length, text: "  # input: (None, ?, ?, ?)" });
    const filled = applied(uri, actions[0]).replace("(None, ?, ?, ?)", "(None, 32, 32, 3)");
    assert.equal(filled, CIFAR.replace(conv, `${conv}  # input: (None, 32, 32, 3)`));
    const known = await open("cifar-filled.py", filled);
    assert.deepEqual(known.diagnostics, []);
    const labels = labelsByLine(await client.inlayHints(known.uri));
    // 'same' keeps 32×32; (3·3·3 + 1)·32 = 896.
    assert.deepEqual(labels.get(lineOf(filled, "Conv2D(32")), ["(None, 32, 32, 32) · 896 params"]);
    assert.deepEqual(labels.get(lineOf(filled, "MaxPooling2D(")), ["(None, 16, 16, 32)"]);
    // 16·16·32 = 8,192; (8,192 + 1)·10 = 81,930.
    assert.deepEqual(labels.get(lineOf(filled, "Flatten()")), ["(None, 8192)"]);
    assert.deepEqual(labels.get(lineOf(filled, "Dense(10)")), ["(None, 10) · 81,930 params"]);
  });

  test("a multi-line Input call: the comment goes where the call ends, after a comment already there; a lone Dense next gets one `?`", async () => {
    const text = lines(
      "import numpy as np",
      "import keras",
      "",
      'features = np.load("features.npy")',
      "inputs = keras.Input(",
      "    shape=features.shape[1:],",
      '    name="features",',
      ")   # tabular data   ",
      "outputs = keras.layers.Dense(1)(inputs)",
      "model = keras.Model(inputs, outputs)",
    );
    const { uri, diagnostics } = await open("tabular.py", text);
    const actions = await actionsFor(uri, ll302(diagnostics, "shape is not known statically"));
    assert.deepEqual(actions.map((a) => a.title), [TITLE]);
    // The trailing spaces are replaced: the comment follows `# tabular data`.
    const edit = actions[0].edit!.changes![uri][0];
    const line = lineOf(text, ")   # tabular data");
    assert.deepEqual(edit.range, { start: { line, character: ")   # tabular data".length }, end: { line, character: ")   # tabular data   ".length } });
    assert.equal(edit.newText, "  # input: (None, ?)");
    const filled = applied(uri, actions[0]).replace("(None, ?)", "(None, 20)");
    assert.ok(filled.includes(")   # tabular data  # input: (None, 20)\n"));
    const known = await open("tabular-filled.py", filled);
    assert.deepEqual(known.diagnostics, []);
    // (20 + 1)·1 = 21.
    assert.deepEqual(labelsByLine(await client.inlayHints(known.uri)).get(lineOf(filled, "Dense(1)")), ["(None, 1) · 21 params"]);
  });

  test("a positional shape in a Sequential model, and an InputLayer's input_shape, with Windows line ends", async () => {
    const text = lines(
      "import numpy as np",
      "import keras",
      "from keras import layers",
      'x = np.load("x.npy")',
      "a = keras.Sequential([keras.Input(x.shape[1:]), layers.Dense(4)])",
      "b = keras.Sequential([",
      "    layers.InputLayer(input_shape=x.shape[1:]),",
      "    layers.Conv2D(4, 3),",
      "])",
    ).replace(/\n/g, "\r\n");
    const { uri, diagnostics } = await open("crlf.py", text);
    const unknown = diagnostics.filter((d) => d.code === "LL302");
    assert.equal(unknown.length, 2, JSON.stringify(diagnostics));
    const [first, second] = await Promise.all(unknown.map((d) => actionsFor(uri, d)));
    // The first: `(None, ?)` (a Dense next) at the end of line 4, before its \r.
    const lineA = "a = keras.Sequential([keras.Input(x.shape[1:]), layers.Dense(4)])";
    assert.deepEqual(insertion(uri, first[0]), { line: 4, character: lineA.length, text: "  # input: (None, ?)" });
    // The second: three `?` (a Conv2D next), after `...[1:]),`.
    const lineB = "    layers.InputLayer(input_shape=x.shape[1:]),";
    assert.deepEqual(insertion(uri, second[0]), { line: 6, character: lineB.length, text: "  # input: (None, ?, ?, ?)" });
    let filled = applied(uri, first[0]).replace("(None, ?)", "(None, 6)");
    const edit = second[0].edit!.changes![uri][0];
    filled = applyEdit(filled, edit.range, edit.newText.replace("(None, ?, ?, ?)", "(None, 8, 8, 1)"));
    assert.ok(filled.includes(`${lineA}  # input: (None, 6)\r\n`) && filled.includes(`${lineB}  # input: (None, 8, 8, 1)\r\n`));
    const known = await open("crlf-filled.py", filled);
    assert.deepEqual(known.diagnostics, []);
    const labels = labelsByLine(await client.inlayHints(known.uri));
    // Line 4: the Input (None, 6), the Dense (None, 4) and the model's total, (6 + 1)·4 = 28.
    const a = labels.get(4) ?? [];
    assert.ok(a[0] === "(None, 6)" && a[1] === "(None, 4)" && a[2].startsWith("Total params: 28 "), JSON.stringify(a));
    // 8 − 3 + 1 = 6; (3·3·1 + 1)·4 = 40.
    assert.deepEqual(labels.get(7), ["(None, 6, 6, 4) · 40 params"]);
  });

  test("no action when the line already has an annotation, even one Layer Lens cannot read", async () => {
    const text = FUNCTIONAL.replace("inputs = keras.Input(shape=x_train.shape[1:])", "inputs = keras.Input(shape=x_train.shape[1:])  # input: (None, N_SAMPLES, 1)");
    const { uri, diagnostics } = await open("annotated.py", text);
    // N_SAMPLES is no constant of the file: the annotation is read, its LL302 says so on the annotation.
    const diagnostic = ll302(diagnostics, "'N_SAMPLES' is not a constant");
    assert.deepEqual(await actionsFor(uri, diagnostic), []);
  });

  test("no action for LL302s that are not about an input shape the annotation can state", async () => {
    const text = lines(
      "import numpy as np",
      "import keras",
      "from keras import layers",
      "from mylib import jitter",
      'x_train = np.load("x.npy")',
      "a = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(x_train.shape[1])])",
      "b = keras.Input(batch_shape=x_train.shape)",
      "c = keras.Model(b, layers.Dense(3)(b))",
      "d = keras.Sequential([layers.Dense(4), layers.Dense(2)])",
      "i = keras.Input(shape=(4,))",
      "e = keras.Model(i, layers.Dense(2)(jitter(i)))",
      "m = keras.Sequential([layers.Dense(x_train.shape[1], input_shape=x_train.shape[1:])])",
      "m.build((None, 8))",
      'h = keras.Input(shape=x_train.shape[1:]); doc = """Features',
      'from the data."""',
      "k = keras.Model(h, layers.Dense(2)(h))",
      "f = keras.Input(shape=x_train.shape[1:])  \\",
      "    ; g = keras.Model(f, layers.Dense(2)(f))",
    );
    const { uri, diagnostics } = await open("unrelated.py", text);
    const cases: [line: string, message: string, why: string][] = [
      ["layers.Dense(x_train.shape[1])", "units is not known statically", "a layer's argument, not its input"],
      ["batch_shape=x_train.shape", "batch_shape is not known statically", "an argument the annotation does not stand in for"],
      ["d = keras.Sequential", "the model has no input shape", "a Sequential model with no input_shape at all"],
      ["jitter(i)", "jitter", "a call not followed"],
      ["m = keras.Sequential", "units is not known statically", "the input_shape beside it is unknown too, but the model's input is built"],
      ["h = keras.Input", "shape is not known statically", "the line ends in a string: the comment would be text in it"],
      ["f = keras.Input", "shape is not known statically", "a line continued by a backslash: no comment can follow it"],
    ];
    for (const [needle, message, why] of cases) {
      const line = lineOf(text, needle);
      const diagnostic = diagnostics.find((d) => d.code === "LL302" && d.range.start.line === line && messageText(d).includes(message));
      assert.ok(diagnostic, `no LL302 '${message}' on line ${line} in ${JSON.stringify(diagnostics.map((d) => [d.range.start.line, messageText(d)]))}`);
      assert.deepEqual(await actionsFor(uri, diagnostic), [], why);
    }
  });
});
