/**
 * Inlay hints: after each layer call its output shape and parameter count, and
 * the model's totals at the model. Labels on one line share VS Code's default
 * 43-character budget; the tooltip always carries the full text.
 *
 * A label is made of parts, each with a tooltip saying what it is; the shape part
 * links to the layer that produced the layer's input, so a click goes there.
 * A request for many hints at once (a whole long file) gets plain labels, and the
 * parts and the tooltip of a hint come when the editor resolves it (on hover).
 */
import { InlayHint, InlayHintKind, MarkupKind, Range } from "vscode-languageserver";
import { within } from "../engine/analyze";
import { MAX_HINT_LINE, documentHints, fitLine } from "../engine/report";
import { LensDocument } from "./document";
import { Settings } from "./settings";
import { hintSources, labelParts } from "./labelParts";

/** Up to this many hints a response carries everything; beyond, explanations wait for `inlayHint/resolve`. */
export const EAGER_HINTS = 300;

const TYPE_HINT: InlayHintKind = InlayHintKind.Type;

/**
 * What a plain hint carries for its resolve, as a short array (a large response has tens of
 * thousands): its offset, which of the hints at that offset it is (a call site and a model's
 * totals may share one), and the document version it was made for.
 */
type HintData = [offset: number, nth: number, version: number];

export function inlayHints(doc: LensDocument, range: Range, settings: Settings): InlayHint[] {
  const text = doc.text;
  const from = text.offsetAt(range.start);
  const to = text.offsetAt(range.end);
  const analysis = within(doc.analyze(to), from, to);
  const pending = documentHints(analysis, settings, (offset) => offset >= from && offset <= to);
  const sources = pending.length <= EAGER_HINTS ? hintSources(analysis, from, to) : undefined;
  // In document order; hints at one offset keep their order (the sort is stable), which a plain hint's resolve counts on.
  const offsets = pending.map((hint) => hint.offset);
  const order = offsets.map((_, i) => i).sort((a, b) => offsets[a] - offsets[b]);
  const positions = order.map((i) => text.positionAt(offsets[i]));
  const hints: InlayHint[] = [];
  let nth = 0;
  for (let first = 0; first < order.length; ) {
    const line = positions[first].line;
    let end = first + 1;
    while (end < order.length && positions[end].line === line) end++;
    // Most lines have one hint whose longest label fits: its candidates serve as the line's labels.
    const single = end === first + 1 ? pending[order[first]].candidates : undefined;
    const labels = single && single[0].length <= MAX_HINT_LINE ? single : fitLine(order.slice(first, end).map((i) => pending[i].candidates));
    for (let n = first; n < end; n++) {
      const hint = pending[order[n]];
      const offset = offsets[order[n]];
      const label = labels[n - first];
      if (sources) {
        const tooltip = { kind: MarkupKind.Markdown, value: hint.explain() };
        hints.push({ position: positions[n], kind: TYPE_HINT, paddingLeft: true, label: labelParts(doc, settings, sources, offset, label), tooltip });
      } else {
        nth = n > 0 && offsets[order[n - 1]] === offset ? nth + 1 : 0;
        const data: HintData = [offset, nth, text.version];
        hints.push({ position: positions[n], kind: TYPE_HINT, paddingLeft: true, label, data });
      }
    }
    first = end;
  }
  return hints;
}

function isHintData(data: unknown): data is HintData {
  return Array.isArray(data) && data.length === 3 && data.every((n) => Number.isSafeInteger(n));
}

/**
 * The label parts and tooltip of a hint sent plain. A hint from another version of the
 * document, or one this server did not make, comes back as it was (its offset may be stale).
 */
export function resolveInlayHint(doc: LensDocument, hint: InlayHint, settings: Settings): InlayHint {
  const data: unknown = hint.data;
  if (!isHintData(data) || typeof hint.label !== "string") return hint;
  const [at, nth, version] = data;
  if (version !== doc.text.version) return hint;
  const analysis = within(doc.analyze(at), at, at);
  const site = documentHints(analysis, settings, (offset) => offset === at)[nth];
  if (!site) return hint;
  return {
    ...hint,
    position: doc.text.positionAt(at),
    label: labelParts(doc, settings, hintSources(analysis, at, at), at, hint.label),
    tooltip: { kind: MarkupKind.Markdown, value: site.explain() },
  };
}
