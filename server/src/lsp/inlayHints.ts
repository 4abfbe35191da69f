/**
 * Inlay hints: after each layer call its output shape and parameter count, and
 * the model's totals at the model. Labels on one line share VS Code's default
 * 43-character budget; the tooltip always carries the full text.
 *
 * A label is made of parts, each with a tooltip saying what it is; the shape part
 * links to the layer that produced the layer's input, so a click goes there.
 */
import { InlayHint, InlayHintKind, MarkupKind, Range } from "vscode-languageserver";
import { documentHints, fitLine } from "../engine/report";
import { LensDocument } from "./document";
import { Settings } from "./settings";
import { hintSources, labelParts } from "./labelParts";

export function inlayHints(doc: LensDocument, range: Range, settings: Settings): InlayHint[] {
  const text = doc.text;
  const from = text.offsetAt(range.start);
  const to = text.offsetAt(range.end);
  const analysis = doc.analyze();
  const pending = documentHints(analysis, settings, (offset) => offset >= from && offset <= to);
  const sources = hintSources(analysis, from, to);
  const byLine = new Map<number, typeof pending>();
  for (const hint of pending) {
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
      hints.push({
        position: text.positionAt(hint.offset),
        label: labelParts(doc, settings, sources, hint.offset, labels[i]),
        kind: InlayHintKind.Type,
        paddingLeft: true,
        tooltip: { kind: MarkupKind.Markdown, value: hint.tooltip },
      });
    });
  }
  return hints.sort((a, b) => a.position.line - b.position.line || a.position.character - b.position.character);
}
