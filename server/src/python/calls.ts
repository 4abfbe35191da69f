/**
 * Expressions that are not constants, for the evaluator (`EvaluationHost`): calls (of the
 * user's helpers and classes, of layers, models and library functions), attributes, dicts,
 * comprehensions, items and tensor arithmetic.
 */
import { SyntaxNode } from "@lezer/common";
import { ArgIR, BlockIR, CallIR, LayerCallIR, Span } from "../engine/ir";
import { PySlice, PyValue, RefValue, Unresolved, isInt, isRef, isSequence, isSlice, isUnresolved, items, numeric, unresolved } from "../engine/values";
import { expressionChildren, importPathOf, truthy } from "./evaluate";
import { classifyKerasPath, classifyTensorFlowPath, classifyTorchPath } from "./libraries";
import type { TorchObject } from "./libraries/torch";
import { Scope } from "./scope";
import { isProjectPath } from "./project";
import { ClassDef, Context, ELEMENTWISE_OPERATORS, FunctionDef, GraphBuilder, Instance, RunStart, STARRED, TENSOR_OPERATORS } from "./interpreterState";
import { createsNoWeights } from "./libraries/weights";
import { runtimeModel } from "./libraries/hub";
import { loadedAtRunTime } from "../engine/applications";
import { findLayer } from "../engine/layers/registry";
import { bindArguments } from "../engine/bind";

/** The methods of a Keras layer that create a weight. */
const ADD_WEIGHT: ReadonlySet<string> = new Set(["add_weight", "add_variable"]);
import { LIMITS } from "./limits";
import { incompleteCall, shorten, span } from "./syntax";
import { builtin, rangeLength } from "./builtins";
import { Containers } from "./containers";

export abstract class Calls extends Containers {
  protected abstract sequential(call: SyntaxNode, scope: Scope): RefValue;
  protected abstract invoke(fn: FunctionDef, args: readonly ArgIR[] | undefined, site: SyntaxNode | undefined, since?: RunStart, layer?: BlockIR["layer"]): PyValue;
  protected abstract instantiate(cls: ClassDef, args: readonly ArgIR[] | undefined, site: SyntaxNode | undefined): PyValue;
  protected abstract method(cls: ClassDef | undefined, name: string): FunctionDef | undefined;
  protected abstract callMethod(cls: ClassDef): FunctionDef | undefined;
  protected abstract newInstance(cls: ClassDef, model: number | undefined): RefValue;
  protected abstract runSequential(instance: Instance, args: readonly ArgIR[], site: SyntaxNode | undefined, since?: RunStart, layer?: BlockIR["layer"]): PyValue;
  protected abstract torchCall(node: SyntaxNode, object: TorchObject, args: readonly ArgIR[]): PyValue;
  protected abstract tensorMethod(node: SyntaxNode, tensor: RefValue, name: string, args: readonly ArgIR[]): PyValue | undefined;
  protected abstract torchModuleMethod(owner: RefValue, name: string, args: readonly ArgIR[]): PyValue | undefined;
  protected abstract setRequiresGrad(handle: PyValue, value: PyValue | undefined, surely: boolean, what: string): void;
  protected abstract sequentialItem(instance: Instance, index: number | PySlice): PyValue | undefined;
  protected abstract stateTuple(target: RefValue, index: number): PyValue | undefined;
  protected abstract tensorAttribute(tensor: RefValue, name: string): PyValue | undefined;
  protected abstract iterated(value: PyValue): PyValue;
  protected abstract bound(fn: FunctionDef, self: RefValue): FunctionDef;
  protected abstract bindTarget(target: SyntaxNode, value: PyValue | undefined, ctx: Context): void;
  protected abstract unpack(targets: SyntaxNode[], value: PyValue | undefined, ctx: Context): void;
  protected abstract annotationValue(expression: string, scope?: Scope): PyValue;
  protected abstract lineAnnotation(node: SyntaxNode): { readonly text: string; readonly span: Span } | undefined;
  protected abstract application(node: SyntaxNode, name: string, args: readonly ArgIR[]): PyValue;
  protected abstract backboneLayer(model: number, name: string, at: Span): PyValue | undefined;
  /** Whether a value is a backbone's layer whose name only the session decides (its attributes are unknown for that reason). */
  protected abstract sessionNamedLayer(value: PyValue): boolean;
  protected abstract backboneLayers(model: number): PyValue | undefined;

  call(node: SyntaxNode, scope: Scope, depth: number): PyValue {
    if (!this.shown(this.module)) return this.callAt(node, scope, depth);
    // A call of the code shown: where what code of another module makes under it shows.
    this.sites.push(node);
    try {
      return this.callAt(node, scope, depth);
    } finally {
      this.sites.pop();
    }
  }

