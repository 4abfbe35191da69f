/**
 * MobileNet (Howard et al. 2017: depthwise-separable convolutions) and MobileNetV2 (Sandler et al. 2018:
 * inverted residual blocks), as Keras builds them, with Keras's layer names. Read by Layer Lens's own front
 * end (`build.ts`), never run.
 */
import { CLASSIFIER } from "./common";

/** Keras's rounding of a width times alpha to a multiple of the divisor, never more than 10% down. */
export const MAKE_DIVISIBLE = String.raw`
def make_divisible(v, divisor):
    rounded = max(divisor, int(v + divisor / 2) // divisor * divisor)
    if rounded < 0.9 * v:
        rounded = rounded + divisor
    return rounded
`;

/** The padding before a strided 'valid' convolution that centres the window as 'same' would (Keras's correct_pad). */
export const CORRECT_PAD = String.raw`

def correct_pad(x, kernel):
    rows = x.shape[1]
    cols = x.shape[2]
    half = kernel // 2
    if rows is None:
        return ((half - 1, half), (half - 1, half))
    return ((half - 1 + rows % 2, half), (half - 1 + cols % 2, half))
`;

export const MOBILENET_V2 = String.raw`
from keras import layers
import keras
${CLASSIFIER}
${MAKE_DIVISIBLE}
${CORRECT_PAD}

def inverted_residual(x, expansion, stride, alpha, filters, block):
    channels = x.shape[-1]
    out = make_divisible(int(filters * alpha), 8)
    prefix = f"block_{block}_"
    y = x
    if block:
        y = layers.Conv2D(expansion * channels, kernel_size=1, padding="same", use_bias=False, activation=None, name=f"{prefix}expand")(y)
        y = layers.BatchNormalization(axis=-1, epsilon=1e-3, momentum=0.999, name=f"{prefix}expand_BN")(y)
        y = layers.ReLU(6.0, name=f"{prefix}expand_relu")(y)
    else:
        prefix = "expanded_conv_"
    if stride == 2:
        y = layers.ZeroPadding2D(padding=correct_pad(y, 3), name=f"{prefix}pad")(y)
    y = layers.DepthwiseConv2D(kernel_size=3, strides=stride, activation=None, use_bias=False, padding="same" if stride == 1 else "valid", name=f"{prefix}depthwise")(y)
    y = layers.BatchNormalization(axis=-1, epsilon=1e-3, momentum=0.999, name=f"{prefix}depthwise_BN")(y)
    y = layers.ReLU(6.0, name=f"{prefix}depthwise_relu")(y)
    y = layers.Conv2D(out, kernel_size=1, padding="same", use_bias=False, activation=None, name=f"{prefix}project")(y)
    y = layers.BatchNormalization(axis=-1, epsilon=1e-3, momentum=0.999, name=f"{prefix}project_BN")(y)
    if channels == out and stride == 1:
        return layers.Add(name=f"{prefix}add")([x, y])
    return y


# (expansion, output channels, blocks, stride of the first) per stage, as in the paper's Table 2.
STAGES = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)]


def mobilenet_v2(model_name, weights, input_shape, include_top, pooling, classes, classifier_activation, alpha):
    inputs = layers.Input(shape=input_shape)
    x = layers.Conv2D(make_divisible(32 * alpha, 8), kernel_size=3, strides=(2, 2), padding="same", use_bias=False, name="Conv1")(inputs)
    x = layers.BatchNormalization(axis=-1, epsilon=1e-3, momentum=0.999, name="bn_Conv1")(x)
    x = layers.ReLU(6.0, name="Conv1_relu")(x)
    block = 0
    for expansion, filters, blocks, stride in STAGES:
        for i in range(blocks):
            x = inverted_residual(x, expansion, stride if i == 0 else 1, alpha, filters, block)
            block = block + 1
    last = make_divisible(1280 * alpha, 8) if alpha > 1.0 else 1280
    x = layers.Conv2D(last, kernel_size=1, use_bias=False, name="Conv_1")(x)
    x = layers.BatchNormalization(axis=-1, epsilon=1e-3, momentum=0.999, name="Conv_1_bn")(x)
    x = layers.ReLU(6.0, name="out_relu")(x)
    return classified(inputs, x, model_name, include_top, pooling, classes, classifier_activation, False, False)
`;

export const MOBILENET = String.raw`
from keras import layers
import keras
${CLASSIFIER}


def separable(x, filters, alpha, multiplier, stride, block):
    if stride != 1:
        x = layers.ZeroPadding2D(((0, 1), (0, 1)), name=f"conv_pad_{block}")(x)
    x = layers.DepthwiseConv2D((3, 3), padding="same" if stride == 1 else "valid", depth_multiplier=multiplier, strides=stride, use_bias=False, name=f"conv_dw_{block}")(x)
    x = layers.BatchNormalization(axis=-1, name=f"conv_dw_{block}_bn")(x)
    x = layers.ReLU(6.0, name=f"conv_dw_{block}_relu")(x)
    x = layers.Conv2D(int(filters * alpha), (1, 1), padding="same", use_bias=False, strides=(1, 1), name=f"conv_pw_{block}")(x)
    x = layers.BatchNormalization(axis=-1, name=f"conv_pw_{block}_bn")(x)
    return layers.ReLU(6.0, name=f"conv_pw_{block}_relu")(x)


# (pointwise filters, stride) of the 13 depthwise-separable blocks, as in the paper's Table 1.
BLOCKS = [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2), (512, 1), (512, 1), (512, 1), (512, 1), (512, 1), (1024, 2), (1024, 1)]


def mobilenet(model_name, weights, input_shape, include_top, pooling, classes, classifier_activation, alpha, depth_multiplier, dropout):
    inputs = layers.Input(shape=input_shape)
    x = layers.Conv2D(int(32 * alpha), (3, 3), padding="same", use_bias=False, strides=(2, 2), name="conv1")(inputs)
    x = layers.BatchNormalization(axis=-1, name="conv1_bn")(x)
    x = layers.ReLU(6.0, name="conv1_relu")(x)
    block = 1
    for filters, stride in BLOCKS:
        x = separable(x, filters, alpha, depth_multiplier, stride, block)
        block = block + 1
    if include_top:
        x = layers.GlobalAveragePooling2D(keepdims=True)(x)
        x = layers.Dropout(dropout, name="dropout")(x)
        x = layers.Conv2D(classes, (1, 1), padding="same", name="conv_preds")(x)
        x = layers.Reshape((classes,), name="reshape_2")(x)
        x = layers.Activation(activation=classifier_activation, name="predictions")(x)
    else:
        x = pooled(x, pooling, False)
    return keras.Model(inputs, x, name=model_name)
`;
