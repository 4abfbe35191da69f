/**
 * Incremental analysis: a file is cut into parts, runs of consecutive top-level
 * statements whose objects (tensors, layers, models, functions, classes, dicts)
 * no statement outside the part can reach. Later parts only see the plain values
 * and imports an earlier part leaves in the module; those are compared by value.
 * A part is therefore fully determined by its text and by the plain values of the
 * names it mentions when it starts, and its analysis is kept between edits and
 * reused (its offsets moved) while both stay the same.
 *
 * A part is run by one front-end interpreter, statement after statement, for as
 * long as a later statement may read an object it holds: a statement mentioning a
 * name bound to such an object, before any statement rebinding that name, joins it.
 * Definitions it would run at the end (functions never called, models never built)
 * read the module as it is then, so the part also runs to the last statement that
 * may rebind a name they mention. Which names a statement may read or rebind comes
 * from its syntax (`statements.ts`), over-approximated: a part may be larger than
 * needed, never smaller.
 *
 * The result is the same as one interpreter run over the whole file, except that
 * the budget for repeated work (LIMITS.steps) applies to each part, with a bound
 * for the whole document on top.
 */
import { SyntaxNode, Tree } from "@lezer/common";
import { ProgramAnalysis, analyzeProgram, piecewise } from "../engine/analyze";
import { PyValue, isFloat, isLayerValue, isRef, isSequence, isUnresolved, items, unresolved } from "../engine/values";
import { Extractor, LIMITS } from "./extract";
import { ModuleBinding } from "./scope";
import { OutlineTail } from "./outline";
import { Head } from "./parser";
import { firstAbove } from "./sorted";
import { ANY_NAME, StatementFacts, statementFacts } from "./statements";
import { GenerationFacts, KerasVersion, effectiveGeneration, fileGeneration, generationFacts } from "./libraries/generation";
import { PolicyFact, dtypePolicyFact, fileDtypePolicy } from "./libraries/dtypePolicy";
import type { KerasGeneration } from "../engine/generations";
import { ProjectContext, ProjectModules, ProjectReads, readsCurrent, versionsNow } from "./project";

/** Repeated work followed in a whole document, over all its parts; past it the rest is not followed. */
export const DOCUMENT_STEPS = LIMITS.steps * 10;

/** A top-level statement; kept from one analysis to the next while its text is (moved to where it now is). */
interface Statement {
  /** Its node in the last tree; found again only for a statement that is run (most are kept). */
  node?: SyntaxNode;
  /** Where it starts. */
  from: number;
  /** Where the comments and blank lines before it start (the previous statement's end). */
  gapStart: number;
  end: number;
  /** Identity of its text with that gap: a hash pair and the length. */
  readonly key: string;
  readonly facts: StatementFacts;
  /** What it shows of the Keras generation the file is written for (libraries/generation.ts). */
  readonly keras: GenerationFacts;
  /** Whether it sets the global dtype policy, or runs a call before one is set (libraries/dtypePolicy.ts). */
  readonly policy: PolicyFact;
}

interface Part {
  /** Keys of its statements, in order. */
  readonly keys: readonly string[];
  /** The bindings of the names it mentions as it found them (undefined: unbound). */
  readonly entering: ReadonlyMap<string, ModuleBinding | undefined>;
  /** The star imports in force when it started. */
  readonly stars: readonly string[];
  /** Names bound to objects of this part while it ran: a later statement reading one would join it. */
  readonly heldNames: readonly string[];
  /** Names read by definitions it would run at its end: a later statement rebinding one would join it. */
  readonly finalNames: readonly string[];
  /** What it leaves in the module for later parts. */
  readonly leaves: readonly (readonly [string, ModuleBinding])[];
  readonly leavesStars: readonly string[];
  readonly steps: number;
  /** Every offset in the analysis, found when it is made, to move them when text before the part changes. */
  readonly offsets: OffsetHolders;
  /**
   * Its analysis and the stretch of text it covers (see `ProgramAnalysis.pieces`): from where its first
   * statement's gap starts in the text its offsets refer to.
   */
  readonly piece: { readonly span: { start: number; end: number }; readonly analysis: ProgramAnalysis };
  /** What it read of the project's modules: it is kept only while they are as they were. */
  readonly reads: ProjectReads;
  /** The number of the analysis it was last placed in. */
  usedIn: number;
  /** The lookup of the current parts it is listed in, if any (see `PartLookup`). */
  listedIn?: PartLookup;
}

