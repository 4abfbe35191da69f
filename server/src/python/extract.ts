/**
 * The Python front end: walks a syntax tree in execution order, tracking imports
 * and constants, and describes every Keras Sequential model it finds (its layer
 * calls with evaluated arguments, `.add` and `.build` calls) as engine IR.
 * Never throws on broken code: incomplete calls become opaque elements.
 */
import { SyntaxNode, Tree } from "@lezer/common";
import { ArgIR, ElementIR, LayerCallIR, SequentialIR, Span } from "../engine/ir";
import { PyValue, unresolved } from "../engine/values";
import { arithmetic, evaluate, expressionChildren, nodeText } from "./evaluate";
import { KerasObject, classifyKerasPath } from "./keras";
import { Scope } from "./scope";

/** Deeper syntax than this is not walked (bounded work on pathological input). */
const MAX_NESTING = 200;

interface ModelBuilder {
  name?: string;
  span: Span;
  calleeSpan: Span;
  totalsOffset: number;
  elements: ElementIR[];
  build?: { value: PyValue; span: Span };
}

/** How the statements of a body execute: straight-line, or perhaps / repeatedly. */
type Flow = "straight" | "conditional" | "loop";

interface Context {
  readonly scope: Scope;
  readonly flow: Flow;
  /** Models bound to names (`model`, `self.model`) in this function or module. */
  readonly models: Map<string, ModelBuilder>;
}

const span = (node: SyntaxNode): Span => ({ start: node.from, end: node.to });

function shorten(text: string): string {
  const oneLine = text.replace(/\s+/g, " ");
  return oneLine.length > 40 ? `${oneLine.slice(0, 39)}…` : oneLine;
}

/** Whether a node or anything inside it is a parse error (the code is still being typed). */
function hasError(node: SyntaxNode): boolean {
  let found = false;
  node.toTree().iterate({
    enter: (n) => {
      if (n.type.isError) found = true;
      return !found;
    },
  });
  return found;
}

class Extractor {
  private readonly models: ModelBuilder[] = [];
  private readonly deferred: { node: SyntaxNode; scope: Scope; params?: SyntaxNode }[] = [];

  constructor(private readonly text: string) {}

  run(tree: Tree): SequentialIR[] {
    const moduleScope = new Scope();
    this.body(tree.topNode, { scope: moduleScope, flow: "straight", models: new Map() });
    // Function bodies run after the module has been executed, so they see its final constants.
    for (let i = 0; i < this.deferred.length && i < 10_000; i++) {
      const { node, scope, params } = this.deferred[i];
      const local = scope.child();
      if (params) this.bindParameters(params, local);
      this.body(node, { scope: local, flow: "straight", models: new Map() });
    }
    return this.models
      .map((m) => ({ ...m, elements: [...m.elements] }))
      .sort((a, b) => a.span.start - b.span.start);
  }

  private t(node: SyntaxNode): string {
    return nodeText(this.text, node);
  }

  private body(node: SyntaxNode, ctx: Context, depth = 0): void {
    if (depth > MAX_NESTING) return;
    for (let stmt = node.firstChild; stmt; stmt = stmt.nextSibling) this.statement(stmt, ctx, depth);
  }

  private statement(stmt: SyntaxNode, ctx: Context, depth: number): void {
    switch (stmt.name) {
      case "ImportStatement":
        return this.importStatement(stmt, ctx.scope);
      case "AssignStatement":
        return this.assignment(stmt, ctx);
      case "UpdateStatement":
        return this.update(stmt, ctx);
      case "ExpressionStatement":
        return this.expressionStatement(stmt, ctx);
      case "IfStatement":
      case "TryStatement":
        return this.branches(stmt, ctx, depth);
      case "ForStatement":
      case "WhileStatement":
        return this.loop(stmt, ctx, depth);
      case "WithStatement":
        for (const body of stmt.getChildren("Body")) this.body(body, ctx, depth + 1);
        return;
      case "FunctionDefinition":
      case "ClassDefinition":
        return this.definition(stmt, ctx);
      case "DecoratedStatement": {
        const inner = stmt.getChild("FunctionDefinition") ?? stmt.getChild("ClassDefinition");
        if (inner) this.definition(inner, ctx);
        return;
      }
      default:
        this.scanForModels(stmt, ctx);
    }
  }

