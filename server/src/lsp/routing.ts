/**
 * Which analysed document answers a request about a URI, and how positions
 * move between the two. A Python file answers for itself. A notebook cell is
 * answered by its notebook's joined document (see notebooks.ts): positions and
 * ranges move into it, and results move out — only those inside the cell are
 * kept, and a location in another cell carries that cell's URI and position.
 * The feature handlers stay unaware of notebooks.
 *
 * Notebooks are synced with LSP's notebook protocol through
 * vscode-languageserver's NotebookDocuments. Each keeps one joined document,
 * laid out again on every change; only the span between the first and the last
 * changed character is re-parsed. Diagnostics go to each code cell separately.
 */
import { ProjectContext } from "../python/project";
import {
  ClientCapabilities,
  CodeAction,
  CodeActionParams,
  CodeLens,
  CodeLensRefreshRequest,
  Connection,
  Diagnostic,
  DidChangeNotebookDocumentParams,
  Hover,
  InlayHint,
  Location,
  NotebookDocument,
  NotebookDocumentSyncOptions,
  NotebookDocuments,
  Position,
  Range,
  TextDocuments,
  TextEdit,
} from "vscode-languageserver";
import { TextDocument } from "vscode-languageserver-textdocument";
import { LensDocument } from "./document";
import { KerasVersion } from "../python/libraries/generation";
import { cellAt, codeCells, rangeToCell, rangeToJoined, toJoined } from "./notebooks";
import { CellPlacement, JoinedNotebook, joinCells } from "../python/notebook";
import { SHOW_SUMMARY_COMMAND } from "./codeLens";
import { ModelSummaryResult } from "./summary";
import { toDiagnostic } from "./convert";

/** As for files: diagnostics wait for a pause in typing. */
const DIAGNOSTICS_DELAY_MS = 150;

/** The code cells of Jupyter notebooks, the ones the client's document selector asks for. */
const NOTEBOOK_SYNC: NotebookDocumentSyncOptions = {
  notebookSelector: [{ notebook: "jupyter-notebook", cells: [{ language: "python" }] }],
};

/** A notebook's code cells as one Python document. */
export class JoinedDocument extends LensDocument {
  cells: readonly CellPlacement[];

  constructor(uri: string, joined: JoinedNotebook, project?: ProjectContext) {
    super(TextDocument.create(uri, "python", 1, joined.text), project);
    this.cells = joined.cells;
  }

  /** Lays the cells out anew, handing the parser only the span that changed. */
  rejoin(joined: JoinedNotebook): void {
    this.cells = joined.cells;
    const before = this.text.getText();
    const after = joined.text;
    const shorter = Math.min(before.length, after.length);
    let head = 0;
    while (head < shorter && before[head] === after[head]) head++;
    let tail = 0;
    while (tail < shorter - head && before[before.length - 1 - tail] === after[after.length - 1 - tail]) tail++;
    if (head === before.length && before.length === after.length) return;
    const range = { start: this.text.positionAt(head), end: this.text.positionAt(before.length - tail) };
    this.update([{ range, text: after.slice(head, after.length - tail) }], this.text.version + 1);
  }

  /** Where a range of the joined text lies in the notebook's cells. */
  location(range: Range): Location | undefined {
    const cell = cellAt(this.cells, range.start.line);
    const inCell = cell && rangeToCell(cell, range);
    return cell && inCell && { uri: cell.uri, range: inCell };
  }

  override describeLine(offset: number): string {
    const line = this.text.positionAt(offset).line;
    const cell = cellAt(this.cells, line);
    return cell ? `line ${line - cell.firstLine + 1} of code cell ${this.cells.indexOf(cell) + 1}` : super.describeLine(offset);
  }

  diagnostics(): Map<string, Diagnostic[]> {
    const byCell = new Map(this.cells.map((c): [string, Diagnostic[]] => [c.uri, []]));
    for (const engine of this.analyze().diagnostics) {
      const d = toDiagnostic(this.text, engine);
      const at = this.location(d.range);
      if (!at) continue;
      const relatedInformation = d.relatedInformation?.flatMap((r) => {
        const location = this.location(r.location.range);
        return location ? [{ ...r, location }] : [];
      });
      byCell.get(at.uri)!.push({ ...d, range: at.range, relatedInformation });
    }
    return byCell;
  }
}

/** How one request's document maps onto the analysed document `doc`. */
export interface Route {
  readonly doc: LensDocument;
  /** The requested document is `doc` itself (a file, not a notebook cell): positions need no mapping. */
  readonly isDoc: boolean;
  /** A position of the requested document in `doc`. */
  toDoc(position: Position): Position;
  toDocRange(range: Range): Range;
  /** A range of `doc` in the requested document, or undefined when it lies outside it. */
  fromDoc(range: Range): Range | undefined;
  /** A range of `doc` as the client knows it: in which of its documents, where. */
  location(range: Range): Location | undefined;
}

