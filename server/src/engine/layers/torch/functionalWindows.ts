/**
 * torch.nn.functional's sliding windows and resampling (torch/nn/functional.py): max / avg / lp pooling, adaptive
 * pooling, conv*d and conv_transpose*d with the user's weight tensor, interpolate, pad and pixel (un)shuffle.
 * Channels first, batched `(N, C, *spatial)` or unbatched `(C, *spatial)`. The window arithmetic is ATen's
 * (aten/src/ATen/native/Pool.h `pooling_output_shape`, ConvUtils.h `conv_output_size`), shown with the user's
 * numbers: `⌊(32 + 2·0 − 1·(5 − 1) − 1)/1 + 1⌋ = 28`, `⌈…⌉` with ceil_mode. The weight tensors are the user's:
 * these functions own no parameters.
 */
import { Args } from "../../args";
import { CostRule, factor, product as costProduct } from "../../cost";
import { Dim, Shape, UNKNOWN, formatShape, isKnown } from "../../shape";
import { Formula, ParamDecl, Problem } from "../../spec";
import { isInt, isSequence, isUnresolved, items, numeric, pyRepr } from "../../values";
import { spatialNames } from "../../math";
import { Infer, TorchOpDef, invalid, result, several, sizeList } from "./tensorShapes";
import { AxisWindow, slidingOutput, transposedOutput } from "./window";

const param = (name: string, value?: ParamDecl["default"]): ParamDecl => (value === undefined ? { name } : { name, default: value });

/** PyTorch's `_single` / `_pair` / `_triple`: an int repeated, or a sequence of exactly `n` ints. */
function tupleArg(args: Args, name: string, n: number, problems: Problem[], min = 0): number[] | undefined {
  const v = args.raw(name);
  if (v === undefined) return undefined;
  const list = isInt(v) ? Array(n).fill(v) : isSequence(v) && items(v).length === n && items(v).every(isInt) ? (items(v) as number[]) : undefined;
  if (!list) {
    if (isSequence(v) && items(v).some(isUnresolved)) args.unresolved.set(name, "an element of it is not a constant");
    else problems.push(invalid(name, n === 1 ? "an integer" : `an integer or a tuple of ${n} integers`, v));
    return undefined;
  }
  if (list.some((x) => x < min)) {
    problems.push(min === 1 ? { id: "nonPositiveArgument", argument: name, values: { argument: name, value: pyRepr(v) } } : invalid(name, `integers ≥ ${min}`, v));
    return undefined;
  }
  return list;
}

/** The input split into its batch part (empty when unbatched) and its channels and spatial dims, or a problem. */
function layout(layer: string, input: Shape, spatial: number, torch = `Expected ${spatial + 1}D (unbatched) or ${spatial + 2}D (batched) input to ${layer.split(".").pop()}, but got input of size: ${sizeList(input)}`): { lead: Dim[]; channels: Dim; sizes: Dim[] } | Problem {
  if (input.length !== spatial + 1 && input.length !== spatial + 2) return { id: "torchOpRefuses", values: { layer, what: `the input ${formatShape(input)}`, torch } };
  const lead = input.slice(0, input.length - spatial - 1);
  return { lead, channels: input[lead.length], sizes: input.slice(lead.length + 1) };
}

const isProblem = (x: object): x is Problem => "id" in x;

/** One axis of a window, with ceil_mode. */
type WindowAxis = AxisWindow & { readonly ceil: boolean };

/** The spatial output sizes, their formulas and PyTorch's refusal when one is below 1. */
function slideAll(layer: string, input: Shape, channels: Dim, sizes: readonly Dim[], axes: readonly WindowAxis[], argument: string) {
  const names = spatialNames(sizes.length);
  const formulas: Formula[] = [];
  const out = sizes.map((size, i) => {
    const r = slidingOutput(size, axes[i], axes[i].ceil);
    if (r.formula) formulas.push({ label: names[i], text: r.formula });
    return r.dim;
  });
  const problems: Problem[] = [];
  if (out.some((d) => isKnown(d) && d < 1)) {
    const x = (dims: readonly Dim[]) => dims.map((d) => (isKnown(d) ? d : "?")).join("x");
    problems.push({ id: "torchOpRefuses", argument, values: { layer, what: `the input ${formatShape(input)}`, torch: `Given input size: (${x([channels, ...sizes])}). Calculated output size: (${x([channels, ...out])}). Output size is too small` } });
  }
  return { out: out.map((d) => (isKnown(d) && d < 1 ? UNKNOWN : d)), formulas, problems };
}

