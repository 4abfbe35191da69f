/**
 * PyTorch's functions on tensors, `torch.*` (torch/_torch_docs.py documents their signatures; the shape rules are in
 * `layoutRules.ts`, `reductionRules.ts` and `productRules.ts`). The element-wise ones of one tensor are registered
 * once, with the tensor methods of the same name (`torch.Tensor.exp`, and the in-place `torch.Tensor.exp_`) as
 * aliases; the other methods are in `tensorMethods.ts`. No weights: a tensor passed in is the user's.
 */
import { costing, dataMovementCost, elementwiseCost } from "../../cost";
import { LayerSpec, ParamDecl } from "../../spec";
import {
  inferBroadcast,
  inferCat,
  inferChunk,
  inferExpand,
  inferFlatten,
  inferKeepingDims,
  inferLike,
  inferMovedim,
  inferNarrow,
  inferNonzero,
  inferPermute,
  inferRepeat,
  inferRepeatInterleave,
  inferSplit,
  inferSqueeze,
  inferStack,
  inferT,
  inferTranspose,
  inferTriangle,
  inferUnbind,
  inferUnflatten,
  inferUnsqueeze,
  inferView,
  inferWhere,
} from "./layoutRules";
import {
  inferAlongDim,
  inferAlongDimTuple,
  inferArgReduce,
  inferReduce,
  inferReducePair,
  inferSortLike,
  inferTopk,
  inferValuesIndices,
} from "./reductionRules";
import { inferBmm, inferCdist, inferDot, inferEinsum, inferMatmul, inferMm, inferMv, inferOuter, productCost } from "./productRules";
import { Infer, TorchOpDef, reduceCost, sameShape, torchOp, words } from "./tensorShapes";

const param = (name: string, value?: ParamDecl["default"]): ParamDecl => (value === undefined ? { name } : { name, default: value });
const out = param("out", null);
const dtype = param("dtype", null);
const keepdim = param("keepdim", false);
const dimNone = param("dim", null);

/** Reductions and functions along a dim; each is also a method (`x.sum(1)`), registered in `tensorMethods.ts`. */
export interface DimFunction {
  readonly fn: string;
  /** The parameters after the tensor. */
  readonly params: readonly ParamDecl[];
  readonly infer: Infer;
  readonly summary: string;
}

const REDUCE = "Reduces over `dim` (every dim when None); keepdim leaves them as 1.";
const VALUES_INDICES = "Without dim, the value over every element; with one, `(values, indices)` along it.";

export const DIM_FUNCTIONS: readonly DimFunction[] = [
  ...words("sum nansum mean nanmean").map((fn) => ({ fn, params: [dimNone, keepdim, dtype], infer: inferReduce(), summary: REDUCE })),
  { fn: "prod", params: [dimNone, keepdim, dtype], infer: inferReduce({ single: true }), summary: "Product over `dim` (every element when None); keepdim leaves it as 1." },
  ...words("std var").map((fn) => ({ fn, params: [dimNone, param("unbiased", true), keepdim, param("correction", null)], infer: inferReduce(), summary: REDUCE })),
  { fn: "logsumexp", params: [param("dim"), keepdim], infer: inferReduce(), summary: "log(Σ exp) over `dim`; keepdim leaves it as 1." },
  ...words("amax amin").map((fn) => ({ fn, params: [param("dim", { tuple: [] }), keepdim], infer: inferReduce(), summary: `The ${fn === "amax" ? "largest" : "smallest"} value over \`dim\` (every dim by default).` })),
  ...words("all any").map((fn) => ({ fn, params: [dimNone, keepdim], infer: inferReduce(), summary: REDUCE })),
  { fn: "norm", params: [param("p", "fro"), dimNone, keepdim, dtype], infer: inferReduce(), summary: "The p-norm over `dim` (every element when None)." },
  ...words("max min median nanmedian").map((fn) => ({ fn, params: [dimNone, keepdim], infer: inferValuesIndices, summary: VALUES_INDICES })),
  { fn: "mode", params: [param("dim", -1), keepdim], infer: inferAlongDimTuple, summary: "`(values, indices)` of the most frequent value along `dim`." },
  { fn: "kthvalue", params: [param("k"), param("dim", -1), keepdim], infer: inferAlongDimTuple, summary: "`(values, indices)` of the k-th smallest value along `dim`." },
  ...words("argmax argmin").map((fn) => ({ fn, params: [dimNone, keepdim], infer: inferArgReduce, summary: `Index of the ${fn === "argmax" ? "largest" : "smallest"} value along \`dim\` (of the flattened tensor when None).` })),
  { fn: "topk", params: [param("k"), param("dim", -1), param("largest", true), param("sorted", true)], infer: inferTopk, summary: "`(values, indices)` of the k largest (or smallest) values along `dim`." },
  { fn: "sort", params: [param("dim", -1), param("descending", false), param("stable", false)], infer: inferSortLike, summary: "`(values, indices)` sorted along `dim`." },
  { fn: "argsort", params: [param("dim", -1), param("descending", false), param("stable", false)], infer: inferAlongDim(), summary: "Indices that sort along `dim`; the shape is unchanged." },
  ...words("cumsum cumprod").map((fn) => ({ fn, params: [param("dim"), dtype], infer: inferAlongDim(), summary: "Running total along `dim`; the shape is unchanged." })),
  ...words("cummax cummin").map((fn) => ({ fn, params: [param("dim")], infer: inferSortLike, summary: "`(values, indices)` of the running extreme along `dim`." })),
  { fn: "logcumsumexp", params: [param("dim")], infer: inferAlongDim(), summary: "Running log(Σ exp) along `dim`; the shape is unchanged." },
  ...words("softmax log_softmax").map((fn) => ({ fn, params: [param("dim"), dtype], infer: inferAlongDim(), summary: `${fn === "softmax" ? "Softmax" : "Log-softmax"} along \`dim\`; the shape is unchanged.` })),
];

