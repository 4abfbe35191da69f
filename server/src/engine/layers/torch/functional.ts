/**
 * torch.nn.functional (torch/nn/functional.py): activations, softmax and its kin, dropout, one_hot, linear and
 * bilinear with the user's weight tensors, embedding, the normalizations, the losses, cosine similarity and
 * scaled dot-product attention. The sliding windows (pooling, conv*d, interpolate, pad) are in
 * `functionalWindows.ts`. A weight passed in is the user's tensor: these functions own no parameters.
 */
import { Args } from "../../args";
import { costing, contraction, dataMovementCost, elementwiseCost, perOutputElement } from "../../cost";
import { Dim, Shape, UNKNOWN, formatShape, isKnown } from "../../shape";
import { LayerResult, LayerSpec, ParamDecl, Problem } from "../../spec";
import { isInt, isSequence, items, numeric } from "../../values";
import { windowFunctions } from "./functionalWindows";
import { inferMatmul } from "./productRules";
import { Infer, TorchOpDef, broadcast, dimArg, invalid, rankProblem, reduceCost, result, sameShape, sizeList, torchOp, words } from "./tensorShapes";

const param = (name: string, value?: ParamDecl["default"]): ParamDecl => (value === undefined ? { name } : { name, default: value });
const F = (fn: string) => `torch.nn.functional.${fn}`;
const inplace = param("inplace", false);

const refuses = (layer: string, what: string, torch: string, extra: Partial<Problem> = {}): Problem => ({ id: "torchOpRefuses", ...extra, values: { layer, what, torch } });

// ---------------------------------------------------------------------------------------------
// Activations
// ---------------------------------------------------------------------------------------------

/** gelu's approximate: 'none' or 'tanh' ("approximate argument must be either none or tanh."). */
const inferGelu: Infer = (args, [input]) => {
  const v = args.raw("approximate");
  if (v !== undefined && v !== "none" && v !== "tanh") return result(args, undefined, [invalid("approximate", "'none' or 'tanh'", v)]);
  return result(args, input);
};

/** glu(input, dim=-1): the dim halved, which must be even ("Halving dimension must be even, but dimension 1 is size 5"). */
const inferGlu: Infer = (args, [input]) => {
  const problems: Problem[] = [];
  if (!input) return result(args, undefined);
  if (!input.length) return result(args, undefined, [rankProblem(args.layer, input, "1 or more", "(glu does not support scalars)")]);
  const at = dimArg(args, "dim", input.length, problems);
  if (at == null) return result(args, undefined, problems);
  const n = input[at];
  if (isKnown(n) && n % 2) return result(args, undefined, [refuses(args.layer, `the input ${formatShape(input)}`, `Halving dimension must be even, but dimension ${at} is size ${n}`, { argument: "dim" })]);
  return result(args, input.map((d, i) => (i === at && isKnown(d) ? d / 2 : d)), problems, isKnown(n) ? [{ label: `dim ${at}`, text: `${n} / 2 = ${n / 2}` }] : []);
};

/** prelu(input, weight): one weight, or one per channel (dim 1). */
const inferPrelu: Infer = (args, [input, weight]) => {
  if (!input || !weight) return result(args, input);
  const count = weight.every(isKnown) ? (weight as number[]).reduce((a, b) => a * b, 1) : undefined;
  const channels = input.length >= 2 ? input[1] : 1;
  if (count !== undefined && count !== 1 && isKnown(channels) && count !== channels) {
    return result(args, undefined, [refuses(args.layer, `the input ${formatShape(input)} and weight ${formatShape(weight)}`, `Mismatch of parameter numbers and input channel size. Found parameter numbers = ${count} and channel size = ${channels}.`, { input: 1 })]);
  }
  return result(args, input);
};