// ---------------------------------------------------------------------------------------------
// Pooling
// ---------------------------------------------------------------------------------------------

/** max_pool*d / avg_pool*d / lp_pool*d. */
function inferPool(spatial: number, kind: "max" | "avg" | "lp"): Infer {
  return (args, [input]) => {
    const problems: Problem[] = [];
    const kernel = tupleArg(args, "kernel_size", spatial, problems, 1);
    const strideGiven = args.raw("stride");
    const stride = strideGiven === null || (isSequence(strideGiven) && !items(strideGiven).length) ? kernel : tupleArg(args, "stride", spatial, problems, 1);
    const padding = kind === "lp" ? Array(spatial).fill(0) : tupleArg(args, "padding", spatial, problems);
    const dilation = kind === "max" ? tupleArg(args, "dilation", spatial, problems, 1) : Array(spatial).fill(1);
    const ceil = args.bool("ceil_mode");
    const indices = kind === "max" ? args.bool("return_indices") : false;
    if (kind === "lp") args.float("norm_type");
    if (!input) return result(args, undefined, problems);
    const parts = layout(args.layer, input, spatial, `non-empty ${spatial + 1}D or ${spatial + 2}D (batch mode) tensor expected for input`);
    if (isProblem(parts)) return result(args, undefined, [...problems, parts]);
    if (!kernel || !stride || !padding || !dilation || ceil === undefined || indices === undefined) {
      return result(args, [...parts.lead, parts.channels, ...parts.sizes.map((d) => (isKnown(d) ? UNKNOWN : d))], problems);
    }
    for (let i = 0; i < spatial; i++) {
      if (padding[i] > Math.floor((dilation[i] * (kernel[i] - 1) + 1) / 2)) {
        const torch = `pad should be at most half of effective kernel size, but got pad=${padding[i]}, kernel_size=${kernel[i]} and dilation=${dilation[i]}`;
        return result(args, undefined, [...problems, { id: "torchOpRefuses", argument: "padding", values: { layer: args.layer, what: `padding ${padding[i]}`, torch } }]);
      }
    }
    const axes = kernel.map((k, i) => ({ kernel: k, stride: stride[i], padding: padding[i], dilation: dilation[i], ceil }));
    const slid = slideAll(args.layer, input, parts.channels, parts.sizes, axes, "kernel_size");
    const output = [...parts.lead, parts.channels, ...slid.out];
    return indices ? several(args, [output, output], [...problems, ...slid.problems], slid.formulas) : result(args, output, [...problems, ...slid.problems], slid.formulas);
  };
}

/** adaptive_*_pool*d(input, output_size): the spatial sizes are `output_size` (None keeps the input's). */
function inferAdaptive(spatial: number, max: boolean): Infer {
  return (args, [input]) => {
    const problems: Problem[] = [];
    const raw = args.raw("output_size");
    const indices = max ? args.bool("return_indices") : false;
    if (!input || raw === undefined) return result(args, undefined);
    const parts = layout(args.layer, input, spatial, `${args.layer.split(".").pop()}(): Expected ${spatial + 1}D or ${spatial + 2}D tensor, but got ${sizeList(input)}`);
    if (isProblem(parts)) return result(args, undefined, [parts]);
    const list = isInt(raw) || raw === null ? Array(spatial).fill(raw) : isSequence(raw) && items(raw).length === spatial ? items(raw) : undefined;
    if (!list || list.some((d) => !(d === null || (isInt(d) && d >= 0)))) return result(args, undefined, [invalid("output_size", `a size or a tuple of ${spatial} sizes (None keeps the input's)`, raw)]);
    const output = [...parts.lead, parts.channels, ...list.map((d, i) => (d === null ? parts.sizes[i] : (d as number)))];
    return indices ? several(args, [output, output], problems) : result(args, output, problems);
  };
}

// ---------------------------------------------------------------------------------------------
// Convolution
// ---------------------------------------------------------------------------------------------

