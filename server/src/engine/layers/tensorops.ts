/**
 * Tensor shape functions called between layers: TensorFlow's (`tf.reshape`, `tf.concat`,
 * `tf.reduce_mean`…) and Keras 3's (`keras.ops.reshape`…). Functions, not layers: the
 * tensor comes first in the call, then the options (`MultiInput` form "op"), or a list of tensors first
 * (form "list": concat, stack). They own no weights.
 *
 * Each library's own rules are followed, and they differ:
 * - Reshape. TensorFlow (Reshape's shape function, SetOutputShapeForReshape): with the input fully known,
 *   the element counts must agree, a -1 being their quotient; with one open input dimension (the batch)
 *   and a -1, the -1 stays open (None); with one open input dimension and no -1, the target's count must
 *   be a multiple of the input's known part. At most one -1, no size below -1, no None in the target.
 *   Keras (operation_utils.compute_reshape_output_shape): a None anywhere in the input or target leaves
 *   the -1 None and checks nothing; otherwise the counts must agree as for TensorFlow.
 * - transpose: TensorFlow's perm must be a permutation of 0…rank−1 (the Transpose kernel refuses
 *   negative entries); Keras's axes may count from the end. Without one the axes are reversed.
 * - expand_dims: the new axis is in [−rank−1, rank]; Keras also takes a tuple of new axes.
 * - squeeze: TensorFlow without an axis removes the 1s and, meeting an open dimension, knows nothing
 *   (Squeeze's shape function returns an unknown shape); with axes, each must be 1, an open one is assumed
 *   1. Keras without an axis removes the 1s and keeps None; with axes, each must be 1 (None included).
 * - concat / concatenate: same rank, equal sizes except on the axis (None matches anything), the axis
 *   summed. TensorFlow merges the other sizes (a known one wins over None); Keras keeps the first input's.
 *   stack: equal shapes, a new axis of the number of tensors; unstack: one tensor per index of the axis
 *   (its size must be known, or `num` given; TensorFlow refuses a `num` other than the size, Keras returns
 *   `num` tensors).
 * - split: TensorFlow's `num_or_size_splits` is a count (dividing the axis) or a list of sizes (one -1
 *   allowed, summing to the axis); Keras's `indices_or_sections` is a count or the indices to cut at.
 * - tile: TensorFlow's multiples match the rank; Keras's repeats follow NumPy (the shorter side padded with
 *   1s in front). pad: each axis grows by before + after; TensorFlow's 'REFLECT' needs pads ≤ size − 1,
 *   'SYMMETRIC' ≤ size; Keras's pad_width is an int, one pair for every axis, or one pair per axis.
 * - one_hot: the depth is appended, or inserted at `axis` (TensorFlow: −1 or 0…rank; Keras: −1 or
 *   0…rank−1, per OneHot.compute_output_spec).
 * - Reductions: `axis` None reduces every axis (a scalar, or all 1s with keepdims). A repeated axis:
 *   TensorFlow's reduction kernels raise ("Axes contains duplicate dimension"); Keras's symbolic
 *   reduce_shape does not raise but deletes the axis twice, so the result is left unknown. tf.argmax / tf.argmin reduce axis 0 when axis is
 *   None (documented "Defaults to 0"); keras.ops.argmax / argmin flatten (a scalar). With keepdims=True
 *   Keras's symbolic argmax keeps the input's shape, but the op returns 1 on the reduced axes as documented
 *   (the backends compute NumPy's argmax): the documented shape is shown.
 * - keras.ops.matmul follows NumPy (1-D operands promoted, then the promoted axis dropped; the batch
 *   axes broadcast); tf.matmul is in tfops.ts.
 * - tf.gather: params.shape[:axis] + indices.shape[batch_dims:] + params.shape[axis + 1:]; the indices are
 *   followed when they are a literal int or (nested) list, not a tensor.
 *
 * A size the program decides at run time is None when TensorFlow or Keras itself leaves it open, ? when
 * only Layer Lens does not know it; nothing is guessed.
 */
import { CostRule, contraction, costing } from "../cost";
import { Args } from "../args";
import { Dim, NONE, Shape, UNKNOWN, formatDim, formatShape, isKnown, openOf } from "../shape";
import { Formula, LayerResult, LayerSpec, ParamDecl, Problem } from "../spec";
import { withThousands } from "../format";
import { PyValue, isInt, isRef, isSequence, isUnresolved, items } from "../values";

import {
  Infer,
  Inputs,
  MAX_OUTPUTS,
  axisArg,
  axisRange,
  factors,
  intsArg,
  invalid,
  mismatch,
  name,
  nnAliases,
  normalize,
  numpyAliases,
  op,
  product,
  rankProblem,
  result,
  several,
  sumDims,
  words,
} from "./tensorFunctions";

// ---------------------------------------------------------------------------------------------
// Reshape
// ---------------------------------------------------------------------------------------------

/** A target element: a size ≥ 0, -1 to infer, None (Keras only) or ? (not a constant). */
type Target = number | "None" | "?";

function targetArg(args: Args, param: string, keras: boolean): Target[] | undefined {
  const v = args.raw(param);
  if (v === undefined) return undefined;
  const expected = keras ? "a tuple of sizes, with at most one -1" : "a list of non-negative sizes, with at most one -1";
  if (keras && isInt(v) && v >= -1) return [v];
  if (!isSequence(v)) {
    if (isRef(v, "tensor")) args.unresolved.set(param, "a shape given as a tensor");
    else args.problems.push(invalid(param, expected, v));
    return undefined;
  }
  const dims: Target[] = [];
  for (const item of items(v)) {
    if (isUnresolved(item) || isRef(item, "tensor")) dims.push(UNKNOWN);
    else if (item === null && keras) dims.push(NONE);
    else if (isInt(item) && item >= -1) dims.push(item);
    else {
      args.problems.push(invalid(param, expected, v));
      return undefined;
    }
  }
  return dims;
}

