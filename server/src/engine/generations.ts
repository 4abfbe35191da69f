/**
 * The two generations of Keras a program can be written for, and how a layer call reads in
 * each: Keras 3 (the `keras` package from 3.0, `tf.keras` from TensorFlow 2.16) and tf.keras 2
 * (TensorFlow ≤ 2.15, or the `tf_keras` package). Where they differ is data in the layer specs
 * (`ParamDecl.generations`, `LayerSpec.generations`, each naming the files it was read from);
 * this module reads that data for the binding (bind.ts), and holds what belongs to no one layer:
 * the base-layer keywords only tf.keras 2 accepts, and the input a Sequential model's first layer
 * declares in each generation.
 *
 * A program's generation is 2, 3 or undefined (its file does not show which). Undefined reads a
 * call as Keras 3 where both generations agree; where they do not, a warning (LL206) says what
 * each does, and what depends on the difference is unknown rather than either generation's number.
 * A generation that is known refuses what it refuses: Keras 3 raises for tf.keras 2's keywords
 * (LL109), tf.keras 2 for Keras 3's (LL127).
 */
import type { Args } from "./args";
import type { Binding } from "./bind";
import type { LayerSpec, ParamDecl, Problem } from "./spec";
import { Dim, Shape, formatShape } from "./shape";
import { PyValue, isInt, isSequence, isUnresolved, items, pyRepr, unresolved } from "./values";

export type KerasGeneration = 2 | 3;

export const GENERATION_NAMES: Readonly<Record<KerasGeneration, string>> = { 2: "tf.keras 2", 3: "Keras 3" };

/** What a layer parameter's two generations disagree on; absent on a parameter they agree on. */
export interface ParamGenerations {
  /** The one generation whose constructor takes this keyword; the other refuses it. */
  readonly only?: KerasGeneration;
  /** tf.keras 2's default, where it is not Keras 3's `default` (which may be absent: Keras 3 requires the argument). */
  readonly keras2Default?: PyValue;
  /**
   * For `only`: the layer's shape or weights depend on the value, so when the generation is unknown a value other than
   * the default is unknown (the other generation refuses the call: there is no number of its own to agree with).
   */
  readonly shapes?: boolean;
  /** A few words on the difference for messages (`tf.keras 2 calls it alpha`). */
  readonly note?: string;
  /** For `only`: how the other generation refuses the keyword, where it is not its base layer's error. */
  readonly refusal?: string;
  /** The files both sides were read from. */
  readonly source: string;
}

/** What a layer's two generations disagree on, beyond single parameters. */
export interface LayerGenerations {
  /** The one generation that has the layer (ThresholdedReLU, LocallyConnected1D/2D: tf.keras 2's, gone in Keras 3). */
  readonly only?: KerasGeneration;
  /** tf.keras 2's positional parameters in order, where they are not Keras 3's (without Keras 3's own). */
  readonly keras2Positional?: readonly string[];
  /** tf.keras 2's constructor takes `**kwargs`, so the base-layer keywords, where Keras 3's takes none (`closedKeywords`). */
  readonly keras2Kwargs?: true;
  /**
   * The `input_shape` tf.keras 2's constructor sets itself when none is given (Embedding: `(input_length,)`), which makes
   * a Sequential model whose first layer it is built from that input.
   */
  readonly keras2InputShape?: (args: Args) => PyValue;
  /** The files both sides were read from. */
  readonly source: string;
}

/**
 * Keywords tf.keras 2's base `Layer.__init__` accepts and Keras 3's refuses ('Unrecognized keyword arguments'):
 * tf_keras/engine/base_layer.py takes `dynamic` and `**kwargs` checked against `allowed_kwargs`, which holds these
 * besides the ones both take (`input_dim`, `input_shape`, `activity_regularizer`, `autocast`); keras/src/layers/layer.py
 * pops only `input_dim` and `input_shape` and raises for anything else left.
 */
