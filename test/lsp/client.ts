/**
 * A real LSP client for the language-server tests: spawns `dist/server.js --stdio`
 * and talks to it with vscode-languageserver-protocol over the child's stdio.
 *
 * The client declares inlay hints, hovers and publishDiagnostics, and no
 * `workspace.configuration`, so the server takes its settings from
 * `workspace/didChangeConfiguration` notifications. Every wait is bounded: a
 * hung server fails the test that waits on it instead of hanging the suite.
 */
import { ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  Diagnostic,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ClientCapabilities,
  ConfigurationRequest,
  ExitNotification,
  Hover,
  HoverRequest,
  InitializeRequest,
  InitializeResult,
  InitializedNotification,
  CodeLensRefreshRequest,
  InlayHint,
  InlayHintRefreshRequest,
  InlayHintRequest,
  InlayHintResolveRequest,
  LogMessageNotification,
  ProtocolConnection,
  PublishDiagnosticsNotification,
  PublishDiagnosticsParams,
  Range,
  RegistrationRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  TextDocumentContentChangeEvent,
  createProtocolConnection,
} from "vscode-languageserver-protocol/node";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
/** The bundled server; LAYER_LENS_SERVER may point the suite at another build. */
export const SERVER = process.env.LAYER_LENS_SERVER ?? join(ROOT, "dist", "server.js");
export const FIXTURES = join(ROOT, "test", "fixtures");

/** Default bound on any single wait for the server. */
export const TIMEOUT_MS = 5_000;

/** The hint settings as the extension sends them (`layerLens.hints.*`). */
export interface HintSettings {
  shapes?: boolean;
  parameters?: boolean;
  totals?: boolean;
  batchDimension?: boolean;
  macs?: boolean;
}

