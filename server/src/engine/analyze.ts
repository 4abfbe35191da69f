/**
 * Follows shapes through a program: every layer call in the order the program
 * runs it (shared layers built on their first call), Sequential models layer by
 * layer, functional and subclassed models as the calls between their inputs and
 * outputs, each layer's weights counted once. Binds each layer's arguments, runs
 * its spec on the incoming shapes, and turns spec problems into positioned
 * diagnostics. Pure: program description in, analysis out.
 */
import { Binding, ModelResolver, bindArguments } from "./bind";
import { keptResult } from "./compact";
import {
  ArgIR,
  BlockIR,
  CallIR,
  ElementIR,
  GraphModelIR,
  LayerCallIR,
  ModelElementIR,
  ModelIR,
  OpaqueCallee,
  OpaqueIR,
  ProgramIR,
  Span,
  TensorIR,
} from "./ir";
import { findFunctionalForm, findLayer } from "./layers/registry";
import { Dim, Shape, formatShape, isKnown, openOf } from "./shape";
import { LayerSpec, MultiInput, ParamDecl, Weight } from "./spec";
import { PyValue, isFloat, isInt, isRef, isSequence, isUnresolved, items, pyRepr } from "./values";
import { EngineDiagnostic, LayerAnalysis, ModelAnalysis, ProgramAnalysis, BlockAnalysis, diagnostic, ParamTotals, isModuleRow, hintedHere } from "./results";
import { sumWeights, totalsOf, frozenModel, includes } from "./totals";
import { keepRun, keptRun, runKey } from "./libraryRuns";
import { batchLayoutChecker } from "./batchLayout";
import { Replacement, heldTotals, tiedShapeMismatch, withTiedWeights, withWeightNorm } from "./replacedWeights";
import {
  InputSource,
  ModelCall,
  analyzeLayer,
  analyzeSequential,
  flowing,
  modelCallAnalysis,
  modelsAsLayers,
  LayerStep,
} from "./sequential";

export type { AnalysisPiece, BlockAnalysis, EngineDiagnostic, LayerAnalysis, ModelAnalysis, ParamTotals, ProgramAnalysis, RelatedInfo } from "./results";
export { piecewise, summaryLayers, within } from "./results";
export { analyzeSequential } from "./sequential";
export type { ModelCall, SequentialOptions } from "./sequential";

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
function splitTensors(multi: MultiInput, written: readonly ArgIR[]): BoundTensors {
  const aliases = multi.keywordAliases;
  const args = aliases ? written.map((a) => (a.name !== undefined && aliases[a.name] ? { ...a, name: aliases[a.name] } : a)) : written;
  if (multi.form === "list") {
    const list = positional(args)[0] ?? args.find((a) => a.name === "inputs");
    const values = list && isSequence(list.value) ? items(list.value) : [list?.value];
    return { tensors: values, spans: values.map(() => list?.span), rest: args.filter((a) => a !== list) };
  }
  const names = multi.tensors ?? [];
  const tensors: (PyValue | undefined)[] = [];
  const spans: (Span | undefined)[] = [];
  const rest: ArgIR[] = [];
  // Positional options before the tensors (`MultiInput.leading`) go with the rest.
  let leading = multi.leading ?? 0;
  let position = 0;
  for (const arg of args) {
    const slot = arg.name !== undefined ? names.indexOf(arg.name) : leading > 0 ? (leading--, -1) : position < names.length ? position++ : -1;
    // `lstm(x, None)`: None for a tensor that may be left out is leaving it out.
    if (slot >= multi.min && arg.value === null) continue;
    if (slot < 0) rest.push(arg);
    else {
      tensors[slot] = arg.value;
      spans[slot] = arg.span;
    }
  }
  return { tensors, spans, rest: multi.varargs ? packVarargs(multi.varargs, rest) : rest };
}

/**
 * PyTorch's `*size`: the positional arguments left after the tensors become the one parameter `name`, as a tuple
 * spanning them all; a single tuple or list (`x.view((8, -1))`), or a single value not known, is passed as it is.
 */
function packVarargs(name: string, rest: readonly ArgIR[]): ArgIR[] {
  const packed = positional(rest);
  if (!packed.length || (packed.length === 1 && (isSequence(packed[0].value) || isUnresolved(packed[0].value)))) return [...rest];
  const span = { start: packed[0].span.start, end: packed[packed.length - 1].span.end };
  return [{ name, value: { tuple: packed.map((a) => a.value) }, span }, ...rest.filter((a) => a.name !== undefined)];
}

