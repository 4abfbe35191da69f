/**
 * PyTorch's normalization modules: BatchNorm1d/2d/3d and their Lazy forms (torch/nn/modules/batchnorm.py),
 * InstanceNorm1d/2d/3d and their Lazy forms (instancenorm.py), LayerNorm, GroupNorm, LocalResponseNorm and
 * RMSNorm (normalization.py). All keep the shape.
 *
 * Parameters are `weight` and `bias` of num_features (or the normalized shape) each, only when affine; the
 * running statistics (`running_mean`, `running_var`, `num_batches_tracked`) are buffers, not parameters, and
 * are not counted, as `model.parameters()` does not list them. RMSNorm (PyTorch ≥ 2.4) is not in Debian's
 * PyTorch 1.13: its counts follow PyTorch 2.4's source (a weight only, of the normalized shape).
 */
import { Args } from "../../args";
import { Cost, CostRule, UNKNOWN_DIMENSION, factor, product } from "../../cost";
import { withThousands } from "../../format";
import { weight } from "../../math";
import { Shape, formatShape, isKnown } from "../../shape";
import { Formula, LayerResult, LayerSpec, ParamDecl, Problem, Weight } from "../../spec";
import { isInt, isSequence, isUnresolved, items, pyRepr } from "../../values";
import { expectedRanks, known, raises, rankRefused, sameShape, size, sizesText } from "./moduleChecks";

const factoryParams: ParamDecl[] = [
  { name: "device", default: null },
  { name: "dtype", default: null },
];

/** weight and bias of `features` each when `affine`; unknown when either is. */
function affineWeights(features: number | undefined, affine: boolean | undefined): Weight[] {
  if (affine === false) return [];
  if (affine === undefined) return [{ name: "weight", trainable: true }, { name: "bias", trainable: true }];
  return [weight("weight", [features]), weight("bias", [features])];
}

function affineFormula(features: number | undefined, affine: boolean | undefined): Formula[] {
  if (!affine || features === undefined) return [];
  return [{ label: "params", text: `2·${features} = ${withThousands(2n * BigInt(features))}` }];
}

/** `eps` and `momentum` (None allowed: a cumulative average) are numbers; read so that a wrong type is flagged. */
function readStatistics(args: Args): void {
  args.float("eps");
  if (args.raw("momentum") !== null) args.float("momentum");
}

/**
 * One per output element (x·scale + shift, the convention), over the sample: the batch dimension is left out
 * only when the input has it (`batchedRank`; undefined: the first dimension is always the batch).
 */
function perSampleElement(batchedRank?: number): CostRule {
  return ({ output }): Cost => {
    if (!output) return { note: UNKNOWN_DIMENSION };
    const unbatched = batchedRank !== undefined && output.length === batchedRank - 1;
    return product([factor(unbatched ? output : output.slice(1))], "normalization: one per element");
  };
}

/** The product of `dims`, or undefined when one is unknown. */
function knownProduct(dims: Shape): number | undefined {
  return dims.every(isKnown) ? (dims as number[]).reduce((a, d) => a * d, 1) : undefined;
}

/**
 * functional.py `_verify_batch_size` on `size` (batch, channels, positions…): statistics over the batch and the
 * positions refused when they hold a single value per channel. PyTorch's message says "when training", but the
 * check runs whenever the statistics come from the input: for GroupNorm, and BatchNorm without running
 * statistics, in eval mode too.
 */
function singleValuePerChannel(layer: string, size: Shape, printed: string): Problem | undefined {
  if (knownProduct([size[0], ...size.slice(2)]) !== 1) return undefined;
  return raises(layer, "ValueError", `Expected more than 1 value per channel when training, got input size ${printed}`);
}

/**
 * functional.py `_verify_spatial_size` on a batched `size`: instance statistics refused over a single position.
 */
function singleSpatialElement(layer: string, size: Shape): Problem | undefined {
  if (knownProduct(size.slice(2)) !== 1) return undefined;
  return raises(layer, "ValueError", `Expected more than 1 spatial element when training, got input size ${torchSize(size)}`);
}

/** How PyTorch prints a tensor's `size()`. */
function torchSize(shape: Shape): string {
  return `torch.Size(${sizesText(shape)})`;
}

