/**
 * Jupyter notebooks as the client syncs them with LSP's notebook protocol
 * (`notebookDocument/*`, kept by vscode-languageserver's NotebookDocuments): the
 * code cells, laid end to end by `python/notebook.ts`, and positions moved between
 * a cell and that joined document by adding or subtracting the cell's `firstLine`
 * — the characters of a line never change.
 */
import { NotebookCellKind, NotebookDocument, Position, Range } from "vscode-languageserver";
import { TextDocument } from "vscode-languageserver-textdocument";
import { CellPlacement } from "../python/notebook";

/** The Python code cells of a notebook, in order, with their current text. */
export function codeCells(notebook: NotebookDocument, cellText: (uri: string) => TextDocument | undefined): { uri: string; text: string }[] {
  const cells: { uri: string; text: string }[] = [];
  for (const cell of notebook.cells) {
    if (cell.kind !== NotebookCellKind.Code) continue;
    const doc = cellText(cell.document);
    if (doc && doc.languageId === "python") cells.push({ uri: cell.document, text: doc.getText() });
  }
  return cells;
}

/** A cell position in the joined text; one past the cell's end stays at its end. */
export function toJoined(cell: CellPlacement, position: Position): Position {
  if (position.line >= cell.lineCount) return { line: cell.firstLine + cell.lineCount - 1, character: cell.lastLineLength };
  return { line: Math.max(0, position.line) + cell.firstLine, character: position.character };
}

/** The cell's own position for a joined-document position, or undefined when it lies in another cell. */
export function toCell(cell: CellPlacement, position: Position): Position | undefined {
  const line = position.line - cell.firstLine;
  return line >= 0 && line < cell.lineCount ? { line, character: position.character } : undefined;
}

export function rangeToJoined(cell: CellPlacement, range: Range): Range {
  return { start: toJoined(cell, range.start), end: toJoined(cell, range.end) };
}

/** A joined-document range that starts in the cell, cut at the cell's end. */
export function rangeToCell(cell: CellPlacement, range: Range): Range | undefined {
  const start = toCell(cell, range.start);
  if (!start) return undefined;
  const end = toCell(cell, range.end) ?? { line: cell.lineCount - 1, character: cell.lastLineLength };
  return { start, end };
}

/** The cell holding a line of the joined text. */
export function cellAt(cells: readonly CellPlacement[], line: number): CellPlacement | undefined {
  return cells.find((c) => line >= c.firstLine && line < c.firstLine + c.lineCount);
}
