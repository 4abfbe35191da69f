/**
 * Follows shapes through a Sequential model: binds each layer's arguments, runs
 * its spec on the incoming shape, and turns spec problems into positioned
 * diagnostics. Pure: model description in, analysis out.
 */
import { bindArguments } from "./bind";
import { DiagnosticId, Diagnostics, Severity, formatMessage } from "./diagnostics";
import { ElementIR, LayerCallIR, SequentialIR, Span } from "./ir";
import { findLayer } from "./layers/registry";
import { shapeFromValue } from "./layers/core";
import { Args } from "./args";
import { Shape, formatShape, isKnown } from "./shape";
import { Formula, LayerSpec, Problem, Weight } from "./spec";
import { PyValue } from "./values";

export interface RelatedInfo {
  readonly span: Span;
  readonly message: string;
}

export interface EngineDiagnostic {
  readonly code: string;
  readonly id: DiagnosticId;
  readonly severity: Severity;
  readonly message: string;
  readonly span: Span;
  readonly related: readonly RelatedInfo[];
}

export interface LayerAnalysis {
  readonly element: ElementIR;
  readonly spec?: LayerSpec;
  readonly input?: Shape;
  readonly output?: Shape;
  readonly weights: readonly Weight[];
  /** Undefined when some weight's size is unknown. */
  readonly params?: bigint;
  readonly formulas: readonly Formula[];
}

export interface ParamTotals {
  readonly total?: bigint;
  readonly trainable?: bigint;
  readonly nonTrainable?: bigint;
}

export interface ModelAnalysis {
  readonly model: SequentialIR;
  readonly input?: Shape;
  readonly layers: readonly LayerAnalysis[];
  readonly totals: ParamTotals;
  readonly diagnostics: readonly EngineDiagnostic[];
}

/** Where the model's input shape came from, for messages placed on it. */
interface InputSource {
  readonly shape: Shape;
  readonly span: Span;
}

function diagnostic(id: DiagnosticId, values: Record<string, string | number>, span: Span, related: RelatedInfo[] = []): EngineDiagnostic {
  const def = Diagnostics[id];
  return { code: def.code, id, severity: def.severity, message: formatMessage(def.message, values), span, related };
}

function sumWeights(weights: readonly Weight[], keep: (w: Weight) => boolean): bigint | undefined {
  let sum = 0n;
  for (const w of weights.filter(keep)) {
    if (w.count === undefined) return undefined;
    sum += w.count;
  }
  return sum;
}

function hasUnknownDim(shape: Shape | undefined): boolean {
  return !shape || shape.some((d) => d === "?");
}

/** A layer call's `input_shape=` / `input_dim=`, which makes Sequential create an InputLayer. */
function declaredInput(call: LayerCallIR, spec: LayerSpec): InputSource | undefined {
  const dim = call.args.find((a) => a.name === "input_dim");
  const shapeArg = call.args.find((a) => a.name === "input_shape");
  const args = new Args(spec.name, new Map());
  if (dim) {
    const shape = shapeFromValue(args, "input_dim", { tuple: [dim.value] });
    return shape ? { shape: ["None", ...shape], span: dim.span } : undefined;
  }
  if (shapeArg) {
    const shape = shapeFromValue(args, "input_shape", shapeArg.value);
    return shape ? { shape: ["None", ...shape], span: shapeArg.span } : undefined;
  }
  return undefined;
}

function buildInput(build: { value: PyValue; span: Span }): InputSource | undefined {
  const shape = shapeFromValue(new Args("build", new Map()), "input_shape", build.value);
  return shape ? { shape, span: build.span } : undefined;
}

/**
 * The dimension history behind a non-positive size: which earlier layers shrank
 * `axis` and by how much, newest last.
 */
function shrinkHistory(previous: readonly LayerAnalysis[], axis: number, rank: number): { text: string; related: RelatedInfo[] } {
  const steps: LayerAnalysis[] = [];
  for (let i = previous.length - 1; i >= 0; i--) {
    const layer = previous[i];
    if (!layer.input || !layer.output || layer.input.length !== rank || layer.output.length !== rank) break;
    if (layer.input[axis] !== layer.output[axis]) steps.unshift(layer);
  }
  if (!steps.length) return { text: "", related: [] };
  const describe = (l: LayerAnalysis) => `${l.spec?.name} (${l.input![axis]} → ${l.output![axis]})`;
  return {
    text: ` It was ${steps[0].input![axis]} at the model input and shrunk by ${steps.map(describe).join(", ")}.`,
    related: steps.map((l) => ({ span: l.element.span, message: `${describe(l)}` })),
  };
}

