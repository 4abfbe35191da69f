/**
 * What a top-level statement can do to the names of the module, read from its
 * syntax alone (never by running it). The incremental analysis uses these facts
 * to cut a file into parts that cannot see each other's objects; they must
 * over-approximate: a name counted as read that is not costs a larger part, a
 * read missed would cost a wrong result.
 */
import { SyntaxNode } from "@lezer/common";
import { detached } from "./detached";

export interface StatementFacts {
  /** Names the statement may read (anywhere in it, function bodies included). */
  readonly uses: ReadonlySet<string>;
  /** Names it rebinds unconditionally without reading them: later statements see its binding, not an earlier one. */
  readonly kills: ReadonlySet<string>;
  /**
   * Names it may rebind in the module (kills, assignment targets, imported names, every name of a
   * compound statement); `*` for a star import, which may rebind any name.
   */
  readonly binds: ReadonlySet<string>;
}

/** In `binds`: the statement may rebind any name (`from m import *`). */
export const ANY_NAME = "*";

const ANNOTATION_LINE = /#\s*input:([^\n]*)/g;
const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]*/g;

/**
 * Methods that change a list or a dict in place (`sizes.append(8)`, `cfg.update(units=4)`): the front end
 * gives the name holding it a new value, so the name counts as rebound by the statement that calls one.
 */
export const MUTATING_METHODS: ReadonlySet<string> = new Set(["append", "extend", "insert", "pop", "remove", "clear", "sort", "reverse", "update", "setdefault", "popitem"]);

/** Statements whose parts may or may not run, or run again: any name in them may be rebound. */
const SIMPLE = new Set(["AssignStatement", "ExpressionStatement", "ReturnStatement", "PassStatement", "FunctionDefinition", "ClassDefinition"]);

/**
 * The facts of `statement`, whose text with the comments and blank lines before it is
 * `text.slice(gapStart, statement.to)` (an `# input:` annotation there, or at the end of its last line, names shapes).
 */
export function statementFacts(statement: SyntaxNode, text: string, gapStart: number): StatementFacts {
  const mentions = new Map<string, number>();
  let declaresGlobal = false;
  const mutated = new Set<string>();
  const cursor = statement.cursor();
  for (let depth = 0; ; ) {
    if (cursor.name === "VariableName") {
      const name = detached(text.slice(cursor.from, cursor.to));
      mentions.set(name, (mentions.get(name) ?? 0) + 1);
    } else if (cursor.name === "global" || cursor.name === "nonlocal") declaresGlobal = true;
    else if (cursor.name === "PropertyName" && MUTATING_METHODS.has(text.slice(cursor.from, cursor.to))) {
      const receiver = mutatedName(cursor.node, text);
      if (receiver !== undefined) mutated.add(receiver);
    } else if (cursor.name === "MemberExpression" && cursor.node.getChild("[") && isTarget(cursor.node)) {
      // `sizes[0] = 9`, `del sizes[0]`, `rows[0][1] += 1`: the list the name holds changes (a dict or an object is followed by identity).
      const root = rootName(cursor.node, text);
      if (root !== undefined) mutated.add(root);
    }
    if (cursor.firstChild()) {
      depth++;
      continue;
    }
    let done = false;
    while (!cursor.nextSibling()) {
      if (depth === 0 || !cursor.parent()) {
        done = true;
        break;
      }
      depth--;
    }
    if (done || depth === 0) break;
  }
  // An annotation may also end the statement's last line (`inputs = keras.Input(shape=s)  # input: (None, N, 1)`).
  const lineEnd = text.indexOf("\n", statement.to);
  for (const match of text.slice(gapStart, lineEnd < 0 ? text.length : lineEnd).matchAll(ANNOTATION_LINE)) {
    for (const [word] of match[1].matchAll(IDENTIFIER)) mentions.set(detached(word), (mentions.get(word) ?? 0) + 1);
  }

  const kills = new Set<string>();
  const binds = new Set<string>();
  const direct = directBindings(statement, text);
  for (const [name, count] of direct) {
    binds.add(name);
    if (mentions.get(name) === count) kills.add(name);
  }
  for (const name of mutated) binds.add(name);
  if (statement.name === "ImportStatement") for (const name of importedNames(statement, text)) binds.add(name);
  else if (!SIMPLE.has(statement.name) || declaresGlobal) for (const name of mentions.keys()) binds.add(name);
  const uses = new Set([...mentions.keys()].filter((name) => !kills.has(name)));
  return { uses, kills, binds };
}

