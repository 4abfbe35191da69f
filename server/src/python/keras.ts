/**
 * Which dotted paths name Keras and TensorFlow objects. `tf.keras.layers.Conv2D`,
 * `keras.layers.Conv2D` and `tf_keras.layers.Conv2D` all name the layer `Conv2D`;
 * `tf.nn.conv2d` names the op spec `tf.nn.conv2d`.
 */
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
  | { readonly kind: "range"; readonly names: readonly string[] };

export function classifyKerasPath(path: string): KerasObject | undefined {
  const root = ROOTS.find((r) => path.startsWith(r));
  if (!root) return undefined;
  const rest = path.slice(root.length);
  if (rest === "Sequential" || rest === "models.Sequential") return { kind: "sequential" };
  if (rest === "Model" || rest === "models.Model") return { kind: "model" };
  if (rest === "Input" || rest === "layers.Input") return { kind: "layer", name: "Input" };
  if (rest === "ops.shape" || rest === "backend.int_shape") return { kind: "shape" };
  if (rest === "ops.arange") return { kind: "range", names: ["start", "stop", "step"] };
  const layer = /^layers\.(?:experimental\.preprocessing\.)?([A-Z]\w*)$/.exec(rest);
  if (layer) return { kind: "layer", name: layer[1] };
  const fn = /^layers\.([a-z]\w*)$/.exec(rest);
  return fn ? { kind: "function", name: fn[1] } : undefined;
}

export type TensorFlowObject =
  /** An op with a spec of that name (`tf.nn.conv2d`, `tf.matmul`). */
  | { readonly kind: "op"; readonly name: string }
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

const OPS = new Set(["nn.conv2d", "nn.max_pool2d", "nn.avg_pool2d", "nn.bias_add", "matmul", "linalg.matmul"]);

export function classifyTensorFlowPath(path: string): TensorFlowObject | undefined {
  if (!path.startsWith("tensorflow.")) return undefined;
  const rest = path.slice("tensorflow.".length);
  if (rest === "Variable" || rest === "compat.v1.Variable") return { kind: "variable" };
  if (rest === "range") return { kind: "range", names: ["start", "limit", "delta"] };
  const shape = SHAPED.get(rest);
  if (shape) return { kind: "tensor", name: `tf.${rest}`, shape };
  if (OPS.has(rest)) return { kind: "op", name: rest === "linalg.matmul" ? "tf.matmul" : `tf.${rest}` };
  return undefined;
}
