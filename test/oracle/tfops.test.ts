/**
 * Differential tests of the TensorFlow ops against TensorFlow.js's own ops (tfjs-core on
 * the CPU backend, run on small zero tensors): random inputs, filters, strides, paddings
 * ('SAME', 'VALID', explicit pairs), dilations and transposes, fitting or not. Where tfjs
 * refuses (or yields a size ≤ 0, which TensorFlow refuses: "Computed output size would be
 * negative"), our engine must report an error; otherwise the same output shape.
 *
 * Where tfjs and TensorFlow differ, the generator stays out of the region:
 * - Grouped convolution (input channels a multiple of the filter's in_channels) is
 *   accepted by TensorFlow's Conv2D shape function; tfjs wants them equal. Not generated.
 * - strides > 1 together with dilations > 1: tfjs refuses, TensorFlow's shape function
 *   does not. Not generated.
 * - tf.nn.bias_add has no tfjs counterpart: tested by hand in test/engine/tfops.test.ts.
 */
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import * as tf from "@tensorflow/tfjs-core";
import { Diagnostics } from "../../server/src/engine/diagnostics";
import { Shape, formatShape } from "../../server/src/engine/shape";
import { PyValue, pyRepr } from "../../server/src/engine/values";
import { inferMulti } from "../engine/multiInput";
import { setupTfjs } from "./tfjs";

const SCALE = Math.max(1, Number(process.env.ORACLE_RUNS ?? 1) || 1);
const RUNS = 300 * SCALE;
const SEED = 5;

interface OpCase {
  readonly op: string;
  readonly kw: Record<string, PyValue>;
  readonly inputs: number[][];
  /** The same op in tfjs-core; returns its result's shape. */
  readonly run: (tensors: tf.Tensor[]) => tf.Tensor;
}

type Padding = { kind: "SAME" | "VALID" } | { kind: "EXPLICIT"; pads: [number, number, number, number] };

const padding: fc.Arbitrary<Padding> = fc.oneof(
  fc.constantFrom<Padding>({ kind: "SAME" }, { kind: "VALID" }),
  fc.tuple(fc.nat(2), fc.nat(2), fc.nat(2), fc.nat(2)).map((pads): Padding => ({ kind: "EXPLICIT", pads })),
);

function pyPadding(p: Padding): PyValue {
  if (p.kind !== "EXPLICIT") return p.kind;
  const [t, b, l, r] = p.pads;
  return [[0, 0], [t, b], [l, r], [0, 0]];
}

function tfPadding(p: Padding): "same" | "valid" | [[number, number], [number, number], [number, number], [number, number]] {
  if (p.kind !== "EXPLICIT") return p.kind === "SAME" ? "same" : "valid";
  const [t, b, l, r] = p.pads;
  return [[0, 0], [t, b], [l, r], [0, 0]];
}

/** strides / ksize in one of TensorFlow's spellings: an int, a list of 2, a list of 4 (NHWC). */
function spelling(pair: [number, number], form: number): PyValue {
  if (form === 0 && pair[0] === pair[1]) return pair[0];
  return form === 2 ? [1, pair[0], pair[1], 1] : [pair[0], pair[1]];
}

const pair = (max: number) => fc.tuple(fc.integer({ min: 1, max }), fc.integer({ min: 1, max }));

const conv2d: fc.Arbitrary<OpCase> = fc
  .record({
    h: fc.integer({ min: 1, max: 9 }),
    w: fc.integer({ min: 1, max: 9 }),
    c: fc.integer({ min: 1, max: 3 }),
    filterIn: fc.integer({ min: 1, max: 3 }),
    k: pair(4),
    out: fc.integer({ min: 1, max: 3 }),
    strides: pair(3),
    dilations: pair(2),
    padding,
    form: fc.nat(2),
  })
  .filter(({ c, filterIn }) => c === filterIn || c % filterIn !== 0)
  .map(({ h, w, c, filterIn, k, out, strides, dilations, padding: p, form }) => {
    const dil: [number, number] = strides[0] > 1 || strides[1] > 1 ? [1, 1] : dilations;
    const kw: Record<string, PyValue> = { strides: spelling(strides, form), padding: pyPadding(p) };
    if (dil[0] > 1 || dil[1] > 1) kw.dilations = spelling(dil, form);
    return {
      op: "tf.nn.conv2d",
      kw,
      inputs: [[1, h, w, c], [k[0], k[1], filterIn, out]],
      run: ([x, f]) => tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, strides, tfPadding(p), "NHWC", dil),
    };
  });

