/**
 * Quick fixes for the diagnostics whose fix is clear:
 * - LL301 Dense on a rank > 2 input: insert `Flatten()` before it, with the
 *   module prefix the user wrote (`layers.Flatten(),`).
 * - LL101 a dimension goes non-positive in a convolution or pooling: padding='same'.
 * - LL112 strides and dilation both > 1: drop one or the other (two actions).
 * - LL106 filters not a multiple of groups: the nearest multiples below and above.
 * - LL150 / LL155 / LL156 / LL160, a PyTorch module built for another size than its input has: set `in_channels` /
 *   `in_features` / `num_features` / `input_size` to the input's size (carried by the diagnostic as `actual`);
 *   for `nn.Linear`, also `nn.LazyLinear(out_features)`, which takes it from its first input. The arguments are
 *   where the module was made (`LayerCallIR.constructed`), which may be far from where it is called.
 * - LL354 a recurrent module or Transformer encoder reading the batch from the wrong axis: set `batch_first`.
 * - LL302 an Input's `shape` or a first layer's `input_shape` taken from data
 *   (`keras.Input(shape=x_train.shape[1:])`): "Annotate the input shape" adds
 *   `  # input: (None, ?)` at the end of the call's line, one `?` per axis when the
 *   layer taking the input has a rank (`(None, ?, ?, ?)` before a Conv2D), for the
 *   user to fill in. A literal, not a snippet: the client's snippet support is not
 *   known here, and `?` is how hints print an unknown dimension.
 *
 * Every candidate edit is applied to a copy of the text and analysed again; it is
 * offered only if the diagnostic is gone, nothing is reported on the edited text
 * and no new error appears up to the fixed layer. A fix never makes things worse.
 * The annotation is the exception: its `?` is not Python, so the front end ignores
 * the comment until the user writes a shape and the edited text analyses as the
 * text did (`...` would be read as one unknown axis, and a Conv2D after it would
 * report a false rank error). It is offered when the inserted `#` is a comment, the
 * text parses with no more Lezer error nodes than before, and the same comment with
 * a shape in place of the `?`s makes the diagnostic go away: the front end reads an
 * annotation at that place for that argument.
 * Documents too long to analyse again promptly get no quick fixes.
 */
import { CodeAction, CodeActionKind, CodeActionParams, Diagnostic, TextEdit } from "vscode-languageserver";
import { Tree } from "@lezer/common";
import { analyzeText, analyzeTree } from "../analysis";
import { EngineDiagnostic, LayerAnalysis, ProgramAnalysis } from "../engine/analyze";
import { bindArguments } from "../engine/bind";
import { Diagnostics } from "../engine/diagnostics";
import { ArgIR, LayerCallIR, Span } from "../engine/ir";
import { LayerSpec } from "../engine/spec";
import { PyValue, isSequence, isUnresolved, items } from "../engine/values";
import { parsePython } from "../python/parser";
import { LensDocument } from "./document";
import { toRange } from "./convert";

/** An edit as offsets into the current text. */
interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

interface Fix {
  readonly title: string;
  readonly edits: readonly Edit[];
  readonly preferred?: boolean;
}

interface Target {
  readonly text: string;
  /** Every diagnostic of the document before the fix. */
  readonly before: readonly EngineDiagnostic[];
  readonly diagnostic: EngineDiagnostic;
  readonly layer: LayerAnalysis & { readonly element: LayerCallIR; readonly spec: LayerSpec };
}

/** About 13,000 lines: re-analysing more would keep the server busy for a second or more per fix. */
const MAX_VERIFIED_LENGTH = 500_000;

const slice = (text: string, span: Span) => text.slice(span.start, span.end);

/** The module prefix of a callee as written: `layers.` for `layers.Dense`, empty for `Dense`. */
function modulePrefix(text: string, call: LayerCallIR): string {
  const callee = slice(text, call.calleeSpan);
  return callee.slice(0, callee.lastIndexOf(".") + 1);
}

/** The argument bound to `param`, as Keras binds positional and keyword arguments. */
function argumentFor(target: Target, param: string): ArgIR | undefined {
  const span = bindArguments(target.layer.spec, target.layer.element.args).spans.get(param);
  return span && target.layer.element.args.find((a) => a.span.start === span.start && a.span.end === span.end);
}

/** Replaces an argument's value, keeping `name=` for a keyword argument. */
function replaceValue(arg: ArgIR, value: string): Edit {
  return { start: arg.span.start, end: arg.span.end, text: arg.name ? `${arg.name}=${value}` : value };
}

