/**
 * What a hint label may say about numbers: dimensions are `None`, `?` or
 * non-negative integers; counts are integers with thousands separators (or
 * the compact `1.2M` form); never a sign, NaN, Infinity or a fraction.
 * A call site run several times starts with `×N`, and a dimension that differs
 * between its runs reads `first→last` or `first→…→last`; runs of different ranks
 * show two whole shapes, `(…)→(…)` or `(…)→…→(…)`. A shape may be followed by
 * `+k` more outputs; a later call of a shared layer says `shared`; a tensor
 * that is not a layer output (a tf.Variable) may have no batch dimension: `(20,)`.
 */
import { InlayHint } from "vscode-languageserver-protocol";
import { labelText } from "../lsp/client";

const DIM = "(None|\\?|0|[1-9]\\d*)";
const DIMENSION = new RegExp(`^${DIM}(→(…→)?${DIM})?$`);
/** Between the first and the last run's shapes, for runs of different ranks. */
const RUN_SHAPES = /\)→(?:…→)?\(/;
const COUNT = /^((\?|\d{1,3}(,\d{3})*|\d+(\.\d)?[kMB]) params?|shared)$/;
const RUNS = /^×[1-9]\d*( · | |$)/;
const MORE_OUTPUTS = / \+[1-9]\d*$/;
const TOTALS = /^Total params: (\?( \(≥ \d{1,3}(,\d{3})* counted\))?|\d{1,3}(,\d{3})* \(\d+\.\d\d [KMGTP]?B\)( · \d{1,3}(,\d{3})* non-trainable)?)$/;

/** Why a label shows an impossible number, or undefined when it is sound. */
export function unsoundLabel(label: string): string | undefined {
  if (/NaN|Infinity|-\d/.test(label)) return "a sign, NaN or Infinity";
  const cut = label.endsWith("…");
  const text = (cut ? label.slice(0, -1) : label).replace(RUNS, "");
  const totals = "Total params";
  if (text.startsWith(totals) || (cut && totals.startsWith(text))) return cut || TOTALS.test(text) ? undefined : "malformed totals";
  const [withMore, count, ...rest] = text.split(" · ");
  if (rest.length) return "more than a shape and a count";
  const shapes = withMore.replace(MORE_OUTPUTS, "").split(RUN_SHAPES);
  if (shapes.length > 2) return "more than two shapes";
  if (shapes.length === 2) {
    const why = unsoundLabel(`${shapes[0]})`) ?? unsoundLabel(`(${shapes[1]}${cut ? "…" : ""}`);
    if (why) return why;
    return count === undefined || COUNT.test(count) || (cut && /^[\d,.?]*[kMB]?( p[a-z]*)?$/.test(count)) ? undefined : `count ${count}`;
  }
  const shape = shapes[0];
  if (shape.startsWith("(")) {
    const closed = shape.endsWith(")");
    if (!closed && !(cut && count === undefined)) return "malformed shape";
    // A one-element shape prints as Python's one-element tuple: `(20,)`.
    const dims = shape.slice(1, closed ? -1 : undefined).replace(/^([^,]*),$/, "$1").split(", ");
    // A cut label may end in the middle of a dimension: only whole ones are checked.
    const whole = closed ? dims : dims.slice(0, -1);
    const bad = whole.find((d) => d !== "" && !DIMENSION.test(d));
    if (bad !== undefined) return `dimension ${bad}`;
    if (count !== undefined && !(COUNT.test(count) || (cut && /^[\d,.?]*[kMB]?( p[a-z]*)?$/.test(count)))) return `count ${count}`;
    return undefined;
  }
  if (count !== undefined) return "a count after something that is not a shape";
  return COUNT.test(shape) || (cut && /^[\d,.?]*[kMB]?( p[a-z]*)?$/.test(shape)) ? undefined : `label ${label}`;
}

/** The hints among `hints` whose labels are unsound, as `label: why`. */
export function unsoundHints(hints: readonly InlayHint[]): string[] {
  return hints.flatMap((h) => {
    const why = unsoundLabel(labelText(h));
    return why ? [`${labelText(h)}: ${why}`] : [];
  });
}
