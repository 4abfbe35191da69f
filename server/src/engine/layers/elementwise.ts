/**
 * Element-wise tensor functions called between layers, TensorFlow's (`tf.math.*`, `tf.nn.*` activations,
 * `tf.cast`, `tf.clip_by_value`…) and Keras 3's (`keras.ops` functions of one tensor, `keras.activations.*`):
 * the output has the input's shape. softmax / log_softmax / sparsemax / l2_normalize take an axis that must
 * be one of the input's; tf.nn.dropout's rate must be in [0, 1). Each spec is registered under every name it
 * is exported as. No weights.
 */
import { costing, elementwiseCost } from "../cost";
import { Args } from "../args";
import { Shape } from "../shape";
import { LayerSpec, ParamDecl, Problem } from "../spec";

import { isSequence, numeric } from "../values";

import { axisRange, intsArg, invalid, name, nnAliases, normalize, numpyAliases, op, result, words } from "./tensorFunctions";

type Check = (args: Args, input: Shape) => Problem[];

function elementwise(name: string, tensor: string, params: readonly ParamDecl[], aliases: readonly string[] = [], check?: Check, summary?: string): LayerSpec {
  return op({
    name,
    aliases,
    summary: summary ?? "Applied element by element: the output has the input's shape.",
    tensors: [tensor],
    params,
    infer(args, [input]) {
      const problems = input && check ? check(args, input) : [];
      return result(args, input, problems);
    },
  });
}

/**
 * softmax-like functions: `axis` must be an axis of the input (an int; for Keras's softmax and
 * log_softmax also a tuple of them). None is left to the library (TensorFlow's means the last axis).
 */
function axisInRange(tuple: boolean): Check {
  return (args, input) => {
    const raw = args.raw("axis");
    if (raw === undefined || raw === null) return [];
    if (!tuple && isSequence(raw)) return [invalid("axis", "an integer axis", raw)];
    const axes = intsArg(args, "axis", tuple ? "an integer axis or a tuple of them" : "an integer axis");
    return axes?.some((a) => normalize(a, input.length) === undefined) ? [axisRange("axis", raw, input.length, input)] : [];
  };
}

/** tf.nn.dropout: rate in [0, 1) (TensorFlow raises "rate must be a scalar tensor or a float in the range [0, 1)"). */
const dropoutRate: Check = (args) => {
  const v = args.raw("rate");
  const n = numeric(v);
  if (v === undefined || n === undefined) return [];
  return n >= 0 && n < 1 ? [] : [invalid("rate", "a number in [0, 1)", v!)];
};

/** `tf.math` functions of one tensor `x`; those also at the top level get `tf.<name>` as an alias. */
const TF_MATH_X = words(`
  abs acos acosh asin asinh atan atanh ceil cos cosh digamma erf erfc erfinv exp expm1 floor is_finite is_inf
  is_nan lgamma log log1p log_sigmoid logical_not ndtri negative reciprocal reciprocal_no_nan rint round rsqrt
  sign sin sinh sqrt square tan`);
const TF_TOP_LEVEL_MATH = new Set(words(`
  abs acos acosh asin asinh atan atanh cos cosh erfinv exp floor logical_not ndtri negative round sigmoid sign
  sin sinh sqrt square tan tanh`));

const tfMathAliases = (fn: string) => (TF_TOP_LEVEL_MATH.has(fn) ? [`tf.${fn}`] : []);

