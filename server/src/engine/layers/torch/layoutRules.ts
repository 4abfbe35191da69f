/**
 * PyTorch's rules for the functions that move elements without computing (view / reshape, flatten, permute,
 * squeeze, expand, repeat, chunk, split, cat, stack…), shared by `torch.*` (`tensorFunctions.ts`) and the tensor
 * methods (`tensorMethods.ts`). Each follows ATen's own shape code, named at the rule; the messages quote
 * PyTorch's. Sizes not known statically make what depends on them `?`; nothing is guessed.
 */
import { Args } from "../../args";
import { Dim, Shape, UNKNOWN, formatShape, isKnown } from "../../shape";
import { Formula, Problem } from "../../spec";
import { withThousands } from "../../format";
import { isInt } from "../../values";
import {
  Infer,
  broadcast,
  dimArg,
  dimProblem,
  dimsArg,
  intsOf,
  invalid,
  mismatch,
  numel,
  openSize,
  rankProblem,
  result,
  several,
  sizeList,
  sizesArg,
  wrapDim,
} from "./tensorShapes";

const product = (dims: readonly number[]) => dims.reduce((a, b) => a * b, 1);

/** `a·b·c` of known sizes; the element count of `shape` written out. */
function sizeText(shape: readonly number[]): string {
  return shape.length > 1 ? `${shape.join("·")} = ${withThousands(product(shape))}` : withThousands(product(shape));
}

// ---------------------------------------------------------------------------------------------
// view / reshape (infer_size in aten/src/ATen/InferSize.h)
// ---------------------------------------------------------------------------------------------

/** The target of a view of `input` with sizes `target` (one -1 inferred), or its problems. */
function viewShape(layer: string, param: string, input: Shape | undefined, target: readonly (number | "?")[]): { output?: Dim[]; problems: Problem[]; formulas: Formula[] } {
  const problems: Problem[] = [];
  const formulas: Formula[] = [];
  const targetText = sizeList(target);
  if (target.filter((d) => d === -1).length > 1) {
    problems.push({ id: "reshapeMismatch", argument: param, values: { target: targetText, input: input ? formatShape(input) : "?", detail: "only one dimension can be inferred" } });
    return { problems, formulas };
  }
  const bad = target.find((d) => isKnown(d) && d < -1);
  if (bad !== undefined) {
    problems.push(invalid(param, `sizes ≥ −1 (PyTorch: invalid shape dimension ${bad})`, { tuple: [...target] }));
    return { problems, formulas };
  }
  const inferAt = target.indexOf(-1);
  const count = input && numel(input);
  const known = target.every(isKnown) ? (target as number[]) : undefined;
  if (count === undefined || !known) {
    const open = input ? openSize(input.filter((d) => !isKnown(d))) : UNKNOWN;
    return { output: target.map((d) => (d === -1 ? open : d)), problems, formulas };
  }
  const others = known.filter((_, i) => i !== inferAt);
  const rest = product(others);
  const inputText = (input as number[]).join("·");
  if (inferAt < 0) {
    if (rest !== count) problems.push({ id: "torchShapeInvalid", argument: param, values: { layer, target: targetText, size: count } });
    return { output: known, problems, formulas };
  }
  if (rest === 0) {
    problems.push({ id: "reshapeMismatch", argument: param, values: { target: targetText, input: formatShape(input!), detail: `the unspecified dimension size -1 can be any value and is ambiguous (PyTorch: cannot reshape tensor of 0 elements into shape ${targetText})` } });
    return { output: known.map((d) => (d === -1 ? UNKNOWN : d)), problems, formulas };
  }
  if (count % rest !== 0) {
    problems.push({ id: "torchShapeInvalid", argument: param, values: { layer, target: targetText, size: count } });
    return { output: known.map((d) => (d === -1 ? UNKNOWN : d)), problems, formulas };
  }
  const inferred = count / rest;
  const numerator = input!.length > 1 ? `(${inputText})` : inputText;
  const denominator = others.length > 1 ? `(${others.join("·")})` : `${rest}`;
  formulas.push({ label: "-1", text: `${numerator} / ${denominator} = ${withThousands(inferred)}` });
  return { output: known.map((d) => (d === -1 ? inferred : d)), problems, formulas };
}

