/**
 * What the Python front end makes of PyTorch code that PyTorch itself cannot run here (torchinfo, torchsummary and
 * torchvision are not installed beside Debian's torch): the summary tools as the model's input, the `# input:`
 * annotation, models built at run time, the summary's nesting; and two fixes every library's code meets (a built-in's
 * arguments run once, `return a, b`). Numbers are worked out by hand beside each assertion; the nets PyTorch runs are in
 * torch_fixtures.test.ts.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { analyzeText } from "../../server/src/analysis";
import { formatShape } from "../../server/src/engine/shape";
import { summaryRows } from "../../server/src/engine/report";
import { modelFootprint } from "../../server/src/engine/footprint";

const lines = (...l: string[]) => l.join("\n") + "\n";

/** The output shapes of the calls of layers made on the line holding `needle`, in order. */
function shapesAt(text: string, needle: string): string[] {
  const line = text.slice(0, text.indexOf(needle)).split("\n").length;
  const analysis = analyzeText(text);
  return analysis.calls
    .filter((l) => l.element.type === "layer" && l.element.constructed && text.slice(0, l.element.constructed.start).split("\n").length === line)
    .map((l) => (l.output ? formatShape(l.output) : "?"));
}

const NET = lines(
  "import torch",
  "import torch.nn as nn",
  "",
  "class Net(nn.Module):",
  "    def __init__(self):",
  "        super().__init__()",
  "        self.conv = nn.Conv2d(3, 4, 3)",
  "        self.fc = nn.Linear(4, 2)",
  "",
  "    def forward(self, x):",
  "        return self.fc(self.conv(x).mean(dim=(2, 3)))",
  "",
  "net = Net()",
);

test("torchinfo.summary(model, input_size=...) runs the model on that size, the batch included", () => {
  const text = NET + lines("import torchinfo", "torchinfo.summary(net, input_size=(5, 3, 16, 16))");
  // 16 − 3 + 1 = 14.
  assert.deepEqual(shapesAt(text, "nn.Conv2d(3, 4, 3)"), ["(5, 4, 14, 14)"]);
  assert.deepEqual(shapesAt(text, "nn.Linear(4, 2)"), ["(5, 2)"]);
});

test("torchsummary.summary(model, (C, H, W)) leaves the batch out: it is unknown, never guessed", () => {
  const text = NET + lines("from torchsummary import summary", "summary(net, (3, 10, 10))");
  // 10 − 3 + 1 = 8; torchsummary prints the batch as -1.
  assert.deepEqual(shapesAt(text, "nn.Conv2d(3, 4, 3)"), ["(?, 4, 8, 8)"]);
});

test("the # input: annotation before the class gives a model never called its input", () => {
  const text = NET.replace("class Net(nn.Module):", "# input: (2, 3, 7, 7)\nclass Net(nn.Module):");
  // 7 − 3 + 1 = 5.
  assert.deepEqual(shapesAt(text, "nn.Conv2d(3, 4, 3)"), ["(2, 4, 5, 5)"]);
});

test("a model called under if __name__ == '__main__': is run on its tensor", () => {
  const text = NET + lines('if __name__ == "__main__":', "    out = net(torch.randn(1, 3, 9, 9))");
  assert.deepEqual(shapesAt(text, "nn.Conv2d(3, 4, 3)"), ["(1, 4, 7, 7)"]);
});

test("torchvision's models and torch.hub are built at run time: LL340, and the rest is still read", () => {
  const text = lines("import torch", "import torchvision", "backbone = torchvision.models.resnet18(weights=None)", "head = torch.nn.Linear(1000, 10)", "y = head(backbone(torch.randn(2, 3, 224, 224)))");
  const analysis = analyzeText(text);
  assert.deepEqual(analysis.diagnostics.map((d) => d.code), ["LL340"]);
  // Linear(1000, 10): 1000·10 + 10 = 10,010, known whatever its input.
  assert.equal(analysis.calls.find((l) => l.element.type === "layer" && l.element.kind === "torch.nn.Linear")?.params, 10_010n);
});

test("a built-in's arguments are evaluated once: print(model(x).shape) runs the model once (Keras too)", () => {
  const text = lines("import keras", "m = keras.layers.Dense(4)", "print(m(keras.Input((3,))).shape)");
  const analysis = analyzeText(text);
  assert.equal(analysis.calls.filter((l) => l.element.type === "layer" && l.element.kind === "Dense").length, 1);
});

test("return a, b returns both: a helper's second output is followed (Keras too)", () => {
  const text = lines(
    "import keras",
    "from keras import layers",
    "def two(x):",
    "    return layers.Dense(3)(x), layers.Dense(4)(x)",
    "i = keras.Input((5,))",
    "a, b = two(i)",
    "m = keras.Model(i, [a, b])",
  );
  const [model] = analyzeText(text).models;
  // (5 + 1)·3 + (5 + 1)·4 = 18 + 24 = 42.
  assert.equal(model.totals.total, 42n);
});