  private callAt(node: SyntaxNode, scope: Scope, depth: number): PyValue {
    if (this.exhausted) return unresolved("the file has more to follow than Layer Lens does");
    const callee = node.firstChild;
    const argList = node.getChild("ArgList");
    if (!callee || !argList) return unresolved("a call still being typed");
    let path = importPathOf(callee, this.text, scope);
    // A name of the project's own code: what it binds is called, unless it is a library's path it imported.
    let project: PyValue | undefined;
    if (path !== undefined && isProjectPath(path)) {
      const named = this.projectName(path, span(node));
      path = named && "library" in named ? named.library : undefined;
      if (named && "value" in named) project = named.value;
      else if (named && "module" in named) project = unresolved(`\`${shorten(this.t(callee))}\` is a module`);
    }
    // A Sequential list still being typed keeps the layers written so far.
    if (path !== undefined && classifyKerasPath(path)?.kind === "sequential") return this.sequential(node, scope);
    if (incompleteCall(node)) return unresolved("a call still being typed");
    if (this.repeating && ++this.steps > LIMITS.steps) {
      this.exhaust(node);
      return unresolved("the file has more to follow than Layer Lens does");
    }
    if (path !== undefined) return this.libraryCall(node, path, scope, depth);
    // A built-in's arguments are evaluated once, here: what they build (`print(model(x).shape)`) is built once.
    const builtinArgs = callee.name === "VariableName" && !scope.defines(this.t(callee)) && project === undefined ? this.args(argList, scope, depth) : undefined;
    if (builtinArgs) {
      const value = this.t(callee) === "dict" ? this.dictCall(builtinArgs) : builtin(this.t(callee), builtinArgs);
      if (value !== undefined) return value;
    }
    if (this.superInit(callee)) {
      // `super().__init__(...)` in an `__init__` under way: what it passes up decides what some classes are.
      const constructing = this.constructing[this.constructing.length - 1];
      if (constructing) constructing.superArgs = this.args(argList, scope, depth) ?? null;
      return null;
    }
    // `owner.method(...)`: the owner is evaluated once, whatever it turns out to be (it may be a helper's call).
    const property = callee.name === "MemberExpression" ? callee.getChild("PropertyName") : null;
    const receiver = project === undefined ? property && callee.firstChild : null;
    const owner = receiver ? this.eval(receiver, scope, depth + 2) : undefined;
    const method = receiver && property ? this.containerMethod(node, receiver, this.t(property), owner!, scope, depth) : undefined;
    if (method !== undefined) return method;
    const target = project ?? (receiver ? this.attributeOf(callee, owner!, scope) : this.eval(callee, scope, depth + 1));
    const args = builtinArgs ?? this.args(argList, scope, depth);
    if (!args) return unresolved(`\`${shorten(this.t(node))}\` ${STARRED}`);
    if (isRef(owner, "tensor") && property) {
      const value = this.tensorMethod(node, owner, this.t(property), args);
      if (value !== undefined) return value;
    }
    if ((isRef(owner, "instance") || isRef(owner, "layer")) && property && (isUnresolved(target) || isRef(owner, "layer"))) {
      const value = this.torchModuleMethod(owner, this.t(property), args);
      if (value !== undefined) return value;
    }
    // A module's parameter (`self.embed.weight.requires_grad_(False)`) returns itself, its flag set.
    if (isUnresolved(owner) && owner.parameter && property && this.t(property) === "requires_grad_") {
      const flag = args.find((a) => a.name === "requires_grad" || a.name === undefined)?.value ?? true;
      this.setRequiresGrad(owner, flag, this.uncertain === 0, shorten(this.t(node)));
      return owner;
    }
    if (isRef(owner, "layer") && property && isUnresolved(target)) {
      const value = this.layerMethod(owner, this.t(property), args);
      if (value !== undefined) return value;
    }
    if (isRef(owner, "model") && property && this.t(property) === "get_layer" && args.length === 1 && typeof args[0].value === "string") {
      return this.backboneLayer(owner.id, args[0].value, args[0].span) ?? this.layerNamed(args[0].value);
    }
    const instance = isRef(owner, "instance") ? this.instances[owner.id] : undefined;
    if (instance && instance.cls.base !== "other" && isUnresolved(target) && (property && ADD_WEIGHT.has(this.t(property)))) return this.addWeight(node, instance, args);
    if (isRef(target, "function")) return this.invoke(this.functions[target.id], args, node);
    if (isRef(target, "class")) return this.instantiate(this.classes[target.id], args, node);
    if (isRef(target, "layer") && this.layers[target.id].call.kind === "Lambda") {
      const traced = this.traceLambda(target, args, node);
      if (traced !== undefined) return traced;
    }
    if (isRef(target, "layer") || isRef(target, "model")) return this.record({ callee: target, args, span: span(node) });
    if (isRef(target, "instance")) return this.callInstance(target, args, node);
    // A callee bound to something unknown (`self.block` set in a conditional block) says why.
    const why = isUnresolved(target) && scope.defines(this.t(callee).split(".")[0]) ? target : unresolved(`\`${shorten(this.t(callee))}\` is not something Layer Lens follows`);
    return this.opaqueOnTensors(node, isRef(owner, "tensor") ? [{ value: owner, span: span(receiver!) }, ...args] : args, why, false);
  }