  private importStatement(stmt: SyntaxNode, scope: Scope): void {
    const children: SyntaxNode[] = [];
    for (let c = stmt.firstChild; c; c = c.nextSibling) children.push(c);
    const names = (from: number, to: number) =>
      children.slice(from, to).filter((c) => c.name === "VariableName").map((c) => this.t(c)).join(".");
    if (children[0]?.name === "from") {
      const importAt = children.findIndex((c) => c.name === "import");
      if (importAt < 0 || children.slice(1, importAt).some((c) => c.name === "." && c === children[1])) return;
      const module = names(1, importAt);
      if (!module) return;
      // After `import`: `a`, `a as b`, `*`, comma-separated, possibly parenthesised.
      const rest = children.slice(importAt + 1).filter((c) => c.name !== "(" && c.name !== ")");
      for (let i = 0; i < rest.length; i++) {
        const c = rest[i];
        if (c.name === "*") scope.starImport(module);
        if (c.name !== "VariableName") continue;
        const alias = rest[i + 1]?.name === "as" ? rest[i + 2] : undefined;
        scope.bindImport(alias ? this.t(alias) : this.t(c), `${module}.${this.t(c)}`);
        if (alias) i += 2;
      }
      return;
    }
    // `import a.b.c`, `import a.b as c`, comma-separated.
    let group: SyntaxNode[] = [];
    const flush = (alias?: SyntaxNode) => {
      const path = group.map((c) => this.t(c)).join(".");
      if (path) scope.bindImport(alias ? this.t(alias) : this.t(group[0]), alias ? path : this.t(group[0]));
      group = [];
    };
    for (let i = 1; i < children.length; i++) {
      const c = children[i];
      if (c.name === "VariableName") group.push(c);
      else if (c.name === "as") {
        flush(children[i + 1]);
        i++;
      } else if (c.name === ",") flush();
    }
    flush();
  }

  /** The dotted import path an expression names, e.g. `tf.keras.layers.Conv2D` → `tensorflow.keras.layers.Conv2D`. */
  private pathOf(node: SyntaxNode, scope: Scope): string | undefined {
    if (node.name === "VariableName") return scope.importPath(this.t(node));
    if (node.name === "MemberExpression") {
      const object = node.firstChild;
      const property = node.getChild("PropertyName");
      if (!object || !property) return undefined;
      const base = this.pathOf(object, scope);
      return base === undefined ? undefined : `${base}.${this.t(property)}`;
    }
    return undefined;
  }

  private kerasCallee(call: SyntaxNode, scope: Scope): KerasObject | undefined {
    const callee = call.firstChild;
    if (!callee) return undefined;
    const path = this.pathOf(callee, scope);
    return path === undefined ? undefined : classifyKerasPath(path);
  }

  /** The simple target of an assignment (`model`, `self.model`) as a key, if it is one. */
  private targetKey(node: SyntaxNode): string | undefined {
    if (node.name === "VariableName") return this.t(node);
    if (node.name === "MemberExpression" && node.getChild("PropertyName") && node.firstChild?.name === "VariableName") {
      return this.t(node).replace(/\s+/g, "");
    }
    return undefined;
  }

  private assignment(stmt: SyntaxNode, ctx: Context): void {
    const children = expressionChildren(stmt);
    const lastOp = children.map((c) => c.name).lastIndexOf("AssignOp");
    if (lastOp < 0) return;
    const values = children.slice(lastOp + 1).filter((c) => c.name !== "TypeDef");
    // `a = b = value`: every target before an AssignOp.
    const targetGroups: SyntaxNode[][] = [[]];
    for (const c of children.slice(0, lastOp)) {
      if (c.name === "AssignOp") targetGroups.push([]);
      else if (c.name !== "TypeDef") targetGroups[targetGroups.length - 1].push(c);
    }
    const single = values.length === 1 ? values[0] : undefined;
    const model = single?.name === "CallExpression" && this.kerasCallee(single, ctx.scope)?.kind === "sequential";
    const path = single && !model ? this.pathOf(single, ctx.scope) : undefined;

    let value: PyValue | undefined;
    const valueOf = () => (value ??= values.length === 1 ? evaluate(values[0], this.text, ctx.scope) : { tuple: values.map((v) => evaluate(v, this.text, ctx.scope)) });
    for (const targets of targetGroups) {
      if (targets.length === 1) {
        const key = this.targetKey(targets[0]);
        if (key === undefined) continue;
        ctx.models.delete(key);
        if (targets[0].name !== "VariableName") continue;
        if (path !== undefined) ctx.scope.bindImport(key, path);
        else if (model) ctx.scope.bindValue(key, unresolved(`'${key}' is a model`));
        else ctx.scope.bindValue(key, ctx.flow === "loop" ? unresolved(`'${key}' changes inside a loop`) : valueOf());
      } else {
        // Tuple unpacking: `a, b = 1, 2`.
        const v = valueOf();
        const parts = typeof v === "object" && v !== null && "tuple" in v && v.tuple.length === targets.length ? v.tuple : undefined;
        targets.forEach((target, i) => {
          if (target.name === "VariableName") {
            ctx.scope.bindValue(this.t(target), parts && ctx.flow !== "loop" ? parts[i] : unresolved(`'${this.t(target)}' is unpacked from a value Layer Lens cannot split`));
          }
        });
      }
    }
    if (model && single) {
      const key = targetGroups.length === 1 && targetGroups[0].length === 1 ? this.targetKey(targetGroups[0][0]) : undefined;
      const builder = this.sequential(single, ctx, key);
      if (key !== undefined) ctx.models.set(key, builder);
      for (const v of expressionChildren(single.getChild("ArgList") ?? single)) this.scanForModels(v, ctx);
    } else this.scanForModels(stmt, ctx);
  }

