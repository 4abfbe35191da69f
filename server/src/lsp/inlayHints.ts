/**
 * Inlay hints: after each layer call its output shape and parameter count, and
 * the model's totals at the model. Labels on one line share the budget of
 * `layerLens.hints.maximumLength` (VS Code's default 43 characters unless set);
 * the tooltip always carries the full text.
 *
 * A label is made of parts, each with a tooltip saying what it is; the shape part
 * links to the layer that produced the layer's input, so a click goes there.
 * A request for many hints at once (a whole long file) gets plain labels, and the
 * parts and the tooltip of a hint come when the editor resolves it (on hover).
 */
import { InlayHint, InlayHintKind, MarkupKind, Position, Range } from "vscode-languageserver";
import { within } from "../engine/analyze";
import { HintSite, documentHints, fitLine } from "../engine/report";
import { LensDocument } from "./document";
import { Settings, lineBudget } from "./settings";
import { positionsOfSorted } from "./convert";
import { hintSources, labelParts } from "./labelParts";

/** Up to this many hints a response carries everything; beyond, explanations wait for `inlayHint/resolve`. */
export const EAGER_HINTS = 300;

const TYPE_HINT: InlayHintKind = InlayHintKind.Type;

/**
 * What a plain hint carries for its resolve, as a short array (a large response has tens of
 * thousands): the number the server gave the document it was asked for, and which of the hints
 * at its position it is (a call site and a model's totals may share one). Its position says
 * where, and its label what, so it carries nothing that an edit elsewhere makes stale.
 */
type HintData = [document: number, nth: number];

/**
 * The plain hint last sent for a site, sent again while its position, label and data stay the
 * same: a whole long file's answer then builds objects only for what an edit changed, and the
 * garbage of tens of thousands of hints per request is not made.
 */
const sentPlain = new WeakMap<HintSite, InlayHint>();

function samePlainHint(hint: InlayHint, line: number, character: number, label: string, document: number, nth: number): boolean {
  const data = hint.data as HintData;
  return hint.label === label && hint.position.line === line && hint.position.character === character && data[0] === document && data[1] === nth;
}

/** The hints in `range`; `document` is the number a plain hint names its document by (see `HintData`). */
export function inlayHints(doc: LensDocument, range: Range, settings: Settings, document: number): InlayHint[] {
  const text = doc.text;
  const from = text.offsetAt(range.start);
  const to = text.offsetAt(range.end);
  const analysis = within(doc.analyze(to), from, to);
  const pending = documentHints(analysis, settings, (offset) => offset >= from && offset <= to);
  const sources = pending.length <= EAGER_HINTS ? hintSources(analysis, from, to) : undefined;
  // In document order; hints at one offset keep their order (the sort is stable), which a plain hint's resolve counts on.
  const unsorted = pending.map((hint) => hint.offset);
  const order = unsorted.map((_, i) => i).sort((a, b) => unsorted[a] - unsorted[b]);
  const sites = order.map((i) => pending[i]);
  const offsets = order.map((i) => unsorted[i]);
  const { lines, characters } = positionsOfSorted(text, offsets);
  const budget = lineBudget(settings);
  const hints: InlayHint[] = [];
  let nth = 0;
  for (let first = 0; first < sites.length; ) {
    // The hints of one line share its width. Most lines have one hint whose longest label fits.
    let end = first + 1;
    while (end < sites.length && lines[end] === lines[first]) end++;
    const single = end === first + 1 ? sites[first].candidates : undefined;
    const labels = single && single[0].length <= budget ? single : fitLine(sites.slice(first, end).map((site) => site.candidates), budget);
    for (let n = first; n < end; n++) {
      const site = sites[n];
      const label = labels[n - first];
      if (sources) {
        const tooltip = { kind: MarkupKind.Markdown, value: site.explain() };
        const position = { line: lines[n], character: characters[n] };
        hints.push({ position, kind: TYPE_HINT, paddingLeft: true, label: labelParts(doc, settings, sources, offsets[n], label), tooltip });
        continue;
      }
      nth = n > 0 && offsets[n - 1] === offsets[n] ? nth + 1 : 0;
      const sent = sentPlain.get(site);
      if (sent && samePlainHint(sent, lines[n], characters[n], label, document, nth)) hints.push(sent);
      else {
        const hint = { position: { line: lines[n], character: characters[n] }, kind: TYPE_HINT, paddingLeft: true, label, data: [document, nth] satisfies HintData };
        sentPlain.set(site, hint);
        hints.push(hint);
      }
    }
    first = end;
  }
  return hints;
}

/** The number of the document a plain hint was made for, as the server gave it (see `HintData`). */
export function plainHintDocument(hint: InlayHint): number | undefined {
  const data: unknown = hint.data;
  return isHintData(data) ? data[0] : undefined;
}

function isHintData(data: unknown): data is HintData {
  return Array.isArray(data) && data.length === 2 && data.every((n) => Number.isSafeInteger(n) && n >= 0);
}

/** Whether `label` is one of a site's labels, or one cut short to fit its line. */
function labelOf(site: HintSite, label: string): boolean {
  const cut = label.endsWith("…") ? label.slice(0, -1) : undefined;
  return site.candidates.some((candidate) => candidate === label || (cut !== undefined && candidate.startsWith(cut)));
}

/**
 * The label parts and tooltip of a hint sent plain, at `position` in the document (the hint's own,
 * moved into the document's coordinates). A hint that is no longer there with its label (the text
 * changed under it), or one this server did not make, comes back as it was.
 */
export function resolveInlayHint(doc: LensDocument, hint: InlayHint, position: Position, settings: Settings): InlayHint {
  const data: unknown = hint.data;
  if (!isHintData(data) || typeof hint.label !== "string") return hint;
  const at = doc.text.offsetAt(position);
  const analysis = within(doc.analyze(at), at, at);
  const site = documentHints(analysis, settings, (offset) => offset === at)[data[1]];
  if (!site || !labelOf(site, hint.label)) return hint;
  return {
    ...hint,
    position,
    label: labelParts(doc, settings, hintSources(analysis, at, at), at, hint.label),
    tooltip: { kind: MarkupKind.Markdown, value: site.explain() },
  };
}
