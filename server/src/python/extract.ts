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
import {
  ArgIR,
  BlockIR,
  CallIR,
  ElementIR,
  GraphModelIR,
  LayerCallIR,
  LayerObjectIR,
  ProgramIR,
  SequentialIR,
  Span,
  TensorIR,
} from "../engine/ir";
import { ProgramAnalyzer } from "../engine/analyze";
import { LayerValue, PyValue, RefValue, isFloat, isInt, isRef, isSequence, isUnresolved, items, numeric, pyFloat, unresolved } from "../engine/values";
import { EvaluationHost, arithmetic, callArguments, evaluate, expressionChildren, importPathOf, nodeText, truthy } from "./evaluate";
import { classifyKerasPath, classifyTensorFlowPath } from "./keras";
import { parsePython } from "./parser";
import { ModuleBinding, Scope } from "./scope";
import { MUTATING_METHODS } from "./statements";

/** Bounds on the work done for one document; beyond them values become unknown, with the reason. */
export const LIMITS = {
  /** Deeper syntax than this is not walked. */
  nesting: 200,
  /** Helper calls nested deeper than this (recursion) return an unknown value. */
  callDepth: 16,
  /** Loops and comprehensions over more items than this are not unrolled. */
  iterations: 256,
  /**
   * Statements and calls executed again and again (unrolled loop iterations, comprehensions, helper runs);
   * past this the rest of the file is not followed. Straight-line code runs once and is bounded by the
   * document's length, so it does not count: a Sequential list of 100,000 layers is followed to its end.
   */
  steps: 20_000,
  /**
   * A list changed in place is copied at each change (it is a value here): past this many items it is
   * unknown, so 20,000 `s.append(i)` lines cost no more than the file's length.
   */
  changedList: 1_000,
} as const;

const STARRED = "uses * or ** arguments";

/** Tensor arithmetic, by the name Keras's summary gives the op. */
const TENSOR_OPERATORS = new Map<string, "add" | "subtract" | "multiply" | "divide">([
  ["+", "add"],
  ["-", "subtract"],
  ["*", "multiply"],
  ["/", "divide"],
]);

/** How the statements of a body execute: straight-line, or perhaps / repeatedly. */
type Flow = "straight" | "conditional" | "loop";

/** A running helper call: what it returned. */
interface Frame {
  result?: PyValue;
  done: boolean;
  /** A `return` inside a block that may not run: the result is unknown. */
  uncertain: boolean;
}

interface Context {
  readonly scope: Scope;
  readonly flow: Flow;
  readonly frame?: Frame;
}

interface Param {
  readonly name: string;
  /** Evaluated once, where the function is defined: a list default changed in place stays changed (Python's own). */
  default?: PyValue;
  readonly star?: "*" | "**";
}

interface FunctionDef {
  readonly name: string;
  readonly body: SyntaxNode;
  /** The scope it was defined in (its globals / closure). */
  readonly scope: Scope;
  readonly params: readonly Param[];
  /** For a method looked up on an instance: the instance. */
  readonly self?: RefValue;
  /** The definition this one is bound from (methods), whose `invoked` flag counts. */
  readonly origin?: FunctionDef;
  invoked: boolean;
}

interface ClassDef {
  readonly name: string;
  readonly node: SyntaxNode;
  readonly base: "model" | "layer" | "other";
  readonly methods: ReadonlyMap<string, number>;
  readonly parent?: ClassDef;
  /** The `# input: ...` annotation's expression and where it is. */
  readonly annotation?: { readonly text: string; readonly span: Span };
  instantiated: boolean;
}

interface Instance {
  readonly cls: ClassDef;
  readonly attributes: Map<string, PyValue>;
  /** How many bodies that may not run were under way when it was made (see `Extractor.surely`). */
  readonly madeAt: number;
  /** For a Model subclass: its model in the program, and whether its `call` has been traced. */
  readonly model?: number;
  traced: boolean;
}

type SequentialBuilder = { -readonly [K in keyof SequentialIR]: SequentialIR[K] } & { elements: ElementIR[] };
type GraphBuilder = { -readonly [K in keyof GraphModelIR]: GraphModelIR[K] };

const span = (node: SyntaxNode): Span => ({ start: node.from, end: node.to });

function shorten(text: string): string {
  const oneLine = text.replace(/\s+/g, " ");
  return oneLine.length > 40 ? `${oneLine.slice(0, 39)}…` : oneLine;
}

/** Whether a node or anything inside it is a parse error (the code is still being typed). */
function hasError(node: SyntaxNode): boolean {
  // A cursor, not SyntaxNode objects: this runs on every call the front end evaluates.
  const cursor = node.cursor();
  for (let depth = 0; ; ) {
    if (cursor.type.isError) return true;
    if (cursor.firstChild()) {
      depth++;
      continue;
    }
    while (!cursor.nextSibling()) {
      if (depth === 0 || !cursor.parent()) return false;
      depth--;
    }
    if (depth === 0) return false;
  }
}

/** A call still being typed: no argument list, an unclosed one, or one with a syntax error. */
function incompleteCall(node: SyntaxNode): boolean {
  const argList = node.getChild("ArgList");
  return !argList || argList.lastChild?.name !== ")" || hasError(argList);
}

const NESTED_SCOPES = new Set(["ForStatement", "WhileStatement", "FunctionDefinition", "ClassDefinition", "LambdaExpression"]);

