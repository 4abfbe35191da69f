/** Conversions between engine data (offsets, severities) and LSP types. Positions are UTF-16, as LSP's default. */
import { Diagnostic, DiagnosticSeverity, Range } from "vscode-languageserver";
import { TextDocument } from "vscode-languageserver-textdocument";
import { EngineDiagnostic } from "../engine/analyze";
import { Span } from "../engine/ir";
import { Severity } from "../engine/diagnostics";

export function toRange(doc: TextDocument, span: Span): Range {
  return { start: doc.positionAt(span.start), end: doc.positionAt(span.end) };
}

/**
 * The line and character of each offset (ascending) as `TextDocument.positionAt` gives them, in one
 * walk down the lines: a whole long file's tens of thousands of hints each cost a lookup, not a search.
 */
export function positionsOfSorted(text: TextDocument, offsets: readonly number[]): { lines: Int32Array; characters: Int32Array } {
  const content = text.getText();
  const lineStart = (line: number) => (line < text.lineCount ? text.offsetAt({ line, character: 0 }) : Infinity);
  const lines = new Int32Array(offsets.length);
  const characters = new Int32Array(offsets.length);
  let line = 0;
  let start = 0;
  let next = lineStart(1);
  for (const [i, at] of offsets.entries()) {
    while (at >= next) {
      start = next;
      next = lineStart(++line + 1);
    }
    // An offset between a line's end-of-line characters stands before them, as positionAt puts it.
    let offset = Math.min(at, content.length);
    while (offset > start && (content.charCodeAt(offset - 1) === 10 || content.charCodeAt(offset - 1) === 13)) offset--;
    lines[i] = line;
    characters[i] = offset - start;
  }
  return { lines, characters };
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
};

export function toDiagnostic(doc: TextDocument, d: EngineDiagnostic): Diagnostic {
  return {
    range: toRange(doc, d.span),
    severity: SEVERITY[d.severity],
    code: d.code,
    source: "layer-lens",
    message: d.message,
    relatedInformation: d.related.map((r) => ({ location: { uri: doc.uri, range: toRange(doc, r.span) }, message: r.message })),
  };
}
