/**
 * PyTorch's padding, interpolation and rearranging modules. Every output shape below was printed by PyTorch
 * (python3-torch 1.13: the module built with these arguments and run on torch.randn of the input shape); the errors
 * quote the message PyTorch raised. ZeroPad1d/3d and CircularPad1d/2d/3d are PyTorch ≥ 2.1's (ZeroPad is
 * ConstantPad with 0, CircularPad F.pad's 'circular'), checked here against F.pad in 1.13.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Arg, Row, argsIR, checkRow, infer, rowName, tup } from "./helpers";
import { bindArguments } from "../../server/src/engine/bind";
import { findLayer } from "../../server/src/engine/layers/registry";
import { Shape } from "../../server/src/engine/shape";
import { pyFloat } from "../../server/src/engine/values";

const U = "?";
const t = (name: string) => `torch.nn.${name}`;
const f = pyFloat;

const rows: Row[] = [
  { kind: t("ZeroPad2d"), args: [tup(1, 2, 3, 4)], input: [1, 3, 5, 5], output: [1, 3, 12, 8] },
  { kind: t("ZeroPad2d"), args: [tup(1, 2, 3, 4)], input: [5, 5], output: [12, 8] },
  { kind: t("ZeroPad2d"), args: [2], input: [3, 5, 6], output: [3, 9, 10] },
  { kind: t("ZeroPad2d"), args: [tup(1, 1)], input: [1, 3, 5, 5], output: [1, 3, 5, 7], note: "a shorter tuple pads the last axis only" },
  { kind: t("ZeroPad1d"), args: [tup(0, 3)], input: [2, 4, 5], output: [2, 4, 8], note: "F.pad(x, (0, 3))" },
  { kind: t("ZeroPad3d"), args: [1], input: [1, 2, 3, 4, 5], output: [1, 2, 5, 6, 7], note: "F.pad(x, (1,) * 6)" },
  { kind: t("ConstantPad2d"), args: [1, { value: f(0.5) }], input: [1, 2, 3, 5, 5], output: [1, 2, 3, 7, 7] },
  { kind: t("ConstantPad1d"), args: [tup(-2, -3), { value: f(0.5) }], input: [1, 2, 5], output: [1, 2, 0], note: "cropped to nothing" },
  { kind: t("ConstantPad3d"), args: [tup(1, 2, 0, 1, 3, 0), { value: f(1.0) }], input: [2, 3, 4, 5], output: [2, 6, 5, 8] },
  { kind: t("ReflectionPad2d"), args: [tup(1, 2, 3, 4)], input: [1, 3, 5, 5], output: [1, 3, 12, 8] },
  { kind: t("ReflectionPad1d"), args: [2], input: [3, 5], output: [3, 9] },
  { kind: t("ReflectionPad3d"), args: [1], input: [1, 2, 3, 4, 5], output: [1, 2, 5, 6, 7] },
  { kind: t("ReflectionPad2d"), args: [tup(1, 1)], input: [3, 5, 5], output: [3, 5, 7] },
  { kind: t("ReflectionPad2d"), args: [-1], input: [1, 3, 5, 5], output: [1, 3, 3, 3] },
  { kind: t("ReplicationPad2d"), args: [7], input: [1, 3, 5, 5], output: [1, 3, 19, 19] },
  { kind: t("ReplicationPad1d"), args: [tup(0, 3)], input: [2, 4, 5], output: [2, 4, 8] },
  { kind: t("ReplicationPad3d"), args: [tup(1, 1, 2, 2, 0, 0)], input: [2, 3, 4, 5], output: [2, 3, 8, 7] },
  { kind: t("CircularPad2d"), args: [tup(2, 2, 1, 0)], input: [1, 3, 5, 5], output: [1, 3, 6, 9], note: "F.pad(x, (2, 2, 1, 0), mode='circular')" },
  { kind: t("CircularPad1d"), args: [5], input: [1, 3, 5], output: [1, 3, 15], note: "wraps around exactly once" },
  { kind: t("ZeroPad2d"), args: [2], input: [1, 3, U, 5], output: [1, 3, U, 9] },
  { kind: t("Upsample"), args: [{ scale_factor: 2 }], input: [1, 3, 5, 5], output: [1, 3, 10, 10] },
  { kind: t("Upsample"), args: [{ scale_factor: f(1.5) }], input: [1, 3, 5, 5], output: [1, 3, 7, 7] },
  { kind: t("Upsample"), args: [{ scale_factor: f(1.1), mode: "bilinear" }], input: [1, 3, 3, 3], output: [1, 3, 3, 3] },
  { kind: t("Upsample"), args: [{ size: tup(7, 9) }], input: [1, 3, 5, 5], output: [1, 3, 7, 9] },
  { kind: t("Upsample"), args: [{ size: 7 }], input: [1, 3, 5, 5, 5], output: [1, 3, 7, 7, 7] },
  { kind: t("Upsample"), args: [{ scale_factor: tup(f(2.0), f(0.5)), mode: "bicubic", align_corners: true }], input: [2, 3, 4, 6], output: [2, 3, 8, 3] },
  { kind: t("Upsample"), args: [null, 3, "linear"], input: [2, 3, 4], output: [2, 3, 12] },
  { kind: t("Upsample"), args: [{ scale_factor: 2, mode: "trilinear", align_corners: false }], input: [1, 2, 3, 4, 5], output: [1, 2, 6, 8, 10] },
  { kind: t("Upsample"), args: [{ scale_factor: f(0.5), mode: "area" }], input: [1, 3, 5, 5], output: [1, 3, 2, 2] },
  { kind: t("Upsample"), args: [{ scale_factor: f(0.3), mode: "nearest-exact" }], input: [1, 3, 5, 5], output: [1, 3, 1, 1] },
  { kind: t("Upsample"), args: [{ size: tup(7, 9) }], input: [1, 3, U, U], output: [1, 3, 7, 9], note: "size does not depend on the input" },
  { kind: t("Upsample"), args: [{ scale_factor: 2 }], input: [1, 3, U, 5], output: [1, 3, U, 10] },
  { kind: t("UpsamplingNearest2d"), args: [{ scale_factor: 2 }], input: [1, 3, 5, 6], output: [1, 3, 10, 12] },
  { kind: t("UpsamplingNearest2d"), args: [{ scale_factor: 2 }], input: [3, 5, 5], output: [3, 5, 10], note: "runs as 1-D on a 3-D input" },
  { kind: t("UpsamplingBilinear2d"), args: [{ size: tup(3, 4) }], input: [1, 3, 5, 5], output: [1, 3, 3, 4] },
  { kind: t("UpsamplingBilinear2d"), args: [{ scale_factor: 2 }], input: [1, 3, 5, 6], output: [1, 3, 10, 12] },
  { kind: t("PixelShuffle"), args: [2], input: [1, 12, 5, 5], output: [1, 3, 10, 10] },
  { kind: t("PixelShuffle"), args: [2], input: [2, 1, 12, 5, 5], output: [2, 1, 3, 10, 10] },
  { kind: t("PixelShuffle"), args: [3], input: [18, 4, 5], output: [2, 12, 15] },
  { kind: t("PixelUnshuffle"), args: [2], input: [1, 3, 4, 6], output: [1, 12, 2, 3] },
  { kind: t("PixelUnshuffle"), args: [3], input: [2, 9, 6], output: [18, 3, 2] },
  { kind: t("ChannelShuffle"), args: [2], input: [1, 4, 5, 5], output: [1, 4, 5, 5] },
  { kind: t("ChannelShuffle"), args: [3], input: [2, 6, 5], output: [2, 6, 5] },
  { kind: t("Unfold"), args: [3, { padding: 1, stride: 2 }], input: [2, 3, 8, 9], output: [2, 27, 20] },
  { kind: t("Unfold"), args: [tup(2, 3)], input: [3, 8, 9], output: [18, 49] },
  { kind: t("Unfold"), args: [2, { dilation: 2 }], input: [1, 2, 5, 5], output: [1, 8, 9] },
  { kind: t("Fold"), args: [tup(8, 9), 3, { padding: 1, stride: 2 }], input: [2, 27, 20], output: [2, 3, 8, 9] },
  { kind: t("Fold"), args: [tup(4, 5), 2], input: [8, 12], output: [2, 4, 5] },
  { kind: t("Upsample"), args: [{ scale_factor: 2 }], input: undefined, output: undefined },

  // Errors PyTorch raises.
  // Padding length too large (F.pad's check: two sides per axis, at most the input's axes).
  { kind: t("ZeroPad2d"), args: [tup(1, 2, 3, 4)], input: [5], output: undefined, problems: ["wrongRank"] },
  // Padding length must be divisible by 2.
  { kind: t("ConstantPad1d"), args: [tup(1, 2, 3), { value: f(0.5) }], input: [1, 2, 4], output: [1, 2, U], problems: ["invalidArgument"] },
  { kind: t("ConstantPad1d"), args: [tup(-2, -3), { value: f(0.5) }], input: [1, 2, 4], output: [1, 2, U], problems: ["torchOutputTooSmall"] },
  // Argument #6: Padding size should be less than the corresponding input dimension, but got: padding (3, 5) at dimension 2 …
  { kind: t("ReflectionPad2d"), args: [tup(1, 2, 3, 5)], input: [1, 3, 5, 5], output: [1, 3, 13, 8], problems: ["torchPaddingTooLarge"] },
  { kind: t("ReflectionPad1d"), args: [5], input: [1, 3, 5], output: [1, 3, 15], problems: ["torchPaddingTooLarge"] },
  { kind: t("CircularPad2d"), args: [tup(6, 6, 1, 1)], input: [1, 3, 5, 5], output: [1, 3, 7, 17], problems: ["torchPaddingTooLarge"], note: "F.pad(…, 'circular'): wrapping around more than once" },
  // Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now.
  { kind: t("ReflectionPad2d"), args: [1], input: [5, 5], output: undefined, problems: ["wrongRank"] },
  { kind: t("ReflectionPad2d"), args: [tup(1, 1)], input: [1, 3, 5, 5], output: undefined, problems: ["wrongRank"] },
  { kind: t("ReplicationPad1d"), args: [7], input: [1, 1, 5, 5], output: undefined, problems: ["wrongRank"] },
  // input (H: 5, W: 5) is too small. Calculated output H: -1 W: -1.
  { kind: t("ReflectionPad2d"), args: [-3], input: [1, 3, 5, 5], output: [1, 3, U, U], problems: ["torchOutputTooSmall"] },
  { kind: t("ReplicationPad1d"), args: [-3], input: [1, 3, 5], output: [1, 3, U], problems: ["torchOutputTooSmall"] },
  { kind: t("Upsample"), args: [{ size: tup(7) }], input: [1, 3, 5, 5], output: [1, 3, U, U], problems: ["torchRefuses"] },
  { kind: t("Upsample"), args: [{ scale_factor: tup(f(2), f(3), f(4)) }], input: [1, 3, 5, 5], output: [1, 3, U, U], problems: ["torchRefuses"] },
  { kind: t("Upsample"), args: [{ size: 7, scale_factor: 2 }], input: [1, 3, 5, 5], output: [1, 3, U, U], problems: ["torchRefuses"] },
  { kind: t("Upsample"), args: [], input: [1, 3, 5, 5], output: [1, 3, U, U], problems: ["torchRefuses"] },
  { kind: t("Upsample"), args: [{ scale_factor: 2, mode: "bilinear" }], input: [3, 5, 5], output: undefined, problems: ["torchRefuses"] },
  { kind: t("Upsample"), args: [{ scale_factor: 2, mode: "linear" }], input: [1, 3, 5, 5], output: undefined, problems: ["torchRefuses"] },
  { kind: t("Upsample"), args: [{ scale_factor: 2, mode: "bicubic" }], input: [1, 3, 5, 5, 5], output: undefined, problems: ["torchRefuses"] },
  { kind: t("Upsample"), args: [{ scale_factor: 2, align_corners: true }], input: [1, 3, 5, 5], output: [1, 3, 10, 10], problems: ["torchRefuses"] },
  { kind: t("Upsample"), args: [{ scale_factor: 2, mode: "foo" }], input: [1, 3, 5, 5], output: [1, 3, 10, 10], problems: ["invalidArgument"] },
  { kind: t("Upsample"), args: [{ scale_factor: 2 }], input: [5, 5], output: undefined, problems: ["torchRefuses"] },
  { kind: t("Upsample"), args: [{ scale_factor: f(0.1) }], input: [1, 3, 5, 5], output: [1, 3, U, U], problems: ["torchRefuses"] },
  { kind: t("UpsamplingBilinear2d"), args: [{ scale_factor: 2 }], input: [3, 5, 5], output: undefined, problems: ["torchRefuses"] },
  { kind: t("PixelShuffle"), args: [2], input: [1, 3, 5, 5], output: [1, U, 10, 10], problems: ["torchRefuses"] },
  { kind: t("PixelShuffle"), args: [2], input: [5, 5], output: undefined, problems: ["torchRefuses"] },
  { kind: t("PixelShuffle"), args: [0], input: [1, 4, 5, 5], output: [1, U, U, U], problems: ["nonPositiveArgument"] },
  { kind: t("PixelUnshuffle"), args: [2], input: [1, 3, 5, 6], output: [1, 12, U, 3], problems: ["torchRefuses"] },
  { kind: t("ChannelShuffle"), args: [2], input: [1, 3, 5, 5], output: [1, 3, 5, 5], problems: ["torchRefuses"] },
  { kind: t("ChannelShuffle"), args: [2], input: [4, 5], output: undefined, problems: ["torchRefuses"] },
  { kind: t("ChannelShuffle"), args: [0], input: [1, 4, 5, 5], output: [1, 4, 5, 5], problems: ["nonPositiveArgument"] },
  { kind: t("Unfold"), args: [3], input: [1, 3, 2, 2], output: [1, 27, U], problems: ["torchOutputTooSmall"] },
  { kind: t("Fold"), args: [tup(8, 9), 3, { padding: 1, stride: 2 }], input: [2, 27, 21], output: [2, 3, 8, 9], problems: ["torchRefuses"] },
  { kind: t("Fold"), args: [tup(8, 9), 3, { padding: 1, stride: 2 }], input: [2, 26, 20], output: [2, U, 8, 9], problems: ["torchRefuses"] },
  { kind: t("Fold"), args: [tup(4, 5), 2], input: [1, 1, 8, 13], output: undefined, problems: ["wrongRank"] },
  // No block fits, whatever the input's length: "calculated shape of the array of sliding blocks as (-1, -2), which is
  // too small (non-positive)", though (-1)·(-2) is the 2 columns given.
  { kind: t("Fold"), args: [tup(3, 2), 3, { dilation: 2 }], input: [2, 18, 2], output: [2, 2, 3, 2], problems: ["torchRefuses"] },
];

for (const row of rows) test(rowName(row), () => checkRow(row, assert));

const messages = (kind: string, args: Arg[], input: Shape) => infer(kind, args, input).messages;

test("messages quote PyTorch", () => {
  assert.match(
    messages(t("ReflectionPad2d"), [tup(1, 2, 3, 5)], [1, 3, 5, 5])[0],
    /Argument #6: Padding size should be less than the corresponding input dimension, but got: padding \(3, 5\) at dimension 2 of input 4/,
  );
  assert.match(messages(t("ReflectionPad1d"), [5], [1, 3, 5])[0], /Argument #4: .* padding \(5, 5\) at dimension 2 of input \[1, 3, 5\]/);
  assert.match(messages(t("ReplicationPad1d"), [-3], [1, 3, 5])[0], /input \(W: 5\) is too small\. Calculated output W: -1/);
  assert.match(messages(t("ConstantPad1d"), [tup(-2, -3), { value: f(0.5) }], [1, 2, 4])[0], /The input size 4, plus negative padding -2 and -3 resulted in a negative output size/);
  assert.match(
    messages(t("Upsample"), [{ size: tup(7) }], [1, 3, 5, 5])[0],
    /Input and output must have the same number of spatial dimensions, but got input with spatial dimensions of \[5, 5\] and output size of \(7,\)\./,
  );
  assert.match(messages(t("Upsample"), [{ scale_factor: tup(f(2), f(3), f(4)) }], [1, 3, 5, 5])[0], /scale_factor of shape \(2\.0, 3\.0, 4\.0\)/);
  assert.match(messages(t("Upsample"), [{ scale_factor: 2, mode: "linear" }], [1, 3, 5, 5])[0], /Got 4D input, but linear mode needs 3D input/);
  assert.match(messages(t("Upsample"), [{ scale_factor: f(0.1) }], [1, 3, 5, 5])[0], /but got input \(H: 5, W: 5\) output \(H: 0, W: 0\)/);
  assert.match(messages(t("Upsample"), [{ scale_factor: f(0.1) }], [1, 3, 5])[0], /but got input \(W: 5\) and output \(W: 0\)/);
  assert.match(messages(t("Upsample"), [{ scale_factor: 2, align_corners: true }], [1, 3, 5, 5])[0], /align_corners option can only be set with the interpolating modes/);
  assert.match(messages(t("PixelShuffle"), [2], [1, 3, 5, 5])[0], /input\.size\(-3\)=3 is not divisible by 4/);
  assert.match(messages(t("PixelUnshuffle"), [2], [1, 3, 4, 5])[0], /pixel_unshuffle expects width to be divisible by downscale_factor, but input\.size\(-1\)=5 is not divisible by 2/);
  assert.match(messages(t("ChannelShuffle"), [2], [1, 3, 5, 5])[0], /Number of channels must be divisible by groups\. Got 3 channels and 2 groups\./);
  assert.match(
    messages(t("Unfold"), [3], [1, 3, 2, 2])[0],
    /Given input with spatial size \(2, 2\), kernel_size=\(3, 3\), dilation=\(1, 1\), padding=\(0, 0\), calculated shape of the array of sliding blocks as \(0, 0\), but its components must be at least one\./,
  );
  assert.match(
    messages(t("Fold"), [tup(8, 9), 3, { padding: 1, stride: 2 }], [2, 27, 21])[0],
    /expected size of input's dimension 2 to match the calculated number of sliding blocks 4 \* 5 = 20, but got input\.size\(2\)=21\./,
  );
  assert.match(
    messages(t("Fold"), [tup(3, 3), 3, { dilation: 2 }], [2, 9, 1])[0],
    /Given output_size=\(3, 3\), kernel_size=\(3, 3\), dilation=\(2, 2\), padding=\(0, 0\), stride=\(1, 1\), calculated shape of the array of sliding blocks as \(-1, -1\), which is too small \(non-positive\)/,
  );
});

test("formulas", () => {
  assert.deepEqual(infer(t("ZeroPad2d"), [tup(1, 2, 3, 4)], [1, 3, 5, 5]).result.formulas, [
    { label: "height", text: "5 + 3 + 4 = 12" },
    { label: "width", text: "5 + 1 + 2 = 8" },
  ]);
  assert.deepEqual(infer(t("Upsample"), [{ scale_factor: f(1.5) }], [1, 3, 5, 5]).result.formulas[0], { label: "height", text: "⌊5·1.5⌋ = 7" });
  assert.deepEqual(infer(t("PixelShuffle"), [2], [1, 12, 5, 5]).result.formulas, [
    { label: "channels", text: "12 / 2² = 3" },
    { label: "height", text: "5·2 = 10" },
    { label: "width", text: "5·2 = 10" },
  ]);
});

function macs(kind: string, args: Arg[], input: Shape) {
  const spec = findLayer(kind)!;
  const binding = bindArguments(spec, argsIR(args), undefined, 3);
  const result = spec.infer(binding.args, input);
  return spec.cost!({ args: binding.args, input, output: result.output, weights: result.weights });
}

test("MACs: interpolation weighs its neighbours, the rest only moves data", () => {
  assert.equal(macs(t("Upsample"), [{ scale_factor: 2 }], [1, 3, 5, 5]).macs, 0n);
  // 3·10·10 outputs, 4 neighbours each.
  assert.equal(macs(t("Upsample"), [{ scale_factor: 2, mode: "bilinear" }], [1, 3, 5, 5]).macs, 1_200n);
  assert.equal(macs(t("UpsamplingBilinear2d"), [{ scale_factor: 2 }], [1, 3, 5, 5]).macs, 1_200n);
  assert.equal(macs(t("Upsample"), [{ scale_factor: f(0.5), mode: "area" }], [1, 3, 5, 5]).macs, undefined);
  assert.equal(macs(t("ReflectionPad2d"), [1], [1, 3, 5, 5]).macs, 0n);
  assert.equal(macs(t("PixelShuffle"), [2], [1, 12, 5, 5]).macs, 0n);
});
