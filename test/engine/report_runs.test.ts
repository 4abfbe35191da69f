/**
 * Hint labels of call sites run several times (a loop unrolled, a helper called again): `×n`, then the
 * shape with each dimension that differs between runs as `first→last` (`first→…→last` when a run in
 * between is not known to lie between them), or `?` when that does not fit the 43-character line.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { analyzeText } from "../../server/src/analysis";
import { HintOptions, MAX_HINT_LINE, MAX_RUN_ROWS, Runs, documentHints, fitLine, hoverAt, runsCandidates } from "../../server/src/engine/report";
import { Dim, Shape, formatDim, formatShape } from "../../server/src/engine/shape";

const ALL: HintOptions = { shapes: true, parameters: true, batchDimension: true };
const weights = (params?: bigint) => ({ has: true, params });
const NO_WEIGHTS = { has: false };

/** The label a line holding only this hint shows: the first candidate that fits, as the server picks it. */
const shown = (candidates: readonly string[]) => fitLine([candidates])[0];

test("the issue's example: four runs shrinking 126 → 12 show first → last run, the parameters go when the line is full", () => {
  // Conv2D(32→256, 3) with pools in between: first run (None, 126, 126, 32), last (None, 12, 12, 256).
  const runs: Runs = {
    shapes: [
      ["None", 126, 126, 32],
      ["None", 61, 61, 64],
      ["None", 28, 28, 128],
      ["None", 12, 12, 256],
    ],
    params: weights(1_218_752n),
  };
  const candidates = runsCandidates(runs, ALL);
  assert.deepEqual(candidates, [
    "×4 (None, 126→12, 126→12, 32→256) · 1,218,752 params",
    "×4 (None, 126→12, 126→12, 32→256) · 1.2M params",
    "×4 (None, 126→12, 126→12, 32→256)",
    "×4 (None, ?, ?, ?) · 1.2M params",
    "×4 (None, ?, ?, ?)",
    // Last, for a line shared with other hints: the parameters alone.
    "×4 · 1.2M params",
  ]);
  // 34 characters: the line has room for the shape, not for " · 1.2M params" (48).
  assert.equal(shown(candidates), "×4 (None, 126→12, 126→12, 32→256)");
});

test("runs that agree keep the plain shape after ×n, with all runs' parameters", () => {
  const runs: Runs = { shapes: [["None", 16], ["None", 16], ["None", 16]], params: weights(816n) };
  assert.deepEqual(runsCandidates(runs, ALL), ["×3 (None, 16) · 816 params", "×3 (None, 16)"]);
  assert.deepEqual(runsCandidates({ ...runs, params: NO_WEIGHTS }, ALL), ["×3 (None, 16)"]);
});

test("a parameter-free layer whose runs differ gets its hint: the shape alone", () => {
  // MaxPooling2D(2) after 'valid' 3×3 convolutions on 64, 31, 14: 31, 14, 6.
  const runs: Runs = { shapes: [["None", 31, 31, 16], ["None", 14, 14, 32], ["None", 6, 6, 64]], params: NO_WEIGHTS };
  assert.deepEqual(runsCandidates(runs, ALL), ["×3 (None, 31→6, 31→6, 16→64)", "×3 (None, ?, ?, ?)"]);
});

test("values that go back and forth read first→…→last, never as a single shape", () => {
  // Dense 32, 8, 32: first and last agree, the run in between does not.
  assert.equal(runsCandidates({ shapes: [["None", 32], ["None", 8], ["None", 32]], params: NO_WEIGHTS }, ALL)[0], "×3 (None, 32→…→32)");
  // 64, 128, 14: 128 is not between 64 and 14.
  assert.equal(runsCandidates({ shapes: [["None", 64], ["None", 128], ["None", 14]], params: NO_WEIGHTS }, ALL)[0], "×3 (None, 64→…→14)");
  // Monotone with a repeat: 64, 64, 14 is never outside 64 to 14.
  assert.equal(runsCandidates({ shapes: [["None", 64], ["None", 64], ["None", 14]], params: NO_WEIGHTS }, ALL)[0], "×3 (None, 64→14)");
  // Two runs have nothing in between.
  assert.equal(runsCandidates({ shapes: [["None", 32], ["None", 8]], params: NO_WEIGHTS }, ALL)[0], "×2 (None, 32→8)");
});

