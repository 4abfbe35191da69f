// The `layerLens/modelSummary` request as the client sees it. The server
// (server/src/lsp/summary.ts) is the source of truth; the client may not import
// server code, so the fields it reads are declared again here.

import { RequestType } from "vscode-languageclient/node";

export interface Position {
  readonly line: number;
  readonly character: number;
}

export interface Range {
  readonly start: Position;
  readonly end: Position;
}

export interface ModelSummaryParams {
  readonly textDocument: { readonly uri: string };
  readonly position?: Position;
  readonly model?: number;
  readonly inputShape?: string;
  /** Rows of nested models (a backbone's) whose own layers to list. */
  readonly expand?: readonly number[];
}

export interface SummaryTotal {
  readonly count: string;
  readonly memory: string;
}

export interface SummaryRow {
  readonly layer: string;
  readonly name?: string;
  readonly outputShape: string;
  readonly params: string;
  readonly share: string;
  /** MACs for one sample, `?` when unknown. */
  readonly macs: string;
  /** The output's size for one sample, `?` when unknown. */
  readonly memory: string;
  readonly range: Range;
  /** Set when the row's layer lies in another document than the model (a later notebook cell). */
  readonly uri?: string;
  /** A nested model's row: how many rows its own layers make; `rows` lists them when the request expanded it. */
  readonly nested?: number;
  readonly rows?: readonly NestedRow[];
}

/** A layer of a nested model, listed under its row (it reveals that row). */
export type NestedRow = Omit<SummaryRow, "range" | "uri" | "nested" | "rows">;

export interface ModelSummary {
  readonly uri: string;
  readonly model: number;
  readonly title: string;
  readonly input: string;
  readonly sample: string;
  readonly range: Range;
  readonly rows: readonly SummaryRow[];
  readonly total: SummaryTotal;
  readonly trainable: SummaryTotal;
  readonly nonTrainable: SummaryTotal;
  /** Total MACs for one sample and the forward activations' size, `?` when unknown. */
  readonly macs: string;
  readonly activations: string;
  readonly errors: readonly string[];
  readonly text: string;
  readonly markdown: string;
  readonly inputOverride?: string;
  readonly inputError?: string;
}

export const ModelSummaryRequest = new RequestType<ModelSummaryParams, ModelSummary | null, void>("layerLens/modelSummary");
