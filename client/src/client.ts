// Layer Lens — VS Code client (loaded by extension.ts, which has started the server).
//
// A thin language client in the style of vscode-extension-samples/lsp-sample:
// it talks to the bundled language server (dist/server.js) over its stdio and
// forwards Python documents and Jupyter notebook cells to it. All analysis happens in
// the server; the client never reads, parses or runs user code itself. The
// model summary view and the status bar item render the server's
// `layerLens/modelSummary` answers.

import type { ChildProcess } from "child_process";
import * as path from "path";
import { commands, window, type ExtensionContext } from "vscode";
import { LanguageClient, State, type LanguageClientOptions, type ServerOptions } from "vscode-languageclient/node";
import { startServer } from "./serverProcess";
import { ModelSummaryRequest } from "./protocol";
import { ParamsStatusBar } from "./statusBar";
import { SummaryView, type SummaryFetcher } from "./summaryView";

let client: LanguageClient | undefined;

/** `started`: the server process extension.ts started as it was loaded; a restart starts another. */
export function activate(context: ExtensionContext, started: ChildProcess): void {
  const serverModule = context.asAbsolutePath(path.join("dist", "loader.js"));
  let unused: ChildProcess | undefined = started;
  const serverOptions: ServerOptions = async () => {
    const server = unused ?? startServer(serverModule);
    unused = undefined;
    return server;
  };

  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "python" },
      { scheme: "untitled", language: "python" },
      { notebook: "jupyter-notebook", language: "python" },
    ],
    synchronize: {
      // Send `layerLens.*` settings to the server whenever they change.
      configurationSection: "layerLens",
    },
    // The summary view runs `layerLens.showSummary`; the server offers its text form only to other editors.
    initializationOptions: { commandsRunByClient: ["layerLens.showSummary"] },
  };

  client = new LanguageClient("layerLens", "Layer Lens", serverOptions, clientOptions);

  // The summary view and the status bar only render what the server computes.
  const fetchSummary: SummaryFetcher = async (params) => {
    if (client?.state !== State.Running) return undefined;
    try {
      return (await client.sendRequest(ModelSummaryRequest, params)) ?? undefined;
    } catch {
      return undefined;
    }
  };
  const statusBar = new ParamsStatusBar(fetchSummary);
  context.subscriptions.push(new SummaryView(fetchSummary), statusBar);

  context.subscriptions.push(
    commands.registerCommand("layerLens.restartServer", async () => {
      if (!client) {
        return;
      }
      try {
        await client.restart();
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        void window.showErrorMessage(`Layer Lens: could not restart the server: ${message}`);
      }
    }),
  );

  // Starting the client also starts the server. A failure is reported by the
  // client itself in its output channel; activation does not wait for it.
  void client.start().then(() => statusBar.update(), (err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    void window.showErrorMessage(`Layer Lens: could not start the server: ${message}`);
  });
}

export function deactivate(): Thenable<void> | undefined {
  if (!client) {
    return undefined;
  }
  return client.stop();
}