function fileRoute(doc: LensDocument): Route {
  return {
    doc,
    isDoc: true,
    toDoc: (position) => position,
    toDocRange: (range) => range,
    fromDoc: (range) => range,
    location: (range) => ({ uri: doc.uri, range }),
  };
}

function cellRoute(doc: JoinedDocument, cell: CellPlacement): Route {
  return {
    doc,
    isDoc: false,
    toDoc: (position) => toJoined(cell, position),
    toDocRange: (range) => rangeToJoined(cell, range),
    fromDoc: (range) => rangeToCell(cell, range),
    location: (range) => doc.location(range),
  };
}

export class Routes {
  private readonly notebooks = new NotebookDocuments(TextDocument);
  /** Joined documents by notebook URI. */
  private readonly joined = new Map<string, JoinedDocument>();
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private connection?: Connection;
  private canRefreshHints = false;
  private canRefreshLenses = false;
  /** `layerLens.kerasVersion`, for the notebooks open and those opened later. */
  private kerasVersion: KerasVersion = "auto";

  /** `projectFor`: the project a notebook's imports are looked for in, by its URI. */
  constructor(
    private readonly files: TextDocuments<LensDocument>,
    private readonly projectFor: (uri: string) => ProjectContext | undefined = () => undefined,
  ) {}

  /** A module of the project changed: the notebooks that import it are analysed again, their diagnostics published. */
  importsChanged(): void {
    for (const [uri, doc] of this.joined) if (doc.importsChanged()) this.schedule(uri);
  }

  /** Reads every notebook as another Keras generation: those it changes are analysed again and their diagnostics published. */
  setKerasVersion(version: KerasVersion): void {
    this.kerasVersion = version;
    for (const [uri, doc] of this.joined) if (doc.setKerasVersion(version)) this.schedule(uri);
  }

  /** The notebook sync the server asks for; notes which refreshes the client accepts. */
  initialize(capabilities: ClientCapabilities): NotebookDocumentSyncOptions {
    this.canRefreshHints = !!capabilities.workspace?.inlayHint?.refreshSupport;
    this.canRefreshLenses = !!capabilities.workspace?.codeLens?.refreshSupport;
    return NOTEBOOK_SYNC;
  }

  resolve(uri: string): Route | undefined {
    const file = this.files.get(uri);
    if (file) return fileRoute(file);
    const notebook = this.notebooks.findNotebookDocumentForCell(uri);
    const doc = notebook && this.joined.get(notebook.uri);
    const cell = doc?.cells.find((c) => c.uri === uri);
    return doc && cell ? cellRoute(doc, cell) : undefined;
  }

  listen(connection: Connection, onError: (what: string, error: unknown) => void): void {
    this.connection = connection;
    const guard =
      <T>(what: string, handler: (value: T) => void) =>
      (value: T) => {
        try {
          handler(value);
        } catch (error) {
          onError(what, error);
        }
      };
    this.notebooks.onDidOpen(guard("notebook open", (notebook) => this.rejoin(notebook)));
    this.notebooks.onDidClose(guard("notebook close", (notebook) => this.close(notebook)));
    // NotebookDocuments fires no change event when cells are only moved, so every
    // change notification is followed here, once NotebookDocuments has applied it.
    const sync = connection.notebooks.synchronization;
    const changed = guard("notebook change", (params: DidChangeNotebookDocumentParams) => {
      for (const cell of params.change.cells?.structure?.didClose ?? []) this.clearDiagnostics(cell.uri);
      const notebook = this.notebooks.getNotebookDocument(params.notebookDocument.uri);
      if (notebook) this.rejoin(notebook);
    });
    const followed: Pick<typeof sync, "onDidOpenNotebookDocument" | "onDidChangeNotebookDocument" | "onDidSaveNotebookDocument" | "onDidCloseNotebookDocument"> = {
      onDidOpenNotebookDocument: (handler) => sync.onDidOpenNotebookDocument(handler),
      onDidChangeNotebookDocument: (handler) =>
        sync.onDidChangeNotebookDocument(async (params) => {
          await handler(params);
          changed(params);
        }),
      onDidSaveNotebookDocument: (handler) => sync.onDidSaveNotebookDocument(handler),
      onDidCloseNotebookDocument: (handler) => sync.onDidCloseNotebookDocument(handler),
    };
    this.notebooks.listen({ notebooks: { synchronization: followed } } as unknown as Connection);
  }

  private rejoin(notebook: NotebookDocument): void {
    const joined = joinCells(codeCells(notebook, (uri) => this.notebooks.cellTextDocuments.get(uri)));
    const doc = this.joined.get(notebook.uri);
    if (doc) doc.rejoin(joined);
    else {
      const created = new JoinedDocument(notebook.uri, joined, this.projectFor(notebook.uri));
      created.setKerasVersion(this.kerasVersion);
      this.joined.set(notebook.uri, created);
    }
    this.schedule(notebook.uri);
  }

