/**
 * Random layer configurations for the differential tests, written once with
 * both spellings: Keras 3 keywords (snake_case, Python values, for our engine
 * and for the Python source) and the tfjs-layers config (camelCase).
 *
 * Every generator is `forInput(input, mode)`: a configuration for an input of
 * that shape (batch excluded). In mode "valid" it is one Keras 3 accepts; in
 * mode "loose" it may be one Keras 3 refuses (kernel or pool larger than the
 * input, Reshape mismatches…), and the tests then only ask our engine and
 * tfjs to agree on accepting or refusing it.
 *
 * Where tfjs and Keras 3 differ, the argument is set explicitly on both sides
 * or the region is left out of the generator; each case says why, with the
 * Keras 3 source it relies on.
 */
import fc from "fast-check";
// @ts-expect-error: a plain ES module without types (the benchmark's generator, whose PRNG the oracle shares).
import { random } from "../../scripts/bench-corpus.mjs";
import { PyValue, PyTuple } from "../../server/src/engine/values";
import { TfConfig, TfLayer, TfOutcome } from "./tfjs";

export type Mode = "valid" | "loose";
/** Keras keywords in the constructor's positional order (the Python writer relies on it). */
export type Kw = Record<string, PyValue>;

export interface Case {
  /** Keras 3 class name. */
  readonly kind: string;
  readonly kw: Kw;
  readonly tf: TfLayer;
  /** For wrappers: the wrapped layer, as Keras class + keywords. */
  readonly inner?: { readonly kind: string; readonly kw: Kw };
  /** Turns tfjs's verdict on a single-layer build into Keras 3's, where they differ (documented at the generator). */
  readonly keras3?: (tf: TfOutcome) => TfOutcome;
}

export interface LayerGen {
  readonly kind: string;
  /** Input ranks (batch excluded) the layer accepts. */
  readonly ranks: readonly number[];
  /** True when it accepts any input dims of its ranks (no size constraint), e.g. activations. */
  readonly shapePreserving?: boolean;
  forInput(input: readonly number[], mode: Mode): fc.Arbitrary<Case>;
  /** Inputs for the single-layer properties. */
  input(mode: Mode): fc.Arbitrary<number[]>;
}

const tup = (...values: PyValue[]): PyTuple => ({ tuple: values });

/** An int when every entry is equal and `asInt`, else a tuple: both spellings Keras accepts. */
function intOrTuple(values: readonly number[], asInt: boolean): PyValue {
  return asInt && values.every((v) => v === values[0]) ? values[0] : tup(...values);
}

function dims(rank: number, min: number, max: number): fc.Arbitrary<number[]> {
  return fc.array(fc.integer({ min, max }), { minLength: rank, maxLength: rank });
}

const fmt = (cf: boolean) => (cf ? "channels_first" : "channels_last");
const tfFmt = (cf: boolean) => (cf ? "channelsFirst" : "channelsLast");
/** Zero initializers keep tfjs from drawing random (or orthogonal) weights: shapes only matter. */
const zeros = { kernelInitializer: "zeros", biasInitializer: "zeros" };

function spatialOf(input: readonly number[], cf: boolean): { spatial: number[]; channels: number } {
  return cf ? { spatial: input.slice(1), channels: input[0] } : { spatial: input.slice(0, -1), channels: input[input.length - 1] };
}

/** Inputs of `rank` spatial axes plus channels: spatial 1..12 (loose) or 4..12, channels 1..4. */
function imageInput(rank: number, mode: Mode): fc.Arbitrary<number[]> {
  return fc.tuple(dims(rank, mode === "loose" ? 1 : 4, 12), fc.integer({ min: 1, max: 4 })).map(([s, c]) => [...s, c]);
}

// ---------------------------------------------------------------------------
// Dense

const dense: LayerGen = {
  kind: "Dense",
  // Keras 3 Dense acts on the last axis of any rank ≥ 2 (keras/src/layers/core/dense.py,
  // build: kernel (input_shape[-1], units)); tfjs-layers does the same.
  ranks: [1, 2, 3],
  input: () => fc.integer({ min: 1, max: 3 }).chain((r) => dims(r, 1, 8)),
  forInput: () =>
    fc.record({ units: fc.integer({ min: 1, max: 8 }), bias: fc.boolean() }).map(({ units, bias }) => ({
      kind: "Dense",
      kw: { units, ...(bias ? {} : { use_bias: false }) },
      tf: { name: "dense", config: { units, useBias: bias, ...zeros } },
    })),
};

// ---------------------------------------------------------------------------
// Convolutions

interface Axis {
  k: number;
  s: number;
  d: number;
}

