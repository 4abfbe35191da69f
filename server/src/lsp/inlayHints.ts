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
import { HintSite, documentHints, fitLine } from "../engine/report";
import { LensDocument } from "./document";
import { Settings } from "./settings";
import { hintSources, labelParts } from "./labelParts";

/** Up to this many hints a response carries everything; beyond, explanations wait for `inlayHint/resolve`. */
export const EAGER_HINTS = 300;

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
  const eager = pending.length <= EAGER_HINTS;
  const sources = eager ? hintSources(analysis, from, to) : undefined;
  const byLine = new Map<number, HintSite[]>();
  // A plain hint's resolve finds it again as the nth of the hints at its offset.
  const nth = new Map<HintSite, number>();
  const atOffset = new Map<number, number>();
  for (const hint of pending) {
    if (!sources) {
      nth.set(hint, atOffset.get(hint.offset) ?? 0);
      atOffset.set(hint.offset, (atOffset.get(hint.offset) ?? 0) + 1);
    }
    const line = text.positionAt(hint.offset).line;
    const onLine = byLine.get(line);
    if (onLine) onLine.push(hint);
    else byLine.set(line, [hint]);
  }
  const hints: InlayHint[] = [];
  for (const lineHints of byLine.values()) {
    lineHints.sort((a, b) => a.offset - b.offset);
    const labels = fitLine(lineHints.map((h) => h.candidates));
    lineHints.forEach((hint, i) => {
      const common = { position: text.positionAt(hint.offset), kind: InlayHintKind.Type as InlayHintKind, paddingLeft: true };
      if (!sources) {
        const data: HintData = [hint.offset, nth.get(hint)!, text.version];
        hints.push({ ...common, label: labels[i], data });
        return;
      }
      hints.push({
        ...common,
        label: labelParts(doc, settings, sources, hint.offset, labels[i]),
        tooltip: { kind: MarkupKind.Markdown, value: hint.explain() },
      });
    });
  }
  return hints.sort((a, b) => a.position.line - b.position.line || a.position.character - b.position.character);
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
