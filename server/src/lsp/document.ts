/**
 * A document as the server holds it: its text (as vscode-languageserver-textdocument
 * keeps it), its syntax tree, and its analysis. Work is done only when a
 * request needs it: an edit records the change, the next request re-parses
 * (incrementally) and re-analyses.
 */
import { TextDocument, TextDocumentContentChangeEvent } from "vscode-languageserver-textdocument";
import { DocumentAnalysis } from "../analysis";
import { IncrementalProgram } from "../python/incremental";
import { ParsedDocument, TextChange } from "../python/parser";
import { KerasVersion } from "../python/libraries/generation";
import { ProjectContext } from "../python/project";

/**
 * Beyond this many characters a document is not analysed at all: parsing it
 * would take seconds, and no model definition is that long. The server says so
 * once in its log and shows nothing rather than stale or partial results.
 */
export const MAX_DOCUMENT_LENGTH = 4_000_000;

/**
 * How far beyond the requested lines a long file not yet parsed whole is parsed at first (in
 * characters, about fifty lines): a model's statements often go on past the last visible line.
 */
const HEAD_MARGIN = 2_000;

const NOTHING: DocumentAnalysis = { models: [], calls: [], blocks: [], diagnostics: [] };

export class LensDocument {
  private parsed?: ParsedDocument;
  private analysis?: DocumentAnalysis;
  /** How far `analysis` is complete. */
  private analysedThrough = 0;
  /** See `takeAnsweredFromHead`. */
  private answeredFromHead = false;
  /** Keeps the analysis of the parts of the file an edit did not reach. */
  private readonly program: IncrementalProgram;

  /**
   * Seen from a file that imports this document (see `setCaller`): that file's analysis with this document's code
   * shown, kept for the file's version it was made from.
   */
  private viewedFrom?: { readonly caller: LensDocument; readonly program: IncrementalProgram; version: number };
  /** The open file whose calls this document's lines show, when it is a module such a file imports. */
  private caller: () => LensDocument | undefined = () => undefined;
  private kerasVersion: KerasVersion = "auto";

  /** `project`: the document's path and the project its imports are looked for in (none: the document on its own). */
  constructor(
    public text: TextDocument,
    private readonly project?: ProjectContext,
  ) {
    this.program = new IncrementalProgram("auto", project);
    this.reset();
  }

  /** The project's path of the document, if it has a project. */
  get path(): string | undefined {
    return this.project?.path;
  }

  /** Whether the document's last analysis read the project's module at `path`. */
  readsModule(path: string): boolean {
    return this.program.reads(path);
  }

  /**
   * How to find the open file this document's lines show the calls of (a module of the project a script imports
   * and calls: its helpers then show the script's runs, not runs on unknown arguments).
   */
  setCaller(find: () => LensDocument | undefined): void {
    this.caller = find;
  }

  /** Whether the file this document's lines would show the calls of is another, or has changed, since its last analysis. */
  callerChanged(): boolean {
    const caller = this.project ? this.caller() : undefined;
    const viewed = this.viewedFrom;
    return caller !== viewed?.caller || (!!caller && caller.text.version !== viewed?.version);
  }

  get tooLarge(): boolean {
    return this.text.getText().length > MAX_DOCUMENT_LENGTH;
  }

  /** Why the document has no analysis although it is not too large: the parser gave up on it (known once it tried). */
  get gaveUp(): string | undefined {
    return this.parsed?.gaveUp;
  }

  private reset(): void {
    this.parsed = this.tooLarge ? undefined : new ParsedDocument(this.text.getText());
    this.program.edited("everything");
  }

  get uri(): string {
    return this.text.uri;
  }

  /**
   * Applies the client's changes. Ranges past the end are clamped (as
   * TextDocument does); a malformed change throws, after the tree has been
   * re-synchronised with the text applied so far.
   */
  update(changes: readonly TextDocumentContentChangeEvent[], version: number): void {
    const edits: TextChange[] = [];
    let incremental = true;
    try {
      for (const change of changes) {
        if ("range" in change) {
          // TextDocument clamps offsets and swaps a reversed range; the tree must see the same edit.
          const [from, to] = [this.text.offsetAt(change.range.start), this.text.offsetAt(change.range.end)].sort((a, b) => a - b);
          // An empty change leaves the text as it is, so the tree stays too: Lezer, given the tree's fragments
          // again, may recover from an error elsewhere differently than it did (or than a fresh parse does).
          if (from !== to || change.text.length > 0) edits.push({ from, to, insertedLength: change.text.length });
        } else incremental = false;
        this.text = TextDocument.update(this.text, [change], version);
      }
    } catch (error) {
      this.analysis = undefined;
      this.reset();
      throw error;
    }
    if (!incremental || !this.parsed || this.tooLarge) {
      this.analysis = undefined;
      this.reset();
    } else if (edits.length) {
      this.analysis = undefined;
      this.parsed.update(this.text.getText(), edits);
      this.program.edited(edits);
    }
  }

