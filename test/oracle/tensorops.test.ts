/**
 * Differential tests of the tensor functions against TensorFlow.js's own ops (tfjs-core on the CPU
 * backend, run on zero tensors of the concrete shape): random shapes and arguments, valid or not.
 * Where tfjs refuses, our engine must report an error; otherwise the same output shape(s) and none.
 *
 * tfjs follows TensorFlow's shape rules for these ops; where it does not, the generators stay out:
 * - transpose: tfjs accepts a perm with a repeated entry ([0, 2, 2]); TensorFlow's kernel refuses it
 *   ("1 is missing from {0,2,2}"). Permutations are generated whole, or with an out-of-range entry.
 * - split: tfjs refuses size_splits [-1] alone; TensorFlow gives the whole axis. Not generated.
 * - pad: tfjs accepts negative paddings and more pairs than axes; TensorFlow refuses both. Not generated.
 * - reductions: tfjs reduces a repeated axis twice; TensorFlow refuses it. Distinct axes only.
 * - one_hot: tfjs wants depth ≥ 2; TensorFlow accepts any depth ≥ 0. Depths from 2.
 * Keras's functions are compared where NumPy, Keras and tfjs agree on fully known shapes (no repeated
 * reduction axes, no negative transpose axes).
 */
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import * as tf from "@tensorflow/tfjs-core";
import { Diagnostics } from "../../server/src/engine/diagnostics";
import { Shape, formatShape } from "../../server/src/engine/shape";
import { PyValue, pyRepr } from "../../server/src/engine/values";
import { Arg } from "../engine/helpers";
import { inferMulti } from "../engine/multiInput";
import { setupTfjs } from "./tfjs";

const SCALE = Math.max(1, Number(process.env.ORACLE_RUNS ?? 1) || 1);
const RUNS = 150 * SCALE;
const SEED = 23;

interface OpCase {
  readonly op: string;
  readonly args: readonly Arg[];
  readonly inputs: number[][];
  /** The same op in tfjs-core on zero tensors of `inputs`' shapes. */
  readonly run: (tensors: tf.Tensor[]) => tf.Tensor | tf.Tensor[];
}

const dim = fc.integer({ min: 1, max: 5 });
const shapeOf = (minRank: number, maxRank: number) => fc.array(dim, { minLength: minRank, maxLength: maxRank });
/** An axis for rank r, sometimes out of range. */
const axisFor = (rank: number, extra = 0) => fc.integer({ min: -(rank + extra) - 1, max: rank + extra });

/** The axes without a second mention of one axis (−1 and rank − 1 are one axis); out-of-range ones kept. */
function distinctAxes(axes: readonly number[], rank: number): number[] {
  const key = (a: number) => (a >= -rank && a < rank ? (a + rank) % rank : `out ${a}`);
  return axes.filter((a, i) => !axes.slice(0, i).some((b) => key(b) === key(a)));
}

const reshape = (op: "tf.reshape" | "keras.ops.reshape") =>
  shapeOf(1, 4)
    .chain((input) => fc.record({ input: fc.constant(input), target: fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 4 }), infer: fc.integer({ min: -1, max: 3 }) }))
    .map(({ input, target, infer }): OpCase => {
      // Often a target with the input's element count, sometimes a -1 in it.
      const count = input.reduce((a, b) => a * b, 1);
      const rest = target.slice(1).reduce((a, b) => a * b, 1);
      const shape = target.length > 1 && count % rest === 0 ? [count / rest, ...target.slice(1)] : target;
      const withInfer = infer >= 0 && infer < shape.length ? shape.map((d, i) => (i === infer ? -1 : d)) : shape;
      return { op, args: [withInfer], inputs: [input], run: ([x]) => tf.reshape(x, withInfer) };
    });

const transpose = (op: "tf.transpose" | "keras.ops.transpose") =>
  shapeOf(1, 4)
    .chain((input) => fc.record({ input: fc.constant(input), order: fc.shuffledSubarray(input.map((_, i) => i), { minLength: input.length, maxLength: input.length }), broken: fc.integer({ min: -1, max: 4 }), omit: fc.boolean() }))
    .map(({ input, order, broken, omit }): OpCase => {
      if (omit) return { op, args: [], inputs: [input], run: ([x]) => tf.transpose(x) };
      // Keras allows negative axes, tfjs does not: an out-of-range entry is only ≥ rank for Keras.
      const bad = op === "keras.ops.transpose" ? input.length + 1 : broken < 0 ? -1 : input.length;
      const perm = broken >= 0 && broken < order.length ? order.map((a, i) => (i === broken ? bad : a)) : order;
      return { op, args: [perm], inputs: [input], run: ([x]) => tf.transpose(x, perm) };
    });

