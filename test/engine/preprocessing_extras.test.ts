/**
 * The rarer Keras 3 image preprocessing layers (keras/src/layers/preprocessing/image_preprocessing):
 * RandomResizedCrop replaces height and width by its arguments (compute_output_shape, which
 * writes axes 1 and 2 of a rank-4 input whose last size is 1, 3 or 4 whatever the data_format);
 * RandomErasing, RandomElasticTransform, MixUp, CutMix, AugMix and RandAugment keep the shape
 * (`compute_output_shape` returns the input shape). No weights.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Row, checkRow, rowName, tup } from "./helpers";

const N = "None";

const rows: Row[] = [
  { kind: "RandomResizedCrop", args: [224, 224], input: [N, 256, 256, 3], output: [N, 224, 224, 3] },
  { kind: "RandomResizedCrop", args: [{ height: 32, width: 48, scale: tup(0.5, 1.0), ratio: tup(0.9, 1.1), seed: 1 }], input: [8, 64, 64, 1], output: [8, 32, 48, 1] },
  { kind: "RandomResizedCrop", args: [32, 48, { data_format: "channels_first" }], input: [N, 16, 64, 64], output: [N, 16, 32, 48] },
  { kind: "RandomResizedCrop", args: [32, 48, { data_format: "channels_first" }], input: [N, 16, 64, 3], output: [N, 32, 48, 3], note: "Keras's own quirk: a last size of 3 reads as channels" },
  { kind: "RandomResizedCrop", args: [0, 48], input: [N, 64, 64, 3], output: [N, "?", 48, 3], problems: ["nonPositiveArgument"] },
  { kind: "RandomResizedCrop", args: [32, 32, { scale: 0.5 }], input: [N, 64, 64, 3], output: [N, 32, 32, 3], problems: ["invalidArgument"] },
  { kind: "RandomResizedCrop", args: [32, 32], input: [N, 64, 3], output: undefined, problems: ["wrongRank"] },
  { kind: "RandomResizedCrop", args: [32], input: [N, 64, 64, 3], output: [N, 32, "?", 3], problems: ["missingArgument"] },
  { kind: "RandomErasing", args: [], input: [N, 32, 32, 3], output: [N, 32, 32, 3] },
  { kind: "RandomErasing", args: [{ factor: 0.5, scale: tup(0.1, 0.2), fill_value: 0, value_range: tup(0, 1) }], input: [N, 32, 32, 3], output: [N, 32, 32, 3] },
  { kind: "RandomErasing", args: [{ factor: 2 }], input: [N, 32, 32, 3], output: [N, 32, 32, 3], problems: ["invalidArgument"] },
  { kind: "RandomElasticTransform", args: [], input: [N, 32, 32, 3], output: [N, 32, 32, 3] },
  { kind: "RandomElasticTransform", args: [{ fill_mode: "mirror", interpolation: "nearest" }], input: [N, 32, 32, 3], output: [N, 32, 32, 3] },
  { kind: "RandomElasticTransform", args: [{ interpolation: "bicubic" }], input: [N, 32, 32, 3], output: [N, 32, 32, 3], problems: ["invalidArgument"] },
  { kind: "MixUp", args: [{ alpha: 0.4 }], input: [N, 32, 32, 3], output: [N, 32, 32, 3] },
  { kind: "CutMix", args: [], input: [N, 32, 32, 3], output: [N, 32, 32, 3] },
  { kind: "CutMix", args: [{ factor: -1 }], input: [N, 32, 32, 3], output: [N, 32, 32, 3], problems: ["invalidArgument"] },
  { kind: "AugMix", args: [{ num_chains: 2, chain_depth: tup(1, 3) }], input: [N, 32, 32, 3], output: [N, 32, 32, 3] },
  { kind: "RandAugment", args: [{ value_range: tup(0, 1), num_ops: 3, factor: 0.7 }], input: [N, 32, 32, 3], output: [N, 32, 32, 3] },
  { kind: "RandAugment", args: [{ magnitude: 9 }], input: [N, 32, 32, 3], output: [N, 32, 32, 3], problems: ["unknownKeyword"], note: "torchvision's argument, not Keras's" },
  { kind: "MixUp", args: [], input: [N, 32, 3], output: undefined, problems: ["wrongRank"] },
];

for (const row of rows) test(rowName(row), () => checkRow(row, assert));
