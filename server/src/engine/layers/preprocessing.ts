/**
 * Preprocessing layers (keras/src/layers/preprocessing/).
 *
 * Image layers (image_preprocessing/, all subclasses of BaseImagePreprocessingLayer)
 * take rank-4 batches (batch, height, width, channels) — Keras also takes rank-3
 * single images, but inside a model the batch axis is always there. Their base
 * class accepts `data_format` and `bounding_box_format` as keywords. Resizing,
 * CenterCrop and RandomCrop replace height and width by their arguments; the
 * augmentation layers keep the shape. None of them has weights.
 *
 * Rescaling keeps the shape. Normalization keeps the shape and, unless `mean` and
 * `variance` are given, creates non-trainable `mean` and `variance` (shaped like the
 * kept axes) and a scalar `count` in build(). CategoryEncoding and Hashing encode
 * the last axis into `num_tokens` / `num_bins` columns.
 */
import { costing, preprocessingCost } from "../cost";
import { Args, DataFormat, mayBeCallable } from "../args";
import { Dim, NONE, Shape, UNKNOWN, formatShape, isKnown } from "../shape";
import { Formula, LayerResult, LayerSpec, ParamDecl, Problem, Weight } from "../spec";
import { rankProblem, weight } from "../math";
import { withThousands } from "../format";
import { PyValue, isInt, isSequence, isUnresolved, items, numeric, pyRepr, unresolved } from "../values";

const result = (args: Args, output: Shape | undefined, problems: Problem[] = [], formulas: Formula[] = [], weights: Weight[] = []): LayerResult => ({
  output,
  weights,
  formulas,
  problems: [...args.problems, ...problems],
});

function invalid(args: Args, name: string, expected: string, value: PyValue): void {
  args.problems.push({ id: "invalidArgument", argument: name, values: { argument: name, expected, value: pyRepr(value) } });
}

/** A string among `allowed`, compared exactly (Keras checks `value not in (...)`). */
function exactChoice(args: Args, name: string, allowed: readonly string[]): string | undefined {
  const v = args.raw(name);
  if (v === undefined) return undefined;
  if (typeof v === "string" && allowed.includes(v)) return v;
  invalid(args, name, allowed.map((a) => `'${a}'`).join(", ").replace(/, ([^,]*)$/, " or $1"), v);
  return undefined;
}

/** An int's or a float's value, undefined for anything else (NaN included). */
function numberIn(v: PyValue | undefined): number | undefined {
  const n = numeric(v);
  return n === undefined || Number.isNaN(n) ? undefined : n;
}

/**
 * BaseImagePreprocessingLayer._set_factor: a number within [lo, hi], or a pair
 * (a, b) with a ≤ hi and b ≥ lo.
 */
function baseFactor(args: Args, name: string, lo: number, hi: number): void {
  const v = args.raw(name);
  if (v === undefined) return;
  const expected = `a number in [${lo}, ${hi}] or a pair of numbers overlapping it`;
  if (isSequence(v)) {
    const [a, b] = items(v).map(numberIn);
    if (items(v).some(isUnresolved)) return;
    if (items(v).length !== 2 || a === undefined || b === undefined || a > hi || b < lo) invalid(args, name, expected, v);
  } else {
    const n = numberIn(v);
    if (n === undefined || n < lo || n > hi) invalid(args, name, expected, v);
  }
}

/** The per-element factor check of RandomZoom, RandomTranslation, RandomShear and Solarization. */
function eachFactor(args: Args, name: string, lo: number, hi: number): void {
  const v = args.raw(name);
  if (v === undefined) return;
  const expected = `a number in [${lo}, ${hi}] or a pair of them`;
  const list = isSequence(v) ? items(v) : [v];
  if (list.some(isUnresolved)) return;
  const within = (x: PyValue) => {
    const n = numberIn(x);
    return n !== undefined && n >= lo && n <= hi;
  };
  if ((isSequence(v) && list.length !== 2) || !list.every(within)) invalid(args, name, expected, v);
}

/** `_set_value_range`: a tuple or list of two values. */
function valueRange(args: Args): void {
  const v = args.raw("value_range");
  if (v === undefined) return;
  if (!isSequence(v) || items(v).length !== 2) invalid(args, "value_range", "a tuple of two numbers such as (0, 255)", v);
}

const FILL_MODES = ["reflect", "wrap", "constant", "nearest"];
const AFFINE_INTERPOLATIONS = ["nearest", "bilinear"];

/** Image layer keywords that BaseImagePreprocessingLayer takes through **kwargs. */
function imageParams(own: ParamDecl[]): ParamDecl[] {
  const extra: ParamDecl[] = [];
  if (!own.some((p) => p.name === "data_format")) extra.push({ name: "data_format", default: null });
  extra.push({ name: "bounding_box_format", default: null });
  return [...own, ...extra];
}

const IMAGE_EXAMPLE = "(batch, height, width, channels)";

