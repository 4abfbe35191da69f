/**
 * Merge layers (keras/src/layers/merging/*.py): Concatenate, Add, Subtract, Multiply,
 * Average, Maximum, Minimum and Dot, all called on a list of tensors (`MultiInput` form
 * "list"), none with weights.
 *
 * - Add, Subtract, Multiply, Average, Maximum, Minimum (`Merge`): the non-batch shapes
 *   broadcast from the right as `_compute_elemwise_op_output_shape` does: a pair of
 *   sizes must be equal or one of them 1; a None on either side gives None; a shorter
 *   shape is aligned to the end. Known batch sizes must agree. At least 1 input;
 *   Subtract exactly 2.
 * - Concatenate(axis=-1): with the concatenation axis removed, all inputs must have
 *   the same rank and the same known sizes (None matches anything), the batch axis
 *   included (`build`); the output is the first input's shape with the axis summed,
 *   or None as soon as one of those sizes is None (`compute_output_shape`).
 * - Dot(axes, normalize=False): exactly 2 inputs; `axes` an int (negative ones count
 *   from each input's end) or a pair; the two sizes compared must be equal, where a
 *   None differs from a number as in Python (`build`). Output: the first shape without
 *   its axis, then the second without its axis and batch, plus a trailing 1 when only
 *   the batch is left (`compute_output_shape`). Axis 0 is refused as `batch_dot` does.
 *
 * Functional forms. `keras.layers.concatenate(inputs, axis=-1, **kwargs)` and its
 * siblings build the layer from the keyword arguments and call it on `inputs` at once.
 * `functionalForms` maps each function name to the spec to use: the call's first
 * argument (positional or `inputs=`) is the list of tensors, and every other argument
 * binds to that spec's `params`. It is the class spec itself except for `dot`, whose
 * `axes` defaults to -1 where `Dot` requires it.
 *
 * Outside a list call (a merge layer inside Sequential receives one tensor) Keras
 * raises "A merge layer should be called on a list of inputs"; `infer` reports that.
 */
import { CostRule, contraction, dataMovementCost, elementwiseCost } from "../cost";
import { Args } from "../args";
import { Dim, Shape, UNKNOWN, formatShape, isKnown, openOf } from "../shape";
import { Formula, LayerResult, LayerSpec, MultiInput, ParamDecl, Problem } from "../spec";
import { unknownFrom } from "../math";
import { isInt, isSequence, items, pyRepr } from "../values";

const result = (args: Args, output: Shape | undefined, problems: Problem[], formulas: Formula[] = []): LayerResult => ({
  output,
  weights: [],
  formulas,
  problems: [...args.problems, ...problems],
});

/** What a layer taking a list of tensors reports when called on a single one (in a Sequential model). */
export function singleTensorCall(layer: string, expected: string) {
  return (args: Args): LayerResult =>
    result(args, undefined, [{ id: "inputCount", values: { layer, expected, got: "a single tensor (as in a Sequential model)" } }]);
}

/** A problem when `count` tensors is outside [min, max]; `expected` describes the accepted call. */
export function countProblem(layer: string, count: number, min: number, max: number | undefined, expected?: string): Problem | undefined {
  if (count >= min && (max === undefined || count <= max)) return undefined;
  const accepted =
    expected ?? (max === min ? `a list of exactly ${min} tensors` : `a list of at least ${min} tensor${min === 1 ? "" : "s"}`);
  return { id: "inputCount", values: { layer, expected: accepted, got: `${count}` } };
}

function mismatch(layer: string, requirement: string, first: Shape, second: Shape, input: number): Problem {
  return { id: "incompatibleShapes", input, values: { layer, requirement, first: formatShape(first), second: formatShape(second) } };
}

/** The batch size of the merged output: the one known batch size, else open. */
function mergedBatch(layer: string, shapes: readonly Shape[], problems: Problem[]): Dim {
  let known: { size: number; index: number } | undefined;
  shapes.forEach((s, index) => {
    const b = s[0];
    if (!isKnown(b)) return;
    if (known === undefined) known = { size: b, index };
    else if (known.size !== b && !problems.length) problems.push(mismatch(layer, "the same batch size", shapes[known.index], s, index));
  });
  if (known) return known.size;
  return openOf(...shapes.map((s) => s[0]));
}

