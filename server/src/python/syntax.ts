/** Small questions about the syntax tree that the interpreter asks again and again. */
import { SyntaxNode } from "@lezer/common";
import { Span } from "../engine/ir";
import { LIMITS } from "./limits";

export const span = (node: SyntaxNode): Span => ({ start: node.from, end: node.to });

export function shorten(text: string): string {
  const oneLine = text.replace(/\s+/g, " ");
  return oneLine.length > 40 ? `${oneLine.slice(0, 39)}…` : oneLine;
}

/** Whether a node or anything inside it is a parse error (the code is still being typed). */
export function hasError(node: SyntaxNode): boolean {
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
export function incompleteCall(node: SyntaxNode): boolean {
  const argList = node.getChild("ArgList");
  return !argList || argList.lastChild?.name !== ")" || hasError(argList);
}

const NESTED_SCOPES = new Set(["ForStatement", "WhileStatement", "FunctionDefinition", "ClassDefinition", "LambdaExpression"]);

/** Whether a loop body leaves early (`break` / `continue` of this loop), which unrolling cannot follow. */
export function leavesEarly(node: SyntaxNode, depth = 0): boolean {
  if (depth > LIMITS.nesting) return true;
  for (let child = node.firstChild; child; child = child.nextSibling) {
    if (child.name === "BreakStatement" || child.name === "ContinueStatement") return true;
    if (!NESTED_SCOPES.has(child.name) && leavesEarly(child, depth + 1)) return true;
  }
  return false;
}
