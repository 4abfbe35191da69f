/**
 * Differential tests of the merge layers against TensorFlow.js (tfjs-layers): random
 * lists of input shapes, fitting or not, merged in tfjs and inferred by our engine
 * through the public path (bind the constructor's keywords, then `multiInput.infer`).
 * Where tfjs refuses, our engine must report an error; where tfjs builds, no error and
 * the same output shape (and no parameters).
 *
 * Where tfjs and Keras 3 differ, the generator stays out of the region:
 * - tfjs wants at least 2 inputs; Keras 3 accepts 1 (base_merge.py `build`): n ≥ 2.
 * - tfjs has no Subtract layer: tested by hand in test/engine/merging.test.ts.
 * - tfjs's Dot refuses inputs of rank > 3 and indexes a pair of axes as written (a negative
 *   entry reads `undefined`); Keras 3 handles both (dot.py). Ranks ≤ 3, pairs non-negative.
 * - Dot over axis 0: tfjs builds it (it compares the open batch sizes), Keras 3's batch_dot
 *   refuses it when the model runs; we report it, so axis 0 is not generated.
 * - Concatenate with an axis beyond a (lower-rank) input: tfjs's `splice` ignores it and builds,
 *   Keras 3's compute_output_shape indexes the first input there and raises (IndexError): such a
 *   case counts as refused (`keras3Refuses`).
 * - Inputs have no None besides the batch: tfjs's Concatenate compares shapes strictly,
 *   Keras 3 lets None match any size (concatenate.py `build`).
 */
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { Diagnostics } from "../../server/src/engine/diagnostics";
import { formatShape } from "../../server/src/engine/shape";
import { PyValue, pyRepr } from "../../server/src/engine/values";
import { inferMulti } from "../engine/multiInput";
import { TfLayer, buildTfjsMerge, setupTfjs } from "./tfjs";
import { ELEMENTWISE_MERGES } from "./generators";

const SCALE = Math.max(1, Number(process.env.ORACLE_RUNS ?? 1) || 1);
const RUNS = 300 * SCALE;
const SEED = 42;

interface MergeCase {
  readonly kind: string;
  readonly kw: Record<string, PyValue>;
  readonly tf: TfLayer;
  /** Input shapes, batch excluded. */
  readonly inputs: number[][];
  /** Keras 3 refuses what tfjs builds (documented in the file header). */
  readonly keras3Refuses?: boolean;
}

const dim = fc.integer({ min: 1, max: 5 });
const dims = (rank: number) => fc.array(dim, { minLength: rank, maxLength: rank });

/** A variant of `base`: itself, with some sizes set to 1, with leading axes dropped, or with one size changed. */
function variant(base: readonly number[]): fc.Arbitrary<number[]> {
  return fc.oneof<fc.Arbitrary<number[]>[]>(
    fc.constant([...base]),
    fc.array(fc.boolean(), { minLength: base.length, maxLength: base.length }).map((ones) => base.map((d, i) => (ones[i] ? 1 : d))),
    fc.integer({ min: 1, max: base.length }).map((keep) => base.slice(base.length - keep)),
    fc.tuple(fc.nat(base.length - 1), dim).map(([i, d]) => base.map((x, j) => (j === i ? d : x))),
  );
}


function elementwise(kind: string, tfName: string): fc.Arbitrary<MergeCase> {
  return fc
    .integer({ min: 1, max: 3 })
    .chain(dims)
    .chain((base) => fc.array(variant(base), { minLength: 2, maxLength: 4 }))
    .map((inputs) => ({ kind, kw: {}, tf: { name: tfName, config: {} }, inputs }));
}

/** Concatenate: sizes free on the axis; sometimes another size or the rank differs. */
const concatenate: fc.Arbitrary<MergeCase> = fc
  .record({ rank: fc.integer({ min: 1, max: 3 }), negative: fc.boolean() })
  .chain(({ rank, negative }) =>
    fc.record({
      axis: fc.integer({ min: 1, max: rank }).map((a) => (negative ? a - rank - 1 : a)),
      base: dims(rank),
      sizes: fc.array(dim, { minLength: 2, maxLength: 4 }),
      breakAt: fc.option(fc.tuple(fc.nat(3), fc.nat(rank - 1), dim, fc.boolean()), { freq: 3 }),
    }),
  )
  .map(({ axis, base, sizes, breakAt }) => {
    const at = axis > 0 ? axis - 1 : base.length + axis;
    const inputs = sizes.map((s) => base.map((d, i) => (i === at ? s : d)));
    if (breakAt) {
      const [which, i, d, dropRank] = breakAt;
      const k = which % inputs.length;
      inputs[k] = dropRank && inputs[k].length > 1 ? inputs[k].slice(1) : inputs[k].map((x, j) => (j === i ? d : x));
    }
    const kw: Record<string, PyValue> = axis === -1 ? {} : { axis };
    const outOfRange = inputs.some((x) => axis > x.length || axis < -x.length - 1);
    return { kind: "Concatenate", kw, tf: { name: "concatenate", config: { axis } }, inputs, keras3Refuses: outOfRange };
  });