/** `view(*size)`, `reshape(*shape)`, `torch.reshape(input, shape)`. */
export function inferView(param: string): Infer {
  return (args, [input]) => {
    const problems: Problem[] = [];
    const target = sizesArg(args, param, problems);
    if (!target) return result(args, undefined, problems);
    const view = viewShape(args.layer, param, input, target);
    return result(args, view.output, [...problems, ...view.problems], view.formulas);
  };
}

/** `view_as(other)` / `reshape_as(other)`: the other's shape, the element counts agreeing. */
export const inferViewAs: Infer = (args, [input, other]) => {
  if (!other) return result(args, undefined);
  const view = viewShape(args.layer, "other", input, other.map((d) => (isKnown(d) ? d : "?" as const)));
  return result(args, view.output ? [...other] : undefined, view.problems.map((p) => ({ ...p, input: 1 })), view.formulas);
};

// ---------------------------------------------------------------------------------------------
// flatten, unflatten (aten/src/ATen/native/TensorShape.cpp)
// ---------------------------------------------------------------------------------------------

export const inferFlatten: Infer = (args, [input]) => {
  const problems: Problem[] = [];
  if (!input) return result(args, undefined);
  const start = dimArg(args, "start_dim", input.length, problems);
  const end = dimArg(args, "end_dim", input.length, problems);
  if (start == null || end == null) return result(args, undefined, problems);
  if (!input.length) return result(args, [1], problems);
  if (start > end) return result(args, undefined, [invalid("start_dim", `a dim not after end_dim (PyTorch: flatten() has invalid args: start_dim cannot come after end_dim); start_dim is ${start}, end_dim ${end}`, args.raw("start_dim")!)]);
  const merged = input.slice(start, end + 1);
  const size = merged.every(isKnown) ? product(merged as number[]) : openSize(merged);
  const output = [...input.slice(0, start), size, ...input.slice(end + 1)];
  const formulas = merged.length > 1 && isKnown(size) ? [{ label: `dim ${start}`, text: sizeText(merged as number[]) }] : [];
  return result(args, output, problems, formulas);
};

export const inferUnflatten: Infer = (args, [input]) => {
  const problems: Problem[] = [];
  const raw = args.raw("sizes");
  const sizes = raw === undefined ? undefined : intsOf(args, "sizes", raw, "a tuple of sizes, with at most one -1", problems);
  if (!input || !sizes) return result(args, undefined, problems);
  const at = dimArg(args, "dim", input.length, problems);
  if (at == null) return result(args, undefined, problems);
  const n = input[at];
  const inferAt = sizes.indexOf(-1);
  const rest = product(sizes.filter((_, i) => i !== inferAt));
  const refuse = () => invalid("sizes", `sizes that multiply up to the size of dim ${at} (${n}) in the input tensor`, raw!);
  if (sizes.filter((d) => d === -1).length > 1) return result(args, undefined, [...problems, invalid("sizes", "sizes with at most one -1 (PyTorch: only one dimension can be inferred)", raw!)]);
  let out: Dim[] = sizes;
  if (!isKnown(n)) out = sizes.map((d) => (d === -1 ? n : d));
  else if (inferAt < 0 ? rest !== n : rest === 0 || n % rest !== 0) return result(args, undefined, [...problems, refuse()]);
  else if (inferAt >= 0) out = sizes.map((d) => (d === -1 ? n / rest : d));
  return result(args, [...input.slice(0, at), ...out, ...input.slice(at + 1)], problems);
};

// ---------------------------------------------------------------------------------------------
// permute, transpose, t, squeeze, unsqueeze, movedim
// ---------------------------------------------------------------------------------------------

