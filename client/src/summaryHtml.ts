// The summary view's HTML. Pure: a summary in, markup out, every value escaped.
// The page follows the editor's theme through VS Code's CSS variables and loads
// nothing: its one inline style and script carry a nonce allowed by a strict CSP.

import type { ModelSummary, NestedRow } from "./protocol";

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

const STYLE = `
body { color: var(--vscode-foreground); background: var(--vscode-editor-background); font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); padding: 0 16px 16px; }
h2 { font-size: 1.1em; font-weight: 600; margin: 12px 0 4px; }
.input { color: var(--vscode-descriptionForeground); margin-bottom: 8px; }
.override { border-left: 3px solid var(--vscode-editorInfo-foreground); padding: 4px 8px; margin: 8px 0; background: var(--vscode-textBlockQuote-background); }
.errors { border-left: 3px solid var(--vscode-editorError-foreground); padding: 4px 8px; margin: 8px 0; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 3px 10px 3px 0; border-bottom: 1px solid var(--vscode-panel-border); }
th { font-weight: 600; }
td.num, th.num { text-align: right; }
td.shape, td.num { font-family: var(--vscode-editor-font-family); }
tbody tr { cursor: pointer; }
tbody tr:hover { background: var(--vscode-list-hoverBackground); }
tr.nested td:first-child { padding-left: 2.2em; color: var(--vscode-descriptionForeground); }
.toggle { display: inline-block; width: 1.2em; cursor: pointer; }
.totals { margin: 10px 0; font-family: var(--vscode-editor-font-family); }
.actions { margin-top: 12px; display: flex; gap: 8px; }
button { color: var(--vscode-button-foreground); background: var(--vscode-button-background); border: none; padding: 4px 10px; cursor: pointer; font-family: inherit; }
button:hover { background: var(--vscode-button-hoverBackground); }
button.secondary { color: var(--vscode-button-secondaryForeground); background: var(--vscode-button-secondaryBackground); }
.empty { color: var(--vscode-descriptionForeground); }
`;

// Replaces the body on each update (keeping the scroll position) and turns clicks into messages.
const SCRIPT = `
const vscode = acquireVsCodeApi();
const root = document.getElementById("root");
window.addEventListener("message", (event) => {
  if (event.data && event.data.type === "render") root.innerHTML = event.data.html;
});
root.addEventListener("click", (event) => {
  const target = event.target.closest("[data-action]");
  if (target) vscode.postMessage({ action: target.dataset.action, row: Number(target.dataset.row) });
});
`;

/** The page with its first body; later summaries arrive as `render` messages. */
export function summaryPage(nonce: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Model summary</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
<div id="root">${body}</div>
<script nonce="${nonce}">${SCRIPT}</script>
</body>
</html>`;
}

/**
 * The body for one summary: title, input, table, totals, problems, copy buttons. `showCost` adds the MACs and
 * output-memory columns and their totals (the view's toggle).
 */
export function summaryBody(summary: ModelSummary | undefined, showCost = false): string {
  if (!summary) return `<p class="empty">Place the cursor inside a Keras model to see its summary.</p>`;
  const e = escapeHtml;
  const costCells = (r: NestedRow) => (showCost ? `<td class="num">${e(r.macs)}</td><td class="num">${e(r.memory)}</td>` : "");
  const cells = (r: NestedRow) =>
    `${e(r.name ? `${r.name} (${r.layer})` : r.layer)}</td><td class="shape">${e(r.outputShape)}</td><td class="num">${e(r.params)}</td><td class="num">${e(r.share)}</td>${costCells(r)}</tr>`;
  // A nested model's row opens into its own layers (sent by the server only once asked: a backbone is hundreds).
  const toggle = (r: ModelSummary["rows"][number], i: number) =>
    r.nested ? `<span class="toggle" data-action="expand" data-row="${i}" title="${r.rows ? "Hide" : "Show"} its ${r.nested} layers">${r.rows ? "▾" : "▸"}</span>` : "";
  const rows = summary.rows
    .map(
      (r, i) =>
        `<tr data-action="reveal" data-row="${i}" title="Go to this layer"><td>${toggle(r, i)}${cells(r)}` +
        (r.rows ?? []).map((inner) => `<tr class="nested" data-action="reveal" data-row="${i}"><td>${cells(inner)}`).join(""),
    )
    .join("");
  const costHeads = showCost ? `<th class="num" title="Multiply-accumulates for one sample; FLOPs = 2 × MACs">MACs</th><th class="num">Output memory</th>` : "";
  const costTotals = showCost
    ? `<div>Total MACs: ${e(summary.macs)} per sample (FLOPs = 2 × MACs)</div><div>Forward activations: ${e(summary.activations)} per sample</div>`
    : "";
  const total = (label: string, t: { count: string; memory: string }) => `<div>${label}: ${e(t.count)} (${e(t.memory)})</div>`;
  const override = summary.inputOverride
    ? `<div class="override">Computed for the input ${e(summary.inputOverride)} you typed; the file is unchanged. ` +
      `<button class="secondary" data-action="reset-input">Back to the file's input</button></div>`
    : "";
  const errors = summary.errors.length
    ? `<div class="errors">Keras would refuse this model:<ul>${summary.errors.map((m) => `<li>${e(m)}</li>`).join("")}</ul></div>`
    : "";
  return (
    `<h2>${e(summary.title)}</h2><div class="input">Input ${e(summary.input)}</div>${override}${errors}` +
    `<table><thead><tr><th>Layer (type)</th><th>Output shape</th><th class="num">Params</th><th class="num">Share</th>${costHeads}</tr></thead>` +
    `<tbody>${rows}</tbody></table>` +
    `<div class="totals">${total("Total params", summary.total)}${total("Trainable params", summary.trainable)}${total("Non-trainable params", summary.nonTrainable)}${costTotals}</div>` +
    `<div class="actions"><button data-action="copy-text">Copy as text</button><button data-action="copy-markdown">Copy as Markdown</button>` +
    `<button class="secondary" data-action="toggle-cost">${showCost ? "Hide" : "Show"} MACs and memory</button>` +
    `<button class="secondary" data-action="try-input">Try another input size…</button></div>`
  );
}
