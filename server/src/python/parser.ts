/**
 * The Python parser: Lezer's error-tolerant, incremental Python grammar. A
 * document keeps its last tree and fragments so an edit re-parses only what
 * changed. Parsing never fails; broken code yields error nodes (⚠) in the tree.
 */
import { ChangedRange, PartialParse, SyntaxNode, Tree, TreeFragment } from "@lezer/common";
import { parser } from "@lezer/python";
import { OutlineStatement, OutlineTail, outline } from "./outline";
import { Zone, coveredBy, errorZones, mergeZones, withoutZones } from "./errorZones";

/**
 * CPython refuses more than 200 nested brackets. Deeper nesting is not Python,
 * and Lezer builds trees recursively, so e.g. 100,000 nested parentheses
 * overflow the stack. Brackets beyond this depth are blanked (same length, so
 * offsets are unchanged) before parsing.
 */
const MAX_BRACKET_DEPTH = 200;

/**
 * The text with brackets nested deeper than MAX_BRACKET_DEPTH replaced by spaces (the same string
 * when there are none), and the deepest nesting in it.
 */
function limitNesting(text: string, end = text.length): { source: string; deepest: number } {
  let depth = 0;
  let deepest = 0;
  let blanked: number[] | undefined;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 35 /* # */) {
      const end = text.indexOf("\n", i);
      i = end < 0 ? text.length : end;
    } else if (c === 34 || c === 39 /* " ' */) {
      i = stringEnd(text, i, c);
    } else if (c === 40 || c === 91 || c === 123 /* ( [ { */) {
      if (++depth > MAX_BRACKET_DEPTH) (blanked ??= []).push(i);
      if (depth > deepest) deepest = depth;
    } else if (c === 41 || c === 93 || c === 125 /* ) ] } */) {
      if (depth-- > MAX_BRACKET_DEPTH) (blanked ??= []).push(i);
      if (depth < 0) depth = 0;
    }
  }
  if (!blanked) return { source: text, deepest };
  const chars = text.split("");
  for (const i of blanked) chars[i] = " ";
  return { source: chars.join(""), deepest };
}

function brackets(text: string): number {
  return text.match(/[()[\]{}]/g)?.length ?? 0;
}

