/**
 * Random PyTorch module cases for the module oracle (torch_modules.test.ts): a constructor call (positional
 * arguments, then keywords, as the user writes them) and the input shapes of one forward. Each generator draws
 * mostly cases PyTorch accepts and, at random, the mistakes users make (wrong channels or features, a kernel
 * larger than the input, the wrong rank, arguments PyTorch refuses); the test only asks the engine and PyTorch
 * to agree on accepting or refusing a case, and on its shapes and parameters when accepted.
 *
 * The spatial modules (convolution, pooling, padding, resampling) are here; the others in
 * torch_generators_layers.ts. Signatures are current PyTorch's (torch/nn/modules/*.py).
 */
import { Arg, Keywords, tup } from "../engine/helpers";
import { ArgIR } from "../../server/src/engine/ir";
import { PyValue, pyFloat } from "../../server/src/engine/values";

/** mulberry32: a small seeded generator, so every run checks the same cases. */
export function rng(seed: number) {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  return {
    int,
    /** True with probability `p`. */
    chance: (p: number) => next() < p,
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)],
    ints: (n: number, lo: number, hi: number) => Array.from({ length: n }, () => int(lo, hi)),
  };
}
export type Rng = ReturnType<typeof rng>;

export interface TorchInput {
  readonly shape: readonly number[];
  /** Embedding's indices are integers. */
  readonly dtype?: "long";
}

export interface TorchCase {
  /** The class under torch.nn: `Conv2d`. */
  readonly module: string;
  /** Positional values, then (optionally) one object of keywords (test/engine/helpers.ts's form). */
  readonly args: readonly Arg[];
  /** The forward's tensors, in order (MultiheadAttention's query, key, value). */
  readonly inputs: readonly TorchInput[];
  /** The forward's other keywords (need_weights…). */
  readonly call?: Keywords;
}

/** True for the keywords object of an argument list (a float, tuple or nested module is a value). */
export function isKeywords(a: Arg): a is Keywords {
  return typeof a === "object" && a !== null && !Array.isArray(a) && !["tuple", "float", "layer", "unresolved"].some((k) => k in a);
}

/** The call's arguments as the front end hands them to the engine (spans are irrelevant here). */
export function callArgs(args: readonly Arg[]): ArgIR[] {
  const span = { start: 0, end: 0 };
  return args.flatMap((a) => (isKeywords(a) ? Object.entries(a).map(([name, value]) => ({ name, value, span })) : [{ value: a as PyValue, span }]));
}

export interface ModuleGen {
  readonly module: string;
  draw(r: Rng): TorchCase;
}

export const f = (x: number) => pyFloat(x);

/** Keywords written only when drawn: a random subset of `options`, so defaults are exercised too. */
export function someOf(r: Rng, options: Keywords, p = 0.5): Keywords {
  return Object.fromEntries(Object.entries(options).filter(() => r.chance(p)));
}

/** An int, or a tuple of `n` (equal or not): both spellings PyTorch's `_single/_pair/_triple` accept. */
export function intOrTuple(r: Rng, n: number, lo: number, hi: number): PyValue {
  if (r.chance(0.5)) return r.int(lo, hi);
  return tup(...r.ints(n, lo, hi));
}

const each = (v: PyValue, n: number): number[] => (typeof v === "number" ? Array(n).fill(v) : (v as { tuple: number[] }).tuple);

/** A batch of 1–3, or none (the unbatched forms PyTorch accepts) when `unbatched` is allowed. */
export function batch(r: Rng, unbatched = true): number[] {
  return unbatched && r.chance(0.25) ? [] : [r.int(1, 3)];
}

/** Now and then the wrong rank: one axis more or fewer. */
export function wrongRank(r: Rng, shape: readonly number[]): number[] {
  if (!r.chance(0.06)) return [...shape];
  return r.chance(0.5) || shape.length < 2 ? [...shape, r.int(1, 3)] : shape.slice(1);
}

/** Usually `right`, now and then another value (a channel count that does not match). */
export function usually(r: Rng, right: number, p = 0.1): number {
  return r.chance(p) ? right + r.pick([-1, 1, 2]) || right + 1 : right;
}

// ---------------------------------------------------------------------------
// Convolutions: torch/nn/modules/conv.py