interface OffsetHolders {
  readonly spans: { start: number; end: number }[];
  readonly totals: { totalsOffset: number }[];
}

/** Two 32-bit FNV-1a-style hashes and the length: the identity of a piece of text. */
function textKey(text: string, from: number, to: number): string {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15);
  }
  return `${(a >>> 0).toString(36)}.${(b >>> 0).toString(36)}.${to - from}`;
}

/** Whether a value holds an object the front end follows by identity (which must stay inside its part). */
function holdsObject(value: PyValue): boolean {
  if (isRef(value) || isLayerValue(value)) return true;
  return isSequence(value) && items(value).some(holdsObject);
}

function sameValue(a: PyValue, b: PyValue): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return Number.isNaN(a) && Number.isNaN(b);
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
  if (isUnresolved(a) || isUnresolved(b)) return isUnresolved(a) && isUnresolved(b) && a.unresolved === b.unresolved;
  if (isFloat(a) || isFloat(b)) return isFloat(a) && isFloat(b) && Object.is(a.float, b.float);
  if (isSequence(a) && isSequence(b)) return sameValue(items(a), items(b));
  return false;
}

function sameBinding(a: ModuleBinding | undefined, b: ModuleBinding | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if ("import" in a || "import" in b) return "import" in a && "import" in b && a.import === b.import;
  return sameValue(a.value, b.value);
}

/**
 * Where each name is mentioned, read or rebound, by statement index (ascending). It depends
 * on the statements' facts only, so an edit that changes no statement's facts keeps it.
 */
class NameIndex {
  private constructor(
    readonly facts: readonly StatementFacts[],
    private readonly touches: Map<string, number[]>,
    private readonly binders: Map<string, number[]>,
    /** The statements after these, when they are not parsed yet. */
    readonly tail?: OutlineTail,
  ) {}

  static of(facts: readonly StatementFacts[], tail?: OutlineTail): NameIndex {
    const index = new NameIndex(facts, new Map(), new Map(), tail);
    facts.forEach((f, i) => {
      for (const name of f.uses) push(index.touches, name, i);
      for (const name of f.kills) push(index.touches, name, i);
      for (const name of f.binds) push(index.binders, name, i);
    });
    return index;
  }

  /**
   * The index of as many statements (and the same tail) whose facts differ at a few of them (typing a
   * name changes one statement's): only the lists of the names those statements mention, before or now,
   * are made again; those names are added to `changed`.
   */
  with(facts: readonly StatementFacts[], changed: Set<string>): NameIndex {
    const edited = new Set<number>();
    facts.forEach((f, i) => {
      if (f === this.facts[i]) return;
      edited.add(i);
      for (const sets of [this.facts[i], f]) for (const names of [sets.uses, sets.kills, sets.binds]) for (const name of names) changed.add(name);
    });
    const index = new NameIndex(facts, new Map(this.touches), new Map(this.binders), this.tail);
    const relist = (map: Map<string, number[]>, name: string, mentions: (f: StatementFacts) => boolean) => {
      const list = (map.get(name) ?? []).filter((i) => !edited.has(i));
      for (const i of edited) if (mentions(facts[i])) list.push(i);
      list.sort((a, b) => a - b);
      if (list.length) map.set(name, list);
      else map.delete(name);
    };
    for (const name of changed) {
      relist(index.touches, name, (f) => f.uses.has(name) || f.kills.has(name));
      relist(index.binders, name, (f) => f.binds.has(name));
    }
    return index;
  }

  /** The first statement after `after` that reads `name`, unless one rebinding it without reading comes first. */
  nextRead(name: string, after: number): number | undefined {
    const list = this.touches.get(name);
    const next = list?.[firstAbove(list, after, (i) => i)];
    if (next !== undefined) return this.facts[next].uses.has(name) ? next : undefined;
    const later = this.tail?.firstMention(name);
    return later?.reads ? this.facts.length + later.at : undefined;
  }