/** Characters whose insertion or removal can move where strings and comments end, and so which brackets count. */
const LEXICAL = /["'#\\\n\r]/;
/** ...and where top-level statements start (see `outline.ts`). */
const OUTLINE_LEXICAL = /["'#\\\n\r()[\]{}@\f]/;
/**
 * What on an edited line can make the edit move where a string ends far below it: a triple quote (one typed
 * or deleted, or put into or out of a comment, flips which quotes open and which close every string after
 * it), or a backslash (a line continued inside a string). Lezer's incremental parse reuses nodes below such an
 * edit as they were (a fresh parse reads them inside out), so nothing after the edited line is reused.
 */
const FAR_STRING_END = /"""|'''|\\/;

/** The offset of the last character of the string literal opening at `start` with quote `quote` (or of the text). */
function stringEnd(text: string, start: number, quote: number): number {
  const triple = text.charCodeAt(start + 1) === quote && text.charCodeAt(start + 2) === quote;
  if (triple) {
    const closing = text.slice(start, start + 3);
    for (let i = start + 3; ; ) {
      const end = text.indexOf(closing, i);
      if (end < 0) return text.length;
      let backslashes = 0;
      while (text.charCodeAt(end - 1 - backslashes) === 92 /* \ */) backslashes++;
      if (backslashes % 2 === 0) return end + 2;
      i = end + 1;
    }
  }
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 92 /* \ */) i++;
    else if (c === quote) return i;
    else if (c === 10) return i - 1;
  }
  return text.length;
}

/**
 * A parse gives up after this long rather than hold the server: Lezer needs
 * about a second per megabyte here, so only documents far beyond any real
 * model file reach it.
 */
export const PARSE_BUDGET_MS = 5_000;

/** The outcome of a parse: a tree, or the reason there is none (never a partial tree). */
type ParseResult = { tree: Tree; reusable: boolean; deepest?: number } | { gaveUp: string };

/**
 * Python skips a byte-order mark at the start of a file; Lezer would read it
 * as an invalid character and lose the first statement. It becomes a line
 * break (same length, so offsets are unchanged).
 */
function withoutByteOrderMark(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? `\n${text.slice(1)}` : text;
}

/** Whether `offset` is at the first character of its line that is not a space or a tab. */
function startsLine(text: string, offset: number): boolean {
  let at = offset;
  while (at > 0 && (text.charCodeAt(at - 1) === 32 || text.charCodeAt(at - 1) === 9)) at--;
  return at === 0 || text.charCodeAt(at - 1) === 10 || text.charCodeAt(at - 1) === 13;
}

/**
 * The counters of @lezer/lr's parse (1.4.12, not in its typings) that we reset: see `Parse.advance`.
 * Missing in another version, resetting them changes nothing.
 */
interface ReductionCounters {
  bigReductionCount?: number;
  lastBigReductionStart?: number;
}

/** A parse under way: advanced a slice at a time, it gives up past a budget of time spent in it. */
class Parse {
  private readonly partial: PartialParse;
  private readonly source: string;
  private readonly reusable: boolean;
  private readonly deepest?: number;
  private spentMs = 0;

  /** `shallow`: the text cannot hold brackets nested too deeply, no need to look. */
  constructor(
    text: string,
    private readonly budgetMs: number,
    fragments?: readonly TreeFragment[],
    shallow = false,
    stopAt?: number,
  ) {
    const unmarked = withoutByteOrderMark(text);
    // (Parsing stops at `stopAt`: nesting further on does not matter.)
    const { source, deepest } = shallow ? { source: unmarked, deepest: undefined } : limitNesting(unmarked, stopAt);
    // Blanked brackets depend on the whole text, so that tree is no base for the next parse.
    this.reusable = source === unmarked;
    this.deepest = deepest;
    this.partial = parser.startParse(source, this.reusable ? fragments : undefined);
    if (stopAt !== undefined) this.partial.stopAt(stopAt);
    this.source = source;
  }

  /** Parses on until `deadline` (a `performance.now()` time): the result, or undefined if it is not done yet. */
  advance(deadline = Infinity): ParseResult | undefined {
    const started = performance.now();
    try {
      // @lezer/lr forces a parse out of a construct after 300 reductions of it over 2,000 characters
      // (a guard against trees too deep to walk, for long left-associative chains). It also counts
      // those of a rule that makes no node, whose type it reads as "not anonymous": with comments
      // between statements, that of a block's statements (the top level's too). Every 300 or so
      // statements of a long block one was then cut in two, and valid code got error nodes. The
      // count is cleared while its construct starts a line, as such a block does; a chain rarely
      // does, and when it does, trees stay bounded by Lezer's limit on the depth of its stack.
      const counters = this.partial as unknown as ReductionCounters;
      for (;;) {
        const tree = this.partial.advance();
        const start = counters.lastBigReductionStart;
        if (counters.bigReductionCount && start !== undefined && startsLine(this.source, start)) counters.bigReductionCount = 0;
        if (tree) return { tree, reusable: this.reusable, deepest: this.deepest };
        const now = performance.now();
        if (now - started + this.spentMs > this.budgetMs) return { gaveUp: `parsing took longer than ${this.budgetMs.toLocaleString("en")} ms` };
        if (now > deadline) break;
      }
    } catch (e) {
      // Lezer recurses on deep nesting of what is not a bracket.
      if (!(e instanceof RangeError)) throw e;
      return { gaveUp: "the syntax is nested too deeply to parse" };
    }
    this.spentMs += performance.now() - started;
    return undefined;
  }
}

export interface TextChange {
  /** Replaced range in the old text, [from, to). */
  readonly from: number;
  readonly to: number;
  /** Length of the inserted text. */
  readonly insertedLength: number;
}

const emptyTree = (length: number) => new Tree(parser.topNode, [], [], length);

/**
 * A tree of a text's first top-level statements, those before `until`, and the statements after it
 * as the text's outline has them (with facts over-approximated: see `outline.ts`).
 */
export interface Head {
  readonly tree: Tree;
  readonly until: number;
  /** Where its parse stopped (the statement at `until` parsed too, not part of the head). */
  readonly stopAt: number;
  readonly tail: OutlineTail;
}

/** Shorter texts are parsed whole: the parse takes a few tens of milliseconds at most. */
const HEAD_MIN_LENGTH = 50_000;
/** A head reaching further than this share of the text is not worth it: the text is parsed whole. */
const HEAD_MAX_SHARE = 0.6;

/**
 * A document's syntax tree, parsed on demand: edits only record what changed,
 * so a burst of edits costs one parse at the next request, and that parse
 * reuses the unchanged parts of the previous tree.
 */
export class ParsedDocument {
  /** What the next whole parse reuses: trees of whole parses, with the edits since applied. */
  private fragments: readonly TreeFragment[] = [];
  /** What the next head reuses: the statements of earlier heads, with the edits since applied. */
  private headFragments: readonly TreeFragment[] = [];
  private parsed?: Tree;
  /** The last head parsed for the current text. */
  private head?: Head;
  /**
   * The tail of an earlier text's head when edits since left it as it was: where its statements
   * and its first statement's words (`OutlineTail.from` in that text) now start.
   */
  private movedTail?: { until: number; stopAt: number; tailFrom: number; tail: OutlineTail };
  /**
   * The whole parse under way, of the text as it was when it started, and the edits made since:
   * an edit does not start it over (a long file's could then never finish while its user types);
   * once done, its tree is the base of an incremental parse of the text as it is by then.
   */
  private parsing?: { parse: Parse; changes: ChangedRange[]; reused: boolean; cutOut: Zone[]; passes: number };
  /** Whether a text of this document was ever parsed whole. */
  private parsedWhole = false;
  /** The current text's outline, once asked for (null: it has none). */
  private outlined?: readonly OutlineStatement[] | null;
  /** Whether a tail of an earlier head came to read its words in one pass: the next ones start so. */
  private tailsReadWhole = false;
  /** Why the current text has no tree (the tree is then empty), if the parser gave up. */
  gaveUp?: string;
  /** The length at which the parser last gave up; it retries only once the text is half as long. */
  private gaveUpAtLength = Infinity;
  /**
   * How many bracket levels the text can gain before it may need blanking: the bracket scan
   * before a parse reads the whole text, so edits that cannot make nesting too deep skip it.
   */
  private headroom = 0;

  constructor(
    public text: string,
    private readonly budgetMs = PARSE_BUDGET_MS,
  ) {}

  get tree(): Tree {
    this.parseUntil(Infinity);
    return this.parsed!;
  }

  /**
   * Parses the whole text on until `deadline` (a `performance.now()` time), from where the last
   * call stopped; whether it is done (a tree, or given up on).
   */
  parseUntil(deadline: number): boolean {
    if (this.parsed) return true;
    if (this.text.length > this.gaveUpAtLength / 2) {
      this.parsed = emptyTree(this.text.length);
      return true;
    }
    for (;;) {
      this.parsing ??= this.startParse([], 1);
      const result = this.parsing.parse.advance(deadline);
      if (!result) return false;
      const { changes, reused, cutOut, passes } = this.parsing;
      this.parsing = undefined;
      if ("gaveUp" in result) {
        this.gaveUp = result.gaveUp;
        this.gaveUpAtLength = this.text.length;
        this.fragments = [];
        this.parsed = emptyTree(this.text.length);
        return true;
      }
      if (changes.length) {
        // A tree of the text before the edits since: the current text is parsed again from it.
        let fragments = result.reusable ? reusableParts(result.tree) : [];
        for (const change of changes) fragments = TreeFragment.applyChanges(fragments, [change]);
        this.fragments = fragments;
        continue;
      }
      const zones = result.reusable ? errorZones(result.tree) : undefined;
      if (reused && result.reusable) {
        // Parsed with reused nodes: an error beyond the zones cut out may have been recovered from otherwise
        // than a fresh parse recovers (see errorZones.ts). Parsed again without reuse near it, until no error is
        // left outside the zones; after a few passes, afresh. Zones make divergence rare (a few in 5,000 random
        // edit sequences), not impossible: a text short enough to parse whole in a few tens of milliseconds is
        // parsed afresh as soon as it has an error.
        const covered = zones !== undefined && coveredBy(zones, cutOut);
        const afresh = !zones || (zones.length > 0 && this.text.length < HEAD_MIN_LENGTH) || (!covered && passes >= MAX_ZONED_PASSES);
        if (afresh || !covered) {
          this.fragments = afresh ? [] : withoutZones(this.fragments, zones);
          this.parsing = this.startParse(afresh ? [] : mergeZones([...cutOut, ...zones]), passes + 1);
          continue;
        }
      }
      this.gaveUp = undefined;
      this.gaveUpAtLength = Infinity;
      if (result.deepest !== undefined) this.headroom = MAX_BRACKET_DEPTH - result.deepest;
      this.fragments = zones ? withoutZones(TreeFragment.addTree(result.tree, this.fragments), zones) : [];
      this.parsed = result.tree;
      this.parsedWhole = true;
      // No more heads: their nodes need not be kept, nor moved at each edit.
      this.headFragments = [];
      return true;
    }
  }

  /** A whole parse of the current text reusing `fragments`, of which the zones `cutOut` were cut out for errors. */
  private startParse(cutOut: Zone[], passes: number): NonNullable<ParsedDocument["parsing"]> {
    const parse = new Parse(this.text, this.budgetMs, this.fragments, this.headroom > 0);
    return { parse, changes: [], reused: this.fragments.length > 0, cutOut, passes };
  }

  /**
   * A tree of the text as far as the first statement starting `margin` characters after offset
   * `through` at least, with the facts of the statements after it; undefined when the text is
   * to be parsed whole: it is already, or it is short, or has no outline, or the head would
   * cover most of it. The head's statements are reused by the next head.
   */
  headTree(through: number, margin: number): Head | undefined {
    // Once parsed whole, a text is parsed again incrementally: little more than its edits.
    if (this.parsed || this.parsedWhole || this.text.length < HEAD_MIN_LENGTH || this.gaveUp) return undefined;
    if (this.head && this.head.until >= through + margin) return this.head;
    const moved = this.movedTail;
    if (moved && moved.until >= through + margin) return this.parseHead(moved.until, moved.stopAt, moved.tail);
    const source = withoutByteOrderMark(this.text);
    if (this.outlined === undefined) this.outlined = outline(source) ?? null;
    const statements = this.outlined;
    if (!statements) return undefined;
    const first = statements.findIndex((s) => s.start >= through + margin);
    if (first < 0 || statements[first].start > this.text.length * HEAD_MAX_SHARE) return undefined;
    const stopAt = statements[first + 1]?.start ?? this.text.length;
    this.tailsReadWhole ||= !!this.head?.tail.readWhole;
    return this.parseHead(statements[first].start, stopAt, new OutlineTail(source, statements, first, this.tailsReadWhole));
  }

  /**
   * Parses as far as `stopAt`, the start of the statement after the one at `until`: stopped right
   * where a statement starts, Lezer may close the one before differently (at a dedent, it took a
   * comment line after a function into its body), so the head ends one statement before.
   */
  private parseHead(until: number, stopAt: number, tail: OutlineTail): Head | undefined {
    let result = new Parse(this.text, this.budgetMs, this.headFragments, this.headroom > 0, stopAt).advance();
    // With an error in what it keeps, reused nodes may have tipped its recovery (see errorZones.ts): parsed again
    // without reuse near it (afresh when there are too many). (Stopped at `stopAt`, a parse ends in an error
    // node of its own, after `until`.) A head only answers until the whole text is parsed, which is checked so.
    if (result && !("gaveUp" in result) && this.headFragments.length) {
      const zones = errorZones(result.tree, until);
      if (!zones || zones.length) {
        const fragments = zones ? withoutZones(this.headFragments, zones) : [];
        result = new Parse(this.text, this.budgetMs, fragments, this.headroom > 0, stopAt).advance();
      }
    }
    if (!result || "gaveUp" in result || !endsBefore(result.tree, until)) return undefined;
    // Only its statements before `until` are a base for the next head, not for a whole parse:
    // trees of parses stopped early, taken as fragments, were seen to give wrong trees.
    if (result.reusable) {
      const head = reusableParts(result.tree, until);
      this.headFragments = [...head, ...this.headFragments.filter((f) => f.from >= until)];
    }
    this.head = { tree: result.tree, until, stopAt, tail };
    return this.head;
  }

  /**
   * Where in the new text the nodes of the last tree stop being reusable because the edit may have moved where
   * strings end (see FAR_STRING_END): the start of the first edited line, or the text's end when it cannot have.
   * Several changes at once are not read: the start of the first one's line.
   */
  private stringsKeptUntil(text: string, changes: readonly TextChange[]): number {
    const from = Math.min(...changes.map((c) => c.from));
    if (changes.length === 1) {
      const [only] = changes;
      const before = this.text.slice(lineStart(this.text, only.from), lineEnd(this.text, only.to));
      const after = text.slice(lineStart(text, only.from), lineEnd(text, only.from + only.insertedLength));
      if (!FAR_STRING_END.test(before) && !FAR_STRING_END.test(after)) return text.length;
    }
    return lineStart(text, from);
  }

  /**
   * Records edits made in order to the previous text (each change's offsets
   * refer to the text as it was after the preceding changes); the next access
   * to `tree` re-parses.
   */
  update(text: string, changes: readonly TextChange[]): void {
    // One edit of characters that cannot move where strings and comments end changes any nesting
    // depth by at most the brackets it types or deletes.
    const [only] = changes;
    const removed = changes.length === 1 ? this.text.slice(only.from, only.to) : "";
    const typed = changes.length === 1 ? text.slice(only.from, only.from + only.insertedLength) : "";
    const plain = changes.length === 1 && !LEXICAL.test(removed) && !LEXICAL.test(typed);
    this.headroom = plain ? this.headroom - brackets(removed) - brackets(typed) : 0;
    const reusedUntil = plain ? Infinity : this.stringsKeptUntil(text, changes);
    for (const change of changes) {
      const range: ChangedRange = {
        fromA: change.from,
        toA: change.to,
        fromB: change.from,
        toB: change.from + change.insertedLength,
      };
      this.fragments = TreeFragment.applyChanges(this.fragments, [range]);
      this.headFragments = TreeFragment.applyChanges(this.headFragments, [range]);
      this.parsing?.changes.push(range);
    }
    if (reusedUntil < text.length) {
      const below: Zone[] = [{ from: reusedUntil, to: text.length }];
      this.fragments = withoutZones(this.fragments, below);
      this.headFragments = withoutZones(this.headFragments, below);
      // A parse under way reuses the nodes it started with: it is started again.
      this.parsing = undefined;
    }
    // An edit before a head's tail that cannot move where statements, strings or brackets start
    // leaves the tail's text as it was: its outline (and what it has found out) still serves.
    const kept = this.head ? { until: this.head.until, stopAt: this.head.stopAt, tailFrom: this.head.tail.from, tail: this.head.tail } : this.movedTail;
    const tailKept = kept && changes.length === 1 && only.to <= kept.tailFrom && !OUTLINE_LEXICAL.test(removed) && !OUTLINE_LEXICAL.test(typed);
    const delta = changes.length === 1 ? only.insertedLength - (only.to - only.from) : 0;
    this.movedTail = tailKept ? { until: kept.until + delta, stopAt: kept.stopAt + delta, tailFrom: kept.tailFrom + delta, tail: kept.tail } : undefined;
    this.tailsReadWhole ||= !!this.head?.tail.readWhole;
    this.text = text;
    this.parsed = undefined;
    this.head = undefined;
    this.outlined = undefined;
  }
}

/** More passes than this over one text, each cutting out new error zones, and it is parsed afresh. */
const MAX_ZONED_PASSES = 4;

/**
 * What a later parse may reuse of a tree: the tree as a fragment (as far as `until`, for a parse
 * stopped there), with its error zones cut out.
 */
function reusableParts(tree: Tree, until?: number): readonly TreeFragment[] {
  const zones = errorZones(tree, until);
  if (!zones) return [];
  const whole = until === undefined ? TreeFragment.addTree(tree) : [new TreeFragment(0, until, tree, 0, false, true)];
  return withoutZones(whole, zones);
}

/**
 * Whether the top-level statements of a tree parsed as far as `until` end before it, the last one
 * without errors: the parser then saw them as it would within the whole text (the outline, not
 * the parser, said a statement starts at `until`; an error just before it may be one the rest of
 * the text would have recovered from differently).
 */
function endsBefore(tree: Tree, until: number): boolean {
  const walk = tree.cursor();
  let last: SyntaxNode | undefined;
  for (let more = walk.firstChild(); more && walk.from < until; more = walk.nextSibling()) {
    if (walk.to > until) return false;
    if (walk.name !== "Comment") last = walk.node;
  }
  if (!last) return false;
  let error = false;
  tree.iterate({ from: last.from, to: last.to, enter: (node) => !(error ||= node.type.isError) });
  return !error;
}

/** A one-off parse for the CLI, which has no one else to serve: no time budget; an empty tree where Lezer overflows. */
export function parsePython(text: string): Tree {
  const result = new Parse(text, Infinity).advance()!;
  return "gaveUp" in result ? emptyTree(text.length) : result.tree;
}

/** Where the line holding offset `at` starts (after a `\n` or `\r`). */
function lineStart(text: string, at: number): number {
  let i = at;
  while (i > 0 && !isLineBreak(text.charCodeAt(i - 1))) i--;
  return i;
}

/** Where the line holding offset `at` ends (at its `\n` or `\r`, or the text's end). */
function lineEnd(text: string, at: number): number {
  let i = at;
  while (i < text.length && !isLineBreak(text.charCodeAt(i))) i++;
  return i;
}

function isLineBreak(c: number): boolean {
  return c === 10 || c === 13;
}
