// The status bar item: the parameter total of the model under the cursor, with
// the full totals as tooltip; a click opens the summary. Hidden outside models.

import { Disposable, MarkdownString, StatusBarAlignment, window, workspace, type StatusBarItem, type TextEditor } from "vscode";
import type { SummaryFetcher } from "./summaryView";

const UPDATE_DELAY_MS = 200;

export class ParamsStatusBar implements Disposable {
  private readonly item: StatusBarItem;
  private readonly subscriptions: Disposable[];
  private pending?: NodeJS.Timeout;
  /** Counts updates so a slow answer for an old cursor position never overwrites a newer one. */
  private generation = 0;

  constructor(private readonly fetch: SummaryFetcher) {
    this.item = window.createStatusBarItem("layerLens.params", StatusBarAlignment.Right, 100);
    this.item.name = "Layer Lens: Model Parameters";
    this.item.command = "layerLens.showSummary";
    this.subscriptions = [
      window.onDidChangeActiveTextEditor(() => this.schedule()),
      window.onDidChangeTextEditorSelection(() => this.schedule()),
      workspace.onDidChangeTextDocument((e) => {
        if (e.document === window.activeTextEditor?.document) this.schedule();
      }),
    ];
    this.schedule();
  }

  private schedule(): void {
    clearTimeout(this.pending);
    this.pending = setTimeout(() => void this.update(), UPDATE_DELAY_MS);
  }

  /** Shows the total for the active editor's cursor now (e.g. once the server has started). */
  async update(): Promise<void> {
    const editor: TextEditor | undefined = window.activeTextEditor;
    const generation = ++this.generation;
    const summary =
      editor?.document.languageId === "python"
        ? await this.fetch({ textDocument: { uri: editor.document.uri.toString() }, position: editor.selection.active })
        : undefined;
    if (generation !== this.generation) return;
    if (!summary) {
      this.item.hide();
      return;
    }
    this.item.text = `$(symbol-numeric) ${summary.total.count} params`;
    this.item.tooltip = new MarkdownString(
      [
        `**${summary.title}**: input \`${summary.input}\``,
        `Total params: ${summary.total.count} (${summary.total.memory})`,
        `Trainable params: ${summary.trainable.count} (${summary.trainable.memory})`,
        `Non-trainable params: ${summary.nonTrainable.count} (${summary.nonTrainable.memory})`,
        "",
        "Click for the model summary.",
      ].join("  \n"),
    );
    this.item.show();
  }

  dispose(): void {
    clearTimeout(this.pending);
    this.item.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}
