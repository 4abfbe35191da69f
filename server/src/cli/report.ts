/**
 * One file analysed, as plain data every output format reads: its models (layers,
 * output shapes, parameters, MACs and memory, totals), its diagnostics placed at line and column
 * (and, in a notebook, at the cell), and the text-format block for it. Plain data,
 * so that a worker thread can analyse a file and hand the result over.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { analyzeText } from "../analysis";
import { EngineDiagnostic, LayerAnalysis, ModelAnalysis, summaryLayers } from "../engine/analyze";
import { macsCell, memoryCell, modelCostLines } from "../engine/costReport";
import { callCost, callMemory, modelFootprint } from "../engine/footprint";
import { Severity } from "../engine/diagnostics";
import { modelKind, summaryRows, totalsDetail } from "../engine/report";
import { Shape } from "../engine/shape";
import { textTable } from "../engine/summary";
import { KerasVersion } from "../python/libraries/generation";
import { NotebookText, readNotebook } from "./notebook";
import { ProjectFiles } from "../project/files";

/** Where an offset is: 1-based line and column; in a notebook, the line within its cell and the cell's number. */
export interface Place {
  readonly line: number;
  readonly column: number;
  /** 1-based, among all the notebook's cells (Markdown ones included), as Jupyter numbers them on screen. */
  readonly cell?: number;
}

/** A parameter count: a number when a double holds it exactly, beyond 2^53 its decimal digits. */
export type Count = number | string;

export interface DiagnosticReport extends Place {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly end: Place;
}

export interface LayerReport extends Place {
  readonly layer: string | null;
  readonly text?: string;
  readonly output: readonly (number | "?" | null)[] | null;
  readonly params: Count | null;
  readonly shared?: true;
  /** Multiply-accumulates for one sample (see the README's convention), and how they come about. */
  readonly macs: Count | null;
  readonly macsFormula?: string;
  /** The dtype the layer computes in, its output's bytes for one sample (and the batch's when known), its weights' bytes. */
  readonly dtype: string | null;
  readonly outputBytes: Count | null;
  readonly outputBatchBytes?: Count;
  readonly paramBytes: Count | null;
}

export interface ModelReport extends Place {
  readonly name: string | null;
  readonly input: readonly (number | "?" | null)[] | null;
  readonly layers: readonly LayerReport[];
  readonly totals: {
    readonly total: Count | null;
    readonly trainable: Count | null;
    readonly nonTrainable: Count | null;
    readonly unknownBecause?: string | null;
    readonly countedAtLeast?: Count | null;
    readonly macs: Count | null;
    readonly macsUnknownBecause?: string | null;
    /** The forward activations of one sample (and of the batch when known), in bytes. */
    readonly activationBytes: Count | null;
    readonly activationBatchBytes?: Count;
    readonly batch?: number;
  };
  readonly diagnostics: readonly DiagnosticReport[];
}

export interface FileReport {
  readonly file: string;
  readonly models: readonly ModelReport[];
  /** Every diagnostic of the file, those of its models and those on calls outside any model. */
  readonly diagnostics: readonly DiagnosticReport[];
  /** The file in the text format. */
  readonly text: string;
  /** Why the file could not be read; nothing else is set then. */
  readonly error?: string;
}

export function count(n: bigint | undefined): Count | null {
  if (n === undefined) return null;
  return n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n.toString();
}

function dims(shape: Shape | undefined): (number | "?" | null)[] | null {
  return shape ? shape.map((d) => (d === "None" ? null : d)) : null;
}

/** Places offsets of a text, or of a notebook's joined cells. */
function placer(text: string, notebook?: NotebookText): (offset: number) => Place {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    const column = offset - starts[lo] + 1;
    const cell = notebook && [...notebook.cells].reverse().find((c) => c.firstLine <= lo);
    return cell ? { line: lo - cell.firstLine + 1, column, cell: cell.number } : { line: lo + 1, column };
  };
}

/** `file:12` or, in a notebook, `file:cell 3:12`. */
export function where(file: string, place: Place): string {
  return place.cell === undefined ? `${file}:${place.line}` : `${file}:cell ${place.cell}:${place.line}`;
}

function diagnosticReport(d: EngineDiagnostic, place: (offset: number) => Place): DiagnosticReport {
  return { code: d.code, severity: d.severity, message: d.message, ...place(d.span.start), end: place(d.span.end) };
}

function layerCost(layer: LayerAnalysis, model: ModelAnalysis) {
  const cost = callCost(layer, model);
  const memory = callMemory(layer, model);
  return {
    macs: count(cost.macs),
    ...(cost.formula ? { macsFormula: cost.formula } : {}),
    dtype: memory.dtype?.compute ?? null,
    outputBytes: count(memory.outputPerSample),
    ...(memory.outputPerBatch !== undefined ? { outputBatchBytes: count(memory.outputPerBatch)! } : {}),
    paramBytes: count(memory.params),
  };
}