/** One pair of sizes under broadcasting; undefined when they cannot broadcast. */
function broadcastDim(a: Dim, b: Dim): Dim | undefined {
  if (!isKnown(a) || !isKnown(b)) return openOf(a, b);
  if (a === 1) return b;
  if (b === 1 || a === b) return a;
  return undefined;
}

/** `_compute_elemwise_op_output_shape` for two non-batch shapes. */
function broadcastShapes(x: Shape, y: Shape): Dim[] | undefined {
  const [long, short] = x.length >= y.length ? [x, y] : [y, x];
  const out: Dim[] = [...long.slice(0, long.length - short.length)];
  const offset = long.length - short.length;
  for (let i = 0; i < short.length; i++) {
    const d = broadcastDim(long[offset + i], short[i]);
    if (d === undefined) return undefined;
    out.push(d);
  }
  return out;
}

function inferElementwise(layer: string, inputs: readonly (Shape | undefined)[], args: Args): LayerResult {
  const problems: Problem[] = [];
  if (inputs.some((s) => s === undefined)) return result(args, undefined, problems);
  const shapes = inputs as Shape[];
  const batch = mergedBatch(layer, shapes, problems);
  if (problems.length) return result(args, undefined, problems);
  let merged: Dim[] = [...shapes[0].slice(1)];
  for (let i = 1; i < shapes.length; i++) {
    const next = broadcastShapes(merged, shapes[i].slice(1));
    if (!next) {
      const sameRank = merged.length === shapes[i].length - 1;
      const requirement = sameRank ? "equal sizes (or 1) on every axis" : "shapes that broadcast (sizes equal or 1, aligned from the last axis)";
      problems.push(mismatch(layer, requirement, [shapes[0][0], ...merged], shapes[i], i));
      return result(args, undefined, problems);
    }
    merged = next;
  }
  const output: Shape = [batch, ...merged];
  const formulas: Formula[] = [];
  if (shapes.some((s) => s.length !== output.length || s.some((d, j) => d !== output[j]))) {
    formulas.push({ label: "broadcast", text: `${shapes.map((s) => formatShape(s)).join(" ⊕ ")} → ${formatShape(output)}` });
  }
  return result(args, output, problems, formulas);
}

const elementwiseSummaries: Record<string, string> = {
  Add: "Adds its input tensors element-wise (sizes of 1 broadcast).",
  Subtract: "Subtracts the second input tensor from the first, element-wise.",
  Multiply: "Multiplies its input tensors element-wise (sizes of 1 broadcast).",
  Average: "Averages its input tensors element-wise (sizes of 1 broadcast).",
  Maximum: "Element-wise maximum of its input tensors (sizes of 1 broadcast).",
  Minimum: "Element-wise minimum of its input tensors (sizes of 1 broadcast).",
};

function elementwiseSpec(name: string, min: number, max?: number): LayerSpec {
  const expected = max === min ? `a list of exactly ${min} tensors` : "a list of tensors";
  return {
    name,
    summary: elementwiseSummaries[name],
    params: [],
    cost: elementwiseCost,
    infer: singleTensorCall(name, expected),
    multiInput: {
      form: "list",
      min,
      max,
      infer(args, inputs) {
        const count = countProblem(name, inputs.length, min, max);
        if (count) return result(args, undefined, [count]);
        return inferElementwise(name, inputs, args);
      },
    },
  };
}

/** An axis index valid for rank `rank` (negative counts from the end), or undefined. */
function normalizeAxis(axis: number, rank: number): number | undefined {
  return axis >= -rank && axis < rank ? (axis + rank) % rank : undefined;
}

function axisRangeProblem(argument: string, value: number, rank: number): Problem {
  return {
    id: "invalidArgument",
    argument,
    values: { argument, expected: `an axis of the inputs (rank ${rank}: between ${-rank} and ${rank - 1})`, value },
  };
}

