/**
 * InceptionV3 (Szegedy et al. 2015, "Rethinking the Inception Architecture"): a stem, three 35×35 blocks, a
 * grid reduction, four 17×17 blocks with factorised 7×7 convolutions, a second reduction and two 8×8 blocks with
 * split 3×3 convolutions, as Keras builds it. Keras names only the blocks' concatenations (`mixed0` … `mixed10`),
 * so only those can be tapped by name. Read by Layer Lens's own front end (`build.ts`), never run.
 */
import { CLASSIFIER } from "./common";
export const INCEPTION_V3 = String.raw`
from keras import layers
import keras
${CLASSIFIER}


def conv_bn(x, filters, rows, cols, padding="same", strides=(1, 1)):
    x = layers.Conv2D(filters, (rows, cols), strides=strides, padding=padding, use_bias=False)(x)
    x = layers.BatchNormalization(axis=3, scale=False)(x)
    return layers.Activation("relu")(x)


def pool_branch(x, filters):
    y = layers.AveragePooling2D((3, 3), strides=(1, 1), padding="same")(x)
    return conv_bn(y, filters, 1, 1)


def block35(x, pool_filters, name):
    a = conv_bn(x, 64, 1, 1)
    b = conv_bn(conv_bn(x, 48, 1, 1), 64, 5, 5)
    c = conv_bn(conv_bn(conv_bn(x, 64, 1, 1), 96, 3, 3), 96, 3, 3)
    return layers.concatenate([a, b, c, pool_branch(x, pool_filters)], axis=3, name=name)


def block17(x, width, name):
    a = conv_bn(x, 192, 1, 1)
    b = conv_bn(conv_bn(conv_bn(x, width, 1, 1), width, 1, 7), 192, 7, 1)
    c = conv_bn(x, width, 1, 1)
    c = conv_bn(c, width, 7, 1)
    c = conv_bn(c, width, 1, 7)
    c = conv_bn(c, width, 7, 1)
    c = conv_bn(c, 192, 1, 7)
    return layers.concatenate([a, b, c, pool_branch(x, 192)], axis=3, name=name)


def block8(x, i):
    a = conv_bn(x, 320, 1, 1)
    b = conv_bn(x, 384, 1, 1)
    b = layers.concatenate([conv_bn(b, 384, 1, 3), conv_bn(b, 384, 3, 1)], axis=3, name=f"mixed9_{i}")
    c = conv_bn(conv_bn(x, 448, 1, 1), 384, 3, 3)
    c = layers.concatenate([conv_bn(c, 384, 1, 3), conv_bn(c, 384, 3, 1)], axis=3)
    return layers.concatenate([a, b, c, pool_branch(x, 192)], axis=3, name=f"mixed{9 + i}")


def inception_v3(model_name, weights, input_shape, include_top, pooling, classes, classifier_activation):
    inputs = layers.Input(shape=input_shape)
    x = conv_bn(inputs, 32, 3, 3, strides=(2, 2), padding="valid")
    x = conv_bn(x, 32, 3, 3, padding="valid")
    x = conv_bn(x, 64, 3, 3)
    x = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    x = conv_bn(x, 80, 1, 1, padding="valid")
    x = conv_bn(x, 192, 3, 3, padding="valid")
    x = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    x = block35(x, 32, "mixed0")
    x = block35(x, 64, "mixed1")
    x = block35(x, 64, "mixed2")
    a = conv_bn(x, 384, 3, 3, strides=(2, 2), padding="valid")
    b = conv_bn(conv_bn(conv_bn(x, 64, 1, 1), 96, 3, 3), 96, 3, 3, strides=(2, 2), padding="valid")
    x = layers.concatenate([a, b, layers.MaxPooling2D((3, 3), strides=(2, 2))(x)], axis=3, name="mixed3")
    x = block17(x, 128, "mixed4")
    x = block17(x, 160, "mixed5")
    x = block17(x, 160, "mixed6")
    x = block17(x, 192, "mixed7")
    a = conv_bn(conv_bn(x, 192, 1, 1), 320, 3, 3, strides=(2, 2), padding="valid")
    b = conv_bn(conv_bn(conv_bn(x, 192, 1, 1), 192, 1, 7), 192, 7, 1)
    b = conv_bn(b, 192, 3, 3, strides=(2, 2), padding="valid")
    x = layers.concatenate([a, b, layers.MaxPooling2D((3, 3), strides=(2, 2))(x)], axis=3, name="mixed8")
    x = block8(x, 0)
    x = block8(x, 1)
    return classified(inputs, x, model_name, include_top, pooling, classes, classifier_activation, True, False)
`;

