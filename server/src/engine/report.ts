/**
 * How analysis results read to a user: hint labels that respect the editor's
 * per-line length limit, model totals, summary tables and hover explanations.
 * Plain strings only, shared by the language server and the CLI.
 */
import { LayerAnalysis, ModelAnalysis, ParamTotals } from "./analyze";
import { Diagnostics } from "./diagnostics";
import { memorySize, paramCount, withThousands } from "./format";
import { Shape, formatShape } from "./shape";

export interface HintOptions {
  readonly shapes: boolean;
  readonly parameters: boolean;
  readonly batchDimension: boolean;
}

/** VS Code's default `editor.inlayHints.maximumLength`. */
export const MAX_HINT_LINE = 43;

/** `1.2M`, `34.5k`: for hints that must be short. */
function compactCount(n: bigint): string {
  const units: [bigint, string][] = [
    [1_000_000_000n, "B"],
    [1_000_000n, "M"],
    [1_000n, "k"],
  ];
  for (const [size, suffix] of units) {
    if (n >= size) return `${(Number(n) / Number(size)).toFixed(n >= size * 100n ? 0 : 1)}${suffix}`;
  }
  return String(n);
}

function layerHasWeights(layer: LayerAnalysis): boolean {
  return layer.weights.length > 0;
}

/**
 * Candidate labels for a layer hint, longest first; the caller picks the first
 * that fits the line. Empty when there is nothing known to show.
 */
export function layerHintCandidates(layer: LayerAnalysis, options: HintOptions): string[] {
  const shape = options.shapes && layer.output ? formatShape(layer.output, { batch: options.batchDimension }) : undefined;
  const showParams = options.parameters && layerHasWeights(layer) && (layer.params === undefined ? !!shape : true);
  const full = showParams ? (layer.params === undefined ? "? params" : paramCount(layer.params)) : undefined;
  const short = showParams ? (layer.params === undefined ? "? params" : `${compactCount(layer.params)} params`) : undefined;
  const join = (...parts: (string | undefined)[]) => parts.filter(Boolean).join(" · ");
  const candidates = [join(shape, full), join(shape, short), shape ?? short ?? ""];
  return [...new Set(candidates)].filter((c) => c.length > 0);
}

export function totalsCandidates(totals: ParamTotals): string[] {
  if (totals.total === undefined) return ["Total params: ?"];
  const base = `Total params: ${withThousands(totals.total)} (${memorySize(totals.total)})`;
  const frozen = totals.nonTrainable ? totals.nonTrainable : 0n;
  return frozen ? [`${base} · ${withThousands(frozen)} non-trainable`, base] : [base];
}

/**
 * Chooses one label per hint so a line's labels fit `budget` characters: the
 * longest label that has a shorter form steps down first, and as a last resort
 * the longest labels are cut with an ellipsis (the tooltip keeps the full text).
 */
export function fitLine(candidates: readonly string[][], budget = MAX_HINT_LINE): string[] {
  const level = candidates.map(() => 0);
  const labels = () => candidates.map((c, i) => c[level[i]]);
  const length = (ls: string[]) => ls.reduce((n, l) => n + l.length, 0);
  while (length(labels()) > budget) {
    const current = labels();
    const steppable = candidates.map((_, i) => i).filter((i) => level[i] < candidates[i].length - 1);
    if (!steppable.length) break;
    level[steppable.reduce((a, b) => (current[b].length > current[a].length ? b : a))]++;
  }
  const result = labels();
  const MIN_LABEL = 4;
  for (let excess = length(result) - budget; excess > 0; excess = length(result) - budget) {
    const longest = result.reduce((a, l, i) => (l.length > result[a].length ? i : a), 0);
    if (result[longest].length <= MIN_LABEL) break;
    const keep = Math.max(MIN_LABEL, result[longest].length - excess) - 1;
    result[longest] = `${result[longest].slice(0, keep)}…`;
  }
  return result;
}

export function totalsDetail(totals: ParamTotals): string {
  if (totals.total === undefined) return "Total params: unknown (some layer's parameters cannot be determined statically)";
  const line = (label: string, n: bigint | undefined) => (n === undefined ? `${label}: ?` : `${label}: ${withThousands(n)} (${memorySize(n)})`);
  return [line("Total params", totals.total), line("Trainable params", totals.trainable), line("Non-trainable params", totals.nonTrainable)].join("\n");
}

function layerName(layer: LayerAnalysis): string {
  return layer.element.type === "layer" ? layer.element.kind : layer.element.text;
}

export interface SummaryRow {
  readonly layer: string;
  readonly outputShape: string;
  readonly params: string;
}

/** Rows like Keras's `model.summary()`: one per layer, Input excluded as Keras does. */
export function summaryRows(model: ModelAnalysis): SummaryRow[] {
  return model.layers
    .filter((l) => !l.spec?.isInput)
    .map((l) => ({
      layer: layerName(l),
      outputShape: l.output ? formatShape(l.output) : "?",
      params: l.params === undefined || !l.spec ? "?" : withThousands(l.params),
    }));
}

/** A hover for a layer call: shapes in and out, each formula with numbers, the weights. */
export function explainLayer(layer: LayerAnalysis): string {
  const lines: string[] = [];
  const name = layerName(layer);
  lines.push(`**${name}**${layer.spec ? ` — ${layer.spec.summary}` : ""}`, "");
  const fmt = (s: Shape | undefined) => (s ? `\`${formatShape(s)}\`` : "unknown");
  lines.push(layer.spec?.isInput ? `Output: ${fmt(layer.output)}` : `${fmt(layer.input)} → ${fmt(layer.output)}`, "");
  const shapeFormulas = layer.formulas.filter((f) => f.label !== "params");
  if (shapeFormulas.length) {
    lines.push("| output | formula |", "|---|---|");
    for (const f of shapeFormulas) lines.push(`| ${f.label} | \`${f.text}\` |`);
    lines.push("");
  }
  if (layer.weights.length) {
    const total = layer.params === undefined ? "?" : withThousands(layer.params);
    lines.push(`**Parameters: ${total}**`);
    const params = layer.formulas.find((f) => f.label === "params");
    if (params) lines.push("", `\`${params.text}\``);
    lines.push("");
    for (const w of layer.weights) {
      const size = w.count === undefined ? "?" : withThousands(w.count);
      const shape = w.shape ? (w.shape.length > 1 ? `${w.shape.join("·")} = ${size}` : size) : "?";
      lines.push(`- ${w.name}: ${shape}${w.trainable ? "" : " (non-trainable)"}`);
    }
  } else if (layer.spec && !layer.spec.isInput) lines.push("No parameters.");
  return lines.join("\n");
}

/** A hover for the model: the summary table and totals. */
export function explainModel(model: ModelAnalysis): string {
  const rows = summaryRows(model);
  const lines = [`**${model.model.name ?? "Sequential"}** (Sequential)`, "", "| Layer | Output shape | Params |", "|---|---|--:|"];
  for (const r of rows) lines.push(`| ${r.layer} | \`${r.outputShape}\` | ${r.params} |`);
  lines.push("", ...totalsDetail(model.totals).split("\n").map((l) => `${l}  `));
  return lines.join("\n");
}

/** The documentation paragraph behind a diagnostic code, for hovers and the CLI. */
export function diagnosticExplanation(code: string): string | undefined {
  return Object.values(Diagnostics).find((d) => d.code === code)?.explanation;
}
