/**
 * The server as clients other than VS Code meet it: each says at `initialize` what it
 * can do (Neovim 0.7 and eglot announce no inlay-hint refresh and no dynamic
 * registration; eglot without markdown-mode takes plain-text hovers) and the server
 * keeps within that. Also the settings they pass, the summary command they run
 * through `workspace/executeCommand`, and requests they get wrong.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  ClientCapabilities,
  CodeActionRequest,
  CodeLensRequest,
  DidChangeConfigurationNotification,
  ExecuteCommandRequest,
  MarkupContent,
  MarkupKind,
  RegistrationRequest,
  ResponseError,
} from "vscode-languageserver-protocol/node";
import { ClientIdentity, LspClient, hoverText, labelsByLine, lineOf, withTimeout } from "./client";

const lines = (...l: string[]) => l.join("\n") + "\n";

/** Roughly what Neovim 0.7 announces: pulled configuration, but no refreshes and no dynamic registration. */
const NEOVIM_07: ClientCapabilities = {
  workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: false }, executeCommand: { dynamicRegistration: false } },
  textDocument: {
    synchronization: { dynamicRegistration: false, didSave: true },
    hover: { dynamicRegistration: false, contentFormat: ["markdown", "plaintext"] },
    codeAction: { dynamicRegistration: false },
    publishDiagnostics: { relatedInformation: true },
  },
};

/** eglot in an Emacs without markdown-mode: plain-text hovers only. */
const EGLOT_PLAIN: ClientCapabilities = {
  workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: false } },
  textDocument: { hover: { dynamicRegistration: false, contentFormat: ["plaintext"] } },
};

/**
 * Two wide layers on one line after a (None, 128, 128, 3) input:
 * Conv2D(1000, 3): 128 − 3 + 1 = 126, (3·3·3 + 1)·1000 = 28,000 params;
 * Conv2D(1000, 3): 126 − 3 + 1 = 124, (3·3·1000 + 1)·1000 = 9,001,000 params.
 */
const WIDE = lines(
  "import keras",
  "from keras import layers",
  "inputs = keras.Input(shape=(128, 128, 3))",
  "x = layers.Conv2D(1000, 3)(inputs); y = layers.Conv2D(1000, 3)(x)",
  "model = keras.Model(inputs, y)",
);
const WIDE_FULL = ["(None, 126, 126, 1000) · 28,000 params", "(None, 124, 124, 1000) · 9,001,000 params"];

const MNIST = lines(
  "import keras",
  "from keras import layers",
  "model = keras.Sequential([",
  "    keras.Input(shape=(28, 28, 1)),",
  "    layers.Conv2D(32, kernel_size=(3, 3)),",
  "    layers.MaxPooling2D(pool_size=(2, 2)),",
  "    layers.Conv2D(64, kernel_size=(3, 3)),",
  "    layers.Flatten(),",
  "    layers.Dense(10),",
  "])",
);

async function started(identity: ClientIdentity): Promise<LspClient> {
  return LspClient.start(undefined, undefined, identity);
}

/** Waits until the server has had time to pull its settings after `initialized` (its answers are in order). */
async function settled(client: LspClient, uri: string): Promise<void> {
  await client.hover(uri, 0, 0);
}

describe("a client like Neovim 0.7", () => {
  let client: LspClient;
  before(async () => {
    client = await started({ capabilities: NEOVIM_07, initializationOptions: { layerLens: { hints: { maximumLength: 0 } } } });
  });
  after(async () => {
    await client?.stop();
  });

  test("gets no inlay-hint refresh and no registration it did not announce, even when its settings change", async () => {
    const uri = client.uri("wide.py");
    await client.open(uri, WIDE);
    await settled(client, uri);
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    await settled(client, uri);
    assert.equal(client.refreshRequests, 0);
    assert.equal(client.lensRefreshRequests, 0);
    assert.ok(!client.requestsReceived.includes(RegistrationRequest.method), client.requestsReceived.join(", "));
    // It pulls the settings instead, as the client announced it can answer.
    assert.ok(client.requestsReceived.includes("workspace/configuration"));
  });

  test("keeps the initializationOptions' settings when its configuration has no layerLens section", async () => {
    const uri = client.uri("wide-kept.py");
    await client.open(uri, WIDE);
    await settled(client, uri);
    // maximumLength 0: no limit, so both labels are whole although together they take 79 characters.
    assert.deepEqual(labelsByLine(await client.inlayHints(uri)).get(lineOf(WIDE, "x = layers")), WIDE_FULL);
  });

  test("the settings it answers are followed: a maximum length cuts the line short again", async () => {
    const uri = client.uri("wide-cut.py");
    await client.open(uri, WIDE);
    client.configuration = { hints: { maximumLength: 43 } };
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    await settled(client, uri);
    const labels = labelsByLine(await client.inlayHints(uri)).get(lineOf(WIDE, "x = layers"))!;
    assert.ok(labels.join("").length <= 43, labels.join(" | "));
    client.configuration = null;
  });

  test("every code lens has a command it can run through workspace/executeCommand, which answers the summary as text", async () => {
    assert.deepEqual(client.initializeResult?.capabilities.executeCommandProvider?.commands, ["layerLens.showSummary"]);
    const uri = client.uri("mnist.py");
    await client.open(uri, MNIST);
    const lenses = (await withTimeout(client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } }), "code lenses")) ?? [];
    assert.equal(lenses.length, 2);
    // 28 − 3 + 1 = 26, (3·3·1 + 1)·32 = 320; pool: 13; 13 − 3 + 1 = 11, (3·3·32 + 1)·64 = 18,496;
    // Flatten 11·11·64 = 7,744; Dense (7,744 + 1)·10 = 77,450. Total 320 + 18,496 + 77,450 = 96,266.
    for (const lens of lenses) {
      assert.equal(lens.command?.command, "layerLens.showSummary");
      const text = await withTimeout(client.connection.sendRequest(ExecuteCommandRequest.type, lens.command!), "executeCommand");
      assert.equal(typeof text, "string");
      assert.match(text as string, /Conv2D\s+\(None, 11, 11, 64\)\s+18,496/);
      assert.match(text as string, /Dense\s+\(None, 10\)\s+77,450/);
      assert.match(text as string, /Total params: 96,266/);
    }
  });

  test("a command it does not know, or one without its arguments, is refused with InvalidParams", async () => {
    const refused = async (command: string, args?: unknown[]) => {
      const error = await client.connection.sendRequest(ExecuteCommandRequest.type, { command, arguments: args }).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(error instanceof ResponseError, `${command} was not refused`);
      assert.equal(error.code, -32602);
    };
    await refused("layerLens.noSuchCommand", []);
    await refused("layerLens.showSummary", []);
    await refused("layerLens.showSummary", ["file:///x.py", "not a position"]);
  });

  test("a code action request whose diagnostics lack a range is refused, and nothing is logged as a failure", async () => {
    const uri = client.uri("malformed-action.py");
    await client.open(uri, MNIST);
    const logged = client.logs.length;
    const range = { start: { line: 4, character: 4 }, end: { line: 4, character: 10 } };
    const error = await client.connection
      .sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics: [{ message: "no range", severity: 1 } as never] } })
      .then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof ResponseError);
    assert.equal(error.code, -32602);
    assert.deepEqual(client.logs.slice(logged), []);
    // Well-formed, the same request is answered.
    assert.ok(Array.isArray(await client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics: [] } })));
  });
});

