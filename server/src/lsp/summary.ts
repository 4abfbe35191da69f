/**
 * `layerLens/modelSummary`: the summary of the model under the cursor (or the
 * document's `model`-th model), optionally computed for another input shape the
 * user typed, without editing the file. The client only renders what this returns.
 */
import { Position, Range, RequestType, TextDocumentIdentifier } from "vscode-languageserver";
import { ModelAnalysis } from "../engine/analyze";
import { parseShapeText, withInput } from "../engine/reinput";
import { ModelSummary, modelSummary, nestedRows } from "../engine/summary";
import { LensDocument } from "./document";
import { toRange } from "./convert";

export interface ModelSummaryParams {
  readonly textDocument: TextDocumentIdentifier;
  /** The cursor; the model containing it is summarised (the only model, if the cursor is in none). */
  readonly position?: Position;
  /** Index of the model among the document's models, used when `position` is absent. */
  readonly model?: number;
  /** A per-sample input shape as for `keras.Input(shape=…)`, e.g. `(32, 32, 1)`. */
  readonly inputShape?: string;
  /**
   * Rows (by index) of nested models to list the layers of (`SummaryRowView.nested`): a backbone is hundreds of
   * rows, sent only for the rows the view has open (the status bar asks at every cursor move).
   */
  readonly expand?: readonly number[];
}

/** A row of a nested model's own layers: it reveals the row it is listed under. */
export type NestedRowView = Omit<SummaryRowView, "range" | "uri" | "nested" | "rows">;

export interface SummaryRowView {
  readonly layer: string;
  readonly name?: string;
  readonly outputShape: string;
  readonly params: string;
  readonly share: string;
  readonly macs: string;
  readonly memory: string;
  readonly range: Range;
  /** Set when the row's layer lies in another document than the model (a later notebook cell). */
  readonly uri?: string;
  /** A nested model's row: how many rows its own layers make (listed in `rows` when the request expands it). */
  readonly nested?: number;
  readonly rows?: readonly NestedRowView[];
}

export interface ModelSummaryResult extends Omit<ModelSummary, "rows"> {
  readonly uri: string;
  /** Index of the model among the document's models: re-request with it to keep following the same model. */
  readonly model: number;
  /** The model's `Sequential(...)` callee. */
  readonly range: Range;
  readonly rows: readonly SummaryRowView[];
  /** Set when the summary is for an input shape the user typed rather than the one in the source. */
  readonly inputOverride?: string;
  /** Why `inputShape` could not be used (a malformed shape, a model that is not a chain of layers). */
  readonly inputError?: string;
}

export const ModelSummaryRequest = new RequestType<ModelSummaryParams, ModelSummaryResult | null, void>("layerLens/modelSummary");

/** The span of source a model covers: its constructor call and every layer added to it. */
function extent(model: ModelAnalysis): { start: number; end: number } {
  const ends = model.layers.map((l) => l.element.span.end);
  return { start: model.model.span.start, end: Math.max(model.model.span.end, model.model.totalsOffset, ...ends) };
}

/**
 * How long a summary request for a cursor outside every model may analyse the rest of the file to
 * find out whether it has only one model. The status bar asks at every cursor move: on a long file
 * just opened, the whole analysis would hold every request behind it (two seconds at 50,000 lines).
 */
const ONLY_MODEL_BUDGET_MS = 50;

/** The innermost model whose source contains `offset`. */
function modelContaining(models: readonly ModelAnalysis[], offset: number): number | undefined {
  let best: { index: number; size: number } | undefined;
  models.forEach((m, index) => {
    const { start, end } = extent(m);
    if (start <= offset && offset <= end && (!best || end - start < best.size)) best = { index, size: end - start };
  });
  return best?.index;
}

/**
 * The model a request is about, and its index among the document's models (numbered in document
 * order: analysing further does not change it). For a cursor, the model containing it, else the
 * document's only model. The file is analysed as far as the cursor: a model containing it starts
 * before it, and the part of the analysis it is in takes in every later statement that adds to it.
 * Whether a model is the only one may need the rest of the file: unknown (no summary) while that
 * is not analysed within the budget.
 */
function requestedModel(doc: LensDocument, params: ModelSummaryParams): { model: ModelAnalysis; index: number } | undefined {
  if (!params.position) {
    const index = params.model;
    const model = index === undefined ? undefined : doc.analyze().models[index];
    return model && index !== undefined ? { model, index } : undefined;
  }
  const offset = doc.text.offsetAt(params.position);
  const upToCursor = doc.analyze(offset).models;
  const containing = modelContaining(upToCursor, offset);
  if (containing !== undefined) return { model: upToCursor[containing], index: containing };
  if (upToCursor.length > 1) return undefined;
  const models = doc.analyze(Infinity, ONLY_MODEL_BUDGET_MS).models;
  return models.length === 1 && doc.analysedCompletely ? { model: models[0], index: 0 } : undefined;
}

export function summaryRequest(doc: LensDocument, params: ModelSummaryParams): ModelSummaryResult | null {
  const requested = requestedModel(doc, params);
  if (!requested) return null;
  const { model, index } = requested;
  let analysed = model;
  let inputError: string | undefined;
  if (params.inputShape !== undefined) {
    const parsed = parseShapeText(params.inputShape);
    const rerun = "shape" in parsed ? withInput(model, parsed.shape) : undefined;
    if ("error" in parsed) inputError = parsed.error;
    else if (!rerun) inputError = "Another input size can be tried only on a model that is a chain of layers, each taking the previous one's output.";
    else analysed = rerun;
  }
  const summary = modelSummary(analysed);
  const expanded = new Set(params.expand ?? []);
  return {
    ...summary,
    uri: doc.uri,
    model: index,
    range: toRange(doc.text, model.model.calleeSpan),
    rows: summary.rows.map(({ span, ...row }, i) => {
      const nested = expanded.has(i) ? nestedRows(analysed, i) : undefined;
      return { ...row, range: toRange(doc.text, span), ...(nested ? { rows: nested.map(({ span: _, nested: __, ...inner }) => inner) } : {}) };
    }),
    ...(analysed !== model ? { inputOverride: summary.input } : {}),
    ...(inputError ? { inputError } : {}),
  };
}