/**
 * Per-axis kernel/stride/dilation. Keras 3 refuses strides > 1 together with
 * dilation_rate > 1 (keras/src/layers/convolutional/base_conv.py, __init__:
 * "`strides > 1` not supported in conjunction with `dilation_rate > 1`");
 * tfjs-layers builds such a layer (tfjs-core only refuses when it runs), so
 * the generators never combine them: one mode per layer.
 */
function axes(spatial: readonly number[], mode: Mode, padding: string, kind: "strided" | "dilated", maxK = 4): fc.Arbitrary<Axis[]> {
  return fc.tuple(
    ...spatial.map((n) => {
      const dArb = kind === "dilated" ? fc.integer({ min: 1, max: 3 }) : fc.constant(1);
      return dArb.chain((d) => {
        // Under 'valid' (and in mode valid) the dilated window d·(k − 1) + 1 must fit in n.
        const fit = padding === "valid" && mode === "valid" ? Math.floor((n - 1) / d) + 1 : maxK + 1;
        return fc.record({
          k: fc.integer({ min: 1, max: Math.max(1, Math.min(maxK + (mode === "loose" ? 1 : 0), fit)) }),
          s: kind === "strided" ? fc.integer({ min: 1, max: 3 }) : fc.constant(1),
          d: fc.constant(d),
        });
      });
    }),
  );
}

function conv(rank: 1 | 2 | 3): LayerGen {
  const kind = `Conv${rank}D`;
  return {
    kind,
    ranks: [rank + 1],
    input: (mode) => imageInput(rank, mode),
    forInput: (input, mode) =>
      fc
        .record({
          cf: fc.boolean(),
          // Keras 3 accepts 'causal' for Conv1D (base_conv.py: standardize_padding(padding, allow_causal=rank == 1))
          // and sizes it like 'same', ⌊(n − 1) / s⌋ + 1 (keras/src/ops/operation_utils.py compute_conv_output_shape:
          // `elif padding in ("same", "causal")`; conv1d.py pads the time axis on the left by d·(k − 1) before a
          // 'valid' convolution). tfjs-layers sizes 'causal' like 'valid' (Conv1D on (None, 4, 1), kernel 2: tfjs
          // (None, 3, 4), Keras 3 (None, 4, 4)), so 'causal' is left out here; test/engine covers it.
          padding: fc.constantFrom("valid", "same"),
          how: fc.constantFrom<"strided" | "dilated">("strided", "dilated"),
          filters: fc.integer({ min: 1, max: 4 }),
          bias: fc.boolean(),
          asInt: fc.boolean(),
        })
        .chain((r) => axes(spatialOf(input, r.cf).spatial, mode, r.padding, r.how).map((ax) => ({ ...r, ax })))
        .map(({ cf, padding, filters, bias, asInt, ax }) => {
          const k = ax.map((a) => a.k);
          const s = ax.map((a) => a.s);
          const d = ax.map((a) => a.d);
          const kw: Kw = { filters, kernel_size: intOrTuple(k, asInt) };
          if (s.some((v) => v > 1)) kw.strides = intOrTuple(s, asInt);
          kw.padding = padding;
          if (cf) kw.data_format = fmt(cf);
          if (d.some((v) => v > 1)) kw.dilation_rate = intOrTuple(d, asInt);
          if (!bias) kw.use_bias = false;
          const config: TfConfig = { filters, kernelSize: k, strides: s, padding, dataFormat: tfFmt(cf), dilationRate: rank === 1 ? d[0] : d, useBias: bias, ...zeros };
          return { kind, kw, tf: { name: `conv${rank}d`, config } };
        }),
  };
}

/**
 * Conv2DTranspose / Conv3DTranspose. Keras 3 sizes a transposed convolution
 * (keras/src/backend/common/backend_utils.py, compute_conv_transpose_output_shape
 * with output_padding=None): 'valid' → (n − 1)·s + k, 'same' → n·s; tfjs's
 * deconvLength gives n·s + max(k − s, 0) for 'valid', which differs when k < s.
 * The generator keeps k ≥ s under 'valid' (where both read (n − 1)·s + k) and
 * dilation 1 (tfjs's transposed convolutions do not dilate).
 */
