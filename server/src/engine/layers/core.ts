/**
 * Core layers: Input, InputLayer and Dense.
 *
 * Input / InputLayer make a shape from their arguments: (batch_size or None,) + shape.
 * Dense maps the last axis: (…, n) → (…, units), with n·units kernel weights and
 * `units` biases; on a rank > 2 input it acts per position along the other axes.
 */
import { Args } from "../args";
import { Dim, NONE, Shape, UNKNOWN, formatShape, isKnown } from "../shape";
import { LayerResult, LayerSpec, ParamDecl, Problem, Weight } from "../spec";
import { adapterParams, minRankProblem, weight, weightOptions, withAdapters } from "../math";
import { withThousands } from "../format";
import { dataMovementCost, factor, product, weightFactor } from "../cost";
import { PyValue, isInt, isSequence, isUnresolved, items, pyRepr } from "../values";

/** Keras's `standardize_shape`: a tuple/list of non-negative ints or None. */
export function shapeFromValue(args: Args, name: string, value: PyValue | undefined): Dim[] | undefined {
  if (value === undefined) return undefined;
  if (isUnresolved(value)) {
    args.unresolved.set(name, value.unresolved);
    return undefined;
  }
  if (!isSequence(value)) {
    args.problems.push({
      id: "invalidArgument",
      argument: name,
      values: { argument: name, expected: "a tuple of dimensions such as (28, 28, 1)", value: pyRepr(value) },
    });
    return undefined;
  }
  const dims: Dim[] = [];
  for (const item of items(value)) {
    if (item === null) dims.push(NONE);
    else if (isUnresolved(item)) {
      args.unresolved.set(name, item.unresolved);
      dims.push(UNKNOWN);
    } else if (isInt(item) && item >= 0) dims.push(item);
    else {
      args.problems.push({
        id: "invalidArgument",
        argument: name,
        values: { argument: name, expected: "non-negative integers or None", value: pyRepr(value) },
      });
      return undefined;
    }
  }
  return dims;
}

const inputResult = (output: Shape | undefined, args: Args): LayerResult => ({
  output,
  weights: [],
  formulas: [],
  problems: args.problems,
});

/**
 * Shared by Input and InputLayer: batch_shape wins over shape + batch_size. tf.keras 2's `batch_input_shape`
 * (`Input`: popped from **kwargs before `batch_shape`, winning) is read the same way.
 */
function inferInput(args: Args, legacyShape?: string): LayerResult {
  const batchName = args.has("batch_input_shape") ? "batch_input_shape" : "batch_shape";
  const batchShape = shapeFromValue(args, batchName, args.raw(batchName) ?? undefined);
  if (batchShape) return inputResult(batchShape, args);
  const shapeArg = legacyShape && !args.has("shape") && args.has(legacyShape) ? legacyShape : "shape";
  const shape = shapeFromValue(args, shapeArg, args.raw(shapeArg) ?? undefined);
  if (!shape) return inputResult(undefined, args);
  const batch = args.optionalInt("batch_size");
  const batchDim: Dim = batch === undefined ? (args.unresolved.has("batch_size") ? UNKNOWN : NONE) : batch ?? NONE;
  return inputResult([batchDim, ...shape], args);
}

/**
 * keras/src/layers/core/input_layer.py (`Input`: no **kwargs; `InputLayer`: `input_shape` and `batch_input_shape`
 * popped from **kwargs); tf_keras/engine/input_layer.py (`Input(shape, batch_size, name, dtype, sparse, tensor, ragged,
 * type_spec, optional, **kwargs)` popping `batch_input_shape` and `batch_shape`; `InputLayer(input_shape, batch_size,
 * dtype, input_tensor, sparse, name, ragged, type_spec, optional, **kwargs)` popping `batch_input_shape`).
 */
const INPUT_SOURCE = "keras/src/layers/core/input_layer.py; tf_keras/engine/input_layer.py";
/** Keras 3's `Input` takes no **kwargs. */
const KERAS3_INPUT_REFUSAL = "Keras 3's Input has no such argument (TypeError)";

