/**
 * Hovers: on a layer call, how its shape and parameter count come about; on the
 * `Sequential` callee, the model's summary table.
 */
import { Hover, MarkupKind, Position } from "vscode-languageserver";
import { LayerAnalysis } from "../engine/analyze";
import { explainLayer, explainModel } from "../engine/report";
import { LensDocument } from "./document";
import { toRange } from "./convert";

export function hover(doc: LensDocument, position: Position): Hover | null {
  const offset = doc.text.offsetAt(position);
  const inside = (s: { start: number; end: number }) => s.start <= offset && offset <= s.end;
  for (const model of doc.analyze().models) {
    if (inside(model.model.calleeSpan)) {
      return { contents: { kind: MarkupKind.Markdown, value: explainModel(model) }, range: toRange(doc.text, model.model.calleeSpan) };
    }
  }
  // The innermost layer call under the cursor (calls can nest, e.g. Bidirectional(LSTM(...))).
  let best: { layer: LayerAnalysis; size: number } | undefined;
  for (const model of doc.analyze().models) {
    for (const layer of model.layers) {
      const s = layer.element.span;
      if (layer.element.type === "layer" && inside(s) && (!best || s.end - s.start < best.size)) best = { layer, size: s.end - s.start };
    }
  }
  if (!best) return null;
  return { contents: { kind: MarkupKind.Markdown, value: explainLayer(best.layer) }, range: toRange(doc.text, best.layer.element.span) };
}