/** conv*d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1): weight (out, in/groups, *kernel). */
function inferConv(spatial: number): Infer {
  return (args, [input, weight, bias]) => {
    const problems: Problem[] = [];
    const stride = tupleArg(args, "stride", spatial, problems, 1);
    const dilation = tupleArg(args, "dilation", spatial, problems, 1);
    const groups = args.int("groups");
    const rawPadding = args.raw("padding");
    const named = typeof rawPadding === "string" ? rawPadding : undefined;
    if (named !== undefined && named !== "valid" && named !== "same") problems.push(invalid("padding", "'valid', 'same', an integer or a tuple of integers", rawPadding!));
    const padding = named !== undefined ? undefined : tupleArg(args, "padding", spatial, problems);
    if (named === "same" && stride?.some((s) => s !== 1)) {
      problems.push({ id: "torchOpRefuses", argument: "padding", values: { layer: args.layer, what: `stride ${sizeList(stride)}`, torch: "padding='same' is not supported for strided convolutions" } });
    }
    if (!input || !weight) return result(args, undefined, problems);
    const parts = layout(args.layer, input, spatial);
    if (isProblem(parts)) return result(args, undefined, [...problems, parts]);
    if (weight.length !== spatial + 2) {
      return result(args, undefined, [...problems, { id: "wrongRank", input: 1, values: { layer: args.layer, expected: spatial + 2, example: "(out_channels, in_channels / groups, *kernel)", shape: formatShape(weight), rank: weight.length } }]);
    }
    const [outChannels, perGroup, ...kernel] = weight;
    const batched = parts.lead.length ? input : [1, ...input];
    if (groups !== undefined && isKnown(outChannels) && outChannels % groups !== 0) {
      const torch = `Given groups=${groups}, expected weight to be divisible by ${groups} at dimension 0, but got weight of size [${sizeList(weight)}] instead`;
      problems.push({ id: "torchOpRefuses", argument: "groups", input: 1, values: { layer: args.layer, what: `the weight ${formatShape(weight)}`, torch } });
    }
    if (groups !== undefined && isKnown(parts.channels) && isKnown(perGroup) && parts.channels !== perGroup * groups) {
      const torch = `Given groups=${groups}, weight of size ${sizeList(weight)}, expected input${sizeList(batched)} to have ${perGroup * groups} channels, but got ${parts.channels} channels instead`;
      problems.push({ id: "torchOpRefuses", input: 0, values: { layer: args.layer, what: `the input ${formatShape(input)}`, torch } });
    }
    if (bias && (bias.length !== 1 || (isKnown(bias[0]) && isKnown(outChannels) && bias[0] !== outChannels))) {
      const torch = `Given weight of size ${sizeList(weight)}, expected bias to be 1-dimensional with ${outChannels} elements, but got bias of size ${sizeList(bias)} instead`;
      problems.push({ id: "torchOpRefuses", input: 2, values: { layer: args.layer, what: `the bias ${formatShape(bias)}`, torch } });
    }
    if (problems.length) return result(args, undefined, problems);
    if (!stride || !dilation || (!padding && !named) || !kernel.every(isKnown)) {
      return result(args, [...parts.lead, outChannels, ...parts.sizes.map(() => UNKNOWN)], problems);
    }
    if (named === "same") return result(args, [...parts.lead, outChannels, ...parts.sizes], problems, [{ label: "padding", text: "'same': the output keeps the input's size" }]);
    const pads = padding ?? Array(spatial).fill(0);
    // PyTorch refuses a kernel larger than the padded input before computing the size.
    const padded = parts.sizes.map((d, i) => (isKnown(d) ? d + 2 * pads[i] : d));
    const spans = (kernel as number[]).map((k, i) => dilation[i] * (k - 1) + 1);
    if (padded.some((d, i) => isKnown(d) && d < spans[i])) {
      const torch = `Calculated padded input size per channel: (${padded.join(" x ")}). Kernel size: (${spans.join(" x ")}). Kernel size can't be greater than actual input size`;
      return result(args, undefined, [{ id: "torchOpRefuses", input: 1, values: { layer: args.layer, what: `the input ${formatShape(input)}`, torch } }]);
    }
    const axes = (kernel as number[]).map((k, i) => ({ kernel: k, stride: stride[i], padding: pads[i], dilation: dilation[i], ceil: false }));
    const slid = slideAll(args.layer, input, parts.channels, parts.sizes, axes, "weight");
    return result(args, [...parts.lead, outChannels, ...slid.out], slid.problems, slid.formulas);
  };
}

