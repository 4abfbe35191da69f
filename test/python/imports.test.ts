/**
 * Imports of the project's own modules (issue 20), through the real resolver on files written to a temporary
 * folder. The oracle is the front end itself on one file: what a module defines is followed "as if it were
 * written where it is used", so each script's lines must show exactly what the same script shows with the
 * module's code pasted above it (the single-file front end is checked against Keras and PyTorch elsewhere).
 * A few numbers are also worked out by hand beside the case.
 */
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { analyzeText } from "../../server/src/analysis";
import { ProgramAnalysis } from "../../server/src/engine/analyze";
import { documentHints } from "../../server/src/engine/report";
import { IncrementalProgram } from "../../server/src/python/incremental";
import { parsePython } from "../../server/src/python/parser";
import { ProjectFiles } from "../../server/src/project/files";

const folders: string[] = [];
after(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

/** Writes files (path → text) under a fresh folder; returns it. */
function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "layer-lens-imports-"));
  folders.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

function analyse(root: string, main: string, roots = [root]): { analysis: ProgramAnalysis; text: string } {
  const path = join(root, main);
  const text = readText(root, main);
  return { analysis: analyzeText(text, { project: { modules: new ProjectFiles(roots), path } }), text };
}

function readText(root: string, main: string): string {
  return readFileSync(join(root, main), "utf8");
}

/** Hint labels by line (1-based), several on a line joined by " | ". */
function labels(analysis: ProgramAnalysis, text: string): Map<number, string> {
  const lineOf = (offset: number) => text.slice(0, offset).split("\n").length;
  const byLine = new Map<number, string>();
  const hints = documentHints(analysis, { shapes: true, parameters: true, batchDimension: true, totals: true }).sort((a, b) => a.offset - b.offset);
  for (const hint of hints) {
    const line = lineOf(hint.offset);
    byLine.set(line, byLine.has(line) ? `${byLine.get(line)} | ${hint.candidates[0]}` : hint.candidates[0]);
  }
  return byLine;
}

/** The labels of a script's lines after its first `skip` lines, renumbered from 1. */
function bodyLabels(analysis: ProgramAnalysis, text: string, skip: number): Map<number, string> {
  return new Map([...labels(analysis, text)].flatMap(([line, label]) => (line > skip ? [[line - skip, label] as [number, string]] : [])));
}

const lines = (...l: string[]) => l.join("\n") + "\n";

/**
 * The script `body` after `imports` in a project, against `inline` (the modules' code it uses) pasted above the
 * same body in one file: the body's lines show the same, and `alsoHere` besides (what one file shows inside the
 * helper that made it, the script shows where it called the helper).
 */
function asIfInline(files: Record<string, string>, main: string, imports: string, body: string, inline: string, alsoHere: [number, string][] = []): Map<number, string> {
  const root = project({ ...files, [main]: imports + body });
  const { analysis, text } = analyse(root, main);
  const single = inline + body;
  const alone = analyzeText(single);
  const expected = new Map([...bodyLabels(alone, single, inline.split("\n").length - 1), ...alsoHere].sort(([a], [b]) => a - b));
  const actual = bodyLabels(analysis, text, imports.split("\n").length - 1);
  assert.ok(expected.size > 0, "the one-file version shows something");
  assert.deepEqual(actual, expected);
  return actual;
}

const KERAS_BLOCKS = lines(
  "from keras import layers",
  "",
  "def conv_block(x, filters, stride=1):",
  '    x = layers.Conv2D(filters, 3, strides=stride, padding="same")(x)',
  "    x = layers.BatchNormalization()(x)",
  "    return layers.ReLU()(x)",
  "",
  "class Head(layers.Layer):",
  "    def __init__(self, classes):",
  "        super().__init__()",
  "        self.pool = layers.GlobalAveragePooling2D()",
  "        self.dense = layers.Dense(classes)",
  "",
  "    def call(self, x):",
  "        return self.dense(self.pool(x))",
);
const CONFIG = lines("IMG_SIZE = 28", "WIDTHS = [16, 32]", "NUM_CLASSES = 10");
const KERAS_BODY = lines(
  "inputs = keras.Input((IMG_SIZE, IMG_SIZE, 1))",
  "x = inputs",
  "for width in WIDTHS:",
  "    x = conv_block(x, width, stride=2)",
  "outputs = Head(NUM_CLASSES)(x)",
  "model = keras.Model(inputs, outputs)",
);
const INLINE_KERAS = "import keras\n" + KERAS_BLOCKS + CONFIG;

