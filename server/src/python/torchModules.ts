/**
 * What PyTorch means to the interpreter (a layer of it, as `calls.ts` and `definitions.ts` are): modules made from
 * `torch.nn` (layer objects, as Keras's are, named by their PyTorch path), `nn.Sequential` (an instance whose
 * modules, its attributes "0", "1"…, run in order), `nn.ModuleList` / `nn.ModuleDict` (a list or dict), tensors
 * made from a size, `nn.Parameter`, functions on tensors and a tensor's methods (ops named `torch.…` and
 * `torch.Tensor.…`), a module's methods that return it (`model.to(device)`), and `torchinfo.summary(model,
 * input_size=…)`, which runs the model on that size. A module made in another's `__init__` is a part of it; a module
 * made anywhere else is a model of its own, traced on the first tensor it is called on.
 */
import { SyntaxNode } from "@lezer/common";
import { ArgIR, BlockIR, TiedWeight } from "../engine/ir";
import { ModuleParameter, PySlice, PyValue, RefValue, isInt, isRef, isSequence, isUnresolved, items, unresolved } from "../engine/values";
import { findLayer } from "../engine/layers/registry";
import { loadedAtRunTime } from "../engine/applications";
import { Calls } from "./calls";
import { ClassDef, GraphBuilder, Instance, RunStart } from "./interpreterState";
import { MODULE_SELF_METHODS, STATE_PAIR_MODULES, TorchObject, sizePosition } from "./libraries/torch";
import { rangeLength } from "./builtins";
import { sliced } from "./evaluate";
import { shorten, span } from "./syntax";
import { LIMITS } from "./limits";

const positional = (args: readonly ArgIR[]) => args.filter((a) => a.name === undefined);

/** What a module holds, for `model.parameters()`: modules, `nn.Parameter`s, and other modules' parameters when asked. */
interface Held {
  readonly layers: Set<number>;
  readonly variables: Set<number>;
  readonly parameters?: ModuleParameter[];
}

export abstract class TorchModules extends Calls {
  protected torchCall(node: SyntaxNode, object: TorchObject, args: readonly ArgIR[]): PyValue {
    const callee = node.firstChild!;
    switch (object.kind) {
      case "layer": {
        const at = span(node);
        // A module given to another (`nn.TransformerEncoder(layer, num_layers=6)`) is passed as a value: it is copied.
        const given = args.map((a) => (isRef(a.value, "layer") ? { ...a, value: this.layerValue(a.value) } : a));
        return { ref: "layer", id: this.layers.push({ call: { type: "layer", kind: object.name, args: given, span: at, calleeSpan: span(callee), constructed: at } }) - 1 };
      }
      case "sequential":
        return this.newSequential(node, args);
      case "container": {
        const given = positional(args)[0]?.value;
        if (object.of === "dict") return given === undefined ? this.newDict([]) : this.dictCall([{ value: given, span: span(node) }]);
        return given === undefined ? [] : isSequence(given) ? [...items(given)] : unresolved("a module list made from a value Layer Lens does not follow");
      }
      case "parameter":
        return this.parameter(node, args);
      case "tensor":
        return this.madeTensor(node, object.name, this.factorySize(object.name, args));
      case "literal":
        return this.madeTensor(node, "torch.tensor", dataShape(positional(args)[0]?.value));
      case "range":
        return this.madeTensor(node, "torch.arange", rangeLength(args, object.names));
      case "function":
        if (findLayer(object.name)?.multiInput) return this.record({ callee: { op: object.name, calleeSpan: span(callee) }, args, span: span(node) });
        return this.opaqueOnTensors(node, args, unresolved(`\`${shorten(this.t(callee))}\` is not something Layer Lens follows`), true);
      case "summary":
        return this.runSummary(node, object.batchIncluded, args);
      case "module":
        return unresolved("an nn.Module made directly has no modules");
      case "reparametrized":
        return this.reparametrized(object.adds, args);
    }
    const note = loadedAtRunTime(`\`${object.what}\``, object.what.startsWith("torchvision.") ? "torchvision" : "PyTorch Hub");
    this.notes.push({ id: note.id, values: note.values, span: span(callee) });
    return unresolved(`\`${object.what}\` is built at run time`);
  }