function inferReshape(keras: boolean, param: string): Infer {
  return (args, [input]) => {
    const target = targetArg(args, param, keras);
    if (!target) return result(args, undefined);
    const problems: Problem[] = [];
    const targetText = `(${target.map((d) => formatDim(d)).join(", ")}${target.length === 1 ? "," : ""})`;
    const refuse = (detail: string) => {
      problems.push({ id: "reshapeMismatch", argument: param, values: { target: targetText, input: input ? formatShape(input) : "?", detail } });
    };
    if (target.filter((d) => d === -1).length > 1) {
      refuse("only one dimension may be -1");
      return result(args, undefined, problems);
    }
    const inferAt = target.indexOf(-1);
    if (target.includes(UNKNOWN) || target.includes(NONE)) {
      // Keras leaves the -1 None when the target has a None; a target size Layer Lens cannot read leaves it unknown.
      const open = target.includes(UNKNOWN) ? UNKNOWN : NONE;
      return result(args, target.map((d) => (d === -1 ? open : d)), problems);
    }
    if (!input) return result(args, target.map((d) => (d === -1 ? UNKNOWN : d)), problems);
    const known = target as number[];
    const others = known.filter((_, i) => i !== inferAt);
    const knownOut = product(others);
    const openIn = input.filter((d): d is "None" | "?" => !isKnown(d));
    const knownInDims = input.filter((d): d is number => isKnown(d));
    const knownIn = product(knownInDims);
    const inText = factors(knownInDims);
    const formulas: Formula[] = [];
    const withInferred = (d: Dim) => known.map((t) => (t === -1 ? d : t));

    // Keras: any None in the input leaves the -1 None and is not checked.
    if (keras && openIn.length) {
      const dim = openIn.some((d) => d === NONE) ? NONE : UNKNOWN;
      return result(args, withInferred(dim), problems);
    }
    if (!openIn.length) {
      if (inferAt < 0) {
        if (knownIn !== knownOut) refuse(`the input has ${inText} elements, the target ${factors(others)}`);
        return result(args, known, problems);
      }
      if (knownOut === 0 || knownIn % knownOut !== 0) {
        refuse(`the input has ${inText} elements, which is not a multiple of ${factors(others)}`);
        return result(args, withInferred(UNKNOWN), problems);
      }
      const inferred = knownIn / knownOut;
      const numerator = knownInDims.length > 1 ? `(${knownInDims.join("·")})` : withThousands(knownIn);
      formulas.push({ label: "-1", text: others.length ? `${numerator} / ${others.length > 1 ? `(${others.join("·")})` : withThousands(knownOut)} = ${withThousands(inferred)}` : `${inText}` });
      return result(args, withInferred(inferred), problems, formulas);
    }
    // TensorFlow with open input dimensions.
    if (openIn.length === 1 && inferAt < 0) {
      if (knownIn !== 0 && knownOut % knownIn !== 0) {
        refuse(`the target's ${factors(others)} elements are not a multiple of the input's known ${inText}`);
      }
      return result(args, known, problems);
    }
    const dim = openOf(...openIn);
    if (openIn.length === 1 && knownIn === knownOut) {
      formulas.push({ label: "-1", text: `${inText} elements per item in, ${factors(others)} out: -1 keeps the input's ${formatDim(openIn[0])}` });
    }
    return result(args, withInferred(dim), problems, formulas);
  };
}

// ---------------------------------------------------------------------------------------------
// transpose, expand_dims, squeeze
// ---------------------------------------------------------------------------------------------

function inferTranspose(keras: boolean, param: string): Infer {
  return (args, [input]) => {
    const raw = args.raw(param);
    const perm = raw === null ? null : intsArg(args, param, "a permutation of the input's axes", { single: false });
    if (!input || perm === undefined) return result(args, undefined);
    const rank = input.length;
    if (perm === null) {
      const axes = input.map((_, i) => rank - 1 - i);
      return result(args, axes.map((a) => input[a]), [], rank > 1 ? [{ label: "axes", text: `reversed (${axes.join(", ")}): ${formatShape(input)} → ${formatShape(axes.map((a) => input[a]))}` }] : []);
    }
    const lo = keras ? -rank : 0;
    const normalized = perm.map((a) => (a >= lo && a < rank ? (a + rank) % rank : -1));
    const isPermutation = perm.length === rank && normalized.every((a) => a >= 0) && new Set(normalized).size === rank;
    if (!isPermutation) {
      const expected = keras ? `a permutation of the ${rank} axes of ${formatShape(input)} (each from ${-rank} to ${rank - 1})` : `a permutation of 0…${rank - 1}, the axes of ${formatShape(input)}`;
      return result(args, undefined, [invalid(param, expected, raw!)]);
    }
    const output = normalized.map((a) => input[a]);
    return result(args, output, [], [{ label: "axes", text: `(${normalized.join(", ")}): ${formatShape(input)} → ${formatShape(output)}` }]);
  };
}

function inferExpandDims(keras: boolean): Infer {
  return (args, [input]) => {
    const raw = args.raw("axis");
    const axes = keras ? intsArg(args, "axis", "an integer axis or a tuple of them") : axisArg(args, "axis");
    if (!input || axes === undefined || axes === null) return result(args, undefined);
    const list = Array.isArray(axes) ? axes : [axes];
    const rank = list.length + input.length;
    const normalized = list.map((a) => normalize(a, rank));
    if (normalized.some((a) => a === undefined) || new Set(normalized).size !== normalized.length) {
      return result(args, undefined, [axisRange("axis", raw!, input.length, input, list.length)]);
    }
    const output: Dim[] = [];
    let next = 0;
    for (let i = 0; i < rank; i++) output.push(normalized.includes(i) ? 1 : input[next++]);
    return result(args, output, [], [{ label: "new axis", text: `size 1 at ${normalized.join(", ")}: ${formatShape(input)} → ${formatShape(output)}` }]);
  };
}

