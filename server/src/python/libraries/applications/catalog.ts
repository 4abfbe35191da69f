/**
 * The `keras.applications` models: for each, the modules Keras exports it from, its input rules, and how its
 * family's description (Keras-style Python, one text per family) builds it.
 */
import { InputRules } from "../../../engine/applications";
import { PyValue, isSequence, items, numeric, pyRepr } from "../../../engine/values";
import { RESNET } from "./resnet";
import { MOBILENET, MOBILENET_V2 } from "./mobilenet";
import { VGG } from "./vgg";
import { EFFICIENTNET } from "./efficientnet";
import { DENSENET } from "./densenet";
import { XCEPTION } from "./xception";
import { INCEPTION_RESNET_V2, INCEPTION_V3 } from "./inception";
import { MOBILENET_V3 } from "./mobilenet_v3";
import { CONVNEXT } from "./convnext";
import { EFFICIENTNET_V2 } from "./efficientnet_v2";
import { NASNET } from "./nasnet";

/** One family's description: the text, and the function that builds a model of it. */
export interface Family {
  readonly name: string;
  readonly source: string;
  readonly builder: string;
}

/** A keyword the architecture takes besides the common ones, with Keras's default. */
export interface ExtraParam {
  readonly name: string;
  readonly default: string | number | boolean | null;
}

export interface Architecture {
  readonly name: string;
  /** Modules under `keras.applications` that export it (besides `keras.applications` itself). */
  readonly modules: readonly string[];
  readonly rules: InputRules;
  readonly family: Family;
  /** The builder's own arguments for this architecture (its stage table), as Python source. */
  readonly fixed?: string;
  readonly extras?: readonly ExtraParam[];
  /** The model's name when it depends on the arguments (MobileNetV2's `mobilenetv2_1.00_224`). */
  readonly modelName?: (values: ReadonlyMap<string, PyValue>, shape: readonly (number | null)[]) => string;
  /** Keras's own checks of the architecture's arguments besides the common ones. */
  readonly check?: (values: ReadonlyMap<string, PyValue>) => { readonly detail: string; readonly argument: string } | undefined;
  /** Keras's positional order of its arguments, when it is not the common one (MobileNet's starts with input_shape). */
  readonly signature?: readonly string[];
}

