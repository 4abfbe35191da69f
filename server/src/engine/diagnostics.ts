/**
 * The one table of diagnostics. Codes are stable: never renumber or reuse one;
 * retire a code by marking it removed. Messages take named placeholders, filled
 * by `problem()`; a test checks every placeholder is supplied and every code used.
 */
export type Severity = "error" | "warning" | "information";

export interface DiagnosticDef {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  /** One paragraph for the docs and hovers: why this matters. */
  readonly explanation: string;
}

function def(code: string, severity: Severity, message: string, explanation: string): DiagnosticDef {
  return { code, severity, message, explanation };
}

export const Diagnostics = {
  nonPositiveDimension: def(
    "LL101",
    "error",
    "{layer} would make the {axis} {value}: {formula}. Keras refuses to build this ('Computed output size would be zero or negative').{history}",
    "Under padding='valid' every window must fit inside the input. When the input has been shrunk too far by earlier layers, the output size is zero or negative and Keras raises at build time.",
  ),
  invalidPadding: def(
    "LL102",
    "error",
    "padding must be {allowed}; got {value}.",
    "Keras accepts only the padding names listed; anything else raises a ValueError when the layer is created.",
  ),
  causalPadding: def(
    "LL103",
    "error",
    "padding='causal' is only supported by Conv1D; {layer} rejects it.",
    "Causal padding pads the time axis on the left only; Keras implements it for 1-D convolutions alone.",
  ),
  invalidDataFormat: def(
    "LL104",
    "error",
    "data_format must be 'channels_last' or 'channels_first'; got {value}.",
    "Keras accepts exactly these two data formats.",
  ),
  nonPositiveArgument: def(
    "LL105",
    "error",
    "{argument} must be a positive integer; got {value}.",
    "Sizes, counts and strides must be strictly positive; Keras rejects zero or negative values.",
  ),
  groupsNotDividing: def(
    "LL106",
    "error",
    "{what} ({count}) must be divisible by groups ({groups}).",
    "A grouped convolution splits input channels and filters evenly into `groups` groups, so both must be multiples of it.",
  ),
  reshapeMismatch: def(
    "LL107",
    "error",
    "Reshape target {target} does not fit the input {input}: {detail}.",
    "Reshape keeps the number of elements; the target shape's product must equal the input's, with at most one -1 to infer.",
  ),
  wrongRank: def(
    "LL108",
    "error",
    "{layer} expects an input of rank {expected} {example}; got {shape} (rank {rank}).",
    "Each layer accepts inputs of a fixed number of dimensions (batch included); Keras raises 'Input 0 of layer … is incompatible with the layer'.",
  ),
  unknownKeyword: def(
    "LL109",
    "error",
    "{layer} has no argument '{name}'. Keras raises 'Unrecognized keyword arguments'.",
    "Keras 3 checks the keyword arguments of every layer and rejects names it does not know, often a typo or an argument of another framework.",
  ),
  tooManyPositional: def(
    "LL110",
    "error",
    "{layer} takes at most {max} positional arguments; got {count}.",
    "Arguments after the layer's positional parameters must be passed by keyword.",
  ),
  missingArgument: def(
    "LL111",
    "error",
    "{layer} needs the argument '{name}'.",
    "This argument has no default in Keras.",
  ),
  stridesWithDilation: def(
    "LL112",
    "error",
    "strides > 1 cannot be combined with dilation_rate > 1 (strides={strides}, dilation_rate={dilation}).",
    "Keras's convolutions do not support strided and dilated convolution at once and raise when the layer is created.",
  ),
  invalidArgument: def(
    "LL113",
    "error",
    "{argument} must be {expected}; got {value}.",
    "The value has the wrong type or form for this argument.",
  ),
  undefinedLastDimension: def(
    "LL114",
    "error",
    "{layer} needs a known last dimension to create its weights; the input {shape} has None there.",
    "The size of the kernel depends on the last input dimension, so it must be known when the layer is built.",
  ),
  undefinedAxis: def(
    "LL118",
    "error",
    "{layer} needs a known size on axis {axis} of the input {shape} to create its weights; it is None there.",
    "Layers such as GroupNormalization, PReLU and Normalization size their weights from particular input axes, so those axes must be known when the layer is built; Keras raises otherwise.",
  ),
  incompatibleShapes: def(
    "LL125",
    "error",
    "{layer} needs {requirement}: got {first} and {second}.",
    "Layers and ops that combine several tensors (merge layers, attention, tf.nn ops, matmul) require their shapes to agree on particular axes; Keras and TensorFlow raise a ValueError when they do not.",
  ),
  inputCount: def(
    "LL126",
    "error",
    "{layer} must be called on {expected}; got {got}.",
    "Merge layers take a list of tensors (Subtract and Dot exactly two); attention layers take a query and a value (and optionally a key). Keras raises a ValueError for any other number.",
  ),
  notInGeneration: def(
    "LL127",
    "error",
    "{detail}. This file is read as {generation}: set layerLens.kerasVersion if it is written for the other Keras.",
    "tf.keras 2 (TensorFlow ≤ 2.15, the tf_keras package) and Keras 3 differ in a few arguments and layers. The file is read as the one its imports show (import tf_keras → tf.keras 2; keras.ops, keras.random, keras_core → Keras 3) or the one layerLens.kerasVersion names, and that Keras raises for what it does not have.",
  ),
  torchChannelMismatch: def(
    "LL150",
    "error",
    "{layer} was built for in_channels={expected}, but its input {shape} has {actual} channels. PyTorch raises \"{torch}\".",
    "A PyTorch convolution sizes its weight from in_channels when it is created, so the input's channel axis (dimension 1, or 0 without a batch) must have exactly that many channels; PyTorch raises a RuntimeError on the forward. Set in_channels to the channels the input has, or use the Lazy module, which takes them from its first input.",
  ),
  torchOutputTooSmall: def(
    "LL151",
    "error",
    "{layer} would make {sizes}: {formula}. PyTorch raises \"{torch}\".{history}",
    "Every window of a convolution or pooling must fit in the padded input, so each output size must be at least 1; PyTorch raises a RuntimeError on the forward when one is not. The input has usually been shrunk too far by the layers before it.",
  ),
  torchPoolPadding: def(
    "LL152",
    "error",
    "{layer}'s padding {padding} on the {axis} is more than half its window ({window}, so at most {half}). PyTorch raises \"{torch}\".",
    "PyTorch's pooling pads each side by at most half its window (the dilated window for MaxPool2d and for MaxPool1d with return_indices, the kernel alone for the others), so that every window still covers part of the input; it raises a RuntimeError otherwise.",
  ),
  torchPaddingTooLarge: def(
    "LL153",
    "error",
    "{layer} pads the {axis} ({size}) by {padding}, more than {mode} padding can ({limit}). PyTorch raises \"{torch}\".",
    "Reflection padding mirrors the input without repeating its edge, so it can add fewer elements than the axis has; circular padding wraps around at most once. PyTorch raises a RuntimeError on the forward otherwise.",
  ),
  torchRefuses: def(
    "LL154",
    "error",
    "{detail} ({layer} raises this {error}.)",
    "PyTorch checks a module's arguments when it is created (a ValueError) and the input it is given when it runs (a RuntimeError); the message is PyTorch's own.",
  ),
  torchOpDimOutOfRange: def(
    "LL165",
    "error",
    "{layer}: Dimension out of range (expected to be in range of [{low}, {high}], but got {dim}). PyTorch raises IndexError.",
    "PyTorch counts a tensor's dimensions from 0 to rank − 1, or from −rank to −1 from the end (a 0-dim tensor takes 0 and −1); any other dim raises an IndexError.",
  ),
  torchOpRefuses: def(
    "LL166",
    "error",
    "{layer} cannot run on {what}: PyTorch raises '{torch}'.",
    "PyTorch checks its operands' shapes when the call runs: a matrix product needs the first operand's last size to equal the second's next-to-last, a convolution input channels that fit its weight, a pooling window that fits the input; it raises a RuntimeError naming the sizes.",
  ),
  torchShapeInvalid: def(
    "LL167",
    "error",
    "{layer}: shape '{target}' is invalid for input of size {size}.",
    "view and reshape keep the number of elements: the target sizes must multiply to the input's element count, a single -1 taking what is left; PyTorch raises a RuntimeError otherwise.",
  ),
  torchCatSizes: def(
    "LL168",
    "error",
    "{layer}: Sizes of tensors must match except in dimension {dim}. Expected size {expected} but got size {got} for tensor number {index} in the list.",
    "torch.cat joins tensors along one dimension; every other dimension must have the same size in all of them, and PyTorch raises a RuntimeError naming the first that differs.",
  ),
  torchBroadcast: def(
    "LL169",
    "error",
    "{layer}: The size of tensor a ({a}) must match the size of tensor b ({b}) at non-singleton dimension {dim} ({first} and {second}).",
    "Element-wise operations broadcast their operands as NumPy does: sizes are aligned from the last dimension and must be equal or 1; PyTorch raises a RuntimeError otherwise.",
  ),
  torchWarns: def(
    "LL212",
    "warning",
    "{layer}: PyTorch warns '{torch}' {consequence}.",
    "PyTorch runs these calls but warns that they rarely do what was meant: softmax without dim picks dimension 0 for inputs of rank 0, 1 or 3 and 1 otherwise; a regression loss whose target's shape differs from the input's broadcasts them, so (64, 1) against (64,) averages a 64 × 64 matrix of differences.",
  ),
  torchTiedWeightShape: def(
    "LL213",
    "warning",
    "{layer}'s `{target}` is given a parameter of shape {given}, where its arguments make it {own}: PyTorch assigns it, and the module's forward then computes with it or raises, so its output is unknown here.",
    "Assigning a Parameter to a module's weight (tied weights: `self.decoder.weight = self.encoder.weight`) replaces it whatever its shape; nothing checks it until the forward multiplies by it. A tied language model needs the embedding's size equal to the decoder's input size (PyTorch's word_language_model example raises 'When using the tied flag, nhid must be equal to emsize').",
  ),
  torchClassesFromData: def(
    "LL353",
    "information",
    "one_hot with num_classes=-1 takes the number of classes from the data when it runs (the largest value + 1): the last size is unknown. Pass num_classes to fix it.",
    "torch.nn.functional.one_hot infers the number of classes from the largest index in its input when num_classes is -1 (its default), which Layer Lens cannot know without running the code.",
  ),
  torchBatchFirst: def(
    "LL354",
    "information",
    "{layer} {what} (batch_first={flag}), but {evidence}: PyTorch runs it and mixes the samples. To fix it, {fix}.",
    "PyTorch's recurrent modules and Transformer encoders take (sequence, batch, features) unless batch_first=True. Fed a (batch, sequence, features) tensor they run without error, reading each time step as a sample and each sample as a time step. Layer Lens says so only where the shapes prove which axis is the batch: the output of a convolution, pooling or normalization (N, C, …), or of a recurrent module, followed through steps that keep the axes (element-wise functions, Linear, Embedding, permute, transpose, indexing), into the module; or the module's output followed into a call that reads its first axis as the batch (a classification loss, a convolution or norm): `out[:, -1]` on a (sequence, batch, features) output takes the last sample, not the last step.",
  ),
  channelsFirstInput: def(
    "LL201",
    "warning",
    "The input shape {shape} looks channels-first ({channels} channels first), but {layer} uses channels_last: it will treat {last} as the channels. Did you mean {suggestion}?",
    "Keras defaults to channels_last: (height, width, channels). An input written (channels, height, width) is read as a tiny image with many channels, the most frequent cause of negative-dimension errors.",
  ),
  generationDiffers: def(
    "LL206",
    "warning",
    "tf.keras 2 and Keras 3 differ here: {detail}{consequence}. The file does not show which one it is written for; set layerLens.kerasVersion to 2 or 3 to say.",
    "Code written for tf.keras 2 (TensorFlow ≤ 2.15) runs differently, or not at all, under Keras 3 in a few places: some defaults (AveragePooling's pool_size), arguments one of them refuses (BatchNormalization's fused, LeakyReLU's negative_slope), layers Keras 3 removed. When neither the imports (import tf_keras; keras.ops, keras.random, keras_core) nor layerLens.kerasVersion say which Keras the file is for, Layer Lens follows what both agree on and shows what depends on the difference as unknown.",
  ),
  torchSameEvenKernel: def(
    "LL207",
    "warning",
    "padding='same' with the window {window} pads one element more after than before on the {axes}. PyTorch warns \"Using padding='same' with even kernel lengths and odd dilation may require a zero-padded copy of the input be created\".",
    "PyTorch's padding='same' pads d·(k − 1) elements per axis; when that is odd (an even kernel, an odd dilation) the extra element goes at the end, so the window is not centred, and the convolution copies the input into a padded one on every call. An odd kernel keeps it symmetric.",
  ),
  flattenUnknown: def(
    "LL202",
    "warning",
    "Flatten over an open dimension {shape}: the flattened size is unknown, so a Dense layer after it cannot be built.",
    "Flatten multiplies all non-batch dimensions; if one is None the result is None, and Dense needs a known last dimension.",
  ),
  denseOnHighRank: def(
    "LL301",
    "information",
    "Dense on a rank-{rank} input {shape} acts on the last axis only: the output is {output}. Add Flatten() before it if you meant a fully connected layer over all features.",
    "Keras's Dense multiplies the last axis by its kernel and keeps the other axes, so on images it works per pixel, not across the image.",
  ),
  shapeUnknown: def(
    "LL302",
    "information",
    "Shapes are unknown from here: {reason}.",
    "Layer Lens never guesses: when a value cannot be determined without running the code, the dimensions that depend on it are shown as ?.",
  ),
  unsupportedLayer: def(
    "LL303",
    "information",
    "Layer Lens does not model {layer} yet; shapes after it are unknown.",
    "Only layers Layer Lens models are followed; after any other layer the output shape is shown as unknown rather than guessed.",
  ),
  notRecurrentLayer: def(
    "LL122",
    "error",
    "{wrapper} needs a recurrent layer (SimpleRNN, LSTM, GRU, ConvLSTM…); {layer} is not one. Keras fails to recreate it with go_backwards=True ('Unrecognized keyword arguments passed to {layer}').",
    "Bidirectional runs a copy of the wrapped layer backwards by recreating it with go_backwards=True, so the layer must be an RNN with go_backwards, return_sequences and return_state.",
  ),
  bidirectionalMismatch: def(
    "LL123",
    "error",
    "Bidirectional's forward and backward layers {detail}. Keras raises a ValueError when the layer is created.",
    "The forward and backward layers must run in opposite directions (different go_backwards) and agree on stateful, return_sequences and return_state; Keras checks this in Bidirectional's constructor.",
  ),
  staticDimensionRequired: def(
    "LL124",
    "error",
    "{layer} needs a known {what}{reason}; the input {shape} has None there. Keras raises '{keras}'.",
    "Some recurrent configurations size state variables or loops from an input axis: stateful=True needs a fixed batch size, unroll=True a known number of timesteps, ConvLSTM known spatial sizes.",
  ),
  cudnnUnavailable: def(
    "LL205",
    "warning",
    "use_cudnn=True but cuDNN cannot run this {layer}: {reasons}. Keras raises 'use_cudnn=True was specified, but cuDNN is not supported for this layer configuration' when the model runs.",
    "The cuDNN kernel needs activation='tanh', recurrent_activation='sigmoid', recurrent_dropout=0, unroll=False, use_bias=True (and reset_after=True for GRU), a GPU and the TensorFlow or JAX/PyTorch backend; use_cudnn='auto' falls back instead of raising.",
  ),
  multipleOutputs: def(
    "LL306",
    "information",
    "{layer} returns {count} tensors here: {shapes}. The hint shows the first. In a Sequential model the next layer receives them all and Keras raises 'expects 1 input(s), but it received {count} input tensors'; only as the last layer does this work (a model with several outputs).",
    "With return_state=True (or Bidirectional merge_mode=None) a recurrent layer returns a tuple of tensors. Sequential passes the tuple on unchanged, which only a final layer can do.",
  ),
  applicationClasses: def(
    "LL140",
    "error",
    "If using `weights='imagenet'` with `include_top=True`, `classes` should be 1000. Received classes={classes}. ({architecture} raises this ValueError.)",
    "The ImageNet weights of a keras.applications model end in a 1,000-class Dense layer; with include_top=True another number of classes cannot load them. Pass weights=None to train the classifier from scratch, or include_top=False and add your own head.",
  ),
  applicationInputShape: def(
    "LL141",
    "error",
    "{detail} ({architecture} raises this ValueError.)",
    "keras.applications models check their input shape before building: with include_top=True and 'imagenet' weights it must be the size the weights were trained at; with 'imagenet' weights it needs 3 channels; the image must be at least the architecture's minimum size; a classifier top needs a static size.",
  ),
  applicationActivation: def(
    "LL142",
    "error",
    "Only `None` and `softmax` activations are allowed for the `classifier_activation` argument when using pretrained weights, with `include_top=True`; Received: classifier_activation={activation}. ({architecture} raises this ValueError.)",
    "Pretrained classifier weights were trained with a softmax top; Keras refuses another activation on them. Use weights=None, or classifier_activation=None and apply your own.",
  ),
  applicationArgument: def(
    "LL144",
    "error",
    "{detail} ({architecture} raises this ValueError.)",
    "Some keras.applications architectures only have pretrained weights for particular widths or sizes (MobileNet's alpha, its depth_multiplier; NASNet's, an input of known width); with weights='imagenet' Keras refuses any other.",
  ),
  noSuchLayer: def(
    "LL143",
    "error",
    "No such layer: {name}. {nearest}",
    "get_layer looks a layer up by the name Keras gave it when the model was built; a keras.applications model's layers have fixed names (model.summary() lists them). Keras raises a ValueError for any other name.",
  ),
  loadedAtRunTime: def(
    "LL340",
    "information",
    "{what} is loaded at run time ({source}): Layer Lens cannot know its layers or shapes without running it. The layers around it are still listed.",
    "KerasHub and KerasCV presets and TensorFlow Hub modules are downloaded and built when the program runs, from a configuration Layer Lens cannot read; what comes after them is unknown, not guessed.",
  ),
  torchMatmulShapes: def(
    "LL155",
    "error",
    "mat1 and mat2 shapes cannot be multiplied ({mat1} and {mat2}): {layer} has in_features={expected} but its input's last dimension is {actual}.",
    "nn.Linear multiplies the last dimension of its input by its weight (out_features × in_features), so that dimension must equal in_features; PyTorch raises this RuntimeError in the forward pass, with the input flattened to a matrix (mat1: the leading dimensions' product × the last) and the transposed weight as mat2. Set in_features to the input's size, or use nn.LazyLinear to take it from the first input.",
  ),
  torchRunningStats: def(
    "LL156",
    "error",
    "{tensor} should contain {got} elements not {expected}: {layer} has num_features={features} but the input {shape} has {actual} channels.",
    "BatchNorm and InstanceNorm size their running statistics (and their weight and bias when affine) by num_features, and the input's channel dimension (dim 1, or dim 0 unbatched) must match it; PyTorch raises this RuntimeError in the forward pass, counting from the input's channels first.",
  ),
  torchInputRank: def(
    "LL157",
    "error",
    "{layer} cannot take the input {shape}: PyTorch raises '{message}'.",
    "PyTorch modules accept inputs of particular numbers of dimensions, often with the batch dimension or without it (BatchNorm2d a 4-D (N, C, H, W) input, InstanceNorm2d also an unbatched (C, H, W) one); any other rank raises when the module runs.",
  ),
  torchDimOutOfRange: def(
    "LL158",
    "error",
    "Dimension out of range (expected to be in range of [{low}, {high}], but got {dim}): {layer}'s {argument} on the input {shape}.",
    "A dimension index counts from 0 to rank − 1, or from −rank to −1 from the end (a 0-D tensor counts as 1-D); PyTorch raises an IndexError for any other.",
  ),
  torchImplicitDim: def(
    "LL209",
    "warning",
    "Implicit dimension choice for {function} has been deprecated. Change the call to include dim=X as an argument. ({layer} without dim picks dim={dim} on the {rank}-D input {shape}.)",
    "Without dim, Softmax, LogSoftmax and Softmin choose it from the input's rank (0 for 0-, 1- and 3-D inputs, else 1), which is rarely the class dimension of a batched sequence or image; PyTorch warns (UserWarning) and the choice may change.",
  ),
  torchInstanceNormFeatures: def(
    "LL210",
    "warning",
    "input's size at dim={dim} does not match num_features. You can silence this warning by not passing in num_features, which is not used because affine=False ({layer} has num_features={features}; the input {shape} has {actual}).",
    "Without affine parameters (and without running statistics) InstanceNorm does not use num_features, so a mismatch still runs; PyTorch warns (UserWarning) because it usually means the wrong layer or a wrong size.",
  ),
  torchLinearOnHighRank: def(
    "LL351",
    "information",
    "{layer} on a {rank}-D input {shape} acts on the last dimension only: the output is {output}. Add nn.Flatten() (or x.flatten(1)) before it if you meant a fully connected layer over all features.",
    "nn.Linear multiplies the last dimension by its weight and keeps the others, so on a (N, C, H, W) feature map it works along the width of each row, not across the image.",
  ),
  // PyTorch's recurrent and attention modules (layers/torch/recurrent.ts, transformer.ts): PyTorch's own wording.
  torchInputSize: def(
    "LL160",
    "error",
    "{layer}: input.size(-1) must be equal to input_size. Expected {expected}, got {actual}.",
    "A PyTorch recurrent module is built for input_size features (its weight_ih_l0 has that many columns), so the input's last axis must have that size; PyTorch raises a RuntimeError when the module is called.",
  ),
  torchSequenceRank: def(
    "LL161",
    "error",
    "{layer}: Expected input to be {expected}, got {got} instead.",
    "PyTorch's recurrent modules take a sequence (L, N, H_in), or (N, L, H_in) with batch_first, or an unbatched (L, H_in); their cells one step (N, H_in) or (H_in). PyTorch raises a ValueError for any other rank.",
  ),
  torchStateShape: def(
    "LL162",
    "error",
    "{layer}: Expected {what} size {expected}, got {actual}.",
    "The initial state passed with the input must have one row per layer and direction, the input's batch, and the hidden (or projection) size; PyTorch raises a RuntimeError when the module is called.",
  ),
  torchConstructorRefused: def(
    "LL163",
    "error",
    "{layer}: {message}. PyTorch raises {error} when the module is created.",
    "PyTorch checks a module's arguments in its constructor (a projection smaller than the hidden size, heads that divide the embedding, a known nonlinearity, a dropout probability in [0, 1]) and raises before the model exists.",
  ),
  torchCallRefused: def(
    "LL164",
    "error",
    "{layer}: {message}. PyTorch raises {error} when the module is called.",
    "PyTorch checks the tensors a module receives when it runs (ranks, feature sizes, batch sizes that must agree) and raises; the model cannot run as written.",
  ),
  torchDropoutOneLayer: def(
    "LL211",
    "warning",
    "{layer}: dropout option adds dropout after all but last recurrent layer, so non-zero dropout expects num_layers greater than 1, but got dropout={dropout} and num_layers={layers}. (PyTorch's UserWarning: this dropout does nothing.)",
    "PyTorch's RNN, LSTM and GRU apply their dropout between stacked layers only, never after the last one, so with a single layer it has no effect; add an nn.Dropout after the module if that was meant.",
  ),
} as const;

export type DiagnosticId = keyof typeof Diagnostics;

/** Fills `{name}` placeholders; a missing value is a programming error caught by tests. */
export function formatMessage(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => {
    if (!(key in values)) throw new Error(`missing message value '${key}'`);
    return String(values[key]);
  });
}
