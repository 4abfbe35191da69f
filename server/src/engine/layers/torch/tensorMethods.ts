/**
 * PyTorch's tensor methods, `torch.Tensor.<name>` with the tensor first as `self` (torch/_tensor_docs.py documents
 * them). Methods taking `*size` (`x.view(8, -1)`, `x.permute(0, 2, 1)`) take the sizes packed or as one tuple
 * (`MultiInput.varargs`). The element-wise methods and those spelt as a `torch.*` function with the same signature
 * (`x.add(y)`, `x.exp()`) are aliases of the function's spec in `tensorFunctions.ts`; in-place variants (`add_`,
 * `unsqueeze_`) keep self's shape, as PyTorch requires the result to fit it.
 */
import { CostRule, costing, dataMovementCost, elementwiseCost } from "../../cost";
import { isKnown } from "../../shape";
import { LayerSpec, ParamDecl, Problem } from "../../spec";
import {
  inferBroadcast,
  inferChunk,
  inferExpand,
  inferExpandAs,
  inferFlatten,
  inferInPlace,
  inferKeepingDims,
  inferMovedim,
  inferNarrow,
  inferPermute,
  inferRepeat,
  inferSplit,
  inferSqueeze,
  inferT,
  inferTranspose,
  inferUnbind,
  inferUnflatten,
  inferUnsqueeze,
  inferView,
  inferViewAs,
} from "./layoutRules";
import { inferBmm, inferDot, inferMatmul, inferMm, inferMv, inferOuter, productCost } from "./productRules";
import { BINARY, DIM_FUNCTIONS } from "./tensorFunctions";
import { Infer, TorchOpDef, invalid, result, sameShape, reduceCost, sizesArg, torchOp, words } from "./tensorShapes";

const param = (name: string, value?: ParamDecl["default"]): ParamDecl => (value === undefined ? { name } : { name, default: value });
const memoryFormat = param("memory_format", null);

/** A method of `self` alone; `aliases` are other method names of the same rule. */
function method(name: string, params: readonly ParamDecl[], infer: Infer, summary: string, options: { aliases?: readonly string[]; varargs?: string; other?: string; scalars?: boolean; cost?: CostRule } = {}): TorchOpDef {
  return {
    name: `torch.Tensor.${name}`,
    aliases: (options.aliases ?? []).map((a) => `torch.Tensor.${a}`),
    summary,
    tensors: options.other ? ["self", options.other] : ["self"],
    params,
    infer,
    ...(options.varargs ? { varargs: options.varargs } : {}),
    ...(options.scalars ? { scalars: true } : {}),
    ...(options.cost ? { cost: options.cost } : {}),
  };
}

/** `x.type(dtype)` casts; `x.type()` returns the type's name, a string. */
const inferType: Infer = (args, [input]) => (args.raw("dtype") === null ? result(args, undefined) : result(args, input));

/** `x.type_as(other)`: self cast to other's dtype, self's shape. */
const inferSelf: Infer = (args, [input]) => result(args, input);

/** `x.new_zeros(*size)`…: a new tensor of the sizes given. */
const inferNew: Infer = (args) => {
  const problems: Problem[] = [];
  const sizes = sizesArg(args, "size", problems);
  if (!sizes) return result(args, undefined, problems);
  if (sizes.some((d) => isKnown(d) && d < 0)) return result(args, undefined, [invalid("size", "sizes ≥ 0", { tuple: sizes })]);
  return result(args, sizes, problems);
};

const SAME = "The same tensor's data, converted or copied; the shape is unchanged.";
const CONVERSIONS = words("float double half bfloat16 long int short bool byte char cfloat cdouble");

const conversions: TorchOpDef[] = [
  ...CONVERSIONS.map((fn) => method(fn, [memoryFormat], sameShape, SAME)),
  method("contiguous", [memoryFormat], sameShape, SAME),
  method("clone", [memoryFormat], sameShape, SAME),
  method("detach", [], sameShape, SAME, { aliases: ["detach_"] }),
  method("cpu", [memoryFormat], sameShape, SAME),
  method("cuda", [param("device", null), param("non_blocking", false), memoryFormat], sameShape, SAME),
  method("to", [param("args", null), param("dtype", null), param("device", null), param("non_blocking", false), param("copy", false), memoryFormat], sameShape, SAME, { varargs: "args" }),
  method("type", [param("dtype", null), param("non_blocking", false)], inferType, "Cast to `dtype`; the shape is unchanged (without dtype, the type's name)."),
  method("type_as", [], inferSelf, "Cast to other's dtype; self's shape is unchanged.", { other: "other" }),
  method("requires_grad_", [param("requires_grad", true)], sameShape, SAME),
  method("pin_memory", [], sameShape, SAME),
  method("zero_", [], sameShape, "Filled in place; the shape is unchanged."),
  method("fill_", [param("value")], sameShape, "Filled in place; the shape is unchanged."),
  method("normal_", [param("mean", 0), param("std", 1), param("generator", null)], sameShape, "Filled in place; the shape is unchanged."),
  method("uniform_", [param("from", 0), param("to", 1), param("generator", null)], sameShape, "Filled in place; the shape is unchanged."),
];

