/**
 * PyTorch's linear modules (torch/nn/modules/linear.py): Linear, LazyLinear, Bilinear and Identity; and its
 * shape modules Flatten and Unflatten (torch/nn/modules/flatten.py).
 *
 * Linear maps the last dimension, (*, in_features) → (*, out_features), with a weight (out_features, in_features)
 * and a bias (out_features,), built in `__init__` from the arguments alone. Bilinear takes two tensors
 * (*, in1) and (*, in2) to (*, out) with a weight (out, in1, in2) and a bias (out,).
 */
import { Args } from "../../args";
import { CostRule, dataMovementCost, factor, product, weightFactor } from "../../cost";
import { withThousands } from "../../format";
import { weight } from "../../math";
import { Dim, Shape, UNKNOWN, formatShape, isKnown } from "../../shape";
import { Formula, LayerResult, LayerSpec, ParamDecl, Problem, Weight } from "../../spec";
import { PyValue, isInt, isSequence, isUnresolved, items, numeric, pyRepr } from "../../values";
import { known, raises, rankRefused, sameShape, size, sizesText, wrapDim } from "./moduleChecks";

const factoryParams: ParamDecl[] = [
  { name: "device", default: null },
  { name: "dtype", default: null },
];

/** weight (out, in) and, with `bias`, bias (out,); the bias unknown when `bias` is. */
function linearWeights(inFeatures: number | undefined, outFeatures: number | undefined, bias: boolean | undefined): Weight[] {
  const weights = [weight("weight", [outFeatures, inFeatures])];
  if (bias !== false) weights.push(bias === undefined ? { name: "bias", trainable: true } : weight("bias", [outFeatures]));
  return weights;
}

/** `out·in + out = n`, PyTorch's weight then its bias. */
function linearFormula(inFeatures: number | undefined, outFeatures: number | undefined, bias: boolean | undefined): Formula[] {
  if (inFeatures === undefined || outFeatures === undefined || bias === undefined) return [];
  const total = BigInt(outFeatures) * BigInt(inFeatures) + (bias ? BigInt(outFeatures) : 0n);
  return [{ label: "params", text: `${outFeatures}·${inFeatures}${bias ? ` + ${outFeatures}` : ""} = ${withThousands(total)}` }];
}

/**
 * Linear's forward (`F.linear`, a matmul against the transposed weight): the input's last dimension must be
 * in_features, else 'mat1 and mat2 shapes cannot be multiplied', mat1 being the input flattened to
 * (product of the leading dimensions) × last; a 0-D input is refused by matmul.
 */
function linearForward(layer: string, input: Shape, inFeatures: number | undefined, outFeatures: number | undefined): { output?: Shape; problems: Problem[] } {
  if (input.length === 0) return { problems: [rankRefused(layer, input, "both arguments to matmul need to be at least 1D, but they are 0D and 2D")] };
  const problems: Problem[] = [];
  const last = input[input.length - 1];
  const output: Dim[] = [...input.slice(0, -1), outFeatures ?? UNKNOWN];
  if (isKnown(last) && inFeatures !== undefined && last !== inFeatures) {
    const rows = factor(input.slice(0, -1));
    problems.push({
      id: "torchMatmulShapes",
      argument: "in_features",
      values: {
        layer,
        mat1: `${rows ? rows.value : "?"}x${last}`,
        mat2: `${inFeatures}x${outFeatures ?? "?"}`,
        expected: inFeatures,
        actual: last,
      },
    });
  }
  if (input.length >= 4) {
    problems.push({ id: "torchLinearOnHighRank", values: { layer, rank: input.length, shape: formatShape(input), output: formatShape(output) } });
  }
  return { output, problems };
}

/** Every position along the leading dimensions after the batch multiplies the weight once. */
const linearCost: CostRule = ({ input, weights }) => {
  const matrix = weightFactor(weights.find((w) => w.name === "weight"));
  if (!input) return product([undefined]);
  return product(input.length > 2 ? [factor(input.slice(1, -1)), matrix] : [matrix]);
};