/** Removes a keyword argument together with the comma that separates it from its neighbour. */
function removeArgument(call: LayerCallIR, arg: ArgIR): Edit {
  const i = call.args.indexOf(arg);
  const previous = call.args[i - 1];
  if (previous) return { start: previous.span.end, end: arg.span.end, text: "" };
  return { start: arg.span.start, end: call.args[i + 1]?.span.start ?? arg.span.end, text: "" };
}

/** Adds a keyword argument after the last one (or as the only one). */
function addArgument(text: string, call: LayerCallIR, source: string): Edit {
  const last = call.args[call.args.length - 1];
  if (last) return { start: last.span.end, end: last.span.end, text: `, ${source}` };
  const close = text.lastIndexOf(")", call.span.end);
  return { start: close, end: close, text: source };
}

function insertFlatten(t: Target): Fix[] {
  const { text, layer } = t;
  if (layer.spec.name !== "Dense") return [];
  const start = layer.element.span.start;
  const lineStart = text.lastIndexOf("\n", start - 1) + 1;
  const before = text.slice(lineStart, start);
  const indent = before.match(/^\s*/)![0];
  const flatten = `${modulePrefix(text, layer.element)}Flatten()`;
  const added = before.match(/^(\s*)([\w.]+)\.add\(\s*$/);
  let edit: Edit;
  if (added) edit = { start: lineStart, end: lineStart, text: `${added[1]}${added[2]}.add(${flatten})\n` };
  else if (before.trim() === "") edit = { start, end: start, text: `${flatten},\n${indent}` };
  else edit = { start, end: start, text: `${flatten}, ` };
  return [{ title: `Insert ${flatten} before ${layer.element.kind}`, edits: [edit], preferred: true }];
}

function paddingSame(t: Target): Fix[] {
  if (!t.layer.spec.params.some((p) => p.name === "padding")) return [];
  const current = argumentFor(t, "padding");
  // The quotes of the padding written, else of the call's first string, else double.
  const quote = (current ? slice(t.text, current.span) : slice(t.text, t.layer.element.span)).match(/["']/)?.[0] ?? '"';
  const same = `${quote}same${quote}`;
  const edit = current ? replaceValue(current, same) : addArgument(t.text, t.layer.element, `padding=${same}`);
  return [{ title: "Use padding='same' (keep the size instead of shrinking it)", edits: [edit], preferred: true }];
}

function dropStridesOrDilation(t: Target): Fix[] {
  const fixes: Fix[] = [];
  for (const [param, keep] of [["strides", "dilation_rate"], ["dilation_rate", "strides"]] as const) {
    const arg = argumentFor(t, param);
    if (!arg) continue;
    const edit = arg.name ? removeArgument(t.layer.element, arg) : replaceValue(arg, "1");
    fixes.push({ title: `Remove ${param} (keep ${keep})`, edits: [edit] });
  }
  return fixes;
}

function filtersMultipleOfGroups(t: Target): Fix[] {
  const args = bindArguments(t.layer.spec, t.layer.element.args).args;
  const count = args.int("filters");
  const groups = args.int("groups");
  // The same code also covers input channels not divisible by groups; the fix there is elsewhere.
  if (count === undefined || groups === undefined || count % groups === 0) return [];
  const arg = argumentFor(t, "filters");
  const valueText = arg && slice(t.text, arg.span).replace(/^filters\s*=\s*/, "");
  // Only a literal is replaced: a variable or an expression may be used elsewhere.
  if (!arg || !/^\d+$/.test(valueText ?? "")) return [];
  const below = Math.floor(count / groups) * groups;
  const above = below + groups;
  return [below, above]
    .filter((n) => n >= groups)
    .map((n) => ({ title: `Set filters to ${n} (a multiple of groups=${groups})`, edits: [replaceValue(arg, String(n))] }));
}

/**
 * A PyTorch module built for another size than its input has (LL150 in_channels, LL155 in_features, LL156
 * num_features, LL160 input_size): set the argument at fault to the input's real size, which the diagnostic carries.
 */
function sizeFromInput(t: Target): Fix[] {
  const actual = t.diagnostic.values?.actual;
  const arg = t.layer.element.args.find((a) => sameSpan(a.span, t.diagnostic.span));
  if (typeof actual !== "number" || !arg) return [];
  const param = [...bindArguments(t.layer.spec, t.layer.element.args).spans].find(([, at]) => sameSpan(at, arg.span))?.[0];
  return param ? [{ title: `Set ${param} to ${actual}, the size of its input`, edits: [replaceValue(arg, String(actual))], preferred: true }] : [];
}

/** `nn.Linear(9216, 128)` whose in_features is wrong: `nn.LazyLinear(128)` takes its in_features from its first input. */
function lazyLinear(t: Target): Fix[] {
  const call = t.layer.element;
  const inFeatures = argumentFor(t, "in_features");
  const callee = slice(t.text, call.calleeSpan);
  if (t.layer.spec.name !== "torch.nn.Linear" || !inFeatures || !/\bLinear$/.test(callee)) return [];
  const rename: Edit = { start: call.calleeSpan.end - "Linear".length, end: call.calleeSpan.end, text: "LazyLinear" };
  return [{ title: "Use nn.LazyLinear (in_features taken from the first input)", edits: [rename, removeArgument(call, inFeatures)] }];
}

/**
 * LL354, a recurrent module or encoder reading its input's batch from the wrong axis: set `batch_first` so it reads
 * the batch where the input has it (axis 0: True, axis 1: False). Another axis takes moving the batch in the code.
 */
function batchFirst(t: Target): Fix[] {
  const axis = t.diagnostic.values?.axis;
  const flag = axis === 0 ? "True" : axis === 1 ? "False" : undefined;
  // A TransformerEncoder takes batch_first from its layer, made elsewhere.
  if (!flag || !t.layer.spec.params.some((p) => p.name === "batch_first")) return [];
  const current = argumentFor(t, "batch_first");
  const edit = current ? replaceValue(current, flag) : addArgument(t.text, t.layer.element, `batch_first=${flag}`);
  return [{ title: `Set batch_first=${flag} (the batch is axis ${axis} of the input)`, edits: [edit], preferred: true }];
}

/** The kinds of code action the server offers (announced in its capabilities). */
export const QUICK_FIX_KINDS = [CodeActionKind.QuickFix];

const FIXERS: Partial<Record<string, (t: Target) => Fix[]>> = {
  [Diagnostics.denseOnHighRank.code]: insertFlatten,
  [Diagnostics.nonPositiveDimension.code]: paddingSame,
  [Diagnostics.stridesWithDilation.code]: dropStridesOrDilation,
  [Diagnostics.groupsNotDividing.code]: filtersMultipleOfGroups,
  [Diagnostics.torchChannelMismatch.code]: sizeFromInput,
  [Diagnostics.torchMatmulShapes.code]: (t) => [...sizeFromInput(t), ...lazyLinear(t)],
  [Diagnostics.torchRunningStats.code]: sizeFromInput,
  [Diagnostics.torchInputSize.code]: sizeFromInput,
  [Diagnostics.torchBatchFirst.code]: batchFirst,
};

function apply(text: string, edits: readonly Edit[]): string {
  return [...edits].sort((a, b) => b.start - a.start).reduce((t, e) => t.slice(0, e.start) + e.text + t.slice(e.end), text);
}

const delta = (edits: readonly Edit[]) => edits.reduce((n, e) => n + e.text.length - (e.end - e.start), 0);

/** Where an offset of the old text lands in the edited text (an insertion at the offset pushes it right). */
function mapOffset(offset: number, edits: readonly Edit[]): number {
  return offset + delta(edits.filter((e) => e.end <= offset));
}

/** Where an edit's new text lies in the edited text. */
function editedRange(edit: Edit, edits: readonly Edit[]): Span {
  const start = edit.start + delta(edits.filter((e) => e !== edit && e.end <= edit.start));
  return { start, end: start + edit.text.length };
}

const overlaps = (d: Span, start: number, end: number) => d.start < end && d.end > start;

/**
 * Verdicts per document version, keyed by the fix's edits: editors ask for code
 * actions again at every cursor move, and re-analysing a long file takes a while.
 */
const verdicts = new WeakMap<LensDocument, { version: number; byFix: Map<string, boolean> }>();

function verifiedOnce(doc: LensDocument, fix: Fix, verify: () => boolean): boolean {
  let cache = verdicts.get(doc);
  if (cache?.version !== doc.text.version) verdicts.set(doc, (cache = { version: doc.text.version, byFix: new Map() }));
  const key = JSON.stringify(fix.edits);
  let verdict = cache.byFix.get(key);
  if (verdict === undefined) cache.byFix.set(key, (verdict = verify()));
  return verdict;
}

/** The fix is kept when re-analysis shows it works and breaks nothing before the fixed layer. */
function verified(t: Target, fix: Fix): boolean {
  const after = analyzeText(apply(t.text, fix.edits)).diagnostics;
  const layerStart = mapOffset(t.layer.element.span.start, fix.edits);
  const layerEnd = mapOffset(t.layer.element.span.end, fix.edits);
  const edited = fix.edits.map((e) => editedRange(e, fix.edits));
  const known = new Set(t.before.map((d) => `${d.code} ${d.message}`));
  return after.every(
    (d) =>
      !(d.code === t.diagnostic.code && overlaps(d.span, layerStart, layerEnd)) &&
      !edited.some((e) => e.end > e.start && overlaps(d.span, e.start, e.end)) &&
      !(d.severity === "error" && d.span.start <= layerEnd && !known.has(`${d.code} ${d.message}`)),
  );
}

/** The innermost layer call whose source contains `span`. */
function layerContaining(calls: readonly LayerAnalysis[], span: Span): Target["layer"] | undefined {
  let best: Target["layer"] | undefined;
  for (const layer of calls) {
    // A PyTorch module's arguments are where it was made, not where it is called.
    const s = (layer.element.type === "layer" && layer.element.constructed) || layer.element.span;
    if (layer.element.type !== "layer" || !layer.spec || s.start > span.start || s.end < span.end) continue;
    const bestSpan = best && (best.element.constructed ?? best.element.span);
    if (!bestSpan || s.end - s.start < bestSpan.end - bestSpan.start) best = layer as Target["layer"];
  }
  return best;
}

/** The fixer for a diagnostic's code (another tool's code, or one like "toString", has none). */
function fixerFor(code: Diagnostic["code"]): ((t: Target) => Fix[]) | undefined {
  return typeof code === "string" && Object.hasOwn(FIXERS, code) ? FIXERS[code] : undefined;
}

const SHAPE_UNKNOWN = Diagnostics.shapeUnknown.code;

/** The annotation fix, with the same comment holding a shape in place of its `?`s (see `annotationVerified`). */
interface AnnotationFix extends Fix {
  readonly probe: Edit;
}

const sameSpan = (a: Span, b: Span) => a.start === b.start && a.end === b.end;

const holdsUnknown = (value: PyValue): boolean => isUnresolved(value) || (isSequence(value) && items(value).some(holdsUnknown));

/**
 * The argument a `# input:` comment at the end of the call's line stands in for, as the front end picks it
 * (`annotatedInput` in python/calls.ts): `shape=` or `input_shape=`, else an Input's or InputLayer's first
 * positional argument.
 */
function annotatedArgument(call: LayerCallIR): ArgIR | undefined {
  const named = call.args.find((a) => a.name === "shape" || a.name === "input_shape");
  if (named) return named;
  return call.kind === "Input" || call.kind === "InputLayer" ? call.args.find((a) => a.name === undefined) : undefined;
}

/**
 * The call whose input shape an LL302 says is unknown because its argument is, and the spec of the layer that
 * takes that input when there is one: either the diagnostic on that argument (`shape is not known
 * statically`), or a Sequential model's "has no input shape" on its callee when its first layer's
 * `input_shape` is unknown. Undefined for every other LL302.
 */
function unknownInput(analysis: ProgramAnalysis, d: EngineDiagnostic): { call: LayerCallIR; consumer?: LayerSpec } | undefined {
  const layer = layerContaining(analysis.calls, d.span);
  const arg = layer && annotatedArgument(layer.element);
  if (layer && arg && sameSpan(arg.span, d.span) && holdsUnknown(arg.value)) {
    if (!layer.spec.isInput) return { call: layer.element, consumer: layer.spec };
    // In a model with this one Input, the layer the model runs next takes it (tensor arithmetic in between is not
    // listed, and could broadcast to another rank: the template is the user's to correct, never a shape shown).
    for (const model of analysis.models) {
      const at = model.layers.findIndex((l) => sameSpan(l.element.span, layer.element.span));
      if (at >= 0 && model.layers.filter((l) => l.spec?.isInput).length === 1) return { call: layer.element, consumer: model.layers[at + 1]?.spec };
    }
    return { call: layer.element };
  }
  for (const model of analysis.models) {
    const elements = "elements" in model.model ? model.model.elements : [];
    const first = elements[0];
    if (!sameSpan(model.model.calleeSpan, d.span) || first?.type !== "layer") continue;
    const declared = annotatedArgument(first);
    if (declared && holdsUnknown(declared.value)) return { call: first, consumer: model.layers[0]?.spec };
  }
  return undefined;
}

/**
 * `  # input: (None, ?)` at the end of the line where the call ends, where the front end reads it, with one `?`
 * per axis after the batch when the layer taking the input has a rank (a convolution or pooling: its spatial
 * axes and the channels), else one. A `?` is no Python: until the user writes the shape, the comment changes
 * nothing. Undefined when that line already has an annotation, or ends in a backslash (a comment cannot follow
 * one).
 */
function annotationFix(text: string, call: LayerCallIR, consumer: LayerSpec | undefined): AnnotationFix | undefined {
  const lineEnd = text.indexOf("\n", call.span.end);
  const rest = text.slice(call.span.end, lineEnd < 0 ? text.length : lineEnd).replace(/\r$/, "");
  if (/#\s*input:/.test(rest)) return undefined;
  const kept = rest.trimEnd();
  if (kept.endsWith("\\")) return undefined;
  const axes = consumer?.spatialRank ? consumer.spatialRank + 1 : 1;
  const at = { start: call.span.end + kept.length, end: call.span.end + rest.length };
  return {
    title: "Annotate the input shape",
    edits: [{ ...at, text: `  # input: (None${", ?".repeat(axes)})` }],
    probe: { ...at, text: `  # input: (None${", 1".repeat(axes)})` },
  };
}

function errorNodes(tree: Tree): number {
  let count = 0;
  tree.iterate({
    enter: (node) => {
      if (node.type.isError) count++;
    },
  });
  return count;
}

/**
 * The annotation is a comment, breaks no syntax and the front end reads it: in the text with the probe (the
 * same comment with a 1 for each `?`, which tokenises the same, a comment running to the end of its line) the
 * inserted `#` is in a comment (not text in a string that goes on past the line), the tree has no more error
 * nodes than the text's, and the analysis is without the diagnostic.
 */
function annotationVerified(text: string, d: EngineDiagnostic, fix: AnnotationFix): boolean {
  const probed = apply(text, [fix.probe]);
  const tree = parsePython(probed);
  const hash = fix.probe.start + fix.probe.text.indexOf("#");
  if (tree.resolveInner(hash, 1).name !== "Comment") return false;
  if (errorNodes(tree) > errorNodes(parsePython(text))) return false;
  const [start, end] = [mapOffset(d.span.start, [fix.probe]), mapOffset(d.span.end, [fix.probe])];
  return !analyzeTree(tree, probed).diagnostics.some((a) => a.code === d.code && a.span.start === start && a.span.end === end);
}

function toAction(doc: LensDocument, diagnostic: Diagnostic, fix: Fix): CodeAction {
  return {
    title: fix.title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    ...(fix.preferred ? { isPreferred: true } : {}),
    edit: { changes: { [doc.uri]: fix.edits.map((e) => TextEdit.replace(toRange(doc.text, e), e.text)) } },
  };
}

export function codeActions(doc: LensDocument, params: CodeActionParams): CodeAction[] {
  if (params.context.only && !params.context.only.some((k) => CodeActionKind.QuickFix.startsWith(k))) return [];
  // Editors ask on every move of the cursor, mostly with nothing to fix: no analysis then.
  if (!params.context.diagnostics.some((d) => fixerFor(d.code) || d.code === SHAPE_UNKNOWN)) return [];
  const text = doc.text.getText();
  if (text.length > MAX_VERIFIED_LENGTH) return [];
  const analysis = doc.analyze();
  const engineDiagnostics = analysis.diagnostics;
  const actions: CodeAction[] = [];
  for (const diagnostic of params.context.diagnostics) {
    const fixer = fixerFor(diagnostic.code);
    const annotating = diagnostic.code === SHAPE_UNKNOWN;
    const engine = (fixer || annotating) && engineDiagnostics.find((d) => d.code === diagnostic.code && sameRange(toRange(doc.text, d.span), diagnostic));
    if (!engine) continue;
    if (annotating) {
      const input = unknownInput(analysis, engine);
      const fix = input && annotationFix(text, input.call, input.consumer);
      if (fix && verifiedOnce(doc, fix, () => annotationVerified(text, engine, fix))) actions.push(toAction(doc, diagnostic, fix));
      continue;
    }
    const layer = layerContaining(analysis.calls, engine.span);
    if (!fixer || !layer) continue;
    const target: Target = { text, before: engineDiagnostics, diagnostic: engine, layer };
    for (const fix of fixer(target).filter((f) => verifiedOnce(doc, f, () => verified(target, f)))) actions.push(toAction(doc, diagnostic, fix));
  }
  return actions;
}

function sameRange(a: ReturnType<typeof toRange>, d: Diagnostic): boolean {
  return (
    a.start.line === d.range.start.line &&
    a.start.character === d.range.start.character &&
    a.end.line === d.range.end.line &&
    a.end.character === d.range.end.character
  );
}