/** Whether a loop body leaves early (`break` / `continue` of this loop), which unrolling cannot follow. */
function leavesEarly(node: SyntaxNode, depth = 0): boolean {
  if (depth > LIMITS.nesting) return true;
  for (let child = node.firstChild; child; child = child.nextSibling) {
    if (child.name === "BreakStatement" || child.name === "ContinueStatement") return true;
    if (!NESTED_SCOPES.has(child.name) && leavesEarly(child, depth + 1)) return true;
  }
  return false;
}

const ANNOTATION = /^#\s*input:\s*(.+?)\s*$/;

/** `range`, `len`, `enumerate`, `zip`, … on constants, when the name is not rebound in the file. */
function builtin(name: string, args: readonly ArgIR[]): PyValue | undefined {
  const values = args.filter((a) => a.name === undefined).map((a) => a.value);
  const unknown = values.find(isUnresolved);
  if (unknown && ["range", "len", "enumerate", "zip", "list", "tuple", "min", "max", "int", "float", "abs"].includes(name)) return unknown;
  switch (name) {
    case "range": {
      if (!values.length || values.length > 3 || !values.every(isInt)) return unresolved("range() of values that are not integers");
      const [start, stop, step] = values.length === 1 ? [0, values[0], 1] : [values[0], values[1], values[2] ?? 1];
      if (step === 0) return unresolved("range() with step 0");
      const count = Math.max(0, Math.ceil((stop - start) / step));
      if (count > LIMITS.iterations * 40) return unresolved("a range too long to follow");
      return Array.from({ length: count }, (_, i) => start + i * step);
    }
    case "len":
      return values.length === 1 && isSequence(values[0]) ? items(values[0]).length : unresolved("len() of a value that is not a constant sequence");
    case "enumerate":
      return values.length >= 1 && isSequence(values[0])
        ? items(values[0]).map((v, i) => ({ tuple: [i + (isInt(values[1]) ? values[1] : 0), v] }))
        : unresolved("enumerate() of a value that is not a constant sequence");
    case "zip": {
      if (!values.every(isSequence)) return unresolved("zip() of values that are not constant sequences");
      const lists = values.map((v) => items(v as PyValue[]));
      const length = Math.min(...lists.map((l) => l.length));
      return Array.from({ length: lists.length ? length : 0 }, (_, i) => ({ tuple: lists.map((l) => l[i]) }));
    }
    case "list":
    case "tuple": {
      const source = values.length ? values[0] : [];
      if (!isSequence(source)) return unresolved(`${name}() of a value that is not a constant sequence`);
      return name === "list" ? [...items(source)] : { tuple: [...items(source)] };
    }
    case "min":
    case "max": {
      const pool = values.length === 1 && isSequence(values[0]) ? items(values[0]) : values;
      const numbers = pool.map(numeric);
      if (!pool.length || numbers.some((n) => n === undefined || Number.isNaN(n))) return unresolved(`${name}() of values that are not numbers`);
      // Python returns the first of the extreme items itself, an int or a float as it was.
      const extreme = name === "min" ? Math.min(...(numbers as number[])) : Math.max(...(numbers as number[]));
      return pool[numbers.indexOf(extreme)];
    }
    case "int": {
      const n = values.length === 1 ? numeric(values[0]) : undefined;
      if (n === undefined || !Number.isFinite(n)) return unresolved("int() of a value that is not a finite number");
      return Number.isSafeInteger(Math.trunc(n)) ? Math.trunc(n) : unresolved("the result is too large to follow exactly");
    }
    case "float": {
      const n = values.length === 1 ? numeric(values[0]) : undefined;
      return n === undefined ? unresolved("float() of a value that is not a number") : pyFloat(n);
    }
    case "abs": {
      const n = values.length === 1 ? numeric(values[0]) : undefined;
      if (n === undefined) return unresolved("abs() of a value that is not a number");
      return isFloat(values[0]) ? pyFloat(Math.abs(n)) : Math.abs(n);
    }
    default:
      return undefined;
  }
}

/** The shape `(n,)` of `arange(start, stop, step)` / `tf.range(start, limit, delta)` (one bound: the stop). */
function rangeLength(args: readonly ArgIR[], names: readonly string[]): PyValue {
  const positional = args.filter((a) => a.name === undefined).map((a) => a.value);
  const given = names.map((name, i) => args.find((a) => a.name === name)?.value ?? positional[i]);
  const [first, second, step = 1] = given;
  const [start, stop] = second === undefined || second === null ? [0, first] : [first, second];
  if (!isInt(start) || !isInt(stop) || !isInt(step) || step === 0) return unresolved("a range whose bounds are not constant integers");
  return { tuple: [Math.max(0, Math.ceil((stop - start) / step))] };
}

export class Extractor implements EvaluationHost {
  private readonly tensors: TensorIR[] = [];
  private readonly layers: LayerObjectIR[] = [];
  private readonly calls: CallIR[] = [];
  private readonly models: (SequentialBuilder | GraphBuilder)[] = [];
  private readonly blocks: BlockIR[] = [];
  private readonly functions: FunctionDef[] = [];
  private readonly classes: ClassDef[] = [];
  private readonly instances: Instance[] = [];
  private readonly dicts: Map<string, PyValue>[] = [];
  /** For each dict, how many bodies that may not run were under way when it was made. */
  private readonly dictsMadeAt: number[] = [];
  /** Dicts changed in ways not followed: they may hold keys Layer Lens does not know. */
  private readonly opaqueDicts = new Set<number>();
  private steps = 0;
  /** How many loop iterations, comprehensions and helper runs are under way: only their work counts as steps. */
  private repeating = 0;
  private exhausted = false;
  private callDepth = 0;
  /** How many bodies under way may or may not run (branches on unknown conditions, loops not unrolled). */
  private uncertain = 0;
  /** Running the functions the file never calls: their `global` and `nonlocal` names stay their own. */
  private finishing = false;
  /** The scopes of the helper runs under way, innermost last: a list passed down may be changed there. */
  private readonly invocations: Scope[] = [];
  private moduleScope = new Scope();
  /** Follows the program as it is built, for `x.shape`. */
  private readonly shapes = new ProgramAnalyzer({ tensors: this.tensors, layers: this.layers, calls: this.calls, models: this.models, blocks: this.blocks });

