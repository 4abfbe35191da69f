/**
 * Hovers: on a layer call, how its shape and parameter count come about (each run
 * of it, for a call in a loop or a helper); on a helper call, the layers it ran;
 * on the model's callee, the model's summary table.
 */
import { Hover, MarkupKind, Position } from "vscode-languageserver";
import { within } from "../engine/analyze";
import { hoverAt } from "../engine/report";
import { LensDocument } from "./document";
import { toRange } from "./convert";

export function hover(doc: LensDocument, position: Position): Hover | null {
  const offset = doc.text.offsetAt(position);
  const found = hoverAt(within(doc.analyze(offset), offset, offset), offset);
  return found ? { contents: { kind: MarkupKind.Markdown, value: found.markdown }, range: toRange(doc.text, found.span) } : null;
}
