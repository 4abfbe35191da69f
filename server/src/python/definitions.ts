/**
 * The user's functions and classes: definitions, helper runs with their arguments, instances
 * whose `__init__` runs, and Model subclasses traced through `call` on an input shape (from
 * `model.build(...)`, a call on a tensor, or the `# input:` annotation).
 */
import { SyntaxNode } from "@lezer/common";
import { ArgIR, BlockIR, LayerCallIR, Span } from "../engine/ir";
import { PyValue, RefValue, isRef, isSequence, isUnresolved, items, unresolved } from "../engine/values";
import { evaluate, expressionChildren, importPathOf } from "./evaluate";
import { classifyKerasPath, classifyTorchPath } from "./libraries";
import { parsePython } from "./parser";
import { Scope } from "./scope";
import { ClassDef, Context, Frame, FunctionDef, GraphBuilder, Instance, LoadedModule, Param, RunStart } from "./interpreterState";
import { LIMITS } from "./limits";
import { hasError, shorten, span } from "./syntax";
import { Backbones } from "./backbones";

const ANNOTATION = /^#\s*input:\s*(.+?)\s*$/;

export abstract class Definitions extends Backbones {
  protected abstract body(node: SyntaxNode, ctx: Context, depth?: number): void;
  protected abstract statement(stmt: SyntaxNode, ctx: Context, depth: number): void;

