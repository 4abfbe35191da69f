/**
 * The global dtype policy a file sets (`keras.mixed_precision.set_global_policy("mixed_float16")`, also
 * `tf.keras.mixed_precision…`, `mixed_precision.set_global_policy` after `from … import mixed_precision`, and
 * Keras 3's `keras.config.set_dtype_policy`), from its syntax. Keras reads the policy when a layer is made, so
 * it is the file's policy only when it is set once, by a top-level call with a string, before any statement
 * that may make a layer (one that runs a call); otherwise it is `?` and the layers' dtypes are unknown.
 *
 * Gathered per top-level statement like the Keras generation (generation.ts), so an untouched statement keeps
 * its fact.
 */
import { SyntaxNode, Tree } from "@lezer/common";
import { detached } from "../detached";

/** What a statement shows: nothing, that it runs a call, or the policy it sets (`?`: not a string we can read). */
export type PolicyFact = undefined | "runs" | { readonly policy: string };

const SETS_POLICY = /\b(set_global_policy|set_dtype_policy)\b/;
/** Statements that define or import without running anything that could make a layer. */
const DEFINITIONS = new Set(["ImportStatement", "FunctionDefinition", "ClassDefinition", "DecoratedStatement"]);

export function dtypePolicyFact(statement: SyntaxNode, text: string): PolicyFact {
  const source = text.slice(statement.from, statement.to);
  if (SETS_POLICY.test(source)) return { policy: policyArgument(statement, text) ?? "?" };
  if (DEFINITIONS.has(statement.name)) return undefined;
  return source.includes("(") ? "runs" : undefined;
}

/** The string passed to `….set_global_policy("…")` when the statement is just that call. */
function policyArgument(statement: SyntaxNode, text: string): string | undefined {
  const call = statement.name === "ExpressionStatement" ? statement.firstChild : undefined;
  const callee = call?.name === "CallExpression" ? call.firstChild : undefined;
  const name = callee?.name === "MemberExpression" ? callee.lastChild : callee;
  if (!name || !call || !SETS_POLICY.test(text.slice(name.from, name.to))) return undefined;
  const args = call.getChild("ArgList");
  const values = [];
  for (let c = args?.firstChild; c; c = c.nextSibling) if (c.name !== "(" && c.name !== ")" && c.name !== ",") values.push(c);
  if (values.length !== 1 || values[0].name !== "String") return undefined;
  const literal = /^(['"])([\w]+)\1$/.exec(text.slice(values[0].from, values[0].to));
  return literal ? detached(literal[2]) : undefined;
}

/** The file's policy from its statements' facts, in order: undefined for Keras's float32. */
export function fileDtypePolicy(facts: readonly PolicyFact[]): string | undefined {
  let ran = false;
  let policy: string | undefined;
  for (const fact of facts) {
    if (fact === "runs") ran = true;
    else if (fact) {
      if (policy !== undefined || ran) return "?";
      policy = fact.policy;
    }
  }
  return policy === "float32" ? undefined : policy;
}

export function treeDtypePolicy(tree: Tree, text: string): string | undefined {
  const facts: PolicyFact[] = [];
  for (let node = tree.topNode.firstChild; node; node = node.nextSibling) facts.push(dtypePolicyFact(node, text));
  return fileDtypePolicy(facts);
}