describe("import forms follow the module's code as if it were written in the script", () => {
  test("from a package's module, and constants from a module at the root", () => {
    const shown = asIfInline(
      { "models/__init__.py": "", "models/blocks.py": KERAS_BLOCKS, "config.py": CONFIG },
      "train.py",
      lines("import keras", "from models.blocks import conv_block, Head", "from config import IMG_SIZE, WIDTHS, NUM_CLASSES"),
      KERAS_BODY,
      INLINE_KERAS,
    );
    // By hand: 3·3·1·16 + 16 = 160 and 4·16 = 64 (BatchNormalization) on the first run; 3·3·16·32 + 32 = 4,640 and 128 on the second.
    assert.equal(shown.get(4), "×2 (None, 14→7, 14→7, 16→32) · 4,992 params");
  });

  test("`import pkg.mod` read through the package, `pkg.mod.f`", () => {
    const body = lines("inputs = keras.Input((28, 28, 1))", "x = models.blocks.conv_block(inputs, 16)", "model = keras.Model(inputs, x)");
    const root = project({ "models/__init__.py": "", "models/blocks.py": KERAS_BLOCKS, "train.py": "import keras\nimport models.blocks\n" + body });
    const shown = labels(analyse(root, "train.py").analysis, readText(root, "train.py"));
    assert.equal(shown.get(4), "(None, 28, 28, 16) · 224 params"); // 160 + 64, 'same' keeps 28
  });

  test("a relative import in a package, and a package's `__init__` re-exporting its modules' names", () => {
    const files = {
      "models/__init__.py": "from .blocks import conv_block, Head\n",
      "models/blocks.py": KERAS_BLOCKS.replace("from keras import layers", "from keras import layers\nfrom .settings import KERNEL"),
      "models/settings.py": "KERNEL = 3\n",
      "config.py": CONFIG,
    };
    asIfInline(files, "train.py", lines("import keras", "from models import conv_block, Head", "from config import *"), KERAS_BODY, INLINE_KERAS);
    // The script in the package itself, importing its sibling relatively.
    asIfInline(files, "models/train.py", lines("import keras", "from .blocks import conv_block, Head", "from config import IMG_SIZE, WIDTHS, NUM_CLASSES"), KERAS_BODY, INLINE_KERAS);
  });

  // Each form against the same body and the same code pasted above it.
  const forms: { name: string; files: Record<string, string>; main: string; imports: string[] }[] = [
    {
      name: "`import config` read as `config.NAME`, and `import pkg.mod as m` called as `m.f(...)`",
      files: { "models/__init__.py": "", "models/blocks.py": KERAS_BLOCKS, "config.py": CONFIG },
      main: "train.py",
      imports: ["import keras", "import config", "import models.blocks as mb", "IMG_SIZE, WIDTHS, NUM_CLASSES = config.IMG_SIZE, config.WIDTHS, config.NUM_CLASSES", "conv_block, Head = mb.conv_block, mb.Head"],
    },
    {
      name: "`from . import blocks` in a package, and a namespace package (no `__init__.py`) read as `ns.mod.NAME`",
      files: { "models/__init__.py": "", "models/blocks.py": KERAS_BLOCKS, "settings/values.py": CONFIG },
      main: "models/train.py",
      imports: ["import keras", "from . import blocks", "import settings.values", "conv_block, Head = blocks.conv_block, blocks.Head", "IMG_SIZE, WIDTHS, NUM_CLASSES = settings.values.IMG_SIZE, settings.values.WIDTHS, settings.values.NUM_CLASSES"],
    },
  ];
  for (const form of forms) test(form.name, () => void asIfInline(form.files, form.main, lines(...form.imports), KERAS_BODY, INLINE_KERAS));

  test("`from pkg import *` binds what `__all__` lists, else the names not starting with `_`", () => {
    const body = lines("a = SHOWN", "b = _HIDDEN", "inputs = keras.Input((4,))", "y = layers.Dense(a)(inputs)", "model = keras.Model(inputs, y)");
    const listed = project({ "consts.py": lines("__all__ = ['SHOWN']", "SHOWN = 3", "OTHER = 5", "from keras import layers"), "main.py": "import keras\nfrom keras import layers\nfrom consts import *\n" + body });
    assert.equal(labels(analyse(listed, "main.py").analysis, readText(listed, "main.py")).get(7), "(None, 3) · 15 params"); // 4·3 + 3
    const plain = project({ "consts.py": lines("SHOWN = 6", "_HIDDEN = 2"), "main.py": "import keras\nfrom keras import layers\nfrom consts import *\n" + body.replace("Dense(a)", "Dense(b)") });
    // `_HIDDEN` is not imported: the layer's units are unknown rather than 2.
    assert.match(labels(analyse(plain, "main.py").analysis, readText(plain, "main.py")).get(7) ?? "", /\?/);
  });

  test("a library name the module imported is read through it (`from models.blocks import layers`)", () => {
    const root = project({ "models/__init__.py": "", "models/blocks.py": KERAS_BLOCKS, "main.py": lines("import keras", "from models.blocks import layers", "inputs = keras.Input((8,))", "model = keras.Model(inputs, layers.Dense(4)(inputs))") });
    assert.equal(labels(analyse(root, "main.py").analysis, readText(root, "main.py")).get(4), "(None, 4) · 36 params | Total params: 36 (144.00 B)");
  });

  test("PyTorch: a module class, a helper returning a Sequential, and module constants", () => {
    const layersModule = lines(
      "import torch.nn as nn",
      "from .common import WIDTH",
      "",
      "def conv_bn(cin, cout, stride=1):",
      "    return nn.Sequential(nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))",
      "",
      "class Net(nn.Module):",
      "    def __init__(self, classes=10):",
      "        super().__init__()",
      "        self.stem = conv_bn(3, WIDTH, 2)",
      "        self.pool = nn.AdaptiveAvgPool2d(1)",
      "        self.fc = nn.Linear(WIDTH, classes)",
      "",
      "    def forward(self, x):",
      "        return self.fc(self.pool(self.stem(x)).flatten(1))",
    );
    const inline = "import torch\nimport torch.nn as nn\nWIDTH = 16\n" + layersModule.split("\n").slice(2).join("\n");
    asIfInline(
      { "nets/__init__.py": "", "nets/common.py": "WIDTH = 16\n", "nets/layers.py": layersModule },
      "main.py",
      lines("import torch", "from nets.layers import Net, conv_bn"),
      lines("model = Net(classes=5)", "y = model(torch.randn(4, 3, 32, 32))", "stem = conv_bn(3, 8)", "z = stem(torch.randn(2, 3, 8, 8))"),
      inline,
      // The Sequential the helper returns is a model: its total is on the helper's line in one file, here on the call.
      // By hand: 8·3·3·3 = 216 (no bias) + 2·8 = 16 (BatchNorm2d's weight and bias).
      [[3, "Total params: 232 (928.00 B)"]],
    );
  });
});