const ACTIVATIONS: readonly [string, readonly ParamDecl[], readonly string[]][] = [
  ["relu", [inplace], []],
  ["relu6", [inplace], []],
  ["elu", [param("alpha", 1.0), inplace], [F("elu_")]],
  ["selu", [inplace], ["torch.selu"]],
  ["celu", [param("alpha", 1.0), inplace], ["torch.celu"]],
  ["leaky_relu", [param("negative_slope", 0.01), inplace], [F("leaky_relu_")]],
  ["silu", [inplace], []],
  ["mish", [inplace], []],
  ["softplus", [param("beta", 1.0), param("threshold", 20.0)], []],
  ["softsign", [], []],
  ["hardtanh", [param("min_val", -1.0), param("max_val", 1.0), inplace], [F("hardtanh_")]],
  ["hardswish", [inplace], []],
  ["hardsigmoid", [inplace], []],
  ["logsigmoid", [], []],
  ["softshrink", [param("lambd", 0.5)], []],
  ["hardshrink", [param("lambd", 0.5)], []],
  ["tanhshrink", [], []],
  ["threshold", [param("threshold"), param("value"), inplace], [F("threshold_")]],
  ["rrelu", [param("lower", 1 / 8), param("upper", 1 / 3), param("training", false), inplace], [F("rrelu_")]],
];

const activations: TorchOpDef[] = [
  ...ACTIVATIONS.map(([fn, params, aliases]) => ({ name: F(fn), aliases, summary: "Applied element by element: the output has the input's shape.", tensors: ["input"], params, infer: sameShape })),
  { name: F("gelu"), summary: "GELU element by element (exact, or tanh-approximated).", tensors: ["input"], params: [param("approximate", "none")], infer: inferGelu },
  { name: F("glu"), summary: "Gated linear unit: `dim` halved, one half gating the other.", tensors: ["input"], params: [param("dim", -1)], infer: inferGlu },
  { name: F("prelu"), aliases: ["torch.prelu"], summary: "PReLU with the given weight (one, or one per channel).", tensors: ["input", "weight"], params: [], infer: inferPrelu },
];

// ---------------------------------------------------------------------------------------------
// softmax, dropout, one_hot
// ---------------------------------------------------------------------------------------------

/**
 * softmax / log_softmax / softmin(input, dim=None): without dim PyTorch picks 0 for inputs of rank 0, 1 or 3 and 1
 * otherwise (`_get_softmax_dim`), warning that the choice is deprecated.
 */
const inferSoftmax: Infer = (args, [input]) => {
  const problems: Problem[] = [];
  if (!input) return result(args, undefined);
  const dim = dimArg(args, "dim", input.length, problems, { none: true });
  if (dim === null) {
    const chosen = [0, 1, 3].includes(input.length) ? 0 : 1;
    const fn = args.layer.split(".").pop()!;
    problems.push({ id: "torchWarns", values: { layer: args.layer, torch: `Implicit dimension choice for ${fn} has been deprecated. Change the call to include dim=X as an argument.`, consequence: `(it picks dim=${chosen} for this rank-${input.length} input ${formatShape(input)})` } });
  }
  return result(args, dim === undefined ? undefined : input, problems);
};

/** dropout's p in [0, 1] ("dropout probability has to be between 0 and 1, but got 1.5"). */
function inferDropout(ranks?: readonly number[]): Infer {
  return (args, [input]) => {
    const p = numeric(args.raw("p"));
    if (p !== undefined && (p < 0 || p > 1)) return result(args, undefined, [invalid("p", "a probability between 0 and 1", args.raw("p")!)]);
    if (input && ranks && !ranks.includes(input.length)) {
      const fn = args.layer.split(".").pop()!;
      const torch = `${fn}: Expected ${ranks.join("D or ")}D input, but received a ${input.length}D input`;
      return result(args, undefined, [refuses(args.layer, `the input ${formatShape(input)}`, torch)]);
    }
    return result(args, input);
  };
}

/** one_hot(tensor, num_classes=-1): a last dim of num_classes; -1 counts the classes from the data. */
const inferOneHot: Infer = (args, [input]) => {
  const classes = args.raw("num_classes");
  if (!input || classes === undefined) return result(args, undefined);
  if (!isInt(classes) || classes < -1) return result(args, undefined, [invalid("num_classes", "a number of classes, or -1 to count them from the data", classes)]);
  if (classes === -1) return result(args, [...input, UNKNOWN], [{ id: "torchClassesFromData", argument: "num_classes", values: {} }]);
  return result(args, [...input, classes]);
};

// ---------------------------------------------------------------------------------------------
// linear, bilinear, embedding
// ---------------------------------------------------------------------------------------------

