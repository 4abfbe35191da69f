/**
 * Memory that must not grow with the length of an editing session: after edits all over a file,
 * the analysis holds no copies of the document's text as it was before those edits.
 *
 * Counted in a heap snapshot (counts of live strings, not timings or sizes, so not noisy): V8
 * makes a longer slice of a string a view into it, and a name the analysis kept from each edited
 * part used to keep one whole old text alive per part.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { getHeapSnapshot } from "node:v8";
import { TextDocument } from "vscode-languageserver-textdocument";
import { LensDocument } from "../../server/src/lsp/document";
import { inlayHints } from "../../server/src/lsp/inlayHints";
import { defaultSettings } from "../../server/src/lsp/settings";
// @ts-expect-error: a plain ES module without types (the benchmark's generator of realistic files).
import { generateKerasFile } from "../../scripts/bench-corpus.mjs";

const MARKER = "# layer-lens memory test: a text of its own\n";

/** How many live strings of at least `length` characters start with MARKER (the snapshot forces a full collection first). */
async function liveTexts(length: number): Promise<number> {
  let json = "";
  for await (const chunk of getHeapSnapshot()) json += chunk;
  const snapshot = JSON.parse(json);
  const fields: string[] = snapshot.snapshot.meta.node_fields;
  const nodeTypes: string[] = snapshot.snapshot.meta.node_types[0];
  const [type, name, size] = ["type", "name", "self_size"].map((f) => fields.indexOf(f));
  const nodes: number[] = snapshot.nodes;
  let count = 0;
  for (let i = 0; i < nodes.length; i += fields.length) {
    if (nodeTypes[nodes[i + type]] === "string" && nodes[i + size] >= length && snapshot.strings[nodes[i + name]].startsWith(MARKER)) count++;
  }
  return count;
}

test("editing thirty models keeps no old copies of the document's text", async () => {
  const original: string = MARKER + generateKerasFile(1000, 11);
  const doc = new LensDocument(TextDocument.create("file:///memory.py", "python", 1, original));
  const wholeFile = { start: { line: 0, character: 0 }, end: { line: original.split("\n").length, character: 0 } };
  assert.ok(inlayHints(doc, wholeFile, defaultSettings, 0).length > 100, "the file has hints");
  for (let edit = 0, at = 0; edit < 30; edit++) {
    const next = doc.text.getText().indexOf("Dense(", at + 600);
    assert.ok(next > at, "each edit goes into another model");
    at = next + "Dense(".length;
    const position = doc.text.positionAt(at);
    doc.update([{ range: { start: position, end: position }, text: "1" }], edit + 2);
    inlayHints(doc, wholeFile, defaultSettings, 0);
  }
  // The test's own `original`, the current text, and at most one V8 holds for a while.
  const alive = await liveTexts(original.length);
  assert.ok(alive <= 3, `${alive} texts of the document are alive after 30 edits`);
});