describe("what a module does as it is imported stays its own", () => {
  test("its `if __name__ == '__main__':` block does not run, and a model it builds at its top level is not the script's", () => {
    const root = project({
      "blocks.py": lines("import keras", "from keras import layers", "demo = keras.Sequential([keras.Input((3,)), layers.Dense(2)])", "def head(x):", "    return layers.Dense(5)(x)", 'if __name__ == "__main__":', "    big = keras.Sequential([keras.Input((9,)), layers.Dense(9)])"),
      "main.py": lines("import keras", "from blocks import head", "inputs = keras.Input((4,))", "model = keras.Model(inputs, head(inputs))"),
    });
    const { analysis, text } = analyse(root, "main.py");
    assert.deepEqual(
      analysis.models.map((m) => m.model.name),
      ["model"],
    );
    assert.equal(labels(analysis, text).get(4), "(None, 5) · 25 params | Total params: 25 (100.00 B)"); // 4·5 + 5
  });

  test("a model a module builds as it is imported is the script's once the script reads it", () => {
    const root = project({
      "zoo.py": lines("import keras", "from keras import layers", "demo = keras.Sequential([keras.Input((3,)), layers.Dense(2)])", "other = keras.Sequential([keras.Input((5,)), layers.Dense(5)])"),
      "main.py": lines("import zoo", "from zoo import demo", "demo.summary()"),
    });
    const { analysis, text } = analyse(root, "main.py");
    assert.deepEqual(analysis.models.map((m) => [m.model.name, m.totals.total]), [["demo", 8n]]); // 3·2 + 2; `other` stays the module's
    assert.equal(labels(analysis, text).get(3), "Total params: 8 (32.00 B)");
  });

  test("a class's `# input:` annotation is read with its module's constants", () => {
    const root = project({
      "nets.py": lines("import torch.nn as nn", "SIZE = 6", "", "# input: (2, SIZE)", "class Tiny(nn.Module):", "    def __init__(self):", "        super().__init__()", "        self.fc = nn.Linear(SIZE, 3)", "    def forward(self, x):", "        return self.fc(x)"),
      "main.py": lines("import torch", "from nets import Tiny", "SIZE = 100", "model = Tiny()"),
    });
    const { analysis } = analyse(root, "main.py");
    const rows = analysis.models[0].layers;
    assert.deepEqual(rows.map((l) => l.output), [[2, 3]]);
    assert.equal(analysis.models[0].totals.total, 21n); // 6·3 + 3
  });
});