/** linear(input, weight, bias=None): input @ weight.T (+ bias); weight (out, in) or (in,). */
const inferLinear: Infer = (args, [input, weight, bias]) => {
  if (!input || !weight) return result(args, undefined);
  if (weight.length > 2 || !weight.length) return result(args, undefined, [rankProblem(args.layer, weight, "1 or 2", "(out_features, in_features)", 1)]);
  const transposed = weight.length === 2 ? [weight[1], weight[0]] : weight;
  const product = inferMatmul(new Args(args.layer, new Map()), [input, transposed]);
  if (!product.output) {
    // PyTorch's message names the transposed weight, as its matmul sees it.
    return result(args, undefined, product.problems.map((p) => ({ ...p, values: { ...p.values, what: `${formatShape(input)} and the weight ${formatShape(weight)}` } })));
  }
  if (bias) {
    const sum = broadcast(args.layer, [product.output, bias]);
    const out = sum.shape;
    if (sum.problem || (out && (out.length !== product.output.length || out.some((d, i) => isKnown(d) && isKnown(product.output![i]) && d !== product.output![i])))) {
      const torch = `The expanded size of the tensor (${product.output[product.output.length - 1]}) must match the existing size (${bias[bias.length - 1]}) at non-singleton dimension ${product.output.length - 1}.  Target sizes: ${sizeList(product.output)}.  Tensor sizes: ${sizeList(bias)}`;
      return result(args, undefined, [refuses(args.layer, `the bias ${formatShape(bias)}`, torch, { input: 2 })]);
    }
  }
  const k = input[input.length - 1];
  const formulas = weight.length === 2 && isKnown(k) ? [{ label: "features", text: `${k} in → ${weight[0]} out` }] : [];
  return result(args, product.output, [], formulas);
};

/** bilinear(input1, input2, weight, bias=None): weight (out, in1, in2), (*, in1) and (*, in2) → (*, out). */
const inferBilinear: Infer = (args, [x1, x2, weight]) => {
  if (!x1 || !x2 || !weight) return result(args, undefined);
  if (weight.length !== 3) return result(args, undefined, [rankProblem(args.layer, weight, "3", "(out_features, in1_features, in2_features)", 2)]);
  for (const [i, x] of [x1, x2].entries()) {
    const have = x[x.length - 1];
    const want = weight[i + 1];
    if (isKnown(have) && isKnown(want) && have !== want) {
      return result(args, undefined, [refuses(args.layer, `input${i + 1} ${formatShape(x)}`, `bilinear(): input${i + 1} size does not match weight size: got ${have} but expected ${want}`, { input: i })]);
    }
  }
  const lead = broadcast(args.layer, [x1.slice(0, -1), x2.slice(0, -1)]);
  if (lead.problem) return result(args, undefined, [{ ...lead.problem, input: 1 }]);
  return result(args, [...lead.shape!, weight[0]]);
};

/** embedding(input, weight, …): each index looked up in a 2-D weight, (*) → (*, embedding_dim). */
const inferEmbedding: Infer = (args, [input, weight]) => {
  if (!input || !weight) return result(args, undefined);
  if (weight.length !== 2) return result(args, undefined, [refuses(args.layer, `the weight ${formatShape(weight)}`, "'weight' must be 2-D", { input: 1 })]);
  return result(args, [...input, weight[1]]);
};

// ---------------------------------------------------------------------------------------------
// Normalization
// ---------------------------------------------------------------------------------------------

/** layer_norm / rms_norm(input, normalized_shape, …): the input's trailing dims must be normalized_shape. */
const inferLayerNorm: Infer = (args, [input]) => {
  const raw = args.raw("normalized_shape");
  if (!input || raw === undefined) return result(args, undefined);
  const shape = isSequence(raw) && items(raw).every(isInt) ? (items(raw) as number[]) : isInt(raw) ? [raw] : undefined;
  if (!shape) return result(args, undefined, [invalid("normalized_shape", "a tuple of ints", raw)]);
  const tail = input.slice(input.length - shape.length);
  if (shape.length > input.length || tail.some((d, i) => isKnown(d) && d !== shape[i])) {
    const torch = `Given normalized_shape=${sizeList(shape)}, expected input with shape [*, ${shape.join(", ")}], but got input of size${sizeList(input)}`;
    return result(args, undefined, [refuses(args.layer, `the input ${formatShape(input)}`, torch, { argument: "normalized_shape" })]);
  }
  return result(args, input);
};

