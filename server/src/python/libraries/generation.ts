/**
 * Which Keras generation a file is written for, from what its syntax shows (engine/generations.ts says
 * what differs between them):
 * - tf.keras 2 when it imports `tf_keras` (the tf.keras 2 package) or TensorFlow's own `tensorflow.python.keras`,
 *   or reaches what only tf.keras 2 has: `…keras.layers.experimental` (the `preprocessing` paths) and the layers
 *   Keras 3 removed (`ThresholdedReLU`, `LocallyConnected1D`, `LocallyConnected2D`; keras/api/layers/__init__.py);
 * - Keras 3 when it imports `keras_core`, or reaches a module only Keras 3 has (keras/api/__init__.py against
 *   tf_keras/api/golden/v2/tensorflow.keras.pbtxt): `keras.ops`, `keras.random`, `keras.config`, `keras.tree`,
 *   `keras.quantizers`, `keras.dtype_policies`, `keras.distribution`, `keras.visualization`, also through
 *   `tf.keras` (Keras 3 from TensorFlow 2.16);
 * - otherwise, or when it shows both, not known: `import keras`, `from tensorflow import keras` and `tf.keras`
 *   are either, depending on what is installed.
 * The user's `layerLens.kerasVersion` overrides it (`KerasVersion`).
 *
 * What tells is gathered per top-level statement (the names its imports bind, and the dotted names it reads
 * that could tell), so a statement an edit did not touch keeps its facts; the file's generation combines them,
 * a dotted name's first part resolved through the file's imports wherever they are.
 */
import { SyntaxNode, Tree } from "@lezer/common";
import type { KerasGeneration } from "../../engine/generations";
import { detached } from "../detached";

/** `layerLens.kerasVersion`: detect from the file, or read every file as this generation. */
export type KerasVersion = "auto" | KerasGeneration;

/** What a statement shows of the Keras it is written for. */
export interface GenerationFacts {
  /** The names its imports bind, with the dotted path each names (`import tf_keras as tk` → `tk`, `tf_keras`). */
  readonly imports: readonly (readonly [string, string])[];
  /** Modules and names it imports (`from keras import ops` → `keras.ops`), each telling on its own. */
  readonly imported: readonly string[];
  /** Dotted names it reads that may tell (`tf.keras.ops.mean` → `tf.keras.ops`), their first part yet to resolve. */
  readonly reads: readonly string[];
}

const NO_FACTS: GenerationFacts = { imports: [], imported: [], reads: [] };

/** Modules of Keras 3 that tf.keras 2 does not have. */
const KERAS3_MODULES = new Set(["ops", "random", "config", "tree", "quantizers", "dtype_policies", "distribution", "visualization"]);
/** Names of `keras.layers` only tf.keras 2 has. */
const KERAS2_LAYERS = new Set(["experimental", "ThresholdedReLU", "LocallyConnected1D", "LocallyConnected2D"]);
/** Words that make a dotted name worth keeping. */
const TELLING = new Set([...KERAS3_MODULES, ...KERAS2_LAYERS]);

const KERAS2 = 1;
const KERAS3 = 2;

/** What a full dotted path says: KERAS2, KERAS3 or 0. */
function classify(path: string): number {
  if (/^(tf_keras|tensorflow\.python\.keras)(\.|$)/.test(path)) return KERAS2;
  if (/^keras_core(\.|$)/.test(path)) return KERAS3;
  const root = /^(tensorflow\.keras|keras)\./.exec(path);
  if (!root) return 0;
  const [first, second] = path.slice(root[0].length).split(".");
  if (KERAS3_MODULES.has(first)) return KERAS3;
  if (first === "layers" && second !== undefined && KERAS2_LAYERS.has(second)) return KERAS2;
  return 0;
}

/** Any word that may tell, or an import: a statement without one shows nothing (most statements; no walk needed). */
const MAY_TELL = new RegExp(`\\b(import|${[...TELLING].join("|")})\\b`);

/** The facts of one statement (its whole subtree: imports in a function body count too). */
export function generationFacts(statement: SyntaxNode, text: string): GenerationFacts {
  if (!MAY_TELL.test(text.slice(statement.from, statement.to))) return NO_FACTS;
  const imports: [string, string][] = [];
  const imported: string[] = [];
  const reads: string[] = [];
  const cursor = statement.cursor();
  for (let more = true; more; ) {
    if (cursor.name === "ImportStatement") importFacts(cursor.node, text, imports, imported);
    else if (cursor.name === "VariableName" && cursor.node.parent?.name === "MemberExpression" && !cursor.node.prevSibling) {
      const read = dottedRead(cursor.node, text);
      if (read) reads.push(read);
    }
    more = cursor.next() && cursor.from < statement.to;
  }
  return imports.length || imported.length || reads.length ? { imports, imported, reads } : NO_FACTS;
}

