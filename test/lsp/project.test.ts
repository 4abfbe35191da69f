/**
 * A project split across files (issue 20), over real LSP: `examples/cifar_project` (a `models/` package of
 * Keras blocks, a `torch_nets/` package, `config.py`, a training script for each library and a notebook) copied to
 * a temporary workspace the client names. Hints in the scripts, the notebook and the modules themselves; edits
 * in an open module and changes on disk reaching the files that import them; and, from outside the server
 * (strace), that nothing outside the workspace is read. Expected numbers are worked out by hand beside them
 * (PyTorch's are also checked against python3-torch in test/cli/project.test.ts).
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { ClientCapabilities, DidChangeWatchedFilesNotification, FileChangeType } from "vscode-languageserver-protocol/node";
import { LspClient, ROOT, hoverText, labelsByLine, lineOf, wholeDocument } from "./client";
import { Notebook } from "./notebook";

const CAPABILITIES: ClientCapabilities = {
  textDocument: {
    synchronization: { dynamicRegistration: false, didSave: false },
    inlayHint: { dynamicRegistration: false },
    hover: { dynamicRegistration: false, contentFormat: ["markdown", "plaintext"] },
    publishDiagnostics: { relatedInformation: true, versionSupport: true },
  },
  workspace: { inlayHint: { refreshSupport: true }, codeLens: { refreshSupport: true }, didChangeWatchedFiles: { dynamicRegistration: true } },
};

let workspace: string;
let client: LspClient;

/** A fresh copy of the fixture project, which the tests change on disk. */
function copyProject(): string {
  const folder = realpathSync(mkdtempSync(join(tmpdir(), "layer-lens-project-")));
  cpSync(join(ROOT, "examples", "cifar_project"), folder, { recursive: true });
  return folder;
}

const uriOf = (path: string) => pathToFileURL(join(workspace, path)).href;
const read = (path: string) => readFileSync(join(workspace, path), "utf8");

async function openFile(path: string): Promise<{ uri: string; text: string }> {
  const uri = uriOf(path);
  const text = read(path);
  await client.open(uri, text);
  return { uri, text };
}

async function labelsOf(uri: string, text: string): Promise<Map<number, string[]>> {
  return labelsByLine(await client.inlayHints(uri, wholeDocument(text)));
}