/** batch_norm / instance_norm: each running statistic (and weight, bias) holds one value per channel (dim 1). */
function inferChannelStats(names: readonly string[]): Infer {
  return (args, [input, ...stats]) => {
    if (!input) return result(args, undefined);
    const channels = input.length >= 2 ? input[1] : UNKNOWN;
    for (const [i, stat] of stats.entries()) {
      if (!stat) continue;
      const count = stat.every(isKnown) ? (stat as number[]).reduce((a, b) => a * b, 1) : undefined;
      if (count !== undefined && isKnown(channels) && count !== channels) {
        return result(args, undefined, [refuses(args.layer, `${names[i]} ${formatShape(stat)}`, `${names[i]} should contain ${channels} elements not ${count}`, { input: i + 1 })]);
      }
    }
    return result(args, input);
  };
}

/** group_norm(input, num_groups, …): the channels (dim 1) divisible by num_groups. */
const inferGroupNorm: Infer = (args, [input]) => {
  const groups = args.int("num_groups");
  if (!input || groups === undefined) return result(args, undefined);
  const channels = input[1];
  if (input.length < 2) return result(args, undefined, [rankProblem(args.layer, input, "2 or more", "(N, C, *)")]);
  if (isKnown(channels) && channels % groups) {
    const torch = `Expected number of channels in input to be divisible by num_groups, but got input of shape ${sizeList(input)} and num_groups=${groups}`;
    return result(args, undefined, [refuses(args.layer, `the input ${formatShape(input)}`, torch, { argument: "num_groups" })]);
  }
  return result(args, input);
};

/** local_response_norm: 3-D or more ("Expected 3D or higher dimensionality input (got 2 dimensions)"). */
const inferLocalResponseNorm: Infer = (args, [input]) => {
  if (input && input.length < 3) return result(args, undefined, [refuses(args.layer, `the input ${formatShape(input)}`, `Expected 3D or higher dimensionality input (got ${input.length} dimensions)`)]);
  return result(args, input);
};

/** normalize(input, p=2.0, dim=1): the shape is kept; dim must be the input's. */
const inferNormalize: Infer = (args, [input]) => {
  const problems: Problem[] = [];
  if (!input) return result(args, undefined);
  const at = dimArg(args, "dim", input.length, problems);
  return result(args, at == null ? undefined : input, problems);
};

// ---------------------------------------------------------------------------------------------
// Losses
// ---------------------------------------------------------------------------------------------

/** The reduction: 'none' keeps `elementwise`, 'mean' / 'sum' (and kl_div's 'batchmean') make a 0-dim tensor. */
export function reduced(args: Args, elementwise: Shape | undefined, problems: Problem[], extra: readonly string[] = []): LayerResult {
  const v = args.raw("reduction");
  if (v === undefined) return result(args, undefined, problems);
  if (typeof v !== "string" || !["none", "mean", "sum", ...extra].includes(v)) {
    return result(args, undefined, [...problems, invalid("reduction", `'none', 'mean' or 'sum'${extra.length ? ` (or ${extra.map((e) => `'${e}'`).join(", ")})` : ""} (PyTorch: ${v} is not a valid value for reduction)`, v)]);
  }
  if (problems.some((p) => p.id !== "torchWarns")) return result(args, undefined, problems);
  return result(args, v === "none" ? elementwise : [], problems);
}

/**
 * cross_entropy / nll_loss(input, target, …): input (C), (N, C) or (N, C, d1…); target class indices () / (N) /
 * (N, d1…), or (cross_entropy only) probabilities of the input's shape, with which aten's cross_entropy_loss refuses an
 * ignore_index ≥ 0. 'none' gives one loss per sample (and position). A 1-D input and a 1-D target of its length go to
 * aten's nll_loss_forward as a batch of that size, whose output is 0-dim for 1-D input whatever the reduction.
 */
