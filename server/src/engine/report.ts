/**
 * How analysis results read to a user: hint labels that respect the editor's
 * per-line length limit, model totals, summary tables and hover explanations.
 * Plain strings only, shared by the language server and the CLI.
 */
import { BlockAnalysis, LayerAnalysis, ModelAnalysis, ParamTotals, ProgramAnalysis, summaryLayers } from "./analyze";
import { Span } from "./ir";
import { exactLength } from "./compact";
import { Diagnostics } from "./diagnostics";
import { memorySize, paramCount, withThousands } from "./format";
import { Dim, Shape, formatDim, formatShape, isKnown } from "./shape";
import { costLines, hintMacs, modelCostLines } from "./costReport";
import type { CostContext } from "./footprint";

export interface HintOptions {
  readonly shapes: boolean;
  readonly parameters: boolean;
  readonly batchDimension: boolean;
  /** `layerLens.hints.macs`: each call's MACs after its shape and parameters (off by default). */
  readonly macs?: boolean;
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

/** A backbone's line: what it outputs and its parameters, as a layer's hint reads (its summary is in the hover). */
function backboneCandidates(model: ModelAnalysis, options: HintOptions): string[] | undefined {
  if (!("library" in model.model) || !model.model.library) return undefined;
  const last = model.layers[model.layers.length - 1];
  const shape = options.shapes && last?.output ? formatShape(last.output, { batch: options.batchDimension }) : undefined;
  const total = model.totals.total;
  const params = total === undefined ? ["? params"] : [paramCount(total), `${compactCount(total)} params`];
  const candidates = shape ? [...params.map((p) => `${shape} · ${p}`), shape] : params;
  return [...new Set(candidates)];
}

export function totalsCandidates(totals: ParamTotals): string[] {
  if (totals.total === undefined) return totals.known ? [`Total params: ? (≥ ${withThousands(totals.known)} counted)`, "Total params: ?"] : ["Total params: ?"];
  const base = `Total params: ${withThousands(totals.total)} (${memorySize(totals.total)})`;
  const frozen = totals.nonTrainable ? totals.nonTrainable : 0n;
  return frozen ? [`${base} · ${withThousands(frozen)} non-trainable`, base] : [base];
}

/**
 * Chooses one label per hint so a line's labels fit `budget` characters: the
 * longest label that has a shorter form steps down first, and as a last resort
 * the longest labels are cut with an ellipsis (the tooltip keeps the full text).
 */
export function fitLine(candidates: readonly (readonly string[])[], budget = MAX_HINT_LINE): string[] {
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
  if (totals.total === undefined) return unknownTotals(totals).join("\n");
  const line = (label: string, n: bigint | undefined) => (n === undefined ? `${label}: ?` : `${label}: ${withThousands(n)} (${memorySize(n)})`);
  return [line("Total params", totals.total), line("Trainable params", totals.trainable), line("Non-trainable params", totals.nonTrainable)].join("\n");
}

/**
 * An unknown total, with why, and what could be counted: a lower bound, never shown as the total
 * (`Counted so far: 8,320 (32.50 KB) or more`).
 */
export function unknownTotals(totals: ParamTotals): string[] {
  const why = totals.unknownBecause ?? "some layer's parameters cannot be determined statically";
  const counted = totals.known ? [`Counted so far: ${withThousands(totals.known)} (${memorySize(totals.known)}), a lower bound: the rest cannot be counted`] : [];
  return [`Total params: unknown (${why})`, ...counted];
}

function layerName(layer: LayerAnalysis): string {
  const element = layer.element;
  if (element.type !== "layer") return element.text;
  // A backbone's layers are listed as Keras lists them, by the names get_layer takes.
  const name = element.library ? element.args.find((a) => a.name === "name")?.value : undefined;
  const kind = typeof name === "string" ? `${name} (${element.kind})` : displayKind(element.kind);
  return layer.depth ? `${kind}: ${layer.depth.level}-${layer.depth.index}` : kind;
}

/** A PyTorch module by its class name, as torchinfo and `print(model)` show it (`Conv2d`, not `torch.nn.Conv2d`). */
function displayKind(kind: string): string {
  return kind.startsWith("torch.nn.") && /^[A-Z]/.test(kind.slice("torch.nn.".length)) ? kind.slice("torch.nn.".length) : kind;
}

export interface SummaryRow {
  readonly layer: string;
  readonly outputShape: string;
  readonly params: string;
}

/** Rows like Keras's `model.summary()`: one per layer, Input excluded as Keras does. */
export function summaryRows(model: ModelAnalysis): SummaryRow[] {
  return summaryLayers(model)
    .filter((l) => !l.spec?.isInput)
    .map((l) => ({
      layer: layerName(l),
      outputShape: l.output ? formatShape(l.output) : "?",
      params: l.depth?.container ? "--" : l.sharedWith ? "shared" : l.params === undefined ? "?" : withThousands(l.params),
    }));
}

/**
 * A hover for a layer call: shapes in and out, each formula with numbers, the weights; with the program's `context`,
 * what it computes and keeps too (a hint's kept tooltip has that only when the hints show MACs).
 */
export function explainLayer(layer: LayerAnalysis, context?: CostContext): string {
  const lines: string[] = [];
  const name = layerName(layer);
  lines.push(`**${name}**${layer.spec ? ` — ${layer.spec.summary}` : ""}`, "");
  const fmt = (s: Shape | undefined) => (s ? `\`${formatShape(s)}\`` : "unknown");
  const inputs = layer.inputs && layer.inputs.length > 1 ? layer.inputs.map(fmt).join(", ") : fmt(layer.input);
  const sourceOnly = layer.spec?.isInput || (!layer.spec && layer.element.type === "layer" && !layer.input);
  lines.push(sourceOnly ? `Output: ${fmt(layer.output)}` : `${inputs} → ${fmt(layer.output)}`, "");
  if (layer.extraOutputs?.length) lines.push(`Also returns ${layer.extraOutputs.map(fmt).join(", ")}`, "");
  if (layer.sharedWith) lines.push("Shares its weights with its first call (counted there).", "");
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
  if (context && !layer.spec?.isInput && layer.element.type !== "opaque") lines.push("", ...costLines(layer, context));
  return lines.join("\n");
}

/** How Keras names the kind of model: `Sequential`, `Functional`, or (ours) `Subclassed`. */
export function modelKind(model: ModelAnalysis): string {
  if ("torch" in model.model && model.model.torch) return model.model.torch.module;
  return { sequential: "Sequential", functional: "Functional", subclassed: "Subclassed" }[model.model.kind ?? "sequential"];
}

/** A hover for the model: the summary table and totals. */
export function explainModel(model: ModelAnalysis): string {
  const rows = summaryRows(model);
  const kind = modelKind(model);
  const library = "library" in model.model ? model.model.library : undefined;
  const lines = [`**${model.model.name ?? kind}** (${kind})`, ""];
  if (library) lines.push(`\`${library.name}\` — ${library.rules}`, "");
  lines.push("| Layer | Output shape | Params |", "|---|---|--:|");
  for (const r of rows) lines.push(`| ${r.layer} | \`${r.outputShape}\` | ${r.params} |`);
  // A backbone's summary is long: its totals come first too.
  if (library) lines.splice(2, 0, ...totalsDetail(model.totals).split("\n").map((l) => `${l}  `), "");
  lines.push("", ...[...totalsDetail(model.totals).split("\n"), ...modelCostLines(model)].map((l) => `${l}  `));
  return lines.join("\n");
}

/** The documentation paragraph behind a diagnostic code, for hovers and the CLI. */
export function diagnosticExplanation(code: string): string | undefined {
  return Object.values(Diagnostics).find((d) => d.code === code)?.explanation;
}

/** A hint to place: where, its labels longest first, and its tooltip. */
export interface HintSite {
  readonly offset: number;
  readonly candidates: readonly string[];
  /** The full explanation; built on demand (a request for a whole long file shows few of them). */
  explain(): string;
}

/**
 * A hint whose explanation is made from `subject` the first time it is asked for, and kept: a
 * kept piece's tooltips outlive one request. (A long file has tens of thousands of hints, kept
 * with its analysis: a subject and a shared function cost less than a closure each.)
 */
abstract class ExplainedHint<Subject> implements HintSite {
  readonly candidates: readonly string[];
  private explanation?: string;

