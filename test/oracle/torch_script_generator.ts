/**
 * Random PyTorch scripts in the styles users write them, for the script oracle (torch_scripts.test.ts):
 * - `nn.Sequential(...)` stacks: positional, from an `OrderedDict`, built with `append` or `add_module`, or of
 *   blocks returned by a helper function;
 * - `nn.Module` subclasses: layers in `__init__`, a `forward` with `F.relu`, `torch.relu` or an activation module,
 *   pooling as a module (shared between calls) or `F.max_pool2d`, and the flattening as `x.view(x.size(0), -1)`,
 *   `torch.flatten(x, 1)`, `x.flatten(1)`, `x.reshape(x.shape[0], -1)` or `nn.Flatten`; or torchvision's
 *   `self.features` / `self.classifier` Sequentials and a `num_classes` argument;
 * - an MLP, and a recurrent model whose forward unpacks the LSTM's or GRU's tuple;
 * - ResNet's residual blocks with global average pooling, a Conv1d stack, an Embedding + LSTM text classifier on
 *   `torch.randint` indices, a TransformerEncoder, and an MLP held in an nn.ModuleList;
 * - VGG's `make_layers` (a config list walked by a loop, `nn.Sequential(*layers)`), branches joined by `torch.cat`,
 *   a text CNN (Embedding, permute, Conv1d, max over time), a convolutional autoencoder (ConvTranspose2d or Upsample);
 * - imported as `import torch.nn as nn`, `from torch import nn`, `from torch.nn import Conv2d, …` or spelled
 *   `torch.nn.Conv2d`; the input made by `x = torch.randn(…)`, then `y = model(x)`.
 * A third of them carry one of the mistakes users make: the wrong in_features after the flattening (THE classic),
 * the wrong in_channels, a kernel larger than the feature map, BatchNorm's wrong num_features, the wrong
 * input_size of an LSTM. Every module constructor is written on a line of its own, so a line names it.
 */
import { Rng } from "./torch_generators";

export interface Script {
  readonly source: string;
  /** The styles drawn and the mistake made, if any, for the test's name. */
  readonly note: string;
}

type Imports = "nn" | "from" | "names" | "torch";

/** How the script spells torch.nn's classes and functional. */
class Spelling {
  readonly used = new Set<string>();
  constructor(readonly imports: Imports) {}

  nn(cls: string): string {
    this.used.add(cls);
    return this.imports === "names" ? cls : this.imports === "torch" ? `torch.nn.${cls}` : `nn.${cls}`;
  }

  header(extra: readonly string[] = []): string[] {
    const lines = ["import torch", ...extra];
    if (this.imports === "nn") lines.push("import torch.nn as nn");
    if (this.imports === "from") lines.push("from torch import nn");
    if (this.imports === "names") lines.push(`from torch.nn import ${[...this.used].sort().join(", ")}`);
    lines.push("import torch.nn.functional as F");
    return lines;
  }
}

type Mistake = "in_features" | "in_channels" | "kernel" | "num_features" | "input_size" | undefined;

interface Layer {
  /** The constructor call, as written. */
  readonly code: string;
  /** The attribute or key it gets in a subclass or an OrderedDict. */
  readonly name: string;
}

/** Output size of a convolution or pooling window (PyTorch's formula, dilation 1): only to keep scripts mostly valid. */
const slide = (n: number, k: number, s: number, p: number) => Math.floor((n + 2 * p - k) / s) + 1;

interface ImageModel {
  readonly input: number[];
  /** Convolution blocks: each a list of layers; pooling may be left to the forward. */
  readonly blocks: Layer[][];
  /** The layers after the flattening. */
  readonly head: Layer[];
  readonly mistake: Mistake;
  /** The map the convolutions leave (channels, height, width), as the generator computed it. */
  readonly final: readonly [number, number, number];
}

