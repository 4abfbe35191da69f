/**
 * PyTorch's modules that pad, resize or rearrange without weights:
 * - padding (torch/nn/modules/padding.py over F.pad): `ZeroPad1d/2d/3d`, `ConstantPad1d/2d/3d`,
 *   `ReflectionPad1d/2d/3d`, `ReplicationPad1d/2d/3d`, `CircularPad1d/2d/3d`. `padding` is an int for every side or
 *   a tuple (left, right, top, bottom, front, back) padding the LAST axes, the last first; a shorter even tuple pads
 *   fewer axes. Negative padding crops.
 * - resizing (torch/nn/modules/upsampling.py over F.interpolate): `Upsample`, `UpsamplingNearest2d`,
 *   `UpsamplingBilinear2d`: the output is `size`, or ⌊n·scale_factor⌋ per spatial axis.
 * - rearranging (torch/nn/modules/pixelshuffle.py, channelshuffle.py, fold.py): `PixelShuffle`, `PixelUnshuffle`,
 *   `ChannelShuffle`, `Unfold` (im2col) and `Fold` (col2im).
 * Cost, by the convention: moving data is 0; interpolation counts its weighted sum per output element (2 neighbours
 * for linear, 4 bilinear, 8 trilinear, 16 bicubic), nearest copies.
 */
import { Args } from "../../args";
import { CostRule, dataMovementCost, factor, product } from "../../cost";
import { spatialNames, unknownFrom } from "../../math";
import { Dim, Shape, UNKNOWN, formatDim, formatShape, isKnown } from "../../shape";
import { Formula, LayerResult, LayerSpec, ParamDecl, Problem } from "../../spec";
import { PyValue, isInt, isSequence, items, numeric, pyRepr } from "../../values";
import { Rank, SmallAxis, layoutOf, outputTooSmall, ranks, reflectionMessage, slidingOutput, torchSize, wrongRankProblem } from "./window";

const done = (args: Args, problems: Problem[], formulas: Formula[], output?: Shape): LayerResult => ({
  output,
  weights: [],
  formulas,
  problems: [...args.problems, ...problems],
});

const refuses = (layer: string, detail: string, argument?: string, error = "RuntimeError"): Problem => ({
  id: "torchRefuses",
  ...(argument ? { argument } : {}),
  values: { detail, layer, error },
});

/** PyTorch's letters for the last axes in its size messages: W, then H, then D. */
const letters = (count: number) => ["D", "H", "W"].slice(3 - count);

// ---------------------------------------------------------------- padding

type PadMode = "constant" | "reflect" | "replicate" | "circular";

interface PadKind {
  readonly prefix: "Zero" | "Constant" | "Reflection" | "Replication" | "Circular";
  readonly mode: PadMode;
}

const PAD_KINDS: readonly PadKind[] = [
  { prefix: "Zero", mode: "constant" },
  { prefix: "Constant", mode: "constant" },
  { prefix: "Reflection", mode: "reflect" },
  { prefix: "Replication", mode: "replicate" },
  { prefix: "Circular", mode: "circular" },
];

/** `padding` as F.pad takes it: an int for all 2·rank sides, or an even-length tuple (last axis first). */
function readPadding(args: Args, rank: Rank): number[] | undefined {
  const value = args.raw("padding");
  if (value === undefined) return undefined;
  if (isInt(value)) return Array<number>(2 * rank).fill(value);
  if (isSequence(value) && items(value).every(isInt) && items(value).length % 2 === 0 && items(value).length <= 2 * rank && items(value).length > 0) {
    return items(value) as number[];
  }
  const expected = `an integer or a tuple of ${2 * rank} integers (${["left, right", "top, bottom", "front, back"].slice(0, rank).join(", ")})`;
  args.problems.push({ id: "invalidArgument", argument: "padding", values: { argument: "padding", expected, value: pyRepr(value) } });
  return undefined;
}

