/**
 * A document as the server holds it: its text (as vscode-languageserver-textdocument
 * keeps it), its syntax tree, and its analysis. Work is done only when a
 * request needs it: an edit records the change, the next request re-parses
 * (incrementally) and re-analyses.
 */
import { TextDocument, TextDocumentContentChangeEvent } from "vscode-languageserver-textdocument";
import { DocumentAnalysis } from "../analysis";
import { IncrementalProgram } from "../python/incremental";
import { ParsedDocument, TextChange } from "../python/parser";

/**
 * Beyond this many characters a document is not analysed at all: parsing it
 * would take seconds, and no model definition is that long. The server says so
 * once in its log and shows nothing rather than stale or partial results.
 */
export const MAX_DOCUMENT_LENGTH = 4_000_000;

const NOTHING: DocumentAnalysis = { models: [], calls: [], blocks: [], diagnostics: [] };

export class LensDocument {
  private parsed?: ParsedDocument;
  private analysis?: DocumentAnalysis;
  /** How far `analysis` is complete. */
  private analysedThrough = 0;
  /** Keeps the analysis of the parts of the file an edit did not reach. */
  private readonly program = new IncrementalProgram();

  constructor(public text: TextDocument) {
    this.reset();
  }

  get tooLarge(): boolean {
    return this.text.getText().length > MAX_DOCUMENT_LENGTH;
  }

  /** Why the document has no analysis although it is not too large: the parser gave up on it. */
  get gaveUp(): string | undefined {
    return this.parsed?.gaveUp;
  }

  private reset(): void {
    this.parsed = this.tooLarge ? undefined : new ParsedDocument(this.text.getText());
    this.program.edited("everything");
  }

  get uri(): string {
    return this.text.uri;
  }

  /**
   * Applies the client's changes. Ranges past the end are clamped (as
   * TextDocument does); a malformed change throws, after the tree has been
   * re-synchronised with the text applied so far.
   */
  update(changes: readonly TextDocumentContentChangeEvent[], version: number): void {
    const edits: TextChange[] = [];
    let incremental = true;
    this.analysis = undefined;
    try {
      for (const change of changes) {
        if ("range" in change) {
          // TextDocument clamps offsets and swaps a reversed range; the tree must see the same edit.
          const [from, to] = [this.text.offsetAt(change.range.start), this.text.offsetAt(change.range.end)].sort((a, b) => a - b);
          edits.push({ from, to, insertedLength: change.text.length });
        } else incremental = false;
        this.text = TextDocument.update(this.text, [change], version);
      }
    } catch (error) {
      this.reset();
      throw error;
    }
    if (incremental && this.parsed && !this.tooLarge) {
      this.parsed.update(this.text.getText(), edits);
      this.program.edited(edits);
    } else this.reset();
  }

  /** How a hint names the line of an offset, for the user to find it. */
  describeLine(offset: number): string {
    return `line ${this.text.positionAt(offset).line + 1}`;
  }

  /**
   * The analysis, complete up to offset `through` at least (everything by default): a request for
   * the visible lines needs the file only as far as those lines, since nothing later changes them.
   * With a budget it may stop short, after the first part that takes it past the budget.
   */
  analyze(through = Infinity, budgetMs = Infinity): DocumentAnalysis {
    if (!this.parsed) return NOTHING;
    if (!this.analysis || this.analysedThrough < through) {
      const tree = this.parsed.tree;
      this.analysis = this.program.analyze(tree, this.parsed.text, through, performance.now() + budgetMs);
      this.analysedThrough = this.program.lastRun.through;
    }
    return this.analysis;
  }

  /** Whether the last analysis covers the whole document (or there is nothing to analyse). */
  get analysedCompletely(): boolean {
    return !this.parsed || (this.analysis !== undefined && this.analysedThrough === Infinity);
  }

  /** Parses if needed; after it `gaveUp` says whether there is a tree. */
  parse(): void {
    void this.parsed?.tree;
  }
}