  /** The last statement after `after` that may rebind `name` (a star import may rebind any). */
  lastRebind(name: string, after: number): number | undefined {
    const later = this.tail?.lastBinder(name);
    if (later !== undefined) return this.facts.length + later;
    const last = Math.max(this.binders.get(name)?.at(-1) ?? -1, this.binders.get(ANY_NAME)?.at(-1) ?? -1);
    return last > after ? last : undefined;
  }
}

function push(map: Map<string, number[]>, name: string, i: number): void {
  const list = map.get(name);
  if (!list) map.set(name, [i]);
  else if (list[list.length - 1] !== i) list.push(i);
}

/** The module state between parts: what earlier parts left. */
class ModuleState {
  readonly bindings = new Map<string, ModuleBinding>();
  readonly stars: string[] = [];

  leave(part: Part): void {
    for (const [name, binding] of part.leaves) this.bindings.set(name, binding);
    this.stars.push(...part.leavesStars);
  }
}

/** Where the text changed since the last analysis (offsets in the new text), and by how much its length did. */
interface ChangedWindow {
  readonly from: number;
  readonly to: number;
  readonly delta: number;
}

const EVERYTHING: ChangedWindow = { from: 0, to: Infinity, delta: 0 };

export class IncrementalProgram {
  /** `kerasVersion`: layerLens.kerasVersion, or "auto" to read the generation from the file. */
  /** `project`: the file's path and the project its imports are looked for in (none: a file on its own). */
  constructor(
    private kerasVersion: KerasVersion = "auto",
    private readonly project?: ProjectContext,
  ) {}

  /** What the last analysis's parts read of the project (each part is kept only while what it read is unchanged). */
  private projectRead: ProjectReads = { versions: new Map() };

  /** The project's versions during an analysis, each asked once. */
  private versions?: Pick<ProjectModules, "version" | "layout">;

  private readsUnchanged(part: Part): boolean {
    const reads = part.reads;
    if (!this.project || (reads.versions.size === 0 && reads.layout === undefined)) return true;
    return readsCurrent(reads, (this.versions ??= versionsNow(this.project.modules)));
  }

  /** Whether the kept analysis read the project's module at `path`. */
  reads(path: string): boolean {
    return this.projectRead.versions.has(path);
  }

  /** Whether the project's modules the last analysis read have changed since (an analysis now would differ). */
  importsChanged(): boolean {
    return !!this.project && (this.projectRead.versions.size > 0 || this.projectRead.layout !== undefined) && !readsCurrent(this.projectRead, this.project.modules);
  }

  /** The Keras generation the kept parts were analysed as (undefined: not known); and the statements it was found in. */
  private keras?: KerasGeneration;
  private kerasFoundIn?: readonly Statement[];
  /** The global dtype policy the file sets (undefined: float32), found with the generation. */
  private dtypePolicy?: string;

  /** Reads the file as another Keras generation from the next analysis on; false when it is the same setting. */
  setKerasVersion(version: KerasVersion): boolean {
    if (version === this.kerasVersion) return false;
    this.kerasVersion = version;
    this.kerasFoundIn = undefined;
    return true;
  }

  /**
   * Parts of the last two complete analyses by their first statement's key (two, so text typed and deleted
   * again finds its parts), with the versions partial analyses made since (see KEPT_VERSIONS).
   */
  private parts = new PartLookup();
  private previousParts = new PartLookup();
  private facts = new Map<string, StatementFacts>();
  /** Each statement's Keras generation facts by its key, as `facts`. */
  private kerasFacts = new Map<string, GenerationFacts>();
  private lastStatements: Statement[] = [];
  private lastText?: string;
  private lastTree?: Tree;
  private lastIndex?: NameIndex;
  /** The parts of the last analysis by the index of their first statement. */
  private lastLayout: (Part | undefined)[] = [];
  private lastPartCount = 0;
  /** Counts analyses, so a part can say it is already placed in the current one. */
  private generation = 0;
  /** Edits since the last analysis; undefined: none (or no analysis yet). */
  private changed?: ChangedWindow;
  /**
   * How the last analysis went: its parts, how many of them had to run (the rest were kept), how far
   * it is complete, and whether it stopped at a part that would have gone on past a head.
   */
  lastRun = { parts: 0, ran: 0, complete: true, through: Infinity, cutShort: false };

  /** The parts by the index of their first statement. */
  private layout(parts: readonly Part[]): (Part | undefined)[] {
    const layout: (Part | undefined)[] = [];
    let at = 0;
    for (const part of parts) {
      layout[at] = part;
      at += part.keys.length;
    }
    return layout;
  }

