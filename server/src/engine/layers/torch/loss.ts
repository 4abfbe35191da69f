/**
 * PyTorch's loss modules (torch/nn/modules/loss.py): CrossEntropyLoss, NLLLoss, MSELoss, L1Loss, SmoothL1Loss,
 * HuberLoss, KLDivLoss, BCELoss, BCEWithLogitsLoss and SoftMarginLoss.
 *
 * Each module's forward calls its torch.nn.functional function on `(input, target)` with the module's attributes
 * (`F.cross_entropy(input, target, weight=self.weight, …, reduction=self.reduction)`), so its shapes and refusals are
 * that function's, read by the same rules (`functional.ts`), with the module's name in the messages. A `weight` or
 * `pos_weight` is registered as a buffer, not a parameter: a loss module has no parameters.
 */
import { Args } from "../../args";
import { LayerResult, LayerSpec, ParamDecl, Problem } from "../../spec";
import { PyValue, isSequence, items, numeric, pyRepr } from "../../values";
import { inferBinaryLoss, inferClassLoss, inferPointwiseLoss } from "./functional";
import { Infer, Inputs, reduceCost, result } from "./tensorShapes";

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

interface LossDef {
  /** The class under torch.nn. */
  readonly layer: string;
  readonly summary: string;
  /** The constructor's parameters in PyTorch's positional order, with its defaults. */
  readonly params: readonly ParamDecl[];
  /** The functional function's rule the forward runs. */
  readonly forward: Infer;
}

/** A loss module: called on (input, target), it runs its function with `reduction=self.reduction`. */
function lossSpec({ layer, summary, params, forward }: LossDef): LayerSpec {
  const infer = (args: Args, inputs: Inputs): LayerResult => {
    if (inputs.length < 2) return result(args, undefined, [{ id: "inputCount", values: { layer, expected: "two tensors, input and target", got: inputs.length ? "one" : "none" } }]);
    const problems: Problem[] = [];
    const chosen = moduleReduction(args, layer, problems);
    // The function sees the module's reduction, as PyTorch passes it; its messages name the module.
    const call = new Args(layer, new Map(chosen === undefined ? [] : [["reduction", chosen]]));
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
    multiInput: { form: "arguments", tensors: ["input", "target"], min: 2, max: 2, infer: (args, inputs) => infer(args, inputs) },
  };
}

const REDUCED = "a 0-dim tensor with reduction 'mean' or 'sum', one loss per element with 'none'.";
const PER_SAMPLE = "a 0-dim tensor with reduction 'mean' or 'sum', one loss per sample (and position) with 'none'.";

export const torchLossModules: readonly LayerSpec[] = [
  lossSpec({
    layer: "CrossEntropyLoss",
    summary: `Cross entropy of logits (N, C, *) against class indices (N, *) or class probabilities (N, C, *): ${PER_SAMPLE}`,
    params: [weight, legacy[0], ignoreIndex, legacy[1], reduction, param("label_smoothing", 0.0)],
    forward: inferClassLoss(true),
  }),
  lossSpec({
    layer: "NLLLoss",
    summary: `Negative log-likelihood of log-probabilities (N, C, *) against class indices (N, *): ${PER_SAMPLE}`,
    params: [weight, legacy[0], ignoreIndex, legacy[1], reduction],
    forward: inferClassLoss(false),
  }),
  lossSpec({ layer: "L1Loss", summary: `Mean absolute error of input and target (broadcast, with a warning when their shapes differ): ${REDUCED}`, params: [...legacy, reduction], forward: inferPointwiseLoss(true) }),
  lossSpec({ layer: "MSELoss", summary: `Mean squared error of input and target (broadcast, with a warning when their shapes differ): ${REDUCED}`, params: [...legacy, reduction], forward: inferPointwiseLoss(true) }),
  lossSpec({ layer: "SmoothL1Loss", summary: `Squared error below beta, absolute error above: ${REDUCED}`, params: [...legacy, reduction, param("beta", 1.0)], forward: inferPointwiseLoss(true) }),
  // HuberLoss passes only `reduction` up to `_Loss.__init__`: no deprecated arguments.
  lossSpec({ layer: "HuberLoss", summary: `Squared error below delta, delta-scaled absolute error above: ${REDUCED}`, params: [reduction, param("delta", 1.0)], forward: inferPointwiseLoss(true) }),
  lossSpec({ layer: "SoftMarginLoss", summary: `Logistic loss log(1 + exp(−y·x)) of input and ±1 target (broadcast): ${REDUCED}`, params: [...legacy, reduction], forward: inferPointwiseLoss(false) }),
  lossSpec({
    layer: "KLDivLoss",
    summary: `Kullback-Leibler divergence of log-probabilities from the target (broadcast): a 0-dim tensor with reduction 'mean', 'batchmean' or 'sum', one loss per element with 'none'.`,
    params: [...legacy, reduction, param("log_target", false)],
    forward: inferPointwiseLoss(false, ["batchmean"]),
  }),
  lossSpec({ layer: "BCELoss", summary: `Binary cross entropy of probabilities and a target of the same shape: ${REDUCED}`, params: [weight, ...legacy, reduction], forward: inferBinaryLoss(false) }),
  lossSpec({
    layer: "BCEWithLogitsLoss",
    summary: `Binary cross entropy of logits (a sigmoid folded in) and a target of the same shape: ${REDUCED}`,
    params: [weight, ...legacy, reduction, param("pos_weight", null)],
    forward: inferBinaryLoss(true),
  }),
];
