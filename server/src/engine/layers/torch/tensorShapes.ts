/**
 * What PyTorch's functions and tensor methods share (`tensorFunctions.ts`, `tensorMethods.ts`, `functional.ts`):
 * op specs that own no weights and take no `**kwargs`, PyTorch's dim wrapping (`maybe_wrap_dim` in
 * c10/core/WrapDimMinimal.h: a 0-dim tensor takes 0 and −1), its broadcasting (`infer_size` in
 * aten/src/ATen/ExpandUtils.cpp) and the problems worded as PyTorch raises them. A size PyTorch would know at run
 * time but Layer Lens does not is `?`; `None` (which PyTorch never has) is read as unknown too.
 */
import { Args } from "../../args";
import { CostRule } from "../../cost";
import { Dim, Shape, UNKNOWN, formatShape, isKnown, openOf } from "../../shape";
import { LayerSpec, MultiInput, ParamDecl, Problem } from "../../spec";
import { isInt, isRef, isSequence, isUnresolved, items } from "../../values";
import { Infer, intsOf, invalid, result } from "../tensorFunctions";

export { type Infer, type Inputs, intsOf, invalid, mismatch, rankProblem, result, several } from "../tensorFunctions";

export interface TorchOpDef {
  readonly name: string;
  readonly aliases?: readonly string[];
  readonly summary: string;
  /** The tensor parameters in positional order, or "list" when the first argument is a sequence of tensors. */
  readonly tensors: readonly string[] | "list";
  /** Fewest tensors (the others optional: `bias=None`); all of them by default. */
  readonly min?: number;
  /** The other parameters, positional after the tensors, with PyTorch's defaults. */
  readonly params: readonly ParamDecl[];
  /** The parameter PyTorch's `*size` packs (`MultiInput.varargs`). */
  readonly varargs?: string;
  /** Positional options before the tensors (`MultiInput.leading`). */
  readonly leading?: number;
  /** Other spellings of keywords (`MultiInput.keywordAliases`); by default PyTorch's NumPy-compatible ones (`axis`, `keepdims`). */
  readonly keywordAliases?: Readonly<Record<string, string>>;
  /** True when a Python number may stand for a tensor (`MultiInput.scalars`). */
  readonly scalars?: boolean;
  readonly infer: Infer;
  readonly cost?: CostRule;
}

/** A PyTorch function or tensor method: its tensors and options in one call, no weights, no `**kwargs`. */
export function torchOp(def: TorchOpDef): LayerSpec {
  const list = def.tensors === "list";
  const tensors = list ? [] : (def.tensors as readonly string[]);
  const infer = (args: Args, inputs: readonly (Shape | undefined)[]) => def.infer(args, inputs);
  const multiInput: MultiInput = list
    ? { form: "list", min: 1, infer, ...keywordAliasesOf(def) }
    : { form: "op", tensors, min: def.min ?? tensors.length, max: tensors.length, infer, ...(def.varargs ? { varargs: def.varargs } : {}), ...(def.scalars ? { scalars: true } : {}), ...(def.leading ? { leading: def.leading } : {}), ...keywordAliasesOf(def) };
  return {
    name: def.name,
    ...(def.aliases?.length ? { aliases: def.aliases } : {}),
    summary: def.summary,
    params: def.params,
    closedKeywords: true,
    infer: (args) => result(args, undefined, [{ id: "inputCount", values: { layer: def.name, expected: list ? "a list of tensors" : `its tensors (${tensors.join(", ")})`, got: "a single tensor" } }]),
    multiInput,
    ...(def.cost ? { cost: def.cost } : {}),
  };
}

/**
 * PyTorch's argument parser takes `axis=` for `dim=` and `keepdims=` for `keepdim=` (`numpy_compatibility_arg_names` in
 * torch/csrc/utils/python_arg_parser.cpp) in the functions and methods it binds; torch.nn.functional's Python
 * functions do not (`keywordAliases: {}`).
 */
function keywordAliasesOf(def: TorchOpDef): { keywordAliases?: Readonly<Record<string, string>> } {
  const numpy = Object.entries(NUMPY_NAMES).filter(([, name]) => def.params.some((p) => p.name === name));
  // A list of tensors passed by keyword (`torch.cat(tensors=[a, b])`) is the list the analyzer reads as `inputs`.
  const list = def.tensors === "list" ? [["tensors", "inputs"]] : [];
  const aliases = def.keywordAliases ?? Object.fromEntries([...numpy, ...list]);
  return Object.keys(aliases).length ? { keywordAliases: aliases } : {};
}

const NUMPY_NAMES: Readonly<Record<string, string>> = { axis: "dim", keepdims: "keepdim" };

export const words = (text: string) => text.trim().split(/\s+/);

// ---------------------------------------------------------------------------------------------
// Dims
// ---------------------------------------------------------------------------------------------

/** `maybe_wrap_dim`: the index of `dim` in a rank-`rank` tensor (a 0-dim tensor counts as rank 1), or undefined. */
export function wrapDim(dim: number, rank: number): number | undefined {
  const r = Math.max(rank, 1);
  return dim >= -r && dim < r ? (dim < 0 ? dim + r : dim) : undefined;
}

