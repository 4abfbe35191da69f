/**
 * Import statements, and the project's own modules they name (a layer of the interpreter). A name imported from a
 * module of the project is bound as a path that starts with the module's token (`project.ts`), a plain value as a
 * library's path is; it is read through the module, which this interpreter runs once, the first time one of its
 * names is needed. Its functions and classes then run as the file's own do, on the file's arguments, with the
 * module's text: what they make while the file's code runs them belongs to the file's call that ran them (its
 * spans, no hint of its own), so a helper imported from another file shows on the line that calls it.
 */
import { SyntaxNode } from "@lezer/common";
import { Span } from "../engine/ir";
import { PyValue, isRef, unresolved } from "../engine/values";
import { Definitions } from "./definitions";
import { LoadedModule, ProjectName } from "./interpreterState";
import { ModuleSource, ProjectReads, isProjectPath, moduleToken, neverInProject, splitProjectPath } from "./project";
import { Scope } from "./scope";
import { span } from "./syntax";

/** Modules loading one inside another deeper than this are not followed (each is a nested run of a top level). */
const MAX_LOADING = 24;

/** Where the IR stood when the file's code started running code of another module. */
interface Marks {
  readonly tensors: number;
  readonly layers: number;
  readonly calls: number;
  readonly models: number;
  readonly blocks: number;
  readonly notes: number;
  readonly elements: readonly number[];
}

export abstract class Imports extends Definitions {
  /** The project's modules this run loaded, by path. */
  private readonly loaded = new Map<string, LoadedModule>();
  private loading = 0;
  /** Where the IR stood as each run of shown code began and ended, when the focus is a module (see `finishFocus`). */
  private readonly shownRuns: { readonly from: Marks; readonly to: Marks }[] = [];
  private readonly versions = new Map<string, number>();
  private searched = false;

  /** What this run read of the project, for the incremental analysis to tell when it changed. */
  projectReads(): ProjectReads {
    return { versions: this.versions, ...(this.searched && this.project ? { layout: this.project.modules.layout } : {}) };
  }

  protected importStatement(stmt: SyntaxNode, scope: Scope): void {
    const children: SyntaxNode[] = [];
    for (let c = stmt.firstChild; c; c = c.nextSibling) children.push(c);
    const names = (from: number, to: number) =>
      children.slice(from, to).filter((c) => c.name === "VariableName").map((c) => this.t(c)).join(".");
    if (children[0]?.name === "from") {
      const importAt = children.findIndex((c) => c.name === "import");
      if (importAt < 0) return;
      const firstName = children.findIndex((c) => c.name === "VariableName");
      const dots = children.slice(1, firstName < 0 || firstName > importAt ? importAt : firstName);
      const level = dots.reduce((n, c) => n + (c.name === "Ellipsis" ? 3 : c.name === "." ? 1 : 0), 0);
      const module = names(1, importAt);
      const source = this.findModule(module, level);
      if (!source && (level > 0 || !module)) return;
      const prefix = source ? moduleToken(source.path) : module;
      // After `import`: `a`, `a as b`, `*`, comma-separated, possibly parenthesised.
      const rest = children.slice(importAt + 1).filter((c) => c.name !== "(" && c.name !== ")");
      for (let i = 0; i < rest.length; i++) {
        const c = rest[i];
        if (c.name === "*") {
          if (source) this.starFrom(source, span(stmt), scope);
          else scope.starImport(module);
        }
        if (c.name !== "VariableName") continue;
        const alias = rest[i + 1]?.name === "as" ? rest[i + 2] : undefined;
        scope.bindImport(alias ? this.t(alias) : this.t(c), `${prefix}.${this.t(c)}`);
        if (alias) i += 2;
      }
      return;
    }
    // `import a.b.c` (binds `a`), `import a.b as c` (binds `c` to a.b), comma-separated.
    let group: SyntaxNode[] = [];
    const flush = (alias?: SyntaxNode) => {
      const path = group.map((c) => this.t(c)).join(".");
      if (path) {
        const bound = alias ? path : this.t(group[0]);
        const source = this.findModule(bound, 0);
        scope.bindImport(alias ? this.t(alias) : this.t(group[0]), source ? moduleToken(source.path) : bound);
      }
      group = [];
    };
    for (let i = 1; i < children.length; i++) {
      const c = children[i];
      if (c.name === "VariableName") group.push(c);
      else if (c.name === "as") {
        flush(children[i + 1]);
        i++;
      } else if (c.name === ",") flush();
    }
    flush();
  }