/**
 * conv_transpose*d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1): weight
 * (in, out/groups, *kernel); each size (n − 1)·s − 2·p + d·(k − 1) + output_padding + 1.
 */
function inferConvTranspose(spatial: number): Infer {
  return (args, [input, weight]) => {
    const problems: Problem[] = [];
    const stride = tupleArg(args, "stride", spatial, problems, 1);
    const padding = tupleArg(args, "padding", spatial, problems);
    const outputPadding = tupleArg(args, "output_padding", spatial, problems);
    const dilation = tupleArg(args, "dilation", spatial, problems, 1);
    const groups = args.int("groups");
    if (!input || !weight) return result(args, undefined, problems);
    const parts = layout(args.layer, input, spatial);
    if (isProblem(parts)) return result(args, undefined, [...problems, parts]);
    if (weight.length !== spatial + 2) {
      return result(args, undefined, [...problems, { id: "wrongRank", input: 1, values: { layer: args.layer, expected: spatial + 2, example: "(in_channels, out_channels / groups, *kernel)", shape: formatShape(weight), rank: weight.length } }]);
    }
    const [inChannels, perGroup, ...kernel] = weight;
    if (isKnown(parts.channels) && isKnown(inChannels) && parts.channels !== inChannels) {
      const batched = parts.lead.length ? input : [1, ...input];
      const torch = `Given transposed=1, weight of size ${sizeList(weight)}, expected input${sizeList(batched)} to have ${inChannels} channels, but got ${parts.channels} channels instead`;
      return result(args, undefined, [...problems, { id: "torchOpRefuses", input: 0, values: { layer: args.layer, what: `the input ${formatShape(input)}`, torch } }]);
    }
    const channels = groups !== undefined && isKnown(perGroup) ? perGroup * groups : UNKNOWN;
    if (!stride || !padding || !outputPadding || !dilation || !kernel.every(isKnown)) return result(args, [...parts.lead, channels, ...parts.sizes.map(() => UNKNOWN)], problems);
    const names = spatialNames(spatial);
    const formulas: Formula[] = [];
    const sizes = parts.sizes.map((n, i) => {
      const r = transposedOutput(n, { kernel: kernel[i] as number, stride: stride[i], padding: padding[i], dilation: dilation[i] }, outputPadding[i]);
      if (r.formula) formulas.push({ label: names[i], text: r.formula });
      return r.dim;
    });
    return result(args, [...parts.lead, channels, ...sizes], problems, formulas);
  };
}

/** A convolution's MACs for one sample: every output element is a dot product over (in/groups)·kernel weights. */
const convCost: CostRule = ({ inputs, output }) => {
  const weight = inputs?.[1];
  const input = inputs?.[0];
  if (!output || !weight || !input) return { note: "depends on a dimension that is not known statically" };
  const unbatched = input.length === weight.length - 1;
  return costProduct([factor(unbatched ? output : output.slice(1)), factor(weight.slice(1))]);
};

// ---------------------------------------------------------------------------------------------
// interpolate, pad, pixel shuffle
// ---------------------------------------------------------------------------------------------

const INTERPOLATING = ["linear", "bilinear", "bicubic", "trilinear"];
const MODE_RANK: Record<string, number> = { linear: 3, bilinear: 4, bicubic: 4, trilinear: 5 };

/**
 * interpolate(input, size=None, scale_factor=None, mode='nearest', align_corners=None, …): (N, C, *spatial); the
 * upsample_* spellings fix the mode (upsample_bilinear with align_corners=True).
 */
