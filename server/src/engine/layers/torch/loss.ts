/**
 * PyTorch's loss modules (torch/nn/modules/loss.py): CrossEntropyLoss, NLLLoss, MSELoss, L1Loss, SmoothL1Loss,
 * HuberLoss, KLDivLoss, BCELoss, BCEWithLogitsLoss, SoftMarginLoss, PoissonNLLLoss, HingeEmbeddingLoss,
 * MultiLabelSoftMarginLoss, MarginRankingLoss, CosineEmbeddingLoss and TripletMarginLoss.
 *
 * Each module's forward calls its torch.nn.functional function on its tensors with the module's attributes
 * (`F.cross_entropy(input, target, weight=self.weight, …, reduction=self.reduction)`), so its shapes and refusals are
 * that function's, read by the same rules (`functional.ts`; here those of the functions functional.ts does not
 * list), with the module's name in the messages. A `weight` or `pos_weight` is registered as a buffer, not a
 * parameter: a loss module has no parameters.
 */
import { Args } from "../../args";
import { LayerResult, LayerSpec, ParamDecl, Problem } from "../../spec";
import { Shape } from "../../shape";
import { PyValue, isSequence, items, numeric, pyRepr, unresolved } from "../../values";
import { inferBinaryLoss, inferClassLoss, inferPointwiseLoss, inferSoftMarginLoss, reduced } from "./functional";
import { raises } from "./moduleChecks";
import { Infer, Inputs, broadcast, reduceCost, result, sizeList } from "./tensorShapes";

const param = (name: string, value?: ParamDecl["default"]): ParamDecl => (value === undefined ? { name } : { name, default: value });

/** `_Loss.__init__`'s deprecated arguments, which decide the reduction when either is given. */
const LEGACY = ["size_average", "reduce"] as const;
const legacy = LEGACY.map((name) => param(name, null));
const reduction = param("reduction", "mean");
const weight = param("weight", null);
const ignoreIndex = param("ignore_index", -100);

/** Python's truth value of a constant; undefined for a value whose truth Layer Lens does not decide. */
function truth(value: PyValue): boolean | undefined {
  if (value === null) return false;
  if (typeof value === "boolean") return value;
  if (typeof value === "string") return value.length > 0;
  if (isSequence(value)) return items(value).length > 0;
  const n = numeric(value);
  return n === undefined ? undefined : n !== 0;
}

/**
 * `self.reduction`: `reduction`, unless size_average or reduce is given (not None), when `_Loss.__init__` takes
 * `_Reduction.legacy_get_string(size_average, reduce)` instead (None counting as True: 'mean' when both hold,
 * 'sum' when only reduce does, 'none' otherwise) and warns. Undefined when not known.
 */
function moduleReduction(args: Args, layer: string, problems: Problem[]): PyValue | undefined {
  const given = LEGACY.filter((name) => args.has(name));
  if (!given.length) return args.raw("reduction");
  const [sizeAverage, reduce] = LEGACY.map((name) => (args.has(name) ? args.raw(name) : true));
  if (sizeAverage === undefined || reduce === undefined) return undefined;
  const [averages, reduces] = [truth(sizeAverage), truth(reduce)];
  for (const [name, value, holds] of [["size_average", sizeAverage, averages], ["reduce", reduce, reduces]] as const) {
    if (holds === undefined) args.unresolved.set(name, `the truth value of ${pyRepr(value)} is not followed`);
  }
  if (averages === undefined || reduces === undefined) return undefined;
  const chosen = averages && reduces ? "mean" : reduces ? "sum" : "none";
  problems.push({
    id: "torchWarns",
    argument: given[0],
    values: { layer, torch: `size_average and reduce args will be deprecated, please use reduction='${chosen}' instead.`, consequence: `(the module reduces with '${chosen}', whatever \`reduction\` says)` },
  });
  return chosen;
}

// ---------------------------------------------------------------------------------------------
// The functions torch.nn.functional's specs do not list: their shapes, as aten computes them
// ---------------------------------------------------------------------------------------------

/**
 * multilabel_soft_margin_loss(input, target): the element-wise loss (input and target broadcast) summed over dim
 * `input.dim() - 1` of it, the classes: one loss per sample with 'none'. A 0-dim input has no class dim.
 */
const inferMultiLabelSoftMargin: Infer = (args, [input, target]) => {
  if (!input || !target) return reduced(args, undefined, []);
  if (!input.length) return reduced(args, undefined, [raises(args.layer, "IndexError", "Dimension specified as -1 but tensor has no dimensions")]);
  const both = broadcast(args.layer, [input, target]);
  if (both.problem) return reduced(args, undefined, [{ ...both.problem, input: 1 }]);
  return reduced(args, both.shape!.filter((_, i) => i !== input.length - 1), []);
};

