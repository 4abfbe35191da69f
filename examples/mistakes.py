"""Mistakes Layer Lens reports before anything runs. Open it in VS Code to see
the diagnostics, or run `node dist/cli.js examples/mistakes.py`."""
import keras
from keras import layers

# A mistake Layer Lens catches before you run anything: the input is written
# channels-first, so the second 3×3 convolution has nothing left to slide over.
broken = keras.Sequential(
    [
        layers.Conv2D(16, 3, input_shape=(3, 32, 32)),
        layers.Conv2D(16, 3),
        layers.Conv2D(16, 3),
    ]
)

# Dense on an image acts on the channels only; Flatten() was probably meant.
per_pixel = keras.Sequential([keras.Input(shape=(28, 28, 1)), layers.Dense(10)])

# Strided and dilated at once, which Keras refuses.
dilated = keras.Sequential([keras.Input(shape=(64, 64, 3)), layers.Conv2D(8, 3, strides=2, dilation_rate=2)])