  /**
   * Records edits made in order to the text of the last analysis (each change's offsets refer
   * to the text after the changes before it), or that the text was replaced as a whole; the
   * statements outside the changed window keep their facts without being read again.
   */
  edited(changes: readonly { from: number; to: number; insertedLength: number }[] | "everything"): void {
    if (this.changed === EVERYTHING) return;
    if (changes === "everything") {
      this.changed = EVERYTHING;
      return;
    }
    for (const { from, to, insertedLength } of changes) {
      const delta = insertedLength - (to - from);
      const window = this.changed;
      const moved = (offset: number) => (offset <= from ? offset : offset >= to ? offset + delta : from + insertedLength);
      this.changed = window
        ? { from: Math.min(window.from, from), to: Math.max(moved(window.to), from + insertedLength), delta: window.delta + delta }
        : { from, to: from + insertedLength, delta };
    }
  }

  /**
   * The analysis of the file as far as offset `through` (all of it by default): the parts
   * starting there or earlier. Later parts cannot change them, so a request for some lines
   * needs no more. With a deadline (a `performance.now()` time) it stops after the part that
   * passes it. `lastRun` says whether the whole file was reached, and how far the analysis is
   * complete otherwise. With a head (a tree of the file's first statements only), the statements
   * after it are its tail's, as the outline has them; a part that would go on into them is not
   * run, and the analysis stops there (`lastRun.cutShort`).
   */
  analyze(tree: Tree, text: string, through = Infinity, deadline = Infinity, head?: Head): ProgramAnalysis {
    this.versions = undefined;
    const earlier = this.lastStatements;
    const statements = this.statements(tree, text, head?.until ?? Infinity);
    const last = this.lastIndex;
    // Names whose index lists changed, when as many statements as before have new facts at a few places.
    let changedNames: Set<string> | undefined;
    let index: NameIndex;
    // (A head's tail answers for the statements after the head: an index is a base for the next only with the same tail.)
    const base = last && last.tail === head?.tail ? last : undefined;
    if (base && (statements === earlier || (base.facts.length === statements.length && statements.every((s, i) => s.facts === base.facts[i])))) index = base;
    else if (base && base.facts.length === statements.length) index = base.with(statements.map((s) => s.facts), (changedNames = new Set()));
    else index = NameIndex.of(statements.map((s) => s.facts), head?.tail);
    this.lastIndex = index;
    // The generation the file is read as: every part kept was analysed as another when it changes.
    if (statements !== this.kerasFoundIn) {
      this.kerasFoundIn = statements;
      const keras = effectiveGeneration(this.kerasVersion, fileGeneration(statements.map((s) => s.keras)));
      const dtypePolicy = fileDtypePolicy(statements.map((s) => s.policy));
      if (keras !== this.keras || dtypePolicy !== this.dtypePolicy) {
        this.keras = keras;
        this.dtypePolicy = dtypePolicy;
        this.forgetParts();
      }
    }
    const module = new ModuleState();
    const parts: Part[] = [];
    // Parts not taken from the last layout: run now, or found again in the lookups.
    const fresh: Part[] = [];
    let steps = 0;
    let ran = 0;
    const generation = ++this.generation;
    const taken = (part: Part) => part.usedIn === generation;
    let layoutChanged = false;
    // While the module entering a part is the one the same statement's part entered last time, that
    // part needs no checks beyond its text, unless the index changed for a name that decided its extent.
    let unchanged = index === last || (changedNames !== undefined && !changedNames.has(ANY_NAME));
    const stillDecided = (part: Part) => !changedNames || !(part.heldNames.some((n) => changedNames.has(n)) || part.finalNames.some((n) => changedNames.has(n)));
    let i = 0;
    let cutShort = false;
    while (i < statements.length && steps <= DOCUMENT_STEPS && statements[i].gapStart <= through && (ran === 0 || performance.now() <= deadline)) {
      const before = this.lastLayout[i];
      const same = unchanged && before && !taken(before) && sameStatements(before, statements, i) && stillDecided(before) && this.readsUnchanged(before) ? before : undefined;
      const kept = same ?? this.reuse(statements, i, index, module, taken);
      if (!kept) ran++;
      const part = kept ?? this.run(statements, i, index, module, text, !!head);
      if (!part) {
        cutShort = true;
        break;
      }
      if (!same) fresh.push(part);
      if (same) move(part, statements[i].gapStart - part.piece.span.start);
      unchanged &&= !!before && (part === before || (part.keys.length === before.keys.length && sameLeaves(part, before)));
      module.leave(part);
      steps += part.steps;
      parts.push(part);
      part.usedIn = generation;
      layoutChanged ||= part !== before;
      // Where its piece now ends (`move` moved its start with the offsets).
      part.piece.span.end = statements[i + part.keys.length - 1].end;
      i += part.keys.length;
    }
    const complete = steps > DOCUMENT_STEPS || (!head && i >= statements.length);
    // (Past a head's statements, the next part would start where the last one ends.)
    const next = i < statements.length ? statements[i].gapStart : (statements.at(-1)?.end ?? 0);
    this.lastRun = { parts: parts.length, ran, complete, through: complete ? Infinity : next - 1, cutShort };
    if (!complete) {
      // Parts further on are kept for a later analysis to find; the fast path starts over there.
      this.lastLayout = this.layout(parts);
      this.lastPartCount = -1;
      this.parts.add(fresh, generation);
    } else if (layoutChanged || parts.length !== this.lastPartCount) {
      // (Otherwise the same parts are in the same places, and the lookups of the last analysis
      // still serve: typing a character and deleting it again alternates between two layouts, both kept.)
      this.lastLayout = this.layout(parts);
      this.lastPartCount = parts.length;
      this.previousParts = this.parts;
      this.parts = new PartLookup();
      this.parts.add(parts, generation);
    }
    if (this.project) this.projectRead = unionOfReads(parts);
    this.versions = undefined;
    return piecewise(parts.map((p) => p.piece));
  }