const inferInterpolate = (fixed?: { mode: string; alignCorners: boolean | null }): Infer => (args, [input]) => {
  const size = args.raw("size");
  const scale = args.raw("scale_factor");
  const mode = fixed ? fixed.mode : args.raw("mode");
  const alignCorners = fixed ? fixed.alignCorners : args.raw("align_corners");
  if (!input || size === undefined || scale === undefined || mode === undefined) return result(args, undefined);
  const refuse = (argument: string, torch: string) => result(args, undefined, [{ id: "torchOpRefuses", argument, values: { layer: args.layer, what: `the input ${formatShape(input)}`, torch } }]);
  const modes = ["nearest", "nearest-exact", "area", ...INTERPOLATING];
  if (typeof mode !== "string" || !modes.includes(mode)) return result(args, undefined, [invalid("mode", modes.map((m) => `'${m}'`).join(", "), mode)]);
  if (alignCorners !== null && alignCorners !== undefined && !INTERPOLATING.includes(mode)) {
    return refuse("align_corners", "align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear");
  }
  const spatial = input.length - 2;
  if (spatial < 1 || spatial > 3) return refuse("input", `Input Error: Only 3D, 4D and 5D input Tensors supported (got ${input.length}D) for the modes: nearest | linear | bilinear | bicubic | trilinear | area | nearest-exact (got ${mode})`);
  if (MODE_RANK[mode] !== undefined && MODE_RANK[mode] !== input.length) return refuse("mode", `Got ${input.length}D input, but ${mode} mode needs ${MODE_RANK[mode]}D input`);
  if (size === null && scale === null) return refuse("size", "either size or scale_factor should be defined");
  if (size !== null && scale !== null) return refuse("scale_factor", "only one of size or scale_factor should be defined");
  const spatialSizes = input.slice(2);
  if (size !== null) {
    const list = isInt(size) ? Array(spatial).fill(size) : isSequence(size) ? items(size) : undefined;
    if (!list || !list.every(isInt)) return result(args, undefined, [invalid("size", `a size or a tuple of ${spatial} sizes`, size)]);
    if (list.length !== spatial) {
      return refuse("size", `Input and output must have the same number of spatial dimensions, but got input with spatial dimensions of ${sizeList(spatialSizes)} and output size of ${sizeList(list as number[])}.`);
    }
    return result(args, [...input.slice(0, 2), ...(list as number[])]);
  }
  const factors = numeric(scale) !== undefined ? Array(spatial).fill(numeric(scale)) : isSequence(scale) ? items(scale).map(numeric) : undefined;
  if (!factors || factors.some((f) => f === undefined || f <= 0)) return result(args, undefined, [invalid("scale_factor", `a positive number or a tuple of ${spatial}`, scale)]);
  if (factors.length !== spatial) {
    return refuse("scale_factor", `Input and scale_factor must have the same number of spatial dimensions, but got input with spatial dimensions of ${sizeList(spatialSizes)} and scale_factor of shape ${sizeList(factors as number[])}.`);
  }
  const names = spatialNames(spatial);
  const formulas: Formula[] = [];
  const sizes = spatialSizes.map((n, i) => {
    if (!isKnown(n)) return n;
    const out = Math.floor(n * factors[i]!);
    formulas.push({ label: names[i], text: `⌊${n} · ${factors[i]}⌋ = ${out}` });
    return out;
  });
  return result(args, [...input.slice(0, 2), ...sizes], [], formulas);
};

