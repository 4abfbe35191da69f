/**
 * ConvNeXt Tiny to XLarge (Liu et al. 2022, "A ConvNet for the 2020s"): a patchify stem and three downsampling
 * steps (each a small Sequential model in Keras), stages of 7×7 depthwise blocks with layer scale, as Keras
 * builds them (ImageNet normalization inside), with Keras's layer names. Read by Layer Lens's own front end
 * (`build.ts`), never run.
 */
import { CLASSIFIER } from "./common";
export const CONVNEXT = String.raw`
from keras import layers
import keras
${CLASSIFIER}


class LayerScale(layers.Layer):
    def __init__(self, init_values, projection_dim, **kwargs):
        super().__init__(**kwargs)
        self.projection_dim = projection_dim

    def build(self, input_shape):
        self.gamma = self.add_weight(shape=(self.projection_dim,), trainable=True)

    def call(self, x):
        return x * self.gamma


def block(x, dim, name):
    y = layers.Conv2D(filters=dim, kernel_size=7, padding="same", groups=dim, name=f"{name}_depthwise_conv")(x)
    y = layers.LayerNormalization(epsilon=1e-6, name=f"{name}_layernorm")(y)
    y = layers.Dense(4 * dim, name=f"{name}_pointwise_conv_1")(y)
    y = layers.Activation("gelu", name=f"{name}_gelu")(y)
    y = layers.Dense(dim, name=f"{name}_pointwise_conv_2")(y)
    y = LayerScale(1e-6, dim, name=f"{name}_layer_scale")(y)
    y = layers.Activation("linear", name=f"{name}_identity")(y)
    return x + y


def convnext(depths, dims, model_name, weights, input_shape, include_top, pooling, classes, classifier_activation, include_preprocessing):
    inputs = layers.Input(shape=input_shape)
    x = inputs
    if include_preprocessing and input_shape[2] == 3:
        mean = [0.485 * 255, 0.456 * 255, 0.406 * 255]
        variance = [(0.229 * 255) ** 2, (0.224 * 255) ** 2, (0.225 * 255) ** 2]
        x = layers.Normalization(mean=mean, variance=variance, name=f"{model_name}_prestem_normalization")(x)
    x = keras.Sequential([
        layers.Conv2D(dims[0], kernel_size=4, strides=4, name=f"{model_name}_stem_conv"),
        layers.LayerNormalization(epsilon=1e-6, name=f"{model_name}_stem_layernorm"),
    ], name=f"{model_name}_stem")(x)
    for i in range(4):
        if i > 0:
            x = keras.Sequential([
                layers.LayerNormalization(epsilon=1e-6, name=f"{model_name}_downsampling_layernorm_{i - 1}"),
                layers.Conv2D(dims[i], kernel_size=2, strides=2, name=f"{model_name}_downsampling_conv_{i - 1}"),
            ], name=f"{model_name}_downsampling_block_{i - 1}")(x)
        for j in range(depths[i]):
            x = block(x, dims[i], f"{model_name}_stage_{i}_block_{j}")
    if include_top:
        x = layers.GlobalAveragePooling2D(name=f"{model_name}_head_gap")(x)
        x = layers.LayerNormalization(epsilon=1e-6, name=f"{model_name}_head_layernorm")(x)
        x = layers.Dense(classes, activation=classifier_activation, name=f"{model_name}_head_dense")(x)
    else:
        x = layers.LayerNormalization(epsilon=1e-6)(pooled(x, pooling, False))
    return keras.Model(inputs, x, name=model_name)
`;