/** `import a.b as c`, `from a.b import x as y, *`: the names bound and the paths imported. */
function importFacts(node: SyntaxNode, text: string, imports: [string, string][], imported: string[]): void {
  const children: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) children.push(c);
  const t = (n: SyntaxNode) => detached(text.slice(n.from, n.to));
  if (children[0]?.name === "from") {
    const at = children.findIndex((c) => c.name === "import");
    // Relative imports (`from . import x`) name the user's own modules.
    if (at < 0 || children[1]?.name === ".") return;
    const module = children.slice(1, at).filter((c) => c.name === "VariableName").map(t).join(".");
    imported.push(module);
    const rest = children.slice(at + 1).filter((c) => c.name === "VariableName" || c.name === "as" || c.name === ",");
    for (let i = 0; i < rest.length; i++) {
      if (rest[i].name !== "VariableName") continue;
      const name = t(rest[i]);
      const alias = rest[i + 1]?.name === "as" && rest[i + 2]?.name === "VariableName" ? t(rest[(i += 2)]) : name;
      imports.push([alias, `${module}.${name}`]);
      imported.push(`${module}.${name}`);
    }
    return;
  }
  // `import a.b.c` binds `a`; `import a.b as c` binds `c` to `a.b`.
  let parts: string[] = [];
  for (let i = 1; i <= children.length; i++) {
    const c = children[i];
    if (c?.name === "VariableName" && children[i - 1]?.name !== "as") parts.push(t(c));
    else if (c?.name === "as" && children[i + 1]?.name === "VariableName") {
      imports.push([t(children[i + 1]), parts.join(".")]);
      imported.push(parts.join("."));
      parts = [];
      i++;
    } else if ((c === undefined || c.name === ",") && parts.length) {
      imports.push([parts[0], parts[0]]);
      imported.push(parts.join("."));
      parts = [];
    }
  }
}

/** `tf.keras.ops.mean(x)` read from its first name: `tf.keras.ops` when a part after the first may tell. */
function dottedRead(head: SyntaxNode, text: string): string | undefined {
  // (Kept with the statement: read as strings of their own, not views into the document's text.)
  const parts = [detached(text.slice(head.from, head.to))];
  let telling = 0;
  for (let node = head.parent; node?.name === "MemberExpression" && parts.length < 8; ) {
    const property = node.lastChild;
    if (property?.name !== "PropertyName") break;
    parts.push(detached(text.slice(property.from, property.to)));
    if (TELLING.has(parts[parts.length - 1])) telling = parts.length;
    const parent: SyntaxNode | null = node.parent;
    if (parent?.name !== "MemberExpression" || parent.firstChild?.from !== node.from || parent.firstChild.to !== node.to) break;
    node = parent;
  }
  return telling > 1 ? parts.slice(0, telling).join(".") : undefined;
}

/** The generation a file's statements show: 2, 3, or undefined (nothing tells, or both do). */
export function fileGeneration(facts: Iterable<GenerationFacts>): KerasGeneration | undefined {
  let found = 0;
  const names = new Map<string, string[]>();
  const reads: string[] = [];
  for (const f of facts) {
    if (f === NO_FACTS) continue;
    for (const path of f.imported) found |= classify(path);
    for (const [name, path] of f.imports) names.set(name, [...(names.get(name) ?? []), path]);
    reads.push(...f.reads);
  }
  for (const read of reads) {
    const dot = read.indexOf(".");
    for (const path of names.get(read.slice(0, dot)) ?? []) found |= classify(path + read.slice(dot));
  }
  return found === KERAS2 ? 2 : found === KERAS3 ? 3 : undefined;
}

/** The generation a whole tree shows (what the incremental analysis finds statement by statement). */
export function treeGeneration(tree: Tree, text: string): KerasGeneration | undefined {
  const facts: GenerationFacts[] = [];
  for (let node = tree.topNode.firstChild; node; node = node.nextSibling) facts.push(generationFacts(node, text));
  return fileGeneration(facts);
}

/** The generation a file is read as: the user's setting, or the file's own. */
export function effectiveGeneration(version: KerasVersion, detected: KerasGeneration | undefined): KerasGeneration | undefined {
  return version === "auto" ? detected : version;
}
