/**
 * A Jupyter notebook as a test client holds it, synced with the `notebookDocument/*` notifications as
 * vscode-languageclient sends them; each cell is asked about by its own URI.
 */
import assert from "node:assert/strict";
import {
  DidChangeNotebookDocumentNotification,
  DidCloseNotebookDocumentNotification,
  DidOpenNotebookDocumentNotification,
  InlayHint,
  NotebookCellKind,
  TextDocumentItem,
} from "vscode-languageserver-protocol/node";
import { LspClient, positionAt, wholeDocument } from "./client";

export interface Cell {
  readonly uri: string;
  readonly kind: NotebookCellKind;
  text: string;
  version: number;
}


/** A notebook as the client holds it, sending what vscode-languageclient sends for each change. */
export class Notebook {
  private version = 1;
  private static count = 0;
  readonly cells: Cell[];

  /** `uri`: the notebook's file (a fresh one under /notebooks by default). */
  constructor(
    private readonly client: LspClient,
    cells: { id: string; text: string; markdown?: boolean }[],
    readonly uri = `file:///notebooks/${++Notebook.count}-model.ipynb`,
  ) {
    this.cells = cells.map((c) => this.cell(c.id, c.text, c.markdown));
  }

  cell(id: string, text: string, markdown = false): Cell {
    return { uri: `vscode-notebook-cell:${this.uri.slice("file:".length)}#${id}`, kind: markdown ? NotebookCellKind.Markup : NotebookCellKind.Code, text, version: 1 };
  }

  byId(id: string): Cell {
    const cell = this.cells.find((c) => c.uri.endsWith(`#${id}`));
    if (!cell) throw new Error(`no cell ${id}`);
    return cell;
  }

  private item = (c: Cell): TextDocumentItem => ({ uri: c.uri, languageId: c.kind === NotebookCellKind.Code ? "python" : "markdown", version: c.version, text: c.text });
  private protocolCells = (cells: Cell[]) => cells.map((c) => ({ kind: c.kind, document: c.uri }));

  async open(): Promise<void> {
    await this.client.connection.sendNotification(DidOpenNotebookDocumentNotification.type, {
      notebookDocument: { uri: this.uri, notebookType: "jupyter-notebook", version: this.version, cells: this.protocolCells(this.cells) },
      cellTextDocuments: this.cells.map(this.item),
    });
  }

  /** Replaces the first `find` in a cell's text. */
  async edit(id: string, find: string, replacement: string): Promise<void> {
    const cell = this.byId(id);
    const offset = cell.text.indexOf(find);
    assert.ok(offset >= 0, `'${find}' not in cell ${id}`);
    const range = { start: positionAt(cell.text, offset), end: positionAt(cell.text, offset + find.length) };
    cell.text = cell.text.slice(0, offset) + replacement + cell.text.slice(offset + find.length);
    cell.version++;
    await this.client.connection.sendNotification(DidChangeNotebookDocumentNotification.type, {
      notebookDocument: { uri: this.uri, version: ++this.version },
      change: { cells: { textContent: [{ document: { uri: cell.uri, version: cell.version }, changes: [{ range, text: replacement }] }] } },
    });
  }

  /** Replaces `deleteCount` cells at `start` with `cells`; cells not in the notebook before are opened, cells no longer in it closed. */
  async splice(start: number, deleteCount: number, cells: Cell[] = []): Promise<void> {
    const removed = this.cells.splice(start, deleteCount, ...cells);
    const didOpen = cells.filter((c) => !removed.includes(c)).map(this.item);
    const didClose = removed.filter((c) => !cells.includes(c)).map((c) => ({ uri: c.uri }));
    await this.client.connection.sendNotification(DidChangeNotebookDocumentNotification.type, {
      notebookDocument: { uri: this.uri, version: ++this.version },
      change: { cells: { structure: { array: { start, deleteCount, cells: this.protocolCells(cells) }, didOpen, didClose } } },
    });
  }

  async close(): Promise<void> {
    await this.client.connection.sendNotification(DidCloseNotebookDocumentNotification.type, {
      notebookDocument: { uri: this.uri },
      cellTextDocuments: this.cells.map((c) => ({ uri: c.uri })),
    });
  }

  hints(id: string): Promise<InlayHint[]> {
    const cell = this.byId(id);
    return this.client.inlayHints(cell.uri, wholeDocument(cell.text));
  }

  /** The position just after `needle` in a cell. */
  after(id: string, needle: string): { line: number; character: number } {
    const text = this.byId(id).text;
    const offset = text.indexOf(needle);
    assert.ok(offset >= 0, `'${needle}' not in cell ${id}`);
    return positionAt(text, offset + needle.length);
  }

  at(id: string, needle: string): { line: number; character: number } {
    const text = this.byId(id).text;
    return positionAt(text, text.indexOf(needle));
  }
}
