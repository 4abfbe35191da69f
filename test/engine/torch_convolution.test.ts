/**
 * PyTorch's Conv1d/2d/3d, ConvTranspose1d/2d/3d and their Lazy forms. Every output shape and parameter count
 * below was printed by PyTorch (python3-torch 1.13: the module built with these arguments and run on
 * torch.randn of the input shape); the errors quote the message PyTorch raised. Where PyTorch raises, the row
 * still expects the shape the layer would give, so the layers after it can be followed.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Row, checkRow, infer, rowName, tup } from "./helpers";
import { bindArguments } from "../../server/src/engine/bind";
import { findLayer } from "../../server/src/engine/layers/registry";
import { Shape } from "../../server/src/engine/shape";
import { Arg, argsIR } from "./helpers";

const conv1d = "torch.nn.Conv1d";
const conv2d = "torch.nn.Conv2d";
const conv3d = "torch.nn.Conv3d";
const convT1d = "torch.nn.ConvTranspose1d";
const convT2d = "torch.nn.ConvTranspose2d";
const convT3d = "torch.nn.ConvTranspose3d";
const U = "?";

const rows: Row[] = [
  { kind: conv2d, args: [3, 6, 5], input: [8, 3, 32, 32], output: [8, 6, 28, 28], params: 456n },
  { kind: conv2d, args: [3, 6, 5], input: [3, 32, 32], output: [6, 28, 28], params: 456n, note: "unbatched" },
  { kind: conv2d, args: [3, 16, tup(3, 5), { stride: 2, padding: 1 }], input: [4, 3, 32, 31], output: [4, 16, 16, 15], params: 736n },
  {
    kind: conv2d,
    args: [3, 16, 3, { stride: tup(1, 2), padding: tup(0, 2), dilation: tup(2, 1) }],
    input: [2, 3, 20, 21],
    output: [2, 16, 16, 12],
    params: 448n,
  },
  { kind: conv2d, args: [4, 16, 3, { groups: 2, bias: false }], input: [1, 4, 10, 10], output: [1, 16, 8, 8], params: 288n },
  { kind: conv2d, args: [4, 8, 3, 1, "same"], input: [1, 4, 10, 10], output: [1, 8, 10, 10], params: 296n },
  // PyTorch warns: Using padding='same' with even kernel lengths and odd dilation may require a zero-padded copy of the input be created.
  { kind: conv2d, args: [4, 8, 4, { padding: "same", dilation: 3 }], input: [1, 4, 10, 11], output: [1, 8, 10, 11], params: 520n, problems: ["torchSameEvenKernel"] },
  { kind: conv2d, args: [4, 8, tup(3, 4), { padding: "same", dilation: 2 }], input: [1, 4, 10, 11], output: [1, 8, 10, 11], params: 392n, note: "even padding in all: no warning" },
  { kind: conv2d, args: [4, 8, 4, { padding: "same", padding_mode: "reflect" }], input: [1, 4, 10, 11], output: [1, 8, 10, 11], params: 520n, note: "padded by the module itself: no warning" },
  { kind: conv2d, args: [4, 8, 3, { padding: "valid" }], input: [1, 4, 10, 10], output: [1, 8, 8, 8], params: 296n },
  { kind: conv2d, args: [3, 8, 3, { padding: 1, padding_mode: "reflect" }], input: [1, 3, 8, 8], output: [1, 8, 8, 8], params: 224n },
  { kind: conv2d, args: [3, 8, 3, { padding: 2, padding_mode: "circular" }], input: [1, 3, 2, 2], output: [1, 8, 4, 4], params: 224n },
  { kind: conv2d, args: [3, 8, 3, { padding: 3, padding_mode: "replicate" }], input: [1, 3, 2, 2], output: [1, 8, 6, 6], params: 224n },
  { kind: conv1d, args: [8, 32, 5], input: [16, 8, 100], output: [16, 32, 96], params: 1312n },
  { kind: conv1d, args: [8, 32, 5, { stride: 3, padding: 2, dilation: 2 }], input: [8, 100], output: [32, 32], params: 1312n },
  { kind: conv3d, args: [2, 8, 3, { stride: 2 }], input: [2, 2, 9, 10, 11], output: [2, 8, 4, 4, 5], params: 440n },
  { kind: conv3d, args: [2, 8, tup(1, 3, 3), { padding: tup(0, 1, 1) }], input: [2, 7, 7, 7], output: [8, 7, 7, 7], params: 152n },
  { kind: convT2d, args: [16, 8, 3, { stride: 2, padding: 1, output_padding: 1 }], input: [4, 16, 7, 7], output: [4, 8, 14, 14], params: 1160n },
  { kind: convT2d, args: [16, 8, 4, { stride: 2, padding: 1, groups: 4 }], input: [16, 7, 9], output: [8, 14, 18], params: 520n },
  { kind: convT2d, args: [16, 8, 3, 1, 0, 0, 1, false, 2], input: [1, 16, 5, 5], output: [1, 8, 9, 9], params: 1152n, note: "ConvTranspose's positional order" },
  { kind: convT1d, args: [4, 6, 5, { stride: 3, output_padding: 2 }], input: [2, 4, 10], output: [2, 6, 34], params: 126n },
  { kind: convT3d, args: [4, 6, 2, { stride: 2 }], input: [1, 4, 3, 4, 5], output: [1, 6, 6, 8, 10], params: 198n },
  { kind: convT2d, args: [3, 4, 3, { output_padding: 1, dilation: 2 }], input: [1, 3, 7, 7], output: [1, 4, 12, 12], params: 112n, note: "output_padding below dilation" },
  { kind: "torch.nn.LazyConv2d", args: [16, 3], input: [2, 5, 12, 12], output: [2, 16, 10, 10], params: 736n },
  { kind: "torch.nn.LazyConv2d", args: [16, 3, { groups: 2 }], input: [6, 12, 12], output: [16, 10, 10], params: 448n },
  { kind: "torch.nn.LazyConv1d", args: [16, 3, { bias: false }], input: [2, 5, 12], output: [2, 16, 10], params: 240n },
  { kind: "torch.nn.LazyConvTranspose2d", args: [15, 3, { stride: 2 }], input: [1, 4, 7, 7], output: [1, 15, 15, 15], params: 555n },
  { kind: "torch.nn.LazyConvTranspose3d", args: [6, 2, { groups: 3, bias: false }], input: [3, 4, 4, 4], output: [6, 5, 5, 5], params: 48n },

  // Unknown input: the weights are known from the constructor (PyTorch builds them in __init__), not the Lazy ones'.
  { kind: conv2d, args: [3, 6, 5], input: undefined, output: undefined, params: 456n },
  { kind: convT2d, args: [16, 8, 4, { groups: 4 }], input: undefined, output: undefined, params: 520n },
  { kind: "torch.nn.LazyConv2d", args: [16, 3], input: undefined, output: undefined, params: undefined },
  { kind: "torch.nn.LazyConv2d", args: [16, 3], input: [2, U, 12, 12], output: [2, 16, 10, 10], params: undefined, note: "unknown channels" },
  { kind: conv2d, args: [3, 6, 5], input: [U, 3, U, 32], output: [U, 6, U, 28], params: 456n, note: "unknown dimensions stay unknown" },

  // Errors PyTorch raises.
  // Given groups=1, weight of size [16, 6, 5, 5], expected input[8, 3, 32, 32] to have 6 channels, but got 3 channels instead.
  { kind: conv2d, args: [6, 16, 5], input: [8, 3, 32, 32], output: [8, 16, 28, 28], params: 2416n, problems: ["torchChannelMismatch"] },
  { kind: conv2d, args: [6, 16, 5, { groups: 2 }], input: [8, 3, 32, 32], output: [8, 16, 28, 28], params: 1216n, problems: ["torchChannelMismatch"] },
  { kind: convT2d, args: [6, 16, 5], input: [8, 3, 32, 32], output: [8, 16, 36, 36], params: 2416n, problems: ["torchChannelMismatch"] },
  // Calculated padded input size per channel: (2 x 7). Kernel size: (5 x 5). Kernel size can't be greater than actual input size.
  { kind: conv2d, args: [3, 16, 5], input: [8, 3, 2, 7], output: [8, 16, U, 3], params: 1216n, problems: ["torchOutputTooSmall"] },
  { kind: conv2d, args: [3, 16, 3, { dilation: 2 }], input: [8, 3, 4, 4], output: [8, 16, U, U], params: 448n, problems: ["torchOutputTooSmall"] },
  { kind: conv3d, args: [3, 16, 5], input: [8, 3, 2, 6, 6], output: [8, 16, U, 2, 2], params: 6016n, problems: ["torchOutputTooSmall"] },
  // Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: [2, 3].
  { kind: conv2d, args: [3, 16, 5], input: [2, 3], output: undefined, params: 1216n, problems: ["wrongRank"] },
  { kind: conv1d, args: [3, 16, 5], input: [2, 3, 4, 5], output: undefined, params: 256n, problems: ["wrongRank"] },
  { kind: convT2d, args: [3, 4, 3], input: [3, 7], output: undefined, params: 112n, problems: ["wrongRank"] },
  // padding='same' is not supported for strided convolutions (ValueError in __init__).
  { kind: conv2d, args: [3, 16, 5, { stride: 2, padding: "same" }], input: [1, 3, 9, 9], output: [1, 16, U, U], params: 1216n, problems: ["torchRefuses"] },
  // Invalid padding string 'full' / 'SAME', should be one of {'same', 'valid'}.
  { kind: conv2d, args: [3, 16, 5, { padding: "full" }], input: [1, 3, 9, 9], output: [1, 16, U, U], params: 1216n, problems: ["invalidPadding"] },
  { kind: conv2d, args: [3, 16, 5, { padding: "SAME" }], input: [1, 3, 9, 9], output: [1, 16, U, U], params: 1216n, problems: ["invalidPadding"] },
  // in_channels / out_channels must be divisible by groups; groups must be a positive integer.
  { kind: conv2d, args: [3, 16, 5, { groups: 2 }], input: [1, 3, 9, 9], output: [1, 16, 5, 5], params: undefined, problems: ["groupsNotDividing"] },
  { kind: conv2d, args: [4, 15, 5, { groups: 2 }], input: [1, 4, 9, 9], output: [1, 15, 5, 5], params: 765n, problems: ["groupsNotDividing"], note: "weight 15·2·5·5 still sized, as Keras's filters check" },
  { kind: conv2d, args: [4, 15, 5, { groups: 0 }], input: [1, 4, 9, 9], output: [1, 15, 5, 5], params: undefined, problems: ["nonPositiveArgument"] },
  { kind: "torch.nn.LazyConv2d", args: [16, 3, { groups: 2 }], input: [1, 3, 7, 7], output: [1, 16, 5, 5], params: undefined, problems: ["groupsNotDividing"] },
  // padding_mode must be one of {'reflect', 'zeros', 'replicate', 'circular'}, but got padding_mode='foo'.
  { kind: conv2d, args: [4, 16, 5, { padding_mode: "foo" }], input: [1, 4, 9, 9], output: [1, 16, 5, 5], params: 1616n, problems: ["invalidArgument"] },
  // Argument #4: Padding size should be less than the corresponding input dimension, but got: padding (3, 3) at dimension 3 …
  { kind: conv2d, args: [3, 4, 3, { padding: 3, padding_mode: "reflect" }], input: [1, 3, 3, 3], output: [1, 4, 7, 7], params: 112n, problems: ["torchPaddingTooLarge", "torchPaddingTooLarge"] },
  { kind: conv2d, args: [3, 4, 3, { padding: tup(1, 3), padding_mode: "reflect" }], input: [1, 3, 3, 3], output: [1, 4, 3, 7], params: 112n, problems: ["torchPaddingTooLarge"] },
  { kind: conv1d, args: [3, 4, 3, { padding: 3, padding_mode: "reflect" }], input: [1, 3, 3], output: [1, 4, 7], params: 40n, problems: ["torchPaddingTooLarge"] },
  // Padding value causes wrapping around more than once.
  { kind: conv2d, args: [3, 4, 3, { padding: 4, padding_mode: "circular" }], input: [1, 3, 3, 3], output: [1, 4, 9, 9], params: 112n, problems: ["torchPaddingTooLarge", "torchPaddingTooLarge"] },
  // non-positive stride is not supported; negative padding is not supported; a 3-D kernel on Conv2d.
  { kind: conv2d, args: [3, 4, 3, { stride: 0 }], input: [1, 3, 7, 7], output: [1, 4, U, U], params: 112n, problems: ["nonPositiveArgument"] },
  { kind: conv2d, args: [3, 4, 3, { padding: -1 }], input: [1, 3, 7, 7], output: [1, 4, U, U], params: 112n, problems: ["invalidArgument"] },
  { kind: conv2d, args: [3, 4, tup(3, 3, 3)], input: [1, 3, 7, 7], output: [1, 4, U, U], params: undefined, problems: ["invalidArgument"] },
  // output padding must be smaller than either stride or dilation, …
  { kind: convT2d, args: [3, 4, 3, { output_padding: 1 }], input: [1, 3, 7, 7], output: [1, 4, 10, 10], params: 112n, problems: ["torchRefuses"] },
  { kind: convT1d, args: [3, 4, 3, { output_padding: 1 }], input: [1, 3, 7], output: [1, 4, 10], params: 40n, problems: ["torchRefuses"] },
  // Given input size per channel: (1 x 1). Calculated output size per channel: (-3 x -3). Output size is too small.
  { kind: convT2d, args: [3, 4, 3, { padding: 3 }], input: [1, 3, 1, 1], output: [1, 4, U, U], params: 112n, problems: ["torchOutputTooSmall"] },
  // Only "zeros" padding mode is supported for ConvTranspose2d; a padding string is refused on the forward.
  { kind: convT2d, args: [3, 4, 3, { padding_mode: "reflect" }], input: [1, 3, 7, 7], output: [1, 4, 9, 9], params: 112n, problems: ["torchRefuses"] },
  { kind: convT2d, args: [3, 4, 3, { padding: "same" }], input: [1, 3, 7, 7], output: [1, 4, U, U], params: 112n, problems: ["invalidPadding"] },
  // torch modules take no **kwargs.
  { kind: conv2d, args: [3, 4, 3, { name: "c1" }], input: [1, 3, 7, 7], output: [1, 4, 5, 5], params: 112n, problems: ["unknownKeyword"] },
  { kind: conv2d, args: [3, 4, 3, { device: "cpu", dtype: null }], input: [1, 3, 7, 7], output: [1, 4, 5, 5], params: 112n, note: "device, dtype ignored" },
];

for (const row of rows) test(rowName(row), () => checkRow(row, assert));

/** PyTorch's messages, filled in the diagnostics' text. */
const message = (kind: string, args: Arg[], input: Shape) => infer(kind, args, input).messages;