type Family = "batch" | "instance";

/** The ranks each module accepts, batched first. */
const RANKS: Record<Family, Record<1 | 2 | 3, readonly number[]>> = {
  batch: { 1: [2, 3], 2: [4], 3: [5] },
  instance: { 1: [2, 3], 2: [3, 4], 3: [4, 5] },
};

/**
 * `_BatchNorm.forward`'s checks: the rank (`_check_input_dim`); without running statistics (track_running_stats=False)
 * the batch's own are used in eval mode too, so a single value per channel is refused whatever the mode (with them,
 * in training only, which a static reading cannot know: not reported); then the channel count against the running
 * statistics (`running_mean should contain C elements not num_features`) or, without them, the weight.
 */
function inferBatchNorm(layer: string, rank: 1 | 2 | 3, args: Args, input: Shape | undefined, features: number | undefined): LayerResult {
  const affine = args.bool("affine");
  const track = args.bool("track_running_stats");
  readStatistics(args);
  const weights = affineWeights(features, affine);
  const formulas = affineFormula(features, affine);
  if (!input) return { weights, formulas, problems: args.problems };
  const ranks = RANKS.batch[rank];
  if (!ranks.includes(input.length)) return { weights, formulas, problems: [...args.problems, rankRefused(layer, input, expectedRanks(ranks, input.length))] };
  const problems: Problem[] = [];
  const single = track === false ? singleValuePerChannel(layer, input, torchSize(input)) : undefined;
  if (single) return { output: input, weights, formulas, problems: [...args.problems, single] };
  const channels = known(input[1]);
  const statistic = track ? "running_mean" : affine ? "weight" : undefined;
  if (statistic && channels !== undefined && features !== undefined && channels !== features) {
    problems.push({
      id: "torchRunningStats",
      argument: "num_features",
      values: { tensor: statistic, got: channels, expected: features, layer, features, shape: formatShape(input), actual: channels },
    });
  }
  return { output: input, weights, formulas, problems: [...args.problems, ...problems] };
}

const normParams = (affine: boolean, track: boolean): ParamDecl[] => [
  { name: "eps", default: 1e-5 },
  { name: "momentum", default: 0.1 },
  { name: "affine", default: affine },
  { name: "track_running_stats", default: track },
  ...factoryParams,
];

function batchNormSpec(rank: 1 | 2 | 3): LayerSpec {
  const layer = `BatchNorm${rank}d`;
  return {
    name: `torch.nn.${layer}`,
    summary: `Batch normalization over the channel dimension of a ${RANKS.batch[rank].map((r) => `${r}-D`).join(" or ")} input (N, C, …); weight and bias of C when affine.`,
    params: [{ name: "num_features" }, ...normParams(true, true)],
    closedKeywords: true,
    cost: perSampleElement(),
    infer: (args, input) => inferBatchNorm(layer, rank, args, input, size(args, "num_features")),
  };
}

/** batchnorm.py `LazyBatchNorm{1,2,3}d`: num_features is the first input's dimension 1. */
function lazyBatchNormSpec(rank: 1 | 2 | 3): LayerSpec {
  const layer = `LazyBatchNorm${rank}d`;
  return {
    name: `torch.nn.${layer}`,
    summary: `BatchNorm${rank}d whose num_features is taken from dimension 1 of its first input.`,
    params: normParams(true, true),
    closedKeywords: true,
    cost: perSampleElement(),
    infer: (args, input) => inferBatchNorm(layer, rank, args, input, input && input.length > 1 ? known(input[1]) : undefined),
  };
}

/**
 * `_InstanceNorm.forward`: the rank, then the channel dimension (dim 1, or 0 unbatched) against num_features —
 * a ValueError with affine parameters, a warning without them; then, when it normalizes by the input's own
 * statistics, a single position per channel is refused (`_verify_spatial_size`, on the input with its batch
 * dimension added); with running statistics the batch norm it runs on the (1, N·C, …) view then finds
 * `running_mean` repeated N times too short or long.
 */
