/**
 * The Python parser: Lezer's error-tolerant, incremental Python grammar. A
 * document keeps its last tree and fragments so an edit re-parses only what
 * changed. Parsing never fails; broken code yields error nodes (⚠) in the tree.
 */
import { ChangedRange, Tree, TreeFragment } from "@lezer/common";
import { parser } from "@lezer/python";

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
    this.tree = parser.parse(text);
    this.fragments = TreeFragment.addTree(this.tree);
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
    this.tree = parser.parse(text, fragments);
    this.fragments = TreeFragment.addTree(this.tree, fragments);
  }
}

export function parsePython(text: string): Tree {
  return parser.parse(text);
}