export function inferPermute(param: string): Infer {
  return (args, [input]) => {
    const problems: Problem[] = [];
    const raw = args.raw(param);
    const dims = raw === undefined ? undefined : intsOf(args, param, raw, "a permutation of the input's dims", problems);
    if (!input || !dims) return result(args, undefined, problems);
    if (dims.length !== input.length) {
      return result(args, undefined, [...problems, invalid(param, `${input.length} dims, one per dim of the input ${formatShape(input)} (PyTorch: input.dim() = ${input.length} is not equal to len(dims) = ${dims.length})`, raw!)]);
    }
    const wrapped: number[] = [];
    for (const d of dims) {
      const at = wrapDim(d, input.length);
      if (at === undefined) return result(args, undefined, [...problems, dimProblem(args.layer, param, d, input.length)]);
      if (wrapped.includes(at)) return result(args, undefined, [...problems, invalid(param, "distinct dims (PyTorch: permute(): duplicate dims are not allowed)", raw!)]);
      wrapped.push(at);
    }
    const output = wrapped.map((a) => input[a]);
    return result(args, output, problems, [{ label: "dims", text: `(${wrapped.join(", ")}): ${formatShape(input)} → ${formatShape(output)}` }]);
  };
}

export function inferTranspose(first: string, second: string): Infer {
  return (args, [input]) => {
    const problems: Problem[] = [];
    if (!input) return result(args, undefined);
    const a = dimArg(args, first, input.length, problems);
    const b = dimArg(args, second, input.length, problems);
    if (a == null || b == null) return result(args, undefined, problems);
    if (!input.length) return result(args, [], problems);
    const output = [...input];
    [output[a], output[b]] = [input[b], input[a]];
    return result(args, output, problems);
  };
}

/** `t()`: a tensor of at most 2 dims, transposed ("t() expects a tensor with <= 2 dimensions, but self is 3D"). */
export const inferT: Infer = (args, [input]) => {
  if (!input) return result(args, undefined);
  if (input.length > 2) return result(args, undefined, [rankProblem(args.layer, input, "at most 2", "(t() expects a tensor with <= 2 dimensions)")]);
  return result(args, [...input].reverse());
};

export const inferUnsqueeze: Infer = (args, [input]) => {
  const problems: Problem[] = [];
  if (!input) return result(args, undefined);
  const at = dimArg(args, "dim", input.length + 1, problems);
  if (at == null) return result(args, undefined, problems);
  return result(args, [...input.slice(0, at), 1, ...input.slice(at)], problems);
};

/**
 * `squeeze(dim=None)`: the dims of size 1 removed (those named, or all); a named dim of another size stays, as
 * PyTorch leaves it. A size not known might be 1: the rank is then unknown.
 */
export const inferSqueeze: Infer = (args, [input]) => {
  const problems: Problem[] = [];
  if (!input) return result(args, undefined);
  const dims = dimsArg(args, "dim", input.length, problems, { none: true });
  if (dims === undefined) return result(args, undefined, problems);
  const named = dims ?? input.map((_, i) => i);
  if (named.some((i) => !isKnown(input[i]))) return result(args, undefined, problems);
  const output = input.filter((d, i) => !(named.includes(i) && d === 1));
  return result(args, output, problems);
};

/** `movedim(source, destination)`: each source dim moved to its destination, the others in order. */
export const inferMovedim: Infer = (args, [input]) => {
  const problems: Problem[] = [];
  if (!input) return result(args, undefined);
  const source = dimsArgOrdered(args, "source", input.length, problems);
  const destination = dimsArgOrdered(args, "destination", input.length, problems);
  if (!source || !destination) return result(args, undefined, problems);
  if (source.length !== destination.length) {
    return result(args, undefined, [invalid("destination", `as many dims as source (${source.length})`, args.raw("destination")!)]);
  }
  const output: (Dim | undefined)[] = input.map(() => undefined);
  source.forEach((s, i) => (output[destination[i]] = input[s]));
  const rest = input.filter((_, i) => !source.includes(i));
  for (let i = 0; i < output.length; i++) if (output[i] === undefined) output[i] = rest.shift();
  return result(args, output as Dim[], problems);
};

