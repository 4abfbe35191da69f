default, and a U-Net whose skip connections are kept in a list and read back with reversed() and zip().
import os
from dataclasses import dataclass
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers
@dataclass
class TrainConfig:
    image_size: int = 32
    channels: int = 3
    base_filters: int = 8
    depth: int = 2
    num_classes: int = 4
    epochs: int = 20
class Paths:
    DATA = "data/images"
    CHECKPOINTS = "checkpoints"
config = TrainConfig()
def load_dataset(root, cfg):
    files = sorted(os.listdir(root))
    images = np.stack([np.load(os.path.join(root, f)) for f in files])
    return tf.data.Dataset.from_tensor_slices(images).batch(8).map(lambda x: tf.image.resize(x, (cfg.image_size, cfg.image_size)))


class ScaleShift(layers.Layer):
    """A per-channel scale and shift whose weights are sized by build() from the input's channels."""

    def build(self, input_shape):
        # Keras calls build((None, 32, 32, 3)) on the first call: 3 + 3 = 6 weights.
        self.gamma = self.add_weight(shape=(input_shape[-1],), initializer="ones")  # => (3,) · 3 params
        self.beta = self.add_weight(shape=(input_shape[-1],), initializer="zeros")  # => (3,) · 3 params

    def call(self, x):
        # (None, 32, 32, 3) times (3,) broadcasts to (None, 32, 32, 3), and so does the shift.
        return x * self.gamma + self.beta  # => (None, 32, 32, 3) | (None, 32, 32, 3)


def conv_block(x, filters, norm=None):
    # Five runs: 8 filters on 32×32, 16 on 16×16, 32 on 8×8, then 16 and 8 on the way up; "same" keeps
    # the size. Parameters (3·3·c + 1)·f: 224 + 1,168 + 4,640 + 6,928 + 1,736 = 14,696; with them the
    # line would pass 43 characters, so the hover has them.
    x = layers.Conv2D(filters, 3, padding="same")(x)  # => ×5 (None, 32→…→32, 32→…→32, 8→…→8)
    if norm is not None:
        x = layers.BatchNormalization()(x)  # => ×2 (None, 32→16, 32→16, 8→16) · 96 params
    return layers.ReLU()(x)  # => ×5 (None, 32→…→32, 32→…→32, 8→…→8)


def build_unet(cfg):
    inputs = keras.Input(shape=(cfg.image_size, cfg.image_size, cfg.channels))  # => (None, 32, 32, 3)
    x = ScaleShift()(inputs)  # => (None, 32, 32, 3) · 6 params
    skips = []
    for level in range(cfg.depth):
        # Level 0: 3 → 8 channels, (3·3·3 + 1)·8 = 224, and BatchNormalization 4·8 = 32 (256);
        # level 1: 8 → 16, (3·3·8 + 1)·16 = 1,168, and 4·16 = 64 (1,232). 256 + 1,232 = 1,488, which
        # written out would take the line to 44 characters: 1.5k.
        x = conv_block(x, cfg.base_filters * 2**level, norm="batch")  # => ×2 (None, 32→16, 32→16, 8→16) · 1.5k params
        skips.append(x)
        x = layers.MaxPooling2D()(x)  # => ×2 (None, 16→8, 16→8, 8→16)
    # The bottleneck: 16 → 32 channels on 8×8, (3·3·16 + 1)·32 = 4,640.
    x = conv_block(x, cfg.base_filters * 2**cfg.depth)  # => (None, 8, 8, 32) · 4    for level, skip in zip(reversed(range(cfg.depth)), reversed(skips)):
        # Up to 16×16 joined with the 16-channel skip: 32 + 16 = 48 → 16, (3·3·48 + 1)·16 = 6,928;
        # up to 32×32 joined with the 8-channel skip: 16 + 8 = 24 → 8, (3·3·24 + 1)·8 = 1,736. 8,664 in all.
        x = layers.UpSampling2D()(x)  # => ×2 (None, 16→32, 16→32, 32→16)
        x = layers.Concatenate()([x, skip])  # => ×2 (None, 16→32, 16→32, 48→24)
        x = conv_block(x, cfg.base_filters * 2**level)  # => ×2 (None, 16→32, 16→32, 16→8) · 8.7k params
    # (8 + 1)·4 = 36. Total 6 + 1,488 + 4,640 + 8,664 + 36 = 14,834 · 4 B = 59,336 B = 57.95 KB.
    outputs = layers.Conv2D(cfg.num_classes, 1, activation="softmax")(x)  # => (None, 32, 32, 4) · 36 params
    return keras.Model(inputs, outputs, name="unet")  # => Total params: 14,834 (57.95 KB)


# The helper returns a model, not a tensor: its totals are at `keras.Model(...)` above.
model = build_unet(config)

if __name__ == "__main__":
    train = load_dataset(Paths.DATA, config)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(train, epochs=config.epochs)
    model.save(os.path.join(Paths.CHECKPOINTS, "unet.keras"))