function inferConcatenate(args: Args, inputs: readonly (Shape | undefined)[]): LayerResult {
  const layer = "Concatenate";
  const raw = args.raw("axis");
  const problems: Problem[] = [];
  const count = countProblem(layer, inputs.length, 1, undefined);
  if (count) return result(args, undefined, [count]);
  if (raw !== undefined && !isInt(raw)) {
    problems.push({ id: "invalidArgument", argument: "axis", values: { argument: "axis", expected: "an integer axis", value: pyRepr(raw) } });
    return result(args, undefined, problems);
  }
  const known = inputs.flatMap((s, index) => (s ? [{ shape: s, index }] : []));
  if (!known.length) return result(args, undefined, problems);
  if (raw === undefined) return result(args, known[0].shape.map(unknownFrom), problems);

  // build(): remove the axis; ranks and the remaining known sizes must agree.
  const reference = known[0];
  for (const { shape, index } of known) {
    const axis = normalizeAxis(raw, shape.length);
    if (axis === undefined) return result(args, undefined, [axisRangeProblem("axis", raw, shape.length)]);
    if (shape.length !== reference.shape.length) {
      problems.push(mismatch(layer, `inputs of the same rank, matching except on axis ${raw}`, reference.shape, shape, index));
      return result(args, undefined, problems);
    }
  }
  const axis = normalizeAxis(raw, reference.shape.length) as number;
  for (let d = 0; d < reference.shape.length; d++) {
    if (d === axis) continue;
    const first = known.find((k) => isKnown(k.shape[d]));
    const other = first && known.find((k) => isKnown(k.shape[d]) && k.shape[d] !== first.shape[d]);
    if (first && other) {
      problems.push(mismatch(layer, `matching shapes except on axis ${raw}`, first.shape, other.shape, other.index));
      return result(args, undefined, problems);
    }
  }

  // compute_output_shape(): the first input's shape with the axis sizes summed.
  const sizes = inputs.map((s) => (s ? s[axis] : UNKNOWN));
  const formulas: Formula[] = [];
  let joined: Dim;
  if (sizes.every(isKnown)) {
    joined = (sizes as number[]).reduce((a, b) => a + b, 0);
    if (sizes.length > 1) formulas.push({ label: `axis ${raw}`, text: `${sizes.join(" + ")} = ${joined}` });
  } else joined = openOf(...sizes.filter((d) => !isKnown(d)));
  const first = inputs[0];
  const base = first ?? reference.shape.map(unknownFrom);
  const output = base.map((d, i) => (i === axis ? joined : d));
  return result(args, output, problems, formulas);
}

const concatenateSpec: LayerSpec = {
  name: "Concatenate",
  summary: "Joins its input tensors along one axis (the last by default); all other sizes must match.",
  params: [{ name: "axis", default: -1 }],
  cost: dataMovementCost,
  infer: singleTensorCall("Concatenate", "a list of tensors"),
  multiInput: { form: "list", min: 1, infer: (args, inputs) => inferConcatenate(args, inputs) },
};

/** Dot's `axes`: an int, or a list/tuple of two ints. */
function dotAxes(args: Args): number | [number, number] | undefined {
  const v = args.raw("axes");
  if (v === undefined) return undefined;
  if (isInt(v)) return v;
  if (isSequence(v) && items(v).length === 2 && items(v).every(isInt)) return items(v) as [number, number];
  args.problems.push({
    id: "invalidArgument",
    argument: "axes",
    values: { argument: "axes", expected: "an integer or a pair of integers", value: pyRepr(v) },
  });
  return undefined;
}