export function inferClassLoss(probabilities: boolean): Infer {
  return (args, [input, target]) => {
    if (!input || !target) return reduced(args, undefined, []);
    const what = `${formatShape(input)} and target ${formatShape(target)}`;
    const perSample = input.length === 1 ? [] : [input[0], ...input.slice(2)];
    const sameSizes = target.length === input.length && target.every((d, i) => !isKnown(d) || !isKnown(input[i]) || d === input[i]);
    if (probabilities && sameSizes) {
      const given = args.raw("ignore_index");
      const ignored = given !== undefined ? numeric(given) : args.has("ignore_index") ? undefined : -100;
      if (ignored === undefined) return reduced(args, undefined, []);
      if (ignored >= 0) return reduced(args, undefined, [refuses(args.layer, what, "ignore_index is not supported for floating point target", { input: 1 })]);
      return reduced(args, perSample, []);
    }
    if (probabilities && target.length === input.length && input.length > 1) {
      const torch = input.length === 2 ? "0D or 1D target tensor expected, multi-target not supported" : `size mismatch (got input: ${sizeList(input)} , target: ${sizeList(target)}`;
      return reduced(args, undefined, [refuses(args.layer, what, torch, { input: 1 })]);
    }
    if (input.length === 0) return reduced(args, undefined, [rankProblem(args.layer, input, "1 or more", "(C), (N, C) or (N, C, d1, …)")]);
    if (input.length === 1 && target.length === 1) {
      if (isKnown(input[0]) && isKnown(target[0]) && input[0] !== target[0]) {
        return reduced(args, undefined, [refuses(args.layer, what, `size mismatch (got input: ${sizeList(input)}, target: ${sizeList(target)})`, { input: 1 })]);
      }
      return reduced(args, [], []);
    }
    if (target.length !== input.length - 1) {
      const torch = input.length <= 2 ? "0D or 1D target tensor expected, multi-target not supported" : `Expected target size ${sizeList(perSample)}, got ${sizeList(target)}`;
      return reduced(args, undefined, [refuses(args.layer, what, torch, { input: 1 })]);
    }
    if (input.length >= 2 && isKnown(input[0]) && isKnown(target[0]) && input[0] !== target[0]) {
      return reduced(args, undefined, [refuses(args.layer, what, `Expected input batch_size (${input[0]}) to match target batch_size (${target[0]}).`, { input: 1 })]);
    }
    if (target.some((d, i) => isKnown(d) && isKnown(perSample[i]) && d !== perSample[i])) {
      return reduced(args, undefined, [refuses(args.layer, what, `size mismatch (got input: ${sizeList(input)} , target: ${sizeList(target)}`, { input: 1 })]);
    }
    return reduced(args, perSample.map((d, i) => (isKnown(d) ? d : target[i])), []);
  };
}

/** mse_loss, l1_loss…: input and target broadcast, with PyTorch's warning when their shapes differ. */
export function inferPointwiseLoss(warns: boolean, extra: readonly string[] = []): Infer {
  return (args, [input, target]) => {
    if (!input || !target) return reduced(args, undefined, [], extra);
    const both = broadcast(args.layer, [input, target]);
    const problems: Problem[] = both.problem ? [{ ...both.problem, input: 1 }] : [];
    const differs = input.length !== target.length || input.some((d, i) => isKnown(d) && isKnown(target[i]) && d !== target[i]);
    if (warns && differs && both.shape) {
      const torch = `Using a target size (torch.Size(${sizeList(target)})) that is different to the input size (torch.Size(${sizeList(input)})). This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size.`;
      problems.push({ id: "torchWarns", input: 1, values: { layer: args.layer, torch, consequence: `(the loss is taken over the broadcast shape ${formatShape(both.shape)})` } });
    }
    return reduced(args, both.shape, problems, extra);
  };
}

/**
 * soft_margin_loss: aten's soft_margin_loss_out computes into a tensor of the input's shape (`neg_out(output,
 * input).mul_(target)`), so the target broadcasts into the input and never widens it, and no warning is given.
 */
