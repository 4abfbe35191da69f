/**
 * The shape of each request's parameters, checked before its handler runs: a
 * request a client got wrong (a code action whose diagnostics lack a range) is
 * answered with InvalidParams, which is the client's problem, not a failure of
 * the server to log. Positions out of the document are well formed: they are
 * clamped later, as LSP asks.
 */
import { CodeActionParams, ExecuteCommandParams, HoverParams, InlayHint, InlayHintParams, Position, Range, TextDocumentIdentifier } from "vscode-languageserver";

type Check<P> = (params: unknown) => params is P;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null;

export function isPosition(value: unknown): value is Position {
  return isObject(value) && typeof value.line === "number" && typeof value.character === "number";
}

export function isRange(value: unknown): value is Range {
  return isObject(value) && isPosition(value.start) && isPosition(value.end);
}

export const isDocumentRequest: Check<{ textDocument: TextDocumentIdentifier }> = (params): params is { textDocument: TextDocumentIdentifier } =>
  isObject(params) && isObject(params.textDocument) && typeof params.textDocument.uri === "string";

export const isHoverParams: Check<HoverParams> = (params): params is HoverParams => isDocumentRequest(params) && isPosition((params as HoverParams).position);

export const isInlayHintParams: Check<InlayHintParams> = (params): params is InlayHintParams => isDocumentRequest(params) && isRange((params as InlayHintParams).range);

export const isCodeActionParams: Check<CodeActionParams> = (params): params is CodeActionParams => {
  if (!isDocumentRequest(params) || !isRange((params as CodeActionParams).range)) return false;
  const context: unknown = (params as CodeActionParams).context;
  return isObject(context) && Array.isArray(context.diagnostics) && context.diagnostics.every((d: unknown) => isObject(d) && isRange(d.range));
};

export const isExecuteCommandParams: Check<ExecuteCommandParams> = (params): params is ExecuteCommandParams =>
  isObject(params) && typeof params.command === "string" && (params.arguments === undefined || Array.isArray(params.arguments));

export const isInlayHint: Check<InlayHint> = (hint): hint is InlayHint => isObject(hint) && isPosition(hint.position);

/** `layerLens/modelSummary`: a document, a position when given, and the rows to expand as numbers. */
export const isSummaryParams: Check<{ textDocument: TextDocumentIdentifier; position?: Position; expand?: number[] }> = (params): params is { textDocument: TextDocumentIdentifier; position?: Position; expand?: number[] } => {
  if (!isDocumentRequest(params)) return false;
  const { position, expand } = params as { position?: unknown; expand?: unknown };
  return (position === undefined || isPosition(position)) && (expand === undefined || (Array.isArray(expand) && expand.every((row) => typeof row === "number")));
};
