// The model summary view and its two commands:
// - `layerLens.showSummary [uri, position]`: the summary of the model under the
//   cursor (or at the code lens that ran it), in a webview beside the editor that
//   follows the cursor and updates as the user types;
// - `layerLens.tryInputSize`: the same summary computed for an input shape the
//   user types, without editing the file.
// The server computes everything (layerLens/modelSummary); this file only asks and shows.

import { randomBytes } from "crypto";
import {
  Disposable,
  Position,
  Range,
  Selection,
  TextEditorRevealType,
  Uri,
  ViewColumn,
  WebviewPanel,
  commands,
  env,
  window,
  workspace,
  type TextEditor,
} from "vscode";
import type { ModelSummary, ModelSummaryParams } from "./protocol";
import { summaryBody, summaryPage } from "./summaryHtml";

/** Asks the server; undefined when it is not running or cannot answer. */
export type SummaryFetcher = (params: ModelSummaryParams) => Promise<ModelSummary | undefined>;

/** What the view shows: a model of a document, maybe for another input shape. */
interface Subject {
  readonly uri: string;
  readonly model: number;
  readonly inputShape?: string;
}

const UPDATE_DELAY_MS = 250;

const page = (summary: ModelSummary | undefined, showCost: boolean) => summaryPage(randomBytes(16).toString("base64"), summaryBody(summary, showCost));

const isPython = (editor: TextEditor | undefined): editor is TextEditor => editor?.document.languageId === "python";

export class SummaryView implements Disposable {
  private panel?: WebviewPanel;
  private subject?: Subject;
  private summary?: ModelSummary;
  private pending?: NodeJS.Timeout;
  /** The MACs and output-memory columns, shown or not (the view's toggle; off until asked). */
  private showCost = false;
  /** The subject's rows of nested models opened into their own layers (closed when another model is shown). */
  private expanded = new Set<number>();
  private readonly subscriptions: Disposable[];

  constructor(private readonly fetch: SummaryFetcher) {
    this.subscriptions = [
      commands.registerCommand("layerLens.showSummary", (uri?: string, position?: { line: number; character: number }) =>
        this.showAt(uri, position),
      ),
      commands.registerCommand("layerLens.tryInputSize", () => this.tryInputSize()),
      workspace.onDidChangeTextDocument((e) => {
        if (this.panel && e.document.uri.toString() === this.subject?.uri) this.schedule(() => this.refresh());
      }),
      window.onDidChangeTextEditorSelection((e) => {
        if (this.panel && isPython(e.textEditor)) this.schedule(() => this.follow(e.textEditor));
      }),
    ];
  }

  /** The summary for the cursor of the active editor, or for the given document position. */
  private async showAt(uri?: string, position?: { line: number; character: number }): Promise<void> {
    const editor = window.activeTextEditor;
    const target = uri ?? (isPython(editor) ? editor.document.uri.toString() : undefined);
    const at = position ?? (isPython(editor) ? editor.selection.active : undefined);
    const summary = target && at ? await this.fetch({ textDocument: { uri: target }, position: at }) : undefined;
    if (!summary) {
      void window.showInformationMessage("Layer Lens: place the cursor inside a Keras model to see its summary.");
      return;
    }
    this.show({ uri: summary.uri, model: summary.model }, summary);
  }

  private async tryInputSize(subject?: Subject): Promise<void> {
    const editor = window.activeTextEditor;
    const current = subject
      ? await this.fetch({ textDocument: { uri: subject.uri }, model: subject.model })
      : isPython(editor)
        ? await this.fetch({ textDocument: { uri: editor.document.uri.toString() }, position: editor.selection.active })
        : undefined;
    if (!current) {
      void window.showInformationMessage("Layer Lens: place the cursor inside a Keras model to try another input size.");
      return;
    }
    const base: Subject = { uri: current.uri, model: current.model };
    const request = (inputShape: string) => this.fetch({ textDocument: { uri: base.uri }, model: base.model, inputShape });
    const inputShape = await window.showInputBox({
      title: "Layer Lens: Try Another Input Size",
      prompt: "The input shape of one sample, without the batch dimension, as for keras.Input(shape=…). The file is not changed.",
      value: current.sample === "?" ? undefined : current.sample,
      placeHolder: "(32, 32, 1)",
      validateInput: async (text) => (await request(text))?.inputError,
    });
    if (inputShape === undefined) return;
    const summary = await request(inputShape);
    if (summary && !summary.inputError) this.show({ ...base, inputShape }, summary);
  }

  /** The rows to ask the server to expand, for the model shown. */
  private expand(): { expand?: number[] } {
    return this.expanded.size ? { expand: [...this.expanded] } : {};
  }

