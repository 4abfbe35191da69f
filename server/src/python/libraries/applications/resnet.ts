/**
 * ResNet (He et al. 2015, "Deep Residual Learning") and ResNetV2 (He et al. 2016, "Identity Mappings"), as
 * Keras builds them: a 7×7 stem, four stages of bottleneck blocks, Keras's layer names. Read by Layer Lens's
 * own front end (`build.ts`), never run.
 */
import { CLASSIFIER } from "./common";
export const RESNET = String.raw`
from keras import layers
import keras
${CLASSIFIER}

EPS = 1.001e-5


def bottleneck(x, filters, stride, projection, name):
    # Keras makes the projection shortcut first, which decides the order its summary lists layers in.
    if projection:
        shortcut = layers.Conv2D(4 * filters, 1, strides=stride, name=f"{name}_0_conv")(x)
        shortcut = layers.BatchNormalization(axis=3, epsilon=EPS, name=f"{name}_0_bn")(shortcut)
    else:
        shortcut = x
    y = layers.Conv2D(filters, 1, strides=stride, name=f"{name}_1_conv")(x)
    y = layers.BatchNormalization(axis=3, epsilon=EPS, name=f"{name}_1_bn")(y)
    y = layers.Activation("relu", name=f"{name}_1_relu")(y)
    y = layers.Conv2D(filters, 3, padding="same", name=f"{name}_2_conv")(y)
    y = layers.BatchNormalization(axis=3, epsilon=EPS, name=f"{name}_2_bn")(y)
    y = layers.Activation("relu", name=f"{name}_2_relu")(y)
    y = layers.Conv2D(4 * filters, 1, name=f"{name}_3_conv")(y)
    y = layers.BatchNormalization(axis=3, epsilon=EPS, name=f"{name}_3_bn")(y)
    y = layers.Add(name=f"{name}_add")([shortcut, y])
    return layers.Activation("relu", name=f"{name}_out")(y)


def preactivated(x, filters, stride, projection, name):
    pre = layers.BatchNormalization(axis=3, epsilon=EPS, name=f"{name}_preact_bn")(x)
    pre = layers.Activation("relu", name=f"{name}_preact_relu")(pre)
    if projection:
        shortcut = layers.Conv2D(4 * filters, 1, strides=stride, name=f"{name}_0_conv")(pre)
    elif stride > 1:
        shortcut = layers.MaxPooling2D(1, strides=stride)(x)
    else:
        shortcut = x
    y = layers.Conv2D(filters, 1, strides=1, use_bias=False, name=f"{name}_1_conv")(pre)
    y = layers.BatchNormalization(axis=3, epsilon=EPS, name=f"{name}_1_bn")(y)
    y = layers.Activation("relu", name=f"{name}_1_relu")(y)
    y = layers.ZeroPadding2D(padding=((1, 1), (1, 1)), name=f"{name}_2_pad")(y)
    y = layers.Conv2D(filters, 3, strides=stride, use_bias=False, name=f"{name}_2_conv")(y)
    y = layers.BatchNormalization(axis=3, epsilon=EPS, name=f"{name}_2_bn")(y)
    y = layers.Activation("relu", name=f"{name}_2_relu")(y)
    y = layers.Conv2D(4 * filters, 1, name=f"{name}_3_conv")(y)
    return layers.Add(name=f"{name}_out")([shortcut, y])


def stage(x, filters, blocks, stride, v2, name):
    # V1 strides in its first block; V2 in its last, whose shortcut is then a 1x1 max pooling.
    if v2:
        x = preactivated(x, filters, 1, True, f"{name}_block1")
        for i in range(2, blocks):
            x = preactivated(x, filters, 1, False, f"{name}_block{i}")
        return preactivated(x, filters, stride, False, f"{name}_block{blocks}")
    x = bottleneck(x, filters, stride, True, f"{name}_block1")
    for i in range(2, blocks + 1):
        x = bottleneck(x, filters, 1, False, f"{name}_block{i}")
    return x


def resnet(blocks, v2, model_name, weights, input_shape, include_top, pooling, classes, classifier_activation):
    inputs = layers.Input(shape=input_shape)
    x = layers.ZeroPadding2D(padding=((3, 3), (3, 3)), name="conv1_pad")(inputs)
    x = layers.Conv2D(64, 7, strides=2, use_bias=True, name="conv1_conv")(x)
    if not v2:
        x = layers.BatchNormalization(axis=3, epsilon=EPS, name="conv1_bn")(x)
        x = layers.Activation("relu", name="conv1_relu")(x)
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)), name="pool1_pad")(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool1_pool")(x)
    x = stage(x, 64, blocks[0], 1 if not v2 else 2, v2, "conv2")
    x = stage(x, 128, blocks[1], 2, v2, "conv3")
    x = stage(x, 256, blocks[2], 2, v2, "conv4")
    x = stage(x, 512, blocks[3], 2 if not v2 else 1, v2, "conv5")
    if v2:
        x = layers.BatchNormalization(axis=3, epsilon=EPS, name="post_bn")(x)
        x = layers.Activation("relu", name="post_relu")(x)
    return classified(inputs, x, model_name, include_top, pooling, classes, classifier_activation, True, True)
`;
