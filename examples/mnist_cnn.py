"""A small convolutional network for MNIST digits, as in the Keras examples.

Open this file in VS Code with Layer Lens installed: every layer shows its
output shape and parameter count, and the model its totals.
"""
import keras
from keras import layers

num_classes = 10
input_shape = (28, 28, 1)

model = keras.Sequential(
    [
        keras.Input(shape=input_shape),
        layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Conv2D(64, kernel_size=(3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Flatten(),
        layers.Dropout(0.5),
        layers.Dense(num_classes, activation="softmax"),
    ]
)

# The worked example from the seeds: a 32×32×3 input, 20 filters of 8×8,
# stride 2 and zero padding of 1 (Keras has no numeric padding argument, so the
# padding is its own layer).
seed = keras.Sequential()
seed.add(keras.Input(shape=(32, 32, 3)))
seed.add(layers.ZeroPadding2D(padding=1))
seed.add(layers.Conv2D(20, kernel_size=8, strides=2))
seed.add(layers.BatchNormalization())
seed.add(layers.GlobalAveragePooling2D())
seed.add(layers.Dense(num_classes))
