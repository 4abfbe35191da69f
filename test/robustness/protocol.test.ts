/**
 * Protocol misuse over stdio: what a buggy or dying client can do. The server
 * answers with the errors the protocol defines, applies what it can, exits as
 * the protocol says, and keeps serving the other documents.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import {
  CancellationTokenSource,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  ErrorCodes,
  ExitNotification,
  HoverRequest,
  InlayHintRequest,
  LSPErrorCodes,
  ResponseError,
  ShutdownRequest,
} from "vscode-languageserver-protocol/node";
import { LspClient, SERVER, labelsByLine, lineOf, withTimeout } from "../lsp/client";

const HEADER = ["import keras", "from keras import layers", ""];
const lines = (...l: string[]) => l.join("\n") + "\n";
/** Input (4,) → Dense(3): 4·3 + 3 = 15 params. */
const MODEL = lines(...HEADER, "m = keras.Sequential([", "    keras.Input(shape=(4,)),", "    layers.Dense(3),", "])");

async function rejection(promise: Promise<unknown>): Promise<ResponseError<unknown>> {
  try {
    await withTimeout(promise, "the error response");
  } catch (error) {
    if (error instanceof ResponseError) return error;
    throw error;
  }
  assert.fail("the request succeeded");
}

describe("protocol misuse", () => {
  let client: LspClient;
  let good: string;

  before(async () => {
    client = await LspClient.start();
    good = client.uri("good.py");
    await client.open(good, MODEL);
  });

  after(async () => {
    await client?.stop();
  });

  /** The well-behaved document opened first still gets its exact hints. */
  async function assertServing(): Promise<void> {
    assert.ok(client.alive, `server exited; stderr: ${client.stderr}`);
    const byLine = labelsByLine(await client.inlayHints(good));
    assert.deepEqual(byLine.get(lineOf(MODEL, "layers.Dense(3)")), ["(None, 3) · 15 params"]);
  }

  test("requests, changes and closes for documents never opened: empty answers, nothing breaks", async () => {
    const ghost = client.uri("never-opened.py");
    assert.deepEqual(await client.inlayHints(ghost), []);
    assert.equal(await client.hover(ghost, 3, 4), null);
    await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: ghost, version: 2 },
      contentChanges: [{ text: MODEL }],
    });
    await client.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: ghost } });
    assert.deepEqual(await client.inlayHints(ghost), []);
    await assertServing();
  });

  test("ranges and positions out of bounds are clamped to the document", async () => {
    const request = (range: object) => client.connection.sendRequest(InlayHintRequest.type, { textDocument: { uri: good }, range } as never);
    const all = await client.inlayHints(good);
    assert.equal(all.length, 3);
    assert.deepEqual(await request({ start: { line: 0, character: 0 }, end: { line: 1e9, character: 1e9 } }), all);
    assert.deepEqual(await request({ start: { line: 1e9, character: 0 }, end: { line: 2e9, character: 0 } }), []);
    // A reversed range covers nothing.
    assert.deepEqual(await request({ start: { line: 7, character: 0 }, end: { line: 0, character: 0 } }), []);
    assert.equal(await client.hover(good, 1e9, 1e9), null);
    assert.equal(await client.hover(good, 0, 1e9), null);
    await assertServing();
  });

  test("didChange with a stale version and a range past the end is applied as the client sent it", async () => {
    const uri = client.uri("versions.py");
    await client.open(uri, MODEL);
    const send = (version: number, range: object, text: string) =>
      client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri, version },
        contentChanges: [{ range, text }] as never,
      });
    // Past the last line: appended at the end. Version goes backwards: still applied.
    await send(7, { start: { line: 500, character: 9 }, end: { line: 900, character: 0 } }, "model_2 = keras.Sequential([keras.Input(shape=(2,)),\n    layers.Dense(5),\n])\n");
    await send(3, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, "# edited\n");
    const text = `# edited\n${MODEL}model_2 = keras.Sequential([keras.Input(shape=(2,)),\n    layers.Dense(5),\n])\n`;
    const byLine = labelsByLine(await client.inlayHints(uri, { start: { line: 0, character: 0 }, end: { line: 100, character: 0 } }));
    // Dense(5) on (None, 2): 2·5 + 5 = 15 params.
    assert.deepEqual(byLine.get(lineOf(text, "layers.Dense(3)")), ["(None, 3) · 15 params"]);
    assert.deepEqual(byLine.get(lineOf(text, "layers.Dense(5)")), ["(None, 5) · 15 params"]);
    assert.deepEqual(byLine.get(lineOf(text, "layers.Dense(5)") + 1), ["Total params: 15 (60.00 B)"]);
    await client.close(uri);
    await assertServing();
  });

  test("a malformed didChange (no version, no range fields) is rejected without harm", async () => {
    const uri = client.uri("malformed.py");
    await client.open(uri, MODEL);
    await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: null as never },
      contentChanges: [{ text: "x" }],
    });
    await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: 5 },
      contentChanges: [{ range: { start: {} }, text: "x" } as never],
    });
    const byLine = labelsByLine(await client.inlayHints(uri));
    assert.deepEqual(byLine.get(lineOf(MODEL, "layers.Dense(3)")), ["(None, 3) · 15 params"]);
    await client.close(uri);
    await assertServing();
  });

  test("a request cancelled while it waits answers RequestCancelled; the next one is served", async () => {
    // A slow request first, so the cancelled one is still queued when its cancellation arrives.
    const big = client.uri("slow.py");
    const bigText = lines(...HEADER, "m = keras.Sequential([", "    keras.Input(shape=(1,)),", ...Array(30_000).fill("    layers.Dense(1),"), "])");
    // Not waiting for its diagnostics: on a loaded machine they may take longer than the client's default wait.
    await client.open(big, bigText).catch(() => undefined);
    const slow = client.connection.sendRequest(InlayHintRequest.type, { textDocument: { uri: big }, range: { start: { line: 0, character: 0 }, end: { line: 40_000, character: 0 } } });
    const source = new CancellationTokenSource();
    const cancelled = client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: good }, position: { line: 5, character: 8 } }, source.token);
    source.cancel();
    const error = await rejection(cancelled);
    assert.equal(error.code, LSPErrorCodes.RequestCancelled);
    assert.equal((await withTimeout(slow, "the slow request", 60_000))?.length, 30_002);
    await client.close(big);
    await assertServing();
  });

  test("a flood of 10,000 changes without waiting: the next request sees the final text", async () => {
    const uri = client.uri("flood.py");
    await client.open(uri, MODEL);
    const at = { line: lineOf(MODEL, "layers.Dense(3)"), character: "    layers.Dense(".length };
    const sent: Promise<void>[] = [];
    for (let version = 2; version <= 10_002; version++) {
      // Type a 1 before the 3, delete it, …: 10,001 changes, the last one typing, leave `Dense(13)`.
      const range = version % 2 === 0 ? { start: at, end: at } : { start: at, end: { ...at, character: at.character + 1 } };
      sent.push(client.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ range, text: version % 2 === 0 ? "1" : "" }] }));
    }
    await Promise.all(sent);
    const byLine = labelsByLine(await withTimeout(client.connection.sendRequest(InlayHintRequest.type, { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 20, character: 0 } } }), "hints after the flood", 60_000) ?? []);
    // Dense(13) on (None, 4): 4·13 + 13 = 65 params.
    assert.deepEqual(byLine.get(at.line), ["(None, 13) · 65 params"]);
    await client.close(uri);
    await assertServing();
  });

  test("no handler failed during the misuse above", () => {
    assert.deepEqual(client.logs.filter((l) => /failed/.test(l) && !/didChange/.test(l)), []);
  });
});