function inferSqueeze(keras: boolean): Infer {
  return (args, [input]) => {
    const raw = args.raw("axis");
    const axes = intsArg(args, "axis", "an integer axis or a list of them", { none: true });
    if (!input || axes === undefined) return result(args, undefined);
    if (axes === null) {
      // TensorFlow knows nothing once an open size could be 1; Keras keeps None (only a ? could be 1).
      if (input.some((d) => d === UNKNOWN || (!keras && d === NONE))) return result(args, undefined);
      const output = input.filter((d) => d !== 1);
      return result(args, output, [], [{ label: "squeezed", text: `the 1s of ${formatShape(input)} removed: ${formatShape(output)}` }]);
    }
    const rank = input.length;
    const normalized = axes.map((a) => normalize(a, rank));
    if (normalized.some((a) => a === undefined)) return result(args, undefined, [axisRange("axis", raw!, rank, input)]);
    const problems: Problem[] = [];
    for (const a of normalized as number[]) {
      const d = input[a];
      if ((isKnown(d) && d !== 1) || (keras && d === NONE)) {
        problems.push(invalid("axis", `axes of size 1 (axis ${a} of ${formatShape(input)} is ${formatDim(d)})`, raw!));
        return result(args, undefined, problems);
      }
    }
    const output = input.filter((_, i) => !normalized.includes(i));
    return result(args, output, problems, [{ label: "squeezed", text: `axis ${[...new Set(normalized)].join(", ")} of ${formatShape(input)}: ${formatShape(output)}` }]);
  };
}

// ---------------------------------------------------------------------------------------------
// concat, stack, unstack, split
// ---------------------------------------------------------------------------------------------

/** Dims that must agree: equal when both known, anything matches an open one. */
function compatible(a: Dim, b: Dim): boolean {
  return !isKnown(a) || !isKnown(b) || a === b;
}

/** TensorFlow's Merge: the known size wins; an open one stays open (? over None). */
function merge(a: Dim, b: Dim): Dim {
  if (isKnown(a)) return a;
  if (isKnown(b)) return b;
  return openOf(a, b);
}

function inferConcat(keras: boolean, opName: string): Infer {
  return (args, inputs) => {
    if (args.given.has(keras ? "xs" : "values")) return result(args, undefined);
    const raw = args.raw("axis");
    const axis = axisArg(args, "axis");
    if (!inputs.length) return result(args, undefined, [{ id: "inputCount", values: { layer: opName, expected: "a list of at least one tensor", got: "an empty list" } }]);
    const first = inputs[0];
    if (axis === undefined || axis === null || !first) return result(args, undefined);
    const rank = first.length;
    const at = normalize(axis, rank);
    if (at === undefined) return result(args, undefined, [axisRange("axis", raw!, rank, first)]);
    const problems: Problem[] = [];
    let merged: Dim[] = [...first];
    for (let i = 1; i < inputs.length; i++) {
      const other = inputs[i];
      if (!other) continue;
      if (other.length !== rank || other.some((d, j) => j !== at && !compatible(d, first[j]))) {
        problems.push(mismatch(opName, `inputs of the same rank, matching except on axis ${axis}`, first, other, i));
        return result(args, undefined, problems);
      }
      if (!keras) merged = merged.map((d, j) => (j === at ? d : merge(d, other[j])));
    }
    const sizes = inputs.map((s) => (s ? s[at] : UNKNOWN));
    const total = sumDims(sizes);
    const output = merged.map((d, j) => (j === at ? total : d));
    const formulas = sizes.length > 1 && isKnown(total) ? [{ label: `axis ${axis}`, text: `${sizes.join(" + ")} = ${total}` }] : [];
    return result(args, output, problems, formulas);
  };
}

function inferStack(keras: boolean, opName: string): Infer {
  return (args, inputs) => {
    if (args.given.has(keras ? "x" : "values")) return result(args, undefined);
    const raw = args.raw("axis");
    const axis = axisArg(args, "axis");
    if (!inputs.length) return result(args, undefined, [{ id: "inputCount", values: { layer: opName, expected: "a list of at least one tensor", got: "an empty list" } }]);
    const first = inputs[0];
    if (axis === undefined || axis === null || !first) return result(args, undefined);
    let shape: Dim[] = [...first];
    for (let i = 1; i < inputs.length; i++) {
      const other = inputs[i];
      if (!other) continue;
      if (other.length !== first.length || other.some((d, j) => !compatible(d, first[j]))) {
        return result(args, undefined, [mismatch(opName, "tensors of the same shape", first, other, i)]);
      }
      if (!keras) shape = shape.map((d, j) => merge(d, other[j]));
    }
    const at = normalize(axis, first.length + 1);
    if (at === undefined) return result(args, undefined, [axisRange("axis", raw!, first.length, first, 1)]);
    const output = [...shape.slice(0, at), inputs.length, ...shape.slice(at)];
    return result(args, output, [], [{ label: "new axis", text: `${inputs.length} tensors of ${formatShape(shape)} stacked at ${at}: ${formatShape(output)}` }]);
  };
}

/**
 * unstack: one tensor per index of `axis`. TensorFlow's Unpack refuses a `num` other than the axis's size;
 * Keras's Unstack.compute_output_spec returns `num` tensors as asked.
 */
function inferUnstack(keras: boolean): Infer {
  return (args, [input]) => {
    const raw = args.raw("axis");
    const axis = axisArg(args, "axis");
    const num = args.raw("num") === null ? null : args.int("num", 0);
    if (!input || axis === undefined || axis === null || num === undefined) return result(args, undefined);
    const at = normalize(axis, input.length);
    if (at === undefined) return result(args, undefined, [axisRange("axis", raw!, input.length, input)]);
    const size = input[at];
    if (!keras && num !== null && isKnown(size) && num !== size) {
      return result(args, undefined, [invalid("num", `the size of axis ${axis} of ${formatShape(input)} (${size})`, num)]);
    }
    const count = num ?? (isKnown(size) ? size : undefined);
    if (count === undefined) {
      if (size === UNKNOWN) return result(args, undefined);
      // Both libraries raise "Cannot infer argument `num` from shape".
      return result(args, undefined, [invalid("num", `given: axis ${axis} of ${formatShape(input)} is ${formatDim(size)}, so the number of tensors cannot be inferred`, null)]);
    }
    const piece = input.filter((_, i) => i !== at);
    const outputs = Array.from({ length: Math.min(count, MAX_OUTPUTS) }, () => piece as Shape);
    if (!outputs.length) return result(args, undefined);
    return several(args, outputs, [], [{ label: "outputs", text: `${count} tensors of ${formatShape(piece)} (axis ${at} of ${formatShape(input)})` }]);
  };
}