const expandDims = (op: "tf.expand_dims" | "keras.ops.expand_dims") =>
  shapeOf(0, 4)
    .chain((input) => fc.record({ input: fc.constant(input), axis: axisFor(input.length, 1) }))
    .map(({ input, axis }): OpCase => ({ op, args: [axis], inputs: [input], run: ([x]) => tf.expandDims(x, axis) }));

const squeeze = (op: "tf.squeeze" | "keras.ops.squeeze") =>
  fc
    .array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 4 })
    .chain((input) => fc.record({ input: fc.constant(input), axes: fc.option(fc.array(axisFor(input.length), { minLength: 1, maxLength: 2 })) }))
    .map(({ input, axes }): OpCase => {
      const unique = axes && distinctAxes(axes, input.length);
      return { op, args: unique ? [{ axis: unique }] : [], inputs: [input], run: ([x]) => tf.squeeze(x, unique ?? undefined) };
    });

const concat = (op: "tf.concat" | "keras.ops.concatenate") =>
  shapeOf(1, 3)
    .chain((base) => fc.record({ base: fc.constant(base), axis: axisFor(base.length), others: fc.array(fc.record({ size: dim, wrong: fc.integer({ min: 0, max: 6 }) }), { minLength: 1, maxLength: 3 }) }))
    .map(({ base, axis, others }): OpCase => {
      const at = axis < 0 ? axis + base.length : axis;
      // The other inputs differ from the first on the axis; one in seven differs elsewhere too.
      const inputs = [base, ...others.map(({ size, wrong }) => base.map((d, i) => (i === at ? size : wrong === 0 && i !== at ? d + 1 : d)))];
      return { op, args: [{ axis }], inputs, run: (xs) => tf.concat(xs, axis) };
    });

const stack = (op: "tf.stack" | "keras.ops.stack") =>
  shapeOf(0, 3)
    .chain((base) => fc.record({ base: fc.constant(base), axis: axisFor(base.length, 1), count: fc.integer({ min: 1, max: 3 }), wrong: fc.integer({ min: 0, max: 5 }) }))
    .map(({ base, axis, count, wrong }): OpCase => {
      const inputs = Array.from({ length: count }, (_, k) => (k === 1 && wrong === 0 && base.length ? base.map((d, i) => (i === 0 ? d + 1 : d)) : base));
      return { op, args: [{ axis }], inputs, run: (xs) => tf.stack(xs, axis) };
    });

const unstack = (op: "tf.unstack" | "keras.ops.unstack") =>
  shapeOf(1, 4)
    .chain((input) => fc.record({ input: fc.constant(input), axis: axisFor(input.length) }))
    .map(({ input, axis }): OpCase => ({ op, args: [{ axis }], inputs: [input], run: ([x]) => tf.unstack(x, axis) }));

const split = shapeOf(1, 3)
  .chain((input) =>
    fc.record({
      input: fc.constant(input),
      axis: axisFor(input.length),
      parts: fc.oneof(fc.integer({ min: 1, max: 4 }), fc.array(fc.integer({ min: -1, max: 4 }), { minLength: 2, maxLength: 4 })),
    }),
  )
  .map(({ input, axis, parts }): OpCase => {
    // A list of sizes with at most one -1 (TensorFlow and tfjs both refuse more; the engine too, tested by hand).
    const sizes = Array.isArray(parts) ? parts.map((s, i) => (s === -1 && parts.indexOf(-1) !== i ? 1 : s)) : parts;
    return {
      op: "tf.split",
      args: [sizes, axis],
      inputs: [input],
      run: ([x]) => {
        const parts = tf.split(x, sizes, axis);
        // tfjs slices sizes summing past the axis; TensorFlow's SplitV refuses them ("Determined shape must
        // either match input shape along split_dim exactly if fully specified, or be less than the size").
        const at = axis < 0 ? axis + input.length : axis;
        if (parts.reduce((sum, p) => sum + p.shape[at], 0) !== input[at]) throw new Error("sizes do not sum to the axis");
        return parts;
      },
    };
  });

const kerasSplit = shapeOf(1, 3)
  .chain((input) => fc.record({ input: fc.constant(input), axis: axisFor(input.length), parts: fc.integer({ min: 1, max: 4 }) }))
  .map(({ input, axis, parts }): OpCase => ({ op: "keras.ops.split", args: [parts, axis], inputs: [input], run: ([x]) => tf.split(x, parts, axis) }));