/** A dim or a tuple of them, wrapped, in the order given (distinct). */
function dimsArgOrdered(args: Args, name: string, rank: number, problems: Problem[]): number[] | undefined {
  const v = args.raw(name);
  if (v === undefined) return undefined;
  const list = intsOf(args, name, v, "an integer dim or a tuple of them", problems);
  if (!list) return undefined;
  const wrapped = list.map((d) => wrapDim(d, rank));
  const outside = list.find((_, i) => wrapped[i] === undefined);
  if (outside !== undefined) {
    problems.push(dimProblem(args.layer, name, outside, rank));
    return undefined;
  }
  if (new Set(wrapped).size !== wrapped.length) {
    problems.push(invalid(name, "distinct dims (PyTorch: movedim: repeated dim)", v));
    return undefined;
  }
  return wrapped as number[];
}

// ---------------------------------------------------------------------------------------------
// expand, repeat, tile (ExpandUtils.cpp inferExpandGeometry; TensorShape.cpp repeat)
// ---------------------------------------------------------------------------------------------

function expandShape(layer: string, param: string, input: Shape, target: readonly (number | "?")[]): { output?: Dim[]; problems: Problem[] } {
  const targetText = sizeList(target);
  const value = { tuple: [...target] };
  if (target.length < input.length) {
    return { problems: [invalid(param, `at least ${input.length} sizes, one per dim of the tensor (PyTorch: the number of sizes provided (${target.length}) must be greater or equal to the number of dimensions in the tensor (${input.length}))`, value)] };
  }
  const lead = target.length - input.length;
  const output: Dim[] = [];
  for (let i = 0; i < target.length; i++) {
    const t = target[i];
    if (i < lead) {
      if (t === -1) return { problems: [invalid(param, `a size for the new leading dim ${i} (PyTorch: the expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension ${i})`, value)] };
      output.push(t);
      continue;
    }
    const d = input[i - lead];
    if (t === -1) output.push(d);
    else if (d === 1 || !isKnown(t) || !isKnown(d) || d === t) output.push(t === UNKNOWN && isKnown(d) && d !== 1 ? d : t);
    else {
      return { problems: [{ id: "incompatibleShapes", argument: param, values: { layer, requirement: `target sizes that keep every non-singleton size (PyTorch: the expanded size of the tensor (${t}) must match the existing size (${d}) at non-singleton dimension ${i}; target sizes: ${targetText})`, first: formatShape(input), second: targetText } }] };
    }
  }
  return { output, problems: [] };
}

export function inferExpand(param: string): Infer {
  return (args, [input]) => {
    const problems: Problem[] = [];
    const target = sizesArg(args, param, problems);
    if (!target || !input) return result(args, undefined, problems);
    const expanded = expandShape(args.layer, param, input, target);
    return result(args, expanded.output, [...problems, ...expanded.problems]);
  };
}

export const inferExpandAs: Infer = (args, [input, other]) => {
  if (!input || !other) return result(args, undefined);
  const expanded = expandShape(args.layer, "other", input, other.map((d) => (isKnown(d) ? d : "?" as const)));
  return result(args, expanded.output, expanded.problems.map((p) => ({ ...p, input: 1 })));
};

/** `repeat(*sizes)` (at least one size per dim), or with `tile` the sizes padded with 1s in front as NumPy's tile. */
export function inferRepeat(param: string, tile: boolean): Infer {
  return (args, [input]) => {
    const problems: Problem[] = [];
    const raw = args.raw(param);
    const sizes = raw === undefined ? undefined : intsOf(args, param, raw, "integer repeat counts", problems);
    if (!input || !sizes) return result(args, undefined, problems);
    if (sizes.some((s) => s < 0)) return result(args, undefined, [...problems, invalid(param, "counts ≥ 0", raw!)]);
    if (!tile && sizes.length < input.length) {
      return result(args, undefined, [...problems, invalid(param, `at least ${input.length} counts (PyTorch: number of dimensions of repeat dims can not be smaller than number of dimensions of tensor)`, raw!)]);
    }
    const n = Math.max(sizes.length, input.length);
    const counts = [...Array(n - sizes.length).fill(1), ...sizes];
    const padded: Dim[] = [...Array(n - input.length).fill(1), ...input];
    const output = padded.map((d, i) => (isKnown(d) ? d * counts[i] : counts[i] === 0 ? 0 : d));
    return result(args, output, problems);
  };
}