function convTranspose(rank: 2 | 3): LayerGen {
  const kind = `Conv${rank}DTranspose`;
  return {
    kind,
    ranks: [rank + 1],
    input: () => imageInput(rank, "loose"),
    forInput: () =>
      fc
        .record({
          cf: fc.boolean(),
          padding: fc.constantFrom("valid", "same"),
          filters: fc.integer({ min: 1, max: 4 }),
          bias: fc.boolean(),
          asInt: fc.boolean(),
          ax: fc.array(
            fc.integer({ min: 1, max: 3 }).chain((s) => fc.record({ s: fc.constant(s), k: fc.integer({ min: s, max: 4 }) })),
            { minLength: rank, maxLength: rank },
          ),
        })
        .map(({ cf, padding, filters, bias, asInt, ax }) => {
          const k = ax.map((a) => a.k);
          const s = ax.map((a) => a.s);
          const kw: Kw = { filters, kernel_size: intOrTuple(k, asInt), strides: intOrTuple(s, asInt), padding };
          if (cf) kw.data_format = fmt(cf);
          if (!bias) kw.use_bias = false;
          return {
            kind,
            kw,
            tf: { name: `conv${rank}dTranspose`, config: { filters, kernelSize: k, strides: s, padding, dataFormat: tfFmt(cf), useBias: bias, ...zeros } },
          };
        }),
  };
}

/** SeparableConv2D and DepthwiseConv2D (keras/src/layers/convolutional/base_separable_conv.py, base_depthwise_conv.py). */
function depthwise(separable: boolean): LayerGen {
  const kind = separable ? "SeparableConv2D" : "DepthwiseConv2D";
  return {
    kind,
    ranks: [3],
    input: (mode) => imageInput(2, mode),
    forInput: (input, mode) =>
      fc
        .record({
          cf: fc.boolean(),
          padding: fc.constantFrom("valid", "same"),
          // tfjs's DepthwiseConv2D ignores dilation_rate when sizing its output (on (None, 11, 6, 3)
          // channels_first, kernel (2, 1), dilation (2, 1): tfjs height 5, Keras 3 6 − 2·1 − 1 + 1 = 4 by
          // compute_conv_output_shape, which base_depthwise_conv.py calls with dilation_rate): no dilation for it.
          how: separable ? fc.constantFrom<"strided" | "dilated">("strided", "dilated") : fc.constant<"strided" | "dilated">("strided"),
          filters: fc.integer({ min: 1, max: 4 }),
          dm: fc.integer({ min: 1, max: 3 }),
          bias: fc.boolean(),
          asInt: fc.boolean(),
        })
        .chain((r) => axes(spatialOf(input, r.cf).spatial, mode, r.padding, r.how).map((ax) => ({ ...r, ax })))
        .map(({ cf, padding, filters, dm, bias, asInt, ax }) => {
          const k = ax.map((a) => a.k);
          const s = ax.map((a) => a.s);
          const d = ax.map((a) => a.d);
          const kw: Kw = separable ? { filters, kernel_size: intOrTuple(k, asInt) } : { kernel_size: intOrTuple(k, asInt) };
          if (s.some((v) => v > 1)) kw.strides = intOrTuple(s, asInt);
          kw.padding = padding;
          if (separable) {
            if (cf) kw.data_format = fmt(cf);
            if (d.some((v) => v > 1)) kw.dilation_rate = intOrTuple(d, asInt);
            kw.depth_multiplier = dm;
          } else {
            kw.depth_multiplier = dm;
            if (cf) kw.data_format = fmt(cf);
            if (d.some((v) => v > 1)) kw.dilation_rate = intOrTuple(d, asInt);
          }
          if (!bias) kw.use_bias = false;
          const config: TfConfig = {
            kernelSize: k,
            strides: s,
            padding,
            dataFormat: tfFmt(cf),
            dilationRate: d,
            depthMultiplier: dm,
            useBias: bias,
            depthwiseInitializer: "zeros",
            pointwiseInitializer: "zeros",
            biasInitializer: "zeros",
            ...(separable ? { filters } : {}),
          };
          return { kind, kw, tf: { name: separable ? "separableConv2d" : "depthwiseConv2d", config } };
        }),
  };
}

// ---------------------------------------------------------------------------
// Pooling

