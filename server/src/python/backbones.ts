/**
 * `keras.applications` backbones in the user's program. The call's arguments are checked as Keras checks them
 * (`engine/applications.ts`); the architecture's description (Keras-style Python, `libraries/applications/`) is
 * read by this same front end once per configuration (`libraries/applications/build.ts`), and its graph is
 * copied into the program at the call: a functional model whose layers carry Keras's names (for `get_layer`)
 * and are listed in Keras's order (for `base.layers[:n]`), with the call's span as theirs.
 */
import { SyntaxNode } from "@lezer/common";
import { ArgIR, CallIR, GraphModelIR, LayerObjectIR, ModelIR, ProgramIR, Span, TensorIR } from "../engine/ir";
import { PyValue, RefValue, isInt, isRef, isSequence, isUnresolved, items, pyRepr, unresolved } from "../engine/values";
import { ApplicationProblem, applicationInput, inputRulesText, noSuchLayer, sessionNamed } from "../engine/applications";
import { TorchModules } from "./torchModules";
import { GraphBuilder, SequentialBuilder } from "./interpreterState";
import { isGraphModel } from "../engine/analyze";
import { span } from "./syntax";
import { architecture } from "./libraries/applications/catalog";
import { BackboneConfiguration, architectureProgram, backboneModel, bindApplicationArguments } from "./libraries/applications/build";

/** The InputLayer that `model.layers` lists first: it has no weights, so setting its `trainable` changes nothing. */
export const INPUT_LAYER = unresolved("the model's InputLayer");

/** A backbone built in the program: its layers as `model.layers` lists them, and by name. */
interface Backbone {
  readonly architecture: string;
  readonly layers: readonly PyValue[];
  readonly byName: ReadonlyMap<string, RefValue>;
  /** The classes of its layers built without a name (Keras names them by a count over the session). */
  readonly unnamed: ReadonlySet<string>;
}

export abstract class Backbones extends TorchModules {
  protected readonly backbones = new Map<number, Backbone>();

  /** The program an architecture's description makes (run by a fresh interpreter of this front end). */
  protected abstract readArchitecture(text: string): ProgramIR;

  /** `keras.applications.ResNet50(...)`: the backbone as a functional model, or why it cannot be one. */
  protected application(node: SyntaxNode, name: string, raw: readonly ArgIR[]): PyValue {
    const arch = architecture(name)!;
    const bound = bindApplicationArguments(arch, raw);
    if ("unresolved" in bound) return bound;
    const { values, spans } = bound;
    const inputTensor = values.get("input_tensor");
    let tensorShape: (number | null)[] | undefined;
    if (inputTensor !== null && inputTensor !== undefined) {
      if (!isRef(inputTensor, "tensor")) return unresolved("an input_tensor that is not a tensor Layer Lens follows");
      const shape = this.shapes.tensorShape(inputTensor.id);
      if (!shape || shape.includes("?")) return unresolved("the shape of the input_tensor is unknown");
      tensorShape = shape.slice(1).map((d) => (d === "None" ? null : (d as number)));
    }
    const given = values.get("input_shape");
    const inputShape = given === null || given === undefined ? null : isSequence(given) && items(given).every((d) => d === null || isInt(d)) ? (items(given) as (number | null)[]) : undefined;
    if (inputShape === undefined) return unresolved(`input_shape=${pyRepr(given!)} is not a tuple of sizes`);
    const weights = values.get("weights");
    const activation = values.get("classifier_activation");
    const refusal = arch.check?.(values);
    const checked = applicationInput(arch.rules, {
      architecture: name,
      includeTop: values.get("include_top") === true,
      weights: typeof weights === "string" ? weights : null,
      inputShape,
      classes: values.get("classes") as number,
      classifierActivation: typeof activation === "string" || activation === null ? activation : "softmax",
      ...(refusal ? { refusal } : {}),
    });
    const at = (problem: ApplicationProblem) => (problem.argument && spans.get(problem.argument)) || span(node.firstChild!);
    for (const problem of checked.problems) this.notes.push({ id: problem.id, values: problem.values, span: at(problem) });
    if (!checked.shape || checked.problems.length) return unresolved(`Keras refuses to build ${name} with these arguments`);
    const configuration: BackboneConfiguration = { architecture: arch, values, inputShape: tensorShape ?? checked.shape };
    const program = architectureProgram(configuration, (text) => this.readArchitecture(text));
    if (!program) return unresolved(`Layer Lens could not follow its description of ${name}`);
    return this.splice(program, node, { name: `keras.applications.${name}`, rules: inputRulesText(arch.rules) }, isRef(inputTensor, "tensor") ? inputTensor : undefined);
  }

