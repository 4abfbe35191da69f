/**
 * Hovers for a client that does not take Markdown (its `hover.contentFormat` prefers
 * plain text, as eglot without markdown-mode does): the same content laid out for a
 * terminal. Tables become columns padded with spaces (numbers right-aligned where the
 * Markdown said so), and inline markup (`**bold**`, `*emphasis*`, code spans,
 * backslash escapes, links) gives way to its text.
 */
import { Hover, MarkupContent, MarkupKind } from "vscode-languageserver";

/** Whether the client asked for plain text over Markdown (its first choice of the two; Markdown when it says nothing). */
export function prefersPlainText(contentFormat: readonly string[] | undefined): boolean {
  const first = contentFormat?.find((kind) => kind === MarkupKind.Markdown || kind === MarkupKind.PlainText);
  return first === MarkupKind.PlainText;
}

export function hoverAsPlainText(hover: Hover | null): Hover | null {
  if (!hover || !MarkupContent.is(hover.contents) || hover.contents.kind !== MarkupKind.Markdown) return hover;
  return { ...hover, contents: { kind: MarkupKind.PlainText, value: markdownToPlainText(hover.contents.value) } };
}

/** A cell or line of Markdown as the text it shows; code spans are shown as they are. */
function inlineText(markdown: string): string {
  return markdown
    .split(/(`[^`]*`)/)
    .map((part, i) => (i % 2 === 1 ? part.slice(1, -1).replace(/\\\|/g, "|") : proseText(part)))
    .join("")
    .replace(/ +$/, "");
}

function proseText(markdown: string): string {
  return markdown
    .replace(/\[[^\]]*\]\([^)]*\)/g, (link) => link.slice(1, link.indexOf("]")))
    .replace(/\*\*(\S(?:.*?\S)?)\*\*/g, "$1")
    .replace(/(^|[\s(])\*(\S(?:.*?\S)?)\*(?=$|[\s).,:;])/g, "$1$2")
    .replace(/\\([\\`*_{}[\]()#+\-.!|<>])/g, "$1");
}

/** The cells of a table row `| a | b \| c |`, split at the pipes Markdown does not escape. */
function cells(row: string): string[] {
  const inner = row.trim().replace(/^\|/, "").replace(/(?<!\\)\|$/, "");
  return inner.split(/(?<!\\)\|/).map((cell) => cell.trim());
}

const isSeparator = (row: string) => /^\|?(\s*:?-+:?\s*\|)+\s*:?-*:?\s*$/.test(row.trim());

/** A Markdown table as padded columns; the alignment row says which columns are right-aligned. */
function tableText(rows: readonly string[]): string[] {
  const separator = rows.findIndex(isSeparator);
  const right = separator < 0 ? [] : cells(rows[separator]).map((cell) => cell.endsWith(":") && !cell.startsWith(":"));
  const body = rows.filter((_, i) => i !== separator).map((row) => cells(row).map(inlineText));
  const columns = Math.max(...body.map((row) => row.length));
  const widths = Array.from({ length: columns }, (_, c) => Math.max(...body.map((row) => [...(row[c] ?? "")].length)));
  const pad = (text: string, c: number) => {
    const fill = " ".repeat(widths[c] - [...text].length);
    return right[c] ? fill + text : text + fill;
  };
  const lines = body.map((row) => widths.map((_, c) => pad(row[c] ?? "", c)).join("  ").replace(/ +$/, ""));
  if (separator === 1) lines.splice(1, 0, widths.map((w) => "-".repeat(w)).join("  "));
  return lines;
}

export function markdownToPlainText(markdown: string): string {
  const out: string[] = [];
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; ) {
    if (lines[i].trimStart().startsWith("|")) {
      const start = i;
      while (i < lines.length && lines[i].trimStart().startsWith("|")) i++;
      out.push(...tableText(lines.slice(start, i)));
      continue;
    }
    if (/^\s*(```|~~~)/.test(lines[i])) {
      // A fenced block is already plain: its lines are kept as they are, the fences dropped.
      const fence = lines[i].trim().slice(0, 3);
      for (i++; i < lines.length && !lines[i].trim().startsWith(fence); i++) out.push(lines[i]);
      i++;
      continue;
    }
    out.push(inlineText(lines[i].replace(/^#{1,6}\s+/, "")));
    i++;
  }
  return out.join("\n");
}