/** Rejects after `ms` with a message naming what was awaited. */
export function withTimeout<T>(promise: Promise<T>, what: string, ms = TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A range covering a whole document of the given text. */
export function wholeDocument(text: string): Range {
  const lines = text.split("\n");
  return { start: { line: 0, character: 0 }, end: { line: lines.length, character: 0 } };
}

/** The text of an inlay hint label (string or label parts). */
export function labelText(hint: InlayHint): string {
  return typeof hint.label === "string" ? hint.label : hint.label.map((p) => p.value).join("");
}

/** The text of an inlay hint tooltip (string or markup). */
export function tooltipText(hint: InlayHint): string {
  const t = hint.tooltip;
  return t === undefined ? "" : typeof t === "string" ? t : t.value;
}

/** A diagnostic's message as text (LSP 3.18 allows markup). */
export function messageText(d: Diagnostic): string {
  return typeof d.message === "string" ? d.message : d.message.value;
}

/** The markdown/plain text of a hover. */
export function hoverText(hover: Hover | null): string {
  if (!hover) return "";
  const c = hover.contents;
  if (typeof c === "string") return c;
  if (Array.isArray(c)) return c.map((m) => (typeof m === "string" ? m : m.value)).join("\n");
  return c.value;
}

interface DiagnosticsWaiter {
  readonly uri: string;
  readonly minVersion?: number;
  readonly resolve: (p: PublishDiagnosticsParams) => void;
}

/** What the client says of itself at `initialize`, for tests of other editors' clients; replaces the defaults below. */
export interface ClientIdentity {
  readonly capabilities?: ClientCapabilities;
  readonly initializationOptions?: unknown;
}

/** How the server process is started, for tests that confine it (Node flags, working directory, environment). */
export interface Launch {
  /** The server's script, when not the bundle the suite is pointed at (an installed package's bin). */
  readonly server?: string;
  /** The server's arguments: `--stdio` unless given. */
  readonly serverArgs?: readonly string[];
  readonly nodeArgs?: readonly string[];
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** The workspace folder the client names (the repository by default); null: none. */
  readonly workspace?: string | null;
  /** The server started under another program (`strace -f -o FILE`): its command and arguments before Node's. */
  readonly wrapper?: readonly string[];
}

export interface OpenedDocument {
  readonly uri: string;
  text: string;
  version: number;
}

export class LspClient {
  readonly child: ChildProcess;
  readonly connection: ProtocolConnection;
  /** Every publishDiagnostics received, in order. */
  readonly published: PublishDiagnosticsParams[] = [];
  /** Messages the server logged (window/logMessage), e.g. a handler's failure. */
  readonly logs: string[] = [];
  /** Number of `workspace/inlayHint/refresh` requests received. */
  refreshRequests = 0;
  /** Number of `workspace/codeLens/refresh` requests received. */
  lensRefreshRequests = 0;
  /** The methods of the requests for settings the server sent (`client/registerCapability`, `workspace/configuration`). */
  readonly requestsReceived: string[] = [];
  /** The methods the server registered for (`client/registerCapability`). */
  readonly registrations: string[] = [];
  /** The `layerLens` section answered to `workspace/configuration` (null: the client has none). */
  configuration: unknown = null;
  stderr = "";
  private exited = false;
  private readonly exitPromise: Promise<number | null>;
  private waiters: DiagnosticsWaiter[] = [];
  private readonly documents = new Map<string, OpenedDocument>();
  private counter = 0;

  private constructor(launch: Launch = {}) {
    const server = launch.server ?? SERVER;
    if (!existsSync(server)) throw new Error(`${server} is missing: run \`node scripts/build.mjs\` first`);
    const command = [process.execPath, ...(launch.nodeArgs ?? []), server, ...(launch.serverArgs ?? ["--stdio"])];
    const [program, ...args] = [...(launch.wrapper ?? []), ...command];
    this.child = spawn(program, args, { stdio: ["pipe", "pipe", "pipe"], cwd: launch.cwd, env: launch.env });
    this.exitPromise = new Promise((resolve) => {
      this.child.once("exit", (code) => {
        this.exited = true;
        resolve(code);
      });
    });
    this.child.stderr!.on("data", (chunk: Buffer) => {
      this.stderr += chunk.toString();
    });
    this.connection = createProtocolConnection(new StreamMessageReader(this.child.stdout!), new StreamMessageWriter(this.child.stdin!));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.published.push(params);
      const ready = this.waiters.filter((w) => w.uri === params.uri && (w.minVersion === undefined || (params.version ?? Infinity) >= w.minVersion));
      this.waiters = this.waiters.filter((w) => !ready.includes(w));
      for (const w of ready) w.resolve(params);
    });
    this.connection.onNotification(LogMessageNotification.type, (params) => {
      this.logs.push(params.message);
    });
    this.connection.onRequest(InlayHintRefreshRequest.type, () => {
      this.refreshRequests++;
    });
    this.connection.onRequest(CodeLensRefreshRequest.type, () => {
      this.lensRefreshRequests++;
    });
    this.connection.onRequest(ConfigurationRequest.type, (params) => {
      this.requestsReceived.push(ConfigurationRequest.method);
      return params.items.map(() => this.configuration);
    });
    this.connection.onRequest(RegistrationRequest.type, (params) => {
      this.requestsReceived.push(RegistrationRequest.method);
      for (const registration of params.registrations) this.registrations.push(registration.method);
    });
    // A connection error (e.g. the server died) must not crash the test process.
    this.connection.onError(() => undefined);
    this.connection.onClose(() => undefined);
    this.connection.listen();
  }

  /** Spawns the server and completes the initialize handshake. */
  static async start(settings?: HintSettings, launch?: Launch, identity?: ClientIdentity): Promise<LspClient> {
    const client = new LspClient(launch);
    try {
      client.initializeResult = await withTimeout(
        client.connection.sendRequest(InitializeRequest.type, {
          processId: process.pid,
          rootUri: launch?.workspace === null ? null : pathToFileURL(launch?.workspace ?? ROOT).href,
          workspaceFolders: launch?.workspace ? [{ uri: pathToFileURL(launch.workspace).href, name: "project" }] : null,
          initializationOptions: identity?.initializationOptions ?? (settings ? { layerLens: { hints: settings } } : undefined),
          capabilities: identity?.capabilities ?? {
            textDocument: {
              synchronization: { dynamicRegistration: false, didSave: false },
              inlayHint: { dynamicRegistration: false },
              hover: { dynamicRegistration: false, contentFormat: ["markdown", "plaintext"] },
              publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true },
            },
            workspace: { inlayHint: { refreshSupport: true }, codeLens: { refreshSupport: true } },
          },
        }),
        "initialize",
      );
      await client.connection.sendNotification(InitializedNotification.type, {});
    } catch (error) {
      client.kill();
      throw error;
    }
    return client;
  }

  initializeResult?: InitializeResult;

  get alive(): boolean {
    return !this.exited;
  }

  /** A fresh file URI under the fixtures folder (the file need not exist: the server reads only the client's text). */
  uri(name: string): string {
    return pathToFileURL(join(FIXTURES, "virtual", `${++this.counter}-${name}`)).href;
  }

  /**
   * Resolves with the next publishDiagnostics for `uri` (with version ≥
   * `minVersion` when given) that arrives after this call. Call it before the
   * action that triggers the publication.
   */
  nextDiagnostics(uri: string, options: { minVersion?: number; timeoutMs?: number } = {}): Promise<PublishDiagnosticsParams> {
    let waiter!: DiagnosticsWaiter;
    const promise = new Promise<PublishDiagnosticsParams>((resolve) => {
      waiter = { uri, minVersion: options.minVersion, resolve };
      this.waiters.push(waiter);
    });
    return withTimeout(promise, `publishDiagnostics for ${uri}`, options.timeoutMs).finally(() => {
      this.waiters = this.waiters.filter((w) => w !== waiter);
    });
  }

  /** Opens a document and waits for its first diagnostics. */
  async open(uri: string, text: string): Promise<PublishDiagnosticsParams> {
    const doc: OpenedDocument = { uri, text, version: 1 };
    this.documents.set(uri, doc);
    const diagnostics = this.nextDiagnostics(uri, { minVersion: 1 });
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: "python", version: doc.version, text },
    });
    return diagnostics;
  }

  /** Opens a file from test/fixtures under its own file URI. */
  async openFixture(name: string): Promise<{ uri: string; text: string; diagnostics: PublishDiagnosticsParams }> {
    const path = join(FIXTURES, name);
    const text = readFileSync(path, "utf8");
    const uri = pathToFileURL(path).href;
    return { uri, text, diagnostics: await this.open(uri, text) };
  }

  document(uri: string): OpenedDocument {
    const doc = this.documents.get(uri);
    if (!doc) throw new Error(`${uri} is not open`);
    return doc;
  }

  /**
   * Sends incremental changes (applied in order, as LSP specifies) and returns
   * the new version. The client-side copy of the text is kept in step.
   */
  async change(uri: string, changes: { range: Range; text: string }[]): Promise<number> {
    const doc = this.document(uri);
    for (const c of changes) doc.text = applyEdit(doc.text, c.range, c.text);
    doc.version++;
    const contentChanges: TextDocumentContentChangeEvent[] = changes.map((c) => ({ range: c.range, text: c.text }));
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: doc.version },
      contentChanges,
    });
    return doc.version;
  }

  /** Replaces the first occurrence of `find` (after the first occurrence of `after`, if given) with `replacement`, incrementally. */
  async replace(uri: string, find: string, replacement: string, after?: string): Promise<number> {
    const doc = this.document(uri);
    const start = after === undefined ? 0 : doc.text.indexOf(after);
    if (start < 0) throw new Error(`'${after}' not found in ${uri}`);
    const offset = doc.text.indexOf(find, start);
    if (offset < 0) throw new Error(`'${find}' not found in ${uri}`);
    const range = { start: positionAt(doc.text, offset), end: positionAt(doc.text, offset + find.length) };
    return this.change(uri, [{ range, text: replacement }]);
  }

  async close(uri: string): Promise<void> {
    this.documents.delete(uri);
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  async configure(hints: HintSettings): Promise<void> {
    await this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { layerLens: { hints } } });
  }

  /** Inlay hints for a range (default: the whole open document, or a large range for a document never opened). */
  async inlayHints(uri: string, range?: Range): Promise<InlayHint[]> {
    const doc = this.documents.get(uri);
    const r = range ?? (doc ? wholeDocument(doc.text) : { start: { line: 0, character: 0 }, end: { line: 1000, character: 0 } });
    const result = await withTimeout(this.connection.sendRequest(InlayHintRequest.type, { textDocument: { uri }, range: r }), `inlay hints for ${uri}`);
    return result ?? [];
  }

  async resolveInlayHint(hint: InlayHint): Promise<InlayHint> {
    return withTimeout(this.connection.sendRequest(InlayHintResolveRequest.type, hint), "inlay hint resolve");
  }

  async hover(uri: string, line: number, character: number): Promise<Hover | null> {
    return withTimeout(this.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line, character } }), `hover for ${uri}`);
  }

  /** Hover at `offsetInNeedle` characters into the first occurrence of `needle`. */
  async hoverAt(uri: string, needle: string, offsetInNeedle = 0): Promise<Hover | null> {
    const doc = this.document(uri);
    const offset = doc.text.indexOf(needle);
    if (offset < 0) throw new Error(`'${needle}' not found in ${uri}`);
    const pos = positionAt(doc.text, offset + offsetInNeedle);
    return this.hover(uri, pos.line, pos.character);
  }

  /** Orderly shutdown: shutdown request, exit notification, wait for the process to end; kills it otherwise. */
  async stop(): Promise<void> {
    if (this.exited) return;
    try {
      await withTimeout(this.connection.sendRequest(ShutdownRequest.method), "shutdown", 2_000);
      await this.connection.sendNotification(ExitNotification.type);
      await withTimeout(this.exitPromise, "server exit", 2_000);
    } catch {
      // Fall through to kill.
    } finally {
      this.kill();
    }
  }

  /** Kills the child (if still running) and disposes of the connection. Safe to call twice. */
  kill(): void {
    try {
      this.connection.dispose();
    } catch {
      // already disposed
    }
    if (!this.exited) this.child.kill("SIGKILL");
  }

  waitForExit(ms = 2_000): Promise<number | null> {
    return withTimeout(this.exitPromise, "server exit", ms);
  }
}