  constructor(
    candidates: readonly string[],
    private readonly subject: Subject,
    private readonly describe: (subject: Subject) => string,
  ) {
    this.candidates = exactLength(candidates);
  }

  abstract get offset(): number;

  explain(): string {
    return (this.explanation ??= this.describe(this.subject));
  }
}

/**
 * A hint at the end of a span. Its offset is read from the span each time: the incremental
 * front end moves a kept analysis's offsets in place when text before it changes.
 */
class SpanHint<Subject> extends ExplainedHint<Subject> {
  constructor(private readonly span: Span, candidates: readonly string[], subject: Subject, describe: (subject: Subject) => string) {
    super(candidates, subject, describe);
  }

  get offset(): number {
    return this.span.end;
  }
}

/** A model's totals hint, at its (likewise moving) totals offset. */
class TotalsHint extends ExplainedHint<ParamTotals> {
  constructor(private readonly model: ModelAnalysis["model"], candidates: readonly string[], totals: ParamTotals) {
    super(candidates, totals, totalsDetail);
  }

  get offset(): number {
    return this.model.totalsOffset;
  }
}

/** One number per span while offsets are below 2^26 (the pair then fits a double exactly): no string per call. */
function spanKey(span: Span): number | string {
  return span.end < 2 ** 26 ? span.start * 2 ** 26 + span.end : `${span.start}:${span.end}`;
}

function groupBySpan<T>(entries: readonly T[], spanOf: (t: T) => Span): T[][] {
  const groups = new Map<number | string, T[]>();
  for (const entry of entries) {
    const key = spanKey(spanOf(entry));
    const group = groups.get(key);
    if (group) group.push(entry);
    else groups.set(key, [entry]);
  }
  return [...groups.values()];
}

/** The parameters of several runs of one call site: each layer instance once, unknown if any is. */
function groupParams(layers: readonly LayerAnalysis[]): { has: boolean; params?: bigint } {
  const own = layers.filter((l) => !l.sharedWith && layerHasWeights(l));
  if (!own.length) return { has: false };
  let sum = 0n;
  for (const l of own) {
    if (l.params === undefined) return { has: true };
    sum += l.params;
  }
  return { has: true, params: sum };
}

/** The one shape all runs agree on, if they do. */
function commonShape(shapes: readonly (Shape | undefined)[], options: HintOptions, unbatched?: boolean): string | undefined {
  if (!options.shapes || !shapes.length || shapes.some((s) => !s)) return undefined;
  const texts = new Set(shapes.map((s) => formatShape(s!, { batch: unbatched || options.batchDimension })));
  return texts.size === 1 ? [...texts][0] : undefined;
}

function labels(prefix: string, shape: string | undefined, params: { has: boolean; params?: bigint } | "shared", options: HintOptions): string[] {
  const join = (...parts: (string | undefined)[]) => parts.filter(Boolean).join(" · ");
  const counted = params !== "shared" && options.parameters && params.has ? params : undefined;
  const full = params === "shared" ? "shared" : counted ? (counted.params === undefined ? "? params" : paramCount(counted.params)) : undefined;
  const short = params === "shared" ? "shared" : counted ? (counted.params === undefined ? "? params" : `${compactCount(counted.params)} params`) : undefined;
  if (!shape && (!counted || counted.params === undefined) && params !== "shared" && !prefix) return [];
  const withPrefix = (label: string) => (!prefix ? label : shape ? `${prefix} ${label}` : `${prefix} · ${label}`);
  const candidates = [join(shape, full), join(shape, short), shape ?? short ?? ""].map(withPrefix);
  return [...new Set(candidates)].filter((c) => c.trim().length > 0);
}

/**
 * Labels with the MACs after them, then without, each shorter than the one before: a line short of room drops the
 * MACs first, and never the parameters for them (the last, shortest label gets no MACs unless it is the only one).
 */
function withMacs(candidates: readonly string[], macs: string): string[] {
  const kept: string[] = [];
  const counted = candidates.length > 1 ? candidates.slice(0, -1) : candidates;
  for (const label of [...counted.map((c) => `${c} · ${macs}`), ...candidates]) {
    if (!kept.length || label.length < kept[kept.length - 1].length) kept.push(label);
  }
  return kept;
}

/** A call site or helper call run several times, as its hint label is made from it. */
export interface Runs {
  /** Each run's output shape, in order; undefined where unknown. */
  readonly shapes: readonly (Shape | undefined)[];
  /** Runs whose tensor has no batch axis (a `tf.Variable`): printed whole whatever `batchDimension` says. */
  readonly unbatched?: readonly boolean[];
  /** The parameters of all runs together (each layer instance once). */
  readonly params: { has: boolean; params?: bigint };
  /** Further outputs after the shape shown (` +1`), for a helper that returns several tensors. */
  readonly more?: string;
}

const RUN_ARROW = "→";
/** Between first and last run, when a run in between is not known to lie between them. */
const RUN_DETOUR = `${RUN_ARROW}…${RUN_ARROW}`;

/**
 * One dimension over the runs: its value when all runs agree, else `first→last` (the first run's
 * value, then the last run's), or `first→…→last` when some run in between is not known to lie
 * between those two (the values go back and forth, or one is unknown).
 */
function runsDim(dims: readonly Dim[]): { text: string; varies: boolean } {
  const texts = dims.map(formatDim);
  if (texts.every((t) => t === texts[0])) return { text: texts[0], varies: false };
  const numbers = dims.every(isKnown) ? (dims as readonly number[]) : undefined;
  const steps = numbers?.slice(1).map((d, i) => Math.sign(d - numbers[i])) ?? [];
  const monotone = !!numbers && !(steps.includes(1) && steps.includes(-1));
  const between = dims.length > 2 && !monotone ? RUN_DETOUR : RUN_ARROW;
  return { text: `${texts[0]}${between}${texts[texts.length - 1]}`, varies: true };
}

/** Keras's notation for a shape whose dimensions are already text: `(20,)` for rank 1. */
function shapeText(dims: readonly string[]): string {
  return dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(", ")})`;
}

/**
 * Hint labels for a site run `runs.shapes.length` times, preferred first, each shorter than the one
 * before (a longer label later in the list could never be the one that fits). All say `×n`, the
 * number of runs, first. When the runs agree on the shape it is shown as is; when they do not, each
 * dimension that changes reads `first→last` (see `runsDim`), so no run's shape is passed off as all
 * of theirs; if that is too long, those dimensions read `?` (the hover lists every run). Runs of
 * different ranks show the first and last run's whole shapes. The parameters step down from
 * `1,218,752 params` to `1.2M params`, and go before the shape does.
 */
export function runsCandidates(runs: Runs, options: HintOptions): string[] {
  const n = runs.shapes.length;
  const prefix = `×${n}`;
  const printed = options.shapes && runs.shapes.every((s) => s !== undefined)
    ? runs.shapes.map((s, i) => (runs.unbatched?.[i] || options.batchDimension ? s! : s!.slice(1)))
    : undefined;
  const texts = printed?.map((s) => formatShape(s, { batch: true }));
  const more = runs.more ?? "";
  if (!printed || !texts || texts.every((t) => t === texts[0])) {
    if (!texts && !(runs.params.has && options.parameters)) return [];
    return shortening(labels(prefix, texts && `${texts[0]}${more}`, runs.params, options));
  }
  const counted = options.parameters && runs.params.has ? runs.params : undefined;
  const full = counted && (counted.params === undefined ? "? params" : paramCount(counted.params));
  const short = counted && (counted.params === undefined ? "? params" : `${compactCount(counted.params)} params`);
  const label = (shape?: string, params?: string) => `${prefix}${shape ? ` ${shape}${more}` : ""}${params ? ` · ${params}` : ""}`;
  const shapes: string[] = [];
  if (printed.every((s) => s.length === printed[0].length)) {
    const dims = printed[0].map((_, axis) => runsDim(printed.map((s) => s[axis])));
    shapes.push(shapeText(dims.map((d) => d.text)), shapeText(dims.map((d) => (d.varies ? "?" : d.text))));
  } else {
    shapes.push(`${texts[0]}${n > 2 ? RUN_DETOUR : RUN_ARROW}${texts[n - 1]}`);
  }
  const candidates: string[] = [];
  for (const shape of shapes) candidates.push(label(shape, full), label(shape, short), label(shape));
  candidates.push(label(undefined, full), label(undefined, short));
  return shortening(candidates.filter((c) => c !== prefix));
}

/** The candidates each shorter than all before it: a longer one later could never be the one that fits. */
function shortening(candidates: readonly string[]): string[] {
  const kept: string[] = [];
  for (const c of candidates) if (!kept.length || c.length < kept[kept.length - 1].length) kept.push(c);
  return kept;
}

/** Hint labels for one call site run `layers.length` times (loops, helpers called several times). */
function callSiteCandidates(layers: readonly LayerAnalysis[], options: HintOptions): string[] {
  if (layers.length === 1) {
    const [layer] = layers;
    // A later call of a layer whose weights its first call holds; with parameters off there is nothing to share.
    if (layer.sharedWith) return labels("", commonShape([layer.output], options, layer.unbatched), options.parameters ? "shared" : { has: false }, options);
    return layer.unbatched ? labels("", commonShape([layer.output], options, true), groupParams(layers), options) : layerHintCandidates(layer, options);
  }
  return runsCandidates({ shapes: layers.map((l) => l.output), unbatched: layers.map((l) => !!l.unbatched), params: groupParams(layers) }, options);
}

/** A call in PyTorch's forward style: a module called away from where it was made, or a function of `torch`. */
function forwardStyle(layer: LayerAnalysis): boolean {
  return madeElsewhere(layer) || (layer.element.type === "layer" && !layer.element.constructed && layer.element.kind.startsWith("torch."));
}

/**
 * PyTorch's forward nests calls (`self.pool(F.relu(self.conv1(x)))`): the line shows what it computes, the outermost
 * call's shape, not one hint per call inside it (their shapes are in the modules' lines and in hovers). The groups
 * of forward-style calls whose span lies inside another's.
 */
function nestedTorchCalls(groups: readonly (readonly LayerAnalysis[])[]): Set<readonly LayerAnalysis[]> {
  const torch = groups.filter((g) => forwardStyle(g[0])).sort((a, b) => a[0].element.span.start - b[0].element.span.start || b[0].element.span.end - a[0].element.span.end);
  const nested = new Set<readonly LayerAnalysis[]>();
  const open: Span[] = [];
  for (const group of torch) {
    const span = group[0].element.span;
    while (open.length && open[open.length - 1].end <= span.start) open.pop();
    if (open.length && open[open.length - 1].end >= span.end) nested.add(group);
    else open.push(span);
  }
  return nested;
}

function constructedSpan(layer: LayerAnalysis): Span | undefined {
  return layer.element.type === "layer" ? layer.element.constructed : undefined;
}

/** A PyTorch module's call somewhere other than where it was made (`self.conv1(x)` in `forward`). */
function madeElsewhere(layer: LayerAnalysis): boolean {
  const made = constructedSpan(layer);
  return !!made && (made.start !== layer.element.span.start || made.end !== layer.element.span.end);
}

/** A PyTorch module's constructor line: the shapes of all its calls, and its parameters once. */
function constructorCandidates(calls: readonly LayerAnalysis[], options: HintOptions): string[] {
  if (calls.length === 1) return callSiteCandidates(calls, options);
  const params = groupParams(calls.filter((l) => !l.sharedWith));
  return runsCandidates({ shapes: calls.map((l) => l.output), unbatched: calls.map((l) => !!l.unbatched), params }, options);
}

/** The parameters of the layers several runs of a helper create, unknown if any run's are. */
function blockParams(blocks: readonly BlockAnalysis[]): { has: boolean; params?: bigint } {
  if (!blocks.some((b) => b.weights.length)) return { has: false };
  return { has: true, params: blocks.every((b) => b.params !== undefined) ? blocks.reduce((a, b) => a + b.params!, 0n) : undefined };
}

function blockCandidates(blocks: readonly BlockAnalysis[], options: HintOptions): string[] {
  const params = blockParams(blocks);
  const outputs = blocks[0].outputs.length;
  // Runs that return different numbers of tensors have no one `+k` to show: no shape then.
  const shapes = blocks.map((b) => (b.outputs.length === outputs ? b.outputs[0] : undefined));
  const more = outputs > 1 ? ` +${outputs - 1}` : "";
  if (blocks.length > 1) {
    const known = options.shapes && shapes.every((s) => s !== undefined);
    return known || (params.has && params.params !== undefined) ? runsCandidates({ shapes, params, more }, options) : [];
  }
  const shape = commonShape(shapes, options);
  const candidates = labels("", shape ? `${shape}${more}` : undefined, params, options);
  return shape || (params.has && params.params !== undefined) ? candidates : [];
}

/**
 * The hints of a document whose offset `wanted` accepts (all by default): one per call site (runs of the
 * same site grouped), per helper call, and each model's totals. An analysis in pieces is read piece by
 * piece, and each piece's hints are kept with it: pieces survive edits elsewhere in the file, so a
 * request for a whole long file rebuilds only the labels of the piece that changed. Tooltips are built
 * only for the hints shown.
 */
export function documentHints(
  analysis: ProgramAnalysis,
  options: HintOptions & { readonly totals: boolean },
  wanted: (offset: number) => boolean = () => true,
): HintSite[] {
  const hints: HintSite[] = [];
  for (const piece of analysis.pieces ?? [{ analysis }]) {
    for (const hint of hintsOf(piece.analysis, options)) if (wanted(hint.offset)) hints.push(hint);
  }
  return hints;
}

/** One explaining function per way of reading a program (a long file has thousands of analyses, most read alike). */
const callDescribers = new Map<string, (group: readonly LayerAnalysis[]) => string>();

function describeCalls(context: CostContext): (group: readonly LayerAnalysis[]) => string {
  const key = `${context.keras ?? ""}:${context.dtypePolicy ?? ""}`;
  let describe = callDescribers.get(key);
  if (describe) return describe;
  // A policy being typed passes through many names: keep a few.
  if (callDescribers.size >= 16) callDescribers.clear();
  callDescribers.set(key, (describe = (group) => explainCalls(group, context)));
  return describe;
}

const hintsByAnalysis = new WeakMap<ProgramAnalysis, { readonly options: string; readonly hints: readonly HintSite[] }>();

/** Every hint of an analysis (not in pieces), made once per analysis and options. */
function hintsOf(analysis: ProgramAnalysis, options: HintOptions & { readonly totals: boolean }): readonly HintSite[] {
  const key = [options.shapes, options.parameters, options.batchDimension, options.totals, !!options.macs].map(Number).join("");
  const kept = hintsByAnalysis.get(analysis);
  if (kept?.options === key) return kept.hints;
  const hints: HintSite[] = [];
  const context: CostContext = { keras: analysis.keras, dtypePolicy: analysis.dtypePolicy };
  // Tooltips are kept with their hints: what a call costs goes into them only when the hints show it.
  const describe = options.macs ? describeCalls(context) : explainCalls;
  const shapeOnly = { ...options, parameters: false };
  const callGroups = groupBySpan(analysis.calls, (l) => l.element.span);
  const inner = nestedTorchCalls(callGroups);
  for (const group of callGroups) {
    if (inner.has(group)) continue;
    // A PyTorch module called away from its constructor: its parameters are on the constructor's line.
    const candidates = callSiteCandidates(group, madeElsewhere(group[0]) ? shapeOnly : options);
    const macs = options.macs && candidates.length ? hintMacs(group, context) : undefined;
    if (candidates.length) hints.push(new SpanHint(group[0].element.span, macs ? withMacs(candidates, macs) : candidates, group, describe));
  }
  for (const group of groupBySpan(analysis.calls.filter(madeElsewhere), (l) => constructedSpan(l)!)) {
    const candidates = constructorCandidates(group, options);
    if (candidates.length) hints.push(new SpanHint(constructedSpan(group[0])!, candidates, group, describe));
  }
  for (const group of groupBySpan(analysis.blocks, (b) => b.block.span)) {
    const candidates = blockCandidates(group, group[0].block.layer?.torch ? shapeOnly : options);
    if (candidates.length) hints.push(new SpanHint(group[0].block.span, candidates, group, explainBlocks));
  }
  if (options.totals) {
    for (const model of analysis.models) {
      if (model.layers.length) hints.push(new TotalsHint(model.model, backboneCandidates(model, options) ?? totalsCandidates(model.totals), model.totals));
    }
  }
  hintsByAnalysis.set(analysis, { options: key, hints });
  return hints;
}

/** At most this many runs are listed in a hover; beyond, the first and last few, and how many are left out. */
export const MAX_RUN_ROWS = 12;
const HEAD_RUNS = 8;
const TAIL_RUNS = 3;

/** The table rows of `runs` (one row each, by `row(run, number)`), capped at `MAX_RUN_ROWS`. */
function runRows<T>(runs: readonly T[], columns: number, row: (run: T, number: number) => string): string[] {
  if (runs.length <= MAX_RUN_ROWS) return runs.map((r, i) => row(r, i + 1));
  const skipped = runs.length - HEAD_RUNS - TAIL_RUNS;
  const gap = `| ⋮ | *${withThousands(skipped)} more runs* |${" |".repeat(columns - 2)}`;
  return [...runs.slice(0, HEAD_RUNS).map((r, i) => row(r, i + 1)), gap, ...runs.slice(-TAIL_RUNS).map((r, i) => row(r, runs.length - TAIL_RUNS + i + 1))];
}

/** How to read the hint of a site whose `n` runs differ in shape. */
function runsNotation(n: number): string {
  return (
    `In the hint, \`×${withThousands(n)}\` counts the runs, and a dimension that differs between them reads *first run→last run*: ` +
    "the first run's size, then the last run's, not a range (`a→…→b` when a run in between lies outside a to b, or is unknown). " +
    "`?` is a size that cannot be known, or one that differs where the line has no room to show how."
  );
}