/** PyTorch's IndexError for a dim outside [−rank, rank − 1] (a 0-dim tensor: [−1, 0]). */
export function dimProblem(layer: string, argument: string, dim: number, rank: number): Problem {
  const r = Math.max(rank, 1);
  return { id: "torchOpDimOutOfRange", argument, values: { layer, low: -r, high: r - 1, dim } };
}

/**
 * One dim argument (`dim`, `start_dim`…) of a rank-`rank` tensor, wrapped: the index, `null` for None (when
 * allowed), undefined when unknown or refused (refusals are in `problems`).
 */
export function dimArg(args: Args, name: string, rank: number, problems: Problem[], options: { none?: boolean } = {}): number | null | undefined {
  const v = args.raw(name);
  if (v === undefined) return undefined;
  if (v === null && options.none) return null;
  if (!isInt(v)) {
    problems.push(invalid(name, options.none ? "an integer dim or None" : "an integer dim", v));
    return undefined;
  }
  const at = wrapDim(v, rank);
  if (at === undefined) problems.push(dimProblem(args.layer, name, v, rank));
  return at;
}

/**
 * A dim, a tuple of dims, or None (when allowed), wrapped: the sorted distinct indices, `null` for None, undefined when
 * unknown or refused. A dim named twice is PyTorch's "dim 1 appears multiple times in the list of dims".
 */
export function dimsArg(args: Args, name: string, rank: number, problems: Problem[], options: { none?: boolean } = {}): number[] | null | undefined {
  const v = args.raw(name);
  if (v === undefined) return undefined;
  if (v === null && options.none) return null;
  const list = intsOf(args, name, v, options.none ? "an integer dim, a tuple of them or None" : "an integer dim or a tuple of them", problems);
  if (!list) return undefined;
  const wrapped: number[] = [];
  for (const d of list) {
    const at = wrapDim(d, rank);
    if (at === undefined) {
      problems.push(dimProblem(args.layer, name, d, rank));
      return undefined;
    }
    if (wrapped.includes(at)) {
      problems.push(invalid(name, `distinct dims (dim ${at} appears multiple times in the list of dims)`, v));
      return undefined;
    }
    wrapped.push(at);
  }
  return wrapped;
}

/**
 * Sizes (`view`, `expand`, `repeat`): an int or a sequence, each element an int or `?` when not a constant
 * (a tensor's size read at run time). Undefined when the argument is unknown or refused.
 */
export function sizesArg(args: Args, name: string, problems: Problem[]): (number | "?")[] | undefined {
  const v = args.raw(name);
  if (v === undefined) return undefined;
  if (isInt(v)) return [v];
  if (isSequence(v)) {
    const sizes = items(v).map((d) => (isInt(d) ? d : isUnresolved(d) || isRef(d, "tensor") ? UNKNOWN : undefined));
    if (sizes.every((d) => d !== undefined)) return sizes as (number | "?")[];
  }
  if (isRef(v, "tensor")) args.unresolved.set(name, "given as a tensor");
  else problems.push(invalid(name, "integer sizes", v));
  return undefined;
}

/** PyTorch's size list, `[8, 100]`. */
export function sizeList(dims: readonly (Dim | number)[]): string {
  return `[${dims.map((d) => (isKnown(d) ? d : "?")).join(", ")}]`;
}

/** The element count, or undefined when a size is not known. */
export function numel(shape: Shape): number | undefined {
  return shape.every(isKnown) ? (shape as number[]).reduce((a, b) => a * b, 1) : undefined;
}

/** A size PyTorch computes from sizes some of which Layer Lens does not know. */
export function openSize(dims: readonly Dim[]): Dim {
  const open = dims.filter((d) => !isKnown(d));
  return open.length ? openOf(...open) : UNKNOWN;
}

// ---------------------------------------------------------------------------------------------
// Broadcasting
// ---------------------------------------------------------------------------------------------

/**
 * `infer_size` over the shapes in order (a, then b…): aligned from the right, equal sizes or a 1 stretching; an open size
 * meeting n > 1 is n (the program only runs if they agree). The problem names the tensors as PyTorch does.
 */
export function broadcast(layer: string, shapes: readonly Shape[], blame: readonly number[] = shapes.map((_, i) => i)): { shape?: Dim[]; problem?: Problem } {
  let out: Dim[] = [];
  for (let s = 0; s < shapes.length; s++) {
    const a = out;
    const b = shapes[s];
    if (s === 0) {
      out = [...b];
      continue;
    }
    const n = Math.max(a.length, b.length);
    const next: Dim[] = [];
    for (let i = 0; i < n; i++) {
      const x = a[a.length - n + i] ?? 1;
      const y = b[b.length - n + i] ?? 1;
      if (x === 1) next.push(y);
      else if (y === 1 || x === y) next.push(x);
      else if (isKnown(x) && isKnown(y)) {
        return { problem: { id: "torchBroadcast", input: blame[s], values: { layer, a: x, b: y, dim: i, first: formatShape(a), second: formatShape(b) } } };
      } else next.push(isKnown(x) ? x : isKnown(y) ? y : openOf(x, y));
    }
    out = next;
  }
  return { shape: out };
}

/** Reductions compare or add element by element: not counted in MACs (`cost.ts`'s convention). */
export const reduceCost: CostRule = () => ({ macs: 0n, note: "reduces or compares element by element: not counted in MACs" });

/** Applied element by element on one tensor: the output has the input's shape. */
export const sameShape: Infer = (args, [input]) => result(args, input);
