/**
 * What PyTorch's modules check, in PyTorch's own words, shared by the module families: dimension indices
 * wrapped as `maybe_wrap_dim` (c10/core/WrapDimMinimal.h) does, errors raised with PyTorch's message, sizes
 * printed as PyTorch prints them (`[2, 9, 4, 4]`), and the shape-preserving result of an element-wise module.
 */
import { Args } from "../../args";
import { Dim, Shape, formatShape, isKnown } from "../../shape";
import { LayerResult, Problem } from "../../spec";
import { pyRepr } from "../../values";

/** A tensor's sizes as PyTorch's messages print them: `[2, 9, 4, 4]` (an unknown one as `?`). */
export function sizesText(shape: Shape): string {
  return `[${shape.map((d) => (isKnown(d) ? d : "?")).join(", ")}]`;
}

/** The 0-D-aware rank PyTorch wraps a dimension against: a scalar counts as 1-D. */
function wrapRank(rank: number): number {
  return Math.max(rank, 1);
}

/**
 * `dim` as an index into `input` (negative counts from the end), or PyTorch's IndexError
 * ('Dimension out of range…') blamed on `argument`.
 */
export function wrapDim(layer: string, argument: string, dim: number, input: Shape): number | Problem {
  const rank = wrapRank(input.length);
  if (dim < -rank || dim >= rank) {
    return {
      id: "torchDimOutOfRange",
      argument,
      values: { layer, argument, low: -rank, high: rank - 1, dim, shape: formatShape(input) },
    };
  }
  return dim < 0 ? dim + rank : dim;
}

/** An error PyTorch raises, with its message and exception type, blamed on `argument` when one is at fault. */
export function raises(layer: string, error: string, message: string, argument?: string, actual?: number): Problem {
  return {
    id: "torchRefuses",
    ...(argument ? { argument } : {}),
    values: { layer, error, detail: message, ...(actual !== undefined ? { actual } : {}) },
  };
}

/** An input of a rank the module refuses, with PyTorch's message. */
export function rankRefused(layer: string, input: Shape, message: string): Problem {
  return { id: "torchInputRank", values: { layer, shape: formatShape(input), message } };
}

/** `expected 4D input (got 3D input)` / `expected 2D or 3D input (got 4D input)`: the norms' `_check_input_dim`. */
export function expectedRanks(ranks: readonly number[], got: number): string {
  return `expected ${ranks.map((r) => `${r}D`).join(" or ")} input (got ${got}D input)`;
}

/** A size or count PyTorch takes as a tensor dimension: an int ≥ 0 (a negative one fails to create the tensor). */
export function size(args: Args, name: string): number | undefined {
  return args.int(name, 0);
}

/** `dropout`'s and the modules' probability: a number in [0, 1], else PyTorch's ValueError on `p`. */
export function probability(args: Args, layer: string, problems: Problem[]): void {
  const p = args.raw("p");
  if (p === undefined) return;
  const value = args.float("p");
  if (value !== undefined && (value < 0 || value > 1)) {
    problems.push(raises(layer, "ValueError", `dropout probability has to be between 0 and 1, but got ${pyRepr(p)}`, "p"));
  }
}

/** The result of a module that keeps its input's shape and has no weights. */
export function sameShape(args: Args, input: Shape | undefined, problems: readonly Problem[] = []): LayerResult {
  return { output: input, weights: [], formulas: [], problems: [...args.problems, ...problems] };
}

/** A known dimension, or undefined for `None` / `?`. */
export function known(d: Dim | undefined): number | undefined {
  return d !== undefined && isKnown(d) ? d : undefined;
}
