/**
 * The Python front end: a bounded symbolic interpreter over the syntax tree. It
 * walks statements in execution order, tracking imports and constants, and follows
 * the objects Keras code is made of by identity: tensors (`keras.Input`, layer
 * outputs, TensorFlow tensors with literal shapes), layer instances, models, the
 * user's helper functions and classes. Helpers run once per call with their
 * arguments, loops over constant sequences are unrolled, `if` on a constant takes
 * its branch; everything else falls back to "unknown" with the reason. The result
 * is the program IR: calls in the order they would run, and the models built.
 *
 * Never runs user code and never throws on broken code: incomplete calls become
 * opaque elements, and the work is bounded (LIMITS) so a pathological file cannot hang.
 */
import { SyntaxNode, Tree } from "@lezer/common";
import { ArgIR, ElementIR, ProgramIR } from "../engine/ir";
import { PyValue, RefValue, isRef, isSequence, isUnresolved, items, unresolved } from "../engine/values";
import { arithmetic, expressionChildren, importPathOf, truthy } from "./evaluate";
import { ModuleBinding, Scope } from "./scope";
import { Context, STARRED, SequentialBuilder } from "./interpreterState";
import { LIMITS } from "./limits";
import { incompleteCall, leavesEarly, shorten, span } from "./syntax";
import { holds } from "./builtins";
import { Imports } from "./imports";
import type { ProjectContext } from "./project";
import type { KerasGeneration } from "../engine/generations";
import { parsePython } from "./parser";
import { INPUT_LAYER } from "./backbones";

export { LIMITS } from "./limits";


export class Extractor extends Imports {
  constructor(text: string, keras?: KerasGeneration, project?: ProjectContext) {
    super(text, keras, project);
  }

  run(tree: Tree): ProgramIR {
    this.body(tree.topNode, { scope: this.moduleScope, flow: "straight" });
    return this.finish();
  }

  /** Binds a module-level name as an earlier part of the file left it (see `incremental.ts`). */
  seed(name: string, binding: ModuleBinding): void {
    if ("import" in binding) this.moduleScope.bindImport(name, binding.import);
    else this.moduleScope.bindValue(name, binding.value);
  }

  seedStarImport(module: string): void {
    this.moduleScope.starImport(module);
  }

  /** Runs one top-level statement, after the ones run before. */
  runStatement(statement: SyntaxNode): void {
    if (!this.exhausted) this.statement(statement, { scope: this.moduleScope, flow: "straight" }, 0);
  }

  /** The module's bindings now: values (plain, or objects the front end follows), imports, star imports. */
  moduleBindings(): { values: [string, PyValue][]; imports: [string, string][]; stars: string[] } {
    return this.moduleScope.ownBindings();
  }

  /**
   * Whether a list is held by more than one module name, or also by an object: a change through one holder
   * (`b.append(5)` after `b = a`) is seen through the others, so the list is kept within one part, as objects are.
   */
  sharesList(value: PyValue): boolean {
    if (!Array.isArray(value)) return false;
    if (this.moduleScope.namesHolding(value).length > 1) return true;
    return this.instances.some((i) => holds(i.attributes, value)) || this.dicts.some((d) => holds(d, value));
  }

  /** A module-level name's binding now, if it has one. */
  moduleBinding(name: string): ModuleBinding | undefined {
    return this.moduleScope.ownBinding(name);
  }

  /** Module-level names bound since the last call, by any statement or helper (`global`). */
  takeRebound(): string[] {
    return this.moduleScope.takeChanged();
  }

  /**
   * Where the definitions are that `finish` would still run: functions never called, Model
   * subclasses never instantiated or built. They read the module's names as they are at the end.
   */
  unfinishedDefinitions(): number[] {
    const at: number[] = [];
    for (const fn of this.functions) if (!fn.invoked && !fn.origin && this.shown(fn.module)) at.push(fn.body.from);
    for (const cls of this.classes) if (cls.base === "model" && !cls.instantiated && this.shown(cls.module)) at.push(cls.node.from);
    for (const instance of this.instances) if (instance.model !== undefined && !instance.traced && this.shown(instance.cls.module)) at.push(instance.cls.node.from);
    return at;
  }

  /** Loop iterations, comprehensions and helper runs followed so far (see LIMITS.steps). */
  get stepsTaken(): number {
    return this.steps;
  }