const resnet: Family = { name: "ResNet", source: RESNET, builder: "resnet" };
const efficientnet: Family = { name: "EfficientNet", source: EFFICIENTNET, builder: "efficientnet" };
/** Each EfficientNet's width and depth coefficients, and its dropout before the classifier (the paper's scaling). */
const EFFICIENTNET_SCALING = [
  [1.0, 1.0, 0.2],
  [1.0, 1.1, 0.2],
  [1.1, 1.2, 0.3],
  [1.2, 1.4, 0.3],
  [1.4, 1.8, 0.4],
  [1.6, 2.2, 0.4],
  [1.8, 2.6, 0.5],
  [2.0, 3.1, 0.5],
];
const densenet: Family = { name: "DenseNet", source: DENSENET, builder: "densenet" };
const DENSENET_BLOCKS: Record<string, string> = { "121": "(6, 12, 24, 16)", "169": "(6, 12, 32, 32)", "201": "(6, 12, 48, 32)" };
const xception: Family = { name: "Xception", source: XCEPTION, builder: "xception" };
const inceptionV3: Family = { name: "InceptionV3", source: INCEPTION_V3, builder: "inception_v3" };
const mobilenetV3: Family = { name: "MobileNetV3", source: MOBILENET_V3, builder: "mobilenet_v3" };
/** MobileNetV3's own rules: no default size (any image of at least 32×32), ImageNet weights for two widths. */
const mobileNetV3 = (size: "Small" | "Large"): Architecture => ({
  name: `MobileNetV3${size}`,
  modules: ["mobilenet_v3"],
  rules: { defaultSize: 224, minSize: 32, open: true },
  family: mobilenetV3,
  fixed: `large=${size === "Large" ? "True" : "False"}, model_name="MobileNetV3${size}"`,
  extras: [
    { name: "alpha", default: 1.0 },
    { name: "minimalistic", default: false },
    { name: "dropout_rate", default: 0.2 },
    { name: "include_preprocessing", default: true },
  ],
  signature: ["input_shape", "alpha", "minimalistic", "include_top", "weights", "input_tensor", "classes", "pooling", "dropout_rate", "classifier_activation", "include_preprocessing"],
  check: (values) => {
    const alpha = numeric(values.get("alpha"));
    const minimalistic = values.get("minimalistic") === true;
    if (values.get("weights") !== "imagenet" || (minimalistic ? alpha === 1.0 : alpha === 0.75 || alpha === 1.0)) return undefined;
    return { detail: "If imagenet weights are being loaded, alpha can be one of `0.75`, `1.0` for non minimalistic or `1.0` for minimalistic only.", argument: "alpha" };
  },
});
const convnext: Family = { name: "ConvNeXt", source: CONVNEXT, builder: "convnext" };
/** Each ConvNeXt's blocks per stage and channels per stage (the paper's Table 9 / Keras's MODEL_CONFIGS). */
const CONVNEXT_SIZES: Record<string, [string, string]> = {
  Tiny: ["(3, 3, 9, 3)", "(96, 192, 384, 768)"],
  Small: ["(3, 3, 27, 3)", "(96, 192, 384, 768)"],
  Base: ["(3, 3, 27, 3)", "(128, 256, 512, 1024)"],
  Large: ["(3, 3, 27, 3)", "(192, 384, 768, 1536)"],
  XLarge: ["(3, 3, 27, 3)", "(256, 512, 1024, 2048)"],
};
const inceptionResNetV2: Family = { name: "InceptionResNetV2", source: INCEPTION_RESNET_V2, builder: "inception_resnet_v2" };
const efficientnetV2: Family = { name: "EfficientNetV2", source: EFFICIENTNET_V2, builder: "efficientnet_v2" };
/** (kernel, repeats, filters in, filters out, expansion, squeeze ratio, stride, fused) per stage: the paper's Table 4 and Keras's. */
const V2_B = `((3, 1, 32, 16, 1, 0, 1, True), (3, 2, 16, 32, 4, 0, 2, True), (3, 2, 32, 48, 4, 0, 2, True),
  (3, 3, 48, 96, 4, 0.25, 2, False), (3, 5, 96, 112, 6, 0.25, 1, False), (3, 8, 112, 192, 6, 0.25, 2, False))`;
const V2_S = `((3, 2, 24, 24, 1, 0, 1, True), (3, 4, 24, 48, 4, 0, 2, True), (3, 4, 48, 64, 4, 0, 2, True),
  (3, 6, 64, 128, 4, 0.25, 2, False), (3, 9, 128, 160, 6, 0.25, 1, False), (3, 15, 160, 256, 6, 0.25, 2, False))`;
const V2_M = `((3, 3, 24, 24, 1, 0, 1, True), (3, 5, 24, 48, 4, 0, 2, True), (3, 5, 48, 80, 4, 0, 2, True),
  (3, 7, 80, 160, 4, 0.25, 2, False), (3, 14, 160, 176, 6, 0.25, 1, False), (3, 18, 176, 304, 6, 0.25, 2, False), (3, 5, 304, 512, 6, 0.25, 1, False))`;
const V2_L = `((3, 4, 32, 32, 1, 0, 1, True), (3, 7, 32, 64, 4, 0, 2, True), (3, 7, 64, 96, 4, 0, 2, True),
  (3, 10, 96, 192, 4, 0.25, 2, False), (3, 19, 192, 224, 6, 0.25, 1, False), (3, 25, 224, 384, 6, 0.25, 2, False), (3, 7, 384, 640, 6, 0.25, 1, False))`;
