/**
 * InceptionV3 (Szegedy et al. 2015, "Rethinking the Inception Architecture"): a stem, three 35×35 blocks, a
 * grid reduction, four 17×17 blocks with factorised 7×7 convolutions, a second reduction and two 8×8 blocks with
 * split 3×3 convolutions, as Keras builds it. Keras names only the blocks' concatenations (`mixed0` … `mixed10`),
 * so only those can be tapped by name. Read by Layer Lens's own front end (`build.ts`), never run.
 */
export const INCEPTION_V3 = String.raw`
from keras import layers
import keras


def conv_bn(x, filters, rows, cols, padding="same", strides=(1, 1)):
    x = layers.Conv2D(filters, (rows, cols), strides=strides, padding=padding, use_bias=False)(x)
    x = layers.BatchNormalization(axis=3, scale=False)(x)
    return layers.Activation("relu")(x)


def pooled(x, filters):
    y = layers.AveragePooling2D((3, 3), strides=(1, 1), padding="same")(x)
    return conv_bn(y, filters, 1, 1)


def block35(x, pool_filters, name):
    a = conv_bn(x, 64, 1, 1)
    b = conv_bn(conv_bn(x, 48, 1, 1), 64, 5, 5)
    c = conv_bn(conv_bn(conv_bn(x, 64, 1, 1), 96, 3, 3), 96, 3, 3)
    return layers.concatenate([a, b, c, pooled(x, pool_filters)], axis=3, name=name)


def block17(x, width, name):
    a = conv_bn(x, 192, 1, 1)
    b = conv_bn(conv_bn(conv_bn(x, width, 1, 1), width, 1, 7), 192, 7, 1)
    c = conv_bn(x, width, 1, 1)
    c = conv_bn(c, width, 7, 1)
    c = conv_bn(c, width, 1, 7)
    c = conv_bn(c, width, 7, 1)
    c = conv_bn(c, 192, 1, 7)
    return layers.concatenate([a, b, c, pooled(x, 192)], axis=3, name=name)


def block8(x, i):
    a = conv_bn(x, 320, 1, 1)
    b = conv_bn(x, 384, 1, 1)
    b = layers.concatenate([conv_bn(b, 384, 1, 3), conv_bn(b, 384, 3, 1)], axis=3, name=f"mixed9_{i}")
    c = conv_bn(conv_bn(x, 448, 1, 1), 384, 3, 3)
    c = layers.concatenate([conv_bn(c, 384, 1, 3), conv_bn(c, 384, 3, 1)], axis=3)
    return layers.concatenate([a, b, c, pooled(x, 192)], axis=3, name=f"mixed{9 + i}")


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
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    elif pooling == "avg":
        x = layers.GlobalAveragePooling2D()(x)
    elif pooling == "max":
        x = layers.GlobalMaxPooling2D()(x)
    return keras.Model(inputs, x, name=model_name)
`;