  /** A tensor made from a size, data or a range: an input, as `keras.Input` makes one (`torch/factories.ts`). */
  private madeTensor(node: SyntaxNode, kind: string, size: PyValue): RefValue {
    const at = span(node);
    return this.newTensor({ type: "input", call: { type: "layer", kind, args: [{ name: "size", value: size, span: at }], span: at, calleeSpan: span(node.firstChild!) } });
  }

  /**
   * `nn.utils.weight_norm(nn.Linear(20, 40))`: the module, whose weight becomes a direction of its shape and a
   * magnitude per slice along `dim` (`LayerCallIR.weightNorm`); `spectral_norm` keeps its parameters' count. Another weight's name,
   * or a module Layer Lens does not follow, leaves the count unknown.
   */
  private reparametrized(adds: "magnitude" | "nothing", args: readonly ArgIR[]): PyValue {
    const module = (args.find((a) => a.name === "module") ?? positional(args)[0])?.value;
    if (!isRef(module, "layer")) return unresolved("a reparametrized module Layer Lens does not follow");
    if (adds === "nothing") return module;
    const name = (args.find((a) => a.name === "name") ?? positional(args)[1])?.value ?? "weight";
    // `dim=None` is one magnitude for the whole weight: None must not fall to the default.
    const given = args.find((a) => a.name === "dim") ?? positional(args)[2];
    const dim = given === undefined ? 0 : given.value;
    if (name !== "weight" || !(isInt(dim) || dim === null)) this.replacedWeights.set(module.id, "its weight norm is not followed");
    else this.layers[module.id] = { ...this.layers[module.id], call: { ...this.layers[module.id].call, weightNorm: { dim } } };
    return module;
  }

  /** `nn.Sequential(a, b)` or `nn.Sequential(OrderedDict([("conv", a), …]))`: its modules, by name, in order. */
  private newSequential(node: SyntaxNode, args: readonly ArgIR[]): RefValue {
    const cls: ClassDef = { name: "Sequential", node, base: "model", methods: new Map(), attributes: new Map(), torch: "sequential", instantiated: true };
    let model: number | undefined;
    if (this.torchInits === 0) {
      const builder: GraphBuilder = { kind: "subclassed", span: span(node), calleeSpan: span(node.firstChild!), totalsOffset: node.to, inputs: null, outputs: null };
      model = this.models.push(builder) - 1;
    }
    const ref = this.newInstance(cls, model);
    const modules = this.instances[ref.id].attributes;
    const given = positional(args);
    const named = given.length === 1 && isRef(given[0].value, "dict") ? this.keywords(given[0].value) : undefined;
    if (named) for (const [name, module] of named) this.addModule(modules, name, module);
    else given.forEach((a, i) => this.addModule(modules, String(i), a.value));
    return ref;
  }

  /** A module becomes a part of the one it is added to: a model made earlier (`nn.Sequential(block(), …)`) is one no more. */
  private addModule(modules: Map<string, PyValue>, name: string, module: PyValue): void {
    modules.set(name, module);
    const model = isRef(module, "instance") ? this.instances[module.id].model : undefined;
    if (model !== undefined) (this.models[model] as GraphBuilder).within = "a PyTorch module";
  }

  /** A Sequential called on a tensor: each of its modules on what the one before returned. */
  protected runSequential(instance: Instance, args: readonly ArgIR[], site: SyntaxNode | undefined, since?: RunStart, layer?: BlockIR["layer"]): PyValue {
    // Bounded as a helper's run is: a Sequential holding itself, or nested ones sharing modules, must not run on.
    if (this.callDepth >= LIMITS.callDepth) return unresolved(`modules nested more than ${LIMITS.callDepth} deep`);
    if (this.exhausted) return unresolved("the file has more to follow than Layer Lens does");
    const before = since ?? { calls: this.calls.length, tensors: this.tensors.length };
    const at = site ?? instance.cls.node;
    let value: PyValue = positional(args)[0]?.value ?? unresolved("a Sequential called without an input");
    this.callDepth++;
    try {
      for (const module of instance.attributes.values()) {
        // Only work repeated (in a helper's or a forward's run, or a Sequential in another) counts, as in a helper.
        if ((this.repeating || this.callDepth > 1) && ++this.steps > LIMITS.steps) {
          this.exhaust(at);
          return unresolved("the file has more to follow than Layer Lens does");
        }
        value = this.applyModule(module, value, at);
      }
    } finally {
      this.callDepth--;
    }
    if (site && this.hasTensor(value)) {
      const calls = Array.from({ length: this.calls.length - before.calls }, (_, i) => before.calls + i);
      this.blocks.push({ name: "Sequential", span: span(site), result: value, calls, ...(layer ? { layer } : {}) });
    }
    return value;
  }