export const inferSoftMarginLoss: Infer = (args, [input, target]) => {
  if (!input || !target) return reduced(args, undefined, []);
  const both = broadcast(args.layer, [input, target]);
  if (!both.shape) return reduced(args, undefined, [{ ...both.problem!, input: 1 }]);
  const widens = both.shape.length > input.length || input.some((d, i) => d === 1 && isKnown(both.shape![i]) && both.shape![i] !== 1);
  if (widens) {
    const torch = `output with shape ${sizeList(input)} doesn't match the broadcast shape ${sizeList(both.shape)}`;
    return reduced(args, undefined, [refuses(args.layer, `${formatShape(input)} and target ${formatShape(target)}`, torch, { input: 1 })]);
  }
  return reduced(args, input.map((d, i) => (isKnown(d) ? d : both.shape![i])), []);
};

/** binary_cross_entropy(_with_logits): target and input of one shape (PyTorch raises a ValueError otherwise). */
export function inferBinaryLoss(logits: boolean): Infer {
  return (args, [input, target]) => {
    if (!input || !target) return reduced(args, undefined, []);
    if (target.length !== input.length || target.some((d, i) => isKnown(d) && isKnown(input[i]) && d !== input[i])) {
      const torch = logits
        ? `Target size (torch.Size(${sizeList(target)})) must be the same as input size (torch.Size(${sizeList(input)}))`
        : `Using a target size (torch.Size(${sizeList(target)})) that is different to the input size (torch.Size(${sizeList(input)})) is deprecated. Please ensure they have the same size.`;
      return reduced(args, undefined, [refuses(args.layer, `${formatShape(input)} and target ${formatShape(target)}`, torch, { input: 1 })]);
    }
    return reduced(args, input, []);
  };
}

// ---------------------------------------------------------------------------------------------
// Similarity, attention
// ---------------------------------------------------------------------------------------------

/** cosine_similarity(x1, x2, dim=1) / pairwise_distance(x1, x2, keepdim=False): broadcast, then `dim` reduced. */
function inferSimilarity(dimParam: "dim" | "last"): Infer {
  return (args, [x1, x2]) => {
    const problems: Problem[] = [];
    if (!x1 || !x2) return result(args, undefined);
    const both = broadcast(args.layer, [x1, x2]);
    if (both.problem) return result(args, undefined, [{ ...both.problem, input: 1 }]);
    const shape = both.shape!;
    const at = dimParam === "dim" ? dimArg(args, "dim", shape.length, problems) : shape.length - 1;
    const keep = dimParam === "last" ? args.bool("keepdim") : false;
    if (at == null || keep === undefined) return result(args, undefined, problems);
    return result(args, keep ? shape.map((d, i) => (i === at ? 1 : d)) : shape.filter((_, i) => i !== at), problems);
  };
}

/** scaled_dot_product_attention(query (…, L, E), key (…, S, E), value (…, S, Ev)) → (…, L, Ev). */
const inferAttention: Infer = (args, [q, k, v]) => {
  if (!q || !k || !v) return result(args, undefined);
  for (const [i, x] of [q, k, v].entries()) if (x.length < 2) return result(args, undefined, [rankProblem(args.layer, x, "2 or more", "(…, L, E)", i)]);
  const [e, ek] = [q[q.length - 1], k[k.length - 1]];
  const [s, sv] = [k[k.length - 2], v[v.length - 2]];
  const clash = (a: Dim, b: Dim) => isKnown(a) && isKnown(b) && a !== b;
  if (clash(e, ek)) return result(args, undefined, [{ id: "incompatibleShapes", input: 1, values: { layer: args.layer, requirement: "query and key with the same embedding size E (last dim)", first: formatShape(q), second: formatShape(k) } }]);
  if (clash(s, sv)) return result(args, undefined, [{ id: "incompatibleShapes", input: 2, values: { layer: args.layer, requirement: "key and value with the same source length S (next-to-last dim)", first: formatShape(k), second: formatShape(v) } }]);
  return result(args, [...q.slice(0, -1), v[v.length - 1]]);
};

// ---------------------------------------------------------------------------------------------
// The functions
// ---------------------------------------------------------------------------------------------

const LOSS = "A loss: a 0-dim tensor with reduction 'mean' or 'sum', one per element with 'none'.";
const lossTail = [param("size_average", null), param("reduce", null), param("reduction", "mean")];