function conv(dims: number, transposed: boolean, lazy: boolean): ModuleGen {
  const module = `${lazy ? "Lazy" : ""}Conv${transposed ? "Transpose" : ""}${dims}d`;
  return {
    module,
    draw(r) {
      const groups = r.chance(0.3) ? r.int(2, 3) : 1;
      const divisible = !r.chance(0.08);
      const inChannels = groups * r.int(1, 3) + (divisible ? 0 : 1);
      const outChannels = groups * r.int(1, 3);
      const kernel = intOrTuple(r, dims, 1, 4);
      const keywords: Record<string, PyValue> = {};
      const stride = r.chance(0.4) ? intOrTuple(r, dims, 1, 3) : 1;
      if (stride !== 1) keywords.stride = stride;
      // ConvTranspose takes no padding string (PyTorch raises at the forward): rarely drawn for it.
      const paddingKind = r.pick(transposed && !r.chance(0.1) ? ["int", "none"] : ["int", "int", "same", "valid", "none"]);
      if (paddingKind === "int") keywords.padding = intOrTuple(r, dims, 0, 2);
      else if (paddingKind !== "none") keywords.padding = paddingKind;
      if (r.chance(0.3)) keywords.dilation = intOrTuple(r, dims, 1, 2);
      if (groups > 1 || r.chance(0.05)) keywords.groups = groups;
      if (r.chance(0.3)) keywords.bias = false;
      if (transposed && r.chance(0.3)) keywords.output_padding = intOrTuple(r, dims, 0, 2);
      if (r.chance(0.2)) keywords.padding_mode = r.pick(transposed ? ["zeros", "reflect"] : ["zeros", "reflect", "replicate", "circular"]);
      const kernelSizes = each(kernel, dims);
      const spatial = kernelSizes.map((k) => r.int(r.chance(0.1) ? 1 : k + 2, k + 7));
      const channels = usually(r, inChannels);
      const input = wrongRank(r, [...batch(r), channels, ...spatial]);
      const positional = lazy ? [outChannels, kernel] : [inChannels, outChannels, kernel];
      return { module, args: [...positional, keywords], inputs: [{ shape: input }] };
    },
  };
}

// ---------------------------------------------------------------------------
// Pooling: torch/nn/modules/pooling.py

function spatialInput(r: Rng, dims: number, lo: number, hi: number): number[] {
  return wrongRank(r, [...batch(r), r.int(1, 3), ...r.ints(dims, lo, hi)]);
}

function maxPool(dims: number): ModuleGen {
  const module = `MaxPool${dims}d`;
  return {
    module,
    draw(r) {
      const kernel = intOrTuple(r, dims, 1, 4);
      const k = Math.min(...each(kernel, dims));
      const keywords = someOf(r, {
        stride: intOrTuple(r, dims, 1, 3),
        // PyTorch: pad should be at most half of effective kernel size; now and then more.
        padding: r.int(0, Math.floor(k / 2) + (r.chance(0.15) ? 1 : 0)),
        dilation: intOrTuple(r, dims, 1, 2),
        return_indices: r.chance(0.5),
        ceil_mode: r.chance(0.5),
      }, 0.4);
      return { module, args: [kernel, keywords], inputs: [{ shape: spatialInput(r, dims, 1, 9) }] };
    },
  };
}

function avgPool(dims: number): ModuleGen {
  const module = `AvgPool${dims}d`;
  return {
    module,
    draw(r) {
      const kernel = intOrTuple(r, dims, 1, 4);
      const k = Math.min(...each(kernel, dims));
      const keywords = someOf(r, {
        stride: r.chance(0.2) ? null : intOrTuple(r, dims, 1, 3),
        padding: r.int(0, Math.floor(k / 2) + (r.chance(0.15) ? 1 : 0)),
        ceil_mode: r.chance(0.5),
        count_include_pad: r.chance(0.5),
        ...(dims > 1 ? { divisor_override: r.chance(0.5) ? null : r.int(1, 4) } : {}),
      }, 0.4);
      return { module, args: [kernel, keywords], inputs: [{ shape: spatialInput(r, dims, 1, 9) }] };
    },
  };
}

