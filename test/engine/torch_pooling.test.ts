/**
 * PyTorch's pooling modules. Every output shape below was printed by PyTorch (python3-torch 1.13: the module
 * built with these arguments and run on torch.randn of the input shape, MaxUnpool with zero indices); the errors
 * quote the message PyTorch raised. Where 1.13 differs from current PyTorch (ATen's Pool.h and MaxPooling.h today),
 * the row follows current PyTorch and says so. LPPool3d is PyTorch ≥ 2.2's, checked against its documented rule.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Arg, Row, argsIR, checkRow, infer, rowName, tup } from "./helpers";
import { bindArguments } from "../../server/src/engine/bind";
import { findLayer } from "../../server/src/engine/layers/registry";
import { Shape } from "../../server/src/engine/shape";

const U = "?";
const t = (name: string) => `torch.nn.${name}`;

const rows: Row[] = [
  { kind: t("MaxPool2d"), args: [2], input: [1, 3, 5, 5], output: [1, 3, 2, 2] },
  { kind: t("MaxPool2d"), args: [2, { ceil_mode: true }], input: [1, 3, 5, 5], output: [1, 3, 3, 3] },
  { kind: t("MaxPool2d"), args: [3, 3, 1, { ceil_mode: true }], input: [1, 3, 5, 5], output: [1, 3, 2, 2], note: "the last window would start in the right padding" },
  { kind: t("MaxPool2d"), args: [tup(3, 2), { stride: tup(2, 1), padding: tup(1, 0), dilation: tup(1, 2) }], input: [2, 4, 9, 10], output: [2, 4, 5, 8] },
  { kind: t("MaxPool2d"), args: [3, 2, 1], input: [64, 56, 56], output: [64, 28, 28], note: "unbatched" },
  { kind: t("MaxPool1d"), args: [3, 2, 1], input: [2, 4, 9], output: [2, 4, 5] },
  { kind: t("MaxPool1d"), args: [4, { ceil_mode: true }], input: [4, 10], output: [4, 3] },
  { kind: t("MaxPool3d"), args: [2, 2], input: [1, 2, 5, 6, 7], output: [1, 2, 2, 3, 3] },
  { kind: t("MaxPool3d"), args: [tup(1, 2, 2), { ceil_mode: true }], input: [2, 5, 5, 5], output: [2, 5, 3, 3] },
  // Current PyTorch allows padding up to half the dilated window (2·(3 − 1) + 1 = 5): ⌊(5 + 4 − 4 − 1)/1 + 1⌋ = 5.
  // (1.13 still compared with half the kernel and raised.)
  { kind: t("MaxPool2d"), args: [3, 1, 2, { dilation: 2 }], input: [1, 3, 5, 5], output: [1, 3, 5, 5] },
  { kind: t("AvgPool2d"), args: [3, 2, 1, { ceil_mode: true }], input: [1, 3, 6, 6], output: [1, 3, 4, 4] },
  { kind: t("AvgPool2d"), args: [2], input: [3, 7, 7], output: [3, 3, 3] },
  { kind: t("AvgPool2d"), args: [tup(2, 3), { divisor_override: 2 }], input: [1, 3, 7, 7], output: [1, 3, 3, 2] },
  { kind: t("AvgPool1d"), args: [3, 2, 1, true, false], input: [2, 4, 10], output: [2, 4, 6] },
  { kind: t("AvgPool3d"), args: [2, 1, 1], input: [1, 2, 3, 3, 3], output: [1, 2, 4, 4, 4] },
  { kind: t("LPPool2d"), args: [2, 3, 2, { ceil_mode: true }], input: [1, 3, 6, 6], output: [1, 3, 3, 3] },
  { kind: t("LPPool2d"), args: [1.5, tup(2, 3)], input: [3, 6, 7], output: [3, 3, 2] },
  { kind: t("LPPool1d"), args: [2, 3], input: [1, 3, 7], output: [1, 3, 2] },
  { kind: t("LPPool3d"), args: [2, 2], input: [1, 3, 4, 5, 6], output: [1, 3, 2, 2, 3] },
  { kind: t("AdaptiveAvgPool2d"), args: [tup(null, 3)], input: [1, 3, 6, 7], output: [1, 3, 6, 3] },
  { kind: t("AdaptiveAvgPool2d"), args: [1], input: [8, 512, 7, 7], output: [8, 512, 1, 1] },
  { kind: t("AdaptiveAvgPool2d"), args: [9], input: [1, 3, 6, 6], output: [1, 3, 9, 9] },
  { kind: t("AdaptiveAvgPool1d"), args: [3], input: [3, 6], output: [3, 3] },
  { kind: t("AdaptiveAvgPool3d"), args: [tup(2, null, 1)], input: [1, 3, 4, 5, 6], output: [1, 3, 2, 5, 1] },
  { kind: t("AdaptiveMaxPool1d"), args: [5], input: [2, 3, 12], output: [2, 3, 5] },
  { kind: t("AdaptiveMaxPool3d"), args: [2], input: [2, 3, 4, 4, 4], output: [2, 3, 2, 2, 2] },
  { kind: t("AdaptiveAvgPool2d"), args: [7], input: [8, 512, U, 14], output: [8, 512, 7, 7], note: "the output size does not depend on the input's" },
  { kind: t("MaxUnpool2d"), args: [2], input: [1, 3, 2, 2], output: [1, 3, 4, 4] },
  { kind: t("MaxUnpool1d"), args: [3, 2, 1], input: [1, 3, 5], output: [1, 3, 9] },
  { kind: t("MaxUnpool3d"), args: [2], input: [3, 2, 2, 2], output: [3, 4, 4, 4] },
  { kind: t("MaxUnpool2d"), args: [tup(3, 2), tup(1, 2), tup(1, 0)], input: [3, 4, 5], output: [3, 4, 10] },
  { kind: t("MaxPool2d"), args: [2], input: [U, 3, U, 6], output: [U, 3, U, 3] },
  { kind: t("MaxPool2d"), args: [2], input: undefined, output: undefined },

  // Errors PyTorch raises.
  // pad should be at most half of effective kernel size, but got pad=2, kernel_size=3 and dilation=1.
  { kind: t("MaxPool2d"), args: [3, 1, 2], input: [1, 3, 5, 5], output: [1, 3, 7, 7], problems: ["torchPoolPadding", "torchPoolPadding"] },
  { kind: t("MaxPool1d"), args: [3, 1, 2], input: [1, 3, 5], output: [1, 3, 7], problems: ["torchPoolPadding"] },
  { kind: t("AvgPool2d"), args: [3, 2, tup(2, 1)], input: [1, 3, 6, 6], output: [1, 3, 4, 3], problems: ["torchPoolPadding"] },
  { kind: t("MaxPool2d"), args: [3, 1, 2], input: undefined, output: undefined, problems: ["torchPoolPadding", "torchPoolPadding"], note: "whatever the input" },
  // Given input size: (3x2x2). Calculated output size: (3x0x0). Output size is too small.
  { kind: t("MaxPool2d"), args: [3], input: [1, 3, 2, 2], output: [1, 3, U, U], problems: ["torchOutputTooSmall"] },
  { kind: t("MaxPool2d"), args: [3], input: [3, 2, 5], output: [3, U, 1], problems: ["torchOutputTooSmall"] },
  // Current PyTorch raises "max_pool1d() Invalid computed output size: 0" (1.13 returned an empty (1, 3, 0)).
  { kind: t("MaxPool1d"), args: [3], input: [1, 3, 2], output: [1, 3, U], problems: ["torchOutputTooSmall"] },
  { kind: t("MaxPool3d"), args: [3], input: [1, 3, 2, 2, 2], output: [1, 3, U, U, U], problems: ["torchOutputTooSmall"] },
  { kind: t("AvgPool1d"), args: [3], input: [1, 3, 2], output: [1, 3, U], problems: ["torchOutputTooSmall"] },
  { kind: t("LPPool2d"), args: [2, 3], input: [1, 3, 2, 2], output: [1, 3, U, U], problems: ["torchOutputTooSmall"] },
  // input image (T: 2 H: 2 W: 2) smaller than kernel size (kT: 3 kH: 3 kW: 3), even where padding would fit it.
  { kind: t("AvgPool3d"), args: [3], input: [1, 3, 2, 2, 2], output: [1, 3, U, U, U], problems: ["torchRefuses", "torchOutputTooSmall"] },
  { kind: t("AvgPool3d"), args: [3, { padding: 1 }], input: [1, 2, 2, 4, 4], output: [1, 2, 1, 2, 2], problems: ["torchRefuses"] },
  // non-empty 3D or 4D (batch mode) tensor expected for input; adaptive_avg_pool2d(): Expected 3D or 4D tensor.
  { kind: t("MaxPool2d"), args: [3], input: [2, 2], output: undefined, problems: ["wrongRank"] },
  { kind: t("MaxPool1d"), args: [3], input: [1, 2, 2, 5, 5], output: undefined, problems: ["wrongRank"] },
  { kind: t("AdaptiveAvgPool2d"), args: [3], input: [6, 6], output: undefined, problems: ["wrongRank"] },
  { kind: t("MaxUnpool2d"), args: [2], input: [2, 2], output: undefined, problems: ["wrongRank"] },
  // adaptive_avg_pool2d: output_size must be 2.
  { kind: t("AdaptiveAvgPool2d"), args: [tup(3, 3, 3)], input: [1, 3, 6, 6], output: [1, 3, U, U], problems: ["invalidArgument"] },
  { kind: t("AdaptiveAvgPool1d"), args: [null], input: [1, 3, 6], output: [1, 3, U], problems: ["invalidArgument"] },
  // Which half-window bounds the padding. 1.13 raised on each of these; current PyTorch still raises where it compares
  // the kernel alone: "max_pool1d() padding should be at most half of kernel size, but got padding=2 and kernel_size=3"
  // (MaxPooling.cpp), and MaxPool3d's pool3d_shape_check (kT / 2). MaxPool1d with indices runs as a 2-D pool, whose
  // bound is the dilated window (1, 9) → (1, 3), as the MaxPool2d row above.
  { kind: t("MaxPool1d"), args: [3, { padding: 2, dilation: 2 }], input: [1, 9], output: [1, 3], problems: ["torchPoolPadding"] },
  { kind: t("MaxPool3d"), args: [3, { padding: 2, dilation: 2 }], input: [1, 9, 9, 9], output: [1, 3, 3, 3], problems: ["torchPoolPadding", "torchPoolPadding", "torchPoolPadding"] },
  { kind: t("MaxPool1d"), args: [3, { padding: 2, dilation: 2, return_indices: true }], input: [1, 9], output: [1, 3], note: "current PyTorch" },
  // mul(): argument 'other' (position 1) must be Tensor, not tuple (F.lp_pool1d multiplies by kernel_size itself).
  { kind: t("LPPool1d"), args: [2, tup(3)], input: [1, 9], output: [1, 3], problems: ["torchRefuses"] },
  // ZeroDivisionError: float division by zero (the result is raised to 1 / norm_type).
  { kind: t("LPPool1d"), args: [0, 3], input: [1, 9], output: [1, 3], problems: ["torchRefuses"] },
  // LPPool3d is avg_pool3d's: input image (T: 7 H: 5 W: 3) smaller than kernel size (kT: 4 kH: 4 kW: 4), ceil_mode or not.
  { kind: t("LPPool3d"), args: [2, 4, { ceil_mode: true }], input: [1, 7, 5, 3], output: [1, 2, 2, 1], problems: ["torchRefuses"] },
  // An adaptive average pool to 1 is a mean over the last axes: (3, 5) → (1, 1); (3, 3, 5, 9, 1, 1) → (3, 3, 5, 1, 1, 1);
  // a None over a 1 counts. A tuple wants more axes than it has ("Input dimension should be at least 3"), and
  // AdaptiveMaxPool2d has no such shortcut ("adaptive_max_pool2d(): Expected 3D or 4D tensor, but got: [3, 5]").
  { kind: t("AdaptiveAvgPool2d"), args: [1], input: [3, 5], output: [1, 1] },
  { kind: t("AdaptiveAvgPool3d"), args: [1], input: [3, 3, 5, 9, 1, 1], output: [3, 3, 5, 1, 1, 1] },
  { kind: t("AdaptiveAvgPool2d"), args: [tup(null, 1)], input: [2, 3, 4, 1, 7], output: [2, 3, 4, 1, 1] },
  { kind: t("AdaptiveAvgPool2d"), args: [tup(1, 1)], input: [3, 5], output: undefined, problems: ["wrongRank"] },
  { kind: t("AdaptiveMaxPool2d"), args: [1], input: [3, 5], output: undefined, problems: ["wrongRank"] },
  // MaxUnpool: an axis of 0 is an empty output, (1, 2, 4) → (1, 0, 2) and (1, 1, 2, 2) → (1, 0, 2, 2); a negative one
  // raises (1.13: "numel: integer multiplication overflow"). MaxUnpool2d takes a stride of 0: (1, 1, 3, 3) → (1, 1, 2, 2).
  { kind: t("MaxUnpool2d"), args: [1, { padding: 1 }], input: [1, 2, 4], output: [1, 0, 2] },
  { kind: t("MaxUnpool3d"), args: [2, { padding: 1 }], input: [1, 1, 2, 2], output: [1, 0, 2, 2] },
  { kind: t("MaxUnpool1d"), args: [1, { padding: 1 }], input: [2, 1], output: [2, U], problems: ["torchRefuses"] },
  { kind: t("MaxUnpool2d"), args: [2, { stride: 0 }], input: [1, 1, 3, 3], output: [1, 1, 2, 2] },
  // stride should not be zero; divisor must be not zero.
  { kind: t("MaxPool2d"), args: [2, 0], input: [1, 3, 5, 5], output: [1, 3, U, U], problems: ["nonPositiveArgument"] },
  { kind: t("AvgPool2d"), args: [3, { divisor_override: 0 }], input: [1, 3, 6, 6], output: [1, 3, 2, 2], problems: ["torchRefuses"] },
  { kind: t("AvgPool1d"), args: [3, { divisor_override: 2 }], input: [1, 3, 6], output: [1, 3, 2], problems: ["unknownKeyword"], note: "AvgPool1d has no divisor_override" },
];

for (const row of rows) test(rowName(row), () => checkRow(row, assert));

test("return_indices=True returns the indices too, shaped as the output", () => {
  // PyTorch: [(1, 3, 2, 2), (1, 3, 2, 2)] and [(2, 3, 3), (2, 3, 3)].
  assert.deepEqual(infer(t("MaxPool2d"), [2, { return_indices: true }], [1, 3, 5, 5]).result.extraOutputs, [[1, 3, 2, 2]]);
  assert.deepEqual(infer(t("AdaptiveMaxPool2d"), [3, { return_indices: true }], [2, 6, 6]).result.extraOutputs, [[2, 3, 3]]);
  assert.equal(infer(t("MaxPool2d"), [2], [1, 3, 5, 5]).result.extraOutputs, undefined);
});

test("messages quote PyTorch", () => {
  const [padding] = infer(t("MaxPool2d"), [3, 1, tup(1, 2)], [1, 3, 5, 5]).messages;
  assert.match(padding, /pad should be at most half of effective kernel size, but got pad=2, kernel_size=3 and dilation=1/);
  assert.match(padding, /on the width is more than half its window \(3, so at most 1\)/);
  assert.match(infer(t("MaxPool2d"), [3], [1, 3, 2, 2]).messages[0], /Given input size: \(3x2x2\)\. Calculated output size: \(3x0x0\)\. Output size is too small/);
  assert.match(infer(t("MaxPool2d"), [3], [3, 2, 5]).messages[0], /Given input size: \(3x2x5\)\. Calculated output size: \(3x0x1\)\./);
  assert.match(infer(t("AvgPool1d"), [3], [1, 3, 2]).messages[0], /Given input size: \(3x1x2\)\. Calculated output size: \(3x1x0\)\./);
  assert.match(infer(t("AvgPool3d"), [3, { padding: 1 }], [1, 2, 2, 4, 4]).messages[0], /input image \(T: 2 H: 4 W: 4\) smaller than kernel size \(kT: 3 kH: 3 kW: 3\)/);
  const [maxPool1d] = infer(t("MaxPool1d"), [3, { padding: 2, dilation: 2 }], [1, 9]).messages;
  assert.match(maxPool1d, /max_pool1d\(\) padding should be at most half of kernel size, but got padding=2 and kernel_size=3/);
  assert.match(maxPool1d, /more than half its window \(the kernel 3, dilation aside, so at most 1\)/);
  assert.match(infer(t("LPPool1d"), [2, tup(3)], [1, 9]).messages[0], /mul\(\): argument 'other' \(position 1\) must be Tensor, not tuple \(torch\.nn\.LPPool1d raises this TypeError\.\)/);
});

test("formulas: PyTorch's floor, and ceil_mode's ceiling with its last-window rule", () => {
  assert.deepEqual(infer(t("MaxPool2d"), [3, 2, 1], [64, 56, 56]).result.formulas[0], { label: "height", text: "⌊(56 + 2·1 − 1·(3 − 1) − 1)/2 + 1⌋ = 28" });
  assert.deepEqual(infer(t("MaxPool2d"), [2, { ceil_mode: true }], [1, 3, 5, 5]).result.formulas[0], { label: "height", text: "⌈(5 + 2·0 − 1·(2 − 1) − 1)/2 + 1⌉ = 3" });
  assert.deepEqual(infer(t("MaxPool2d"), [3, 3, 1, { ceil_mode: true }], [1, 3, 5, 5]).result.formulas[0], {
    label: "height",
    text: "⌈(5 + 2·1 − 1·(3 − 1) − 1)/3 + 1⌉ − 1 = 2 (the last window would start in the right padding)",
  });
});

function macs(kind: string, args: Arg[], input: Shape) {
  const spec = findLayer(kind)!;
  const binding = bindArguments(spec, argsIR(args), undefined, 3);
  const result = spec.infer(binding.args, input);
  return spec.cost!({ args: binding.args, input, output: result.output, weights: result.weights });
}

test("MACs: one per window element for each output element", () => {
  // 64 channels · 28·28 outputs · 3·3 window.
  assert.deepEqual(macs(t("MaxPool2d"), [3, 2, 1], [8, 64, 56, 56]), { macs: 451_584n, formula: "64·28·28 · 3·3 = 451,584", note: "one per window element" });
  // Global average pooling reads every input element once: 512·7·7.
  assert.equal(macs(t("AdaptiveAvgPool2d"), [1], [8, 512, 7, 7]).macs, 25_088n);
  // 6 → 4 windows [0, 2), [1, 3), [3, 5), [4, 6): 8 elements per axis, on 3 channels.
  assert.equal(macs(t("AdaptiveMaxPool2d"), [4], [3, 6, 6]).macs, 192n);
  assert.equal(macs(t("MaxPool2d"), [2], [1, 3, U, 6]).macs, undefined);
});
