// Layer Lens — VS Code client: the module VS Code loads to activate the extension.
//
// VS Code loads it while it prepares the extension's context (its storage, asked of the window),
// and calls `activate` once both are done. The language server is started first thing, so that
// its start overlaps with both; the rest of the client (client.ts, with vscode-languageclient:
// nearly all of the client's code) is then loaded from a bundle of its own. The server is started
// through dist/loader.js, which runs dist/server.js with a V8 code cache (server/loader/main.ts).

import * as path from "path";
import type { ExtensionContext } from "vscode";
import { startServer } from "./serverProcess";

const server = startServer(path.join(__dirname, "loader.js"));
// A path computed at run time: the bundler leaves dist/client.js to be loaded here, after the server has started.
const client = require(path.join(__dirname, "client.js")) as typeof import("./client");

export function activate(context: ExtensionContext): void {
  client.activate(context, server);
}

export function deactivate(): Thenable<void> | undefined {
  return client.deactivate();
}