  protected parameters(list: SyntaxNode | null, scope: Scope): Param[] {
    const params: Param[] = [];
    if (!list) return params;
    const parts = expressionChildren(list);
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i];
      if ((part.name === "*" || part.name === "**") && parts[i + 1]?.name === "VariableName") {
        params.push({ name: this.t(parts[i + 1]), star: part.name });
        i++;
      } else if (part.name === "VariableName") {
        const hasDefault = parts[i + 1]?.name === "AssignOp" && parts[i + 2];
        params.push({ name: this.t(part), ...(hasDefault ? { default: this.eval(parts[i + 2], scope) } : {}) });
        if (hasDefault) i += 2;
      }
    }
    return params;
  }

  /**
   * `lambda t: t / 255.0`: a function whose body is the expression it returns. It counts as called already: a
   * lambda is not run on its own at the end, as a function never called is.
   */
  lambda(node: SyntaxNode, scope: Scope): PyValue {
    const colon = node.getChild(":");
    const body = colon?.nextSibling;
    if (!body || body.type.isError) return unresolved("an incomplete lambda");
    const fn: FunctionDef = { name: "<lambda>", body, expression: true, scope, params: this.parameters(node.getChild("ParamList"), scope), invoked: true, ...this.definedIn() };
    return { ref: "function", id: this.functions.push(fn) - 1 };
  }

  protected functionDefinition(stmt: SyntaxNode, ctx: Context): void {
    const name = stmt.getChild("VariableName");
    const body = stmt.getChild("Body");
    if (!name) return;
    if (!body) return ctx.scope.bindValue(this.t(name), unresolved(`'${this.t(name)}' is a function`));
    const fn: FunctionDef = { name: this.t(name), body, scope: ctx.scope, params: this.parameters(stmt.getChild("ParamList"), ctx.scope), invoked: false, ...this.definedIn() };
    ctx.scope.bindValue(fn.name, { ref: "function", id: this.functions.push(fn) - 1 });
  }

  protected classDefinition(stmt: SyntaxNode, ctx: Context): void {
    const name = stmt.getChild("VariableName");
    const body = stmt.getChild("Body");
    if (!name) return;
    let base: ClassDef["base"] = "other";
    let builtin: string | undefined;
    let parent: ClassDef | undefined;
    let torch: ClassDef["torch"];
    const bases = stmt.getChild("ArgList");
    for (const b of bases ? expressionChildren(bases) : []) {
      const path = importPathOf(b, this.text, ctx.scope);
      const keras = path === undefined ? undefined : classifyKerasPath(path);
      if (keras?.kind === "model") base = "model";
      else if (path !== undefined && classifyTorchPath(path)?.kind === "module") [base, torch] = ["model", "module"];
      else if (keras?.kind === "layer" && keras.name === "Layer" && base === "other") base = "layer";
      else if (keras?.kind === "layer" && keras.name !== "Input" && base === "other") {
        base = "layer";
        builtin = keras.name;
      }
      const user = this.eval(b, ctx.scope);
      if (isRef(user, "class")) {
        parent = this.classes[user.id];
        if (base === "other") base = parent.base;
        if (parent.torch) torch = "module";
      }
    }
    const methods = new Map<string, number>();
    let annotation: ClassDef["annotation"];
    for (let member = body?.firstChild; member; member = member.nextSibling) {
      const fn = member.name === "DecoratedStatement" ? member.getChild("FunctionDefinition") : member;
      if (fn?.name !== "FunctionDefinition") continue;
      const fnName = fn.getChild("VariableName");
      const fnBody = fn.getChild("Body");
      if (!fnName || !fnBody) continue;
      const def: FunctionDef = { name: `${this.t(name)}.${this.t(fnName)}`, body: fnBody, scope: ctx.scope, params: this.parameters(fn.getChild("ParamList"), ctx.scope), invoked: false, ...this.definedIn() };
      methods.set(this.t(fnName), this.functions.push(def) - 1);
      if (this.t(fnName) === (torch ? "forward" : "call")) annotation = this.annotation(fn) ?? annotation;
    }
    annotation = this.annotation(stmt) ?? annotation;
    const { attributes, fields } = this.classBody(body, ctx);
    const dataclass = stmt.parent?.name === "DecoratedStatement" && stmt.parent.getChildren("Decorator").some((d) => /^@\s*(dataclasses\s*\.\s*)?dataclass\b/.test(this.t(d)));
    builtin ??= parent?.builtin;
    const cls: ClassDef = { ...this.definedIn(), name: this.t(name), node: stmt, base, methods, parent, annotation, attributes, ...(dataclass ? { fields } : {}), ...(builtin ? { builtin } : {}), ...(torch ? { torch } : {}), instantiated: false };
    ctx.scope.bindValue(cls.name, { ref: "class", id: this.classes.push(cls) - 1 });
  }

  /** The imported module whose code defines a function or class now, if not the file. */
  private definedIn(): { module?: LoadedModule } {
    return this.module ? { module: this.module } : {};
  }

  /**
   * A class body's assignments, run in a namespace of their own as Python does (`MAX_LEN = 128`,
   * `units: int = 16`), and the annotated names in order (a dataclass's fields). Methods are not run here.
   */
  private classBody(body: SyntaxNode | null, ctx: Context): { attributes: Map<string, PyValue>; fields: string[] } {
    const namespace = ctx.scope.child(this.uncertain);
    const fields: string[] = [];
    for (let member = body?.firstChild; member; member = member.nextSibling) {
      if (member.name !== "AssignStatement") continue;
      const target = member.firstChild;
      if (target?.name === "VariableName" && member.getChild("TypeDef")) fields.push(this.t(target));
      this.statement(member, { scope: namespace, flow: ctx.flow }, 0);
    }
    return { attributes: new Map(namespace.ownBindings().values), fields };
  }

  /** The generated `__init__` of a dataclass: each field from the arguments, or its default. */
  private initDataclass(cls: ClassDef, instance: Instance, args: readonly ArgIR[] | undefined): void {
    const positional = args?.filter((a) => a.name === undefined) ?? [];
    for (const [i, field] of (cls.fields ?? []).entries()) {
      const given = i < positional.length ? positional[i] : args?.find((a) => a.name === field);
      const value = !args ? unresolved(`'${field}' is a field of an instance made with unknown arguments`) : given ? given.value : cls.attributes.get(field);
      instance.attributes.set(field, value !== undefined ? value : unresolved(`the dataclass field '${field}' has no value`));
    }
  }

  /**
   * An input-shape annotation: `# input: (None, 28, 28, 1)` at the end of the `class` / `def call`
   * line, or alone on the line just before it.
   */
  /** An input-shape annotation at the end of the line where `node` ends: `# input: (None, 288, 1)`. */
  protected lineAnnotation(node: SyntaxNode): ClassDef["annotation"] {
    const lineEnd = this.text.indexOf("\n", node.to);
    const rest = this.text.slice(node.to, lineEnd < 0 ? this.text.length : lineEnd);
    const hash = rest.search(/#\s*input:/);
    if (hash < 0) return undefined;
    const match = ANNOTATION.exec(rest.slice(hash));
    if (!match) return undefined;
    // A shape holds no `#`: what follows one is another comment.
    const shape = match[1].split("#")[0].trimEnd();
    const start = node.to + hash + rest.slice(hash).indexOf(shape);
    return { text: shape, span: { start, end: start + shape.length } };
  }

  protected annotation(definition: SyntaxNode): ClassDef["annotation"] {
    const body = definition.getChild("Body");
    const sameLine = body?.getChild("Comment");
    const headerEnd = body ? this.text.indexOf("\n", body.from) : -1;
    const candidates: SyntaxNode[] = [];
    if (sameLine && (headerEnd < 0 || sameLine.from < headerEnd)) candidates.push(sameLine);
    const outer = definition.parent?.name === "DecoratedStatement" ? definition.parent : definition;
    const before = outer.prevSibling;
    if (before?.name === "Comment" && /^[ \t]*\n[ \t]*$/.test(this.text.slice(before.to, outer.from))) candidates.push(before);
    for (const comment of candidates) {
      const match = ANNOTATION.exec(this.t(comment));
      if (match) {
        const start = comment.from + this.t(comment).indexOf(match[1]);
        return { text: match[1], span: { start, end: start + match[1].length } };
      }
    }
    return undefined;
  }

  /** What calling an instance runs: a Keras layer's or model's `call`, a PyTorch module's `forward`. */
  protected callMethod(cls: ClassDef): FunctionDef | undefined {
    return this.method(cls, cls.torch ? "forward" : "call");
  }

  protected method(cls: ClassDef | undefined, name: string): FunctionDef | undefined {
    for (let c = cls; c; c = c.parent) {
      const id = c.methods.get(name);
      if (id !== undefined) return this.functions[id];
    }
    return undefined;
  }

  /** Runs a helper with its arguments (undefined: unknown parameters); records a block when it returns tensors. */
  /**
   * `since`: where the run's block starts counting what was made, when work before the body belongs to it
   * (a custom layer's `build` before its `call`), and variables made earlier that are its own (in `__init__`).
   */
  protected invoke(fn: FunctionDef, args: readonly ArgIR[] | undefined, site: SyntaxNode | undefined, since?: RunStart, layer?: BlockIR["layer"]): PyValue {
    (fn.origin ?? fn).invoked = true;
    if (this.callDepth >= LIMITS.callDepth) return unresolved(`helper calls nested more than ${LIMITS.callDepth} deep`);
    if (this.exhausted) return unresolved("the file has more to follow than Layer Lens does");
    const scope = fn.scope.child(this.uncertain);
    this.bindArguments(fn, args, scope);
    this.invocations.push(scope);
    const before = since ?? { calls: this.calls.length, tensors: this.tensors.length };
    const frame: Frame = { done: false, uncertain: false };
    this.callDepth++;
    this.repeating++;
    try {
      this.runIn(fn.module, site ? span(site) : undefined, () => {
        if (fn.expression) {
          frame.result = this.eval(fn.body, scope);
          frame.done = true;
        } else this.body(fn.body, { scope, flow: "straight", frame });
      });
    } finally {
      this.callDepth--;
      this.repeating--;
      this.invocations.pop();
    }
    const result = frame.uncertain ? unresolved(`${fn.name}() returns from inside a conditional block or loop`) : (frame.result ?? null);
    if (site && this.hasTensor(result)) {
      const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
      const made = range(before.tensors, this.tensors.length).filter((id) => this.isVariable(id));
      const variables = [...(since?.variables ?? []).filter((id) => id < before.tensors), ...made];
      const definedIn = fn.module && !this.shown(fn.module) ? { definedIn: fn.module.source.name } : {};
      this.blocks.push({ name: fn.name, span: span(site), result, calls: range(before.calls, this.calls.length), ...(variables.length ? { variables } : {}), ...(layer ? { layer } : {}), ...definedIn });
    }
    return result;
  }

  protected bindArguments(fn: FunctionDef, args: readonly ArgIR[] | undefined, scope: Scope): void {
    const params = [...fn.params];
    if (fn.self && params.length && !params[0].star) scope.bindValue(params.shift()!.name, fn.self);
    if (!args) {
      for (const p of params) scope.bindValue(p.name, unresolved(`'${p.name}' is a function parameter`));
      return;
    }
    const positional = args.filter((a) => a.name === undefined).map((a) => a.value);
    const keywords = new Map(args.filter((a) => a.name !== undefined).map((a) => [a.name!, a.value]));
    const named = params.filter((p) => !p.star);
    const varArgs = params.find((p) => p.star === "*");
    const varKeywords = params.find((p) => p.star === "**");
    const starAt = varArgs ? params.indexOf(varArgs) : params.length;
    named.forEach((p, i) => {
      // `None` is a value here (null), so an argument or default of None must not fall through to the next.
      const value = params.indexOf(p) < starAt && i < positional.length ? positional[i] : keywords.get(p.name);
      keywords.delete(p.name);
      scope.bindValue(p.name, value !== undefined ? value : p.default !== undefined ? p.default : unresolved(`'${p.name}' is a function parameter without a value`));
    });
    if (varArgs) scope.bindValue(varArgs.name, { tuple: positional.slice(starAt) });
    if (varKeywords) scope.bindValue(varKeywords.name, this.newDict([...keywords]));
  }

  /** `Net(...)`: an instance whose `__init__` ran with the arguments; a Model subclass is also a model. */
  protected instantiate(cls: ClassDef, args: readonly ArgIR[] | undefined, site: SyntaxNode | undefined): PyValue {
    cls.instantiated = true;
    const init = this.method(cls, "__init__");
    const ownCall = this.callMethod(cls);
    if (site && !cls.torch && ((cls.builtin && !ownCall) || (cls.base === "model" && !ownCall))) return this.throughSuper(cls, init, args, site);
    const header = cls.node.getChild("Body");
    const nameNode = cls.node.getChild("VariableName")!;
    let model: number | undefined;
    // A Model subclass without `call` (a training wrapper with only `train_step`) cannot be built: no model to show.
    // A PyTorch module made in another's `__init__` is a part of that model, not a model of its own.
    if (cls.base === "model" && ownCall && !(cls.torch && this.torchInits > 0)) {
      const builder: GraphBuilder = {
        kind: "subclassed",
        span: site ? span(site) : { start: cls.node.from, end: header?.from ?? cls.node.to },
        calleeSpan: site?.firstChild ? span(site.firstChild) : span(nameNode),
        totalsOffset: site ? site.to : (header?.from ?? nameNode.to) + 1,
        inputs: null,
        outputs: null,
        ...(site ? {} : { name: cls.name }),
      };
      model = this.models.push(builder) - 1;
    }
    const ref = this.newInstance(cls, model);
    if (cls.torch) this.torchInits++;
    try {
      if (init) this.invoke(this.bound(init, ref), args, undefined);
      else if (cls.fields) this.initDataclass(cls, this.instances[ref.id], args);
    } finally {
      if (cls.torch) this.torchInits--;
    }
    return ref;
  }

  /** A new instance of a user class, its attributes still to be set (a Model subclass's model given). */
  protected newInstance(cls: ClassDef, model: number | undefined): RefValue {
    return { ref: "instance", id: this.instances.push({ cls, attributes: new Map(), madeAt: this.uncertain, model, traced: false }) - 1 };
  }

  /**
   * A class that is what its `super().__init__(...)` makes it: a subclass of a Keras layer class that does not
   * override `call` is that layer with the arguments passed up (`class MyConv(layers.Conv2D)`), and a Model
   * subclass without `call` whose `__init__` passes `(inputs, outputs)` up is a functional model. Either is
   * unknown when what was passed up cannot be followed.
   */
  private throughSuper(cls: ClassDef, init: FunctionDef | undefined, args: readonly ArgIR[] | undefined, site: SyntaxNode): PyValue {
    let passed: readonly ArgIR[] | null | undefined = init ? undefined : (args ?? null);
    if (init) {
      const ref = this.newInstance(cls, undefined);
      this.constructing.push({});
      try {
        this.invoke(this.bound(init, ref), args, undefined);
      } finally {
        passed = this.constructing.pop()!.superArgs;
      }
    }
    const why = `what ${cls.name}.__init__ passes to super().__init__() is not followed`;
    if (!passed) return unresolved(why);
    if (cls.builtin) {
      const call: LayerCallIR = { type: "layer", kind: cls.builtin, args: passed, span: span(site), calleeSpan: span(site.firstChild ?? site) };
      return { ref: "layer", id: this.layers.push({ call }) - 1 };
    }
    const positional = passed.filter((a) => a.name === undefined);
    const inputs = passed.find((a) => a.name === "inputs") ?? positional[0];
    const outputs = passed.find((a) => a.name === "outputs") ?? positional[1];
    if (!inputs || !outputs || !this.hasTensor(outputs.value)) return unresolved(`${cls.name} is a Model subclass without call whose inputs and outputs Layer Lens cannot follow`);
    return this.functional(site, passed);
  }

  protected bound(fn: FunctionDef, self: RefValue): FunctionDef {
    return { ...fn, self, origin: fn.origin ?? fn };
  }

  /**
   * Traces a Model subclass's `call` to give it inputs and outputs: on a shape from
   * `model.build(...)`, from the class's `# input:` annotation, or on nothing known.
   */
  protected traceModel(instance: Instance, shape: { value: PyValue; span: Span } | undefined): void {
    const builder = this.models[instance.model!] as GraphBuilder;
    // A class of another module: its annotation and its code are that module's.
    const module = instance.cls.module;
    if (module !== this.module) return this.runIn(module, builder.span, () => this.traceModel(instance, shape));
    instance.traced = true;
    const annotation = instance.cls.annotation;
    const given = shape ?? (annotation ? { value: this.annotationValue(annotation.text, module?.scope), span: annotation.span } : undefined);
    const value = given?.value;
    let tensor: PyValue;
    if (isSequence(value) && items(value).length && items(value).every(isSequence)) {
      // Several inputs: `# input: [(None, 8), (None, 4)]` passes a list of tensors.
      tensor = items(value).map((s) => this.newTensor({ type: "shaped", shape: s, span: given!.span }));
    } else if (value !== undefined && isSequence(value)) tensor = this.newTensor({ type: "shaped", shape: value, span: given!.span });
    else {
      const why =
        value !== undefined && isUnresolved(value)
          ? `the input shape is not known (${value.unresolved})`
          : instance.cls.torch
            ? `the input shape of ${instance.cls.name} is unknown; call it on a tensor (x = torch.randn(8, 3, 32, 32); model(x)), or annotate the class with # input: (8, 3, 32, 32)`
            : `the input shape of ${instance.cls.name} is unknown; call model.build((None, ...)), call it on keras.Input(...), or annotate the class with # input: (None, ...)`;
      tensor = this.newTensor({ type: "unknown", reason: why });
      builder.inputUnknown = why;
    }
    builder.inputs = tensor;
    const ref: RefValue = { ref: "instance", id: this.instances.indexOf(instance) };
    const from = this.calls.length;
    builder.outputs = this.runInstance(instance, ref, [{ value: tensor, span: builder.span }], undefined);
    if (instance.cls.torch) builder.ran = Array.from({ length: this.calls.length - from }, (_, i) => from + i);
  }

  protected annotationValue(expression: string, scope = this.moduleScope): PyValue {
    const tree = parsePython(expression);
    const statement = tree.topNode.firstChild;
    const node = statement?.firstChild;
    if (!node || statement?.nextSibling || hasError(statement)) return unresolved(`the annotation \`${shorten(expression)}\` is not a shape`);
    return evaluate(node, expression, scope);
  }
}
