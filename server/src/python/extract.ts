/**
 * The Python front end: walks a syntax tree in execution order, tracking imports
 * and constants, and describes every Keras Sequential model it finds (its layer
 * calls with evaluated arguments, `.add` and `.build` calls) as engine IR.
 * Never throws on broken code: incomplete calls become opaque elements.
 */
import { SyntaxNode, Tree } from "@lezer/common";
import { ElementIR, LayerCallIR, SequentialIR, Span } from "../engine/ir";
import { PyValue, isSequence, items, unresolved } from "../engine/values";
import { arithmetic, callArguments, evaluate, expressionChildren, importPathOf, nodeText } from "./evaluate";
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
        return this.branches(stmt, ctx, depth);
      case "TryStatement":
        this.branches(stmt, ctx, depth);
        return this.bindAsNames(stmt, ctx, "is bound by an except clause");
      case "ForStatement":
      case "WhileStatement":
        return this.loop(stmt, ctx, depth);
      case "WithStatement":
        this.bindAsNames(stmt, ctx, "is bound by a with statement");
        for (const body of stmt.getChildren("Body")) this.body(body, ctx, depth + 1);
        return;
      case "DeleteStatement":
        for (const target of expressionChildren(stmt).slice(1)) {
          for (const name of this.targetNames(target)) {
            ctx.models.delete(this.t(name));
            ctx.scope.bindValue(this.t(name), unresolved(`'${this.t(name)}' was deleted`));
          }
        }
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

  private kerasCallee(call: SyntaxNode, scope: Scope): KerasObject | undefined {
    const callee = call.firstChild;
    if (!callee) return undefined;
    const path = importPathOf(callee, this.text, scope);
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
    const targetGroups = groups;
    const single = values.length === 1 && !valueGroup.comma ? values[0] : undefined;
    const model = single?.name === "CallExpression" && this.kerasCallee(single, ctx.scope)?.kind === "sequential";
    const path = single && !model ? importPathOf(single, this.text, ctx.scope) : undefined;

    let value: PyValue | undefined;
    const valueOf = () =>
      (value ??= single
        ? evaluate(single, this.text, ctx.scope)
        : values.some((v) => v.name === "*")
          ? unresolved("a starred expression")
          : { tuple: values.map((v) => evaluate(v, this.text, ctx.scope)) });
    for (const { nodes: targets, comma } of targetGroups) {
      if (targets.length === 1 && !comma) {
        const key = this.targetKey(targets[0]);
        if (key === undefined) {
          this.bindTarget(targets[0], valueOf(), ctx);
          continue;
        }
        ctx.models.delete(key);
        // `m2 = m`: both names now add to the same model.
        const aliased = single ? this.targetKey(single) : undefined;
        const sameModel = aliased !== undefined ? ctx.models.get(aliased) : undefined;
        if (sameModel) ctx.models.set(key, sameModel);
        if (targets[0].name !== "VariableName") continue;
        if (path !== undefined) ctx.scope.bindImport(key, path);
        else if (model) ctx.scope.bindValue(key, unresolved(`'${key}' is a model`));
        else ctx.scope.bindValue(key, ctx.flow === "loop" ? unresolved(`'${key}' changes inside a loop`) : valueOf());
      } else this.unpack(targets, valueOf(), ctx);
    }
    if (model && single) {
      const key = targetGroups.length === 1 && targetGroups[0].nodes.length === 1 && !targetGroups[0].comma ? this.targetKey(targetGroups[0].nodes[0]) : undefined;
      const builder = this.sequential(single, ctx, key);
      if (key !== undefined) ctx.models.set(key, builder);
      for (const v of expressionChildren(single.getChild("ArgList") ?? single)) this.scanForModels(v, ctx);
    } else this.scanForModels(stmt, ctx);
  }

  /** Binds one assignment target: a name, or a parenthesised tuple / list of targets to unpack. */
  private bindTarget(target: SyntaxNode, value: PyValue | undefined, ctx: Context): void {
    if (target.name === "VariableName") {
      const name = this.t(target);
      ctx.models.delete(name);
      ctx.scope.bindValue(
        name,
        ctx.flow === "loop"
          ? unresolved(`'${name}' changes inside a loop`)
          : (value ?? unresolved(`'${name}' is unpacked from a value Layer Lens cannot split`)),
      );
    } else if (target.name === "TupleExpression" || target.name === "ArrayExpression") {
      this.unpack(expressionChildren(target), value, ctx);
    } else if (target.name === "ParenthesizedExpression") {
      const inner = expressionChildren(target);
      if (inner.length === 1) this.bindTarget(inner[0], value, ctx);
    }
  }

  /** `a, *rest, b = value`: binds each target to its part, or all to unresolved when the value cannot be split. */
  private unpack(targets: SyntaxNode[], value: PyValue | undefined, ctx: Context): void {
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
    }
    names.forEach((target, i) => this.bindTarget(target, parts?.[i], ctx));
  }

  /** Every name an assignment-like target binds (`a`, `(a, b)`, `[a, *b]`). */
  private targetNames(node: SyntaxNode): SyntaxNode[] {
    if (node.name === "VariableName") return [node];
    if (["TupleExpression", "ArrayExpression", "ParenthesizedExpression"].includes(node.name)) {
      return expressionChildren(node).flatMap((c) => this.targetNames(c));
    }
    return [];
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

  /** `with f() as x`, `except E as e`: names whose value Layer Lens cannot know. */
  private bindAsNames(stmt: SyntaxNode, ctx: Context, why: string): void {
    for (let c = stmt.firstChild; c; c = c.nextSibling) {
      if (c.name !== "as" || !c.nextSibling) continue;
      for (const name of this.targetNames(c.nextSibling)) {
        ctx.models.delete(this.t(name));
        ctx.scope.bindValue(this.t(name), unresolved(`'${this.t(name)}' ${why}`));
      }
    }
  }

  private loop(stmt: SyntaxNode, ctx: Context, depth: number): void {
    const local = ctx.scope.child();
    for (const target of stmt.name === "ForStatement" ? expressionChildren(stmt).slice(1) : []) {
      if (target.name === "in") break;
      for (const name of this.targetNames(target)) local.bindValue(this.t(name), unresolved(`'${this.t(name)}' is a loop variable`));
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
    // A cursor, not SyntaxNode objects: a 5 MB statement has millions of nodes.
    const cursor = node.cursor();
    let depth = 0;
    for (;;) {
      const enter = depth <= MAX_NESTING && cursor.name !== "LambdaExpression";
      if (enter && cursor.name === "CallExpression") {
        const call = cursor.node;
        if (this.kerasCallee(call, ctx.scope)?.kind === "sequential") this.sequential(call, ctx);
      }
      if (enter && cursor.firstChild()) {
        depth++;
        continue;
      }
      for (;;) {
        if (depth === 0) return;
        if (cursor.nextSibling()) break;
        cursor.parent();
        depth--;
      }
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
    const args = callArguments(argList, this.text, scope);
    return args && { type: "layer", kind, args, span: span(node), calleeSpan: span(node.firstChild!) };
  }

}

export function extractModels(tree: Tree, text: string): SequentialIR[] {
  return new Extractor(text).run(tree);
}
