/**
 * Reshaping layers: Flatten, Reshape, Permute, RepeatVector, ZeroPadding1D/2D/3D,
 * Cropping1D/2D/3D, UpSampling1D/2D/3D.
 *
 * Flatten: (batch, d₁, …, dₙ) → (batch, d₁·…·dₙ); a rank-1 input gives (batch, 1).
 * Reshape: (batch, …) → (batch, *target_shape), with one -1 inferred from the
 * element count (`compute_reshape_output_shape` on the non-batch dimensions).
 * Permute(dims): output axis i is input axis dims[i] (1-based, batch excluded).
 * RepeatVector(n): (batch, features) → (batch, n, features).
 * ZeroPadding: each padded spatial axis grows by before + after. Cropping: each
 * cropped axis shrinks by before + after, and Keras raises when nothing is left.
 * UpSampling: each spatial axis is multiplied by its `size`. No weights.
 */
import { CostRule, costing, dataMovementCost, factor, product } from "../cost";
import { Args, DataFormat } from "../args";
import { Dim, NONE, Shape, UNKNOWN, formatShape, isKnown, openOf } from "../shape";
import { Formula, LayerResult, LayerSpec, Problem } from "../spec";
import { rankProblem, spatialExample, spatialNames, unknownFrom } from "../math";
import { withThousands } from "../format";
import { PyValue, isInt, isSequence, isUnresolved, items, pyRepr } from "../values";

const done = (args: Args, output: Shape | undefined, formulas: Formula[], problems: Problem[]): LayerResult => ({
  output,
  weights: [],
  formulas,
  problems: [...args.problems, ...problems],
});

const flattenSpec: LayerSpec = {
  name: "Flatten",
  summary: "Flattens every non-batch dimension into one: (batch, …) → (batch, product of the rest).",
  params: [{ name: "data_format", default: null }],
  infer(args: Args, input: Shape | undefined): LayerResult {
    // data_format only changes the order of the elements, never the size.
    args.dataFormat();
    const problems: Problem[] = [];
    const formulas: Formula[] = [];
    if (!input) return done(args, undefined, formulas, problems);
    const rest = input.slice(1);
    if (rest.length === 0) return done(args, [input[0], 1], formulas, problems);
    const open = rest.filter((d) => !isKnown(d));
    if (open.length) {
      const dim = openOf(...open);
      if (dim === NONE) problems.push({ id: "flattenUnknown", values: { shape: formatShape(input) } });
      return done(args, [input[0], dim], formulas, problems);
    }
    const size = (rest as number[]).reduce((a, b) => a * b, 1);
    if (rest.length > 1) formulas.push({ label: "flattened", text: `${rest.join("·")} = ${withThousands(size)}` });
    return done(args, [input[0], size], formulas, problems);
  },
};

/** A target_shape element: a size, -1 to infer, or an open dimension. */
type TargetDim = number | "None" | "?";

function targetShape(args: Args): TargetDim[] | undefined {
  const v = args.raw("target_shape");
  if (v === undefined) return undefined;
  const invalid = () => {
    args.problems.push({
      id: "invalidArgument",
      argument: "target_shape",
      values: { argument: "target_shape", expected: "a tuple of non-negative integers with at most one -1", value: pyRepr(v) },
    });
    return undefined;
  };
  if (!isSequence(v)) return invalid();
  const dims: TargetDim[] = [];
  for (const item of items(v)) {
    if (item === null) dims.push(NONE);
    else if (isUnresolved(item)) {
      args.unresolved.set("target_shape", item.unresolved);
      dims.push(UNKNOWN);
    } else if (isInt(item) && item >= -1) dims.push(item);
    else return invalid();
  }
  if (dims.filter((d) => d === -1).length > 1) return invalid();
  return dims;
}

