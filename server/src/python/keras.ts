/**
 * Which dotted paths name Keras objects. `tf.keras.layers.Conv2D`,
 * `keras.layers.Conv2D` and `tf_keras.layers.Conv2D` all name the layer `Conv2D`.
 */
const ROOTS = ["tensorflow.keras.", "tensorflow.python.keras.", "tf_keras.", "keras.src.", "keras."];

export type KerasObject = { readonly kind: "layer"; readonly name: string } | { readonly kind: "sequential" };

export function classifyKerasPath(path: string): KerasObject | undefined {
  const root = ROOTS.find((r) => path.startsWith(r));
  if (!root) return undefined;
  const rest = path.slice(root.length);
  if (rest === "Sequential" || rest === "models.Sequential") return { kind: "sequential" };
  if (rest === "Input") return { kind: "layer", name: "Input" };
  const layer = /^layers\.(?:experimental\.preprocessing\.)?([A-Z]\w*)$/.exec(rest);
  return layer ? { kind: "layer", name: layer[1] } : undefined;
}
