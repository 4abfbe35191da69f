/**
 * Which dotted paths name Keras objects. `tf.keras.layers.Conv2D`, `keras.layers.Conv2D` and
 * `tf_keras.layers.Conv2D` all name the layer `Conv2D`. The functions of `keras.ops` (and its
 * `numpy`, `nn`, `math` submodules) and `keras.activations` that the engine follows are ops named
 * `keras.<path>` as the user spelled it (`keras.ops.relu`, `keras.ops.nn.relu`), whichever root
 * reached them; the engine registers each spelling as the name or an alias of the spec that models it.
 */
import { applicationPath } from "./applications/catalog";

const ROOTS = ["tensorflow.keras.", "tensorflow.python.keras.", "tf_keras.", "keras.src.", "keras."];

export type KerasObject =
  | { readonly kind: "layer"; readonly name: string }
  | { readonly kind: "sequential" }
  /** `keras.Model` / `keras.models.Model`: a functional model when called, a base class when subclassed. */
  | { readonly kind: "model" }
  /** A lowercase function of `keras.layers` (`concatenate`, `add`): a merge layer applied at once. */
  | { readonly kind: "function"; readonly name: string }
  /** `keras.ops.shape(x)`, `keras.backend.int_shape(x)`: a tensor's static shape. */
  | { readonly kind: "shape" }
  /** `keras.ops.arange(start, stop, step)`: a rank-1 tensor. */
  | { readonly kind: "range"; readonly names: readonly string[] }
  /** A function of `keras.ops` or `keras.activations` with an op spec of that name (`keras.ops.reshape`). */
  | { readonly kind: "op"; readonly name: string }
  /** A function of two tensors (or a tensor and a number) applied element by element with broadcasting (`keras.ops.add`). */
  | { readonly kind: "broadcast"; readonly name: string }
  /** A tensor made from a shape (`keras.random.normal(shape=(batch, dim))`, `keras.ops.zeros(shape)`); `shape` says which argument. */
  | { readonly kind: "tensor"; readonly name: string; readonly shape: { readonly position: number; readonly keyword: string } }
  /** A `keras.applications` model (`ResNet50`, `resnet50.ResNet50`). */
  | { readonly kind: "application"; readonly name: string };

const words = (text: string) => text.trim().split(/\s+/);

/** `keras.ops.numpy` functions followed (Keras 3's keras/api/ops/numpy), also exported as `keras.ops.<name>`. */
const NUMPY = words(`
  abs absolute arccos arccosh arcsin arcsinh arctan arctanh cbrt ceil conj conjugate copy cos cosh deg2rad
  exp exp2 expm1 floor imag isfinite isinf isnan log log10 log1p log2 logical_not negative real reciprocal
  sign sin sinh sqrt square tan tanh trunc round nan_to_num clip ones_like zeros_like
  transpose reshape expand_dims squeeze concatenate stack split tile pad matmul
  mean sum max min prod any all std var amax amin argmax argmin`);
/** `keras.ops.nn` functions followed, also exported as `keras.ops.<name>`. */
const NN = words(`
  relu relu6 sigmoid sparse_sigmoid softplus softsign silu swish log_sigmoid hard_sigmoid hard_silu hard_swish
  selu tanh_shrink hard_tanh sparse_plus leaky_relu elu gelu celu soft_shrink hard_shrink squareplus threshold
  softmax log_softmax sparsemax one_hot`);
/** `keras.ops.math` functions followed, also exported as `keras.ops.<name>`. */
const MATH = words("erf erfinv rsqrt");
/** `keras.ops` core functions followed (only at `keras.ops.<name>`). */
const CORE = words("cast stop_gradient unstack");
/** `keras.activations` functions (Keras 3's keras/src/activations). */
const ACTIVATIONS = words(`
  relu leaky_relu relu6 softmax elu selu softplus softsign silu swish gelu tanh sigmoid exponential
  hard_sigmoid hard_silu hard_swish linear mish log_softmax`);

const OPS = new Set([
  ...[...NUMPY, ...NN, ...MATH, ...CORE].map((n) => `ops.${n}`),
  ...NUMPY.map((n) => `ops.numpy.${n}`),
  ...NN.map((n) => `ops.nn.${n}`),
  ...MATH.map((n) => `ops.math.${n}`),
  ...ACTIVATIONS.map((n) => `activations.${n}`),
]);

/** `keras.ops.numpy` functions of two tensors that broadcast as NumPy does, also exported as `keras.ops.<name>`. */
const BINARY = words(`
  add subtract multiply divide true_divide floor_divide mod power maximum minimum equal not_equal greater
  greater_equal less less_equal logical_and logical_or logical_xor arctan2 hypot`);
const BROADCAST = new Set([...BINARY.map((n) => `ops.${n}`), ...BINARY.map((n) => `ops.numpy.${n}`)]);

/** Keras 3's functions that make a tensor of a given shape (first argument or `shape=`). */
const SHAPED = new Set(["random.normal", "random.uniform", "random.truncated_normal", "ops.zeros", "ops.ones", "ops.full", "ops.empty"]);

const PREPROCESS = "keras.applications.preprocess_input";

/** Every op name this module can answer, for the check that each has a spec. */
export function kerasOpNames(): string[] {
  return [...[...OPS].map((rest) => `keras.${rest}`), PREPROCESS];
}

export function kerasObject(path: string): KerasObject | undefined {
  const root = ROOTS.find((r) => path.startsWith(r));
  if (!root) return undefined;
  const rest = path.slice(root.length);
  if (rest === "Sequential" || rest === "models.Sequential") return { kind: "sequential" };
  if (rest === "Model" || rest === "models.Model") return { kind: "model" };
  if (rest === "Input" || rest === "layers.Input") return { kind: "layer", name: "Input" };
  if (rest === "ops.shape" || rest === "backend.int_shape") return { kind: "shape" };
  if (rest.startsWith("applications.")) {
    const application = applicationPath(rest.slice("applications.".length));
    // Every module's `preprocess_input` scales pixel values and keeps the shape: one op for all of them.
    return application?.kind === "preprocess" ? { kind: "op", name: PREPROCESS } : application;
  }
  if (rest === "ops.arange") return { kind: "range", names: ["start", "stop", "step"] };
  if (OPS.has(rest)) return { kind: "op", name: `keras.${rest}` };
  if (BROADCAST.has(rest)) return { kind: "broadcast", name: `keras.${rest}` };
  if (SHAPED.has(rest)) return { kind: "tensor", name: `keras.${rest}`, shape: { position: 0, keyword: "shape" } };
  const layer = /^layers\.(?:experimental\.preprocessing\.)?([A-Z]\w*)$/.exec(rest);
  if (layer) return { kind: "layer", name: layer[1] };
  const fn = /^layers\.([a-z]\w*)$/.exec(rest);
  return fn ? { kind: "function", name: fn[1] } : undefined;
}