/** A padded axis whose padding PyTorch refuses, or that comes out too small. */
function padLimits(layer: string, mode: PadMode, input: Shape, paddedAxes: number, axis: number, name: string, left: number, right: number): Problem | undefined {
  const n = input[axis];
  if (!isKnown(n)) return undefined;
  const limit = mode === "reflect" ? n - 1 : mode === "circular" ? n : undefined;
  if (limit === undefined || (left <= limit && right <= limit)) return undefined;
  const torch =
    mode === "reflect"
      ? reflectionMessage(input, axis, paddedAxes, left, right)
      : "Padding value causes wrapping around more than once.";
  return {
    id: "torchPaddingTooLarge",
    argument: "padding",
    values: { layer, axis: name, size: n, padding: left === right ? `${left}` : `(${left}, ${right})`, mode, limit: `at most ${limit}`, torch },
  };
}

/** One padded axis: its input size and the padding on each side. */
interface PaddedAxis {
  readonly size: Dim;
  readonly left: number;
  readonly right: number;
}

/** PyTorch's message when cropping leaves an axis negative (constant padding) or empty (the other modes). */
function croppedMessage(mode: PadMode, padded: readonly PaddedAxis[], outs: readonly Dim[], first: number, small: readonly SmallAxis[]): string {
  if (mode === "constant") {
    const { size, left, right } = padded[small[0].spatialIndex];
    return `The input size ${formatDim(size)}, plus negative padding ${left} and ${right} resulted in a negative output size, which is invalid. Check dimension ${first + small[0].spatialIndex} of your input.`;
  }
  const names = letters(padded.length);
  const sizes = padded.map(({ size }, i) => `${names[i]}: ${formatDim(size)}`);
  // ATen writes the 3-D message "(D: 5 H: 5, W: 5)".
  const given = sizes.length === 3 ? `${sizes[0]} ${sizes.slice(1).join(", ")}` : sizes.join(", ");
  return `input (${given}) is too small. Calculated output ${outs.map((d, i) => `${names[i]}: ${formatDim(d)}`).join(" ")}`;
}

function padSpec(kind: PadKind, rank: Rank): LayerSpec {
  const name = `torch.nn.${kind.prefix}Pad${rank}d`;
  const how = { constant: kind.prefix === "Zero" ? "zeros" : "value", reflect: "the input's reflection (its edge not repeated)", replicate: "copies of the edge", circular: "the input wrapped around" }[kind.mode];
  const params: ParamDecl[] = kind.prefix === "Constant" ? [{ name: "padding" }, { name: "value" }] : [{ name: "padding" }];
  return {
    name,
    summary: `Pads the last ${rank === 1 ? "axis" : `${rank} axes`} with ${how}: padding is (left, right${rank > 1 ? ", top, bottom" : ""}${rank > 2 ? ", front, back" : ""}), or one int for every side.`,
    params,
    closedKeywords: true,
    cost: dataMovementCost,
    infer(args: Args, input: Shape | undefined): LayerResult {
      const padding = readPadding(args, rank);
      if (kind.prefix === "Constant") args.float("value");
      const problems: Problem[] = [];
      const formulas: Formula[] = [];
      if (!input) return done(args, problems, formulas);
      const axes = padding ? padding.length / 2 : rank;
      // F.pad: constant padding takes any input with enough axes; the other modes (N, C, *) or (C, *).
      const rankOk = kind.mode === "constant" ? input.length >= axes : layoutOf(input, axes) !== undefined;
      if (!rankOk) {
        problems.push(
          kind.mode === "constant"
            ? { id: "wrongRank", values: { layer: name, expected: `${axes} or more`, example: `(…, ${letters(axes).join(", ")})`, shape: formatShape(input), rank: input.length } }
            : wrongRankProblem(name, input, axes as Rank),
        );
        return done(args, problems, formulas);
      }
      const first = input.length - axes;
      const inputs = input.slice(first);
      if (!padding) return done(args, problems, formulas, [...input.slice(0, first), ...inputs.map(unknownFrom)]);
      const names = spatialNames(axes);
      const small: SmallAxis[] = [];
      // padding[0], padding[1] pad the last axis; the next pair the one before it.
      const padded = inputs.map((size, i): PaddedAxis => ({ size, left: padding[2 * (axes - 1 - i)], right: padding[2 * (axes - 1 - i) + 1] }));
      const outs = padded.map(({ size: n, left, right }, i) => {
        const limit = padLimits(name, kind.mode, input, axes, first + i, names[i], left, right);
        if (limit) problems.push(limit);
        if (!isKnown(n)) return n;
        const out = n + left + right;
        const formula = `${n} + ${left} + ${right} = ${out}`;
        formulas.push({ label: names[i], text: formula });
        if (out < (kind.mode === "constant" ? 0 : 1)) small.push({ axis: first + i, spatialIndex: i, value: out, formula });
        return out;
      });
      if (small.length) {
        problems.push(outputTooSmall(name, axes as Rank, small, croppedMessage(kind.mode, padded, outs, first, small), "padding"));
      }
      const sizes = outs.map((d, i) => (small.some((s) => s.spatialIndex === i) ? UNKNOWN : d));
      return done(args, problems, formulas, [...input.slice(0, first), ...sizes]);
    },
  };
}

