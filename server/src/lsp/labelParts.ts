/**
 * Inlay-hint labels as parts that say what they are: the output shape (linked to
 * the layer that produced the layer's input, so a click goes there) and the
 * parameter count of a layer, or the model's totals. The label's text is the one
 * chosen for the line budget, unchanged: the parts only split it.
 */
import { InlayHintLabelPart, Location, MarkupContent, MarkupKind } from "vscode-languageserver";
import { LayerAnalysis, ModelAnalysis } from "../engine/analyze";
import { explainLayer, totalsDetail } from "../engine/report";
import { formatShape } from "../engine/shape";
import { LensDocument } from "./document";
import { Settings } from "./settings";
import { toRange } from "./convert";

const markdown = (value: string): MarkupContent => ({ kind: MarkupKind.Markdown, value });

/** The nearest earlier layer whose output is the very shape object this layer receives. */
function producer(model: ModelAnalysis, index: number): LayerAnalysis | undefined {
  const input = model.layers[index].input;
  return input && model.layers.slice(0, index).reverse().find((l) => l.output === input);
}

function layerParts(doc: LensDocument, settings: Settings, model: ModelAnalysis, index: number, label: string): InlayHintLabelPart[] {
  const layer = model.layers[index];
  const name = layer.spec?.name ?? "this layer";
  const explanation = explainLayer(layer);
  const shape = settings.shapes && layer.output ? formatShape(layer.output, { batch: settings.batchDimension }) : undefined;
  // Where the shape sits in the label: whole, or cut short by the line budget ("(None, 26…").
  const cut = label.endsWith("…") ? label.slice(0, -1) : undefined;
  const at = shape === undefined ? -1 : label.indexOf(shape);
  const shapeStart = at >= 0 ? at : cut !== undefined && shape?.startsWith(cut) ? 0 : -1;
  const shapeEnd = at >= 0 ? at + shape!.length : label.length;
  if (shapeStart < 0) return [{ value: label, tooltip: markdown(`**Parameters** of ${name}.\n\n---\n\n${explanation}`) }];

  const source = producer(model, index);
  const location: Location | undefined = source && { uri: doc.uri, range: toRange(doc.text, source.element.span) };
  const from = source && `Its input \`${formatShape(layer.input!)}\` comes from ${doc.describeLine(source.element.span.start)}: click to go there.`;
  const parts: InlayHintLabelPart[] = [];
  if (shapeStart > 0) parts.push({ value: label.slice(0, shapeStart) });
  const shapeTooltip = [`**Output shape** of ${name}.`, from, "", "---", "", explanation].filter((l) => l !== undefined).join("\n");
  parts.push({ value: label.slice(shapeStart, shapeEnd), tooltip: markdown(shapeTooltip), ...(location ? { location } : {}) });
  if (shapeEnd < label.length) {
    parts.push({ value: label.slice(shapeEnd), tooltip: markdown(`**Parameters** of ${name}.\n\n---\n\n${explanation}`) });
  }
  return parts;
}

/**
 * The parts of the label of the hint at `offset`: after a layer call, or at a
 * model's totals. A label this file does not recognise stays one plain string.
 */
export function labelParts(doc: LensDocument, settings: Settings, offset: number, label: string): string | InlayHintLabelPart[] {
  // A call site run several times (a loop, a helper): the hint's own tooltip lists every run.
  if (doc.analyze().calls.filter((l) => l.element.span.end === offset).length > 1) return label;
  for (const model of doc.analyze().models) {
    const index = model.layers.findIndex((l) => l.element.span.end === offset);
    if (index >= 0) return layerParts(doc, settings, model, index, label);
    if (model.model.totalsOffset === offset) {
      const detail = totalsDetail(model.totals).split("\n").join("  \n");
      return [{ value: label, tooltip: markdown(`**Parameters** of ${model.model.name ?? "the model"}, in total.\n\n${detail}`) }];
    }
  }
  return label;
}