/** margin_ranking_loss(input1, input2, target): max(0, −target·(input1 − input2) + margin), three tensors of one rank. */
const inferMarginRanking: Infer = (args, [x1, x2, target]) => {
  if (!x1 || !x2 || !target) return reduced(args, undefined, []);
  if (x1.length !== x2.length || x1.length !== target.length) {
    const torch = `margin_ranking_loss : All input tensors should have same dimension but got sizes: input1: torch.Size(${sizeList(x1)}), input2: torch.Size(${sizeList(x2)}), target: torch.Size(${sizeList(target)})`;
    return reduced(args, undefined, [raises(args.layer, "RuntimeError", torch)]);
  }
  const all = broadcast(args.layer, [x1, x2, target]);
  return reduced(args, all.shape, all.problem ? [all.problem] : []);
};

/**
 * cosine_embedding_loss(input1, input2, target): a 1-D target (N) takes inputs (N, D), a 0-D one inputs (D); the
 * cosine along D of the broadcast inputs, then broadcast with the target.
 */
const inferCosineEmbedding: Infer = (args, [x1, x2, target]) => {
  if (!x1 || !x2 || !target) return reduced(args, undefined, []);
  if (target.length > 1) return reduced(args, undefined, [{ ...raises(args.layer, "RuntimeError", "0D or 1D target tensor expected, multi-target not supported"), input: 2 }]);
  const ranks = target.length + 1;
  if (x1.length !== ranks || x2.length !== ranks) {
    const torch = `${target.length}D target tensor expects ${ranks}D input tensors, but found inputs with sizes ${sizeList(x1)} and ${sizeList(x2)}.`;
    return reduced(args, undefined, [raises(args.layer, "RuntimeError", torch)]);
  }
  const product = broadcast(args.layer, [x1, x2]);
  if (product.problem) return reduced(args, undefined, [product.problem]);
  const cosine = product.shape!.slice(0, -1);
  const out = broadcast(args.layer, [cosine, target], [0, 2]);
  return reduced(args, out.shape, out.problem ? [out.problem] : []);
};

/**
 * triplet_margin_loss(anchor, positive, negative): three tensors of one rank; pairwise_distance of anchor and positive,
 * and of anchor and negative (with `swap`, the smaller of that and positive's to negative's), each the norm along the
 * last dim of the broadcast pair; the loss is max(0, margin + d(a, p) − d(a, n)) of the two distances broadcast.
 */
const inferTripletMargin: Infer = (args, [anchor, positive, negative]) => {
  const swap = args.bool("swap");
  if (!anchor || !positive || !negative) return reduced(args, undefined, []);
  if (anchor.length !== positive.length || anchor.length !== negative.length) {
    const torch = `The anchor, positive, and negative tensors are expected to have the same number of dimensions, but got: anchor ${anchor.length}D, positive ${positive.length}D, and negative ${negative.length}D inputs`;
    return reduced(args, undefined, [raises(args.layer, "RuntimeError", torch)]);
  }
  const distance = (a: Shape, b: Shape, blame: number) => {
    const both = broadcast(args.layer, [a, b], [0, blame]);
    return { shape: both.shape?.slice(0, -1), problem: both.problem };
  };
  const toPositive = distance(anchor, positive, 1);
  const toNegative = distance(anchor, negative, 2);
  const swapped = swap ? distance(positive, negative, 2) : undefined;
  const problem = toPositive.problem ?? toNegative.problem ?? swapped?.problem;
  if (problem || swap === undefined) return reduced(args, undefined, problem ? [problem] : []);
  const nearest = swapped ? broadcast(args.layer, [toNegative.shape!, swapped.shape!]).shape! : toNegative.shape!;
  const out = broadcast(args.layer, [toPositive.shape!, nearest]);
  return reduced(args, out.shape, out.problem ? [out.problem] : []);
};

// ---------------------------------------------------------------------------------------------
// The modules
// ---------------------------------------------------------------------------------------------

/** TripletMarginLoss's constructor in current PyTorch (not yet in 1.13): a margin ≤ 0 is a ValueError. */
function refusesMargin(args: Args): Problem[] {
  const margin = args.raw("margin");
  const value = margin === undefined ? undefined : numeric(margin);
  if (margin === undefined || value === undefined || value > 0) return [];
  return [raises("TripletMarginLoss", "ValueError", `TripletMarginLoss: expected margin to be greater than 0, got ${pyRepr(margin)} instead`, "margin")];
}

