/**
 * Follows shapes through a program: every layer call in the order the program
 * runs it (shared layers built on their first call), Sequential models layer by
 * layer, functional and subclassed models as the calls between their inputs and
 * outputs, each layer's weights counted once. Binds each layer's arguments, runs
 * its spec on the incoming shapes, and turns spec problems into positioned
 * diagnostics. Pure: program description in, analysis out.
 */
import { Binding, ModelResolver, bindArguments } from "./bind";
import { KerasGeneration, sequentialInput } from "./generations";
import { keptResult } from "./compact";
import { DiagnosticId, Diagnostics, Severity, formatMessage } from "./diagnostics";
import { ArgIR, BlockIR, CallIR, ElementIR, GraphModelIR, LayerCallIR, ModelElementIR, ModelIR, OpaqueCallee, OpaqueIR, ProgramIR, SequentialIR, Span, TensorIR } from "./ir";
import { findFunctionalForm, findLayer } from "./layers/registry";
import { shapeFromValue } from "./layers/core";
import { Args } from "./args";
import { Dim, Shape, formatShape, isKnown, openOf } from "./shape";
import { Formula, LayerSpec, MultiInput, ParamDecl, Problem, Weight } from "./spec";
import { PyValue, isInt, isRef, isSequence, isUnresolved, items, pyRepr } from "./values";

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
  /** Every input shape of a call on several tensors (merge, attention, tf.nn ops). */
  readonly inputs?: readonly (Shape | undefined)[];
  readonly output?: Shape;
  /** Further outputs of a call that returns a tuple (attention scores). */
  readonly extraOutputs?: readonly (Shape | undefined)[];
  readonly weights: readonly Weight[];
  /** Undefined when some weight's size is unknown. */
  readonly params?: bigint;
  readonly formulas: readonly Formula[];
  /** For a later call of a layer instance: its first call, where its weights are created (and counted). */
  readonly sharedWith?: Span;
  /** For a custom layer's row in a model's summary: the calls it made inside. */
  readonly inner?: readonly LayerAnalysis[];
  /** For TensorFlow tensors without a batch axis (a `tf.Variable`): the shape prints whole. */
  readonly unbatched?: boolean;
  /**
   * Keras refuses to build this layer (it has an error diagnostic). `output` is still what it would
   * make, for its own hint, but nothing flows on from it: what follows is unknown, not wrong.
   */
  readonly refused?: boolean;
}

export interface ParamTotals {
  readonly total?: bigint;
  readonly trainable?: bigint;
  readonly nonTrainable?: bigint;
  /** When the total is unknown: the parameters of the layers that could be counted, a lower bound. */
  readonly known?: bigint;
  /** When the total is unknown: why, naming the first thing that could not be counted. */
  readonly unknownBecause?: string;
}

export interface ModelAnalysis {
  readonly model: ModelIR;
  /** The Keras generation the model was read as (the program's): 2, 3, or absent when not known. */
  readonly keras?: KerasGeneration;
  readonly input?: Shape;
  readonly layers: readonly LayerAnalysis[];
  /**
   * The rows of its summary when they are not its layer calls one by one: a custom layer's calls (and its
   * `add_weight` variables) as one row, as Keras lists it; see `summaryLayers`.
   */
  readonly rows?: readonly LayerAnalysis[];
  readonly totals: ParamTotals;
  readonly diagnostics: readonly EngineDiagnostic[];
}

/**
 * The layers a model's summary lists, one row each as Keras lists them: a custom layer is one row whatever it
 * calls inside, and a layer or nested model called again (shared weights) is listed at its first call only,
 * unless `everyCall` asks for every call (each later one marked by its `sharedWith`).
 */