  private update(stmt: SyntaxNode, ctx: Context): void {
    const target = stmt.firstChild;
    const op = stmt.getChild("UpdateOp");
    const value = op?.nextSibling;
    if (!target || target.name !== "VariableName" || !op || !value) return;
    const name = this.t(target);
    const operator = this.t(op).slice(0, -1);
    const current = ctx.scope.value(name);
    const computed = ctx.flow === "loop" ? unresolved(`'${name}' changes inside a loop`) : arithmetic(operator, current, evaluate(value, this.text, ctx.scope));
    ctx.scope.bindValue(name, computed);
  }

  private expressionStatement(stmt: SyntaxNode, ctx: Context): void {
    const call = stmt.firstChild;
    const callee = call?.name === "CallExpression" ? call.firstChild : undefined;
    const method = callee?.name === "MemberExpression" ? callee.getChild("PropertyName") : undefined;
    const object = method ? callee?.firstChild : undefined;
    const key = object ? this.targetKey(object) : undefined;
    const model = key !== undefined ? ctx.models.get(key) : undefined;
    if (call && model && method) {
      const args = expressionChildren(call.getChild("ArgList") ?? call);
      const name = this.t(method);
      if (name === "add" && args.length >= 1) {
        model.elements.push(
          ctx.flow === "straight"
            ? this.element(args[0], ctx.scope)
            : { type: "opaque", text: `a layer added inside ${ctx.flow === "loop" ? "a loop" : "a conditional block"}`, span: span(args[0]) },
        );
        model.totalsOffset = Math.max(model.totalsOffset, model.span.end);
        return;
      }
      if (name === "build" && args.length >= 1 && ctx.flow === "straight") {
        const shapeArg = args[0].name === "VariableName" && args[1]?.name === "AssignOp" ? args[2] : args[0];
        if (shapeArg) model.build = { value: evaluate(shapeArg, this.text, ctx.scope), span: span(shapeArg) };
        return;
      }
    }
    this.scanForModels(stmt, ctx);
  }