/** `torch.std_mean` / `torch.var_mean`: functions only. */
const PAIRS = words("std_mean var_mean");

/** Element-wise functions of one tensor, also tensor methods, and in place as `torch.Tensor.<name>_` when marked `_`. */
const UNARY = words(`
  abs_ absolute_ acos_ arccos_ acosh_ arccosh_ asin_ arcsin_ asinh_ arcsinh_ atan_ arctan_ atanh_ arctanh_ ceil_ cos_
  cosh_ deg2rad_ digamma_ erf_ erfc_ erfinv_ exp_ exp2_ expm1_ fix_ floor_ frac_ lgamma_ log_ log10_ log1p_ log2_ neg_
  negative_ rad2deg_ reciprocal_ round_ rsqrt_ sign_ sgn_ sin_ sinc_ sinh_ sqrt_ square_ tan_ trunc_ relu_ sigmoid_
  tanh_ logical_not_ bitwise_not_ nan_to_num_ i0_ angle conj isnan isinf isfinite isposinf isneginf isreal signbit
  positive`);

/** The torch.nn.functional spellings of the same functions (identical signatures). */
const FUNCTIONAL_TWINS = new Set(["sigmoid", "tanh"]);

function unary(entry: string): LayerSpec {
  const inPlace = entry.endsWith("_");
  const fn = inPlace ? entry.slice(0, -1) : entry;
  const aliases = [`torch.Tensor.${fn}`, ...(inPlace ? [`torch.Tensor.${fn}_`] : []), ...(FUNCTIONAL_TWINS.has(fn) ? [`torch.nn.functional.${fn}`] : [])];
  return torchOp({ name: `torch.${fn}`, aliases, summary: "Applied element by element: the output has the input's shape.", tensors: ["input"], params: [out], infer: sameShape });
}

/** Two operands broadcast together (a Python number is a 0-dim tensor), with their aliases. */
export const BINARY: readonly [string, readonly string[], readonly ParamDecl[]][] = [
  ["add", [], [param("alpha", 1)]],
  ["sub", ["subtract"], [param("alpha", 1)]],
  ["mul", ["multiply"], []],
  ["div", ["divide"], [param("rounding_mode", null)]],
  ...words("true_divide floor_divide remainder fmod maximum minimum fmax fmin hypot logical_and logical_or logical_xor bitwise_and bitwise_or bitwise_xor").map((fn): [string, string[], ParamDecl[]] => [fn, [], []]),
  ["atan2", ["arctan2"], []],
  ["eq", [], []],
  ["ne", ["not_equal"], []],
  ["lt", ["less"], []],
  ["le", ["less_equal"], []],
  ["gt", ["greater"], []],
  ["ge", ["greater_equal"], []],
];

function binary([fn, aliases, extra]: readonly [string, readonly string[], readonly ParamDecl[]]): LayerSpec {
  const names = [...aliases.map((a) => `torch.${a}`), ...[fn, ...aliases].map((a) => `torch.Tensor.${a}`)];
  return torchOp({ name: `torch.${fn}`, aliases: names, summary: "Element by element on operands that broadcast (sizes equal or 1, aligned from the last dim).", tensors: ["input", "other"], scalars: true, params: [...extra, out], infer: inferBroadcast });
}