  /** After a pause: every cell's diagnostics, and other cells' hints and lenses asked for again, since they may depend on the edit. */
  private schedule(notebookUri: string): void {
    clearTimeout(this.pending.get(notebookUri));
    const timer = setTimeout(() => {
      this.pending.delete(notebookUri);
      const doc = this.joined.get(notebookUri);
      if (!doc || !this.connection) return;
      for (const [uri, diagnostics] of doc.diagnostics()) {
        void this.connection.sendDiagnostics({ uri, version: this.notebooks.cellTextDocuments.get(uri)?.version, diagnostics });
      }
      this.refreshHints();
      this.refreshLenses();
    }, DIAGNOSTICS_DELAY_MS);
    this.pending.set(notebookUri, timer);
  }

  /** Asks the client for inlay hints again, if it can be asked. */
  refreshHints(): void {
    if (this.canRefreshHints) void this.connection?.languages.inlayHint.refresh().catch(() => undefined);
  }

  /** Asks the client for code lenses again, if it can be asked. */
  refreshLenses(): void {
    if (this.canRefreshLenses) void this.connection?.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
  }

  private clearDiagnostics(uri: string): void {
    void this.connection?.sendDiagnostics({ uri, diagnostics: [] });
  }

  private close(notebook: NotebookDocument): void {
    clearTimeout(this.pending.get(notebook.uri));
    this.pending.delete(notebook.uri);
    for (const cell of this.joined.get(notebook.uri)?.cells ?? []) this.clearDiagnostics(cell.uri);
    this.joined.delete(notebook.uri);
  }
}

/** Hints inside the requested document; a label part's link follows its target into whichever cell holds it. */
export function hintsOut(route: Route, hints: InlayHint[]): InlayHint[] {
  if (route.isDoc) return hints;
  return hints.flatMap((hint) => {
    const at = route.fromDoc({ start: hint.position, end: hint.position });
    if (!at) return [];
    const label =
      typeof hint.label === "string"
        ? hint.label
        : hint.label.map(({ location, ...part }) => {
            const moved = location && route.location(location.range);
            return moved ? { ...part, location: moved } : part;
          });
    return [{ ...hint, position: at.start, label }];
  });
}

export function hoverOut(route: Route, hover: Hover | null): Hover | null {
  if (!hover?.range) return hover;
  const range = route.fromDoc(hover.range);
  return range ? { ...hover, range } : { contents: hover.contents };
}

/** Lenses inside the requested document; "Show summary" names the model by where it lies for the client. */
export function lensesOut(route: Route, lenses: CodeLens[]): CodeLens[] {
  return lenses.flatMap((lens) => {
    const range = route.fromDoc(lens.range);
    if (!range) return [];
    if (lens.command?.command !== SHOW_SUMMARY_COMMAND) return [{ ...lens, range }];
    const model = route.location(lens.range);
    return model ? [{ ...lens, range, command: { ...lens.command, arguments: [model.uri, model.range.start] } }] : [];
  });
}

/** The request with its range and the client's diagnostics moved into the analysed document. */
export function codeActionParamsIn(route: Route, params: CodeActionParams): CodeActionParams {
  const diagnostics = params.context.diagnostics.map((d) => ({ ...d, range: route.toDocRange(d.range) }));
  return { ...params, range: route.toDocRange(params.range), context: { ...params.context, diagnostics } };
}

/** Actions with the client's own diagnostics, and each edit in the document (cell) it changes; an action whose edit has no place is dropped. */
export function actionsOut(route: Route, actions: CodeAction[], params: CodeActionParams, routed: CodeActionParams): CodeAction[] {
  const original = (d: Diagnostic) => params.context.diagnostics[routed.context.diagnostics.indexOf(d)] ?? d;
  return actions.flatMap((action) => {
    const changes: Record<string, TextEdit[]> = {};
    for (const edit of Object.values(action.edit?.changes ?? {}).flat()) {
      const at = route.location(edit.range);
      if (!at) return [];
      (changes[at.uri] ??= []).push({ ...edit, range: at.range });
    }
    return [{ ...action, diagnostics: action.diagnostics?.map(original), ...(action.edit ? { edit: { ...action.edit, changes } } : {}) }];
  });
}

/** The summary as the client knows the document: the model's URI is where its constructor lies; a row elsewhere names its own. */
export function summaryOut(route: Route, summary: ModelSummaryResult | null): ModelSummaryResult | null {
  const model = summary && route.location(summary.range);
  if (!summary || !model) return null;
  const rows = summary.rows.flatMap((row) => {
    const at = route.location(row.range);
    return at ? [{ ...row, range: at.range, ...(at.uri !== model.uri ? { uri: at.uri } : {}) }] : [];
  });
  return { ...summary, uri: model.uri, range: model.range, rows };
}