  private branches(stmt: SyntaxNode, ctx: Context, depth: number): void {
    const bodies = stmt.getChildren("Body");
    const condition = stmt.firstChild?.nextSibling;
    const mainGuard = stmt.name === "IfStatement" && condition !== null && condition !== undefined && /^__name__\s*==\s*['"]__main__['"]$/.test(this.t(condition));
    bodies.forEach((body, i) => {
      // The body of `if __name__ == "__main__":` and of `try:` run in a normal script; other branches may not.
      const straight = (mainGuard && i === 0) || (stmt.name === "TryStatement" && i === 0);
      if (straight) return this.body(body, ctx, depth + 1);
      const local = ctx.scope.child();
      this.body(body, { scope: local, flow: ctx.flow === "loop" ? "loop" : "conditional", models: ctx.models }, depth + 1);
      this.mergeBranch(local, ctx.scope, "is assigned in a conditional block");
    });
  }

  private loop(stmt: SyntaxNode, ctx: Context, depth: number): void {
    const local = ctx.scope.child();
    for (const target of stmt.name === "ForStatement" ? expressionChildren(stmt).slice(1) : []) {
      if (target.name === "in") break;
      if (target.name === "VariableName") local.bindValue(this.t(target), unresolved(`'${this.t(target)}' is a loop variable`));
    }
    for (const body of stmt.getChildren("Body")) this.body(body, { scope: local, flow: "loop", models: ctx.models }, depth + 1);
    this.mergeBranch(local, ctx.scope, "changes inside a loop");
  }

  /** After a block that may not run (or runs repeatedly), names it assigned are no longer known; imports carry over. */
  private mergeBranch(local: Scope, parent: Scope, why: string): void {
    const own = local.ownBindings();
    for (const [name, path] of own.imports) parent.bindImport(name, path);
    for (const module of own.stars) parent.starImport(module);
    for (const [name] of own.values) parent.bindValue(name, unresolved(`'${name}' ${why}`));
  }

  private definition(stmt: SyntaxNode, ctx: Context): void {
    const name = stmt.getChild("VariableName");
    if (name) ctx.scope.bindValue(this.t(name), unresolved(`'${this.t(name)}' is a ${stmt.name === "ClassDefinition" ? "class" : "function"}`));
    const body = stmt.getChild("Body");
    if (!body) return;
    if (stmt.name === "FunctionDefinition") this.deferred.push({ node: body, scope: ctx.scope, params: stmt.getChild("ParamList") ?? undefined });
    else {
      // Methods are functions too; the class body itself runs at definition time.
      const classScope = ctx.scope.child();
      for (let member = body.firstChild; member; member = member.nextSibling) {
        const fn = member.name === "DecoratedStatement" ? member.getChild("FunctionDefinition") : member;
        if (fn?.name === "FunctionDefinition") this.definition(fn, { ...ctx, scope: classScope });
      }
    }
  }

  private bindParameters(params: SyntaxNode, scope: Scope): void {
    for (const p of params.getChildren("VariableName")) scope.bindValue(this.t(p), unresolved(`'${this.t(p)}' is a function parameter`));
  }

  /** Finds `Sequential(...)` calls anywhere inside a statement (e.g. `return keras.Sequential([...])`). */
  private scanForModels(node: SyntaxNode, ctx: Context): void {
    const stack: { node: SyntaxNode; depth: number }[] = [{ node, depth: 0 }];
    while (stack.length) {
      const { node: n, depth } = stack.pop()!;
      if (depth > MAX_NESTING || n.name === "LambdaExpression") continue;
      if (n.name === "CallExpression" && this.kerasCallee(n, ctx.scope)?.kind === "sequential") {
        this.sequential(n, ctx);
      }
      for (let c = n.lastChild; c; c = c.prevSibling) stack.push({ node: c, depth: depth + 1 });
    }
  }

  private sequential(call: SyntaxNode, ctx: Context, name?: string): ModelBuilder {
    const callee = call.firstChild!;
    const builder: ModelBuilder = { name, span: span(call), calleeSpan: span(callee), totalsOffset: call.to, elements: [] };
    this.models.push(builder);
    const argList = call.getChild("ArgList");
    if (!argList) return builder;
    const args = expressionChildren(argList);
    const keyword = args.findIndex((a, i) => a.name === "VariableName" && this.t(a) === "layers" && args[i + 1]?.name === "AssignOp");
    const first = args[0] && !(args[0].name === "VariableName" && args[1]?.name === "AssignOp") ? args[0] : undefined;
    const list = keyword >= 0 ? args[keyword + 2] : first;
    if (!list) return builder;
    if (list.name === "ArrayExpression" || list.name === "TupleExpression") {
      for (const element of expressionChildren(list)) builder.elements.push(this.element(element, ctx.scope));
    } else builder.elements.push({ type: "opaque", text: `the layer list \`${shorten(this.t(list))}\``, span: span(list) });
    return builder;
  }

  private element(node: SyntaxNode, scope: Scope): ElementIR {
    const opaque = (text: string, incomplete = false): ElementIR => ({ type: "opaque", text, span: span(node), incomplete });
    if (node.name !== "CallExpression") return opaque(shorten(this.t(node)), node.type.isError);
    const argList = node.getChild("ArgList");
    if (!argList || argList.lastChild?.name !== ")" || hasError(argList)) return opaque(shorten(this.t(node)), true);
    const keras = this.kerasCallee(node, scope);
    if (keras?.kind !== "layer") return opaque(shorten(this.t(node)));
    return this.layerCall(node, argList, keras.name, scope) ?? opaque(`${shorten(this.t(node))} (with * or ** arguments)`);
  }

  private layerCall(node: SyntaxNode, argList: SyntaxNode, kind: string, scope: Scope): LayerCallIR | undefined {
    const args: ArgIR[] = [];
    const parts = expressionChildren(argList);
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i];
      if (part.name === "*" || part.name === "**") return undefined;
      if (part.name === "VariableName" && parts[i + 1]?.name === "AssignOp" && parts[i + 2]) {
        const value = parts[i + 2];
        args.push({ name: this.t(part), value: evaluate(value, this.text, scope), span: { start: part.from, end: value.to } });
        i += 2;
      } else args.push({ value: evaluate(part, this.text, scope), span: span(part) });
    }
    return { type: "layer", kind, args, span: span(node), calleeSpan: span(node.firstChild!) };
  }
}

export function extractModels(tree: Tree, text: string): SequentialIR[] {
  return new Extractor(text).run(tree);
}
