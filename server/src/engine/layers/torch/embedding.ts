/**
 * PyTorch's embedding modules (torch/nn/modules/sparse.py): Embedding and EmbeddingBag.
 *
 * Embedding looks up a row of its weight (num_embeddings, embedding_dim) for each index: (*) → (*, embedding_dim).
 * `_freeze=True` (PyTorch ≥ 2.0, what `from_pretrained(freeze=True)` passes) makes the weight not require grad:
 * still a parameter, counted as not trainable. EmbeddingBag reduces each bag of rows (sum, mean or max): a 2-D
 * input (B, N) is B bags of N; a 1-D input is cut into bags by `offsets`, one bag per offset (the last offset
 * only closing the last bag with include_last_offset), so the number of bags is the offsets' length.
 */
import { Args } from "../../args";
import { CostRule, dataMovementCost, factor, product } from "../../cost";
import { withThousands } from "../../format";
import { weight } from "../../math";
import { Dim, Shape, UNKNOWN, isKnown } from "../../shape";
import { Formula, LayerResult, LayerSpec, Problem, Weight } from "../../spec";
import { raises, rankRefused, size } from "./moduleChecks";

/** The weight (num_embeddings, embedding_dim), its formula, and the two sizes. */
function table(args: Args, trainable: boolean): { weights: Weight[]; formulas: Formula[]; count?: number; dim?: number } {
  const count = size(args, "num_embeddings");
  const dim = size(args, "embedding_dim");
  const weights = [weight("weight", [count, dim], trainable)];
  const formulas: Formula[] =
    count !== undefined && dim !== undefined ? [{ label: "params", text: `${count}·${dim} = ${withThousands(BigInt(count) * BigInt(dim))}` }] : [];
  return { weights, formulas, count, dim };
}

/** `assert -num_embeddings <= padding_idx < num_embeddings` in both constructors (their messages differ in case). */
function paddingProblem(args: Args, layer: string, count: number | undefined, message: string): Problem | undefined {
  if (!args.has("padding_idx")) return undefined;
  const index = args.int("padding_idx", -Infinity);
  if (index === undefined || count === undefined || (index >= -count && index < count)) return undefined;
  return raises(layer, "AssertionError", message, "padding_idx");
}

const embeddingSpec: LayerSpec = {
  name: "torch.nn.Embedding",
  summary: "Looks up a row of a (num_embeddings, embedding_dim) table for each integer index: (*) → (*, embedding_dim).",
  params: [
    { name: "num_embeddings" },
    { name: "embedding_dim" },
    { name: "padding_idx", default: null },
    { name: "max_norm", default: null },
    { name: "norm_type", default: 2.0 },
    { name: "scale_grad_by_freq", default: false },
    { name: "sparse", default: false },
    { name: "_weight", default: null },
    { name: "_freeze", default: false },
    { name: "device", default: null },
    { name: "dtype", default: null },
  ],
  closedKeywords: true,
  cost: dataMovementCost,
  infer(args: Args, input: Shape | undefined): LayerResult {
    const frozen = args.bool("_freeze");
    const { weights, formulas, count, dim } = table(args, frozen !== true);
    const padding = paddingProblem(args, "Embedding", count, "Padding_idx must be within num_embeddings");
    const problems = [...args.problems, ...(padding ? [padding] : [])];
    return { output: input ? [...input, dim ?? UNKNOWN] : undefined, weights, formulas, problems };
  },
};

const BAG_MODES = ["sum", "mean", "max"];

/**
 * `F.embedding_bag`'s shapes: a 2-D input without offsets gives (B, embedding_dim); a 1-D one needs offsets and
 * gives one row per bag; any other rank, or offsets beside a 2-D input, raises.
 */
function inferEmbeddingBag(args: Args, inputs: readonly (Shape | undefined)[]): LayerResult {
  const { weights, formulas, count, dim } = table(args, true);
  const problems: Problem[] = [...args.problems];
  const mode = args.raw("mode");
  if (mode !== undefined && !BAG_MODES.includes(mode as string)) problems.push(raises("EmbeddingBag", "ValueError", "mode has to be one of sum, mean or max", "mode"));
  const lastOffset = args.bool("include_last_offset");
  const padding = paddingProblem(args, "EmbeddingBag", count, "padding_idx must be within num_embeddings");
  if (padding) problems.push(padding);
  // An offsets slot left empty or holding no tensor (offsets=None) has no shape: only a call on the input alone surely has none.
  const [input, offsets] = inputs;
  const done = (output?: Dim[]): LayerResult => ({ output, weights, formulas, problems });
  if (!input) return done();
  const width = dim ?? UNKNOWN;
  if (input.length === 2) {
    if (offsets) {
      const message = "if input is 2D, then offsets has to be None, as input is treated is a mini-batch of fixed length sequences. However, found offsets of type <class 'torch.Tensor'>";
      problems.push({ ...raises("EmbeddingBag", "ValueError", message), input: 1 });
      return done();
    }
    return done([input[0], width]);
  }
  if (input.length !== 1) {
    problems.push(rankRefused("EmbeddingBag", input, `input has to be 1D or 2D Tensor, but got Tensor of dimension ${input.length}`));
    return done();
  }
  if (inputs.length < 2) {
    problems.push(rankRefused("EmbeddingBag", input, "offsets has to be a 1D Tensor but got None"));
    return done();
  }
  const length = offsets?.length === 1 ? offsets[0] : undefined;
  const bags = length !== undefined && isKnown(length) && lastOffset !== undefined ? (lastOffset ? length - 1 : length) : UNKNOWN;
  return done([bags, width]);
}

/** A 2-D input's bags each add (or compare) their N rows of embedding_dim: N·embedding_dim per sample, as pooling counts. */
const bagCost: CostRule = ({ input, inputs, weights }) => {
  const indices = input ?? inputs?.[0];
  const table = weights.find((w) => w.name === "weight")?.shape;
  if (!indices || indices.length !== 2 || !table) return product([undefined]);
  return product([factor([indices[1], table[1]])], "one per row of each bag");
};

const embeddingBagSpec: LayerSpec = {
  name: "torch.nn.EmbeddingBag",
  summary: "Sums, averages or takes the max of the embeddings of each bag of indices: (B, N) → (B, embedding_dim), or bags cut from a 1-D input by offsets.",
  params: [
    { name: "num_embeddings" },
    { name: "embedding_dim" },
    { name: "max_norm", default: null },
    { name: "norm_type", default: 2.0 },
    { name: "scale_grad_by_freq", default: false },
    { name: "mode", default: "mean" },
    { name: "sparse", default: false },
    { name: "_weight", default: null },
    { name: "include_last_offset", default: false },
    { name: "padding_idx", default: null },
    { name: "device", default: null },
    { name: "dtype", default: null },
  ],
  closedKeywords: true,
  cost: bagCost,
  infer: (args, input) => inferEmbeddingBag(args, [input]),
  multiInput: { form: "arguments", tensors: ["input", "offsets", "per_sample_weights"], min: 1, max: 3, infer: (args, inputs) => inferEmbeddingBag(args, inputs) },
};

export const torchEmbeddingModules: readonly LayerSpec[] = [embeddingSpec, embeddingBagSpec];