function paramsCell(l: LayerAnalysis): string {
  return l.sharedWith ? "shared" : l.params === undefined ? (layerHasWeights(l) ? "?" : "0") : withThousands(l.params);
}

/** A hover for one call site: the layer's explanation, and for a site run several times the shapes of each run. */
export function explainCalls(layers: readonly LayerAnalysis[], context?: CostContext): string {
  if (layers.length === 1) return explainLayer(layers[0], context);
  const fmt = (s: Shape | undefined) => (s ? `\`${formatShape(s)}\`` : "unknown");
  const input = (l: LayerAnalysis) => (l.inputs && l.inputs.length > 1 ? l.inputs.map(fmt).join(", ") : fmt(l.input));
  const rows = runRows(layers, 4, (l, i) => `| ${i} | ${input(l)} | ${fmt(l.output)} | ${paramsCell(l)} |`);
  const lines = [`**${layerName(layers[0])}** — run ${withThousands(layers.length)} times here (a loop or a helper called several times)`, "", "| run | input | output | params |", "|--:|---|---|--:|", ...rows, ""];
  const params = groupParams(layers);
  if (params.has) lines.push(`Parameters of all runs: ${params.params === undefined ? "?" : withThousands(params.params)} (each layer instance counted once).`, "");
  if (new Set(layers.map((l) => fmt(l.output))).size > 1) lines.push(runsNotation(layers.length), "");
  lines.push("**The first run:**", "", explainLayer(layers[0], context));
  return lines.join("\n");
}