export function summaryLayers(model: ModelAnalysis, everyCall = false): readonly LayerAnalysis[] {
  const rows = model.rows ?? model.layers;
  return everyCall ? rows : rows.filter((l) => !l.sharedWith);
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

function analyzeLayer(
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
function flowing(layer: LayerAnalysis): Shape | undefined {
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
function modelsAsLayers(resolve: NonNullable<SequentialOptions["resolveModel"]>): ModelResolver {
  return (id) => {
    const unresolved = new Map<string, string>();
    return {
      unresolved,
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
}

/**
 * A model's totals from its layers' weights. `uncounted` names something in the model whose weights are not
 * known at all (a layer Layer Lens does not model); then, as when some weight's size is unknown, the total
 * is unknown and what could be counted is kept as a lower bound, never shown as the total.
 */
function totalsOf(weightGroups: readonly (readonly Weight[])[], uncounted?: string): ParamTotals {
  const all = weightGroups.flat();
  const total = uncounted === undefined ? sumWeights(all, () => true) : undefined;
  if (total !== undefined) return { total, trainable: sumWeights(all, (w) => w.trainable), nonTrainable: sumWeights(all, (w) => !w.trainable) };
  // Whole layers only: a layer whose kernel is unknown but whose bias is known adds nothing.
  const known = weightGroups.reduce((sum, group) => sum + (sumWeights(group, () => true) ?? 0n), 0n);
  return { known, unknownBecause: uncounted ?? "some layer's parameters depend on a dimension that cannot be known statically" };
}

/** A model set `trainable = False`: all its parameters are non-trainable, as `model.summary()` then counts them. */
function frozenModel(analysis: ModelAnalysis): ModelAnalysis {
  const { total } = analysis.totals;
  if (!analysis.model.frozen || total === undefined) return analysis;
  return { ...analysis, totals: { ...analysis.totals, trainable: 0n, nonTrainable: total } };
}

/** Why a model's weights cannot all be counted: it includes `what`. */
function includes(what: string): string {
  return `it includes \`${what}\`, which Layer Lens does not model`;
}

function modelCallAnalysis(element: ModelElementIR, input: Shape | undefined, nested: ModelCall | undefined): LayerAnalysis {
  return { element, input, output: nested?.output, weights: nested?.weights ?? [], params: nested?.params, formulas: [] };
}

/** One run of a helper function (or a custom layer's `call`) at its call site. */
export interface BlockAnalysis {
  readonly block: BlockIR;
  /** The shapes of the tensors it returned, in order. */
  readonly outputs: readonly (Shape | undefined)[];
  /** The weights of the layers it created. */
  readonly weights: readonly Weight[];
  /** Undefined when some of those weights cannot be sized. */
  readonly params?: bigint;
  /** The calls it made. */
  readonly calls: readonly LayerAnalysis[];
}

export interface ProgramAnalysis {
  readonly models: readonly ModelAnalysis[];
  /** Every layer call, Input and TensorFlow tensor followed, models or not: where hints and hovers come from. */
  readonly calls: readonly LayerAnalysis[];
  readonly blocks: readonly BlockAnalysis[];
  /** All diagnostics, each once. */
  readonly diagnostics: readonly EngineDiagnostic[];
  /**
   * The same analysis cut into consecutive stretches of the text, each holding everything that
   * sits in it, when the producer knows them (the incremental front end does): see `within`.
   */
  readonly pieces?: readonly AnalysisPiece[];
}

/** A stretch of the text and the analysis of everything in it. */
export type AnalysisPiece = { readonly span: Span; readonly analysis: ProgramAnalysis };

/**
 * The part of an analysis that can hold anything at offsets in [from, to]: the pieces that
 * reach that range (all of it when the analysis is not in pieces). A request for the visible
 * lines of a long file then looks at those lines' surroundings only.
 */
export function within(analysis: ProgramAnalysis, from: number, to: number): ProgramAnalysis {
  const pieces = analysis.pieces;
  if (!pieces) return analysis;
  let low = 0;
  let high = pieces.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (pieces[mid].span.end < from) low = mid + 1;
    else high = mid;
  }
  let end = low;
  while (end < pieces.length && pieces[end].span.start <= to) end++;
  return end - low === 1 ? pieces[low].analysis : piecewise(pieces.slice(low, end));
}

/**
 * Analyses of consecutive stretches of a text as one, in order. The whole-document lists are
 * joined when first asked for: readers that go piece by piece (`within`, hints) never need them.
 */
export function piecewise(pieces: readonly AnalysisPiece[]): ProgramAnalysis {
  let joined: ProgramAnalysis | undefined;
  const join = (): ProgramAnalysis => (joined ??= joinAnalyses(pieces.map((p) => p.analysis)));
  return {
    pieces,
    get models() {
      return join().models;
    },
    get calls() {
      return join().calls;
    },
    get blocks() {
      return join().blocks;
    },
    get diagnostics() {
      return join().diagnostics;
    },
  };
}

function joinAnalyses(analyses: readonly ProgramAnalysis[]): ProgramAnalysis {
  const joined = { models: [] as ModelAnalysis[], calls: [] as LayerAnalysis[], blocks: [] as BlockAnalysis[], diagnostics: [] as EngineDiagnostic[] };
  for (const analysis of analyses) {
    for (const model of analysis.models) joined.models.push(model);
    for (const call of analysis.calls) joined.calls.push(call);
    for (const block of analysis.blocks) joined.blocks.push(block);
    for (const diagnostic of analysis.diagnostics) joined.diagnostics.push(diagnostic);
  }
  return joined;
}

/** What a layer instance, model or op call made of its inputs. */
interface CallResult {
  readonly analysis: LayerAnalysis;
  readonly outputs: readonly (Shape | undefined)[];
  readonly diagnostics: readonly EngineDiagnostic[];
  /** Identity of what was called, so shared layers are counted once: `layer:3`, `model:1`, `op:7`. */
  readonly key: string;
  /** The tensors it consumed. */
  readonly inputTensors: readonly number[];
  /** Why its input is not a tensor Layer Lens followed, if it is not. */
  readonly opaqueInput?: string;
  /** False when the callee's weights cannot be known (a layer Layer Lens does not model). */
  readonly countable: boolean;
  /** Why its weights cannot be counted, when they cannot (for the model's totals). */
  readonly uncounted?: string;
  /** A message for the models it belongs to only (an unknown call is worth a word only where it matters). */
  readonly inModel?: EngineDiagnostic;
}

export function isGraphModel(model: ModelIR): model is GraphModelIR {
  return model.kind === "functional" || model.kind === "subclassed";
}

function tensorRefs(value: PyValue | undefined, out: number[] = []): number[] {
  if (isRef(value, "tensor")) out.push(value.id);
  else if (isSequence(value)) for (const item of items(value)) tensorRefs(item, out);
  return out;
}

/** The first non-tensor part of a value meant to hold tensors, with why it is not one. */
function notTensor(value: PyValue | undefined): string | undefined {
  if (value === undefined) return "no tensor was passed";
  if (isRef(value, "tensor")) return undefined;
  if (isUnresolved(value)) return value.unresolved;
  if (isSequence(value)) {
    for (const item of items(value)) {
      const reason = notTensor(item);
      if (reason) return reason;
    }
    return undefined;
  }
  return `${pyRepr(value)} is not a tensor`;
}

function positional(args: readonly ArgIR[]): ArgIR[] {
  return args.filter((a) => a.name === undefined);
}

/** A spec-like signature for binding call-time options (`return_attention_scores=True`), tolerating `training=`, `mask=`. */
function optionsSpec(spec: LayerSpec, params: readonly ParamDecl[]): LayerSpec {
  return { name: spec.name, summary: spec.summary, params, openKeywords: true, infer: spec.infer };
}

interface BoundTensors {
  readonly tensors: readonly (PyValue | undefined)[];
  readonly spans: readonly (Span | undefined)[];
  /** The arguments that are not tensors: call options, or an op's own parameters. */
  readonly rest: readonly ArgIR[];
}

/** Splits a multi-input call's arguments into its tensors (in the spec's order) and the rest. */
function splitTensors(multi: MultiInput, args: readonly ArgIR[]): BoundTensors {
  if (multi.form === "list") {
    const list = positional(args)[0] ?? args.find((a) => a.name === "inputs");
    const values = list && isSequence(list.value) ? items(list.value) : [list?.value];
    return { tensors: values, spans: values.map(() => list?.span), rest: args.filter((a) => a !== list) };
  }
  const names = multi.tensors ?? [];
  const tensors: (PyValue | undefined)[] = [];
  const spans: (Span | undefined)[] = [];
  const rest: ArgIR[] = [];
  let position = 0;
  for (const arg of args) {
    const slot = arg.name === undefined ? (position < names.length ? position++ : -1) : names.indexOf(arg.name);
    if (slot < 0) rest.push(arg);
    else {
      tensors[slot] = arg.value;
      spans[slot] = arg.span;
    }
  }
  return { tensors, spans, rest };
}

/**
 * Analyses a program. Tensors and calls are append-only, so the analyzer can follow a
 * program while the front end is still building it (`tensorShape`, for `x.shape`) and
 * finish it with `run`.
 */
export class ProgramAnalyzer {
  /** Shapes of Input, literal and shaped tensors (outputs come from their call's result). */
  private readonly tensorShapes: (Shape | undefined)[] = [];
  private tensorsSeen = 0;
  /** The analysis behind an Input or literal tensor. */
  private readonly sources: (LayerStep | undefined)[] = [];
  private readonly results: CallResult[] = [];
  private readonly firstCall = new Map<number, number>();
  private readonly modelAnalyses = new Map<number, ModelAnalysis>();

  constructor(private readonly program: ProgramIR) {}

  /** Analyses the tensors and calls added since the last time. */
  private advance(): void {
    if (this.advancing) return;
    this.advancing = true;
    try {
      this.advanceTensorsAndCalls();
    } finally {
      this.advancing = false;
    }
  }

  private advancing = false;

  private advanceTensorsAndCalls(): void {
    for (; this.tensorsSeen < this.program.tensors.length; this.tensorsSeen++) {
      const id = this.tensorsSeen;
      const tensor = this.program.tensors[id];
      if (tensor.type === "input" || tensor.type === "literal") this.source(id, tensor);
      else if (tensor.type === "shaped") this.tensorShapes[id] = literalShape(tensor.shape);
    }
    while (this.results.length < this.program.calls.length) {
      const i = this.results.length;
      this.results.push(this.call(this.program.calls[i], i));
    }
  }

  /** A tensor's shape as far as the program has been built; undefined when unknown. */
  tensorShape(id: number): Shape | undefined {
    this.advance();
    const tensor = this.program.tensors[id];
    if (tensor?.type === "output") return this.results[tensor.call]?.outputs[tensor.index];
    return this.tensorShapes[id];
  }

  /** How many tensors a call returns (more than one: a tuple), as far as the program has been built. */
  outputCount(call: number): number | undefined {
    this.advance();
    return this.results[call]?.outputs.length;
  }

  run(): ProgramAnalysis {
    this.advance();
    const models = this.program.models.map((_, i) => this.model(i));
    const sequentialLayers = models.filter((m) => !isGraphModel(m.model)).flatMap((m) => m.layers);
    // A `keras.Input(...)` written in a Sequential list is analysed as part of it.
    const inSequential = new Set(sequentialLayers.map((l) => l.element));
    const calls = [
      ...this.sources.flatMap((s) => (s && !inSequential.has(s.analysis.element) ? [s.analysis] : [])),
      ...this.results.map((r) => r.analysis),
      ...sequentialLayers,
    ];
    const firstByKey = new Map<string, number>();
    this.results.forEach((r, i) => firstByKey.has(r.key) || firstByKey.set(r.key, i));
    const blocks = this.program.blocks.map((b) => this.block(b, firstByKey));
    const seen = new Set<string>();
    const diagnostics = [
      ...this.sources.flatMap((s) => (s && !inSequential.has(s.analysis.element) ? s.diagnostics : [])),
      ...this.results.flatMap((r) => r.diagnostics),
      ...models.flatMap((m) => m.diagnostics),
    ].filter((d) => {
      const key = `${d.code}:${d.span.start}:${d.span.end}:${d.message}`;
      return !seen.has(key) && !!seen.add(key);
    });
    return { models: [...models].sort((a, b) => a.model.span.start - b.model.span.start), calls, blocks, diagnostics };
  }

  private source(id: number, tensor: Extract<TensorIR, { type: "input" | "literal" }>): void {
    if (tensor.type === "input") {
      const spec = findLayer(tensor.call.kind);
      if (!spec) return;
      const step = analyzeLayer(tensor.call, spec, undefined, [], undefined, undefined, this.program.keras);
      this.sources[id] = step;
      this.tensorShapes[id] = step.analysis.output;
      return;
    }
    const shape = literalShape(tensor.shape);
    const known = shape?.every(isKnown);
    const count = known ? (shape as number[]).reduce((a, d) => a * BigInt(d), 1n) : undefined;
    const weights: Weight[] = tensor.variable ? [{ name: "variable", shape: known ? (shape as number[]) : undefined, count, trainable: tensor.trainable !== false }] : [];
    const element: LayerCallIR = { type: "layer", kind: tensor.text, args: [], span: tensor.span, calleeSpan: tensor.span };
    this.tensorShapes[id] = shape;
    this.sources[id] = {
      analysis: { element, output: shape, weights, params: tensor.variable ? count : undefined, formulas: [], unbatched: tensor.variable || shape?.[0] !== "None" },
      diagnostics: [],
    };
  }

  private shapeOf(value: PyValue | undefined): Shape | undefined {
    return isRef(value, "tensor") ? this.tensorShape(value.id) : undefined;
  }

  /** The single-input layers that led to a tensor, oldest first (for messages about shrinking dimensions). */
  private lineage(value: PyValue | undefined): LayerAnalysis[] {
    const chain: LayerAnalysis[] = [];
    let tensor = isRef(value, "tensor") ? this.program.tensors[value.id] : undefined;
    while (tensor?.type === "output" && chain.length < 64) {
      const result = this.results[tensor.call];
      if (!result || result.inputTensors.length !== 1) break;
      chain.unshift(result.analysis);
      tensor = this.program.tensors[result.inputTensors[0]];
    }
    return chain;
  }

  private inputSource(value: PyValue | undefined): InputSource | undefined {
    if (!isRef(value, "tensor") || this.program.tensors[value.id]?.type !== "input") return undefined;
    const shape = this.tensorShape(value.id);
    const step = this.sources[value.id];
    return shape && step ? { shape, span: step.analysis.element.span } : undefined;
  }

  private call(call: CallIR, index: number): CallResult {
    const callee = call.callee;
    if ("operator" in callee) return this.operatorCall(call, callee.operator, index);
    if ("op" in callee) return this.opCall(call, callee, index);
    if ("opaque" in callee) return this.opaqueCall(call, callee, index);
    if (callee.ref === "model") return this.modelCall(call, callee.id);
    return this.layerCall(call, callee.id);
  }

  /** LL302 on a tensor argument Layer Lens could not follow. */
  private opaqueInputDiagnostic(reason: string | undefined, span: Span | undefined, call: CallIR): EngineDiagnostic[] {
    return reason ? [diagnostic("shapeUnknown", { reason: `the input is not a tensor Layer Lens followed (${reason})` }, span ?? call.span)] : [];
  }

  private layerCall(call: CallIR, id: number): CallResult {
    const object = this.program.layers[id];
    const spec = findLayer(object.call.kind) ?? findFunctionalForm(object.call.kind);
    const first = !this.firstCall.has(id);
    if (first) this.firstCall.set(id, this.results.length);
    const element: LayerCallIR = { ...object.call, span: call.span };
    const key = `layer:${id}`;
    const sharedWith = first ? undefined : this.program.calls[this.firstCall.get(id)!].span;
    if (!spec) {
      const diagnostics = first ? [diagnostic("unsupportedLayer", { layer: object.call.kind }, object.call.calleeSpan)] : [];
      return { analysis: { element, weights: [], formulas: [], sharedWith }, outputs: [], diagnostics, key, inputTensors: tensorRefs(call.args.map((a) => a.value)), countable: false, uncounted: includes(object.call.kind) };
    }
    if (spec.multiInput) {
      const split = splitTensors(spec.multiInput, call.args);
      const binding = bindArguments(spec, object.call.args, this.models, this.program.keras);
      const options = bindArguments(optionsSpec(spec, spec.multiInput.callOptions ?? []), split.rest);
      return this.multiCall(call, element, spec, spec.multiInput, binding, options, split, key, sharedWith);
    }
    const inputArg = positional(call.args)[0] ?? call.args.find((a) => a.name === "inputs");
    const opaque = notTensor(inputArg?.value);
    const blocked = this.afterRefusal(inputArg?.value);
    const input = blocked ? undefined : this.shapeOf(inputArg?.value);
    const step = analyzeLayer(object.call, spec, input, this.lineage(inputArg?.value), this.inputSource(inputArg?.value), this.models, this.program.keras);
    const diagnostics = step.diagnostics.filter((d) => d.id !== "multipleOutputs");
    diagnostics.push(...this.opaqueInputDiagnostic(isUnresolved(inputArg?.value) ? opaque : undefined, inputArg?.span, call));
    const analysis: LayerAnalysis = { ...step.analysis, element, sharedWith, ...(blocked ? { output: undefined } : {}) };
    return {
      analysis,
      // A tuple's further items (an RNN's states with return_state) follow the first.
      outputs: [flowing(analysis), ...(analysis.extraOutputs ?? []).map((o) => (analysis.refused ? undefined : o))],
      diagnostics,
      key,
      // Tensors passed besides the input (`initial_state=[h, c]`, `mask=`) belong to the graph too.
      inputTensors: tensorRefs(call.args.map((a) => a.value)),
      opaqueInput: opaque,
      countable: true,
    };
  }

  /** Models given where a layer is expected (`TimeDistributed(frame_model)`), run on the wrapper's input. */
  private readonly models: ModelResolver = modelsAsLayers((id, input) => this.resolveModel(id, input));

  /** For each call analysed so far: whether a layer Keras refuses lies upstream of it (or is it). */
  private readonly refusedUpstream: boolean[] = [];

  /**
   * Whether a value's tensors come after a layer Keras refuses to build: Keras stops there, so what
   * follows gets no shape, even through a call that would make one of its own (a model with its inputs).
   */
  private afterRefusal(value: PyValue | undefined): boolean {
    const producer = (t: number) => {
      const tensor = this.program.tensors[t];
      return tensor?.type === "output" ? tensor.call : undefined;
    };
    for (let i = this.refusedUpstream.length; i < this.results.length; i++) {
      const result = this.results[i];
      this.refusedUpstream.push(!!result.analysis.refused || result.inputTensors.some((t) => {
        const p = producer(t);
        return p !== undefined && p < i && this.refusedUpstream[p];
      }));
    }
    return tensorRefs(value).some((t) => {
      const p = producer(t);
      return p !== undefined && !!this.refusedUpstream[p];
    });
  }

  private multiCall(call: CallIR, element: ElementIR, spec: LayerSpec, multi: MultiInput, binding: Binding, options: Binding, split: BoundTensors, key: string, sharedWith?: Span): CallResult {
    // A tensor that comes after a layer Keras refuses has no shape; nor has what is made of it.
    const after = split.tensors.map((t) => this.afterRefusal(t));
    const inputs = split.tensors.map((t, i) => (after[i] ? undefined : this.shapeOf(t)));
    const blocked = after.some(Boolean);
    const result = keptResult(multi.infer(binding.args, inputs, options.args));
    const frozen = binding.base.get("trainable") === false;
    const weights = frozen ? result.weights.map((w) => ({ ...w, trainable: false })) : result.weights;
    const spans = new Map([...binding.spans, ...options.spans]);
    const site = element.type === "layer" ? element : undefined;
    const diagnostics = [...binding.problems, ...options.problems, ...result.problems].map((p) => {
      const span = (p.argument && spans.get(p.argument)) || site?.calleeSpan || call.span;
      return diagnostic(p.id, p.values, span);
    });
    const opaque = split.tensors.map(notTensor).find((r) => r !== undefined);
    const unresolvedAt = split.tensors.findIndex((t) => isUnresolved(t));
    // A tensor function on data (`ops.sum(x_train)`) builds nothing: worth a word only inside a model.
    const function_ = key.startsWith("op:");
    const [notFollowed] = unresolvedAt >= 0 ? this.opaqueInputDiagnostic(opaque, split.spans[unresolvedAt], call) : [];
    if (notFollowed && !function_) diagnostics.push(notFollowed);
    const refused = diagnostics.some((d) => d.severity === "error");
    const output = blocked ? undefined : result.output;
    const extraOutputs = blocked ? undefined : result.extraOutputs;
    return {
      analysis: {
        element, spec, input: inputs[0], inputs, output, extraOutputs, weights,
        params: sumWeights(weights, () => true), formulas: result.formulas, sharedWith, ...(refused ? { refused } : {}),
      },
      // Nothing flows on from a call Keras refuses.
      outputs: refused ? [] : [output, ...(extraOutputs ?? [])],
      diagnostics,
      ...(notFollowed && function_ ? { inModel: notFollowed } : {}),
      key,
      inputTensors: [...split.tensors.flatMap((t) => tensorRefs(t)), ...tensorRefs(split.rest.map((a) => a.value))],
      opaqueInput: opaque,
      countable: true,
    };
  }

  /** `x + y` on tensors: NumPy broadcasting of the two shapes (not the Add layer, which aligns ranks after the batch). */
  private operatorCall(call: CallIR, operator: string, index: number): CallResult {
    const [a, b] = call.args.map((arg) => this.shapeOf(arg.value));
    const element: LayerCallIR = { type: "layer", kind: operator, args: [], span: call.span, calleeSpan: call.span };
    const broadcast = a && b ? broadcastShapes(a, b) : undefined;
    const diagnostics =
      a && b && !broadcast
        ? [diagnostic("incompatibleShapes", { layer: `'${operator}'`, requirement: "shapes that broadcast (equal sizes, or 1, axis by axis from the right)", first: formatShape(a), second: formatShape(b) }, call.span)]
        : [];
    return {
      analysis: { element, input: a, inputs: [a, b], output: broadcast, weights: [], params: 0n, formulas: [] },
      outputs: [broadcast],
      diagnostics,
      key: `op:${index}`,
      inputTensors: call.args.flatMap((arg) => tensorRefs(arg.value)),
      opaqueInput: call.args.map((arg) => notTensor(arg.value)).find((r) => r !== undefined),
      countable: true,
    };
  }

  private opCall(call: CallIR, callee: { op: string; calleeSpan: Span }, index: number): CallResult {
    const spec = findLayer(callee.op);
    const element: LayerCallIR = { type: "layer", kind: callee.op, args: call.args, span: call.span, calleeSpan: callee.calleeSpan };
    const key = `op:${index}`;
    if (!spec?.multiInput) {
      return {
        analysis: { element, weights: [], formulas: [] },
        outputs: [],
        diagnostics: [diagnostic("unsupportedLayer", { layer: callee.op }, callee.calleeSpan)],
        key,
        inputTensors: tensorRefs(call.args.map((a) => a.value)),
        countable: false,
      };
    }
    const split = splitTensors(spec.multiInput, call.args);
    const binding = bindArguments(spec, split.rest, undefined, this.program.keras);
    const options = bindArguments(optionsSpec(spec, spec.multiInput.callOptions ?? []), []);
    return this.multiCall(call, element, spec, spec.multiInput, binding, options, split, key);
  }

  /**
   * Something not followed applied to tensors: its output is unknown, its weights too unless it is surely
   * weightless, and the tensors it consumed stay in the graph (the layers before it belong to the model).
   */
  private opaqueCall(call: CallIR, callee: OpaqueCallee, index: number): CallResult {
    const inputTensors = call.args.flatMap((arg) => tensorRefs(arg.value));
    const inputs = inputTensors.map((t) => this.tensorShape(t));
    const element: OpaqueIR = { type: "opaque", text: callee.opaque, span: call.span };
    return {
      analysis: { element, input: inputs[0], inputs, weights: [], params: callee.weightless ? 0n : undefined, formulas: [] },
      outputs: [undefined],
      diagnostics: [],
      inModel: diagnostic("shapeUnknown", { reason: callee.reason }, callee.calleeSpan),
      key: `op:${index}`,
      inputTensors,
      countable: callee.weightless,
      uncounted: callee.weightless ? undefined : includes(callee.opaque),
    };
  }

  private modelCall(call: CallIR, id: number): CallResult {
    const model = this.program.models[id];
    const inputArg = positional(call.args)[0] ?? call.args.find((a) => a.name === "inputs");
    const input = this.shapeOf(inputArg?.value);
    const nested = this.resolveModel(id, input);
    const element: ModelElementIR = { type: "model", model: id, text: model.name ?? "model", span: call.span };
    // A model called again (a siamese network's shared tower) shares its weights with its first call, as a layer does.
    const sharedWith = this.firstModelCall.get(id);
    if (!sharedWith) this.firstModelCall.set(id, call.span);
    return {
      analysis: { ...modelCallAnalysis(element, input, nested), ...(sharedWith ? { sharedWith } : {}) },
      outputs: nested ? [nested.output, ...(nested.extraOutputs ?? [])] : [],
      // A model called on data (`model(x_batch)` after training) builds nothing: not worth a word.
      diagnostics: [],
      key: `model:${id}`,
      inputTensors: tensorRefs(call.args.map((a) => a.value)),
      opaqueInput: notTensor(inputArg?.value),
      countable: nested?.params !== undefined,
      uncounted: `the parameters of the nested model \`${element.text}\` cannot all be counted`,
    };
  }

  /** Where each model was first called as a layer. */
  private readonly firstModelCall = new Map<number, Span>();
  private readonly resolving = new Set<number>();

  /** A model's result as a layer: a Sequential model without an input of its own takes the caller's. */
  private resolveModel = (id: number, input: Shape | undefined): ModelCall | undefined => {
    if (this.resolving.has(id)) return undefined;
    const model = this.program.models[id];
    this.resolving.add(id);
    try {
      let analysis = this.modelAnalyses.get(id);
      if (!analysis) {
        analysis = isGraphModel(model) ? this.graph(model) : analyzeSequential(model, { input, resolveModel: this.resolveModel, keras: this.program.keras });
        this.modelAnalyses.set(id, analysis);
      } else if (!isGraphModel(model) && !analysis.input && input) {
        analysis = analyzeSequential(model, { input, resolveModel: this.resolveModel, keras: this.program.keras });
      }
      analysis = frozenModel(analysis);
      const last = analysis.layers[analysis.layers.length - 1];
      const outputs = isGraphModel(model) ? tensorRefs(model.outputs).map((t) => this.tensorShape(t)) : [last && flowing(last)];
      const weights = analysis.layers.flatMap((l) => (l.sharedWith ? [] : l.weights)).map((w) => (model.frozen ? { ...w, trainable: false } : w));
      return { output: outputs[0], extraOutputs: outputs.slice(1), weights, params: analysis.totals.total };
    } finally {
      this.resolving.delete(id);
    }
  };

  private model(id: number): ModelAnalysis {
    const model = this.program.models[id];
    if (!this.modelAnalyses.has(id)) {
      if (isGraphModel(model)) this.modelAnalyses.set(id, this.graph(model));
      else this.resolveModel(id, undefined);
    }
    return frozenModel(this.modelAnalyses.get(id)!);
  }

  /** A functional or traced subclassed model: the calls between its inputs and outputs, each layer counted once. */
  private graph(model: GraphModelIR): ModelAnalysis {
    const inputs = tensorRefs(model.inputs);
    const outputs = tensorRefs(model.outputs);
    const diagnostics: EngineDiagnostic[] = [];
    const reached = new Set<number>();
    const sources = new Set<number>();
    let unknown = notTensor(model.outputs);
    const stack = [...outputs];
    for (let steps = 0; stack.length && steps < 100_000; steps++) {
      const id = stack.pop()!;
      const tensor = this.program.tensors[id];
      if (inputs.includes(id) || tensor.type === "input") {
        sources.add(id);
        continue;
      }
      // A variable the model uses (a custom layer's `add_weight`) is one of its weights.
      if (tensor.type === "literal" && tensor.variable) sources.add(id);
      if (tensor.type === "literal" || tensor.type === "shaped") continue;
      if (tensor.type === "unknown") {
        unknown ??= tensor.reason;
        continue;
      }
      if (reached.has(tensor.call)) continue;
      reached.add(tensor.call);
      const result = this.results[tensor.call];
      unknown ??= result.opaqueInput;
      stack.push(...result.inputTensors);
    }
    for (const id of inputs) sources.add(id);
    if (model.inputUnknown) {
      diagnostics.push(diagnostic("shapeUnknown", { reason: model.inputUnknown }, model.calleeSpan));
    } else if (unknown && !reached.size) {
      diagnostics.push(diagnostic("shapeUnknown", { reason: `the model's outputs are not tensors Layer Lens followed (${unknown})` }, model.calleeSpan));
    }
    const inputLayers = [...sources].sort((a, b) => a - b).flatMap((id) => (this.sources[id] ? [this.sources[id]!] : []));
    const calls = [...reached].sort((a, b) => a - b).map((i) => this.results[i]);
    const counted = new Map<string, CallResult>();
    for (const result of calls) if (!counted.has(result.key)) counted.set(result.key, result);
    const uncountable = [...counted.values()].find((r) => !r.countable);
    const uncounted = unknown ? `the model reaches a tensor Layer Lens did not follow (${unknown})` : uncountable && (uncountable.uncounted ?? "some layer's parameters cannot be determined statically");
    const firstInput = inputs.length ? this.tensorShape(inputs[0]) : undefined;
    const rows = this.customRows(model, [...sources].sort((a, b) => a - b), [...reached].sort((a, b) => a - b));
    return {
      model,
      ...(this.program.keras ? { keras: this.program.keras } : {}),
      input: firstInput,
      layers: [...inputLayers.map((s) => s.analysis), ...calls.map((r) => r.analysis)],
      ...(rows ? { rows } : {}),
      totals: totalsOf([...inputLayers.map((s) => s.analysis.weights), ...[...counted.values()].map((r) => r.analysis.weights)], uncounted),
      diagnostics: [...diagnostics, ...inputLayers.flatMap((s) => s.diagnostics), ...calls.flatMap((r) => (r.inModel ? [...r.diagnostics, r.inModel] : r.diagnostics))],
    };
  }

  /** For each call and variable made inside a custom layer's call, the outermost such block (see `customRows`). */
  private owners: { calls: Map<number, number>; variables: Map<number, number> } | undefined;

  private customLayerOwners(): { calls: Map<number, number>; variables: Map<number, number> } {
    if (this.owners) return this.owners;
    const owners = { calls: new Map<number, number>(), variables: new Map<number, number>() };
    const layerBlocks = this.program.blocks.flatMap((b, i) => (b.layer ? [i] : []));
    // The outermost first: a custom layer inside another is part of the outer one's row.
    layerBlocks.sort((a, b) => this.program.blocks[b].calls.length - this.program.blocks[a].calls.length);
    for (const b of layerBlocks) {
      for (const call of this.program.blocks[b].calls) if (!owners.calls.has(call)) owners.calls.set(call, b);
      for (const variable of this.program.blocks[b].variables ?? []) if (!owners.variables.has(variable)) owners.variables.set(variable, b);
    }
    return (this.owners = owners);
  }

  /**
   * A graph model's rows as Keras lists them, when it calls custom layers: each custom layer call is one row in
   * place of the calls and variables it made, with their weights (its sub-layers' and its own) and the block's
   * output. A model subclass's own summary still lists what its `call` does. Undefined: the rows are the calls.
   */
  private customRows(model: GraphModelIR, sourceIds: readonly number[], callIndices: readonly number[]): LayerAnalysis[] | undefined {
    const owners = this.customLayerOwners();
    const own = this.program.models.indexOf(model);
    const owner = (b: number | undefined) => (b !== undefined && this.program.blocks[b].layer?.model !== own ? b : undefined);
    if (!callIndices.some((i) => owner(owners.calls.get(i)) !== undefined)) return undefined;
    const rows: LayerAnalysis[] = [];
    for (const id of sourceIds) if (owner(owners.variables.get(id)) === undefined && this.sources[id]) rows.push(this.sources[id]!.analysis);
    const emitted = new Map<number, Span>();
    for (const i of callIndices) {
      const b = owner(owners.calls.get(i));
      if (b === undefined) rows.push(this.results[i].analysis);
      else if (!emitted.has(b)) {
        const block = this.program.blocks[b];
        const first = [...emitted.entries()].find(([other]) => this.program.blocks[other].layer!.object === block.layer!.object);
        emitted.set(b, block.span);
        rows.push(this.customRow(block, first?.[1]));
      }
    }
    return rows;
  }

  /** One row for a custom layer's call: its output, and the weights of what it built (once per layer instance). */
  private customRow(block: BlockIR, sharedWith: Span | undefined): LayerAnalysis {
    const inner = block.calls.map((i) => this.results[i].analysis);
    const built = inner.filter((l) => !l.sharedWith);
    const variables = (block.variables ?? []).flatMap((id) => this.sources[id]?.analysis.weights ?? []);
    const weights = sharedWith ? [] : [...variables, ...built.flatMap((l) => l.weights)];
    const countable = block.calls.every((i) => this.results[i].countable);
    const element: LayerCallIR = { type: "layer", kind: block.layer!.name, args: [], span: block.span, calleeSpan: block.span };
    const output = tensorRefs(block.result).map((t) => this.tensorShape(t))[0];
    return { element, input: inner[0]?.input, output, weights, params: countable ? sumWeights(weights, () => true) : undefined, formulas: [], inner, ...(sharedWith ? { sharedWith } : {}) };
  }

  private block(block: BlockIR, firstByKey: ReadonlyMap<string, number>): BlockAnalysis {
    const built = block.calls.filter((i) => firstByKey.get(this.results[i].key) === i).map((i) => this.results[i]);
    const variables = (block.variables ?? []).flatMap((id) => this.sources[id]?.analysis.weights ?? []);
    const weights = [...variables, ...built.flatMap((r) => r.analysis.weights)];
    const countable = built.every((r) => r.countable);
    return {
      block,
      outputs: tensorRefs(block.result).map((t) => this.tensorShape(t)),
      weights,
      params: countable ? sumWeights(weights, () => true) : undefined,
      calls: block.calls.map((i) => this.results[i].analysis),
    };
  }
}

/**
 * NumPy broadcasting: axes aligned from the right, equal sizes or a 1 stretch; undefined when two known
 * sizes differ and neither is 1. An open size meets a number n > 1 as n (the program only runs if they agree).
 */
function broadcastShapes(a: Shape, b: Shape): Shape | undefined {
  const out: Dim[] = [];
  for (let i = 1; i <= Math.max(a.length, b.length); i++) {
    const x = a.length - i >= 0 ? a[a.length - i] : 1;
    const y = b.length - i >= 0 ? b[b.length - i] : 1;
    if (x === 1) out.unshift(y);
    else if (y === 1 || x === y) out.unshift(x);
    else if (isKnown(x) && isKnown(y)) return undefined;
    else out.unshift(isKnown(x) ? x : isKnown(y) ? y : openOf(x, y));
  }
  return out;
}

/** A literal TensorFlow shape (`[None, 32, 32, 3]`, or `20` for one axis): None stays open, anything unknown is `?`. */
function literalShape(value: PyValue): Shape | undefined {
  if (isInt(value) && value >= 0) return [value];
  if (!isSequence(value)) return undefined;
  return items(value).map((d) => (d === null ? "None" : isInt(d) && d >= 0 ? d : "?"));
}

export function analyzeProgram(program: ProgramIR): ProgramAnalysis {
  return new ProgramAnalyzer(program).run();
}
