// A minimal LSP client over a child process's stdio, for the benchmark: it
// drives any language server the way an editor does and answers the requests
// servers send back (configuration, progress, registrations) with defaults.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const protocol = require("vscode-languageserver-protocol/node");

export class StdioServer {
  constructor(command, args, options = {}) {
    this.started = performance.now();
    this.child = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"], ...options });
    this.stderr = "";
    this.logs = [];
    this.child.stderr.on("data", (chunk) => (this.stderr += chunk));
    this.exited = new Promise((resolve) => this.child.once("exit", (code) => resolve(code)));
    this.connection = protocol.createProtocolConnection(
      new protocol.StreamMessageReader(this.child.stdout),
      new protocol.StreamMessageWriter(this.child.stdin),
    );
    this.connection.onRequest("workspace/configuration", (params) => params.items.map(() => null));
    this.connection.onRequest(() => null);
    this.connection.onNotification("window/logMessage", (params) => this.logs.push(params.message));
    /** Documents the server has published diagnostics for: it has analysed them whole. */
    this.diagnosed = new Set();
    this.connection.onNotification("textDocument/publishDiagnostics", (params) => this.diagnosed.add(params.uri));
    this.connection.onNotification(() => undefined);
    this.connection.onError(() => undefined);
    this.connection.listen();
    this.versions = new Map();
  }

  initialize(rootUri, initializationOptions) {
    return this.connection
      .sendRequest("initialize", {
        processId: process.pid,
        rootUri,
        workspaceFolders: rootUri ? [{ uri: rootUri, name: "bench" }] : null,
        initializationOptions,
        capabilities: {
          textDocument: {
            synchronization: { dynamicRegistration: false },
            inlayHint: { dynamicRegistration: false },
            hover: { contentFormat: ["markdown", "plaintext"] },
            publishDiagnostics: { versionSupport: true },
          },
          workspace: { configuration: true, inlayHint: { refreshSupport: true }, workspaceFolders: true },
          window: { workDoneProgress: true },
        },
      })
      .then(async (result) => {
        await this.connection.sendNotification("initialized", {});
        return result;
      });
  }

  open(uri, text) {
    this.versions.set(uri, 1);
    return this.connection.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "python", version: 1, text } });
  }

  /** Sends one incremental change; resolves once it is written. */
  change(uri, range, text) {
    const version = this.versions.get(uri) + 1;
    this.versions.set(uri, version);
    return this.connection.sendNotification("textDocument/didChange", { textDocument: { uri, version }, contentChanges: [{ range, text }] });
  }

  /** Resolves once the server has published diagnostics for `uri`. */
  async diagnosticsFor(uri) {
    while (!this.diagnosed.has(uri)) await new Promise((resolve) => setTimeout(resolve, 20));
  }

  inlayHints(uri, range) {
    return this.connection.sendRequest("textDocument/inlayHint", { textDocument: { uri }, range });
  }

  hover(uri, position) {
    return this.connection.sendRequest("textDocument/hover", { textDocument: { uri }, position });
  }

  /** Peak resident set size of the server process in MB (Linux /proc). */
  peakRssMb() {
    try {
      const status = readFileSync(`/proc/${this.child.pid}/status`, "utf8");
      const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1]);
      return kb / 1024;
    } catch {
      return NaN;
    }
  }

  /** CPU time (user + system) the server process has used so far, in ms (Linux /proc; clock ticks of 10 ms). */
  cpuMs() {
    try {
      const fields = readFileSync(`/proc/${this.child.pid}/stat`, "utf8").split(") ")[1].split(" ");
      return (Number(fields[11]) + Number(fields[12])) * 10;
    } catch {
      return NaN;
    }
  }

  async stop() {
    try {
      await Promise.race([this.connection.sendRequest("shutdown"), new Promise((r) => setTimeout(r, 2000))]);
      await this.connection.sendNotification("exit");
      await Promise.race([this.exited, new Promise((r) => setTimeout(r, 2000))]);
    } finally {
      this.connection.dispose();
      this.child.kill("SIGKILL");
    }
  }
}