// ---------------------------------------------------------------- interpolation

const MODES = ["nearest", "linear", "bilinear", "bicubic", "trilinear", "area", "nearest-exact"];
/** The modes that take one input rank only (F.interpolate's NotImplementedError otherwise). */
const MODE_RANK: Record<string, number> = { linear: 3, bilinear: 4, bicubic: 4, trilinear: 5 };
/** Neighbours weighed per output element. */
const MODE_MACS: Record<string, number> = { nearest: 0, "nearest-exact": 0, linear: 2, bilinear: 4, trilinear: 8, bicubic: 16 };

/** `size` or `scale_factor`: one number for every axis, or a sequence with one per axis. */
interface PerAxis {
  readonly values: number[];
  readonly sequence: boolean;
}

/** A number, a tuple of numbers, or None; undefined when invalid (a problem) or unknown. */
function readPerAxis(args: Args, name: string, integers: boolean): PerAxis | null | undefined {
  const value = args.raw(name);
  if (value === undefined || value === null) return value === null ? null : undefined;
  const list: PyValue[] = isSequence(value) ? items(value) : [value];
  const numbers = list.map((v) => (integers ? (isInt(v) ? v : undefined) : numeric(v)));
  if (list.length > 0 && numbers.every((n) => n !== undefined)) return { values: numbers as number[], sequence: isSequence(value) };
  const expected = integers ? "an integer or a tuple of integers" : "a number or a tuple of numbers";
  args.problems.push({ id: "invalidArgument", argument: name, values: { argument: name, expected, value: pyRepr(value) } });
  return undefined;
}

/** The value for spatial axis `i`. */
const onAxis = (given: PerAxis, i: number) => (given.sequence ? given.values[i] : given.values[0]);