/** Each EfficientNetV2's stages, width and depth coefficients, dropout before its classifier and default size. */
const V2_VARIANTS: Record<string, [string, number, number, number, number]> = {
  B0: [V2_B, 1.0, 1.0, 0.2, 224],
  B1: [V2_B, 1.0, 1.1, 0.2, 240],
  B2: [V2_B, 1.1, 1.2, 0.3, 260],
  B3: [V2_B, 1.2, 1.4, 0.3, 300],
  S: [V2_S, 1.0, 1.0, 0.2, 384],
  M: [V2_M, 1.0, 1.0, 0.2, 480],
  L: [V2_L, 1.0, 1.0, 0.4, 480],
};
const nasnet: Family = { name: "NASNet", source: NASNET, builder: "nasnet" };
/**
 * The weighted layers (convolutions, batch normalizations, separable convolutions) in the no-top ImageNet weights:
 * those of the model built on a sized input (Mobile's 388 are the ones keras-team/keras#18365 reports the file has).
 */
const NASNET_SAVED_LAYERS = { Mobile: 388, Large: 532 };
/** NASNetMobile and NASNetLarge: one builder, each with its cell counts and widths (Keras's NASNet-A 4 @ 1056 and 6 @ 4032). */
const nasNet = (size: "Mobile" | "Large", rules: InputRules, cells: string): Architecture => ({
  name: `NASNet${size}`,
  modules: ["nasnet"],
  rules,
  family: nasnet,
  // Keras 3.5+ names them so (before, both "NASNet").
  fixed: `${cells}, filter_multiplier=2, model_name="nasnet_${size.toLowerCase()}"`,
  signature: ["input_shape", "include_top", "weights", "input_tensor", "pooling", "classes", "classifier_activation"],
  check: (values) => {
    if (values.get("weights") !== "imagenet") return undefined;
    const shape = values.get("input_shape");
    // Keras checks a tuple only: a list with None goes on to imagenet_utils' rules.
    if (typeof shape === "object" && shape !== null && "tuple" in shape && shape.tuple.includes(null)) {
      const detail = `When specifying the input shape of a NASNet and loading \`ImageNet\` weights, the input_shape argument must be static (no None entries). Got: \`input_shape=${pyRepr(shape)}\`.`;
      return { detail, argument: "input_shape" };
    }
    // Without a top Keras builds on unknown columns too (NASNetLarge's default), where its cells sample nowhere
    // (nasnet.ts): three project with one convolution for the sampling's two, one passes the input on, six layers fewer.
    const unknownColumns = shape === null ? size === "Large" && values.get("input_tensor") === null : isSequence(shape) && items(shape)[1] === null;
    if (values.get("include_top") !== false || !unknownColumns) return undefined;
    const saved = NASNET_SAVED_LAYERS[size];
    const detail = `Layer count mismatch when loading weights from file. Model expected ${saved - 6} layers, found ${saved} saved layers.`;
    return { detail, argument: shape === null ? "include_top" : "input_shape" };
  },
});
const vgg: Family = { name: "VGG", source: VGG, builder: "vgg" };
const mobilenet: Family = { name: "MobileNet", source: MOBILENET, builder: "mobilenet" };
const mobilenetV2: Family = { name: "MobileNetV2", source: MOBILENET_V2, builder: "mobilenet_v2" };

/** MobileNets' pretrained sizes: a square input of one of these is its own default size (`obtain_input_shape`). */
const MOBILE_SIZES = [96, 128, 160, 192, 224];

/** Python's `f"{alpha:0.2f}"`. */
const twoPlaces = (v: PyValue | undefined) => (numeric(v) ?? 0).toFixed(2);

