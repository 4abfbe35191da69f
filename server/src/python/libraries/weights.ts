/**
 * Whether a library function Layer Lens does not model surely creates no weights when applied to tensors.
 * In a Keras model, a function of TensorFlow, of Keras outside its layers and models, or of NumPy becomes a
 * weightless op (TensorFlow's `TFOpLambda`, Keras 3's ops layers); a class is a layer that may own weights,
 * and so may anything of another library (`tensorflow_addons`, `tensorflow_hub`).
 */
const WEIGHTLESS_ROOTS = ["tensorflow.", "keras.", "tf_keras.", "numpy.", "math."];
const BUILDING_MODULES = new Set(["layers", "models", "applications", "Model", "Sequential"]);

export function createsNoWeights(path: string): boolean {
  if (!WEIGHTLESS_ROOTS.some((root) => path.startsWith(root))) return false;
  const segments = path.split(".");
  const last = segments[segments.length - 1];
  if (!/^[a-z_]/.test(last)) return false;
  // `keras.applications.resnet.preprocess_input` is a function; `keras.applications.ResNet50` a model.
  return !segments.slice(0, -1).some((s) => BUILDING_MODULES.has(s) && s !== "applications");
}