function interpolateSpec(name: string, summary: string, params: ParamDecl[], fixedMode?: string): LayerSpec {
  return {
    name,
    summary,
    params,
    closedKeywords: true,
    cost: interpolationCost(fixedMode),
    infer(args: Args, input: Shape | undefined): LayerResult {
      const problems: Problem[] = [];
      const formulas: Formula[] = [];
      const size = readPerAxis(args, "size", true);
      const scale = readPerAxis(args, "scale_factor", false);
      // UpsamplingNearest2d and UpsamplingBilinear2d fix the mode (and take no align_corners).
      const mode = fixedMode ?? readMode(args, problems);
      if (mode && !(mode in MODE_RANK) && args.has("align_corners")) {
        const detail = "align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear";
        problems.push(refuses(name, detail, "align_corners", "ValueError"));
      }
      if (size && scale) problems.push(refuses(name, "only one of size or scale_factor should be defined", "scale_factor", "ValueError"));
      if (size === null && scale === null) problems.push(refuses(name, "either size or scale_factor should be defined", undefined, "ValueError"));
      if (!input) return done(args, problems, formulas);
      // An invalid mode is reported on its own; the rank is then checked as for any mode.
      const rankProblem = interpolationRank(name, input, mode ?? "nearest");
      if (rankProblem) {
        problems.push(rankProblem);
        return done(args, problems, formulas);
      }
      const inputs = input.slice(2);
      const count = inputs.length;
      // F.interpolate: a sequence must give every spatial axis; a single number is used for each.
      const mismatch = (given: PerAxis) => given.sequence && given.values.length !== count;
      if (size && mismatch(size)) {
        const detail = `Input and output must have the same number of spatial dimensions, but got input with spatial dimensions of ${torchSize(inputs)} and output size of (${size.values.join(", ")}${size.values.length === 1 ? "," : ""}). Please provide input tensor in (N, C, d1, d2, ...,dK) format and output size in (o1, o2, ...,oK) format.`;
        problems.push(refuses(name, detail, "size", "ValueError"));
      }
      if (scale && mismatch(scale)) {
        const shown = scale.values.map((s) => pyRepr({ float: s })).join(", ");
        const detail = `Input and scale_factor must have the same number of spatial dimensions, but got input with spatial dimensions of ${torchSize(inputs)} and scale_factor of shape (${shown}). Please provide input tensor in (N, C, d1, d2, ...,dK) format and scale_factor in (s1, s2, ...,sK) format.`;
        problems.push(refuses(name, detail, "scale_factor", "ValueError"));
      }
      const names = spatialNames(count);
      const usable = (given: PerAxis | null | undefined) => (given && !(size && scale) && !mismatch(given) ? given : undefined);
      const sizes: Dim[] = inputs.map((n, i) => {
        const wanted = usable(size);
        if (wanted) return onAxis(wanted, i);
        const factors = usable(scale);
        if (!factors || !isKnown(n)) return unknownFrom(n);
        const s = onAxis(factors, i);
        const out = Math.floor(n * s);
        formulas.push({ label: names[i], text: `⌊${n}·${pyRepr(Number.isInteger(s) ? s : { float: s })}⌋ = ${out}` });
        return out;
      });
      if (sizes.some((d) => isKnown(d) && d <= 0) && inputs.every(isKnown)) {
        const axes = letters(count);
        const list = (dims: readonly Dim[]) => dims.map((d, i) => `${axes[i]}: ${formatDim(d)}`).join(", ");
        // ATen's 1-D message reads "input (W: 5) and output (W: 0)".
        const detail = `Input and output sizes should be greater than 0, but got input (${list(inputs)})${count === 1 ? " and" : ""} output (${list(sizes)})`;
        problems.push(refuses(name, detail, size ? "size" : "scale_factor"));
      }
      return done(args, problems, formulas, [input[0], input[1], ...sizes.map((d) => (isKnown(d) && d <= 0 ? UNKNOWN : d))]);
    },
  };
}

function readMode(args: Args, problems: Problem[]): string | undefined {
  const mode = args.raw("mode");
  if (mode === undefined) return undefined;
  if (typeof mode === "string" && MODES.includes(mode)) return mode;
  problems.push({
    id: "invalidArgument",
    argument: "mode",
    values: { argument: "mode", expected: MODES.map((m) => `'${m}'`).join(", "), value: pyRepr(mode) },
  });
  return undefined;
}

/**
 * F.interpolate takes (N, C, L), (N, C, H, W) or (N, C, D, H, W); linear, bilinear, bicubic and trilinear one of them.
 * It names the rank linear, bilinear and trilinear need; bicubic, like any rank outside 3–5, gets its generic message.
 */
function interpolationRank(layer: string, input: Shape, mode: string): Problem | undefined {
  const rank = input.length;
  const needed = MODE_RANK[mode];
  const supported = rank >= 3 && rank <= 5;
  if (supported && (needed === undefined || needed === rank)) return undefined;
  const detail =
    supported && mode !== "bicubic"
      ? `Got ${rank}D input, but ${mode} mode needs ${needed}D input`
      : `Input Error: Only 3D, 4D and 5D input Tensors supported (got ${rank}D) for the modes: nearest | linear | bilinear | bicubic | trilinear | area | nearest-exact (got ${mode})`;
  return refuses(layer, detail, "mode", "NotImplementedError");
}

