/**
 * Normalization layers: BatchNormalization, LayerNormalization, GroupNormalization and
 * UnitNormalization. All keep the shape.
 *
 * BatchNormalization creates, each of size input[axis]: gamma (scale=True) and beta
 * (center=True), trainable; moving_mean and moving_variance, non-trainable; with
 * renorm=True also moving_stddev, renorm_mean and renorm_stddev, non-trainable.
 * tf.keras 2 (tf_keras/layers/normalization/batch_normalization.py) creates the same, and also
 * takes `fused`, `virtual_batch_size` and `adjustment` (Keras 3 refuses them) and a list of axes:
 * each weight is then shaped like the input with 1 outside those axes (see `generations`).
 * LayerNormalization creates gamma (scale or rms_scaling) and beta (center and not
 * rms_scaling), each shaped like the normalized axes, all trainable.
 */
import { costing, perOutputElement } from "../cost";
import { Args } from "../args";
import { Dim, NONE, Shape, formatShape, isKnown } from "../shape";
import { Formula, LayerResult, LayerSpec, Problem, Weight, ParamDecl } from "../spec";
import { weight } from "../math";
import { withThousands } from "../format";
import { isSequence, pyRepr } from "../values";
import { differs } from "../generations";

/**
 * keras/src/layers/normalization/batch_normalization.py; tf_keras/layers/normalization/batch_normalization.py and
 * tf_keras/api/golden/v2/tensorflow.keras.layers.-batch-normalization.pbtxt (its exported signature: the first 13 as
 * Keras 3's, then `synchronized`; `renorm`… and the rest reach BatchNormalizationBase through **kwargs).
 */
const BN_SOURCE = "keras/src/layers/normalization/batch_normalization.py; tf_keras/layers/normalization/batch_normalization.py";

/** The axis as an index into `input`, or a problem when it is out of range. */
function normalizeAxis(axis: number, input: Shape, argument: string, value: string): number | Problem {
  const rank = input.length;
  if (axis < -rank || axis >= rank) {
    return {
      id: "invalidArgument",
      argument,
      values: { argument, expected: `an axis of the rank-${rank} input ${formatShape(input)}, from ${-rank} to ${rank - 1}`, value },
    };
  }
  return axis < 0 ? axis + rank : axis;
}

function totalOf(weights: readonly Weight[], keep: (w: Weight) => boolean): bigint {
  return weights.filter(keep).reduce((a, w) => a + (w.count ?? 0n), 0n);
}

