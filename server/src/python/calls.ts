/**
 * Expressions that are not constants, for the evaluator (`EvaluationHost`): calls (of the
 * user's helpers and classes, of layers, models and library functions), attributes, dicts,
 * comprehensions, items and tensor arithmetic.
 */
import { SyntaxNode } from "@lezer/common";
import { ArgIR, LayerCallIR } from "../engine/ir";
import { PyValue, RefValue, isInt, isRef, isSequence, isUnresolved, items, numeric, unresolved } from "../engine/values";
import { expressionChildren, importPathOf, truthy } from "./evaluate";
import { classifyKerasPath, classifyTensorFlowPath } from "./keras";
import { Scope } from "./scope";
import { ClassDef, Context, FunctionDef, GraphBuilder, STARRED, TENSOR_OPERATORS } from "./interpreterState";
import { LIMITS } from "./limits";
import { incompleteCall, shorten, span } from "./syntax";
import { builtin, rangeLength } from "./builtins";
import { Containers } from "./containers";

export abstract class Calls extends Containers {
  protected abstract sequential(call: SyntaxNode, scope: Scope): RefValue;
  protected abstract invoke(fn: FunctionDef, args: readonly ArgIR[] | undefined, site: SyntaxNode | undefined): PyValue;
  protected abstract instantiate(cls: ClassDef, args: readonly ArgIR[] | undefined, site: SyntaxNode | undefined): RefValue;
  protected abstract method(cls: ClassDef | undefined, name: string): FunctionDef | undefined;
  protected abstract bound(fn: FunctionDef, self: RefValue): FunctionDef;
  protected abstract bindTarget(target: SyntaxNode, value: PyValue | undefined, ctx: Context): void;
  protected abstract unpack(targets: SyntaxNode[], value: PyValue | undefined, ctx: Context): void;

  call(node: SyntaxNode, scope: Scope, depth: number): PyValue {
    if (this.exhausted) return unresolved("the file has more to follow than Layer Lens does");
    const callee = node.firstChild;
    const argList = node.getChild("ArgList");
    if (!callee || !argList) return unresolved("a call still being typed");
    const path = importPathOf(callee, this.text, scope);
    // A Sequential list still being typed keeps the layers written so far.
    if (path !== undefined && classifyKerasPath(path)?.kind === "sequential") return this.sequential(node, scope);
    if (incompleteCall(node)) return unresolved("a call still being typed");
    if (this.repeating && ++this.steps > LIMITS.steps) {
      this.exhaust(node);
      return unresolved("the file has more to follow than Layer Lens does");
    }
    if (path !== undefined) return this.libraryCall(node, path, scope, depth);
    if (callee.name === "VariableName" && !scope.defines(this.t(callee))) {
      const args = this.args(argList, scope, depth);
      const value = args && this.t(callee) === "dict" ? this.dictCall(args) : args && builtin(this.t(callee), args);
      if (value !== undefined) return value;
    }
    // `owner.method(...)`: the owner is evaluated once, whatever it turns out to be (it may be a helper's call).
    const property = callee.name === "MemberExpression" ? callee.getChild("PropertyName") : null;
    const receiver = property && callee.firstChild;
    const owner = receiver ? this.eval(receiver, scope, depth + 2) : undefined;
    const method = receiver && property ? this.containerMethod(node, receiver, this.t(property), owner!, scope, depth) : undefined;
    if (method !== undefined) return method;
    const target = receiver ? this.attributeOf(callee, owner!, scope) : this.eval(callee, scope, depth + 1);
    const args = this.args(argList, scope, depth);
    if (!args) return unresolved(`\`${shorten(this.t(node))}\` ${STARRED}`);
    if (isRef(target, "function")) return this.invoke(this.functions[target.id], args, node);
    if (isRef(target, "class")) return this.instantiate(this.classes[target.id], args, node);
    if (isRef(target, "layer") || isRef(target, "model")) return this.record({ callee: target, args, span: span(node) });
    if (isRef(target, "instance")) return this.callInstance(target, args, node);
    // A callee bound to something unknown (`self.block` set in a conditional block) says why.
    if (isUnresolved(target) && scope.defines(this.t(callee).split(".")[0])) return target;
    return unresolved(`\`${shorten(this.t(node))}\` is a call, not a constant expression`);
  }