  private applyModule(module: PyValue, input: PyValue, site: SyntaxNode): PyValue {
    const arg: ArgIR = { value: input, span: span(site) };
    // A module's row and hint are where it was made, inside the Sequential's arguments.
    if (isRef(module, "layer")) return this.record({ callee: module, args: [arg], span: this.layers[module.id].call.span });
    // A Sequential inside it is run where it was made (its block's hint goes there); another module at the call.
    if (isRef(module, "instance")) {
      const cls = this.instances[module.id].cls;
      return this.callInstance(module, [arg], cls.torch === "sequential" ? cls.node : site);
    }
    return this.opaqueOnTensors(site, [arg], isUnresolved(module) ? module : unresolved("a module of the Sequential that Layer Lens does not follow"), false);
  }

  /** `nn.Parameter(torch.randn(16, 8))`: a weight of its tensor's shape, trainable unless `requires_grad=False`. */
  private parameter(node: SyntaxNode, args: readonly ArgIR[]): PyValue {
    const data = args.find((a) => a.name === "data") ?? positional(args)[0];
    const source = isRef(data?.value, "tensor") ? this.tensors[data.value.id] : undefined;
    // A tensor made from a size (`torch.zeros(1, 1, 768)`) or of a literal shape.
    const shape = source?.type === "input" && source.call.kind.startsWith("torch.") ? source.call.args[0]?.value : source?.type === "literal" || source?.type === "shaped" ? source.shape : undefined;
    if (shape === undefined || !source) return unresolved("an nn.Parameter whose tensor has no size Layer Lens can read");
    // The tensor is consumed by the parameter: the hint and the count go on the parameter.
    const at = source.type === "input" ? source.call.span : source.type === "literal" || source.type === "shaped" ? source.span : span(node);
    this.tensors[(data!.value as RefValue).id] = { type: "shaped", shape, span: at };
    const frozen = args.find((a) => a.name === "requires_grad")?.value === false;
    return this.newTensor({ type: "literal", shape, variable: true, text: "nn.Parameter", span: span(node), ...(frozen ? { trainable: false } : {}) });
  }

  /** The size a factory was given: `torch.randn(8, 3)`, `torch.randn((8, 3))`, `torch.zeros(size=(8, 3))`. */
  private factorySize(name: string, args: readonly ArgIR[]): PyValue {
    const keyword = args.find((a) => a.name === "size")?.value;
    if (keyword !== undefined) return keyword;
    const given = positional(args).map((a) => a.value);
    const at = sizePosition(name, given.length);
    if (at !== "varargs") return given[at] ?? unresolved(`${name}() without a size`);
    if (given.length === 1 && (isSequence(given[0]) || isUnresolved(given[0]))) return given[0];
    return { tuple: given };
  }

  /**
   * `torchinfo.summary(model, input_size=(8, 3, 32, 32))` runs the model on a tensor of that size, as does
   * `torchsummary.summary(model, (3, 32, 32))`, whose size leaves out the batch (then unknown: it prints -1).
   */
  private runSummary(node: SyntaxNode, batchIncluded: boolean, args: readonly ArgIR[]): PyValue {
    const [model, size] = [args.find((a) => a.name === "model") ?? positional(args)[0], args.find((a) => a.name === "input_size") ?? positional(args)[1]];
    if (!model || !size || !isSequence(size.value)) return unresolved("a summary without a model and an input size");
    const dims = items(size.value);
    const batch = args.find((a) => a.name === "batch_size")?.value;
    const shape = batchIncluded ? dims : [isInt(batch) && batch > 0 ? batch : unresolved("torchsummary's batch size (-1)"), ...dims];
    const input = this.newTensor({ type: "shaped", shape: { tuple: shape }, span: size.span });
    if (isRef(model.value, "instance")) this.callInstance(model.value, [{ value: input, span: size.span }], node);
    else if (isRef(model.value, "layer")) this.record({ callee: model.value, args: [{ value: input, span: size.span }], span: span(node) });
    return unresolved("a summary's table is printed, not a value");
  }