  /** Whether a callee is `super().__init__`. */
  private superInit(callee: SyntaxNode): boolean {
    if (callee.name !== "MemberExpression" || this.t(callee.getChild("PropertyName") ?? callee) !== "__init__") return false;
    const object = callee.firstChild;
    return object?.name === "CallExpression" && object.firstChild?.name === "VariableName" && this.t(object.firstChild) === "super";
  }

  /**
   * A call Layer Lens does not follow: on tensors, a call of unknown result whose output tensor keeps the
   * graph connected (the layers before it stay in the model); on anything else, unknown with the reason.
   */
  protected opaqueOnTensors(node: SyntaxNode, args: readonly ArgIR[], why: Unresolved, weightless: boolean): PyValue {
    if (!args.some((a) => this.hasTensor(a.value))) return why;
    const callee = node.firstChild!;
    // A value not followed may be a weight (`self.w` from an `add_weight` not followed): then so are its uses.
    const surelyWeightless = weightless && !args.some((a) => holdsUnknown(a.value));
    return this.record({ callee: { opaque: shorten(this.t(callee)), calleeSpan: span(callee), reason: why.unresolved, weightless: surelyWeightless }, args, span: span(node) });
  }

  /** A call of something imported: a Keras layer class, model, function, or a TensorFlow op / tensor. */
  protected libraryCall(node: SyntaxNode, path: string, scope: Scope, depth: number): PyValue {
    const callee = node.firstChild!;
    const torch = classifyTorchPath(path);
    if (torch) {
      const args = this.args(node.getChild("ArgList")!, scope, depth);
      return args ? this.torchCall(node, torch, args) : unresolved(`\`${shorten(this.t(node))}\` ${STARRED}`);
    }
    const keras = classifyKerasPath(path);
    const runtime = runtimeModel(path);
    if (runtime) {
      const note = loadedAtRunTime(runtime.what, runtime.source);
      this.notes.push({ id: note.id, values: note.values, span: span(callee) });
    }
    const raw = this.args(node.getChild("ArgList")!, scope, depth);
    if (!raw) return unresolved(`\`${shorten(this.t(node))}\` ${STARRED}`);
    if (path === "collections.OrderedDict") return this.dictCall(raw);
    if (path === "types.SimpleNamespace" && raw.every((a) => a.name !== undefined)) {
      const namespace = this.newDict(raw.map((a): [string, PyValue] => [a.name!, a.value]));
      this.namespaces.add(namespace.id);
      return namespace;
    }
    // A layer built inside another's arguments (`Bidirectional(LSTM(64))`) is passed as a value.
    const args = raw.map((a) => (isRef(a.value, "layer") ? { ...a, value: this.layerValue(a.value) } : a));
    if (keras?.kind === "model") return this.functional(node, raw);
    if (keras?.kind === "application") return this.application(node, keras.name, raw);
    if (keras?.kind === "shape") return this.shapeValue(raw.find((a) => a.name === undefined)?.value);
    if (keras?.kind === "layer") {
      const call: LayerCallIR = { type: "layer", kind: keras.name, args: this.annotatedInput(node, keras.name, args), span: span(node), calleeSpan: span(callee) };
      if (keras.name === "Input") return this.newTensor({ type: "input", call });
      return { ref: "layer", id: this.layers.push({ call }) - 1 };
    }
    if (keras?.kind === "function") {
      // `layers.concatenate([a, b], axis=1)`: the merge layer built from the other arguments, called on the list at once.
      const tensors = raw.find((a) => a.name === "inputs") ?? raw.find((a) => a.name === undefined);
      const options = args.filter((a) => a !== tensors && a.value !== tensors?.value);
      const layer: RefValue = { ref: "layer", id: this.layers.push({ call: { type: "layer", kind: keras.name, args: options, span: span(node), calleeSpan: span(callee) } }) - 1 };
      return this.record({ callee: layer, args: tensors ? [{ value: tensors.value, span: tensors.span }] : [], span: span(node) });
    }
    const tf = classifyTensorFlowPath(path);
    const range = keras?.kind === "range" ? keras : tf?.kind === "range" ? tf : undefined;
    if (range) return this.newTensor({ type: "literal", shape: rangeLength(raw, range.names), variable: false, text: shorten(this.t(callee)), span: span(node) });
    if (tf?.kind === "op") return this.record({ callee: { op: tf.name, calleeSpan: span(callee) }, args: raw, span: span(node) });
    if (tf?.kind === "broadcast") {
      // `tf.add(x, y)`, `keras.ops.maximum(x, 0.0)`: the same broadcasting as `x + y`, under the function's own name.
      const operands = raw.filter((a) => a.name === undefined).map((a) => a.value);
      if (operands.length === 2 && raw.every((a) => a.name === undefined || a.name === "name")) return this.elementwise(tf.name, operands[0], operands[1], node);
    }
    if (tf?.kind === "tensor") {
      const shape = raw.find((a) => a.name === tf.shape.keyword) ?? raw.filter((a) => a.name === undefined)[tf.shape.position];
      return this.newTensor({ type: "literal", shape: shape?.value ?? unresolved("no shape given"), variable: false, text: tf.name, span: span(node) });
    }
    if (tf?.kind === "variable") {
      const initial = raw.find((a) => a.name === "initial_value") ?? raw.find((a) => a.name === undefined);
      const source = isRef(initial?.value, "tensor") ? this.tensors[initial.value.id] : undefined;
      if (source?.type !== "literal" && source?.type !== "shaped") return unresolved("a tf.Variable whose initial value has no literal shape");
      // The initial value is consumed by the variable: the hint and the parameter count go on the variable.
      this.tensors[(initial!.value as RefValue).id] = { type: "shaped", shape: source.shape, span: source.span };
      return this.newTensor({ type: "literal", shape: source.shape, variable: true, text: "tf.Variable", span: span(node) });
    }
    return this.opaqueOnTensors(node, raw, unresolved(`\`${shorten(this.t(callee))}\` is not something Layer Lens follows`), createsNoWeights(path));
  }