/** The rank-4 check shared by every image layer; returns a result to stop with, if any. */
function imageRank(args: Args, name: string, input: Shape | undefined): LayerResult | undefined {
  if (!input) return result(args, undefined);
  const wrong = rankProblem(name, input, 4, IMAGE_EXAMPLE);
  return wrong ? { weights: [], formulas: [], problems: [...args.problems, wrong] } : undefined;
}

/** An augmentation or colour layer: checks its arguments, keeps the shape. */
function keepingImage(name: string, summary: string, own: ParamDecl[], check: (args: Args) => void = () => {}): LayerSpec {
  return {
    name,
    summary,
    params: imageParams(own),
    infer(args, input) {
      args.dataFormat();
      check(args);
      return imageRank(args, name, input) ?? result(args, input);
    },
  };
}

/** Replaces height and width by the layer's arguments (Resizing, CenterCrop, RandomCrop). */
function resized(args: Args, input: Shape, format: DataFormat | undefined, height: number | undefined, width: number | undefined): LayerResult {
  const out: Dim[] = [...input];
  const formulas: Formula[] = [];
  if (!format) {
    // Unknown layout: only batch is certain.
    return result(args, [input[0], UNKNOWN, UNKNOWN, UNKNOWN]);
  }
  const [h, w] = format === "channels_last" ? [1, 2] : [2, 3];
  out[h] = height ?? UNKNOWN;
  out[w] = width ?? UNKNOWN;
  if (height !== undefined) formulas.push({ label: "height", text: `${input[h]} → ${height}` });
  if (width !== undefined) formulas.push({ label: "width", text: `${input[w]} → ${width}` });
  return result(args, out, [], formulas);
}

const resizingSpec: LayerSpec = {
  name: "Resizing",
  summary: "Resizes images to (`height`, `width`), optionally cropping or padding to keep the aspect ratio.",
  params: imageParams([
    { name: "height" },
    { name: "width" },
    { name: "interpolation", default: "bilinear" },
    { name: "crop_to_aspect_ratio", default: false },
    { name: "pad_to_aspect_ratio", default: false },
    { name: "fill_mode", default: "constant" },
    { name: "fill_value", default: 0.0 },
    { name: "data_format", default: null },
  ]),
  infer(args, input) {
    const height = args.int("height");
    const width = args.int("width");
    const format = args.dataFormat();
    // keras.ops.image.resize: the interpolations it knows, and crop and pad are exclusive.
    exactChoice(args, "interpolation", ["bilinear", "nearest", "lanczos3", "lanczos5", "bicubic", "area"]);
    const crop = args.bool("crop_to_aspect_ratio");
    const pad = args.bool("pad_to_aspect_ratio");
    if (crop && pad) invalid(args, "pad_to_aspect_ratio", "False when crop_to_aspect_ratio=True (only one of them can be True)", true);
    exactChoice(args, "fill_mode", ["constant"]);
    return imageRank(args, "Resizing", input) ?? resized(args, input as Shape, format, height, width);
  },
};

const centerCropSpec: LayerSpec = {
  name: "CenterCrop",
  summary: "Crops the central (`height`, `width`) window of each image (resizing first when the image is smaller).",
  params: imageParams([{ name: "height" }, { name: "width" }, { name: "data_format", default: null }]),
  infer(args, input) {
    const height = args.int("height");
    const width = args.int("width");
    const format = args.dataFormat();
    return imageRank(args, "CenterCrop", input) ?? resized(args, input as Shape, format, height, width);
  },
};

const randomCropSpec: LayerSpec = {
  name: "RandomCrop",
  summary: "During training crops a random (`height`, `width`) window of each batch; at inference a central one.",
  // `name` is a positional parameter of RandomCrop.__init__ itself.
  params: imageParams([
    { name: "height" },
    { name: "width" },
    { name: "seed", default: null },
    { name: "data_format", default: null },
    { name: "name", default: null },
  ]),
  infer(args, input) {
    const height = args.int("height");
    const width = args.int("width");
    const format = args.dataFormat();
    return imageRank(args, "RandomCrop", input) ?? resized(args, input as Shape, format, height, width);
  },
};

const randomResizedCropSpec: LayerSpec = {
  name: "RandomResizedCrop",
  summary: "During training crops a random area and aspect ratio of each batch and resizes it to (`height`, `width`); at inference a central crop.",
  params: imageParams([
    { name: "height" },
    { name: "width" },
    { name: "scale", default: { tuple: [0.08, 1.0] } },
    { name: "ratio", default: { tuple: [0.75, 1.33] } },
    { name: "interpolation", default: "bilinear" },
    { name: "seed", default: null },
    { name: "data_format", default: null },
    { name: "name", default: null },
  ]),
  infer(args, input) {
    const height = args.int("height");
    const width = args.int("width");
    const format = args.dataFormat();
    for (const name of ["scale", "ratio"]) {
      const v = args.raw(name);
      if (v !== undefined && (!isSequence(v) || items(v).length !== 2)) invalid(args, name, "a pair of numbers", v);
    }
    const stop = imageRank(args, "RandomResizedCrop", input);
    if (stop) return stop;
    const shape = input as Shape;
    // compute_output_shape writes axes 1 and 2 of a rank-4 input whose last size is 1, 3 or 4, whatever the data_format.
    const looksChannelsLast = [1, 3, 4].includes(shape[3] as number);
    return resized(args, shape, looksChannelsLast ? "channels_last" : format, height, width);
  },
};

