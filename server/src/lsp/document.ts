/**
 * A document as the server holds it: its text (as vscode-languageserver-textdocument
 * keeps it), its incrementally maintained syntax tree, and its analysis,
 * computed on first request after each edit and cached until the next one.
 */
import { TextDocument, TextDocumentContentChangeEvent } from "vscode-languageserver-textdocument";
import { DocumentAnalysis, analyzeTree } from "../analysis";
import { ParsedDocument, TextChange } from "../python/parser";

export class LensDocument {
  private parsed: ParsedDocument;
  private analysis?: DocumentAnalysis;

  constructor(public text: TextDocument) {
    this.parsed = new ParsedDocument(text.getText());
  }

  get uri(): string {
    return this.text.uri;
  }

  update(changes: readonly TextDocumentContentChangeEvent[], version: number): void {
    const edits: TextChange[] = [];
    let current = this.text;
    for (const change of changes) {
      if ("range" in change) {
        const from = current.offsetAt(change.range.start);
        const to = Math.max(from, current.offsetAt(change.range.end));
        edits.push({ from, to, insertedLength: change.text.length });
        current = TextDocument.update(current, [change], version);
      } else {
        // A full-text replacement: nothing of the old tree can be reused.
        edits.length = 0;
        current = TextDocument.update(current, [change], version);
        this.parsed = new ParsedDocument(current.getText());
      }
    }
    this.text = current;
    if (edits.length) this.parsed.update(current.getText(), edits);
    else if (this.parsed.text !== current.getText()) this.parsed = new ParsedDocument(current.getText());
    this.analysis = undefined;
  }

  analyze(): DocumentAnalysis {
    this.analysis ??= analyzeTree(this.parsed.tree, this.parsed.text);
    return this.analysis;
  }
}