function pooling(op: "Max" | "Average", rank: 1 | 2 | 3): LayerGen {
  const kind = `${op}Pooling${rank}D`;
  const tfName = `${op === "Max" ? "max" : "average"}Pooling${rank}d`;
  return {
    kind,
    ranks: [rank + 1],
    input: (mode) => imageInput(rank, mode),
    forInput: (input, mode) =>
      fc
        .record({
          // tfjs's 1-D pooling has no data_format: channels_last only for 1-D.
          cf: rank === 1 ? fc.constant(false) : fc.boolean(),
          padding: fc.constantFrom("valid", "same"),
          withStrides: fc.boolean(),
          asInt: fc.boolean(),
        })
        .chain((r) =>
          fc
            .tuple(
              ...spatialOf(input, r.cf).spatial.map((n) =>
                fc.record({
                  // 'valid' needs pool ≤ n (operation_utils.py compute_pooling_output_shape raises otherwise).
                  p: fc.integer({ min: 1, max: r.padding === "valid" && mode === "valid" ? Math.min(3, n) : mode === "loose" ? 4 : 3 }),
                  s: fc.integer({ min: 1, max: 3 }),
                }),
              ),
            )
            .map((ax) => ({ ...r, ax })),
        )
        .map(({ cf, padding, withStrides, asInt, ax }) => {
          const p = ax.map((a) => a.p);
          const s = ax.map((a) => a.s);
          // AveragePoolingND's pool_size has no default in Keras 3 (keras/src/layers/pooling/average_pooling2d.py),
          // tfjs defaults it to 2: always passed.
          const kw: Kw = { pool_size: intOrTuple(p, asInt) };
          if (withStrides) kw.strides = intOrTuple(s, asInt);
          kw.padding = padding;
          if (cf) kw.data_format = fmt(cf);
          const config: TfConfig = {
            poolSize: rank === 1 ? p[0] : p,
            ...(withStrides ? { strides: rank === 1 ? s[0] : s } : {}),
            padding,
            ...(rank === 1 ? {} : { dataFormat: tfFmt(cf) }),
          };
          return { kind, kw, tf: { name: tfName, config } };
        }),
  };
}

function globalPooling(op: "Max" | "Average", rank: 1 | 2): LayerGen {
  const kind = `Global${op}Pooling${rank}D`;
  return {
    kind,
    ranks: [rank + 1],
    input: () => imageInput(rank, "loose"),
    forInput: () =>
      // tfjs's global 1-D pooling has no data_format, and no keepdims at all: defaults (channels_last, keepdims=False).
      (rank === 1 ? fc.constant(false) : fc.boolean()).map((cf) => ({
        kind,
        kw: (cf ? { data_format: fmt(cf) } : {}) as Kw,
        tf: { name: `global${op}Pooling${rank}d`, config: rank === 1 ? {} : { dataFormat: tfFmt(cf) } },
      })),
  };
}

// ---------------------------------------------------------------------------
// Reshaping

const flatten: LayerGen = {
  kind: "Flatten",
  // Keras 3 Flatten also takes rank-2 inputs (keras/src/layers/reshaping/flatten.py: InputSpec(min_ndim=1));
  // tfjs-layers demands rank ≥ 3 (Flatten's inputSpec minNDim 3), so rank 2 is left out.
  ranks: [2, 3, 4],
  input: () => fc.integer({ min: 2, max: 4 }).chain((r) => dims(r, 1, 6)),
  forInput: () =>
    fc.boolean().map((cf) => ({
      kind: "Flatten",
      kw: (cf ? { data_format: fmt(cf) } : {}) as Kw,
      tf: { name: "flatten", config: { dataFormat: tfFmt(cf) } },
    })),
};

function factorizations(n: number): number[] {
  const out: number[] = [];
  for (let d = 1; d <= n; d++) if (n % d === 0) out.push(d);
  return out;
}

const reshape: LayerGen = {
  kind: "Reshape",
  ranks: [1, 2, 3],
  input: () => fc.integer({ min: 1, max: 3 }).chain((r) => dims(r, 1, 6)),
  forInput: (input, mode) => {
    const total = input.reduce((a, b) => a * b, 1);
    const target: fc.Arbitrary<number[]> =
      mode === "loose"
        ? // Any dims 1..8 and at most two -1s: Keras 3 refuses a size change or two -1s
          // (keras/src/ops/operation_utils.py compute_reshape_output_shape / validate_reshape_shape), and so does tfjs.
          fc.array(fc.oneof(fc.integer({ min: 1, max: 8 }), fc.constant(-1)), { minLength: 1, maxLength: 3 }).filter((t) => t.filter((d) => d === -1).length <= 2)
        : // A random factorization of the element count, one factor maybe written -1.
          fc
            .tuple(fc.constantFrom(...factorizations(total)), fc.nat())
            .chain(([a, seed]) => {
              const rest = total / a;
              const bs = factorizations(rest);
              const b = bs[seed % bs.length];
              const parts = [a, b, rest / b].filter((_, i) => i < 1 + (seed % 3));
              const product = parts.reduce((x, y) => x * y, 1);
              if (product !== total) parts.push(total / product);
              return fc.tuple(fc.constant(parts), fc.integer({ min: -1, max: parts.length - 1 }));
            })
            .map(([parts, hole]) => parts.map((d, i) => (i === hole ? -1 : d)));
    // tfjs leaves a -1 open (None) on a symbolic input even when every input dim is known; Keras 3 resolves it
    // to total / known and refuses when known does not divide total (operation_utils.py
    // compute_reshape_output_shape: "the input size cannot by divided by the specified dimensions").
    // tfjs also builds a target with two -1s, which Keras 3 refuses (validate_reshape_shape:
    // "There must be at most one unknown dimension (-1)").
    const keras3 = (t: number[]) => (tf: TfOutcome): TfOutcome => {
      const hole = t.indexOf(-1);
      if (t.lastIndexOf(-1) !== hole) return { ok: false, error: "Keras 3: at most one -1" };
      const known0 = t.reduce((a, d) => a * d, 1);
      // Without a -1, tfjs does not compare element counts on a symbolic input either; Keras 3 does
      // (compute_reshape_output_shape: "The total size of the tensor must be unchanged").
      if (hole < 0) return known0 === total || !tf.ok ? tf : { ok: false, error: `Keras 3: ${total} elements, target ${known0}` };
      if (!tf.ok) return tf;
      const known = t.reduce((a, d) => (d === -1 ? a : a * d), 1);
      if (total % known !== 0) return { ok: false, error: `Keras 3: ${total} elements cannot be divided by ${known}` };
      const shape = [...tf.shapes[0]];
      shape[hole + 1] = total / known;
      return { ...tf, shapes: [shape] };
    };
    return target.map((t) => ({ kind: "Reshape", kw: { target_shape: tup(...t) }, tf: { name: "reshape", config: { targetShape: [...t] } }, keras3: keras3(t) }));
  },
};

