/**
 * LL354, the `batch_first` mistake, against PyTorch: each case is a model whose input `x` has its batch on axis 0 (or
 * `batch_axis`), run by python3-torch (torch_mixing.py) perturbing one sample at a time. Where the shapes prove which axis is the
 * batch, Layer Lens reports LL354 exactly when PyTorch's output mixes the samples; where they do not (token ids of
 * the user's making), it says nothing, whatever the code meant.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { analyzeText } from "../../server/src/analysis";

/** Debian's interpreter, which has python3-torch. */
const PYTHON = "/usr/bin/python3";

const mixes = (text: string): boolean =>
  (JSON.parse(execFileSync(PYTHON, [join(__dirname, "torch_mixing.py")], { input: text, encoding: "utf8" }).trim().split("\n").pop()!) as { mixes: boolean }).mixes;

const lines = (...l: string[]) => l.join("\n") + "\n";

/** A model of `init` and `forward` lines (indented by the helper) on `x`. */
function model(init: readonly string[], forward: readonly string[], x: string): string {
  return lines(
    "import torch",
    "import torch.nn as nn",
    "import torch.nn.functional as F",
    "class Net(nn.Module):",
    "    def __init__(self):",
    "        super().__init__()",
    ...init.map((l) => `        ${l}`),
    "    def forward(self, x):",
    ...forward.map((l) => `        ${l}`),
    "model = Net()",
    `x = ${x}`,
    "y = model(x)",
  );
}

/** `axis`: the batch's axis in the reader's input, which the quick fix reads. */
const cases: { name: string; text: string; proven: boolean; axis?: number }[] = [
  {
    name: "a 1-D CNN's features (N, L, C) into a seq-first GRU",
    text: model(["self.conv = nn.Conv1d(8, 16, 3, padding=1)", "self.bn = nn.BatchNorm1d(16)", "self.rnn = nn.GRU(16, 32)", "self.fc = nn.Linear(32, 4)"], ["x = torch.relu(self.bn(self.conv(x)))", "out, h = self.rnn(x.permute(0, 2, 1))", "return self.fc(out[-1])"], "torch.randn(3, 8, 5)"),
    proven: true,
    axis: 0,
  },
  {
    name: "the same CNN's features made (L, N, C): right",
    text: model(["self.conv = nn.Conv1d(8, 16, 3, padding=1)", "self.rnn = nn.GRU(16, 32)", "self.fc = nn.Linear(32, 4)"], ["x = torch.relu(self.conv(x))", "out, h = self.rnn(x.permute(2, 0, 1))", "return self.fc(out[-1])"], "torch.randn(3, 8, 5)"),
    proven: false,
  },
  {
    name: "the same CNN's features (N, L, C) into a GRU with batch_first=True: right",
    text: model(["self.conv = nn.Conv1d(8, 16, 3, padding=1)", "self.rnn = nn.GRU(16, 32, batch_first=True)", "self.fc = nn.Linear(32, 4)"], ["x = torch.relu(self.conv(x))", "out, h = self.rnn(x.transpose(1, 2))", "return self.fc(out[:, -1])"], "torch.randn(3, 8, 5)"),
    proven: false,
  },
  {
    name: "a 2-D CNN's patches (N, HW, C) into a seq-first Transformer encoder",
    text: model(["self.conv = nn.Conv2d(3, 16, 2, stride=2)", "self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(16, 2, 32), 1)"], ["x = self.conv(x).flatten(2).transpose(1, 2)", "return self.encoder(x)"], "torch.randn(3, 3, 4, 4)"),
    proven: true,
  },
  {
    name: "a batch-first LSTM's output into a seq-first encoder layer",
    text: model(["self.conv = nn.Conv1d(4, 8, 1)", "self.lstm = nn.LSTM(8, 8, batch_first=True)", "self.attend = nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0)"], ["x = self.conv(x).permute(0, 2, 1)", "out, _ = self.lstm(x)", "return self.attend(out)"], "torch.randn(3, 4, 5)"),
    proven: true,
  },
  {
    name: "a seq-first GRU's output (L, N, H) into an LSTM with batch_first=True",
    text: model(["self.conv = nn.Conv1d(4, 8, 1)", "self.gru = nn.GRU(8, 8)", "self.lstm = nn.LSTM(8, 8, batch_first=True)"], ["out, _ = self.gru(self.conv(x).permute(2, 0, 1))", "out, _ = self.lstm(out)", "return out"], "torch.randn(3, 4, 5)"),
    proven: true,
    axis: 1,
  },
  {
    name: "a seq-first LSTM's out[:, -1] (its last sample, not its last step) into a classification loss",
    text: model(["self.lstm = nn.LSTM(8, 16)", "self.fc = nn.Linear(16, 3)"], ["out, _ = self.lstm(x)", "return self.fc(out[:, -1, :])"], "torch.randn(4, 10, 8)") + "loss = nn.CrossEntropyLoss()(y, torch.randint(0, 3, (4,)))\n",
    proven: true,
    axis: 0,
  },
  {
    name: "a seq-first LSTM on (T, B, F) whose last step out[-1] goes to the loss: right",
    text: model(["self.lstm = nn.LSTM(8, 16)", "self.fc = nn.Linear(16, 3)"], ["out, _ = self.lstm(x)", "return self.fc(out[-1])"], "torch.randn(10, 4, 8)") + "batch_axis = 1\nloss = F.cross_entropy(y, torch.randint(0, 3, (4,)))\n",
    proven: false,
  },
  {
    name: "a batch-first GRU whose out[:, -1] goes to the loss: right",
    text: model(["self.gru = nn.GRU(8, 16, batch_first=True)", "self.fc = nn.Linear(16, 3)"], ["out, _ = self.gru(x)", "return self.fc(out[:, -1])"], "torch.randn(4, 10, 8)") + "loss = F.cross_entropy(y, torch.randint(0, 3, (4,)))\n",
    proven: false,
  },
  {
    name: "the CNN's (N, L, C) into a seq-first GRU, its out[:, -1] into the loss: one LL354, not two",
    text: model(["self.conv = nn.Conv1d(8, 16, 3, padding=1)", "self.rnn = nn.GRU(16, 32)", "self.fc = nn.Linear(32, 4)"], ["out, h = self.rnn(self.conv(x).permute(0, 2, 1))", "return self.fc(out[:, -1])"], "torch.randn(3, 8, 5)") + "loss = F.cross_entropy(y, torch.randint(0, 4, (3,)))\n",
    proven: true,
    axis: 0,
  },
  {
    name: "token ids (B, T) of the user's making into Embedding and a seq-first LSTM: not provable, nothing said",
    text: model(["self.embed = nn.Embedding(50, 8)", "self.lstm = nn.LSTM(8, 16)"], ["out, _ = self.lstm(self.embed(x))", "return out"], "torch.randint(0, 50, (3, 5))"),
    proven: false,
  },
];

for (const c of cases) {
  test(`LL354: ${c.name}`, () => {
    const found = analyzeText(c.text).diagnostics.filter((d) => d.code === "LL354");
    assert.equal(found.length, c.proven ? 1 : 0, found.map((d) => d.message).join("\n"));
    // PyTorch mixes the samples in every case LL354 names; in the right ones it does not (the ids' case means nothing).
    if (!c.name.includes("not provable")) assert.equal(mixes(c.text), c.proven, "PyTorch's output mixes the samples");
    if (c.axis !== undefined) assert.equal(found[0].values?.axis, c.axis);
  });
}