/** LSP position (UTF-16 code units, as JS strings index) of an offset. */
export function positionAt(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  const line = before.split("\n").length - 1;
  const character = offset - (before.lastIndexOf("\n") + 1);
  return { line, character };
}

export function offsetAt(text: string, position: { line: number; character: number }): number {
  const lines = text.split("\n");
  let offset = 0;
  for (let i = 0; i < position.line && i < lines.length; i++) offset += lines[i].length + 1;
  return Math.min(text.length, offset + position.character);
}

export function applyEdit(text: string, range: Range, replacement: string): string {
  return text.slice(0, offsetAt(text, range.start)) + replacement + text.slice(offsetAt(text, range.end));
}

/** Hint labels grouped by line: line number → labels in position order. */
export function labelsByLine(hints: readonly InlayHint[]): Map<number, string[]> {
  const out = new Map<number, string[]>();
  const sorted = [...hints].sort((a, b) => a.position.line - b.position.line || a.position.character - b.position.character);
  for (const h of sorted) out.set(h.position.line, [...(out.get(h.position.line) ?? []), labelText(h)]);
  return out;
}

/** The 0-based line of the first line containing `needle`. */
export function lineOf(text: string, needle: string, from = 0): number {
  const offset = text.indexOf(needle, from);
  if (offset < 0) throw new Error(`'${needle}' not found`);
  return positionAt(text, offset).line;
}