const reshapeSpec: LayerSpec = {
  name: "Reshape",
  summary: "Reshapes the non-batch dimensions to `target_shape`, keeping the number of elements; one -1 is inferred.",
  params: [{ name: "target_shape" }],
  infer(args: Args, input: Shape | undefined): LayerResult {
    const target = targetShape(args);
    const problems: Problem[] = [];
    const formulas: Formula[] = [];
    if (!target || !input) return done(args, undefined, formulas, problems);
    const rest = input.slice(1);
    const inferAt = target.indexOf(-1);
    const openDims = [...rest, ...target].filter((d): d is "None" | "?" => !isKnown(d));
    // An open dimension on either side: the -1 cannot be inferred (Keras gives None).
    if (openDims.length) {
      const open = openOf(...openDims);
      return done(args, [input[0], ...target.map((d) => (d === -1 ? open : d))], formulas, problems);
    }
    const inSize = (rest as number[]).reduce((a, b) => a * b, 1);
    const known = target as number[];
    const inText = rest.length > 1 ? `${rest.join("·")} = ${withThousands(inSize)}` : withThousands(inSize);
    const mismatch = (detail: string) =>
      problems.push({
        id: "reshapeMismatch",
        argument: "target_shape",
        values: { target: formatShape(known), input: formatShape(input), detail },
      });
    if (inferAt < 0) {
      const outSize = known.reduce((a, b) => a * b, 1);
      if (outSize !== inSize) {
        const outText = known.length > 1 ? `${known.join("·")} = ${withThousands(outSize)}` : withThousands(outSize);
        mismatch(`the input has ${inText} elements, the target ${outText}`);
      }
      return done(args, [input[0], ...known], formulas, problems);
    }
    const others = known.filter((_, i) => i !== inferAt);
    const otherSize = others.reduce((a, b) => a * b, 1);
    const othersText = others.length > 1 ? `(${others.join("·")})` : `${otherSize}`;
    if (otherSize === 0 || inSize % otherSize !== 0) {
      mismatch(`the input has ${inText} elements, which is not a multiple of ${others.length > 1 ? `${others.join("·")} = ` : ""}${withThousands(otherSize)}`);
      return done(args, [input[0], ...known.map((d) => (d === -1 ? UNKNOWN : d))], formulas, problems);
    }
    const inferred = inSize / otherSize;
    const inFactors = rest.length > 1 ? `(${rest.join("·")})` : withThousands(inSize);
    formulas.push({ label: "-1", text: `${inFactors} / ${othersText} = ${withThousands(inferred)}` });
    return done(args, [input[0], ...known.map((d) => (d === -1 ? inferred : d))], formulas, problems);
  },
};


/** A non-negative int or a pair of them (Keras's `standardize_tuple(…, 2, allow_zero=True)`). */
function pair(v: PyValue): [number, number] | "unresolved" | undefined {
  if (isUnresolved(v)) return "unresolved";
  if (isInt(v)) return v >= 0 ? [v, v] : undefined;
  if (!isSequence(v)) return undefined;
  const list = items(v);
  if (list.some(isUnresolved)) return "unresolved";
  if (list.length !== 2 || !list.every((x) => isInt(x) && x >= 0)) return undefined;
  return list as [number, number];
}

/**
 * ZeroPadding's `padding` and Cropping's `cropping`: for rank 1 an int or (before, after);
 * for rank 2/3 an int, a tuple of `rank` entries each an int (symmetric on that axis)
 * or a (before, after) pair — Keras's `standardize_tuple(…, 2, allow_zero=True)` per entry.
 */
function paddingPairs(args: Args, rank: number, name = "padding"): [number, number][] | undefined {
  const v = args.raw(name);
  if (v === undefined) return undefined;
  const expected =
    rank === 1
      ? "a non-negative integer or a tuple (left, right) of them"
      : `a non-negative integer, a tuple of ${rank} of them, or a tuple of ${rank} (before, after) pairs`;
  const invalid = () => {
    args.problems.push({ id: "invalidArgument", argument: name, values: { argument: name, expected, value: pyRepr(v) } });
    return undefined;
  };
  let pairs: ([number, number] | "unresolved" | undefined)[];
  if (isInt(v)) pairs = Array(rank).fill(pair(v));
  else if (rank === 1) pairs = [pair(v)];
  else if (isSequence(v) && items(v).length === rank) pairs = items(v).map(pair);
  else if (isSequence(v) && items(v).some(isUnresolved)) pairs = ["unresolved"];
  else return invalid();
  if (pairs.some((p) => p === undefined)) return invalid();
  if (pairs.some((p) => p === "unresolved")) {
    args.unresolved.set(name, "an element of it is not a constant");
    return undefined;
  }
  return pairs as [number, number][];
}

/** A rule for one spatial axis: its new size and the formula, given the old size and the axis index. */
type AxisRule = (n: number, i: number) => { dim: number; formula: string };

/**
 * Applies `rule` to each spatial axis of a rank-`rank` spatial layer (ZeroPadding,
 * Cropping, UpSampling); open sizes pass through, an unknown rule or data format
 * makes known sizes unknown, and a size that comes out ≤ 0 is blamed on `argument`.
 */