/** pad(input, pad, mode='constant', value=None): (before, after) pairs from the last dim backwards. */
const inferPad: Infer = (args, [input]) => {
  const problems: Problem[] = [];
  const raw = args.raw("pad");
  const mode = args.choice("mode", ["constant", "reflect", "replicate", "circular"]);
  if (!input || raw === undefined || mode === undefined) return result(args, undefined);
  const pads = isSequence(raw) && items(raw).every(isInt) ? (items(raw) as number[]) : undefined;
  if (!pads) return result(args, undefined, [invalid("pad", "a tuple of integers, (before, after) pairs from the last dim", raw)]);
  const refuse = (torch: string) => result(args, undefined, [{ id: "torchOpRefuses", argument: "pad", values: { layer: args.layer, what: `the input ${formatShape(input)}`, torch } }]);
  if (pads.length % 2) return refuse("Padding length must be divisible by 2");
  const pairs = pads.length / 2;
  if (pairs > input.length) return refuse(`Padding length should be less than or equal to two times the input dimension but got padding length ${pads.length} and input of dimension ${input.length}`);
  if (mode !== "constant") {
    if (pairs < 1 || pairs > 3 || (input.length !== pairs + 1 && input.length !== pairs + 2)) return refuse("Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now");
    if (pads.some((p) => p < 0) && mode !== "replicate") return refuse("negative padding is only supported for constant and replicate padding");
  }
  const output = [...input];
  const formulas: Formula[] = [];
  for (let i = 0; i < pairs; i++) {
    const axis = input.length - 1 - i;
    const [before, after] = [pads[2 * i], pads[2 * i + 1]];
    const n = input[axis];
    if (!isKnown(n)) continue;
    if (mode === "reflect" && (before >= n || after >= n)) {
      return refuse(`Argument #4: Padding size should be less than the corresponding input dimension, but got: padding (${before}, ${after}) at dimension ${axis} of input ${sizeList(input)}`);
    }
    if (mode === "circular" && (before > n || after > n)) return refuse("Padding value causes wrapping around more than once.");
    output[axis] = n + before + after;
    formulas.push({ label: `dim ${axis}`, text: `${n} + ${before} + ${after} = ${output[axis]}` });
  }
  if (output.some((d) => isKnown(d) && d < 0)) return refuse(`The input size ${sizeList(input)}, plus negative padding ${sizeList(pads)} resulted in a negative output size`);
  return result(args, output, problems, formulas.reverse());
};

/** pixel_shuffle(input, upscale_factor): (*, C·r², H, W) → (*, C, H·r, W·r); pixel_unshuffle the reverse. */
function inferPixelShuffle(unshuffle: boolean): Infer {
  return (args, [input]) => {
    const name = unshuffle ? "downscale_factor" : "upscale_factor";
    const r = args.int(name);
    if (!input || r === undefined) return result(args, undefined);
    const fn = unshuffle ? "pixel_unshuffle" : "pixel_shuffle";
    const refuse = (torch: string) => result(args, undefined, [{ id: "torchOpRefuses", argument: name, values: { layer: args.layer, what: `the input ${formatShape(input)}`, torch } }]);
    if (input.length < 3) return refuse(`${fn} expects input to have at least 3 dimensions, but got input with ${input.length} dimension(s)`);
    const [c, h, w] = input.slice(-3);
    const lead = input.slice(0, -3);
    if (!unshuffle) {
      if (isKnown(c) && c % (r * r)) return refuse(`pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of upscale_factor, but input.size(-3)=${c} is not divisible by ${r * r}`);
      return result(args, [...lead, isKnown(c) ? c / (r * r) : c, isKnown(h) ? h * r : h, isKnown(w) ? w * r : w]);
    }
    if (isKnown(h) && h % r) return refuse(`pixel_unshuffle expects height to be divisible by downscale_factor, but input.size(-2)=${h} is not divisible by ${r}`);
    if (isKnown(w) && w % r) return refuse(`pixel_unshuffle expects width to be divisible by downscale_factor, but input.size(-1)=${w} is not divisible by ${r}`);
    return result(args, [...lead, isKnown(c) ? c * r * r : c, isKnown(h) ? h / r : h, isKnown(w) ? w / r : w]);
  };
}

// ---------------------------------------------------------------------------------------------
// The functions
// ---------------------------------------------------------------------------------------------

const F = (fn: string) => `torch.nn.functional.${fn}`;
const DIMS = [1, 2, 3];

/** One per window element for each output element, for one sample (an unbatched input is one sample). */
const poolCost = (spatial: number): CostRule => ({ args, output }) => {
  const kernel = args.raw("kernel_size");
  const k = isInt(kernel) ? Array(spatial).fill(kernel) : isSequence(kernel) ? items(kernel) : [];
  const sample = output && (output.length === spatial + 1 ? output : output.slice(1));
  return costProduct([sample && factor(sample), k.length === spatial && k.every(isInt) ? factor(k as number[]) : undefined], "one per window element");
};