  /** Every part is analysed again: what they were analysed with changed. */
  private forgetParts(): void {
    this.parts = new PartLookup();
    this.previousParts = new PartLookup();
    this.lastLayout = [];
    this.lastPartCount = -1;
  }

  /** The top-level statements of a tree, those starting before `until`. */
  private statements(tree: Tree, text: string, until: number): Statement[] {
    // Analysed again with nothing changed (diagnostics going on in slices, a second request).
    if (!this.changed && tree === this.lastTree && text === this.lastText) return this.lastStatements;
    const statements: Statement[] = [];
    // Text changed without `edited` being told: nothing can be assumed about where.
    const changed = this.changed ?? (text === this.lastText ? undefined : EVERYTHING);
    const previous = this.lastStatements;
    let gapStart = 0;
    let cursor = 0;
    // A cursor, not nodes: walking thousands of top-level statements must not make a node for each.
    const walk = tree.cursor();
    for (let more = walk.firstChild(); more && walk.from < until; more = walk.nextSibling()) {
      if (walk.name === "Comment") continue;
      const end = walk.to;
      // A statement whose text the edits did not reach is the statement it was, where it was then.
      const shift = !changed ? 0 : end <= changed.from ? 0 : gapStart >= changed.to ? changed.delta : undefined;
      let same: Statement | undefined;
      if (shift !== undefined) {
        // Statements come in order, so the search for the earlier one only moves forward.
        while (cursor < previous.length && previous[cursor].end < end - shift) cursor++;
        const candidate = previous[cursor];
        if (candidate && candidate.end === end - shift && candidate.gapStart === gapStart - shift) same = candidate;
      }
      if (same) {
        // Moved to the new text: never a candidate again in this pass.
        cursor++;
        same.node = undefined;
        same.from = walk.from;
        same.gapStart = gapStart;
        same.end = end;
        statements.push(same);
        gapStart = end;
        continue;
      }
      const key = textKey(text, gapStart, end);
      let known = this.facts.get(key);
      const node = walk.node;
      if (!known) {
        known = sameAs(statementFacts(node, text, gapStart), previous[statements.length]?.facts);
        this.facts.set(key, known);
      }
      let keras = this.kerasFacts.get(key);
      if (!keras) this.kerasFacts.set(key, (keras = generationFacts(node, text)));
      // (Cheap enough to find again for a statement not kept: one test of its text, no walk.)
      statements.push({ node, from: walk.from, gapStart, end, key, facts: known, keras, policy: dtypePolicyFact(node, text) });
      gapStart = end;
    }
    // Facts of statements typed and deleted again stay for a while; not forever.
    if (this.facts.size > 2 * statements.length + 1000) this.facts = new Map(statements.map((s) => [s.key, s.facts]));
    if (this.kerasFacts.size > 2 * statements.length + 1000) this.kerasFacts = new Map(statements.map((s) => [s.key, s.keras]));
    this.lastStatements = statements;
    this.lastText = text;
    this.lastTree = tree;
    this.changed = undefined;
    return statements;
  }