const inputSpec: LayerSpec = {
  cost: dataMovementCost,
  name: "Input",
  summary: "A symbolic input tensor of the given shape; the batch dimension is added in front.",
  params: [
    { name: "shape", default: null },
    { name: "batch_size", default: null },
    { name: "dtype", default: null },
    { name: "sparse", default: null },
    { name: "ragged", default: null },
    { name: "batch_shape", default: null },
    { name: "name", default: null },
    { name: "tensor", default: null },
    { name: "optional", default: false },
    { name: "type_spec", default: null, generations: { only: 2, shapes: true, refusal: KERAS3_INPUT_REFUSAL, source: INPUT_SOURCE } },
    { name: "batch_input_shape", default: null, generations: { only: 2, shapes: true, note: "Keras 3 calls it batch_shape", refusal: KERAS3_INPUT_REFUSAL, source: INPUT_SOURCE } },
  ],
  generations: { keras2Positional: ["shape", "batch_size", "name", "dtype", "sparse", "tensor", "ragged", "type_spec", "optional"], source: INPUT_SOURCE },
  isInput: true,
  infer: (args) => inferInput(args),
};

const inputLayerSpec: LayerSpec = {
  cost: dataMovementCost,
  name: "InputLayer",
  summary: "The layer behind `Input`: declares the model's input shape.",
  params: [
    // (tf.keras 2's InputLayer calls it input_shape and refuses `shape`: not flagged, so that InputLayer(shape=…)
    // in a file that does not say its Keras keeps its numbers; only a file read as tf.keras 2 misses the error.)
    { name: "shape", default: null },
    { name: "batch_size", default: null },
    { name: "dtype", default: null },
    { name: "sparse", default: null },
    { name: "ragged", default: null },
    { name: "batch_shape", default: null },
    { name: "input_tensor", default: null },
    { name: "optional", default: false },
    { name: "name", default: null },
    // Keras 2 spellings, still accepted by InputLayer.
    { name: "input_shape", default: null },
    { name: "batch_input_shape", default: null },
    { name: "type_spec", default: null, generations: { only: 2, shapes: true, source: INPUT_SOURCE } },
  ],
  // tf.keras 2's first positional parameter is input_shape, the shape Keras 3 calls shape.
  generations: { keras2Positional: ["shape", "batch_size", "dtype", "input_tensor", "sparse", "name", "ragged", "type_spec", "optional"], source: INPUT_SOURCE },
  isInput: true,
  infer: (args) => inferInput(args, "input_shape"),
};

const denseParams: ParamDecl[] = [
  { name: "units" },
  { name: "activation", default: null },
  { name: "use_bias", default: true },
  ...weightOptions(["kernel"]),
  ...adapterParams,
  { name: "quantization_config", default: null },
];

const denseSpec: LayerSpec = {
  name: "Dense",
  summary: "Fully connected layer: `output = activation(input · kernel + bias)` over the last axis.",
  params: denseParams,
  // Each position (every axis between the batch and the last) multiplies the kernel once: positions · C_in·units.
  cost: ({ input, weights }) => {
    const kernel = weightFactor(weights.find((w) => w.name === "kernel"));
    if (!input) return product([undefined]);
    return product(input.length > 2 ? [factor(input.slice(1, -1)), kernel] : [kernel]);
  },
  infer(args: Args, input: Shape | undefined): LayerResult {
    const units = args.int("units");
    const useBias = args.bool("use_bias");
    const problems: Problem[] = [];
    const unknownWeights: Weight[] = [{ name: "kernel", trainable: true }];
    if (!input) return { weights: unknownWeights, formulas: [], problems: args.problems };
    const wrongRank = minRankProblem("Dense", input, 2, "(batch, features)");
    if (wrongRank) return { weights: unknownWeights, formulas: [], problems: [...args.problems, wrongRank] };

    const last = input[input.length - 1];
    const output: Dim[] = [...input.slice(0, -1), units ?? UNKNOWN];
    if (input.length > 2) {
      problems.push({
        id: "denseOnHighRank",
        values: { rank: input.length, shape: formatShape(input), output: formatShape(output) },
      });
    }
    if (last === NONE) problems.push({ id: "undefinedLastDimension", values: { layer: "Dense", shape: formatShape(input) } });

    const inDim = isKnown(last) ? last : undefined;
    const weights: Weight[] = [weight("kernel", [inDim, units])];
    if (useBias !== false) weights.push(useBias === undefined ? { name: "bias", trainable: true } : weight("bias", [units]));
    const adapted = withAdapters(args, weights);
    const formulas = [];
    if (!adapted && inDim !== undefined && units !== undefined && useBias !== undefined) {
      const total = BigInt(inDim) * BigInt(units) + (useBias ? BigInt(units) : 0n);
      formulas.push({
        label: "params",
        text: `${useBias ? `(${inDim} + 1)` : inDim}·${units} = ${withThousands(total)}`,
      });
    }
    return { output, weights: adapted ?? weights, formulas, problems: [...args.problems, ...problems] };
  },
};

export const coreLayers: LayerSpec[] = [inputSpec, inputLayerSpec, denseSpec];
