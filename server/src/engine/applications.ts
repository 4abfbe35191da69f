/**
 * Keras's own checks on a `keras.applications` model's arguments, before it is built (imagenet_utils'
 * input-shape rules, the classes and classifier activation pretrained weights allow), and the messages for
 * what a backbone cannot give: a layer name it does not have, a model loaded only at run time. Plain data in,
 * the input shape the model is built on or the problems Keras raises out. Channels-last only, Keras's default.
 */
import { DiagnosticId } from "./diagnostics";

/** What one architecture allows: the size its ImageNet weights were trained at, and the smallest it builds. */
export interface InputRules {
  readonly defaultSize: number;
  readonly minSize: number;
  /** Sizes a square input is its own default size at (MobileNets: the sizes weights were trained at). */
  readonly squareSizes?: readonly number[];
  /** Its own rules instead of imagenet_utils' (MobileNetV3): any image of at least the minimum size, even with a top. */
  readonly open?: boolean;
  /** Built at its default size without a top too, when no input_shape is given (NASNetMobile), not on any size. */
  readonly sizedWithoutTop?: boolean;
}

/** The arguments the rules read, as the user gave them (defaults filled in). */
export interface ApplicationArguments {
  readonly architecture: string;
  /** The architecture's own check of its other arguments (MobileNet's alpha): Keras's message, if it refuses. */
  readonly refusal?: { readonly detail: string; readonly argument: string };
  readonly includeTop: boolean;
  /** 'imagenet', None, or a path to a weights file (any other string). */
  readonly weights: string | null;
  /** Without the batch axis; null when not given. */
  readonly inputShape: readonly (number | null)[] | null;
  readonly classes: number;
  readonly classifierActivation: string | null;
}

export interface ApplicationProblem {
  readonly id: DiagnosticId;
  readonly values: Record<string, string | number>;
  /** The argument it is about, where the diagnostic goes. */
  readonly argument?: string;
}

/** Python's repr of a shape tuple, as Keras prints it in these messages. */
function shapeRepr(shape: readonly (number | null)[]): string {
  const dims = shape.map((d) => (d === null ? "None" : String(d)));
  return dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(", ")})`;
}

/**
 * The input shape the model is built on (batch axis left out), or Keras's refusal: imagenet_utils'
 * `obtain_input_shape` for channels_last, then the classes and activation checks the architectures make.
 */
export function applicationInput(rules: InputRules, args: ApplicationArguments): { readonly shape?: readonly (number | null)[]; readonly problems: readonly ApplicationProblem[] } {
  const problems: ApplicationProblem[] = [];
  const architecture = args.architecture;
  const imagenet = args.weights === "imagenet";
  if (imagenet && args.includeTop && args.classes !== 1000) problems.push({ id: "applicationClasses", values: { classes: args.classes, architecture }, argument: "classes" });
  if (args.includeTop && args.weights !== null && args.classifierActivation !== "softmax" && args.classifierActivation !== null) {
    problems.push({ id: "applicationActivation", values: { activation: args.classifierActivation, architecture }, argument: "classifier_activation" });
  }
  if (args.refusal) problems.push({ id: "applicationArgument", values: { detail: args.refusal.detail, architecture }, argument: args.refusal.argument });
  const refuse = (detail: string) => ({ problems: [...problems, { id: "applicationInputShape" as const, values: { detail, architecture }, argument: "input_shape" }] });
  const given = args.inputShape ?? (rules.sizedWithoutTop && !args.includeTop ? [rules.defaultSize, rules.defaultSize, 3] : null);
  if (rules.open) {
    const small = given && given[0] && given[1] && (given[0] < rules.minSize || given[1] < rules.minSize);
    if (small) return refuse(`Input size must be at least ${rules.minSize}x${rules.minSize}; Received \`input_shape=${shapeRepr(given)}\``);
    return { shape: given ?? [null, null, 3], problems };
  }
  const channels = !imagenet && given && given.length === 3 ? given[2] : 3;
  const [rows, cols] = given ?? [];
  const size = rules.squareSizes && rows === cols && rules.squareSizes.includes(rows ?? 0) ? rows! : rules.defaultSize;
  const defaultShape = [size, size, channels];
  if (imagenet && args.includeTop) {
    if (given && shapeRepr(given) !== shapeRepr(defaultShape)) {
      return refuse(`When setting \`include_top=True\` and loading \`imagenet\` weights, \`input_shape\` should be ${shapeRepr(defaultShape)}. Received: input_shape=${shapeRepr(given)}`);
    }
    return { shape: defaultShape, problems };
  }
  let shape: readonly (number | null)[];
  if (given && given.length) {
    if (given.length !== 3) return refuse("`input_shape` must be a tuple of three integers.");
    if (given[2] !== 3 && imagenet) return refuse(`The input must have 3 channels; Received \`input_shape=${shapeRepr(given)}\``);
    if (given.slice(0, 2).some((d) => d !== null && d < rules.minSize)) {
      return refuse(`Input size must be at least ${rules.minSize}x${rules.minSize}; Received: input_shape=${shapeRepr(given)}`);
    }
    shape = given;
  } else shape = args.includeTop ? defaultShape : [null, null, 3];
  if (args.includeTop && shape.includes(null)) return refuse(`If \`include_top\` is True, you should specify a static \`input_shape\`. Received: input_shape=${shapeRepr(shape)}`);
  return { shape, problems };
}