  /** A part kept from an earlier analysis that starts at statement `i`, if it is still valid there. */
  private reuse(statements: readonly Statement[], i: number, index: NameIndex, module: ModuleState, taken: (part: Part) => boolean): Part | undefined {
    const key = statements[i].key;
    // Identical code twice in a file: a part object stands for one place at a time.
    for (const part of candidates(this.parts.notTaken(key, taken), this.previousParts.notTaken(key, taken))) {
      const last = i + part.keys.length - 1;
      if (!sameStatements(part, statements, i) || !this.readsUnchanged(part)) continue;
      if (part.stars.length !== module.stars.length || part.stars.some((s, n) => module.stars[n] !== s)) continue;
      if (![...part.entering].every(([name, binding]) => sameBinding(module.bindings.get(name), binding))) continue;
      if (part.heldNames.some((name) => index.nextRead(name, last) !== undefined)) continue;
      if (part.finalNames.some((name) => index.lastRebind(name, last) !== undefined)) continue;
      move(part, statements[i].gapStart - part.piece.span.start);
      return part;
    }
    return undefined;
  }

  /**
   * Runs statements from `i` on for as long as later statements may reach the objects they make.
   * Undefined when `statements` are a head's and the part would go on past them.
   */
  private run(statements: readonly Statement[], i: number, index: NameIndex, module: ModuleState, text: string, head: boolean): Part | undefined {
    const extractor = new Extractor(text, this.keras, this.project);
    const entering = new Map<string, ModuleBinding | undefined>();
    for (const star of module.stars) extractor.seedStarImport(star);
    extractor.takeRebound();
    let required = i;
    let last = i;
    // Every name whose later reads or rebinds decided how far the part runs: the same statements
    // after an edit make the same decisions, except where the answer lies beyond the part.
    const heldNames = new Set<string>();
    const finalNames = new Set<string>();
    for (; last < statements.length; last++) {
      const { facts } = statements[last];
      const node = (statements[last].node ??= statementNode(this.lastTree!, statements[last].from, statements[last].end));
      for (const names of [facts.uses, facts.kills, facts.binds]) {
        for (const name of names) {
          if (entering.has(name)) continue;
          const binding = module.bindings.get(name);
          entering.set(name, binding);
          if (binding) extractor.seed(name, binding);
        }
      }
      extractor.takeRebound();
      extractor.runStatement(node);
      // A name this statement read or rebound (or a helper rebound) may now hold an object a later statement reads.
      for (const name of new Set([...facts.uses, ...facts.kills, ...extractor.takeRebound()])) {
        const binding = extractor.moduleBinding(name);
        if (!binding || !("value" in binding) || !(holdsObject(binding.value) || extractor.sharesList(binding.value))) continue;
        heldNames.add(name);
        required = Math.max(required, index.nextRead(name, last) ?? last);
      }
      if (last >= required) {
        const final = this.finalReads(extractor, statements, index, last);
        for (const name of final.names) finalNames.add(name);
        required = Math.max(required, final.end);
        if (last >= required) break;
      }
    }
    if (last === statements.length && head) return undefined;
    last = Math.min(last, statements.length - 1);
    const program = extractor.finish();
    const read = extractor.projectReads();
    const reads: ProjectReads = read.versions.size || read.layout !== undefined ? { versions: new Map(read.versions), ...(read.layout !== undefined ? { layout: read.layout } : {}) } : NO_READS;
    const analysis = analyzeProgram({ ...program, ...(this.keras ? { keras: this.keras } : {}), ...(this.dtypePolicy ? { dtypePolicy: this.dtypePolicy } : {}) });
    const bindings = extractor.moduleBindings();
    const leaves: [string, ModuleBinding][] = [];
    for (const [name, value] of bindings.values) {
      const held = holdsObject(value) || extractor.sharesList(value);
      if (held) heldNames.add(name);
      const seeded = entering.get(name);
      // A name the part only read leaves the module as it was.
      if (seeded && "value" in seeded && seeded.value === value) continue;
      leaves.push([name, { value: held ? unresolved(`'${name}' refers to an object of another part of the file`) : value }]);
    }
    for (const [name, path] of bindings.imports) {
      const seeded = entering.get(name);
      if (!(seeded && "import" in seeded && seeded.import === path)) leaves.push([name, { import: path }]);
    }
    return {
      keys: statements.slice(i, last + 1).map((s) => s.key),
      entering,
      stars: [...module.stars],
      heldNames: [...heldNames],
      finalNames: [...finalNames],
      leaves,
      leavesStars: bindings.stars.slice(module.stars.length),
      steps: extractor.stepsTaken,
      offsets: offsetHolders(analysis),
      piece: { span: { start: statements[i].gapStart, end: statements[last].end }, analysis },
      reads,
      usedIn: 0,
    };
  }

