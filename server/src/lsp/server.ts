/**
 * The language server: wires LSP requests to the handlers. It reads documents
 * only from the client, never runs or imports user code, opens no connection
 * and writes no files. Each handler is guarded so one failure answers that
 * request with an error and leaves the server running.
 */
import {
  DidChangeConfigurationNotification,
  InitializeResult,
  ProposedFeatures,
  TextDocumentSyncKind,
  TextDocuments,
  createConnection,
} from "vscode-languageserver/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import { LensDocument, MAX_DOCUMENT_LENGTH } from "./document";
import { inlayHints } from "./inlayHints";
import { hover } from "./receptiveField";
import { codeLenses } from "./codeLens";
import { QUICK_FIX_KINDS, codeActions } from "./codeActions";
import { ModelSummaryRequest, summaryRequest } from "./summary";
import { toDiagnostic } from "./convert";
import { Settings, defaultSettings, readSettings } from "./settings";
import { Routes, actionsOut, codeActionParamsIn, hintsOut, hoverOut, lensesOut, summaryOut } from "./routing";

const DIAGNOSTICS_DELAY_MS = 150;

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments<LensDocument>({
  create: (uri, languageId, version, content) => new LensDocument(TextDocument.create(uri, languageId, version, content)),
  update: (doc, changes, version) => {
    doc.update(changes, version);
    return doc;
  },
});
/** Which document answers for a URI: a file itself, or a notebook cell's joined notebook. */
const routes = new Routes(documents);

let settings: Settings = defaultSettings;
let canPullConfiguration = false;
const pendingDiagnostics = new Map<string, NodeJS.Timeout>();

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

function publishDiagnostics(doc: LensDocument): void {
  const diagnostics = doc.analyze().models.flatMap((m) => m.diagnostics.map((d) => toDiagnostic(doc.text, d)));
  void connection.sendDiagnostics({ uri: doc.uri, version: doc.text.version, diagnostics });
}

const reportedTooLarge = new Set<string>();

/** Diagnostics wait for a pause in typing; hints do not. */
function scheduleDiagnostics(doc: LensDocument): void {
  if (doc.tooLarge && !reportedTooLarge.has(doc.uri)) {
    reportedTooLarge.add(doc.uri);
    connection.console.info(`${doc.uri} is over ${MAX_DOCUMENT_LENGTH.toLocaleString("en")} characters; Layer Lens does not analyse it.`);
  }
  clearTimeout(pendingDiagnostics.get(doc.uri));
  pendingDiagnostics.set(
    doc.uri,
    setTimeout(
      guarded("diagnostics", undefined, () => {
        pendingDiagnostics.delete(doc.uri);
        const current = documents.get(doc.uri);
        if (current) publishDiagnostics(current);
      }),
      DIAGNOSTICS_DELAY_MS,
    ),
  );
}

async function refreshSettings(): Promise<void> {
  if (!canPullConfiguration) return;
  try {
    settings = readSettings(await connection.workspace.getConfiguration("layerLens"));
  } catch {
    settings = defaultSettings;
  }
}

connection.onInitialize((params): InitializeResult => {
  canPullConfiguration = !!params.capabilities.workspace?.configuration;
  settings = readSettings(params.initializationOptions?.layerLens ?? null);
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      inlayHintProvider: { resolveProvider: false },
      hoverProvider: true,
      codeLensProvider: { resolveProvider: false },
      codeActionProvider: { codeActionKinds: QUICK_FIX_KINDS },
      notebookDocumentSync: routes.initialize(params.capabilities),
    },
    serverInfo: { name: "layer-lens" },
  };
});

connection.onInitialized(() => {
  if (canPullConfiguration) {
    void connection.client.register(DidChangeConfigurationNotification.type, { section: "layerLens" });
    void refreshSettings();
  }
});

connection.onCodeLens(
  guarded("codeLens", [], (params) => {
    const route = routes.resolve(params.textDocument.uri);
    return route ? lensesOut(route, codeLenses(route.doc)) : [];
  }),
);

connection.onCodeAction(
  guarded("codeAction", [], (params) => {
    const route = routes.resolve(params.textDocument.uri);
    const routed = route && codeActionParamsIn(route, params);
    return route && routed ? actionsOut(route, codeActions(route.doc, routed), params, routed) : [];
  }),
);

connection.onRequest(
  ModelSummaryRequest,
  guarded("modelSummary", null, (params) => {
    const route = routes.resolve(params.textDocument.uri);
    const position = route && params.position && route.toDoc(params.position);
    return route ? summaryOut(route, summaryRequest(route.doc, { ...params, ...(position ? { position } : {}) })) : null;
  }),
);

connection.onDidChangeConfiguration(async (change) => {
  if (canPullConfiguration) await refreshSettings();
  else settings = readSettings((change.settings as { layerLens?: unknown } | null)?.layerLens ?? null);
  void connection.languages.inlayHint.refresh().catch(() => undefined);
});

connection.languages.inlayHint.on(
  guarded("inlayHint", [], (params) => {
    const route = routes.resolve(params.textDocument.uri);
    return route ? hintsOut(route, inlayHints(route.doc, route.toDocRange(params.range), settings)) : [];
  }),
);

connection.onHover(
  guarded("hover", null, (params) => {
    const route = routes.resolve(params.textDocument.uri);
    return route ? hoverOut(route, hover(route.doc, route.toDoc(params.position))) : null;
  }),
);

documents.onDidOpen((e) => scheduleDiagnostics(e.document));
documents.onDidChangeContent((e) => scheduleDiagnostics(e.document));
documents.onDidClose((e) => {
  reportedTooLarge.delete(e.document.uri);
  clearTimeout(pendingDiagnostics.get(e.document.uri));
  pendingDiagnostics.delete(e.document.uri);
  void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
});

documents.listen(connection);
routes.listen(connection, (what, error) => connection.console.error(`${what} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`));
connection.listen();