/** torch/nn/modules/linear.py `Linear`. */
const linearSpec: LayerSpec = {
  name: "torch.nn.Linear",
  summary: "Fully connected layer: `y = x·Wᵀ + b` over the last dimension, (*, in_features) → (*, out_features).",
  params: [{ name: "in_features" }, { name: "out_features" }, { name: "bias", default: true }, ...factoryParams],
  closedKeywords: true,
  cost: linearCost,
  infer(args: Args, input: Shape | undefined): LayerResult {
    const inFeatures = size(args, "in_features");
    const outFeatures = size(args, "out_features");
    const bias = args.bool("bias");
    const weights = linearWeights(inFeatures, outFeatures, bias);
    const formulas = linearFormula(inFeatures, outFeatures, bias);
    if (!input) return { weights, formulas, problems: args.problems };
    const { output, problems } = linearForward("Linear", input, inFeatures, outFeatures);
    return { output, weights, formulas, problems: [...args.problems, ...problems] };
  },
};

/** torch/nn/modules/linear.py `LazyLinear`: in_features is the first input's last dimension. */
const lazyLinearSpec: LayerSpec = {
  name: "torch.nn.LazyLinear",
  summary: "Linear whose in_features is taken from the last dimension of its first input.",
  params: [{ name: "out_features" }, { name: "bias", default: true }, ...factoryParams],
  closedKeywords: true,
  cost: linearCost,
  infer(args: Args, input: Shape | undefined): LayerResult {
    const outFeatures = size(args, "out_features");
    const bias = args.bool("bias");
    const inFeatures = input && input.length > 0 ? known(input[input.length - 1]) : undefined;
    const weights = linearWeights(inFeatures, outFeatures, bias);
    const formulas = linearFormula(inFeatures, outFeatures, bias);
    if (!input) return { weights, formulas, problems: args.problems };
    const { output, problems } = linearForward("LazyLinear", input, inFeatures, outFeatures);
    return { output, weights, formulas, problems: [...args.problems, ...problems] };
  },
};

function bilinearWeights(args: Args): { weights: Weight[]; formulas: Formula[]; in1?: number; in2?: number; out?: number } {
  const in1 = size(args, "in1_features");
  const in2 = size(args, "in2_features");
  const out = size(args, "out_features");
  const bias = args.bool("bias");
  const weights = [weight("weight", [out, in1, in2])];
  if (bias !== false) weights.push(bias === undefined ? { name: "bias", trainable: true } : weight("bias", [out]));
  const formulas: Formula[] = [];
  if (in1 !== undefined && in2 !== undefined && out !== undefined && bias !== undefined) {
    const total = BigInt(out) * BigInt(in1) * BigInt(in2) + (bias ? BigInt(out) : 0n);
    formulas.push({ label: "params", text: `${out}·${in1}·${in2}${bias ? ` + ${out}` : ""} = ${withThousands(total)}` });
  }
  return { weights, formulas, in1, in2, out };
}

/**
 * Bilinear's forward (aten's `bilinear`): both inputs of the same rank, the same leading dimensions, last
 * dimensions in1_features and in2_features; the output keeps the leading dimensions and ends in out_features.
 */
function inferBilinear(args: Args, inputs: readonly (Shape | undefined)[]): LayerResult {
  const { weights, formulas, in1, in2, out } = bilinearWeights(args);
  const problems: Problem[] = [...args.problems];
  if (inputs.length !== 2) {
    problems.push({ id: "inputCount", values: { layer: "Bilinear", expected: "two tensors, input1 and input2", got: `${inputs.length}` } });
    return { weights, formulas, problems };
  }
  const [first, second] = inputs;
  if (!first || !second) return { output: first ? [...first.slice(0, -1), out ?? UNKNOWN] : undefined, weights, formulas, problems };
  if (first.length !== second.length) {
    problems.push({ ...raises("Bilinear", "RuntimeError", `bilinear(): input dimensions do not match: got ${first.length} and ${second.length}`), input: 1 });
    return { weights, formulas, problems };
  }
  for (let i = 0; i < first.length - 1; i++) {
    const [a, b] = [first[i], second[i]];
    if (isKnown(a) && isKnown(b) && a !== b) {
      problems.push({ ...raises("Bilinear", "RuntimeError", `bilinear(): input batch dimensions do not match at dim ${i}: got ${a} and ${b}`), input: 1 });
      break;
    }
  }
  const sizeCheck = (which: 1 | 2, shape: Shape, expected: number | undefined, argument: string) => {
    const last = shape[shape.length - 1];
    if (expected === undefined || !isKnown(last) || last === expected) return;
    problems.push(raises("Bilinear", "RuntimeError", `bilinear(): input${which} size does not match weight size: got ${last} but expected ${expected}`, argument, last));
  };
  sizeCheck(1, first, in1, "in1_features");
  sizeCheck(2, second, in2, "in2_features");
  return { output: [...first.slice(0, -1), out ?? UNKNOWN], weights, formulas, problems };
}

