/**
 * Where Lezer's incremental parse may differ from a fresh one, and how to keep it from differing.
 *
 * Lezer reuses a node of an earlier tree wherever the text under it did not change. On valid code
 * that gives the tree a fresh parse gives. Near a syntax error it may not: error recovery weighs
 * several ways to go on by parsing a few tokens ahead, and a node reused there (or a node that was
 * itself the outcome of an earlier recovery, whose choice depended on text that has since changed)
 * can tip it another way than the fresh parse goes. The analysis would then show what a reload
 * would not (see docs/lezer-incremental-recovery.md).
 *
 * So no node near an error is reused: the fragments a parse reuses have the error zones of their
 * tree cut out (as if that text had been retyped), and a parse that reused fragments and finds an
 * error outside the zones it already had cut out is made again with that zone cut out too. An error
 * zone is the top-level statement holding the error with its neighbours, at least `ZONE_MARGIN`
 * characters each way: the parser always meets a zone's edge at the start of a top-level statement,
 * in the state a fresh parse is in there. This makes divergence rare, not impossible, so parser.ts parses a
 * text short enough to parse quickly afresh when it has an error.
 */
import { ChangedRange, Tree, TreeBuffer, TreeFragment } from "@lezer/common";
import { firstAbove } from "./sorted";

/** How far beyond an error's statement a zone reaches at least, in characters, by whole statements. */
const ZONE_MARGIN = 256;

/** At most this many errors are placed into zones; a text with more is parsed afresh. */
const MAX_ZONED_ERRORS = 200;

export interface Zone {
  readonly from: number;
  readonly to: number;
}

/**
 * Trees known to hold no error node. An incremental parse reuses nodes of the last tree as they are
 * (the same objects), so its scan for errors skips them and reads only what was parsed anew.
 */
const withoutErrors = new WeakSet<Tree>();

/**
 * Where the tree's error nodes start, in order (at most `limit` + 1 of them). Reads Lezer's trees and
 * buffers directly: on a tree without errors this is a scan of its node types, a fraction of a
 * millisecond for ten thousand lines, where a cursor walk takes several; subtrees scanned before are
 * skipped.
 */
export function errorPositions(tree: Tree, limit = MAX_ZONED_ERRORS): number[] {
  const found: number[] = [];
  const visit = (node: Tree, offset: number): void => {
    if (withoutErrors.has(node)) return;
    const before = found.length;
    if (node.type.isError) found.push(offset);
    for (let i = 0; i < node.children.length && found.length <= limit; i++) {
      const child = node.children[i];
      const start = offset + node.positions[i];
      if (child instanceof TreeBuffer) {
        // Quads of (type, start, end, index of the node's end) relative to the buffer's start.
        const { buffer } = child;
        for (let j = 0; j < buffer.length && found.length <= limit; j += 4) {
          if (child.set.types[buffer[j]].isError) found.push(start + buffer[j + 1]);
        }
      } else visit(child, start);
    }
    if (found.length === before) withoutErrors.add(node);
  };
  visit(tree, 0);
  return found.sort((a, b) => a - b);
}

/** Statements with an indented body. */
const COMPOUND = new Set(["ClassDefinition", "FunctionDefinition", "DecoratedStatement", "IfStatement", "ForStatement", "WhileStatement", "WithStatement", "TryStatement", "MatchStatement"]);

interface Statement extends Zone {
  readonly compound: boolean;
}

/** The stretches of a tree's top-level statements (comments included), in order. */
function topLevelStatements(tree: Tree): Statement[] {
  const statements: Statement[] = [];
  const cursor = tree.cursor();
  for (let more = cursor.firstChild(); more; more = cursor.nextSibling()) statements.push({ from: cursor.from, to: cursor.to, compound: COMPOUND.has(cursor.name) });
  return statements;
}

/**
 * The error zones of a tree, merged and in order; undefined when there are too many errors to zone. Errors from
 * `until` on are left out: a parse stopped there ends in one that is not in the text.
 */
export function errorZones(tree: Tree, until = Infinity): Zone[] | undefined {
  const errors = errorPositions(tree).filter((position) => position < until);
  if (errors.length === 0) return [];
  if (errors.length > MAX_ZONED_ERRORS) return undefined;
  const statements = topLevelStatements(tree);
  if (statements.length === 0) return [{ from: 0, to: tree.length }];
  const zones: Zone[] = [];
  for (const error of errors) {
    // The statement holding the error, or the next one.
    const at = Math.min(firstAbove(statements, error, (statement) => statement.to), statements.length - 1);
    let first = Math.max(0, at - 1);
    while (first > 0 && error - statements[first].from < ZONE_MARGIN) first--;
    let last = Math.min(statements.length - 1, at + 1);
    while (last < statements.length - 1 && statements[last].to - error < ZONE_MARGIN) last++;
    // The parse resumes a little inside the statement after a zone. Inside a body, at the dedent
    // where a reusable top-level statement starts, Lezer was seen to take that statement into the
    // body; so a zone does not end before a statement with a body.
    while (last < statements.length - 1 && statements[last + 1].compound) last++;
    // The text before the first statement and after the last belongs to them.
    const from = first === 0 ? 0 : statements[first].from;
    const to = last === statements.length - 1 ? tree.length : statements[last].to;
    zones.push({ from, to });
  }
  return mergeZones(zones);
}

/** Fragments with the zones cut out: nothing under them is reused. Zones are in order and apart. */
export function withoutZones(fragments: readonly TreeFragment[], zones: readonly Zone[]): readonly TreeFragment[] {
  if (zones.length === 0 || fragments.length === 0) return fragments;
  const unchangedLength: ChangedRange[] = zones.map(({ from, to }) => ({ fromA: from, toA: to, fromB: from, toB: to }));
  return TreeFragment.applyChanges(fragments, unchangedLength);
}

/** Whether every zone lies within one of `covering` (both in order). */
export function coveredBy(zones: readonly Zone[], covering: readonly Zone[]): boolean {
  let j = 0;
  for (const zone of zones) {
    while (j < covering.length && covering[j].to < zone.to) j++;
    if (j === covering.length || covering[j].from > zone.from) return false;
  }
  return true;
}

/** Zones in order, overlapping ones merged. */
export function mergeZones(zones: readonly Zone[]): Zone[] {
  const merged: Zone[] = [];
  for (const zone of [...zones].sort((x, y) => x.from - y.from)) {
    const previous = merged[merged.length - 1];
    if (previous && zone.from <= previous.to) merged[merged.length - 1] = { from: previous.from, to: Math.max(previous.to, zone.to) };
    else merged.push(zone);
  }
  return merged;
}