function interpolationCost(fixedMode?: string): CostRule {
  return ({ args, output }) => {
    const mode = fixedMode ?? args.raw("mode");
    const perElement = typeof mode === "string" ? MODE_MACS[mode] : undefined;
    if (perElement === undefined) return { note: `${typeof mode === "string" ? `'${mode}'` : "this"} interpolation is not counted` };
    if (perElement === 0) return { macs: 0n, note: "nearest interpolation copies: no arithmetic" };
    return product([output && factor(output.slice(1)), factor([perElement])], `${perElement} neighbours weighed per output element`);
  };
}

const sizeParams: ParamDecl[] = [{ name: "size", default: null }, { name: "scale_factor", default: null }];

const interpolationModules: LayerSpec[] = [
  interpolateSpec(
    "torch.nn.Upsample",
    "Resizes the spatial axes of (N, C, …) to size, or to ⌊n·scale_factor⌋, interpolating by mode.",
    [...sizeParams, { name: "mode", default: "nearest" }, { name: "align_corners", default: null }, { name: "recompute_scale_factor", default: null }],
  ),
  interpolateSpec("torch.nn.UpsamplingNearest2d", "Nearest-neighbour resize to size, or to ⌊n·scale_factor⌋ (F.interpolate, mode='nearest').", sizeParams, "nearest"),
  interpolateSpec(
    "torch.nn.UpsamplingBilinear2d",
    "Bilinear resize of (N, C, H, W) to size, or to ⌊n·scale_factor⌋, with align_corners=True.",
    sizeParams,
    "bilinear",
  ),
];

// ---------------------------------------------------------------- rearranging

function pixelShuffleSpec(unshuffle: boolean): LayerSpec {
  const name = unshuffle ? "torch.nn.PixelUnshuffle" : "torch.nn.PixelShuffle";
  const argument = unshuffle ? "downscale_factor" : "upscale_factor";
  const op = unshuffle ? "pixel_unshuffle" : "pixel_shuffle";
  return {
    name,
    summary: unshuffle
      ? "Moves r×r blocks of pixels into channels: (*, C, H·r, W·r) → (*, C·r², H, W)."
      : "Moves channels into r×r blocks of pixels: (*, C·r², H, W) → (*, C, H·r, W·r).",
    params: [{ name: argument }],
    closedKeywords: true,
    cost: dataMovementCost,
    infer(args: Args, input: Shape | undefined): LayerResult {
      const r = args.int(argument);
      const problems: Problem[] = [];
      const formulas: Formula[] = [];
      if (!input) return done(args, problems, formulas);
      if (input.length < 3) {
        problems.push(refuses(name, `${op} expects input to have at least 3 dimensions, but got input with ${input.length} dimension(s)`));
        return done(args, problems, formulas);
      }
      const [c, h, w] = input.slice(-3);
      const head = input.slice(0, -3);
      if (r === undefined) return done(args, problems, formulas, [...head, unknownFrom(c), unknownFrom(h), unknownFrom(w)]);
      const square = r * r;
      if (!unshuffle) {
        const channels = isKnown(c) ? (c % square === 0 ? c / square : UNKNOWN) : c;
        if (isKnown(c) && c % square !== 0) {
          problems.push(refuses(name, `pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of upscale_factor, but input.size(-3)=${c} is not divisible by ${square}`));
        }
        if (isKnown(channels)) formulas.push({ label: "channels", text: `${c} / ${r}² = ${channels}` });
        const grown = (d: Dim, label: string) => {
          if (!isKnown(d)) return d;
          formulas.push({ label, text: `${d}·${r} = ${d * r}` });
          return d * r;
        };
        return done(args, problems, formulas, [...head, channels, grown(h, "height"), grown(w, "width")]);
      }
      const shrunk = (d: Dim, label: "height" | "width", index: number) => {
        if (!isKnown(d)) return d;
        if (d % r !== 0) {
          problems.push(refuses(name, `pixel_unshuffle expects ${label} to be divisible by downscale_factor, but input.size(${index})=${d} is not divisible by ${r}`));
          return UNKNOWN;
        }
        formulas.push({ label, text: `${d} / ${r} = ${d / r}` });
        return d / r;
      };
      const height = shrunk(h, "height", -2);
      const width = shrunk(w, "width", -1);
      if (isKnown(c)) formulas.unshift({ label: "channels", text: `${c}·${r}² = ${c * square}` });
      return done(args, problems, formulas, [...head, isKnown(c) ? c * square : c, height, width]);
    },
  };
}