  /**
   * The names read by the definitions `finish` would run (they see the module as it is at the
   * end), and the last later statement that may rebind one of them.
   */
  private finalReads(extractor: Extractor, statements: readonly Statement[], index: NameIndex, last: number): { names: string[]; end: number } {
    const names = new Set<string>();
    for (const at of extractor.unfinishedDefinitions()) {
      for (const name of statements[statementAt(statements, at)]?.facts.uses ?? []) names.add(name);
    }
    let end = last;
    for (const name of names) end = Math.max(end, index.lastRebind(name, last) ?? end);
    return { names: [...names], end };
  }
}

/** The top-level node of a tree spanning [from, to]. */
function statementNode(tree: Tree, from: number, to: number): SyntaxNode {
  const near = tree.topNode.childAfter(from);
  if (near && near.from === from && near.to === to) return near;
  // An empty error node at `from` ends at it, not after: look through the children.
  const walk = tree.cursor();
  for (let more = walk.firstChild(); more; more = walk.nextSibling()) if (walk.from === from && walk.to === to && walk.name !== "Comment") return walk.node;
  throw new Error(`no statement spans ${from}-${to}`);
}

/**
 * Versions of a part kept under one first statement while typing goes on without a complete analysis
 * (each keystroke in a model's later statements makes one): enough to find the text typed and deleted again.
 */
const KEPT_VERSIONS = 4;

/** How many parts the lookups have looked at, ever: a test checks they stay linear (see `PartLookup`). */
let partsLookedAt = 0;
export const partLookups = (): number => partsLookedAt;

/**
 * Parts by their first statement's key. Several may share a key: identical code in several places,
 * and the versions KEPT_VERSIONS allows. Each operation is linear in what it adds or returns, not in
 * how many parts share a key (a file of thousands of identical statements has thousands under one).
 */
class PartLookup {
  private readonly byKey = new Map<string, Part[]>();
  /** Per list, where its parts not yet placed begin, in the analysis that last asked. */
  private readonly firstNotTaken = new WeakMap<Part[], { readonly taken: (part: Part) => boolean; readonly from: number }>();

  /** Adds parts not in it yet; past KEPT_VERSIONS under a key, the oldest not placed in analysis `generation` go. */
  add(parts: Iterable<Part>, generation: number): void {
    let crowded: Set<Part[]> | undefined;
    for (const part of parts) {
      partsLookedAt++;
      if (part.listedIn === this) continue;
      part.listedIn = this;
      const list = this.byKey.get(part.keys[0]);
      if (!list) this.byKey.set(part.keys[0], [part]);
      else if (list.push(part) > KEPT_VERSIONS) (crowded ??= new Set()).add(list);
    }
    for (const list of crowded ?? []) {
      let excess = list.length - KEPT_VERSIONS;
      let kept = 0;
      for (const part of list) {
        partsLookedAt++;
        if (excess > 0 && part.usedIn !== generation) {
          excess--;
          if (part.listedIn === this) part.listedIn = undefined;
        } else list[kept++] = part;
      }
      list.length = kept;
    }
  }

