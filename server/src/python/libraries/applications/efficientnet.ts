/**
 * EfficientNet B0–B7 (Tan & Le 2019): MBConv blocks with squeeze-and-excitation, B0's stage table scaled in
 * width and depth by each variant's coefficients, as Keras builds them (rescaling and normalization inside the
 * model), with Keras's layer names. Read by Layer Lens's own front end (`build.ts`), never run.
 */
import { CLASSIFIER } from "./common";
import { CORRECT_PAD } from "./mobilenet";

export const EFFICIENTNET = String.raw`
from keras import layers
import keras
${CLASSIFIER}
${CORRECT_PAD}

# (kernel, repeats, filters in, filters out, expansion, stride) per stage of B0; every stage squeezes to a quarter.
STAGES = [
    (3, 1, 32, 16, 1, 1),
    (3, 2, 16, 24, 6, 2),
    (5, 2, 24, 40, 6, 2),
    (3, 3, 40, 80, 6, 2),
    (5, 3, 80, 112, 6, 1),
    (5, 4, 112, 192, 6, 2),
    (3, 1, 192, 320, 6, 1),
]
LETTERS = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m"]
# 1 / sqrt of ImageNet's per-channel standard deviations: Keras rescales by it when loading those weights.
IMAGENET_RESCALE = [2.0896918976428642, 2.1128856368212916, 2.1081851067789197]


def round_filters(filters, width):
    scaled = filters * width
    rounded = max(8, int(scaled + 4) // 8 * 8)
    if rounded < 0.9 * scaled:
        rounded = rounded + 8
    return int(rounded)


def round_repeats(repeats, depth):
    # ceil(depth * repeats), in integer arithmetic.
    return -int(-(depth * repeats) // 1)


def mbconv(x, drop_rate, name, filters_in, filters_out, kernel, stride, expansion):
    filters = filters_in * expansion
    y = x
    if expansion != 1:
        y = layers.Conv2D(filters, 1, padding="same", use_bias=False, name=name + "expand_conv")(y)
        y = layers.BatchNormalization(axis=3, name=name + "expand_bn")(y)
        y = layers.Activation("swish", name=name + "expand_activation")(y)
    if stride == 2:
        y = layers.ZeroPadding2D(padding=correct_pad(y, kernel), name=name + "dwconv_pad")(y)
    y = layers.DepthwiseConv2D(kernel, strides=stride, padding="valid" if stride == 2 else "same", use_bias=False, name=name + "dwconv")(y)
    y = layers.BatchNormalization(axis=3, name=name + "bn")(y)
    y = layers.Activation("swish", name=name + "activation")(y)
    squeezed = max(1, int(filters_in * 0.25))
    se = layers.GlobalAveragePooling2D(name=name + "se_squeeze")(y)
    se = layers.Reshape((1, 1, filters), name=name + "se_reshape")(se)
    se = layers.Conv2D(squeezed, 1, padding="same", activation="swish", name=name + "se_reduce")(se)
    se = layers.Conv2D(filters, 1, padding="same", activation="sigmoid", name=name + "se_expand")(se)
    y = layers.multiply([y, se], name=name + "se_excite")
    y = layers.Conv2D(filters_out, 1, padding="same", use_bias=False, name=name + "project_conv")(y)
    y = layers.BatchNormalization(axis=3, name=name + "project_bn")(y)
    if stride == 1 and filters_in == filters_out:
        if drop_rate > 0:
            y = layers.Dropout(drop_rate, noise_shape=(None, 1, 1, 1), name=name + "drop")(y)
        y = layers.add([y, x], name=name + "add")
    return y


def efficientnet(width, depth, dropout, model_name, weights, input_shape, include_top, pooling, classes, classifier_activation):
    inputs = layers.Input(shape=input_shape)
    x = layers.Rescaling(1.0 / 255.0)(inputs)
    x = layers.Normalization(axis=3)(x)
    if weights == "imagenet":
        x = layers.Rescaling(IMAGENET_RESCALE)(x)
    x = layers.ZeroPadding2D(padding=correct_pad(x, 3), name="stem_conv_pad")(x)
    x = layers.Conv2D(round_filters(32, width), 3, strides=2, padding="valid", use_bias=False, name="stem_conv")(x)
    x = layers.BatchNormalization(axis=3, name="stem_bn")(x)
    x = layers.Activation("swish", name="stem_activation")(x)
    total = 0
    for kernel, repeats, filters_in, filters_out, expansion, stride in STAGES:
        total = total + round_repeats(repeats, depth)
    b = 0
    stage = 1
    for kernel, repeats, filters_in, filters_out, expansion, stride in STAGES:
        first_in = round_filters(filters_in, width)
        out = round_filters(filters_out, width)
        for j in range(round_repeats(repeats, depth)):
            x = mbconv(x, 0.2 * b / total, f"block{stage}{LETTERS[j]}_", first_in if j == 0 else out, out, kernel, stride if j == 0 else 1, expansion)
            b = b + 1
        stage = stage + 1
    x = layers.Conv2D(round_filters(1280, width), 1, padding="same", use_bias=False, name="top_conv")(x)
    x = layers.BatchNormalization(axis=3, name="top_bn")(x)
    x = layers.Activation("swish", name="top_activation")(x)
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        x = layers.Dropout(dropout, name="top_dropout")(x)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = pooled(x, pooling, True)
    return keras.Model(inputs, x, name=model_name)
`;
