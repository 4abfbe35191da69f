/**
 * TensorFlow.js (tfjs-layers 4.22, CPU backend) as an independent Keras
 * implementation to test against: builds one layer or a stack on a symbolic
 * input and reports each layer's output shape and parameter count, or the
 * error tfjs raised. Nothing is ever computed on data.
 */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import "@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops";
import * as tfl from "@tensorflow/tfjs-layers";
import { Shape } from "../../server/src/engine/shape";

let ready: Promise<void> | undefined;

/** Selects the CPU backend once, without tfjs's "install tfjs-node" banner. */
export function setupTfjs(): Promise<void> {
  ready ??= (async () => {
    const warn = console.warn;
    console.warn = (...args: unknown[]) => {
      if (String(args[0]).includes("looks like you are running TensorFlow.js in Node.js")) return;
      warn(...args);
    };
    await tf.setBackend("cpu");
    // The banner is printed on the first tensor write: trigger it now, while filtered.
    tf.tidy(() => tf.zeros([1]));
  })();
  return ready;
}

export type TfConfig = Record<string, unknown>;

/** One layer for tfjs: the factory name in `tfl.layers` and its camelCase config. */
export interface TfLayer {
  readonly name: string;
  readonly config: TfConfig;
  /** For wrappers (bidirectional, timeDistributed): the wrapped layer. */
  readonly inner?: TfLayer;
}

export type TfOutcome =
  | { readonly ok: true; readonly shapes: Shape[]; readonly params: bigint[]; readonly total: bigint; readonly nonTrainable?: bigint }
  | { readonly ok: false; readonly error: string };

type Factory = (config: TfConfig) => tfl.layers.Layer;

function make(layer: TfLayer): tfl.layers.Layer {
  const factory = (tfl.layers as unknown as Record<string, Factory>)[layer.name];
  if (!factory) throw new Error(`tfjs-layers has no layer ${layer.name}`);
  return factory(layer.inner ? { ...layer.config, layer: make(layer.inner) } : layer.config);
}

function toShape(s: (number | null)[]): Shape {
  return s.map((d) => (d === null ? "None" : d));
}

/**
 * Applies `layers` in order to `Input(shape=input)` (batch excluded). Weights
 * are disposed of before returning, so memory stays flat over thousands of builds.
 */
export function buildTfjs(input: readonly number[], layers: readonly TfLayer[]): TfOutcome {
  try {
    let x = tfl.input({ shape: [...input] });
    const shapes: Shape[] = [];
    const params: bigint[] = [];
    for (const spec of layers) {
      const layer = make(spec);
      const y = layer.apply(x);
      if (Array.isArray(y)) throw new Error("layer returned several outputs");
      x = y as tfl.SymbolicTensor;
      shapes.push(toShape(x.shape));
      params.push(BigInt(layer.countParams()));
    }
    return { ok: true, shapes, params, total: params.reduce((a, b) => a + b, 0n) };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  } finally {
    tf.disposeVariables();
  }
}

/**
 * Builds `tfl.sequential([inputLayer, ...layers])` and reads the model's own
 * view: each layer's `outputShape`, `countParams()`, and `model.countParams()`.
 */
export function buildTfjsSequential(input: readonly number[], layers: readonly TfLayer[]): TfOutcome {
  try {
    const built = layers.map(make);
    const model = tfl.sequential({ layers: [tfl.layers.inputLayer({ batchInputShape: [null, ...input] }), ...built] });
    const shapes = built.map((l) => toShape(l.outputShape as (number | null)[]));
    const params = built.map((l) => BigInt(l.countParams()));
    const nonTrainable = model.nonTrainableWeights.reduce((a, w) => a + BigInt(w.shape.reduce<number>((x, y) => x * (y ?? 0), 1)), 0n);
    return { ok: true, shapes, params, total: BigInt(model.countParams()), nonTrainable };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  } finally {
    tf.disposeVariables();
  }
}

/**
 * tfjs is more lenient than Keras 3 about sizes: its `convOutputLength` /
 * cropping arithmetic happily returns 0 or a negative size where Keras 3 raises
 * "Computed output size would be zero or negative"
 * (keras/src/ops/operation_utils.py, compute_conv_output_shape and
 * compute_pooling_output_shape) or refuses the cropping
 * (keras/src/layers/reshaping/cropping2d.py). A tfjs build with such a size
 * counts as a refusal.
 */
export function keras3Refuses(outcome: TfOutcome): boolean {
  if (!outcome.ok) return true;
  return outcome.shapes.some((s) => s.some((d) => typeof d === "number" && d <= 0));
}

/** Applies one layer to a list of inputs of the given shapes (batch excluded), as a merge layer is called. */
export function buildTfjsMerge(inputs: readonly (readonly number[])[], layer: TfLayer): TfOutcome {
  try {
    const tensors = inputs.map((shape) => tfl.input({ shape: [...shape] }));
    const built = make(layer);
    const y = built.apply(tensors);
    if (Array.isArray(y)) throw new Error("layer returned several outputs");
    const params = BigInt(built.countParams());
    return { ok: true, shapes: [toShape((y as tfl.SymbolicTensor).shape)], params: [params], total: params };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  } finally {
    tf.disposeVariables();
  }
}

/** One node of a functional graph for tfjs: an input, or a layer applied to earlier nodes. */
export type TfNode =
  | { readonly input: readonly number[] }
  | {
      readonly layer: TfLayer;
      readonly from: readonly number[];
      /** Called on a list (merge layers) rather than on one tensor. */
      readonly list: boolean;
      /** Index of an earlier node whose layer object is called again (shared weights). */
      readonly sharedWith?: number;
    };

/**
 * Builds `tf.model({inputs, outputs})` from a graph of nodes (inputs: `tf.input`; outputs: the nodes
 * nothing consumes) and reads each node's output shape, each layer's `countParams()` and the
 * model's. A shared layer's parameters are reported on its first call only.
 */
export function buildTfjsFunctional(nodes: readonly TfNode[]): TfOutcome {
  try {
    const tensors: tfl.SymbolicTensor[] = [];
    const built: (tfl.layers.Layer | undefined)[] = [];
    const shapes: Shape[] = [];
    const params: bigint[] = [];
    for (const node of nodes) {
      if ("input" in node) {
        tensors.push(tfl.input({ shape: [...node.input] }));
        built.push(undefined);
        params.push(0n);
      } else {
        const layer = node.sharedWith === undefined ? make(node.layer) : built[node.sharedWith]!;
        const args = node.from.map((i) => tensors[i]);
        const y = layer.apply(node.list ? args : args[0]);
        if (Array.isArray(y)) throw new Error("layer returned several outputs");
        tensors.push(y as tfl.SymbolicTensor);
        built.push(layer);
        params.push(node.sharedWith === undefined ? BigInt(layer.countParams()) : 0n);
      }
      shapes.push(toShape(tensors[tensors.length - 1].shape));
    }
    const consumed = new Set(nodes.flatMap((n) => ("from" in n ? n.from : [])));
    const inputs = nodes.flatMap((n, i) => ("input" in n ? [tensors[i]] : []));
    const outputs = tensors.filter((_, i) => !consumed.has(i));
    const model = tfl.model({ inputs, outputs });
    return { ok: true, shapes, params, total: BigInt(model.countParams()) };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  } finally {
    tf.disposeVariables();
  }
}