/** The input sizes an architecture takes, for its hover. */
export function inputRulesText(rules: InputRules): string {
  const least = `at least ${rules.minSize}×${rules.minSize}`;
  if (rules.open) return `any image ${least}, with or without its top`;
  const sizes = rules.squareSizes ? `square at ${rules.squareSizes.join(", ")}, otherwise ${rules.defaultSize}×${rules.defaultSize}` : `${rules.defaultSize}×${rules.defaultSize}`;
  const unsized = rules.sizedWithoutTop ? `; without its top or an input_shape ${rules.defaultSize}×${rules.defaultSize}` : "";
  return `input ${least}; with its top and weights='imagenet' exactly ${sizes}; with weights='imagenet' 3 channels${unsized}`;
}

/** Edit distance between two names, for the names nearest a misspelt one. */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length];
}

/** `get_layer(name)` of a name the model does not have: Keras's error, with the nearest names it has. */
export function noSuchLayer(name: string, names: readonly string[]): ApplicationProblem {
  const nearest = [...names].sort((a, b) => distance(name, a) - distance(name, b) || a.localeCompare(b)).slice(0, 5);
  return { id: "noSuchLayer", values: { name, nearest: nearest.length ? `Existing layers with the nearest names: ${nearest.join(", ")}.` : "The model has no named layers." } };
}

/** A class's prefix for the names Keras 3 makes up (`keras.src.utils.naming.to_snake_case`): `re_lu`, `conv2d`. */
export function snakeCase(kind: string): string {
  return kind
    .replace(/\W+/g, "")
    .replace(/(.)([A-Z][a-z]+)/g, "$1_$2")
    .replace(/([a-z])([A-Z])/g, "$1_$2")
    .toLowerCase();
}

/**
 * Why a layer name of the shape Keras 3 gives a layer built without one (`conv2d`, `conv2d_3`: the class's prefix,
 * then how many were made before it in the Python session, `keras.src.utils.naming.uniquify`) cannot be told, when
 * the model has unnamed layers of that class: the count runs over everything the session made before (the user's
 * layers, other models, symbolic ops) until `keras.backend.clear_session()`. Undefined for other names.
 */
export function sessionNamed(name: string, architecture: string, unnamedKinds: Iterable<string>): string | undefined {
  const prefix = name.replace(/_\d+$/, "");
  for (const kind of unnamedKinds) {
    if (snakeCase(kind) !== prefix && snakeCase(kind) !== name) continue;
    return `'${name}' would be one of ${architecture}'s ${kind} layers that Keras names by counting every ${kind} made earlier in the Python session (until keras.backend.clear_session()): which one it is depends on what ran before`;
  }
  return undefined;
}

/** A model a library builds only when the program runs (a KerasHub preset, a TensorFlow Hub module). */
export function loadedAtRunTime(what: string, source: string): ApplicationProblem {
  return { id: "loadedAtRunTime", values: { what, source } };
}