function perSpatialAxis(
  args: Args,
  name: string,
  rank: number,
  input: Shape | undefined,
  format: DataFormat | undefined,
  rule: AxisRule | undefined,
  argument: string,
): LayerResult {
  const problems: Problem[] = [];
  const formulas: Formula[] = [];
  if (!input) return done(args, undefined, formulas, problems);
  const wrongRank = rankProblem(name, input, rank + 2, spatialExample(rank));
  if (wrongRank) return done(args, undefined, formulas, [wrongRank]);
  if (!format) return done(args, input.map((d, i) => (i === 0 ? d : unknownFrom(d))), formulas, problems);
  const first = format === "channels_first" ? 2 : 1;
  const names = spatialNames(rank);
  const output: Dim[] = [...input];
  for (let i = 0; i < rank; i++) {
    const axis = first + i;
    const n = input[axis];
    if (!isKnown(n)) continue;
    if (!rule) {
      output[axis] = UNKNOWN;
      continue;
    }
    const r = rule(n, i);
    formulas.push({ label: names[i], text: r.formula });
    if (r.dim <= 0) {
      problems.push({
        id: "nonPositiveDimension",
        argument,
        axis,
        values: { layer: name, axis: names[i], value: r.dim, formula: r.formula, history: "" },
      });
      output[axis] = UNKNOWN;
    } else output[axis] = r.dim;
  }
  return done(args, output, formulas, problems);
}

function zeroPaddingSpec(rank: 1 | 2 | 3): LayerSpec {
  const name = `ZeroPadding${rank}D`;
  const defaultPadding = rank === 1 ? 1 : rank === 2 ? { tuple: [1, 1] } : { tuple: [0, 1, 2].map(() => ({ tuple: [1, 1] })) };
  return {
    name,
    summary: `Adds rows of zeros before and after each ${rank === 1 ? "step axis" : "spatial axis"}; channels are unchanged.`,
    params: [
      { name: "padding", default: defaultPadding },
      { name: "data_format", default: null },
    ],
    infer(args: Args, input: Shape | undefined): LayerResult {
      const pads = paddingPairs(args, rank);
      const format: DataFormat | undefined = args.dataFormat();
      const rule = pads && ((n: number, i: number) => {
        const [before, after] = pads[i];
        return { dim: n + before + after, formula: `${n} + ${before} + ${after} = ${n + before + after}` };
      });
      return perSpatialAxis(args, name, rank, input, format, rule, "padding");
    },
  };
}

/** Permute's `dims`: Keras requires a permutation of 1…n (`sorted(dims) == range(1, n + 1)`). */
function permutation(args: Args): number[] | undefined {
  const v = args.raw("dims");
  if (v === undefined) return undefined;
  if (isSequence(v) && items(v).some(isUnresolved)) {
    args.unresolved.set("dims", "an element of it is not a constant");
    return undefined;
  }
  const list = isSequence(v) ? items(v) : undefined;
  const sorted = list?.every(isInt) ? [...(list as number[])].sort((a, b) => a - b) : undefined;
  if (!list || list.length === 0 || !sorted || sorted.some((d, i) => d !== i + 1)) {
    args.problems.push({
      id: "invalidArgument",
      argument: "dims",
      values: { argument: "dims", expected: "a permutation of 1, …, n (the non-batch axes, counted from 1)", value: pyRepr(v) },
    });
    return undefined;
  }
  return list as number[];
}

const permuteSpec: LayerSpec = {
  name: "Permute",
  summary: "Reorders the non-batch axes: output axis i is input axis `dims[i]` (counted from 1).",
  params: [{ name: "dims" }],
  infer(args: Args, input: Shape | undefined): LayerResult {
    const dims = permutation(args);
    const formulas: Formula[] = [];
    if (!input) return done(args, undefined, formulas, []);
    if (!dims) return done(args, input.map((d, i) => (i === 0 ? d : UNKNOWN)), formulas, []);
    const wrongRank = rankProblem("Permute", input, dims.length + 1, `(batch, ${dims.map((d) => `axis ${d}`).join(", ")})`);
    if (wrongRank) return done(args, undefined, formulas, [wrongRank]);
    const output: Dim[] = [input[0], ...dims.map((d) => input[d])];
    formulas.push({ label: "order", text: `dims (${dims.join(", ")}): ${formatShape(input.slice(1))} → ${formatShape(output.slice(1))}` });
    return done(args, output, formulas, []);
  },
};

