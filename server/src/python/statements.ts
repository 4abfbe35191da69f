/**
 * What a top-level statement can do to the names of the module, read from its
 * syntax alone (never by running it). The incremental analysis uses these facts
 * to cut a file into parts that cannot see each other's objects; they must
 * over-approximate: a name counted as read that is not costs a larger part, a
 * read missed would cost a wrong result.
 */
import { SyntaxNode } from "@lezer/common";

export interface StatementFacts {
  /** Names the statement may read (anywhere in it, function bodies included). */
  readonly uses: ReadonlySet<string>;
  /** Names it rebinds unconditionally without reading them: later statements see its binding, not an earlier one. */
  readonly kills: ReadonlySet<string>;
  /** Names it may rebind in the module (kills, assignment targets, every name of a compound statement). */
  readonly binds: ReadonlySet<string>;
}

const ANNOTATION_LINE = /#\s*input:([^\n]*)/g;
const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]*/g;

/** Statements whose parts may or may not run, or run again: any name in them may be rebound. */
const SIMPLE = new Set(["AssignStatement", "ExpressionStatement", "ReturnStatement", "PassStatement", "FunctionDefinition", "ClassDefinition"]);

/**
 * The facts of `statement`, whose text with the comments and blank lines before it is
 * `text.slice(gapStart, statement.to)` (an `# input:` annotation there names shapes).
 */
export function statementFacts(statement: SyntaxNode, text: string, gapStart: number): StatementFacts {
  const mentions = new Map<string, number>();
  let declaresGlobal = false;
  const cursor = statement.cursor();
  for (let depth = 0; ; ) {
    if (cursor.name === "VariableName") {
      const name = text.slice(cursor.from, cursor.to);
      mentions.set(name, (mentions.get(name) ?? 0) + 1);
    } else if (cursor.name === "global" || cursor.name === "nonlocal") declaresGlobal = true;
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
  for (const match of text.slice(gapStart, statement.to).matchAll(ANNOTATION_LINE)) {
    for (const word of match[1].matchAll(IDENTIFIER)) mentions.set(word[0], (mentions.get(word[0]) ?? 0) + 1);
  }

  const kills = new Set<string>();
  const binds = new Set<string>();
  const direct = directBindings(statement, text);
  for (const [name, count] of direct) {
    binds.add(name);
    if (mentions.get(name) === count) kills.add(name);
  }
  if (!SIMPLE.has(statement.name) || declaresGlobal) for (const name of mentions.keys()) binds.add(name);
  const uses = new Set([...mentions.keys()].filter((name) => !kills.has(name)));
  return { uses, kills, binds };
}

/**
 * Names the statement binds by itself, with how many of their mentions are the binding:
 * plain-name assignment targets, a def or class name. (An import is not simple: it may
 * bind any name it mentions, and `import keras.layers` binds `keras` but not `layers`.)
 */
function directBindings(statement: SyntaxNode, text: string): Map<string, number> {
  const found = new Map<string, number>();
  const add = (node: SyntaxNode) => {
    const name = text.slice(node.from, node.to);
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
