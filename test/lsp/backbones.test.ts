/**
 * keras.applications backbones through the language server: the parameter split Keras's own summaries print
 * for the tutorials' frozen and partly frozen bases, and the backbone's summary in its hover with Keras's layer
 * names. The hints and diagnostics of the same files are checked by the fixtures (test/fixtures/backbones_*.py).
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { LspClient, hoverText } from "./client";

describe("backbones", () => {
  let client: LspClient;

  before(async () => {
    client = await LspClient.start();
  });

  after(async () => {
    await client?.stop();
  });

  test("fine-tuning MobileNetV2 from its 100th layer splits the parameters as the tutorial's summary prints them", async () => {
    const { uri } = await client.openFixture("backbones_transfer.py");
    const hover = hoverText(await client.hoverAt(uri, "tf.keras.Model(inputs, outputs)", 10));
    // TensorFlow's "Transfer learning and fine-tuning" tutorial, model.summary() after the split.
    assert.match(hover, /Total params: 2,259,265 /);
    assert.match(hover, /Trainable params: 1,862,721 /);
    assert.match(hover, /Non-trainable params: 396,544 /);
  });

  test("a U-Net encoder tapped from MobileNetV2 by layer names counts what the tutorial's summary counts", async () => {
    const { uri } = await client.openFixture("backbones_unet.py");
    const hover = hoverText(await client.hoverAt(uri, "tf.keras.Model(inputs=base_model.input", 10));
    // TensorFlow's "Image segmentation" tutorial, down_stack.summary(): trainable 1,811,072, non-trainable 30,912
    // (the moving means and variances of its batch normalizations), listed before `trainable = False` is set.
    assert.match(hover, /Total params: 1,841,984 /);
    assert.match(hover, /Non-trainable params: 1,841,984 /, "down_stack.trainable = False freezes all of it");
    // The deepest tap is block 16's projection: 4×4 at 128 / 32, 320 channels.
    assert.match(hover, /\| block_16_project \(Conv2D\) \| `\(None, 4, 4, 320\)` \| 307,200 \|/);
  });

  test("every layer of InceptionV3 frozen in a loop over its 311 layers, a head on mixed7: the course's split", async () => {
    const { uri } = await client.openFixture("backbones_inception_mixed7.py");
    const hover = hoverText(await client.hoverAt(uri, "Model(pre_trained_model.input", 1));
    // DeepLearning.AI's TensorFlow course, model.summary() of the exercise.
    assert.match(hover, /Total params: 47,512,481 /);
    assert.match(hover, /Trainable params: 38,537,217 /);
    assert.match(hover, /Non-trainable params: 8,975,264 /);
  });

  test("layers frozen up to a number only known at run time: the split is unknown, never all trainable", async () => {
    const uri = "file:///backbones_unknown_split.py";
    const text = [
      "import sys",
      "import keras",
      "base = keras.applications.MobileNetV2(include_top=False, input_shape=(160, 160, 3))",
      "for layer in base.layers[: int(sys.argv[1])]:",
      "    layer.trainable = False",
      "",
    ].join("\n");
    await client.open(uri, text);
    const hover = hoverText(await client.hover(uri, 2, 30));
    // Keras's published count of MobileNetV2 without its top.
    assert.match(hover, /Total params: 2,257,984 /);
    assert.match(hover, /Trainable params: \? /);
    assert.match(hover, /Non-trainable params: \? /);
  });

  test("NASNet's hover: Keras's published split and its cells' layers by Keras's names", async () => {
    const { uri } = await client.openFixture("backbones_counts_nasnet.py");
    const mobile = hoverText(await client.hoverAt(uri, "keras.applications.NASNetMobile()", 20));
    assert.match(mobile, /\*\*nasnet_mobile\*\* \(Functional\)/);
    // NASNetMobile's and NASNetLarge's model.summary(): the non-trainable ones are the batch normalizations' moving
    // means and variances.
    assert.match(mobile, /Trainable params: 5,289,978 /);
    assert.match(mobile, /Non-trainable params: 36,738 /);
    // 3·3·3·32 = 864; the last normal cell concatenates its older input and five branches of 176: 6·176 = 1,056.
    assert.match(mobile, /\| stem_conv1 \(Conv2D\) \| `\(None, 111, 111, 32\)` \| 864 \|/);
    assert.match(mobile, /\| normal_concat_12 \(concatenate\) \| `\(None, 7, 7, 1056\)` \| 0 \|/);
    // The first cell after reduce_4 samples the 28×28 cell 3 (6·44 = 264 channels) down to 14×14: two 1×1
    // convolutions of 88 / 2 = 44 filters, 264·44 = 11,616 each.
    assert.match(mobile, /\| adjust_conv_2_5 \(Conv2D\) \| `\(None, 14, 14, 44\)` \| 11,616 \|/);
    const large = hoverText(await client.hoverAt(uri, "keras.applications.nasnet.NASNetLarge()", 20));
    assert.match(large, /Trainable params: 88,753,150 /);
    assert.match(large, /Non-trainable params: 196,668 /);
  });

  test("a backbone's hover: what it is, its input rules, Keras's parameter split and its layers by name", async () => {
    const { uri } = await client.openFixture("backbones_counts.py");
    const hover = hoverText(await client.hoverAt(uri, "keras.applications.ResNet50()", 20));
    assert.match(hover, /\*\*resnet50\*\* \(Functional\)/);
    assert.match(hover, /at least 32×32/);
    // Keras's published ResNet50 summary.
    assert.match(hover, /Trainable params: 25,583,592 /);
    assert.match(hover, /Non-trainable params: 53,120 /);
    // 7·7·3·64 + 64 = 9,472; Keras lists the first block's projection after the main path's second convolution.
    assert.match(hover, /\| conv1_conv \(Conv2D\) \| `\(None, 112, 112, 64\)` \| 9,472 \|/);
    const order = [...hover.matchAll(/\| (conv2_block1_\w+) /g)].map((m) => m[1]);
    assert.deepEqual(order.slice(5, 10), ["conv2_block1_2_relu", "conv2_block1_0_conv", "conv2_block1_3_conv", "conv2_block1_0_bn", "conv2_block1_3_bn"]);
  });
});
