/**
 * A model's summary, like Keras's `model.summary()`: one row per layer with its
 * output shape, parameters and share of the total, then the totals with their
 * size in memory. Rendered as aligned plain text and as a Markdown table (for a
 * README or a paper). Plain data in, plain strings out.
 */
import { LayerAnalysis, ModelAnalysis, ParamTotals, summaryLayers } from "./analyze";
import { memorySize, withThousands } from "./format";
import { Span } from "./ir";
import { summaryRows, unknownTotals } from "./report";
import { formatShape } from "./shape";
import { callCost, callMemory, modelFootprint } from "./footprint";
import { bytes, macsCell, memoryCell, modelCostLines } from "./costReport";

/** A row of `model.summary()`: the layer, its output shape, parameters and share of the model's. */
export interface SummaryRow {
  /** The Keras class, or what the user wrote for an element Layer Lens cannot follow. */
  readonly layer: string;
  /** The `name=` the user gave the layer, if any. */
  readonly name?: string;
  readonly outputShape: string;
  /** `18,496`, or `?` when unknown (or what else the table shows instead of a count). */
  readonly params: string;
  /** `53.1%`; `?` when the count or the total is unknown. */
  readonly share: string;
  /** MACs for one sample (`194,688`), `?` when unknown. */
  readonly macs: string;
  /** The output's size for one sample (`84.50 KB`) in the layer's dtype, `?` when unknown. */
  readonly memory: string;
  readonly span: Span;
  /**
   * A nested model's row (a backbone's, a model used as a layer): how many rows its own layers make. Keras's
   * `summary(expand_nested=True)` lists them under it; the view does when asked (`nestedRows`).
   */
  readonly nested?: number;
}

export interface SummaryTotal {
  /** `34,826`, or `?` when some layer's parameters are unknown. */
  readonly count: string;
  /** `136.04 KB` as float32 weights, or `?`. */
  readonly memory: string;
}

export interface ModelSummary {
  /** The variable the model is assigned to, or `model`. */
  readonly title: string;
  /** The input shape the summary was computed for, e.g. `(None, 28, 28, 1)`, or `?`. */
  readonly input: string;
  /** The input without its batch dimension, as written in `keras.Input(shape=…)`, e.g. `(28, 28, 1)`. */
  readonly sample: string;
  readonly rows: readonly SummaryRow[];
  readonly total: SummaryTotal;
  readonly trainable: SummaryTotal;
  readonly nonTrainable: SummaryTotal;
  /** Total MACs for one sample over every call (`1,234,567`), `?` when unknown. */
  readonly macs: string;
  /** The forward activations for one sample (`2.31 MB`), `?` when unknown. */
  readonly activations: string;
  /** The errors Keras would raise for this model, as messages. */
  readonly errors: readonly string[];
  readonly text: string;
  readonly markdown: string;
}

const HEADER = ["Layer (type)", "Output shape", "Params", "Share"];

/** `53.1%` of `total` for a row's count as the table shows it, `<0.1%` rather than a misleading `0.0%`. */
function shareOf(params: string, total: bigint | undefined): string {
  if (!/^[\d,]+$/.test(params) || total === undefined) return "?";
  const count = BigInt(params.replace(/,/g, ""));
  if (count === 0n) return "0%";
  const tenths = Number((count * 1000n) / total) + (((count * 1000n) % total) * 2n >= total ? 1 : 0);
  return tenths === 0 ? "<0.1%" : `${(tenths / 10).toFixed(1)}%`;
}

function explicitName(layer: LayerAnalysis): string | undefined {
  // (A backbone's layer cell names it already, as Keras lists it: `conv1_conv (Conv2D)`.)
  if (layer.element.type !== "layer" || layer.element.library) return undefined;
  const value = layer.element.args.find((a) => a.name === "name")?.value;
  return typeof value === "string" ? value : undefined;
}

/** The layers of a nested model's row as its own summary lists them (its Input left out, each layer once). */
function nestedLayers(row: LayerAnalysis): readonly LayerAnalysis[] | undefined {
  return row.element.type === "model" && row.inner ? row.inner.filter((l) => !l.spec?.isInput && !l.sharedWith) : undefined;
}

/** The report's rows (Input excluded, as Keras does), with each layer's name, share and source span. */
function rowsOf(model: ModelAnalysis): SummaryRow[] {
  const layers = summaryLayers(model).filter((l) => !l.spec?.isInput);
  return summaryRows(model).map((row, i) => {
    const nested = nestedLayers(layers[i])?.length;
    return {
      ...row,
      name: explicitName(layers[i]),
      share: shareOf(row.params, model.totals.total),
      macs: macsCell(callCost(layers[i], model)),
      memory: memoryCell(callMemory(layers[i], model)),
      span: layers[i].element.span,
      ...(nested ? { nested } : {}),
    };
  });
}