interface LossDef {
  /** The class under torch.nn. */
  readonly layer: string;
  readonly summary: string;
  /** The constructor's parameters in PyTorch's positional order, with its defaults. */
  readonly params: readonly ParamDecl[];
  /** The forward's tensors, as it names them: (input, target) by default. */
  readonly tensors?: readonly string[];
  /** The functional function's rule the forward runs. */
  readonly forward: Infer;
  /** The module's arguments the forward passes on that the rule reads besides the reduction (TripletMarginLoss's `swap`). */
  readonly passes?: readonly string[];
  /** What the constructor refuses, in PyTorch's words. */
  readonly refuses?: (args: Args) => Problem[];
}

/** A loss module: called on its tensors, it runs its function with `reduction=self.reduction`. */
function lossSpec({ layer, summary, params, tensors = ["input", "target"], forward, passes = [], refuses = () => [] }: LossDef): LayerSpec {
  const expected = `${tensors.length === 2 ? "two" : "three"} tensors, ${tensors.slice(0, -1).join(", ")} and ${tensors[tensors.length - 1]}`;
  const infer = (args: Args, inputs: Inputs): LayerResult => {
    if (inputs.length < tensors.length) return result(args, undefined, [{ id: "inputCount", values: { layer, expected, got: `${inputs.length}` } }]);
    const problems = refuses(args);
    const chosen = moduleReduction(args, layer, problems);
    // The function sees the module's reduction and arguments, as PyTorch passes them; its messages name the module.
    // An argument given but not known goes on unknown, so the rule does not read it as its default.
    const passed = passes.flatMap((name): [string, PyValue][] => {
      const value = args.raw(name) ?? (args.has(name) ? unresolved(args.unresolved.get(name) ?? `${name} is not known`) : undefined);
      return value === undefined ? [] : [[name, value]];
    });
    const call = new Args(layer, new Map([...(chosen === undefined ? [] : [["reduction", chosen] as const]), ...passed]));
    const ran = forward(call, inputs);
    return { ...ran, problems: [...args.problems, ...problems, ...ran.problems] };
  };
  return {
    name: `torch.nn.${layer}`,
    summary,
    params,
    closedKeywords: true,
    cost: reduceCost,
    infer: (args, input) => infer(args, [input]),
    multiInput: { form: "arguments", tensors, min: tensors.length, max: tensors.length, infer: (args, inputs) => infer(args, inputs) },
  };
}

const REDUCED = "a 0-dim tensor with reduction 'mean' or 'sum', one loss per element with 'none'.";
const PER_POSITION = "a 0-dim tensor with reduction 'mean' or 'sum', one loss per sample and position with 'none'.";
const PER_SAMPLE = "a 0-dim tensor with reduction 'mean' or 'sum', one loss per sample with 'none'.";

