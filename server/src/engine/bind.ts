/**
 * Binds a call's arguments to a spec's Keras signature, as Python would: positional
 * arguments in order, then keywords, then defaults. Also separates the keywords
 * every Keras layer accepts (name, trainable, input_shape…) from the layer's own.
 */
import { Args } from "./args";
import { ArgIR, Span } from "./ir";
import { LayerSpec, NestedLayer, Problem } from "./spec";
import { findLayer } from "./layers/registry";
import { LayerValue, PyValue, RefValue, isLayerValue, isUnresolved } from "./values";

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
 * through a binding's `base`.
 */
export function baseKeywords(spec: LayerSpec): string[] {
  return spec.isInput || spec.closedKeywords ? [] : BASE_KEYWORDS.filter((k) => !spec.params.some((p) => p.name === k));
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
}

export function bindArguments(spec: LayerSpec, callArgs: readonly ArgIR[], models?: ModelResolver): Binding {
  const values = new Map<string, PyValue>();
  const spans = new Map<string, Span>();
  const base = new Map<string, PyValue>();
  const problems: Problem[] = [];
  const positional = callArgs.filter((a) => a.name === undefined);

  if (positional.length > spec.params.length) {
    problems.push({
      id: "tooManyPositional",
      values: { layer: spec.name, max: spec.params.length, count: positional.length },
    });
  }
  positional.slice(0, spec.params.length).forEach((arg, i) => {
    values.set(spec.params[i].name, arg.value);
    spans.set(spec.params[i].name, arg.span);
  });

  const accepted = baseKeywords(spec);
  for (const arg of callArgs) {
    if (arg.name === undefined) continue;
    if (spec.params.some((p) => p.name === arg.name)) {
      values.set(arg.name, arg.value);
      spans.set(arg.name, arg.span);
    } else if (accepted.includes(arg.name)) {
      base.set(arg.name, arg.value);
      spans.set(arg.name, arg.span);
    } else if (spec.openKeywords) {
      spans.set(arg.name, arg.span);
    } else {
      spans.set(arg.name, arg.span);
      problems.push({ id: "unknownKeyword", argument: arg.name, values: { layer: spec.name, name: arg.name } });
    }
  }

  // Layer.__init__ pops input_shape only when input_dim is None: beside an input_dim it stays in **kwargs.
  const dim = base.get("input_dim");
  if (dim !== undefined && dim !== null && !isUnresolved(dim) && base.has("input_shape")) {
    problems.push({ id: "unknownKeyword", argument: "input_shape", values: { layer: spec.name, name: "input_shape" } });
  }

  for (const param of spec.params) {
    if (values.has(param.name)) continue;
    if (param.default === undefined) {
      problems.push({ id: "missingArgument", values: { layer: spec.name, name: param.name } });
    } else values.set(param.name, param.default);
  }

  const resolve = (value: LayerValue | RefValue) => (isLayerValue(value) ? nestedLayer(value, models) : models?.(value.id));
  return { args: new Args(spec.name, values, new Set(spans.keys()), resolve), problems, spans, base };
}

function nestedLayer(value: LayerValue, models: ModelResolver | undefined): NestedLayer | undefined {
  const spec = findLayer(value.layer.kind);
  if (!spec) return undefined;
  const unresolved = new Map<string, string>();
  return {
    spec,
    unresolved,
    infer(input) {
      const binding = bindArguments(spec, value.layer.args, models);
      const result = spec.infer(binding.args, input);
      for (const [name, reason] of binding.args.unresolved) unresolved.set(name, reason);
      const frozen = binding.base.get("trainable") === false;
      const weights = frozen ? result.weights.map((w) => ({ ...w, trainable: false })) : result.weights;
      return { ...result, weights, problems: [...binding.problems, ...result.problems] };
    },
  };
}