const zeroPadding2d: LayerGen = {
  kind: "ZeroPadding2D",
  ranks: [3],
  input: () => imageInput(2, "loose"),
  forInput: () =>
    fc
      .record({ cf: fc.boolean(), form: fc.integer({ min: 0, max: 2 }), p: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 4, maxLength: 4 }) })
      .map(({ cf, form, p }) => {
        // Keras 3 (keras/src/layers/reshaping/zero_padding2d.py): int, (sym_h, sym_w) or ((top, bottom), (left, right)).
        const [py, tfp]: [PyValue, unknown] =
          form === 0 ? [p[0], p[0]] : form === 1 ? [tup(p[0], p[1]), [p[0], p[1]]] : [tup(tup(p[0], p[1]), tup(p[2], p[3])), [[p[0], p[1]], [p[2], p[3]]]];
        return { kind: "ZeroPadding2D", kw: (cf ? { padding: py, data_format: fmt(cf) } : { padding: py }) as Kw, tf: { name: "zeroPadding2d", config: { padding: tfp, dataFormat: tfFmt(cf) } } };
      }),
};

const cropping2d: LayerGen = {
  kind: "Cropping2D",
  ranks: [3],
  input: () => imageInput(2, "loose"),
  forInput: (input, mode) =>
    fc
      .record({ cf: fc.boolean(), form: fc.integer({ min: 0, max: 2 }), c: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 4, maxLength: 4 }) })
      .map(({ cf, form, c }) => {
        const { spatial } = spatialOf(input, cf);
        // Mode valid: what is cropped from each axis stays below its size
        // (keras/src/layers/reshaping/cropping2d.py raises otherwise).
        const fit = (a: number, b: number, n: number): [number, number] => (mode === "loose" || a + b < n ? [a, b] : [Math.min(a, Math.floor((n - 1) / 2)), Math.min(b, Math.floor((n - 1) / 2))]);
        const sym = form === 0 ? [c[0], c[0], c[0], c[0]] : form === 1 ? [c[0], c[0], c[1], c[1]] : c;
        let [t, b] = fit(sym[0], sym[1], spatial[0]);
        let [l, r] = fit(sym[2], sym[3], spatial[1]);
        if (form === 0 && mode === "valid") t = b = l = r = Math.min(t, b, l, r);
        if (form === 1 && mode === "valid") ([t, b] = [Math.min(t, b), Math.min(t, b)]), ([l, r] = [Math.min(l, r), Math.min(l, r)]);
        const [py, tfc]: [PyValue, unknown] =
          form === 0 ? [t, t] : form === 1 ? [tup(t, l), [t, l]] : [tup(tup(t, b), tup(l, r)), [[t, b], [l, r]]];
        return { kind: "Cropping2D", kw: (cf ? { cropping: py, data_format: fmt(cf) } : { cropping: py }) as Kw, tf: { name: "cropping2D", config: { cropping: tfc, dataFormat: tfFmt(cf) } } };
      }),
};

const upSampling2d: LayerGen = {
  kind: "UpSampling2D",
  ranks: [3],
  input: () => imageInput(2, "loose"),
  forInput: () =>
    fc.record({ cf: fc.boolean(), s: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 2, maxLength: 2 }), asInt: fc.boolean() }).map(({ cf, s, asInt }) => {
      const kw: Kw = { size: intOrTuple(s, asInt) };
      if (cf) kw.data_format = fmt(cf);
      return { kind: "UpSampling2D", kw, tf: { name: "upSampling2d", config: { size: s, dataFormat: tfFmt(cf) } } };
    }),
};

