// The benchmark's floor for large answers: a language server that does no work, answering every
// inlay-hint request with the same hints, read once from the JSON file named on its command line.
// What it takes is what serialising, sending and parsing that answer costs over JSON-RPC.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { createConnection, ProposedFeatures, TextDocumentSyncKind } = require("vscode-languageserver/node");

const hints = JSON.parse(readFileSync(process.argv[2], "utf8"));
const connection = createConnection(ProposedFeatures.all);
connection.onInitialize(() => ({ capabilities: { textDocumentSync: TextDocumentSyncKind.Incremental, inlayHintProvider: true } }));
connection.languages.inlayHint.on(() => hints);
connection.listen();