const tfElementwise: LayerSpec[] = [
  ...TF_MATH_X.map((fn) => elementwise(`tf.math.${fn}`, "x", [name], tfMathAliases(fn))),
  elementwise("tf.math.sigmoid", "x", [name], ["tf.sigmoid", "tf.nn.sigmoid"]),
  elementwise("tf.math.tanh", "x", [name], ["tf.tanh", "tf.nn.tanh"]),
  elementwise("tf.math.softplus", "features", [name], ["tf.nn.softplus"]),
  elementwise("tf.math.softsign", "features", [name], ["tf.nn.softsign"]),
  elementwise("tf.nn.relu", "features", [name]),
  elementwise("tf.nn.relu6", "features", [name]),
  elementwise("tf.nn.elu", "features", [name]),
  elementwise("tf.nn.selu", "features", [name]),
  elementwise("tf.nn.gelu", "features", [{ name: "approximate", default: false }, name]),
  elementwise("tf.nn.silu", "features", [{ name: "beta", default: 1.0 }], ["tf.nn.swish"]),
  elementwise("tf.nn.leaky_relu", "features", [{ name: "alpha", default: 0.2 }, name]),
  elementwise("tf.nn.softmax", "logits", [{ name: "axis", default: null }, name], ["tf.math.softmax"], axisInRange(false),
    "Softmax along `axis` (the last by default); the shape is unchanged."),
  elementwise("tf.nn.log_softmax", "logits", [{ name: "axis", default: null }, name], ["tf.math.log_softmax"], axisInRange(false),
    "Log-softmax along `axis` (the last by default); the shape is unchanged."),
  elementwise("tf.nn.l2_normalize", "x", [{ name: "axis", default: null }, { name: "epsilon", default: 1e-12 }, name, { name: "dim", default: null }],
    ["tf.math.l2_normalize"], undefined, "Divides by the L2 norm along `axis`; the shape is unchanged."),
  elementwise("tf.nn.dropout", "x", [{ name: "rate" }, { name: "noise_shape", default: null }, { name: "seed", default: null }, name], [], dropoutRate,
    "Zeroes elements with probability `rate` and scales the rest by 1 / (1 − rate); the shape is unchanged."),
  elementwise("tf.cast", "x", [{ name: "dtype" }, name], ["tf.dtypes.cast"], undefined, "Casts to `dtype`; the shape is unchanged."),
  elementwise("tf.identity", "input", [name], [], undefined, "Returns its input; the shape is unchanged."),
  elementwise("keras.applications.preprocess_input", "x", [{ name: "data_format", default: null }], [], undefined,
    "Scales and centres pixel values as the backbone's pretrained weights expect; the shape is unchanged."),
  elementwise("tf.stop_gradient", "input", [name], [], undefined, "Returns its input, blocking gradients; the shape is unchanged."),
  elementwise("tf.clip_by_value", "t", [{ name: "clip_value_min" }, { name: "clip_value_max" }, name], [], undefined,
    "Clips values to [clip_value_min, clip_value_max]; the shape is unchanged."),
  elementwise("tf.clip_by_norm", "t", [{ name: "clip_norm" }, { name: "axes", default: null }, name], [], undefined,
    "Rescales so the L2 norm is at most `clip_norm`; the shape is unchanged."),
  elementwise("tf.ones_like", "input", [{ name: "dtype", default: null }, name], [], undefined, "Ones of the input's shape."),
  elementwise("tf.zeros_like", "input", [{ name: "dtype", default: null }, name], [], undefined, "Zeros of the input's shape."),
];

/** keras.ops.numpy functions of one tensor `x` and nothing else. */
const KERAS_NUMPY_X = words(`
  abs absolute arccos arccosh arcsin arcsinh arctan arctanh cbrt ceil conj conjugate copy cos cosh deg2rad exp
  exp2 expm1 floor imag isfinite isinf isnan log log10 log1p log2 logical_not negative real reciprocal sign sin
  sinh sqrt square tan tanh trunc`);
/** keras.ops.nn functions of one tensor `x` and nothing else. */
const KERAS_NN_X = words("relu relu6 sigmoid sparse_sigmoid softplus softsign log_sigmoid hard_sigmoid selu tanh_shrink hard_tanh sparse_plus");


