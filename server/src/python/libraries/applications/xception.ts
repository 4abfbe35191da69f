/**
 * Xception (Chollet 2017): an entry flow of strided separable-convolution blocks with 1×1 projection shortcuts,
 * eight identical middle blocks and an exit flow, as Keras builds it, with Keras's layer names (its shortcut
 * convolutions and additions are unnamed in Keras, so `get_layer` cannot reach them there either). Read by Layer
 * Lens's own front end (`build.ts`), never run.
 */
import { CLASSIFIER } from "./common";
export const XCEPTION = String.raw`
from keras import layers
import keras
${CLASSIFIER}


def separable(x, filters, name, activate_first):
    if activate_first:
        x = layers.Activation("relu", name=f"{name}_act")(x)
    x = layers.SeparableConv2D(filters, (3, 3), padding="same", use_bias=False, name=name)(x)
    return layers.BatchNormalization(axis=-1, name=f"{name}_bn")(x)


def downsampling(x, first, second, block, activate_first):
    shortcut = layers.Conv2D(second, (1, 1), strides=(2, 2), padding="same", use_bias=False)(x)
    shortcut = layers.BatchNormalization(axis=-1)(shortcut)
    if activate_first:
        x = layers.Activation("relu", name=f"block{block}_sepconv1_act")(x)
    x = layers.SeparableConv2D(first, (3, 3), padding="same", use_bias=False, name=f"block{block}_sepconv1")(x)
    x = layers.BatchNormalization(axis=-1, name=f"block{block}_sepconv1_bn")(x)
    x = separable(x, second, f"block{block}_sepconv2", True)
    x = layers.MaxPooling2D((3, 3), strides=(2, 2), padding="same", name=f"block{block}_pool")(x)
    return layers.add([x, shortcut])


def xception(model_name, weights, input_shape, include_top, pooling, classes, classifier_activation):
    inputs = layers.Input(shape=input_shape)
    x = layers.Conv2D(32, (3, 3), strides=(2, 2), use_bias=False, name="block1_conv1")(inputs)
    x = layers.BatchNormalization(axis=-1, name="block1_conv1_bn")(x)
    x = layers.Activation("relu", name="block1_conv1_act")(x)
    x = layers.Conv2D(64, (3, 3), use_bias=False, name="block1_conv2")(x)
    x = layers.BatchNormalization(axis=-1, name="block1_conv2_bn")(x)
    x = layers.Activation("relu", name="block1_conv2_act")(x)
    x = downsampling(x, 128, 128, 2, False)
    x = downsampling(x, 256, 256, 3, True)
    x = downsampling(x, 728, 728, 4, True)
    for i in range(5, 13):
        shortcut = x
        x = separable(x, 728, f"block{i}_sepconv1", True)
        x = separable(x, 728, f"block{i}_sepconv2", True)
        x = separable(x, 728, f"block{i}_sepconv3", True)
        x = layers.add([x, shortcut])
    x = downsampling(x, 728, 1024, 13, True)
    x = layers.SeparableConv2D(1536, (3, 3), padding="same", use_bias=False, name="block14_sepconv1")(x)
    x = layers.BatchNormalization(axis=-1, name="block14_sepconv1_bn")(x)
    x = layers.Activation("relu", name="block14_sepconv1_act")(x)
    x = layers.SeparableConv2D(2048, (3, 3), padding="same", use_bias=False, name="block14_sepconv2")(x)
    x = layers.BatchNormalization(axis=-1, name="block14_sepconv2_bn")(x)
    x = layers.Activation("relu", name="block14_sepconv2_act")(x)
    return classified(inputs, x, model_name, include_top, pooling, classes, classifier_activation, True, False)
`;