  /** What calling an instance runs: its `call` or `forward` (or `__call__`), or a Sequential's modules in order. */
  protected runInstance(instance: Instance, ref: RefValue, args: readonly ArgIR[], site: SyntaxNode | undefined, since?: RunStart, layer?: BlockIR["layer"]): PyValue {
    if (instance.cls.torch === "sequential") return this.runSequential(instance, args, site, since, layer);
    const call = this.callMethod(instance.cls) ?? this.method(instance.cls, "__call__");
    if (!call) return unresolved(`${instance.cls.name} has no ${instance.cls.torch ? "forward" : "call"} method Layer Lens can follow`);
    return this.invoke(this.bound(call, ref), args, site, since, layer);
  }

  /** Calling an instance of a user class runs its `call` (a Model subclass's first call also traces the model). */
  protected callInstance(ref: RefValue, args: readonly ArgIR[], site: SyntaxNode): PyValue {
    const instance = this.instances[ref.id];
    if (instance.cls.torch !== "sequential" && !this.callMethod(instance.cls) && !this.method(instance.cls, "__call__")) {
      return unresolved(`${instance.cls.name} has no ${instance.cls.torch ? "forward" : "call"} method Layer Lens can follow`);
    }
    if (instance.model !== undefined && !instance.traced && args.length) {
      const input = args.find((a) => a.name === undefined)?.value;
      if (this.hasTensor(input ?? null)) {
        instance.traced = true;
        const builder = this.models[instance.model] as GraphBuilder;
        builder.inputs = input!;
        if (instance.cls.torch) instance.called = true;
        const from = this.calls.length;
        builder.outputs = this.runInstance(instance, ref, args, site, undefined, { name: instance.cls.name, object: `instance:${ref.id}`, model: instance.model, ...(instance.cls.torch ? { torch: true as const } : {}) });
        if (instance.cls.torch) builder.ran = Array.from({ length: this.calls.length - from }, (_, i) => from + i);
        return builder.outputs;
      }
    }
    // A PyTorch module run once already, called again on a tensor of unknown shape (a training loop's batch): its
    // forward adds nothing to show, and its runs on known shapes keep their hints.
    if (instance.cls.torch && instance.called && this.unknownTensor(args.find((a) => a.name === undefined)?.value)) {
      return this.newTensor({ type: "unknown", reason: `${instance.cls.name} called on a tensor of unknown shape` });
    }
    // The first call's row owns the weights the layer made before it (in `__init__`).
    const since: RunStart = { calls: this.calls.length, tensors: this.tensors.length, ...(instance.built || instance.called ? {} : { variables: [...(instance.variables ?? [])] }) };
    instance.called = true;
    this.buildLayer(instance, ref, args);
    const layer = instance.cls.base === "other" ? undefined : { name: instance.cls.name, object: `instance:${ref.id}`, ...(instance.model !== undefined ? { model: instance.model } : {}), ...(instance.cls.torch ? { torch: true as const } : {}) };
    const result = this.runInstance(instance, ref, args, site, since, layer);
    return this.usingEveryWeight(instance, result, site);
  }

  private unknownTensor(value: PyValue | undefined): boolean {
    return value === undefined || isUnresolved(value) || (isRef(value, "tensor") && this.shapes.tensorShape(value.id) === undefined);
  }

