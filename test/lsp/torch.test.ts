/**
 * PyTorch over real LSP, on the bundled example (examples/cifar_pytorch.py) as a user opens it: the hints on the
 * lines that make modules and on `forward`'s lines, the model's total on its code lens, the LL155 mismatch on the
 * argument at fault with its quick fixes applied and re-checked, the hover's formula, and an edit that changes the
 * numbers. Every expected number is worked out by hand in the comment beside it.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CodeAction, CodeActionRequest, CodeLensRequest, HoverRequest } from "vscode-languageserver-protocol/node";
import { LspClient, ROOT, applyEdit, hoverText, labelsByLine, lineOf, messageText, positionAt, withTimeout } from "./client";

const EXAMPLE = readFileSync(join(ROOT, "examples", "cifar_pytorch.py"), "utf8");

describe("PyTorch in the editor (examples/cifar_pytorch.py)", () => {
  let client: LspClient;
  let uri: string;

  before(async () => {
    client = await LspClient.start();
    uri = client.uri("cifar_pytorch.py");
    await client.open(uri, EXAMPLE);
  });

  after(async () => {
    await client?.stop();
  });

  test("hints: shapes and parameters on the lines that make modules, shapes on forward's lines", async () => {
    const labels = labelsByLine(await client.inlayHints(uri));
    const at = (needle: string) => labels.get(lineOf(EXAMPLE, needle)) ?? [];
    // conv_block runs three times (3→32, 32→64, 64→128 channels) on 32, 16, 8 pixels with padding 1:
    // params 32·3·9+32 = 896, 64·32·9+64 = 18,496, 128·64·9+128 = 73,856; together 93,248.
    assert.deepEqual(at("nn.Conv2d(cin, cout"), ["×3 (32, 32→128, 32→8, 32→8) · 93,248 params"]);
    // fc1 is Linear(4096, 256): 4096·256 + 256 = 1,048,832, its output (32, 256).
    assert.deepEqual(at("self.fc1 = nn.Linear"), ["(32, 256) · 1,048,832 params"]);
    // forward: three poolings halve 32 → 4; flatten gives 128·4·4 = 2,048 per sample.
    assert.deepEqual(at("x = self.features(x)"), ["(32, 128, 4, 4)"]);
    assert.deepEqual(at("x = torch.flatten(x, 1)"), ["(32, 2048)"]);
  });

  test("the model's code lens: 93,248 + 2·(32+64+128) BatchNorm + 1,048,832 + 2,570 = 1,145,098 params", async () => {
    const lenses = (await withTimeout(client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } }), "code lenses")) ?? [];
    const titles = lenses.filter((l) => l.range.start.line === lineOf(EXAMPLE, "model = CifarNet()")).map((l) => l.command?.title ?? "");
    assert.ok(titles.some((t) => t.startsWith("Total 1,145,098 params")), JSON.stringify(titles));
  });

  test("LL155 on in_features, in PyTorch's words, fixed by setting it to 2,048 or by nn.LazyLinear", async () => {
    const published = client.published.filter((p) => p.uri === uri).at(-1)!;
    const diagnostic = published.diagnostics.find((d) => d.code === "LL155");
    assert.ok(diagnostic, JSON.stringify(published.diagnostics.map((d) => d.code)));
    assert.equal(diagnostic.range.start.line, lineOf(EXAMPLE, "self.fc1 = nn.Linear"));
    assert.equal(EXAMPLE.split("\n")[diagnostic.range.start.line].slice(diagnostic.range.start.character, diagnostic.range.end.character), "4096");
    assert.match(messageText(diagnostic), /mat1 and mat2 shapes cannot be multiplied \(32x2048 and 4096x256\)/);
    const actions = (await withTimeout(
      client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: diagnostic.range, context: { diagnostics: [diagnostic] } }),
      "code actions",
    )) as CodeAction[];
    const titles = actions.map((a) => a.title);
    assert.deepEqual(titles, ["Set in_features to 2048, the size of its input", "Use nn.LazyLinear (in_features taken from the first input)"]);
    for (const action of actions) {
      const edits = [...(action.edit?.changes?.[uri] ?? [])].sort((a, b) => b.range.start.character - a.range.start.character);
      const fixed = edits.reduce((text, e) => applyEdit(text, e.range, e.newText), EXAMPLE);
      const fixedUri = client.uri(`fixed-${titles.indexOf(action.title)}.py`);
      const after = await client.open(fixedUri, fixed);
      assert.ok(!after.diagnostics.some((d) => d.severity === 1), `${action.title}: ${JSON.stringify(after.diagnostics.map((d) => messageText(d)))}`);
      const labels = labelsByLine(await client.inlayHints(fixedUri));
      // Fixed, the classifier runs on: (32, 256) then (32, 10); fc1 has 2048·256 + 256 = 524,544 params either way.
      assert.deepEqual(labels.get(lineOf(fixed, "self.fc1 = nn.")), ["(32, 256) · 524,544 params"]);
      assert.deepEqual(labels.get(lineOf(fixed, "self.fc2 = nn.Linear")), ["(32, 10) · 2,570 params"]);
    }
  });

  test("a hover on a convolution shows PyTorch's formula with the user's numbers", async () => {
    const offset = EXAMPLE.indexOf("nn.Conv2d(cin, cout");
    const hover = await withTimeout(client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: positionAt(EXAMPLE, offset + 4) }), "hover");
    const text = hoverText(hover);
    // The first run: ⌊(32 + 2·1 − 1·(3 − 1) − 1)/1 + 1⌋ = 32; weights 32·3·3·3 + 32 = 896.
    assert.match(text, /32 \+ 2·1 − 1·\(3 − 1\) − 1/);
    assert.match(text, /896/);
  });

  test("an edit changes the numbers: a batch of 8 instead of 32", async () => {
    await client.replace(uri, "BATCH_SIZE = 32", "BATCH_SIZE = 8");
    const labels = labelsByLine(await client.inlayHints(uri));
    const text = client.document(uri).text;
    assert.deepEqual(labels.get(lineOf(text, "x = torch.flatten(x, 1)")), ["(8, 2048)"]);
  });
});

describe("LL354 over LSP: a CNN's (N, L, C) features into a seq-first GRU", () => {
  // The conv gives (4, 16, 20); permute(0, 2, 1) makes it (4, 20, 16), whose axis 0 is the conv's batch of 4, which
  // the GRU (batch_first=False) reads as 4 time steps of 20 samples (torch_batch_first.test.ts runs it in PyTorch).
  const CRNN = [
    "import torch",
    "import torch.nn as nn",
    "class CRNN(nn.Module):",
    "    def __init__(self):",
    "        super().__init__()",
    "        self.conv = nn.Conv1d(8, 16, 3, padding=1)",
    "        self.rnn = nn.GRU(16, 32)",
    "    def forward(self, x):",
    "        out, h = self.rnn(torch.relu(self.conv(x)).permute(0, 2, 1))",
    "        return out",
    "model = CRNN()",
    "y = model(torch.randn(4, 8, 20))",
    "",
  ].join("\n");
  let client: LspClient;

  before(async () => {
    client = await LspClient.start();
  });

  after(async () => {
    await client?.stop();
  });

  test("information on the GRU's constructor, fixed by batch_first=True, after which the GRU gives (4, 20, 32)", async () => {
    const uri = client.uri("crnn.py");
    const published = await client.open(uri, CRNN);
    const diagnostic = published.diagnostics.find((d) => d.code === "LL354");
    assert.ok(diagnostic, JSON.stringify(published.diagnostics.map((d) => d.code)));
    assert.equal(diagnostic.severity, 3);
    const line = CRNN.split("\n")[diagnostic.range.start.line];
    assert.equal(line.slice(diagnostic.range.start.character, diagnostic.range.end.character), "nn.GRU");
    const actions = (await withTimeout(
      client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: diagnostic.range, context: { diagnostics: [diagnostic] } }),
      "code actions",
    )) as CodeAction[];
    assert.deepEqual(actions.map((a) => a.title), ["Set batch_first=True (the batch is axis 0 of the input)"]);
    const [edit] = actions[0].edit?.changes?.[uri] ?? [];
    const fixed = applyEdit(CRNN, edit.range, edit.newText);
    assert.match(fixed, /nn\.GRU\(16, 32, batch_first=True\)/);
    const fixedUri = client.uri("crnn-fixed.py");
    const after = await client.open(fixedUri, fixed);
    assert.deepEqual(after.diagnostics.map((d) => d.code), []);
    assert.deepEqual(labelsByLine(await client.inlayHints(fixedUri)).get(lineOf(fixed, "out, h = self.rnn")), ["(4, 20, 32)"]);
  });
});