const repeatVectorSpec: LayerSpec = {
  name: "RepeatVector",
  summary: "Repeats a (batch, features) input `n` times: (batch, n, features).",
  params: [{ name: "n" }],
  infer(args: Args, input: Shape | undefined): LayerResult {
    // Keras takes any integer (`operator.index`); a negative one fails when the layer runs.
    const n = args.int("n", 0);
    if (!input) return done(args, undefined, [], []);
    const wrongRank = rankProblem("RepeatVector", input, 2, "(batch, features)");
    if (wrongRank) return done(args, undefined, [], [wrongRank]);
    return done(args, [input[0], n ?? UNKNOWN, input[1]], [], []);
  },
};

function croppingSpec(rank: 1 | 2 | 3): LayerSpec {
  const name = `Cropping${rank}D`;
  const defaultCropping =
    rank === 1 ? { tuple: [1, 1] } : { tuple: Array.from({ length: rank }, () => ({ tuple: rank === 2 ? [0, 0] : [1, 1] })) };
  return {
    name,
    summary: `Removes rows before and after each ${rank === 1 ? "step" : "spatial"} axis; channels are unchanged.`,
    // Cropping1D has no data_format in Keras 3.
    params: rank === 1 ? [{ name: "cropping", default: defaultCropping }] : [
      { name: "cropping", default: defaultCropping },
      { name: "data_format", default: null },
    ],
    infer(args: Args, input: Shape | undefined): LayerResult {
      const crops = paddingPairs(args, rank, "cropping");
      const format: DataFormat | undefined = rank === 1 ? "channels_last" : args.dataFormat();
      const rule = crops && ((n: number, i: number) => {
        const [before, after] = crops[i];
        const out = n - before - after;
        return { dim: out, formula: `${n} − ${before} − ${after} = ${out}` };
      });
      return perSpatialAxis(args, name, rank, input, format, rule, "cropping");
    },
  };
}

/** UpSampling2D's `interpolation` values: those `ops.image.resize` accepts ('nearest' repeats rows and columns). */
const INTERPOLATIONS = ["nearest", "bilinear", "bicubic", "lanczos3", "lanczos5", "area"] as const;

function upSamplingSpec(rank: 1 | 2 | 3): LayerSpec {
  const name = `UpSampling${rank}D`;
  const params =
    rank === 1
      ? [{ name: "size", default: 2 }]
      : [
          { name: "size", default: { tuple: Array<number>(rank).fill(2) } },
          { name: "data_format", default: null },
          ...(rank === 2 ? [{ name: "interpolation", default: "nearest" }] : []),
        ];
  return {
    name,
    summary: `Repeats each ${rank === 1 ? "step" : "spatial position"} \`size\` times along its axis; channels are unchanged.`,
    params,
    cost: upSamplingCost,
    infer(args: Args, input: Shape | undefined): LayerResult {
      const size = rank === 1 ? ((n) => (n === undefined ? undefined : [n]))(args.int("size")) : args.intTuple("size", rank);
      const format: DataFormat | undefined = rank === 1 ? "channels_last" : args.dataFormat();
      if (rank === 2) args.choice("interpolation", INTERPOLATIONS);
      const rule = size && ((n: number, i: number) => ({ dim: n * size[i], formula: `${n}·${size[i]} = ${n * size[i]}` }));
      return perSpatialAxis(args, name, rank, input, format, rule, "size");
    },
  };
}

/**
 * Nearest-neighbour upsampling copies values; bilinear interpolation (UpSampling2D) weighs four neighbours for
 * each output element. The other interpolations are not counted.
 */
const upSamplingCost: CostRule = ({ args, output }) => {
  const interpolation = args.raw("interpolation") ?? "nearest";
  if (interpolation === "nearest") return { macs: 0n, note: "nearest: copies values, no arithmetic" };
  if (interpolation !== "bilinear") return { note: `${String(interpolation)} interpolation is not counted` };
  const dims = output?.slice(1);
  return product([dims && factor(dims), factor([4])], "bilinear: a weighted sum of 4 neighbours per output element");
};

export const reshapingLayers: LayerSpec[] = costing(dataMovementCost, [
  flattenSpec,
  reshapeSpec,
  permuteSpec,
  repeatVectorSpec,
  zeroPaddingSpec(1),
  zeroPaddingSpec(2),
  zeroPaddingSpec(3),
  croppingSpec(1),
  croppingSpec(2),
  croppingSpec(3),
  upSamplingSpec(1),
  upSamplingSpec(2),
  upSamplingSpec(3),
]);