  /**
   * A model counts a custom layer's `add_weight` variables where its tensors use them. One the layer's `call`
   * does not use would be left out of the total, so then the result is cut off: its shape and weights unknown.
   */
  private usingEveryWeight(instance: Instance, result: PyValue, site: SyntaxNode): PyValue {
    const own = instance.variables ?? [];
    if (!own.length || !this.hasTensor(result)) return result;
    const reached = this.ancestors(result);
    const unused = own.filter((id) => !reached.has(id));
    if (!unused.length) return result;
    const why = unresolved(`a weight of ${instance.cls.name} made by add_weight is not used by its call, so the model's total cannot count it`);
    return this.opaqueOnTensors(site, [{ value: result, span: span(site) }], why, false);
  }

  /** Every tensor a value's tensors are computed from, itself included (bounded like any walk of the program). */
  private ancestors(value: PyValue): Set<number> {
    const seen = new Set<number>();
    const stack: PyValue[] = [value];
    while (stack.length && seen.size < 100_000) {
      const v = stack.pop()!;
      if (isSequence(v)) stack.push(...items(v));
      if (!isRef(v, "tensor") || seen.has(v.id)) continue;
      seen.add(v.id);
      const tensor = this.tensors[v.id];
      if (tensor.type === "output") for (const arg of this.calls[tensor.call].args) stack.push(arg.value);
    }
    return seen;
  }

  /**
   * Keras builds a layer on its first call: `build(self, input_shape)` runs with the shape of the first
   * input (a list of shapes for a list of tensors), so weights made there with `add_weight` are sized.
   */
  private buildLayer(instance: Instance, ref: RefValue, args: readonly ArgIR[]): void {
    const build = this.method(instance.cls, "build");
    if (instance.cls.base !== "layer" || instance.built || !build) return;
    instance.built = true;
    const input = args.find((a) => a.name === undefined) ?? args.find((a) => a.name === "inputs");
    const shapeOf = (v: PyValue): PyValue => (isRef(v, "tensor") ? this.shapeValue(v) : isSequence(v) ? items(v).map(shapeOf) : unresolved("the input is not a tensor Layer Lens follows"));
    this.invoke(this.bound(build, ref), [{ value: input ? shapeOf(input.value) : unresolved("no input"), span: input?.span ?? { start: 0, end: 0 } }], undefined);
  }

  /**
   * `self.add_weight(shape=..., trainable=...)` in a custom layer: a variable, counted like a layer's weight
   * where the model uses it. Keras 3 takes the shape first; tf.keras 2 took the name first, then the shape.
   */
  private addWeight(node: SyntaxNode, instance: Instance, args: readonly ArgIR[]): RefValue {
    const positional = args.filter((a) => a.name === undefined).map((a) => a.value);
    const shape = args.find((a) => a.name === "shape")?.value ?? positional.find((v, i) => i < 2 && (isSequence(v) || isUnresolved(v))) ?? unresolved("add_weight() without a shape");
    const trainable = args.find((a) => a.name === "trainable")?.value;
    const variable = this.newTensor({ type: "literal", shape, variable: true, text: `${instance.cls.name}.add_weight`, span: span(node), ...(trainable === false ? { trainable: false } : {}) });
    (instance.variables ??= []).push(variable.id);
    return variable;
  }

  attribute(node: SyntaxNode, scope: Scope, depth: number): PyValue {
    const object = node.firstChild;
    const property = node.getChild("PropertyName");
    if (!object || !property) return unresolved("an incomplete attribute");
    // `config.IMG_SIZE`, `models.blocks.conv_block`: a name of a module of the project.
    const module = this.project && importPathOf(object, this.text, scope);
    if (module && isProjectPath(module)) {
      const named = this.projectName(`${module}.${this.t(property)}`, span(node));
      if (named && "value" in named) return named.value;
      if (named && "module" in named) return unresolved(`\`${shorten(this.t(node))}\` is a module, not a value`);
    }
    return this.attributeOf(node, this.eval(object, scope, depth + 1), scope);
  }

  /** `owner.property` (the attribute `node`) for an owner already evaluated. */
  protected attributeOf(node: SyntaxNode, owner: PyValue, scope: Scope): PyValue {
    const property = node.getChild("PropertyName")!;
    if (isRef(owner, "tensor") && this.t(property) === "shape") return this.shapeValue(owner);
    if (isRef(owner, "tensor")) {
      const named = this.tensorAttribute(owner, this.t(property));
      if (named !== undefined) return named;
    }
    if (isRef(owner, "instance")) {
      const instance = this.instances[owner.id];
      const value = instance.attributes.get(this.t(property));
      if (value !== undefined) return value;
      const method = this.method(instance.cls, this.t(property));
      if (method) return { ref: "function", id: this.functions.push(this.bound(method, owner)) - 1 };
      const own = this.classAttribute(instance.cls, this.t(property));
      if (own !== undefined) return own;
    }
    if (isRef(owner, "class")) {
      const own = this.classAttribute(this.classes[owner.id], this.t(property));
      if (own !== undefined) return own;
    }
    if (isRef(owner, "dict") && this.namespaces.has(owner.id)) return this.item(owner, this.t(property))!;
    if (isRef(owner, "model") || isRef(owner, "layer")) {
      const own = this.endpoint(owner, this.t(property));
      if (own !== undefined) return own;
    }
    const key = this.t(node).replace(/\s+/g, "");
    if (this.targetKey(node) !== undefined && scope.defines(key)) return scope.value(key);
    if (this.sessionNamedLayer(owner)) return owner;
    const why = `\`${shorten(this.t(node))}\` is an attribute, not a constant`;
    if (isRef(owner, "layer") && this.layers[owner.id].call.kind.startsWith("torch.nn.")) return { unresolved: why, parameter: { layer: owner.id, weight: this.t(property) } };
    return unresolved(why);
  }

