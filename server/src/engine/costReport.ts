/**
 * How a call's and a model's cost read to a user (footprint.ts computes them): the hover's lines with the
 * formula and the user's numbers, table cells, the totals' lines and the short form for hints.
 */
import { COST_CONVENTION, Cost } from "./cost";
import { CostContext, Memory, ModelFootprint, callCost, callMemory, modelFootprint, shortMacs } from "./footprint";
import { memorySize, withThousands } from "./format";
import type { LayerAnalysis, ModelAnalysis } from "./results";

/** A size in bytes as Keras's summary prints weights: powers of 1024, two decimals. */
export const bytes = (n: bigint) => memorySize(n, 1);

/** `194,688`, or `?` when unknown. */
export function macsCell(cost: Cost): string {
  return cost.macs === undefined ? "?" : withThousands(cost.macs);
}

/** The output's size for one sample (`84.50 KB`), or `?`. */
export function memoryCell(memory: Memory): string {
  return memory.outputPerSample === undefined ? "?" : bytes(memory.outputPerSample);
}

/** The hover's part on what a call computes and keeps: MACs with the formula, the batch's, the output's and weights' size. */
export function costLines(layer: LayerAnalysis, context: CostContext): string[] {
  const cost = callCost(layer, context);
  const memory = callMemory(layer, context);
  const lines: string[] = [];
  if (cost.macs === undefined) lines.push(`**MACs: ?**${cost.note ? ` — ${cost.note}` : ""}`);
  else {
    const batch = typeof layer.output?.[0] === "number" ? layer.output[0] : undefined;
    const flops = cost.macs > 0n ? ` (FLOPs = 2 × MACs = ${withThousands(2n * cost.macs)})` : "";
    const perBatch = batch !== undefined && cost.macs > 0n ? ` · ${withThousands(cost.macs * BigInt(batch))} for the batch of ${batch}` : "";
    lines.push(`**MACs: ${withThousands(cost.macs)}** per sample${flops}${perBatch}`);
    if (cost.formula) lines.push("", `\`MACs = ${cost.formula}\``);
    if (cost.note && cost.macs === 0n) lines.push("", cost.note);
  }
  lines.push("", memoryLine(memory), "", `*${COST_CONVENTION}*`);
  return lines;
}

function memoryLine(memory: Memory): string {
  if (!memory.dtype) return `Memory: ? (${memory.unknownBecause})`;
  const output = memory.outputPerSample === undefined ? "?" : bytes(memory.outputPerSample);
  const batch = memory.outputPerBatch !== undefined ? `, ${bytes(memory.outputPerBatch)} for the batch of ${memory.batch}` : "";
  const weights = memory.params === undefined ? "" : memory.params > 0n ? ` · weights ${bytes(memory.params)} (${memory.dtype.variable})` : "";
  return `Output: ${output} per sample${batch} (${memory.dtype.compute})${weights}`;
}

/** The model's totals of cost: MACs over every call, and the forward activations. */
export function modelCostLines(model: ModelAnalysis): string[] {
  const footprint = modelFootprint(model);
  return [macsTotalLine(footprint), activationsLine(footprint)];
}

function macsTotalLine(footprint: ModelFootprint): string {
  if (footprint.macs === undefined) return `Total MACs: ? (${footprint.macsUnknownBecause})`;
  return `Total MACs: ${withThousands(footprint.macs)} per sample (${shortMacs(footprint.macs)}; FLOPs = 2 × MACs)`;
}

function activationsLine(footprint: ModelFootprint): string {
  if (footprint.activationsPerSample === undefined) return `Forward activations: ? (${footprint.activationsUnknownBecause})`;
  const batch = footprint.activationsPerBatch !== undefined ? `, ${bytes(footprint.activationsPerBatch)} for the batch of ${footprint.batch}` : "";
  return `Forward activations: ${bytes(footprint.activationsPerSample)} per sample${batch} (every layer's output, kept at once)`;
}

/** The model's MACs in short for its lens: `1.23M MACs`, `? MACs`. */
export function modelMacsLabel(model: ModelAnalysis): string {
  const { macs } = modelFootprint(model);
  return `${macs === undefined ? "?" : shortMacs(macs)} MACs`;
}

/** `1.23M MACs` for a hint, `? MACs` when unknown; undefined for a call that computes nothing to count. */
export function hintMacs(layers: readonly LayerAnalysis[], context: CostContext): string | undefined {
  let total = 0n;
  for (const layer of layers) {
    const macs = callCost(layer, context).macs;
    if (macs === undefined) return "? MACs";
    total += macs;
  }
  return total === 0n ? undefined : `${shortMacs(total)} MACs`;
}
