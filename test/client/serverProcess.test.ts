/**
 * The server as the VS Code client starts it (client/src/serverProcess.ts), from plain Node: it speaks
 * LSP over its stdio with the arguments given, in the editor's environment less what it never uses.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { StreamMessageReader, StreamMessageWriter, createMessageConnection } from "vscode-jsonrpc/node";
import { startServer } from "../../client/src/serverProcess";

const SERVER = join(__dirname, "..", "..", "dist", "server.js");

test("answers initialize over its stdio, started without NODE_EXTRA_CA_CERTS but with the rest of the environment", { timeout: 30_000 }, async () => {
  const previous = { certificates: process.env.NODE_EXTRA_CA_CERTS, marker: process.env.LAYER_LENS_TEST_MARKER };
  // A file that exists: Node would read it at the server's start if it were passed on.
  process.env.NODE_EXTRA_CA_CERTS = join(__dirname, "serverProcess.test.ts");
  process.env.LAYER_LENS_TEST_MARKER = "kept";
  const server = startServer(SERVER);
  if (previous.certificates === undefined) delete process.env.NODE_EXTRA_CA_CERTS;
  else process.env.NODE_EXTRA_CA_CERTS = previous.certificates;
  if (previous.marker === undefined) delete process.env.LAYER_LENS_TEST_MARKER;
  else process.env.LAYER_LENS_TEST_MARKER = previous.marker;
  const connection = createMessageConnection(new StreamMessageReader(server.stdout!), new StreamMessageWriter(server.stdin!));
  connection.listen();
  try {
    const result = (await connection.sendRequest("initialize", { processId: process.pid, rootUri: null, capabilities: {} })) as {
      serverInfo?: { name?: string };
      capabilities: { inlayHintProvider?: unknown };
    };
    assert.equal(result.serverInfo?.name, "layer-lens");
    assert.ok(result.capabilities.inlayHintProvider, "inlay hints offered");
    const environment = readFileSync(`/proc/${server.pid}/environ`, "utf8").split("\0");
    assert.ok(!environment.some((entry) => entry.startsWith("NODE_EXTRA_CA_CERTS=")), "NODE_EXTRA_CA_CERTS passed on");
    assert.ok(environment.includes("LAYER_LENS_TEST_MARKER=kept"), "the rest of the environment kept");
    assert.ok(environment.includes("ELECTRON_RUN_AS_NODE=1"), "an Electron runtime would not run as Node");
    await connection.sendRequest("shutdown");
    const exited = new Promise<number | null>((resolve) => server.once("exit", resolve));
    await connection.sendNotification("exit");
    assert.equal(await exited, 0);
  } finally {
    connection.dispose();
    server.kill();
  }
});

test("a runtime that cannot be started: the process reports it closed, and its error is not thrown", { timeout: 30_000 }, async () => {
  const runtime = process.execPath;
  process.execPath = join(__dirname, "no-such-node");
  let server;
  try {
    server = startServer(SERVER);
  } finally {
    process.execPath = runtime;
  }
  // Unheard, the spawn error would be an uncaught exception here, and the test would fail.
  const code = await new Promise<number | null>((resolve) => server.once("close", resolve));
  assert.notEqual(code, 0);
});
