/**
 * The Python parser: Lezer's error-tolerant, incremental Python grammar. A
 * document keeps its last tree and fragments so an edit re-parses only what
 * changed. Parsing never fails; broken code yields error nodes (⚠) in the tree.
 */
import { ChangedRange, Tree, TreeFragment } from "@lezer/common";
import { parser } from "@lezer/python";

/**
 * CPython refuses more than 200 nested brackets. Deeper nesting is not Python,
 * and Lezer builds trees recursively, so e.g. 100,000 nested parentheses
 * overflow the stack. Brackets beyond this depth are blanked (same length, so
 * offsets are unchanged) before parsing.
 */
const MAX_BRACKET_DEPTH = 200;

/** The text with brackets nested deeper than MAX_BRACKET_DEPTH replaced by spaces; the same string when there are none. */
function limitNesting(text: string): string {
  let depth = 0;
  let blanked: number[] | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 35 /* # */) {
      while (i < text.length && text.charCodeAt(i) !== 10) i++;
    } else if (c === 34 || c === 39 /* " ' */) {
      const triple = text.charCodeAt(i + 1) === c && text.charCodeAt(i + 2) === c;
      const quote = triple ? text.slice(i, i + 3) : text[i];
      for (i += quote.length; i < text.length && !text.startsWith(quote, i); i++) {
        if (text.charCodeAt(i) === 92 /* \ */) i++;
        else if (!triple && text.charCodeAt(i) === 10) break;
      }
      i += quote.length - 1;
    } else if (c === 40 || c === 91 || c === 123 /* ( [ { */) {
      if (++depth > MAX_BRACKET_DEPTH) (blanked ??= []).push(i);
    } else if (c === 41 || c === 93 || c === 125 /* ) ] } */) {
      if (depth-- > MAX_BRACKET_DEPTH) (blanked ??= []).push(i);
      if (depth < 0) depth = 0;
    }
  }
  if (!blanked) return text;
  const chars = text.split("");
  for (const i of blanked) chars[i] = " ";
  return chars.join("");
}

/** Parses without ever throwing: on a stack overflow inside Lezer, an empty tree. */
function safeParse(text: string, fragments?: readonly TreeFragment[]): { tree: Tree; reusable: boolean } {
  const source = limitNesting(text);
  try {
    return { tree: parser.parse(source, source === text ? fragments : undefined), reusable: source === text };
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    return { tree: new Tree(parser.topNode, [], [], text.length), reusable: false };
  }
}

export interface TextChange {
  /** Replaced range in the old text, [from, to). */
  readonly from: number;
  readonly to: number;
  /** Length of the inserted text. */
  readonly insertedLength: number;
}

export class ParsedDocument {
  private fragments: readonly TreeFragment[];
  tree: Tree;

  constructor(public text: string) {
    const { tree, reusable } = safeParse(text);
    this.tree = tree;
    this.fragments = reusable ? TreeFragment.addTree(tree) : [];
  }

  /**
   * Applies edits made in order to the previous text (each change's offsets refer
   * to the text as it was after the preceding changes), then re-parses reusing
   * the unchanged parts of the old tree.
   */
  update(text: string, changes: readonly TextChange[]): void {
    let fragments = this.fragments;
    for (const change of changes) {
      const range: ChangedRange = {
        fromA: change.from,
        toA: change.to,
        fromB: change.from,
        toB: change.from + change.insertedLength,
      };
      fragments = TreeFragment.applyChanges(fragments, [range]);
    }
    this.text = text;
    const { tree, reusable } = safeParse(text, fragments);
    this.tree = tree;
    this.fragments = reusable ? TreeFragment.addTree(tree, fragments) : [];
  }
}

export function parsePython(text: string): Tree {
  return safeParse(text).tree;
}
