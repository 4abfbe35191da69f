/**
 * Dropout layers: Dropout and SpatialDropout1D/2D/3D. They keep the shape and
 * have no weights. Keras raises unless 0 ≤ rate ≤ 1.
 *
 * SpatialDropout's constructors are `(rate, [data_format,] seed=None, name=None,
 * dtype=None)` without `**kwargs`, so the other base-layer keywords (trainable,
 * input_shape…) are a TypeError there.
 */
import { Args } from "../args";
import { Shape } from "../shape";
import { LayerResult, LayerSpec, Problem } from "../spec";
import { rankProblem, spatialExample } from "../math";
import { isInt, isSequence, isUnresolved, items, pyRepr } from "../values";

const same = (args: Args, input: Shape | undefined, problems: Problem[] = []): LayerResult => ({
  output: input,
  weights: [],
  formulas: [],
  problems: [...args.problems, ...problems],
});

/** Keras's `_validate_noise_shape`: None, or a tuple/list of positive ints or None. */
function checkNoiseShape(args: Args): void {
  const v = args.raw("noise_shape");
  if (v === undefined || v === null) return;
  const ok = isSequence(v) && items(v).every((d) => d === null || (isInt(d) && d > 0) || isUnresolved(d));
  if (!ok) {
    args.problems.push({
      id: "invalidArgument",
      argument: "noise_shape",
      values: { argument: "noise_shape", expected: "a tuple of positive integers or None", value: pyRepr(v) },
    });
  }
}

const dropoutSpec: LayerSpec = {
  name: "Dropout",
  summary: "During training, sets a fraction `rate` of the inputs to 0 and scales the rest by 1/(1 − rate); the shape is unchanged.",
  params: [{ name: "rate" }, { name: "noise_shape", default: null }, { name: "seed", default: null }],
  infer(args, input) {
    args.float("rate", 0, 1);
    checkNoiseShape(args);
    return same(args, input);
  },
};


/** Base-layer keywords that bind.ts accepts for every layer but SpatialDropout does not. */
const NOT_ACCEPTED = ["activity_regularizer", "trainable", "autocast", "input_shape", "input_dim"];

function spatialDropoutSpec(rank: 1 | 2 | 3): LayerSpec {
  const name = `SpatialDropout${rank}D`;
  return {
    name,
    summary: `Dropout of whole ${rank}-D feature maps (entire channels) instead of single elements; the shape is unchanged.`,
    params: rank === 1 ? [{ name: "rate" }, { name: "seed", default: null }] : [{ name: "rate" }, { name: "data_format", default: null }, { name: "seed", default: null }],
    infer(args: Args, input: Shape | undefined): LayerResult {
      args.float("rate", 0, 1);
      if (rank > 1) args.dataFormat();
      const problems: Problem[] = NOT_ACCEPTED.filter((k) => args.given.has(k)).map((k) => ({
        id: "unknownKeyword",
        argument: k,
        values: { layer: name, name: k },
      }));
      if (!input) return same(args, input, problems);
      const wrongRank = rankProblem(name, input, rank + 2, spatialExample(rank));
      if (wrongRank) return { weights: [], formulas: [], problems: [...args.problems, ...problems, wrongRank] };
      return same(args, input, problems);
    },
  };
}

export const regularizationLayers: LayerSpec[] = [dropoutSpec, spatialDropoutSpec(1), spatialDropoutSpec(2), spatialDropoutSpec(3)];