/** Dot on inputs of rank 1–2 (batch excluded), sizes drawn from a small range so they often agree. */
const dot: fc.Arbitrary<MergeCase> = fc
  .record({
    a: fc.integer({ min: 1, max: 2 }).chain((r) => fc.array(fc.integer({ min: 2, max: 3 }), { minLength: r, maxLength: r })),
    b: fc.integer({ min: 1, max: 2 }).chain((r) => fc.array(fc.integer({ min: 2, max: 3 }), { minLength: r, maxLength: r })),
    pair: fc.boolean(),
    picks: fc.tuple(fc.nat(), fc.nat()),
    negative: fc.boolean(),
    normalize: fc.boolean(),
  })
  .map(({ a, b, pair, picks, negative, normalize }) => {
    const [i, j] = [1 + (picks[0] % a.length), 1 + (picks[1] % b.length)];
    const axes: PyValue = pair ? [i, j] : negative ? -1 : Math.min(i, a.length, b.length);
    const tfAxes = pair ? [i, j] : axes;
    const kw: Record<string, PyValue> = { axes, ...(normalize ? { normalize } : {}) };
    return { kind: "Dot", kw, tf: { name: "dot", config: { axes: tfAxes, normalize } }, inputs: [a, b] };
  });

function describeCase(c: MergeCase): string {
  const kw = Object.entries(c.kw).map(([k, v]) => `${k}=${pyRepr(v)}`).join(", ");
  return `${c.kind}(${kw})([${c.inputs.map((s) => formatShape(["None", ...s])).join(", ")}])`;
}

function check(c: MergeCase, tally: { built: number; refused: number }): void {
  const tf = buildTfjsMerge(c.inputs, c.tf);
  const ours = inferMulti(c.kind, [c.kw], c.inputs.map((s) => ["None", ...s]));
  const errors = ours.problems.filter((id) => Diagnostics[id as keyof typeof Diagnostics].severity === "error");
  const where = describeCase(c);
  if (!tf.ok || c.keras3Refuses) {
    tally.refused++;
    assert.ok(errors.length > 0, `${where}: ${tf.ok ? "Keras 3 refuses it" : `tfjs refuses it (${tf.error})`} but our engine reports no error`);
    return;
  }
  tally.built++;
  assert.deepEqual(errors, [], `${where}: tfjs builds it (${formatShape(tf.shapes[0])}) but our engine reports: ${ours.messages.join(" | ")}`);
  assert.deepEqual(ours.output, tf.shapes[0], `${where}: ours ${ours.output ? formatShape(ours.output) : "unknown"}, tfjs ${formatShape(tf.shapes[0])}`);
  assert.equal(ours.params, tf.params[0]);
}

describe("oracle: merge layers against tfjs-layers", () => {
  before(setupTfjs);
  const cases: [string, fc.Arbitrary<MergeCase>][] = [
    ...ELEMENTWISE_MERGES.map(([kind, tfName]): [string, fc.Arbitrary<MergeCase>] => [kind, elementwise(kind, tfName)]),
    ["Concatenate", concatenate],
    ["Dot", dot],
  ];
  for (const [index, [kind, arb]] of cases.entries()) {
    test(`${kind} (${RUNS} cases, fitting or not)`, (t) => {
      const tally = { built: 0, refused: 0 };
      fc.assert(fc.property(arb, (c) => check(c, tally)), { seed: SEED + index, numRuns: RUNS, includeErrorInReport: true });
      t.diagnostic(`${kind}: ${tally.built} built, ${tally.refused} refused (incl. shrinking)`);
      assert.ok(tally.built > 0 && tally.refused > 0, "the generator should produce both fitting and non-fitting inputs");
    });
  }
});