function imageModel(r: Rng, s: Spelling): ImageModel {
  const mistakes: Mistake[] = ["in_features", "in_features", "in_channels", "kernel", "num_features"];
  const mistake = r.chance(0.35) ? r.pick(mistakes) : undefined;
  let [c, h, w] = [r.pick([1, 3]), r.pick([8, 16, 28, 32]), 0];
  w = r.chance(0.7) ? h : r.pick([8, 16, 28, 32]);
  // A batch of 2 or more: BatchNorm refuses a single value per channel in training mode.
  const input = [r.int(2, 8), c, h, w];
  const blocks: Layer[][] = [];
  const count = r.int(1, 3);
  const wrongAt = r.int(0, count - 1);
  for (let i = 0; i < count; i++) {
    const out = r.pick([4, 6, 8, 16]);
    const big = mistake === "kernel" && i === wrongAt;
    const fitting = [1, 3, 3, 5].filter((k) => k <= Math.min(h, w));
    const k = big ? Math.min(h, w) + 2 * 1 + 1 : fitting.length ? r.pick(fitting) : 1;
    const p = big ? 1 : r.pick([0, Math.floor(k / 2)]);
    const stride = r.chance(0.2) ? 2 : 1;
    const inChannels = mistake === "in_channels" && i === wrongAt ? c + r.int(1, 3) : c;
    const conv = `${s.nn("Conv2d")}(${inChannels}, ${out}, ${r.chance(0.5) ? `kernel_size=${k}` : k}${stride > 1 ? `, stride=${stride}` : ""}${p ? `, padding=${p}` : ""})`;
    const block: Layer[] = [{ code: conv, name: `conv${i + 1}` }];
    // A kernel too large leaves no map (PyTorch raises there); the sizes after it stay positive so later layers read sensibly.
    [c, h, w] = [out, Math.max(1, slide(h, k, stride, p)), Math.max(1, slide(w, k, stride, p))];
    if (r.chance(0.4) || (mistake === "num_features" && i === wrongAt)) {
      block.push({ code: `${s.nn("BatchNorm2d")}(${mistake === "num_features" && i === wrongAt ? c + 2 : c})`, name: `bn${i + 1}` });
    }
    block.push({ code: `${s.nn("ReLU")}()`, name: `relu${i + 1}` });
    if (h >= 2 && w >= 2 && r.chance(0.7)) {
      block.push({ code: r.chance(0.7) ? `${s.nn("MaxPool2d")}(2)` : `${s.nn("AvgPool2d")}(kernel_size=2, stride=2)`, name: `pool${i + 1}` });
      [h, w] = [Math.floor(h / 2), Math.floor(w / 2)];
    }
    blocks.push(block);
  }
  const flat = c * h * w;
  const wrongFlat = mistake === "in_features" ? r.pick([flat + c, Math.max(1, flat - h * w), flat * 4, c]) : flat;
  const hidden = r.pick([16, 32, 64, 120]);
  const head: Layer[] = [{ code: `${s.nn("Linear")}(${wrongFlat === flat && mistake === "in_features" ? flat + 1 : wrongFlat}, ${hidden})`, name: "fc1" }];
  if (r.chance(0.5)) head.push({ code: `${s.nn("Dropout")}(${r.pick(["0.5", "p=0.25"])})`, name: "drop" });
  head.push({ code: `${s.nn("ReLU")}()`, name: "relu_fc" });
  head.push({ code: `${s.nn("Linear")}(${hidden}, ${r.pick([2, 10])})`, name: "fc2" });
  return { input, blocks, head, mistake, final: [c, h, w] };
}

const indent = (lines: readonly string[], by = "    ") => lines.map((l) => by + l);

function randn(input: readonly number[]): string {
  return `x = torch.randn(${input.join(", ")})`;
}

/** A Sequential of the image model, in one of four spellings, or of blocks made by a helper function. */
function sequentialScript(r: Rng, s: Spelling, m: ImageModel): Script {
  const style = r.pick(["positional", "ordered", "append", "add_module", "helper"] as const);
  const layers = [...m.blocks.flat(), { code: `${s.nn("Flatten")}()`, name: "flatten" }, ...m.head];
  const body: string[] = [];
  const extra: string[] = [];
  const seq = s.nn("Sequential");
  if (style === "positional") body.push(`model = ${seq}(`, ...indent(layers.map((l) => `${l.code},`)), ")");
  else if (style === "ordered") {
    extra.push("from collections import OrderedDict");
    body.push(`model = ${seq}(`, "    OrderedDict(", "        [", ...indent(layers.map((l) => `("${l.name}", ${l.code}),`), "            "), "        ]", "    )", ")");
  } else if (style === "append" || style === "add_module") {
    body.push(`model = ${seq}()`);
    for (const l of layers) body.push(style === "append" ? `model.append(${l.code})` : `model.add_module("${l.name}", ${l.code})`);
  } else {
    // The blocks' layers come from one helper: its lines are every block's.
    const conv = s.nn("Conv2d");
    const [relu, pool] = [s.nn("ReLU"), s.nn("MaxPool2d")];
    body.push("def conv_block(in_channels, out_channels):", `    return ${seq}(`, `        ${conv}(in_channels, out_channels, 3, padding=1),`, `        ${relu}(),`, `        ${pool}(2),`, "    )", "");
    const channels = [m.input[1], ...m.blocks.map(() => r.pick([4, 8, 16]))];
    let [h, w] = [m.input[2], m.input[3]];
    for (let i = 0; i < m.blocks.length; i++) [h, w] = [Math.floor(h / 2), Math.floor(w / 2)];
    const flat = channels[channels.length - 1] * h * w;
    const wrong = m.mistake !== undefined;
    body.push(
      `model = ${seq}(`,
      ...indent(m.blocks.map((_, i) => `conv_block(${wrong && m.mistake === "in_channels" && i === 0 ? channels[0] + 1 : channels[i]}, ${channels[i + 1]}),`)),
      `    ${s.nn("Flatten")}(),`,
      `    ${s.nn("Linear")}(${wrong && m.mistake !== "in_channels" ? flat + channels[channels.length - 1] : flat}, 10),`,
      ")",
    );
    return finish(s, extra, body, m.input, `Sequential (helper blocks)${wrong ? `, wrong ${m.mistake === "in_channels" ? "in_channels" : "in_features"}` : ""}`);
  }
  return finish(s, extra, body, m.input, `Sequential (${style})${m.mistake ? `, wrong ${m.mistake}` : ""}`);
}

