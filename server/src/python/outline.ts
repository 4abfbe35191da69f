/**
 * The top-level statements of a text read from its characters alone, without a
 * syntax tree: where each starts, and facts about the names it may read or rebind.
 * A request for the first lines of a long file parses only as far as it needs and
 * takes the facts of the rest of the file from here (`IncrementalProgram.analyze`),
 * so the facts over-approximate what `statementFacts` finds in the tree: every word
 * of a statement counts as read (in strings and comments too), and a statement
 * rebinds every word in it unless it is plainly an assignment or a definition.
 *
 * Lexically irregular text (an unterminated string, unbalanced brackets, a stray
 * backslash, a `;` inside brackets) has no outline: where the parser would recover from an error, where
 * statements start cannot be told from the characters.
 */
import { firstAbove } from "./sorted";
import { ANY_NAME, MUTATING_METHODS, StatementFacts } from "./statements";

/**
 * Where a statement may change a list in place: `.append(`, `. update (`… (see `MUTATING_METHODS`), an item
 * assigned or updated (`] =`, `] +=`), or `del`.
 */
const IN_PLACE_CHANGE = new RegExp(`\\.\\s*(?:${[...MUTATING_METHODS].join("|")})\\s*\\(|\\]\\s*(?:\\*\\*|//|<<|>>|[-+*/%@&|^])?=(?!=)|\\bdel\\b`, "g");

export interface OutlineStatement {
  /** Where its first line starts (at column 0). */
  readonly start: number;
  /** Where its code ends (comments and blank lines after it excluded). */
  readonly end: number;
  /** Logical lines with code: a statement of one line is one simple statement (or an error). */
  readonly lines: number;
  /** The offset of its last `=` outside brackets that is an assignment (not `==`, `<=`, `+=`...), or -1. */
  readonly assignAt: number;
  /** It has an augmented assignment (`+=`), a walrus (`:=`) or a `;` outside brackets: not one plain statement. */
  readonly compound: boolean;
  /** Indentation of its second logical line, and the least indentation of those after it (-1: none). */
  readonly bodyIndent: number;
  readonly leastIndent: number;
  /**
   * `global`, `nonlocal`, or a change of a list in place (`.append(`, `x[0] =`, `del`) occurs in it (even in
   * a string): every name it mentions may be the module's.
   */
  readonly declares: boolean;
}

const NEWLINE = 10;
const RETURN = 13;
const SPACE = 32;
const TAB = 9;
const HASH = 35;
const BACKSLASH = 92;
const QUOTE = 39;
const DOUBLE_QUOTE = 34;
const EQUALS = 61;
const COLON = 58;
const SEMICOLON = 59;
const AT = 64;

/** Lezer's identifier characters: ASCII letters, `_` and everything from U+00A1 (digits after the first). */
function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c >= 0xa1;
}

