/**
 * MobileNetV3 Small and Large (Howard et al. 2019, "Searching for MobileNetV3"): inverted residual blocks with
 * squeeze-and-excitation and hard-swish, the blocks' tables as in the paper's Tables 1 and 2, as Keras builds
 * them (its rescaling inside unless include_preprocessing=False), with Keras's layer names. Read by Layer Lens's
 * own front end (`build.ts`), never run.
 */
import { CLASSIFIER } from "./common";
import { CORRECT_PAD, MAKE_DIVISIBLE } from "./mobilenet";

export const MOBILENET_V3 = String.raw`
from keras import layers
import keras
${CLASSIFIER}
${MAKE_DIVISIBLE}
${CORRECT_PAD}

# (expansion, output channels, kernel (0: 5, or 3 when minimalistic), stride, squeeze-excite, hard-swish) per block.
SMALL = [
    (1, 16, 3, 2, True, False),
    (72.0 / 16, 24, 3, 2, False, False),
    (88.0 / 24, 24, 3, 1, False, False),
    (4, 40, 0, 2, True, True),
    (6, 40, 0, 1, True, True),
    (6, 40, 0, 1, True, True),
    (3, 48, 0, 1, True, True),
    (3, 48, 0, 1, True, True),
    (6, 96, 0, 2, True, True),
    (6, 96, 0, 1, True, True),
    (6, 96, 0, 1, True, True),
]
LARGE = [
    (1, 16, 3, 1, False, False),
    (4, 24, 3, 2, False, False),
    (3, 24, 3, 1, False, False),
    (3, 40, 0, 2, True, False),
    (3, 40, 0, 1, True, False),
    (3, 40, 0, 1, True, False),
    (6, 80, 3, 2, False, True),
    (2.5, 80, 3, 1, False, True),
    (2.3, 80, 3, 1, False, True),
    (2.3, 80, 3, 1, False, True),
    (6, 112, 3, 1, True, True),
    (6, 112, 3, 1, True, True),
    (6, 160, 0, 2, True, True),
    (6, 160, 0, 1, True, True),
    (6, 160, 0, 1, True, True),
]


def activate(x, hard_swish):
    if hard_swish:
        return layers.Activation("hard_swish")(x)
    return layers.ReLU()(x)


def squeeze_excite(x, filters, prefix):
    y = layers.GlobalAveragePooling2D(keepdims=True, name=f"{prefix}squeeze_excite_avg_pool")(x)
    y = layers.Conv2D(make_divisible(filters * 0.25, 8), kernel_size=1, padding="same", name=f"{prefix}squeeze_excite_conv")(y)
    y = layers.ReLU(name=f"{prefix}squeeze_excite_relu")(y)
    y = layers.Conv2D(filters, kernel_size=1, padding="same", name=f"{prefix}squeeze_excite_conv_1")(y)
    # Keras's hard sigmoid: relu6(y + 3) / 6, arithmetic that keeps the shape.
    y = layers.ReLU(6.0)(y + 3.0) * (1.0 / 6.0)
    return layers.Multiply(name=f"{prefix}squeeze_excite_mul")([x, y])


def inverted_residual(x, expansion, filters, kernel, stride, excite, hard_swish, block):
    channels = x.shape[-1]
    prefix = "expanded_conv_"
    y = x
    if block:
        prefix = f"expanded_conv_{block}_"
        y = layers.Conv2D(make_divisible(channels * expansion, 8), kernel_size=1, padding="same", use_bias=False, name=f"{prefix}expand")(y)
        y = layers.BatchNormalization(axis=-1, epsilon=1e-3, momentum=0.999, name=f"{prefix}expand_bn")(y)
        y = activate(y, hard_swish)
    if stride == 2:
        y = layers.ZeroPadding2D(padding=correct_pad(y, kernel), name=f"{prefix}depthwise_pad")(y)
    y = layers.DepthwiseConv2D(kernel, strides=stride, padding="same" if stride == 1 else "valid", use_bias=False, name=f"{prefix}depthwise")(y)
    y = layers.BatchNormalization(axis=-1, epsilon=1e-3, momentum=0.999, name=f"{prefix}depthwise_bn")(y)
    y = activate(y, hard_swish)
    if excite:
        y = squeeze_excite(y, make_divisible(channels * expansion, 8), prefix)
    y = layers.Conv2D(filters, kernel_size=1, padding="same", use_bias=False, name=f"{prefix}project")(y)
    y = layers.BatchNormalization(axis=-1, epsilon=1e-3, momentum=0.999, name=f"{prefix}project_bn")(y)
    if stride == 1 and channels == filters:
        y = layers.Add(name=f"{prefix}add")([x, y])
    return y


def mobilenet_v3(large, model_name, weights, input_shape, include_top, pooling, classes, classifier_activation, alpha, minimalistic, dropout_rate, include_preprocessing):
    inputs = layers.Input(shape=input_shape)
    x = inputs
    if include_preprocessing:
        x = layers.Rescaling(scale=1.0 / 127.5, offset=-1.0)(x)
    x = layers.Conv2D(16, kernel_size=3, strides=(2, 2), padding="same", use_bias=False, name="conv")(x)
    x = layers.BatchNormalization(axis=-1, epsilon=1e-3, momentum=0.999, name="conv_bn")(x)
    x = activate(x, not minimalistic)
    block = 0
    for expansion, filters, kernel, stride, excite, hard_swish in LARGE if large else SMALL:
        size = kernel if kernel else (3 if minimalistic else 5)
        x = inverted_residual(x, expansion, make_divisible(filters * alpha, 8), size, stride, excite and not minimalistic, hard_swish and not minimalistic, block)
        block = block + 1
    last_point = 1280 if large else 1024
    if alpha > 1.0:
        last_point = make_divisible(last_point * alpha, 8)
    x = layers.Conv2D(make_divisible(x.shape[-1] * 6, 8), kernel_size=1, padding="same", use_bias=False, name="conv_1")(x)
    x = layers.BatchNormalization(axis=-1, epsilon=1e-3, momentum=0.999, name="conv_1_bn")(x)
    x = activate(x, not minimalistic)
    if include_top:
        x = layers.GlobalAveragePooling2D(keepdims=True)(x)
        x = layers.Conv2D(last_point, kernel_size=1, padding="same", use_bias=True, name="conv_2")(x)
        x = activate(x, not minimalistic)
        if dropout_rate > 0:
            x = layers.Dropout(dropout_rate)(x)
        x = layers.Conv2D(classes, kernel_size=1, padding="same", name="logits")(x)
        x = layers.Flatten()(x)
        x = layers.Activation(activation=classifier_activation, name="predictions")(x)
    else:
        x = pooled(x, pooling, True)
    return keras.Model(inputs, x, name=model_name)
`;
