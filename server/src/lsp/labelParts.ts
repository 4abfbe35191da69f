/**
 * Inlay-hint labels as parts that say what they are: the output shape (linked to
 * the layer that produced the layer's input, so a click goes there) and the
 * parameter count of a layer, or the model's totals. The label's text is the one
 * chosen for the line budget, unchanged: the parts only split it. Part tooltips
 * stay short: VS Code shows the hint's own tooltip (the full explanation) beside them.
 */
import { InlayHintLabelPart, Location, MarkupContent, MarkupKind } from "vscode-languageserver";
import { LayerAnalysis, ModelAnalysis, ProgramAnalysis } from "../engine/analyze";
import { totalsDetail } from "../engine/report";
import { hintedHere } from "../engine/results";
import { formatShape } from "../engine/shape";
import { LensDocument } from "./document";
import { Settings } from "./settings";
import { toRange } from "./convert";

const markdown = (value: string): MarkupContent => ({ kind: MarkupKind.Markdown, value });

/** The nearest earlier layer whose output is the very shape object this layer receives. */
function producer(model: ModelAnalysis, index: number): LayerAnalysis | undefined {
  const input = model.layers[index].input;
  if (!input) return undefined;
  for (let i = index - 1; i >= 0; i--) if (model.layers[i].output === input) return model.layers[i];
  return undefined;
}

/** Where each hint offset in a range comes from, built once per request (it asks for many hints). */
export interface HintSources {
  /** Call sites run more than once. */
  readonly repeated: ReadonlySet<number>;
  /** The first model (in order) with a layer call ending here or its totals here. */
  readonly byOffset: ReadonlyMap<number, { readonly model: ModelAnalysis; readonly index?: number }>;
}

/** The sources of the hints at offsets in [from, to]: only those are indexed, so a request for the visible lines stays cheap. */
export function hintSources(analysis: ProgramAnalysis, from: number, to: number): HintSources {
  const inRange = (offset: number) => offset >= from && offset <= to;
  const seen = new Set<number>();
  const repeated = new Set<number>();
  for (const call of analysis.calls) {
    const end = call.element.span.end;
    if (!inRange(end)) continue;
    if (seen.has(end)) repeated.add(end);
    seen.add(end);
  }
  const byOffset = new Map<number, { model: ModelAnalysis; index?: number }>();
  for (const model of analysis.models) {
    model.layers.forEach((layer, index) => {
      const end = layer.element.span.end;
      // A row hinted elsewhere (a backbone's layer, one an imported helper made) is not what the hint here shows.
      if (inRange(end) && !byOffset.has(end) && hintedHere(layer)) byOffset.set(end, { model, index });
    });
    if (inRange(model.model.totalsOffset) && !byOffset.has(model.model.totalsOffset)) byOffset.set(model.model.totalsOffset, { model });
  }
  return { repeated, byOffset };
}

/** A label's end ` · 195k MACs` (the `layerLens.hints.macs` setting): its own part. */
const MACS_SUFFIX = / · [^·]* MACs$/;

/** The parameters part, and the MACs part when the label ends with one. */
function countParts(text: string, name: string): InlayHintLabelPart[] {
  const macs = MACS_SUFFIX.exec(text);
  const params = macs ? text.slice(0, macs.index) : text;
  const macsPart = macs ? [{ value: macs[0], tooltip: markdown(`**MACs** of ${name}: multiply-accumulates for one sample (FLOPs = 2 × MACs).`) }] : [];
  if (!params) return macsPart;
  return [{ value: params, tooltip: markdown(`**Parameters** of ${name}.`) }, ...macsPart];
}

function layerParts(doc: LensDocument, settings: Settings, model: ModelAnalysis, index: number, label: string): InlayHintLabelPart[] {
  const layer = model.layers[index];
  const name = layer.spec?.name ?? "this layer";
  const shape = settings.shapes && layer.output ? formatShape(layer.output, { batch: settings.batchDimension }) : undefined;
  // Where the shape sits in the label: whole, or cut short by the line budget ("(None, 26…").
  const cut = label.endsWith("…") ? label.slice(0, -1) : undefined;
  const at = shape === undefined ? -1 : label.indexOf(shape);
  const shapeStart = at >= 0 ? at : cut !== undefined && shape?.startsWith(cut) ? 0 : -1;
  const shapeEnd = at >= 0 ? at + shape!.length : label.length;
  if (shapeStart < 0) return countParts(label, name);

  const source = producer(model, index);
  const location: Location | undefined = source && { uri: doc.uri, range: toRange(doc.text, source.element.span) };
  const from = source && `Its input \`${formatShape(layer.input!)}\` comes from ${doc.describeLine(source.element.span.start)}: click to go there.`;
  const parts: InlayHintLabelPart[] = [];
  if (shapeStart > 0) parts.push({ value: label.slice(0, shapeStart) });
  const shapeTooltip = [`**Output shape** of ${name}.`, from].filter((l) => l !== undefined).join("\n");
  parts.push({ value: label.slice(shapeStart, shapeEnd), tooltip: markdown(shapeTooltip), ...(location ? { location } : {}) });
  if (shapeEnd < label.length) parts.push(...countParts(label.slice(shapeEnd), name));
  return parts;
}

/**
 * The parts of the label of the hint at `offset`: after a layer call, or at a
 * model's totals. A label this file does not recognise stays one plain string.
 */
export function labelParts(doc: LensDocument, settings: Settings, sources: HintSources, offset: number, label: string): string | InlayHintLabelPart[] {
  // A call site run several times (a loop, a helper): the hint's own tooltip lists every run.
  if (sources.repeated.has(offset)) return label;
  const source = sources.byOffset.get(offset);
  if (!source) return label;
  if (source.index !== undefined) return layerParts(doc, settings, source.model, source.index, label);
  const detail = totalsDetail(source.model.totals).split("\n").join("  \n");
  return [{ value: label, tooltip: markdown(`**Parameters** of ${source.model.model.name ?? "the model"}, in total.\n\n${detail}`) }];
}