const WORD = /[A-Za-z_\u00a1-\uffff][0-9A-Za-z_\u00a1-\uffff]*/g;
const LEADING_WORD = /[A-Za-z_\u00a1-\uffff][0-9A-Za-z_\u00a1-\uffff]*/y;
const STRING_PREFIX = /^(?:[rRbBuUfF]|[rR][bBfF]|[bBfF][rR])$/;
const CONTINUATION = /(?:else|elif|except|finally)(?![0-9A-Za-z_\u00a1-\uffff])/y;
/** Characters the outline looks at: strings, comments, brackets, line ends, continuations, assignments, `;`. */
const ORDINARY = /[^"'#()[\]{}=;\\\n\r]+/y;
const OPERATOR_BEFORE_EQUALS = new Set([..."+-*/%&|^@"].map((c) => c.charCodeAt(0)));

/**
 * The offset after the string literal whose opening quote is at `at`, or -1 if it is not
 * terminated. An f-string's replacement fields are code, with strings of their own.
 */
function stringEnd(text: string, at: number): number {
  let wordStart = at;
  while (wordStart > 0 && isWordChar(text.charCodeAt(wordStart - 1))) wordStart--;
  const prefix = text.slice(wordStart, at);
  const format = STRING_PREFIX.test(prefix) && /[fF]/.test(prefix);
  const quote = text.charCodeAt(at);
  const long = text.charCodeAt(at + 1) === quote && text.charCodeAt(at + 2) === quote;
  for (let i = at + (long ? 3 : 1); i < text.length; ) {
    const c = text.charCodeAt(i);
    if (c === BACKSLASH) i += text.charCodeAt(i + 1) === RETURN && text.charCodeAt(i + 2) === NEWLINE ? 3 : 2;
    else if (c === quote) {
      if (!long) return i + 1;
      if (text.charCodeAt(i + 1) === quote && text.charCodeAt(i + 2) === quote) return i + 3;
      i++;
    } else if (!long && (c === NEWLINE || c === RETURN)) return -1;
    else if (format && c === 123 /* { */) {
      if (text.charCodeAt(i + 1) === 123) i += 2;
      else {
        i = codeEnd(text, i + 1, 125 /* } */);
        if (i < 0) return -1;
      }
    } else i++;
  }
  return -1;
}

/** The offset after the `closer` that ends the code (an f-string's replacement field) starting at `from`, or -1. */
function codeEnd(text: string, from: number, closer: number): number {
  let depth = 0;
  for (let i = from; i < text.length; ) {
    const c = text.charCodeAt(i);
    if (c === QUOTE || c === DOUBLE_QUOTE) {
      i = stringEnd(text, i);
      if (i < 0) return -1;
      continue;
    }
    if (c === 40 || c === 91 || c === 123) depth++;
    else if (c === 41 || c === 93 || c === 125) {
      if (depth === 0) return c === closer ? i + 1 : -1;
      depth--;
    }
    i++;
  }
  return -1;
}

/** A statement as the scan finds it out; `decorator`: its last line so far is one (the next line is part of it). */
type Building = { -readonly [K in keyof OutlineStatement]: OutlineStatement[K] } & { decorator: boolean };

/** The top-level statements of `text` in order, or undefined if it is lexically irregular. */
export function outline(text: string): OutlineStatement[] | undefined {
  const statements: Building[] = [];
  let current: Building | undefined;
  let depth = 0;
  let lineStart = true;
  for (let i = 0; i < text.length; ) {
    if (lineStart && depth === 0) {
      lineStart = false;
      let column = 0;
      let j = i;
      for (; j < text.length; j++) {
        const c = text.charCodeAt(j);
        if (c === SPACE) column++;
        else if (c === TAB) column += 8 - (column % 8);
        else break;
      }
      const first = text.charCodeAt(j);
      if (j >= text.length || first === NEWLINE || first === RETURN || first === HASH) {
        // A blank or comment line: it belongs to no statement.
        lineStart = true;
        const lineEnd = nextLineBreak(text, j);
        i = lineEnd + 1;
        continue;
      }
      if (first === 12 /* form feed */) return undefined;
      CONTINUATION.lastIndex = j;
      if (column === 0 && !(current?.decorator || CONTINUATION.test(text))) {
        current = { start: j, end: j, lines: 1, assignAt: -1, compound: false, bodyIndent: -1, leastIndent: -1, declares: false, decorator: first === AT };
        statements.push(current);
      } else if (current) {
        current.lines++;
        if (current.lines === 2) current.bodyIndent = column;
        else current.leastIndent = current.leastIndent < 0 ? column : Math.min(current.leastIndent, column);
        current.decorator = first === AT;
      } else return undefined; // indented code before any statement
      i = j;
      continue;
    }
    const c = text.charCodeAt(i);
    if (c === HASH) {
      i = nextLineBreak(text, i);
      continue;
    }
    if (c === NEWLINE || c === RETURN) {
      if (depth === 0) lineStart = true;
      i++;
      continue;
    }
    if (c === SPACE || c === TAB) {
      i++;
      continue;
    }
    if (c === BACKSLASH) {
      const next = text.charCodeAt(i + 1);
      if (next !== NEWLINE && next !== RETURN) return undefined;
      i += next === RETURN && text.charCodeAt(i + 2) === NEWLINE ? 3 : 2;
      if (i >= text.length) return undefined;
      continue;
    }
    // Code: the statement goes on at least to here.
    const statement = current!;
    if (c === QUOTE || c === DOUBLE_QUOTE) {
      const end = stringEnd(text, i);
      if (end < 0) return undefined;
      i = statement.end = end;
      continue;
    }
    if (c === 40 || c === 91 || c === 123) depth++;
    else if (c === 41 || c === 93 || c === 125) {
      if (--depth < 0) return undefined;
    } else if (c === EQUALS) {
      const before = text.charCodeAt(i - 1);
      const after = text.charCodeAt(i + 1);
      if (after === EQUALS) {
        statement.end = i += 2;
        continue;
      }
      if (before === COLON) statement.compound = true;
      else if (depth === 0) {
        const shift = (before === 60 || before === 62) && text.charCodeAt(i - 2) === before; // <<= >>=
        if (OPERATOR_BEFORE_EQUALS.has(before) || shift) statement.compound = true;
        else if (before !== 60 && before !== 62 && before !== 33 /* < > ! */) statement.assignAt = i;
      }
    } else if (c === SEMICOLON) {
      // Inside brackets it is an error the parser recovers from by ending the statement there.
      if (depth > 0) return undefined;
      statement.compound = true;
    } else {
      // Most characters of code mean nothing here: skip them in runs.
      ORDINARY.lastIndex = i;
      ORDINARY.test(text);
      i = statement.end = ORDINARY.lastIndex;
      continue;
    }
    statement.end = ++i;
  }
  if (depth !== 0) return undefined;
  const declare = (at: number) => {
    const n = statementAt(statements, at);
    if (n >= 0 && at < statements[n].end) statements[n].declares = true;
  };
  for (const word of ["global", "nonlocal"]) for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) declare(at);
  for (const change of text.matchAll(IN_PLACE_CHANGE)) declare(change.index);
  return statements;
}

