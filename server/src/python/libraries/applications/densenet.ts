/**
 * DenseNet121/169/201 (Huang et al. 2017): four dense blocks in which every layer adds 32 channels to all it
 * received, joined by transitions that halve the channels and the image, as Keras builds them, with Keras's
 * layer names. Read by Layer Lens's own front end (`build.ts`), never run.
 */
import { CLASSIFIER } from "./common";
export const DENSENET = String.raw`
from keras import layers
import keras
${CLASSIFIER}

EPS = 1.001e-5


def dense_layer(x, name):
    y = layers.BatchNormalization(axis=3, epsilon=EPS, name=f"{name}_0_bn")(x)
    y = layers.Activation("relu", name=f"{name}_0_relu")(y)
    y = layers.Conv2D(4 * 32, 1, use_bias=False, name=f"{name}_1_conv")(y)
    y = layers.BatchNormalization(axis=3, epsilon=EPS, name=f"{name}_1_bn")(y)
    y = layers.Activation("relu", name=f"{name}_1_relu")(y)
    y = layers.Conv2D(32, 3, padding="same", use_bias=False, name=f"{name}_2_conv")(y)
    return layers.Concatenate(axis=3, name=f"{name}_concat")([x, y])


def transition(x, name):
    x = layers.BatchNormalization(axis=3, epsilon=EPS, name=f"{name}_bn")(x)
    x = layers.Activation("relu", name=f"{name}_relu")(x)
    x = layers.Conv2D(int(x.shape[3] * 0.5), 1, use_bias=False, name=f"{name}_conv")(x)
    return layers.AveragePooling2D(2, strides=2, name=f"{name}_pool")(x)


def densenet(blocks, model_name, weights, input_shape, include_top, pooling, classes, classifier_activation):
    inputs = layers.Input(shape=input_shape)
    x = layers.ZeroPadding2D(padding=((3, 3), (3, 3)))(inputs)
    x = layers.Conv2D(64, 7, strides=2, use_bias=False, name="conv1_conv")(x)
    x = layers.BatchNormalization(axis=3, epsilon=EPS, name="conv1_bn")(x)
    x = layers.Activation("relu", name="conv1_relu")(x)
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)))(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool1")(x)
    for stage in range(4):
        for i in range(1, blocks[stage] + 1):
            x = dense_layer(x, f"conv{stage + 2}_block{i}")
        if stage < 3:
            x = transition(x, f"pool{stage + 2}")
    x = layers.BatchNormalization(axis=3, epsilon=EPS, name="bn")(x)
    x = layers.Activation("relu", name="relu")(x)
    return classified(inputs, x, model_name, include_top, pooling, classes, classifier_activation, True, True)
`;