const channelShuffle: LayerSpec = {
  name: "torch.nn.ChannelShuffle",
  summary: "Splits the channels (axis 1) into groups and interleaves them; the shape is unchanged.",
  params: [{ name: "groups" }],
  closedKeywords: true,
  cost: dataMovementCost,
  infer(args: Args, input: Shape | undefined): LayerResult {
    const groups = args.int("groups");
    const problems: Problem[] = [];
    if (!input) return done(args, problems, []);
    if (input.length <= 2) {
      problems.push(refuses(args.layer, `channel_shuffle expects input with > 2 dims, but got input with sizes ${torchSize(input)}`));
      return done(args, problems, []);
    }
    const channels = input[1];
    if (groups !== undefined && isKnown(channels) && channels % groups !== 0) {
      problems.push(refuses(args.layer, `Number of channels must be divisible by groups. Got ${channels} channels and ${groups} groups.`, "groups"));
    }
    return done(args, problems, [], input);
  },
};

/** Unfold's and Fold's window arguments, 2-D only in PyTorch. */
interface BlockWindow {
  readonly kernel?: number[];
  readonly dilation?: number[];
  readonly padding?: number[];
  readonly stride?: number[];
}

function readBlockWindow(args: Args): BlockWindow {
  return {
    kernel: args.intTuple("kernel_size", 2),
    dilation: args.intTuple("dilation", 2),
    padding: args.intTuple("padding", 2, 0),
    stride: args.intTuple("stride", 2),
  };
}

/** The sliding blocks of a window over (H, W): their count per axis with formulas, or undefined when unknown. */
function blocks(sizes: readonly Dim[], w: BlockWindow, formulas: Formula[]): number[] | undefined {
  const { kernel, dilation, padding, stride } = w;
  if (!kernel || !dilation || !padding || !stride || !sizes.every(isKnown)) return undefined;
  const names = spatialNames(2);
  return sizes.map((n, i) => {
    const out = slidingOutput(n, { kernel: kernel[i], stride: stride[i], padding: padding[i], dilation: dilation[i] });
    formulas.push({ label: `blocks along the ${names[i]}`, text: out.formula! });
    return out.dim as number;
  });
}

const tupleText = (values: readonly number[]) => `(${values.join(", ")})`;

const blockParams: ParamDecl[] = [{ name: "dilation", default: 1 }, { name: "padding", default: 0 }, { name: "stride", default: 1 }];

const unfold: LayerSpec = {
  name: "torch.nn.Unfold",
  summary: "Extracts sliding blocks (im2col): (N, C, H, W) → (N, C·∏kernel_size, L), L the number of blocks.",
  params: [{ name: "kernel_size" }, ...blockParams],
  closedKeywords: true,
  cost: dataMovementCost,
  infer(args: Args, input: Shape | undefined): LayerResult {
    const w = readBlockWindow(args);
    const problems: Problem[] = [];
    const formulas: Formula[] = [];
    if (!input) return done(args, problems, formulas);
    const layout = layoutOf(input, 2);
    if (!layout) {
      problems.push(wrongRankProblem(args.layer, input, 2));
      return done(args, problems, formulas);
    }
    const c = input[layout.channelAxis];
    const sizes = input.slice(layout.firstSpatial);
    const counts = blocks(sizes, w, formulas);
    const kernelArea = w.kernel ? w.kernel[0] * w.kernel[1] : undefined;
    const depth = isKnown(c) && kernelArea !== undefined ? c * kernelArea : unknownFrom(c);
    if (isKnown(depth)) formulas.push({ label: "channels", text: `${c}·${w.kernel!.join("·")} = ${depth}` });
    let length: Dim = UNKNOWN;
    if (counts && counts.some((n) => n <= 0)) {
      const detail = `Given input with spatial size ${tupleText(sizes as number[])}, kernel_size=${tupleText(w.kernel!)}, dilation=${tupleText(w.dilation!)}, padding=${tupleText(w.padding!)}, calculated shape of the array of sliding blocks as ${tupleText(counts)}, but its components must be at least one.`;
      const small = counts.flatMap((n, i) => (n <= 0 ? [{ axis: layout.firstSpatial + i, spatialIndex: i, value: n, formula: formulas[i].text }] : []));
      problems.push(outputTooSmall(args.layer, 2, small, detail, "kernel_size"));
    } else if (counts) {
      length = counts[0] * counts[1];
      formulas.push({ label: "blocks", text: `${counts.join("·")} = ${length}` });
    }
    return done(args, problems, formulas, [...input.slice(0, layout.channelAxis), depth, length]);
  },
};