export const KERAS2_BASE_KEYWORDS: readonly string[] = ["batch_input_shape", "batch_size", "weights", "dynamic", "implementation"];

const orders = new WeakMap<LayerSpec, Map<KerasGeneration | undefined, readonly string[]>>();

/** The parameters a call's positional arguments bind to, in order: the generation's (Keras 3's when it is unknown). */
export function positionalOrder(spec: LayerSpec, keras: KerasGeneration | undefined): readonly string[] {
  let byGeneration = orders.get(spec);
  if (!byGeneration) orders.set(spec, (byGeneration = new Map()));
  let order = byGeneration.get(keras);
  if (!order) {
    const other = keras === 2 ? 3 : 2;
    order = (keras === 2 && spec.generations?.keras2Positional) || spec.params.filter((p) => p.generations?.only !== other).map((p) => p.name);
    byGeneration.set(keras, order);
  }
  return order;
}

/** Whether the generation's constructor takes the parameter as a keyword (either generation's, when unknown). */
export function takesKeyword(param: ParamDecl, keras: KerasGeneration | undefined): boolean {
  const only = param.generations?.only;
  return only === undefined || keras === undefined || only === keras;
}

/** Whether tf.keras 2 takes base-layer keywords where Keras 3's constructor takes none. */
export function keras2Kwargs(spec: LayerSpec): boolean {
  return !!spec.generations?.keras2Kwargs;
}

/** A parameter's default in a generation: `required` when it has none, `differs` when the generation is unknown and the two disagree. */
export function defaultIn(param: ParamDecl, keras: KerasGeneration | undefined): { readonly value: PyValue } | "required" | "differs" {
  const own = param.default === undefined ? undefined : { value: param.default };
  const notes = param.generations;
  if (!notes || !("keras2Default" in notes)) return own ?? "required";
  const keras2 = { value: notes.keras2Default as PyValue };
  if (keras === 2) return keras2;
  if (keras === 3) return own ?? "required";
  return own && pyRepr(own.value) === pyRepr(keras2.value) ? own : "differs";
}

/** The warning for a difference met while the generation is unknown (LL206), placed on `argument`. */
export function differs(detail: string, argument: string | undefined, consequence = ""): Problem {
  return { id: "generationDiffers", ...(argument ? { argument } : {}), values: { detail, consequence } };
}

/** The error for something the generation the file is read as does not have (LL127). */
export function notIn(keras: KerasGeneration, detail: string, argument?: string): Problem {
  return { id: "notInGeneration", ...(argument ? { argument } : {}), values: { detail, generation: GENERATION_NAMES[keras] } };
}

/** Why a value is unknown when it depends on the generation, for hovers. */
export function unknownByGeneration(what: string): PyValue {
  return unresolved(`${what} depends on whether the file is written for tf.keras 2 or Keras 3`);
}

/** `negative_slope is Keras 3's (tf.keras 2 calls it alpha)`: whose keyword it is, for messages. */
export function keywordNote(layer: string, param: ParamDecl): string {
  const notes = param.generations!;
  const owner = GENERATION_NAMES[notes.only!];
  const refuser = notes.refusal ?? (notes.only === 2 ? "Keras 3 refuses it ('Unrecognized keyword arguments')" : "tf.keras 2 refuses it ('Keyword argument not understood')");
  return `${layer}'s \`${param.name}\` is ${owner}'s${notes.note ? ` (${notes.note})` : ""}; ${refuser}`;
}

/** `tf.keras 2 defaults pool_size to (2, 2); Keras 3 requires it`. */
export function defaultNote(layer: string, param: ParamDecl): string {
  const keras2 = pyRepr(param.generations!.keras2Default as PyValue);
  const keras3 = param.default === undefined ? "requires it" : `defaults it to ${pyRepr(param.default)}`;
  return `tf.keras 2's ${layer} defaults \`${param.name}\` to ${keras2}; Keras 3 ${keras3}`;
}

