/**
 * Pooling layers: MaxPooling1D/2D/3D, AveragePooling1D/2D/3D (Keras's BasePooling)
 * and GlobalMaxPooling1D/2D/3D, GlobalAveragePooling1D/2D/3D (BaseGlobalPooling).
 *
 * Shape rule, per spatial axis (`compute_pooling_output_shape`): 'valid' gives
 * ⌊(n − pool) / s⌋ + 1 and Keras raises when that is ≤ 0; 'same' gives ⌈n / s⌉.
 * `strides=None` means `strides = pool_size`. Channels are kept; no weights.
 * Global pooling drops the spatial axes, or keeps them as 1 with `keepdims=True`.
 * In Keras 3 only the Max variants give `pool_size` a default; AveragePooling
 * requires it. tf.keras 2 gives both the same default (2, (2, 2), (2, 2, 2)), so code
 * written for it may leave AveragePooling's out (see `generations`).
 */
import { factor, product } from "../cost";
import { Args } from "../args";
import { Dim, Shape, UNKNOWN } from "../shape";
import { Formula, LayerResult, LayerSpec, ParamDecl, Problem } from "../spec";
import { channelIndex, rankProblem, slideWindows, spatialExample, unknownFrom } from "../math";


type Mode = "Max" | "Average";

function defaultPoolSize(rank: number) {
  return rank === 1 ? 2 : { tuple: Array<number>(rank).fill(2) };
}

/**
 * keras/src/layers/pooling/average_pooling{1,2,3}d.py: `pool_size` has no default; tf_keras/layers/pooling/
 * average_pooling{1,2,3}d.py: `pool_size=2`, `(2, 2)`, `(2, 2, 2)` as for MaxPooling (max_pooling*.py in both).
 */
const averagePoolSizeGenerations = (rank: number) => ({
  keras2Default: defaultPoolSize(rank),
  source: `keras/src/layers/pooling/average_pooling${rank}d.py; tf_keras/layers/pooling/average_pooling${rank}d.py`,
});

function poolParams(mode: Mode, rank: number): ParamDecl[] {
  return [
    mode === "Max" ? { name: "pool_size", default: defaultPoolSize(rank) } : { name: "pool_size", generations: averagePoolSizeGenerations(rank) },
    { name: "strides", default: null },
    { name: "padding", default: "valid" },
    { name: "data_format", default: null },
  ];
}


function poolSpec(mode: Mode, rank: 1 | 2 | 3): LayerSpec {
  const name = `${mode}Pooling${rank}D`;
  return {
    name,
    aliases: [`${mode === "Max" ? "Max" : "Avg"}Pool${rank}D`],
    summary: `${rank}-D ${mode === "Max" ? "max" : "average"} pooling: takes the ${mode === "Max" ? "maximum" : "mean"} over windows of size \`pool_size\`, moved by \`strides\` (default: \`pool_size\`).`,
    params: poolParams(mode, rank),
    spatialRank: rank,
    // One comparison (max) or addition (average) per window element, for each output element.
    cost: ({ args, output }) => {
      const pool = args.intTuple("pool_size", rank);
      return product([output && factor(output.slice(1)), pool && factor(pool)], "one per window element");
    },
    infer(args: Args, input: Shape | undefined): LayerResult {
      const pool = args.intTuple("pool_size", rank);
      // Keras: strides = pool_size if strides is None else strides.
      const strides = args.has("strides") ? args.intTuple("strides", rank) : pool;
      const padding = args.padding(false);
      const format = args.dataFormat();
      const problems: Problem[] = [];
      const formulas: Formula[] = [];
      const done = (output?: Shape): LayerResult => ({ output, weights: [], formulas, problems: [...args.problems, ...problems] });

      if (!input) return done();
      const wrongRank = rankProblem(name, input, rank + 2, spatialExample(rank));
      if (wrongRank) {
        problems.push(wrongRank);
        return done();
      }
      if (!format) return done(input.map((d, i) => (i === 0 ? d : unknownFrom(d))));

      const slid = slideWindows(name, input, rank, format, { size: pool, strides, padding }, "pool_size");
      formulas.push(...slid.formulas);
      problems.push(...slid.problems);
      const spatial = slid.spatial;
      const channels = input[channelIndex(format, rank + 2)];
      return done(format === "channels_first" ? [input[0], channels, ...spatial] : [input[0], ...spatial, channels]);
    },
  };
}

function globalPoolSpec(mode: Mode, rank: 1 | 2 | 3): LayerSpec {
  const name = `Global${mode}Pooling${rank}D`;
  return {
    name,
    aliases: [`Global${mode === "Max" ? "Max" : "Avg"}Pool${rank}D`],
    summary: `Global ${mode === "Max" ? "max" : "average"} pooling over all ${rank === 1 ? "steps" : "spatial positions"}: one value per channel.`,
    params: [
      { name: "data_format", default: null },
      { name: "keepdims", default: false },
    ],
    spatialRank: rank,
    cost: ({ input }) => product([input && factor(input.slice(1))], "one per input element"),
    infer(args: Args, input: Shape | undefined): LayerResult {
      const format = args.dataFormat();
      const keepdims = args.bool("keepdims");
      const problems: Problem[] = [];
      const done = (output?: Shape): LayerResult => ({ output, weights: [], formulas: [], problems: [...args.problems, ...problems] });
      if (!input) return done();
      const wrongRank = rankProblem(name, input, rank + 2, spatialExample(rank));
      if (wrongRank) {
        problems.push(wrongRank);
        return done();
      }
      // Without keepdims the rank itself is unknown.
      if (keepdims === undefined) return done();
      const channels: Dim = format ? input[channelIndex(format, rank + 2)] : UNKNOWN;
      if (!keepdims) return done([input[0], channels]);
      if (!format) return done([input[0], ...Array<Dim>(rank + 1).fill(UNKNOWN)]);
      const ones: Dim[] = Array<Dim>(rank).fill(1);
      return done(format === "channels_first" ? [input[0], channels, ...ones] : [input[0], ...ones, channels]);
    },
  };
}

const ranks = [1, 2, 3] as const;

export const poolingLayers: LayerSpec[] = [
  ...ranks.map((r) => poolSpec("Max", r)),
  ...ranks.map((r) => poolSpec("Average", r)),
  ...ranks.map((r) => globalPoolSpec("Max", r)),
  ...ranks.map((r) => globalPoolSpec("Average", r)),
];
