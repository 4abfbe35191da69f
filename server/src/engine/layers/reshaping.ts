/**
 * Reshaping layers: Flatten, Reshape, ZeroPadding1D/2D/3D.
 *
 * Flatten: (batch, d₁, …, dₙ) → (batch, d₁·…·dₙ); a rank-1 input gives (batch, 1).
 * Reshape: (batch, …) → (batch, *target_shape), with one -1 inferred from the
 * element count (`compute_reshape_output_shape` on the non-batch dimensions).
 * ZeroPadding: each padded spatial axis grows by before + after. No weights.
 */
import { Args, DataFormat } from "../args";
import { Dim, NONE, Shape, UNKNOWN, formatShape, isKnown, openOf } from "../shape";
import { Formula, LayerResult, LayerSpec, Problem } from "../spec";
import { rankProblem, spatialExample, spatialNames } from "../math";
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
 * ZeroPadding's `padding`: for rank 1 an int or (before, after); for rank 2/3 an
 * int, a tuple of `rank` ints (symmetric per axis) or of `rank` (before, after) pairs.
 */
function paddingPairs(args: Args, rank: number): [number, number][] | undefined {
  const v = args.raw("padding");
  if (v === undefined) return undefined;
  const expected =
    rank === 1
      ? "a non-negative integer or a tuple (left, right) of them"
      : `a non-negative integer, a tuple of ${rank} of them, or a tuple of ${rank} (before, after) pairs`;
  const invalid = () => {
    args.problems.push({ id: "invalidArgument", argument: "padding", values: { argument: "padding", expected, value: pyRepr(v) } });
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
    args.unresolved.set("padding", "an element of it is not a constant");
    return undefined;
  }
  return pairs as [number, number][];
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
      const problems: Problem[] = [];
      const formulas: Formula[] = [];
      if (!input) return done(args, undefined, formulas, problems);
      const wrongRank = rankProblem(name, input, rank + 2, spatialExample(rank));
      if (wrongRank) return done(args, undefined, formulas, [wrongRank]);
      if (!format) return done(args, input.map((d, i) => (i === 0 || !isKnown(d) ? d : UNKNOWN)), formulas, problems);
      const first = format === "channels_first" ? 2 : 1;
      const names = spatialNames(rank);
      const output: Dim[] = [...input];
      for (let i = 0; i < rank; i++) {
        const n = input[first + i];
        if (!isKnown(n)) continue;
        if (!pads) {
          output[first + i] = UNKNOWN;
          continue;
        }
        const [before, after] = pads[i];
        output[first + i] = n + before + after;
        formulas.push({ label: names[i], text: `${n} + ${before} + ${after} = ${n + before + after}` });
      }
      return done(args, output, formulas, problems);
    },
  };
}

export const reshapingLayers: LayerSpec[] = [flattenSpec, reshapeSpec, zeroPaddingSpec(1), zeroPaddingSpec(2), zeroPaddingSpec(3)];