function inferInstanceNorm(layer: string, rank: 1 | 2 | 3, args: Args, input: Shape | undefined, features: number | undefined): LayerResult {
  const affine = args.bool("affine");
  const track = args.bool("track_running_stats");
  readStatistics(args);
  const weights = affineWeights(features, affine);
  const formulas = affineFormula(features, affine);
  const done = (...problems: Problem[]): LayerResult => ({ output: input, weights, formulas, problems: [...args.problems, ...problems] });
  if (!input) return { weights, formulas, problems: args.problems };
  const ranks = RANKS.instance[rank];
  if (!ranks.includes(input.length)) return { weights, formulas, problems: [...args.problems, rankRefused(layer, input, expectedRanks(ranks, input.length))] };
  const batched = input.length === ranks[1];
  const featureDim = batched ? 1 : 0;
  const channels = known(input[featureDim]);
  /** The input's channels and num_features, when they differ. */
  const mismatch = channels !== undefined && features !== undefined && channels !== features ? { channels, features } : undefined;
  if (mismatch && affine) {
    const message = `expected input's size at dim=${featureDim} to match num_features (${mismatch.features}), but got: ${mismatch.channels}.`;
    return done(raises(layer, "ValueError", message, "num_features", mismatch.channels));
  }
  const shape = formatShape(input);
  const warned: Problem[] =
    mismatch && affine === false
      ? [{ id: "torchInstanceNormFeatures", argument: "num_features", values: { dim: featureDim, layer, features: mismatch.features, shape, actual: mismatch.channels } }]
      : [];
  // The input's own statistics are used in training and, without running statistics, in eval mode too; with them
  // the refusal is training's only, which a static reading cannot know.
  const single = track === false ? singleSpatialElement(layer, batched ? input : [1, ...input]) : undefined;
  if (single) return done(...warned, single);
  const batch = batched ? known(input[0]) : 1;
  if (mismatch && affine === false && track && batch !== undefined) {
    const { channels: actual, features: expected } = mismatch;
    const values = { tensor: "running_mean", got: batch * actual, expected: batch * expected, layer, features: expected, shape, actual };
    return done(...warned, { id: "torchRunningStats", argument: "num_features", values });
  }
  return done(...warned);
}

function instanceNormSpec(rank: 1 | 2 | 3): LayerSpec {
  const layer = `InstanceNorm${rank}d`;
  return {
    name: `torch.nn.${layer}`,
    summary: `Instance normalization: each sample's channels normalized over their ${rank}-D extent; (N, C, …) or unbatched (C, …).`,
    params: [{ name: "num_features" }, ...normParams(false, false)],
    closedKeywords: true,
    cost: perSampleElement(RANKS.instance[rank][1]),
    infer: (args, input) => inferInstanceNorm(layer, rank, args, input, size(args, "num_features")),
  };
}

/**
 * instancenorm.py `LazyInstanceNorm{1,2,3}d`: num_features is the first input's dimension 1 (`_LazyNormBase`), even
 * unbatched, where the channels are at dimension 0; its signature defaults affine and track_running_stats to True.
 */
function lazyInstanceNormSpec(rank: 1 | 2 | 3): LayerSpec {
  const layer = `LazyInstanceNorm${rank}d`;
  return {
    name: `torch.nn.${layer}`,
    summary: `InstanceNorm${rank}d whose num_features is taken from dimension 1 of its first input.`,
    params: normParams(true, true),
    closedKeywords: true,
    cost: perSampleElement(RANKS.instance[rank][1]),
    infer: (args, input) => inferInstanceNorm(layer, rank, args, input, input && input.length > 1 ? known(input[1]) : undefined),
  };
}

/** normalized_shape: an int or a sequence of ints ≥ 0 (PyTorch builds `tuple(normalized_shape)`). */
function normalizedShape(args: Args): number[] | undefined {
  const value = args.raw("normalized_shape");
  if (value === undefined) return undefined;
  if (isInt(value)) return value < 0 ? invalidShape(args, pyRepr(value)) : [value];
  if (!isSequence(value)) return invalidShape(args, pyRepr(value));
  const list = items(value);
  if (list.some(isUnresolved)) {
    args.unresolved.set("normalized_shape", "an element of it is not a constant");
    return undefined;
  }
  if (!list.every((v) => isInt(v) && v >= 0)) return invalidShape(args, pyRepr(value));
  return list as number[];
}