function permutations(n: number): number[][] {
  if (n === 1) return [[1]];
  return permutations(n - 1).flatMap((p) => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n, ...p.slice(i)]));
}

const permute: LayerGen = {
  kind: "Permute",
  ranks: [1, 2, 3],
  input: () => fc.integer({ min: 1, max: 3 }).chain((r) => dims(r, 1, 6)),
  forInput: (input) =>
    fc.constantFrom(...permutations(input.length)).map((p) => ({ kind: "Permute", kw: { dims: tup(...p) }, tf: { name: "permute", config: { dims: p } } })),
};

const repeatVector: LayerGen = {
  kind: "RepeatVector",
  ranks: [1],
  input: () => dims(1, 1, 8),
  forInput: () => fc.integer({ min: 1, max: 6 }).map((n) => ({ kind: "RepeatVector", kw: { n }, tf: { name: "repeatVector", config: { n } } })),
};

// ---------------------------------------------------------------------------
// Normalization

const batchNormalization: LayerGen = {
  kind: "BatchNormalization",
  ranks: [1, 2, 3],
  input: () => fc.integer({ min: 1, max: 3 }).chain((r) => dims(r, 1, 6)),
  forInput: (input) =>
    fc
      .record({ axis: fc.integer({ min: 0, max: input.length }), center: fc.boolean(), scale: fc.boolean() })
      .map(({ axis, center, scale }) => {
        // axis counts the batch: 1..rank, or -1. Keras 3 (keras/src/layers/normalization/batch_normalization.py, build):
        // gamma/beta (if scale/center) and moving_mean/moving_variance (non-trainable), all of size input_shape[axis].
        const a = axis === 0 ? -1 : axis;
        const kw: Kw = { axis: a };
        if (!center) kw.center = false;
        if (!scale) kw.scale = false;
        return { kind: "BatchNormalization", kw, tf: { name: "batchNormalization", config: { axis: a, center, scale } } };
      }),
};

const layerNormalization: LayerGen = {
  kind: "LayerNormalization",
  ranks: [1, 2, 3],
  input: () => fc.integer({ min: 1, max: 3 }).chain((r) => dims(r, 1, 6)),
  forInput: () =>
    // Default axis=-1: gamma and beta of size input_shape[-1] (keras/src/layers/normalization/layer_normalization.py).
    fc.record({ center: fc.boolean(), scale: fc.boolean() }).map(({ center, scale }) => {
      const kw: Kw = {};
      if (!center) kw.center = false;
      if (!scale) kw.scale = false;
      return { kind: "LayerNormalization", kw, tf: { name: "layerNormalization", config: { center, scale } } };
    }),
};

// ---------------------------------------------------------------------------
// Shape-preserving layers (activations, regularization, noise, masking)

function preserving(kind: string, ranks: readonly number[], arb: fc.Arbitrary<{ kw: Kw; tf: TfLayer }>): LayerGen {
  return {
    kind,
    ranks,
    shapePreserving: true,
    input: () => fc.constantFrom(...ranks).chain((r) => dims(r, 1, 6)),
    forInput: () => arb.map(({ kw, tf }) => ({ kind, kw, tf })),
  };
}

const anyRank = [1, 2, 3];
/** Activation names both implement (keras/src/activations/__init__.py; tfjs-layers activations.ts). */
const activations = ["relu", "sigmoid", "tanh", "softmax", "linear", "elu", "selu", "softplus", "softsign", "relu6", "swish", "mish"];

const activationGens: LayerGen[] = [
  preserving("Activation", anyRank, fc.constantFrom(...activations).map((a) => ({ kw: { activation: a }, tf: { name: "activation", config: { activation: a } } }))),
  // tfjs's ReLU knows only maxValue; Keras 3's negative_slope and threshold stay at their defaults.
  preserving(
    "ReLU",
    anyRank,
    fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }).map((m) => ({ kw: (m === undefined ? {} : { max_value: m }) as Kw, tf: { name: "reLU", config: m === undefined ? {} : { maxValue: m } } })),
  ),
  // Keras 3 names the slope negative_slope (alpha is a deprecated alias), tfjs alpha; both default to 0.3
  // (keras/src/layers/activations/leaky_relu.py): set explicitly on both sides.
  preserving("LeakyReLU", anyRank, fc.constantFrom(0.1, 0.2, 0.3).map((a) => ({ kw: { negative_slope: a }, tf: { name: "leakyReLU", config: { alpha: a } } }))),
  preserving("Softmax", anyRank, fc.constant({ kw: {}, tf: { name: "softmax", config: {} } })),
  // tfjs refuses any ELU alpha but 1.0 ("Non-default alpha value … is not supported"); Keras 3 takes any float.
  preserving("ELU", anyRank, fc.constant(1).map((a) => ({ kw: { alpha: a }, tf: { name: "elu", config: { alpha: a } } }))),
  // tfjs's thresholdedReLU has no counterpart: Keras 3 removed ThresholdedReLU (ReLU(threshold=…) replaces it).
];

