/**
 * Whole backbones against the multiply-adds their papers publish, as rounded there (issue 18 with issue 16):
 * ResNet-50 at 224×224 "3.8 × 10^9 FLOPs" (multiply-adds; He et al. 2015, table 1), MobileNetV2 1.0 at 224
 * "300M" multiply-adds (Sandler et al. 2018, table 3), EfficientNet-B0 "0.39B FLOPs" (Tan & Le 2019, table 2).
 * Layer Lens counts normalization and pooling too (README's convention), which the papers leave out: for
 * these nets a fraction of a percent.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { analyzeText } from "../../server/src/analysis";
import { modelFootprint } from "../../server/src/engine/footprint";

const SOURCE = `import keras
from keras.applications import ResNet50, MobileNetV2, EfficientNetB0
resnet = ResNet50(weights=None)
mobilenet = MobileNetV2(weights=None)
efficientnet = EfficientNetB0(weights=None)
`;

test("ResNet50, MobileNetV2 and EfficientNetB0 at 224×224: the multiply-adds their papers publish", () => {
  const macs = analyzeText(SOURCE).models.map((m) => Number(modelFootprint(m).macs));
  assert.equal(macs.length, 3);
  const [resnet, mobilenet, efficientnet] = macs;
  // 3.8 × 10^9, the paper's first digits.
  assert.ok(resnet >= 3.8e9 && resnet < 3.9e9, `ResNet50: ${resnet}`);
  // 300M, rounded to the paper's two significant figures (295M to 305M), and the BN and pooling on top.
  assert.ok(mobilenet >= 295e6 && mobilenet < 310e6, `MobileNetV2: ${mobilenet}`);
  // 0.39B: 385M to 395M.
  assert.ok(efficientnet >= 385e6 && efficientnet < 395e6, `EfficientNetB0: ${efficientnet}`);
});