  dictionary(node: SyntaxNode, scope: Scope, depth: number): PyValue {
    const parts = expressionChildren(node);
    const entries: [string, PyValue][] = [];
    for (let i = 0; i < parts.length; i++) {
      if (parts[i].name === "**" && parts[i + 1]) {
        const spread = this.keywords(this.eval(parts[i + 1], scope, depth + 1));
        if (!spread) return unresolved("a dict built from one Layer Lens cannot follow");
        entries.push(...spread);
        i += 1;
        continue;
      }
      const [key, value] = [parts[i], parts[i + 1]];
      if (!value) return unresolved("an incomplete dict");
      const name = this.eval(key, scope, depth + 1);
      if (typeof name !== "string") return unresolved("a dict whose keys are not constant strings");
      entries.push([name, this.eval(value, scope, depth + 1)]);
      i += 1;
    }
    return this.newDict(entries);
  }

  comprehension(node: SyntaxNode, scope: Scope, depth: number): PyValue {
    const parts = expressionChildren(node);
    const forAt = parts.findIndex((p) => p.name === "for");
    const inAt = parts.findIndex((p) => p.name === "in");
    if (forAt !== 1 || inAt < 0 || parts.filter((p) => p.name === "for").length > 1) return unresolved("a comprehension Layer Lens does not follow");
    const sequence = this.iterated(this.eval(parts[inAt + 1], scope, depth + 1));
    if (!isSequence(sequence)) return isUnresolved(sequence) ? sequence : unresolved("a comprehension over a value that is not a constant sequence");
    if (items(sequence).length > LIMITS.iterations) return unresolved("a comprehension too long to follow");
    const outermost = this.expression === undefined;
    if (outermost) this.expression = { steps: this.steps, built: this.built() };
    this.repeating++;
    try {
      const value = this.comprehensionItems(node, parts, items(sequence), scope, depth);
      return this.expressionAbandoned() ? unresolved(`a comprehension with more than ${LIMITS.expressionSteps.toLocaleString("en")} items to compute (only its shape would matter)`) : value;
    } finally {
      this.repeating--;
      // An abandoned comprehension is charged a little of the file's budget, not its work: one positional-encoding
      // table must not use up what the rest of the file needs, and many of them still run out.
      if (outermost && this.expressionAbandoned()) this.steps = this.expression!.steps + LIMITS.abandonedExpressionCost;
      if (outermost) this.expression = undefined;
    }
  }

  /**
   * An input shape the code takes from data (`keras.Input(shape=x_train.shape[1:])`) stated by the user once, at
   * the end of the line: `# input: (None, 288, 1)`, batch axis included. It is used only where the code's own
   * shape is not known; `keras.Input`'s and `InputLayer`'s `shape`, a first layer's `input_shape`.
   */
  private annotatedInput(node: SyntaxNode, kind: string, args: ArgIR[]): ArgIR[] {
    const positional = kind === "Input" || kind === "InputLayer" ? args.findIndex((a) => a.name === undefined) : -1;
    const at = args.findIndex((a) => a.name === "shape" || a.name === "input_shape");
    const index = at >= 0 ? at : positional;
    if (index < 0 || !holdsUnknown(args[index].value)) return args;
    const annotation = this.lineAnnotation(node);
    const shape = annotation && this.annotationValue(annotation.text, this.module?.scope);
    if (!shape || !isSequence(shape) || items(shape).length < 1) return args;
    const replaced = [...args];
    replaced[index] = { ...args[index], value: { tuple: items(shape).slice(1) }, span: annotation.span };
    return replaced;
  }

  /**
   * `layers.Lambda(fn)(x)` with a function of the file or a `lambda`: the function runs on the tensors, as Keras
   * traces it, and the call is one row (`Lambda`) of the model. Undefined: the function is not followed.
   */
  private traceLambda(layer: RefValue, args: readonly ArgIR[], site: SyntaxNode): PyValue | undefined {
    const own = this.layers[layer.id].call.args;
    const fn = (own.find((a) => a.name === "function") ?? own.find((a) => a.name === undefined))?.value;
    if (!isRef(fn, "function")) return undefined;
    const inputs = args.filter((a) => a.name === undefined || a.name === "inputs").slice(0, 1);
    const options = own.find((a) => a.name === "arguments")?.value;
    const extra = isRef(options, "dict") ? (this.keywords(options) ?? []).map(([name, value]): ArgIR => ({ name, value, span: span(site) })) : [];
    return this.invoke(this.functions[fn.id], [...inputs, ...extra], site, undefined, { name: "Lambda", object: `layer:${layer.id}` });
  }