  /** The project's module an import names, if the file has a project and it holds that module. */
  private findModule(name: string, level: number): ModuleSource | undefined {
    if (!this.project || (level === 0 && (!name || neverInProject(name)))) return undefined;
    this.searched = true;
    // Python 3 looks for an absolute import on its path, which starts at the script's folder, whichever module imports.
    return this.project.modules.find(name, level, level ? (this.module?.source.path ?? this.project.path) : this.project.path);
  }

  /** `from models.blocks import *`: the names its `__all__` lists, else those not starting with `_`. */
  private starFrom(source: ModuleSource, at: Span, scope: Scope): void {
    const module = this.load(source, at);
    if (!module) return;
    const own = module.scope.ownBindings();
    const listed = module.scope.ownBinding("__all__");
    const all = listed && "value" in listed && Array.isArray(listed.value) && listed.value.every((v) => typeof v === "string") ? (listed.value as string[]) : undefined;
    const names = all ?? [...own.values.map(([n]) => n), ...own.imports.map(([n]) => n)].filter((n) => !n.startsWith("_"));
    for (const name of names) scope.bindImport(name, `${moduleToken(source.path)}.${name}`);
  }

  /** Runs a module's top level, once per run of the interpreter; undefined when its code is not followed. */
  private load(source: ModuleSource, at: Span | undefined): LoadedModule | undefined {
    const kept = this.loaded.get(source.path);
    if (kept) return kept;
    this.versions.set(source.path, source.version);
    if (source.problem || this.loading >= MAX_LOADING) return undefined;
    const scope = new Scope();
    scope.bindValue("__name__", source.name);
    const module: LoadedModule = { source, scope, loading: true };
    this.loaded.set(source.path, module);
    const models = this.models.length;
    this.loading++;
    try {
      this.runIn(module, at, () => this.body(source.tree.topNode, { scope, flow: "straight" }));
    } finally {
      this.loading--;
      module.loading = false;
    }
    // What a module builds as it is imported is its own: the file shows what it builds from it.
    if (!this.shown(module)) for (let i = models; i < this.models.length; i++) this.models[i].imported ??= source.name;
    return module;
  }

  /** Why the names of a module the interpreter does not run are unknown. */
  private notFollowed(source: ModuleSource): PyValue {
    return unresolved(source.problem ? `${source.name} ${source.problem}` : `${source.name} imports modules nested too deep to follow`);
  }

  /**
   * What a project path names (`§…/blocks%2Epy.conv_block`): the module's binding, a submodule of a package, or a
   * library path the module imported (`from keras import layers` there, `blocks.layers.Conv2D` here).
   */
  protected projectName(path: string, at: Span | undefined): ProjectName | undefined {
    if (!this.project || !isProjectPath(path)) return undefined;
    const { module: file, attributes } = splitProjectPath(path);
    const found = this.project.modules.source(file);
    if (!found) return { value: unresolved(`the module ${file} is no longer in the project`) };
    let source: ModuleSource = found;
    for (let i = 0; ; i++) {
      const module = this.load(source, at);
      if (!module) return { value: this.notFollowed(source) };
      if (i === attributes.length) return { module };
      const name = attributes[i];
      const binding = module.scope.ownBinding(name);
      const rest = attributes.slice(i + 1).map((a) => `.${a}`).join("");
      if (binding && "value" in binding) return rest ? undefined : { value: this.claimed(binding.value) };
      const imported = binding?.import ?? module.scope.importPath(name);
      if (imported !== undefined) return isProjectPath(imported) ? this.projectName(imported + rest, at) : { library: imported + rest };
      const submodule: ModuleSource | undefined = source.folder ? this.project.modules.submodule(source, name) : undefined;
      if (!submodule) {
        const why = module.loading ? `${source.name} is still being imported where '${name}' is read (a circular import)` : `${source.name} does not define '${name}'`;
        return rest ? undefined : { value: unresolved(why) };
      }
      this.versions.set(submodule.path, submodule.version);
      source = submodule;
    }
  }

  /**
   * A model a module built as it was imported is its own, until the code shown reads it (`from models import
   * model`): then it is a model of the file too, shown where it was first needed.
   */
  private claimed(value: PyValue): PyValue {
    const model = isRef(value, "model") ? value.id : isRef(value, "instance") ? this.instances[value.id].model : undefined;
    if (model !== undefined && this.shown(this.module)) delete this.models[model].imported;
    return value;
  }