export const torchLossModules: readonly LayerSpec[] = [
  /** torch/nn/modules/loss.py `CrossEntropyLoss`, forward `F.cross_entropy`. */
  lossSpec({
    layer: "CrossEntropyLoss",
    summary: `Cross entropy of logits (N, C, *) against class indices (N, *) or class probabilities (N, C, *): ${PER_POSITION}`,
    params: [weight, legacy[0], ignoreIndex, legacy[1], reduction, param("label_smoothing", 0.0)],
    forward: inferClassLoss(true),
    passes: ["ignore_index"],
  }),
  /** torch/nn/modules/loss.py `NLLLoss`, forward `F.nll_loss`. */
  lossSpec({
    layer: "NLLLoss",
    summary: `Negative log-likelihood of log-probabilities (N, C, *) against class indices (N, *): ${PER_POSITION}`,
    params: [weight, legacy[0], ignoreIndex, legacy[1], reduction],
    forward: inferClassLoss(false),
  }),
  /** torch/nn/modules/loss.py `L1Loss`, forward `F.l1_loss`. */
  lossSpec({ layer: "L1Loss", summary: `Mean absolute error of input and target (broadcast, with a warning when their shapes differ): ${REDUCED}`, params: [...legacy, reduction], forward: inferPointwiseLoss(true) }),
  /** torch/nn/modules/loss.py `MSELoss`, forward `F.mse_loss`. */
  lossSpec({ layer: "MSELoss", summary: `Mean squared error of input and target (broadcast, with a warning when their shapes differ): ${REDUCED}`, params: [...legacy, reduction], forward: inferPointwiseLoss(true) }),
  /** torch/nn/modules/loss.py `SmoothL1Loss`, forward `F.smooth_l1_loss`. */
  lossSpec({ layer: "SmoothL1Loss", summary: `Squared error below beta, absolute error above: ${REDUCED}`, params: [...legacy, reduction, param("beta", 1.0)], forward: inferPointwiseLoss(true) }),
  /** torch/nn/modules/loss.py `HuberLoss`, forward `F.huber_loss`. It passes only `reduction` up to `_Loss.__init__`: no size_average / reduce. */
  lossSpec({ layer: "HuberLoss", summary: `Squared error below delta, delta-scaled absolute error above: ${REDUCED}`, params: [reduction, param("delta", 1.0)], forward: inferPointwiseLoss(true) }),
  /** torch/nn/modules/loss.py `SoftMarginLoss`, forward `F.soft_margin_loss`. */
  lossSpec({ layer: "SoftMarginLoss", summary: `Logistic loss log(1 + exp(−y·x)) of input and ±1 target (broadcast into the input's shape): ${REDUCED}`, params: [...legacy, reduction], forward: inferSoftMarginLoss }),
  /** torch/nn/modules/loss.py `KLDivLoss`, forward `F.kl_div`. */
  lossSpec({
    layer: "KLDivLoss",
    summary: "Kullback-Leibler divergence of log-probabilities from the target (broadcast): a 0-dim tensor with reduction 'mean', 'batchmean' or 'sum', one loss per element with 'none'.",
    params: [...legacy, reduction, param("log_target", false)],
    forward: inferPointwiseLoss(false, ["batchmean"]),
  }),
  /** torch/nn/modules/loss.py `BCELoss`, forward `F.binary_cross_entropy`. */
  lossSpec({ layer: "BCELoss", summary: `Binary cross entropy of probabilities and a target of the same shape: ${REDUCED}`, params: [weight, ...legacy, reduction], forward: inferBinaryLoss(false) }),
  /** torch/nn/modules/loss.py `BCEWithLogitsLoss`, forward `F.binary_cross_entropy_with_logits`. */
  lossSpec({
    layer: "BCEWithLogitsLoss",
    summary: `Binary cross entropy of logits (a sigmoid folded in) and a target of the same shape: ${REDUCED}`,
    params: [weight, ...legacy, reduction, param("pos_weight", null)],
    forward: inferBinaryLoss(true),
  }),
  /** torch/nn/modules/loss.py `PoissonNLLLoss`, forward `F.poisson_nll_loss`. */
  lossSpec({
    layer: "PoissonNLLLoss",
    summary: `Poisson negative log-likelihood of the (log) rate and the target (broadcast): ${REDUCED}`,
    params: [param("log_input", true), param("full", false), legacy[0], param("eps", 1e-8), legacy[1], reduction],
    tensors: ["log_input", "target"],
    forward: inferPointwiseLoss(false),
  }),
  /** torch/nn/modules/loss.py `HingeEmbeddingLoss`, forward `F.hinge_embedding_loss`. */
  lossSpec({ layer: "HingeEmbeddingLoss", summary: `Input where the ±1 target is 1, max(0, margin − input) where it is −1 (broadcast): ${REDUCED}`, params: [param("margin", 1.0), ...legacy, reduction], forward: inferPointwiseLoss(false) }),
  /** torch/nn/modules/loss.py `MultiLabelSoftMarginLoss`, forward `F.multilabel_soft_margin_loss`. */
  lossSpec({
    layer: "MultiLabelSoftMarginLoss",
    summary: `One-versus-all logistic loss of (N, C) scores and 0/1 targets, averaged over the classes: ${PER_SAMPLE}`,
    params: [weight, ...legacy, reduction],
    forward: inferMultiLabelSoftMargin,
  }),
  /** torch/nn/modules/loss.py `MarginRankingLoss`, forward `F.margin_ranking_loss`. */
  lossSpec({ layer: "MarginRankingLoss", summary: `max(0, −y·(x1 − x2) + margin) of three tensors of one rank (broadcast): ${REDUCED}`, params: [param("margin", 0.0), ...legacy, reduction], tensors: ["input1", "input2", "target"], forward: inferMarginRanking }),
  /** torch/nn/modules/loss.py `CosineEmbeddingLoss`, forward `F.cosine_embedding_loss`. */
  lossSpec({
    layer: "CosineEmbeddingLoss",
    summary: `1 − cos(x1, x2) where the ±1 target is 1, max(0, cos − margin) where it is −1; inputs (N, D) with a target (N), or (D) with a 0-dim one: ${PER_SAMPLE}`,
    params: [param("margin", 0.0), ...legacy, reduction],
    tensors: ["input1", "input2", "target"],
    forward: inferCosineEmbedding,
  }),
  /** torch/nn/modules/loss.py `TripletMarginLoss`, forward `F.triplet_margin_loss`. */
  lossSpec({
    layer: "TripletMarginLoss",
    summary: `max(0, margin + d(anchor, positive) − d(anchor, negative)), d the p-norm distance along the last dim: ${PER_SAMPLE}`,
    params: [param("margin", 1.0), param("p", 2.0), param("eps", 1e-6), param("swap", false), ...legacy, reduction],
    tensors: ["anchor", "positive", "negative"],
    forward: inferTripletMargin,
    passes: ["swap"],
    refuses: refusesMargin,
  }),
];