describe("lifecycle", () => {
  test("requests after shutdown answer InvalidRequest; exit then ends the process with code 0", async () => {
    const client = await LspClient.start();
    try {
      const uri = client.uri("late.py");
      await client.open(uri, MODEL);
      await withTimeout(client.connection.sendRequest(ShutdownRequest.type), "shutdown");
      const error = await rejection(client.connection.sendRequest(InlayHintRequest.type, { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 9, character: 0 } } }));
      assert.equal(error.code, ErrorCodes.InvalidRequest);
      const hoverError = await rejection(client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 5, character: 8 } }));
      assert.equal(hoverError.code, ErrorCodes.InvalidRequest);
      await client.connection.sendNotification(ExitNotification.type);
      assert.equal(await client.waitForExit(), 0);
    } finally {
      client.kill();
    }
  });

  test("exit without shutdown ends the process with code 1", async () => {
    const client = await LspClient.start();
    try {
      await client.connection.sendNotification(ExitNotification.type);
      assert.equal(await client.waitForExit(), 1);
    } finally {
      client.kill();
    }
  });

  test("when the client process dies, the server exits too", async () => {
    // The "editor": a process that starts the server with --clientProcessId=<its pid> and reports the server's pid.
    const editor = spawn(
      process.execPath,
      [
        "-e",
        `const { spawn } = require("node:child_process");
         const server = spawn(process.execPath, [${JSON.stringify(SERVER)}, "--stdio", "--clientProcessId=" + process.pid], { stdio: ["pipe", "pipe", "inherit"] });
         console.log(server.pid);
         setInterval(() => {}, 1000);`,
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    let serverPid: number | undefined;
    try {
      serverPid = await withTimeout(
        new Promise<number>((resolve) => editor.stdout!.once("data", (chunk: Buffer) => resolve(Number(chunk.toString().trim())))),
        "the server's pid",
      );
      const running = (pid: number) => {
        try {
          process.kill(pid, 0);
          return true;
        } catch {
          return false;
        }
      };
      assert.ok(running(serverPid));
      editor.kill("SIGKILL");
      const deadline = Date.now() + 15_000;
      while (running(serverPid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      assert.equal(running(serverPid), false, "the server outlived its client");
    } finally {
      editor.kill("SIGKILL");
      if (serverPid) {
        try {
          process.kill(serverPid, "SIGKILL");
        } catch {
          // already gone, as it should be
        }
      }
    }
  });
});