// ---------------------------------------------------------------------------------------------
// chunk, split, unbind, narrow, flip, roll
// ---------------------------------------------------------------------------------------------

/** `chunk(chunks, dim=0)`: pieces of ⌈n / chunks⌉, the last smaller, so there may be fewer than `chunks`. */
export const inferChunk: Infer = (args, [input]) => {
  const problems: Problem[] = [];
  const chunks = args.raw("chunks");
  if (chunks !== undefined && (!isInt(chunks) || chunks <= 0)) return result(args, undefined, [invalid("chunks", "an integer greater than 0", chunks)]);
  if (!input) return result(args, undefined);
  const at = dimArg(args, "dim", input.length, problems);
  if (at == null || chunks === undefined || !input.length) return result(args, undefined, problems);
  const n = input[at];
  const piece = (size: Dim) => input.map((d, i) => (i === at ? size : d));
  if (!isKnown(n)) return result(args, piece(n), problems);
  if (n === 0) return several(args, Array.from({ length: chunks }, () => piece(0)), problems);
  const size = Math.ceil(n / chunks);
  const count = Math.ceil(n / size);
  const sizes = Array.from({ length: count }, (_, i) => Math.min(size, n - i * size));
  const formulas = [{ label: "chunks", text: `⌈${n} / ${chunks}⌉ = ${size} per chunk: ${sizes.length} chunk${sizes.length > 1 ? "s" : ""} (${sizes.join(", ")})` }];
  return several(args, sizes.map(piece), problems, formulas);
};

/** `split(split_size_or_sections, dim=0)`: pieces of one size (the last smaller), or of the sizes listed (summing to the dim's size). */
export function inferSplit(param: string): Infer {
  return (args, [input]) => {
    const problems: Problem[] = [];
    const raw = args.raw(param);
    if (!input || raw === undefined) return result(args, undefined);
    const at = dimArg(args, "dim", input.length, problems);
    if (at == null) return result(args, undefined, problems);
    if (!input.length) return result(args, undefined, [...problems, rankProblem(args.layer, input, "1 or more", "(split needs a dim to cut)")]);
    const n = input[at];
    const piece = (size: Dim) => input.map((d, i) => (i === at ? size : d));
    if (isInt(raw)) {
      if (raw < 0 || (raw === 0 && isKnown(n) && n !== 0)) return result(args, undefined, [...problems, invalid(param, `a positive size (PyTorch: split_size can only be 0 if dimension size is 0, but got dimension size of ${n})`, raw)]);
      if (!isKnown(n)) return result(args, piece(UNKNOWN), problems);
      const count = Math.max(1, Math.ceil(n / raw));
      return several(args, Array.from({ length: count }, (_, i) => piece(Math.min(raw, n - i * raw))), problems);
    }
    const sizes = intsOf(args, param, raw, "a size or a list of sizes", problems);
    if (!sizes) return result(args, undefined, problems);
    const total = sizes.reduce((a, b) => a + b, 0);
    if (isKnown(n) && total !== n) {
      return result(args, undefined, [...problems, invalid(param, `sizes summing exactly to ${n} (the input's size at dimension ${at})`, raw)]);
    }
    return several(args, sizes.map(piece), problems);
  };
}

/** `unbind(dim=0)`: one tensor per index of the dim, the dim removed. */
export const inferUnbind: Infer = (args, [input]) => {
  const problems: Problem[] = [];
  if (!input) return result(args, undefined);
  const at = dimArg(args, "dim", input.length, problems);
  if (at == null) return result(args, undefined, problems);
  const n = input[at];
  const rest = input.filter((_, i) => i !== at);
  if (!isKnown(n)) return result(args, rest, problems);
  return several(args, Array.from({ length: n }, () => rest), problems);
};