const ARCHITECTURES: readonly Architecture[] = [
  { name: "ResNet50", modules: ["resnet50", "resnet"], rules: { defaultSize: 224, minSize: 32 }, family: resnet, fixed: `blocks=(3, 4, 6, 3), v2=False, model_name="resnet50"` },
  { name: "ResNet101", modules: ["resnet"], rules: { defaultSize: 224, minSize: 32 }, family: resnet, fixed: `blocks=(3, 4, 23, 3), v2=False, model_name="resnet101"` },
  { name: "ResNet152", modules: ["resnet"], rules: { defaultSize: 224, minSize: 32 }, family: resnet, fixed: `blocks=(3, 8, 36, 3), v2=False, model_name="resnet152"` },
  { name: "ResNet50V2", modules: ["resnet_v2"], rules: { defaultSize: 224, minSize: 32 }, family: resnet, fixed: `blocks=(3, 4, 6, 3), v2=True, model_name="resnet50v2"` },
  { name: "ResNet101V2", modules: ["resnet_v2"], rules: { defaultSize: 224, minSize: 32 }, family: resnet, fixed: `blocks=(3, 4, 23, 3), v2=True, model_name="resnet101v2"` },
  { name: "ResNet152V2", modules: ["resnet_v2"], rules: { defaultSize: 224, minSize: 32 }, family: resnet, fixed: `blocks=(3, 8, 36, 3), v2=True, model_name="resnet152v2"` },
  {
    name: "MobileNet",
    modules: ["mobilenet"],
    rules: { defaultSize: 224, minSize: 32, squareSizes: [128, 160, 192, 224] },
    family: mobilenet,
    extras: [
      { name: "alpha", default: 1.0 },
      { name: "depth_multiplier", default: 1 },
      { name: "dropout", default: 1e-3 },
    ],
    signature: ["input_shape", "alpha", "depth_multiplier", "dropout", "include_top", "weights", "input_tensor", "pooling", "classes", "classifier_activation"],
    modelName: (values, [rows, cols]) => `mobilenet_${twoPlaces(values.get("alpha"))}_${values.get("weights") === "imagenet" && (rows !== cols || ![128, 160, 192, 224].includes(rows ?? 0)) ? 224 : rows}`,
    check: (values) => {
      if (values.get("weights") !== "imagenet") return undefined;
      const multiplier = values.get("depth_multiplier");
      if (multiplier !== 1) return { detail: `If imagenet weights are being loaded, depth multiplier must be 1.  Received depth_multiplier=${pyRepr(multiplier!)}`, argument: "depth_multiplier" };
      const alpha = numeric(values.get("alpha"));
      if (alpha !== undefined && [0.25, 0.5, 0.75, 1.0].includes(alpha)) return undefined;
      return { detail: `If imagenet weights are being loaded, alpha can be one of\`0.25\`, \`0.50\`, \`0.75\` or \`1.0\` only.  Received alpha=${pyRepr(values.get("alpha")!)}`, argument: "alpha" };
    },
  },
  {
    name: "MobileNetV2",
    modules: ["mobilenet_v2"],
    rules: { defaultSize: 224, minSize: 32, squareSizes: MOBILE_SIZES },
    family: mobilenetV2,
    fixed: "",
    extras: [{ name: "alpha", default: 1.0 }],
    signature: ["input_shape", "alpha", "include_top", "weights", "input_tensor", "pooling", "classes", "classifier_activation"],
    modelName: (values, [rows, cols]) => `mobilenetv2_${twoPlaces(values.get("alpha"))}_${values.get("weights") === "imagenet" && (rows !== cols || !MOBILE_SIZES.includes(rows ?? 0)) ? 224 : rows}`,
    check: (values) => {
      const alpha = numeric(values.get("alpha"));
      if (values.get("weights") !== "imagenet" || (alpha !== undefined && [0.35, 0.5, 0.75, 1.0, 1.3, 1.4].includes(alpha))) return undefined;
      const detail = `If imagenet weights are being loaded, alpha must be one of \`0.35\`, \`0.50\`, \`0.75\`, \`1.0\`, \`1.3\` or \`1.4\` only; Received \`alpha=${pyRepr(values.get("alpha")!)}\``;
      return { detail, argument: "alpha" };
    },
  },
  mobileNetV3("Small"),
  mobileNetV3("Large"),
  { name: "VGG16", modules: ["vgg16"], rules: { defaultSize: 224, minSize: 32 }, family: vgg, fixed: `convolutions=(2, 2, 3, 3, 3), model_name="vgg16"` },
  { name: "VGG19", modules: ["vgg19"], rules: { defaultSize: 224, minSize: 32 }, family: vgg, fixed: `convolutions=(2, 2, 4, 4, 4), model_name="vgg19"` },
  ...["B0", "B1", "B2", "B3", "B4", "B5", "B6", "B7"].map((b, i): Architecture => ({
    name: `EfficientNet${b}`,
    modules: ["efficientnet"],
    rules: { defaultSize: [224, 240, 260, 300, 380, 456, 528, 600][i], minSize: 32 },
    family: efficientnet,
    fixed: `width=${EFFICIENTNET_SCALING[i][0].toFixed(1)}, depth=${EFFICIENTNET_SCALING[i][1].toFixed(1)}, dropout=${EFFICIENTNET_SCALING[i][2]}, model_name="efficientnet${b.toLowerCase()}"`,
  })),
  ...Object.entries(V2_VARIANTS).map(([b, [stages, width, depth, dropout, size]]): Architecture => ({
    name: `EfficientNetV2${b}`,
    modules: ["efficientnet_v2"],
    rules: { defaultSize: size, minSize: 32 },
    family: efficientnetV2,
    fixed: `stages=${stages.replace(/\s+/g, " ")}, width=${width.toFixed(1)}, depth=${depth.toFixed(1)}, dropout=${dropout}, b_variant=${b.startsWith("B") ? "True" : "False"}, model_name="efficientnetv2-${b.toLowerCase()}"`,
    extras: [{ name: "include_preprocessing", default: true }],
  })),
  ...["121", "169", "201"].map((n): Architecture => ({
    name: `DenseNet${n}`,
    modules: ["densenet"],
    rules: { defaultSize: 224, minSize: 32 },
    family: densenet,
    fixed: `blocks=${DENSENET_BLOCKS[n]}, model_name="densenet${n}"`,
  })),
  { name: "Xception", modules: ["xception"], rules: { defaultSize: 299, minSize: 71 }, family: xception, fixed: `model_name="xception"` },
  { name: "InceptionV3", modules: ["inception_v3"], rules: { defaultSize: 299, minSize: 75 }, family: inceptionV3, fixed: `model_name="inception_v3"` },
  { name: "InceptionResNetV2", modules: ["inception_resnet_v2"], rules: { defaultSize: 299, minSize: 75 }, family: inceptionResNetV2, fixed: `model_name="inception_resnet_v2"` },
  ...["Tiny", "Small", "Base", "Large", "XLarge"].map((n): Architecture => ({
    name: `ConvNeXt${n}`,
    modules: ["convnext"],
    rules: { defaultSize: 224, minSize: 32 },
    family: convnext,
    fixed: `depths=${CONVNEXT_SIZES[n][0]}, dims=${CONVNEXT_SIZES[n][1]}, model_name="convnext_${n.toLowerCase()}"`,
    extras: [{ name: "include_preprocessing", default: true }],
    signature: ["include_top", "include_preprocessing", "weights", "input_tensor", "input_shape", "pooling", "classes", "classifier_activation"],
  })),
  nasNet("Mobile", { defaultSize: 224, minSize: 32, sizedWithoutTop: true }, "penultimate_filters=1056, num_blocks=4, stem_block_filters=32, skip_reduction=False"),
  nasNet("Large", { defaultSize: 331, minSize: 32 }, "penultimate_filters=4032, num_blocks=6, stem_block_filters=96, skip_reduction=True"),
];

const BY_NAME = new Map(ARCHITECTURES.map((a) => [a.name, a]));
const MODULES = new Set(ARCHITECTURES.flatMap((a) => a.modules));

export function architecture(name: string): Architecture | undefined {
  return BY_NAME.get(name);
}

/**
 * What a path under `keras.applications.` names: an architecture (`ResNet50`, `resnet50.ResNet50`) or a
 * family's `preprocess_input` (`resnet50.preprocess_input`).
 */
export function applicationPath(rest: string): { readonly kind: "application"; readonly name: string } | { readonly kind: "preprocess"; readonly module: string } | undefined {
  const [first, second, ...more] = rest.split(".");
  if (more.length) return undefined;
  if (second === undefined) return BY_NAME.has(first) ? { kind: "application", name: first } : undefined;
  if (!MODULES.has(first)) return undefined;
  if (second === "preprocess_input") return { kind: "preprocess", module: first };
  return BY_NAME.get(second)?.modules.includes(first) ? { kind: "application", name: second } : undefined;
}