test("a PyTorch model's summary nests as torchinfo's does: depth-index, containers before what they ran, their params --", () => {
  const text = readFileSync(join(__dirname, "../fixtures/torch/resnet_block.py"), "utf8");
  const [model] = analyzeText(text).models;
  const rows = summaryRows(model).map((r) => `${r.layer} ${r.params}`);
  // SmallResNet.forward: conv1, bn1, relu, then layer1 (a Sequential of two BasicBlocks, each conv1, bn1, relu,
  // conv2, bn2; its relu's second call shares the first's row). conv1: 16·3·3·3 = 432 (no bias); bn: 2·16 = 32.
  assert.deepEqual(rows.slice(0, 12), [
    "Conv2d: 1-1 432",
    "BatchNorm2d: 1-2 32",
    "ReLU: 1-3 0",
    "Sequential: 1-4 --",
    "BasicBlock: 2-1 --",
    "Conv2d: 3-1 2,304",
    "BatchNorm2d: 3-2 32",
    "ReLU: 3-3 0",
    "Conv2d: 3-4 2,304",
    "BatchNorm2d: 3-5 32",
    "BasicBlock: 2-2 --",
    "Conv2d: 3-1 2,304",
  ]);
  // The last rows: the pooling and the classifier back at depth 1 (64·10 + 10 = 650).
  assert.deepEqual(rows.slice(-2), ["AdaptiveAvgPool2d: 1-7 0", "Linear: 1-8 650"]);
});

test("a PyTorch summary lists modules only: torch.cat and torch.stack (list-taking functions) are no rows", () => {
  const text = readFileSync(join(__dirname, "../fixtures/torch/training_script.py"), "utf8");
  const [model] = analyzeText(text).models;
  const rows = summaryRows(model).map((r) => r.layer);
  assert.ok(rows.length > 10, rows.join(", "));
  assert.deepEqual(rows.filter((r) => r.startsWith("torch.")), []);
  // Net.forward ends with the gate (its Linear and Sigmoid), then the dropout and the two heads.
  assert.deepEqual(rows.slice(-6), ["Sequential: 1-6", "Linear: 2-1", "Sigmoid: 2-2", "Dropout: 1-7", "Linear: 1-8", "Linear: 1-9"]);
});

test("the MACs of a model whose module PyTorch raises on are unknown in PyTorch's words, not Keras's", () => {
  const text = lines("import torch", "from torch import nn", "net = nn.Sequential(nn.Conv2d(3, 8, 3), nn.BatchNorm2d(4))", "y = net(torch.randn(1, 3, 8, 8))");
  const footprint = modelFootprint(analyzeText(text).models[0]);
  assert.equal(footprint.macs, undefined);
  assert.match(footprint.macsUnknownBecause ?? "", /BatchNorm2d: PyTorch raises on it/);
});

/** A language model whose decoder takes the embedding's weight; `tie` is the line that ties them. */
function tiedLM(embedding: string, decoder: string, tie: string): string {
  return lines(
    "import torch",
    "from torch import nn",
    "class LM(nn.Module):",
    "    def __init__(self, flag):",
    "        super().__init__()",
    `        self.embed = ${embedding}`,
    `        self.decoder = ${decoder}`,
    `        ${tie}`,
    "    def forward(self, x):",
    "        return self.decoder(self.embed(x))",
    "m = LM(True)",
    "y = m(torch.randint(0, 100, (2, 5)))",
  );
}

test("a weight tied to another's is one parameter: counted once, as model.parameters() does", () => {
  // PyTorch: Embedding(100, 16) 1,600 + the decoder's bias 100 = 1,700 (not 3,300); the decoder alone holds 1,700.
  const analysis = analyzeText(tiedLM("nn.Embedding(100, 16)", "nn.Linear(16, 100)", "self.decoder.weight = self.embed.weight"));
  assert.equal(analysis.models[0].totals.total, 1700n);
  const decoder = analysis.calls.find((c) => c.element.type === "layer" && c.element.kind === "torch.nn.Linear")!;
  assert.equal(decoder.params, 1700n);
  assert.deepEqual(decoder.output, [2, 5, 100]);
  assert.deepEqual(analysis.diagnostics.map((d) => d.code), []);
});

test("a tied weight of another shape: the count is PyTorch's, the module's output unknown, LL213 on the assignment", () => {
  // PyTorch assigns a (100, 8) weight to a Linear(16, 100) and counts 800 + 100; its forward raises
  // 'mat1 and mat2 shapes cannot be multiplied (10x8 and 16x100)'... on the embedding's 8 features.
  const text = tiedLM("nn.Embedding(100, 8)", "nn.Linear(16, 100)", "self.decoder.weight = self.embed.weight");
  const analysis = analyzeText(text);
  assert.equal(analysis.models[0].totals.total, 900n);
  const decoder = analysis.calls.find((c) => c.element.type === "layer" && c.element.kind === "torch.nn.Linear")!;
  assert.equal(decoder.output, undefined);
  const [warning] = analysis.diagnostics.filter((d) => d.code === "LL213");
  assert.ok(warning, "LL213");
  assert.equal(text.slice(warning.span.start, warning.span.end), "self.decoder.weight");
  assert.match(warning.message, /\(100, 8\).*\(100, 16\)/);
});

test("weights replaced by what Layer Lens cannot follow, or where it may not run, leave the total unknown", () => {
  for (const tie of ["if torch.cuda.is_available(): self.decoder.weight = self.embed.weight", "self.decoder.weight = torch.load('w.pt')"]) {
    const [model] = analyzeText(tiedLM("nn.Embedding(100, 16)", "nn.Linear(16, 100)", tie)).models;
    assert.equal(model.totals.total, undefined, tie);
    assert.equal(model.totals.known, undefined, tie);
    assert.match(model.totals.unknownBecause ?? "", /self\.decoder\.weight/, tie);
  }
  // A plain attribute is not a weight: the count stands.
  const [model] = analyzeText(tiedLM("nn.Embedding(100, 16)", "nn.Linear(16, 100)", "self.decoder.label = 'head'")).models;
  assert.equal(model.totals.total, 3300n);
});