const layout: TorchOpDef[] = [
  { name: "torch.reshape", summary: "The same elements in `shape` (one -1 inferred); the element count must agree.", tensors: ["input"], params: [param("shape")], infer: inferView("shape") },
  { name: "torch.flatten", summary: "Flattens dims `start_dim`…`end_dim` into one.", tensors: ["input"], params: [param("start_dim", 0), param("end_dim", -1)], infer: inferFlatten },
  { name: "torch.unflatten", summary: "Splits dim `dim` into `sizes` (one -1 inferred).", tensors: ["input"], params: [param("dim"), param("sizes")], infer: inferUnflatten },
  { name: "torch.permute", summary: "Reorders the dims as `dims` lists them.", tensors: ["input"], params: [param("dims")], infer: inferPermute("dims") },
  { name: "torch.transpose", aliases: ["torch.swapdims"], summary: "Swaps dims `dim0` and `dim1`.", tensors: ["input"], params: [param("dim0"), param("dim1")], infer: inferTranspose("dim0", "dim1") },
  { name: "torch.swapaxes", summary: "Swaps dims `axis0` and `axis1`.", tensors: ["input"], params: [param("axis0"), param("axis1")], infer: inferTranspose("axis0", "axis1") },
  { name: "torch.t", summary: "Transposes a tensor of at most 2 dims.", tensors: ["input"], params: [], infer: inferT },
  { name: "torch.squeeze", summary: "Removes dims of size 1 (those in `dim`, or all).", tensors: ["input"], params: [dimNone], infer: inferSqueeze },
  { name: "torch.unsqueeze", summary: "Inserts a dim of size 1 at `dim`.", tensors: ["input"], params: [param("dim")], infer: inferUnsqueeze },
  { name: "torch.movedim", aliases: ["torch.moveaxis"], summary: "Moves dims `source` to `destination`, the others keeping their order.", tensors: ["input"], params: [param("source"), param("destination")], infer: inferMovedim },
  { name: "torch.tile", summary: "Repeats the tensor along each dim (`dims` padded with 1s in front).", tensors: ["input"], params: [param("dims")], infer: inferRepeat("dims", true) },
  { name: "torch.broadcast_to", summary: "Expands to `size` (-1 keeps a dim).", tensors: ["input"], params: [param("size")], infer: inferExpand("size") },
  { name: "torch.chunk", summary: "Splits into `chunks` pieces of ⌈n / chunks⌉ along `dim`, the last smaller.", tensors: ["input"], params: [param("chunks"), param("dim", 0)], infer: inferChunk },
  { name: "torch.split", summary: "Splits along `dim` into pieces of one size (the last smaller) or of the sizes listed.", tensors: ["tensor"], params: [param("split_size_or_sections"), param("dim", 0)], infer: inferSplit("split_size_or_sections") },
  { name: "torch.unbind", summary: "One tensor per index of `dim`, the dim removed.", tensors: ["input"], params: [param("dim", 0)], infer: inferUnbind },
  { name: "torch.narrow", summary: "`length` elements of `dim` from `start`.", tensors: ["input"], params: [param("dim"), param("start"), param("length")], infer: inferNarrow },
  { name: "torch.flip", summary: "Reverses the order along `dims`; the shape is unchanged.", tensors: ["input"], params: [param("dims")], infer: inferKeepingDims("dims") },
  { name: "torch.roll", summary: "Rolls the elements along `dims` (of the flattened tensor when None); the shape is unchanged.", tensors: ["input"], params: [param("shifts"), param("dims", null)], infer: inferKeepingDims("dims", { none: true }) },
  { name: "torch.repeat_interleave", aliases: ["torch.Tensor.repeat_interleave"], summary: "Repeats each element `repeats` times along `dim` (of the flattened tensor when None).", tensors: ["input"], params: [param("repeats"), dimNone, param("output_size", null)], infer: inferRepeatInterleave },
  ...words("triu tril").map((fn) => ({ name: `torch.${fn}`, aliases: [`torch.Tensor.${fn}`, `torch.Tensor.${fn}_`], summary: "Keeps one triangle of the last two dims; the shape is unchanged.", tensors: ["input"], params: [param("diagonal", 0), out], infer: inferTriangle })),
  { name: "torch.nonzero", aliases: ["torch.Tensor.nonzero"], summary: "The indices of the nonzero elements: (count, rank), the count known only at run time.", tensors: ["input"], params: [out, param("as_tuple", false)], infer: inferNonzero },
  { name: "torch.argwhere", aliases: ["torch.Tensor.argwhere"], summary: "The indices of the nonzero elements: (count, rank), the count known only at run time.", tensors: ["input"], params: [], infer: inferNonzero },
  { name: "torch.cat", aliases: ["torch.concat", "torch.concatenate"], summary: "Joins tensors along an existing `dim`; the other sizes must match.", tensors: "list", params: [param("dim", 0), out], infer: inferCat },
  { name: "torch.stack", summary: "Joins tensors of one shape along a new `dim`.", tensors: "list", params: [param("dim", 0), out], infer: inferStack },
];

