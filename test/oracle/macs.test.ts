/**
 * MACs against an independent counter: PyTorch's profiler (`torch.profiler.profile(with_flops=True)`, Debian's
 * python3-torch, installed by scripts/code-server.mjs) on random stacks of layers, each written as Keras code the
 * user would type (analysed by Layer Lens) and as the same computation in PyTorch (run by torch_macs.py, which
 * works out every shape itself).
 *
 * Where the two conventions differ, and by how much:
 * - the profiler counts FLOPs, two per multiply-add: its count is 2 × Layer Lens's MACs, exactly;
 * - it counts bias additions inside addmm as nothing and element-wise operations (a separate bias add, the
 *   attention scaling, softmax) one per element: the oracle script sums only its products (conv2d, mm, addmm,
 *   bmm, baddbmm), as Layer Lens counts only products;
 * - it has no formula for conv1d, conv3d or transposed convolutions: Conv1D runs as a 2-D convolution of
 *   height 1; transposed convolutions, pooling, normalization and recurrent layers are not compared here
 *   (their formulas are checked by hand in test/engine/cost.test.ts).
 * Stacks run with a batch of one: Layer Lens counts per sample.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { analyzeText } from "../../server/src/analysis";
import { callCost } from "../../server/src/engine/footprint";

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), "torch_macs.py");
/** Debian's interpreter, which has python3-torch (another python3 on the PATH may not). */
const PYTHON = "/usr/bin/python3";
const STACKS = 60;

/** mulberry32: a small seeded generator, so every run checks the same stacks. */
function random(seed: number) {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)), pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)] };
}

type TorchLayer = Record<string, unknown> & { kind: string };

interface Stack {
  readonly input: number[];
  readonly torch: TorchLayer[];
  /** The Keras calls, each applied to `x`. */
  readonly keras: string[];
}

const tuple = (xs: readonly number[]) => `(${xs.join(", ")})`;

/** The size a window leaves, only to keep the random stacks valid (the counts compared come from each side). */
function slide(n: number, k: number, s: number, d: number, padding: string): number {
  return padding === "same" ? Math.ceil(n / s) : Math.floor((n - (d * (k - 1) + 1)) / s) + 1;
}

function imageStack(r: ReturnType<typeof random>): Stack {
  let [h, w, c] = [r.int(6, 20), r.int(6, 20), r.int(1, 6)];
  const stack: Stack = { input: [h, w, c], torch: [], keras: [] };
  for (let i = r.int(1, 4); i > 0; i--) {
    const kind = r.pick(["conv2d", "conv2d", "depthwise2d", "separable2d"] as const);
    const kernel = [r.int(1, 4), r.int(1, 4)];
    const strides = [r.int(1, 2), r.int(1, 2)];
    const dilation = strides.every((s) => s === 1) ? [r.int(1, 2), r.int(1, 2)] : [1, 1];
    let padding = r.pick(["valid", "same"]);
    if (slide(h, kernel[0], strides[0], dilation[0], padding) < 1 || slide(w, kernel[1], strides[1], dilation[1], padding) < 1) padding = "same";
    const window = `strides=${tuple(strides)}, padding="${padding}", dilation_rate=${tuple(dilation)}`;
    if (kind === "conv2d") {
      const groups = r.pick([1, 2, 3].filter((g) => c % g === 0));
      const filters = groups * r.int(1, 6);
      stack.keras.push(`layers.Conv2D(${filters}, ${tuple(kernel)}, ${window}, groups=${groups})`);
      stack.torch.push({ kind, filters, kernel, strides, padding, dilation, groups });
      c = filters;
    } else if (kind === "depthwise2d") {
      const multiplier = r.int(1, 3);
      stack.keras.push(`layers.DepthwiseConv2D(${tuple(kernel)}, ${window}, depth_multiplier=${multiplier})`);
      stack.torch.push({ kind, kernel, strides, padding, dilation, multiplier });
      c *= multiplier;
    } else {
      const [multiplier, filters] = [r.int(1, 2), r.int(1, 8)];
      stack.keras.push(`layers.SeparableConv2D(${filters}, ${tuple(kernel)}, ${window}, depth_multiplier=${multiplier})`);
      stack.torch.push({ kind, filters, kernel, strides, padding, dilation, multiplier });
      c = filters;
    }
    [h, w] = [slide(h, kernel[0], strides[0], dilation[0], padding), slide(w, kernel[1], strides[1], dilation[1], padding)];
  }
  // Dense on the image (the last axis only) or after Flatten.
  const units = r.int(1, 12);
  if (r.pick([true, false])) {
    stack.keras.push("layers.Flatten()");
    stack.torch.push({ kind: "flatten" });
  }
  stack.keras.push(`layers.Dense(${units})`);
  stack.torch.push({ kind: "dense", units });
  return stack;
}

