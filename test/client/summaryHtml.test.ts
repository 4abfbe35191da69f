/**
 * The summary view's markup: user-controlled text (layer names, model names,
 * messages) is escaped, the page loads nothing and allows only its own nonce'd
 * style and script. The view itself runs in VS Code's suite.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { summaryBody, summaryPage } from "../../client/src/summaryHtml";
import type { ModelSummary } from "../../client/src/protocol";

const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };
const zero = { count: "0", memory: "0.00 B" };

const summary: ModelSummary = {
  uri: "file:///m.py",
  model: 0,
  title: "net<script>",
  input: "(None, 4)",
  sample: "(4,)",
  range,
  rows: [{ layer: "Dense", name: "<img src=x onerror=alert(1)>", outputShape: "(None, 2)", params: "10", share: "100.0%", macs: "8", memory: "8.00 B", range }],
  total: { count: "10", memory: "40.00 B" },
  trainable: { count: "10", memory: "40.00 B" },
  nonTrainable: zero,
  macs: "8",
  activations: "24.00 B",
  errors: ["padding must be 'valid' or 'same'; got '<b>'."],
  text: "",
  markdown: "",
};

test("every user-controlled string is escaped", () => {
  const html = summaryBody(summary);
  assert.ok(!html.includes("<script>") && !html.includes("<img") && !html.includes("<b>"), html);
  assert.ok(html.includes("net&lt;script&gt;"));
  assert.ok(html.includes("&lt;img src=x onerror=alert(1)&gt; (Dense)"));
  assert.ok(html.includes("got &#39;&lt;b&gt;&#39;."));
});

test("the page has a strict CSP: nothing remote, only the nonce'd inline style and script", () => {
  const page = summaryPage("abc123", summaryBody(summary));
  assert.ok(page.includes(`content="default-src 'none'; style-src 'nonce-abc123'; script-src 'nonce-abc123';"`));
  assert.equal([...page.matchAll(/<script nonce="abc123">/g)].length, 1);
  assert.equal([...page.matchAll(/<script/g)].length, 1);
  assert.ok(!/https?:\/\//.test(page), "no remote resource");
  assert.ok(!/ style="/.test(page), "inline style attributes would be blocked by the CSP");
  assert.ok(page.includes("net&lt;script&gt;"), "the first summary is in the page itself");
});

test("the page's script is valid JavaScript and only talks to VS Code", () => {
  const script = summaryPage("n", "").match(/<script nonce="n">([\s\S]*?)<\/script>/)![1];
  assert.doesNotThrow(() => new Function(script));
  assert.ok(!/fetch\(|XMLHttpRequest|WebSocket|import\(/.test(script), script);
});

test("the script renders what the extension sends and turns clicks into actions", () => {
  const script = summaryPage("n", "").match(/<script nonce="n">([\s\S]*?)<\/script>/)![1];
  const posted: unknown[] = [];
  const listeners: Record<string, (event: unknown) => void> = {};
  const root = { innerHTML: "", addEventListener: (type: string, f: (e: unknown) => void) => (listeners[`root:${type}`] = f) };
  const window = { addEventListener: (type: string, f: (e: unknown) => void) => (listeners[`window:${type}`] = f) };
  const document = { getElementById: (id: string) => (id === "root" ? root : null) };
  const acquireVsCodeApi = () => ({ postMessage: (m: unknown) => posted.push(m) });
  new Function("acquireVsCodeApi", "window", "document", script)(acquireVsCodeApi, window, document);

  listeners["window:message"]({ data: { type: "render", html: "<p>new</p>" } });
  assert.equal(root.innerHTML, "<p>new</p>");
  listeners["window:message"]({ data: { type: "other", html: "<p>ignored</p>" } });
  assert.equal(root.innerHTML, "<p>new</p>");

  const row = { dataset: { action: "reveal", row: "2" } };
  listeners["root:click"]({ target: { closest: (selector: string) => (selector === "[data-action]" ? row : null) } });
  listeners["root:click"]({ target: { closest: () => null } });
  assert.deepEqual(posted, [{ action: "reveal", row: 2 }]);
});

test("an override says the file is unchanged and offers the way back; a missing model says where to put the cursor", () => {
  assert.match(summaryBody({ ...summary, inputOverride: "(None, 8)" }), /Computed for the input \(None, 8\) you typed; the file is unchanged/);
  assert.match(summaryBody(undefined), /Place the cursor inside a Keras model/);
});

test("the MACs and output-memory columns and their totals show only when toggled on, and the toggle says which way it goes", () => {
  const hidden = summaryBody(summary);
  assert.ok(!hidden.includes("<th class=\"num\" title=\"Multiply-accumulates") && !hidden.includes("Total MACs"), hidden);
  assert.match(hidden, /data-action="toggle-cost">Show MACs and memory</);
  const shown = summaryBody(summary, true);
  assert.match(shown, />MACs<\/th><th class="num">Output memory<\/th><\/tr>/);
  assert.match(shown, /<td class="num">100.0%<\/td><td class="num">8<\/td><td class="num">8.00 B<\/td><\/tr>/);
  assert.match(shown, /Total MACs: 8 per sample \(FLOPs = 2 × MACs\).*Forward activations: 24.00 B per sample/);
  assert.match(shown, /data-action="toggle-cost">Hide MACs and memory</);
});

test("a nested model's row opens into its own layers: a toggle while closed, its layers under it once the server sent them", () => {
  const inner = [
    { layer: "Conv1 (Conv2D)", outputShape: "(None, 80, 80, 32)", params: "864", share: "<0.1%", macs: "5,529,600", memory: "800.00 KB" },
    { layer: "<b>out_relu</b> (ReLU)", outputShape: "(None, 5, 5, 1280)", params: "0", share: "0%", macs: "0", memory: "125.00 KB" },
  ];
  const backbone = { ...summary.rows[0], name: undefined, layer: "mobilenetv2_1.00_160", nested: 2 };
  const closed = summaryBody({ ...summary, rows: [summary.rows[0], backbone] });
  assert.match(closed, /<tr data-action="reveal" data-row="1" title="Go to this layer"><td><span class="toggle" data-action="expand" data-row="1" title="Show its 2 layers">▸<\/span>mobilenetv2_1.00_160<\/td>/);
  assert.ok(!closed.includes('class="nested"'), closed);
  assert.ok(!/data-row="0"[^>]*><td><span/.test(closed), "a plain layer has no toggle");

  const open = summaryBody({ ...summary, rows: [summary.rows[0], { ...backbone, rows: inner }] }, true);
  assert.match(open, /title="Hide its 2 layers">▾<\/span>mobilenetv2_1.00_160/);
  // Each layer under the row, in order, revealing the row it belongs to; its name escaped.
  const nested = [...open.matchAll(/<tr class="nested" data-action="reveal" data-row="(\d+)"><td>(.*?)<\/td><td class="shape">(.*?)<\/td>/g)].map((m) => m.slice(1));
  assert.deepEqual(nested, [
    ["1", "Conv1 (Conv2D)", "(None, 80, 80, 32)"],
    ["1", "&lt;b&gt;out_relu&lt;/b&gt; (ReLU)", "(None, 5, 5, 1280)"],
  ]);
  assert.ok(open.indexOf('class="nested"') > open.indexOf("mobilenetv2_1.00_160"), "listed after their row");
  assert.match(open, /<td class="num">864<\/td><td class="num">&lt;0.1%<\/td><td class="num">5,529,600<\/td><td class="num">800.00 KB<\/td><\/tr>/);
});
