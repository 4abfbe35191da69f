/**
 * PyTorch's dropout modules (torch/nn/modules/dropout.py): Dropout, Dropout1d/2d/3d, AlphaDropout and
 * FeatureAlphaDropout. All keep the shape and have no parameters; `_DropoutNd.__init__` refuses a p outside
 * [0, 1]. Dropout1d takes only a 2-D or 3-D input and FeatureAlphaDropout at least a 2-D one (the functions
 * raise); Dropout2d and Dropout3d only warn on other ranks (a deprecation), so they are followed as they run.
 */
import { Args } from "../../args";
import { elementwiseCost } from "../../cost";
import { Shape } from "../../shape";
import { LayerResult, LayerSpec, Problem } from "../../spec";
import { probability, rankRefused, sameShape } from "./moduleChecks";

/** The rank a module's function refuses, with its message; undefined when it takes any. */
type RankRule = (input: Shape) => string | undefined;

function dropoutSpec(layer: string, summary: string, rankRule?: RankRule): LayerSpec {
  return {
    name: `torch.nn.${layer}`,
    summary,
    params: [{ name: "p", default: 0.5 }, { name: "inplace", default: false }],
    closedKeywords: true,
    cost: elementwiseCost,
    infer(args: Args, input: Shape | undefined): LayerResult {
      const problems: Problem[] = [];
      probability(args, layer, problems);
      args.bool("inplace");
      const refused = input && rankRule?.(input);
      if (input && refused) return sameShape(args, undefined, [...problems, rankRefused(layer, input, refused)]);
      return sameShape(args, input, problems);
    },
  };
}

/** `F.dropout1d`: a (N, C, L) or unbatched (C, L) input. */
const dropout1dRank: RankRule = (input) =>
  input.length === 2 || input.length === 3
    ? undefined
    : `dropout1d: Expected 2D or 3D input, but received a ${input.length}D input. Note that dropout1d exists to provide channel-wise dropout on inputs with 1 spatial dimension, a channel dimension, and an optional batch dimension (i.e. 2D or 3D inputs).`;

/** `F.feature_alpha_dropout`: at least (N, C). */
const featureRank: RankRule = (input) => (input.length >= 2 ? undefined : "Feature dropout requires at least 2 dimensions in the input");

export const torchDropoutModules: readonly LayerSpec[] = [
  dropoutSpec("Dropout", "Zeroes each element with probability p in training (scaling the rest by 1/(1 − p)); the shape is unchanged."),
  dropoutSpec("Dropout1d", "Zeroes whole channels of a (N, C, L) or (C, L) input with probability p in training.", dropout1dRank),
  dropoutSpec("Dropout2d", "Zeroes whole channels of a (N, C, H, W) or (C, H, W) input with probability p in training."),
  dropoutSpec("Dropout3d", "Zeroes whole channels of a (N, C, D, H, W) or (C, D, H, W) input with probability p in training."),
  dropoutSpec("AlphaDropout", "Dropout that keeps a SELU network's mean and variance (for self-normalizing networks); the shape is unchanged."),
  dropoutSpec("FeatureAlphaDropout", "Alpha dropout of whole channels (dimension 1) in training; the shape is unchanged.", featureRank),
];