/** A shape value as Keras reads `input_shape` / `batch_input_shape`: non-negative ints or None; undefined otherwise. */
function dims(value: PyValue | undefined): Dim[] | undefined {
  if (value === undefined || value === null || !isSequence(value)) return undefined;
  const out: Dim[] = [];
  for (const item of items(value)) {
    if (item === null) out.push("None");
    else if (isInt(item) && item >= 0) out.push(item);
    else if (isUnresolved(item)) out.push("?");
    else return undefined;
  }
  return out;
}

/** The input a first layer of a Sequential model declares, and the argument that declares it. */
export interface DeclaredInput {
  readonly shape: Shape;
  readonly argument?: string;
}

/**
 * Keras 3 (keras/src/layers/layer.py, models/sequential.py): `input_dim` not None gives `(None, input_dim)`,
 * else `input_shape` gives `(None, *input_shape)`; a non-None `input_dim` beside `input_shape` is refused by the binding.
 */
function keras3Input(binding: Binding): DeclaredInput | undefined {
  const dim = binding.base.get("input_dim");
  if (dim !== undefined && dim !== null) {
    const shape = dims({ tuple: [dim] });
    return shape && { shape: ["None", ...shape], argument: "input_dim" };
  }
  const shape = dims(binding.base.get("input_shape"));
  return shape && { shape: ["None", ...shape], argument: "input_shape" };
}

/**
 * tf.keras 2 (tf_keras/engine/base_layer.py `Layer.__init__`, engine/sequential.py `add`): `batch_input_shape` as given;
 * else `input_shape` (or the one the layer sets itself, Embedding's), else `(input_dim,)`, after `batch_size`.
 */
function keras2Input(spec: LayerSpec, binding: Binding): DeclaredInput | undefined {
  const batchShape = binding.base.get("batch_input_shape");
  if (batchShape !== undefined) {
    const shape = dims(batchShape);
    return shape && { shape, argument: "batch_input_shape" };
  }
  let value = binding.base.get("input_shape");
  let argument = "input_shape";
  if (value === undefined && spec.generations?.keras2InputShape) {
    value = spec.generations.keras2InputShape(binding.args);
    argument = "input_length";
  }
  if (value === undefined && binding.base.has("input_dim")) {
    value = { tuple: [binding.base.get("input_dim")!] };
    argument = "input_dim";
  }
  const shape = dims(value);
  if (!shape) return undefined;
  const size = binding.base.get("batch_size");
  const batch: Dim = size === undefined || size === null ? "None" : isInt(size) && size >= 0 ? size : "?";
  return { shape: [batch, ...shape], argument: size === undefined ? argument : "batch_size" };
}

/**
 * The input a first layer of a Sequential model declares in the generation; when it is unknown and the two
 * disagree, none, with why (a warning, unless the binding already warned about the argument behind it).
 */
export function sequentialInput(spec: LayerSpec, binding: Binding, keras: KerasGeneration | undefined): { input?: DeclaredInput; differs?: Problem | true } {
  if (keras === 3) return { input: keras3Input(binding) };
  if (keras === 2) return { input: keras2Input(spec, binding) };
  const three = keras3Input(binding);
  const two = keras2Input(spec, binding);
  const text = (d: DeclaredInput | undefined) => (d ? formatShape(d.shape) : undefined);
  if (text(three) === text(two)) return { input: three };
  const argument = two?.argument ?? three?.argument;
  if (binding.problems.some((p) => p.id === "generationDiffers" && p.argument === argument)) return { differs: true };
  const say = (d: DeclaredInput | undefined) => (d ? `the input ${text(d)}` : "no input");
  const detail = `as the first layer of a Sequential model, ${spec.name} gives the model ${say(two)} in tf.keras 2 and ${say(three)} in Keras 3`;
  return { differs: differs(detail, argument === "input_length" && !binding.spans.has("input_length") ? undefined : argument, ", so the model's input is unknown") };
}