  /**
   * A tensor's method: `x.size(0)`, `x.dim()`, `x.numel()` from its shape, or an op with a spec
   * (`x.view(x.size(0), -1)` is `torch.Tensor.view` on `x`). Undefined: not one Layer Lens follows.
   */
  protected tensorMethod(node: SyntaxNode, tensor: RefValue, name: string, args: readonly ArgIR[]): PyValue | undefined {
    if (name === "size" || name === "dim" || name === "ndimension" || name === "numel") {
      const shape = this.shapeValue(tensor);
      if (!isSequence(shape)) return shape;
      const dims = items(shape);
      if (name === "dim" || name === "ndimension") return dims.length;
      if (name === "numel") return dims.every(isInt) ? dims.reduce((a: number, b) => a * (b as number), 1) : unresolved("the element count of a tensor with a dimension Layer Lens cannot know");
      const dim = positional(args)[0]?.value ?? args.find((a) => a.name === "dim")?.value;
      if (dim === undefined) return shape;
      if (!isInt(dim) || dim < -dims.length || dim >= dims.length) return unresolved(`x.size(${String(dim)}) of a rank-${dims.length} tensor`);
      return dims[dim < 0 ? dim + dims.length : dim];
    }
    const op = `torch.Tensor.${name}`;
    if (!findLayer(op)?.multiInput) return undefined;
    const receiver = node.firstChild!.firstChild!;
    return this.record({ callee: { op, calleeSpan: span(node.firstChild!) }, args: [{ value: tensor, span: span(receiver) }, ...args], span: span(node) });
  }

  /**
   * A module's own methods: those that return it (`model.to(device)`, `net.eval()`), and the ones that add a
   * module (`seq.append(m)`, `self.add_module("conv", m)`). Undefined: not one Layer Lens follows.
   */
  protected torchModuleMethod(owner: RefValue, name: string, args: readonly ArgIR[]): PyValue | undefined {
    const torch = owner.ref === "instance" ? this.instances[owner.id].cls.torch : owner.ref === "layer" && this.layers[owner.id].call.kind.startsWith("torch.nn.") ? "layer" : undefined;
    if (!torch) return undefined;
    if (name === "parameters" && !args.length) return this.parametersOf(owner);
    if (name === "requires_grad_") {
      const flag = args.find((a) => a.name === "requires_grad" || a.name === undefined)?.value ?? true;
      for (const handle of this.parametersOf(owner)) this.setRequiresGrad(handle, flag, this.uncertain === 0, `${name}(...)`);
    }
    if (MODULE_SELF_METHODS.has(name)) return owner;
    if (!isRef(owner, "instance")) return undefined;
    const modules = this.instances[owner.id].attributes;
    const given = positional(args).map((a) => a.value);
    if ((name === "add_module" || name === "register_module") && typeof given[0] === "string" && given.length === 2) {
      this.addModule(modules, given[0], given[1]);
      return null;
    }
    if (torch === "sequential" && name === "append" && given.length === 1) {
      this.addModule(modules, String(modules.size), given[0]);
      return owner;
    }
    if (torch === "sequential" && name === "extend" && given.length === 1 && isSequence(given[0])) {
      for (const module of items(given[0])) this.addModule(modules, String(modules.size), module);
      return owner;
    }
    return undefined;
  }

  /**
   * `model.parameters()`: one handle per module it holds (all of that module's parameters) and per `nn.Parameter`,
   * enough for the loop that freezes them (`for p in model.parameters(): p.requires_grad = False`).
   */
  private parametersOf(owner: RefValue): PyValue[] {
    if (owner.ref !== "instance") return [owner];
    const held: Held = { layers: new Set(), variables: new Set() };
    this.collectHeld([...this.instances[owner.id].attributes.values()], held, new Set([this.instances[owner.id]]));
    return [...[...held.layers].map((id): RefValue => ({ ref: "layer", id })), ...[...held.variables].map((id): RefValue => ({ ref: "tensor", id }))];
  }

