/**
 * The whole pipeline for one document, shared by the language server and the
 * CLI: text → syntax tree → program description → analysed models and calls.
 */
import { Tree } from "@lezer/common";
import { ProgramAnalysis } from "./engine/analyze";
import { IncrementalProgram } from "./python/incremental";
import { parsePython } from "./python/parser";
import { KerasVersion } from "./python/libraries/generation";
import { ProjectContext } from "./python/project";

export type DocumentAnalysis = ProgramAnalysis;

export interface AnalysisOptions {
  /** `layerLens.kerasVersion` / `--keras-version`: the Keras generation to read the file as, or "auto" (its imports tell). */
  readonly kerasVersion?: KerasVersion;
  /** The file's path and its project, whose modules its imports name (none: the file on its own). */
  readonly project?: ProjectContext;
}

/** Analyses a whole document once; a document analysed again after edits keeps an `IncrementalProgram`. */
export function analyzeTree(tree: Tree, text: string, options: AnalysisOptions = {}): DocumentAnalysis {
  return new IncrementalProgram(options.kerasVersion, options.project).analyze(tree, text);
}

export function analyzeText(text: string, options: AnalysisOptions = {}): DocumentAnalysis {
  return analyzeTree(parsePython(text), text, options);
}