/** tf.split(value, num_or_size_splits, axis=0, num=None). */
function inferTfSplit(args: Args, [input]: Inputs): LayerResult {
  const rawSplits = args.raw("num_or_size_splits");
  const rawAxis = args.raw("axis");
  const axis = axisArg(args, "axis");
  const splits = rawSplits === undefined ? undefined : isInt(rawSplits) ? rawSplits : intsArg(args, "num_or_size_splits", "a number of equal parts or a list of sizes", { single: false });
  if (splits === undefined || splits === null || axis === undefined || axis === null) return result(args, undefined);
  if (typeof splits === "number" && splits < 1) return result(args, undefined, [invalid("num_or_size_splits", "a positive number of parts", splits)]);
  if (!input) {
    const count = typeof splits === "number" ? splits : splits.length;
    return several(args, Array.from({ length: Math.min(count, MAX_OUTPUTS) }, () => undefined));
  }
  const at = normalize(axis, input.length);
  if (at === undefined) return result(args, undefined, [axisRange("axis", rawAxis!, input.length, input)]);
  const size = input[at];
  const withSize = (d: Dim): Shape => input.map((s, i) => (i === at ? d : s));
  if (typeof splits === "number") return equalParts(args, "num_or_size_splits", "parts", input, at, axis, splits);
  const sizes = splits;
  const inferAt = sizes.indexOf(-1);
  if (sizes.filter((s) => s === -1).length > 1 || sizes.some((s) => s < -1) || !sizes.length) {
    return result(args, undefined, [invalid("num_or_size_splits", "a list of non-negative sizes with at most one -1", rawSplits!)]);
  }
  const knownSum = sizes.filter((s) => s !== -1).reduce((a, b) => a + b, 0);
  if (isKnown(size) && (inferAt < 0 ? knownSum !== size : knownSum > size)) {
    const expected = inferAt < 0 ? `sizes summing to axis ${axis} of ${formatShape(input)} (${size})` : `sizes summing to at most axis ${axis} of ${formatShape(input)} (${size})`;
    return result(args, undefined, [invalid("num_or_size_splits", expected, rawSplits!)]);
  }
  const rest = isKnown(size) ? size - knownSum : size;
  const dims = sizes.map((s) => (s === -1 ? rest : s));
  const formulas = isKnown(size) ? [{ label: `axis ${axis}`, text: `${size} = ${dims.join(" + ")}` }] : [];
  return several(args, dims.map(withSize), [], formulas);
}

/** `count` equal parts along axis `at` of `input`, refused when they do not divide its size (TensorFlow's and Keras's split alike). */
function equalParts(args: Args, argument: string, what: string, input: Shape, at: number, axis: number, count: number): LayerResult {
  const size = input[at];
  if (isKnown(size) && size % count !== 0) {
    return result(args, undefined, [invalid(argument, `a number of ${what} dividing axis ${axis} of ${formatShape(input)} (${size})`, count)]);
  }
  const part = isKnown(size) ? size / count : size;
  const formulas = isKnown(size) ? [{ label: `axis ${axis}`, text: `${size} / ${count} = ${part}` }] : [];
  return several(args, Array.from({ length: Math.min(count, MAX_OUTPUTS) }, () => input.map((s, i) => (i === at ? part : s))), [], formulas);
}

/** keras.ops.split(x, indices_or_sections, axis=0): a count of equal parts, or the indices to cut at. */
function inferKerasSplit(args: Args, [input]: Inputs): LayerResult {
  const rawSplits = args.raw("indices_or_sections");
  const rawAxis = args.raw("axis");
  const axis = axisArg(args, "axis");
  const splits = rawSplits === undefined ? undefined : isInt(rawSplits) ? rawSplits : intsArg(args, "indices_or_sections", "a number of equal sections or a list of indices", { single: false });
  if (splits === undefined || splits === null || axis === undefined || axis === null) return result(args, undefined);
  if (typeof splits === "number" && splits < 1) return result(args, undefined, [invalid("indices_or_sections", "a positive number of sections", splits)]);
  const count = typeof splits === "number" ? splits : splits.length + 1;
  if (!input) return several(args, Array.from({ length: Math.min(count, MAX_OUTPUTS) }, () => undefined));
  const at = normalize(axis, input.length);
  if (at === undefined) return result(args, undefined, [axisRange("axis", rawAxis!, input.length, input)]);
  const size = input[at];
  const withSize = (d: Dim): Shape => input.map((s, i) => (i === at ? d : s));
  if (typeof splits === "number") return equalParts(args, "indices_or_sections", "sections", input, at, axis, splits);
  // Cut points: sorted, non-negative and within the axis give NumPy's pieces; anything else is not followed.
  const sorted = splits.every((s, i) => s >= 0 && (i === 0 || s >= splits[i - 1]));
  const within = !isKnown(size) || splits.every((s) => s <= size);
  if (!sorted || !within) return several(args, Array.from({ length: Math.min(count, MAX_OUTPUTS) }, () => undefined));
  const bounds: Dim[] = [0, ...splits, size];
  const dims = bounds.slice(1).map((end, i) => (isKnown(end) ? end - (bounds[i] as number) : end));
  const formulas = isKnown(size) ? [{ label: `axis ${axis}`, text: `${size} = ${dims.join(" + ")}` }] : [];
  return several(args, dims.map(withSize), [], formulas);
}

// ---------------------------------------------------------------------------------------------
// tile, pad
// ---------------------------------------------------------------------------------------------