function pool(op: "tf.nn.max_pool2d" | "tf.nn.avg_pool2d"): fc.Arbitrary<OpCase> {
  return fc
    .record({
      h: fc.integer({ min: 1, max: 9 }),
      w: fc.integer({ min: 1, max: 9 }),
      c: fc.integer({ min: 1, max: 3 }),
      ksize: pair(4),
      strides: pair(3),
      padding: op === "tf.nn.max_pool2d" ? padding : fc.constantFrom<Padding>({ kind: "SAME" }, { kind: "VALID" }),
      form: fc.nat(2),
    })
    .map(({ h, w, c, ksize, strides, padding: p, form }) => ({
      op,
      kw: { ksize: spelling(ksize, form), strides: spelling(strides, form), padding: pyPadding(p) },
      inputs: [[1, h, w, c]],
      run: ([x]) => {
        const pad = tfPadding(p);
        // tfjs pools take explicit paddings as the same 4 pairs, or a number for symmetric ones.
        return op === "tf.nn.max_pool2d"
          ? tf.maxPool(x as tf.Tensor4D, ksize, strides, pad as Parameters<typeof tf.maxPool>[3])
          : tf.avgPool(x as tf.Tensor4D, ksize, strides, pad as "same" | "valid");
      },
    }));
}

const matmul: fc.Arbitrary<OpCase> = fc
  .record({
    batchA: fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 }),
    batchB: fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 }),
    m: fc.integer({ min: 1, max: 4 }),
    k: fc.integer({ min: 1, max: 4 }),
    k2: fc.integer({ min: 1, max: 4 }),
    n: fc.integer({ min: 1, max: 4 }),
    ta: fc.boolean(),
    tb: fc.boolean(),
  })
  .map(({ batchA, batchB, m, k, k2, n, ta, tb }) => {
    const kw: Record<string, PyValue> = {};
    if (ta) kw.transpose_a = true;
    if (tb) kw.transpose_b = true;
    const a = [...batchA, ...(ta ? [k, m] : [m, k])];
    const b = [...batchB, ...(tb ? [n, k2] : [k2, n])];
    return { op: "tf.matmul", kw, inputs: [a, b], run: ([x, y]) => tf.matMul(x, y, ta, tb) };
  });

function describeCase(c: OpCase): string {
  const kw = Object.entries(c.kw).map(([k, v]) => `${k}=${pyRepr(v)}`);
  return `${c.op}(${[...c.inputs.map((s) => formatShape(s)), ...kw].join(", ")})`;
}

function runTfjs(c: OpCase): { ok: true; shape: Shape } | { ok: false; error: string } {
  try {
    return tf.tidy(() => {
      const shape = c.run(c.inputs.map((s) => tf.zeros(s))).shape;
      if (shape.some((d) => d <= 0)) return { ok: false as const, error: `size ≤ 0 in ${formatShape(shape)}` };
      return { ok: true as const, shape };
    });
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

function check(c: OpCase, tally: { built: number; refused: number }): void {
  const theirs = runTfjs(c);
  const ours = inferMulti(c.op, [c.kw], c.inputs);
  const errors = ours.problems.filter((id) => Diagnostics[id as keyof typeof Diagnostics].severity === "error");
  const where = describeCase(c);
  if (!theirs.ok) {
    tally.refused++;
    assert.ok(errors.length > 0, `${where}: tfjs refuses it (${theirs.error}) but our engine reports no error`);
    return;
  }
  tally.built++;
  assert.deepEqual(errors, [], `${where}: tfjs gives ${formatShape(theirs.shape)} but our engine reports: ${ours.messages.join(" | ")}`);
  assert.deepEqual(ours.output, theirs.shape, `${where}: ours ${ours.output ? formatShape(ours.output) : "unknown"}, tfjs ${formatShape(theirs.shape)}`);
}

describe("oracle: TensorFlow ops against tfjs-core", () => {
  before(setupTfjs);
  const cases: [string, fc.Arbitrary<OpCase>][] = [
    ["tf.nn.conv2d", conv2d],
    ["tf.nn.max_pool2d", pool("tf.nn.max_pool2d")],
    ["tf.nn.avg_pool2d", pool("tf.nn.avg_pool2d")],
    ["tf.matmul", matmul],
  ];
  for (const [index, [op, arb]] of cases.entries()) {
    test(`${op} (${RUNS} cases, fitting or not)`, (t) => {
      const tally = { built: 0, refused: 0 };
      fc.assert(fc.property(arb, (c) => check(c, tally)), { seed: SEED + index, numRuns: RUNS, includeErrorInReport: true });
      t.diagnostic(`${op}: ${tally.built} computed, ${tally.refused} refused (incl. shrinking)`);
      assert.ok(tally.built > 0 && tally.refused > 0, "the generator should produce both fitting and non-fitting cases");
    });
  }
});
