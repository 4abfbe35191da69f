/**
 * Jupyter notebooks over real LSP: the client syncs the notebook with the
 * `notebookDocument/*` notifications, as vscode-languageclient does, and asks
 * about each cell by its own URI. The analysis spans the code cells in order;
 * every position below is relative to the cell it is in, and every expected
 * number is worked out by hand next to it.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  CodeActionRequest,
  CodeLensRequest,
  DidChangeNotebookDocumentNotification,
  NotebookCellKind,
  PublishDiagnosticsParams,
} from "vscode-languageserver-protocol/node";
import { Notebook } from "./notebook";
import { LspClient, hoverText, labelText, labelsByLine, tooltipText, withTimeout } from "./client";
import type { ModelSummaryResult } from "../../server/src/lsp/summary";

const lines = (...l: string[]) => l.join("\n");

const IMPORTS = lines("%matplotlib inline", "import keras", "from keras import layers", "");
/** Would swallow every later cell into a string, were it read as Python. */
const MARKDOWN = 'Docstrings open with """, and **(this** is markdown';
const CONSTANTS = lines("FILTERS = 32", "NUM_CLASSES = 10");
const CONV = 'layers.Conv2D(FILTERS, kernel_size=(3, 3), activation="relu")';
const MODEL = lines(
  "model = keras.Sequential([",
  "    keras.Input(shape=(28, 28, 1)),",
  `    ${CONV},`,
  "    layers.MaxPooling2D(pool_size=(2, 2)),",
  "    layers.Flatten(),",
  '    layers.Dense(NUM_CLASSES, activation="softmax"),',
  "])",
);
/** A model built over two cells whose second layer no longer fits. */
const SMALL = lines("small = keras.Sequential()", "small.add(keras.Input(shape=(5, 5, 3)))", "small.add(layers.Conv2D(8, 3))");
const SMALL_MORE = "small.add(layers.Conv2D(8, 5))";

/** The model cell's labels by cell line, for FILTERS filters of 3×3 on 28×28×1 and 10 classes. */
function modelLabels(filters: number): Map<number, string[]> {
  const thousands = (n: number) => n.toLocaleString("en");
  const conv = 3 * 3 * 1 * filters + filters; // kernel weights + one bias per filter
  const flat = 13 * 13 * filters; // 26×26 after the valid 3×3 conv, halved by the 2×2 pool
  const dense = flat * 10 + 10;
  const total = conv + dense;
  const kb = ((total * 4) / 1024).toFixed(2); // float32 weights
  return new Map([
    [1, ["(None, 28, 28, 1)"]],
    [2, [`(None, 26, 26, ${filters}) · ${thousands(conv)} params`]],
    [3, [`(None, 13, 13, ${filters})`]],
    [4, [`(None, ${flat})`]],
    [5, [`(None, 10) · ${thousands(dense)} params`]],
    [6, [`Total params: ${thousands(total)} (${kb} KB)`]],
  ]);
}