function inferTile(keras: boolean, param: string): Infer {
  return (args, [input]) => {
    const raw = args.raw(param);
    const reps = intsArg(args, param, keras ? "an int or a list of non-negative ints" : "a list of non-negative ints, one per axis", { single: keras });
    if (!input || !reps) return result(args, undefined);
    if (reps.some((r) => r < 0)) return result(args, undefined, [invalid(param, "non-negative repetitions", raw!)]);
    let shape: Dim[] = [...input];
    let times = [...reps];
    if (!keras && times.length !== shape.length) {
      return result(args, undefined, [invalid(param, `${shape.length} repetitions, one per axis of ${formatShape(input)}`, raw!)]);
    }
    if (times.length < shape.length) times = [...Array(shape.length - times.length).fill(1), ...times];
    if (shape.length < times.length) shape = [...Array(times.length - shape.length).fill(1), ...shape];
    // TensorFlow's shape function multiplies an open size by 0 to 0; Keras leaves None.
    const output = shape.map((d, i) => (isKnown(d) ? d * times[i] : !keras && times[i] === 0 ? 0 : d));
    const formulas = output
      .map((d, i) => ({ d, i }))
      .filter(({ i }) => times[i] !== 1 && isKnown(shape[i]))
      .map(({ d, i }) => ({ label: `axis ${i}`, text: `${shape[i]}·${times[i]} = ${d}` }));
    return result(args, output, [], formulas);
  };
}

/** A pair of non-negative ints, or undefined. */
function pairOf(v: PyValue): [number, number] | undefined {
  if (!isSequence(v)) return undefined;
  const list = items(v);
  return list.length === 2 && list.every((x) => isInt(x) && x >= 0) ? (list as [number, number]) : undefined;
}

function padded(input: Shape, pads: readonly [number, number][]): { output: Dim[]; formulas: Formula[] } {
  const output = input.map((d, i) => (isKnown(d) ? d + pads[i][0] + pads[i][1] : d));
  const formulas = input
    .map((d, i) => ({ d, i }))
    .filter(({ d, i }) => isKnown(d) && pads[i][0] + pads[i][1] > 0)
    .map(({ d, i }) => ({ label: `axis ${i}`, text: `${d} + ${pads[i][0]} + ${pads[i][1]} = ${output[i]}` }));
  return { output, formulas };
}

/** tf.pad(tensor, paddings, mode='CONSTANT', constant_values=0): one [before, after] pair per axis. */
function inferTfPad(args: Args, [input]: Inputs): LayerResult {
  const raw = args.raw("paddings");
  const modeRaw = args.raw("mode");
  const mode = typeof modeRaw === "string" ? modeRaw.toUpperCase() : undefined;
  if (modeRaw !== undefined && mode !== "CONSTANT" && mode !== "REFLECT" && mode !== "SYMMETRIC") {
    args.problems.push(invalid("mode", "'CONSTANT', 'REFLECT' or 'SYMMETRIC'", modeRaw));
  }
  if (raw === undefined) return result(args, undefined);
  const expected = "a list of [before, after] pairs of non-negative ints, one per axis";
  if (!isSequence(raw) || items(raw).some((p) => isSequence(p) && items(p).some(isUnresolved))) {
    if (isSequence(raw)) args.unresolved.set("paddings", "an element of it is not a constant");
    else if (isRef(raw, "tensor")) args.unresolved.set("paddings", "paddings given as a tensor");
    else args.problems.push(invalid("paddings", expected, raw));
    return result(args, undefined);
  }
  const pads = items(raw).map(pairOf);
  if (pads.some((p) => !p)) return result(args, undefined, [invalid("paddings", expected, raw)]);
  if (!input) return result(args, undefined);
  if (pads.length !== input.length) return result(args, undefined, [invalid("paddings", `${input.length} [before, after] pairs, one per axis of ${formatShape(input)}`, raw)]);
  const pairs = pads as [number, number][];
  if (mode === "REFLECT" || mode === "SYMMETRIC") {
    const slack = mode === "REFLECT" ? 1 : 0;
    const bad = input.findIndex((d, i) => isKnown(d) && Math.max(...pairs[i]) > d - slack);
    if (bad >= 0) {
      const bound = mode === "REFLECT" ? "size − 1" : "the size";
      return result(args, undefined, [invalid("paddings", `pads no greater than ${bound} of each axis under '${mode}' (axis ${bad} of ${formatShape(input)} is ${input[bad]})`, raw)]);
    }
  }
  const { output, formulas } = padded(input, pairs);
  return result(args, output, [], formulas);
}

/**
 * keras.ops.pad(x, pad_width, mode='constant', constant_values=None), as Pad._process_pad_width reads
 * `pad_width`: an int p is (p, p) on every axis; a tuple of ints is one (before, after) pair for every
 * axis; a list of pairs (all of one length, a pair of one value p meaning (p, p)) has one pair for every
 * axis or one per axis.
 */
function inferKerasPad(args: Args, [input]: Inputs): LayerResult {
  const raw = args.raw("pad_width");
  if (raw === undefined) return result(args, undefined);
  const expected = "an int, a (before, after) pair, or one pair per axis, all non-negative";
  let pairs: [number, number][] | undefined;
  if (isInt(raw)) pairs = raw >= 0 ? [[raw, raw]] : undefined;
  else if (isSequence(raw)) {
    const list = items(raw);
    if (list.some((p) => isUnresolved(p) || (isSequence(p) && items(p).some(isUnresolved)))) {
      args.unresolved.set("pad_width", "an element of it is not a constant");
      return result(args, undefined);
    }
    if (list.every(isInt)) {
      const pair = pairOf(raw);
      pairs = pair ? [pair] : undefined;
    } else if (list.every(isSequence) && new Set(list.map((p) => items(p as PyValue[]).length)).size === 1) {
      const read = list.map((p) => {
        const values = items(p as PyValue[]);
        return values.length === 1 ? pairOf([values[0], values[0]]) : pairOf(p);
      });
      if (read.every((p) => p)) pairs = read as [number, number][];
    }
  }
  if (!pairs || !pairs.length) return result(args, undefined, [invalid("pad_width", expected, raw)]);
  if (!input) return result(args, undefined);
  if (pairs.length !== 1 && pairs.length !== input.length) {
    return result(args, undefined, [invalid("pad_width", `one pair, or ${input.length} pairs (one per axis of ${formatShape(input)})`, raw)]);
  }
  const perAxis = pairs.length === 1 ? input.map(() => pairs![0]) : pairs;
  const { output, formulas } = padded(input, perAxis);
  return result(args, output, [], formulas);
}