const broadcasting: TorchOpDef[] = [
  { name: "torch.where", summary: "`input` where `condition` holds, else `other`, the three broadcast together; with `condition` alone, the indices where it holds.", tensors: ["condition", "input", "other"], min: 1, scalars: true, params: [], infer: inferWhere },
  { name: "torch.masked_fill", aliases: ["torch.Tensor.masked_fill"], summary: "`value` where `mask` holds; the mask broadcasts with the input.", tensors: ["input", "mask"], params: [param("value")], infer: inferBroadcast },
  { name: "torch.pow", aliases: ["torch.Tensor.pow"], summary: "`input` to the power `exponent`, broadcast.", tensors: ["input", "exponent"], scalars: true, params: [out], infer: inferBroadcast },
  { name: "torch.clamp", aliases: ["torch.clip", "torch.Tensor.clamp", "torch.Tensor.clip"], summary: "Clamps values to [min, max]; the shape is unchanged.", tensors: ["input"], params: [param("min", null), param("max", null), out], infer: sameShape },
];

const LIKE = "A new tensor of the input's shape.";
const likes: TorchOpDef[] = [
  ...words("zeros_like ones_like empty_like rand_like randn_like").map((fn) => ({ name: `torch.${fn}`, summary: LIKE, tensors: ["input"], params: [dtype, param("layout", null), param("device", null), param("requires_grad", false), param("memory_format", null)], infer: inferLike })),
  { name: "torch.full_like", summary: LIKE, tensors: ["input"], params: [param("fill_value"), dtype, param("layout", null), param("device", null), param("requires_grad", false), param("memory_format", null)], infer: inferLike },
  { name: "torch.clone", summary: "A copy; the shape is unchanged.", tensors: ["input"], params: [param("memory_format", null)], infer: sameShape },
  { name: "torch.detach", summary: "The same data without gradient; the shape is unchanged.", tensors: ["input"], params: [], infer: sameShape },
];

const products: TorchOpDef[] = [
  { name: "torch.matmul", summary: "Matrix product: 1-D operands promoted then dropped, the batch dims broadcast.", tensors: ["input", "other"], params: [out], infer: inferMatmul, cost: productCost },
  { name: "torch.mm", summary: "Product of two matrices, (n, k) @ (k, m) → (n, m).", tensors: ["input", "mat2"], params: [out], infer: inferMm, cost: productCost },
  { name: "torch.bmm", summary: "Batched product, (b, n, k) @ (b, k, m) → (b, n, m).", tensors: ["input", "mat2"], params: [out], infer: inferBmm, cost: productCost },
  { name: "torch.mv", summary: "Matrix times vector, (n, k) @ (k,) → (n,).", tensors: ["input", "vec"], params: [out], infer: inferMv },
  { name: "torch.dot", summary: "Dot product of two vectors: a 0-dim tensor.", tensors: ["input", "other"], params: [out], infer: inferDot },
  { name: "torch.outer", aliases: ["torch.ger"], summary: "Outer product of two vectors, (n,) × (m,) → (n, m).", tensors: ["input", "vec2"], params: [out], infer: inferOuter },
  { name: "torch.cdist", summary: "Pairwise p-norm distances, (…, P, M) and (…, R, M) → (…, P, R).", tensors: ["x1", "x2"], params: [param("p", 2.0), param("compute_mode", "use_mm_for_euclid_dist_if_necessary")], infer: inferCdist },
];

/** Up to this many einsum operands are followed. */
const EINSUM_OPERANDS = 8;

const einsum: TorchOpDef = {
  name: "torch.einsum",
  summary: "Sums products over the subscripts the equation names (Einstein notation).",
  tensors: Array.from({ length: EINSUM_OPERANDS }, (_, i) => `operand${i}`),
  min: 1,
  leading: 1,
  params: [param("equation")],
  infer: inferEinsum,
};

const dimFunctions: TorchOpDef[] = [
  ...DIM_FUNCTIONS.map((f) => ({ name: `torch.${f.fn}`, summary: f.summary, tensors: ["input"], params: f.params, infer: f.infer })),
  ...PAIRS.map((fn) => ({ name: `torch.${fn}`, summary: "`(std or var, mean)` over `dim` (every dim when None).", tensors: ["input"], params: [dimNone, param("unbiased", true), keepdim, param("correction", null)], infer: inferReducePair })),
];


export const torchFunctions: readonly LayerSpec[] = [
  ...costing(elementwiseCost, [...UNARY.map(unary), ...BINARY.map(binary), ...[...broadcasting, ...likes].map(torchOp)]),
  ...costing(dataMovementCost, layout.map(torchOp)),
  ...costing(reduceCost, dimFunctions.map(torchOp)),
  ...[...products, einsum].map(torchOp),
];