describe("Jupyter notebooks", () => {
  let client: LspClient;

  before(async () => {
    client = await LspClient.start();
  });

  after(async () => {
    await client?.stop();
  });

  async function opened(): Promise<{ notebook: Notebook; diagnostics: Map<string, PublishDiagnosticsParams> }> {
    const notebook = new Notebook(client, [
      { id: "imports", text: IMPORTS },
      { id: "notes", text: MARKDOWN, markdown: true },
      { id: "constants", text: CONSTANTS },
      { id: "model", text: MODEL },
      { id: "small", text: SMALL },
      { id: "more", text: SMALL_MORE },
    ]);
    const codeCells = notebook.cells.filter((c) => c.kind === NotebookCellKind.Code);
    const published = codeCells.map((c) => client.nextDiagnostics(c.uri));
    await notebook.open();
    const all = await Promise.all(published);
    return { notebook, diagnostics: new Map(all.map((p) => [p.uri, p])) };
  }

  test("hints in a cell use the imports and constants of earlier cells, at the cell's own positions", async () => {
    const { notebook } = await opened();
    // 3·3·1·32 + 32 = 320; 13·13·32 = 5,408; 5,408·10 + 10 = 54,090; 54,410 · 4 B = 212.54 KB.
    const hints = await notebook.hints("model");
    assert.deepEqual(labelsByLine(hints), modelLabels(32));
    assert.equal(modelLabels(32).get(6)![0], "Total params: 54,410 (212.54 KB)");
    const conv = hints.find((h) => labelText(h).includes("320 params"))!;
    assert.deepEqual(conv.position, notebook.after("model", CONV));
    assert.deepEqual(await notebook.hints("imports"), []);
    assert.deepEqual(await notebook.hints("constants"), []);
    await notebook.close();
  });

  test("editing a constant in one cell changes the hints of a later cell", async () => {
    const { notebook } = await opened();
    const refreshes = client.refreshRequests;
    const republished = client.nextDiagnostics(notebook.byId("model").uri);
    await notebook.edit("constants", "FILTERS = 32", "FILTERS = 16");
    // 3·3·16 + 16 = 160; 13·13·16 = 2,704; 27,050; 27,210 · 4 B = 106.29 KB.
    assert.deepEqual(labelsByLine(await notebook.hints("model")), modelLabels(16));
    await republished;
    await withTimeout(
      (async () => {
        while (client.refreshRequests === refreshes) await new Promise((resolve) => setTimeout(resolve, 20));
      })(),
      "the client asked to fetch the other cells' hints again",
    );
    await notebook.close();
  });

  test("cells added, moved and removed: the analysis follows the notebook's order", async () => {
    const { notebook } = await opened();
    const override = notebook.cell("override", "FILTERS = 8");
    // Between the constants and the model: 8 filters, 3·3·8 + 8 = 80 params.
    await notebook.splice(3, 0, [override]);
    assert.deepEqual(labelsByLine(await notebook.hints("model")), modelLabels(8));
    // Moved after the model, it no longer reaches it: 32 filters again.
    await notebook.splice(3, 2, [notebook.byId("model"), override]);
    assert.deepEqual(labelsByLine(await notebook.hints("model")), modelLabels(32));
    // Moved back before it, then removed: its diagnostics are cleared, and the model is back to 32.
    await notebook.splice(3, 2, [override, notebook.byId("model")]);
    assert.deepEqual(labelsByLine(await notebook.hints("model")), modelLabels(8));
    const cleared = client.nextDiagnostics(override.uri);
    await notebook.splice(3, 1);
    assert.deepEqual((await cleared).diagnostics, []);
    assert.deepEqual(labelsByLine(await notebook.hints("model")), modelLabels(32));
    assert.deepEqual(await client.inlayHints(override.uri), [], "a removed cell has no hints");
    await notebook.close();
  });

  test("a cell under a cell magic that is not Python is left out; one under %%time is read", async () => {
    const { notebook } = await opened();
    // Read as Python, the open triple quote would swallow every cell after it.
    const shell = notebook.cell("shell", lines("%%bash", 'echo """', "FILTERS=8"));
    await notebook.splice(3, 0, [shell]);
    assert.deepEqual(labelsByLine(await notebook.hints("model")), modelLabels(32));
    const timed = notebook.cell("timed", lines("%%time", "FILTERS = 8"));
    await notebook.splice(3, 1, [timed]);
    assert.deepEqual(labelsByLine(await notebook.hints("model")), modelLabels(8));
    await notebook.close();
  });

  test("input the server cannot place is answered with nothing, and the server stays up", async () => {
    const { notebook } = await opened();
    const model = notebook.byId("model");
    const conn = client.connection;
    // A change to a notebook never opened, a cell update for a cell the notebook does not have.
    await conn.sendNotification(DidChangeNotebookDocumentNotification.type, {
      notebookDocument: { uri: "file:///nowhere.ipynb", version: 2 },
      change: { cells: { textContent: [{ document: { uri: "vscode-notebook-cell:/nowhere.ipynb#x", version: 2 }, changes: [{ text: "x" }] }] } },
    });
    await conn.sendNotification(DidChangeNotebookDocumentNotification.type, {
      notebookDocument: { uri: notebook.uri, version: 99 },
      change: { cells: { data: [{ kind: NotebookCellKind.Code, document: "vscode-notebook-cell:/elsewhere#y" }] } },
    });
    // Positions past the cell's end stay at its end (the model's total): nothing from the cells after it.
    assert.equal(await client.hover(model.uri, 999, 0), null);
    const beyond = await client.inlayHints(model.uri, { start: { line: 7, character: 0 }, end: { line: 999, character: 0 } });
    assert.deepEqual(beyond.map((h) => [h.position, labelText(h)]), [[{ line: 6, character: 2 }, "Total params: 54,410 (212.54 KB)"]]);
    assert.deepEqual(await client.inlayHints("vscode-notebook-cell:/nowhere.ipynb#x"), []);
    assert.ok(client.alive, client.stderr);
    assert.deepEqual(labelsByLine(await notebook.hints("model")), modelLabels(32));
    await notebook.close();
  });

  test("a notebook opened without code cells gets its analysis once one is added", async () => {
    const notebook = new Notebook(client, [{ id: "notes", text: MARKDOWN, markdown: true }]);
    await notebook.open();
    const cell = notebook.cell("all", [IMPORTS, CONSTANTS, MODEL].join("\n"));
    const published = client.nextDiagnostics(cell.uri);
    await notebook.splice(1, 0, [cell]);
    assert.deepEqual((await published).diagnostics, []);
    const lineOffset = IMPORTS.split("\n").length + CONSTANTS.split("\n").length;
    const shifted = new Map([...modelLabels(32)].map(([line, labels]) => [line + lineOffset, labels]));
    assert.deepEqual(labelsByLine(await notebook.hints("all")), shifted);
    await notebook.close();
  });

  test("a diagnostic lands on its own cell, with the history that led to it in the cell before", async () => {
    const { notebook, diagnostics } = await opened();
    const more = notebook.byId("more");
    const small = notebook.byId("small");
    for (const cell of notebook.cells.filter((c) => c.kind === NotebookCellKind.Code && c !== more)) {
      assert.deepEqual(diagnostics.get(cell.uri)?.diagnostics, [], `no diagnostics for ${cell.uri}`);
    }
    assert.ok(!diagnostics.has(notebook.byId("notes").uri), "a markdown cell is not analysed");
    // 5×5 → 3×3 after the first 3×3 kernel; a 5×5 kernel no longer fits: 3 − 5 + 1 = −1.
    // Both the height and the width: one error each, on the kernel size.
    const errors = diagnostics.get(more.uri)!.diagnostics;
    assert.deepEqual(errors.map((e) => e.code), ["LL101", "LL101"]);
    for (const error of errors) assert.deepEqual(error.range, { start: notebook.at("more", "5)"), end: notebook.after("more", "8, 5") });
    const related = errors.flatMap((e) => e.relatedInformation ?? []);
    assert.ok(related.length > 0);
    for (const r of related) assert.equal(r.location.uri, small.uri, "the shrinking happened in the cell before");
    assert.ok(related.some((r) => r.location.range.start.line === 2 && r.location.range.start.character === notebook.at("small", "layers.Conv2D(8, 3)").character));
    await notebook.close();
  });

  test("hover, code lenses, quick fixes and summaries answer for the cell asked about", async () => {
    const { notebook, diagnostics } = await opened();
    const model = notebook.byId("model");
    const hover = await client.hover(model.uri, notebook.at("model", CONV).line, notebook.at("model", CONV).character + 9);
    assert.match(hoverText(hover), /320/);
    assert.deepEqual(hover?.range, { start: notebook.at("model", CONV), end: notebook.after("model", CONV) });

    const lenses = (await withTimeout(client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: model.uri } }), "code lenses")) ?? [];
    assert.deepEqual(lenses.map((l) => l.range.start), [{ line: 0, character: 8 }, { line: 0, character: 8 }]);
    assert.deepEqual(lenses[1].command?.arguments, [model.uri, { line: 0, character: 8 }]);

    const more = notebook.byId("more");
    const [error] = diagnostics.get(more.uri)!.diagnostics;
    const actions = (await withTimeout(
      client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri: more.uri }, range: error.range, context: { diagnostics: [error] } }),
      "code actions",
    )) ?? [];
    assert.equal(actions.length, 1);
    const action = actions[0] as { diagnostics?: unknown[]; edit?: { changes?: Record<string, { range: unknown; newText: string }[]> } };
    assert.deepEqual(action.diagnostics, [error]);
    assert.deepEqual(Object.keys(action.edit?.changes ?? {}), [more.uri]);
    assert.deepEqual(action.edit!.changes![more.uri], [{ range: { start: notebook.after("more", "8, 5"), end: notebook.after("more", "8, 5") }, newText: ', padding="same"' }]);

    const summary: ModelSummaryResult | null = await withTimeout(
      client.connection.sendRequest("layerLens/modelSummary", { textDocument: { uri: more.uri }, position: { line: 0, character: 12 } }),
      "model summary",
    );
    assert.equal(summary?.uri, notebook.byId("small").uri, "the model is where it is constructed");
    assert.deepEqual(summary?.range.start, { line: 0, character: 8 });
    assert.deepEqual(
      summary?.rows.map((r) => [r.uri, r.range.start]),
      [
        [undefined, { line: 2, character: 10 }],
        [more.uri, { line: 0, character: 10 }],
      ],
    );
    await notebook.close();
  });

  test("a hint's link to the layer feeding it leads into the earlier cell, and says which", async () => {
    const { notebook } = await opened();
    const [hint] = await notebook.hints("more");
    assert.ok(typeof hint.label !== "string");
    const shape = hint.label[0];
    assert.deepEqual(shape.location, {
      uri: notebook.byId("small").uri,
      range: { start: notebook.at("small", "layers.Conv2D(8, 3)"), end: notebook.after("small", "layers.Conv2D(8, 3)") },
    });
    const tooltip = typeof shape.tooltip === "string" ? shape.tooltip : shape.tooltip?.value;
    assert.match(tooltip ?? "", /comes from line 3 of code cell 4:/);
    await notebook.close();
  });

  test("a plain hint of a cell with many hints resolves at its own position in that cell", async () => {
    // 100 models of 3 calls and a totals hint: 400 hints, more than an answer carries in full.
    const many = Array.from({ length: 100 }, (_, k) => lines(`m${k} = keras.Sequential([`, `    keras.Input((${k + 2},)),`, "    layers.Dense(4),", "    layers.Dense(2),", "])")).join("\n");
    const notebook = new Notebook(client, [
      { id: "imports", text: IMPORTS },
      { id: "many", text: many },
    ]);
    await notebook.open();
    const hints = await notebook.hints("many");
    assert.equal(hints.length, 400);
    // m7's Dense(4) on 9 features: (9 + 1)·4 = 40 params.
    const plain = hints.find((h) => h.label === "(None, 4) · 40 params")!;
    assert.deepEqual(plain.position, notebook.after("many", "m7 = keras.Sequential([\n    keras.Input((9,)),\n    layers.Dense(4)"));
    const resolved = await client.resolveInlayHint(plain);
    assert.deepEqual(resolved.position, plain.position);
    assert.match(tooltipText(resolved), /\(9 \+ 1\)·4 = 40/);
    await notebook.close();
  });

  test("closing the notebook clears every cell's diagnostics", async () => {
    const { notebook } = await opened();
    const codeCells = notebook.cells.filter((c) => c.kind === NotebookCellKind.Code);
    const cleared = codeCells.map((c) => client.nextDiagnostics(c.uri));
    await notebook.close();
    for (const p of await Promise.all(cleared)) assert.deepEqual(p.diagnostics, [], p.uri);
    assert.deepEqual(await notebook.hints("model"), []);
  });
});