  /** `base.get_layer(name)` on a backbone: the layer Keras names so, or Keras's error naming the nearest ones. */
  protected backboneLayer(model: number, name: string, at: Span): PyValue | undefined {
    const backbone = this.backbones.get(model);
    if (!backbone) return undefined;
    const layer = backbone.byName.get(name);
    if (layer) return layer;
    const numbered = sessionNamed(name, backbone.architecture, backbone.unnamed);
    if (numbered) {
      const layer = unresolved(numbered);
      this.sessionNamed.add(layer);
      return layer;
    }
    const problem = noSuchLayer(name, [...backbone.byName.keys()]);
    this.notes.push({ id: problem.id, values: problem.values, span: at });
    return unresolved(`the model has no layer named '${name}'`);
  }

  private readonly sessionNamed = new WeakSet<object>();

  protected sessionNamedLayer(value: PyValue): boolean {
    return typeof value === "object" && value !== null && this.sessionNamed.has(value);
  }

  /** `base.layers`: the input layer, then every layer in the order Keras lists them. */
  protected backboneLayers(model: number): PyValue | undefined {
    const layers = this.backbones.get(model)?.layers;
    return layers && [...layers];
  }

  /**
   * Copies the architecture's model into the program: the calls its outputs depend on, in the order Keras lists
   * their layers (deepest from the output first, then the order they were made: a valid order to run them in),
   * each layer marked as the library's, every span the building call's.
   */
  private splice(program: ProgramIR, node: SyntaxNode, about: { name: string; rules: string }, input: RefValue | undefined): RefValue {
    const library = about.name;
    const serial = programSerial(program);
    const model = backboneModel(program)!;
    const site = span(node);
    const order = kerasOrder(program, model);
    const tensorIds = new Map<number, number>();
    const layerIds = new Map<number, number>();
    const callIds = new Map<number, number>();
    const modelIds = new Map<number, number>();
    const sourceInputs = program.tensors.flatMap((t, id) => (t.type === "input" ? [id] : []));
    const firstOutput = new Map<number, number>();
    program.tensors.forEach((t, id) => t.type === "output" && t.index === 0 && !firstOutput.has(t.call) && firstOutput.set(t.call, id));
    const remap = (ref: RefValue): RefValue => {
      if (ref.ref === "tensor") return { ref: "tensor", id: tensorIds.get(ref.id) ?? this.sourceTensor(program.tensors[ref.id], ref.id, tensorIds, callIds, library, relocate) };
      if (ref.ref === "layer") return { ref: "layer", id: layerIds.get(ref.id)! };
      if (ref.ref === "model") return { ref: "model", id: modelIds.get(ref.id) ?? this.nestedModel(program.models[ref.id], ref.id, modelIds, library, relocate, node) };
      return ref;
    };
    const relocate = <T>(value: T): T => relocated(value, site, remap);
    if (input) for (const id of sourceInputs) tensorIds.set(id, input.id);
    const layers: RefValue[] = [];
    const byName = new Map<string, RefValue>();
    const unnamed = new Set<string>();
    for (const index of order) {
      const call = program.calls[index];
      const callee = call.callee as RefValue;
      if (isRef(callee, "layer") && !layerIds.has(callee.id)) {
        const object: LayerObjectIR = { call: { ...relocate(program.layers[callee.id].call), library, template: `${serial}:${callee.id}` } };
        layerIds.set(callee.id, this.layers.push(object) - 1);
        const ref: RefValue = { ref: "layer", id: layerIds.get(callee.id)! };
        layers.push(ref);
        const name = object.call.args.find((a) => a.name === "name")?.value;
        if (typeof name === "string") byName.set(name, ref);
        else unnamed.add(object.call.kind);
      }
      const target = remap(callee);
      // A nested model (ConvNeXt's stem) is one of the backbone's layers, as Keras lists it.
      if (isRef(callee, "model") && !layers.some((l) => l.ref === "model" && l.id === target.id)) {
        layers.push(target);
        const name = program.models[callee.id].name;
        if (name) byName.set(name, target);
      }
      const copy: CallIR = { callee: target, args: relocate(call.args), span: site, library };
      const output = this.record(copy);
      callIds.set(index, this.calls.length - 1);
      const source = firstOutput.get(index);
      if (source !== undefined) tensorIds.set(source, output.id);
    }
    const builder: GraphBuilder = {
      kind: "functional",
      span: site,
      calleeSpan: span(node.firstChild!),
      totalsOffset: node.to,
      inputs: relocate(model.inputs),
      outputs: relocate(model.outputs),
      library: about,
      ...(model.name ? { name: model.name } : {}),
    };
    const id = this.models.push(builder) - 1;
    this.backbones.set(id, { architecture: library.replace("keras.applications.", ""), layers: [INPUT_LAYER, ...layers], byName, unnamed });
    return { ref: "model", id };
  }

