/**
 * Inlay hints: after each layer call its output shape and parameter count, and
 * the model's totals at the model. Labels on one line share VS Code's default
 * 43-character budget; the tooltip always carries the full text.
 *
 * A label is made of parts, each with a tooltip saying what it is; the shape part
 * links to the layer that produced the layer's input, so a click goes there.
 */
import { InlayHint, InlayHintKind, InlayHintLabelPart, Location, MarkupContent, MarkupKind, Range } from "vscode-languageserver";
import { LayerAnalysis, ModelAnalysis } from "../engine/analyze";
import { explainLayer, fitLine, layerHintCandidates, totalsCandidates, totalsDetail } from "../engine/report";
import { formatShape } from "../engine/shape";
import { LensDocument } from "./document";
import { Settings } from "./settings";
import { toRange } from "./convert";

interface PendingHint {
  readonly offset: number;
  readonly candidates: string[];
  readonly tooltip: string;
  /** Splits the label finally chosen into its parts. */
  readonly parts: (label: string) => InlayHintLabelPart[];
}

const markdown = (value: string): MarkupContent => ({ kind: MarkupKind.Markdown, value });

/** The nearest earlier layer whose output is the very shape object this layer receives. */
function producer(model: ModelAnalysis, index: number): LayerAnalysis | undefined {
  const input = model.layers[index].input;
  return input && model.layers.slice(0, index).reverse().find((l) => l.output === input);
}

/**
 * The parts of a layer label: the output shape (when shown, and linked to the
 * input's producer) and the parameter count. A label cut short by the line budget
 * keeps whatever it still shows of each.
 */
function layerParts(doc: LensDocument, model: ModelAnalysis, index: number, settings: Settings): (label: string) => InlayHintLabelPart[] {
  const layer = model.layers[index];
  const name = layer.spec?.name ?? "this layer";
  const explanation = explainLayer(layer);
  const source = producer(model, index);
  const location: Location | undefined = source && { uri: doc.uri, range: toRange(doc.text, source.element.span) };
  const from = source && `Its input \`${formatShape(layer.input!)}\` comes from ${doc.describeLine(source.element.span.start)}: click to go there.`;
  const shape = settings.shapes && layer.output ? formatShape(layer.output, { batch: settings.batchDimension }) : undefined;
  return (label) => {
    const shapeLength = shape === undefined ? 0 : label.startsWith(shape) ? shape.length : label.endsWith("…") && shape.startsWith(label.slice(0, -1)) ? label.length : 0;
    const parts: InlayHintLabelPart[] = [];
    if (shapeLength) {
      const tooltip = [`**Output shape** of ${name}.`, from, "", "---", "", explanation].filter((l) => l !== undefined).join("\n");
      parts.push({ value: label.slice(0, shapeLength), tooltip: markdown(tooltip), ...(location ? { location } : {}) });
    }
    if (label.length > shapeLength) {
      parts.push({ value: label.slice(shapeLength), tooltip: markdown(`**Parameters** of ${name}.\n\n---\n\n${explanation}`) });
    }
    return parts;
  };
}

export function inlayHints(doc: LensDocument, range: Range, settings: Settings): InlayHint[] {
  const text = doc.text;
  const from = text.offsetAt(range.start);
  const to = text.offsetAt(range.end);
  const pending: PendingHint[] = [];
  for (const model of doc.analyze().models) {
    for (const [index, layer] of model.layers.entries()) {
      const offset = layer.element.span.end;
      if (offset < from || offset > to) continue;
      const candidates = layerHintCandidates(layer, settings);
      if (candidates.length) pending.push({ offset, candidates, tooltip: explainLayer(layer), parts: layerParts(doc, model, index, settings) });
    }
    const offset = model.model.totalsOffset;
    if (settings.totals && offset >= from && offset <= to && model.layers.length) {
      const tooltip = totalsDetail(model.totals);
      const parts = (label: string) => [{ value: label, tooltip: markdown(`**Parameters** of ${model.model.name ?? "the model"}, in total.\n\n${tooltip.split("\n").join("  \n")}`) }];
      pending.push({ offset, candidates: totalsCandidates(model.totals), tooltip, parts });
    }
  }

  const byLine = new Map<number, PendingHint[]>();
  for (const hint of pending) {
    const line = text.positionAt(hint.offset).line;
    byLine.set(line, [...(byLine.get(line) ?? []), hint]);
  }
  const hints: InlayHint[] = [];
  for (const lineHints of byLine.values()) {
    lineHints.sort((a, b) => a.offset - b.offset);
    const labels = fitLine(lineHints.map((h) => h.candidates));
    lineHints.forEach((hint, i) => {
      hints.push({
        position: text.positionAt(hint.offset),
        label: hint.parts(labels[i]),
        kind: InlayHintKind.Type,
        paddingLeft: true,
        tooltip: { kind: MarkupKind.Markdown, value: hint.tooltip },
      });
    });
  }
  return hints.sort((a, b) => a.position.line - b.position.line || a.position.character - b.position.character);
}
