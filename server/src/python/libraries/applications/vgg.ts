/**
 * VGG16 and VGG19 (Simonyan & Zisserman 2014): five blocks of 3×3 convolutions, each closed by a 2×2 max
 * pooling, then two 4,096-unit dense layers, as Keras builds them, with Keras's layer names. Read by Layer
 * Lens's own front end (`build.ts`), never run.
 */
import { CLASSIFIER } from "./common";
export const VGG = String.raw`
from keras import layers
import keras
${CLASSIFIER}

FILTERS = [64, 128, 256, 512, 512]


def vgg(convolutions, model_name, weights, input_shape, include_top, pooling, classes, classifier_activation):
    inputs = layers.Input(shape=input_shape)
    x = inputs
    for block in range(1, 6):
        for i in range(1, convolutions[block - 1] + 1):
            x = layers.Conv2D(FILTERS[block - 1], (3, 3), activation="relu", padding="same", name=f"block{block}_conv{i}")(x)
        x = layers.MaxPooling2D((2, 2), strides=(2, 2), name=f"block{block}_pool")(x)
    if include_top:
        x = layers.Flatten(name="flatten")(x)
        x = layers.Dense(4096, activation="relu", name="fc1")(x)
        x = layers.Dense(4096, activation="relu", name="fc2")(x)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = pooled(x, pooling, False)
    return keras.Model(inputs, x, name=model_name)
`;