/** The name whose value `name.method(...)`, `name.attr.method(...)` or `name[k].method(...)` changes. */
function mutatedName(property: SyntaxNode, text: string): string | undefined {
  const member = property.parent;
  if (member?.name !== "MemberExpression" || member.parent?.name !== "CallExpression" || member.parent.firstChild?.from !== member.from) return undefined;
  return rootName(member, text);
}

/** `a` of `a.b[c].d`. */
function rootName(member: SyntaxNode, text: string): string | undefined {
  let object: SyntaxNode | null = member;
  while (object && object.name === "MemberExpression") object = object.firstChild;
  return object?.name === "VariableName" ? detached(text.slice(object.from, object.to)) : undefined;
}

/** Whether an item is assigned, updated or deleted (`x[0] = …`, `x[0] += …`, `del x[0]`), possibly inside a tuple of targets. */
function isTarget(member: SyntaxNode): boolean {
  let node = member;
  while (node.parent && (node.parent.name === "TupleExpression" || node.parent.name === "ArrayExpression" || node.parent.name === "ParenthesizedExpression")) node = node.parent;
  const statement = node.parent;
  if (statement?.name === "DeleteStatement") return true;
  if (statement?.name === "UpdateStatement") return statement.firstChild?.from === node.from;
  if (statement?.name !== "AssignStatement") return false;
  for (let after = node.nextSibling; after; after = after.nextSibling) if (after.name === "AssignOp") return true;
  return false;
}

/**
 * The names an import binds: `import a.b` binds `a`, `import a.b as c` and `from m import x as c`
 * bind `c`, `from m import x` binds `x`, `from m import *` may bind anything.
 */
function importedNames(statement: SyntaxNode, text: string): string[] {
  const children: SyntaxNode[] = [];
  for (let c = statement.firstChild; c; c = c.nextSibling) children.push(c);
  const name = (node: SyntaxNode) => detached(text.slice(node.from, node.to));
  const bound: string[] = [];
  if (children[0]?.name === "from") {
    const after = children.findIndex((c) => c.name === "import");
    for (let i = after + 1; after >= 0 && i < children.length; i++) {
      const c = children[i];
      if (c.name === "*") bound.push(ANY_NAME);
      if (c.name !== "VariableName") continue;
      const alias = children[i + 1]?.name === "as" ? children[i + 2] : undefined;
      bound.push(name(alias ?? c));
      if (alias) i += 2;
    }
    return bound;
  }
  let groupStart = true;
  for (let i = 1; i < children.length; i++) {
    const c = children[i];
    if (c.name === "as" && children[i + 1]) {
      bound.push(name(children[i + 1]));
      i++;
    } else if (c.name === "VariableName" && groupStart) bound.push(name(c));
    groupStart = c.name === ",";
  }
  return bound;
}

/**
 * Names the statement binds by itself, with how many of their mentions are the binding:
 * plain-name assignment targets, a def or class name. (An import is not simple: it may
 * bind any name it mentions, and `import keras.layers` binds `keras` but not `layers`.)
 */
function directBindings(statement: SyntaxNode, text: string): Map<string, number> {
  const found = new Map<string, number>();
  const add = (node: SyntaxNode) => {
    const name = detached(text.slice(node.from, node.to));
    found.set(name, (found.get(name) ?? 0) + 1);
  };
  switch (statement.name) {
    case "AssignStatement": {
      // Every group before the last `=` is a target: `a = b = value`, `h, w = shape`.
      const children: SyntaxNode[] = [];
      for (let c = statement.firstChild; c; c = c.nextSibling) children.push(c);
      const lastAssign = children.map((c) => c.name).lastIndexOf("AssignOp");
      for (const c of children.slice(0, Math.max(0, lastAssign))) if (c.name === "VariableName") add(c);
      break;
    }
    case "FunctionDefinition":
    case "ClassDefinition": {
      const name = statement.getChild("VariableName");
      if (name) add(name);
      break;
    }
  }
  return found;
}