const imageLayers: LayerSpec[] = [
  resizingSpec,
  centerCropSpec,
  randomCropSpec,
  randomResizedCropSpec,
  keepingImage(
    "RandomFlip",
    "During training flips images left–right and/or top–bottom at random; the shape is unchanged.",
    [{ name: "mode", default: "horizontal_and_vertical" }, { name: "seed", default: null }, { name: "data_format", default: null }],
  ),
  keepingImage(
    "RandomRotation",
    "During training rotates images by a random fraction `factor` of a full turn; the shape is unchanged.",
    [
      { name: "factor" },
      { name: "fill_mode", default: "reflect" },
      { name: "interpolation", default: "bilinear" },
      { name: "seed", default: null },
      { name: "fill_value", default: 0.0 },
      { name: "data_format", default: null },
    ],
    (args) => {
      baseFactor(args, "factor", -1, 1);
      exactChoice(args, "fill_mode", FILL_MODES);
      exactChoice(args, "interpolation", AFFINE_INTERPOLATIONS);
    },
  ),
  keepingImage(
    "RandomZoom",
    "During training zooms images in or out by random fractions of their height and width; the shape is unchanged.",
    [
      { name: "height_factor" },
      { name: "width_factor", default: null },
      { name: "fill_mode", default: "reflect" },
      { name: "interpolation", default: "bilinear" },
      { name: "seed", default: null },
      { name: "fill_value", default: 0.0 },
      { name: "data_format", default: null },
    ],
    (args) => {
      eachFactor(args, "height_factor", -1, 1);
      if (args.raw("width_factor") !== null) eachFactor(args, "width_factor", -1, 1);
      exactChoice(args, "fill_mode", FILL_MODES);
      exactChoice(args, "interpolation", AFFINE_INTERPOLATIONS);
    },
  ),
  keepingImage(
    "RandomTranslation",
    "During training shifts images by random fractions of their height and width; the shape is unchanged.",
    [
      { name: "height_factor" },
      { name: "width_factor" },
      { name: "fill_mode", default: "reflect" },
      { name: "interpolation", default: "bilinear" },
      { name: "seed", default: null },
      { name: "fill_value", default: 0.0 },
      { name: "data_format", default: null },
    ],
    (args) => {
      eachFactor(args, "height_factor", -1, 1);
      eachFactor(args, "width_factor", -1, 1);
      exactChoice(args, "fill_mode", FILL_MODES);
      exactChoice(args, "interpolation", AFFINE_INTERPOLATIONS);
    },
  ),
  keepingImage(
    "RandomShear",
    "During training shears images along x and/or y by random fractions; the shape is unchanged.",
    [
      { name: "x_factor", default: 0.0 },
      { name: "y_factor", default: 0.0 },
      { name: "interpolation", default: "bilinear" },
      { name: "fill_mode", default: "reflect" },
      { name: "fill_value", default: 0.0 },
      { name: "data_format", default: null },
      { name: "seed", default: null },
    ],
    (args) => {
      eachFactor(args, "x_factor", 0, 1);
      eachFactor(args, "y_factor", 0, 1);
      exactChoice(args, "fill_mode", FILL_MODES);
      exactChoice(args, "interpolation", AFFINE_INTERPOLATIONS);
    },
  ),
  keepingImage(
    "RandomPerspective",
    "During training applies, with probability `factor`, a random perspective distortion of relative size `scale`; the shape is unchanged.",
    [
      { name: "factor", default: 1.0 },
      { name: "scale", default: 0.3 },
      { name: "interpolation", default: "bilinear" },
      { name: "fill_value", default: 0.0 },
      { name: "seed", default: null },
      { name: "data_format", default: null },
    ],
    (args) => {
      baseFactor(args, "factor", 0, 1);
      exactChoice(args, "interpolation", AFFINE_INTERPOLATIONS);
    },
  ),
  keepingImage(
    "RandomContrast",
    "During training scales each channel's deviation from its mean by a random factor in [1 − lower, 1 + upper]; the shape is unchanged.",
    [{ name: "factor" }, { name: "value_range", default: { tuple: [0, 255] } }, { name: "seed", default: null }],
    (args) => baseFactor(args, "factor", 0, 1),
  ),
  keepingImage(
    "RandomBrightness",
    "During training adds a random brightness offset, a fraction `factor` of `value_range`; the shape is unchanged.",
    [{ name: "factor" }, { name: "value_range", default: { tuple: [0, 255] } }, { name: "seed", default: null }],
    (args) => {
      baseFactor(args, "factor", -1, 1);
      valueRange(args);
    },
  ),
  keepingImage(
    "RandomHue",
    "Rotates the hue of RGB images by a random amount; the shape is unchanged.",
    [{ name: "factor" }, { name: "value_range" }, { name: "data_format", default: null }, { name: "seed", default: null }],
    (args) => baseFactor(args, "factor", 0, 1),
  ),
  keepingImage(
    "RandomSaturation",
    "Scales the saturation of RGB images by a random factor; the shape is unchanged.",
    [{ name: "factor" }, { name: "value_range", default: { tuple: [0, 255] } }, { name: "data_format", default: null }, { name: "seed", default: null }],
    (args) => {
      baseFactor(args, "factor", -1, 1);
      valueRange(args);
    },
  ),
  keepingImage(
    "RandomColorDegeneration",
    "Blends images with their grayscale version by a random factor; the shape is unchanged.",
    [{ name: "factor" }, { name: "value_range", default: { tuple: [0, 255] } }, { name: "data_format", default: null }, { name: "seed", default: null }],
    (args) => {
      baseFactor(args, "factor", -1, 1);
      valueRange(args);
    },
  ),
  keepingImage(
    "RandomColorJitter",
    "Applies random brightness, contrast, saturation and hue changes in turn; the shape is unchanged.",
    [
      { name: "value_range", default: { tuple: [0, 255] } },
      { name: "brightness_factor", default: null },
      { name: "contrast_factor", default: null },
      { name: "saturation_factor", default: null },
      { name: "hue_factor", default: null },
      { name: "seed", default: null },
      { name: "data_format", default: null },
    ],
    (args) => {
      // Each factor given builds the corresponding Random* layer, which checks it.
      const bounds: [string, number, number][] = [
        ["brightness_factor", -1, 1],
        ["contrast_factor", 0, 1],
        ["saturation_factor", -1, 1],
        ["hue_factor", 0, 1],
      ];
      for (const [name, lo, hi] of bounds) if (args.raw(name) !== null) baseFactor(args, name, lo, hi);
      if (args.raw("brightness_factor") !== null || args.raw("saturation_factor") !== null) valueRange(args);
    },
  ),
  keepingImage(
    "RandomSharpness",
    "Blends images with a blurred version by a random factor (0 blurs, 0.5 keeps, 1 sharpens); the shape is unchanged.",
    [{ name: "factor" }, { name: "value_range", default: { tuple: [0, 255] } }, { name: "data_format", default: null }, { name: "seed", default: null }],
    (args) => {
      baseFactor(args, "factor", 0, 1);
      valueRange(args);
    },
  ),
  keepingImage(
    "RandomInvert",
    "Inverts the colours of each image with a random probability up to `factor`; the shape is unchanged.",
    [{ name: "factor", default: 1.0 }, { name: "value_range", default: { tuple: [0, 255] } }, { name: "seed", default: null }, { name: "data_format", default: null }],
    (args) => baseFactor(args, "factor", 0, 1),
  ),
  keepingImage(
    "RandomPosterization",
    "Keeps a random number of bits (1–8, from `factor`) of each colour channel; the shape is unchanged.",
    [{ name: "factor" }, { name: "value_range", default: { tuple: [0, 255] } }, { name: "data_format", default: null }, { name: "seed", default: null }],
    (args) => {
      baseFactor(args, "factor", 1, 8);
      valueRange(args);
    },
  ),
  keepingImage(
    "RandomGrayscale",
    "Converts each image to grayscale with probability `factor`, keeping the number of channels; the shape is unchanged.",
    [{ name: "factor", default: 0.5 }, { name: "data_format", default: null }],
    (args) => {
      const v = args.raw("factor");
      const n = numberIn(v);
      if (v !== undefined && (n === undefined || n < 0 || n > 1)) invalid(args, "factor", "a number in [0, 1]", v);
    },
  ),
  keepingImage(
    "RandomGaussianBlur",
    "Blurs each image, with a random probability up to `factor`, by a Gaussian of odd `kernel_size` and random `sigma`; the shape is unchanged.",
    [
      { name: "factor", default: 1.0 },
      { name: "kernel_size", default: 3 },
      { name: "sigma", default: 1.0 },
      { name: "value_range", default: { tuple: [0, 255] } },
      { name: "data_format", default: null },
      { name: "seed", default: null },
    ],
    (args) => {
      baseFactor(args, "factor", 0, 1);
      baseFactor(args, "sigma", 0, 1);
      const k = args.raw("kernel_size");
      if (k !== undefined) {
        const list = isSequence(k) ? items(k) : [k];
        if (!list.some(isUnresolved) && ((isSequence(k) && list.length !== 2) || !list.every((x) => (numberIn(x) ?? 0) % 2 !== 0))) {
          invalid(args, "kernel_size", "an odd number or a pair of odd numbers", k);
        }
      }
    },
  ),
  keepingImage(
    "AutoContrast",
    "Stretches each image's values over the whole `value_range`; the shape is unchanged.",
    [{ name: "value_range", default: { tuple: [0, 255] } }],
    valueRange,
  ),
  keepingImage(
    "Equalization",
    "Histogram-equalizes each channel with `bins` bins; the shape is unchanged.",
    [{ name: "value_range", default: { tuple: [0, 255] } }, { name: "bins", default: 256 }, { name: "data_format", default: null }],
    valueRange,
  ),
  keepingImage(
    "Solarization",
    "Inverts pixel values above a random threshold, after adding a random offset; the shape is unchanged.",
    [
      { name: "addition_factor", default: 0.0 },
      { name: "threshold_factor", default: 0.0 },
      { name: "value_range", default: { tuple: [0, 255] } },
      { name: "seed", default: null },
    ],
    (args) => {
      eachFactor(args, "addition_factor", 0, 1);
      eachFactor(args, "threshold_factor", 0, 1);
      valueRange(args);
    },
  ),
  keepingImage(
    "RandomErasing",
    "During training erases a random rectangle of each image with probability up to `factor`; the shape is unchanged.",
    [
      { name: "factor", default: 1.0 },
      { name: "scale", default: { tuple: [0.02, 0.33] } },
      { name: "fill_value", default: null },
      { name: "value_range", default: { tuple: [0, 255] } },
      { name: "seed", default: null },
      { name: "data_format", default: null },
    ],
    (args) => {
      baseFactor(args, "factor", 0, 1);
      baseFactor(args, "scale", 0, 1);
      valueRange(args);
    },
  ),
  keepingImage(
    "RandomElasticTransform",
    "During training distorts each image with a random elastic displacement field; the shape is unchanged.",
    [
      { name: "factor", default: 1.0 },
      { name: "scale", default: 1.0 },
      { name: "interpolation", default: "bilinear" },
      { name: "fill_mode", default: "reflect" },
      { name: "fill_value", default: 0.0 },
      { name: "value_range", default: { tuple: [0, 255] } },
      { name: "seed", default: null },
      { name: "data_format", default: null },
    ],
    (args) => {
      baseFactor(args, "factor", 0, 1);
      baseFactor(args, "scale", 0, 1);
      exactChoice(args, "interpolation", AFFINE_INTERPOLATIONS);
      exactChoice(args, "fill_mode", ["constant", "nearest", "wrap", "mirror", "reflect"]);
      valueRange(args);
    },
  ),
  keepingImage(
    "MixUp",
    "During training blends pairs of images (and their labels) with a Beta(`alpha`, `alpha`) weight; the shape is unchanged.",
    [{ name: "alpha", default: 0.2 }, { name: "data_format", default: null }, { name: "seed", default: null }],
  ),
  keepingImage(
    "CutMix",
    "During training pastes a random patch of another image of the batch into each image; the shape is unchanged.",
    [{ name: "factor", default: 1.0 }, { name: "seed", default: null }, { name: "data_format", default: null }],
    (args) => baseFactor(args, "factor", 0, 1),
  ),
  keepingImage(
    "AugMix",
    "During training mixes `num_chains` chains of random augmentations of each image; the shape is unchanged.",
    [
      { name: "value_range", default: { tuple: [0, 255] } },
      { name: "num_chains", default: 3 },
      { name: "chain_depth", default: 3 },
      { name: "factor", default: 0.3 },
      { name: "alpha", default: 1.0 },
      { name: "all_ops", default: true },
      { name: "interpolation", default: "bilinear" },
      { name: "seed", default: null },
      { name: "data_format", default: null },
    ],
    (args) => {
      baseFactor(args, "factor", 0, 1);
      valueRange(args);
    },
  ),
  keepingImage(
    "RandAugment",
    "During training applies `num_ops` random augmentations of strength `factor` to each image; the shape is unchanged.",
    [
      { name: "value_range", default: { tuple: [0, 255] } },
      { name: "num_ops", default: 2 },
      { name: "factor", default: 0.5 },
      { name: "interpolation", default: "bilinear" },
      { name: "seed", default: null },
      { name: "data_format", default: null },
    ],
    (args) => {
      baseFactor(args, "factor", 0, 1);
      valueRange(args);
    },
  ),
];