  /** A call of something imported: a Keras layer class, model, function, or a TensorFlow op / tensor. */
  protected libraryCall(node: SyntaxNode, path: string, scope: Scope, depth: number): PyValue {
    const callee = node.firstChild!;
    const keras = classifyKerasPath(path);
    const raw = this.args(node.getChild("ArgList")!, scope, depth);
    if (!raw) return unresolved(`\`${shorten(this.t(node))}\` ${STARRED}`);
    // A layer built inside another's arguments (`Bidirectional(LSTM(64))`) is passed as a value.
    const args = raw.map((a) => (isRef(a.value, "layer") ? { ...a, value: this.layerValue(a.value) } : a));
    if (keras?.kind === "model") return this.functional(node, raw);
    if (keras?.kind === "shape") return this.shapeValue(raw.find((a) => a.name === undefined)?.value);
    if (keras?.kind === "layer") {
      const call: LayerCallIR = { type: "layer", kind: keras.name, args, span: span(node), calleeSpan: span(callee) };
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
    return unresolved(`\`${shorten(this.t(node))}\` is a call, not a constant expression`);
  }

  /** Calling an instance of a user class runs its `call` (a Model subclass's first call also traces the model). */
  protected callInstance(ref: RefValue, args: readonly ArgIR[], site: SyntaxNode): PyValue {
    const instance = this.instances[ref.id];
    const call = this.method(instance.cls, "call") ?? this.method(instance.cls, "__call__");
    if (!call) return unresolved(`${instance.cls.name} has no call method Layer Lens can follow`);
    if (instance.model !== undefined && !instance.traced && args.length) {
      const input = args.find((a) => a.name === undefined)?.value;
      if (this.hasTensor(input ?? null)) {
        instance.traced = true;
        const builder = this.models[instance.model] as GraphBuilder;
        builder.inputs = input!;
        builder.outputs = this.invoke(this.bound(call, ref), args, site);
        return builder.outputs;
      }
    }
    return this.invoke(this.bound(call, ref), args, site);
  }

  attribute(node: SyntaxNode, scope: Scope, depth: number): PyValue {
    const object = node.firstChild;
    const property = node.getChild("PropertyName");
    if (!object || !property) return unresolved("an incomplete attribute");
    return this.attributeOf(node, this.eval(object, scope, depth + 1), scope);
  }

  /** `owner.property` (the attribute `node`) for an owner already evaluated. */
  protected attributeOf(node: SyntaxNode, owner: PyValue, scope: Scope): PyValue {
    const property = node.getChild("PropertyName")!;
    if (isRef(owner, "tensor") && this.t(property) === "shape") return this.shapeValue(owner);
    if (isRef(owner, "instance")) {
      const instance = this.instances[owner.id];
      const value = instance.attributes.get(this.t(property));
      if (value !== undefined) return value;
      const method = this.method(instance.cls, this.t(property));
      if (method) return { ref: "function", id: this.functions.push(this.bound(method, owner)) - 1 };
    }
    const key = this.t(node).replace(/\s+/g, "");
    if (this.targetKey(node) !== undefined && scope.defines(key)) return scope.value(key);
    return unresolved(`\`${shorten(this.t(node))}\` is an attribute, not a constant`);
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
    const sequence = this.eval(parts[inAt + 1], scope, depth + 1);
    if (!isSequence(sequence)) return isUnresolved(sequence) ? sequence : unresolved("a comprehension over a value that is not a constant sequence");
    if (items(sequence).length > LIMITS.iterations) return unresolved("a comprehension too long to follow");
    this.repeating++;
    try {
      return this.comprehensionItems(node, parts, items(sequence), scope, depth);
    } finally {
      this.repeating--;
    }
  }

  protected comprehensionItems(node: SyntaxNode, parts: SyntaxNode[], sequence: readonly PyValue[], scope: Scope, depth: number): PyValue {
    const forAt = parts.findIndex((p) => p.name === "for");
    const inAt = parts.findIndex((p) => p.name === "in");
    const ifAt = parts.findIndex((p) => p.name === "if");
    const targets = parts.slice(forAt + 1, inAt);
    const out: PyValue[] = [];
    for (const item of sequence) {
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
    if (isRef(target, "tensor") && isInt(index) && index >= 0) {
      // The i-th output of a call that returns a tuple (attention scores).
      const tensor = this.tensors[target.id];
      if (tensor.type !== "output" || tensor.index !== 0) return undefined;
      return index === 0 ? target : this.newTensor({ type: "output", call: tensor.call, index });
    }
    return undefined;
  }

  operator(op: string, a: PyValue, b: PyValue, node: SyntaxNode): PyValue {
    const operator = TENSOR_OPERATORS.get(op);
    if (operator && isRef(a, "tensor") && isRef(b, "tensor")) {
      return this.record({ callee: { operator }, args: [{ value: a, span: span(node) }, { value: b, span: span(node) }], span: span(node) });
    }
    // A tensor scaled or shifted by a number keeps its shape.
    const scalar = (v: PyValue) => numeric(v) !== undefined || typeof v === "boolean";
    if (operator && ((isRef(a, "tensor") && scalar(b)) || (scalar(a) && isRef(b, "tensor")))) return isRef(a, "tensor") ? a : b;
    return unresolved(`'${op}' on values Layer Lens cannot combine`);
  }
}
