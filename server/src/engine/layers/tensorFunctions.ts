/**
 * What the tensor-function specs share (`elementwise.ts`, `tensorops.ts`): functions, not layers, called with
 * the tensor first and then the options (`MultiInput` form "op"), or a list of tensors first (form "list");
 * they own no weights. Their results, problems and the reading of int and axis arguments.
 */
import { Args } from "../args";
import { Dim, Shape, formatShape, isKnown, openOf } from "../shape";
import { Formula, LayerResult, LayerSpec, MultiInput, ParamDecl, Problem } from "../spec";
import { withThousands } from "../format";
import { PyValue, isInt, isRef, isSequence, isUnresolved, items, pyRepr } from "../values";

export type Inputs = readonly (Shape | undefined)[];

export type Infer = (args: Args, inputs: Inputs) => LayerResult;

/** More outputs than this (`unstack` of a long axis) are not listed: later ones are unknown. */
export const MAX_OUTPUTS = 1024;

export function result(args: Args, output: Shape | undefined, problems: Problem[] = [], formulas: Formula[] = [], extraOutputs?: (Shape | undefined)[]): LayerResult {
  return { output, weights: [], formulas, problems: [...args.problems, ...problems], ...(extraOutputs ? { extraOutputs } : {}) };
}

/** Several outputs: the first is the call's value, the others its `extraOutputs`. */
export function several(args: Args, outputs: (Shape | undefined)[], problems: Problem[] = [], formulas: Formula[] = []): LayerResult {
  return result(args, outputs[0], problems, formulas, outputs.slice(1, MAX_OUTPUTS));
}

export function invalid(argument: string, expected: string, value: PyValue): Problem {
  return { id: "invalidArgument", argument, values: { argument, expected, value: pyRepr(value) } };
}

export function rankProblem(op: string, shape: Shape, expected: string, example: string, input = 0): Problem {
  return { id: "wrongRank", input, values: { layer: op, expected, example, shape: formatShape(shape), rank: shape.length } };
}

export function mismatch(op: string, requirement: string, first: Shape, second: Shape, input: number): Problem {
  return { id: "incompatibleShapes", input, values: { layer: op, requirement, first: formatShape(first), second: formatShape(second) } };
}

/** `axis` in [lo, hi], negative values counting from `rank`: the index, or undefined when out of range. */
export function normalize(axis: number, rank: number): number | undefined {
  return axis >= -rank && axis < rank ? (axis < 0 ? axis + rank : axis) : undefined;
}

export function axisRange(argument: string, value: PyValue, rank: number, shape: Shape, extra = 0): Problem {
  const n = rank + extra;
  const what = extra ? `a position among the ${n} axes of the result` : `an axis of the rank-${rank} input ${formatShape(shape)}`;
  return invalid(argument, `${what}, from ${-n} to ${n - 1}`, value);
}

export function product(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

/** `28·28 = 784`, or just `784` for one factor. */
export function factors(dims: readonly number[]): string {
  return dims.length > 1 ? `${dims.join("·")} = ${withThousands(product(dims))}` : withThousands(product(dims));
}

export function sumDims(dims: readonly Dim[]): Dim {
  const open = dims.filter((d) => !isKnown(d));
  return open.length ? openOf(...open) : (dims as number[]).reduce((a, b) => a + b, 0);
}

/**
 * An int, or a list/tuple of ints: the ints, `null` for None (when allowed), undefined when unknown or
 * invalid (an invalid value is reported). A list with an element Layer Lens cannot resolve is unknown.
 */
export function intsArg(args: Args, name: string, expected: string, options: { none?: boolean; single?: boolean } = {}): number[] | null | undefined {
  const v = args.raw(name);
  if (v === undefined) return undefined;
  if (v === null && options.none) return null;
  return intsOf(args, name, v, expected, args.problems, options.single !== false);
}

/**
 * `intsArg` on a value already read: the ints of an int (when `single`) or a list/tuple of them; undefined when
 * unknown (noted in `args.unresolved`) or invalid (reported in `problems`).
 */
export function intsOf(args: Args, name: string, v: PyValue, expected: string, problems: Problem[], single = true): number[] | undefined {
  if (isInt(v) && single) return [v];
  if (isRef(v, "tensor")) {
    args.unresolved.set(name, "given as a tensor");
    return undefined;
  }
  if (isSequence(v)) {
    const list = items(v);
    if (list.some(isUnresolved)) {
      args.unresolved.set(name, "an element of it is not a constant");
      return undefined;
    }
    if (list.every(isInt)) return list as number[];
  }
  problems.push(invalid(name, expected, v));
  return undefined;
}

/** A single int axis (or None when allowed, answered `null`). */
export function axisArg(args: Args, name: string, options: { none?: boolean } = {}): number | null | undefined {
  const v = args.raw(name);
  if (v === undefined) return undefined;
  if (v === null && options.none) return null;
  if (isInt(v)) return v;
  args.problems.push(invalid(name, options.none ? "an integer axis or None" : "an integer axis", v));
  return undefined;
}

export interface OpDef {
  readonly name: string;
  readonly aliases?: readonly string[];
  readonly summary: string;
  /** The tensor parameters in positional order, or "list" when the first argument is a list of tensors. */
  readonly tensors: readonly string[] | "list";
  /** The other parameters, positional after the tensors. */
  readonly params: readonly ParamDecl[];
  readonly infer: Infer;
}

export function op(def: OpDef): LayerSpec {
  const list = def.tensors === "list";
  const tensors = list ? [] : (def.tensors as readonly string[]);
  const multiInput: MultiInput = list
    ? { form: "list", min: 1, infer: (args, inputs) => def.infer(args, inputs) }
    : { form: "op", tensors, min: tensors.length, max: tensors.length, infer: (args, inputs) => def.infer(args, inputs) };
  return {
    name: def.name,
    aliases: def.aliases,
    summary: def.summary,
    params: def.params,
    infer: (args) => result(args, undefined, [{ id: "inputCount", values: { layer: def.name, expected: list ? "a list of tensors" : `its tensor (${tensors.join(", ")})`, got: "a single tensor" } }]),
    multiInput,
  };
}


export const name: ParamDecl = { name: "name", default: null };

export const words = (text: string) => text.trim().split(/\s+/);

/** `keras.ops.<name>` is also exported as `keras.ops.numpy.<name>`, or `keras.ops.nn.<name>`. */
export const numpyAliases = (fn: string) => [`keras.ops.numpy.${fn}`];
export const nnAliases = (fn: string) => [`keras.ops.nn.${fn}`];
