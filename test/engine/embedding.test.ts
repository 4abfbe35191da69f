/**
 * Embedding and Masking, worked out by hand from Keras 3:
 * Embedding (keras/src/layers/core/embedding.py): signature (input_dim, output_dim,
 * embeddings_initializer="uniform", embeddings_regularizer, embeddings_constraint,
 * mask_zero=False, weights, lora_rank, lora_alpha, quantization_config); the Keras 2
 * `input_length` is popped from **kwargs with a deprecation warning and ignored.
 * compute_output_shape = (*input_shape, output_dim); build() creates one trainable
 * `embeddings` (input_dim, output_dim); enable_lora freezes it and adds
 * lora_embeddings_a (input_dim, r) and lora_embeddings_b (r, output_dim), and raises
 * when embeddings_constraint is set.
 * Masking (masking.py): (mask_value=0.0), compute_output_shape = input_shape.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Row, checkRow, infer, rowName, sequential, tup } from "./helpers";

const N = "None";

const rows: Row[] = [
  // Keras docstring: Embedding(1000, 64) on (32, 10) → (32, 10, 64); 1000·64 = 64,000.
  { kind: "Embedding", args: [1000, 64], input: [N, 10], output: [N, 10, 64], params: 64000n, trainable: 64000n, nonTrainable: 0n },
  { kind: "Embedding", args: [{ input_dim: 1000, output_dim: 64 }], input: [N, N], output: [N, N, 64], params: 64000n, note: "variable length" },
  // Any rank: (*input, output_dim); 50·8 = 400.
  { kind: "Embedding", args: [50, 8], input: [N], output: [N, 8], params: 400n },
  { kind: "Embedding", args: [50, 8], input: [N, 4, 5], output: [N, 4, 5, 8], params: 400n },
  { kind: "Embedding", args: [20000, 128, { mask_zero: true }], input: [N, 200], output: [N, 200, 128], params: 2560000n, note: "20,000·128" },
  { kind: "Embedding", args: [10, 4, "uniform", "l2", null, false, null], input: [N, 3], output: [N, 3, 4], params: 40n, note: "7 positional" },
  { kind: "Embedding", args: [1000, 64, { input_length: 10 }], input: [N, 10], output: [N, 10, 64], params: 64000n, note: "Keras 2 input_length: accepted, ignored" },
  // Weights do not depend on the input.
  { kind: "Embedding", args: [1000, 64], input: undefined, output: undefined, params: 64000n },
  // LoRA rank 4: embeddings 64,000 frozen; a 1000·4 = 4,000 and b 4·64 = 256 trainable → 68,256.
  { kind: "Embedding", args: [1000, 64, { lora_rank: 4 }], input: [N, 10], output: [N, 10, 64], params: 68256n, trainable: 4256n, nonTrainable: 64000n },
  { kind: "Embedding", args: [1000, 64, { lora_rank: 4, lora_alpha: 8 }], input: [N, 10], output: [N, 10, 64], params: 68256n, trainable: 4256n },
  { kind: "Embedding", args: [1000, 64, { lora_rank: 4, embeddings_constraint: "non_neg" }], input: [N, 10], output: [N, 10, 64], params: 68256n, problems: ["invalidArgument"], note: "LoRA is incompatible with constraints" },
  // Invalid.
  { kind: "Embedding", args: [0, 64], input: [N, 10], output: [N, 10, 64], params: undefined, problems: ["nonPositiveArgument"] },
  { kind: "Embedding", args: [1000, "64"], input: [N, 10], output: [N, 10, "?"], params: undefined, problems: ["invalidArgument"] },
  { kind: "Embedding", args: [1000, 64, { mask_zero: "yes" }], input: [N, 10], output: [N, 10, 64], params: 64000n, problems: ["invalidArgument"] },
  { kind: "Embedding", args: [1000], input: [N, 10], output: [N, 10, "?"], params: undefined, problems: ["missingArgument"] },
  { kind: "Embedding", args: [{ output_dim: 8 }], input: [N, 10], output: [N, 10, 8], params: undefined, problems: ["missingArgument"] },
  { kind: "Embedding", args: [1000, 64, { embedding_dim: 3 }], input: [N, 10], output: [N, 10, 64], params: 64000n, problems: ["unknownKeyword"] },

  { kind: "Masking", args: [], input: [N, 10, 8], output: [N, 10, 8] },
  { kind: "Masking", args: [-1.0], input: [N, N, 3], output: [N, N, 3] },
  { kind: "Masking", args: [{ mask_value: 0.0, input_shape: tup(10, 8) }], input: [N, 10, 8], output: [N, 10, 8], note: "base keyword" },
  { kind: "Masking", args: [0.0, 1.0], input: [N, 10, 8], output: [N, 10, 8], problems: ["tooManyPositional"] },
  { kind: "Masking", args: [{ value: 0.0 }], input: [N, 10, 8], output: [N, 10, 8], problems: ["unknownKeyword"] },
];

for (const row of rows) test(rowName(row), () => checkRow(row, assert));

test("Embedding weights and formula", () => {
  const got = infer("Embedding", [1000, 64], ["None", 10]);
  assert.deepEqual(got.result.weights.map((w) => [w.name, w.shape, w.trainable]), [["embeddings", [1000, 64], true]]);
  assert.deepEqual(got.result.formulas, [{ label: "params", text: "1000·64 = 64,000" }]);
});

test("Embedding LoRA weights are named as Keras names them", () => {
  const got = infer("Embedding", [100, 16, { lora_rank: 2 }], ["None", 5]);
  assert.deepEqual(
    got.result.weights.map((w) => [w.name, w.shape, w.trainable]),
    [
      ["embeddings", [100, 16], false],
      ["lora_embeddings_a", [100, 2], true],
      ["lora_embeddings_b", [2, 16], true],
    ],
  );
});

test("Sequential: Embedding → Flatten → Dense", () => {
  // Embedding 1000·8 = 8,000; Flatten 10·8 = 80; Dense (80 + 1)·1 = 81 → 8,081.
  const model = sequential([10], [
    ["Embedding", [1000, 8]],
    ["Flatten", []],
    ["Dense", [1]],
  ]);
  assert.deepEqual(model.layers[1].output, ["None", 10, 8]);
  assert.deepEqual(model.layers[2].output, ["None", 80]);
  assert.equal(model.totals.total, 8081n);
  assert.deepEqual(model.diagnostics, []);
});
