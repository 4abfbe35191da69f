/**
 * The files the command line names: a file as given, a directory as the Python files and
 * notebooks under it, a glob (`'src/**\/*.py'`, quoted so the shell leaves it to us, as
 * pre-commit and Windows do) as the files it matches. Hidden folders, `node_modules` and
 * `__pycache__` are not searched (`.ipynb_checkpoints` holds copies of notebooks).
 */
import { readdirSync, statSync } from "node:fs";
import { join, posix, sep } from "node:path";

const ANALYSED = /\.(py|ipynb)$/i;
const SKIPPED_FOLDERS = new Set(["node_modules", "__pycache__"]);

const isGlob = (arg: string) => /[*?[]/.test(arg);

/** Every file under `dir`, in a stable order, as paths that start with `dir`; a folder that cannot be read is a problem. */
function walk(dir: string, problems: string[]): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    problems.push(`cannot read the folder ${dir}: ${(e as Error).message}`);
    return [];
  }
  const found: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!entry.name.startsWith(".") && !SKIPPED_FOLDERS.has(entry.name)) found.push(...walk(path, problems));
    } else if (entry.isFile()) found.push(path);
  }
  return found;
}

/** A glob as a regular expression over `/`-separated paths: `**` any folders, `*` and `?` within one name, `[…]` a class. */
function globPattern(glob: string): RegExp {
  let pattern = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (glob.startsWith("**/", i)) {
      pattern += "(?:[^/]*/)*";
      i += 2;
    } else if (glob.startsWith("**", i)) {
      pattern += ".*";
      i += 1;
    } else if (c === "*") pattern += "[^/]*";
    else if (c === "?") pattern += "[^/]";
    else if (c === "[" && glob.indexOf("]", i + 1) > i + 1) {
      const end = glob.indexOf("]", i + 1);
      const body = glob.slice(i + 1, end);
      pattern += `[${body.startsWith("!") ? `^${body.slice(1)}` : body}]`;
      i = end;
    } else pattern += c.replace(/[.+^${}()|\\]/g, "\\$&");
  }
  return new RegExp(`^${pattern}$`);
}

/** The files a glob matches, searched from the folder its fixed part names (none if it names no folder). */
function expandGlob(glob: string, problems: string[]): string[] {
  const parts = glob.split(/[\\/]/);
  const firstGlob = parts.findIndex(isGlob);
  // As `join` writes the paths found: `./src` is `src`, and the paths under "." have no prefix.
  const base = posix.normalize(parts.slice(0, firstGlob).join("/") || ".");
  const pattern = globPattern([...(base === "." ? [] : [base]), ...parts.slice(firstGlob)].join("/"));
  let isFolder = false;
  try {
    isFolder = statSync(base).isDirectory();
  } catch {
    // A glob under a folder that does not exist matches nothing.
  }
  return !isFolder ? [] : walk(base, problems).filter((path) => pattern.test(path.split(sep).join("/")));
}

export interface Expanded {
  readonly files: readonly string[];
  /** An argument that names nothing to read, with why. */
  readonly problems: readonly string[];
}

export function expandArguments(args: readonly string[]): Expanded {
  const files: string[] = [];
  const problems: string[] = [];
  for (const arg of args) {
    let stat;
    try {
      stat = statSync(arg);
    } catch {
      stat = undefined;
    }
    if (stat?.isDirectory()) {
      const found = walk(arg, problems).filter((f) => ANALYSED.test(f));
      if (found.length) files.push(...found);
      else problems.push(`${arg}: no Python files or notebooks in this folder`);
    } else if (!stat && isGlob(arg)) {
      const found = expandGlob(arg, problems).filter((f) => ANALYSED.test(f));
      if (found.length) files.push(...found);
      else problems.push(`${arg}: no Python files or notebooks match`);
    } else files.push(arg);
  }
  return { files: [...new Set(files)], problems };
}