  /** Runs what was defined but never used, and returns the program. */
  finish(): ProgramIR {
    // Models of classes never built in the file are traced from their annotation, or with an unknown input.
    // (Another module's definitions are its own: the file shows only what it does with them.)
    for (const cls of this.classes) if (cls.base === "model" && !cls.instantiated && this.shown(cls.module)) this.runIn(cls.module, undefined, () => this.instantiate(cls, [], undefined));
    // Only the instances made so far: a model whose `call` or `forward` makes another of its kind would otherwise make
    // one more model per trace until the budget runs out.
    for (const instance of this.instances.slice()) if (instance.model !== undefined && !instance.traced) this.traceModel(instance, undefined);
    // Functions never called run once with unknown parameters, so models built inside them are still shown.
    // They may run or not, in any order: what they set on objects from outside is unknown, and they leave the
    // module's names as the file does (so a part of the file analysed alone ends as the whole file would).
    this.uncertain++;
    this.finishing = true;
    for (let i = 0; i < this.functions.length && !this.exhausted; i++) {
      const fn = this.functions[i];
      if (!fn.invoked && !fn.origin && this.shown(fn.module)) this.invoke(fn, undefined, undefined);
    }
    this.uncertain--;
    this.recordHeld();
    this.finishFocus();
    return {
      tensors: this.tensors,
      layers: this.layers,
      calls: this.calls,
      models: this.models.map((m) => (m.kind === "sequential" ? { ...m, elements: [...m.elements] } : { ...m })),
      blocks: this.blocks,
      ...(this.notes.length ? { notes: this.notes } : {}),
      ...(this.trainableUnknown ? { trainableUnknown: this.trainableUnknown } : {}),
      ...(this.project?.focus ? { shownOnly: true as const } : {}),
    };
  }

  /** A backbone's description is read by an interpreter of its own, as Keras 3 code (it is valid in both). */
  protected readArchitecture(text: string): ProgramIR {
    return new Extractor(text, 3).run(parsePython(text));
  }




  // ── statements ───────────────────────────────────────────────────────────

  protected body(node: SyntaxNode, ctx: Context, depth = 0): void {
    if (depth > LIMITS.nesting) return;
    for (let stmt = node.firstChild; stmt; stmt = stmt.nextSibling) {
      if (ctx.frame?.done || this.exhausted) return;
      if (this.repeating && ++this.steps > LIMITS.steps) return this.exhaust(stmt);
      this.statement(stmt, ctx, depth);
    }
  }


  protected statement(stmt: SyntaxNode, ctx: Context, depth: number): void {
    switch (stmt.name) {
      case "ImportStatement":
        return this.importStatement(stmt, ctx.scope);
      case "AssignStatement":
        return this.assignment(stmt, ctx);
      case "UpdateStatement":
        return this.update(stmt, ctx);
      case "ExpressionStatement":
        return this.expressionStatement(stmt, ctx);
      case "ReturnStatement":
        return this.returnStatement(stmt, ctx);
      case "IfStatement":
        return this.ifStatement(stmt, ctx, depth);
      case "MatchStatement":
        return this.matchStatement(stmt, ctx, depth);
      case "ScopeStatement": {
        const kind = stmt.firstChild?.name;
        if ((kind !== "global" && kind !== "nonlocal") || this.finishing) return;
        for (const name of stmt.getChildren("VariableName")) ctx.scope.declareOuter(this.t(name), kind, this.uncertain === 0);
        return;
      }
      case "TryStatement":
        this.branches(stmt.getChildren("Body"), ctx, depth, true);
        return this.bindAsNames(stmt, ctx, "is bound by an except clause");
      case "ForStatement":
        return this.forStatement(stmt, ctx, depth);
      case "WhileStatement":
        return this.opaqueLoop(stmt, [], ctx, depth);
      case "WithStatement":
        this.bindAsNames(stmt, ctx, "is bound by a with statement");
        for (const body of stmt.getChildren("Body")) this.body(body, ctx, depth + 1);
        return;
      case "DeleteStatement":
        for (const target of expressionChildren(stmt).slice(1)) {
          if (target.name === "MemberExpression") this.deleteItem(target, ctx);
          for (const name of this.targetNames(target)) ctx.scope.bindValue(this.t(name), unresolved(`'${this.t(name)}' was deleted`));
        }
        return;
      case "FunctionDefinition":
        return this.functionDefinition(stmt, ctx);
      case "ClassDefinition":
        return this.classDefinition(stmt, ctx);
      case "DecoratedStatement": {
        const inner = stmt.getChild("FunctionDefinition") ?? stmt.getChild("ClassDefinition");
        if (inner) this.statement(inner, ctx, depth);
        return;
      }
      case "StatementGroup":
        // `a = 1; m = keras.Sequential(...)`: statements separated by semicolons, in order.
        return this.body(stmt, ctx, depth);
      default:
        // Anything else (assert, print(...) in a statement we do not model, …) may still build models.
        for (const child of expressionChildren(stmt)) if (child.name !== "Body" && child.name !== "Comment") this.eval(child, ctx.scope);
    }
  }