export const windowFunctions: readonly TorchOpDef[] = [
  ...DIMS.map((n) => ({
    name: F(`max_pool${n}d`), summary: `Max over ${n}-D windows of \`kernel_size\`; with return_indices, \`(values, indices)\`.`, tensors: ["input"],
    params: [param("kernel_size"), param("stride", null), param("padding", 0), param("dilation", 1), param("ceil_mode", false), param("return_indices", false)],
    infer: inferPool(n, "max"), cost: poolCost(n),
  })),
  ...DIMS.map((n) => ({
    name: F(`avg_pool${n}d`), summary: `Average over ${n}-D windows of \`kernel_size\`.`, tensors: ["input"],
    params: [param("kernel_size"), param("stride", null), param("padding", 0), param("ceil_mode", false), param("count_include_pad", true), ...(n > 1 ? [param("divisor_override", null)] : [])],
    infer: inferPool(n, "avg"), cost: poolCost(n),
  })),
  ...DIMS.map((n) => ({
    name: F(`lp_pool${n}d`), summary: `Power-average (p = norm_type) over ${n}-D windows of \`kernel_size\`.`, tensors: ["input"],
    params: [param("norm_type"), param("kernel_size"), param("stride", null), param("ceil_mode", false)], infer: inferPool(n, "lp"),
  })),
  ...DIMS.map((n) => ({ name: F(`adaptive_avg_pool${n}d`), summary: "Average pooling to `output_size` (None keeps a size).", tensors: ["input"], params: [param("output_size")], infer: inferAdaptive(n, false) })),
  ...DIMS.map((n) => ({ name: F(`adaptive_max_pool${n}d`), summary: "Max pooling to `output_size`; with return_indices, `(values, indices)`.", tensors: ["input"], params: [param("output_size"), param("return_indices", false)], infer: inferAdaptive(n, true) })),
  ...DIMS.map((n) => ({
    name: F(`conv${n}d`), aliases: [`torch.conv${n}d`], summary: `${n}-D convolution with the given weight (out, in/groups, *kernel) and bias.`, tensors: ["input", "weight", "bias"], min: 2,
    params: [param("stride", 1), param("padding", 0), param("dilation", 1), param("groups", 1)], infer: inferConv(n), cost: convCost,
  })),
  ...DIMS.map((n) => ({
    name: F(`conv_transpose${n}d`), aliases: [`torch.conv_transpose${n}d`], summary: `${n}-D transposed convolution with the given weight (in, out/groups, *kernel).`, tensors: ["input", "weight", "bias"], min: 2,
    params: [param("stride", 1), param("padding", 0), param("output_padding", 0), param("groups", 1), param("dilation", 1)], infer: inferConvTranspose(n),
  })),
  {
    name: F("interpolate"), summary: "Resamples the spatial dims to `size` or by `scale_factor` (⌊n · factor⌋).", tensors: ["input"],
    params: [param("size", null), param("scale_factor", null), param("mode", "nearest"), param("align_corners", null), param("recompute_scale_factor", null), param("antialias", false)],
    infer: inferInterpolate(),
  },
  { name: F("upsample"), summary: "Resamples the spatial dims to `size` or by `scale_factor` (deprecated spelling of interpolate).", tensors: ["input"], params: [param("size", null), param("scale_factor", null), param("mode", "nearest"), param("align_corners", null)], infer: inferInterpolate() },
  { name: F("upsample_nearest"), summary: "Nearest-neighbour resampling to `size` or by `scale_factor`.", tensors: ["input"], params: [param("size", null), param("scale_factor", null)], infer: inferInterpolate({ mode: "nearest", alignCorners: null }) },
  { name: F("upsample_bilinear"), summary: "Bilinear resampling (align_corners=True) to `size` or by `scale_factor`.", tensors: ["input"], params: [param("size", null), param("scale_factor", null)], infer: inferInterpolate({ mode: "bilinear", alignCorners: true }) },
  { name: F("pad"), summary: "Pads with (before, after) pairs from the last dim backwards.", tensors: ["input"], params: [param("pad"), param("mode", "constant"), param("value", null)], infer: inferPad },
  { name: F("pixel_shuffle"), aliases: ["torch.pixel_shuffle"], summary: "(*, C·r², H, W) → (*, C, H·r, W·r).", tensors: ["input"], params: [param("upscale_factor")], infer: inferPixelShuffle(false) },
  { name: F("pixel_unshuffle"), aliases: ["torch.pixel_unshuffle"], summary: "(*, C, H·r, W·r) → (*, C·r², H, W).", tensors: ["input"], params: [param("downscale_factor")], infer: inferPixelShuffle(true) },
];
