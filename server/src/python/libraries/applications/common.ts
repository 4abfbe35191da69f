/**
 * What the architectures' descriptions share: the optional global pooling without a top, and the common top
 * (global average pooling and a dense classifier). Which of their layers Keras names differs by family.
 */
export const CLASSIFIER = String.raw`
def pooled(x, pooling, named):
    if pooling == "avg":
        return layers.GlobalAveragePooling2D(name="avg_pool" if named else None)(x)
    if pooling == "max":
        return layers.GlobalMaxPooling2D(name="max_pool" if named else None)(x)
    return x


def classified(inputs, x, model_name, include_top, pooling, classes, classifier_activation, named_top, named_pools):
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool" if named_top else None)(x)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = pooled(x, pooling, named_pools)
    return keras.Model(inputs, x, name=model_name)
`;