describe("failures are said, never guessed, and never hang", () => {
  test("a name the module does not define, and a module the project lacks", () => {
    const root = project({ "config.py": "SIZE = 4\n", "main.py": lines("import keras", "from keras import layers", "from config import NOPE", "from nothere import helper", "inputs = keras.Input((NOPE,))", "y = helper(inputs)", "model = keras.Model(inputs, y)") });
    const { analysis, text } = analyse(root, "main.py");
    const shown = labels(analysis, text);
    assert.equal(shown.get(5), "(None, ?)");
    assert.ok(analysis.diagnostics.some((d) => d.message.includes("config.py does not define 'NOPE'")), "the reason is said");
  });

  test("circular imports end, and what was bound before the cycle is read", () => {
    const root = project({
      "a.py": lines("UNITS = 7", "from b import double", "TWICE = double(UNITS)"),
      "b.py": lines("from a import UNITS", "def double(n):", "    return 2 * n", "LATE = UNITS"),
      "main.py": lines("import keras", "from keras import layers", "from a import TWICE", "inputs = keras.Input((2,))", "model = keras.Model(inputs, layers.Dense(TWICE)(inputs))"),
    });
    const { analysis, text } = analyse(root, "main.py");
    assert.equal(labels(analysis, text).get(5), "(None, 14) · 42 params | Total params: 42 (168.00 B)"); // 2·14 + 14
  });

  test("a module with a syntax error still gives the definitions Lezer recovers; one too large says so", () => {
    const root = project({
      "broken.py": lines("UNITS = 3", "def oops(:", "    pass"),
      "huge.py": "UNITS = 3\n" + "# filler\n".repeat(120_000),
      "main.py": lines("import keras", "from keras import layers", "from broken import UNITS", "from huge import UNITS as BIG", "inputs = keras.Input((2,))", "a = layers.Dense(UNITS)(inputs)", "b = layers.Dense(BIG)(inputs)"),
    });
    const { analysis, text } = analyse(root, "main.py");
    const shown = labels(analysis, text);
    assert.equal(shown.get(6), "(None, 3) · 9 params");
    assert.equal(shown.get(7), "(None, ?) · ? params");
    assert.ok(analysis.diagnostics.some((d) => d.message.includes("huge.py is too large to follow")), "the reason is said");
  });

  test("nothing outside the roots is found: not a parent folder, not a link out of the project, not installed packages", () => {
    const outside = project({ "secret.py": "UNITS = 99\n" });
    const root = project({
      "venv/lib/python3.11/site-packages/pkgmod.py": "UNITS = 98\n",
      "main.py": lines("import keras", "from keras import layers", "from secret import UNITS", "from linked import UNITS as LINKED", "inputs = keras.Input((2,))", "a = layers.Dense(UNITS)(inputs)", "b = layers.Dense(LINKED)(inputs)"),
    });
    symlinkSync(join(outside, "secret.py"), join(root, "linked.py"));
    // Even with the venv's packages folder as a root, an installed package is not the project's.
    const { analysis, text } = analyse(root, "main.py", [root, join(root, "venv/lib/python3.11/site-packages")]);
    const shown = labels(analysis, text);
    assert.equal(shown.get(6), "(None, ?) · ? params");
    assert.equal(shown.get(7), "(None, ?) · ? params");
    const installed = project({ "main.py": lines("import keras", "from keras import layers", "from pkgmod import UNITS", "inputs = keras.Input((2,))", "a = layers.Dense(UNITS)(inputs)") });
    mkdirSync(join(installed, "site-packages"));
    writeFileSync(join(installed, "site-packages", "pkgmod.py"), "UNITS = 97\n");
    assert.equal(labels(analyse(installed, "main.py", [installed, join(installed, "site-packages")]).analysis, readText(installed, "main.py")).get(5), "(None, ?) · ? params");
  });
});