/**
 * InceptionResNetV2 (Szegedy et al. 2016): the Inception stem, then 10, 20 and 10 Inception-ResNet blocks whose
 * branches are concatenated, projected back and added, scaled, to the block's input; between them reduction
 * blocks. Keras names the concatenations and the blocks' projections and activations (`block35_1_mixed`,
 * `block17_20_conv`, `mixed_6a`, `conv_7b`…). Read by Layer Lens's own front end (`build.ts`), never run.
 */
export const INCEPTION_RESNET_V2 = String.raw`
from keras import layers
import keras
${CLASSIFIER}


class ScaledResidual(layers.Layer):
    def __init__(self, scale, **kwargs):
        super().__init__(**kwargs)
        self.scale = scale

    def call(self, inputs):
        return inputs[0] + inputs[1] * self.scale


def conv_bn(x, filters, kernel, strides=1, padding="same", activation="relu", use_bias=False, name=None):
    x = layers.Conv2D(filters, kernel, strides=strides, padding=padding, use_bias=use_bias, name=name)(x)
    if not use_bias:
        x = layers.BatchNormalization(axis=3, scale=False, name=None if name is None else name + "_bn")(x)
    if activation is not None:
        x = layers.Activation(activation, name=None if name is None else name + "_ac")(x)
    return x


def residual_block(x, scale, kind, index, activation="relu"):
    if kind == "block35":
        branches = [conv_bn(x, 32, 1), conv_bn(conv_bn(x, 32, 1), 32, 3), conv_bn(conv_bn(conv_bn(x, 32, 1), 48, 3), 64, 3)]
    elif kind == "block17":
        branches = [conv_bn(x, 192, 1), conv_bn(conv_bn(conv_bn(x, 128, 1), 160, [1, 7]), 192, [7, 1])]
    else:
        branches = [conv_bn(x, 192, 1), conv_bn(conv_bn(conv_bn(x, 192, 1), 224, [1, 3]), 256, [3, 1])]
    name = f"{kind}_{index}"
    mixed = layers.Concatenate(axis=3, name=name + "_mixed")(branches)
    up = conv_bn(mixed, x.shape[3], 1, activation=None, use_bias=True, name=name + "_conv")
    x = ScaledResidual(scale)([x, up])
    if activation is not None:
        x = layers.Activation(activation, name=name + "_ac")(x)
    return x


def inception_resnet_v2(model_name, weights, input_shape, include_top, pooling, classes, classifier_activation):
    inputs = layers.Input(shape=input_shape)
    x = conv_bn(inputs, 32, 3, strides=2, padding="valid")
    x = conv_bn(x, 32, 3, padding="valid")
    x = conv_bn(x, 64, 3)
    x = layers.MaxPooling2D(3, strides=2)(x)
    x = conv_bn(x, 80, 1, padding="valid")
    x = conv_bn(x, 192, 3, padding="valid")
    x = layers.MaxPooling2D(3, strides=2)(x)
    pool = conv_bn(layers.AveragePooling2D(3, strides=1, padding="same")(x), 64, 1)
    x = layers.Concatenate(axis=3, name="mixed_5b")([conv_bn(x, 96, 1), conv_bn(conv_bn(x, 48, 1), 64, 5), conv_bn(conv_bn(conv_bn(x, 64, 1), 96, 3), 96, 3), pool])
    for i in range(1, 11):
        x = residual_block(x, 0.17, "block35", i)
    a = conv_bn(x, 384, 3, strides=2, padding="valid")
    b = conv_bn(conv_bn(conv_bn(x, 256, 1), 256, 3), 384, 3, strides=2, padding="valid")
    x = layers.Concatenate(axis=3, name="mixed_6a")([a, b, layers.MaxPooling2D(3, strides=2, padding="valid")(x)])
    for i in range(1, 21):
        x = residual_block(x, 0.1, "block17", i)
    a = conv_bn(conv_bn(x, 256, 1), 384, 3, strides=2, padding="valid")
    b = conv_bn(conv_bn(x, 256, 1), 288, 3, strides=2, padding="valid")
    c = conv_bn(conv_bn(conv_bn(x, 256, 1), 288, 3), 320, 3, strides=2, padding="valid")
    x = layers.Concatenate(axis=3, name="mixed_7a")([a, b, c, layers.MaxPooling2D(3, strides=2, padding="valid")(x)])
    for i in range(1, 10):
        x = residual_block(x, 0.2, "block8", i)
    x = residual_block(x, 1.0, "block8", 10, activation=None)
    x = conv_bn(x, 1536, 1, name="conv_7b")
    return classified(inputs, x, model_name, include_top, pooling, classes, classifier_activation, True, False)
`;