// ---------------------------------------------------------------------------------------------
// one_hot
// ---------------------------------------------------------------------------------------------

function inferOneHot(keras: boolean, depthParam: string): Infer {
  return (args, [input]) => {
    const depth = args.int(depthParam, 0);
    const rawAxis = args.raw("axis");
    const axis = axisArg(args, "axis", { none: !keras });
    if (!input || axis === undefined) return result(args, undefined);
    const rank = input.length;
    const at = axis === null || axis === -1 ? rank : axis;
    const highest = keras ? rank - 1 : rank;
    if (axis !== null && axis !== -1 && (axis < 0 || axis > highest)) {
      const expected = `-1 or an axis from 0 to ${highest} (the input ${formatShape(input)} has rank ${rank})`;
      return result(args, undefined, [invalid("axis", expected, rawAxis!)]);
    }
    const d = depth === undefined ? UNKNOWN : depth;
    const output = [...input.slice(0, at), d, ...input.slice(at)];
    const formulas = depth === undefined ? [] : [{ label: "depth", text: `${depth} at axis ${at}: ${formatShape(input)} → ${formatShape(output)}` }];
    return result(args, output, [], formulas);
  };
}

// ---------------------------------------------------------------------------------------------
// Reductions, argmax / argmin
// ---------------------------------------------------------------------------------------------

/**
 * Reduces `axes` of `input` (null: every axis): removed, or kept as 1 with keepdims. A repeated axis is
 * an error for TensorFlow, unknown for Keras (see above).
 */
function reduce(args: Args, input: Shape, axes: number[] | null, keepdims: boolean | undefined, raw: PyValue, keras: boolean): LayerResult {
  const rank = input.length;
  const normalized = axes === null ? input.map((_, i) => i) : axes.map((a) => normalize(a, rank));
  if (normalized.some((a) => a === undefined)) return result(args, undefined, [axisRange("axis", raw, rank, input)]);
  const set = new Set(normalized as number[]);
  if (set.size !== normalized.length) return result(args, undefined, keras ? [] : [invalid("axis", `distinct axes of ${formatShape(input)}`, raw)]);
  if (keepdims === undefined) return result(args, undefined);
  const output = keepdims ? input.map((d, i) => (set.has(i) ? 1 : d)) : input.filter((_, i) => !set.has(i));
  const which = axes === null ? "every axis" : `axis ${[...set].sort((a, b) => a - b).join(", ")}`;
  return result(args, output, [], [{ label: "reduced", text: `${which} of ${formatShape(input)}${keepdims ? " (kept as 1)" : ""}: ${formatShape(output)}` }]);
}

function inferReduce(keras: boolean): Infer {
  return (args, [input]) => {
    const raw = args.raw("axis");
    const axes = intsArg(args, "axis", "an integer axis, a list of them, or None", { none: true });
    const keepdims = args.bool("keepdims");
    if (!input || axes === undefined) return result(args, undefined);
    return reduce(args, input, axes, keepdims, raw ?? null, keras);
  };
}

/** tf.argmax / tf.argmin: one axis, 0 when None; the axis is removed. */
function inferTfArg(args: Args, [input]: Inputs): LayerResult {
  const raw = args.raw("axis");
  const axis = axisArg(args, "axis", { none: true });
  if (!input || axis === undefined) return result(args, undefined);
  if (!input.length) return result(args, undefined, [rankProblem(args.layer, input, "1 or more", "(at least one axis to reduce)")]);
  return reduce(args, input, [axis ?? 0], false, raw ?? null, false);
}

/** keras.ops.argmax / argmin: the flattened input (a scalar) when axis is None; keepdims leaves 1s. */
function inferKerasArg(args: Args, [input]: Inputs): LayerResult {
  const raw = args.raw("axis");
  const axis = axisArg(args, "axis", { none: true });
  const keepdims = args.bool("keepdims");
  if (!input || axis === undefined) return result(args, undefined);
  return reduce(args, input, axis === null ? null : [axis], keepdims, raw ?? null, true);
}

// ---------------------------------------------------------------------------------------------
// keras.ops.matmul, tf.gather
// ---------------------------------------------------------------------------------------------

/** Keras's broadcast_shapes on the leading axes: a 1 stretches; None meets n as n. Undefined when they clash. */
function broadcastLeading(x: Shape, y: Shape): Dim[] | undefined {
  const n = Math.max(x.length, y.length);
  const out: Dim[] = [];
  for (let i = 0; i < n; i++) {
    const a = x[x.length - n + i] ?? 1;
    const b = y[y.length - n + i] ?? 1;
    if (a === 1) out.push(b);
    else if (b === 1) out.push(a);
    else if (isKnown(a) && isKnown(b)) {
      if (a !== b) return undefined;
      out.push(a);
    } else if (isKnown(a)) out.push(a);
    else if (isKnown(b)) out.push(b);
    else out.push(openOf(a, b));
  }
  return out;
}

function inferKerasMatmul(args: Args, [x1, x2]: Inputs): LayerResult {
  const opName = "keras.ops.matmul";
  const problems: Problem[] = [];
  if (x1 && !x1.length) problems.push(rankProblem(opName, x1, "1 or more", "(…, rows, columns)", 0));
  if (x2 && !x2.length) problems.push(rankProblem(opName, x2, "1 or more", "(…, rows, columns)", 1));
  if (problems.length || !x1 || !x2) return result(args, undefined, problems);
  const a = x1.length === 1 ? [1, ...x1] : x1;
  const b = x2.length === 1 ? [...x2, 1] : x2;
  const inner = [a[a.length - 1], b[b.length - 2]];
  if (isKnown(inner[0]) && isKnown(inner[1]) && inner[0] !== inner[1]) {
    return result(args, undefined, [mismatch(opName, `x1's last axis (${inner[0]}) equal to x2's second to last (${inner[1]})`, x1, x2, 1)]);
  }
  const batch = broadcastLeading(a.slice(0, -2), b.slice(0, -2));
  if (!batch) return result(args, undefined, [mismatch(opName, "leading (batch) axes that broadcast", x1, x2, 1)]);
  const output: Dim[] = [...batch, a[a.length - 2], b[b.length - 1]];
  if (x2.length === 1) output.splice(output.length - 1, 1);
  if (x1.length === 1) output.splice(output.length - (x2.length === 1 ? 1 : 2), 1);
  const formulas = isKnown(inner[0]) ? [{ label: "inner", text: `${formatShape(x1)} · ${formatShape(x2)} → ${formatShape(output)}` }] : [];
  return result(args, output, [], formulas);
}

