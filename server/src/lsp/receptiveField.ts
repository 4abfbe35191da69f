/**
 * The hover of hover.ts, with the receptive field and cumulative stride added
 * for a convolution or pooling layer (see engine/receptive.ts). Kept apart from
 * hover.ts: it needs the model around the layer, which the layer's own
 * explanation does not.
 */
import { Hover, MarkupContent, Position } from "vscode-languageserver";
import { explainReceptiveField, receptiveFields } from "../engine/receptive";
import { within } from "../engine/analyze";
import { hintedHere } from "../engine/results";
import { LensDocument } from "./document";
import { hover as layerHover } from "./hover";

export function hover(doc: LensDocument, position: Position): Hover | null {
  return withReceptiveField(doc, layerHover(doc, position));
}

/** `hover` with the receptive field appended when it covers a layer call whose field is certain. */
function withReceptiveField(doc: LensDocument, hover: Hover | null): Hover | null {
  if (!hover?.range || !MarkupContent.is(hover.contents)) return hover;
  const from = doc.text.offsetAt(hover.range.start);
  const to = doc.text.offsetAt(hover.range.end);
  for (const model of within(doc.analyze(to), from, to).models) {
    const index = model.layers.findIndex((l) => l.element.type === "layer" && hintedHere(l) && l.element.span.start === from && l.element.span.end === to);
    const field = index < 0 ? undefined : receptiveFields(model.layers, model.keras)[index];
    if (field) return { ...hover, contents: { ...hover.contents, value: `${hover.contents.value}\n\n${explainReceptiveField(field)}` } };
  }
  return hover;
}