test("unknown dimensions stay ?, and a run with one in between is not assumed to lie on the way", () => {
  const label = (dims: Dim[]) => runsCandidates({ shapes: dims.map((d) => ["None", d]), params: NO_WEIGHTS }, ALL)[0];
  assert.equal(label(["?", "?", "?"]), "×3 (None, ?)");
  assert.equal(label(["?", 8]), "×2 (None, ?→8)");
  assert.equal(label([16, "?", 4]), "×3 (None, 16→…→4)");
  assert.equal(label([16, 8, "?"]), "×3 (None, 16→…→?)");
  // Keras's own open dimension (a variable length) is not ours to fill in either.
  assert.equal(label(["None", 10]), "×2 (None, None→10)");
});

test("a run whose shape is unknown leaves the parameters only (or no hint)", () => {
  const shapes = [["None", 8], undefined, ["None", 4]] as (Shape | undefined)[];
  assert.deepEqual(runsCandidates({ shapes, params: weights(100n) }, ALL), ["×3 · 100 params"]);
  assert.deepEqual(runsCandidates({ shapes, params: NO_WEIGHTS }, ALL), []);
});

test("runs of different ranks show the first and last run's shapes", () => {
  // A helper's Dense(4) on (None, 8) and on (None, 5, 8): 8·4 + 4 = 36 twice.
  const two: Runs = { shapes: [["None", 4], ["None", 5, 4]], params: weights(72n) };
  assert.equal(shown(runsCandidates(two, ALL)), "×2 (None, 4)→(None, 5, 4) · 72 params");
  const three: Runs = { shapes: [["None", 4], ["None", 5, 4], ["None", 5, 6, 4]], params: weights(108n) };
  assert.equal(shown(runsCandidates(three, ALL)), "×3 (None, 4)→…→(None, 5, 6, 4) · 108 params");
  // Too long for the line: the parameters alone, never one of the shapes.
  const long: Runs = { shapes: [["None", 100000, 100000], ["None", 100000, 100000, 100000]], params: weights(72n) };
  assert.equal(shown(runsCandidates(long, ALL)), "×2 · 72 params");
});

test("rank-5 tensors with large numbers fall back to ? for the dimensions that change, keeping those that do not", () => {
  const runs: Runs = {
    shapes: [
      ["None", 4096, 4096, 1000, 64],
      ["None", 2048, 2048, 1000, 128],
      ["None", 1024, 1024, 1000, 256],
    ],
    params: weights(164_544n),
  };
  const candidates = runsCandidates(runs, ALL);
  // "×3 (None, 4096→1024, 4096→1024, 1000, 64→256)" is 45 characters.
  assert.equal(candidates[2], "×3 (None, 4096→1024, 4096→1024, 1000, 64→256)");
  assert.equal(candidates[2].length, 45);
  assert.equal(shown(candidates), "×3 (None, ?, ?, 1000, ?) · 164,544 params");
});

test("the settings: no shapes, no parameters, no batch dimension", () => {
  const runs: Runs = { shapes: [["None", 26, 26, 32], ["None", 24, 24, 64]], params: weights(18_816n) };
  assert.deepEqual(runsCandidates(runs, { ...ALL, shapes: false }), ["×2 · 18,816 params", "×2 · 18.8k params"]);
  assert.deepEqual(runsCandidates(runs, { ...ALL, parameters: false }), ["×2 (None, 26→24, 26→24, 32→64)", "×2 (None, ?, ?, ?)"]);
  assert.equal(runsCandidates(runs, { ...ALL, batchDimension: false })[0], "×2 (26→24, 26→24, 32→64) · 18,816 params");
  assert.deepEqual(runsCandidates({ ...runs, params: NO_WEIGHTS }, { ...ALL, shapes: false }), []);
  // A tensor without a batch axis (a tf.Variable) prints whole, as a single run's would: rank 1 keeps its comma.
  const variables: Runs = { shapes: [[32], [64]], unbatched: [true, true], params: NO_WEIGHTS };
  assert.equal(runsCandidates(variables, { ...ALL, batchDimension: false })[0], "×2 (32→64,)");
});