/** PReLU: one alpha per input element, shared (size 1) along shared_axes (keras/src/layers/activations/prelu.py, build). */
const prelu: LayerGen = {
  kind: "PReLU",
  ranks: [1, 2, 3],
  input: () => fc.integer({ min: 1, max: 3 }).chain((r) => dims(r, 1, 5)),
  forInput: (input) =>
    fc.subarray(Array.from({ length: input.length }, (_, i) => i + 1)).map((shared) => ({
      kind: "PReLU",
      kw: (shared.length ? { shared_axes: shared } : {}) as Kw,
      tf: { name: "prelu", config: shared.length ? { sharedAxes: shared, alphaInitializer: "zeros" } : { alphaInitializer: "zeros" } },
    })),
};

const rate = fc.constantFrom(0, 0.1, 0.25, 0.5, 0.9);
const regularizationGens: LayerGen[] = [
  preserving("Dropout", anyRank, rate.map((r) => ({ kw: { rate: r }, tf: { name: "dropout", config: { rate: r } } }))),
  preserving("SpatialDropout1D", [2], rate.map((r) => ({ kw: { rate: r }, tf: { name: "spatialDropout1d", config: { rate: r } } }))),
  preserving("GaussianNoise", anyRank, fc.constantFrom(0.1, 1).map((s) => ({ kw: { stddev: s }, tf: { name: "gaussianNoise", config: { stddev: s } } }))),
  preserving("GaussianDropout", anyRank, rate.map((r) => ({ kw: { rate: r }, tf: { name: "gaussianDropout", config: { rate: r } } }))),
  preserving("AlphaDropout", anyRank, rate.map((r) => ({ kw: { rate: r }, tf: { name: "alphaDropout", config: { rate: r } } }))),
  preserving("Masking", anyRank, fc.constantFrom(0, -1).map((v) => ({ kw: { mask_value: v }, tf: { name: "masking", config: { maskValue: v } } }))),
];

// ---------------------------------------------------------------------------
// Embedding and recurrent layers

/** Embedding: (batch, L) → (batch, L, output_dim), input_dim·output_dim weights (keras/src/layers/core/embedding.py). */
const embedding: LayerGen = {
  kind: "Embedding",
  ranks: [1],
  input: () => dims(1, 1, 8),
  forInput: () =>
    fc.record({ i: fc.integer({ min: 1, max: 12 }), o: fc.integer({ min: 1, max: 6 }) }).map(({ i, o }) => ({
      kind: "Embedding",
      kw: { input_dim: i, output_dim: o },
      tf: { name: "embedding", config: { inputDim: i, outputDim: o, embeddingsInitializer: "zeros" } },
    })),
};

const rnnInit = { kernelInitializer: "zeros", recurrentInitializer: "zeros", biasInitializer: "zeros" };

/**
 * SimpleRNN / LSTM / GRU on (batch, T, F). GRU: Keras 3 defaults to
 * reset_after=True (keras/src/layers/rnn/gru.py, GRUCell: bias (2, 3·units)),
 * tfjs supports only resetAfter=false (bias 3·units): reset_after=False is set
 * explicitly on both sides.
 */
function recurrent(kind: "SimpleRNN" | "LSTM" | "GRU"): LayerGen {
  const tfName = kind === "SimpleRNN" ? "simpleRNN" : kind === "LSTM" ? "lstm" : "gru";
  return {
    kind,
    ranks: [2],
    input: () => dims(2, 1, 6),
    forInput: () =>
      fc.record({ units: fc.integer({ min: 1, max: 6 }), seq: fc.boolean(), bias: fc.boolean() }).map(({ units, seq, bias }) => {
        const kw: Kw = { units };
        if (!bias) kw.use_bias = false;
        if (kind === "GRU") kw.reset_after = false;
        if (seq) kw.return_sequences = true;
        const config: TfConfig = { units, returnSequences: seq, useBias: bias, ...rnnInit, ...(kind === "GRU" ? { resetAfter: false } : {}) };
        return { kind, kw, tf: { name: tfName, config } };
      }),
  };
}