  /**
   * `p.requires_grad = False` on a module's parameters (a handle of `parametersOf`), one of them
   * (`self.embed.weight.requires_grad = False`, the one it holds now) or an `nn.Parameter`: they stop training. Anything
   * else, or where it may not run, leaves the split unknown.
   */
  protected setRequiresGrad(handle: PyValue, value: PyValue | undefined, surely: boolean, what: string): void {
    const now = isUnresolved(handle) && handle.parameter ? this.currentParameter(handle.parameter) : undefined;
    if (now && "variable" in now) return this.setRequiresGrad({ ref: "tensor", id: now.variable }, value, surely, what);
    const tensor = isRef(handle, "tensor") ? this.tensors[handle.id] : undefined;
    const known = surely && typeof value === "boolean";
    if (known && isRef(handle, "layer") && this.layers[handle.id].call.kind.startsWith("torch.nn.")) {
      this.torchFrozen.set(handle.id, !value);
      // The whole module's flag is set after any of its weights' own.
      for (const key of this.weightsTraining.keys()) if (key.startsWith(`${handle.id}.`)) this.weightsTraining.delete(key);
    } else if (known && now && "layer" in now) this.weightsTraining.set(`${now.layer}.${now.weight}`, { ...now, trainable: value });
    else if (known && tensor?.type === "literal" && tensor.variable) {
      const { trainable: _, ...rest } = tensor;
      this.tensors[(handle as RefValue).id] = value ? rest : { ...rest, trainable: false };
    } else this.trainableUnknown ??= `\`${what}\` is set where Layer Lens cannot follow it`;
  }

  /**
   * `module.name = value` on a PyTorch module (`LayerCallIR.tied`): another module's parameter (the one it holds
   * now), an `nn.Parameter`, None, or anything else. An assignment that may not run leaves the weight unknown.
   */
  protected setModuleAttribute(module: number, name: string, value: PyValue | undefined, surely: boolean, target: SyntaxNode): void {
    const what = shorten(this.t(target));
    const to: TiedWeight["to"] = !surely
      ? { unknown: `\`${what}\` is set where Layer Lens cannot tell whether it runs` }
      : value === null
        ? null
        : isUnresolved(value) && value.parameter
          ? this.currentParameter(value.parameter)
          : isRef(value, "tensor") && this.isVariable(value.id)
            ? { variable: value.id }
            : { unknown: `\`${what}\` is set to a value that is not a parameter Layer Lens follows` };
    const call = this.layers[module].call;
    const tied = [...(call.tied ?? []).filter((t) => t.weight !== name), { weight: name, to, span: span(target) }];
    this.layers[module] = { ...this.layers[module], call: { ...call, tied } };
  }

  /**
   * The parameter a module's attribute holds now: another one when the file replaced it (Python reads it when the
   * line runs, so `a.weight = b.weight` holds what `b.weight` held then, whatever later replaces b's).
   */
  private currentParameter(p: ModuleParameter): TiedWeight["to"] {
    const replaced = this.layers[p.layer].call.tied?.find((t) => t.weight === p.weight);
    return replaced ? replaced.to : p;
  }

  /** Every PyTorch model's modules and parameters, for its totals (`GraphModelIR.held`). */
  protected recordHeld(): void {
    for (const instance of this.instances) {
      if (instance.model === undefined || !instance.cls.torch) continue;
      const parameters: ModuleParameter[] = [];
      const held: Held = { layers: new Set(), variables: new Set(), parameters };
      this.collectHeld([...instance.attributes.values()], held, new Set([instance]));
      const builder = this.models[instance.model] as GraphBuilder;
      const replaced = [...held.layers].map((id) => this.replacedWeights.get(id)).find((why) => why !== undefined);
      const frozen = [...held.layers].filter((id) => this.torchFrozen.get(id));
      builder.held = {
        layers: [...held.layers],
        variables: [...held.variables],
        ...(frozen.length ? { frozen } : {}),
        ...(this.weightsTraining.size ? { trainableWeights: [...this.weightsTraining.values()] } : {}),
        ...(replaced ? { unknownBecause: replaced } : {}),
        ...(parameters.length ? { parameters } : {}),
      };
      builder.torch = { module: instance.cls.name };
    }
  }