function invalidShape(args: Args, value: string): undefined {
  args.problems.push({ id: "invalidArgument", argument: "normalized_shape", values: { argument: "normalized_shape", expected: "an int or a list of ints", value } });
  return undefined;
}

/** The trailing dimensions must be normalized_shape (`layer_norm`'s check, RMSNorm's too). */
function trailingProblem(layer: string, input: Shape, shape: readonly number[]): Problem | undefined {
  const trailing = input.slice(input.length - shape.length);
  const fits = input.length >= shape.length && trailing.every((d, i) => !isKnown(d) || d === shape[i]);
  if (fits) return undefined;
  const message = `Given normalized_shape=${sizesText(shape)}, expected input with shape [*, ${shape.join(", ")}], but got input of size${sizesText(input)}`;
  return raises(layer, "RuntimeError", message, "normalized_shape");
}

function shapeWeight(name: string, shape: readonly number[] | undefined): Weight {
  return shape ? weight(name, shape) : { name, trainable: true };
}

/** normalization.py `LayerNorm`: weight and (with `bias`, PyTorch ≥ 2.1) bias of normalized_shape when elementwise_affine. */
const layerNormSpec: LayerSpec = {
  name: "torch.nn.LayerNorm",
  summary: "Layer normalization over the trailing dimensions given by normalized_shape; weight and bias of that shape when elementwise_affine.",
  params: [{ name: "normalized_shape" }, { name: "eps", default: 1e-5 }, { name: "elementwise_affine", default: true }, { name: "bias", default: true }, ...factoryParams],
  closedKeywords: true,
  cost: perSampleElement(),
  infer(args: Args, input: Shape | undefined): LayerResult {
    const shape = normalizedShape(args);
    args.float("eps");
    const affine = args.bool("elementwise_affine");
    const bias = args.bool("bias");
    const weights: Weight[] = [];
    if (affine !== false) weights.push(affine === undefined ? { name: "weight", trainable: true } : shapeWeight("weight", shape));
    if (affine !== false && bias !== false) weights.push(affine === undefined || bias === undefined ? { name: "bias", trainable: true } : shapeWeight("bias", shape));
    const formulas: Formula[] = [];
    if (shape && affine && bias !== undefined) {
      const each = factor(shape)!;
      const total = (bias ? 2n : 1n) * each.value;
      formulas.push({ label: "params", text: `${bias ? "2·" : ""}${shape.length > 1 ? `(${each.text})` : each.text} = ${withThousands(total)}` });
    }
    if (!input) return { weights, formulas, problems: args.problems };
    const problem = shape && trailingProblem("LayerNorm", input, shape);
    return { output: input, weights, formulas, problems: [...args.problems, ...(problem ? [problem] : [])] };
  },
};

/** normalization.py `RMSNorm` (PyTorch ≥ 2.4): a weight of normalized_shape when elementwise_affine, no bias. */
const rmsNormSpec: LayerSpec = {
  name: "torch.nn.RMSNorm",
  summary: "Root-mean-square normalization over the trailing dimensions given by normalized_shape; a weight of that shape when elementwise_affine.",
  params: [{ name: "normalized_shape" }, { name: "eps", default: null }, { name: "elementwise_affine", default: true }, ...factoryParams],
  closedKeywords: true,
  cost: perSampleElement(),
  infer(args: Args, input: Shape | undefined): LayerResult {
    const shape = normalizedShape(args);
    if (args.raw("eps") !== null) args.float("eps");
    const affine = args.bool("elementwise_affine");
    const weights: Weight[] = affine === false ? [] : affine === undefined ? [{ name: "weight", trainable: true }] : [shapeWeight("weight", shape)];
    const formulas: Formula[] = [];
    if (shape && affine && shape.length > 1) {
      const each = factor(shape)!;
      formulas.push({ label: "params", text: `${each.text} = ${withThousands(each.value)}` });
    }
    if (!input) return { weights, formulas, problems: args.problems };
    const problem = shape && trailingProblem("RMSNorm", input, shape);
    return { output: input, weights, formulas, problems: [...args.problems, ...(problem ? [problem] : [])] };
  },
};