  /**
   * The parts under `key` that `taken` (the current analysis's) does not hold. An analysis places the
   * parts of one key mostly in order, so the run of taken ones at the start is skipped for good.
   */
  *notTaken(key: string, taken: (part: Part) => boolean): Generator<Part> {
    const list = this.byKey.get(key);
    if (!list) return;
    const mark = this.firstNotTaken.get(list);
    let from = mark?.taken === taken ? mark.from : 0;
    for (; from < list.length && taken(list[from]); from++) partsLookedAt++;
    this.firstNotTaken.set(list, { taken, from });
    for (let n = from; n < list.length; n++) {
      partsLookedAt++;
      if (!taken(list[n])) yield list[n];
    }
  }
}

function* candidates(current: Iterable<Part>, previous: Iterable<Part>): Generator<Part> {
  yield* current;
  yield* previous;
}

/** The index of the statement holding offset `at` (the last one starting at or before it). */
function statementAt(statements: readonly Statement[], at: number): number {
  return firstAbove(statements, at, (s) => s.from) - 1;
}

/** The earlier facts when they are equal (typing inside a statement seldom changes its names), so the name index is kept. */
function sameAs(facts: StatementFacts, earlier: StatementFacts | undefined): StatementFacts {
  const equal = (a: ReadonlySet<string>, b: ReadonlySet<string>) => a.size === b.size && [...a].every((name) => b.has(name));
  return earlier && equal(facts.uses, earlier.uses) && equal(facts.kills, earlier.kills) && equal(facts.binds, earlier.binds) ? earlier : facts;
}

/** Whether a part's statements are the statements from `i` on. */
function sameStatements(part: Part, statements: readonly Statement[], i: number): boolean {
  if (i + part.keys.length > statements.length) return false;
  for (let n = 0; n < part.keys.length; n++) if (statements[i + n].key !== part.keys[n]) return false;
  return true;
}

/** Whether two parts leave the module the same way (equal states before them stay equal after). */
function sameLeaves(a: Part, b: Part): boolean {
  if (a.leaves.length !== b.leaves.length || a.leavesStars.length !== b.leavesStars.length) return false;
  if (a.leavesStars.some((star, n) => b.leavesStars[n] !== star)) return false;
  return a.leaves.every(([name, binding], n) => b.leaves[n][0] === name && sameBinding(binding, b.leaves[n][1]));
}

/** Moves every offset of a part's analysis by `delta` (text before it changed length). */
function move(part: Part, delta: number): void {
  if (delta === 0) return;
  for (const span of part.offsets.spans) {
    span.start += delta;
    span.end += delta;
  }
  for (const holder of part.offsets.totals) holder.totalsOffset += delta;
  part.piece.span.start += delta;
}

/** Every object holding document offsets in an analysis: spans, and models' totals offsets. */
function offsetHolders(analysis: ProgramAnalysis): OffsetHolders {
  const spans: { start: number; end: number }[] = [];
  const totals: { totalsOffset: number }[] = [];
  const seen = new Set<object>();
  const stack: unknown[] = [analysis];
  while (stack.length) {
    const value = stack.pop();
    if (typeof value !== "object" || value === null || seen.has(value)) continue;
    seen.add(value);
    if (Array.isArray(value)) {
      for (const item of value) if (typeof item === "object") stack.push(item);
      continue;
    }
    const record = value as Record<string, unknown>;
    if (typeof record.start === "number" && typeof record.end === "number") {
      spans.push(record as { start: number; end: number });
      continue;
    }
    if (typeof record.totalsOffset === "number") totals.push(record as { totalsOffset: number });
    for (const key in record) {
      // Layer specs are shared by every analysis and hold no offsets.
      if (key !== "spec" && typeof record[key] === "object") stack.push(record[key]);
    }
  }
  return { spans, totals };
}

/** What a part that read nothing of the project read (one record for all of them). */
const NO_READS: ProjectReads = { versions: new Map() };

/** What a layout's parts read of the project, together. */
function unionOfReads(parts: readonly Part[]): ProjectReads {
  const versions = new Map<string, number>();
  let layout: number | undefined;
  for (const part of parts) {
    if (part.reads === NO_READS) continue;
    for (const [path, version] of part.reads.versions) versions.set(path, version);
    layout ??= part.reads.layout;
  }
  return { versions, ...(layout !== undefined ? { layout } : {}) };
}