  /** `model.get_layer("encoder_out")`: the layer the file created with that `name=` (Keras's own names are not guessed). */
  private layerNamed(name: string): PyValue {
    const found = this.layers.flatMap((l, id) => (l.call.args.some((a) => a.name === "name" && a.value === name) ? [id] : []));
    return found.length === 1 ? { ref: "layer", id: found[0] } : unresolved(`no single layer named '${name}' is created in the file`);
  }

  /**
   * A functional model's `input`/`inputs`/`output`/`outputs`, and the `output`/`input` of a layer called exactly
   * once: the tensors a new model can be built from (`keras.Model(base.input, base.get_layer("pool").output)`).
   */
  private endpoint(owner: RefValue, property: string): PyValue | undefined {
    const id = owner.id;
    if (owner.ref === "model") {
      const model = this.models[id];
      if (model.kind !== "functional") return undefined;
      if (property === "layers") return this.backboneLayers(id);
      if (property === "output_shape" || property === "input_shape") {
        const ends = property === "output_shape" ? model.outputs : model.inputs;
        return isSequence(ends) ? items(ends).map((t) => this.shapeValue(t)) : this.shapeValue(ends);
      }
      const value = property === "input" || property === "inputs" ? model.inputs : property === "output" || property === "outputs" ? model.outputs : undefined;
      if (value === undefined) return undefined;
      return property.endsWith("s") && !isSequence(value) ? [value] : value;
    }
    if (property !== "output" && property !== "input") return undefined;
    const calls = this.calls.flatMap((c, i) => (calledLayer(c) === id ? [i] : []));
    if (calls.length !== 1) return unresolved(`the ${property} of a layer called ${calls.length === 0 ? "nowhere" : "more than once"}`);
    if (property === "input") return this.calls[calls[0]].args.find((a) => a.name === undefined)?.value ?? unresolved("a layer called without an input");
    const tensor = this.tensors.findIndex((t) => t.type === "output" && t.call === calls[0] && t.index === 0);
    return tensor < 0 ? unresolved("a layer whose output Layer Lens did not record") : { ref: "tensor", id: tensor };
  }

  /** A method of a Keras layer whose value its arguments decide (`lookup.vocabulary_size()`); undefined: not one. */
  private layerMethod(layer: RefValue, name: string, args: readonly ArgIR[]): PyValue | undefined {
    const call = this.layers[layer.id].call;
    const method = findLayer(call.kind)?.methods?.[name];
    if (!method) return undefined;
    if (args.length) return unresolved(`${call.kind}.${name}() with arguments`);
    return method(bindArguments(findLayer(call.kind)!, call.args).args);
  }

  /** A class attribute, looked up along the class's bases (`Config.MAX_LEN`, or read through an instance). */
  private classAttribute(cls: ClassDef | undefined, name: string): PyValue | undefined {
    for (let c = cls; c; c = c.parent) {
      const value = c.attributes.get(name);
      if (value !== undefined) return value;
    }
    return undefined;
  }

  /** How many objects of the program have been made: a comprehension that made some cannot be abandoned. */
  private built(): number {
    return this.calls.length + this.tensors.length + this.layers.length + this.models.length;
  }

  /** Whether the comprehension under way computed more items than one expression may, building nothing. */
  private expressionAbandoned(): boolean {
    const expression = this.expression;
    return !!expression && this.steps - expression.steps > LIMITS.expressionSteps && this.built() === expression.built;
  }

  protected comprehensionItems(node: SyntaxNode, parts: SyntaxNode[], sequence: readonly PyValue[], scope: Scope, depth: number): PyValue {
    const forAt = parts.findIndex((p) => p.name === "for");
    const inAt = parts.findIndex((p) => p.name === "in");
    const ifAt = parts.findIndex((p) => p.name === "if");
    const targets = parts.slice(forAt + 1, inAt);
    const out: PyValue[] = [];
    for (const item of sequence) {
      if (this.expressionAbandoned()) return unresolved("an abandoned comprehension");
      if (++this.steps > LIMITS.steps) {
        this.exhaust(node);
        return unresolved("the file has more to follow than Layer Lens does");
      }
      // Comprehension variables live in their own scope, as in Python 3.
      const local = scope.child(this.uncertain);
      const ctx: Context = { scope: local, flow: "straight" };
      if (targets.length === 1) this.bindTarget(targets[0], item, ctx);
      else this.unpack(targets, item, ctx);
      if (ifAt > 0) {
        const keep = truthy(this.eval(parts[ifAt + 1], local, depth + 1));
        if (keep === undefined) return unresolved("a comprehension with a condition that is not constant");
        if (!keep) continue;
      }
      out.push(this.eval(parts[0], local, depth + 1));
    }
    return out;
  }

