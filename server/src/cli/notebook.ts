/**
 * A Jupyter notebook file (nbformat 4) read as the editor reads an open notebook: its
 * Python code cells joined in order (`python/notebook.ts`), each remembered by its
 * number among all the notebook's cells so that problems are placed where Jupyter
 * shows them.
 */
import { joinCells } from "../python/notebook";

export interface NotebookText {
  readonly text: string;
  /** The code cells, each with its 1-based number among all cells and its first line in `text` (0-based). */
  readonly cells: readonly { readonly number: number; readonly firstLine: number }[];
}

interface NotebookJson {
  readonly cells?: unknown;
  readonly metadata?: { readonly language_info?: { readonly name?: unknown }; readonly kernelspec?: { readonly language?: unknown } };
}

/** A cell's source: nbformat stores it as one string or as a list of lines. */
function sourceOf(cell: { source?: unknown }): string | undefined {
  if (typeof cell.source === "string") return cell.source;
  if (Array.isArray(cell.source) && cell.source.every((l) => typeof l === "string")) return cell.source.join("");
  return undefined;
}

export function readNotebook(json: string): NotebookText | { error: string } {
  let notebook: NotebookJson;
  try {
    notebook = JSON.parse(json) as NotebookJson;
  } catch (e) {
    return { error: `not a notebook (${(e as Error).message})` };
  }
  if (typeof notebook !== "object" || notebook === null || !Array.isArray(notebook.cells)) return { error: "not a notebook (no list of cells)" };
  const language = notebook.metadata?.language_info?.name ?? notebook.metadata?.kernelspec?.language;
  // A notebook of another kernel (R, Julia) has no Python to read.
  if (typeof language === "string" && language.toLowerCase() !== "python") return { text: "", cells: [] };
  const code = (notebook.cells as { cell_type?: unknown; source?: unknown }[]).flatMap((cell, i) => {
    const source = cell && cell.cell_type === "code" ? sourceOf(cell) : undefined;
    return source === undefined ? [] : [{ uri: String(i + 1), text: source }];
  });
  const joined = joinCells(code);
  return { text: joined.text, cells: joined.cells.map((c) => ({ number: Number(c.uri), firstLine: c.firstLine })) };
}