const tile = (op: "tf.tile" | "keras.ops.tile") =>
  shapeOf(1, 3)
    .chain((input) => fc.record({ input: fc.constant(input), reps: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: op === "tf.tile" ? 1 : input.length, maxLength: op === "tf.tile" ? 4 : input.length }) }))
    .map(({ input, reps }): OpCase => ({ op, args: [reps], inputs: [input], run: ([x]) => tf.tile(x, reps) }));

const pad = shapeOf(1, 3)
  .chain((input) =>
    fc.record({
      input: fc.constant(input),
      pads: fc.array(fc.tuple(fc.nat(4), fc.nat(4)), { minLength: input.length, maxLength: input.length }),
      mode: fc.constantFrom("CONSTANT", "REFLECT", "SYMMETRIC", "reflect"),
    }),
  )
  .map(({ input, pads, mode }): OpCase => {
    const pairs = pads.map(([a, b]) => [a, b] as [number, number]);
    const upper = mode.toUpperCase();
    return {
      op: "tf.pad",
      args: [pairs, mode],
      inputs: [input],
      run: ([x]) => (upper === "CONSTANT" ? tf.pad(x, pairs) : tf.mirrorPad(x, pairs, upper === "REFLECT" ? "reflect" : "symmetric")),
    };
  });

const oneHot = shapeOf(1, 3)
  .chain((input) => fc.record({ input: fc.constant(input), depth: fc.integer({ min: 2, max: 6 }) }))
  .map(({ input, depth }): OpCase => ({ op: "tf.one_hot", args: [depth], inputs: [input], run: ([x]) => tf.oneHot(tf.cast(x, "int32"), depth) }));

type Reduction = "tf.reduce_mean" | "tf.reduce_sum" | "tf.reduce_max" | "keras.ops.mean" | "keras.ops.sum" | "keras.ops.max";
const REDUCE: Record<Reduction, (x: tf.Tensor, axis: number[] | undefined, keepDims: boolean) => tf.Tensor> = {
  "tf.reduce_mean": (x, a, k) => tf.mean(x, a, k),
  "tf.reduce_sum": (x, a, k) => tf.sum(x, a, k),
  "tf.reduce_max": (x, a, k) => tf.max(x, a, k),
  "keras.ops.mean": (x, a, k) => tf.mean(x, a, k),
  "keras.ops.sum": (x, a, k) => tf.sum(x, a, k),
  "keras.ops.max": (x, a, k) => tf.max(x, a, k),
};

const reduction = (op: Reduction) =>
  shapeOf(1, 4)
    .chain((input) => fc.record({ input: fc.constant(input), axes: fc.option(fc.array(axisFor(input.length), { minLength: 1, maxLength: 3 })), keepdims: fc.boolean() }))
    .map(({ input, axes, keepdims }): OpCase => {
      // tfjs reduces a repeated axis twice; TensorFlow refuses it, Keras leaves it unknown: distinct axes only.
      const list = axes && distinctAxes(axes, input.length);
      const args: Arg[] = [{ axis: list, keepdims }];
      return { op, args, inputs: [input], run: ([x]) => REDUCE[op](x, list ?? undefined, keepdims) };
    });

const argmax = shapeOf(1, 3)
  .chain((input) => fc.record({ input: fc.constant(input), axis: fc.option(axisFor(input.length)) }))
  .map(({ input, axis }): OpCase => ({ op: "tf.argmax", args: axis === null ? [] : [{ axis }], inputs: [input], run: ([x]) => tf.argMax(x, axis ?? 0) }));

const gather = shapeOf(1, 3)
  .chain((input) => fc.record({ input: fc.constant(input), axis: axisFor(input.length), indices: fc.array(fc.nat(0), { minLength: 1, maxLength: 3 }) }))
  .map(({ input, axis, indices }): OpCase => ({
    op: "tf.gather",
    args: [indices, { axis }],
    inputs: [input],
    run: ([x]) => tf.gather(x, tf.tensor1d(indices, "int32"), axis),
  }));

const matmul = fc
  .record({
    batchA: fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 }),
    batchB: fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 }),
    m: dim,
    k: dim,
    k2: fc.option(dim, { freq: 2 }),
    n: dim,
  })
  .map(({ batchA, batchB, m, k, k2, n }): OpCase => ({ op: "keras.ops.matmul", args: [], inputs: [[...batchA, m, k], [...batchB, k2 ?? k, n]], run: ([a, b]) => tf.matMul(a, b) }));

function describeCase(c: OpCase): string {
  const args = c.args.map((a) => (a !== null && typeof a === "object" && !Array.isArray(a) && !("tuple" in a) ? Object.entries(a).map(([k, v]) => `${k}=${pyRepr(v as PyValue)}`).join(", ") : pyRepr(a as PyValue)));
  return `${c.op}(${[...c.inputs.map((s) => formatShape(s)), ...args].join(", ")})`;
}