test("a helper returning several tensors keeps its +k after the shape", () => {
  const runs: Runs = { shapes: [["None", 8], ["None", 4]], params: weights(10n), more: " +1" };
  assert.equal(runsCandidates(runs, ALL)[0], "×2 (None, 8→4) +1 · 10 params");
});

// --- Properties over random runs -------------------------------------------------------------

const dimArb: fc.Arbitrary<Dim> = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom<Dim>("None", "?") },
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 64 }) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 10_000_000 }) },
);

/** Runs of one rank: each axis either the same in every run or free in each. */
const runsArb: fc.Arbitrary<Runs> = fc
  .record({
    n: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 2, max: 6 }) }, { weight: 1, arbitrary: fc.integer({ min: 7, max: 300 }) }),
    rank: fc.integer({ min: 1, max: 6 }),
  })
  .chain(({ n, rank }) => {
    const runsShown = Math.min(n, 8);
    const axis = fc.oneof(
      dimArb.map((d) => Array<Dim>(runsShown).fill(d)),
      fc.array(dimArb, { minLength: runsShown, maxLength: runsShown }),
    );
    const params = fc.oneof(
      fc.constant(NO_WEIGHTS),
      fc.constant(weights(undefined)),
      fc.bigInt({ min: 0n, max: 10n ** 13n }).map((p) => weights(p)),
    );
    return fc.record({ axes: fc.array(axis, { minLength: rank, maxLength: rank }), params }).map(({ axes, params }) => {
      // Many runs: the ones generated, the last repeated (shapes in a long loop settle).
      const shapes = Array.from({ length: n }, (_, run) => axes.map((values) => values[Math.min(run, runsShown - 1)]));
      return { shapes, params } satisfies Runs;
    });
  });

const optionsArb = fc.record({ shapes: fc.boolean(), parameters: fc.boolean(), batchDimension: fc.boolean() });

/** What every run prints at each axis, under `options`. */
function printedAxes(runs: Runs, options: HintOptions): string[][] {
  const shapes = runs.shapes.map((s) => (options.batchDimension ? s! : s!.slice(1)));
  return shapes[0].map((_, axis) => shapes.map((s) => formatDim(s[axis])));
}

/** The dimensions of a label's shape: `×n (a, b→c) · …` → ["a", "b→c"]. */
function labelDims(label: string): string[] | undefined {
  const match = /^×\d+ \((.*)\)(?: · .*)?$/.exec(label);
  return match ? (match[1] === "" ? [] : match[1].replace(/,$/, "").split(", ")) : undefined;
}

test("property: candidates get shorter, the line never overflows, and a shape is shown whenever one run's could be", () => {
  fc.assert(
    fc.property(runsArb, optionsArb, (runs, options) => {
      const candidates = runsCandidates(runs, options);
      for (let i = 1; i < candidates.length; i++) assert.ok(candidates[i].length < candidates[i - 1].length, candidates.join(" | "));
      for (const c of candidates) assert.ok(c.startsWith(`×${runs.shapes.length}`), c);
      if (!candidates.length) return;
      const label = shown(candidates);
      assert.ok(label.length <= MAX_HINT_LINE, label);
      const fitting = candidates.find((c) => c.length <= MAX_HINT_LINE);
      if (fitting) assert.equal(label, fitting);
      // The `?` form is never longer than any run's own shape: if one run's label would fit, a shape fits.
      const shortest = Math.min(...runs.shapes.map((s) => formatShape(options.batchDimension ? s! : s!.slice(1), { batch: true }).length));
      if (options.shapes && `×${runs.shapes.length} `.length + shortest <= MAX_HINT_LINE) assert.ok(labelDims(label), `no shape in ${label}`);
    }),
    { numRuns: 2000 },
  );
});