/** A Python number or bool, which PyTorch wraps as a 0-dim tensor where one is expected (`MultiInput.scalars`). */
function isNumber(value: PyValue | undefined): boolean {
  return typeof value === "number" || typeof value === "boolean" || isFloat(value);
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
  /** The calls made inside a library's model (a nested model's call included): rows of it, with no hint of their own. */
  private readonly libraryRows = new WeakSet<LayerAnalysis>();
  /** The calls made by code of another module of the project: rows of what it builds, shown by the call that ran it. */
  private readonly importedRows = new WeakSet<LayerAnalysis>();

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
    const policy = this.program.dtypePolicy;
    const split = (m: ModelAnalysis): ModelAnalysis => (this.program.trainableUnknown ? { ...m, totals: { ...m.totals, trainable: undefined, nonTrainable: undefined } } : m);
    const models = this.program.models.map((_, i) => {
      const model = split(this.model(i));
      return policy ? { ...model, dtypePolicy: policy } : model;
    });
    const sequentialLayers = models.filter((m) => !isGraphModel(m.model)).flatMap((m) => m.layers);
    // A `keras.Input(...)` written in a Sequential list is analysed as part of it.
    const inSequential = new Set(sequentialLayers.map((l) => l.element));
    // A backbone's own layers are rows of its model only: the line that builds it is hinted by the model.
    const own = (l: LayerAnalysis) => !this.libraryRows.has(l) && !this.importedRows.has(l) && hintedHere(l);
    const calls = [
      ...this.sources.flatMap((s) => (s && !inSequential.has(s.analysis.element) ? [s.analysis] : [])),
      ...this.results.map((r) => r.analysis),
      ...sequentialLayers,
    ].filter(own);
    const firstByKey = new Map<string, number>();
    this.results.forEach((r, i) => firstByKey.has(r.key) || firstByKey.set(r.key, i));
    const blocks = this.program.blocks.flatMap((b) => (b.imported ? [] : [this.block(b, firstByKey)]));
    const seen = new Set<string>();
    // Seen from a module another file imports, only what the module's own code made speaks.
    const hidden = this.program.shownOnly;
    const diagnostics = [
      ...this.sources.flatMap((s) => (s && !inSequential.has(s.analysis.element) && !(hidden && s.analysis.element.imported) ? s.diagnostics : [])),
      ...this.results.flatMap((r) => (hidden && this.importedRows.has(r.analysis) ? [] : r.diagnostics)),
      ...models.flatMap((m) => (hidden && m.model.imported ? [] : m.diagnostics)),
      ...this.neverCalled(),
      ...(this.program.notes ?? []).map((n) => diagnostic(n.id, n.values, n.span)),
    ].filter((d) => {
      const key = `${d.code}:${d.span.start}:${d.span.end}:${d.message}`;
      return !seen.has(key) && !!seen.add(key);
    });
    const context = { ...(this.program.keras ? { keras: this.program.keras } : {}), ...(policy ? { dtypePolicy: policy } : {}) };
    const fileModels = models.filter((m) => !m.model.within && !m.model.imported);
    return { ...context, models: fileModels.sort((a, b) => a.model.span.start - b.model.span.start), calls, blocks, diagnostics };
  }

  /**
   * What PyTorch refuses in the constructor of a module never called (one given to another, like the layer of an
   * `nn.TransformerEncoder`, or of a model never run): PyTorch raises where it is made, whatever follows.
   */
  private neverCalled(): EngineDiagnostic[] {
    return this.program.layers.flatMap((object, id) => {
      const spec = object.call.constructed && !this.firstCall.has(id) && !(this.program.shownOnly && object.call.imported) ? findLayer(object.call.kind) : undefined;
      if (!spec || spec.multiInput) return [];
      return analyzeLayer(object.call, spec, undefined, [], undefined, this.models, this.program.keras).diagnostics.filter((d) => d.severity === "error");
    });
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
    const element: LayerCallIR = { type: "layer", kind: tensor.text, args: [], span: tensor.span, calleeSpan: tensor.span, ...(tensor.library ? { library: tensor.library } : {}), ...(tensor.imported ? { imported: tensor.imported } : {}) };
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

  /**
   * A backbone's own layers speak only when Keras would refuse to build them: their advice (Dense on a rank-4
   * input in ConvNeXt) is about Keras's code, not the user's.
   */
  private call(call: CallIR, index: number): CallResult {
    const made = this.callOf(call, index);
    // A call made by another module's code says so on its element too, as the rows it is in are read by span.
    const result = call.imported && !made.analysis.element.imported ? { ...made, analysis: { ...made.analysis, element: { ...made.analysis.element, imported: call.imported } } } : made;
    if (call.imported) this.importedRows.add(result.analysis);
    const element = result.analysis.element;
    const library = call.library ?? (element.type === "layer" ? element.library : undefined);
    if (!library) return result;
    const { inModel, ...rest } = result;
    const analysis = element.type === "layer" && !element.library ? { ...result.analysis, element: { ...element, library } } : result.analysis;
    this.libraryRows.add(analysis);
    return { ...rest, analysis, diagnostics: result.diagnostics.filter((d) => d.severity === "error") };
  }

  private callOf(call: CallIR, index: number): CallResult {
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
    const run = runKey(object.call, [input], this.program.keras);
    const step = keptRun(run, object.call) ?? analyzeLayer(object.call, spec, input, this.lineage(inputArg?.value), this.inputSource(inputArg?.value), this.models, this.program.keras);
    keepRun(run, step);
    const diagnostics = step.diagnostics.filter((d) => d.id !== "multipleOutputs");
    if (first) diagnostics.push(...this.batchLayout(object.call, input, () => this.lineage(inputArg?.value)));
    diagnostics.push(...this.opaqueInputDiagnostic(isUnresolved(inputArg?.value) ? opaque : undefined, inputArg?.span, call));
    const own = withWeightNorm(object.call, step.analysis);
    if (first) this.specWeights.set(id, own.weights);
    const retied = tiedShapeMismatch(object.call, own.weights, this.replacement);
    if (retied && first) diagnostics.push(retied);
    const weights = withTiedWeights(object.call, own.weights, this.replacement);
    const tied = weights === own.weights ? {} : { weights, params: sumWeights(weights, () => true) };
    const analysis: LayerAnalysis = { ...own, ...tied, element, sharedWith, ...(blocked || retied ? { output: undefined, extraOutputs: undefined } : {}) };
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
    // A number where PyTorch takes a tensor is a 0-dim one (None for an optional tensor is left out: `splitTensors`).
    const scalar = split.tensors.map((t) => !!multi.scalars && isNumber(t));
    const inputs = split.tensors.map((t, i) => (after[i] ? undefined : scalar[i] ? [] : this.shapeOf(t)));
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
    if (site && !sharedWith) diagnostics.push(...this.batchLayout(site, inputs[0], () => this.lineage(split.tensors[0])));
    const opaque = split.tensors.map((t, i) => (scalar[i] ? undefined : notTensor(t))).find((r) => r !== undefined);
    const unresolvedAt = split.tensors.findIndex((t) => isUnresolved(t));
    // A tensor function on data (`ops.sum(x_train)`) builds nothing: worth a word only inside a model.
    const function_ = key.startsWith("op:");
    const output = blocked ? undefined : result.output;
    // (A shape known whatever that tensor is, a loss's reduced 0-dim one, leaves nothing unknown from here.)
    const [notFollowed] = unresolvedAt >= 0 && output === undefined ? this.opaqueInputDiagnostic(opaque, split.spans[unresolvedAt], call) : [];
    if (notFollowed && !function_) diagnostics.push(notFollowed);
    const refused = diagnostics.some((d) => d.severity === "error");
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
      ...(nested?.params === undefined ? { uncounted: `the parameters of the nested model \`${element.text}\` cannot all be counted` } : {}),
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
      return { output: outputs[0], extraOutputs: outputs.slice(1), weights, params: analysis.totals.total, layers: analysis.layers };
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
    // A traced PyTorch forward's calls are all the model's, whether they reach its outputs or not.
    for (const call of model.ran ?? []) reached.add(call);
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
    const own = this.program.models.indexOf(model);
    const callOrder = [...reached].sort((a, b) => a - b);
    const rows = model.torch ? this.torchRows(own, callOrder, 1, new Set()) : this.customRows(model, [...sources].sort((a, b) => a - b), callOrder);
    return {
      model,
      ...(this.program.keras ? { keras: this.program.keras } : {}),
      input: firstInput,
      layers: [...inputLayers.map((s) => s.analysis), ...calls.map((r) => r.analysis)],
      ...(rows ? { rows } : {}),
      totals: model.held ? this.heldTotals(model.held) : totalsOf([...inputLayers.map((s) => s.analysis.weights), ...[...counted.values()].map((r) => r.analysis.weights)], uncounted),
      diagnostics: [...diagnostics, ...inputLayers.flatMap((s) => s.diagnostics), ...calls.flatMap((r) => (r.inModel ? [...r.diagnostics, r.inModel] : r.diagnostics))],
    };
  }

  /**
   * A PyTorch model's totals: every module and `nn.Parameter` it holds, as `model.parameters()` counts them, whether
   * its `forward` ran them, could be followed to the end or not. A module's weights come from its constructor's
   * arguments (its first call's result, for a lazy module that sizes them from its input).
   */
  private heldTotals(held: NonNullable<GraphModelIR["held"]>): ParamTotals {
    return heldTotals({
      held,
      layer: (id) => this.moduleWeights(id),
      tied: (id) => this.program.layers[id].call.tied ?? [],
      variable: (id) => this.sources[id]?.analysis.weights ?? [],
    });
  }

  private readonly batchLayout = batchLayoutChecker();

  /** A PyTorch module's weights as its arguments make them, by module, from its first call (whose own are tied). */
  private readonly specWeights = new Map<number, readonly Weight[]>();

  /** A module's weights from its constructor's arguments (its first call's, for a lazy module), before any is tied. */
  private moduleWeights(id: number): { weights?: readonly Weight[]; uncounted?: string } {
    const call = this.program.layers[id].call;
    const spec = findLayer(call.kind);
    const first = this.firstCall.get(id);
    const called = this.specWeights.get(id) ?? (first !== undefined ? this.results[first].analysis.weights : undefined);
    const weights = called ?? (spec && !spec.multiInput ? withWeightNorm(call, analyzeLayer(call, spec, undefined, [], undefined, this.models, this.program.keras).analysis).weights : undefined);
    if (!weights || sumWeights(weights, () => true) === undefined) return { weights, uncounted: spec ? `${call.kind}'s parameters cannot be determined statically` : includes(call.kind) };
    return { weights };
  }

  /** The weight a tied one holds: another module's (as its arguments make it) or an `nn.Parameter`'s. */
  private readonly replacement: Replacement = (to) => ("variable" in to ? this.sources[to.variable]?.analysis.weights[0] : this.moduleWeights(to.layer).weights?.find((w) => w.name === to.weight));

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

  /**
   * A PyTorch model's rows as torchinfo lists them: each module that ran, in order, and each module of modules (a
   * Sequential, a module of the user's) as a container row before what it ran, one level deeper; the functions
   * between modules are not rows. `calls` are the calls under the current parent, `open` the blocks above it.
   */
  private torchRows(own: number, calls: readonly number[], level: number, open: ReadonlySet<number>): LayerAnalysis[] {
    const inside = new Set(calls);
    const children = this.program.blocks.flatMap((b, i) =>
      b.layer && b.layer.model !== own && !open.has(i) && b.calls.length && b.calls.length < calls.length + (level > 1 ? 0 : 1) && b.calls.every((c) => inside.has(c)) ? [i] : [],
    );
    // Each call belongs to the outermost child block that made it.
    children.sort((a, b) => this.program.blocks[b].calls.length - this.program.blocks[a].calls.length);
    const ownerOf = new Map<number, number>();
    for (const b of children) for (const call of this.program.blocks[b].calls) if (!ownerOf.has(call)) ownerOf.set(call, b);
    const rows: LayerAnalysis[] = [];
    const shown = new Set<number>();
    let index = 0;
    for (const call of calls) {
      const b = ownerOf.get(call);
      if (b === undefined) {
        const analysis = this.results[call].analysis;
        if (isModuleRow(analysis)) rows.push({ ...analysis, depth: { level, index: ++index } });
      } else if (!shown.has(b)) {
        shown.add(b);
        const block = this.program.blocks[b];
        const row = this.customRow(block, undefined);
        rows.push({ ...row, weights: [], params: undefined, depth: { level, index: ++index, container: true } });
        rows.push(...this.torchRows(own, block.calls, level + 1, new Set([...open, b])));
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
