/**
 * Starts the language server (dist/server.js) in a Node process of its own, speaking LSP over its
 * stdin and stdout, as vscode-languageclient would start it, but without loading that library: the
 * extension's entry starts it before anything else (see extension.ts).
 */
import { fork, type ChildProcess } from "child_process";

/**
 * Variables of the editor's environment the server has no use for but Node would act on at its
 * start: NODE_EXTRA_CA_CERTS makes it read and parse a certificate bundle before running anything
 * (tens of milliseconds), for TLS connections the server never opens.
 */
const UNUSED_BY_THE_SERVER = ["NODE_EXTRA_CA_CERTS"];

/** Whether the extension host runs under a debugger, as vscode-languageclient tells its debug mode. */
function debugged(): boolean {
  return process.execArgv.some((arg) => /^--(inspect|inspect-brk|debug|debug-brk)(=|$)/.test(arg));
}

export function startServer(serverModule: string): ChildProcess {
  // The editor's runtime may be Electron's: these make it the plain Node the server is.
  const env: NodeJS.ProcessEnv = { ...process.env, ELECTRON_RUN_AS_NODE: "1", ELECTRON_NO_ASAR: "1" };
  for (const name of UNUSED_BY_THE_SERVER) delete env[name];
  const server = fork(serverModule, ["--stdio", `--clientProcessId=${process.pid}`], {
    // Under a debugger, a debugger can attach to the server on port 6009.
    execArgv: debugged() ? ["--nolazy", "--inspect=6009"] : [],
    env,
    // Piped: stdin and stdout carry the protocol, stderr goes to the output channel.
    silent: true,
  });
  // A process that could not be started reports it as an error event (its streams are closed, which is what
  // the client sees): unheard, it would be thrown in the extension host, where nothing catches it.
  server.on("error", () => undefined);
  return server;
}