const rescalingSpec: LayerSpec = {
  name: "Rescaling",
  summary: "Multiplies every value by `scale` and adds `offset` (e.g. scale=1/255); the shape is unchanged.",
  params: [{ name: "scale" }, { name: "offset", default: 0.0 }],
  infer: (args, input) => result(args, input),
};

/** np.shape of a nested list of numbers; undefined when ragged, unknown or not numeric. */
function arrayShape(v: PyValue): number[] | undefined {
  if (numberIn(v) !== undefined) return [];
  if (!isSequence(v)) return undefined;
  const list = items(v);
  if (!list.length) return [0];
  const inner = list.map(arrayShape);
  if (inner.some((s) => s === undefined)) return undefined;
  const first = JSON.stringify(inner[0]);
  if (inner.some((s) => JSON.stringify(s) !== first)) return undefined;
  return [list.length, ...(inner[0] as number[])];
}

/**
 * Normalization (normalization.py). __init__: mean and variance together, same
 * shape, rank ≤ number of axes. build(): every axis in [-ndim, ndim), kept axes of
 * known size, and the weights mean/variance (kept-axes shape) + count () when
 * mean is not given.
 */
const normalizationSpec: LayerSpec = {
  name: "Normalization",
  summary: "Shifts and scales inputs to mean 0 and variance 1 per index of `axis`, with statistics from `adapt()` or given as `mean`/`variance`.",
  params: [{ name: "axis", default: -1 }, { name: "mean", default: null }, { name: "variance", default: null }, { name: "invert", default: false }],
  infer(args, input) {
    const rawAxis = args.raw("axis");
    const axes = rawAxis === null ? [] : args.axes("axis");
    args.bool("invert");
    const problems: Problem[] = [];
    const mean = args.raw("mean");
    const variance = args.raw("variance");
    const hasMean = args.has("mean");
    const hasVariance = args.has("variance");
    if (hasMean !== hasVariance) {
      problems.push({ id: "missingArgument", values: { layer: "Normalization", name: hasMean ? "variance" : "mean" } });
    } else if (hasMean && mean !== undefined && variance !== undefined) {
      const ms = arrayShape(mean);
      const vs = arrayShape(variance);
      if (ms && vs && JSON.stringify(ms) !== JSON.stringify(vs)) {
        invalid(args, "variance", `the same shape as mean, (${ms.join(", ")})`, variance);
      } else if (ms && axes && ms.length > axes.length) {
        invalid(args, "mean", `of rank at most ${axes.length} (the number of axes)`, mean);
      }
    }
    // With mean/variance given no weights are created; else 3 non-trainable ones.
    const adapted = !hasMean;
    const unknownWeights: Weight[] = adapted ? [{ name: "mean", trainable: false }, { name: "variance", trainable: false }, weight("count", [], false)] : [];
    if (!input || !axes) return result(args, input, problems, [], unknownWeights);
    const ndim = input.length;
    const bad = axes.find((a) => a < -ndim || a >= ndim);
    if (bad !== undefined) {
      invalid(args, "axis", `axes of the rank-${ndim} input ${formatShape(input)}, from ${-ndim} to ${ndim - 1}`, rawAxis ?? null);
      return result(args, input, problems, [], unknownWeights);
    }
    const keep = [...new Set(axes.map((a) => (a < 0 ? a + ndim : a)))].sort((a, b) => a - b);
    const shape: (number | undefined)[] = [];
    for (const d of keep) {
      const dim = input[d];
      if (isKnown(dim)) shape.push(dim);
      else {
        if (dim === NONE) problems.push({ id: "undefinedAxis", argument: "axis", values: { layer: "Normalization", axis: d, shape: formatShape(input) } });
        shape.push(undefined);
      }
    }
    if (!adapted) return result(args, input, problems);
    const weights = [weight("mean", shape, false), weight("variance", shape, false), weight("count", [], false)];
    const formulas: Formula[] = [];
    if (weights.every((w) => w.count !== undefined)) {
      const per = shape.length ? (shape as number[]).join("·") : "1";
      const total = weights.reduce((a, w) => a + (w.count as bigint), 0n);
      formulas.push({ label: "params", text: `2·${per} + 1 = ${withThousands(total)} (mean, variance, count; non-trainable)` });
    }
    return result(args, input, problems, formulas, weights);
  },
};

