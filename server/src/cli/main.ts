/**
 * `layer-lens FILE... [--json] [--keras-version 2|3|auto]`: for each Keras model in each file, a table like
 * `model.summary()`, with each layer's MACs and output memory for one sample and the model's totals, followed by the
 * diagnostics. `--keras-version` reads every file as tf.keras 2 or Keras 3
 * (by default each file's imports tell, as `layerLens.kerasVersion`'s "auto"). Exits 1 when any diagnostic is
 * an error, 2 on a usage or file error. Reads files; runs nothing.
 */
import { readFileSync } from "node:fs";
import { analyzeText } from "../analysis";
import { KerasVersion } from "../python/libraries/generation";
import { LayerAnalysis, ModelAnalysis, summaryLayers } from "../engine/analyze";
import { modelKind, summaryRows, totalsDetail } from "../engine/report";
import { textTable } from "../engine/summary";
import { callCost, callMemory, modelFootprint } from "../engine/footprint";
import { macsCell, memoryCell, modelCostLines } from "../engine/costReport";

interface LineIndex {
  position(offset: number): { line: number; column: number };
}

function lineIndex(text: string): LineIndex {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return {
    position(offset) {
      let lo = 0;
      let hi = starts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (starts[mid] <= offset) lo = mid;
        else hi = mid - 1;
      }
      return { line: lo + 1, column: offset - starts[lo] + 1 };
    },
  };
}

function renderModel(file: string, model: ModelAnalysis, index: LineIndex): string {
  const at = index.position(model.model.span.start);
  const rows = summaryRows(model);
  const layers = summaryLayers(model).filter((l) => !l.spec?.isInput);
  const cells = (i: number) => [String(index.position(layers[i].element.span.start).line), macsCell(callCost(layers[i], model)), memoryCell(callMemory(layers[i], model))];
  const body = [
    ["Layer (type)", "Line", "Output Shape", "Param #", "MACs", "Output memory"],
    ...rows.map((r, i) => {
      const [line, macs, memory] = cells(i);
      return [r.layer, line, r.outputShape, r.params, macs, memory];
    }),
  ];
  const title = `${file}:${at.line}  ${model.model.name ?? "(unnamed)"} (${modelKind(model)})`;
  return [title, textTable(body, [1, 3, 4, 5]), totalsDetail(model.totals), ...modelCostLines(model)].join("\n");
}

function toJson(file: string, models: readonly ModelAnalysis[], index: LineIndex): unknown {
  const pos = (offset: number) => index.position(offset);
  return {
    file,
    models: models.map((m) => ({
      name: m.model.name ?? null,
      line: pos(m.model.span.start).line,
      input: m.input ?? null,
      layers: summaryLayers(m, true).map((l) => ({
        layer: l.element.type === "layer" ? l.element.kind : null,
        text: l.element.type === "opaque" ? l.element.text : undefined,
        line: pos(l.element.span.start).line,
        output: l.output ?? null,
        params: l.params === undefined ? null : l.params.toString(),
        // A later call of a layer or model whose weights its first call holds: its params are not to be summed again.
        ...(l.sharedWith ? { shared: true } : {}),
        ...layerCost(l, m),
      })),
      totals: {
        total: m.totals.total?.toString() ?? null,
        trainable: m.totals.trainable?.toString() ?? null,
        nonTrainable: m.totals.nonTrainable?.toString() ?? null,
        // When the total is unknown: why, and the whole layers that could be counted (a lower bound, not the total).
        ...(m.totals.total === undefined ? { unknownBecause: m.totals.unknownBecause ?? null, countedAtLeast: m.totals.known?.toString() ?? null } : {}),
        ...modelCost(m),
      },
      diagnostics: m.diagnostics.map((d) => ({ code: d.code, severity: d.severity, message: d.message, ...pos(d.span.start) })),
    })),
  };
}

/** A layer's MACs and memory for `--json`: numbers as strings (they may pass 2^53), null when unknown. */
function layerCost(layer: LayerAnalysis, model: ModelAnalysis): Record<string, unknown> {
  const cost = callCost(layer, model);
  const memory = callMemory(layer, model);
  return {
    macs: cost.macs?.toString() ?? null,
    ...(cost.formula ? { macsFormula: cost.formula } : {}),
    dtype: memory.dtype?.compute ?? null,
    outputBytes: memory.outputPerSample?.toString() ?? null,
    ...(memory.outputPerBatch !== undefined ? { outputBatchBytes: memory.outputPerBatch.toString() } : {}),
    paramBytes: memory.params?.toString() ?? null,
  };
}

function modelCost(model: ModelAnalysis): Record<string, unknown> {
  const footprint = modelFootprint(model);
  return {
    macs: footprint.macs?.toString() ?? null,
    ...(footprint.macs === undefined ? { macsUnknownBecause: footprint.macsUnknownBecause ?? null } : {}),
    activationBytes: footprint.activationsPerSample?.toString() ?? null,
    ...(footprint.activationsPerBatch !== undefined ? { activationBatchBytes: footprint.activationsPerBatch.toString(), batch: footprint.batch } : {}),
  };
}

const KERAS_VERSIONS: Record<string, KerasVersion> = { "2": 2, "3": 3, auto: "auto" };

function main(argv: string[]): number {
  const json = argv.includes("--json");
  const at = argv.indexOf("--keras-version");
  const named = argv[at + 1];
  const kerasVersion = at < 0 ? "auto" : named !== undefined && Object.hasOwn(KERAS_VERSIONS, named) ? KERAS_VERSIONS[named] : undefined;
  const files = argv.filter((a, i) => a !== "--json" && (at < 0 || (i !== at && i !== at + 1)));
  if (!files.length || files.some((f) => f.startsWith("-")) || kerasVersion === undefined) {
    process.stderr.write("usage: layer-lens FILE.py... [--json] [--keras-version 2|3|auto]\n");
    return 2;
  }
  let errors = 0;
  const reports: unknown[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (e) {
      process.stderr.write(`layer-lens: cannot read ${file}: ${(e as Error).message}\n`);
      return 2;
    }
    const index = lineIndex(text);
    const { models, diagnostics } = analyzeText(text, { kerasVersion });
    errors += diagnostics.filter((d) => d.severity === "error").length;
    if (json) {
      reports.push(toJson(file, models, index));
      continue;
    }
    if (!models.length) process.stdout.write(`${file}: no Keras model found\n\n`);
    for (const model of models) {
      process.stdout.write(`${renderModel(file, model, index)}\n`);
      for (const d of model.diagnostics) {
        const { line, column } = index.position(d.span.start);
        process.stdout.write(`${file}:${line}:${column}: ${d.severity} ${d.code}: ${d.message}\n`);
      }
      process.stdout.write("\n");
    }
    // Problems on calls outside any model (tensor code, tf.nn ops).
    const inModels = new Set(models.flatMap((m) => m.diagnostics));
    for (const d of diagnostics.filter((d) => !inModels.has(d))) {
      const { line, column } = index.position(d.span.start);
      process.stdout.write(`${file}:${line}:${column}: ${d.severity} ${d.code}: ${d.message}\n`);
    }
  }
  if (json) process.stdout.write(`${JSON.stringify(reports, null, 2)}\n`);
  return errors ? 1 : 0;
}

// A reader that stops early (`dist/cli.js model.py | head`) closes the pipe: stop quietly, as other CLIs do.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") throw error;
  process.exit(process.exitCode ?? 0);
});
process.exitCode = main(process.argv.slice(2));