const kerasElementwise: LayerSpec[] = [
  ...KERAS_NUMPY_X.map((fn) => elementwise(`keras.ops.${fn}`, "x", [], numpyAliases(fn))),
  elementwise("keras.ops.round", "x", [{ name: "decimals", default: 0 }], numpyAliases("round")),
  elementwise("keras.ops.nan_to_num", "x", [{ name: "nan", default: 0.0 }, { name: "posinf", default: null }, { name: "neginf", default: null }], numpyAliases("nan_to_num")),
  elementwise("keras.ops.clip", "x", [{ name: "x_min" }, { name: "x_max" }], numpyAliases("clip"), undefined, "Clips values to [x_min, x_max]; the shape is unchanged."),
  elementwise("keras.ops.ones_like", "x", [{ name: "dtype", default: null }], numpyAliases("ones_like"), undefined, "Ones of the input's shape."),
  elementwise("keras.ops.zeros_like", "x", [{ name: "dtype", default: null }], numpyAliases("zeros_like"), undefined, "Zeros of the input's shape."),
  ...["erf", "erfinv", "rsqrt"].map((fn) => elementwise(`keras.ops.${fn}`, "x", [], [`keras.ops.math.${fn}`])),
  ...KERAS_NN_X.map((fn) => elementwise(`keras.ops.${fn}`, "x", [], nnAliases(fn))),
  elementwise("keras.ops.silu", "x", [], ["keras.ops.nn.silu", "keras.ops.swish", "keras.ops.nn.swish"]),
  elementwise("keras.ops.hard_silu", "x", [], ["keras.ops.nn.hard_silu", "keras.ops.hard_swish", "keras.ops.nn.hard_swish"]),
  elementwise("keras.ops.leaky_relu", "x", [{ name: "negative_slope", default: 0.2 }], nnAliases("leaky_relu")),
  elementwise("keras.ops.elu", "x", [{ name: "alpha", default: 1.0 }], nnAliases("elu")),
  elementwise("keras.ops.celu", "x", [{ name: "alpha", default: 1.0 }], nnAliases("celu")),
  elementwise("keras.ops.gelu", "x", [{ name: "approximate", default: true }], nnAliases("gelu")),
  elementwise("keras.ops.soft_shrink", "x", [{ name: "threshold", default: 0.5 }], nnAliases("soft_shrink")),
  elementwise("keras.ops.hard_shrink", "x", [{ name: "threshold", default: 0.5 }], nnAliases("hard_shrink")),
  elementwise("keras.ops.squareplus", "x", [{ name: "b", default: 4 }], nnAliases("squareplus")),
  elementwise("keras.ops.threshold", "x", [{ name: "threshold" }, { name: "default_value" }], nnAliases("threshold")),
  elementwise("keras.ops.softmax", "x", [{ name: "axis", default: -1 }], nnAliases("softmax"), axisInRange(true),
    "Softmax along `axis` (the last by default); the shape is unchanged."),
  elementwise("keras.ops.log_softmax", "x", [{ name: "axis", default: -1 }], nnAliases("log_softmax"), axisInRange(true),
    "Log-softmax along `axis` (the last by default); the shape is unchanged."),
  elementwise("keras.ops.sparsemax", "x", [{ name: "axis", default: -1 }], nnAliases("sparsemax"), axisInRange(false),
    "Sparsemax along `axis` (the last by default); the shape is unchanged."),
  elementwise("keras.ops.cast", "x", [{ name: "dtype" }], [], undefined, "Casts to `dtype`; the shape is unchanged."),
  elementwise("keras.ops.stop_gradient", "variable", [], [], undefined, "Returns its input, blocking gradients; the shape is unchanged."),
];

/** keras.activations functions of `x` alone. */
const ACTIVATIONS_X = words("relu6 selu softplus softsign tanh sigmoid exponential hard_sigmoid linear mish");

const kerasActivations: LayerSpec[] = [
  ...ACTIVATIONS_X.map((fn) => elementwise(`keras.activations.${fn}`, "x", [])),
  elementwise("keras.activations.relu", "x", [{ name: "negative_slope", default: 0.0 }, { name: "max_value", default: null }, { name: "threshold", default: 0.0 }]),
  elementwise("keras.activations.leaky_relu", "x", [{ name: "negative_slope", default: 0.2 }]),
  elementwise("keras.activations.elu", "x", [{ name: "alpha", default: 1.0 }]),
  elementwise("keras.activations.gelu", "x", [{ name: "approximate", default: false }]),
  elementwise("keras.activations.silu", "x", [], ["keras.activations.swish"]),
  elementwise("keras.activations.hard_silu", "x", [], ["keras.activations.hard_swish"]),
  elementwise("keras.activations.softmax", "x", [{ name: "axis", default: -1 }], [], axisInRange(true),
    "Softmax along `axis` (the last by default); the shape is unchanged."),
  elementwise("keras.activations.log_softmax", "x", [{ name: "axis", default: -1 }], [], axisInRange(true),
    "Log-softmax along `axis` (the last by default); the shape is unchanged."),
];


export const elementwiseOps: LayerSpec[] = costing(elementwiseCost, [...tfElementwise, ...kerasElementwise, ...kerasActivations]);
