/**
 * Binds a call's arguments to a spec's Keras signature, as Python would: positional
 * arguments in order, then keywords, then defaults. Also separates the keywords
 * every Keras layer accepts (name, trainable, input_shape…) from the layer's own.
 */
import { Args } from "./args";
import { ArgIR, Span } from "./ir";
import { LayerSpec, NestedLayer, Problem } from "./spec";
import { findLayer } from "./layers/registry";
import { LayerValue, PyValue } from "./values";

/** Keywords of Keras's base `Layer.__init__`, accepted by every layer. */
const BASE_KEYWORDS = ["activity_regularizer", "trainable", "dtype", "autocast", "name", "input_shape", "input_dim"];

export interface Binding {
  readonly args: Args;
  /** Problems found while binding (unknown keyword, missing argument…). */
  readonly problems: Problem[];
  /** Span of each argument the user wrote, by parameter name. */
  readonly spans: ReadonlyMap<string, Span>;
  /** Base-layer keywords the user wrote. */
  readonly base: ReadonlyMap<string, PyValue>;
}

export function bindArguments(spec: LayerSpec, callArgs: readonly ArgIR[]): Binding {
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

  for (const arg of callArgs) {
    if (arg.name === undefined) continue;
    if (spec.params.some((p) => p.name === arg.name)) {
      values.set(arg.name, arg.value);
      spans.set(arg.name, arg.span);
    } else if (!spec.isInput && BASE_KEYWORDS.includes(arg.name)) {
      base.set(arg.name, arg.value);
      spans.set(arg.name, arg.span);
    } else if (spec.openKeywords) {
      spans.set(arg.name, arg.span);
    } else {
      spans.set(arg.name, arg.span);
      problems.push({ id: "unknownKeyword", argument: arg.name, values: { layer: spec.name, name: arg.name } });
    }
  }

  for (const param of spec.params) {
    if (values.has(param.name)) continue;
    if (param.default === undefined) {
      problems.push({ id: "missingArgument", values: { layer: spec.name, name: param.name } });
    } else values.set(param.name, param.default);
  }

  return { args: new Args(spec.name, values, new Set(spans.keys()), nestedLayer), problems, spans, base };
}

function nestedLayer(value: LayerValue): NestedLayer | undefined {
  const spec = findLayer(value.layer.kind);
  if (!spec) return undefined;
  const unresolved = new Map<string, string>();
  return {
    spec,
    unresolved,
    infer(input) {
      const binding = bindArguments(spec, value.layer.args);
      const result = spec.infer(binding.args, input);
      for (const [name, reason] of binding.args.unresolved) unresolved.set(name, reason);
      const frozen = binding.base.get("trainable") === false;
      const weights = frozen ? result.weights.map((w) => ({ ...w, trainable: false })) : result.weights;
      return { ...result, weights, problems: [...binding.problems, ...result.problems] };
    },
  };
}
