/**
 * Code lenses above each model: its parameter totals with their size in memory and its MACs,
 * and "Show summary", which runs the client's `layerLens.showSummary` command for
 * that model.
 */
import { CodeLens } from "vscode-languageserver";
import { totalsLine } from "../engine/summary";
import { modelMacsLabel } from "../engine/costReport";
import { LensDocument } from "./document";
import { toRange } from "./convert";

/** The client command that opens the summary view; its arguments are the document URI and a position in the model. */
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
    return [
      // An empty command id makes a lens plain text: the totals are information, not an action.
      { range, command: { title: `${totalsLine(model.totals)} · ${modelMacsLabel(model)}`, command: "", tooltip: MEMORY_NOTE } },
      { range, command: { title: "Show summary", command: SHOW_SUMMARY_COMMAND, arguments: [doc.uri, range.start] } },
    ];
  });
}