  /** A name bound to a project path, read as a value (`IMG_SIZE` after `from config import IMG_SIZE`). */
  imported(path: string, node: SyntaxNode): PyValue | undefined {
    const named = this.projectName(path, span(node));
    if (!named) return undefined;
    if ("value" in named) return named.value;
    return unresolved(`\`${this.t(node)}\` is a module, not a value`);
  }

  protected runIn<T>(module: LoadedModule | undefined, at: Span | undefined, run: () => T): T {
    const [text, running] = [this.text, this.module];
    const leaving = this.shown(running) && !this.shown(module);
    const site = this.sites.at(-1);
    const entry = leaving ? (at ?? (site ? span(site) : { start: 0, end: 0 })) : undefined;
    const marks = (leaving || (!this.shown(running) && this.shown(module))) && this.marks();
    this.text = module ? module.source.text : this.ownText;
    this.module = module;
    try {
      return run();
    } finally {
      this.text = text;
      this.module = running;
      if (marks && entry) this.adopt(marks, entry, module?.source.name ?? this.ownName());
      else if (marks) this.shownRuns.push({ from: marks, to: this.marks() });
    }
  }

  protected shown(module: LoadedModule | undefined): boolean {
    const focus = this.project?.focus;
    return focus === undefined ? module === undefined : module?.source.path === focus;
  }

  /** How messages name the file's own code, seen from a module it imports. */
  private ownName(): string {
    return this.project ? (this.project.path.split(/[\\/]/).pop() ?? this.project.path) : "the file";
  }

  /**
   * Seen from the focus module: what the file's code made outside the focus's runs is the file's (`imported`, no
   * hint and no diagnostic here), and the focus's functions it never called run on unknown arguments.
   */
  protected finishFocus(): void {
    if (!this.project?.focus) return;
    const runs = this.shownRuns;
    const inRun = (kind: keyof Marks, i: number) => runs.some((r) => (r.from[kind] as number) <= i && i < (r.to[kind] as number));
    const mark = (kind: keyof Marks, items: readonly object[]) =>
      items.forEach((item, i) => {
        if (!inRun(kind, i)) (item as { imported?: string }).imported ??= this.ownName();
      });
    mark("tensors", this.tensors.map((t) => (t.type === "input" ? t.call : t)));
    mark("layers", this.layers.map((l) => l.call));
    mark("calls", this.calls);
    mark("models", this.models);
    mark("blocks", this.blocks);
  }

  private marks(): Marks {
    const elements = this.models.map((m) => (m.kind === "sequential" ? m.elements.length : 0));
    return { tensors: this.tensors.length, layers: this.layers.length, calls: this.calls.length, models: this.models.length, blocks: this.blocks.length, notes: this.notes.length, elements };
  }

  /** What another module's code made: placed at the file's call, and marked as made there. */
  private adopt(marks: Marks, entry: Span, module: string): void {
    const place = placer(entry, module);
    for (const list of [this.tensors.slice(marks.tensors), this.layers.slice(marks.layers), this.calls.slice(marks.calls), this.blocks.slice(marks.blocks), this.notes.slice(marks.notes)]) {
      for (const item of list) place(item);
    }
    for (const model of this.models.slice(marks.models)) place(model);
    marks.elements.forEach((count, i) => {
      const model = this.models[i];
      if (model.kind === "sequential") for (const element of model.elements.slice(count)) place(element);
    });
  }
}

/**
 * Moves an IR item (and what it holds) to the span of the file's call, and marks the calls, layers, tensors and
 * blocks in it as imported. Objects are changed in place: other items hold them by identity.
 */
function placer(entry: Span, module: string): (item: object) => void {
  const seen = new WeakSet<object>();
  const place = (item: object): void => {
    if (seen.has(item)) return;
    seen.add(item);
    const record = item as Record<string, unknown>;
    // A call, a layer's constructor call, a variable, a helper's run (a block).
    if ("callee" in record || record.type === "layer" || record.type === "literal" || ("calls" in record && "result" in record)) record.imported ??= module;
    for (const [key, value] of Object.entries(record)) {
      if (key === "totalsOffset" && typeof value === "number") record[key] = entry.end;
      else if (isSpan(value)) record[key] = { start: entry.start, end: entry.end };
      else if (typeof value === "object" && value !== null) place(value);
    }
  };
  return place;
}

function isSpan(value: unknown): value is Span {
  return typeof value === "object" && value !== null && typeof (value as Span).start === "number" && typeof (value as Span).end === "number" && Object.keys(value).length === 2;
}