function inferDot(args: Args, inputs: readonly (Shape | undefined)[]): LayerResult {
  const layer = "Dot";
  const axes = dotAxes(args);
  args.bool("normalize");
  const count = countProblem(layer, inputs.length, 2, 2);
  if (count) return result(args, undefined, [count]);
  const [x, y] = inputs;
  if (!x || !y || axes === undefined) return result(args, undefined, []);
  const problems: Problem[] = [];
  for (const [shape, index] of [[x, 0], [y, 1]] as const) {
    if (shape.length < 2) {
      problems.push({
        id: "wrongRank",
        values: { layer, expected: "2 or more", example: "(batch, …, features)", shape: formatShape(shape), rank: shape.length },
        input: index,
      });
    }
  }
  if (problems.length) return result(args, undefined, problems);
  // An int axis counts from each input's own end when negative; a pair is taken as written (Python indexing).
  const pair = typeof axes === "number" ? [axes, axes] : axes;
  const a0 = normalizeAxis(pair[0], x.length);
  const a1 = normalizeAxis(pair[1], y.length);
  if (a0 === undefined) return result(args, undefined, [axisRangeProblem("axes", pair[0], x.length)]);
  if (a1 === undefined) return result(args, undefined, [axisRangeProblem("axes", pair[1], y.length)]);
  if (a0 === 0 || a1 === 0) {
    problems.push({
      id: "invalidArgument",
      argument: "axes",
      values: { argument: "axes", expected: "axes other than the batch axis 0 (Keras's batch_dot refuses axis 0)", value: pyRepr(args.raw("axes") ?? null) },
    });
    return result(args, undefined, problems);
  }
  const d0 = x[a0];
  const d1 = y[a1];
  // Keras compares with Python's `!=`: None differs from a number; our `?` might be either.
  if (d0 !== UNKNOWN && d1 !== UNKNOWN && d0 !== d1) {
    problems.push(mismatch(layer, `equal sizes on axis ${a0} of the first input and axis ${a1} of the second`, x, y, 1));
    return result(args, undefined, problems);
  }
  const output: Dim[] = [...x.filter((_, i) => i !== a0), ...y.filter((_, i) => i !== a1 && i !== 0)];
  if (output.length === 1) output.push(1);
  const formulas: Formula[] = [];
  if (isKnown(d0)) formulas.push({ label: "summed over", text: `axis ${a0} of ${formatShape(x)} · axis ${a1} of ${formatShape(y)} (${d0})` });
  return result(args, output, problems, formulas);
}

const dotMultiInput: MultiInput = { form: "list", min: 2, max: 2, infer: (args, inputs) => inferDot(args, inputs) };
const dotParams = (axesDefault?: number): ParamDecl[] => [{ name: "axes", default: axesDefault }, { name: "normalize", default: false }];

const dotSummary = "Dot product of two tensors along the given axes, per sample (cosine similarity with normalize=True).";

/** Each output element is a dot product over the summed axis (normalize=True's L2 normalization is element-wise, not counted). */
const dotCost: CostRule = ({ args, inputs, output }) => {
  const axes = dotAxes(args);
  const x = inputs?.[0];
  if (axes === undefined || !x) return contraction(output, undefined);
  const axis = normalizeAxis(typeof axes === "number" ? axes : axes[0], x.length);
  return contraction(output, axis === undefined ? undefined : x[axis]);
};

const dotSpec: LayerSpec = {
  name: "Dot",
  summary: dotSummary,
  params: dotParams(),
  cost: dotCost,
  infer: singleTensorCall("Dot", "a list of exactly 2 tensors"),
  multiInput: dotMultiInput,
};

const elementwise = [
  elementwiseSpec("Add", 1),
  elementwiseSpec("Subtract", 2, 2),
  elementwiseSpec("Multiply", 1),
  elementwiseSpec("Average", 1),
  elementwiseSpec("Maximum", 1),
  elementwiseSpec("Minimum", 1),
];

export const mergingLayers: LayerSpec[] = [concatenateSpec, ...elementwise, dotSpec];

/** `keras.layers.<function>(inputs, **kwargs)` → the spec it builds; see the file header. */
export const functionalForms: ReadonlyMap<string, LayerSpec> = new Map<string, LayerSpec>([
  ["concatenate", concatenateSpec],
  ...elementwise.map((spec): [string, LayerSpec] => [spec.name.toLowerCase(), spec]),
  ["dot", { ...dotSpec, params: dotParams(-1) }],
]);