const fold: LayerSpec = {
  name: "torch.nn.Fold",
  summary: "Sums sliding blocks back into an image (col2im): (N, C·∏kernel_size, L) → (N, C, *output_size).",
  params: [{ name: "output_size" }, { name: "kernel_size" }, ...blockParams],
  closedKeywords: true,
  cost: dataMovementCost,
  infer(args: Args, input: Shape | undefined): LayerResult {
    const outputSize = args.intTuple("output_size", 2);
    const w = readBlockWindow(args);
    const problems: Problem[] = [];
    const formulas: Formula[] = [];
    if (!input) return done(args, problems, formulas);
    if (input.length !== 2 && input.length !== 3) {
      problems.push({ id: "wrongRank", values: { layer: args.layer, expected: "2 or 3", example: "((C·∏kernel_size, L) or (N, C·∏kernel_size, L))", shape: formatShape(input), rank: input.length } });
      return done(args, problems, formulas);
    }
    const batched = input.length === 3;
    const [depth, length] = input.slice(-2);
    const kernelArea = w.kernel ? w.kernel[0] * w.kernel[1] : undefined;
    let channels: Dim = unknownFrom(depth);
    if (isKnown(depth) && kernelArea !== undefined) {
      if (depth % kernelArea === 0) {
        channels = depth / kernelArea;
        formulas.push({ label: "channels", text: `${depth} / (${w.kernel!.join("·")}) = ${channels}` });
      } else {
        const detail = `Expected size of input's dimension 1 to be divisible by the product of kernel_size, but got input.size(1)=${depth} and kernel_size=${tupleText(w.kernel!)}.`;
        problems.push(refuses(args.layer, detail, "kernel_size"));
      }
    }
    const counts = outputSize && blocks(outputSize, w, formulas);
    const window = () => `output_size=${tupleText(outputSize!)}, kernel_size=${tupleText(w.kernel!)}, dilation=${tupleText(w.dilation!)}, padding=${tupleText(w.padding!)}, stride=${tupleText(w.stride!)}`;
    // col2im checks that a block fits along each axis before it counts them: (-1, -2) blocks are not 2.
    if (counts && counts.some((n) => n < 1)) {
      const detail = `Given ${window()}, calculated shape of the array of sliding blocks as ${tupleText(counts)}, which is too small (non-positive)`;
      problems.push(refuses(args.layer, detail, "output_size"));
    } else if (counts && isKnown(length) && counts[0] * counts[1] !== length) {
      const detail = `Given ${window()}, expected size of input's dimension 2 to match the calculated number of sliding blocks ${counts[0]} * ${counts[1]} = ${counts[0] * counts[1]}, but got input.size(2)=${length}.`;
      problems.push(refuses(args.layer, detail, "output_size"));
    }
    const spatial: Dim[] = outputSize ?? [UNKNOWN, UNKNOWN];
    return done(args, problems, formulas, [...(batched ? [input[0]] : []), channels, ...spatial]);
  },
};

export const torchResamplingModules: readonly LayerSpec[] = [
  ...PAD_KINDS.flatMap((kind) => ranks.map((rank) => padSpec(kind, rank))),
  ...interpolationModules,
  pixelShuffleSpec(false),
  pixelShuffleSpec(true),
  channelShuffle,
  unfold,
  fold,
];