/** The statement whose first line starts at or before offset `at` (-1: none). */
function statementAt(statements: readonly OutlineStatement[], at: number): number {
  return firstAbove(statements, at, (s) => s.start) - 1;
}

function nextLineBreak(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === NEWLINE || c === RETURN) return i;
  }
  return text.length;
}

/** Words that begin a statement other than a plain assignment or expression (soft keywords included). */
const KEYWORDS = new Set(
  "False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield match case type print exec".split(
    " ",
  ),
);

const DEFINITION = /(?:async[ \t]+)?(?:def|class)[ \t]+([A-Za-z_\u00a1-\uffff][0-9A-Za-z_\u00a1-\uffff]*)/y;

/** How a statement may rebind names: those before its last `=` (plain), its name (definition), any it mentions (other). */
type Kind = { plain: true } | { plain: false; defines?: string };

function kindOf(text: string, statement: OutlineStatement): Kind {
  if (statement.declares) return { plain: false };
  LEADING_WORD.lastIndex = statement.start;
  const leading = LEADING_WORD.exec(text)?.[0];
  if (statement.lines === 1 && !statement.compound && text.charCodeAt(statement.start) !== AT && !(leading && KEYWORDS.has(leading))) return { plain: true };
  DEFINITION.lastIndex = statement.start;
  const definition = DEFINITION.exec(text);
  // A body indented less further down would end the definition early, the rest being an error the parser recovers from.
  const wellIndented = statement.lines === 1 || (statement.bodyIndent > 0 && (statement.leastIndent < 0 || statement.leastIndent >= statement.bodyIndent));
  return { plain: false, defines: definition && wellIndented ? definition[1] : undefined };
}

/** Where the words of statement `n` are read: from the end of the one before (comments before it, which may carry `# input:` annotations, count as its own). */
function wordRange(text: string, statements: readonly OutlineStatement[], n: number): [number, number] {
  return [n > 0 ? statements[n - 1].end : 0, n + 1 < statements.length ? statements[n + 1].start : text.length];
}

/** Facts for statement `n` of an outline that include what `statementFacts` would find for it. */
export function outlineFacts(text: string, statements: readonly OutlineStatement[], n: number): StatementFacts {
  const statement = statements[n];
  const counts = new Map<string, number>();
  for (const [word] of text.slice(...wordRange(text, statements, n)).matchAll(WORD)) counts.set(word, (counts.get(word) ?? 0) + 1);
  const words = [...counts.keys()];
  const kind = kindOf(text, statement);
  const kills = new Set<string>();
  let binds: Set<string>;
  if (kind.plain) {
    binds = new Set(statement.assignAt < 0 ? [] : text.slice(statement.start, statement.assignAt).match(WORD));
    const target = /^([A-Za-z_\u00a1-\uffff][0-9A-Za-z_\u00a1-\uffff]*)[ \t]*=(?!=)/.exec(text.slice(statement.start, statement.end));
    if (target && counts.get(target[1]) === 1) kills.add(target[1]);
  } else binds = new Set(kind.defines ? [kind.defines] : words);
  if (counts.has("import") && text.slice(statement.start, statement.end).includes("*")) binds.add(ANY_NAME);
  return { uses: new Set(words.filter((w) => !kills.has(w))), kills, binds };
}

/**
 * Reading a tail's words once into a map costs about as much as this many searches through it with
 * `indexOf` (the 50,000-line benchmark file: 0.7 ms to search it for a name it does not have, 24–27
 * ms for the pass). Making the map once the searches have cost as much keeps within twice the better.
 */
const SEARCHES_PER_PASS = 32;

/** Runs of identifier characters, digits included: a run equals a name only where `indexOf` finds it as a word. */
const WORD_RUN = /[0-9A-Za-z_\u00a1-\uffff]+/g;