  item(target: PyValue, index: PyValue): PyValue | undefined {
    if (isRef(target, "dict") && typeof index === "string") {
      const why = this.opaqueDicts.has(target.id) ? "the dict was changed in a way Layer Lens does not follow" : `the dict has no key '${index}'`;
      return this.dicts[target.id].get(index) ?? unresolved(why);
    }
    if (isRef(target, "tensor") && isInt(index) && index >= 0) return this.stateTuple(target, index) ?? this.tupleItem(target, index);
    if (isRef(target, "instance") && this.instances[target.id].cls.torch === "sequential" && (isInt(index) || isSlice(index))) return this.sequentialItem(this.instances[target.id], index);
    return undefined;
  }

  /** The i-th output of a call that returns several tensors (attention scores, a split); undefined otherwise. */
  protected tupleItem(target: RefValue, index: number): RefValue | undefined {
    const tensor = this.tensors[target.id];
    if (tensor.type !== "output" || tensor.index !== 0) return undefined;
    const count = this.shapes.outputCount(tensor.call) ?? 0;
    if (count < 2 || index >= count) return undefined;
    return index === 0 ? target : this.newTensor({ type: "output", call: tensor.call, index });
  }

  tensorItem(node: SyntaxNode, tensor: RefValue, key: PyValue): PyValue {
    const own = isInt(key) && key >= 0 ? this.tupleItem(tensor, key) : undefined;
    if (own) return own;
    const args: ArgIR[] = [{ value: tensor, span: span(node.firstChild!) }, { name: "key", value: key, span: span(node) }];
    return this.record({ callee: { op: "GetItem", calleeSpan: span(node) }, args, span: span(node) });
  }

  operator(op: string, a: PyValue, b: PyValue, node: SyntaxNode): PyValue {
    const operator = TENSOR_OPERATORS.get(op) ?? ELEMENTWISE_OPERATORS.get(op);
    if (operator) return this.elementwise(operator, a, b, node);
    if (op === "@" && isRef(a, "tensor") && isRef(b, "tensor")) {
      return this.record({ callee: { op: "tf.matmul", calleeSpan: span(node) }, args: [{ value: a, span: span(node) }, { value: b, span: span(node) }], span: span(node) });
    }
    return this.elementwise(undefined, a, b, node);
  }

  /**
   * An element-wise operation on two values, `name` what the summary calls it (`add`, `tf.maximum`; none for
   * an operator Layer Lens does not follow): two tensors broadcast as NumPy does, a tensor and a number keep the
   * tensor's shape, and anything not followed gives a tensor of unknown shape.
   */
  private elementwise(name: string | undefined, a: PyValue, b: PyValue, node: SyntaxNode): PyValue {
    if (name && isRef(a, "tensor") && isRef(b, "tensor")) {
      return this.record({ callee: { operator: name }, args: [{ value: a, span: span(node) }, { value: b, span: span(node) }], span: span(node) });
    }
    // A tensor scaled or shifted by a number keeps its shape.
    const scalar = (v: PyValue) => numeric(v) !== undefined || typeof v === "boolean";
    if (name && ((isRef(a, "tensor") && scalar(b)) || (scalar(a) && isRef(b, "tensor")))) return isRef(a, "tensor") ? a : b;
    const why = unresolved(`\`${shorten(this.t(node))}\` on values Layer Lens cannot combine`);
    // Arithmetic with a value not followed (a mask from data, or `self.w`, a weight): its shape is unknown, and
    // so are its weights unless the other operand is a plain value.
    if (!isRef(a, "tensor") && !isRef(b, "tensor")) return why;
    const args = [a, b].filter((v) => isRef(v, "tensor")).map((value) => ({ value, span: span(node) }));
    const reason = `the shape of \`${shorten(this.t(node))}\` is unknown (${isUnresolved(a) ? a.unresolved : isUnresolved(b) ? b.unresolved : why.unresolved})`;
    return this.record({ callee: { opaque: shorten(this.t(node)), calleeSpan: span(node), reason, weightless: !holdsUnknown(a) && !holdsUnknown(b) }, args, span: span(node) });
  }
}

/** Whether a value is, or holds, something Layer Lens could not follow. */
function holdsUnknown(value: PyValue): boolean {
  return isUnresolved(value) || (isSequence(value) && items(value).some(holdsUnknown));
}

/** The layer instance a call calls, if it calls one. */
function calledLayer(call: CallIR): number | undefined {
  const callee = call.callee;
  return "ref" in callee && callee.ref === "layer" ? callee.id : undefined;
}