  /** A model the description builds and calls inside the backbone (ConvNeXt's stem, a Sequential of layers). */
  private nestedModel(model: ModelIR, id: number, ids: Map<number, number>, library: string, relocate: <T>(value: T) => T, node: SyntaxNode): number {
    const site = span(node);
    const header = { span: site, calleeSpan: site, totalsOffset: node.to, within: library, ...(model.name ? { name: model.name } : {}) };
    const copy: SequentialBuilder | GraphBuilder =
      isGraphModel(model)
        ? { ...header, kind: model.kind, inputs: relocate(model.inputs), outputs: relocate(model.outputs) }
        : { ...header, kind: "sequential", elements: model.elements.map((e) => (e.type === "layer" ? { ...relocate(e), library } : relocate(e))) };
    const made = this.models.push(copy) - 1;
    ids.set(id, made);
    return made;
  }

  /** A tensor of the description not made by a call's first output (its Input, a further output), made in the program. */
  private sourceTensor(tensor: TensorIR, id: number, ids: Map<number, number>, callIds: ReadonlyMap<number, number>, library: string, relocate: <T>(value: T) => T): number {
    const copy: TensorIR =
      tensor.type === "input" ? { type: "input", call: { ...relocate(tensor.call), library } }
      : tensor.type === "output" ? { type: "output", call: callIds.get(tensor.call)!, index: tensor.index }
      : tensor.type === "literal" ? { ...relocate(tensor), library }
      : relocate(tensor);
    const made = this.newTensor(copy).id;
    ids.set(id, made);
    return made;
  }
}

/** A number for each description program (one per configuration), naming its layers' runs (`LayerCallIR.template`). */
const serials = new WeakMap<ProgramIR, number>();
let lastSerial = 0;

function programSerial(program: ProgramIR): number {
  let serial = serials.get(program);
  if (serial === undefined) serials.set(program, (serial = ++lastSerial));
  return serial;
}

/**
 * The calls a model's outputs depend on, in Keras's order for `model.layers`: by depth from the outputs, the
 * deepest first, and in the order they were made among equals.
 */
function kerasOrder(program: ProgramIR, model: GraphModelIR): number[] {
  const producer = (value: PyValue): number[] => {
    if (isRef(value, "tensor")) {
      const tensor = program.tensors[value.id];
      return tensor.type === "output" ? [tensor.call] : [];
    }
    return isSequence(value) ? items(value).flatMap(producer) : [];
  };
  const depth = new Map<number, number>();
  for (const call of producer(model.outputs)) depth.set(call, 0);
  for (let i = program.calls.length - 1; i >= 0; i--) {
    const own = depth.get(i);
    if (own === undefined) continue;
    for (const p of program.calls[i].args.flatMap((a) => producer(a.value))) depth.set(p, Math.max(depth.get(p) ?? 0, own + 1));
  }
  return [...depth.keys()].sort((a, b) => depth.get(b)! - depth.get(a)! || a - b);
}

/**
 * A value of the description with its spans made the building call's and its object references the program's.
 * Python values that refer to no object are shared, not copied: nothing changes them in place.
 */
function relocated<T>(value: T, site: Span, remap: (ref: RefValue) => RefValue): T {
  if (Array.isArray(value)) return value.map((v) => relocated(v, site, remap)) as T;
  if (typeof value !== "object" || value === null) return value;
  const record = value as Record<string, unknown>;
  if (typeof record.start === "number" && typeof record.end === "number") return site as T;
  if (typeof record.ref === "string" && typeof record.id === "number") return remap(value as unknown as RefValue) as T;
  if ("value" in record && !refersToObject(record.value as PyValue)) return { ...record, value: record.value, span: site } as T;
  if (isUnresolved(value as PyValue)) return value;
  const out: Record<string, unknown> = {};
  for (const key in record) out[key] = relocated(record[key], site, remap);
  return out as T;
}

function refersToObject(value: PyValue): boolean {
  if (isRef(value)) return true;
  if (isSequence(value)) return items(value).some(refersToObject);
  return typeof value === "object" && value !== null && "layer" in value;
}
