/**
 * The whole pipeline for one document, shared by the language server and the
 * CLI: text → syntax tree → program description → analysed models and calls.
 */
import { Tree } from "@lezer/common";
import { ProgramAnalysis } from "./engine/analyze";
import { IncrementalProgram } from "./python/incremental";
import { parsePython } from "./python/parser";

export type DocumentAnalysis = ProgramAnalysis;

/** Analyses a whole document once; a document analysed again after edits keeps an `IncrementalProgram`. */
export function analyzeTree(tree: Tree, text: string): DocumentAnalysis {
  return new IncrementalProgram().analyze(tree, text);
}

export function analyzeText(text: string): DocumentAnalysis {
  return analyzeTree(parsePython(text), text);
}