/** A helper call's runs shown in full; beyond, only the first (the table above lists every run). */
const DETAILED_BLOCK_RUNS = 3;

function explainBlocks(blocks: readonly BlockAnalysis[]): string {
  const fmt = (s: Shape | undefined) => (s ? `\`${formatShape(s)}\`` : "unknown");
  const total = (b: BlockAnalysis) => (b.params === undefined ? "?" : withThousands(b.params));
  const returns = (b: BlockAnalysis) => b.outputs.map(fmt).join(", ") || "nothing Layer Lens follows";
  const from = blocks[0].block.definedIn ? ` (from \`${blocks[0].block.definedIn}\`)` : "";
  const lines = [`**${blocks[0].block.name}(…)**${from}${blocks.length > 1 ? ` — run ${withThousands(blocks.length)} times here` : ""}`, ""];
  if (blocks.length > 1) {
    lines.push("| run | returns | params |", "|--:|---|--:|", ...runRows(blocks, 3, (b, i) => `| ${i} | ${returns(b)} | ${total(b)} |`), "");
    const params = blockParams(blocks);
    if (params.has) lines.push(`Parameters of all runs: ${params.params === undefined ? "?" : withThousands(params.params)}.`, "");
    if (new Set(blocks.map(returns)).size > 1) lines.push(runsNotation(blocks.length), "");
  }
  const detailed = blocks.length > DETAILED_BLOCK_RUNS ? blocks.slice(0, 1) : blocks;
  for (const [i, block] of detailed.entries()) {
    if (blocks.length > 1) lines.push(`Run ${i + 1}:`, "");
    lines.push("| Layer | Output shape | Params |", "|---|---|--:|");
    for (const call of block.calls) lines.push(`| ${layerName(call)} | ${fmt(call.output)} | ${paramsCell(call)} |`);
    lines.push("", `Returns ${returns(block)} · ${total(block)} params in the layers it creates`, "");
  }
  return lines.join("\n");
}

/** The hover at an offset: a model's summary on its callee, else the innermost call site or helper call under it. */
export function hoverAt(analysis: ProgramAnalysis, offset: number): { markdown: string; span: Span } | undefined {
  const inside = (s: Span) => s.start <= offset && offset <= s.end;
  for (const model of analysis.models) {
    if (inside(model.model.calleeSpan)) return { markdown: explainModel(model), span: model.model.calleeSpan };
  }
  // The innermost site under the cursor (calls nest, e.g. Bidirectional(LSTM(...)) or a layer call inside a helper call).
  let best: { span: Span; markdown: () => string } | undefined;
  const consider = (s: Span, markdown: () => string) => {
    if (inside(s) && (!best || s.end - s.start < best.span.end - best.span.start)) best = { span: s, markdown };
  };
  for (const group of groupBySpan(analysis.calls.filter((l) => inside(l.element.span)), (l) => l.element.span)) {
    if (group[0].element.type !== "opaque") consider(group[0].element.span, () => explainCalls(group, analysis));
  }
  for (const group of groupBySpan(analysis.blocks.filter((b) => inside(b.block.span)), (b) => b.block.span)) consider(group[0].block.span, () => explainBlocks(group));
  return best && { markdown: best.markdown(), span: best.span };
}