const elementwise: TorchOpDef[] = [
  ...words("softmax log_softmax softmin").map((fn) => ({ name: F(fn), summary: "Along `dim` (PyTorch picks one when None, with a warning); the shape is unchanged.", tensors: ["input"], params: [param("dim", null), param("_stacklevel", 3), param("dtype", null)], infer: inferSoftmax })),
  { name: F("gumbel_softmax"), summary: "Gumbel-softmax samples along `dim`; the shape is unchanged.", tensors: ["logits"], params: [param("tau", 1), param("hard", false), param("eps", 1e-10), param("dim", -1)], infer: inferNormalize },
  { name: F("dropout"), summary: "Zeroes elements with probability p (when training); the shape is unchanged.", tensors: ["input"], params: [param("p", 0.5), param("training", true), inplace], infer: inferDropout() },
  ...words("alpha_dropout feature_alpha_dropout").map((fn) => ({ name: F(fn), summary: "Alpha dropout (when training); the shape is unchanged.", tensors: ["input"], params: [param("p", 0.5), param("training", false), inplace], infer: inferDropout() })),
  ...[[1, [2, 3]], [2, undefined], [3, undefined]].map(([n, ranks]) => ({ name: F(`dropout${n}d`), summary: "Zeroes whole channels with probability p (when training); the shape is unchanged.", tensors: ["input"], params: [param("p", 0.5), param("training", true), inplace], infer: inferDropout(ranks as number[] | undefined) })),
  { name: F("one_hot"), summary: "One-hot encodes indices: a last dim of `num_classes`.", tensors: ["tensor"], params: [param("num_classes", -1)], infer: inferOneHot },
];

const lookups: TorchOpDef[] = [
  { name: F("embedding"), summary: "Looks each index up in the weight (num_embeddings, embedding_dim): (*) → (*, embedding_dim).", tensors: ["input", "weight"], params: [param("padding_idx", null), param("max_norm", null), param("norm_type", 2.0), param("scale_grad_by_freq", false), param("sparse", false)], infer: inferEmbedding },
];

const normalizations: TorchOpDef[] = [
  { name: F("layer_norm"), summary: "Normalizes over the trailing `normalized_shape` dims; the shape is unchanged.", tensors: ["input"], params: [param("normalized_shape"), param("weight", null), param("bias", null), param("eps", 1e-5)], infer: inferLayerNorm },
  { name: F("rms_norm"), summary: "RMS-normalizes over the trailing `normalized_shape` dims; the shape is unchanged.", tensors: ["input"], params: [param("normalized_shape"), param("weight", null), param("eps", null)], infer: inferLayerNorm },
  { name: F("batch_norm"), summary: "Normalizes each channel (dim 1) with the running statistics; the shape is unchanged.", tensors: ["input", "running_mean", "running_var", "weight", "bias"], min: 1, params: [param("training", false), param("momentum", 0.1), param("eps", 1e-5)], infer: inferChannelStats(["running_mean", "running_var", "weight", "bias"]) },
  { name: F("instance_norm"), summary: "Normalizes each channel of each sample; the shape is unchanged.", tensors: ["input", "running_mean", "running_var", "weight", "bias"], min: 1, params: [param("use_input_stats", true), param("momentum", 0.1), param("eps", 1e-5)], infer: inferChannelStats(["running_mean", "running_var", "weight", "bias"]) },
  { name: F("group_norm"), summary: "Normalizes groups of channels; the shape is unchanged.", tensors: ["input"], params: [param("num_groups"), param("weight", null), param("bias", null), param("eps", 1e-5)], infer: inferGroupNorm },
  { name: F("local_response_norm"), summary: "Normalizes across neighbouring channels; the shape is unchanged.", tensors: ["input"], params: [param("size"), param("alpha", 1e-4), param("beta", 0.75), param("k", 1.0)], infer: inferLocalResponseNorm },
  { name: F("normalize"), summary: "Divides by the p-norm along `dim`; the shape is unchanged.", tensors: ["input"], params: [param("p", 2.0), param("dim", 1), param("eps", 1e-12), param("out", null)], infer: inferNormalize },
];

