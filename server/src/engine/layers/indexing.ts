/**
 * Indexing a tensor with a subscript, `x[:, 0]`, `x[..., :3]`, `x[:, ::2]`, `x[:, None]`: NumPy's basic
 * indexing, which TensorFlow's `__getitem__` (strided_slice) and Keras 3's `GetItem` op follow. The key's
 * entries apply to the axes from the first on; `...` stands for as many whole axes as the key leaves over,
 * `None` inserts an axis of size 1. An int picks one entry and removes its axis (−n ≤ i < n); a slice keeps
 * the axis with `len(range(n)[start:stop:step])` entries. An axis of unknown or open size keeps its size
 * under a whole slice (`:`) and becomes unknown under any other. The key is a tuple of ints, `PySlice`s,
 * `None` and `PyEllipsis`; the front end passes anything else (a tensor index) as unresolved.
 */
import { costing, dataMovementCost } from "../cost";
import { Args } from "../args";
import { Dim, Shape, UNKNOWN, formatShape, isKnown } from "../shape";
import { Formula, LayerResult, LayerSpec, Problem } from "../spec";
import { PyValue, PySlice, isEllipsis, isInt, isSequence, isSlice, items, pyRepr } from "../values";

const NAME = "GetItem";

function result(output: Shape | undefined, problems: Problem[], formulas: Formula[] = []): LayerResult {
  return { output, weights: [], formulas, problems };
}

/** The key as a list of entries: a lone index is a key of one entry. */
function entries(key: PyValue): PyValue[] {
  return isSequence(key) && !Array.isArray(key) ? items(key) : [key];
}

/** Python's `len(range(n)[start:stop:step])`, with its clamping of out-of-range bounds. */
export function sliceLength(n: number, start: number | null, stop: number | null, step: number): number {
  const clamp = (i: number, low: number, high: number) => Math.min(Math.max(i, low), high);
  const bound = (i: number | null, fallback: number, low: number, high: number) => (i === null ? fallback : clamp(i < 0 ? i + n : i, low, high));
  if (step > 0) {
    const [from, to] = [bound(start, 0, 0, n), bound(stop, n, 0, n)];
    return Math.max(0, Math.ceil((to - from) / step));
  }
  const [from, to] = [bound(start, n - 1, -1, n - 1), bound(stop, -1, -1, n - 1)];
  return Math.max(0, Math.ceil((from - to) / -step));
}

const describeSlice = (s: PySlice) => s.slice.map((b) => (b === null ? "" : pyRepr(b))).join(":").replace(/:$/, "") || ":";

/** One slice on an axis: its size, or why not. */
function sliceAxis(slice: PySlice, dim: Dim, axis: number, problems: Problem[], formulas: Formula[]): Dim {
  const [start, stop, step] = slice.slice;
  const bound = (v: PyValue) => (v === null ? null : isInt(v) ? v : undefined);
  const [from, to, by] = [bound(start), bound(stop), step === null ? 1 : isInt(step) ? step : undefined];
  if (by === 0) {
    problems.push({ id: "invalidArgument", argument: "key", values: { argument: "a slice step", expected: "non-zero", value: "0" } });
    return UNKNOWN;
  }
  if (from === undefined || to === undefined || by === undefined) return UNKNOWN;
  if (from === null && to === null && by === 1) return dim;
  if (!isKnown(dim)) return UNKNOWN;
  const size = sliceLength(dim, from, to, by);
  formulas.push({ label: `axis ${axis}`, text: `len(range(${dim})[${describeSlice(slice)}]) = ${size}` });
  return size;
}

function getItem(input: Shape | undefined, key: PyValue): LayerResult {
  if (!input) return result(undefined, []);
  const keyEntries = entries(key);
  const used = keyEntries.filter((e) => e !== null && !isEllipsis(e)).length;
  const ellipses = keyEntries.filter(isEllipsis).length;
  const problems: Problem[] = [];
  if (ellipses > 1) {
    problems.push({ id: "invalidArgument", argument: "key", values: { argument: "an index", expected: "at most one '...'", value: pyRepr(key) } });
    return result(undefined, problems);
  }
  if (used > input.length) {
    problems.push({ id: "wrongRank", values: { layer: "Indexing", expected: `${used} or more`, example: `for the key [${keyEntries.map(pyRepr).join(", ")}]`, shape: formatShape(input), rank: input.length } });
    return result(undefined, problems);
  }
  const output: Dim[] = [];
  const formulas: Formula[] = [];
  let axis = 0;
  for (const entry of keyEntries) {
    if (entry === null) output.push(1);
    else if (isEllipsis(entry)) {
      const whole = input.length - used;
      output.push(...input.slice(axis, axis + whole));
      axis += whole;
    } else if (isSlice(entry)) {
      output.push(sliceAxis(entry, input[axis], axis, problems, formulas));
      axis++;
    } else if (isInt(entry)) {
      const dim = input[axis];
      if (isKnown(dim) && (entry < -dim || entry >= dim)) {
        problems.push({ id: "invalidArgument", argument: "key", values: { argument: `the index on axis ${axis}`, expected: `from ${-dim} to ${dim - 1} (the axis has ${dim} entries)`, value: String(entry) } });
        return result(undefined, problems);
      }
      axis++;
    } else return result(undefined, problems);
  }
  output.push(...input.slice(axis));
  return result(output, problems, formulas);
}

export const indexingSpecs: readonly LayerSpec[] = costing<LayerSpec>(dataMovementCost, [
  {
    name: NAME,
    summary: "Picks entries of a tensor with a subscript (`x[:, 0]`, `x[..., :3]`): an index removes its axis, a slice keeps it with the entries it selects, None adds an axis of 1.",
    params: [{ name: "key" }],
    infer: () => result(undefined, []),
    multiInput: {
      form: "op",
      tensors: ["x"],
      min: 1,
      max: 1,
      infer: (args: Args, inputs) => {
        const key = args.raw("key");
        const out = key === undefined ? result(undefined, []) : getItem(inputs[0], key);
        return { ...out, problems: [...args.problems, ...out.problems] };
      },
    },
  },
]);