const batchNormSpec: LayerSpec = {
  name: "BatchNormalization",
  summary: "Normalizes each feature along `axis` with batch statistics, then scales by gamma and shifts by beta.",
  params: [
    { name: "axis", default: -1 },
    { name: "momentum", default: 0.99 },
    { name: "epsilon", default: 0.001 },
    { name: "center", default: true },
    { name: "scale", default: true },
    { name: "beta_initializer", default: "zeros" },
    { name: "gamma_initializer", default: "ones" },
    { name: "moving_mean_initializer", default: "zeros" },
    { name: "moving_variance_initializer", default: "ones" },
    { name: "beta_regularizer", default: null },
    { name: "gamma_regularizer", default: null },
    { name: "beta_constraint", default: null },
    { name: "gamma_constraint", default: null },
    { name: "renorm", default: false },
    { name: "renorm_clipping", default: null },
    { name: "renorm_momentum", default: 0.99 },
    { name: "synchronized", default: false },
    { name: "fused", default: null, generations: { only: 2, source: BN_SOURCE } },
    { name: "virtual_batch_size", default: null, generations: { only: 2, source: BN_SOURCE } },
    { name: "adjustment", default: null, generations: { only: 2, source: BN_SOURCE } },
  ],
  generations: {
    keras2Positional: [
      "axis", "momentum", "epsilon", "center", "scale", "beta_initializer", "gamma_initializer", "moving_mean_initializer",
      "moving_variance_initializer", "beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint", "synchronized",
    ],
    source: BN_SOURCE,
  },
  infer(args: Args, input: Shape | undefined): LayerResult {
    // Keras 3: self.axis = int(axis), so a list of axes is rejected; tf.keras 2 takes one (below).
    const listed = args.keras !== 3 && isSequence(args.raw("axis") ?? null);
    const axis = listed ? undefined : args.int("axis", -Infinity);
    const axes = listed && args.keras === 2 ? args.axes("axis") : undefined;
    args.float("momentum");
    args.float("epsilon");
    const center = args.bool("center");
    const scale = args.bool("scale");
    const renorm = args.bool("renorm");
    args.bool("synchronized");
    const problems: Problem[] = [];
    const formulas: Formula[] = [];
    if (listed && args.keras === undefined) {
      problems.push(differs("BatchNormalization over a list of axes: tf.keras 2 normalizes over each, Keras 3 raises (`int(axis)`)", "axis", ", so its weights are unknown"));
    }

    // Each weight's shape: (input[axis],), or with several axes the input's rank with 1 outside them (tf.keras 2).
    let paramShape: number[] | undefined;
    let size: number | undefined;
    if (input && axes) {
      const indices = axes.map((a) => normalizeAxis(a, input, "axis", pyRepr(args.raw("axis") ?? null)));
      const bad = indices.find((i): i is Problem => typeof i !== "number");
      if (bad) problems.push(bad);
      else if (indices.length === 1) {
        const dim = input[indices[0] as number];
        if (isKnown(dim)) paramShape = [dim];
      } else {
        const dims = input.map((d, i) => (indices.includes(i) ? d : 1));
        if (dims.every(isKnown)) paramShape = dims as number[];
      }
      if (paramShape) size = paramShape.reduce((a, b) => a * b, 1);
      else if (!bad) problems.push({ id: "undefinedAxis", values: { layer: "BatchNormalization", axis: axes.join(", "), shape: formatShape(input) } });
    }
    if (input && axis !== undefined) {
      const index = normalizeAxis(axis, input, "axis", pyRepr(axis));
      if (typeof index !== "number") problems.push(index);
      else {
        const dim: Dim = input[index];
        if (isKnown(dim)) {
          size = dim;
          paramShape = [dim];
        }
        else if (dim === NONE && index === input.length - 1) {
          problems.push({ id: "undefinedLastDimension", values: { layer: "BatchNormalization", shape: formatShape(input) } });
        }
      }
    }

    const weights: Weight[] = [];
    const optional = (name: string, flag: boolean | undefined) => {
      if (flag === undefined) weights.push({ name, trainable: true });
      else if (flag) weights.push(weight(name, paramShape ?? [undefined]));
    };
    optional("gamma", scale);
    optional("beta", center);
    weights.push(weight("moving_mean", paramShape ?? [undefined], false), weight("moving_variance", paramShape ?? [undefined], false));
    if (renorm === undefined) weights.push({ name: "renorm statistics", trainable: false });
    else if (renorm) {
      for (const name of ["moving_stddev", "renorm_mean", "renorm_stddev"]) weights.push(weight(name, paramShape ?? [undefined], false));
    }

    if (size !== undefined && weights.every((w) => w.count !== undefined)) {
      const trainable = totalOf(weights, (w) => w.trainable);
      const frozen = totalOf(weights, (w) => !w.trainable);
      formulas.push({
        label: "params",
        text: `${weights.length}·${size} = ${withThousands(trainable + frozen)} (${withThousands(trainable)} trainable, ${withThousands(frozen)} non-trainable)`,
      });
    }
    return { output: input, weights, formulas, problems: [...args.problems, ...problems] };
  },
};

/** The beta / gamma options LayerNormalization and GroupNormalization share, in Keras's order. */
const affineOptions: ParamDecl[] = [
  { name: "beta_initializer", default: "zeros" },
  { name: "gamma_initializer", default: "ones" },
  { name: "beta_regularizer", default: null },
  { name: "gamma_regularizer", default: null },
  { name: "beta_constraint", default: null },
  { name: "gamma_constraint", default: null },
];

const layerNormSpec: LayerSpec = {
  name: "LayerNormalization",
  summary: "Normalizes each example over the `axis` dimensions, then scales by gamma and shifts by beta.",
  params: [
    { name: "axis", default: -1 },
    { name: "epsilon", default: 0.001 },
    { name: "center", default: true },
    { name: "scale", default: true },
    { name: "rms_scaling", default: false },
    ...affineOptions,
  ],
  infer(args: Args, input: Shape | undefined): LayerResult {
    const axes = args.axes("axis");
    args.float("epsilon");
    const center = args.bool("center");
    const scale = args.bool("scale");
    const rms = args.bool("rms_scaling");
    const problems: Problem[] = [];
    const formulas: Formula[] = [];

    // The weight shape: input[a] for each axis, in the order given (undefined where unknown).
    let shape: (number | undefined)[] = [undefined];
    if (input && axes) {
      const indices: number[] = [];
      for (const a of axes) {
        const index = normalizeAxis(a, input, "axis", pyRepr(args.raw("axis") ?? null));
        if (typeof index === "number") indices.push(index);
        else problems.push(index);
      }
      if (indices.length === axes.length) {
        shape = indices.map((i) => (isKnown(input[i]) ? (input[i] as number) : undefined));
        const last = input.length - 1;
        if (indices.includes(last) && input[last] === NONE) {
          problems.push({ id: "undefinedLastDimension", values: { layer: "LayerNormalization", shape: formatShape(input) } });
        }
      }
    }

    const weights: Weight[] = [];
    const hasGamma = scale === undefined || rms === undefined ? undefined : scale || rms;
    const hasBeta = center === undefined || rms === undefined ? undefined : center && !rms;
    for (const [name, flag] of [["gamma", hasGamma], ["beta", hasBeta]] as const) {
      if (flag === undefined) weights.push({ name, trainable: true });
      else if (flag) weights.push(weight(name, shape));
    }

    if (weights.length && weights.every((w) => w.count !== undefined)) {
      const known = shape as number[];
      const total = totalOf(weights, () => true);
      const per = known.length > 1 ? `(${known.join("·")})` : `${known[0]}`;
      formulas.push({ label: "params", text: `${weights.length}·${per} = ${withThousands(total)}` });
    }
    return { output: input, weights, formulas, problems: [...args.problems, ...problems] };
  },
};

