/**
 * The whole pipeline for one document, shared by the language server and the
 * CLI: text → syntax tree → program description → analysed models and calls.
 */
import { Tree } from "@lezer/common";
import { ProgramAnalysis, analyzeProgram } from "./engine/analyze";
import { extractProgram } from "./python/extract";
import { parsePython } from "./python/parser";

export type DocumentAnalysis = ProgramAnalysis;

export function analyzeTree(tree: Tree, text: string): DocumentAnalysis {
  return analyzeProgram(extractProgram(tree, text));
}

export function analyzeText(text: string): DocumentAnalysis {
  return analyzeTree(parsePython(text), text);
}