  constructor(private readonly text: string) {}

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
    for (const fn of this.functions) if (!fn.invoked && !fn.origin) at.push(fn.body.from);
    for (const cls of this.classes) if (cls.base === "model" && !cls.instantiated) at.push(cls.node.from);
    for (const instance of this.instances) if (instance.model !== undefined && !instance.traced) at.push(instance.cls.node.from);
    return at;
  }

  /** Loop iterations, comprehensions and helper runs followed so far (see LIMITS.steps). */
  get stepsTaken(): number {
    return this.steps;
  }

  /** Runs what was defined but never used, and returns the program. */
  finish(): ProgramIR {
    // Models of classes never built in the file are traced from their annotation, or with an unknown input.
    for (const cls of this.classes) if (cls.base === "model" && !cls.instantiated) this.instantiate(cls, [], undefined);
    for (const instance of this.instances) if (instance.model !== undefined && !instance.traced) this.traceModel(instance, undefined);
    // Functions never called run once with unknown parameters, so models built inside them are still shown.
    // They may run or not, in any order: what they set on objects from outside is unknown, and they leave the
    // module's names as the file does (so a part of the file analysed alone ends as the whole file would).
    this.uncertain++;
    this.finishing = true;
    for (let i = 0; i < this.functions.length && !this.exhausted; i++) {
      const fn = this.functions[i];
      if (!fn.invoked && !fn.origin) this.invoke(fn, undefined, undefined);
    }
    this.uncertain--;
    return {
      tensors: this.tensors,
      layers: this.layers,
      calls: this.calls,
      models: this.models.map((m) => (m.kind === "sequential" ? { ...m, elements: [...m.elements] } : { ...m })),
      blocks: this.blocks,
    };
  }

  private t(node: SyntaxNode): string {
    return nodeText(this.text, node);
  }

  private eval(node: SyntaxNode, scope: Scope, depth = 0): PyValue {
    return evaluate(node, this.text, scope, depth, this);
  }

  private args(argList: SyntaxNode, scope: Scope, depth: number): ArgIR[] | undefined {
    return callArguments(argList, this.text, scope, depth, this);
  }

  // ── statements ───────────────────────────────────────────────────────────

  private body(node: SyntaxNode, ctx: Context, depth = 0): void {
    if (depth > LIMITS.nesting) return;
    for (let stmt = node.firstChild; stmt; stmt = stmt.nextSibling) {
      if (ctx.frame?.done || this.exhausted) return;
      if (this.repeating && ++this.steps > LIMITS.steps) return this.exhaust(stmt);
      this.statement(stmt, ctx, depth);
    }
  }

  /** The step budget ran out: models still being built cannot be trusted to be complete. */
  private exhaust(at: SyntaxNode): void {
    this.exhausted = true;
    const text = `the rest of the file (more than ${LIMITS.steps.toLocaleString("en")} statements to follow)`;
    for (const model of this.models) if (model.kind === "sequential") model.elements.push({ type: "opaque", text, span: { start: at.from, end: at.from } });
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

  /** The name a target gives a model (`model`, `self.model`), if it is a simple one. */
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
  private nameModel(value: PyValue, key: string): void {
    const index = isRef(value, "model") ? value.id : isRef(value, "instance") ? this.instances[value.id].model : undefined;
    if (index !== undefined && this.models[index].name === undefined) this.models[index].name = key;
  }

  /** Binds one assignment target: a name, an attribute, a dict entry, or a tuple / list of targets to unpack. */
  private bindTarget(target: SyntaxNode, value: PyValue | undefined, ctx: Context): void {
    const known = (name: string) =>
      ctx.flow === "loop" ? unresolved(`'${name}' changes inside a loop`) : (value ?? unresolved(`'${name}' is unpacked from a value Layer Lens cannot split`));
    if (target.name === "VariableName") {
      ctx.scope.bindValue(this.t(target), known(this.t(target)));
    } else if (target.name === "MemberExpression") {
      const property = target.getChild("PropertyName");
      const object = target.firstChild;
      if (!object) return;
      if (!property) return this.setItem(target, known(this.t(target)), ctx);
      const owner = this.eval(object, ctx.scope);
      const key = this.t(target).replace(/\s+/g, "");
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

  /** `d["key"] = value` on a dict the front end follows, `sizes[0] = value` on a list. */
  private setItem(target: SyntaxNode, value: PyValue, ctx: Context): void {
    this.changeItem(target, ctx, (list, i) => list.map((v, j) => (j === i ? value : v)), (dict, key) => dict.set(key, value));
  }

  /** `del d["key"]`, `del sizes[0]`. */
  private deleteItem(target: SyntaxNode, ctx: Context): void {
    this.changeItem(target, ctx, (list, i) => list.filter((_, j) => j !== i), (dict, key) => dict.delete(key));
  }

  /**
   * An item of a list or a dict assigned or deleted: a list gets its new value in every holder (see
   * `replaceList`); a dict changes itself, or the item becomes unknown where the change may not run.
   */
  private changeItem(
    target: SyntaxNode,
    ctx: Context,
    inList: (list: readonly PyValue[], index: number) => PyValue[],
    inDict: (dict: Map<string, PyValue>, key: string) => void,
  ): void {
    const object = target.firstChild!;
    const index = target.getChild("[")?.nextSibling;
    if (!index || target.getChild("PropertyName")) return;
    const holder = this.eval(object, ctx.scope);
    const key = target.getChild(":") ? unresolved("a slice") : this.eval(index, ctx.scope);
    const why = `\`${shorten(this.t(target))}\` is not an item Layer Lens follows`;
    if (Array.isArray(holder)) {
      const i = isInt(key) ? (key < 0 ? holder.length + key : key) : -1;
      this.replaceList(object, ctx.scope, holder, i >= 0 && i < holder.length ? inList(holder, i) : unresolved(why));
    } else if (isRef(holder, "dict")) {
      const dict = this.dicts[holder.id];
      if (typeof key !== "string") {
        for (const name of dict.keys()) dict.set(name, unresolved(why));
        this.opaqueDicts.add(holder.id);
      } else if (this.uncertain > this.dictsMadeAt[holder.id]) dict.set(key, unresolved(`'${this.t(target)}' is changed in a conditional block`));
      else inDict(dict, key);
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
    } else if (star < 0 && isRef(value, "tensor")) {
      // `out, scores = mha(q, v, return_attention_scores=True)`: the outputs of one call.
      parts = names.map((_, i) => this.item(value, i) ?? unresolved("an output Layer Lens cannot split"));
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

  /** `n += 1`, `self.units *= 2`, `cfg["u"] -= 1`; a list's `+=` and `*=` change it in place, seen by every holder. */
  private update(stmt: SyntaxNode, ctx: Context): void {
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

  private expressionStatement(stmt: SyntaxNode, ctx: Context): void {
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

  private returnStatement(stmt: SyntaxNode, ctx: Context): void {
    const expression = expressionChildren(stmt)[1];
    const value = expression ? this.eval(expression, ctx.scope) : null;
    if (!ctx.frame) return;
    if (ctx.flow === "straight") {
      ctx.frame.result = value;
      ctx.frame.done = true;
    } else ctx.frame.uncertain = true;
  }

  /** `if` / `elif` / `else`: a constant condition takes its branch; otherwise every branch may run. */
  private ifStatement(stmt: SyntaxNode, ctx: Context, depth: number): void {
    const parts: { condition?: SyntaxNode; body: SyntaxNode }[] = [];
    for (let c = stmt.firstChild; c; c = c.nextSibling) {
      if (c.name === "Body") parts.push({ body: c, condition: parts.length || c.prevSibling?.name !== "else" ? this.conditionBefore(c) : undefined });
    }
    for (let i = 0; i < parts.length; i++) {
      const { condition, body } = parts[i];
      const value = condition ? this.eval(condition, ctx.scope) : true;
      // `if __name__ == "__main__":` runs in a normal script.
      const mainGuard = condition && /^__name__\s*==\s*['"]__main__['"]$/.test(this.t(condition));
      const truth = mainGuard ? true : truthy(value);
      if (truth === true) return this.body(body, ctx, depth + 1);
      if (truth === undefined) return this.branches(parts.slice(i).map((p) => p.body), ctx, depth, false);
    }
  }

  /** The condition of an `if` / `elif` body (the node after its keyword), none for `else`. */
  private conditionBefore(body: SyntaxNode): SyntaxNode | undefined {
    const before = body.prevSibling;
    if (!before || before.name === "else") return undefined;
    return before.prevSibling?.name === "if" || before.prevSibling?.name === "elif" ? before : undefined;
  }

  /** Bodies that may or may not run: names they assign are unknown afterwards; imports carry over. */
  private branches(bodies: SyntaxNode[], ctx: Context, depth: number, firstRuns: boolean): void {
    bodies.forEach((body, i) => {
      // The body of `try:` runs in a normal script; the handlers may not.
      if (firstRuns && i === 0) return this.body(body, ctx, depth + 1);
      this.maybeRun([body], ctx, depth, "conditional", "is assigned in a conditional block");
    });
  }

  /** Bodies that may or may not run, in a scope of their own whose names are unknown afterwards. */
  private maybeRun(bodies: SyntaxNode[], ctx: Context, depth: number, flow: "conditional" | "loop", why: string, before?: (local: Scope) => void): void {
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
  private matchStatement(stmt: SyntaxNode, ctx: Context, depth: number): void {
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
  private capturedNames(clause: SyntaxNode): SyntaxNode[] {
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
  private bindAsNames(stmt: SyntaxNode, ctx: Context, why: string): void {
    for (let c = stmt.firstChild; c; c = c.nextSibling) {
      if (c.name !== "as" || !c.nextSibling) continue;
      for (const name of this.targetNames(c.nextSibling)) ctx.scope.bindValue(this.t(name), unresolved(`'${this.t(name)}' ${why}`));
    }
  }

  /** `for target in iterable:` over a constant sequence runs the body once per item; any other loop is opaque. */
  private forStatement(stmt: SyntaxNode, ctx: Context, depth: number): void {
    const children = expressionChildren(stmt);
    const inAt = children.findIndex((c) => c.name === "in");
    const targets = children.slice(1, Math.max(1, inAt));
    const iterable = inAt >= 0 ? children[inAt + 1] : undefined;
    const [body, orElse] = stmt.getChildren("Body");
    const sequence = iterable ? this.eval(iterable, ctx.scope) : undefined;
    if (!body || !sequence || !isSequence(sequence) || items(sequence).length > LIMITS.iterations || leavesEarly(body)) {
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
  private opaqueLoop(stmt: SyntaxNode, targets: SyntaxNode[], ctx: Context, depth: number): void {
    this.maybeRun(stmt.getChildren("Body"), ctx, depth, "loop", "changes inside a loop", (local) => {
      for (const target of targets) {
        for (const name of this.targetNames(target)) local.bindValue(this.t(name), unresolved(`'${this.t(name)}' is a loop variable`));
      }
    });
  }

  /** After a block that may not run (or runs repeatedly), names it assigned are no longer known; imports carry over. */
  private mergeBranch(local: Scope, parent: Scope, why: string): void {
    const own = local.ownBindings();
    for (const [name, path] of own.imports) parent.bindImport(name, path);
    for (const module of own.stars) parent.starImport(module);
    for (const [name] of own.values) parent.bindValue(name, unresolved(`'${name}' ${why}`));
  }

  // ── functions and classes ────────────────────────────────────────────────

  private parameters(list: SyntaxNode | null, scope: Scope): Param[] {
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

  private functionDefinition(stmt: SyntaxNode, ctx: Context): void {
    const name = stmt.getChild("VariableName");
    const body = stmt.getChild("Body");
    if (!name) return;
    if (!body) return ctx.scope.bindValue(this.t(name), unresolved(`'${this.t(name)}' is a function`));
    const fn: FunctionDef = { name: this.t(name), body, scope: ctx.scope, params: this.parameters(stmt.getChild("ParamList"), ctx.scope), invoked: false };
    ctx.scope.bindValue(fn.name, { ref: "function", id: this.functions.push(fn) - 1 });
  }

  private classDefinition(stmt: SyntaxNode, ctx: Context): void {
    const name = stmt.getChild("VariableName");
    const body = stmt.getChild("Body");
    if (!name) return;
    let base: ClassDef["base"] = "other";
    let parent: ClassDef | undefined;
    const bases = stmt.getChild("ArgList");
    for (const b of bases ? expressionChildren(bases) : []) {
      const path = importPathOf(b, this.text, ctx.scope);
      const keras = path === undefined ? undefined : classifyKerasPath(path);
      if (keras?.kind === "model") base = "model";
      else if (keras?.kind === "layer" && keras.name === "Layer" && base === "other") base = "layer";
      const user = this.eval(b, ctx.scope);
      if (isRef(user, "class")) {
        parent = this.classes[user.id];
        if (base === "other") base = parent.base;
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
      const def: FunctionDef = { name: `${this.t(name)}.${this.t(fnName)}`, body: fnBody, scope: ctx.scope, params: this.parameters(fn.getChild("ParamList"), ctx.scope), invoked: false };
      methods.set(this.t(fnName), this.functions.push(def) - 1);
      if (this.t(fnName) === "call") annotation = this.annotation(fn) ?? annotation;
    }
    annotation = this.annotation(stmt) ?? annotation;
    const cls: ClassDef = { name: this.t(name), node: stmt, base, methods, parent, annotation, instantiated: false };
    ctx.scope.bindValue(cls.name, { ref: "class", id: this.classes.push(cls) - 1 });
  }

  /**
   * An input-shape annotation: `# input: (None, 28, 28, 1)` at the end of the `class` / `def call`
   * line, or alone on the line just before it.
   */
  private annotation(definition: SyntaxNode): ClassDef["annotation"] {
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

  private method(cls: ClassDef | undefined, name: string): FunctionDef | undefined {
    for (let c = cls; c; c = c.parent) {
      const id = c.methods.get(name);
      if (id !== undefined) return this.functions[id];
    }
    return undefined;
  }

  /** Runs a helper with its arguments (undefined: unknown parameters); records a block when it returns tensors. */
  private invoke(fn: FunctionDef, args: readonly ArgIR[] | undefined, site: SyntaxNode | undefined): PyValue {
    (fn.origin ?? fn).invoked = true;
    if (this.callDepth >= LIMITS.callDepth) return unresolved(`helper calls nested more than ${LIMITS.callDepth} deep`);
    if (this.exhausted) return unresolved("the file has more to follow than Layer Lens does");
    const scope = fn.scope.child(this.uncertain);
    this.bindArguments(fn, args, scope);
    this.invocations.push(scope);
    const callsBefore = this.calls.length;
    const frame: Frame = { done: false, uncertain: false };
    this.callDepth++;
    this.repeating++;
    try {
      this.body(fn.body, { scope, flow: "straight", frame });
    } finally {
      this.callDepth--;
      this.repeating--;
      this.invocations.pop();
    }
    const result = frame.uncertain ? unresolved(`${fn.name}() returns from inside a conditional block or loop`) : (frame.result ?? null);
    if (site && this.hasTensor(result)) {
      const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
      this.blocks.push({ name: fn.name, span: span(site), result, calls: range(callsBefore, this.calls.length) });
    }
    return result;
  }

  private hasTensor(value: PyValue): boolean {
    return isRef(value, "tensor") || (isSequence(value) && items(value).some((v) => this.hasTensor(v)));
  }

  private bindArguments(fn: FunctionDef, args: readonly ArgIR[] | undefined, scope: Scope): void {
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
      const value = params.indexOf(p) < starAt && i < positional.length ? positional[i] : keywords.get(p.name);
      keywords.delete(p.name);
      scope.bindValue(p.name, value ?? p.default ?? unresolved(`'${p.name}' is a function parameter without a value`));
    });
    if (varArgs) scope.bindValue(varArgs.name, { tuple: positional.slice(starAt) });
    if (varKeywords) scope.bindValue(varKeywords.name, this.newDict([...keywords]));
  }

  private newDict(entries: [string, PyValue][]): RefValue {
    this.dictsMadeAt.push(this.uncertain);
    return { ref: "dict", id: this.dicts.push(new Map(entries)) - 1 };
  }

  /**
   * The value an object's attribute or item takes from an assignment: unknown when the assignment is in a
   * body that may not run while the object exists either way (`if cond: self.block = Dense(8)`).
   */
  private surely(madeAt: number, target: string, value: PyValue): PyValue {
    return this.uncertain > madeAt ? unresolved(`'${target}' is assigned in a conditional block`) : value;
  }

  /** `Net(...)`: an instance whose `__init__` ran with the arguments; a Model subclass is also a model. */
  private instantiate(cls: ClassDef, args: readonly ArgIR[] | undefined, site: SyntaxNode | undefined): RefValue {
    cls.instantiated = true;
    const header = cls.node.getChild("Body");
    const nameNode = cls.node.getChild("VariableName")!;
    let model: number | undefined;
    if (cls.base === "model") {
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
    const ref: RefValue = { ref: "instance", id: this.instances.push({ cls, attributes: new Map(), madeAt: this.uncertain, model, traced: false }) - 1 };
    const init = this.method(cls, "__init__");
    if (init) this.invoke(this.bound(init, ref), args, undefined);
    return ref;
  }

  private bound(fn: FunctionDef, self: RefValue): FunctionDef {
    return { ...fn, self, origin: fn.origin ?? fn };
  }

  /**
   * Traces a Model subclass's `call` to give it inputs and outputs: on a shape from
   * `model.build(...)`, from the class's `# input:` annotation, or on nothing known.
   */
  private traceModel(instance: Instance, shape: { value: PyValue; span: Span } | undefined): void {
    const builder = this.models[instance.model!] as GraphBuilder;
    instance.traced = true;
    const annotation = instance.cls.annotation;
    const given = shape ?? (annotation ? { value: this.annotationValue(annotation.text), span: annotation.span } : undefined);
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
          : `the input shape of ${instance.cls.name} is unknown; call model.build((None, ...)), call it on keras.Input(...), or annotate the class with # input: (None, ...)`;
      tensor = this.newTensor({ type: "unknown", reason: why });
      builder.inputUnknown = why;
    }
    builder.inputs = tensor;
    const call = this.method(instance.cls, "call");
    const ref: RefValue = { ref: "instance", id: this.instances.indexOf(instance) };
    builder.outputs = call ? this.invoke(this.bound(call, ref), [{ value: tensor, span: builder.span }], undefined) : unresolved(`${instance.cls.name} has no call method`);
  }

  private annotationValue(expression: string): PyValue {
    const tree = parsePython(expression);
    const statement = tree.topNode.firstChild;
    const node = statement?.firstChild;
    if (!node || statement?.nextSibling || hasError(statement)) return unresolved(`the annotation \`${shorten(expression)}\` is not a shape`);
    return evaluate(node, expression, this.moduleScope);
  }

  private newTensor(tensor: TensorIR): RefValue {
    return { ref: "tensor", id: this.tensors.push(tensor) - 1 };
  }

  // ── models ───────────────────────────────────────────────────────────────

  private sequential(call: SyntaxNode, scope: Scope): RefValue {
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
  private element(node: SyntaxNode, scope: Scope): ElementIR {
    if (node.name === "CallExpression" && incompleteCall(node)) return { type: "opaque", text: shorten(this.t(node)), span: span(node), incomplete: true };
    if (node.type.isError) return { type: "opaque", text: shorten(this.t(node)), span: span(node), incomplete: true };
    return this.toElement(this.eval(node, scope), node);
  }

  private toElement(value: PyValue, node: SyntaxNode): ElementIR {
    if (isRef(value, "layer")) return this.layers[value.id].call;
    if (isRef(value, "tensor")) {
      const tensor = this.tensors[value.id];
      if (tensor.type === "input") return tensor.call;
    }
    if (isRef(value, "model")) return { type: "model", model: value.id, text: this.models[value.id].name ?? shorten(this.t(node)), span: span(node) };
    const starred = isUnresolved(value) && value.unresolved.endsWith(STARRED);
    return { type: "opaque", text: `${shorten(this.t(node))}${starred ? " (with * or ** arguments)" : ""}`, span: span(node) };
  }

  /** `keras.Model(inputs, outputs)` / `keras.Model(inputs=..., outputs=...)`. */
  private functional(call: SyntaxNode, args: readonly ArgIR[]): RefValue {
    const positional = args.filter((a) => a.name === undefined);
    const inputs = args.find((a) => a.name === "inputs") ?? positional[0];
    const outputs = args.find((a) => a.name === "outputs") ?? positional[1];
    const name = args.find((a) => a.name === "name")?.value;
    const builder: GraphBuilder = {
      kind: "functional",
      span: span(call),
      calleeSpan: span(call.firstChild!),
      totalsOffset: call.to,
      inputs: this.plain(inputs?.value ?? unresolved("the model has no inputs")),
      outputs: this.plain(outputs?.value ?? unresolved("the model has no outputs")),
      ...(typeof name === "string" ? { name } : {}),
    };
    return { ref: "model", id: this.models.push(builder) - 1 };
  }

  /** A value with dicts replaced by the list of their values (a model's inputs and outputs dicts). */
  private plain(value: PyValue): PyValue {
    if (isRef(value, "dict")) return [...this.dicts[value.id].values()].map((v) => this.plain(v));
    if (isSequence(value)) return items(value).map((v) => this.plain(v));
    return value;
  }

  // ── the evaluation host ──────────────────────────────────────────────────

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

  /** `dict(base, units=8)`: the items of a dict followed by identity, then the keywords. */
  private dictCall(args: readonly ArgIR[]): PyValue {
    const positional = args.filter((a) => a.name === undefined);
    const copied = positional.length === 0 ? [] : positional.length === 1 ? this.keywords(positional[0].value) : undefined;
    if (!copied) return unresolved("dict() of a value Layer Lens does not follow");
    return this.newDict([...copied, ...args.filter((a) => a.name !== undefined).map((a): [string, PyValue] => [a.name!, a.value])]);
  }

  /**
   * A method of a list or a dict: `cfg.get("units", 32)`, `cfg.copy()`, `cfg.items()`, `sizes.copy()`, or one
   * that changes it in place, `sizes.append(8)`, `cfg.update(units=4)`. A list is a value here, so the name,
   * attribute or item holding it gets the new list; a dict is followed by identity and changes itself. Where
   * the call may not run, what it changes becomes unknown. Undefined: not such a call.
   */
  private containerMethod(node: SyntaxNode, receiver: SyntaxNode, method: string, owner: PyValue, scope: Scope, depth: number): PyValue | undefined {
    if (!(MUTATING_METHODS.has(method) || READING_METHODS.has(method))) return undefined;
    if (!Array.isArray(owner) && !isRef(owner, "dict")) return undefined;
    const args = this.args(node.getChild("ArgList")!, scope, depth);
    const positional = args?.every((a) => a.name === undefined) ? args.map((a) => a.value) : undefined;
    if (READING_METHODS.has(method)) return positional ? this.readingMethod(owner, method, positional) : unresolved(`\`${shorten(this.t(node))}\` with keywords`);
    const why = `\`${shorten(this.t(node))}\` changes it in a way Layer Lens does not follow`;
    if (Array.isArray(owner)) {
      const change = positional ? listMethod(owner, method, positional) : undefined;
      this.replaceList(receiver, scope, owner, change?.list ?? unresolved(why));
      return change ? change.result : unresolved(why);
    }
    return this.dictMethod(owner.id, method, args, why);
  }

  /**
   * The new value of a list changed in place, given to everything that holds it: Python changes the one list
   * that the name, a helper's parameter it was passed as (`out.append(...)` changes the caller's `blocks`),
   * an attribute or a dict item all refer to. Where the change may not run for a holder, that holder's value
   * becomes unknown.
   */
  private replaceList(receiver: SyntaxNode, scope: Scope, old: PyValue[], changed: PyValue): void {
    const why = `'${shorten(this.t(receiver))}' is changed where Layer Lens cannot tell whether it runs`;
    const list = Array.isArray(changed) && changed.length > LIMITS.changedList ? unresolved(`a list of more than ${LIMITS.changedList.toLocaleString("en")} items changed in place`) : changed;
    let held = false;
    // A function the file never calls leaves the module's names as they are (see `finish`).
    const scopes = new Set(this.finishing ? scope.chain(true) : [scope, ...this.invocations].flatMap((s) => [...s.chain()]));
    for (const holder of scopes) {
      for (const name of holder.namesHolding(old)) {
        holder.bindValue(name, this.uncertain > holder.depth ? unresolved(why) : list);
        held = true;
      }
    }
    for (const fn of this.finishing ? [] : this.functions) {
      for (const param of fn.params) {
        if (param.default !== old) continue;
        param.default = this.uncertain > fn.scope.depth ? unresolved(why) : list;
        held = true;
      }
    }
    // Attributes and dict items: their object's `madeAt` says whether the change surely reaches them.
    const replaceIn = (entries: Map<string, PyValue>, madeAt: number) => {
      for (const [key, value] of entries) {
        if (value !== old) continue;
        entries.set(key, this.surely(madeAt, this.t(receiver), list));
        held = true;
      }
    };
    for (const instance of this.instances) replaceIn(instance.attributes, instance.madeAt);
    this.dicts.forEach((dict, id) => replaceIn(dict, this.dictsMadeAt[id]));
    if (held || this.finishing) return;
    // Held somewhere not followed (`rows[0].append(1)`): what the outermost name holds is unknown.
    let root: SyntaxNode | null = receiver;
    while (root && root.name === "MemberExpression") root = root.firstChild;
    if (root?.name !== "VariableName") return;
    for (const holder of scope.chain()) if (holder.binds(this.t(root))) return holder.bindValue(this.t(root), unresolved(why));
  }

  /** `cfg.get(k, default)`, `cfg.copy()`, `cfg.keys()`, `cfg.values()`, `cfg.items()`, `sizes.copy()`. */
  private readingMethod(owner: PyValue[] | RefValue, method: string, args: readonly PyValue[]): PyValue {
    if (Array.isArray(owner)) return method === "copy" && args.length === 0 ? [...owner] : unresolved(`list.${method}()`);
    const entries = this.keywords(owner);
    if (!entries) return unresolved("the dict was changed in a way Layer Lens does not follow");
    const [key, fallback] = args;
    if (method === "get" && typeof key === "string" && args.length <= 2) {
      const dict = this.dicts[owner.id];
      return dict.has(key) ? dict.get(key)! : (fallback ?? null);
    }
    if (args.length) return unresolved(`dict.${method}() with these arguments`);
    if (method === "copy") return this.newDict(entries);
    if (method === "keys") return entries.map(([k]) => k);
    if (method === "values") return entries.map(([, v]) => v);
    if (method === "items") return entries.map(([k, v]) => ({ tuple: [k, v] }));
    return unresolved(`dict.${method}()`);
  }

  /** `cfg.update(...)`, `cfg.pop(k)`, `cfg.setdefault(k, v)`, `cfg.clear()`, `cfg.popitem()` on a dict followed by identity. */
  private dictMethod(id: number, method: string, args: readonly ArgIR[] | undefined, why: string): PyValue {
    const dict = this.dicts[id];
    const sure = this.uncertain <= this.dictsMadeAt[id];
    const positional = args?.filter((a) => a.name === undefined).map((a) => a.value) ?? [];
    const set = (key: string, value: PyValue) => dict.set(key, sure ? value : unresolved(why));
    if (method === "update" && args && positional.length <= 1) {
      const source = positional.length ? this.keywords(positional[0]) : [];
      if (source) {
        for (const [key, value] of source) set(key, value);
        for (const a of args) if (a.name !== undefined) set(a.name, a.value);
        return null;
      }
    }
    const key = positional[0];
    if ((method === "pop" || method === "setdefault") && typeof key === "string" && positional.length <= 2 && args?.length === positional.length) {
      const had = dict.get(key);
      if (method === "setdefault") {
        if (had === undefined) set(key, positional[1] ?? null);
        if (had !== undefined) return had;
        return sure ? (positional[1] ?? null) : unresolved(why);
      }
      if (sure) dict.delete(key);
      else set(key, unresolved(why));
      if (had !== undefined) return had;
      return positional.length === 2 ? positional[1] : unresolved(`the dict has no key '${key}'`);
    }
    // Anything else (clear, popitem, update from something not followed): none of its items can be trusted.
    for (const name of dict.keys()) dict.set(name, unresolved(why));
    this.opaqueDicts.add(id);
    return unresolved(why);
  }

  /** A call of something imported: a Keras layer class, model, function, or a TensorFlow op / tensor. */
  private libraryCall(node: SyntaxNode, path: string, scope: Scope, depth: number): PyValue {
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

  private layerValue(ref: RefValue): LayerValue {
    const call = this.layers[ref.id].call;
    return { layer: { kind: call.kind, args: call.args } };
  }

  /** Records a call of a layer, model or op; its value is its (first) output tensor. */
  private record(call: CallIR): RefValue {
    const index = this.calls.push(call) - 1;
    return this.newTensor({ type: "output", call: index, index: 0 });
  }

  /** Calling an instance of a user class runs its `call` (a Model subclass's first call also traces the model). */
  private callInstance(ref: RefValue, args: readonly ArgIR[], site: SyntaxNode): PyValue {
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

  /** A tensor's shape as a tuple (`x.shape`), from the engine following the program built so far. */
  private shapeValue(value: PyValue | undefined): PyValue {
    if (!isRef(value, "tensor")) return unresolved("the shape of a value that is not a tensor Layer Lens follows");
    const shape = this.shapes.tensorShape(value.id);
    if (!shape) return unresolved("the shape of a tensor Layer Lens cannot follow");
    return { tuple: shape.map((d) => (d === "None" ? null : d === "?" ? unresolved("a dimension Layer Lens cannot know") : d)) };
  }

  attribute(node: SyntaxNode, scope: Scope, depth: number): PyValue {
    const object = node.firstChild;
    const property = node.getChild("PropertyName");
    if (!object || !property) return unresolved("an incomplete attribute");
    return this.attributeOf(node, this.eval(object, scope, depth + 1), scope);
  }

  /** `owner.property` (the attribute `node`) for an owner already evaluated. */
  private attributeOf(node: SyntaxNode, owner: PyValue, scope: Scope): PyValue {
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

  private comprehensionItems(node: SyntaxNode, parts: SyntaxNode[], sequence: readonly PyValue[], scope: Scope, depth: number): PyValue {
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

  keywords(value: PyValue): [string, PyValue][] | undefined {
    return isRef(value, "dict") && !this.opaqueDicts.has(value.id) ? [...this.dicts[value.id]] : undefined;
  }
}

export function extractProgram(tree: Tree, text: string): ProgramIR {
  return new Extractor(text).run(tree);
}

/** Whether a map holds exactly this object among its values. */
function holds(entries: ReadonlyMap<string, PyValue>, value: PyValue): boolean {
  for (const own of entries.values()) if (own === value) return true;
  return false;
}

/** Methods of a list or dict that read it (see `Extractor.readingMethod`). */
const READING_METHODS: ReadonlySet<string> = new Set(["get", "copy", "keys", "values", "items"]);

/**
 * Python's list methods on a constant list: the list after the call and what the call returns; undefined
 * when the arguments are not ones Layer Lens follows.
 */
function listMethod(list: readonly PyValue[], method: string, args: readonly PyValue[]): { list: PyValue[]; result: PyValue } | undefined {
  const [first, second] = args;
  const at = (i: number, length: number) => (i < 0 ? Math.max(0, length + i) : Math.min(i, length));
  switch (method) {
    case "append":
      return args.length === 1 ? { list: [...list, first], result: null } : undefined;
    case "extend":
      return args.length === 1 && isSequence(first) ? { list: [...list, ...items(first)], result: null } : undefined;
    case "insert": {
      if (args.length !== 2 || !isInt(first)) return undefined;
      const copy = [...list];
      copy.splice(at(first, list.length), 0, second);
      return { list: copy, result: null };
    }
    case "pop": {
      const index = args.length === 0 ? list.length - 1 : isInt(first) && args.length === 1 ? (first < 0 ? list.length + first : first) : -1;
      if (index < 0 || index >= list.length) return undefined;
      return { list: list.filter((_, i) => i !== index), result: list[index] };
    }
    case "clear":
      return args.length === 0 ? { list: [], result: null } : undefined;
    case "reverse":
      return args.length === 0 ? { list: [...list].reverse(), result: null } : undefined;
    default:
      return undefined;
  }
}
