/**
 * Conv1D/2D/3DTranspose, SeparableConv1D/2D, DepthwiseConv1D/2D. Expected values
 * worked out by hand from Keras 3:
 * - transpose (`compute_conv_transpose_output_shape`, keras/src/backend/common/backend_utils.py),
 *   k' = d·(k − 1) + 1: valid → (n − 1)·s + k' + p, with p = max(k', s) − k' when
 *   output_padding is None; same → n·s without output_padding, else (n − 1)·s + k' mod 2 + p.
 *   Kernel k…·filters·C_in, bias filters (base_conv_transpose.py); output_padding < strides.
 * - separable / depthwise: the forward rule of `compute_conv_output_shape`;
 *   separable depthwise_kernel k…·C_in·m, pointwise_kernel 1…·(C_in·m)·filters, bias filters
 *   (base_separable_conv.py); depthwise kernel k…·C_in·m, bias C_in·m, output channels
 *   C_in·m (base_depthwise_conv.py). None of them accepts padding='causal'.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { findLayer } from "../../server/src/engine/layers/registry";
import { Row, checkRow, infer, rowName, sequential, tup } from "./helpers";

const N = "None";
const Q = "?";

const transposeRows: Row[] = [
  // Keras docstring: (10 − 1)·2 + max(2, 2) = 20, (8 − 1)·2 + 2 = 16; 2·2·32·128 + 32 = 16,416.
  { kind: "Conv2DTranspose", args: [32, 2, 2], input: [N, 10, 8, 128], output: [N, 20, 16, 32], params: 16416n },
  { kind: "Convolution2DTranspose", args: [32, 2, 2], input: [N, 10, 8, 128], output: [N, 20, 16, 32], params: 16416n, note: "alias" },
  // Keras docstring: (10 − 1)·2 + max(3, 2) = 21; 3·32·128 + 32 = 12,320.
  { kind: "Conv1DTranspose", args: [32, 3, 2], input: [N, 10, 128], output: [N, 21, 32], params: 12320n },
  { kind: "Convolution1DTranspose", args: [32, 3, 2], input: [N, 10, 128], output: [N, 21, 32], params: 12320n, note: "alias" },
  // Keras docstring: 10 → 20, 8 → 16, 12 → 24; 2·2·2·32·128 + 32 = 32,800.
  { kind: "Conv3DTranspose", args: [32, 2, 2], input: [N, 10, 8, 12, 128], output: [N, 20, 16, 24, 32], params: 32800n },
  { kind: "Convolution3DTranspose", args: [32, 2, 2], input: [N, 10, 8, 12, 128], output: [N, 20, 16, 24, 32], params: 32800n, note: "alias" },
  // Defaults strides 1, valid: (28 − 1) + 3 = 30; 3·3·16·8 + 16 = 1,168.
  { kind: "Conv2DTranspose", args: [16, 3], input: [N, 28, 28, 8], output: [N, 30, 30, 16], params: 1168n },
  // same, no output_padding: 14·2 = 28.
  { kind: "Conv2DTranspose", args: [16, 3, 2, "same"], input: [N, 14, 14, 8], output: [N, 28, 28, 16], params: 1168n },
  { kind: "Conv2DTranspose", args: [16, 3, { padding: "SAME" }], input: [N, 14, 14, 8], output: [N, 14, 14, 16], params: 1168n, note: "14·1" },
  // Kernel smaller than the stride: (5 − 1)·3 + max(1, 3) = 15; 1·1·4·2 + 4 = 12.
  { kind: "Conv2DTranspose", args: [4, 1, 3], input: [N, 5, 5, 2], output: [N, 15, 15, 4], params: 12n },
  // output_padding 1, valid: (5 − 1)·2 + 3 + 1 = 12; 3·3·4·2 + 4 = 76.
  { kind: "Conv2DTranspose", args: [4, 3, 2, { output_padding: 1 }], input: [N, 5, 5, 2], output: [N, 12, 12, 4], params: 76n },
  // Without it: (5 − 1)·2 + 3 = 11.
  { kind: "Conv2DTranspose", args: [4, 3, 2], input: [N, 5, 5, 2], output: [N, 11, 11, 4], params: 76n },
  // same + output_padding 1, kernel 4: (5 − 1)·2 + 4 mod 2 + 1 = 9 (not 5·2 = 10); 4·4·4·2 + 4 = 132.
  { kind: "Conv2DTranspose", args: [4, 4, 2, "same", { output_padding: 1 }], input: [N, 5, 5, 2], output: [N, 9, 9, 4], params: 132n },
  { kind: "Conv2DTranspose", args: [4, 4, 2, "same"], input: [N, 5, 5, 2], output: [N, 10, 10, 4], params: 132n },
  // same + output_padding 0, kernel 3: (5 − 1)·2 + 1 + 0 = 9.
  { kind: "Conv2DTranspose", args: [4, 3, 2, "same", { output_padding: 0 }], input: [N, 5, 5, 2], output: [N, 9, 9, 4], params: 76n },
  // Conv1DTranspose takes output_padding as its 5th positional: (10 − 1)·2 + 3 + 1 = 22; 3·4·2 + 4 = 28.
  { kind: "Conv1DTranspose", args: [4, 3, 2, "valid", 1], input: [N, 10, 2], output: [N, 22, 4], params: 28n },
  // Conv2DTranspose's 5th positional is data_format: (5 − 1) + 3 = 7; 3·3·8·2 + 8 = 152.
  { kind: "Conv2DTranspose", args: [8, 3, 1, "valid", "channels_first"], input: [N, 2, 5, 5], output: [N, 8, 7, 7], params: 152n },
  // Per-axis output_padding (1, 0): h (5 − 1)·2 + 3 + 1 = 12, w (6 − 1)·2 + 3 + 0 = 13.
  { kind: "Conv2DTranspose", args: [4, 3, 2, { output_padding: tup(1, 0) }], input: [N, 5, 6, 2], output: [N, 12, 13, 4], params: 76n },
  // Dilation 2: k' = 2·2 + 1 = 5, (10 − 1) + 5 = 14.
  { kind: "Conv1DTranspose", args: [4, 3, { dilation_rate: 2 }], input: [N, 10, 2], output: [N, 14, 4], params: 28n },
  // channels_first: (7 − 1)·2 + 3 = 15; 3·3·8·4 + 8 = 296.
  { kind: "Conv2DTranspose", args: [8, 3, 2, { data_format: "channels_first" }], input: [N, 4, 7, 7], output: [N, 8, 15, 15], params: 296n },
  // No bias: 3·3·8·4 = 288.
  { kind: "Conv2DTranspose", args: [8, 3, { use_bias: false }], input: [N, 7, 7, 4], output: [N, 9, 9, 8], params: 288n },
  // Conv3DTranspose (3, 3, 1), strides (1, 2, 1): d 4 + 2 = 6, h (4 − 1)·2 + 3 = 9, w 4 + 0 = 4; 3·3·1·2·3 + 2 = 56.
  { kind: "Conv3DTranspose", args: [2, tup(3, 3, 1), tup(1, 2, 1)], input: [N, 4, 4, 4, 3], output: [N, 6, 9, 4, 2], params: 56n },
  { kind: "Conv2DTranspose", args: [8, 3, 2], input: [N, N, N, 4], output: [N, N, N, 8], params: 296n, note: "open sizes stay open" },
  { kind: "Conv2DTranspose", args: [8, 3], input: undefined, output: undefined, params: undefined },

  // Invalid.
  // output_padding must be < strides: 2 ≥ 2.
  { kind: "Conv2DTranspose", args: [8, 3, 2, { output_padding: 2 }], input: [N, 5, 5, 4], output: [N, Q, Q, 8], params: 296n, problems: ["invalidArgument"] },
  // Default strides 1: any output_padding ≥ 1 is rejected.
  { kind: "Conv1DTranspose", args: [4, 3, { output_padding: 1 }], input: [N, 10, 2], output: [N, Q, 4], params: 28n, problems: ["invalidArgument"] },
  { kind: "Conv1DTranspose", args: [4, 3, 2, { output_padding: -1 }], input: [N, 10, 2], output: [N, Q, 4], params: 28n, problems: ["invalidArgument"] },
  // strides 2 with dilation 2 is refused; the shape still follows: (10 − 1)·2 + max(5, 2) = 23.
  { kind: "Conv1DTranspose", args: [4, 3, 2, { dilation_rate: 2 }], input: [N, 10, 2], output: [N, 23, 4], params: 28n, problems: ["stridesWithDilation"] },
  { kind: "Conv1DTranspose", args: [4, 3, { padding: "causal" }], input: [N, 10, 2], output: [N, Q, 4], params: 28n, problems: ["causalPadding"] },
  { kind: "Conv2DTranspose", args: [4, 3, { padding: "full" }], input: [N, 5, 5, 2], output: [N, Q, Q, 4], params: 76n, problems: ["invalidPadding"] },
  { kind: "Conv2DTranspose", args: [0, 3], input: [N, 5, 5, 2], output: [N, 7, 7, Q], params: undefined, problems: ["nonPositiveArgument"] },
  { kind: "Conv2DTranspose", args: [8, 0], input: [N, 5, 5, 2], output: [N, Q, Q, 8], params: undefined, problems: ["nonPositiveArgument"] },
  // Transposed convolutions have no groups: 3·3·8·2 + 8 = 152 all the same.
  { kind: "Conv2DTranspose", args: [8, 3, { groups: 2 }], input: [N, 5, 5, 2], output: [N, 7, 7, 8], params: 152n, problems: ["unknownKeyword"] },
  { kind: "Conv2DTranspose", args: [8, 3], input: [N, 5, 5], output: undefined, params: undefined, problems: ["wrongRank"] },
  { kind: "Conv2DTranspose", args: [8], input: [N, 5, 5, 2], output: [N, Q, Q, 8], params: undefined, problems: ["missingArgument"] },
  // same + output_padding 0 on length 1 with an even kernel: (1 − 1)·2 + 2 mod 2 + 0 = 0; 2·2·1 + 2 = 6.
  { kind: "Conv1DTranspose", args: [2, 2, 2, "same", 0], input: [N, 1, 1], output: [N, Q, 2], params: 6n, problems: ["nonPositiveDimension"] },
];

const separableRows: Row[] = [
  // 32 − 3 + 1 = 30; depthwise 3·3·8·1 = 72, pointwise 1·1·8·16 = 128, bias 16 → 216.
  { kind: "SeparableConv2D", args: [16, 3], input: [N, 32, 32, 8], output: [N, 30, 30, 16], params: 216n },
  { kind: "SeparableConvolution2D", args: [16, 3], input: [N, 32, 32, 8], output: [N, 30, 30, 16], params: 216n, note: "alias" },
  // depth_multiplier 2: 3·3·8·2 = 144, 1·1·16·16 = 256, 16 → 416.
  { kind: "SeparableConv2D", args: [16, 3, { depth_multiplier: 2 }], input: [N, 32, 32, 8], output: [N, 30, 30, 16], params: 416n },
  { kind: "SeparableConv2D", args: [16, 3, 1, "valid", null, 1, 2], input: [N, 32, 32, 8], output: [N, 30, 30, 16], params: 416n, note: "depth_multiplier is the 7th positional" },
  // same, stride 2: ⌊31 / 2⌋ + 1 = 16.
  { kind: "SeparableConv2D", args: [16, 3, 2, "same"], input: [N, 32, 32, 8], output: [N, 16, 16, 16], params: 216n },
  // No bias: 72 + 128 = 200.
  { kind: "SeparableConv2D", args: [16, 3, { use_bias: false }], input: [N, 32, 32, 8], output: [N, 30, 30, 16], params: 200n },
  // channels_first: 10 − 3 + 1 = 8; 3·3·3 = 27, 3·4 = 12, 4 → 43.
  { kind: "SeparableConv2D", args: [4, 3, { data_format: "channels_first" }], input: [N, 3, 10, 10], output: [N, 4, 8, 8], params: 43n },
  // 1-D: 100 − 5 + 1 = 96; 5·4 = 20, 4·8 = 32, 8 → 60.
  { kind: "SeparableConv1D", args: [8, 5], input: [N, 100, 4], output: [N, 96, 8], params: 60n },
  { kind: "SeparableConvolution1D", args: [8, 5], input: [N, 100, 4], output: [N, 96, 8], params: 60n, note: "alias" },
  // Dilation 2: 20 − 5 + 1 = 16; 3·4 = 12, 4·8 = 32, 8 → 52.
  { kind: "SeparableConv1D", args: [8, 3, { dilation_rate: 2 }], input: [N, 20, 4], output: [N, 16, 8], params: 52n },
  // (3, 1) window, depth_multiplier 3: h 8, w 10; 3·1·2·3 = 18, 1·1·6·5 = 30, 5 → 53.
  { kind: "SeparableConv2D", args: [5, tup(3, 1), { depth_multiplier: 3 }], input: [N, 10, 10, 2], output: [N, 8, 10, 5], params: 53n },
  { kind: "SeparableConv2D", args: [16, 3], input: [N, N, N, 8], output: [N, N, N, 16], params: 216n, note: "open sizes" },
  { kind: "SeparableConv2D", args: [16, 3], input: undefined, output: undefined, params: undefined },

  // Invalid.
  { kind: "SeparableConv1D", args: [8, 3, { padding: "causal" }], input: [N, 20, 4], output: [N, Q, 8], params: 52n, problems: ["causalPadding"], note: "3·4 + 4·8 + 8 = 52" },
  { kind: "SeparableConv1D", args: [8, 5, { depth_multiplier: 0 }], input: [N, 100, 4], output: [N, 96, 8], params: undefined, problems: ["nonPositiveArgument"] },
  { kind: "SeparableConv2D", args: [{ kernel_size: 3 }], input: [N, 32, 32, 8], output: [N, 30, 30, Q], params: undefined, problems: ["missingArgument"] },
  // ⌊(32 − 5) / 2⌋ + 1 = 14; 72 + 8·4 + 4 = 108.
  { kind: "SeparableConv2D", args: [4, 3, { strides: 2, dilation_rate: 2 }], input: [N, 32, 32, 8], output: [N, 14, 14, 4], params: 108n, problems: ["stridesWithDilation"] },
  { kind: "SeparableConv2D", args: [16, 3, { groups: 2 }], input: [N, 32, 32, 8], output: [N, 30, 30, 16], params: 216n, problems: ["unknownKeyword"] },
  { kind: "SeparableConv2D", args: [16, 3], input: [N, 32, 8], output: undefined, params: undefined, problems: ["wrongRank"] },
  // 4 − 5 + 1 = 0: 25·1 + 1·2 + 2 = 29.
  { kind: "SeparableConv2D", args: [2, 5], input: [N, 4, 9, 1], output: [N, Q, 5, 2], params: 29n, problems: ["nonPositiveDimension"] },
];

const depthwiseRows: Row[] = [
  // 10 − 3 + 1 = 8, channels 12·1; 3·3·12·1 + 12 = 120.
  { kind: "DepthwiseConv2D", args: [3], input: [N, 10, 10, 12], output: [N, 8, 8, 12], params: 120n },
  // depth_multiplier 3: channels 36; 3·3·12·3 + 36 = 324 + 36 = 360.
  { kind: "DepthwiseConv2D", args: [3, { depth_multiplier: 3 }], input: [N, 10, 10, 12], output: [N, 8, 8, 36], params: 360n },
  { kind: "DepthwiseConv2D", args: [3, 1, "valid", 3], input: [N, 10, 10, 12], output: [N, 8, 8, 36], params: 360n, note: "depth_multiplier is the 4th positional" },
  // Keras docstring: ⌊(10 − 3) / 2⌋ + 1 = 4, channels 12·3 = 36; 3·12·3 + 36 = 144.
  { kind: "DepthwiseConv1D", args: [{ kernel_size: 3, depth_multiplier: 3, strides: 2 }], input: [4, 10, 12], output: [4, 4, 36], params: 144n },
  // same, stride 2: ⌊6 / 2⌋ + 1 = 4; 9·4 + 4 = 40.
  { kind: "DepthwiseConv2D", args: [3, 2, "same"], input: [N, 7, 7, 4], output: [N, 4, 4, 4], params: 40n },
  { kind: "DepthwiseConv2D", args: [3, { use_bias: false }], input: [N, 7, 7, 4], output: [N, 5, 5, 4], params: 36n, note: "3·3·4·1" },
  // channels_first, m 2: (3, 8, 8) → (6, 6, 6); 3·3·3·2 + 6 = 60.
  { kind: "DepthwiseConv2D", args: [3, { depth_multiplier: 2, data_format: "channels_first" }], input: [N, 3, 8, 8], output: [N, 6, 6, 6], params: 60n },
  // Dilation 3: k' = 7, 10 − 7 + 1 = 4; 3·2 + 2 = 8.
  { kind: "DepthwiseConv1D", args: [3, { dilation_rate: 3 }], input: [N, 10, 2], output: [N, 4, 2], params: 8n },
  { kind: "DepthwiseConv1D", args: [3, { data_format: "channels_first" }], input: [N, 2, 10], output: [N, 2, 8], params: 8n, note: "3·2 + 2" },
  { kind: "DepthwiseConv2D", args: [3], input: [N, 8, 8, N], output: [N, 6, 6, N], params: undefined, note: "open channels: weights unknown" },
  { kind: "DepthwiseConv2D", args: [3], input: undefined, output: undefined, params: undefined },

  // Invalid.
  { kind: "DepthwiseConv2D", args: [3, { depth_multiplier: 0 }], input: [N, 10, 10, 12], output: [N, 8, 8, Q], params: undefined, problems: ["nonPositiveArgument"] },
  { kind: "DepthwiseConv1D", args: [3, { padding: "causal" }], input: [N, 10, 2], output: [N, Q, 2], params: 8n, problems: ["causalPadding"] },
  // 4 − 5 + 1 = 0 on both axes; 25 + 1 = 26.
  { kind: "DepthwiseConv2D", args: [5], input: [N, 4, 4, 1], output: [N, Q, Q, 1], params: 26n, problems: ["nonPositiveDimension", "nonPositiveDimension"] },
  { kind: "DepthwiseConv2D", args: [3, { filters: 8 }], input: [N, 10, 10, 12], output: [N, 8, 8, 12], params: 120n, problems: ["unknownKeyword"] },
  { kind: "DepthwiseConv2D", args: [3, 2, { dilation_rate: 2 }], input: [N, 10, 10, 1], output: [N, 3, 3, 1], params: 10n, problems: ["stridesWithDilation"], note: "⌊(10 − 5) / 2⌋ + 1 = 3" },
  { kind: "DepthwiseConv2D", args: [3], input: [N, 10, 12], output: undefined, params: undefined, problems: ["wrongRank"] },
  { kind: "DepthwiseConv2D", args: [], input: [N, 10, 10, 12], output: [N, Q, Q, 12], params: undefined, problems: ["missingArgument"] },
];

for (const row of [...transposeRows, ...separableRows, ...depthwiseRows]) test(rowName(row), () => checkRow(row, assert));

test("transpose formulas and weight shapes", () => {
  const got = infer("Conv2DTranspose", [4, 3, 2, { output_padding: tup(1, 0) }], ["None", 5, 6, 2]);
  assert.deepEqual(got.result.formulas, [
    { label: "height", text: "(5 − 1)·2 + 3 + 1 = 12" },
    { label: "width", text: "(6 − 1)·2 + 3 + 0 = 13" },
    { label: "params", text: "(3·3·2 + 1)·4 = 76" },
  ]);
  // Kernel is kernel_size + (filters, in_channels).
  assert.deepEqual(got.result.weights.map((w) => w.shape), [[3, 3, 4, 2], [4]]);
  const same = infer("Conv1DTranspose", [4, 3, 2, "same"], ["None", 10, 2]);
  assert.deepEqual(same.result.formulas[0], { label: "length", text: "10·2 = 20" });
  const small = infer("Conv2DTranspose", [4, 1, 3], ["None", 5, 5, 2]);
  assert.deepEqual(small.result.formulas[0], { label: "height", text: "5·3 = 15" });
});

test("separable params formula shows the depthwise and pointwise parts", () => {
  const got = infer("SeparableConv2D", [16, 3, { depth_multiplier: 2 }], ["None", 32, 32, 8]);
  assert.deepEqual(got.result.weights.map((w) => [w.name, w.shape]), [
    ["depthwise_kernel", [3, 3, 8, 2]],
    ["pointwise_kernel", [1, 1, 16, 16]],
    ["bias", [16]],
  ]);
  assert.deepEqual(got.result.formulas.at(-1), {
    label: "params",
    text: "3·3·8·2 (depthwise) + 1·1·(8·2)·16 (pointwise) + 16 (bias) = 416",
  });
});

test("depthwise formulas: output channels and parameters", () => {
  const got = infer("DepthwiseConv2D", [3, { depth_multiplier: 3 }], ["None", 10, 10, 12]);
  assert.deepEqual(got.result.formulas, [
    { label: "height", text: "10 − 3 + 1 = 8" },
    { label: "width", text: "10 − 3 + 1 = 8" },
    { label: "channels", text: "12·3 = 36" },
    { label: "params", text: "(3·3 + 1)·(12·3) = 360" },
  ]);
  assert.deepEqual(got.result.weights.map((w) => w.shape), [[3, 3, 12, 3], [36]]);
});

test("unknown input: the weights are still listed, with unknown sizes", () => {
  for (const [kind, names] of [
    ["Conv2DTranspose", ["kernel", "bias"]],
    ["SeparableConv2D", ["depthwise_kernel", "pointwise_kernel", "bias"]],
    ["DepthwiseConv1D", ["kernel", "bias"]],
  ] as const) {
    const args = kind === "DepthwiseConv1D" ? [3] : [8, 3];
    const got = infer(kind, args, undefined);
    assert.deepEqual(got.result.weights.map((w) => w.name), names, kind);
    assert.equal(got.params, undefined, kind);
  }
});

test("each new convolution declares its spatial rank; Conv2DTranspose takes output_padding only by keyword", () => {
  for (const [kind, rank] of [["Conv1DTranspose", 1], ["Conv3DTranspose", 3], ["SeparableConv2D", 2], ["DepthwiseConv1D", 1]] as const) {
    assert.equal(findLayer(kind)?.spatialRank, rank, kind);
  }
  assert.equal(findLayer("Conv1DTranspose")?.params[4].name, "output_padding");
  assert.equal(findLayer("Conv2DTranspose")?.params[4].name, "data_format");
  assert.equal(findLayer("DepthwiseConv2D")?.params[3].name, "depth_multiplier");
  assert.equal(findLayer("SeparableConv1D")?.params[6].name, "depth_multiplier");
});

test("Sequential: Conv2D then Conv2DTranspose restores the size", () => {
  // 28 → ⌊(28 − 3) / 2⌋ + 1 = 13 → (13 − 1)·2 + 3 + 1 = 28.
  const model = sequential([28, 28, 1], [
    ["Conv2D", [8, 3, 2]],
    ["Conv2DTranspose", [1, 3, 2, { output_padding: 1 }]],
  ]);
  assert.deepEqual(model.layers[1].output, ["None", 13, 13, 8]);
  assert.deepEqual(model.layers[2].output, ["None", 28, 28, 1]);
  // (3·3·1 + 1)·8 = 80 and 3·3·1·8 + 1 = 73.
  assert.equal(model.totals.total, 153n);
  assert.deepEqual(model.diagnostics, []);
});

test("Sequential: output_padding ≥ strides is an LL113 error on output_padding", () => {
  const model = sequential([8, 8, 2], [["Conv2DTranspose", [4, 3, 2, { output_padding: 2 }]]]);
  const error = model.diagnostics.find((d) => d.id === "invalidArgument");
  assert.equal(error?.code, "LL113");
  assert.match(error?.message ?? "", /output_padding must be smaller than strides \(2, 2\) on every axis; got \(2, 2\)/);
});