/** The last-axis encoding shared by CategoryEncoding and Hashing (compute_output_shape). */
function encoded(input: Shape, mode: string, depth: Dim): Shape {
  if (input.length === 0) return [depth];
  if (mode === "one_hot" && (input[input.length - 1] !== 1 || input.length === 1)) return [...input, depth];
  return [...input.slice(0, -1), depth];
}

const categoryEncodingSpec: LayerSpec = {
  name: "CategoryEncoding",
  summary: "Encodes integer indices below `num_tokens` as one-hot, multi-hot or count vectors of size `num_tokens`.",
  params: [{ name: "num_tokens", default: null }, { name: "output_mode", default: "multi_hot" }, { name: "sparse", default: false }],
  infer(args, input) {
    const rawMode = args.raw("output_mode");
    // "binary" is Keras's deprecated name for "multi_hot".
    const mode = rawMode === "binary" ? "multi_hot" : exactChoice(args, "output_mode", ["one_hot", "multi_hot", "count"]);
    let tokens: number | undefined;
    if (args.raw("num_tokens") === null) {
      invalid(args, "num_tokens", "set (CategoryEncoding needs the number of tokens; use IntegerLookup when it is not known)", null);
    } else tokens = args.int("num_tokens");
    args.bool("sparse");
    if (!input) return result(args, undefined);
    if (mode === undefined) return result(args, undefined);
    return result(args, encoded(input, mode, tokens ?? UNKNOWN));
  },
};