/** Warns when a channels_last spatial layer meets an input that looks like (C, H, W). */
function channelsFirstCheck(spec: LayerSpec, args: Args, source: InputSource | undefined, input: Shape): EngineDiagnostic | undefined {
  if (!source || !spec.spatialRank || input !== source.shape) return undefined;
  if (args.raw("data_format") !== null && args.raw("data_format") !== "channels_last") return undefined;
  const dims = input.slice(1);
  if (dims.length !== spec.spatialRank + 1 || !dims.every(isKnown)) return undefined;
  const first = dims[0] as number;
  const last = dims[dims.length - 1] as number;
  if (first > 4 || last <= 4 || (dims.slice(1) as number[]).some((d) => d <= 4)) return undefined;
  const suggestion = `(${[...dims.slice(1), first].join(", ")})`;
  return diagnostic(
    "channelsFirstInput",
    { shape: formatShape(dims, { batch: true }), channels: first, layer: spec.name, last, suggestion },
    source.span,
  );
}

interface LayerStep {
  readonly analysis: LayerAnalysis;
  readonly diagnostics: EngineDiagnostic[];
}

function placeProblem(problem: Problem, call: LayerCallIR, spans: ReadonlyMap<string, Span>, previous: readonly LayerAnalysis[], input: Shape | undefined): EngineDiagnostic {
  const span = (problem.argument && spans.get(problem.argument)) || call.calleeSpan;
  if (problem.id === "nonPositiveDimension" && problem.axis !== undefined && input) {
    const history = shrinkHistory(previous, problem.axis, input.length);
    return diagnostic(problem.id, { ...problem.values, history: history.text }, span, history.related);
  }
  return diagnostic(problem.id, problem.values, span);
}

function analyzeLayer(call: LayerCallIR, spec: LayerSpec, input: Shape | undefined, previous: readonly LayerAnalysis[], source: InputSource | undefined): LayerStep {
  const binding = bindArguments(spec, call.args);
  const result = spec.infer(binding.args, spec.isInput ? undefined : input);
  const frozen = binding.base.get("trainable") === false;
  const weights = frozen ? result.weights.map((w) => ({ ...w, trainable: false })) : result.weights;
  const problems = [...binding.problems, ...result.problems];
  const diagnostics = problems.map((p) => placeProblem(p, call, binding.spans, previous, input));
  if (input && !spec.isInput) {
    const warning = channelsFirstCheck(spec, binding.args, source, input);
    if (warning) diagnostics.push(warning);
  }

  const hasError = diagnostics.some((d) => d.severity === "error");
  const params = sumWeights(weights, () => true);
  const becameUnknown = (hasUnknownDim(result.output) && (spec.isInput || !hasUnknownDim(input))) || params === undefined;
  if (!hasError && becameUnknown && binding.args.unresolved.size) {
    const [name, reason] = [...binding.args.unresolved][0];
    diagnostics.push(
      diagnostic("shapeUnknown", { reason: `${name} is not known statically (${reason})` }, binding.spans.get(name) ?? call.calleeSpan),
    );
  }
  return {
    analysis: { element: call, spec, input, output: result.output, weights, params, formulas: result.formulas },
    diagnostics,
  };
}

export function analyzeSequential(model: SequentialIR): ModelAnalysis {
  const diagnostics: EngineDiagnostic[] = [];
  const layers: LayerAnalysis[] = [];
  const first = model.elements[0];
  const firstSpec = first?.type === "layer" ? findLayer(first.kind) : undefined;
  let source: InputSource | undefined =
    first?.type === "layer" && firstSpec && !firstSpec.isInput ? declaredInput(first, firstSpec) : undefined;
  if (!source && model.build) source = buildInput(model.build);
  let current: Shape | undefined = source?.shape;
  let unknownReported = false;

  for (const [i, element] of model.elements.entries()) {
    const spec = element.type === "layer" ? findLayer(element.kind) : undefined;
    if (element.type === "opaque" || !spec) {
      const unsupported = element.type === "layer";
      if (unsupported || !element.incomplete) diagnostics.push(
        unsupported
          ? diagnostic("unsupportedLayer", { layer: element.kind }, element.calleeSpan)
          : diagnostic("shapeUnknown", { reason: `\`${element.text}\` is not a Keras layer call Layer Lens can follow` }, element.span),
      );
      unknownReported = true;
      layers.push({ element, input: current, weights: [], formulas: [] });
      current = undefined;
      continue;
    }
    if (!current && !spec.isInput && !unknownReported && i === 0) {
      diagnostics.push(
        diagnostic(
          "shapeUnknown",
          { reason: "the model has no input shape; start it with keras.Input(shape=...) or call model.build(...)" },
          model.calleeSpan,
        ),
      );
      unknownReported = true;
    }
    const step = analyzeLayer(element, spec, current, layers, source);
    if (spec.isInput && step.analysis.output) source = { shape: step.analysis.output, span: element.span };
    diagnostics.push(...step.diagnostics);
    layers.push(step.analysis);
    current = step.analysis.output;
  }

  const allWeights = layers.flatMap((l) => l.weights);
  const unknownLayer = layers.some((l) => l.element.type === "opaque" || !l.spec);
  const totals: ParamTotals = unknownLayer
    ? {}
    : {
        total: sumWeights(allWeights, () => true),
        trainable: sumWeights(allWeights, (w) => w.trainable),
        nonTrainable: sumWeights(allWeights, (w) => !w.trainable),
      };
  return { model, input: source?.shape, layers, totals, diagnostics };
}