function finish(s: Spelling, extra: readonly string[], body: readonly string[], input: readonly number[], note: string): Script {
  const lines = [...s.header(extra), "", ...body, "", randn(input), "y = model(x)", ""];
  return { source: lines.join("\n"), note: `${note}; imports: ${s.imports}` };
}

/** An nn.Module subclass of the image model: layers in __init__, a forward spelling the activations and flattening its way. */
function subclassScript(r: Rng, s: Spelling, m: ImageModel): Script {
  const relu = r.pick(["F.relu", "torch.relu", "module"] as const);
  const flatten = r.pick(["view", "lenet", "torch.flatten", "flatten", "reshape", "module"] as const);
  // PyTorch's tutorial writes the flattened size as a product, in view and in fc1 alike.
  const product = m.final.join(" * ");
  const sharedPool = r.chance(0.5);
  const init: string[] = [];
  const forward: string[] = [];
  let poolDeclared = false;
  const apply = (name: string) => `self.${name}(x)`;
  const activate = (inner: string) => (relu === "module" ? `self.relu(${inner})` : `${relu}(${inner})`);
  for (const block of m.blocks) {
    for (const layer of block) {
      if (layer.name.startsWith("relu")) continue;
      if (layer.name.startsWith("pool")) {
        const kind = layer.code.includes("AvgPool") ? "F.avg_pool2d(x, 2)" : "F.max_pool2d(x, 2)";
        if (sharedPool) {
          if (!poolDeclared) init.push(`self.pool = ${layer.code}`);
          poolDeclared = true;
          forward.push("x = self.pool(x)");
        } else forward.push(`x = ${layer.code.includes("AvgPool") ? kind : r.chance(0.5) ? kind : "F.max_pool2d(x, kernel_size=2)"}`);
        continue;
      }
      init.push(`self.${layer.name} = ${layer.code}`);
      forward.push(layer.name.startsWith("conv") && !block.some((l) => l.name.startsWith("bn")) ? `x = ${activate(apply(layer.name))}` : `x = ${apply(layer.name)}`);
      if (layer.name.startsWith("bn")) forward.push(`x = ${activate("x")}`);
    }
  }
  if (relu === "module") init.push(`self.relu = ${s.nn("ReLU")}()`);
  if (flatten === "module") init.push(`self.flatten = ${s.nn("Flatten")}()`);
  forward.push(
    {
      view: "x = x.view(x.size(0), -1)",
      lenet: `x = x.view(-1, ${product})`,
      "torch.flatten": "x = torch.flatten(x, 1)",
      flatten: "x = x.flatten(1)",
      reshape: "x = x.reshape(x.shape[0], -1)",
      module: "x = self.flatten(x)",
    }[flatten],
  );
  for (const layer of m.head) {
    if (layer.name === "relu_fc") continue;
    const lenetFc1 = flatten === "lenet" && layer.name === "fc1" && m.mistake !== "in_features";
    init.push(`self.${layer.name} = ${lenetFc1 ? layer.code.replace(/\(\d+, /, `(${product}, `) : layer.code}`);
    if (layer.name === "fc1") forward.push(`x = ${activate(apply("fc1"))}`);
    else if (layer.name === "drop") forward.push("x = self.drop(x)");
    else forward.push("return self.fc2(x)");
  }
  const base = s.nn("Module");
  const superCall = r.chance(0.5) ? "super().__init__()" : "super(Net, self).__init__()";
  const body = ["class Net(" + base + "):", "    def __init__(self):", `        ${superCall}`, ...indent(init, "        "), "", "    def forward(self, x):", ...indent(forward, "        "), "", "", "model = Net()"];
  return finish(s, [], body, m.input, `subclass (activation ${relu}, flatten ${flatten}${sharedPool ? ", shared pool" : ""})${m.mistake ? `, wrong ${m.mistake}` : ""}`);
}

/**
 * The torchvision style (AlexNet, VGG): `self.features` and `self.classifier` Sequentials built in __init__ from the
 * constructor's arguments, the forward flattening between them.
 */
function featuresScript(r: Rng, s: Spelling, m: ImageModel): Script {
  const seq = s.nn("Sequential");
  const features = m.blocks.flat().map((l) => `${l.code},`);
  const classifier = m.head.map((l) => (l.name === "fc2" ? `${l.code.replace(/, \d+\)$/, ", num_classes)")},` : `${l.code},`));
  const flatten = r.pick(["x = torch.flatten(x, 1)", "x = x.view(x.size(0), -1)"]);
  const classes = r.pick([2, 10]);
  const body = [
    `class Net(${s.nn("Module")}):`,
    "    def __init__(self, num_classes=1000):",
    "        super().__init__()",
    `        self.features = ${seq}(`,
    ...indent(features, "            "),
    "        )",
    `        self.classifier = ${seq}(`,
    ...indent(classifier, "            "),
    "        )",
    "",
    "    def forward(self, x):",
    "        x = self.features(x)",
    `        ${flatten}`,
    "        return self.classifier(x)",
    "",
    "",
    `model = Net(num_classes=${classes})`,
  ];
  return finish(s, [], body, m.input, `features/classifier subclass${m.mistake ? `, wrong ${m.mistake}` : ""}`);
}

/** An MLP on (batch, features), as a Sequential or a subclass. */
function mlpScript(r: Rng, s: Spelling): Script {
  const features = r.pick([4, 10, 20, 784]);
  const widths = [features, ...Array.from({ length: r.int(1, 3) }, () => r.pick([8, 16, 32]))];
  const wrongAt = r.chance(0.3) ? r.int(1, widths.length - 1) : -1;
  const layers: string[] = [];
  for (let i = 1; i < widths.length; i++) {
    layers.push(`${s.nn("Linear")}(${i === wrongAt ? widths[i - 1] + 3 : widths[i - 1]}, ${widths[i]})`);
    if (i < widths.length - 1) layers.push(`${s.nn(r.pick(["ReLU", "GELU", "Tanh"]))}()`, ...(r.chance(0.3) ? [`${s.nn("Dropout")}(0.1)`] : []), ...(r.chance(0.2) ? [`${s.nn("LayerNorm")}(${widths[i]})`] : []));
  }
  const body = [`model = ${s.nn("Sequential")}(`, ...indent(layers.map((l) => `${l},`)), ")"];
  return finish(s, [], body, [r.int(1, 16), features], `MLP${wrongAt > 0 ? ", wrong in_features" : ""}`);
}

/** A recurrent classifier: the forward unpacks the LSTM's or GRU's tuple and keeps the last step. */
function recurrentScript(r: Rng, s: Spelling): Script {
  const cell = r.pick(["LSTM", "GRU"]);
  const [features, hidden, classes] = [r.pick([8, 16]), r.pick([16, 32]), r.pick([2, 5])];
  const bidirectional = r.chance(0.3);
  const wrong = r.chance(0.3) ? r.pick(["input_size", "in_features"] as const) : undefined;
  const rnnArgs = `${wrong === "input_size" ? features + 1 : features}, ${hidden}, num_layers=${r.int(1, 2)}, batch_first=True${bidirectional ? ", bidirectional=True" : ""}`;
  const fcIn = (bidirectional ? 2 : 1) * hidden + (wrong === "in_features" ? 1 : 0);
  const unpack = cell === "LSTM" && r.chance(0.5) ? "out, (h, c) = self.rnn(x)" : "out, _ = self.rnn(x)";
  const body = [
    `class Net(${s.nn("Module")}):`,
    "    def __init__(self):",
    "        super().__init__()",
    `        self.rnn = ${s.nn(cell)}(${rnnArgs})`,
    `        self.fc = ${s.nn("Linear")}(${fcIn}, ${classes})`,
    "",
    "    def forward(self, x):",
    `        ${unpack}`,
    "        return self.fc(out[:, -1, :])",
    "",
    "",
    "model = Net()",
  ];
  return finish(s, [], body, [r.int(1, 8), r.int(2, 12), features], `${cell} subclass${bidirectional ? " (bidirectional)" : ""}${wrong ? `, wrong ${wrong}` : ""}`);
}

/** ResNet's style: a residual block class (its output added to its input), stacked, then global average pooling. */
function residualScript(r: Rng, s: Spelling): Script {
  const [channels, classes, blocks] = [r.pick([8, 16]), r.pick([2, 10]), r.int(1, 3)];
  const wrong = r.chance(0.3) ? r.pick(["fc", "block"] as const) : undefined;
  const add = r.pick(["out += x", "out = out + x"]);
  // A comprehension makes every block alike: a mismatched block is written out.
  const stack = wrong !== "block" && r.chance(0.5) ? `${s.nn("Sequential")}(*[Block(${channels}) for _ in range(${blocks})])` : `${s.nn("Sequential")}(${Array.from({ length: blocks }, (_, i) => `Block(${wrong === "block" && i === blocks - 1 ? channels + 1 : channels})`).join(", ")})`;
  const globalPool = r.pick(["module", "mean"] as const);
  const body = [
    `class Block(${s.nn("Module")}):`,
    "    def __init__(self, channels):",
    "        super().__init__()",
    `        self.conv1 = ${s.nn("Conv2d")}(channels, channels, 3, padding=1, bias=False)`,
    `        self.bn1 = ${s.nn("BatchNorm2d")}(channels)`,
    `        self.conv2 = ${s.nn("Conv2d")}(channels, channels, kernel_size=3, padding=1, bias=False)`,
    `        self.bn2 = ${s.nn("BatchNorm2d")}(channels)`,
    "",
    "    def forward(self, x):",
    "        out = F.relu(self.bn1(self.conv1(x)))",
    "        out = self.bn2(self.conv2(out))",
    `        ${add}`,
    "        return F.relu(out)",
    "",
    "",
    `class Net(${s.nn("Module")}):`,
    "    def __init__(self, num_classes=10):",
    "        super().__init__()",
    `        self.stem = ${s.nn("Conv2d")}(3, ${channels}, kernel_size=3, padding=1)`,
    `        self.blocks = ${stack}`,
    ...(globalPool === "module" ? [`        self.pool = ${s.nn("AdaptiveAvgPool2d")}(${r.pick(["(1, 1)", "1"])})`] : []),
    `        self.fc = ${s.nn("Linear")}(${wrong === "fc" ? 2 * channels : channels}, num_classes)`,
    "",
    "    def forward(self, x):",
    "        x = F.relu(self.stem(x))",
    "        x = self.blocks(x)",
    ...(globalPool === "module" ? ["        x = self.pool(x)", "        x = torch.flatten(x, 1)"] : ["        x = x.mean([2, 3])"]),
    "        return self.fc(x)",
    "",
    "",
    `model = Net(num_classes=${classes})`,
  ];
  return finish(s, [], body, [r.int(2, 4), 3, r.pick([8, 16]), r.pick([8, 16])], `residual blocks (global pool ${globalPool})${wrong ? `, wrong ${wrong === "fc" ? "in_features" : "channels"}` : ""}`);
}

/** A 1-D convolutional Sequential on (N, C, L), ending in adaptive pooling. */
function sequenceConvScript(r: Rng, s: Spelling): Script {
  const [channels, width, length] = [r.pick([1, 4, 12]), r.pick([8, 16]), r.pick([16, 50, 100])];
  const wrong = r.chance(0.3);
  const pooled = r.int(1, 4);
  const layers = [
    `${s.nn("Conv1d")}(${channels}, ${width}, kernel_size=${r.pick([3, 5])}, padding=${r.pick([0, 1, 2])})`,
    `${s.nn("ReLU")}()`,
    `${s.nn("MaxPool1d")}(2)`,
    `${s.nn("Conv1d")}(${width}, ${2 * width}, ${r.pick([3, 5])}, stride=${r.pick([1, 2])})`,
    `${s.nn("ReLU")}()`,
    `${s.nn(r.pick(["AdaptiveMaxPool1d", "AdaptiveAvgPool1d"]))}(${pooled})`,
    `${s.nn("Flatten")}()`,
    `${s.nn("Linear")}(${2 * width * pooled + (wrong ? 1 : 0)}, ${r.pick([2, 5])})`,
  ];
  const body = [`model = ${s.nn("Sequential")}(`, ...indent(layers.map((l) => `${l},`)), ")"];
  return finish(s, [], body, [r.int(1, 8), channels, length], `Conv1d Sequential${wrong ? ", wrong in_features" : ""}`);
}

/** A text classifier: Embedding, then an LSTM whose last hidden state (h[-1]) feeds a Linear; integer input from torch.randint. */
function textScript(r: Rng, s: Spelling): Script {
  const [vocab, dim, hidden, length, n] = [r.pick([100, 1000]), r.pick([16, 32]), r.pick([16, 24]), r.int(3, 12), r.int(1, 8)];
  const wrong = r.chance(0.3);
  const body = [
    `class TextClassifier(${s.nn("Module")}):`,
    `    def __init__(self, vocab_size=${vocab}, embed_dim=${dim}, hidden=${hidden}):`,
    "        super().__init__()",
    `        self.embedding = ${s.nn("Embedding")}(vocab_size, embed_dim)`,
    `        self.lstm = ${s.nn("LSTM")}(${wrong ? "embed_dim + 1" : "embed_dim"}, hidden, batch_first=True)`,
    `        self.fc = ${s.nn("Linear")}(hidden, ${r.pick([2, 4])})`,
    "",
    "    def forward(self, x):",
    "        emb = self.embedding(x)",
    "        out, (h, c) = self.lstm(emb)",
    "        return self.fc(h[-1])",
    "",
    "",
    "model = TextClassifier()",
  ];
  const lines = [...s.header(), "", ...body, "", `x = torch.randint(0, ${vocab}, (${n}, ${length}))`, "y = model(x)", ""];
  return { source: lines.join("\n"), note: `Embedding + LSTM on torch.randint${wrong ? ", wrong input_size" : ""}; imports: ${s.imports}` };
}

/** A Transformer encoder over (N, T, D) with batch_first, averaged over time. */
function transformerScript(r: Rng, s: Spelling): Script {
  const [heads, perHead, length] = [r.pick([2, 4]), r.pick([4, 8]), r.int(2, 10)];
  const width = heads * perHead;
  const wrong = r.chance(0.3) ? r.pick(["heads", "width"] as const) : undefined;
  const body = [
    `class Encoder(${s.nn("Module")}):`,
    "    def __init__(self):",
    "        super().__init__()",
    `        layer = ${s.nn("TransformerEncoderLayer")}(d_model=${width}, nhead=${wrong === "heads" ? heads + 1 : heads}, dim_feedforward=${2 * width}, batch_first=True)`,
    `        self.encoder = ${s.nn("TransformerEncoder")}(layer, num_layers=${r.int(1, 2)})`,
    `        self.fc = ${s.nn("Linear")}(${width}, ${r.pick([2, 3])})`,
    "",
    "    def forward(self, x):",
    "        x = self.encoder(x)",
    "        x = x.mean(dim=1)",
    "        return self.fc(x)",
    "",
    "",
    "model = Encoder()",
  ];
  return finish(s, [], body, [r.int(1, 4), length, wrong === "width" ? width + 2 : width], `TransformerEncoder${wrong ? `, wrong ${wrong === "heads" ? "nhead" : "d_model"}` : ""}`);
}

/** An MLP whose layers are an nn.ModuleList made by a comprehension, run by a loop in forward. */
function moduleListScript(r: Rng, s: Spelling): Script {
  const sizes = [r.pick([8, 20]), ...Array.from({ length: r.int(1, 3) }, () => r.pick([16, 32])), r.pick([2, 10])];
  const wrong = r.chance(0.3);
  const body = [
    `class MLP(${s.nn("Module")}):`,
    "    def __init__(self, sizes):",
    "        super().__init__()",
    `        self.layers = ${s.nn("ModuleList")}([${s.nn("Linear")}(a, b) for a, b in zip(sizes[:-1], sizes[1:])])`,
    "",
    "    def forward(self, x):",
    "        for layer in self.layers[:-1]:",
    "            x = F.relu(layer(x))",
    "        return self.layers[-1](x)",
    "",
    "",
    `model = MLP([${sizes.join(", ")}])`,
  ];
  return finish(s, [], body, [r.int(1, 8), wrong ? sizes[0] + 1 : sizes[0]], `ModuleList MLP${wrong ? ", wrong input width" : ""}`);
}

/** VGG's `make_layers`: a config list (`"M"` a max pool) walked by a loop that appends to a list, then `nn.Sequential(*layers)`. */
function vggScript(r: Rng, s: Spelling): Script {
  const size = r.pick([16, 32]);
  const cfg: (number | "M")[] = [];
  let [h, c] = [size, 3];
  for (let i = r.int(2, 5); i > 0; i--) {
    if (cfg.length && cfg[cfg.length - 1] !== "M" && h >= 2 && r.chance(0.5)) {
      cfg.push("M");
      h = Math.floor(h / 2);
    } else cfg.push((c = r.pick([8, 16, 32])));
  }
  const wrong = r.chance(0.3);
  const flat = c * h * h;
  const batchNorm = r.chance(0.5);
  const body = [
    "def make_layers(cfg, batch_norm=False):",
    "    layers = []",
    "    in_channels = 3",
    "    for v in cfg:",
    '        if v == "M":',
    `            layers += [${s.nn("MaxPool2d")}(kernel_size=2, stride=2)]`,
    "        else:",
    `            conv2d = ${s.nn("Conv2d")}(in_channels, v, kernel_size=3, padding=1)`,
    "            if batch_norm:",
    `                layers += [conv2d, ${s.nn("BatchNorm2d")}(v), ${s.nn("ReLU")}(inplace=True)]`,
    "            else:",
    `                layers += [conv2d, ${s.nn("ReLU")}(inplace=True)]`,
    "            in_channels = v",
    `    return ${s.nn("Sequential")}(*layers)`,
    "",
    "",
    `class VGG(${s.nn("Module")}):`,
    "    def __init__(self, features, num_classes=10):",
    "        super().__init__()",
    "        self.features = features",
    `        self.classifier = ${s.nn("Linear")}(${wrong ? `${c} * ${h + 1} * ${h + 1}` : `${c} * ${h} * ${h}`}, num_classes)`,
    "",
    "    def forward(self, x):",
    "        x = self.features(x)",
    "        x = torch.flatten(x, 1)",
    "        return self.classifier(x)",
    "",
    "",
    `cfg = [${cfg.map((v) => (v === "M" ? '"M"' : v)).join(", ")}]`,
    `model = VGG(make_layers(cfg${batchNorm ? ", batch_norm=True" : ""}), num_classes=${r.pick([2, 10])})`,
  ];
  return finish(s, [], body, [r.int(2, 4), 3, size, size], `VGG make_layers (flat ${flat}${batchNorm ? ", batch norm" : ""})${wrong ? ", wrong in_features" : ""}`);
}

/** Inception's style: parallel branches on one input, joined by torch.cat on the channels. */
function branchesScript(r: Rng, s: Spelling): Script {
  const [c, a, b] = [r.pick([3, 8]), r.pick([4, 8]), r.pick([4, 6])];
  const wrong = r.chance(0.3) ? r.pick(["pad", "fc"] as const) : undefined;
  const size = r.pick([8, 16]);
  const join = r.pick(["torch.cat([left, right], dim=1)", "torch.cat((left, right), 1)"]);
  const body = [
    `class Branches(${s.nn("Module")}):`,
    "    def __init__(self):",
    "        super().__init__()",
    `        self.left = ${s.nn("Conv2d")}(${c}, ${a}, kernel_size=1)`,
    `        self.right = ${s.nn("Conv2d")}(${c}, ${b}, kernel_size=3, padding=${wrong === "pad" ? 0 : 1})`,
    `        self.pool = ${s.nn("AdaptiveAvgPool2d")}(1)`,
    `        self.fc = ${s.nn("Linear")}(${wrong === "fc" ? a : a + b}, ${r.pick([2, 10])})`,
    "",
    "    def forward(self, x):",
    "        left = F.relu(self.left(x))",
    "        right = F.relu(self.right(x))",
    `        x = ${join}`,
    "        x = self.pool(x).flatten(1)",
    "        return self.fc(x)",
    "",
    "",
    "model = Branches()",
  ];
  return finish(s, [], body, [r.int(1, 4), c, size, size], `branches joined by torch.cat${wrong ? `, wrong ${wrong === "pad" ? "branch size" : "in_features"}` : ""}`);
}

/** A text CNN: Embedding, permute to channels first, Conv1d, max over time. */
function textCnnScript(r: Rng, s: Spelling): Script {
  const [vocab, dim, filters, length, n] = [r.pick([50, 500]), r.pick([8, 16]), r.pick([4, 8]), r.int(6, 20), r.int(1, 8)];
  const wrong = r.chance(0.3);
  const over = r.pick(["x.max(dim=2)[0]", "torch.max(x, dim=2).values", "F.adaptive_max_pool1d(x, 1).squeeze(-1)", "x.mean(-1)"]);
  const body = [
    `class TextCNN(${s.nn("Module")}):`,
    "    def __init__(self):",
    "        super().__init__()",
    `        self.embedding = ${s.nn("Embedding")}(${vocab}, ${dim})`,
    `        self.conv = ${s.nn("Conv1d")}(${wrong ? dim + 1 : dim}, ${filters}, kernel_size=${r.pick([2, 3, 5])})`,
    `        self.fc = ${s.nn("Linear")}(${filters}, ${r.pick([2, 3])})`,
    "",
    "    def forward(self, x):",
    "        x = self.embedding(x)",
    `        x = ${r.pick(["x.permute(0, 2, 1)", "x.transpose(1, 2)"])}`,
    "        x = F.relu(self.conv(x))",
    `        x = ${over}`,
    "        return self.fc(x)",
    "",
    "",
    "model = TextCNN()",
  ];
  const lines = [...s.header(), "", ...body, "", `x = torch.randint(0, ${vocab}, (${n}, ${length}))`, "y = model(x)", ""];
  return { source: lines.join("\n"), note: `text CNN (${over})${wrong ? ", wrong in_channels" : ""}; imports: ${s.imports}` };
}

/** A convolutional autoencoder: strided convolutions down, ConvTranspose2d or Upsample back up. */
function autoencoderScript(r: Rng, s: Spelling): Script {
  const [c, mid, size] = [r.pick([1, 3]), r.pick([4, 8]), r.pick([8, 16, 28])];
  const up = r.pick(["transpose", "upsample"] as const);
  const wrong = r.chance(0.3);
  const decoder =
    up === "transpose"
      ? [`${s.nn("ConvTranspose2d")}(${wrong ? mid + 1 : mid}, ${c}, kernel_size=${r.pick(["2, stride=2", "4, stride=2, padding=1"])}),`]
      : [`${s.nn("Upsample")}(scale_factor=2, mode=${r.pick(['"nearest"', '"bilinear"'])}),`, `${s.nn("Conv2d")}(${wrong ? mid + 1 : mid}, ${c}, 3, padding=1),`];
  const body = [
    `class AutoEncoder(${s.nn("Module")}):`,
    "    def __init__(self):",
    "        super().__init__()",
    `        self.encoder = ${s.nn("Sequential")}(`,
    `            ${s.nn("Conv2d")}(${c}, ${mid}, 3, stride=2, padding=1),`,
    `            ${s.nn("ReLU")}(),`,
    "        )",
    `        self.decoder = ${s.nn("Sequential")}(`,
    ...decoder.map((l) => `            ${l}`),
    `            ${s.nn("Sigmoid")}(),`,
    "        )",
    "",
    "    def forward(self, x):",
    "        return self.decoder(self.encoder(x))",
    "",
    "",
    "model = AutoEncoder()",
  ];
  return finish(s, [], body, [r.int(1, 4), c, size, size], `autoencoder (${up})${wrong ? ", wrong in_channels" : ""}`);
}

export function script(r: Rng): Script {
  const s = new Spelling(r.pick(["nn", "nn", "from", "names", "torch"] as const));
  const kind = r.pick(["sequential", "sequential", "subclass", "subclass", "features", "mlp", "recurrent", "residual", "conv1d", "text", "transformer", "modulelist", "vgg", "branches", "textcnn", "autoencoder"] as const);
  if (kind === "vgg") return vggScript(r, s);
  if (kind === "branches") return branchesScript(r, s);
  if (kind === "textcnn") return textCnnScript(r, s);
  if (kind === "autoencoder") return autoencoderScript(r, s);
  if (kind === "mlp") return mlpScript(r, s);
  if (kind === "recurrent") return recurrentScript(r, s);
  if (kind === "residual") return residualScript(r, s);
  if (kind === "conv1d") return sequenceConvScript(r, s);
  if (kind === "text") return textScript(r, s);
  if (kind === "transformer") return transformerScript(r, s);
  if (kind === "modulelist") return moduleListScript(r, s);
  const m = imageModel(r, s);
  if (kind === "features") return featuresScript(r, s, m);
  return kind === "sequential" ? sequentialScript(r, s, m) : subclassScript(r, s, m);
}
