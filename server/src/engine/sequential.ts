/**
 * One layer call analysed on its input (its arguments bound, its spec run, its problems placed), and a
 * Sequential model followed layer by layer from its own input or the tensor it is called on.
 */
import { ModelResolver, bindArguments } from "./bind";
import { KerasGeneration, sequentialInput } from "./generations";
import { keptResult } from "./compact";
import { LayerCallIR, ModelElementIR, SequentialIR, Span } from "./ir";
import { findLayer } from "./layers/registry";
import { shapeFromValue } from "./layers/core";
import { Args } from "./args";
import { Shape, formatShape, isKnown } from "./shape";
import { LayerSpec, Problem, Weight } from "./spec";
import { PyValue } from "./values";
import { EngineDiagnostic, LayerAnalysis, ModelAnalysis, RelatedInfo, diagnostic } from "./results";
import { sumWeights, totalsOf, includes } from "./totals";

/** Where the model's input shape came from, for messages placed on it. */
export interface InputSource {
  readonly shape: Shape;
  readonly span: Span;
}

function hasUnknownDim(shape: Shape | undefined): boolean {
  return !shape || shape.some((d) => d === "?");
}

/**
 * A first layer's legacy `input_dim=` / `input_shape=`, from which Sequential makes an InputLayer
 * (keras/src/models/sequential.py `add`). They are base-layer keywords, read from the binding's `base`
 * only: a parameter of the layer's own with that name (Embedding's `input_dim`) is not one. As in
 * `Layer.__init__`, an input_dim that is not None wins and input_shape is read only otherwise.
 * tf.keras 2 reads them its own way (and `batch_input_shape`, `batch_size`, Embedding's `input_length`):
 * see `sequentialInput`. `unknown`: the generations disagree and the file does not say which it is for.
 */
