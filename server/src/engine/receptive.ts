/**
 * Receptive field and cumulative stride ("jump") after each convolution or
 * pooling layer of a chain of layers, per spatial axis:
 *
 *   k_eff = d·(k − 1) + 1      r_out = r_in + (k_eff − 1)·j_in      j_out = j_in·s
 *
 * starting from r = 1, j = 1 at the model input. Padding shifts where a window
 * starts but not its size, so it plays no part. Only layers whose geometry is
 * certain are followed: anything else (a reshape, a transposed convolution, a
 * layer whose window is not known, a branch) ends the computation rather than
 * let a wrong number through. `explainReceptiveField` writes one out for hovers.
 */
import { bindArguments } from "./bind";
import { LayerAnalysis } from "./analyze";
import { effectiveKernel, spatialNames } from "./math";
import { LayerSpec } from "./spec";
import type { KerasGeneration } from "./generations";

/** One spatial axis after a windowed layer. */
export interface ReceptiveAxis {
  /** `height`, `width`, … */
  readonly axis: string;
  readonly kernel: number;
  readonly dilation: number;
  readonly stride: number;
  readonly fieldIn: number;
  readonly jumpIn: number;
  readonly field: number;
  readonly jump: number;
}

export interface ReceptiveField {
  readonly axes: readonly ReceptiveAxis[];
}

/** Layers that act on each position (or pad/crop the border) and leave field and jump unchanged. */
const POSITIONWISE = new Set([
  "Activation", "ReLU", "LeakyReLU", "Softmax", "ELU", "PReLU",
  "BatchNormalization", "LayerNormalization", "GroupNormalization", "UnitNormalization",
  "Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D",
  "GaussianNoise", "GaussianDropout", "AlphaDropout", "ActivityRegularization",
  "ZeroPadding1D", "ZeroPadding2D", "ZeroPadding3D", "Cropping1D", "Cropping2D", "Cropping3D",
  "Rescaling",
]);

const CONVOLUTIONS = /^(Conv|SeparableConv|DepthwiseConv)[123]D$/;
const POOLINGS = /^(Max|Average)Pooling[123]D$/;

interface Window {
  readonly kernel: number[];
  readonly strides: number[];
  readonly dilation: number[];
}

/** The window a convolution or pooling layer slides, as Keras reads its arguments; undefined if not known. */
function windowOf(layer: LayerAnalysis, spec: LayerSpec, keras: KerasGeneration | undefined): Window | undefined {
  if (layer.element.type !== "layer" || !spec.spatialRank) return undefined;
  const rank = spec.spatialRank;
  const args = bindArguments(spec, layer.element.args, undefined, keras).args;
  if (CONVOLUTIONS.test(spec.name)) {
    const kernel = args.intTuple("kernel_size", rank);
    const strides = args.intTuple("strides", rank);
    const dilation = args.intTuple("dilation_rate", rank);
    return kernel && strides && dilation ? { kernel, strides, dilation } : undefined;
  }
  if (POOLINGS.test(spec.name)) {
    const kernel = args.intTuple("pool_size", rank);
    const strides = args.has("strides") ? args.intTuple("strides", rank) : kernel;
    return kernel && strides ? { kernel, strides, dilation: kernel.map(() => 1) } : undefined;
  }
  return undefined;
}


/**
 * For each layer of `layers` (followed while each takes the previous one's output), its
 * receptive field and jump when it is a convolution or pooling layer whose field
 * is certain; undefined elsewhere. `keras`: the Keras generation the layers were read as (their model's).
 */
export function receptiveFields(layers: readonly LayerAnalysis[], keras?: KerasGeneration): (ReceptiveField | undefined)[] {
  const result: (ReceptiveField | undefined)[] = [];
  // undefined: nothing windowed yet, every axis has r = 1, j = 1.
  let state: { field: number; jump: number }[] | undefined;
  let broken = false;
  for (const [i, layer] of layers.entries()) {
    const spec = layer.spec;
    // The very shape object the previous layer produced: a branch beside it never passes for its successor.
    const fromPrevious = i === 0 || layers[i - 1].output === layer.input;
    if (!broken && spec?.isInput) {
      result.push(undefined);
      continue;
    }
    const window = !broken && spec && fromPrevious && layer.output ? windowOf(layer, spec, keras) : undefined;
    if (window && spec?.spatialRank && (!state || state.length === spec.spatialRank)) {
      const before = state ?? window.kernel.map(() => ({ field: 1, jump: 1 }));
      const names = spatialNames(spec.spatialRank);
      const axes = before.map(({ field, jump }, a) => {
        const kEff = effectiveKernel(window.kernel[a], window.dilation[a]);
        return {
          axis: names[a],
          kernel: window.kernel[a],
          dilation: window.dilation[a],
          stride: window.strides[a],
          fieldIn: field,
          jumpIn: jump,
          field: field + (kEff - 1) * jump,
          jump: jump * window.strides[a],
        };
      });
      state = axes.map((a) => ({ field: a.field, jump: a.jump }));
      result.push({ axes });
      continue;
    }
    if (!(spec && POSITIONWISE.has(spec.name) && fromPrevious)) broken = true;
    result.push(undefined);
  }
  return result;
}

/**
 * The receptive field and cumulative stride after a windowed layer, per spatial
 * axis, with r_out = r_in + (k_eff − 1)·j_in and j_out = j_in·s filled in (and
 * k_eff = d·(k − 1) + 1 when a window is dilated), as Markdown.
 */
export function explainReceptiveField(field: ReceptiveField): string {
  const dilated = field.axes.some((a) => a.dilation > 1);
  const size = (pick: (a: ReceptiveAxis) => number) => field.axes.map(pick).join("×");
  const lines = [
    `**Receptive field ${size((a) => a.field)}**, cumulative stride (jump) ${size((a) => a.jump)}`,
    "",
    `| axis |${dilated ? " k_eff = d·(k − 1) + 1 |" : ""} r = r_in + (k_eff − 1)·j_in | j = j_in·s |`,
    `|---|${dilated ? "---|" : ""}---|---|`,
  ];
  for (const a of field.axes) {
    const kEff = effectiveKernel(a.kernel, a.dilation);
    const kEffCell = dilated ? ` \`${a.dilation}·(${a.kernel} − 1) + 1 = ${kEff}\` |` : "";
    lines.push(`| ${a.axis} |${kEffCell} \`${a.fieldIn} + (${kEff} − 1)·${a.jumpIn} = ${a.field}\` | \`${a.jumpIn}·${a.stride} = ${a.jump}\` |`);
  }
  return lines.join("\n");
}