/** torch/nn/modules/linear.py `Bilinear`: `y = x1ᵀ·A·x2 + b`, called on two tensors. */
const bilinearSpec: LayerSpec = {
  name: "torch.nn.Bilinear",
  summary: "Bilinear transformation of two inputs: `y = x1ᵀ·A·x2 + b`, (*, in1), (*, in2) → (*, out_features).",
  params: [{ name: "in1_features" }, { name: "in2_features" }, { name: "out_features" }, { name: "bias", default: true }, ...factoryParams],
  closedKeywords: true,
  // Each output element sums in1·in2 products (x1ᵢ·Aₖᵢⱼ·x2ⱼ, the second multiply folded in), at every leading position.
  cost: ({ input, inputs, weights }) => {
    const first = inputs?.[0] ?? input;
    const matrix = weightFactor(weights.find((w) => w.name === "weight"));
    if (!first) return product([undefined]);
    return product(first.length > 2 ? [factor(first.slice(1, -1)), matrix] : [matrix]);
  },
  infer: (args, input) => inferBilinear(args, input ? [input] : [undefined]),
  multiInput: { form: "arguments", tensors: ["input1", "input2"], min: 2, max: 2, infer: (args, inputs) => inferBilinear(args, inputs) },
};

/** torch/nn/modules/linear.py `Identity(*args, **kwargs)`: takes any arguments and ignores them. */
const identitySpec: LayerSpec = {
  name: "torch.nn.Identity",
  summary: "Returns its input unchanged; any constructor arguments are ignored.",
  params: [],
  openPositional: true,
  openKeywords: true,
  cost: dataMovementCost,
  infer: (args, input) => sameShape(args, input),
};

/** An integer dimension argument (negative counts from the end). */
function dimArgument(args: Args, name: string): number | undefined {
  return args.int(name, -Infinity);
}

/**
 * torch/nn/modules/flatten.py `Flatten`, forward `input.flatten(start_dim, end_dim)`: the dimensions from
 * start_dim to end_dim become their product; a 0-D input counts as 1-D (and becomes (1,)).
 */
const flattenSpec: LayerSpec = {
  name: "torch.nn.Flatten",
  summary: "Flattens the dimensions from start_dim to end_dim into one: (N, C, H, W) → (N, C·H·W) by default.",
  params: [{ name: "start_dim", default: 1 }, { name: "end_dim", default: -1 }],
  closedKeywords: true,
  cost: dataMovementCost,
  infer(args: Args, input: Shape | undefined): LayerResult {
    const startDim = dimArgument(args, "start_dim");
    const endDim = dimArgument(args, "end_dim");
    if (!input) return sameShape(args, undefined);
    const shape: Shape = input.length === 0 ? [1] : input;
    const start = startDim === undefined ? undefined : wrapDim("Flatten", "start_dim", startDim, input);
    const end = endDim === undefined ? undefined : wrapDim("Flatten", "end_dim", endDim, input);
    const bad = [start, end].filter((d): d is Problem => typeof d === "object");
    if (bad.length) return sameShape(args, undefined, bad);
    if (typeof start !== "number" || typeof end !== "number") return sameShape(args, undefined);
    if (start > end) return sameShape(args, undefined, [raises("Flatten", "RuntimeError", "flatten() has invalid args: start_dim cannot come after end_dim", "start_dim")]);
    const merged = shape.slice(start, end + 1);
    const flat = factor(merged);
    const output: Dim[] = [...shape.slice(0, start), flat ? Number(flat.value) : UNKNOWN, ...shape.slice(end + 1)];
    const formulas: Formula[] = flat && merged.length > 1 ? [{ label: "flattened", text: `${flat.text} = ${withThousands(flat.value)}` }] : [];
    return { output, weights: [], formulas, problems: args.problems };
  },
};