const layout: TorchOpDef[] = [
  method("view", [param("size")], inferView("size"), "The same elements seen in `size` (one -1 inferred); the element count must agree.", { varargs: "size" }),
  method("reshape", [param("shape")], inferView("shape"), "The same elements in `shape` (one -1 inferred); the element count must agree.", { varargs: "shape" }),
  method("view_as", [], inferViewAs, "The same elements in other's shape.", { other: "other", aliases: ["reshape_as"] }),
  method("expand_as", [], inferExpandAs, "Expanded to other's shape (size-1 dims stretch).", { other: "other" }),
  method("flatten", [param("start_dim", 0), param("end_dim", -1)], inferFlatten, "Flattens dims `start_dim`…`end_dim` into one."),
  method("unflatten", [param("dim"), param("sizes")], inferUnflatten, "Splits dim `dim` into `sizes` (one -1 inferred)."),
  method("permute", [param("dims")], inferPermute("dims"), "Reorders the dims as `dims` lists them.", { varargs: "dims" }),
  method("transpose", [param("dim0"), param("dim1")], inferTranspose("dim0", "dim1"), "Swaps dims `dim0` and `dim1`.", { aliases: ["swapdims", "transpose_", "swapdims_"] }),
  method("swapaxes", [param("axis0"), param("axis1")], inferTranspose("axis0", "axis1"), "Swaps dims `axis0` and `axis1`.", { aliases: ["swapaxes_"] }),
  method("t", [], inferT, "Transposes a tensor of at most 2 dims.", { aliases: ["t_"] }),
  method("unsqueeze", [param("dim")], inferUnsqueeze, "Inserts a dim of size 1 at `dim`.", { aliases: ["unsqueeze_"] }),
  method("squeeze", [param("dim", null)], inferSqueeze, "Removes dims of size 1 (those in `dim`, or all).", { aliases: ["squeeze_"] }),
  method("movedim", [param("source"), param("destination")], inferMovedim, "Moves dims `source` to `destination`, the others keeping their order.", { aliases: ["moveaxis"] }),
  method("expand", [param("size")], inferExpand("size"), "Expands size-1 dims to `size` (-1 keeps a dim; new dims go in front).", { varargs: "size" }),
  method("repeat", [param("repeats")], inferRepeat("repeats", false), "Repeats the tensor along each dim (at least one count per dim).", { varargs: "repeats" }),
  method("tile", [param("dims")], inferRepeat("dims", true), "Repeats the tensor along each dim (`dims` padded with 1s in front).", { varargs: "dims" }),
  method("chunk", [param("chunks"), param("dim", 0)], inferChunk, "Splits into `chunks` pieces of ⌈n / chunks⌉ along `dim`, the last smaller."),
  method("split", [param("split_size"), param("dim", 0)], inferSplit("split_size"), "Splits along `dim` into pieces of one size (the last smaller) or of the sizes listed."),
  method("unbind", [param("dim", 0)], inferUnbind, "One tensor per index of `dim`, the dim removed."),
  method("narrow", [param("dim"), param("start"), param("length")], inferNarrow, "`length` elements of `dim` from `start`."),
  method("flip", [param("dims")], inferKeepingDims("dims"), "Reverses the order along `dims`; the shape is unchanged.", { varargs: "dims" }),
  method("roll", [param("shifts"), param("dims", null)], inferKeepingDims("dims", { none: true }), "Rolls the elements along `dims`; the shape is unchanged."),
  ...words("new_zeros new_ones new_empty").map((fn) => method(fn, [param("size"), param("dtype", null), param("device", null), param("requires_grad", false)], inferNew, "A new tensor of `size`, self's dtype and device.", { varargs: "size" })),
  method("new_full", [param("size"), param("fill_value"), param("dtype", null), param("device", null), param("requires_grad", false)], inferNew, "A new tensor of `size` filled with `fill_value`."),
];

const products: TorchOpDef[] = [
  method("matmul", [], inferMatmul, "Matrix product: 1-D operands promoted then dropped, the batch dims broadcast.", { other: "other", cost: productCost }),
  method("mm", [], inferMm, "Product of two matrices, (n, k) @ (k, m) → (n, m).", { other: "mat2", cost: productCost }),
  method("bmm", [], inferBmm, "Batched product, (b, n, k) @ (b, k, m) → (b, n, m).", { other: "mat2", cost: productCost }),
  method("mv", [], inferMv, "Matrix times vector, (n, k) @ (k,) → (n,).", { other: "vec" }),
  method("dot", [], inferDot, "Dot product of two vectors: a 0-dim tensor.", { other: "other" }),
  method("outer", [], inferOuter, "Outer product of two vectors, (n,) × (m,) → (n, m).", { other: "vec2", aliases: ["ger"] }),
];

const IN_PLACE = "In place: the other operand must broadcast to self's shape, which is kept.";

const elementwise: TorchOpDef[] = [
  ...BINARY.map(([fn, aliases, extra]) => method(`${fn}_`, extra, inferInPlace, IN_PLACE, { other: "other", scalars: true, aliases: aliases.map((a) => `${a}_`) })),
  method("pow_", [], inferInPlace, IN_PLACE, { other: "exponent", scalars: true }),
  method("masked_fill_", [param("value")], inferInPlace, IN_PLACE, { other: "mask" }),
  method("clamp_", [param("min", null), param("max", null)], sameShape, "Clamps values to [min, max] in place; the shape is unchanged.", { aliases: ["clip_"] }),
  {
    ...method("where", [], inferBroadcast, "self where `condition` holds, else `other`, the three broadcast together.", { scalars: true }),
    tensors: ["self", "condition", "other"],
  },
];

const reductions: TorchOpDef[] = DIM_FUNCTIONS.map((f) => method(f.fn, f.params, f.infer, f.summary));


export const torchTensorMethods: readonly LayerSpec[] = [
  ...costing(elementwiseCost, [...conversions, ...elementwise].map(torchOp)),
  ...costing(dataMovementCost, layout.map(torchOp)),
  ...costing(reduceCost, reductions.map(torchOp)),
  ...products.map(torchOp),
];