function adaptivePool(kind: "Avg" | "Max", dims: number): ModuleGen {
  const module = `Adaptive${kind}Pool${dims}d`;
  return {
    module,
    draw(r) {
      const entry = () => (dims > 1 && r.chance(0.2) ? null : r.int(1, 6));
      const outputSize: PyValue = dims === 1 || r.chance(0.4) ? r.int(1, 6) : tup(...Array.from({ length: dims }, entry));
      const keywords: Keywords = kind === "Max" && r.chance(0.4) ? { return_indices: true } : {};
      return { module, args: [outputSize, keywords], inputs: [{ shape: spatialInput(r, dims, 1, 9) }] };
    },
  };
}

function lpPool(dims: number): ModuleGen {
  const module = `LPPool${dims}d`;
  return {
    module,
    draw(r) {
      const kernel = intOrTuple(r, dims, 1, 4);
      const keywords = someOf(r, { stride: intOrTuple(r, dims, 1, 3), ceil_mode: r.chance(0.5) });
      return { module, args: [r.pick([1, 2, f(1.5)]), kernel, keywords], inputs: [{ shape: spatialInput(r, dims, 1, 9) }] };
    },
  };
}

/** MaxUnpool's forward takes the pooling's indices too: zeros are valid indices of any size. */
function maxUnpool(dims: number): ModuleGen {
  const module = `MaxUnpool${dims}d`;
  return {
    module,
    draw(r) {
      const kernel = intOrTuple(r, dims, 1, 4);
      const keywords = someOf(r, { stride: intOrTuple(r, dims, 1, 3), padding: r.int(0, 1) });
      const shape = spatialInput(r, dims, 1, 6);
      return { module, args: [kernel, keywords], inputs: [{ shape }, { shape, dtype: "long" }] };
    },
  };
}

// ---------------------------------------------------------------------------
// Padding and resampling: torch/nn/modules/padding.py, upsampling.py, pixelshuffle.py, channelshuffle.py, fold.py

function pad(kind: "Zero" | "Constant" | "Reflection" | "Replication" | "Circular", dims: number): ModuleGen {
  const module = `${kind}Pad${dims}d`;
  return {
    module,
    draw(r) {
      // ConstantPad and ZeroPad crop with negative padding; the others pad only.
      const lo = kind === "Constant" || kind === "Zero" ? -1 : 0;
      // Reflection needs padding < the size, circular ≤ it: mostly small.
      const hi = r.chance(0.8) ? 2 : 3;
      const padding: PyValue = r.chance(0.4) ? r.int(0, hi) : tup(...r.ints(2 * dims + (r.chance(0.05) ? 1 : 0), lo, hi));
      const args: Arg[] = kind === "Constant" ? [padding, f(r.pick([0, 1.5]))] : [padding];
      return { module, args, inputs: [{ shape: wrongRank(r, [...batch(r), r.int(1, 3), ...r.ints(dims, 1, 6)]) }] };
    },
  };
}

const INTERPOLATION: Record<number, readonly string[]> = { 3: ["nearest", "linear", "nearest-exact"], 4: ["nearest", "bilinear", "bicubic"], 5: ["nearest", "trilinear"] };

const upsample: ModuleGen = {
  module: "Upsample",
  draw(r) {
    const rank = r.int(3, 5);
    const dims = rank - 2;
    const input = [r.int(1, 2), r.int(1, 3), ...r.ints(dims, 1, 6)];
    const mode = r.chance(0.1) ? r.pick(["linear", "bilinear", "trilinear", "area"]) : r.pick(INTERPOLATION[rank]);
    const keywords: Record<string, PyValue> = { mode };
    if (r.chance(0.5)) keywords.size = dims === 1 || r.chance(0.4) ? r.int(1, 9) : tup(...r.ints(dims, 1, 9));
    if (!("size" in keywords) || r.chance(0.08)) keywords.scale_factor = r.chance(0.5) ? r.int(1, 3) : f(r.pick([0.5, 1.5, 2.5]));
    if (r.chance(0.3)) keywords.align_corners = r.chance(0.5);
    return { module: "Upsample", args: [keywords], inputs: [{ shape: input }] };
  },
};