/**
 * normalization.py `GroupNorm`: num_channels divisible by num_groups (a ValueError in `__init__`); then
 * `F.group_norm`'s checks, in its order: at least 2 dimensions, more than one value per group (its
 * `_verify_batch_size` on (N·C // num_groups, num_groups, positions…), in eval mode too: group statistics always
 * come from the input), the input's dimension 1 divisible by num_groups and, with affine, equal to num_channels.
 */
const groupNormSpec: LayerSpec = {
  name: "torch.nn.GroupNorm",
  summary: "Group normalization: the channels split into num_groups groups, each normalized over its channels and positions; weight and bias of num_channels when affine.",
  params: [{ name: "num_groups" }, { name: "num_channels" }, { name: "eps", default: 1e-5 }, { name: "affine", default: true }, ...factoryParams],
  closedKeywords: true,
  cost: perSampleElement(),
  infer(args: Args, input: Shape | undefined): LayerResult {
    const groups = args.int("num_groups");
    const channels = size(args, "num_channels");
    args.float("eps");
    const affine = args.bool("affine");
    const weights = affineWeights(channels, affine);
    const formulas = affineFormula(channels, affine);
    const problems: Problem[] = [];
    if (groups !== undefined && channels !== undefined && channels % groups !== 0) {
      problems.push(raises("GroupNorm", "ValueError", "num_channels must be divisible by num_groups", "num_groups"));
    }
    // A module whose constructor raises never runs: its forward checks would only repeat the fault.
    if (!input || problems.length) return { output: input, weights, formulas, problems: [...args.problems, ...problems] };
    if (input.length < 2) {
      const message = `Expected at least 2 dimensions for input tensor but received ${input.length}`;
      return { weights, formulas, problems: [...args.problems, rankRefused("GroupNorm", input, message)] };
    }
    const [batch, actual] = [known(input[0]), known(input[1])];
    if (batch !== undefined && actual !== undefined && groups !== undefined && groups > 0) {
      const grouped = [Math.floor((batch * actual) / groups), groups, ...input.slice(2)];
      const single = singleValuePerChannel("GroupNorm", grouped, sizesText(grouped));
      if (single) return { output: input, weights, formulas, problems: [...args.problems, single] };
    }
    if (actual !== undefined && groups !== undefined && actual % groups !== 0) {
      const message = `Expected number of channels in input to be divisible by num_groups, but got input of shape ${sizesText(input)} and num_groups=${groups}`;
      problems.push(raises("GroupNorm", "RuntimeError", message, "num_groups", actual));
    } else if (actual !== undefined && channels !== undefined && affine && actual !== channels) {
      const message = `Expected weight to be a vector of size equal to the number of channels in input, but got weight of shape [${channels}] and input of shape ${sizesText(input)}`;
      problems.push(raises("GroupNorm", "RuntimeError", message, "num_channels", actual));
    }
    return { output: input, weights, formulas, problems: [...args.problems, ...problems] };
  },
};

/** normalization.py `LocalResponseNorm` (`F.local_response_norm`): a 3-D or higher input, no parameters. */
const localResponseNormSpec: LayerSpec = {
  name: "torch.nn.LocalResponseNorm",
  summary: "Local response normalization across neighbouring channels (`size` of them); no parameters.",
  params: [{ name: "size" }, { name: "alpha", default: 1e-4 }, { name: "beta", default: 0.75 }, { name: "k", default: 1.0 }],
  closedKeywords: true,
  cost: perSampleElement(),
  infer(args: Args, input: Shape | undefined): LayerResult {
    args.int("size");
    args.float("alpha");
    args.float("beta");
    args.float("k");
    if (input && input.length < 3) return sameShape(args, undefined, [rankRefused("LocalResponseNorm", input, `Expected 3D or higher dimensionality input (got ${input.length} dimensions)`)]);
    return sameShape(args, input);
  },
};

const ranks = [1, 2, 3] as const;

export const torchNormalizationModules: readonly LayerSpec[] = [
  ...ranks.map(batchNormSpec),
  ...ranks.map(lazyBatchNormSpec),
  ...ranks.map(instanceNormSpec),
  ...ranks.map(lazyInstanceNormSpec),
  layerNormSpec,
  rmsNormSpec,
  groupNormSpec,
  localResponseNormSpec,
];