  private show(subject: Subject, summary: ModelSummary): void {
    // Another model, or an answer that did not open them (another input size asked for): none open.
    if (subject.uri !== this.subject?.uri || subject.model !== this.subject.model || [...this.expanded].some((row) => !summary.rows[row]?.rows)) this.expanded.clear();
    this.subject = subject;
    if (!this.panel) {
      this.panel = window.createWebviewPanel("layerLens.summary", "Model Summary", { viewColumn: ViewColumn.Beside, preserveFocus: true }, {
        enableScripts: true,
        localResourceRoots: [],
      });
      this.panel.webview.html = page(summary, this.showCost);
      this.panel.webview.onDidReceiveMessage((message: { action?: string; row?: number }) => this.onMessage(message));
      // A hidden webview is discarded, and reloaded from its HTML when shown again.
      this.panel.onDidChangeViewState((e) => {
        if (e.webviewPanel.visible) e.webviewPanel.webview.html = page(this.summary, this.showCost);
      });
      this.panel.onDidDispose(() => {
        this.panel = undefined;
        this.subject = undefined;
        this.summary = undefined;
      });
    } else this.panel.reveal(undefined, true);
    this.render(summary);
  }

  private render(summary: ModelSummary | undefined): void {
    this.summary = summary;
    if (!this.panel) return;
    this.panel.title = summary ? `Summary: ${summary.title}${summary.inputOverride ? ` on ${summary.inputOverride}` : ""}` : "Model Summary";
    if (this.panel.visible) void this.panel.webview.postMessage({ type: "render", html: summaryBody(summary, this.showCost) });
  }

  private schedule(update: () => Promise<void>): void {
    clearTimeout(this.pending);
    this.pending = setTimeout(() => void update(), UPDATE_DELAY_MS);
  }

  /** The document changed: the same model again, with the same input override. */
  private async refresh(): Promise<void> {
    const subject = this.subject;
    if (!subject) return;
    const summary = await this.fetch({ textDocument: { uri: subject.uri }, model: subject.model, inputShape: subject.inputShape, ...this.expand() });
    if (subject === this.subject) this.render(summary);
  }

  /** The cursor moved: show the model it is in, if any; an input override belongs to the model it was typed for. */
  private async follow(editor: TextEditor): Promise<void> {
    const summary = await this.fetch({ textDocument: { uri: editor.document.uri.toString() }, position: editor.selection.active, ...this.expand() });
    if (!summary || !this.panel) return;
    const same = summary.uri === this.subject?.uri && summary.model === this.subject.model;
    if (same && this.subject?.inputShape) return;
    this.subject = { uri: summary.uri, model: summary.model };
    if (same || !this.expanded.size) return this.render(summary);
    // Another model: its rows of those numbers are not the ones opened.
    this.expanded.clear();
    return this.refresh();
  }

  private async onMessage(message: { action?: string; row?: number }): Promise<void> {
    const summary = this.summary;
    if (!summary) return;
    switch (message.action) {
      case "copy-text":
      case "copy-markdown":
        await env.clipboard.writeText(message.action === "copy-text" ? summary.text : summary.markdown);
        window.setStatusBarMessage(`Layer Lens: summary copied as ${message.action === "copy-text" ? "text" : "Markdown"}`, 3000);
        return;
      case "reveal": {
        const row = summary.rows[message.row ?? -1];
        if (!row) return;
        const { start, end } = row.range;
        const range = new Range(new Position(start.line, start.character), new Position(end.line, end.character));
        const uri = row.uri ?? summary.uri;
        const column = window.visibleTextEditors.find((e) => e.document.uri.toString() === uri)?.viewColumn ?? ViewColumn.One;
        const editor = await window.showTextDocument(Uri.parse(uri), { viewColumn: column, selection: new Selection(range.start, range.start) });
        editor.revealRange(range, TextEditorRevealType.InCenterIfOutsideViewport);
        return;
      }
      case "expand": {
        const row = message.row ?? -1;
        if (!summary.rows[row]?.nested) return;
        if (!this.expanded.delete(row)) this.expanded.add(row);
        return this.refresh();
      }
      case "toggle-cost":
        this.showCost = !this.showCost;
        return this.render(summary);
      case "reset-input":
        if (this.subject) this.subject = { uri: this.subject.uri, model: this.subject.model };
        return this.refresh();
      case "try-input":
        return this.tryInputSize(this.subject && { uri: this.subject.uri, model: this.subject.model });
    }
  }

  dispose(): void {
    clearTimeout(this.pending);
    this.panel?.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}