const hashingSpec: LayerSpec = {
  name: "Hashing",
  summary: "Hashes strings or integers into `num_bins` bins; 'int' keeps the shape, the other modes encode the last axis into `num_bins` columns.",
  params: [
    { name: "num_bins" },
    { name: "mask_value", default: null },
    { name: "salt", default: null },
    { name: "output_mode", default: "int" },
    { name: "sparse", default: false },
  ],
  infer(args, input) {
    const bins = args.int("num_bins");
    const mode = exactChoice(args, "output_mode", ["int", "one_hot", "multi_hot", "count"]);
    const sparse = args.bool("sparse");
    if (sparse && mode === "int") invalid(args, "sparse", "False when output_mode='int'", true);
    const salt = args.raw("salt");
    if (salt !== undefined && salt !== null && !isInt(salt) && !(isSequence(salt) && items(salt).length === 2)) {
      invalid(args, "salt", "an integer or a tuple of two integers", salt);
    }
    if (!input || mode === undefined) return result(args, mode === "int" ? input : undefined);
    // compute_output_spec: 'int' keeps the shape; the others give input[:-1] + (num_bins,).
    if (mode === "int") return result(args, input);
    return result(args, input.length ? [...input.slice(0, -1), bins ?? UNKNOWN] : [bins ?? UNKNOWN]);
  },
};

