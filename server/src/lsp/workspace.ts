/**
 * The workspace as the project a document's imports are looked for in: its folders (from `initialize`, or the
 * root the client names), the documents open in it (their text, not the file's, while they are open), and the
 * files it changes on disk (`workspace/didChangeWatchedFiles`, registered when the client allows it). A
 * document outside every folder, or not a file, is analysed on its own.
 */
import { fileURLToPath } from "node:url";
import { resolve, sep } from "node:path";
import { Connection, DidChangeWatchedFilesNotification, FileChangeType, InitializeParams, TextDocuments } from "vscode-languageserver/node";
import { ProjectFiles, realOrSelf } from "../project/files";
import { ProjectContext } from "../python/project";
import { LensDocument } from "./document";

/** Paths by URI, as the project names files: through no symbolic link (a workspace under `/tmp` on macOS is in `/private`). */
const paths = new Map<string, string | undefined>();

/** A `file:` URI's real path; undefined for any other scheme (an unsaved document, a remote one). */
export function filePath(uri: string): string | undefined {
  if (paths.has(uri)) return paths.get(uri);
  let path: string | undefined;
  try {
    path = uri.startsWith("file:") ? realOrSelf(resolve(fileURLToPath(uri))) : undefined;
  } catch {
    path = undefined;
  }
  if (paths.size > 10_000) paths.clear();
  paths.set(uri, path);
  return path;
}


export class Workspace {
  private files?: ProjectFiles;
  private folders: string[] = [];
  private canWatch = false;
  /** Open documents by path, whose text is the module's while they are open. */
  private readonly open = new Map<string, LensDocument>();

  initialize(params: InitializeParams): void {
    const uris = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    this.folders = uris.flatMap((uri) => filePath(uri) ?? []);
    if (this.folders.length === 0 && typeof params.rootPath === "string") this.folders = [realOrSelf(resolve(params.rootPath))];
    this.canWatch = !!params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    this.files = this.folders.length ? new ProjectFiles(this.folders, (path) => this.openText(path)) : undefined;
  }

  /** Asks the client to report Python files changed on disk (by the user's other tools, a `git checkout`). */
  watch(connection: Connection): void {
    if (this.canWatch && this.files) void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: "**/*.py" }] });
  }

  /** The project a document's imports are looked for in, when it is a file inside a folder of the workspace. */
  contextFor(uri: string): ProjectContext | undefined {
    const path = filePath(uri);
    if (!this.files || !path || !this.folders.some((f) => path === f || path.startsWith(f.endsWith(sep) ? f : f + sep))) return undefined;
    return { modules: this.files, path };
  }

  /** A document opened or closed: its text is the module's, or the file's again. */
  documentChanged(doc: LensDocument, open: boolean): void {
    const path = filePath(doc.uri);
    if (!path) return;
    if (open) this.open.set(path, doc);
    else this.open.delete(path);
    this.files?.changed(path, "changed");
  }

  /** `workspace/didChangeWatchedFiles`: what changed on disk is read again when next needed. */
  filesChanged(changes: readonly { uri: string; type: FileChangeType }[]): void {
    for (const change of changes) {
      const path = filePath(change.uri);
      if (path) this.files?.changed(path, change.type === FileChangeType.Created ? "created" : change.type === FileChangeType.Deleted ? "deleted" : "changed");
    }
  }

  /**
   * The open documents whose analysis read a module that changed since: each is analysed again at its next
   * request (and should be asked for). `changed`: the document edited, when that is the only change (then only
   * the documents that read it are checked).
   */
  importersChanged(documents: TextDocuments<LensDocument>, changed?: LensDocument): LensDocument[] {
    const path = changed && filePath(changed.uri);
    return documents.all().filter((doc) => doc !== changed && (!path || doc.readsModule(path)) && doc.importsChanged());
  }

  private openText(path: string): { text: string; version: number } | undefined {
    const doc = this.open.get(path);
    return doc && { text: doc.text.getText(), version: doc.text.version };
  }
}
