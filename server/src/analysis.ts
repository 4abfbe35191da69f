/**
 * The whole pipeline for one document, shared by the language server and the
 * CLI: text → syntax tree → model descriptions → analysed models.
 */
import { Tree } from "@lezer/common";
import { ModelAnalysis, analyzeSequential } from "./engine/analyze";
import { extractModels } from "./python/extract";
import { parsePython } from "./python/parser";

export interface DocumentAnalysis {
  readonly models: readonly ModelAnalysis[];
}

export function analyzeTree(tree: Tree, text: string): DocumentAnalysis {
  return { models: extractModels(tree, text).map(analyzeSequential) };
}

export function analyzeText(text: string): DocumentAnalysis {
  return analyzeTree(parsePython(text), text);
}