/** ConvLSTM2D on (batch, T, H, W, C), channels_last (keras/src/layers/rnn/conv_lstm.py: 4·filters gates). */
const convLstm2d: LayerGen = {
  kind: "ConvLSTM2D",
  ranks: [4],
  input: (mode) => fc.tuple(fc.integer({ min: 1, max: 3 }), imageInput(2, mode)).map(([t, rest]) => [t, ...rest]),
  forInput: (input, mode) =>
    fc
      .record({ padding: fc.constantFrom("valid", "same"), filters: fc.integer({ min: 1, max: 3 }), seq: fc.boolean(), asInt: fc.boolean() })
      .chain((r) => axes(input.slice(1, 3), mode, r.padding, "strided", 3).map((ax) => ({ ...r, ax })))
      .map(({ padding, filters, seq, asInt, ax }) => {
        const k = ax.map((a) => a.k);
        const s = ax.map((a) => a.s);
        const kw: Kw = { filters, kernel_size: intOrTuple(k, asInt) };
        if (s.some((v) => v > 1)) kw.strides = intOrTuple(s, asInt);
        kw.padding = padding;
        if (seq) kw.return_sequences = true;
        return {
          kind: "ConvLSTM2D",
          kw,
          tf: { name: "convLstm2d", config: { filters, kernelSize: k, strides: s, padding, returnSequences: seq, ...rnnInit } },
        };
      }),
};

/** Bidirectional(LSTM/GRU/SimpleRNN), merge_mode 'concat' (the default on both sides). */
const bidirectional: LayerGen = {
  kind: "Bidirectional",
  ranks: [2],
  input: () => dims(2, 1, 6),
  forInput: (input, mode) =>
    fc.constantFrom(recurrent("LSTM"), recurrent("GRU"), recurrent("SimpleRNN")).chain((g) =>
      g.forInput(input, mode).map((inner) => ({ kind: "Bidirectional", kw: {}, inner: { kind: inner.kind, kw: inner.kw }, tf: { name: "bidirectional", config: {}, inner: inner.tf } })),
    ),
};

/** TimeDistributed(Dense) on (batch, T, …, F). */
const timeDistributed: LayerGen = {
  kind: "TimeDistributed",
  ranks: [2, 3],
  input: () => fc.integer({ min: 2, max: 3 }).chain((r) => dims(r, 1, 6)),
  forInput: (input, mode) =>
    dense.forInput(input.slice(1), mode).map((inner) => ({ kind: "TimeDistributed", kw: {}, inner: { kind: inner.kind, kw: inner.kw }, tf: { name: "timeDistributed", config: {}, inner: inner.tf } })),
};

// ---------------------------------------------------------------------------

export const generators: readonly LayerGen[] = [
  dense,
  conv(1),
  conv(2),
  conv(3),
  convTranspose(2),
  convTranspose(3),
  depthwise(true),
  depthwise(false),
  pooling("Max", 1),
  pooling("Max", 2),
  pooling("Max", 3),
  pooling("Average", 1),
  pooling("Average", 2),
  pooling("Average", 3),
  globalPooling("Max", 1),
  globalPooling("Max", 2),
  globalPooling("Average", 1),
  globalPooling("Average", 2),
  flatten,
  reshape,
  permute,
  repeatVector,
  zeroPadding2d,
  cropping2d,
  upSampling2d,
  batchNormalization,
  layerNormalization,
  ...activationGens,
  prelu,
  ...regularizationGens,
  embedding,
  recurrent("SimpleRNN"),
  recurrent("LSTM"),
  recurrent("GRU"),
  convLstm2d,
  bidirectional,
  timeDistributed,
];

/** Layers whose configuration can be wrong for a given input (the "loose" property is about them). */
export const sizeSensitive = new Set([
  "Conv1D",
  "Conv2D",
  "Conv3D",
  "SeparableConv2D",
  "DepthwiseConv2D",
  "MaxPooling1D",
  "MaxPooling2D",
  "MaxPooling3D",
  "AveragePooling1D",
  "AveragePooling2D",
  "AveragePooling3D",
  "Reshape",
  "Cropping2D",
  "ConvLSTM2D",
]);

/** A small deterministic PRNG (the benchmark's mulberry32) for the choices fast-check does not drive (from one fast-check integer). */
export const rng: (seed: number) => () => number = random;

/** The merge layers that combine same-shaped tensors element by element: Keras class and functional form. */
export const ELEMENTWISE_MERGES = [
  ["Add", "add"],
  ["Multiply", "multiply"],
  ["Average", "average"],
  ["Maximum", "maximum"],
  ["Minimum", "minimum"],
] as const;