function upsampling2d(module: "UpsamplingNearest2d" | "UpsamplingBilinear2d"): ModuleGen {
  return {
    module,
    draw(r) {
      const keywords: Keywords = r.chance(0.5) ? { size: r.chance(0.5) ? r.int(1, 9) : tup(...r.ints(2, 1, 9)) } : { scale_factor: r.int(1, 3) };
      return { module, args: [keywords], inputs: [{ shape: wrongRank(r, [r.int(1, 2), r.int(1, 3), ...r.ints(2, 1, 6)]) }] };
    },
  };
}

const pixelShuffle: ModuleGen = {
  module: "PixelShuffle",
  draw(r) {
    const factor = r.int(1, 3);
    const channels = usually(r, r.int(1, 2) * factor * factor);
    return { module: "PixelShuffle", args: [factor], inputs: [{ shape: wrongRank(r, [...batch(r), channels, ...r.ints(2, 1, 4)]) }] };
  },
};

const pixelUnshuffle: ModuleGen = {
  module: "PixelUnshuffle",
  draw(r) {
    const factor = r.int(1, 3);
    const spatial = [usually(r, factor * r.int(1, 3)), factor * r.int(1, 3)];
    return { module: "PixelUnshuffle", args: [factor], inputs: [{ shape: wrongRank(r, [...batch(r), r.int(1, 3), ...spatial]) }] };
  },
};

const channelShuffle: ModuleGen = {
  module: "ChannelShuffle",
  draw(r) {
    const groups = r.int(1, 3);
    const channels = usually(r, groups * r.int(1, 3));
    return { module: "ChannelShuffle", args: [groups], inputs: [{ shape: [r.int(1, 2), channels, ...r.ints(r.int(0, 2), 1, 4)] }] };
  },
};

/** The number of sliding blocks over `size` (torch/nn/modules/fold.py's formula). */
function blocks(size: readonly number[], k: readonly number[], d: readonly number[], p: readonly number[], s: readonly number[]): number {
  return size.reduce((n, x, i) => n * Math.max(0, Math.floor((x + 2 * p[i] - d[i] * (k[i] - 1) - 1) / s[i]) + 1), 1);
}

function windowArgs(r: Rng) {
  const kernel = intOrTuple(r, 2, 1, 3);
  const options = someOf(r, { dilation: intOrTuple(r, 2, 1, 2), padding: intOrTuple(r, 2, 0, 1), stride: intOrTuple(r, 2, 1, 2) });
  const read = (name: string, fallback: number) => each(options[name] ?? fallback, 2);
  return { kernel, options, k: each(kernel, 2), d: read("dilation", 1), p: read("padding", 0), s: read("stride", 1) };
}

const unfold: ModuleGen = {
  module: "Unfold",
  draw(r) {
    const { kernel, options } = windowArgs(r);
    return { module: "Unfold", args: [kernel, options], inputs: [{ shape: wrongRank(r, [...batch(r), r.int(1, 3), ...r.ints(2, 1, 6)]) }] };
  },
};

const fold: ModuleGen = {
  module: "Fold",
  draw(r) {
    const { kernel, options, k, d, p, s } = windowArgs(r);
    const outputSize = r.ints(2, 2, 6);
    const channels = r.int(1, 2) * k[0] * k[1] + (r.chance(0.1) ? 1 : 0);
    // A tensor with an empty axis comes from no layer: when no block fits, the input still has one column.
    const length = usually(r, Math.max(1, blocks(outputSize, k, d, p, s)));
    return { module: "Fold", args: [tup(...outputSize), kernel, options], inputs: [{ shape: [...batch(r), channels, length] }] };
  },
};

export const spatialGenerators: readonly ModuleGen[] = [
  ...[1, 2, 3].flatMap((d) => [conv(d, false, false), conv(d, true, false), conv(d, false, true), conv(d, true, true)]),
  ...[1, 2, 3].flatMap((d) => [maxPool(d), avgPool(d), adaptivePool("Avg", d), adaptivePool("Max", d), maxUnpool(d), lpPool(d)]),
  ...[1, 2, 3].flatMap((d) => (["Zero", "Constant", "Reflection", "Replication", "Circular"] as const).map((kind) => pad(kind, d))),
  upsample,
  upsampling2d("UpsamplingNearest2d"),
  upsampling2d("UpsamplingBilinear2d"),
  pixelShuffle,
  pixelUnshuffle,
  channelShuffle,
  fold,
  unfold,
];