  protected assignment(stmt: SyntaxNode, ctx: Context): void {
    // Targets are split at each `=` (`a = b = value`); a group with a comma (`h, w =`, `h, =`) unpacks.
    const groups: { nodes: SyntaxNode[]; comma: boolean }[] = [{ nodes: [], comma: false }];
    for (let c = stmt.firstChild; c; c = c.nextSibling) {
      const group = groups[groups.length - 1];
      if (c.name === "AssignOp") groups.push({ nodes: [], comma: false });
      else if (c.name === ",") group.comma = true;
      else if (!c.type.isError && c.name !== "TypeDef") group.nodes.push(c);
    }
    if (groups.length < 2) return;
    const valueGroup = groups.pop()!;
    const values = valueGroup.nodes;
    const single = values.length === 1 && !valueGroup.comma ? values[0] : undefined;
    const path = single ? importPathOf(single, this.text, ctx.scope) : undefined;
    const value: PyValue = single
      ? this.eval(single, ctx.scope)
      : values.some((v) => v.name === "*")
        ? unresolved("a starred expression")
        : { tuple: values.map((v) => this.eval(v, ctx.scope)) };
    for (const { nodes: targets, comma } of groups) {
      if (targets.length === 1 && !comma) {
        const key = this.targetKey(targets[0]);
        if (key !== undefined) this.nameModel(value, key);
        // `L = keras.layers` is an alias of a module, not a value.
        if (path !== undefined && targets[0].name === "VariableName" && isUnresolved(value)) ctx.scope.bindImport(key!, path);
        else this.bindTarget(targets[0], value, ctx);
      } else this.unpack(targets, value, ctx);
    }
  }

  /** A model assigned to a name takes that name (`model = keras.Model(...)`), unless it has one. */
  protected nameModel(value: PyValue, key: string): void {
    const index = isRef(value, "model") ? value.id : isRef(value, "instance") ? this.instances[value.id].model : undefined;
    if (index !== undefined && this.models[index].name === undefined) this.models[index].name = key;
  }

  /** Binds one assignment target: a name, an attribute, a dict entry, or a tuple / list of targets to unpack. */
  /**
   * `conv.trainable = False`, `encoder.trainable = False`: the layer's or the model's weights are non-trainable
   * (as the summary counts them after it). Only a plain True or False set where it surely runs is followed.
   */
  private setTrainable(owner: RefValue, value: PyValue | undefined, target: SyntaxNode, ctx: Context): void {
    if (typeof value !== "boolean" || ctx.flow !== "straight" || this.uncertain > 0) return this.trainableNotFollowed(target);
    if (owner.ref === "model") {
      this.models[owner.id].frozen = !value;
      return;
    }
    // The call's arguments are the ones its uses share (a Sequential list holds the same call), so they change in place.
    const args = this.layers[owner.id].call.args as ArgIR[];
    const at = args.findIndex((a) => a.name === "trainable");
    const arg: ArgIR = { name: "trainable", value, span: { start: target.from, end: target.to } };
    if (at >= 0) args[at] = arg;
    else args.push(arg);
  }

  /** A `trainable` flag set on something or somewhere not followed: which weights train is then unknown. */
  private trainableNotFollowed(target: SyntaxNode): void {
    this.trainableUnknown ??= `\`${shorten(this.t(target))}\` is set where Layer Lens cannot follow it`;
  }