/** Waits (a few seconds at most) until `check` holds, as a client asking again after a refresh would see it. */
async function eventually(what: string, check: () => boolean | Promise<boolean>): Promise<void> {
  const until = Date.now() + 5_000;
  while (!(await check())) {
    if (Date.now() > until) assert.fail(`${what}: not within 5 s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

before(async () => {
  workspace = copyProject();
  client = await LspClient.start(undefined, { workspace }, { capabilities: CAPABILITIES, initializationOptions: { layerLens: { hints: { maximumLength: 0 } } } });
});

after(async () => {
  await client?.stop();
  rmSync(workspace, { recursive: true, force: true });
});

describe("a training script assembled from the project's modules", () => {
  test("its lines show what the imported helpers, layer classes and constants build", async () => {
    const { uri, text } = await openFile("train.py");
    const shown = await labelsOf(uri, text);
    // config.IMG_SIZE = 32, CHANNELS = 3.
    assert.deepEqual(shown.get(lineOf(text, "inputs = keras.Input")), ["(None, 32, 32, 3)"]);
    // conv_block(x, 32) then conv_block(x, 64), each two 3×3 'same' convolutions without bias, two BatchNormalizations
    // (4 weights per channel) and a 2×2 pool: 3·3·3·32 + 4·32 + 3·3·32·32 + 4·32 = 10,336, then
    // 3·3·32·64 + 4·64 + 3·3·64·64 + 4·64 = 55,808; 32 → 16 → 8.
    assert.deepEqual(shown.get(lineOf(text, "x = conv_block(x, width)")), ["×2 (None, 16→8, 16→8, 32→64) · 66,144 params"]);
    // ResidualBlock(64): two 3×3 convolutions 64 → 64 with bias, 2 · (3·3·64·64 + 64).
    assert.deepEqual(shown.get(lineOf(text, "x = ResidualBlock(")), ["(None, 8, 8, 64) · 73,856 params"]);
    // classifier: global pooling, dropout, Dense(config.NUM_CLASSES = 10) on 64: 64·10 + 10.
    assert.deepEqual(shown.get(lineOf(text, "outputs = classifier(x)")), ["(None, 10) · 650 params"]);
    // The BatchNormalizations' moving means and variances, 2 · (32 + 32 + 64 + 64), do not train.
    assert.deepEqual(shown.get(lineOf(text, "return keras.Model(")), ["Total params: 140,650 (549.41 KB) · 384 non-trainable"]);
    // Nothing of the modules' own lines shows in the script.
    assert.equal([...shown.keys()].filter((line) => line > lineOf(text, "return keras.Model(")).length, 0);
  });

  test("a helper's hint and hover speak of the helper, not of a layer inside it", async () => {
    const { uri, text } = await openFile("train.py");
    const line = lineOf(text, "outputs = classifier(x)");
    const [hint] = (await client.inlayHints(uri, wholeDocument(text))).filter((h) => h.position.line === line);
    const resolved = await client.resolveInlayHint(hint);
    const said = JSON.stringify([resolved.label, resolved.tooltip]);
    assert.match(said, /classifier\(…\)/);
    // Not the parts of one of its layers ("Output shape of GlobalAveragePooling2D", "Parameters of Dense").
    assert.doesNotMatch(said, /\*\*(Output shape|Parameters)\*\* of|Receptive field/);
    assert.doesNotMatch(hoverText(await client.hoverAt(uri, "classifier(x)", 2)), /Receptive field/);
  });

  test("hovering a helper's call lists the layers it made, with Keras's numbers", async () => {
    const { uri } = await openFile("train.py");
    const hover = hoverText(await client.hoverAt(uri, "classifier(x)", 2));
    assert.match(hover, /classifier\(…\)\*\* \(from `models\/heads\.py`\)/);
    assert.match(hover, /\| GlobalAveragePooling2D \| `\(None, 64\)` \|/);
    assert.match(hover, /\| Dense \| `\(None, 10\)` \| 650 \|/);
  });

  test("a notebook in the workspace imports the same modules", async () => {
    const notebook = JSON.parse(read("explore.ipynb")) as { cells: { cell_type: string; source: string[] }[] };
    const cells = notebook.cells.map((c, i) => ({ id: `c${i}`, text: c.source.join(""), markdown: c.cell_type === "markdown" }));
    const opened = new Notebook(client, cells, uriOf("explore.ipynb"));
    await opened.open();
    const model = cells[2].text;
    const shown = labelsByLine(await opened.hints("c2"));
    // conv_block(inputs, 16) on 32×32×3: 3·3·3·16 + 4·16 + 3·3·16·16 + 4·16 = 2,864; classifier: 16·10 + 10 = 170.
    assert.deepEqual(shown.get(lineOf(model, "x = conv_block(")), ["(None, 16, 16, 16) · 2,864 params"]);
    assert.deepEqual(shown.get(lineOf(model, "outputs = classifier(")), ["(None, 10) · 170 params"]);
    await opened.close();
  });


});

describe("a module opened beside a script that calls it", () => {
  test("its lines show the script's runs of its helpers, and follow the script's edits", async () => {
    const script = await openFile("train.py");
    await labelsOf(script.uri, script.text);
    const blocks = await openFile("models/blocks.py");
    const conv = lineOf(blocks.text, "x = layers.Conv2D(");
    // train.py runs conv_block twice, on 32×32×3 and then 16×16×32, each two convolutions: 3·3·3·32 + 3·3·32·32 +
    // 3·3·32·64 + 3·3·64·64 = 65,376 kernel weights (no bias).
    await eventually("the script's runs", async () => (await labelsOf(blocks.uri, blocks.text)).get(conv)?.[0] === "×4 (None, 32→16, 32→16, 32→64) · 65,376 params");
    assert.match(hoverText(await client.hoverAt(blocks.uri, "layers.Conv2D(filters", 2)), /run 4 times[\s\S]*\| 3 \| `\(None, 16, 16, 32\)` \| `\(None, 16, 16, 64\)` \| 18,432 \|/);
    // ResidualBlock(64) is called once, on 8×8×64: 3·3·64·64 + 64.
    const residual = (await labelsOf(blocks.uri, blocks.text)).get(lineOf(blocks.text, "return self.add("));
    assert.deepEqual(residual, ["(None, 8, 8, 64) · 36,928 params", "(None, 8, 8, 64) · 36,928 params", "(None, 8, 8, 64)"]);
    // Twice the widths in the script: 3·3·3·64 + 3·3·64·64 + 3·3·64·128 + 3·3·128·128 = 259,776.
    await client.replace(script.uri, "conv_block(x, width)", "conv_block(x, 2 * width)");
    await eventually("the script's new runs", async () => (await labelsOf(blocks.uri, blocks.text)).get(conv)?.[0] === "×4 (None, 32→16, 32→16, 64→128) · 259,776 params");
    await client.replace(script.uri, "conv_block(x, 2 * width)", "conv_block(x, width)");
    await client.close(blocks.uri);
  });
});

describe("changes in one file reach the files that import it", () => {
  test("an edit in an open module: the script's diagnostics come again, its hints are asked for again and follow", async () => {
    const script = await openFile("train.py");
    const blocks = await openFile("models/blocks.py");
    const line = lineOf(script.text, "x = conv_block(x, width)");
    const conv = async () => (await labelsOf(script.uri, script.text)).get(line)?.[0];
    const refreshes = client.refreshRequests;
    const republished = client.nextDiagnostics(script.uri);
    // conv_block's convolutions get 5×5 kernels: 5·5·3·32 + 128 + 5·5·32·32 + 128 = 28,256 and
    // 5·5·32·64 + 256 + 5·5·64·64 + 256 = 154,112.
    await client.replace(blocks.uri, "kernel_size=3", "kernel_size=5");
    await republished;
    await eventually("the client is asked for hints again", () => client.refreshRequests > refreshes);
    assert.equal(await conv(), "×2 (None, 16→8, 16→8, 32→64) · 182,368 params");
    // Closed, the module is its file again.
    await client.close(blocks.uri);
    await eventually("the file's text again", async () => (await conv()) === "×2 (None, 16→8, 16→8, 32→64) · 66,144 params");
  });

  test("the server watches the workspace's Python files; a change on disk is followed", async () => {
    assert.ok(client.registrations.includes(DidChangeWatchedFilesNotification.method), "registered for watched files");
    const script = await openFile("train.py");
    const republished = client.nextDiagnostics(script.uri);
    writeFileSync(join(workspace, "config.py"), read("config.py").replace("NUM_CLASSES = 10", "NUM_CLASSES = 100"));
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uriOf("config.py"), type: FileChangeType.Changed }] });
    await republished;
    // Dense(100) on 64: 64·100 + 100; models/heads.py reads NUM_CLASSES from config.py too.
    assert.deepEqual((await labelsOf(script.uri, script.text)).get(lineOf(script.text, "outputs = classifier(x)")), ["(None, 100) · 6,500 params"]);
  });

  test("a module added on disk where an import looked for it", async () => {
    const text = ["import keras", "from keras import layers", "from extra import UNITS", "inputs = keras.Input((4,))", "y = layers.Dense(UNITS)(inputs)", ""].join("\n");
    const uri = uriOf("uses_extra.py");
    await client.open(uri, text);
    assert.deepEqual((await labelsOf(uri, text)).get(4), ["(None, ?) · ? params"]);
    const republished = client.nextDiagnostics(uri);
    writeFileSync(join(workspace, "extra.py"), "UNITS = 6\n");
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uriOf("extra.py"), type: FileChangeType.Created }] });
    await republished;
    assert.deepEqual((await labelsOf(uri, text)).get(4), ["(None, 6) · 30 params"]); // 4·6 + 6
  });

  test("cycles, syntax errors and a misuse of the notification leave the server answering", async () => {
    writeFileSync(join(workspace, "loop_a.py"), "from loop_b import B\nA = 3\n");
    writeFileSync(join(workspace, "loop_b.py"), "from loop_a import A\nB = A\n");
    writeFileSync(join(workspace, "broken.py"), "UNITS = 5\ndef half(:\n");
    const text = ["import keras", "from keras import layers", "from loop_a import A", "from broken import UNITS", "inputs = keras.Input((A,))", "y = layers.Dense(UNITS)(inputs)", ""].join("\n");
    const uri = uriOf("uses_loops.py");
    await client.open(uri, text);
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.method, { changes: [{ uri: 42, type: "x" }, null] });
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.method, { changes: "all of them" });
    const shown = await labelsOf(uri, text);
    assert.deepEqual(shown.get(4), ["(None, 3)"]);
    assert.deepEqual(shown.get(5), ["(None, 5) · 20 params"]); // 3·5 + 5
    assert.ok(client.alive);
    assert.deepEqual(client.logs.filter((l) => /failed/.test(l)), []);
  });
});

test("nothing outside the workspace is read, and of it only the modules imported (checked from outside with strace)", async () => {
  const root = realpathSync(mkdtempSync(join(tmpdir(), "layer-lens-confined-")));
  const inside = join(root, "workspace");
  const outside = join(root, "outside");
  mkdirSync(inside);
  mkdirSync(outside);
  try {
    writeFileSync(join(outside, "secret.py"), "UNITS = 99\n");
    writeFileSync(join(outside, "config.py"), "UNITS = 98\n");
    symlinkSync(join(outside, "secret.py"), join(inside, "linked.py"));
    // A repository of many modules, of which the script imports one.
    for (let i = 0; i < 300; i++) writeFileSync(join(inside, `module_${i}.py`), `UNITS = ${i}\n`);
    // Python would find `secret` beside a script run from outside/, and `linked` through the link; neither is the project's.
    const text = ["import sys", 'sys.path.insert(0, "../outside")', "import keras", "from keras import layers", "from secret import UNITS", "from linked import UNITS as LINKED", "from ..outside.config import UNITS as UP", "from module_7 import UNITS as SEVEN", "inputs = keras.Input((2,))", "a = layers.Dense(UNITS)(inputs)", "b = layers.Dense(LINKED)(inputs)", "c = layers.Dense(SEVEN)(inputs)", ""].join("\n");
    writeFileSync(join(inside, "main.py"), text);
    const trace = join(root, "trace.txt");
    const confined = await LspClient.start(undefined, { workspace: inside, wrapper: ["strace", "-f", "-qq", "-e", "trace=%file", "-o", trace] }, { capabilities: CAPABILITIES });
    try {
      const uri = pathToFileURL(join(inside, "main.py")).href;
      await confined.open(uri, text);
      const shown = labelsByLine(await confined.inlayHints(uri, wholeDocument(text)));
      assert.deepEqual(shown.get(lineOf(text, "a = layers.Dense")), ["(None, ?) · ? params"]);
      assert.deepEqual(shown.get(lineOf(text, "b = layers.Dense")), ["(None, ?) · ? params"]);
      assert.deepEqual(shown.get(lineOf(text, "c = layers.Dense")), ["(None, 7) · 21 params"]); // 2·7 + 7
    } finally {
      await confined.stop();
    }
    const calls = readFileSync(trace, "utf8").split("\n");
    assert.ok(calls.some((c) => c.includes(join(inside, "linked.py"))), "the trace sees the server look in the workspace");
    // Not even looked at: no call names the folder outside; the link in the workspace is seen as one, not followed.
    assert.deepEqual(calls.filter((c) => c.includes(outside)), []);
    assert.deepEqual(calls.filter((c) => c.includes("linked.py") && /open|stat\(/.test(c)), []);
    // Of the workspace's 300 modules, only the one imported is opened, and no folder is listed.
    const opened = calls.filter((c) => /open/.test(c) && c.includes(inside) && !/ENOENT/.test(c)).map((c) => c.match(/"([^"]+)"/)?.[1]);
    assert.deepEqual(opened, [join(inside, "module_7.py")]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
