/**
 * The project around a file: the user's own modules its imports name (`from models.blocks import conv_block`,
 * `import config`, `from .layers import Attention`). The front end asks; what answers reads files (the language
 * server's workspace, the CLI's roots), so the front end itself never touches the file system.
 */
import { Tree } from "@lezer/common";

/** One of the project's modules, as the front end reads it. */
export interface ModuleSource {
  /** Its file (a package's `__init__.py`), or a namespace package's folder. */
  readonly path: string;
  /** How messages name it: its path from the root it was found under (`models/blocks.py`). */
  readonly name: string;
  readonly text: string;
  readonly tree: Tree;
  /** For a package: the folder its submodules are in. */
  readonly folder?: string;
  /** Changes whenever its text does. */
  readonly version: number;
  /** Why its code is not followed (too large, unreadable): every name read from it is unknown for this reason. */
  readonly problem?: string;
}

export interface ProjectModules {
  /**
   * The module an import names: `name` dotted, `level` the leading dots of a relative import, from the module at
   * `importer`; an absolute import (level 0) is searched as Python searches its path when `importer` is the script
   * run (its folder first). Undefined when no file of the project is it (a library, or a module the project lacks).
   */
  find(name: string, level: number, importer: string): ModuleSource | undefined;
  /** A package's submodule (`models.blocks` after `import models`), if the project has it. */
  submodule(pkg: ModuleSource, name: string): ModuleSource | undefined;
  /** The module at a path `find` gave before, as it is now. */
  source(path: string): ModuleSource | undefined;
  /** A module's version now (undefined: no longer there). */
  version(path: string): number | undefined;
  /** Changes whenever the project's files are added or removed, so that what `find` answers may differ. */
  readonly layout: number;
}

/** The file being analysed, and its project. */
export interface ProjectContext {
  readonly modules: ProjectModules;
  /** The file's own path (a notebook's too), which relative imports and the search start from. */
  readonly path: string;
  /**
   * A module the file imports whose lines are to be shown instead of the file's (it is open, and the file calls
   * it): its code keeps its own spans, the file's code is run only to call it, and shows nothing.
   */
  readonly focus?: string;
}

/** What an analysis read of its project: each module at its version, and the layout if it searched. */
export interface ProjectReads {
  readonly versions: ReadonlyMap<string, number>;
  readonly layout?: number;
}

/** Whether what was read is still what the project holds (`modules`: or a view of it that remembers versions). */
export function readsCurrent(reads: ProjectReads, modules: Pick<ProjectModules, "version" | "layout">): boolean {
  if (reads.layout !== undefined && reads.layout !== modules.layout) return false;
  for (const [path, version] of reads.versions) if (modules.version(path) !== version) return false;
  return true;
}

/** The project's versions as they are now, each asked once (an analysis checks many parts against the same modules). */
export function versionsNow(modules: ProjectModules): Pick<ProjectModules, "version" | "layout"> {
  const known = new Map<string, number | undefined>();
  return {
    layout: modules.layout,
    version(path) {
      if (!known.has(path)) known.set(path, modules.version(path));
      return known.get(path);
    },
  };
}

/**
 * Libraries never looked for in the project: the ones Layer Lens models by their own paths, and Python's own
 * modules scripts import most (a project's `keras.py` or `random.py` would shadow them in Python, but that is
 * not what anyone means to write).
 */
const NOT_PROJECT = new Set([
  ...["keras", "tensorflow", "tf_keras", "keras_core", "keras_hub", "keras_cv", "keras_nlp", "tensorflow_hub", "torch", "torchvision", "torchinfo", "torchsummary", "numpy"],
  ...["os", "sys", "math", "random", "json", "re", "time", "argparse", "logging", "pathlib", "itertools", "functools", "collections", "dataclasses", "types", "typing", "copy", "glob", "shutil", "pickle", "datetime", "warnings", "abc", "enum", "csv", "io", "string", "__future__"],
]);

export function neverInProject(name: string): boolean {
  return NOT_PROJECT.has(name.split(".")[0]);
}

/**
 * A project module's names are bound as import paths that start with its token (`§/ws/models/blocks%2Epy.conv_block`):
 * plain values, as a library's paths are, so that the incremental analysis carries them from part to part; dots
 * are escaped so that a path's segments stay its attributes.
 */
const TOKEN = "§";

export function moduleToken(path: string): string {
  return TOKEN + path.replace(/%/g, "%25").replace(/\./g, "%2E");
}

export function isProjectPath(path: string): boolean {
  return path.startsWith(TOKEN);
}

/** A project path's module file and the attributes after it. */
export function splitProjectPath(path: string): { module: string; attributes: string[] } {
  const [head, ...attributes] = path.split(".");
  return { module: head.slice(TOKEN.length).replace(/%2E/g, ".").replace(/%25/g, "%"), attributes };
}