  protected bindTarget(target: SyntaxNode, value: PyValue | undefined, ctx: Context): void {
    const known = (name: string) =>
      ctx.flow === "loop" ? unresolved(`'${name}' changes inside a loop`) : (value !== undefined ? value : unresolved(`'${name}' is unpacked from a value Layer Lens cannot split`));
    if (target.name === "VariableName") {
      ctx.scope.bindValue(this.t(target), known(this.t(target)));
    } else if (target.name === "MemberExpression") {
      const property = target.getChild("PropertyName");
      const object = target.firstChild;
      if (!object) return;
      if (!property) return this.setItem(target, known(this.t(target)), ctx);
      const owner = this.eval(object, ctx.scope);
      const key = this.t(target).replace(/\s+/g, "");
      if (this.t(property) === "trainable" && (isRef(owner, "layer") || isRef(owner, "model"))) return this.setTrainable(owner, value, target, ctx);
      if (this.t(property) === "trainable" && isUnresolved(owner) && owner !== INPUT_LAYER) this.trainableNotFollowed(target);
      // PyTorch's `p.requires_grad = False`, most often in a loop over `model.parameters()`.
      if (this.t(property) === "requires_grad") return this.setRequiresGrad(owner, value, ctx.flow === "straight" && this.uncertain === 0, shorten(this.t(target)));
      if (isRef(owner, "layer") && this.layers[owner.id].call.kind.startsWith("torch.nn.")) this.setModuleAttribute(owner.id, this.t(property), value, ctx.flow === "straight" && this.uncertain === 0, target);
      if (isRef(owner, "instance")) this.instances[owner.id].attributes.set(this.t(property), this.surely(this.instances[owner.id].madeAt, key, known(key)));
      // `self.model = ...` in a method whose `self` is unknown: remembered by its dotted name.
      else if (this.targetKey(target) !== undefined) ctx.scope.bindValue(key, known(key));
    } else if (target.name === "TupleExpression" || target.name === "ArrayExpression") {
      this.unpack(expressionChildren(target), value, ctx);
    } else if (target.name === "ParenthesizedExpression") {
      const inner = expressionChildren(target);
      if (inner.length === 1) this.bindTarget(inner[0], value, ctx);
    }
  }




  /** `a, *rest, b = value`: binds each target to its part, or all to unresolved when the value cannot be split. */
  protected unpack(targets: SyntaxNode[], value: PyValue | undefined, ctx: Context): void {
    const star = targets.findIndex((t) => t.name === "*");
    const names = targets.filter((t) => t.name !== "*");
    let parts: PyValue[] | undefined;
    if (value !== undefined && isSequence(value)) {
      const list = items(value);
      if (star < 0 && list.length === names.length) parts = list;
      else if (star >= 0 && list.length >= names.length - 1) {
        const after = names.length - star - 1;
        parts = [...list.slice(0, star), list.slice(star, list.length - after), ...list.slice(list.length - after)];
      }
    } else if (star < 0 && isRef(value, "tensor")) {
      // `out, scores = mha(q, v, return_attention_scores=True)`: the outputs of one call.
      parts = names.map((_, i) => this.item(value, i) ?? unresolved("an output Layer Lens cannot split"));
    }
    names.forEach((target, i) => this.bindTarget(target, parts?.[i], ctx));
  }

  /** Every name an assignment-like target binds (`a`, `(a, b)`, `[a, *b]`). */
  protected targetNames(node: SyntaxNode): SyntaxNode[] {
    if (node.name === "VariableName") return [node];
    if (["TupleExpression", "ArrayExpression", "ParenthesizedExpression"].includes(node.name)) {
      return expressionChildren(node).flatMap((c) => this.targetNames(c));
    }
    return [];
  }

  /** `n += 1`, `self.units *= 2`, `cfg["u"] -= 1`; a list's `+=` and `*=` change it in place, seen by every holder. */
  protected update(stmt: SyntaxNode, ctx: Context): void {
    const target = stmt.firstChild;
    const op = stmt.getChild("UpdateOp");
    const value = op?.nextSibling;
    if (!target || !op || !value) return;
    const operand = this.eval(value, ctx.scope);
    if (target.name !== "VariableName" && target.name !== "MemberExpression") return;
    const current = this.eval(target, ctx.scope);
    const symbol = this.t(op).slice(0, -1);
    // `x += shortcut` on tensors: the same operation as `x = x + shortcut`, hinted on the statement.
    const computed = isRef(current) || isRef(operand) ? this.operator(symbol, current, operand, stmt) : arithmetic(symbol, current, operand);
    if (Array.isArray(current) && (symbol === "+" || symbol === "*")) this.replaceList(target, ctx.scope, current, computed);
    else this.bindTarget(target, computed, ctx);
  }

