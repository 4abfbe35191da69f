/**
 * Code lenses above each model: its parameter totals with their size in memory and its MACs,
 * and "Show summary". Both run `layerLens.showSummary` for that model: the VS Code
 * extension's summary view, or for other editors the server's own command (its
 * answer is the summary as text).
 */
import { CodeLens } from "vscode-languageserver";
import { totalsLine } from "../engine/summary";
import { modelMacsLabel } from "../engine/costReport";
import { LensDocument } from "./document";
import { toRange } from "./convert";

/** The command that shows a model's summary; its arguments are the document URI and a position in the model. */
export const SHOW_SUMMARY_COMMAND = "layerLens.showSummary";

const MEMORY_NOTE =
  "Parameter counts as model.summary() prints them; sizes in memory assume float32 weights (4 bytes each). " +
  "MACs: multiply-accumulates for one sample, over every layer call (FLOPs = 2 × MACs); the summary has each layer's.";

/**
 * How long a request for lenses may analyse: an editor asks for them when a file opens, and a long
 * file's whole analysis would hold every request behind it. What is analysed by then gets its lenses
 * (a part's models are final); the server asks for lenses again once the analysis is complete.
 */
export const LENS_BUDGET_MS = 50;

export function codeLenses(doc: LensDocument): CodeLens[] {
  return doc.analyze(Infinity, LENS_BUDGET_MS).models.flatMap((model) => {
    if (!model.layers.length) return [];
    const range = toRange(doc.text, model.model.calleeSpan);
    const summary = { command: SHOW_SUMMARY_COMMAND, arguments: [doc.uri, range.start] };
    return [
      // The totals lead to the summary too: a lens with an empty command id is refused by clients that run every lens.
      { range, command: { title: `${totalsLine(model.totals)} · ${modelMacsLabel(model)}`, tooltip: MEMORY_NOTE, ...summary } },
      { range, command: { title: "Show summary", ...summary } },
    ];
  });
}