function sequenceStack(r: ReturnType<typeof random>): Stack {
  let [t, e] = [r.int(3, 16), 4 * r.int(1, 6)];
  const stack: Stack = { input: [t, e], torch: [], keras: [] };
  for (let i = r.int(1, 4); i > 0; i--) {
    const kind = r.pick(["mha", "conv1d", "dense"] as const);
    if (kind === "mha") {
      const heads = r.pick([1, 2, 4]);
      stack.keras.push(`layers.MultiHeadAttention(num_heads=${heads}, key_dim=${e / heads})`);
      stack.torch.push({ kind, heads });
    } else if (kind === "conv1d") {
      const [kernel, strides] = [r.int(1, 3), r.int(1, 2)];
      const dilation = strides === 1 ? r.int(1, 2) : 1;
      const padding = slide(t, kernel, strides, dilation, "valid") < 1 ? "same" : r.pick(["valid", "same"]);
      const groups = r.pick([1, 2, 4]);
      const filters = 4 * r.int(1, 4);
      stack.keras.push(`layers.Conv1D(${filters}, ${kernel}, strides=${strides}, padding="${padding}", dilation_rate=${dilation}, groups=${groups})`);
      stack.torch.push({ kind, filters, kernel, strides, padding, dilation, groups });
      [t, e] = [slide(t, kernel, strides, dilation, padding), filters];
    } else {
      const units = 4 * r.int(1, 6);
      stack.keras.push(`layers.Dense(${units})`);
      stack.torch.push({ kind, units });
      e = units;
    }
  }
  return stack;
}

function kerasSource(stack: Stack): string {
  const calls = stack.keras.map((call) => (call.startsWith("layers.MultiHeadAttention") ? `x = ${call}(x, x)` : `x = ${call}(x)`));
  return ["import keras", "from keras import layers", `inputs = keras.Input(shape=${tuple(stack.input)})`, "x = inputs", ...calls, "model = keras.Model(inputs, x)"].join("\n");
}

function layerLensMacs(source: string): bigint {
  const analysis = analyzeText(source);
  const [model] = analysis.models;
  assert.ok(model, `a model in:\n${source}`);
  let total = 0n;
  for (const layer of model.layers) {
    const cost = callCost(layer, analysis);
    assert.ok(cost.macs !== undefined, `${layer.element.type === "layer" ? layer.element.kind : "?"} has a count (${cost.note}) in:\n${source}`);
    total += cost.macs;
  }
  return total;
}

test("MACs of random Conv2D / DepthwiseConv2D / SeparableConv2D / Conv1D / Dense / MultiHeadAttention stacks are half the FLOPs PyTorch's profiler counts", () => {
  const r = random(18);
  const stacks = Array.from({ length: STACKS }, (_, i) => (i % 3 === 2 ? sequenceStack(r) : imageStack(r)));
  const run = spawnSync(PYTHON, [SCRIPT], { input: JSON.stringify(stacks.map((s) => ({ input: s.input, layers: s.torch }))), encoding: "utf8", timeout: 120_000 });
  assert.equal(run.status, 0, `the oracle ran (python3-torch is installed by scripts/code-server.mjs):\n${run.stderr}`);
  const flops: number[] = JSON.parse(run.stdout);
  assert.equal(flops.length, stacks.length);
  for (const [i, stack] of stacks.entries()) {
    const source = kerasSource(stack);
    const macs = layerLensMacs(source);
    assert.ok(flops[i] > 0, `the profiler counted something for:\n${source}`);
    assert.equal(2n * macs, BigInt(flops[i]), `FLOPs = 2 × MACs for:\n${source}`);
  }
});
