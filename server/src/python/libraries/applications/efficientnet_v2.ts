/**
 * EfficientNetV2 B0–B3, S, M and L (Tan & Le 2021): Fused-MBConv stages (one full convolution in place of the
 * expansion and the depthwise one) then MBConv stages with squeeze-and-excitation, each variant's stage table
 * from the paper, scaled in width and depth for B1–B3, as Keras builds them, with Keras's layer names. Read by
 * Layer Lens's own front end (`build.ts`), never run.
 */
import { CLASSIFIER } from "./common";
export const EFFICIENTNET_V2 = String.raw`
from keras import layers
import keras
${CLASSIFIER}

LETTERS = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t", "u", "v", "w", "x", "y", "z"]


def round_filters(filters, width):
    return int(max(8, int(filters * width + 4) // 8 * 8))


def round_repeats(repeats, depth):
    # ceil(depth * repeats), in integer arithmetic.
    return -int(-(depth * repeats) // 1)


def squeeze_excite(x, filters, squeezed, name):
    se = layers.GlobalAveragePooling2D(name=name + "se_squeeze")(x)
    se = layers.Reshape((1, 1, filters), name=name + "se_reshape")(se)
    se = layers.Conv2D(squeezed, 1, padding="same", activation="swish", name=name + "se_reduce")(se)
    se = layers.Conv2D(filters, 1, padding="same", activation="sigmoid", name=name + "se_expand")(se)
    return layers.multiply([x, se], name=name + "se_excite")


def mbconv(x, filters_in, filters_out, expansion, kernel, stride, se_ratio, drop, fused, name):
    filters = filters_in * expansion
    y = x
    if expansion != 1:
        y = layers.Conv2D(filters, kernel_size=kernel if fused else 1, strides=stride if fused else 1, padding="same", use_bias=False, name=name + "expand_conv")(y)
        y = layers.BatchNormalization(axis=3, momentum=0.9, name=name + "expand_bn")(y)
        y = layers.Activation("swish", name=name + "expand_activation")(y)
    if not fused:
        y = layers.DepthwiseConv2D(kernel_size=kernel, strides=stride, padding="same", use_bias=False, name=name + "dwconv2")(y)
        y = layers.BatchNormalization(axis=3, momentum=0.9, name=name + "bn")(y)
        y = layers.Activation("swish", name=name + "activation")(y)
    if se_ratio > 0:
        y = squeeze_excite(y, filters, max(1, int(filters_in * se_ratio)), name)
    # A fused block without expansion convolves once, here, with the block's kernel and stride.
    single = fused and expansion == 1
    y = layers.Conv2D(filters_out, kernel_size=kernel if single else 1, strides=stride if single else 1, padding="same", use_bias=False, name=name + "project_conv")(y)
    y = layers.BatchNormalization(axis=3, momentum=0.9, name=name + "project_bn")(y)
    if single:
        y = layers.Activation("swish", name=name + "project_activation")(y)
    if stride == 1 and filters_in == filters_out:
        if drop:
            y = layers.Dropout(drop, noise_shape=(None, 1, 1, 1), name=name + "drop")(y)
        y = layers.add([y, x], name=name + "add")
    return y


def efficientnet_v2(stages, width, depth, dropout, b_variant, model_name, weights, input_shape, include_top, pooling, classes, classifier_activation, include_preprocessing):
    inputs = layers.Input(shape=input_shape)
    x = inputs
    if include_preprocessing:
        # The B variants keep EfficientNet's ImageNet normalization (for 3 channels); S, M and L scale to [-1, 1].
        if b_variant and input_shape[2] == 3:
            x = layers.Rescaling(scale=1.0 / 255)(x)
            x = layers.Normalization(mean=[0.485, 0.456, 0.406], variance=[0.229 ** 2, 0.224 ** 2, 0.225 ** 2], axis=3)(x)
        else:
            x = layers.Rescaling(scale=1.0 / 128.0, offset=-1)(x)
    x = layers.Conv2D(round_filters(stages[0][2], width), kernel_size=3, strides=2, padding="same", use_bias=False, name="stem_conv")(x)
    x = layers.BatchNormalization(axis=3, momentum=0.9, name="stem_bn")(x)
    x = layers.Activation("swish", name="stem_activation")(x)
    # Keras spreads the drop rate over the unscaled number of blocks.
    total = 0
    for kernel, repeats, filters_in, filters_out, expansion, se_ratio, stride, fused in stages:
        total = total + repeats
    b = 0
    stage = 1
    for kernel, repeats, filters_in, filters_out, expansion, se_ratio, stride, fused in stages:
        first_in = round_filters(filters_in, width)
        out = round_filters(filters_out, width)
        for j in range(round_repeats(repeats, depth)):
            x = mbconv(x, first_in if j == 0 else out, out, expansion, kernel, stride if j == 0 else 1, se_ratio, 0.2 * b / total, fused, f"block{stage}{LETTERS[j]}_")
            b = b + 1
        stage = stage + 1
    x = layers.Conv2D(round_filters(1280, width), kernel_size=1, strides=1, padding="same", use_bias=False, name="top_conv")(x)
    x = layers.BatchNormalization(axis=3, momentum=0.9, name="top_bn")(x)
    x = layers.Activation("swish", name="top_activation")(x)
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        if dropout > 0:
            x = layers.Dropout(dropout, name="top_dropout")(x)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = pooled(x, pooling, True)
    return keras.Model(inputs, x, name=model_name)
`;