/**
 * GroupNormalization (group_normalization.py): gamma (scale) and beta (center), each
 * (input[axis],), trainable. build() raises when input[axis] is None, when groups
 * exceeds it or does not divide it; groups=-1 means one group per channel.
 */
const groupNormSpec: LayerSpec = {
  name: "GroupNormalization",
  summary: "Splits the channels on `axis` into `groups` groups and normalizes each group per example, then scales by gamma and shifts by beta.",
  params: [
    { name: "groups", default: 32 },
    { name: "axis", default: -1 },
    { name: "epsilon", default: 0.001 },
    { name: "center", default: true },
    { name: "scale", default: true },
    ...affineOptions,
  ],
  infer(args: Args, input: Shape | undefined): LayerResult {
    let groups = args.int("groups", -Infinity);
    if (groups !== undefined && groups !== -1 && groups < 1) {
      args.problems.push({
        id: "invalidArgument",
        argument: "groups",
        values: { argument: "groups", expected: "a positive integer or -1 (one group per channel)", value: groups },
      });
      groups = undefined;
    }
    // build() indexes input_shape[self.axis], so axis is a single integer.
    const axis = args.int("axis", -Infinity);
    args.float("epsilon");
    const center = args.bool("center");
    const scale = args.bool("scale");
    const problems: Problem[] = [];
    const formulas: Formula[] = [];

    let size: number | undefined;
    if (input && axis !== undefined) {
      const index = normalizeAxis(axis, input, "axis", pyRepr(axis));
      if (typeof index !== "number") problems.push(index);
      else {
        const dim: Dim = input[index];
        if (dim === NONE) {
          problems.push({ id: "undefinedAxis", argument: "axis", values: { layer: "GroupNormalization", axis, shape: formatShape(input) } });
        } else if (isKnown(dim) && groups !== undefined) {
          const g = groups === -1 ? dim : groups;
          if (dim % g !== 0) {
            problems.push({ id: "groupsNotDividing", argument: "groups", values: { what: "The channels on axis " + axis, count: dim, groups: g } });
          } else size = dim;
          if (groups !== -1) formulas.push({ label: "group size", text: `${dim} / ${g} = ${dim / g}` });
        }
      }
    }

    const weights: Weight[] = [];
    for (const [name, flag] of [["gamma", scale], ["beta", center]] as const) {
      if (flag === undefined) weights.push({ name, trainable: true });
      else if (flag) weights.push(weight(name, [size]));
    }
    if (size !== undefined && weights.every((w) => w.count !== undefined) && weights.length) {
      formulas.push({ label: "params", text: `${weights.length}·${size} = ${withThousands(totalOf(weights, () => true))}` });
    }
    return { output: input, weights, formulas, problems: [...args.problems, ...problems] };
  },
};

/** UnitNormalization (unit_normalization.py): L2-normalizes over `axis`; no weights. */
const unitNormSpec: LayerSpec = {
  name: "UnitNormalization",
  summary: "Scales each example so that its L2 norm over `axis` is 1; the shape is unchanged.",
  params: [{ name: "axis", default: -1 }],
  infer(args: Args, input: Shape | undefined): LayerResult {
    // __init__ raises a TypeError unless axis is an int or a list/tuple of them.
    const axes = args.axes("axis");
    const problems: Problem[] = [];
    if (input && axes) {
      for (const a of axes) {
        const index = normalizeAxis(a, input, "axis", pyRepr(args.raw("axis") ?? null));
        if (typeof index !== "number") {
          problems.push(index);
          break;
        }
      }
    }
    return { output: input, weights: [], formulas: [], problems: [...args.problems, ...problems] };
  },
};

// At inference each element is scaled and shifted once (the statistics, computed or kept, are not counted).
export const normalizationLayers: LayerSpec[] = costing(perOutputElement("one per element: x·scale + shift"), [batchNormSpec, layerNormSpec, groupNormSpec, unitNormSpec]);
