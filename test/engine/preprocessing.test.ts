/**
 * Preprocessing layers, worked out by hand from Keras 3 (keras/src/layers/preprocessing/):
 * image layers (image_preprocessing/*.py) take (batch, height, width, channels) or
 * channels-first batches; Resizing / CenterCrop / RandomCrop set height and width
 * to their arguments (compute_output_shape), the others return input_shape.
 * BaseImagePreprocessingLayer._set_factor: a number within the layer's
 * _FACTOR_BOUNDS, or a pair (a, b) with a ≤ upper bound and b ≥ lower bound.
 * RandomZoom/RandomTranslation check each factor in [−1, 1], RandomShear and
 * Solarization in [0, 1]; fill_mode in (reflect, wrap, constant, nearest) and
 * interpolation in (nearest, bilinear), compared exactly.
 * Normalization (normalization.py) creates, when mean/variance are not given,
 * non-trainable mean and variance shaped like the kept axes and a scalar count.
 * CategoryEncoding.compute_output_shape, Hashing.compute_output_spec,
 * IndexLookup.compute_output_shape ('int' keeps the shape, else (batch, depth) with
 * depth = max_tokens if pad_to_max_tokens else num_oov_indices + len(vocabulary)),
 * TextVectorization.compute_output_shape ('int' → (batch, output_sequence_length)).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Row, checkRow, infer, rowName, sequential, tup } from "./helpers";
import { Shape } from "../../server/src/engine/shape";

const N = "None";
const img: Shape = [N, 32, 32, 3];

const imageRows: Row[] = [
  { kind: "Resizing", args: [224, 224], input: [N, 256, 256, 3], output: [N, 224, 224, 3] },
  { kind: "Resizing", args: [64, 32, { data_format: "channels_first" }], input: [N, 3, 100, 200], output: [N, 3, 64, 32] },
  { kind: "Resizing", args: [128, 128], input: [N, N, N, 3], output: [N, 128, 128, 3], note: "open sizes become known" },
  { kind: "Resizing", args: [10, 20, "nearest", true, false, "constant", 0.0, "channels_last"], input: img, output: [N, 10, 20, 3], note: "positional" },
  { kind: "Resizing", args: [10, 20, { pad_to_aspect_ratio: true, fill_value: 1.0 }], input: img, output: [N, 10, 20, 3] },
  { kind: "Resizing", args: [0, 10], input: img, output: [N, "?", 10, 3], problems: ["nonPositiveArgument"] },
  { kind: "Resizing", args: [10], input: img, output: [N, 10, "?", 3], problems: ["missingArgument"] },
  { kind: "Resizing", args: [10, 10, { interpolation: "cubic" }], input: img, output: [N, 10, 10, 3], problems: ["invalidArgument"] },
  { kind: "Resizing", args: [10, 10, { crop_to_aspect_ratio: true, pad_to_aspect_ratio: true }], input: img, output: [N, 10, 10, 3], problems: ["invalidArgument"] },
  { kind: "Resizing", args: [10, 10, { fill_mode: "reflect" }], input: img, output: [N, 10, 10, 3], problems: ["invalidArgument"], note: "only 'constant'" },
  { kind: "Resizing", args: [10, 10, { data_format: "NHWC" }], input: img, output: [N, "?", "?", "?"], problems: ["invalidDataFormat"] },
  { kind: "Resizing", args: [10, 10], input: [N, 28, 28], output: undefined, problems: ["wrongRank"] },
  { kind: "Resizing", args: [10, 10], input: undefined, output: undefined },

  { kind: "CenterCrop", args: [100, 50], input: [N, 200, 300, 3], output: [N, 100, 50, 3] },
  { kind: "CenterCrop", args: [100, 50], input: [N, 20, 20, 3], output: [N, 100, 50, 3], note: "smaller input is resized" },
  { kind: "CenterCrop", args: [8, 8, "channels_first"], input: [N, 3, 32, 32], output: [N, 3, 8, 8] },
  { kind: "CenterCrop", args: [8, 8], input: [N, 32, 3], output: undefined, problems: ["wrongRank"] },

  { kind: "RandomCrop", args: [24, 24], input: img, output: [N, 24, 24, 3] },
  { kind: "RandomCrop", args: [24, 20, 42, "channels_first", "crop"], input: [N, 3, 32, 32], output: [N, 3, 24, 20], note: "name is positional" },
  { kind: "RandomCrop", args: [24, -1], input: img, output: [N, 24, "?", 3], problems: ["nonPositiveArgument"] },

  { kind: "RandomFlip", args: [], input: img, output: img },
  { kind: "RandomFlip", args: ["horizontal", { seed: 1 }], input: img, output: img },
  { kind: "RandomFlip", args: [{ data_format: "channels_first" }], input: [N, 3, 32, 32], output: [N, 3, 32, 32] },
  { kind: "RandomFlip", args: [{ bounding_box_format: "xyxy" }], input: img, output: img, note: "base keyword" },
  { kind: "RandomFlip", args: [{ factor: 0.5 }], input: img, output: img, problems: ["unknownKeyword"] },
  { kind: "RandomFlip", args: [], input: [N, 32, 3], output: undefined, problems: ["wrongRank"] },

  { kind: "RandomRotation", args: [0.1], input: img, output: img },
  { kind: "RandomRotation", args: [tup(-0.2, 0.3), "constant", "nearest", 1, 0.5], input: img, output: img },
  { kind: "RandomRotation", args: [tup(-2, 0.5)], input: img, output: img, note: "a ≤ 1 and b ≥ −1 is all Keras checks" },
  { kind: "RandomRotation", args: [1.5], input: img, output: img, problems: ["invalidArgument"] },
  { kind: "RandomRotation", args: [tup(2, 3)], input: img, output: img, problems: ["invalidArgument"] },
  { kind: "RandomRotation", args: [tup(0.1, 0.2, 0.3)], input: img, output: img, problems: ["invalidArgument"] },
  { kind: "RandomRotation", args: ["0.1"], input: img, output: img, problems: ["invalidArgument"] },
  { kind: "RandomRotation", args: [0.1, { fill_mode: "mirror" }], input: img, output: img, problems: ["invalidArgument"] },
  { kind: "RandomRotation", args: [0.1, { fill_mode: "Reflect" }], input: img, output: img, problems: ["invalidArgument"], note: "compared exactly" },
  { kind: "RandomRotation", args: [0.1, { interpolation: "bicubic" }], input: img, output: img, problems: ["invalidArgument"] },
  { kind: "RandomRotation", args: [], input: img, output: img, problems: ["missingArgument"] },

  { kind: "RandomZoom", args: [0.2], input: img, output: img },
  { kind: "RandomZoom", args: [0.5, 0.2], input: img, output: img },
  { kind: "RandomZoom", args: [tup(-0.3, -0.2), { fill_mode: "constant", fill_value: 1.0 }], input: img, output: img },
  { kind: "RandomZoom", args: [1.5], input: img, output: img, problems: ["invalidArgument"] },
  { kind: "RandomZoom", args: [tup(0.1, 2)], input: img, output: img, problems: ["invalidArgument"], note: "each bound in [−1, 1]" },
  { kind: "RandomZoom", args: [0.1, { width_factor: tup(0.1, 0.2, 0.3) }], input: img, output: img, problems: ["invalidArgument"] },

  { kind: "RandomTranslation", args: [0.1, 0.2], input: img, output: img },
  { kind: "RandomTranslation", args: [tup(-0.2, 0.3), 0.1, "wrap"], input: img, output: img },
  { kind: "RandomTranslation", args: [0.1], input: img, output: img, problems: ["missingArgument"] },
  { kind: "RandomTranslation", args: [0.1, -1.5], input: img, output: img, problems: ["invalidArgument"] },

  { kind: "RandomShear", args: [], input: img, output: img },
  { kind: "RandomShear", args: [{ x_factor: 0.2, y_factor: tup(0.1, 0.3) }], input: img, output: img },
  { kind: "RandomShear", args: [{ x_factor: -0.2 }], input: img, output: img, problems: ["invalidArgument"], note: "each in [0, 1]" },

  { kind: "RandomPerspective", args: [], input: img, output: img },
  { kind: "RandomPerspective", args: [0.5, 0.2], input: img, output: img },
  { kind: "RandomPerspective", args: [{ interpolation: "area" }], input: img, output: img, problems: ["invalidArgument"] },
  { kind: "RandomPerspective", args: [1.5], input: img, output: img, problems: ["invalidArgument"] },

  { kind: "RandomContrast", args: [0.2], input: img, output: img },
  { kind: "RandomContrast", args: [tup(0.1, 0.4), tup(0, 1), 3], input: img, output: img },
  { kind: "RandomContrast", args: [0.2, { data_format: "channels_first" }], input: [N, 3, 32, 32], output: [N, 3, 32, 32], note: "data_format via **kwargs" },
  { kind: "RandomContrast", args: [-0.1], input: img, output: img, problems: ["invalidArgument"], note: "bounds (0, 1)" },
  { kind: "RandomContrast", args: [1.5], input: img, output: img, problems: ["invalidArgument"] },

  { kind: "RandomBrightness", args: [0.2], input: img, output: img },
  { kind: "RandomBrightness", args: [-0.5, tup(0, 1)], input: img, output: img },
  { kind: "RandomBrightness", args: [1.2], input: img, output: img, problems: ["invalidArgument"] },
  { kind: "RandomBrightness", args: [0.2, { value_range: 255 }], input: img, output: img, problems: ["invalidArgument"] },
  { kind: "RandomBrightness", args: [0.2, { value_range: tup(0, 1, 2) }], input: img, output: img, problems: ["invalidArgument"] },

  { kind: "RandomHue", args: [0.5, tup(0, 1)], input: img, output: img },
  { kind: "RandomHue", args: [0.5], input: img, output: img, problems: ["missingArgument"], note: "value_range has no default" },
  { kind: "RandomHue", args: [-0.5, tup(0, 1)], input: img, output: img, problems: ["invalidArgument"] },
  { kind: "RandomSaturation", args: [0.5], input: img, output: img },
  { kind: "RandomSaturation", args: [tup(0.5, 0.5), { value_range: "x" }], input: img, output: img, problems: ["invalidArgument"] },
  { kind: "RandomColorDegeneration", args: [0.5], input: img, output: img },
  { kind: "RandomColorDegeneration", args: [2], input: img, output: img, problems: ["invalidArgument"] },
  { kind: "RandomColorJitter", args: [{ brightness_factor: 0.2, contrast_factor: 0.3, saturation_factor: 0.5, hue_factor: 0.5 }], input: img, output: img },
  { kind: "RandomColorJitter", args: [{ hue_factor: -0.1 }], input: img, output: img, problems: ["invalidArgument"] },
  { kind: "RandomSharpness", args: [0.5], input: img, output: img },
  { kind: "RandomSharpness", args: [-0.5], input: img, output: img, problems: ["invalidArgument"] },
  { kind: "RandomInvert", args: [], input: img, output: img },
  { kind: "RandomInvert", args: [1.5], input: img, output: img, problems: ["invalidArgument"] },
  { kind: "RandomPosterization", args: [4], input: img, output: img },
  { kind: "RandomPosterization", args: [tup(2, 6)], input: img, output: img },
  { kind: "RandomPosterization", args: [0], input: img, output: img, problems: ["invalidArgument"], note: "bounds (1, 8)" },
  { kind: "RandomPosterization", args: [9], input: img, output: img, problems: ["invalidArgument"] },
  { kind: "RandomGrayscale", args: [], input: img, output: img },
  { kind: "RandomGrayscale", args: [1.5], input: img, output: img, problems: ["invalidArgument"] },
  { kind: "RandomGaussianBlur", args: [], input: img, output: img },
  { kind: "RandomGaussianBlur", args: [0.5, 5, tup(0.1, 0.9)], input: img, output: img },
  { kind: "RandomGaussianBlur", args: [{ kernel_size: 4 }], input: img, output: img, problems: ["invalidArgument"], note: "must be odd" },
  { kind: "RandomGaussianBlur", args: [{ sigma: 2.0 }], input: img, output: img, problems: ["invalidArgument"], note: "sigma uses the (0, 1) factor bounds" },
  { kind: "AutoContrast", args: [], input: img, output: img },
  { kind: "AutoContrast", args: [{ value_range: 1 }], input: img, output: img, problems: ["invalidArgument"] },
  { kind: "Equalization", args: [tup(0, 1), 128], input: img, output: img },
  { kind: "Solarization", args: [0.5, 0.5], input: img, output: img },
  { kind: "Solarization", args: [{ addition_factor: 1.5 }], input: img, output: img, problems: ["invalidArgument"] },
  { kind: "Solarization", args: [{ threshold_factor: tup(-0.1, 0.5) }], input: img, output: img, problems: ["invalidArgument"] },
];

const otherRows: Row[] = [
  { kind: "Rescaling", args: [1 / 255], input: img, output: img },
  { kind: "Rescaling", args: [{ scale: 1 / 127.5, offset: -1 }], input: [N, 10], output: [N, 10] },
  { kind: "Rescaling", args: [], input: img, output: img, problems: ["missingArgument"] },

  // Normalization: mean and variance of the kept axes + count (scalar), non-trainable.
  { kind: "Normalization", args: [], input: [N, 5], output: [N, 5], params: 11n, trainable: 0n, nonTrainable: 11n, note: "5 + 5 + 1" },
  { kind: "Normalization", args: [{ axis: null }], input: [N, 5], output: [N, 5], params: 3n, note: "scalar mean and variance: 1 + 1 + 1" },
  { kind: "Normalization", args: [tup(1, 2)], input: [N, 4, 5, 3], output: [N, 4, 5, 3], params: 41n, note: "4·5 = 20; 20 + 20 + 1" },
  { kind: "Normalization", args: [], input: [N, 28, 28, 3], output: [N, 28, 28, 3], params: 7n, note: "3 + 3 + 1" },
  { kind: "Normalization", args: [{ axis: -2 }], input: [N, 10, 3], output: [N, 10, 3], params: 21n, note: "10 + 10 + 1" },
  { kind: "Normalization", args: [{ mean: 3.0, variance: 2.0 }], input: [N, 1], output: [N, 1], params: 0n, note: "given statistics are not weights" },
  { kind: "Normalization", args: [-1, [1, 2, 3], [1, 1, 1], true], input: [N, 3], output: [N, 3], params: 0n },
  { kind: "Normalization", args: [{ mean: 3.0 }], input: [N, 1], output: [N, 1], params: 0n, problems: ["missingArgument"] },
  { kind: "Normalization", args: [{ mean: [1, 2], variance: [1, 2, 3] }], input: [N, 3], output: [N, 3], params: 0n, problems: ["invalidArgument"] },
  { kind: "Normalization", args: [{ mean: [[1, 2], [3, 4]], variance: [[1, 2], [3, 4]] }], input: [N, 2, 2], output: [N, 2, 2], params: 0n, problems: ["invalidArgument"], note: "rank 2 > one axis" },
  { kind: "Normalization", args: [{ axis: 2 }], input: [N, 5], output: [N, 5], params: undefined, problems: ["invalidArgument"] },
  { kind: "Normalization", args: [], input: [N, N], output: [N, N], params: undefined, problems: ["undefinedAxis"] },
  { kind: "Normalization", args: [], input: undefined, output: undefined, params: undefined },

  // CategoryEncoding.
  { kind: "CategoryEncoding", args: [10], input: [N, 5], output: [N, 10], note: "multi_hot: (…, num_tokens)" },
  { kind: "CategoryEncoding", args: [10, "one_hot"], input: [N, 1], output: [N, 10], note: "last dim 1 is replaced" },
  { kind: "CategoryEncoding", args: [10, "one_hot"], input: [N, 5], output: [N, 5, 10], note: "otherwise appended" },
  { kind: "CategoryEncoding", args: [{ num_tokens: 4, output_mode: "one_hot" }], input: [N], output: [N, 4] },
  { kind: "CategoryEncoding", args: [{ num_tokens: 4, output_mode: "count", sparse: false }], input: [N, 3], output: [N, 4] },
  { kind: "CategoryEncoding", args: [{ num_tokens: 4, output_mode: "binary" }], input: [N, 3], output: [N, 4], note: "deprecated name for multi_hot" },
  { kind: "CategoryEncoding", args: [{ num_tokens: 4 }], input: [N], output: [4], note: "Keras's input_shape[:-1] + (num_tokens,)" },
  { kind: "CategoryEncoding", args: [4, "tf_idf"], input: [N, 3], output: undefined, problems: ["invalidArgument"] },
  { kind: "CategoryEncoding", args: [], input: [N, 3], output: [N, "?"], problems: ["invalidArgument"], note: "num_tokens must be set" },
  { kind: "CategoryEncoding", args: [0], input: [N, 3], output: [N, "?"], problems: ["nonPositiveArgument"] },

  // Hashing.
  { kind: "Hashing", args: [10], input: [N, 1], output: [N, 1] },
  { kind: "Hashing", args: [10, { output_mode: "one_hot" }], input: [N, 1], output: [N, 10] },
  { kind: "Hashing", args: [10, { output_mode: "multi_hot" }], input: [N, 4], output: [N, 10] },
  { kind: "Hashing", args: [10, "", tup(133, 137), "count", true], input: [N, 4], output: [N, 10], note: "positional" },
  { kind: "Hashing", args: [3, { salt: 133 }], input: [N, 1], output: [N, 1] },
  { kind: "Hashing", args: [3, { salt: "abc" }], input: [N, 1], output: [N, 1], problems: ["invalidArgument"] },
  { kind: "Hashing", args: [10, { sparse: true }], input: [N, 1], output: [N, 1], problems: ["invalidArgument"], note: "sparse needs an encoded mode" },
  { kind: "Hashing", args: [0], input: [N, 1], output: [N, 1], problems: ["nonPositiveArgument"] },
  { kind: "Hashing", args: [10, { output_mode: "binary" }], input: [N, 1], output: undefined, problems: ["invalidArgument"] },
  { kind: "Hashing", args: [], input: [N, 1], output: [N, 1], problems: ["missingArgument"] },

  // StringLookup: Keras docstring vocab ["a", "b", "c", "d"] → 1 OOV + 4 = 5 columns.
  { kind: "StringLookup", args: [], input: [N, 5], output: [N, 5] },
  { kind: "StringLookup", args: [{ vocabulary: ["a", "b", "c", "d"], output_mode: "multi_hot" }], input: [N, 4], output: [N, 5] },
  { kind: "StringLookup", args: [{ vocabulary: ["a", "b", "c", "d"], output_mode: "one_hot" }], input: [N], output: [N, 5] },
  { kind: "StringLookup", args: [{ vocabulary: ["[UNK]", "a", "b", "c", "d"], output_mode: "tf_idf", idf_weights: [0.9, 0.25, 0.75, 0.6, 0.4] }], input: [N, 4], output: [N, 5], note: "leading OOV not counted twice" },
  { kind: "StringLookup", args: [{ vocabulary: ["a", "b", "c", "d"], num_oov_indices: 2, output_mode: "count" }], input: [N, 4], output: [N, 6], note: "2 + 4" },
  { kind: "StringLookup", args: [{ vocabulary: ["a", "b", "c", "d"], mask_token: "", output_mode: "multi_hot" }], input: [N, 4], output: [N, 5], note: "mask only counts in 'int' mode" },
  { kind: "StringLookup", args: [{ max_tokens: 100, pad_to_max_tokens: true, output_mode: "multi_hot" }], input: [N, 4], output: [N, 100] },
  { kind: "StringLookup", args: [{ output_mode: "multi_hot" }], input: [N, 4], output: [N, "?"], note: "vocabulary from adapt()" },
  { kind: "StringLookup", args: [{ vocabulary: ["a", "b"], invert: true }], input: [N, 3], output: [N, 3] },
  { kind: "StringLookup", args: [{ output_mode: "tf-idf" }], input: [N, 4], output: [N, "?"], note: "deprecated spelling" },
  { kind: "StringLookup", args: [{ pad_to_max_tokens: true, output_mode: "count" }], input: [N, 4], output: [N, "?"], problems: ["invalidArgument"] },
  { kind: "StringLookup", args: [{ max_tokens: 1 }], input: [N, 4], output: [N, 4], problems: ["invalidArgument"] },
  { kind: "StringLookup", args: [{ invert: true, output_mode: "multi_hot" }], input: [N, 4], output: [N, "?"], problems: ["invalidArgument"] },
  { kind: "StringLookup", args: [{ sparse: true }], input: [N, 4], output: [N, 4], problems: ["invalidArgument"] },
  { kind: "StringLookup", args: [{ idf_weights: [0.5] }], input: [N, 4], output: [N, 4], problems: ["invalidArgument"] },
  { kind: "StringLookup", args: [{ vocabulary: ["a"], output_mode: "tf_idf" }], input: [N, 4], output: [N, 2], problems: ["missingArgument"] },
  { kind: "StringLookup", args: [{ vocabulary: ["a", "b", "c", "d"], max_tokens: 3 }], input: [N, 4], output: [N, 4], problems: ["invalidArgument"], note: "1 + 4 = 5 > 3" },
  { kind: "StringLookup", args: [{ output_mode: "embedding" }], input: [N, 4], output: undefined, problems: ["invalidArgument"] },

  // IntegerLookup: docstring vocab [12, 36, 1138, 42] → 5 columns.
  { kind: "IntegerLookup", args: [], input: [N, 3], output: [N, 3] },
  { kind: "IntegerLookup", args: [{ vocabulary: [12, 36, 1138, 42], output_mode: "multi_hot" }], input: [N, 4], output: [N, 5] },
  { kind: "IntegerLookup", args: [{ vocabulary: [-1, 12, 36, 1138, 42], output_mode: "tf_idf", idf_weights: [0.9, 0.25, 0.75, 0.6, 0.4] }], input: [N, 4], output: [N, 5] },
  { kind: "IntegerLookup", args: [{ vocabulary_dtype: "int32" }], input: [N, 3], output: [N, 3], problems: ["invalidArgument"] },
  { kind: "IntegerLookup", args: [{ num_oov_indices: -1 }], input: [N, 3], output: [N, 3], problems: ["invalidArgument"] },

  // TextVectorization.
  { kind: "TextVectorization", args: [{ max_tokens: 5000, output_sequence_length: 4 }], input: [N, 1], output: [N, 4] },
  { kind: "TextVectorization", args: [], input: [N], output: [N, N], note: "no output_sequence_length: open" },
  { kind: "TextVectorization", args: [{ max_tokens: 100, output_mode: "multi_hot", pad_to_max_tokens: true }], input: [N, 1], output: [N, 100] },
  { kind: "TextVectorization", args: [{ output_mode: "multi_hot", vocabulary: ["earth", "wind", "and", "fire"] }], input: [N, 1], output: [N, 5] },
  { kind: "TextVectorization", args: [{ output_mode: "tf_idf" }], input: [N, 1], output: [N, "?"] },
  { kind: "TextVectorization", args: [{ ngrams: 2, standardize: "lower", split: "character" }], input: [N, 1], output: [N, N] },
  { kind: "TextVectorization", args: [{ ngrams: tup(1, 2), standardize: null, split: null }], input: [N, 1], output: [N, N] },
  { kind: "TextVectorization", args: [{ output_mode: "multi_hot", output_sequence_length: 10 }], input: [N, 1], output: [N, "?"], problems: ["invalidArgument"] },
  { kind: "TextVectorization", args: [{ output_sequence_length: "10" }], input: [N, 1], output: [N, "?"], problems: ["invalidArgument"] },
  { kind: "TextVectorization", args: [{ standardize: "upper" }], input: [N, 1], output: [N, N], problems: ["invalidArgument"] },
  { kind: "TextVectorization", args: [{ split: "comma" }], input: [N, 1], output: [N, N], problems: ["invalidArgument"] },
  // validate_string_arg(..., allow_callables=True): a function of the file, a class, a layer or an instance (which
  // may define __call__) is accepted; a value that cannot be called is not.
  { kind: "TextVectorization", args: [{ standardize: { ref: "function", id: 0 }, output_sequence_length: 4 }], input: [N, 1], output: [N, 4], note: "a function" },
  { kind: "TextVectorization", args: [{ split: { ref: "function", id: 1 }, standardize: { ref: "instance", id: 0 } }], input: [N, 1], output: [N, N], note: "a function and an instance" },
  { kind: "TextVectorization", args: [{ standardize: { ref: "class", id: 0 } }], input: [N, 1], output: [N, N], note: "a class" },
  { kind: "TextVectorization", args: [{ standardize: 3 }], input: [N, 1], output: [N, N], problems: ["invalidArgument"], note: "an int is not callable" },
  { kind: "TextVectorization", args: [{ split: { ref: "dict", id: 0 } }], input: [N, 1], output: [N, N], problems: ["invalidArgument"], note: "a dict is not callable" },
  { kind: "TextVectorization", args: [{ ngrams: [1, 2] }], input: [N, 1], output: [N, N], problems: ["invalidArgument"], note: "a list is not a tuple" },
  { kind: "TextVectorization", args: [{ ragged: true, output_mode: "count" }], input: [N, 1], output: [N, "?"], problems: ["invalidArgument"] },
];

for (const row of [...imageRows, ...otherRows]) test(rowName(row), () => checkRow(row, assert));

test("Resizing formulas show the new height and width", () => {
  const got = infer("Resizing", [224, 160], ["None", 256, 256, 3]);
  assert.deepEqual(got.result.formulas, [
    { label: "height", text: "256 → 224" },
    { label: "width", text: "256 → 160" },
  ]);
});

test("Normalization weights: mean, variance and count, all non-trainable", () => {
  const got = infer("Normalization", [], ["None", 5]);
  assert.deepEqual(
    got.result.weights.map((w) => [w.name, w.shape, w.trainable]),
    [
      ["mean", [5], false],
      ["variance", [5], false],
      ["count", [], false],
    ],
  );
});

test("Sequential: augmentation and rescaling before a convolution", () => {
  // Augmentations keep (None, 32, 32, 3); Conv2D (3·3·3 + 1)·8 = 224 → (None, 30, 30, 8).
  const model = sequential([32, 32, 3], [
    ["RandomFlip", ["horizontal"]],
    ["RandomRotation", [0.1]],
    ["RandomZoom", [0.1]],
    ["Rescaling", [1 / 255]],
    ["Conv2D", [8, 3]],
  ]);
  assert.deepEqual(model.layers[4].output, ["None", 32, 32, 3]);
  assert.deepEqual(model.layers[5].output, ["None", 30, 30, 8]);
  assert.equal(model.totals.total, 224n);
  assert.deepEqual(model.diagnostics, []);
});

test("Sequential: Normalization counts as non-trainable parameters", () => {
  // Normalization 2·9 + 1 = 19 non-trainable; Dense (9 + 1)·1 = 10 trainable.
  const model = sequential([9], [
    ["Normalization", []],
    ["Dense", [1]],
  ]);
  assert.equal(model.totals.total, 29n);
  assert.equal(model.totals.trainable, 10n);
  assert.equal(model.totals.nonTrainable, 19n);
});

test("Sequential: Resizing then CenterCrop", () => {
  const model = sequential([300, 400, 3], [
    ["Resizing", [256, 256]],
    ["CenterCrop", [224, 224]],
  ]);
  assert.deepEqual(model.layers[2].output, ["None", 224, 224, 3]);
});