test("the channel mismatch quotes PyTorch and carries the input's channels for the quick fix", () => {
  const got = infer(conv2d, [6, 16, 5], [8, 3, 32, 32]);
  const problem = got.result.problems.find((p) => p.id === "torchChannelMismatch");
  assert.equal(problem?.argument, "in_channels");
  assert.equal(problem?.values.actual, 3);
  assert.match(got.messages[0], /Given groups=1, weight of size \[16, 6, 5, 5\], expected input\[8, 3, 32, 32\] to have 6 channels, but got 3 channels instead/);
  assert.match(message(conv2d, [6, 16, 5], [3, 32, 32])[0], /expected input\[1, 3, 32, 32\] to have 6 channels/);
  assert.match(message(conv2d, [6, 16, 5, { groups: 2 }], [8, 3, 32, 32])[0], /Given groups=2, weight of size \[16, 3, 5, 5\]/);
  assert.match(message(convT2d, [6, 16, 5, { groups: 2 }], [8, 3, 32, 32])[0], /Given transposed=1, weight of size \[6, 8, 5, 5\], expected input\[8, 3, 32, 32\] to have 6 channels, but got 3/);
});

test("an output too small quotes PyTorch's sizes", () => {
  assert.match(message(conv2d, [3, 16, 5], [8, 3, 2, 7])[0], /Calculated padded input size per channel: \(2 x 7\)\. Kernel size: \(5 x 5\)\. Kernel size can't be greater than actual input size/);
  assert.match(message(conv1d, [3, 16, 5], [8, 3, 2])[0], /Calculated padded input size per channel: \(2\)\. Kernel size: \(5\)\./);
  assert.match(message(conv2d, [3, 16, 3, { dilation: 2 }], [8, 3, 4, 4])[0], /\(4 x 4\)\. Kernel size: \(5 x 5\)/);
  assert.match(message(convT2d, [3, 4, 3, { padding: 3 }], [1, 3, 1, 1])[0], /Given input size per channel: \(1 x 1\)\. Calculated output size per channel: \(-3 x -3\)\. Output size is too small/);
  assert.match(message(convT1d, [3, 4, 3, { padding: 3 }], [1, 3, 1])[0], /Given input size per channel: \(1 x 1\)\. Calculated output size per channel: \(1 x -3\)\./);
  const both = infer(conv2d, [3, 16, 5], [8, 3, 2, 2]);
  assert.deepEqual(both.problems, ["torchOutputTooSmall"], "PyTorch raises once for the call");
  assert.match(both.messages[0], /would make the height -2 and the width -2/);
});

test("output_padding, padding modes and 'same' quote PyTorch", () => {
  assert.match(
    message(convT2d, [3, 4, 3, { stride: tup(2, 1), output_padding: tup(1, 1) }], [1, 3, 7, 7])[0],
    /output padding must be smaller than either stride or dilation, but got output_padding_height: 1 output_padding_width: 1 stride_height: 2 stride_width: 1 dilation_height: 1 dilation_width: 1/,
  );
  assert.match(message(convT1d, [3, 4, 3, { output_padding: 1 }], [1, 3, 7])[0], /output_padding_height: 0 output_padding_width: 1 stride_height: 1 stride_width: 1/);
  assert.match(message(convT3d, [3, 4, 3, { output_padding: 1 }], [1, 3, 7, 7, 7])[0], /output_padding_depth: 1 output_padding_height: 1 output_padding_width: 1 stride_depth: 1/);
  assert.match(message(convT2d, [3, 4, 3, { padding_mode: "reflect" }], [1, 3, 7, 7])[0], /Only "zeros" padding mode is supported for ConvTranspose2d/);
  assert.match(message(conv2d, [3, 16, 5, { stride: 2, padding: "same" }], [1, 3, 9, 9])[0], /padding='same' is not supported for strided convolutions/);
  assert.match(
    message(conv1d, [3, 4, 3, { padding: 3, padding_mode: "reflect" }], [1, 3, 3])[0],
    /Argument #4: Padding size should be less than the corresponding input dimension, but got: padding \(3, 3\) at dimension 2 of input \[1, 3, 3\]/,
  );
  assert.match(
    message(conv2d, [3, 4, 3, { padding: tup(1, 3), padding_mode: "reflect" }], [1, 3, 3, 3])[0],
    /Argument #4: Padding size should be less than the corresponding input dimension, but got: padding \(3, 3\) at dimension 3 of input 4/,
  );
  assert.match(message(conv2d, [3, 4, 3, { padding: 4, padding_mode: "circular" }], [1, 3, 3, 3])[0], /Padding value causes wrapping around more than once/);
});

test("'same' with an even kernel names the axes padded unevenly", () => {
  assert.match(message(conv2d, [4, 8, tup(3, 4), { padding: "same" }], [1, 4, 10, 11])[0], /padding='same' with the window \(3, 4\) pads one element more after than before on the width\./);
});

test("formulas show PyTorch's arithmetic with the user's numbers", () => {
  const lenet = infer(conv2d, [3, 6, 5], [8, 3, 32, 32]).result.formulas;
  assert.deepEqual(lenet, [
    { label: "height", text: "⌊(32 + 2·0 − 1·(5 − 1) − 1)/1 + 1⌋ = 28" },
    { label: "width", text: "⌊(32 + 2·0 − 1·(5 − 1) − 1)/1 + 1⌋ = 28" },
    { label: "params", text: "6·3·5·5 + 6 = 456" },
  ]);
  const grouped = infer(convT2d, [16, 8, 4, { stride: 2, padding: 1, groups: 4 }], [16, 7, 9]).result.formulas;
  assert.deepEqual(grouped, [
    { label: "height", text: "(7 − 1)·2 − 2·1 + 1·(4 − 1) + 0 + 1 = 14" },
    { label: "width", text: "(9 − 1)·2 − 2·1 + 1·(4 − 1) + 0 + 1 = 18" },
    { label: "params", text: "16·(8/4)·4·4 + 8 = 520" },
  ]);
  const noBias = infer(conv2d, [4, 16, 3, { groups: 2, bias: false }], [1, 4, 10, 10]).result.formulas.at(-1);
  assert.deepEqual(noBias, { label: "params", text: "16·(4/2)·3·3 = 288" });
});

/** The cost rule run as the footprint runs it: the call bound again, its result in. */
function macs(kind: string, args: Arg[], input: Shape) {
  const spec = findLayer(kind)!;
  const binding = bindArguments(spec, argsIR(args), undefined, 3);
  const result = spec.infer(binding.args, input);
  return spec.cost!({ args: binding.args, input, output: result.output, weights: result.weights });
}

test("MACs per sample", () => {
  // torch.profiler (with_flops) counts 705,600 FLOPs for Conv2d(3, 6, 5) on (1, 3, 32, 32): 352,800 MACs.
  assert.deepEqual(macs(conv2d, [3, 6, 5], [8, 3, 32, 32]), { macs: 352_800n, formula: "28·28 · 3·5·5 · 6 = 352,800" });
  // 36,864 FLOPs for Conv2d(4, 16, 3, groups=2, bias=False) on (1, 4, 10, 10).
  assert.equal(macs(conv2d, [4, 16, 3, { groups: 2, bias: false }], [1, 4, 10, 10]).macs, 18_432n);
  assert.equal(macs(conv2d, [3, 6, 5], [3, 32, 32]).macs, 352_800n, "unbatched: the whole input is one sample");
  // Each of the 7·9 input positions is scattered through 16·4·4 weights into 8/4 outputs (the profiler of 1.13 does not count it).
  assert.equal(macs(convT2d, [16, 8, 4, { stride: 2, padding: 1, groups: 4 }], [16, 7, 9]).macs, 32_256n);
  assert.equal(macs(conv2d, [3, 6, 5], [8, 3, U, 32]).macs, undefined);
});