describe("an importing file is analysed again when a module it read changes, and only then", () => {
  test("after edits all over a script of the example project, it shows what the same text analysed afresh shows", () => {
    const root = join(__dirname, "..", "..", "examples", "cifar_project");
    const path = join(root, "train.py");
    const modules = new ProjectFiles([root]);
    const program = new IncrementalProgram("auto", { modules, path });
    let text = readFileSync(path, "utf8");
    program.analyze(parsePython(text), text);
    // Widths, a helper's argument, the classifier's classes and a name the imports bind, each changed in turn.
    const edits: [string, string][] = [["WIDTHS", "WIDTHS[:1]"], ["conv_block(x, width)", "conv_block(x, width, pool=False)"], ["classifier(x)", "classifier(x, 7)"], ["ResidualBlock(config", "conv_block(x, 8) and ResidualBlock(config"]];
    for (const [find, replacement] of edits) {
      const at = text.indexOf(find);
      text = text.slice(0, at) + replacement + text.slice(at + find.length);
      program.edited([{ from: at, to: at + find.length, insertedLength: replacement.length }]);
      const incremental = labels(program.analyze(parsePython(text), text), text);
      const fresh = labels(analyzeText(text, { project: { modules: new ProjectFiles([root]), path } }), text);
      assert.deepEqual(incremental, fresh, `after ${find} → ${replacement}`);
      assert.ok([...fresh.values()].some((label) => label.includes("params")), "the script still shows what its modules build");
    }
  });

  test("a change on disk (or in an open document) is seen; an unrelated edit keeps the parts", () => {
    const root = project({ "config.py": "UNITS = 3\n", "other.py": "X = 1\n" });
    const text = lines("import keras", "from keras import layers", "from config import UNITS", "inputs = keras.Input((2,))", "y = layers.Dense(UNITS)(inputs)");
    let open: { text: string; version: number } | undefined;
    const modules = new ProjectFiles([root], (path) => (path === join(root, "config.py") ? open : undefined));
    const program = new IncrementalProgram("auto", { modules, path: join(root, "main.py") });
    const tree = parsePython(text);
    const dense = () => labels(program.analyze(tree, text), text).get(5);
    assert.equal(dense(), "(None, 3) · 9 params");
    assert.equal(program.importsChanged(), false);
    dense();
    assert.equal(program.lastRun.ran, 0, "nothing changed: every part kept");
    writeFileSync(join(root, "other.py"), "X = 2\n");
    modules.changed(join(root, "other.py"), "changed");
    assert.equal(program.importsChanged(), false, "a module it never read");
    writeFileSync(join(root, "config.py"), "UNITS = 50\n");
    modules.changed(join(root, "config.py"), "changed");
    assert.equal(program.importsChanged(), true);
    assert.equal(dense(), "(None, 50) · 150 params");
    open = { text: "UNITS = 8\n", version: 1 };
    assert.equal(program.importsChanged(), true, "the open document's text is the module's");
    assert.equal(dense(), "(None, 8) · 24 params");
  });

  test("only the parts of the script that read the changed module are analysed again", () => {
    const root = project({ "config.py": "UNITS = 3\n" });
    const text = lines("import keras", "from keras import layers", "from config import UNITS", "a_in = keras.Input((2,))", "a = keras.Model(a_in, layers.Dense(UNITS)(a_in))", "b_in = keras.Input((3,))", "b = keras.Model(b_in, layers.Dense(4)(b_in))");
    const modules = new ProjectFiles([root]);
    const program = new IncrementalProgram("auto", { modules, path: join(root, "main.py") });
    const tree = parsePython(text);
    program.analyze(tree, text);
    assert.ok(program.lastRun.parts >= 3, `${program.lastRun.parts} parts`);
    writeFileSync(join(root, "config.py"), "UNITS = 5\n");
    modules.changed(join(root, "config.py"), "changed");
    assert.equal(labels(program.analyze(tree, text), text).get(5), "(None, 5) · 15 params | Total params: 15 (60.00 B)"); // 2·5 + 5
    assert.equal(program.lastRun.ran, 1, "model b's part is kept");
  });

  test("a module added where an import looked for it is found once the project is told", () => {
    const root = project({});
    const text = lines("import keras", "from keras import layers", "from config import UNITS", "inputs = keras.Input((2,))", "y = layers.Dense(UNITS)(inputs)");
    const modules = new ProjectFiles([root]);
    const program = new IncrementalProgram("auto", { modules, path: join(root, "main.py") });
    const tree = parsePython(text);
    assert.equal(labels(program.analyze(tree, text), text).get(5), "(None, ?) · ? params");
    writeFileSync(join(root, "config.py"), "UNITS = 5\n");
    modules.changed(join(root, "config.py"), "created");
    assert.equal(program.importsChanged(), true);
    assert.equal(labels(program.analyze(tree, text), text).get(5), "(None, 5) · 15 params");
  });
});