  /**
   * Reads the document as another Keras generation (`layerLens.kerasVersion`) from the next request on.
   * True when that changes the setting: the analysis is made again.
   */
  setKerasVersion(version: KerasVersion): boolean {
    this.kerasVersion = version;
    this.viewedFrom = undefined;
    if (!this.program.setKerasVersion(version)) return false;
    this.analysis = undefined;
    this.analysedThrough = 0;
    return true;
  }

  /**
   * Whether a module of the project the last analysis read has changed since (edited, saved, added, removed):
   * then the analysis is made again at the next request.
   */
  importsChanged(): boolean {
    if (!this.program.importsChanged() && !this.viewedFrom?.program.importsChanged()) return false;
    this.analysis = undefined;
    this.analysedThrough = 0;
    return true;
  }

  /** How a hint names the line of an offset, for the user to find it. */
  describeLine(offset: number): string {
    return `line ${this.text.positionAt(offset).line + 1}`;
  }

  /**
   * The analysis, complete up to offset `through` at least (everything by default): a request for
   * the visible lines needs the file only as far as those lines, since nothing later changes them.
   * Until the whole file is parsed, a long one is parsed only as far as those lines and a margin
   * (further if a part of the analysis goes on past it). With a budget it may stop short: while
   * parsing the whole file, or after the first part that takes it past the budget.
   */
  analyze(through = Infinity, budgetMs = Infinity): DocumentAnalysis {
    const parsed = this.parsed;
    if (!parsed) return NOTHING;
    if (this.callerChanged()) this.analysis = undefined;
    if (this.analysis && this.analysedThrough >= through && !this.importsChanged()) return this.analysis;
    const deadline = performance.now() + budgetMs;
    // A module an open file calls shows that file's calls, once the file is parsed whole.
    const caller = this.project ? this.caller() : undefined;
    if (caller?.project && caller.parsed?.parseUntil(deadline)) return this.analyzeAsCalled(caller, caller.project, caller.parsed, deadline);
    this.viewedFrom = undefined;
    for (let margin = HEAD_MARGIN; through < Infinity; margin *= 4) {
      const head = parsed.headTree(through, margin);
      if (!head) break;
      this.analysis = this.program.analyze(head.tree, parsed.text, through, deadline, head);
      this.analysedThrough = this.program.lastRun.through;
      if (!this.program.lastRun.cutShort) {
        this.answeredFromHead = true;
        return this.analysis;
      }
    }
    if (!parsed.parseUntil(deadline)) return this.analysis ?? NOTHING;
    this.analysis = this.program.analyze(parsed.tree, parsed.text, through, deadline);
    this.analysedThrough = this.program.lastRun.through;
    return this.analysis;
  }

  /**
   * The caller's analysis with this document's code shown: its lines show what the caller's calls make. Offsets
   * in the caller mean nothing here: it is complete, or not yet (a deadline passed).
   */
  private analyzeAsCalled(caller: LensDocument, project: ProjectContext, parsed: ParsedDocument, deadline: number): DocumentAnalysis {
    let viewed = this.viewedFrom;
    if (viewed?.caller !== caller) {
      const focused = { ...project, focus: this.project!.path };
      viewed = this.viewedFrom = { caller, program: new IncrementalProgram(this.kerasVersion, focused), version: caller.text.version };
    }
    viewed.version = caller.text.version;
    this.analysis = viewed.program.analyze(parsed.tree, parsed.text, Infinity, deadline);
    this.analysedThrough = viewed.program.lastRun.complete ? Infinity : 0;
    return this.analysis;
  }

  /**
   * Whether an analysis of the file's first lines only (before the whole file was parsed) has been
   * answered from since the last call. The whole analysis may find more (a statement further on
   * that reaches back); the client is then asked for hints again.
   */
  takeAnsweredFromHead(): boolean {
    const answered = this.answeredFromHead;
    this.answeredFromHead = false;
    return answered;
  }

  /** Whether the last analysis covers the whole document (or there is nothing to analyse). */
  get analysedCompletely(): boolean {
    return !this.parsed || (this.analysis !== undefined && this.analysedThrough === Infinity);
  }
}