const losses: TorchOpDef[] = [
  { name: F("cross_entropy"), summary: LOSS, tensors: ["input", "target", "weight"], min: 2, params: [...lossTail.slice(0, 1), param("ignore_index", -100), ...lossTail.slice(1), param("label_smoothing", 0.0)], infer: inferClassLoss(true) },
  { name: F("nll_loss"), summary: LOSS, tensors: ["input", "target", "weight"], min: 2, params: [...lossTail.slice(0, 1), param("ignore_index", -100), ...lossTail.slice(1)], infer: inferClassLoss(false) },
  ...words("mse_loss l1_loss").map((fn) => ({ name: F(fn), summary: LOSS, tensors: ["input", "target"], params: [...lossTail, ...(fn === "mse_loss" ? [param("weight", null)] : [])], infer: inferPointwiseLoss(true) })),
  { name: F("soft_margin_loss"), summary: LOSS, tensors: ["input", "target"], params: lossTail, infer: inferSoftMarginLoss },
  { name: F("smooth_l1_loss"), summary: LOSS, tensors: ["input", "target"], params: [...lossTail, param("beta", 1.0)], infer: inferPointwiseLoss(true) },
  { name: F("huber_loss"), summary: LOSS, tensors: ["input", "target"], params: [param("reduction", "mean"), param("delta", 1.0)], infer: inferPointwiseLoss(true) },
  { name: F("kl_div"), summary: LOSS, tensors: ["input", "target"], params: [...lossTail, param("log_target", false)], infer: inferPointwiseLoss(false, ["batchmean"]) },
  { name: F("binary_cross_entropy"), summary: LOSS, tensors: ["input", "target", "weight"], min: 2, params: lossTail, infer: inferBinaryLoss(false) },
  { name: F("binary_cross_entropy_with_logits"), summary: LOSS, tensors: ["input", "target", "weight"], min: 2, params: [...lossTail, param("pos_weight", null)], infer: inferBinaryLoss(true) },
];

const similarities: TorchOpDef[] = [
  { name: F("cosine_similarity"), aliases: ["torch.cosine_similarity"], summary: "Cosine similarity along `dim` of the broadcast inputs (the dim removed).", tensors: ["x1", "x2"], params: [param("dim", 1), param("eps", 1e-8)], infer: inferSimilarity("dim") },
  { name: F("pairwise_distance"), aliases: ["torch.pairwise_distance"], summary: "p-norm distance along the last dim of the broadcast inputs.", tensors: ["x1", "x2"], params: [param("p", 2.0), param("eps", 1e-6), param("keepdim", false)], infer: inferSimilarity("last") },
];

const products: TorchOpDef[] = [
  { name: F("linear"), summary: "input @ weight.T + bias: (*, in) → (*, out) with the given weight (out, in).", tensors: ["input", "weight", "bias"], min: 2, params: [], infer: inferLinear, cost: ({ inputs, output }) => contraction(output, inputs?.[0]?.[inputs[0].length - 1]) },
  { name: F("bilinear"), summary: "x1ᵀ A x2 + b per output feature, with the given weight (out, in1, in2).", tensors: ["input1", "input2", "weight", "bias"], min: 3, params: [], infer: inferBilinear },
  { name: F("scaled_dot_product_attention"), summary: "softmax(Q Kᵀ / √E) V: (…, L, E), (…, S, E), (…, S, Ev) → (…, L, Ev).", tensors: ["query", "key", "value", "attn_mask"], min: 3, params: [param("dropout_p", 0.0), param("is_causal", false), param("scale", null), param("enable_gqa", false)], infer: inferAttention },
];

/** torch.nn.functional's functions are Python functions: no `axis=` for `dim=` (see `keywordAliasesOf`). */
const pythonFunction = (def: TorchOpDef) => torchOp({ ...def, keywordAliases: {} });

export const torchFunctional: readonly LayerSpec[] = [
  ...costing(elementwiseCost, [...activations, ...elementwise].map(pythonFunction)),
  ...costing(dataMovementCost, lookups.map(pythonFunction)),
  ...costing(perOutputElement("one per element: x·scale + shift"), normalizations.map(pythonFunction)),
  ...costing(reduceCost, [...losses, ...similarities].map(pythonFunction)),
  ...products.map(pythonFunction),
  ...windowFunctions.map(pythonFunction),
];