/**
 * The statements of an outline from `first` on (the part of a text not parsed), asked about one
 * name at a time: a name's first mention is searched for in the text (after many questions, read
 * from one pass over its words); which statement last rebinds each name is found in one pass, at
 * the first question.
 */
export class OutlineTail {
  /** Where the words of its first statement start (where the statement before ends: never inside a word). */
  readonly from: number;
  private readonly mentions = new Map<string, { at: number; reads: boolean } | undefined>();
  /**
   * By word, where the tail first has it: made in one pass over the tail once searching for names
   * one by one has read the tail SEARCHES_PER_PASS times over. A file just opened is asked about a
   * few names, mostly found early; a tail made again at every edit further down a long file is asked
   * about the names of every part above, and a name mentioned nowhere after reads the whole tail
   * (searched one by one, that took up to 600 ms per edit at 50,000 lines).
   */
  private firstOffsets?: Map<string, number>;
  /** Characters the searches have read so far. */
  private searched = 0;
  /** By name, the last statement that may rebind it; under ANY_NAME the last star import. */
  private binders?: Map<string, number>;

  /**
   * `readAtOnce`: read the tail's words in one pass from the first question on (a tail made again
   * after an edit is asked about as many names as the one before it, which came to read them).
   */
  constructor(
    private readonly text: string,
    private readonly statements: readonly OutlineStatement[],
    private readonly first: number,
    private readonly readAtOnce = false,
  ) {
    this.from = wordRange(text, statements, first)[0];
  }

  /** Whether its words were read in one pass. */
  get readWhole(): boolean {
    return this.firstOffsets !== undefined;
  }

  /** The first of its statements that mentions `name` (counting from 0), and whether it may read it (rather than rebind it first). */
  firstMention(name: string): { at: number; reads: boolean } | undefined {
    if (!this.mentions.has(name)) this.mentions.set(name, this.findFirstMention(name));
    return this.mentions.get(name);
  }

  /** The last of its statements that may rebind `name` (counting from 0), `from m import *` included. */
  lastBinder(name: string): number | undefined {
    this.binders ??= this.findBinders();
    const last = Math.max(this.binders.get(name) ?? -1, this.binders.get(ANY_NAME) ?? -1);
    return last < 0 ? undefined : last - this.first;
  }

  private findFirstMention(name: string): { at: number; reads: boolean } | undefined {
    if (!this.firstOffsets && (this.readAtOnce || this.searched > SEARCHES_PER_PASS * (this.text.length - this.from))) this.firstOffsets = this.wordOffsets();
    const found = this.firstOffsets ? this.firstOffsets.get(name) : this.search(name);
    if (found === undefined) return undefined;
    // A word in the comments between two statements is the earlier one's (and the later one's) too.
    const n = Math.max(this.first, statementAt(this.statements, found));
    return { at: n - this.first, reads: !outlineFacts(this.text, this.statements, n).kills.has(name) };
  }

  /** Where `name` first occurs as a word from the tail's start on. */
  private search(name: string): number | undefined {
    const text = this.text;
    for (let found = text.indexOf(name, this.from); found >= 0; found = text.indexOf(name, found + 1)) {
      if ((found > 0 && isWordChar(text.charCodeAt(found - 1))) || isWordChar(text.charCodeAt(found + name.length))) continue;
      this.searched += found - this.from;
      return found;
    }
    this.searched += text.length - this.from;
    return undefined;
  }

  /** Every word's first offset from the tail's start on. */
  private wordOffsets(): Map<string, number> {
    const offsets = new Map<string, number>();
    WORD_RUN.lastIndex = this.from;
    for (let run = WORD_RUN.exec(this.text); run; run = WORD_RUN.exec(this.text)) if (!offsets.has(run[0])) offsets.set(run[0], run.index);
    return offsets;
  }

  private findBinders(): Map<string, number> {
    const binders = new Map<string, number>();
    const { text, statements } = this;
    for (let n = this.first; n < statements.length; n++) {
      const statement = statements[n];
      const kind = kindOf(text, statement);
      const [from, to] = wordRange(text, statements, n);
      const bound = kind.plain ? (statement.assignAt < 0 ? [] : text.slice(statement.start, statement.assignAt).match(WORD)) : kind.defines ? [kind.defines] : text.slice(from, to).match(WORD);
      for (const name of bound ?? []) binders.set(name, n);
      if (text.slice(statement.start, statement.end).includes("*") && IMPORT.test(text.slice(from, to))) binders.set(ANY_NAME, n);
    }
    return binders;
  }
}

const IMPORT = /(?<![0-9A-Za-z_\u00a1-\uffff])import(?![0-9A-Za-z_\u00a1-\uffff])/;
