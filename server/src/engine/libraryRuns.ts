/**
 * A library model's layers analysed once per input. A backbone of hundreds of layers is copied into the program
 * again whenever the part of the file that builds it runs again (at most edits of a transfer-learning script), each
 * layer with the arguments its configuration's description gave it (`LayerCallIR.template`): binding them and running
 * the spec on the same input gives the same result, so it is kept. Only results without diagnostics are kept (a
 * diagnostic is placed on the call it was made for); `trainable=False`, which the user's code may add to a backbone's
 * layer (`for layer in base.layers[:100]`), is part of the key.
 */
import { KerasGeneration } from "./generations";
import { LayerCallIR } from "./ir";
import { LayerAnalysis } from "./results";
import { Shape } from "./shape";
import { LayerStep } from "./sequential";

/** A few configurations' worth of layers (NASNetLarge has about 1,000). */
const KEPT = 30_000;
const kept = new Map<string, Omit<LayerAnalysis, "element">>();

/** The key of a library layer's run on these inputs; undefined for a layer of the user's. */
export function runKey(call: LayerCallIR, inputs: readonly (Shape | undefined)[], keras: KerasGeneration | undefined): string | undefined {
  if (!call.template) return undefined;
  const frozen = call.args.some((a) => a.name === "trainable" && a.value === false);
  return `${call.template}|${inputs.map((s) => (s ? s.join(",") : "-")).join(";")}|${frozen ? "frozen" : ""}|${keras ?? ""}`;
}

/** The run kept under `key`, as the step of `call`. */
export function keptRun(key: string | undefined, call: LayerCallIR): LayerStep | undefined {
  const analysis = key === undefined ? undefined : kept.get(key);
  return analysis && { analysis: { ...analysis, element: call }, diagnostics: [] };
}

export function keepRun(key: string | undefined, step: LayerStep): void {
  if (key === undefined || step.diagnostics.length || kept.has(key)) return;
  if (kept.size >= KEPT) kept.delete(kept.keys().next().value!);
  const { element: _, ...analysis } = step.analysis;
  kept.set(key, analysis);
}