/** `narrow(dim, start, length)`: `length` elements from `start` (negative counts from the end). */
export const inferNarrow: Infer = (args, [input]) => {
  const problems: Problem[] = [];
  if (!input) return result(args, undefined);
  const at = dimArg(args, "dim", input.length, problems);
  const start = args.raw("start");
  const length = args.int("length", 0);
  if (at == null || length === undefined || start === undefined) return result(args, undefined, problems);
  if (!isInt(start)) return result(args, undefined, [...problems, invalid("start", "an integer", start)]);
  const n = input[at];
  if (isKnown(n)) {
    const begin = wrapDim(start, n);
    if (begin === undefined && start !== n) return result(args, undefined, [...problems, dimProblem(args.layer, "start", start, n)]);
    const from = begin ?? start;
    if (from + length > n) return result(args, undefined, [...problems, invalid("length", `at most ${n - from} (PyTorch: start (${from}) + length (${length}) exceeds dimension size (${n}))`, length)]);
  }
  return result(args, input.map((d, i) => (i === at ? length : d)), problems);
};

/** flip(dims), roll(shifts, dims): the shape is kept; the dims must be the tensor's. */
export function inferKeepingDims(param: string, options: { none?: boolean } = {}): Infer {
  return (args, [input]) => {
    const problems: Problem[] = [];
    if (!input) return result(args, undefined);
    const dims = dimsArg(args, param, input.length, problems, options);
    return result(args, dims === undefined ? undefined : input, problems);
  };
}

// ---------------------------------------------------------------------------------------------
// cat, stack (TensorShape.cpp cat / stack)
// ---------------------------------------------------------------------------------------------

/**
 * `torch.cat(tensors, dim=0)`: the same rank (1-D empty tensors are skipped, as PyTorch's legacy rule does), the same
 * sizes except on `dim`, which is summed.
 */
export const inferCat: Infer = (args, inputs) => {
  const problems: Problem[] = [];
  const joined = inputs.map((s, i) => ({ shape: s, index: i })).filter(({ shape }) => !(shape && shape.length === 1 && shape[0] === 0));
  if (!inputs.length) return result(args, undefined, [{ id: "inputCount", values: { layer: args.layer, expected: "a non-empty list of tensors", got: "an empty list" } }]);
  const first = joined.find(({ shape }) => shape)?.shape;
  if (!first || joined.some(({ shape }) => !shape)) {
    if (first) dimArg(args, "dim", first.length, problems);
    return result(args, undefined, problems);
  }
  const at = dimArg(args, "dim", first.length, problems);
  if (at == null) return result(args, undefined, problems);
  if (!first.length) return result(args, undefined, [...problems, rankProblem(args.layer, first, "1 or more", "(zero-dimensional tensors cannot be concatenated)")]);
  const firstIndex = joined[0].index;
  for (const { shape, index } of joined.slice(1)) {
    const other = shape!;
    if (other.length !== first.length) {
      return result(args, undefined, [...problems, mismatch(args.layer, `tensors with the same number of dimensions (PyTorch: got ${first.length} and ${other.length})`, first, other, index)]);
    }
    const differs = other.findIndex((d, j) => j !== at && isKnown(d) && isKnown(first[j]) && d !== first[j]);
    if (differs >= 0) {
      return result(args, undefined, [...problems, { id: "torchCatSizes", input: index, values: { layer: args.layer, dim: at, expected: first[differs], got: other[differs], index: index - firstIndex } }]);
    }
  }
  const shapes = joined.map(({ shape }) => shape!);
  const sizes = shapes.map((s) => s[at]);
  const total = sizes.every(isKnown) ? (sizes as number[]).reduce((a, b) => a + b, 0) : openSize(sizes);
  const output = first.map((d, j) => (j === at ? total : isKnown(d) ? d : shapes.map((s) => s[j]).find(isKnown) ?? d));
  const formulas = isKnown(total) ? [{ label: `dim ${at}`, text: `${sizes.join(" + ")} = ${withThousands(total)}` }] : [];
  return result(args, output, problems, formulas);
};

