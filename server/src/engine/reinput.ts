/**
 * "What if the input were …?": runs an analysed model's layer specs again on
 * another input shape, without touching the source. The layers are the ones the
 * analysis found, with their arguments as written; only the shapes flowing
 * through them change. Pure.
 */
import { EngineDiagnostic, LayerAnalysis, ModelAnalysis, ParamTotals } from "./analyze";
import { bindArguments } from "./bind";
import { keptResult } from "./compact";
import { Diagnostics, formatMessage } from "./diagnostics";
import { Dim, NONE, Shape } from "./shape";
import { Weight } from "./spec";

/** The largest dimension accepted from the user, as for literals in the source (2^31 − 1). */
const MAX_DIM = 2 ** 31 - 1;

/**
 * Parses a per-sample shape as written for `keras.Input(shape=…)`, without the
 * batch dimension: `(32, 32, 1)`, `32, 32, 1`, `[None, 128]`, `(10,)`.
 */
export function parseShapeText(text: string): { shape: Dim[] } | { error: string } {
  const body = text.trim().replace(/^[([]\s*(.*?)\s*[)\]]$/s, "$1").replace(/,\s*$/, "");
  if (!body) return { error: "Type a shape such as (32, 32, 1): the dimensions of one sample, without the batch." };
  const dims: Dim[] = [];
  for (const part of body.split(",").map((p) => p.trim())) {
    if (part === "None") dims.push(NONE);
    else if (/^\d+$/.test(part) && Number(part) >= 1 && Number(part) <= MAX_DIM) dims.push(Number(part));
    else return { error: `'${part}' is not a dimension: use positive integers or None, e.g. (32, 32, 1).` };
  }
  return { shape: dims };
}

function sum(weights: readonly Weight[]): bigint | undefined {
  return weights.every((w) => w.count !== undefined) ? weights.reduce((a, w) => a + (w.count ?? 0n), 0n) : undefined;
}


/**
 * `model` analysed again with `sample` (the per-sample shape) as its input; the
 * batch dimension stays what the model declared. Undefined when the model is not
 * a chain of single-input layers, the only form whose re-run is certain.
 */
export function withInput(model: ModelAnalysis, sample: readonly Dim[]): ModelAnalysis | undefined {
  // Each layer receives the very shape object its predecessor produced (nothing after a layer Keras refuses).
  const passed = (l: LayerAnalysis) => (l.refused ? undefined : l.output);
  const isChain = model.layers.every((l, i) => !l.spec?.multiInput && (i === 0 || passed(model.layers[i - 1]) === l.input));
  if (!isChain || model.layers.slice(1).some((l) => l.spec?.isInput)) return undefined;
  const input: Shape = [model.input?.[0] ?? model.layers[0]?.output?.[0] ?? NONE, ...sample];
  const layers: LayerAnalysis[] = [];
  const diagnostics: EngineDiagnostic[] = [];
  let current: Shape | undefined = input;
  let refused = false;
  for (const layer of model.layers) {
    const { element, spec } = layer;
    if (spec?.isInput) {
      layers.push({ ...layer, output: input });
      continue;
    }
    if (element.type !== "layer" || !spec) {
      layers.push({ ...layer, input: current, output: undefined });
      current = undefined;
      continue;
    }
    const binding = bindArguments(spec, element.args, undefined, model.keras);
    const result = keptResult(spec.infer(binding.args, current));
    const frozen = binding.base.get("trainable") === false;
    const weights = frozen ? result.weights.map((w) => ({ ...w, trainable: false })) : result.weights;
    const problems = [...binding.problems, ...result.problems];
    for (const problem of problems) {
      const def = Diagnostics[problem.id];
      const span = (problem.argument && binding.spans.get(problem.argument)) || element.calleeSpan;
      const message = formatMessage(def.message, { history: "", ...problem.values });
      diagnostics.push({ code: def.code, id: problem.id, severity: def.severity, message, span, related: [] });
    }
    // As in the analysis: after a layer Keras refuses to build, nothing has a shape.
    const error = problems.some((p) => Diagnostics[p.id].severity === "error");
    layers.push({ element, spec, input: current, output: result.output, weights, params: sum(weights), formulas: result.formulas, sharedWith: layer.sharedWith, ...(error ? { refused: true } : {}) });
    refused ||= error;
    current = refused ? undefined : result.output;
  }
  // A layer instance called again (shared weights) counts once, as in the analysis.
  const all = layers.filter((l) => !l.sharedWith).flatMap((l) => l.weights);
  const followed = layers.every((l) => l.spec);
  const totals: ParamTotals = followed
    ? { total: sum(all), trainable: sum(all.filter((w) => w.trainable)), nonTrainable: sum(all.filter((w) => !w.trainable)) }
    : {};
  return { ...model, input, layers, totals, diagnostics };
}