function declaredInput(call: LayerCallIR, spec: LayerSpec, keras: KerasGeneration | undefined): { source?: InputSource; unknown?: EngineDiagnostic | true } {
  const binding = bindArguments(spec, call.args, undefined, keras);
  const { input, differs } = sequentialInput(spec, binding, keras);
  const at = (argument: string | undefined) => (argument && binding.spans.get(argument)) || call.calleeSpan;
  if (differs) return { unknown: differs === true ? true : diagnostic(differs.id, differs.values, at(differs.argument)) };
  return input ? { source: { shape: input.shape, span: at(input.argument) } } : {};
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

export interface LayerStep {
  readonly analysis: LayerAnalysis;
  readonly diagnostics: EngineDiagnostic[];
}

function placeProblem(problem: Problem, call: LayerCallIR, spans: ReadonlyMap<string, Span>, previous: readonly LayerAnalysis[], input: Shape | undefined): EngineDiagnostic {
  const span = (problem.argument && spans.get(problem.argument)) || call.calleeSpan;
  if ((problem.id === "nonPositiveDimension" || problem.id === "torchOutputTooSmall") && problem.axis !== undefined && input) {
    const history = shrinkHistory(previous, problem.axis, input.length);
    return diagnostic(problem.id, { ...problem.values, history: history.text }, span, history.related);
  }
  // A size that does not match the input's (`actual`): where that input was made.
  const producer = "actual" in problem.values ? previous[previous.length - 1] : undefined;
  const related = producer?.output ? [{ span: producer.element.span, message: `The input ${formatShape(producer.output)} comes from here.` }] : [];
  return diagnostic(problem.id, problem.values, span, related);
}

export function analyzeLayer(
  call: LayerCallIR,
  spec: LayerSpec,
  input: Shape | undefined,
  previous: readonly LayerAnalysis[],
  source: InputSource | undefined,
  models?: ModelResolver,
  keras?: KerasGeneration,
): LayerStep {
  const binding = bindArguments(spec, call.args, models, keras);
  const result = keptResult(spec.infer(binding.args, spec.isInput ? undefined : input));
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
  // Shapes become unknown here only if they were known before: after an unknown input (a layer
  // refused or not followed upstream, which said so) another message would only repeat it.
  const inputKnown = spec.isInput || input !== undefined;
  const becameUnknown = inputKnown && ((hasUnknownDim(result.output) && (spec.isInput || !hasUnknownDim(input))) || params === undefined);
  // (An argument unknown only because the generations differ has its warning already.)
  const unresolved = [...binding.args.unresolved].filter(([name]) => !binding.generational.has(name));
  if (!hasError && becameUnknown && unresolved.length) {
    const [name, reason] = unresolved[0];
    diagnostics.push(
      diagnostic("shapeUnknown", { reason: `${name} is not known statically (${reason})` }, binding.spans.get(name) ?? call.calleeSpan),
    );
  }
  return {
    analysis: { element: call, spec, input, output: result.output, ...(result.extraOutputs ? { extraOutputs: result.extraOutputs } : {}), weights, params, formulas: result.formulas, ...(hasError ? { refused: true } : {}) },
    diagnostics,
  };
}

/** What a layer passes on: nothing from a layer Keras refuses to build. */
export function flowing(layer: LayerAnalysis): Shape | undefined {
  return layer.refused ? undefined : layer.output;
}

/** Follows a Sequential model layer by layer, from its own input or from `input` when it is called on a tensor. */
export function analyzeSequential(model: SequentialIR, options: SequentialOptions = {}): ModelAnalysis {
  const diagnostics: EngineDiagnostic[] = [];
  const layers: LayerAnalysis[] = [];
  const first = model.elements[0];
  const firstSpec = first?.type === "layer" ? findLayer(first.kind) : undefined;
  const declared = first?.type === "layer" && firstSpec && !firstSpec.isInput ? declaredInput(first, firstSpec, options.keras) : undefined;
  let source: InputSource | undefined = declared?.source;
  if (!source && model.build) source = buildInput(model.build);
  if (!source && options.input) source = { shape: options.input, span: model.calleeSpan };
  // (Where the generations disagree on what the first layer declares, only a model left without an input says so.)
  if (!source && declared?.unknown && declared.unknown !== true) diagnostics.push(declared.unknown);
  let current: Shape | undefined = source?.shape;
  let unknownReported = !!declared?.unknown && !source;
  // After a layer Keras refuses to build, Keras stops: nothing after it has a shape, and the error says why.
  let refused = false;
  const models = options.resolveModel && modelsAsLayers(options.resolveModel);

  for (const [i, element] of model.elements.entries()) {
    if (element.type === "model") {
      const nested = options.resolveModel?.(element.model, current);
      const analysis = modelCallAnalysis(element, current, nested);
      layers.push(refused ? { ...analysis, output: undefined } : analysis);
      if (!nested && !refused) {
        diagnostics.push(diagnostic("shapeUnknown", { reason: `the model \`${element.text}\` cannot be followed here` }, element.span));
        unknownReported = true;
      }
      current = refused ? undefined : nested?.output;
      continue;
    }
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
    const step = analyzeLayer(element, spec, current, layers, source, models, options.keras);
    if (spec.isInput && step.analysis.output && !refused) source = { shape: step.analysis.output, span: element.span };
    diagnostics.push(...step.diagnostics);
    layers.push(refused ? { ...step.analysis, output: undefined } : step.analysis);
    refused ||= !!step.analysis.refused;
    current = refused ? undefined : step.analysis.output;
  }

  const unknownLayer = layers.find((l) => l.element.type === "opaque" || (l.element.type === "layer" && !l.spec));
  const uncounted = unknownLayer && (unknownLayer.element.type === "layer" ? unknownLayer.element.kind : unknownLayer.element.type === "opaque" ? unknownLayer.element.text : undefined);
  return { model, ...(options.keras ? { keras: options.keras } : {}), input: source?.shape, layers, totals: totalsOf(layers.map((l) => l.weights), uncounted && includes(uncounted)), diagnostics };
}

export interface SequentialOptions {
  /** The shape of the tensor a Sequential model without an input of its own is called on. */
  readonly input?: Shape;
  /** A nested model's result on an input shape. */
  readonly resolveModel?: (model: number, input: Shape | undefined) => ModelCall | undefined;
  /** The Keras generation the program is read as (`ProgramIR.keras`). */
  readonly keras?: KerasGeneration;
}

/**
 * Models given where a layer is expected (`TimeDistributed(frame_model)`) as nested layers: each runs
 * on the input its wrapper gives it, through `resolve`, with all its weights. One that cannot be
 * followed, or that returns several tensors, gives an unknown output and says why.
 */
export function modelsAsLayers(resolve: NonNullable<SequentialOptions["resolveModel"]>): ModelResolver {
  return (id) => {
    const unresolved = new Map<string, string>();
    return {
      unresolved,
      // A model's cost is its layers' (footprint.ts), which a wrapper around it does not reach.
      cost: () => ({ note: "the cost of a model used inside a wrapper is not counted" }),
      infer(input) {
        const nested = resolve(id, input);
        const unknown: Weight = { name: "model", trainable: true };
        if (!nested) {
          unresolved.set("output", "it cannot be followed here");
          return { weights: [unknown], formulas: [], problems: [] };
        }
        const extra = nested.extraOutputs?.length ?? 0;
        if (extra) unresolved.set("output", `it returns ${extra + 1} tensors`);
        const counted = nested.params !== undefined || nested.weights.some((w) => w.count === undefined);
        return { output: extra ? undefined : nested.output, weights: counted ? nested.weights : [...nested.weights, unknown], formulas: [], problems: [] };
      },
    };
  };
}

/** A model used as a layer: its output on the input it gets, and all its weights. */
export interface ModelCall {
  readonly output?: Shape;
  readonly extraOutputs?: readonly (Shape | undefined)[];
  readonly weights: readonly Weight[];
  /** Undefined when some layer of it cannot be counted. */
  readonly params?: bigint;
  /** Its layer calls, which a call of it runs again (its cost). */
  readonly layers?: readonly LayerAnalysis[];
}

export function modelCallAnalysis(element: ModelElementIR, input: Shape | undefined, nested: ModelCall | undefined): LayerAnalysis {
  return { element, input, output: nested?.output, weights: nested?.weights ?? [], params: nested?.params, formulas: [], ...(nested?.layers ? { inner: nested.layers } : {}) };
}