test("property: each dimension is the runs' common value, first→last (→…→ unless every run lies between), or ?", () => {
  fc.assert(
    fc.property(runsArb, optionsArb, (runs, options) => {
      const axes = printedAxes(runs, options);
      const n = runs.shapes.length;
      const candidates = runsCandidates(runs, options);
      if (!options.shapes) assert.ok(candidates.every((c) => !c.includes("(")), candidates.join(" | "));
      if (!options.parameters) assert.ok(candidates.every((c) => !c.includes("param")), candidates.join(" | "));
      for (const label of candidates) {
        const dims = labelDims(label);
        if (!dims) continue;
        assert.equal(dims.length, axes.length, label);
        dims.forEach((dim, axis) => {
          const values = axes[axis];
          if (values.every((v) => v === values[0])) return assert.equal(dim, values[0], label);
          if (dim === "?") return;
          const numbers = values.every((v) => /^\d+$/.test(v)) ? values.map(Number) : undefined;
          const sorted = (cmp: (a: number, b: number) => boolean) => !!numbers && numbers.every((v, i) => i === 0 || cmp(numbers[i - 1], v));
          const between = n > 2 && !(sorted((a, b) => a <= b) || sorted((a, b) => a >= b)) ? "→…→" : "→";
          assert.equal(dim, `${values[0]}${between}${values[n - 1]}`, label);
        });
      }
    }),
    { numRuns: 2000 },
  );
});

// --- Through the analysis: the hint and the hover of a loop --------------------------------------

const LOOP = `import keras
from keras import layers

inputs = keras.Input(shape=(4,))
x = inputs
for units in range(1, 21):
    x = layers.Dense(units)(x)
`;

test("a loop of 20 runs: hinted first→last, its hover lists the first 8 and last 3 runs and says how to read the hint", () => {
  const analysis = analyzeText(LOOP);
  const at = LOOP.indexOf("layers.Dense(units)(x)") + "layers.Dense(units)(x)".length;
  const [hint] = documentHints(analysis, { ...ALL, totals: false }, (offset) => offset === at);
  // Dense(u) on u − 1 features: (u − 1)·u + u = u², and 4·1 + 1 = 5 for the first: 5 + (2² + … + 20²) = 5 + 2,869 = 2,874.
  assert.equal(shown(hint.candidates), "×20 (None, 1→20) · 2,874 params");
  const hover = hoverAt(analysis, at - 2)!.markdown;
  assert.match(hover, /run 20 times here/);
  const rows = [...hover.matchAll(/^\| (\d+) \| `\(None, (\d+)\)` \| `\(None, (\d+)\)` \| ([\d,]+) \|$/gm)].map((m) => `${m[1]}:${m[2]}→${m[3]}=${m[4]}`);
  assert.deepEqual(rows, ["1:4→1=5", "2:1→2=4", "3:2→3=9", "4:3→4=16", "5:4→5=25", "6:5→6=36", "7:6→7=49", "8:7→8=64", "18:17→18=324", "19:18→19=361", "20:19→20=400"]);
  assert.ok(rows.length < MAX_RUN_ROWS);
  assert.match(hover, /\| ⋮ \| \*9 more runs\* \| \| \|/);
  assert.match(hover, /Parameters of all runs: 2,874/);
  assert.match(hover, /first run→last run/);
});

test("a loop whose runs agree: the hover lists them without the reading note", () => {
  const source = LOOP.replace("layers.Dense(units)", "layers.Dense(8)").replace("range(1, 21)", "range(3)");
  const analysis = analyzeText(source);
  const at = source.indexOf("layers.Dense(8)(x)") + 2;
  const hover = hoverAt(analysis, at)!.markdown;
  assert.match(hover, /run 3 times here/);
  assert.doesNotMatch(hover, /first run→last run/);
  assert.equal([...hover.matchAll(/^\| \d \| /gm)].length, 3);
});