/** IndexLookup's output modes, with Keras's deprecated spellings mapped. */
function lookupMode(args: Args): string | undefined {
  const raw = args.raw("output_mode");
  if (raw === "binary") return "multi_hot";
  if (raw === "tf-idf") return "tf_idf";
  return exactChoice(args, "output_mode", ["int", "one_hot", "multi_hot", "count", "tf_idf"]);
}

/**
 * IndexLookup.__init__'s checks (index_lookup.py) and its encoded width for the
 * non-'int' modes: max_tokens with pad_to_max_tokens, else the vocabulary size
 * num_oov_indices + len(tokens) when the vocabulary is a literal list (a leading
 * run of OOV tokens is not counted twice; the mask token is only counted in 'int'
 * mode), else unknown.
 */
function lookupDepth(args: Args, mode: string | undefined, numOov: number | undefined, oovToken: PyValue | undefined): Dim {
  const maxTokens = args.raw("max_tokens") === null ? null : args.int("max_tokens", 2);
  const pad = args.bool("pad_to_max_tokens");
  if (pad && maxTokens === null) invalid(args, "pad_to_max_tokens", "False unless max_tokens is set", true);
  const sparse = args.bool("sparse");
  if (sparse && mode === "int") invalid(args, "sparse", "False when output_mode='int'", true);
  if (args.has("idf_weights") && mode !== undefined && mode !== "tf_idf") {
    invalid(args, "idf_weights", "None unless output_mode='tf_idf'", args.raw("idf_weights") ?? null);
  }
  const vocabulary = args.raw("vocabulary");
  if (mode === "tf_idf" && args.has("vocabulary") && !args.has("idf_weights")) {
    args.problems.push({ id: "missingArgument", values: { layer: args.layer, name: "idf_weights" } });
  }
  let size: number | undefined;
  if (vocabulary !== undefined && isSequence(vocabulary) && numOov !== undefined && oovToken !== undefined && !items(vocabulary).some(isUnresolved)) {
    const list = items(vocabulary);
    const lead = list.slice(0, numOov);
    const tokens = lead.length === numOov && lead.every((t) => t === oovToken) ? list.slice(numOov) : list;
    if (!list.length) invalid(args, "vocabulary", "a non-empty list of tokens", vocabulary);
    else {
      size = numOov + tokens.length;
      if (typeof maxTokens === "number" && size > maxTokens) {
        invalid(args, "vocabulary", `at most max_tokens = ${maxTokens} entries with the OOV indices (it makes ${size})`, vocabulary);
      }
    }
  }
  if (pad && typeof maxTokens === "number") return maxTokens;
  if (pad === undefined || maxTokens === undefined) return UNKNOWN;
  return size ?? UNKNOWN;
}

function lookupSpec(name: "StringLookup" | "IntegerLookup"): LayerSpec {
  const integer = name === "IntegerLookup";
  const params: ParamDecl[] = integer
    ? [
        { name: "max_tokens", default: null },
        { name: "num_oov_indices", default: 1 },
        { name: "mask_token", default: null },
        { name: "oov_token", default: -1 },
        { name: "vocabulary", default: null },
        { name: "vocabulary_dtype", default: "int64" },
        { name: "idf_weights", default: null },
        { name: "invert", default: false },
        { name: "output_mode", default: "int" },
        { name: "sparse", default: false },
        { name: "pad_to_max_tokens", default: false },
        { name: "name", default: null },
      ]
    : [
        { name: "max_tokens", default: null },
        { name: "num_oov_indices", default: 1 },
        { name: "mask_token", default: null },
        { name: "oov_token", default: "[UNK]" },
        { name: "vocabulary", default: null },
        { name: "idf_weights", default: null },
        { name: "invert", default: false },
        { name: "output_mode", default: "int" },
        { name: "pad_to_max_tokens", default: false },
        { name: "sparse", default: false },
        { name: "encoding", default: "utf-8" },
        { name: "name", default: null },
      ];
  return {
    name,
    summary: integer
      ? "Maps integer tokens to indices in a vocabulary ('int' keeps the shape), or encodes them as one-hot, multi-hot, count or TF-IDF vectors."
      : "Maps string tokens to indices in a vocabulary ('int' keeps the shape), or encodes them as one-hot, multi-hot, count or TF-IDF vectors.",
    params,
    infer(args, input) {
      const mode = lookupMode(args);
      const numOov = args.int("num_oov_indices", 0);
      const invert = args.bool("invert");
      if (invert && mode !== undefined && mode !== "int") invalid(args, "invert", "False unless output_mode='int'", true);
      if (integer) exactChoice(args, "vocabulary_dtype", ["int64"]);
      const depth = lookupDepth(args, mode, numOov, args.raw("oov_token"));
      if (!input) return result(args, undefined);
      // compute_output_shape: 'int' keeps the shape, the others give (batch, depth).
      if (mode === "int") return result(args, input);
      if (mode === undefined) return result(args, undefined);
      return result(args, [input[0], depth]);
    },
    methods: { vocabulary_size: lookupVocabularySize },
  };
}

