/**
 * NASNet-A (Zoph et al. 2018, "Learning Transferable Architectures"): a strided stem, two reduction cells, then
 * three stacks of normal cells with a reduction cell between them, as Keras builds it, with Keras's layer names.
 * Every cell takes the two previous cells' outputs; the older one is brought to the newer one's size and channels
 * first (`adjust`), by two offset 1×1 stride-2 samplings when their sizes differ, by a 1×1 projection when only
 * their channels do. Like Keras, it compares their columns as the shapes give them: on an input of unknown width
 * they never differ, so the model built then projects where the sized one samples (and ImageNet's weights do not
 * load on it: catalog.ts). Keras leaves the cells' ReLUs, the samplings' padding, cropping and concatenation and
 * one addition per reduction cell unnamed.
 * Read by Layer Lens's own front end (`build.ts`), never run.
 */
import { CLASSIFIER } from "./common";
import { CORRECT_PAD } from "./mobilenet";

export const NASNET = String.raw`
from keras import layers
import keras
${CLASSIFIER}
${CORRECT_PAD}

def bn(x, name):
    return layers.BatchNormalization(axis=-1, momentum=0.9997, epsilon=1e-3, name=name)(x)


def separable_pair(x, filters, kernel, block, strides=1):
    x = layers.Activation("relu")(x)
    padding = "same"
    if strides == 2:
        # Padded as 'same' would be, centred, so that every branch of a reduction cell halves to the same size.
        x = layers.ZeroPadding2D(padding=correct_pad(x, kernel), name=f"separable_conv_1_pad_{block}")(x)
        padding = "valid"
    x = layers.SeparableConv2D(filters, kernel, strides=strides, padding=padding, use_bias=False, name=f"separable_conv_1_{block}")(x)
    x = bn(x, f"separable_conv_1_bn_{block}")
    x = layers.Activation("relu")(x)
    x = layers.SeparableConv2D(filters, kernel, padding="same", use_bias=False, name=f"separable_conv_2_{block}")(x)
    return bn(x, f"separable_conv_2_bn_{block}")


def adjust(p, x, filters, block):
    if p is None:
        return x
    if p.shape[2] != x.shape[2]:
        p = layers.Activation("relu", name=f"adjust_relu_1_{block}")(p)
        first = layers.AveragePooling2D((1, 1), strides=(2, 2), padding="valid", name=f"adjust_avg_pool_1_{block}")(p)
        first = layers.Conv2D(filters // 2, (1, 1), padding="same", use_bias=False, name=f"adjust_conv_1_{block}")(first)
        # The second sampling starts one pixel down and right, so the two see different pixels.
        second = layers.ZeroPadding2D(padding=((0, 1), (0, 1)))(p)
        second = layers.Cropping2D(cropping=((1, 0), (1, 0)))(second)
        second = layers.AveragePooling2D((1, 1), strides=(2, 2), padding="valid", name=f"adjust_avg_pool_2_{block}")(second)
        second = layers.Conv2D(filters // 2, (1, 1), padding="same", use_bias=False, name=f"adjust_conv_2_{block}")(second)
        p = layers.concatenate([first, second], axis=-1)
        return bn(p, f"adjust_bn_{block}")
    if p.shape[-1] != filters:
        p = layers.Activation("relu")(p)
        p = layers.Conv2D(filters, (1, 1), strides=(1, 1), padding="same", use_bias=False, name=f"adjust_conv_projection_{block}")(p)
        return bn(p, f"adjust_bn_{block}")
    return p


def squeezed(x, filters, kind, block):
    h = layers.Activation("relu")(x)
    h = layers.Conv2D(filters, (1, 1), strides=(1, 1), padding="same", use_bias=False, name=f"{kind}_conv_1_{block}")(h)
    return bn(h, f"{kind}_bn_1_{block}")


def same_pool(x, name):
    return layers.AveragePooling2D((3, 3), strides=(1, 1), padding="same", name=name)(x)


def normal_cell(x, p, filters, block):
    p = adjust(p, x, filters, block)
    h = squeezed(x, filters, "normal", block)
    left = separable_pair(h, filters, 5, f"normal_left1_{block}")
    right = separable_pair(p, filters, 3, f"normal_right1_{block}")
    x1 = layers.add([left, right], name=f"normal_add_1_{block}")
    left = separable_pair(p, filters, 5, f"normal_left2_{block}")
    right = separable_pair(p, filters, 3, f"normal_right2_{block}")
    x2 = layers.add([left, right], name=f"normal_add_2_{block}")
    x3 = layers.add([same_pool(h, f"normal_left3_{block}"), p], name=f"normal_add_3_{block}")
    left = same_pool(p, f"normal_left4_{block}")
    right = same_pool(p, f"normal_right4_{block}")
    x4 = layers.add([left, right], name=f"normal_add_4_{block}")
    x5 = separable_pair(h, filters, 3, f"normal_left5_{block}")
    x5 = layers.add([x5, h], name=f"normal_add_5_{block}")
    return layers.concatenate([p, x1, x2, x3, x4, x5], axis=-1, name=f"normal_concat_{block}"), x


def reduction_cell(x, p, filters, block):
    p = adjust(p, x, filters, block)
    h = squeezed(x, filters, "reduction", block)
    padded = layers.ZeroPadding2D(padding=correct_pad(h, 3), name=f"reduction_pad_1_{block}")(h)
    left = separable_pair(h, filters, 5, f"reduction_left1_{block}", 2)
    right = separable_pair(p, filters, 7, f"reduction_right1_{block}", 2)
    x1 = layers.add([left, right], name=f"reduction_add_1_{block}")
    left = layers.MaxPooling2D((3, 3), strides=(2, 2), padding="valid", name=f"reduction_left2_{block}")(padded)
    right = separable_pair(p, filters, 7, f"reduction_right2_{block}", 2)
    x2 = layers.add([left, right], name=f"reduction_add_2_{block}")
    left = layers.AveragePooling2D((3, 3), strides=(2, 2), padding="valid", name=f"reduction_left3_{block}")(padded)
    right = separable_pair(p, filters, 5, f"reduction_right3_{block}", 2)
    x3 = layers.add([left, right], name=f"reduction_add3_{block}")
    x4 = layers.add([x2, same_pool(x1, f"reduction_left4_{block}")])
    # Keras reuses the name reduction_left4 for this separable pair's layers (they differ by prefix).
    left = separable_pair(x1, filters, 3, f"reduction_left4_{block}")
    right = layers.MaxPooling2D((3, 3), strides=(2, 2), padding="valid", name=f"reduction_right5_{block}")(padded)
    x5 = layers.add([left, right], name=f"reduction_add4_{block}")
    return layers.concatenate([x2, x3, x4, x5], axis=-1, name=f"reduction_concat_{block}"), x


def nasnet(model_name, penultimate_filters, num_blocks, stem_block_filters, skip_reduction, filter_multiplier, weights, input_shape, include_top, pooling, classes, classifier_activation):
    inputs = layers.Input(shape=input_shape)
    filters = penultimate_filters // 24
    x = layers.Conv2D(stem_block_filters, (3, 3), strides=(2, 2), padding="valid", use_bias=False, name="stem_conv1")(inputs)
    x = bn(x, "stem_bn1")
    x, p = reduction_cell(x, None, filters // filter_multiplier // filter_multiplier, "stem_1")
    x, p = reduction_cell(x, p, filters // filter_multiplier, "stem_2")
    width = filters
    for stack in range(3):
        if stack:
            width = width * filter_multiplier
            x, reduced_from = reduction_cell(x, p, width, f"reduce_{stack * num_blocks}")
            # The next cell's older input: the reduction cell's input, or with skip_reduction the one before it.
            if not skip_reduction:
                p = reduced_from
        first = stack * num_blocks + (1 if stack else 0)
        for i in range(num_blocks):
            x, p = normal_cell(x, p, width, f"{first + i}")
    x = layers.Activation("relu")(x)
    return classified(inputs, x, model_name, include_top, pooling, classes, classifier_activation, False, False)
`;
