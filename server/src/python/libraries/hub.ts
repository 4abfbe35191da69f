/**
 * Models a library downloads and builds only when the program runs: KerasHub / KerasNLP / KerasCV presets
 * (`keras_hub.models.ResNetBackbone.from_preset("resnet_50_imagenet")`) and TensorFlow Hub modules
 * (`hub.KerasLayer(url)`, `hub.load(url)`). What they are cannot be known without running the program.
 */
const PRESET_LIBRARIES: Readonly<Record<string, string>> = { keras_hub: "a KerasHub preset", keras_nlp: "a KerasNLP preset", keras_cv: "a KerasCV preset" };

/** What the call loads at run time and where from, if it is one of those. */
export function runtimeModel(path: string): { readonly what: string; readonly source: string } | undefined {
  const segments = path.split(".");
  const library = PRESET_LIBRARIES[segments[0]];
  if (library && segments[segments.length - 1] === "from_preset") return { what: `\`${segments.slice(0, -1).join(".")}\``, source: library };
  if (segments[0] === "tensorflow_hub" && (segments[1] === "KerasLayer" || segments[1] === "load")) return { what: `\`hub.${segments[1]}\``, source: "a TensorFlow Hub module" };
  return undefined;
}
