/**
 * Whole backbones against the multiply-adds their papers publish, as rounded there (issue 18 with issue 16):
 * ResNet-50 at 224×224 "3.8 × 10^9 FLOPs" (multiply-adds; He et al. 2015, table 1), MobileNetV2 1.0 at 224
 * "300M" multiply-adds (Sandler et al. 2018, table 3), EfficientNet-B0 "0.39B FLOPs" (Tan & Le 2019, table 2),
 * NASNet-A Mobile and Large "564M" and "23.8B" mult-adds (Zoph et al. 2018).
 * Layer Lens counts normalization and pooling too (README's convention), which the papers leave out: for
 * the first three a fraction of a percent; NASNet's many cells make it 2.5%, so its convolutions are compared.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { analyzeText } from "../../server/src/analysis";
import { callCost, modelFootprint } from "../../server/src/engine/footprint";

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

test("NASNet-A (4 @ 1056) at 224 and (6 @ 4032) at 331: the multiply-adds of their convolutions as published", () => {
  const source = "from keras.applications import NASNetMobile, NASNetLarge\nmobile = NASNetMobile(weights=None)\nlarge = NASNetLarge(weights=None)\n";
  const [mobile, large] = analyzeText(source).models.map((model) => {
    const convolutions = model.layers.filter((l) => l.element.type === "layer" && ["Conv2D", "SeparableConv2D", "Dense"].includes(l.element.kind));
    return { convolutions: Number(convolutions.reduce((sum, l) => sum + callCost(l, model).macs!, 0n)), all: Number(modelFootprint(model).macs) };
  });
  // Zoph et al. 2018's ImageNet tables: 564M and 23.8B mult-adds, here of the convolutions and the classifier.
  assert.ok(mobile.convolutions >= 563.5e6 && mobile.convolutions < 564.5e6, `NASNetMobile: ${mobile.convolutions}`);
  assert.ok(large.convolutions >= 23.75e9 && large.convolutions < 23.85e9, `NASNetLarge: ${large.convolutions}`);
  // The cells' 3×3 average poolings and their many normalizations add more here than in the other nets: 2.5%.
  assert.ok(mobile.all < mobile.convolutions * 1.03, `NASNetMobile in all: ${mobile.all}`);
});