  protected expressionStatement(stmt: SyntaxNode, ctx: Context): void {
    const call = stmt.firstChild;
    const callee = call?.name === "CallExpression" ? call.firstChild : undefined;
    const method = callee?.name === "MemberExpression" ? callee.getChild("PropertyName") : undefined;
    const object = method ? callee?.firstChild : undefined;
    if (call && method && object && (object.name === "VariableName" || this.targetKey(object) !== undefined)) {
      const owner = this.eval(object, ctx.scope);
      const name = this.t(method);
      const args = expressionChildren(call.getChild("ArgList") ?? call);
      const shapeArg = args[0]?.name === "VariableName" && args[1]?.name === "AssignOp" ? args[2] : args[0];
      const sequential = isRef(owner, "model") ? this.models[owner.id] : undefined;
      if (sequential?.kind === "sequential" && name === "add" && args.length >= 1) {
        sequential.elements.push(
          ctx.flow === "straight"
            ? this.element(args[0], ctx.scope)
            : { type: "opaque", text: `a layer added inside ${ctx.flow === "loop" ? "a loop" : "a conditional block"}`, span: span(args[0]) },
        );
        return;
      }
      if (sequential?.kind === "sequential" && name === "pop" && args.length === 0) {
        // Keras removes the last layer; an input, something not followed, or a pop that may not run leaves the rest unknown.
        const last = sequential.elements[sequential.elements.length - 1];
        if (ctx.flow === "straight" && last && last.type !== "opaque" && !(last.type === "layer" && (last.kind === "Input" || last.kind === "InputLayer"))) sequential.elements.pop();
        else sequential.elements.push({ type: "opaque", text: `\`${shorten(this.t(call))}\` removing a layer Layer Lens cannot tell`, span: span(call) });
        return;
      }
      if (sequential?.kind === "sequential" && name === "build" && shapeArg && ctx.flow === "straight") {
        sequential.build = { value: this.eval(shapeArg, ctx.scope), span: span(shapeArg) };
        return;
      }
      const instance = isRef(owner, "instance") ? this.instances[owner.id] : undefined;
      if (instance?.model !== undefined && name === "build" && shapeArg && !instance.traced) {
        this.traceModel(instance, { value: this.eval(shapeArg, ctx.scope), span: span(shapeArg) });
        return;
      }
    }
    if (call) this.eval(call, ctx.scope);
  }

  protected returnStatement(stmt: SyntaxNode, ctx: Context): void {
    // `return a, b` returns a tuple: the parser lists its items without a tuple node (each is evaluated, in order).
    const expressions = expressionChildren(stmt).slice(1);
    const hasComma = !!stmt.getChild(",");
    const values = expressions.map((e) => this.eval(e, ctx.scope));
    const value = hasComma ? { tuple: values } : (values[0] ?? null);
    if (!ctx.frame) return;
    if (ctx.flow === "straight") {
      ctx.frame.result = value;
      ctx.frame.done = true;
    } else ctx.frame.uncertain = true;
  }