function runTfjs(c: OpCase): { ok: true; shapes: Shape[] } | { ok: false; error: string } {
  try {
    return tf.tidy(() => {
      const out = c.run(c.inputs.map((s) => tf.zeros(s)));
      const shapes = (Array.isArray(out) ? out : [out]).map((t) => t.shape);
      // tfjs's split computes a negative size where TensorFlow refuses sizes summing past the axis.
      if (shapes.some((s) => s.some((d) => d < 0))) return { ok: false as const, error: `a negative size in ${shapes.map((s) => formatShape(s)).join(", ")}` };
      return { ok: true as const, shapes };
    });
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

function check(c: OpCase, tally: { built: number; refused: number }): void {
  const theirs = runTfjs(c);
  const ours = inferMulti(c.op, c.args, c.inputs);
  const errors = ours.problems.filter((id) => Diagnostics[id as keyof typeof Diagnostics].severity === "error");
  const where = describeCase(c);
  if (!theirs.ok) {
    tally.refused++;
    assert.ok(errors.length > 0, `${where}: tfjs refuses it (${theirs.error}) but our engine reports no error`);
    return;
  }
  tally.built++;
  assert.deepEqual(errors, [], `${where}: tfjs gives ${theirs.shapes.map((s) => formatShape(s)).join(", ")} but our engine reports: ${ours.messages.join(" | ")}`);
  const mine = ours.output ? [ours.output, ...(ours.extra ?? [])] : [];
  assert.deepEqual(mine, theirs.shapes, `${where}: ours ${mine.map((s) => (s ? formatShape(s) : "unknown")).join(", ") || "unknown"}, tfjs ${theirs.shapes.map((s) => formatShape(s)).join(", ")}`);
}

describe("oracle: tensor functions against tfjs-core", () => {
  before(setupTfjs);
  const cases: [string, fc.Arbitrary<OpCase>, boolean][] = [
    ["tf.reshape", reshape("tf.reshape"), true],
    ["keras.ops.reshape", reshape("keras.ops.reshape"), true],
    ["tf.transpose", transpose("tf.transpose"), true],
    ["keras.ops.transpose", transpose("keras.ops.transpose"), true],
    ["tf.expand_dims", expandDims("tf.expand_dims"), true],
    ["keras.ops.expand_dims", expandDims("keras.ops.expand_dims"), true],
    ["tf.squeeze", squeeze("tf.squeeze"), true],
    ["keras.ops.squeeze", squeeze("keras.ops.squeeze"), true],
    ["tf.concat", concat("tf.concat"), true],
    ["keras.ops.concatenate", concat("keras.ops.concatenate"), true],
    ["tf.stack", stack("tf.stack"), true],
    ["keras.ops.stack", stack("keras.ops.stack"), true],
    ["tf.unstack", unstack("tf.unstack"), true],
    ["keras.ops.unstack", unstack("keras.ops.unstack"), true],
    ["tf.split", split, true],
    ["keras.ops.split", kerasSplit, true],
    ["tf.tile", tile("tf.tile"), true],
    ["keras.ops.tile", tile("keras.ops.tile"), false],
    ["tf.pad", pad, true],
    ["tf.one_hot", oneHot, false],
    ["tf.reduce_mean", reduction("tf.reduce_mean"), true],
    ["tf.reduce_sum", reduction("tf.reduce_sum"), true],
    ["tf.reduce_max", reduction("tf.reduce_max"), true],
    ["keras.ops.mean", reduction("keras.ops.mean"), true],
    ["keras.ops.sum", reduction("keras.ops.sum"), true],
    ["keras.ops.max", reduction("keras.ops.max"), true],
    ["tf.argmax", argmax, true],
    ["tf.gather", gather, true],
    ["keras.ops.matmul", matmul, true],
  ];
  for (const [index, [op, arb, refusals]] of cases.entries()) {
    test(`${op} (${RUNS} cases${refusals ? ", fitting or not" : ""})`, (t) => {
      const tally = { built: 0, refused: 0 };
      fc.assert(fc.property(arb, (c) => check(c, tally)), { seed: SEED + index, numRuns: RUNS, includeErrorInReport: true });
      t.diagnostic(`${op}: ${tally.built} computed, ${tally.refused} refused (incl. shrinking)`);
      assert.ok(tally.built > 0, "the generator should produce cases tfjs computes");
      if (refusals) assert.ok(tally.refused > 0, "the generator should produce cases tfjs refuses");
    });
  }
});
