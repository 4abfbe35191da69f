/**
 * The project's modules on disk (and in the editor's open documents), for the front end's imports: a dotted name
 * is looked for as Python would look for it from the importing file (its folder first, then the roots: the
 * workspace folders, or the CLI's `--root` and folders named, and a `src/` folder under each), only ever inside
 * the roots (and folders also allowed: the CLI's files' own) and never in an environment's installed packages. Only the files an import names are read, each once per version;
 * nothing is listed or walked.
 */
import { lstatSync, readFileSync, realpathSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { Tree } from "@lezer/common";
import { parsePython } from "../python/parser";
import { ModuleSource, ProjectModules } from "../python/project";

/** A module larger than this is not followed (its names are unknown, with the reason). */
export const MAX_MODULE_CHARACTERS = 1_000_000;

/**
 * How long what a file's metadata said is taken as still true: an analysis asks about the same few modules
 * thousands of times (each part of a long file runs the modules it needs), and a change on disk is seen at the
 * next request after this, or at once when the editor reports it (`changed`).
 */
const STAT_MEMORY_MS = 1_000;

/** Folders whose modules are installed code, not the project's. */
const INSTALLED = new Set(["site-packages", "dist-packages", "node_modules", "__pycache__", ".git", ".venv", "venv", ".tox"]);

interface Entry {
  /** What the text is read from: an open document's version, the file's size and time on disk, or a folder. */
  readonly stamp: string;
  readonly version: number;
  /** Read and parsed when first needed (a version is asked for far more often). */
  source?: ModuleSource;
}

/** An open document's text, which is what the project holds while it is open. */
export type OpenText = (path: string) => { readonly text: string; readonly version: number } | undefined;

export class ProjectFiles implements ProjectModules {
  private readonly roots: string[];
  /** Where modules may be found: the roots, and folders allowed besides. */
  private readonly allowed: string[];
  private readonly entries = new Map<string, Entry>();
  /** Where a search found each name from each folder (null: nowhere). */
  private readonly found = new Map<string, string | null>();
  /** Whether each path a search went through exists and is a link. */
  private readonly kinds = new Map<string, "plain" | "link" | "missing">();
  /** Each file's metadata and when it was read (see STAT_MEMORY_MS). */
  private readonly stats = new Map<string, { readonly at: number; readonly stats: ReturnType<typeof statOf> }>();
  private versions = 0;
  layout = 0;

  constructor(
    roots: readonly string[],
    private readonly openText: OpenText = () => undefined,
    alsoInside: readonly string[] = [],
  ) {
    this.roots = [...new Set(roots.map((r) => realOrSelf(resolve(r))))];
    this.allowed = [...new Set([...this.roots, ...alsoInside.map((r) => realOrSelf(resolve(r)))])];
  }

  /** A file was added, removed or changed on disk (or opened or closed): read it again when next asked. */
  changed(path: string, kind: "created" | "changed" | "deleted"): void {
    this.entries.delete(resolve(path));
    this.stats.delete(resolve(path));
    if (kind !== "changed") {
      this.found.clear();
      this.kinds.clear();
      this.stats.clear();
      this.layout++;
    }
  }

  find(name: string, level: number, importer: string): ModuleSource | undefined {
    const segments = name ? name.split(".") : [];
    if (level > 0) {
      let base = dirname(resolve(importer));
      for (let up = 1; up < level; up++) base = dirname(base);
      return this.moduleAt(base, segments);
    }
    const folders = [dirname(resolve(importer)), ...this.roots, ...this.roots.map((r) => join(r, "src"))];
    for (const folder of new Set(folders)) {
      const module = this.moduleAt(folder, segments);
      if (module) return module;
    }
    return undefined;
  }

  submodule(pkg: ModuleSource, name: string): ModuleSource | undefined {
    return pkg.folder ? this.moduleAt(pkg.folder, [name]) : undefined;
  }

  source(path: string): ModuleSource | undefined {
    const at = resolve(path);
    const entry = this.entry(at);
    if (!entry) return undefined;
    entry.source ??= this.read(at, entry);
    return entry.source;
  }

  version(path: string): number | undefined {
    return this.entry(resolve(path))?.version;
  }

  /** The module's entry for its text now: kept while the document's version or the file's size and time are the same. */
  private entry(path: string): Entry | undefined {
    const open = this.openText(path);
    let stamp: string;
    if (open) stamp = `open:${open.version}`;
    else {
      const stats = this.statOf(path);
      if (!stats) return undefined;
      stamp = stats.folder ? "folder" : `disk:${stats.size}:${stats.mtime}`;
    }
    const kept = this.entries.get(path);
    if (kept?.stamp === stamp) return kept;
    const entry: Entry = { stamp, version: ++this.versions };
    this.entries.set(path, entry);
    return entry;
  }

  private read(path: string, entry: Entry): ModuleSource {
    const open = this.openText(path);
    if (open) return this.module(path, entry, open.text);
    // A namespace package: a folder without `__init__.py`, which holds submodules and defines nothing.
    if (entry.stamp === "folder") return this.module(path, entry, "");
    try {
      if (statSync(path).size > MAX_MODULE_CHARACTERS * 4) return this.module(path, entry, undefined, "is too large to follow");
      return this.module(path, entry, readFileSync(path, "utf8"));
    } catch {
      return this.module(path, entry, undefined, "cannot be read");
    }
  }

  /** The module `segments` name under `folder`, if the project has it there. */
  private moduleAt(folder: string, segments: readonly string[]): ModuleSource | undefined {
    const key = `${folder}\0${segments.join(".")}`;
    let path = this.found.get(key);
    if (path === undefined) {
      path = this.search(folder, segments) ?? null;
      this.found.set(key, path);
    }
    return path === null ? undefined : this.source(path);
  }

  /**
   * Python's order in one folder: a package with `__init__.py`, then a module file, then a namespace package.
   * A candidate is checked against the roots by its path before anything on disk is looked at, and then only
   * reached through no symbolic link (one may point out of the project): nothing outside is ever touched.
   */
  private search(folder: string, segments: readonly string[]): string | undefined {
    const target = join(folder, ...segments);
    const candidates = segments.length ? [join(target, "__init__.py"), `${target}.py`, target] : [join(target, "__init__.py"), target];
    for (const candidate of candidates) {
      const root = this.rootOf(candidate);
      if (root === undefined || !this.withoutLinks(root, candidate)) continue;
      const stats = this.statOf(candidate);
      if (stats && (candidate === target) === stats.folder) return candidate;
    }
    return undefined;
  }

  private statOf(path: string): ReturnType<typeof statOf> {
    const now = performance.now();
    const kept = this.stats.get(path);
    if (kept && now - kept.at < STAT_MEMORY_MS) return kept.stats;
    const stats = statOf(path);
    this.stats.set(path, { at: now, stats });
    return stats;
  }

  /** The root (or folder allowed) a path is in, unless it is in installed code there. */
  private rootOf(path: string): string | undefined {
    const root = this.allowed.find((r) => path === r || path.startsWith(r.endsWith(sep) ? r : r + sep));
    if (root === undefined || relative(root, path).split(sep).some((part) => INSTALLED.has(part))) return undefined;
    return root;
  }

  /** Whether the path's parts below the root exist and none is a symbolic link. */
  private withoutLinks(root: string, path: string): boolean {
    let at = root;
    for (const part of relative(root, path).split(sep).filter(Boolean)) {
      at = join(at, part);
      const kind = this.kinds.get(at) ?? linkKind(at);
      this.kinds.set(at, kind);
      if (kind !== "plain") return false;
    }
    return true;
  }

  private module(path: string, entry: Entry, text: string | undefined, problem?: string): ModuleSource {
    const root = this.rootOf(path) ?? dirname(path);
    const folder = entry.stamp === "folder" ? path : path.endsWith(`${sep}__init__.py`) ? dirname(path) : undefined;
    const followed = text !== undefined && text.length <= MAX_MODULE_CHARACTERS ? text : undefined;
    const why = problem ?? (followed === undefined ? "is too large to follow" : undefined);
    // Parsed when its code first runs: an import that names a package of many modules runs few of them.
    let tree: Tree | undefined;
    return {
      path,
      name: relative(root, path) || path,
      text: followed ?? "",
      get tree() {
        return (tree ??= followed !== undefined ? parsePython(followed) : EMPTY_TREE);
      },
      ...(folder ? { folder } : {}),
      version: entry.version,
      ...(why ? { problem: why } : {}),
    };
  }
}

const EMPTY_TREE: Tree = parsePython("");

// A missing path is the common answer (most candidates of a search are not there): asked not to throw, Node
// makes no error object for it, whose stack trace costs more than the call.
function statOf(path: string): { folder: boolean; size: number; mtime: number } | undefined {
  try {
    const stats = statSync(path, { throwIfNoEntry: false });
    return stats && { folder: stats.isDirectory(), size: stats.size, mtime: stats.mtimeMs };
  } catch {
    return undefined;
  }
}

function linkKind(path: string): "plain" | "link" | "missing" {
  try {
    const stats = lstatSync(path, { throwIfNoEntry: false });
    return !stats ? "missing" : stats.isSymbolicLink() ? "link" : "plain";
  } catch {
    return "missing";
  }
}

/** A path through no symbolic link, or the path itself when it does not exist (yet). */
export function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
