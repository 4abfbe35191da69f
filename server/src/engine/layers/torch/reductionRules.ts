/**
 * PyTorch's reductions (sum, mean, max, argmax, topk…) and the functions applied along one dim (softmax, cumsum,
 * sort), shared by `torch.*` and the tensor methods. Shapes as aten/src/ATen/native/ReduceOpsUtils.h makes them: the
 * dims named (a dim, a tuple of them, or all when None) are removed, or kept as 1 with keepdim; a 0-dim tensor
 * reduces to a 0-dim tensor. `max(dim)`, `median(dim)`, `topk`, `sort`… return `(values, indices)`: the indices
 * are the call's second output.
 */
import { Dim, Shape, formatShape, isKnown } from "../../shape";
import { Problem } from "../../spec";
import { Args } from "../../args";
import { isSequence } from "../../values";
import { Infer, dimArg, dimsArg, invalid, result, several } from "./tensorShapes";

/** The input without the dims in `dims` (all when null), or with them as 1 when `keepdim`. */
function reduced(input: Shape, dims: readonly number[] | null, keepdim: boolean): Dim[] {
  if (!input.length) return [];
  const all = dims === null || !dims.length;
  return keepdim ? input.map((d, i) => (all || dims!.includes(i) ? 1 : d)) : input.filter((_, i) => !all && !dims!.includes(i));
}

function reducedText(input: Shape, dims: readonly number[] | null, output: Shape): { label: string; text: string }[] {
  const which = dims === null || !dims.length ? "every dim" : `dim ${dims.join(", ")}`;
  return [{ label: "reduced", text: `${which} of ${formatShape(input)}: ${formatShape(output)}` }];
}

/**
 * sum, mean, std, amax…: `dim` an int, a tuple of them, or None (every dim; for amax / amin and sum an empty tuple too).
 * With `single`, one int dim only (prod, logsumexp's PyTorch 1.x form is a tuple, prod's never is).
 */
export function inferReduce(options: { single?: boolean } = {}): Infer {
  return (args, [input]) => {
    const problems: Problem[] = [];
    const raw = args.raw("dim");
    const keepdim = args.bool("keepdim");
    if (!input || keepdim === undefined || raw === undefined) return result(args, undefined);
    if (options.single && isSequence(raw)) return result(args, undefined, [invalid("dim", "a single integer dim", raw)]);
    const dims = dimsArg(args, "dim", input.length, problems, { none: true });
    if (dims === undefined) return result(args, undefined, problems);
    const output = reduced(input, dims, keepdim);
    return result(args, output, problems, reducedText(input, dims, output));
  };
}

/**
 * max / min / median / nanmedian: without dim, the 0-dim value; with one, `(values, indices)` with the dim removed
 * (kept as 1 with keepdim).
 */
export const inferValuesIndices: Infer = (args, [input]) => {
  const problems: Problem[] = [];
  const raw = args.raw("dim");
  if (!input || raw === undefined) return result(args, undefined);
  if (raw === null) {
    if (args.given.has("keepdim")) return result(args, undefined, [invalid("dim", "a dim when keepdim is given", raw)]);
    return result(args, []);
  }
  return alongDimTuple(args, input, problems, "dim");
};

/** mode / kthvalue (dim=-1 by default): always `(values, indices)`. */
export const inferAlongDimTuple: Infer = (args, [input]) => (input ? alongDimTuple(args, input, [], "dim") : result(args, undefined));

function alongDimTuple(args: Args, input: Shape, problems: Problem[], name: string) {
  const at = dimArg(args, name, input.length, problems);
  const keepdim = args.bool("keepdim");
  if (at == null || keepdim === undefined) return result(args, undefined, problems);
  const output = reduced(input, [at], keepdim);
  return several(args, [output, output], problems, reducedText(input, [at], output));
}

/** argmax / argmin: the index along `dim`; without one, of the flattened tensor (a 0-dim tensor, or all 1s with keepdim). */
export const inferArgReduce: Infer = (args, [input]) => {
  const problems: Problem[] = [];
  const keepdim = args.bool("keepdim");
  if (!input || keepdim === undefined) return result(args, undefined);
  const at = dimArg(args, "dim", input.length, problems, { none: true });
  if (at === undefined) return result(args, undefined, problems);
  return result(args, reduced(input, at === null ? null : [at], keepdim), problems);
};

/** softmax, cumsum, argsort…: the shape is kept; `dim` must be one of the input's. */
export function inferAlongDim(name = "dim"): Infer {
  return (args, [input]) => {
    const problems: Problem[] = [];
    if (!input) return result(args, undefined);
    const at = dimArg(args, name, input.length, problems);
    return result(args, at == null ? undefined : input, problems);
  };
}

/** sort / cummax / cummin: `(values, indices)`, both of the input's shape. */
export const inferSortLike: Infer = (args, [input]) => {
  const problems: Problem[] = [];
  if (!input) return result(args, undefined);
  const at = dimArg(args, "dim", input.length, problems);
  return at == null ? result(args, undefined, problems) : several(args, [input, input], problems);
};

/** topk(k, dim=-1): `(values, indices)` with `k` along the dim, which must hold at least k. */
export const inferTopk: Infer = (args, [input]) => {
  const problems: Problem[] = [];
  const k = args.int("k", 0);
  if (!input || k === undefined) return result(args, undefined);
  const at = dimArg(args, "dim", input.length, problems);
  if (at == null) return result(args, undefined, problems);
  const n = input.length ? input[at] : 1;
  if (isKnown(n) && k > n) return result(args, undefined, [...problems, invalid("k", `at most the size of dim ${at} (${n}) (PyTorch: selected index k out of range)`, k)]);
  const output = input.map((d, i) => (i === at ? k : d));
  return several(args, [output, output], problems);
};

/** std_mean / var_mean: `(std, mean)`, both reduced alike. */
export const inferReducePair: Infer = (args, inputs) => {
  const single = inferReduce()(args, inputs);
  return single.output ? { ...single, extraOutputs: [single.output] } : single;
};
