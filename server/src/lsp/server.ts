/**
 * The language server: wires LSP requests to the handlers. It reads documents
 * from the client, and of the workspace's files only the modules their imports name
 * (`workspace.ts`); it never runs or imports user code, opens no connection and
 * writes no files. Each handler is guarded so one failure answers that
 * request with an error and leaves the server running.
 */
import {
  CancellationToken,
  CodeActionParams,
  CodeLensParams,
  DidChangeConfigurationNotification,
  ErrorCodes,
  ExecuteCommandParams,
  HoverParams,
  InitializeResult,
  InlayHint,
  InlayHintParams,
  LSPErrorCodes,
  MessageType,
  ProposedFeatures,
  TextDocumentSyncKind,
  ResponseError,
  ShowMessageNotification,
  TextDocuments,
  createConnection,
  DidChangeWatchedFilesParams,
} from "vscode-languageserver/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import { DocumentAnalysis } from "../analysis";
import { LensDocument, MAX_DOCUMENT_LENGTH } from "./document";
import { inlayHints, plainHintDocument, resolveInlayHint } from "./inlayHints";
import { hover } from "./receptiveField";
import { hoverAsPlainText, prefersPlainText } from "./plainText";
import { SHOW_SUMMARY_COMMAND, codeLenses } from "./codeLens";
import { QUICK_FIX_KINDS, codeActions } from "./codeActions";
import { ModelSummaryParams, ModelSummaryRequest, summaryRequest } from "./summary";
import { toDiagnostic } from "./convert";
import { Settings, defaultSettings, readSettings, sameSettings } from "./settings";
import { Workspace } from "./workspace";
import { Route, Routes, actionsOut, codeActionParamsIn, hintsOut, hoverOut, lensesOut, summaryOut } from "./routing";
import { isCodeActionParams, isDocumentRequest, isExecuteCommandParams, isHoverParams, isInlayHint, isInlayHintParams, isPosition, isSummaryParams } from "./validate";

const DIAGNOSTICS_DELAY_MS = 150;
/** How long a slice of the diagnostics' analysis runs before messages that arrived are served. */
const DIAGNOSTICS_SLICE_MS = 8;
/** Slices wait until nothing has come from or gone to the client for this long... */
const QUIET_MS = 10;
/** ...but not longer than this: a client that never stops sending still gets its diagnostics. */
const MAX_SLICE_DELAY_MS = 500;

const connection = createConnection(ProposedFeatures.all);

/**
 * When the client last sent something or was last answered: a client answered sends its next
 * message at once, so quiet counts from both. Input is noted as bytes or messages arrive, on the
 * transports VS Code (IPC) and most other editors (stdio) use: reading a message takes the
 * connection a few turns of the event loop, and a diagnostics slice starting meanwhile would
 * hold the edit or request back.
 */
let lastActivity = -Infinity;
const noteActivity = () => {
  lastActivity = performance.now();
};
if (process.argv.includes("--stdio")) process.stdin.on("data", noteActivity);
if (process.send) process.on("message", noteActivity);

const documents = new TextDocuments<LensDocument>({
  create: (uri, languageId, version, content) => {
    const doc = new LensDocument(TextDocument.create(uri, languageId, version, content), workspace.contextFor(uri));
    doc.setKerasVersion(settings.kerasVersion);
    doc.setCaller(() => callerOf(doc));
    return doc;
  },
  update: (doc, changes, version) => {
    doc.update(changes, version);
    return doc;
  },
});
/** The workspace's folders and files, which documents' imports are looked for in. */
const workspace = new Workspace();
/** Which document answers for a URI: a file itself, or a notebook cell's joined notebook. */
const routes = new Routes(documents, (uri) => workspace.contextFor(uri));
/** Documents analysed again because a module they import changed: hints and lenses are asked for again once they are. */
const importersToRefresh = new Set<string>();
/** When each open document was last opened or edited, for the file a module's lines show the calls of. */
const lastTouched = new Map<string, number>();
let touches = 0;

/** The open file, most recently edited, whose last analysis read the module `doc` is: its calls are what `doc` shows. */
function callerOf(doc: LensDocument): LensDocument | undefined {
  const path = doc.path;
  if (!path) return undefined;
  let caller: LensDocument | undefined;
  for (const other of documents.all()) {
    if (other === doc || !other.readsModule(path)) continue;
    if (!caller || (lastTouched.get(other.uri) ?? 0) > (lastTouched.get(caller.uri) ?? 0)) caller = other;
  }
  return caller;
}

