/**
 * Embedding and Masking (keras/src/layers/core/embedding.py, masking.py).
 *
 * Embedding maps integer indices to vectors: (batch, …) → (batch, …, output_dim),
 * with one trainable `embeddings` matrix of input_dim·output_dim. With `lora_rank=r`
 * the matrix is frozen and two trainable factors (input_dim, r) and (r, output_dim)
 * are added (`enable_lora`). Keras 3 still accepts the Keras 2 `input_length`
 * keyword: it pops it with a deprecation warning and ignores it.
 * tf.keras 2 (tf_keras/layers/core/embedding.py) sets `input_shape=(input_length,)`, or `(None,)`
 * without one, unless given: first in a Sequential model, an Embedding gives it that input, where
 * Keras 3 gives none (see `generations`). Its positional order differs after `embeddings_regularizer`,
 * and it takes `sparse`, which Keras 3 does not.
 * Masking keeps the shape and has no weights.
 */
import { dataMovementCost, elementwiseCost } from "../cost";
import { Args } from "../args";
import { unresolved } from "../values";
import { Dim, Shape, UNKNOWN } from "../shape";
import { Formula, LayerResult, LayerSpec, Problem, Weight } from "../spec";
import { weight } from "../math";
import { withThousands } from "../format";

const EMBEDDING_SOURCE = "keras/src/layers/core/embedding.py; tf_keras/layers/core/embedding.py";

const embeddingSpec: LayerSpec = {
  name: "Embedding",
  summary: "Looks up a trainable vector of size `output_dim` for each integer index below `input_dim`: (batch, …) → (batch, …, output_dim).",
  params: [
    { name: "input_dim" },
    { name: "output_dim" },
    { name: "embeddings_initializer", default: "uniform" },
    { name: "embeddings_regularizer", default: null },
    { name: "embeddings_constraint", default: null },
    { name: "mask_zero", default: false },
    { name: "weights", default: null },
    { name: "lora_rank", default: null },
    { name: "lora_alpha", default: null },
    { name: "quantization_config", default: null },
    // Keras 2's keyword, popped from **kwargs and ignored (with a deprecation warning).
    { name: "input_length", default: null },
    { name: "sparse", default: false, generations: { only: 2, source: EMBEDDING_SOURCE } },
  ],
  generations: {
    keras2Positional: ["input_dim", "output_dim", "embeddings_initializer", "embeddings_regularizer", "activity_regularizer", "embeddings_constraint", "mask_zero", "input_length", "sparse"],
    // `kwargs["input_shape"] = (input_length,) if input_length else (None,)` when no input_shape is given.
    keras2InputShape: (args) => {
      const length = args.raw("input_length");
      if (length === undefined) return { tuple: [unresolved("input_length is not known statically")] };
      return { tuple: [length === null || length === 0 || length === false ? null : length] };
    },
    source: EMBEDDING_SOURCE,
  },
  infer(args: Args, input: Shape | undefined): LayerResult {
    const inputDim = args.int("input_dim");
    const outputDim = args.int("output_dim");
    args.bool("mask_zero");
    const problems: Problem[] = [];
    const formulas: Formula[] = [];
    const embeddings = weight("embeddings", [inputDim, outputDim]);
    let weights: Weight[] = [embeddings];
    if (args.has("lora_rank")) {
      const rank = args.int("lora_rank");
      if (args.has("embeddings_constraint")) {
        // enable_lora: "Lora is incompatible with embedding constraints."
        problems.push({
          id: "invalidArgument",
          argument: "lora_rank",
          values: { argument: "lora_rank", expected: "None when embeddings_constraint is set (LoRA is incompatible with embedding constraints)", value: String(rank ?? "?") },
        });
      }
      weights = [
        { ...embeddings, trainable: false },
        weight("lora_embeddings_a", [inputDim, rank]),
        weight("lora_embeddings_b", [rank, outputDim]),
      ];
    } else if (inputDim !== undefined && outputDim !== undefined) {
      formulas.push({ label: "params", text: `${inputDim}·${outputDim} = ${withThousands(BigInt(inputDim) * BigInt(outputDim))}` });
    }
    const output: Dim[] | undefined = input ? [...input, outputDim ?? UNKNOWN] : undefined;
    return { output, weights, formulas, problems: [...args.problems, ...problems] };
  },
};

const maskingSpec: LayerSpec = {
  name: "Masking",
  summary: "Masks the timesteps whose features all equal `mask_value` for the layers after it; the shape is unchanged.",
  params: [{ name: "mask_value", default: 0.0 }],
  infer: (args, input) => ({ output: input, weights: [], formulas: [], problems: args.problems }),
};

// An embedding is a lookup (no arithmetic); masking compares and multiplies element by element.
export const embeddingLayers: LayerSpec[] = [{ ...embeddingSpec, cost: dataMovementCost }, { ...maskingSpec, cost: elementwiseCost }];
