/**
 * Differential tests, layer by layer, against TensorFlow.js (tfjs-layers) as an
 * independent Keras implementation: random configurations and inputs, built in
 * tfjs and inferred by our engine through the public path (bind the Keras
 * keywords to the spec's signature, then `infer`).
 *
 * - valid: configurations Keras 3 accepts; tfjs must build them and our
 *   engine must agree on the output shape and the parameter count, and report
 *   no error.
 * - loose: configurations that may be invalid (kernel or pool larger than the
 *   input, Reshape mismatches, over-cropping…): where tfjs refuses (or yields a
 *   size ≤ 0, which Keras 3 refuses, see `keras3Refuses`) our engine must report
 *   an error; where tfjs builds, no error and the same shape and count.
 *
 * A layer's properties run only once it is in our registry. ORACLE_RUNS
 * multiplies the number of runs (`npm run test:oracle:long`).
 */
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { Diagnostics } from "../../server/src/engine/diagnostics";
import { findLayer } from "../../server/src/engine/layers/registry";
import { formatShape } from "../../server/src/engine/shape";
import { pyRepr } from "../../server/src/engine/values";
import { argsIR, infer } from "../engine/helpers";
import { Case, Kw, Mode, generators, sizeSensitive } from "./generators";
import { buildTfjs, keras3Refuses, setupTfjs } from "./tfjs";

const SCALE = Math.max(1, Number(process.env.ORACLE_RUNS ?? 1) || 1);
const VALID_RUNS = 200 * SCALE;
const LOOSE_RUNS = 250 * SCALE;
const SEED = 42;

const keywords = (kw: Kw) => Object.entries(kw).map(([k, v]) => `${k}=${pyRepr(v)}`);

function describeCase(c: Case, input: readonly number[]): string {
  const inner = c.inner ? [`layer=${c.inner.kind}(${keywords(c.inner.kw as Kw).join(", ")})`] : [];
  return `${c.kind}(${[...inner, ...keywords(c.kw as Kw)].join(", ")}) on ${formatShape(["None", ...input])}`;
}

interface Tally {
  valid: number;
  refused: number;
}

function check(input: number[], c: Case, mode: Mode, tally: Tally): void {
  const built = buildTfjs(input, [c.tf]);
  const tf = c.keras3 ? c.keras3(built) : built;
  // A wrapper's layer argument is the wrapped call, as the front end hands it over.
  const layer: Kw = c.inner ? { layer: { layer: { kind: c.inner.kind, args: argsIR([c.inner.kw as Kw]) } } } : {};
  const ours = infer(c.kind, [{ ...layer, ...(c.kw as Kw) }], ["None", ...input]);
  const errors = ours.problems.filter((id) => Diagnostics[id as keyof typeof Diagnostics].severity === "error");
  const where = describeCase(c, input);
  if (keras3Refuses(tf)) {
    assert.notEqual(mode, "valid", `${where}: the generator made a configuration tfjs refuses: ${tf.ok ? "size ≤ 0" : tf.error}`);
    tally.refused++;
    assert.ok(errors.length > 0, `${where}: tfjs refuses it (${tf.ok ? `output ${formatShape(tf.shapes[0])}` : tf.error}) but our engine reports no error (problems: ${ours.problems.join(", ") || "none"})`);
    return;
  }
  assert.ok(tf.ok);
  tally.valid++;
  assert.deepEqual(errors, [], `${where}: tfjs builds it (${formatShape(tf.shapes[0])}, ${tf.params[0]} params) but our engine reports errors: ${ours.messages.join(" | ")}`);
  assert.deepEqual(ours.output, tf.shapes[0], `${where}: output shape: ours ${ours.output ? formatShape(ours.output) : "unknown"}, tfjs ${formatShape(tf.shapes[0])}`);
  assert.equal(ours.params, tf.params[0], `${where}: params: ours ${ours.params}, tfjs ${tf.params[0]}`);
}

const ran: string[] = [];
const skipped: string[] = [];

describe("oracle: single layers against tfjs-layers", () => {
  before(setupTfjs);

  for (const gen of generators) {
    const present = !!findLayer(gen.kind);
    (present ? ran : skipped).push(gen.kind);
    const modes: Mode[] = sizeSensitive.has(gen.kind) ? ["valid", "loose"] : ["valid"];
    for (const mode of modes) {
      const runs = mode === "valid" ? VALID_RUNS : LOOSE_RUNS;
      test(`${gen.kind} (${mode}, ${runs} cases)`, { skip: present ? false : `${gen.kind} is not in the registry yet` }, (t) => {
        const tally: Tally = { valid: 0, refused: 0 };
        const arb = gen.input(mode).chain((input) => gen.forInput(input, mode).map((c) => ({ input, c })));
        fc.assert(
          fc.property(arb, ({ input, c }) => check(input, c, mode, tally)),
          { seed: SEED, numRuns: runs, includeErrorInReport: true },
        );
        t.diagnostic(`${gen.kind} ${mode}: ${tally.valid} built, ${tally.refused} refused (incl. shrinking)`);
        if (mode === "loose") assert.ok(tally.refused > 0 && tally.valid > 0, "the loose generator should produce both kinds");
      });
    }
  }

  test("report: which layers ran", (t) => {
    t.diagnostic(`ran: ${ran.join(", ")}`);
    t.diagnostic(`not in the registry (skipped): ${skipped.join(", ") || "none"}`);
    assert.ok(ran.length > 0);
  });
});