/**
 * The rows of the nested model at row `row` of a model's summary: its layers with their own names (a backbone's are
 * Keras's), output shapes, parameters, and their share of the outer model's total. Undefined for a row that is no
 * nested model. Their span is the nested model's row's.
 */
export function nestedRows(model: ModelAnalysis, row: number): SummaryRow[] | undefined {
  const outer = summaryLayers(model).filter((l) => !l.spec?.isInput)[row];
  const layers = outer && nestedLayers(outer);
  if (!layers) return undefined;
  return summaryRows({ ...model, layers, rows: undefined }).map((cells, i) => ({
    ...cells,
    name: explicitName(layers[i]),
    share: shareOf(cells.params, model.totals.total),
    macs: macsCell(callCost(layers[i], model)),
    memory: memoryCell(callMemory(layers[i], model)),
    span: outer.element.span,
  }));
}

function total(count: bigint | undefined): SummaryTotal {
  return count === undefined ? { count: "?", memory: "?" } : { count: withThousands(count), memory: memorySize(count) };
}

/** `conv (Conv2D)` when the user named the layer, as Keras prints it; otherwise the class alone. */
function layerCell(row: SummaryRow): string {
  return row.name ? `${row.name} (${row.layer})` : row.layer;
}

/** Columns padded to their widest cell (right-aligned where asked), framed by rules. */
export function textTable(rows: readonly (readonly string[])[], rightAligned: readonly number[]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const line = (r: readonly string[]) =>
    r.map((cell, c) => (rightAligned.includes(c) ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join("   ").trimEnd();
  const rule = "─".repeat(widths.reduce((a, w) => a + w, 0) + 3 * (widths.length - 1));
  return [line(rows[0]), rule, ...rows.slice(1).map(line), rule].join("\n");
}

/** Markdown needs `|` escaped inside cells. */
const cell = (s: string) => s.replace(/\|/g, "\\|");

export function modelSummary(model: ModelAnalysis): ModelSummary {
  const rows = rowsOf(model);
  const title = model.model.name ?? "model";
  const input = model.input ? formatShape(model.input) : "?";
  const sample = model.input ? formatShape(model.input, { batch: false }) : "?";
  const totals = { total: total(model.totals.total), trainable: total(model.totals.trainable), nonTrainable: total(model.totals.nonTrainable) };
  const totalLines =
    model.totals.total === undefined
      ? unknownTotals(model.totals)
      : [
          `Total params: ${totals.total.count} (${totals.total.memory})`,
          `Trainable params: ${totals.trainable.count} (${totals.trainable.memory})`,
          `Non-trainable params: ${totals.nonTrainable.count} (${totals.nonTrainable.memory})`,
        ];
  totalLines.push(...modelCostLines(model));
  const footprint = modelFootprint(model);
  const cost = {
    macs: footprint.macs === undefined ? "?" : withThousands(footprint.macs),
    activations: footprint.activationsPerSample === undefined ? "?" : bytes(footprint.activationsPerSample),
  };
  const errors = model.diagnostics.filter((d) => d.severity === "error").map((d) => d.message);
  const body = rows.map((r) => [layerCell(r), r.outputShape, r.params, r.share]);
  const text = [`Model: "${title}"  input ${input}`, textTable([HEADER, ...body], [2, 3]), ...totalLines].join("\n");
  const markdown = [
    `**${cell(title)}** — input \`${input}\``,
    "",
    `| ${HEADER.join(" | ")} |`,
    "|---|---|--:|--:|",
    ...body.map(([layer, shape, params, share]) => `| ${cell(layer)} | \`${shape}\` | ${params} | ${share} |`),
    "",
    ...totalLines.map((l, i) => (i < totalLines.length - 1 ? `${l}  ` : l)),
  ].join("\n");
  return { title, input, sample, rows, ...totals, ...cost, errors, text, markdown };
}

/** One line for a code lens: `Total 34,826 params (136.04 KB) · trainable 34,826 (136.04 KB) · non-trainable 0 (0.00 B)`. */
export function totalsLine(totals: ParamTotals): string {
  if (totals.total === undefined) {
    const why = totals.unknownBecause ?? "some layer's parameters cannot be determined statically";
    return totals.known ? `Total params: ? (${why}; ${withThousands(totals.known)} counted so far)` : `Total params: ? (${why})`;
  }
  const t = (n: bigint | undefined) => `${total(n).count} (${total(n).memory})`;
  return `Total ${withThousands(totals.total)} params (${memorySize(totals.total)}) · trainable ${t(totals.trainable)} · non-trainable ${t(totals.nonTrainable)}`;
}
