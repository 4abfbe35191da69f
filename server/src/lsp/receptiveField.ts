/**
 * The hover of hover.ts, with the receptive field and cumulative stride added
 * for a convolution or pooling layer (see engine/receptive.ts). Kept apart from
 * hover.ts: it needs the model around the layer, which the layer's own
 * explanation does not.
 */
import { Hover, MarkupContent, Position } from "vscode-languageserver";
import { explainReceptiveField, receptiveFields } from "../engine/receptive";
import { LensDocument } from "./document";
import { toRange } from "./convert";
import { hover as layerHover } from "./hover";

type HoverRange = NonNullable<Hover["range"]>;

const sameRange = (a: HoverRange, b: HoverRange) =>
  a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;

export function hover(doc: LensDocument, position: Position): Hover | null {
  return withReceptiveField(doc, layerHover(doc, position));
}

/** `hover` with the receptive field appended when it covers a layer call whose field is certain. */
function withReceptiveField(doc: LensDocument, hover: Hover | null): Hover | null {
  if (!hover?.range || !MarkupContent.is(hover.contents)) return hover;
  for (const model of doc.analyze().models) {
    const index = model.layers.findIndex((l) => l.element.type === "layer" && sameRange(toRange(doc.text, l.element.span), hover.range!));
    const field = index < 0 ? undefined : receptiveFields(model.layers)[index];
    if (field) return { ...hover, contents: { ...hover.contents, value: `${hover.contents.value}\n\n${explainReceptiveField(field)}` } };
  }
  return hover;
}
