/**
 * Binds a call's arguments to a spec's Keras signature, as Python would: positional
 * arguments in order, then keywords, then defaults. Also separates the keywords
 * every Keras layer accepts (name, trainable, input_shape…) from the layer's own.
 */
import { Args } from "./args";
import { ArgIR, Span } from "./ir";
import { LayerSpec, NestedLayer, Problem } from "./spec";
import { findLayer } from "./layers/registry";
import { LayerValue, PyValue, RefValue, isLayerValue, isUnresolved, pyRepr } from "./values";
import {
  GENERATION_NAMES,
  KERAS2_BASE_KEYWORDS,
  KerasGeneration,
  defaultIn,
  defaultNote,
  differs,
  keras2Kwargs,
  keywordNote,
  notIn,
  positionalOrder,
  takesKeyword,
  unknownByGeneration,
} from "./generations";

/**
 * Keywords of Keras 3's base `Layer.__init__` (keras/src/layers/layer.py), accepted by every layer:
 * its own parameters, and the legacy `input_dim` / `input_shape` it pops from `**kwargs` (kept for
 * Sequential, which makes an InputLayer of the first layer's). Any other keyword left in `**kwargs`
 * raises 'Unrecognized keyword arguments': Keras 3 no longer honours `batch_input_shape`, `batch_size`
 * or `weights` there.
 */
export const BASE_KEYWORDS: readonly string[] = ["activity_regularizer", "trainable", "dtype", "autocast", "name", "input_shape", "input_dim"];

/**
 * The base-layer keywords a layer passes on to `Layer.__init__`: those its own signature does not
 * declare. A parameter of the layer's own shadows the base keyword of the same name (Embedding's
 * `input_dim` is its vocabulary size, not the legacy input width), so base keywords are only ever read
 * through a binding's `base`. tf.keras 2's base layer takes a few more (`KERAS2_BASE_KEYWORDS`);
 * when the generation is unknown, either generation's.
 */
export function baseKeywords(spec: LayerSpec, keras?: KerasGeneration): string[] {
  if (spec.isInput) return [];
  const keras3 = spec.closedKeywords ? [] : BASE_KEYWORDS;
  const keras2 = spec.closedKeywords && !keras2Kwargs(spec) ? [] : [...BASE_KEYWORDS, ...KERAS2_BASE_KEYWORDS];
  const names = keras === 3 ? keras3 : keras2;
  return names.filter((k) => !spec.params.some((p) => p.name === k));
}

/**
 * A model given where a layer is expected (`TimeDistributed(frame_model)`), by its id in the program:
 * the analyzer supplies it (specs are pure and never see the program). Undefined when it cannot be followed.
 */
export type ModelResolver = (model: number) => NestedLayer | undefined;

export interface Binding {
  readonly args: Args;
  /** Problems found while binding (unknown keyword, missing argument…). */
  readonly problems: Problem[];
  /** Span of each argument the user wrote, by parameter name. */
  readonly spans: ReadonlyMap<string, Span>;
  /** Base-layer keywords the user wrote (never one the layer's own signature declares: see `baseKeywords`). */
  readonly base: ReadonlyMap<string, PyValue>;
  /** Arguments unknown only because tf.keras 2 and Keras 3 read them differently (already warned about, LL206). */
  readonly generational: ReadonlySet<string>;
}

/**
 * Binds a call to the spec as the Keras generation `keras` reads it (see generations.ts); undefined: the file does not
 * say, and where the generations read the call differently the binding warns and leaves what differs unknown.
 */
