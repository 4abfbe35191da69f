/** Conversions between engine data (offsets, severities) and LSP types. Positions are UTF-16, as LSP's default. */
import { Diagnostic, DiagnosticSeverity, Range } from "vscode-languageserver";
import { TextDocument } from "vscode-languageserver-textdocument";
import { EngineDiagnostic } from "../engine/analyze";
import { Span } from "../engine/ir";
import { Severity } from "../engine/diagnostics";

export function toRange(doc: TextDocument, span: Span): Range {
  return { start: doc.positionAt(span.start), end: doc.positionAt(span.end) };
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