  /** `if` / `elif` / `else`: a constant condition takes its branch; otherwise every branch may run. */
  protected ifStatement(stmt: SyntaxNode, ctx: Context, depth: number): void {
    const parts: { condition?: SyntaxNode; body: SyntaxNode }[] = [];
    for (let c = stmt.firstChild; c; c = c.nextSibling) {
      if (c.name === "Body") parts.push({ body: c, condition: parts.length || c.prevSibling?.name !== "else" ? this.conditionBefore(c) : undefined });
    }
    for (let i = 0; i < parts.length; i++) {
      const { condition, body } = parts[i];
      const value = condition ? this.eval(condition, ctx.scope) : true;
      // `if __name__ == "__main__":` runs in a normal script, not in a module it imports.
      const mainGuard = condition && /^__name__\s*==\s*['"]__main__['"]$/.test(this.t(condition));
      const truth = mainGuard ? !this.module : truthy(value);
      if (truth === true) return this.body(body, ctx, depth + 1);
      if (truth === undefined) return this.branches(parts.slice(i).map((p) => p.body), ctx, depth, false);
    }
  }

  /** The condition of an `if` / `elif` body (the node after its keyword), none for `else`. */
  protected conditionBefore(body: SyntaxNode): SyntaxNode | undefined {
    const before = body.prevSibling;
    if (!before || before.name === "else") return undefined;
    return before.prevSibling?.name === "if" || before.prevSibling?.name === "elif" ? before : undefined;
  }

  /** Bodies that may or may not run: names they assign are unknown afterwards; imports carry over. */
  protected branches(bodies: SyntaxNode[], ctx: Context, depth: number, firstRuns: boolean): void {
    bodies.forEach((body, i) => {
      // The body of `try:` runs in a normal script; the handlers may not.
      if (firstRuns && i === 0) return this.body(body, ctx, depth + 1);
      this.maybeRun([body], ctx, depth, "conditional", "is assigned in a conditional block");
    });
  }

  /** Bodies that may or may not run, in a scope of their own whose names are unknown afterwards. */
  protected maybeRun(bodies: SyntaxNode[], ctx: Context, depth: number, flow: "conditional" | "loop", why: string, before?: (local: Scope) => void): void {
    this.uncertain++;
    const local = ctx.scope.child(this.uncertain, true);
    before?.(local);
    try {
      for (const body of bodies) this.body(body, { ...ctx, scope: local, flow: ctx.flow === "loop" ? "loop" : flow }, depth + 1);
    } finally {
      this.uncertain--;
    }
    this.mergeBranch(local, ctx.scope, why);
  }

  /**
   * `match`: which case runs is not followed. Each case body may run, so what it assigns is unknown
   * afterwards, and so are the names its pattern captures.
   */
  protected matchStatement(stmt: SyntaxNode, ctx: Context, depth: number): void {
    const clauses = stmt.getChild("MatchBody")?.getChildren("MatchClause") ?? [];
    for (const child of expressionChildren(stmt)) if (child.name !== "MatchBody" && child.name !== "match") this.eval(child, ctx.scope);
    for (const clause of clauses) {
      const body = clause.getChild("Body");
      if (!body) continue;
      this.maybeRun([body], ctx, depth, "conditional", "is assigned in a match statement", (local) => {
        for (const name of this.capturedNames(clause)) local.bindValue(this.t(name), unresolved(`'${this.t(name)}' is captured by a match pattern`));
      });
    }
  }

  /** The names a case pattern binds: captures (`case [x, *rest]`) and `as` targets. */
  protected capturedNames(clause: SyntaxNode): SyntaxNode[] {
    const names: SyntaxNode[] = [];
    const cursor = clause.cursor();
    if (!cursor.firstChild()) return names;
    do {
      if (cursor.name === "Guard" || cursor.name === "Body") break;
      cursor.node.cursor().iterate((n) => {
        if (n.name !== "VariableName") return;
        const parent = n.node.parent;
        if (parent?.name === "CapturePattern" || (parent?.name === "AsPattern" && n.node.prevSibling?.name === "as")) names.push(n.node);
      });
    } while (cursor.nextSibling());
    return names;
  }

  /** `with f() as x`, `except E as e`: names whose value Layer Lens cannot know. */
  protected bindAsNames(stmt: SyntaxNode, ctx: Context, why: string): void {
    for (let c = stmt.firstChild; c; c = c.nextSibling) {
      if (c.name !== "as" || !c.nextSibling) continue;
      for (const name of this.targetNames(c.nextSibling)) ctx.scope.bindValue(this.t(name), unresolved(`'${this.t(name)}' ${why}`));
    }
  }

  /** `for target in iterable:` over a constant sequence runs the body once per item; any other loop is opaque. */
  protected forStatement(stmt: SyntaxNode, ctx: Context, depth: number): void {
    const children = expressionChildren(stmt);
    const inAt = children.findIndex((c) => c.name === "in");
    const targets = children.slice(1, Math.max(1, inAt));
    const iterable = inAt >= 0 ? children[inAt + 1] : undefined;
    const [body, orElse] = stmt.getChildren("Body");
    const sequence = iterable ? this.iterated(this.eval(iterable, ctx.scope)) : undefined;
    const limit = sequence && isSequence(sequence) && items(sequence).some((v) => isRef(v, "layer")) && items(sequence).every((v) => isRef(v, "layer") || isUnresolved(v)) ? LIMITS.modelLayers : LIMITS.iterations;
    if (!body || !sequence || !isSequence(sequence) || items(sequence).length > limit || leavesEarly(body)) {
      return this.opaqueLoop(stmt, targets, ctx, depth);
    }
    this.repeating++;
    try {
      for (const item of items(sequence)) {
        if (ctx.frame?.done || this.exhausted) return;
        if (targets.length === 1) this.bindTarget(targets[0], item, ctx);
        else this.unpack(targets, item, ctx);
        this.body(body, ctx, depth + 1);
      }
    } finally {
      this.repeating--;
    }
    if (orElse) this.body(orElse, ctx, depth + 1);
  }

  /** A loop Layer Lens does not unroll: its body is followed once, and what it assigns is unknown afterwards. */
  protected opaqueLoop(stmt: SyntaxNode, targets: SyntaxNode[], ctx: Context, depth: number): void {
    this.maybeRun(stmt.getChildren("Body"), ctx, depth, "loop", "changes inside a loop", (local) => {
      for (const target of targets) {
        for (const name of this.targetNames(target)) local.bindValue(this.t(name), unresolved(`'${this.t(name)}' is a loop variable`));
      }
    });
  }

  /** After a block that may not run (or runs repeatedly), names it assigned are no longer known; imports carry over. */
  protected mergeBranch(local: Scope, parent: Scope, why: string): void {
    const own = local.ownBindings();
    for (const [name, path] of own.imports) parent.bindImport(name, path);
    for (const module of own.stars) parent.starImport(module);
    for (const [name] of own.values) parent.bindValue(name, unresolved(`'${name}' ${why}`));
  }

  // ── functions and classes ────────────────────────────────────────────────
















  // ── models ───────────────────────────────────────────────────────────────

  protected sequential(call: SyntaxNode, scope: Scope): RefValue {
    const builder: SequentialBuilder = { kind: "sequential", span: span(call), calleeSpan: span(call.firstChild!), totalsOffset: call.to, elements: [] };
    const ref: RefValue = { ref: "model", id: this.models.push(builder) - 1 };
    const args = expressionChildren(call.getChild("ArgList")!);
    const keyword = args.findIndex((a, i) => a.name === "VariableName" && this.t(a) === "layers" && args[i + 1]?.name === "AssignOp");
    const first = args[0] && !(args[0].name === "VariableName" && args[1]?.name === "AssignOp") ? args[0] : undefined;
    const list = keyword >= 0 ? args[keyword + 2] : first;
    const nameArg = args.findIndex((a, i) => a.name === "VariableName" && this.t(a) === "name" && args[i + 1]?.name === "AssignOp");
    if (nameArg >= 0 && args[nameArg + 2]) {
      const name = this.eval(args[nameArg + 2], scope);
      if (typeof name === "string") builder.name = name;
    }
    if (!list) return ref;
    if (list.name === "ArrayExpression" || list.name === "TupleExpression") {
      for (const element of expressionChildren(list)) builder.elements.push(this.element(element, scope));
      return ref;
    }
    const value = this.eval(list, scope);
    if (isSequence(value)) for (const item of items(value)) builder.elements.push(this.toElement(item, list));
    else builder.elements.push({ type: "opaque", text: `the layer list \`${shorten(this.t(list))}\``, span: span(list) });
    return ref;
  }

  /** A Sequential element written in place: a layer call, a model, or something Layer Lens cannot follow. */
  protected element(node: SyntaxNode, scope: Scope): ElementIR {
    if (node.name === "CallExpression" && incompleteCall(node)) return { type: "opaque", text: shorten(this.t(node)), span: span(node), incomplete: true };
    if (node.type.isError) return { type: "opaque", text: shorten(this.t(node)), span: span(node), incomplete: true };
    return this.toElement(this.eval(node, scope), node);
  }

  protected toElement(value: PyValue, node: SyntaxNode): ElementIR {
    if (isRef(value, "layer")) return this.layers[value.id].call;
    if (isRef(value, "tensor")) {
      const tensor = this.tensors[value.id];
      if (tensor.type === "input") return tensor.call;
    }
    if (isRef(value, "model")) return { type: "model", model: value.id, text: this.models[value.id].name ?? shorten(this.t(node)), span: span(node) };
    const starred = isUnresolved(value) && value.unresolved.endsWith(STARRED);
    return { type: "opaque", text: `${shorten(this.t(node))}${starred ? " (with * or ** arguments)" : ""}`, span: span(node) };
  }



  // ── the evaluation host ──────────────────────────────────────────────────



















}

/** One interpreter run over the whole tree, read as the Keras generation `keras` when it is known. */
export function extractProgram(tree: Tree, text: string, keras?: KerasGeneration): ProgramIR {
  const program = new Extractor(text, keras).run(tree);
  return keras ? { ...program, keras } : program;
}