  /** The layer objects and parameters reachable from values: a module's attributes, lists, tuples and dicts. */
  private collectHeld(values: readonly PyValue[], held: Held, seen: Set<Instance>): void {
    for (const value of values) {
      if (isRef(value, "layer")) held.layers.add(value.id);
      else if (isRef(value, "tensor") && this.isVariable(value.id)) held.variables.add(value.id);
      else if (isUnresolved(value) && value.parameter && held.parameters) {
        const now = this.currentParameter(value.parameter);
        if (now && "variable" in now) held.variables.add(now.variable);
        else if (now && "layer" in now) held.parameters.push(now);
      }
      else if (isSequence(value)) this.collectHeld(items(value), held, seen);
      else if (isRef(value, "dict")) this.collectHeld([...this.dicts[value.id].values()], held, seen);
      else if (isRef(value, "instance") && this.instances[value.id].cls.torch && !seen.has(this.instances[value.id])) {
        seen.add(this.instances[value.id]);
        this.collectHeld([...this.instances[value.id].attributes.values()], held, seen);
      }
    }
  }

  /** An LSTM's result `(output, (h_n, c_n))`: its item 1 is the pair of its states (the call's outputs 1 and 2). */
  protected stateTuple(target: RefValue, index: number): PyValue | undefined {
    const tensor = this.tensors[target.id];
    if (index !== 1 || tensor.type !== "output" || tensor.index !== 0) return undefined;
    const callee = this.calls[tensor.call].callee;
    if (!("ref" in callee) || callee.ref !== "layer" || !STATE_PAIR_MODULES.has(this.layers[callee.id].call.kind)) return undefined;
    const [h, c] = [this.tupleItem(target, 1), this.tupleItem(target, 2)];
    return h && c ? { tuple: [h, c] } : undefined;
  }

  /**
   * A tensor's attributes that are tensors: PyTorch's named tuples (`torch.max(x, dim=1).values`, `.indices`) and
   * `x.data`. Undefined: not one Layer Lens follows.
   */
  protected tensorAttribute(tensor: RefValue, name: string): PyValue | undefined {
    if (name === "data") return tensor;
    if (name === "values") return this.tupleItem(tensor, 0);
    if (name === "indices") return this.tupleItem(tensor, 1);
    return undefined;
  }

  /** What a loop or comprehension goes over: a Sequential's modules in order (`for layer in self.features:`). */
  protected iterated(value: PyValue): PyValue {
    return isRef(value, "instance") && this.instances[value.id].cls.torch === "sequential" ? [...this.instances[value.id].attributes.values()] : value;
  }

  /**
   * `seq[0]`, `seq[-1]`: a Sequential's module by position; `seq[:3]`: a Sequential of those modules (the same
   * objects, under their names), which is no model of its own.
   */
  protected sequentialItem(instance: Instance, index: number | PySlice): PyValue | undefined {
    const modules = [...instance.attributes.entries()];
    if (isInt(index)) return modules[index < 0 ? index + modules.length : index]?.[1];
    const kept = sliced(modules.map((_, i) => i), index.slice);
    if (!Array.isArray(kept)) return undefined;
    const ref = this.newInstance(instance.cls, undefined);
    for (const i of kept as number[]) this.instances[ref.id].attributes.set(...modules[i]);
    return ref;
  }
}

/** `torch.tensor([[1, 2], [3, 4]])`: the shape of nested lists, as far as they are regular. */
function dataShape(data: PyValue | undefined): PyValue {
  if (data === undefined) return unresolved("torch.tensor() without data");
  if (!isSequence(data)) return typeof data === "number" || typeof data === "boolean" || (typeof data === "object" && data !== null && "float" in data) ? { tuple: [] } : unresolved("a tensor made from data Layer Lens does not follow");
  const elements = items(data);
  if (!elements.length) return { tuple: [0] };
  const inner = elements.map(dataShape);
  const first = inner[0];
  if (!isSequence(first) || inner.some((s) => !isSequence(s) || items(s).length !== items(first).length || items(s).some((d, i) => d !== items(first)[i]))) {
    return unresolved("a tensor made from nested lists of different lengths");
  }
  return { tuple: [elements.length, ...items(first)] };
}