/** The shape of a literal index (an int, or a rectangular nested list), or undefined. */
function literalShape(v: PyValue): number[] | undefined {
  if (isInt(v)) return [];
  if (!isSequence(v)) return undefined;
  const list = items(v);
  if (!list.length) return [0];
  const inner = list.map(literalShape);
  if (inner.some((s) => !s) || new Set(inner.map((s) => s!.join(","))).size !== 1) return undefined;
  return [list.length, ...inner[0]!];
}

/** tf.gather(params, indices, validate_indices=None, axis=None, batch_dims=0). */
function inferGather(args: Args, [params]: Inputs): LayerResult {
  const indices = args.raw("indices");
  const rawAxis = args.raw("axis");
  const axis = axisArg(args, "axis", { none: true });
  const batchDims = args.int("batch_dims", 0);
  if (indices === undefined || axis === undefined || batchDims === undefined) return result(args, undefined);
  const indexShape = literalShape(indices);
  if (!indexShape) {
    if (isRef(indices, "tensor")) args.unresolved.set("indices", "indices given as a tensor are not followed");
    return result(args, undefined);
  }
  if (!params) return result(args, undefined);
  const at = normalize(axis ?? batchDims, params.length);
  if (at === undefined) return result(args, undefined, [axisRange("axis", rawAxis ?? null, params.length, params)]);
  if (batchDims > indexShape.length || batchDims > at) {
    return result(args, undefined, [invalid("batch_dims", `at most the rank of indices (${indexShape.length}) and the axis (${at})`, batchDims)]);
  }
  const output = [...params.slice(0, at), ...indexShape.slice(batchDims), ...params.slice(at + 1)];
  return result(args, output, [], [{ label: "gathered", text: `axis ${at} of ${formatShape(params)} by indices of shape ${formatShape(indexShape)}: ${formatShape(output)}` }]);
}

// ---------------------------------------------------------------------------------------------
// The specs
// ---------------------------------------------------------------------------------------------

const axisNone: ParamDecl = { name: "axis", default: null };
const keepdims: ParamDecl = { name: "keepdims", default: false };

const TF_REDUCTIONS = words("reduce_all reduce_any reduce_logsumexp reduce_max reduce_mean reduce_min reduce_prod reduce_sum");
const TF_MATH_REDUCTIONS = words("reduce_std reduce_variance reduce_euclidean_norm");
const KERAS_REDUCTIONS = words("mean sum any all std var amax amin");

const tfShapeOps: LayerSpec[] = [
  op({ name: "tf.reshape", summary: "Reshapes to `shape`, keeping the number of elements; one -1 is inferred.", tensors: ["tensor"], params: [{ name: "shape" }, name], infer: inferReshape(false, "shape") }),
  op({ name: "tf.transpose", summary: "Permutes the axes by `perm` (reversed by default).", tensors: ["a"], params: [{ name: "perm", default: null }, { name: "conjugate", default: false }, name], infer: inferTranspose(false, "perm") }),
  op({ name: "tf.expand_dims", summary: "Inserts an axis of size 1 at `axis`.", tensors: ["input"], params: [{ name: "axis" }, name], infer: inferExpandDims(false) }),
  op({ name: "tf.squeeze", summary: "Removes axes of size 1 (those in `axis`, or all).", tensors: ["input"], params: [axisNone, name], infer: inferSqueeze(false) }),
  op({ name: "tf.concat", summary: "Joins tensors along an existing `axis`; the other sizes must match.", tensors: "list", params: [{ name: "axis" }, name, { name: "values", default: null }], infer: inferConcat(false, "tf.concat") }),
  op({ name: "tf.stack", summary: "Joins tensors of one shape along a new `axis`.", tensors: "list", params: [{ name: "axis", default: 0 }, name, { name: "values", default: null }], infer: inferStack(false, "tf.stack") }),
  op({ name: "tf.unstack", summary: "Splits along `axis` into one tensor per index, the axis removed.", tensors: ["value"], params: [{ name: "num", default: null }, { name: "axis", default: 0 }, name], infer: inferUnstack(false) }),
  op({ name: "tf.split", summary: "Splits along `axis` into equal parts or parts of the given sizes.", tensors: ["value"], params: [{ name: "num_or_size_splits" }, { name: "axis", default: 0 }, { name: "num", default: null }, name], infer: inferTfSplit }),
  op({ name: "tf.tile", summary: "Repeats the tensor `multiples[i]` times along each axis i.", tensors: ["input"], params: [{ name: "multiples" }, name], infer: inferTile(false, "multiples") }),
  op({ name: "tf.pad", summary: "Pads each axis with [before, after] values.", tensors: ["tensor"], params: [{ name: "paddings" }, { name: "mode", default: "CONSTANT" }, { name: "constant_values", default: 0 }, name], infer: inferTfPad }),
  op({ name: "tf.one_hot", summary: "One-hot encodes indices: a new axis of size `depth` (last by default).", tensors: ["indices"], params: [{ name: "depth" }, { name: "on_value", default: null }, { name: "off_value", default: null }, axisNone, { name: "dtype", default: null }, name], infer: inferOneHot(false, "depth") }),
  ...TF_REDUCTIONS.map((fn) => op({ name: `tf.${fn}`, aliases: [`tf.math.${fn}`], summary: "Reduces over `axis` (all axes by default); keepdims leaves them as 1.", tensors: ["input_tensor"], params: [axisNone, keepdims, name], infer: inferReduce(false) })),
  ...TF_MATH_REDUCTIONS.map((fn) => op({ name: `tf.math.${fn}`, summary: "Reduces over `axis` (all axes by default); keepdims leaves them as 1.", tensors: ["input_tensor"], params: [axisNone, keepdims, name], infer: inferReduce(false) })),
  ...["argmax", "argmin"].map((fn) => op({ name: `tf.math.${fn}`, aliases: [`tf.${fn}`], summary: `Index of the ${fn === "argmax" ? "largest" : "smallest"} value along \`axis\` (0 when None); the axis is removed.`, tensors: ["input"], params: [axisNone, { name: "output_type", default: null }, name], infer: inferTfArg })),
  op({ name: "tf.gather", summary: "Takes slices of `params` along `axis` at `indices`.", tensors: ["params"], params: [{ name: "indices" }, { name: "validate_indices", default: null }, axisNone, { name: "batch_dims", default: 0 }, name], infer: inferGather }),
];

