/**
 * What a name means at a point of the program: an import (a dotted module path
 * such as `keras.layers`), a constant the front end could evaluate, or something
 * it cannot know. Scopes chain from a function body to its module.
 */
import { PyValue, unresolved } from "../engine/values";

/** A module-level name as a part of the file leaves it for the next: an import, or a value. */
export type ModuleBinding = { readonly import: string } | { readonly value: PyValue };

export class Scope {
  private readonly imports = new Map<string, string>();
  private readonly values = new Map<string, PyValue>();
  private readonly starModules: string[] = [];
  /** Names bound since `takeChanged` was last called, when tracked (the module scope of an incremental run). */
  private changed?: Set<string>;
  /** Names a `global` or `nonlocal` statement gave to an enclosing scope, and whether binding them there surely happens. */
  private readonly outer = new Map<string, { readonly scope: Scope; readonly certain: boolean }>();

  /**
   * `block`: the scope of a body that may or may not run (a branch, a loop), merged into its parent afterwards.
   * `depth`: how many such bodies were under way where it was made (see `Extractor.uncertain`).
   */
  constructor(
    private readonly parent?: Scope,
    private readonly block = false,
    readonly depth = 0,
  ) {}

  child(depth: number, block = false): Scope {
    return new Scope(this, block, depth);
  }

  /**
   * `global name` / `nonlocal name` in a function body: the function's own scope then binds and reads the
   * name in the module's scope or the enclosing one. `certain`: false when the function runs in a branch or
   * loop Layer Lens does not follow, so whatever it assigns there becomes unknown.
   */
  declareOuter(name: string, kind: "global" | "nonlocal", certain: boolean): void {
    let own: Scope = this;
    while (own.block && own.parent) own = own.parent;
    let target = own.parent;
    if (kind === "global") while (target?.parent) target = target.parent;
    if (target) own.outer.set(name, { scope: target, certain });
  }

  /** This scope and the ones it reads through, innermost first; `ownOnly`: only as far as its function's own scope. */
  *chain(ownOnly = false): Generator<Scope> {
    for (let scope: Scope | undefined = this; scope; scope = scope.parent) {
      yield scope;
      if (ownOnly && !scope.block) return;
    }
  }

  /** Whether this scope itself binds the name (or hands it to an enclosing one with `global` / `nonlocal`). */
  binds(name: string): boolean {
    return this.values.has(name) || this.imports.has(name) || this.outer.has(name);
  }

  /** The names this scope itself binds to exactly this object (a list changed in place: every name holding it). */
  namesHolding(value: PyValue): string[] {
    const names: string[] = [];
    for (const [name, own] of this.values) if (own === value) names.push(name);
    return names;
  }

  bindImport(name: string, path: string): void {
    const outer = this.outer.get(name);
    if (outer) return outer.certain ? outer.scope.bindImport(name, path) : outer.scope.bindValue(name, mayNotHaveRun(name));
    this.changed?.add(name);
    this.values.delete(name);
    this.imports.set(name, path);
  }

  bindValue(name: string, value: PyValue): void {
    const outer = this.outer.get(name);
    if (outer) return outer.scope.bindValue(name, outer.certain ? value : mayNotHaveRun(name));
    this.changed?.add(name);
    this.imports.delete(name);
    this.values.set(name, value);
  }

  /** Names bound in this scope itself (not its parents), for merging branch scopes. */
  ownBindings(): { values: [string, PyValue][]; imports: [string, string][]; stars: string[] } {
    return { values: [...this.values], imports: [...this.imports], stars: [...this.starModules] };
  }

  /** The names bound since the last call (the first call starts tracking). */
  takeChanged(): string[] {
    const names = this.changed ? [...this.changed] : [];
    this.changed = new Set();
    return names;
  }

  /** The binding of a name in this scope itself, if any. */
  ownBinding(name: string): ModuleBinding | undefined {
    if (this.values.has(name)) return { value: this.values.get(name)! };
    const path = this.imports.get(name);
    return path === undefined ? undefined : { import: path };
  }

  starImport(module: string): void {
    this.starModules.push(module);
  }

  /** The dotted path a name was imported as, if it names a module or an imported object. */
  importPath(name: string): string | undefined {
    const outer = this.outer.get(name);
    if (outer) return outer.scope.importPath(name);
    if (this.values.has(name)) return undefined;
    const path = this.imports.get(name);
    if (path !== undefined) return path;
    const inherited = this.parent?.importPath(name);
    if (inherited !== undefined) return inherited;
    const star = this.starModules[this.starModules.length - 1];
    return star !== undefined && !this.parent?.hasValue(name) ? `${star}.${name}` : undefined;
  }

  private hasValue(name: string): boolean {
    const outer = this.outer.get(name);
    if (outer) return outer.scope.hasValue(name);
    return this.values.has(name) || !!this.parent?.hasValue(name);
  }

  /** Whether the name is bound here or in a parent (as a value or an import); builtins are not. */
  defines(name: string): boolean {
    return this.hasValue(name) || this.importPath(name) !== undefined;
  }

  value(name: string): PyValue {
    const outer = this.outer.get(name);
    if (outer) return outer.scope.value(name);
    if (this.values.has(name)) return this.values.get(name)!;
    if (this.imports.has(name)) return unresolved(`'${name}' is a module or class, not a constant`);
    return this.parent ? this.parent.value(name) : unresolved(`'${name}' is not a constant defined in this file`);
  }
}

function mayNotHaveRun(name: string): PyValue {
  return unresolved(`'${name}' is assigned by a function called where Layer Lens cannot tell whether it runs`);
}