export function bindArguments(spec: LayerSpec, callArgs: readonly ArgIR[], models?: ModelResolver, keras?: KerasGeneration): Binding {
  const values = new Map<string, PyValue>();
  const spans = new Map<string, Span>();
  const base = new Map<string, PyValue>();
  const problems: Problem[] = [];
  const generational = new Set<string>();
  const unknown = (name: string, what: string) => {
    values.set(name, unknownByGeneration(what));
    generational.add(name);
  };
  const positional = callArgs.filter((a) => a.name === undefined);

  // A layer only one generation has.
  const only = spec.generations?.only;
  if (only !== undefined && keras !== only) {
    const missing = only === 2 ? `Keras 3 has no layer ${spec.name} (\`keras.layers.${spec.name}\` raises AttributeError)` : `tf.keras 2 has no layer ${spec.name}`;
    problems.push(keras === undefined ? differs(`${spec.name} is ${GENERATION_NAMES[only]}'s only; ${missing}`, undefined, ", so what it gives is unknown") : notIn(keras, missing));
  }

  const order = positionalOrder(spec, keras);
  if (positional.length > order.length && !spec.openPositional) {
    problems.push({
      id: "tooManyPositional",
      values: { layer: spec.name, max: order.length, count: positional.length },
    });
  }
  // Unknown generation: a position tf.keras 2 gives another parameter leaves both unknown.
  const keras2Order = keras === undefined ? positionalOrder(spec, 2) : undefined;
  positional.slice(0, order.length).forEach((arg, i) => {
    const name = order[i];
    spans.set(name, arg.span);
    const other = keras2Order?.[i];
    if (!keras2Order || other === name) {
      values.set(name, arg.value);
      return;
    }
    const there = other === undefined ? "takes no such argument" : `binds it to \`${other}\``;
    problems.push(differs(`${spec.name}'s positional argument ${i + 1} is \`${name}\` in Keras 3; tf.keras 2 ${there}`, name, ", so both are unknown"));
    unknown(name, `positional argument ${i + 1}`);
    if (other !== undefined && spec.params.some((p) => p.name === other)) unknown(other, `positional argument ${i + 1}`);
  });

  const accepted = baseKeywords(spec, keras);
  const keras3Base = keras === undefined ? baseKeywords(spec, 3) : accepted;
  for (const arg of callArgs) {
    if (arg.name === undefined) continue;
    spans.set(arg.name, arg.span);
    const param = spec.params.find((p) => p.name === arg.name);
    if (param && !takesKeyword(param, keras)) {
      // The generation the file is read as has no such keyword: Keras 3 or tf.keras 2 raises.
      problems.push(keras === 3 ? { id: "unknownKeyword", argument: arg.name, values: { layer: spec.name, name: arg.name } } : notIn(2, keywordNote(spec.name, param), arg.name));
    } else if (param) {
      values.set(arg.name, arg.value);
      const notes = param.generations;
      if (keras === undefined && notes?.only !== undefined) {
        const shapes = !!notes.shapes && (param.default === undefined || pyRepr(arg.value) !== pyRepr(param.default));
        problems.push(differs(keywordNote(spec.name, param), arg.name, shapes ? ", so what depends on it is unknown" : ""));
        if (shapes) unknown(arg.name, `\`${arg.name}\``);
      }
    } else if (accepted.includes(arg.name)) {
      base.set(arg.name, arg.value);
      if (!keras3Base.includes(arg.name)) {
        const refusal = spec.closedKeywords ? `Keras 3's ${spec.name} takes no base-layer keywords (TypeError)` : `Keras 3 refuses it ('Unrecognized keyword arguments passed to ${spec.name}')`;
        problems.push(differs(`\`${arg.name}\` is a tf.keras 2 base-layer keyword; ${refusal}`, arg.name));
      }
    } else if (!spec.openKeywords) {
      problems.push({ id: "unknownKeyword", argument: arg.name, values: { layer: spec.name, name: arg.name } });
    }
  }

  // Layer.__init__ pops input_shape only when input_dim is None: beside an input_dim it stays in **kwargs (Keras 3);
  // tf.keras 2 takes input_shape over input_dim.
  const dim = base.get("input_dim");
  if (dim !== undefined && dim !== null && !isUnresolved(dim) && base.has("input_shape") && keras !== 2) {
    problems.push(
      keras === 3
        ? { id: "unknownKeyword", argument: "input_shape", values: { layer: spec.name, name: "input_shape" } }
        : differs(`beside input_dim, tf.keras 2 reads input_shape and Keras 3 refuses it ('Unrecognized keyword arguments passed to ${spec.name}')`, "input_shape"),
    );
  }

  for (const param of spec.params) {
    if (values.has(param.name)) continue;
    const fallback = defaultIn(param, keras);
    if (fallback === "required") problems.push({ id: "missingArgument", values: { layer: spec.name, name: param.name } });
    else if (fallback === "differs") {
      problems.push(differs(defaultNote(spec.name, param), undefined, ", so what depends on it is unknown"));
      unknown(param.name, `\`${param.name}\` left to its default`);
    } else values.set(param.name, fallback.value);
  }

  const resolve = (value: LayerValue | RefValue) => (isLayerValue(value) ? nestedLayer(value, models, keras) : models?.(value.id));
  return { args: new Args(spec.name, values, new Set(spans.keys()), resolve, keras), problems, spans, base, generational };
}

function nestedLayer(value: LayerValue, models: ModelResolver | undefined, keras: KerasGeneration | undefined): NestedLayer | undefined {
  const spec = findLayer(value.layer.kind);
  if (!spec) return undefined;
  const unresolved = new Map<string, string>();
  return {
    spec,
    unresolved,
    infer(input) {
      const binding = bindArguments(spec, value.layer.args, models, keras);
      const result = spec.infer(binding.args, input);
      for (const [name, reason] of binding.args.unresolved) unresolved.set(name, reason);
      const frozen = binding.base.get("trainable") === false;
      const weights = frozen ? result.weights.map((w) => ({ ...w, trainable: false })) : result.weights;
      return { ...result, weights, problems: [...binding.problems, ...result.problems] };
    },
    cost(input) {
      if (!spec.cost) return { note: `the cost of ${spec.name} is not counted` };
      const binding = bindArguments(spec, value.layer.args, models, keras);
      const result = spec.infer(binding.args, input);
      return spec.cost({ args: binding.args, input, output: result.output, weights: result.weights });
    },
  };
}