let settings: Settings = defaultSettings;
/** The `layerLens` section of `initializationOptions`: the settings while the client's configuration has none. */
let initialSettings: unknown = null;
let canPullConfiguration = false;
/** Whether the client lets the server register for `workspace/didChangeConfiguration` (eglot warns at a registration it did not offer). */
let canRegisterConfiguration = false;
/** Hovers in plain text, for a client that prefers it to Markdown. */
let plainHovers = false;
/** How to cancel the diagnostics under way for a URI. */
const pendingDiagnostics = new Map<string, () => void>();
/** Files whose last code lenses covered only part of them: lenses are asked for again once the analysis is complete. */
const partialLenses = new Set<string>();

let shutdownRequested = false;

function guarded<P, R>(name: string, fallback: R, handler: (params: P) => R): (params: P) => R {
  return (params: P) => {
    try {
      return handler(params);
    } catch (error) {
      connection.console.error(`${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return fallback;
    }
  };
}

/**
 * A guarded request handler that answers as the protocol requires when it
 * must not run: InvalidRequest after `shutdown`, InvalidParams for parameters
 * not of the request's shape (`wellFormed`), RequestCancelled when the
 * client cancelled the request while it waited in the queue (handlers run to
 * completion once started: each is bounded, and the server is single-threaded).
 */
function request<P, R>(
  name: string,
  fallback: R,
  wellFormed: (params: unknown) => boolean,
  handler: (params: P) => R,
): (params: P, token: CancellationToken) => R | ResponseError<void> {
  const run = guarded(name, fallback, handler);
  return (params, token) => {
    if (shutdownRequested) return new ResponseError(ErrorCodes.InvalidRequest, `${name} after shutdown`);
    if (!wellFormed(params)) return new ResponseError(ErrorCodes.InvalidParams, `${name}: malformed parameters`);
    if (token.isCancellationRequested) return new ResponseError(LSPErrorCodes.RequestCancelled, `${name} cancelled`);
    try {
      return run(params);
    } finally {
      noteActivity();
    }
  };
}

/** The URIs plain inlay hints name by number (see `inlayHint/resolve`). */
const hintDocuments: string[] = [];
const hintDocumentNumbers = new Map<string, number>();

function hintDocumentNumber(uri: string): number {
  let number = hintDocumentNumbers.get(uri);
  if (number === undefined) {
    number = hintDocuments.push(uri) - 1;
    hintDocumentNumbers.set(uri, number);
  }
  return number;
}

/** Documents whose lack of analysis the log has already explained (why, by URI). */
const reportedUnanalysed = new Map<string, string>();

/** The first time a document cannot be analysed for a reason known by now, the log says why, once. */
function explainUnanalysed(doc: LensDocument): void {
  const reason = doc.tooLarge ? `it is over ${MAX_DOCUMENT_LENGTH.toLocaleString("en")} characters` : doc.gaveUp;
  if (reason && reportedUnanalysed.get(doc.uri) !== reason) {
    reportedUnanalysed.set(doc.uri, reason);
    connection.console.info(`Layer Lens does not analyse ${doc.uri}: ${reason}.`);
  }
}

function analysed(doc: LensDocument): DocumentAnalysis {
  const analysis = doc.analyze();
  explainUnanalysed(doc);
  return analysis;
}

function publishDiagnostics(doc: LensDocument): void {
  const diagnostics = analysed(doc).diagnostics.map((d) => toDiagnostic(doc.text, d));
  void connection.sendDiagnostics({ uri: doc.uri, version: doc.text.version, diagnostics });
}

/**
 * Diagnostics wait for a pause in typing; hints do not. They need the whole file analysed,
 * which is done a slice at a time as soon as the client is quiet (or has not been for
 * MAX_SLICE_DELAY_MS): an edit or request waits at most for the slice already running, and
 * an edit cancels the rest. Only publishing waits for the debounce, so that a request for
 * hints far from the edit finds the analysis already done.
 */
function scheduleDiagnostics(doc: LensDocument): void {
  const uri = doc.uri;
  pendingDiagnostics.get(uri)?.();
  let cancelled = false;
  let timer: NodeJS.Timeout | undefined;
  let immediate: NodeJS.Immediate | undefined;
  const publishAt = performance.now() + DIAGNOSTICS_DELAY_MS;
  let lastSlice = performance.now();
  // Timers run before the event loop reads input, immediates after: a slice is an immediate
  // started by a timer, so what arrived during a long request is seen before it starts.
  const later = (ms: number) => {
    timer = setTimeout(() => {
      immediate = setImmediate(slice);
    }, ms);
  };
  const slice = guarded("diagnostics", undefined, () => {
    const current = documents.get(uri);
    if (cancelled || !current) return;
    const now = performance.now();
    const quietFor = now - lastActivity;
    if (quietFor < QUIET_MS && now - lastSlice < MAX_SLICE_DELAY_MS) return later(QUIET_MS - quietFor);
    current.analyze(Infinity, DIAGNOSTICS_SLICE_MS);
    lastSlice = performance.now();
    if (!current.analysedCompletely) return later(0);
    if (lastSlice < publishAt) return later(publishAt - lastSlice);
    pendingDiagnostics.delete(uri);
    publishDiagnostics(current);
    callersChanged(current);
    const importer = importersToRefresh.delete(uri);
    if (partialLenses.delete(uri) || importer) routes.refreshLenses();
    if (current.takeAnsweredFromHead() || importer) routes.refreshHints();
  });
  later(QUIET_MS);
  pendingDiagnostics.set(uri, () => {
    cancelled = true;
    clearTimeout(timer);
    if (immediate) clearImmediate(immediate);
  });
}

async function refreshSettings(): Promise<void> {
  if (!canPullConfiguration) return;
  let pulled: Settings;
  try {
    // A client without a `layerLens` section (Neovim given only init_options) answers null.
    pulled = readSettings((await connection.workspace.getConfiguration("layerLens")) ?? initialSettings);
  } catch {
    pulled = readSettings(initialSettings);
  }
  applySettings(pulled);
}

/**
 * New settings: the documents they make read as another Keras generation are analysed again, and the
 * client is asked for hints again if any setting changed (a client sends its settings as it starts
 * too: asked again then, it would put off the first hints it has asked for).
 */
function applySettings(next: Settings): void {
  const changed = !sameSettings(settings, next);
  settings = next;
  applyKerasVersion();
  if (changed) routes.refreshHints();
}

/** `layerLens.kerasVersion` to every open document: those it changes are analysed again, their diagnostics and lenses renewed. */
function applyKerasVersion(): void {
  let changed = false;
  for (const doc of documents.all()) {
    if (!doc.setKerasVersion(settings.kerasVersion)) continue;
    changed = true;
    scheduleDiagnostics(doc);
  }
  routes.setKerasVersion(settings.kerasVersion);
  if (changed) routes.refreshLenses();
}

connection.onInitialize((params): InitializeResult => {
  canPullConfiguration = !!params.capabilities.workspace?.configuration;
  canRegisterConfiguration = !!params.capabilities.workspace?.didChangeConfiguration?.dynamicRegistration;
  plainHovers = prefersPlainText(params.capabilities.textDocument?.hover?.contentFormat);
  workspace.initialize(params);
  const options = (params.initializationOptions ?? null) as { layerLens?: unknown; commandsRunByClient?: unknown } | null;
  initialSettings = options?.layerLens ?? null;
  settings = readSettings(initialSettings);
  // The VS Code extension shows the summary in a view of its own: a command the server announced would clash with it.
  const runByClient = Array.isArray(options?.commandsRunByClient) ? options.commandsRunByClient : [];
  const commands = [SHOW_SUMMARY_COMMAND].filter((command) => !runByClient.includes(command));
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      inlayHintProvider: { resolveProvider: true },
      hoverProvider: true,
      codeLensProvider: { resolveProvider: false },
      codeActionProvider: { codeActionKinds: QUICK_FIX_KINDS },
      ...(commands.length ? { executeCommandProvider: { commands } } : {}),
      notebookDocumentSync: routes.initialize(params.capabilities),
    },
    serverInfo: { name: "layer-lens" },
  };
});

connection.onInitialized(() => {
  if (canRegisterConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, { section: "layerLens" });
  workspace.watch(connection);
  void refreshSettings();
});

/** The open document (or notebook cell) a request names, analysed (the log says once why it is not); undefined if never opened. */
function requested(uri: string): Route | undefined {
  const route = routes.resolve(uri);
  // Each feature asks for as much analysis as it needs; a reason not to analyse found then is logged at the next request.
  if (route) explainUnanalysed(route.doc);
  return route;
}

connection.onCodeLens(
  request("codeLens", [], isDocumentRequest, (params: CodeLensParams) => {
    const route = requested(params.textDocument.uri);
    if (!route) return [];
    const lenses = lensesOut(route, codeLenses(route.doc));
    // (A notebook's lenses are asked for again after each pause anyway.)
    if (route.isDoc && !route.doc.analysedCompletely) partialLenses.add(route.doc.uri);
    return lenses;
  }),
);

connection.onCodeAction(
  request("codeAction", [], isCodeActionParams, (params: CodeActionParams) => {
    const route = requested(params.textDocument.uri);
    const routed = route && codeActionParamsIn(route, params);
    return route && routed ? actionsOut(route, codeActions(route.doc, routed), params, routed) : [];
  }),
);

connection.onRequest(
  ModelSummaryRequest,
  request("modelSummary", null, isSummaryParams, modelSummary),
);

function modelSummary(params: ModelSummaryParams) {
  const route = requested(params.textDocument.uri);
  const position = route && params.position && route.toDoc(params.position);
  return route ? summaryOut(route, summaryRequest(route.doc, { ...params, ...(position ? { position } : {}) })) : null;
}

/**
 * `layerLens.showSummary [uri, position]` for editors without the extension's summary view: the
 * summary of the model at the position as text, as the answer and in a message the editor shows.
 */
connection.onExecuteCommand(
  request("executeCommand", null, isExecuteCommandParams, (params: ExecuteCommandParams) => {
    const [uri, position] = params.arguments ?? [];
    if (params.command !== SHOW_SUMMARY_COMMAND) return new ResponseError(ErrorCodes.InvalidParams, `unknown command ${params.command}`);
    if (typeof uri !== "string" || !isPosition(position)) return new ResponseError(ErrorCodes.InvalidParams, `${params.command} takes a document URI and a position`);
    const text = modelSummary({ textDocument: { uri }, position })?.text ?? "No Keras model here.";
    // A notification: `showInformationMessage` is a request, which not every client answers.
    void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Info, message: text });
    return text;
  }),
);

connection.onDidChangeConfiguration(async (change) => {
  if (canPullConfiguration) await refreshSettings();
  else applySettings(readSettings((change.settings as { layerLens?: unknown } | null)?.layerLens ?? initialSettings));
});

connection.languages.inlayHint.on(
  request("inlayHint", [], isInlayHintParams, (params: InlayHintParams) => {
    const route = requested(params.textDocument.uri);
    if (!route) return [];
    // A plain hint (of a large request) names its document, by number, for the resolve that completes it.
    const document = hintDocumentNumber(params.textDocument.uri);
    return hintsOut(route, inlayHints(route.doc, route.toDocRange(params.range), settings, document));
  }),
);

connection.languages.inlayHint.resolve((hint, token) =>
  request("inlayHint/resolve", hint, isInlayHint, (unresolved: InlayHint) => {
    const document = plainHintDocument(unresolved);
    const uri = document === undefined ? undefined : hintDocuments[document];
    const route = uri === undefined ? undefined : requested(uri);
    if (!route) return unresolved;
    const completed = resolveInlayHint(route.doc, unresolved, route.toDoc(unresolved.position), settings);
    if (completed.tooltip === undefined) return unresolved;
    // Completed in the document's coordinates (a notebook's joined cells), moved back like any hint.
    const [resolved] = hintsOut(route, [completed]);
    return resolved ?? unresolved;
  })(hint, token),
);

connection.onHover(
  request("hover", null, isHoverParams, (params: HoverParams) => {
    const route = requested(params.textDocument.uri);
    const found = route ? hoverOut(route, hover(route.doc, route.toDoc(params.position))) : null;
    return plainHovers ? hoverAsPlainText(found) : found;
  }),
);

connection.onShutdown(() => {
  shutdownRequested = true;
  for (const cancel of pendingDiagnostics.values()) cancel();
  pendingDiagnostics.clear();
});

/** A module changed (edited, opened, closed, or on disk): the documents and notebooks that import it are analysed again. */
function importedChanged(except?: LensDocument): void {
  for (const doc of workspace.importersChanged(documents, except)) {
    importersToRefresh.add(doc.uri);
    scheduleDiagnostics(doc);
  }
  routes.importsChanged();
  callersChanged(except);
}

/** A file was edited or analysed: the modules whose lines show its calls (or should now) are analysed again. */
function callersChanged(except?: LensDocument): void {
  for (const doc of documents.all()) {
    if (doc === except || !doc.callerChanged()) continue;
    importersToRefresh.add(doc.uri);
    scheduleDiagnostics(doc);
  }
}

documents.onDidOpen((e) => {
  lastTouched.set(e.document.uri, ++touches);
  workspace.documentChanged(e.document, true);
  scheduleDiagnostics(e.document);
  importedChanged(e.document);
});
documents.onDidChangeContent((e) => {
  lastTouched.set(e.document.uri, ++touches);
  scheduleDiagnostics(e.document);
  importedChanged(e.document);
});
connection.onDidChangeWatchedFiles(
  guarded("didChangeWatchedFiles", undefined, (params: DidChangeWatchedFilesParams) => {
    if (!Array.isArray(params?.changes)) return;
    workspace.filesChanged(params.changes.filter((c: { uri?: unknown }) => typeof c?.uri === "string"));
    importedChanged();
  }),
);
documents.onDidClose((e) => {
  lastTouched.delete(e.document.uri);
  workspace.documentChanged(e.document, false);
  importedChanged(e.document);
  reportedUnanalysed.delete(e.document.uri);
  partialLenses.delete(e.document.uri);
  pendingDiagnostics.get(e.document.uri)?.();
  pendingDiagnostics.delete(e.document.uri);
  void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
});

documents.listen(connection);
routes.listen(connection, (what, error) => connection.console.error(`${what} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`));
connection.listen();
