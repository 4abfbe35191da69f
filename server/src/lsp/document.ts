/**
 * A document as the server holds it: its text (as vscode-languageserver-textdocument
 * keeps it), its incrementally maintained syntax tree, and its analysis,
 * computed on first request after each edit and cached until the next one.
 */
import { TextDocument, TextDocumentContentChangeEvent } from "vscode-languageserver-textdocument";
import { DocumentAnalysis, analyzeTree } from "../analysis";
import { ParsedDocument, TextChange } from "../python/parser";

/**
 * Beyond this many characters a document is not analysed at all: parsing it
 * would take seconds, and no model definition is that long. The server says so
 * once in its log and shows nothing rather than stale or partial results.
 */
export const MAX_DOCUMENT_LENGTH = 4_000_000;

const NOTHING: DocumentAnalysis = { models: [] };

export class LensDocument {
  private parsed?: ParsedDocument;
  private analysis?: DocumentAnalysis;

  constructor(public text: TextDocument) {
    this.reparse();
  }

  get tooLarge(): boolean {
    return this.text.getText().length > MAX_DOCUMENT_LENGTH;
  }

  private reparse(): void {
    this.parsed = this.tooLarge ? undefined : new ParsedDocument(this.text.getText());
  }

  get uri(): string {
    return this.text.uri;
  }

  update(changes: readonly TextDocumentContentChangeEvent[], version: number): void {
    const edits: TextChange[] = [];
    let incremental = true;
    for (const change of changes) {
      if ("range" in change) {
        const from = this.text.offsetAt(change.range.start);
        const to = Math.max(from, this.text.offsetAt(change.range.end));
        edits.push({ from, to, insertedLength: change.text.length });
      } else incremental = false;
      this.text = TextDocument.update(this.text, [change], version);
    }
    this.analysis = undefined;
    if (incremental && this.parsed && !this.tooLarge) this.parsed.update(this.text.getText(), edits);
    else this.reparse();
  }

  /** How a hint names the line of an offset, for the user to find it. */
  describeLine(offset: number): string {
    return `line ${this.text.positionAt(offset).line + 1}`;
  }

  analyze(): DocumentAnalysis {
    if (!this.parsed) return NOTHING;
    this.analysis ??= analyzeTree(this.parsed.tree, this.parsed.text);
    return this.analysis;
  }
}