function modelCost(model: ModelAnalysis) {
  const footprint = modelFootprint(model);
  return {
    macs: count(footprint.macs),
    ...(footprint.macs === undefined ? { macsUnknownBecause: footprint.macsUnknownBecause ?? null } : {}),
    activationBytes: count(footprint.activationsPerSample),
    ...(footprint.activationsPerBatch !== undefined ? { activationBatchBytes: count(footprint.activationsPerBatch)!, batch: footprint.batch } : {}),
  };
}

function modelReport(m: ModelAnalysis, place: (offset: number) => Place): ModelReport {
  return {
    name: m.model.name ?? null,
    ...place(m.model.span.start),
    input: dims(m.input),
    layers: summaryLayers(m, true).map((l) => ({
      layer: l.element.type === "layer" ? l.element.kind : null,
      ...(l.element.type === "opaque" ? { text: l.element.text } : {}),
      ...place(l.element.span.start),
      output: dims(l.output),
      params: count(l.params),
      // A later call of a layer or model whose weights its first call holds: its params are not to be summed again.
      ...(l.sharedWith ? { shared: true as const } : {}),
      ...layerCost(l, m),
    })),
    totals: {
      total: count(m.totals.total),
      trainable: count(m.totals.trainable),
      nonTrainable: count(m.totals.nonTrainable),
      // When the total is unknown: why, and the whole layers that could be counted (a lower bound, not the total).
      ...(m.totals.total === undefined ? { unknownBecause: m.totals.unknownBecause ?? null, countedAtLeast: count(m.totals.known) } : {}),
      ...modelCost(m),
    },
    diagnostics: m.diagnostics.map((d) => diagnosticReport(d, place)),
  };
}

export function diagnosticLine(file: string, d: DiagnosticReport): string {
  return `${where(file, d)}:${d.column}: ${d.severity} ${d.code}: ${d.message}`;
}

function modelText(file: string, model: ModelAnalysis, report: ModelReport, place: (offset: number) => Place): string {
  const rows = summaryRows(model);
  const layers = summaryLayers(model).filter((l) => !l.spec?.isInput);
  const lineColumn = (p: Place) => (p.cell === undefined ? String(p.line) : `${p.cell}:${p.line}`);
  const header = ["Layer (type)", report.cell === undefined ? "Line" : "Cell:line", "Output Shape", "Param #", "MACs", "Output memory"];
  const body = [
    header,
    ...rows.map((r, i) => [r.layer, lineColumn(place(layers[i].element.span.start)), r.outputShape, r.params, macsCell(callCost(layers[i], model)), memoryCell(callMemory(layers[i], model))]),
  ];
  const title = `${where(file, report)}  ${report.name ?? "(unnamed)"} (${modelKind(model)})`;
  const lines = [title, textTable(body, [1, 3, 4, 5]), totalsDetail(model.totals), ...modelCostLines(model)];
  return [...lines, ...report.diagnostics.map((d) => diagnosticLine(file, d))].join("\n");
}

/** How every file of a run is read: as which Keras generation, and in which project. */
export interface RunSettings {
  readonly kerasVersion: KerasVersion;
  /** The roots imports are looked for under (`--root`, the folders named), besides each file's own folder. */
  readonly roots: readonly string[];
  /** The folders of the files analysed, whose modules their imports may name. */
  readonly folders: readonly string[];
}

/** One project per thread for a run: each module is read and parsed once, whichever files import it. */
let project: { readonly key: string; readonly files: ProjectFiles } | undefined;

function projectOf(settings: RunSettings): ProjectFiles {
  const key = JSON.stringify([settings.roots, settings.folders]);
  if (project?.key !== key) project = { key, files: new ProjectFiles(settings.roots, undefined, settings.folders) };
  return project.files;
}

/** Reads and analyses one file: a notebook (`.ipynb`) as its code cells joined, anything else as Python. */
export function analyseFile(file: string, settings: RunSettings): FileReport {
  let source: string;
  try {
    source = readFileSync(file, "utf8");
  } catch (e) {
    return { file, models: [], diagnostics: [], text: "", error: `cannot read ${file}: ${(e as Error).message}` };
  }
  const notebook = file.toLowerCase().endsWith(".ipynb") ? readNotebook(source) : undefined;
  if (notebook && "error" in notebook) return { file, models: [], diagnostics: [], text: "", error: `cannot read ${file}: ${notebook.error}` };
  const text = notebook ? notebook.text : source;
  const place = placer(text, notebook);
  const analysis = analyzeText(text, { kerasVersion: settings.kerasVersion, project: { modules: projectOf(settings), path: resolve(file) } });
  const models = analysis.models.map((m) => modelReport(m, place));
  const diagnostics = analysis.diagnostics.map((d) => diagnosticReport(d, place));
  const inModels = new Set(analysis.models.flatMap((m) => m.diagnostics));
  const blocks = models.length ? analysis.models.map((m, i) => `${modelText(file, m, models[i], place)}\n\n`) : [`${file}: no Keras model found\n\n`];
  // Problems on calls outside any model (tensor code, tf.nn ops) follow the models.
  const outside = analysis.diagnostics.flatMap((d, i) => (inModels.has(d) ? [] : [`${diagnosticLine(file, diagnostics[i])}\n`]));
  return { file, models, diagnostics, text: [...blocks, ...outside].join("") };
}
