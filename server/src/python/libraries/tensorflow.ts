/**
 * Which dotted paths under `tensorflow.` name TensorFlow objects: tensors made from a literal shape
 * (`tf.zeros([2, 3])`), variables, ranges, and ops (`tf.nn.conv2d`, `tf.reshape`, `tf.math.exp`). An op
 * is named `tf.<path>` as the user spelled it (`tf.math.reduce_mean`, `tf.reduce_mean`); the engine
 * registers each spelling as the name or an alias of the spec that models it. `tf.keras.*` is Keras's
 * (see `keras.ts`), never TensorFlow's.
 */

export type TensorFlowObject =
  /** An op with a spec of that name (`tf.nn.conv2d`, `tf.matmul`). */
  | { readonly kind: "op"; readonly name: string }
  /** A function of two tensors (or a tensor and a number) applied element by element with NumPy's broadcasting (`tf.add`). */
  | { readonly kind: "broadcast"; readonly name: string }
  /** A tensor made from a literal shape; `shape` says which argument holds it. */
  | { readonly kind: "tensor"; readonly name: string; readonly shape: { readonly position: number; readonly keyword: string } }
  /** `tf.Variable(initial)`: a variable shaped like its initial value. */
  | { readonly kind: "variable" }
  /** `tf.range(start, limit, delta)`: a rank-1 tensor. */
  | { readonly kind: "range"; readonly names: readonly string[] };

const SHAPED = new Map<string, { position: number; keyword: string }>([
  ["zeros", { position: 0, keyword: "shape" }],
  ["ones", { position: 0, keyword: "shape" }],
  ["fill", { position: 0, keyword: "dims" }],
  ["random.normal", { position: 0, keyword: "shape" }],
  ["random.uniform", { position: 0, keyword: "shape" }],
  ["random.truncated_normal", { position: 0, keyword: "shape" }],
  ["compat.v1.placeholder", { position: 1, keyword: "shape" }],
  ["compat.v1.random_normal", { position: 0, keyword: "shape" }],
  ["compat.v1.truncated_normal", { position: 0, keyword: "shape" }],
]);

const words = (text: string) => text.trim().split(/\s+/);

/**
 * `tf.math` element-wise functions of one tensor (TensorFlow 2's `tensorflow.math` module); those in
 * `TOP_LEVEL_MATH` are also exported at the top level (`tf.exp`), per TensorFlow 2's API golden file.
 */
const MATH_ELEMENTWISE = words(`
  abs acos acosh asin asinh atan atanh ceil cos cosh digamma erf erfc erfinv exp expm1 floor is_finite
  is_inf is_nan lgamma log log1p log_sigmoid logical_not ndtri negative reciprocal reciprocal_no_nan rint
  round rsqrt sigmoid sign sin sinh softplus softsign sqrt square tan tanh softmax log_softmax l2_normalize`);
const TOP_LEVEL_MATH = words(`
  abs acos acosh asin asinh atan atanh cos cosh erfinv exp floor logical_not ndtri negative round sigmoid
  sign sin sinh sqrt square tan tanh`);
const REDUCTIONS = words("reduce_all reduce_any reduce_logsumexp reduce_max reduce_mean reduce_min reduce_prod reduce_sum");
const MATH_ONLY_REDUCTIONS = words("reduce_std reduce_variance reduce_euclidean_norm");
const NN = words(`
  relu relu6 elu selu gelu silu swish leaky_relu sigmoid tanh softplus softsign softmax log_softmax dropout
  l2_normalize conv2d max_pool2d avg_pool2d bias_add`);
/** Top-level functions that are not `tf.math`'s: shape functions and the like. */
const TOP_LEVEL = words(`
  cast identity stop_gradient clip_by_value clip_by_norm ones_like zeros_like transpose reshape expand_dims
  squeeze concat stack unstack split tile pad one_hot argmax argmin gather matmul`);

const OPS = new Set([
  ...MATH_ELEMENTWISE.map((n) => `math.${n}`),
  ...TOP_LEVEL_MATH,
  ...REDUCTIONS,
  ...[...REDUCTIONS, ...MATH_ONLY_REDUCTIONS, "argmax", "argmin"].map((n) => `math.${n}`),
  ...NN.map((n) => `nn.${n}`),
  ...TOP_LEVEL,
  "dtypes.cast",
  "linalg.matmul",
]);

/** Every op name this module can answer, for the check that each has a spec. */
export function tensorFlowOpNames(): string[] {
  return [...OPS].map(opName);
}

function opName(rest: string): string {
  return rest === "linalg.matmul" ? "tf.matmul" : `tf.${rest}`;
}

export function tensorFlowObject(path: string): TensorFlowObject | undefined {
  if (!path.startsWith("tensorflow.")) return undefined;
  const rest = path.slice("tensorflow.".length);
  if (rest === "Variable" || rest === "compat.v1.Variable") return { kind: "variable" };
  if (rest === "range") return { kind: "range", names: ["start", "limit", "delta"] };
  const shape = SHAPED.get(rest);
  if (shape) return { kind: "tensor", name: `tf.${rest}`, shape };
  if (OPS.has(rest)) return { kind: "op", name: opName(rest) };
  if (BROADCAST.has(rest)) return { kind: "broadcast", name: `tf.${rest}` };
  return undefined;
}

/** TensorFlow's element-wise functions of two tensors, which broadcast as NumPy does (at `tf.` and `tf.math.`). */
const BINARY = `add subtract multiply divide truediv floordiv floormod mod pow maximum minimum squared_difference
  equal not_equal greater greater_equal less less_equal logical_and logical_or logical_xor divide_no_nan
  multiply_no_nan atan2`.trim().split(/\s+/);
const BROADCAST = new Set([...BINARY, ...BINARY.map((n) => `math.${n}`)]);