/** `torch.stack(tensors, dim=0)`: equal shapes, a new dim of the number of tensors. */
export const inferStack: Infer = (args, inputs) => {
  const problems: Problem[] = [];
  if (!inputs.length) return result(args, undefined, [{ id: "inputCount", values: { layer: args.layer, expected: "a non-empty list of tensors", got: "an empty list" } }]);
  const first = inputs[0];
  if (!first) return result(args, undefined);
  const at = dimArg(args, "dim", first.length + 1, problems);
  if (at == null) return result(args, undefined, problems);
  for (let i = 1; i < inputs.length; i++) {
    const other = inputs[i];
    if (!other) return result(args, undefined, problems);
    if (other.length !== first.length || other.some((d, j) => isKnown(d) && isKnown(first[j]) && d !== first[j])) {
      return result(args, undefined, [...problems, mismatch(args.layer, `tensors of equal size (PyTorch: stack expects each tensor to be equal size, but got ${sizeList(first)} at entry 0 and ${sizeList(other)} at entry ${i})`, first, other, i)]);
    }
  }
  return result(args, [...first.slice(0, at), inputs.length, ...first.slice(at)], problems);
};

// ---------------------------------------------------------------------------------------------
// Broadcasting functions
// ---------------------------------------------------------------------------------------------

/** add, mul, where…: the tensors given (numbers are 0-dim) broadcast together. */
export const inferBroadcast: Infer = (args, inputs) => {
  const shapes = [...inputs];
  if (shapes.some((s) => !s)) return result(args, undefined);
  const { shape, problem } = broadcast(args.layer, shapes as Shape[]);
  return result(args, shape, problem ? [problem] : []);
};

/** An in-place operation (`add_`, `masked_fill_`): the others must broadcast to self's shape, which is kept. */
export const inferInPlace: Infer = (args, inputs) => {
  const self = inputs[0];
  const out = inferBroadcast(args, inputs);
  if (!self || !out.output || out.problems.length) return { ...out, output: out.problems.length ? undefined : self };
  if (out.output.length !== self.length || out.output.some((d, i) => isKnown(d) && isKnown(self[i]) && d !== self[i])) {
    return result(args, undefined, [mismatch(args.layer, `operands that broadcast to self's shape (PyTorch: output with shape ${sizeList(self)} doesn't match the broadcast shape ${sizeList(out.output)})`, self, out.output, 1)]);
  }
  return result(args, self);
};

/** `torch.where(condition)` alone: one 1-D tensor of indices per dim, of a length known only at run time. */
export const inferWhere: Infer = (args, inputs) => {
  const [condition, input, other] = inputs;
  if (input === undefined && other === undefined && inputs.length <= 1) {
    return condition ? several(args, condition.map(() => [UNKNOWN])) : result(args, undefined);
  }
  return inferBroadcast(args, inputs);
};

/** `*_like(input)`: a new tensor of the input's shape. */
export const inferLike: Infer = (args, [input]) => result(args, input);

/** `repeat_interleave(repeats, dim=None)`: each element repeated along `dim` (of the flattened tensor when None). */
export const inferRepeatInterleave: Infer = (args, [input]) => {
  const problems: Problem[] = [];
  const repeats = args.raw("repeats");
  if (!input || repeats === undefined) return result(args, undefined);
  if (!isInt(repeats)) return result(args, undefined);
  if (repeats < 0) return result(args, undefined, [invalid("repeats", "a count ≥ 0", repeats)]);
  const at = dimArg(args, "dim", input.length, problems, { none: true });
  if (at === undefined) return result(args, undefined, problems);
  if (at === null) {
    const count = numel(input);
    return result(args, [count === undefined ? openSize(input) : count * repeats], problems);
  }
  return result(args, input.map((d, i) => (i === at && isKnown(d) ? d * repeats : d)), problems);
};

/** `triu` / `tril`: the shape is kept; at least 2 dims ("triu: input tensor must have at least 2 dimensions"). */
export const inferTriangle: Infer = (args, [input]) => {
  if (input && input.length < 2) return result(args, undefined, [rankProblem(args.layer, input, "2 or more", "(the last two dims are the matrix)")]);
  return result(args, input);
};

/** `nonzero` / `argwhere`: one row of indices per nonzero element, a count known only at run time. */
export const inferNonzero: Infer = (args, [input]) => {
  const asTuple = args.raw("as_tuple") === true;
  if (!input) return result(args, undefined);
  return asTuple ? several(args, Array.from({ length: Math.max(input.length, 1) }, () => [UNKNOWN])) : result(args, [UNKNOWN, input.length]);
};