/**
 * IndexLookup.vocabulary_size(): the tokens of a literal vocabulary, plus the OOV indices, plus the mask
 * token's index in 'int' mode (`_token_start_index`). A vocabulary set by `adapt()` is only known at run time.
 */
function lookupVocabularySize(args: Args): PyValue {
  const vocabulary = args.raw("vocabulary");
  const numOov = args.raw("num_oov_indices");
  const mask = args.raw("mask_token");
  const mode = args.raw("output_mode");
  if (!isSequence(vocabulary) || items(vocabulary).some(isUnresolved)) return unresolved("vocabulary_size() of a lookup whose vocabulary is not a literal list (set by adapt() at run time)");
  const tokens = items(vocabulary);
  // A vocabulary that lists the OOV or mask token itself is trimmed by Keras; not followed here.
  if (tokens.some((t) => t === args.raw("oov_token") || (mask !== null && t === mask))) return unresolved("vocabulary_size() of a vocabulary that lists the OOV or mask token");
  if (!isInt(numOov) || numOov < 0 || (mode !== "int" && typeof mode !== "string")) return unresolved("vocabulary_size() with options not known statically");
  return tokens.length + numOov + (mask !== null && mode === "int" ? 1 : 0);
}

/** TextVectorization (text_vectorization.py): __init__ checks and compute_output_shape. */
const textVectorizationSpec: LayerSpec = {
  name: "TextVectorization",
  summary: "Splits strings into tokens and maps them to indices ('int', padded or cut to `output_sequence_length`) or to multi-hot, count or TF-IDF vectors.",
  params: [
    { name: "max_tokens", default: null },
    { name: "standardize", default: "lower_and_strip_punctuation" },
    { name: "split", default: "whitespace" },
    { name: "ngrams", default: null },
    { name: "output_mode", default: "int" },
    { name: "output_sequence_length", default: null },
    { name: "pad_to_max_tokens", default: false },
    { name: "vocabulary", default: null },
    { name: "idf_weights", default: null },
    { name: "sparse", default: false },
    { name: "ragged", default: false },
    { name: "encoding", default: "utf-8" },
    { name: "name", default: null },
  ],
  infer(args, input) {
    // validate_string_arg(..., allow_none=True, allow_callables=True): a name, None or any callable.
    const standardize = args.raw("standardize");
    if (typeof standardize === "string") exactChoice(args, "standardize", ["lower_and_strip_punctuation", "lower", "strip_punctuation"]);
    else if (standardize !== undefined && standardize !== null && !mayBeCallable(standardize)) invalid(args, "standardize", "None, a callable or a standardization name", standardize);
    const split = args.raw("split");
    if (typeof split === "string") exactChoice(args, "split", ["whitespace", "character"]);
    else if (split !== undefined && split !== null && !mayBeCallable(split)) invalid(args, "split", "None, a callable, 'whitespace' or 'character'", split);
    const ngrams = args.raw("ngrams");
    if (ngrams !== undefined && ngrams !== null && !isInt(ngrams) && !(isSequence(ngrams) && !Array.isArray(ngrams) && items(ngrams).every(isInt))) {
      invalid(args, "ngrams", "None, an integer or a tuple of integers", ngrams);
    }
    const mode = lookupMode(args);
    let length: number | null | undefined;
    if (args.raw("output_sequence_length") !== null && mode !== undefined && mode !== "int") {
      invalid(args, "output_sequence_length", "None unless output_mode='int'", args.raw("output_sequence_length") ?? null);
    } else length = args.optionalInt("output_sequence_length", 0);
    if (args.bool("ragged") && mode !== undefined && mode !== "int") invalid(args, "ragged", "False unless output_mode='int'", true);
    // The inner StringLookup: one OOV index '[UNK]', mask token ''.
    const depth = lookupDepth(args, mode, 1, "[UNK]");
    if (!input) return result(args, undefined);
    if (mode === undefined) return result(args, undefined);
    if (mode === "int") return result(args, [input[0], length === null ? NONE : length ?? UNKNOWN]);
    return result(args, [input[0], depth]);
  },
};

export const preprocessingLayers: LayerSpec[] = costing(preprocessingCost, [
  lookupSpec("StringLookup"),
  lookupSpec("IntegerLookup"),
  textVectorizationSpec,
  ...imageLayers,
  rescalingSpec,
  normalizationSpec,
  categoryEncodingSpec,
  hashingSpec,
]);