/** The name of a plain value's Python type, as `type(x).__name__` prints it. */
function pythonType(value: PyValue): string {
  if (value === null) return "NoneType";
  if (typeof value === "boolean") return "bool";
  if (typeof value === "string") return "str";
  if (isInt(value)) return "int";
  return numeric(value) !== undefined ? "float" : "object";
}

/** Unflatten's sizes: a tuple or list of ints (one may be −1); undefined with a problem or an unknown reason otherwise. */
function unflattenedSizes(args: Args): number[] | undefined {
  const value = args.raw("unflattened_size");
  if (value === undefined) return undefined;
  if (!isSequence(value)) {
    args.problems.push(raises("Unflatten", "TypeError", `unflattened_size must be a tuple of ints, but found type ${pythonType(value)}`, "unflattened_size"));
    return undefined;
  }
  const list = items(value);
  if (list.some(isUnresolved)) {
    args.unresolved.set("unflattened_size", "an element of it is not a constant");
    return undefined;
  }
  if (list.some((v) => isSequence(v))) {
    args.unresolved.set("unflattened_size", "named dimensions are not followed");
    return undefined;
  }
  if (!list.every(isInt)) {
    args.problems.push({ id: "invalidArgument", argument: "unflattened_size", values: { argument: "unflattened_size", expected: "a tuple of ints", value: pyRepr(value) } });
    return undefined;
  }
  return list as number[];
}

/**
 * torch/nn/modules/flatten.py `Unflatten`, forward `input.unflatten(dim, unflattened_size)`: the sizes replace
 * dimension `dim` and must multiply to it; one −1 is inferred.
 */
const unflattenSpec: LayerSpec = {
  name: "torch.nn.Unflatten",
  summary: "Expands dimension `dim` into the sizes `unflattened_size`: (N, 60) → (N, 3, 4, 5) with Unflatten(1, (3, 4, 5)).",
  params: [{ name: "dim" }, { name: "unflattened_size" }],
  closedKeywords: true,
  cost: dataMovementCost,
  infer(args: Args, input: Shape | undefined): LayerResult {
    const named = typeof args.raw("dim") === "string";
    if (named) args.unresolved.set("dim", "named dimensions are not followed");
    const dim = named ? undefined : dimArgument(args, "dim");
    const sizes = unflattenedSizes(args);
    if (!input || dim === undefined) return sameShape(args, undefined);
    const index = wrapDim("Unflatten", "dim", dim, input);
    if (typeof index !== "number") return sameShape(args, undefined, [index]);
    const shape: Shape = input.length === 0 ? [1] : input;
    const rest = (middle: readonly Dim[]): Dim[] => [...shape.slice(0, index), ...middle, ...shape.slice(index + 1)];
    if (!sizes) return sameShape(args, undefined);
    const inferred = sizes.filter((s) => s === -1).length;
    if (inferred > 1) return sameShape(args, undefined, [raises("Unflatten", "RuntimeError", "only one dimension can be inferred", "unflattened_size")]);
    const target = shape[index];
    const givenProduct = sizes.filter((s) => s !== -1).reduce((a, s) => a * s, 1);
    const mismatch = () =>
      sameShape(args, undefined, [
        raises("Unflatten", "RuntimeError", `unflatten: Provided sizes ${sizesText(sizes)} don't multiply up to the size of dim ${index} (${target}) in the input tensor`, "unflattened_size"),
      ]);
    if (!isKnown(target)) return { output: rest(sizes.map((s) => (s === -1 ? UNKNOWN : s))), weights: [], formulas: [], problems: args.problems };
    if (inferred === 0) {
      if (givenProduct !== target) return mismatch();
      return { output: rest(sizes), weights: [], formulas: [], problems: args.problems };
    }
    if (givenProduct === 0 || target % givenProduct !== 0) return mismatch();
    const missing = target / givenProduct;
    const formulas = [{ label: `dim ${index + sizes.indexOf(-1)}`, text: `${target} / ${givenProduct} = ${missing}` }];
    return { output: rest(sizes.map((s) => (s === -1 ? missing : s))), weights: [], formulas, problems: args.problems };
  },
};

export const torchLinearModules: readonly LayerSpec[] = [linearSpec, lazyLinearSpec, bilinearSpec, identitySpec, flattenSpec, unflattenSpec];