describe("a client that registers configuration dynamically (VS Code)", () => {
  test("is asked to register for layerLens settings", async () => {
    const client = await started({
      capabilities: { workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } } },
    });
    try {
      const uri = client.uri("registered.py");
      await client.open(uri, MNIST);
      await settled(client, uri);
      assert.ok(client.requestsReceived.includes(RegistrationRequest.method), client.requestsReceived.join(", "));
    } finally {
      await client.stop();
    }
  });

  test("the extension, which runs layerLens.showSummary itself, is offered no server command of that name", async () => {
    const client = await started({ capabilities: {}, initializationOptions: { commandsRunByClient: ["layerLens.showSummary"] } });
    try {
      assert.equal(client.initializeResult?.capabilities.executeCommandProvider, undefined);
    } finally {
      await client.stop();
    }
  });
});

describe("a client that pushes its settings rather than answering for them", () => {
  test("a push without a layerLens section keeps the initializationOptions' settings; one with it replaces them", async () => {
    const client = await started({ capabilities: {}, initializationOptions: { layerLens: { hints: { maximumLength: 0 } } } });
    try {
      const uri = client.uri("pushed.py");
      await client.open(uri, WIDE);
      const line = lineOf(WIDE, "x = layers");
      await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { python: {} } });
      assert.deepEqual(labelsByLine(await client.inlayHints(uri)).get(line), WIDE_FULL);
      await client.configure({ parameters: false });
      // No parameters, and the default 43 characters again: 22 + 22 = 44 is one too many, so the first is cut by one.
      assert.deepEqual(labelsByLine(await client.inlayHints(uri)).get(line), ["(None, 126, 126, 100…", "(None, 124, 124, 1000)"]);
    } finally {
      await client.stop();
    }
  });
});

describe("a client that takes hovers in plain text only (eglot without markdown-mode)", () => {
  let client: LspClient;
  before(async () => {
    client = await started({ capabilities: EGLOT_PLAIN });
  });
  after(async () => {
    await client?.stop();
  });

  test("gets the same hover laid out for a terminal: aligned columns, no Markdown", async () => {
    const uri = client.uri("plain.py");
    await client.open(uri, MNIST);
    const hover = await client.hoverAt(uri, "Conv2D(64", 2);
    assert.ok(hover && MarkupContent.is(hover.contents));
    assert.equal(hover.contents.kind, MarkupKind.PlainText);
    const text = hoverText(hover);
    // 13 − 3 + 1 = 11 on both axes; (3·3·32 + 1)·64 = 18,496.
    assert.match(text, /^height {2}13 − 3 \+ 1 = 11$/m);
    assert.match(text, /^width {3}13 − 3 \+ 1 = 11$/m);
    assert.match(text, /^\(3·3·32 \+ 1\)·64 = 18,496$/m);
    assert.match(text, /^Parameters: 18,496$/m);
    for (const markup of ["**", "`", "|", "---|"]) assert.ok(!text.includes(markup), `${markup} in:\n${text}`);
  });

  test("the model's summary table keeps its numbers right-aligned", async () => {
    const uri = client.uri("plain-model.py");
    await client.open(uri, MNIST);
    const text = hoverText(await client.hoverAt(uri, "Sequential", 2));
    const rows = text.split("\n").filter((l) => /^(Conv2D|Dense|Flatten)/.test(l));
    // The widest count, 77,450, sets the column: every row's count ends at the same column.
    const ends = new Set(rows.map((r) => r.length));
    assert.equal(ends.size, 1, rows.join("\n"));
    assert.ok(rows.some((r) => r.endsWith("  320")), rows.join("\n"));
    assert.ok(rows.some((r) => r.endsWith("77,450")), rows.join("\n"));
  });
});
