/**
 * Layers a backbone builds without a name get one from Keras 3's session-wide count per class
 * (`keras.src.utils.naming`): `conv2d`, then `conv2d_1`… over everything made earlier. Such a name is
 * neither found nor refused: the tap is unknown, with the reason; Keras's own names and real typos keep
 * their answers.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { TextDocument } from "vscode-languageserver-textdocument";
import { LensDocument } from "../../server/src/lsp/document";
import { snakeCase } from "../../server/src/engine/applications";

test("class prefixes as Keras 3 makes them: the default names of its layers", () => {
  // The names `model.summary()` prints for layers built without one, first of their class in a session.
  const expected: Record<string, string> = {
    Conv2D: "conv2d",
    BatchNormalization: "batch_normalization",
    ReLU: "re_lu",
    ZeroPadding2D: "zero_padding2d",
    DepthwiseConv2D: "depthwise_conv2d",
    GlobalAveragePooling2D: "global_average_pooling2d",
    Activation: "activation",
  };
  for (const [kind, prefix] of Object.entries(expected)) assert.equal(snakeCase(kind), prefix, kind);
});

function analysed(tap: string) {
  const text = [
    "import keras",
    "base = keras.applications.InceptionV3(include_top=False, input_shape=(299, 299, 3))",
    `feature = base.get_layer("${tap}").output`,
    "model = keras.Model(base.input, feature)",
    "",
  ].join("\n");
  return new LensDocument(TextDocument.create("file:///taps.py", "python", 1, text)).analyze();
}

test("InceptionV3's conv2d_93 is unknown, with the reason, not an error", () => {
  const analysis = analysed("conv2d_93");
  assert.deepEqual(analysis.diagnostics.filter((d) => d.severity === "error").map((d) => d.code), []);
  const model = analysis.models.find((m) => m.model.kind === "functional" && !m.model.library)!;
  assert.equal(model.totals.total, undefined);
  const reasons = analysis.diagnostics.map((d) => d.message).join("\n");
  assert.match(reasons, /InceptionV3's Conv2D layers that Keras names by counting every Conv2D made earlier in the Python session/);
});

test("Keras's own names still tap, and a name no layer could have is still refused", () => {
  // mixed7: 299 → 149 → 147 → 73 → 71 → 35 → 17, at 768 channels.
  const mixed7 = analysed("mixed7");
  assert.deepEqual(mixed7.diagnostics.filter((d) => d.severity === "error"), []);
  assert.deepEqual(mixed7.models.find((m) => m.model.kind === "functional" && !m.model.library)?.layers.at(-1)?.output, ["None", 17, 17, 768]);
  assert.deepEqual(analysed("mixed77").diagnostics.filter((d) => d.severity === "error").map((d) => d.code), ["LL143"]);
  assert.deepEqual(analysed("dense_3").diagnostics.filter((d) => d.severity === "error").map((d) => d.code), ["LL143"], "InceptionV3 has no Dense without its top");
});