const kerasShapeOps: LayerSpec[] = [
  op({ name: "keras.ops.reshape", aliases: numpyAliases("reshape"), summary: "Reshapes to `newshape`, keeping the number of elements; one -1 is inferred.", tensors: ["x"], params: [{ name: "newshape" }], infer: inferReshape(true, "newshape") }),
  op({ name: "keras.ops.transpose", aliases: numpyAliases("transpose"), summary: "Permutes the axes by `axes` (reversed by default).", tensors: ["x"], params: [{ name: "axes", default: null }], infer: inferTranspose(true, "axes") }),
  op({ name: "keras.ops.expand_dims", aliases: numpyAliases("expand_dims"), summary: "Inserts axes of size 1 at `axis`.", tensors: ["x"], params: [{ name: "axis" }], infer: inferExpandDims(true) }),
  op({ name: "keras.ops.squeeze", aliases: numpyAliases("squeeze"), summary: "Removes axes of size 1 (those in `axis`, or all).", tensors: ["x"], params: [axisNone], infer: inferSqueeze(true) }),
  op({ name: "keras.ops.concatenate", aliases: numpyAliases("concatenate"), summary: "Joins tensors along an existing `axis` (0 by default); the other sizes must match.", tensors: "list", params: [{ name: "axis", default: 0 }, { name: "xs", default: null }], infer: inferConcat(true, "keras.ops.concatenate") }),
  op({ name: "keras.ops.stack", aliases: numpyAliases("stack"), summary: "Joins tensors of one shape along a new `axis`.", tensors: "list", params: [{ name: "axis", default: 0 }, { name: "x", default: null }], infer: inferStack(true, "keras.ops.stack") }),
  op({ name: "keras.ops.unstack", summary: "Splits along `axis` into one tensor per index, the axis removed.", tensors: ["x"], params: [{ name: "num", default: null }, { name: "axis", default: 0 }], infer: inferUnstack(true) }),
  op({ name: "keras.ops.split", aliases: numpyAliases("split"), summary: "Splits along `axis` into equal sections or at the given indices.", tensors: ["x"], params: [{ name: "indices_or_sections" }, { name: "axis", default: 0 }], infer: inferKerasSplit }),
  op({ name: "keras.ops.tile", aliases: numpyAliases("tile"), summary: "Repeats the tensor along each axis (NumPy's tile).", tensors: ["x"], params: [{ name: "repeats" }], infer: inferTile(true, "repeats") }),
  op({ name: "keras.ops.pad", aliases: numpyAliases("pad"), summary: "Pads each axis with (before, after) values.", tensors: ["x"], params: [{ name: "pad_width" }, { name: "mode", default: "constant" }, { name: "constant_values", default: null }], infer: inferKerasPad }),
  op({ name: "keras.ops.one_hot", aliases: nnAliases("one_hot"), summary: "One-hot encodes integers: a new axis of size `num_classes` (last by default).", tensors: ["x"], params: [{ name: "num_classes" }, { name: "axis", default: -1 }, { name: "dtype", default: null }, { name: "sparse", default: false }], infer: inferOneHot(true, "num_classes") }),
  ...KERAS_REDUCTIONS.map((fn) => op({ name: `keras.ops.${fn}`, aliases: numpyAliases(fn), summary: "Reduces over `axis` (all axes by default); keepdims leaves them as 1.", tensors: ["x"], params: [axisNone, keepdims], infer: inferReduce(true) })),
  ...["max", "min"].map((fn) => op({ name: `keras.ops.${fn}`, aliases: numpyAliases(fn), summary: "Reduces over `axis` (all axes by default); keepdims leaves them as 1.", tensors: ["x"], params: [axisNone, keepdims, { name: "initial", default: null }], infer: inferReduce(true) })),
  op({ name: "keras.ops.prod", aliases: numpyAliases("prod"), summary: "Product over `axis` (all axes by default); keepdims leaves them as 1.", tensors: ["x"], params: [axisNone, keepdims, { name: "dtype", default: null }], infer: inferReduce(true) }),
  ...["argmax", "argmin"].map((fn) => op({ name: `keras.ops.${fn}`, aliases: numpyAliases(fn), summary: `Index of the ${fn === "argmax" ? "largest" : "smallest"} value along \`axis\` (of the flattened tensor when None).`, tensors: ["x"], params: [axisNone, keepdims], infer: inferKerasArg })),
  {
    ...op({ name: "keras.ops.matmul", aliases: numpyAliases("matmul"), summary: "Matrix product (NumPy's matmul): the last two axes multiply, the leading ones broadcast.", tensors: ["x1", "x2"], params: [], infer: inferKerasMatmul }),
    // Each output element is a dot product over x1's last axis.
    cost: ({ inputs, output }) => contraction(output, inputs?.[0]?.[inputs[0].length - 1]),
  },
];

/** Shape functions move data; reductions add or compare element by element: neither is counted in MACs. */
const tensorFunctionCost: CostRule = () => ({ macs: 0n, note: "moves or reduces data: not counted in MACs" });

export const tensorOps: LayerSpec[] = costing(tensorFunctionCost, [...tfShapeOps, ...kerasShapeOps]);

