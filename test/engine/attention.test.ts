/**
 * Attention layers, expectations worked out by hand from Keras 3
 * (keras/src/layers/attention):
 * - MultiHeadAttention.build: EinsumDense projections with kernels
 *   query (q_dim, N, key_dim), key (k_dim, N, key_dim), value (v_dim, N, value_dim),
 *   each with a (N, size) bias, and attention_output (N, value_dim, *E) with an E bias;
 *   value_dim defaults to key_dim, E to the query's last dim. compute_output_shape:
 *   query[:-1] + E. Scores: (B, N, T, S) for rank-3 inputs (`_build_attention_equation`).
 * - Attention: scalar `scale` (use_scale), scalar `concat_score_weight` (score_mode='concat');
 *   AdditiveAttention: `scale` of shape (query dim,), use_scale=True by default.
 *   Output query[:-1] + (value dim,); scores (B, Tq, Tv).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { tup } from "./helpers";
import { MultiRow, checkMultiRow, inferMulti, multiRowName } from "./multiInput";

const N = "None";
const U = "?";

// MHA(2, 2) on (…, 16) query and value: each projection 16·2·2 + 2·2 = 68; output 2·2·16 + 16 = 80.
const MHA_2_2_16 = 3n * 68n + 80n;

const rows: MultiRow[] = [
  { kind: "MultiHeadAttention", args: [{ num_heads: 2, key_dim: 2 }], inputs: [[N, 8, 16], [N, 8, 16]], output: [N, 8, 16], params: MHA_2_2_16 },
  { kind: "MultiHeadAttention", args: [2, 2], inputs: [[N, 8, 16], [N, 8, 16]], output: [N, 8, 16], params: MHA_2_2_16, note: "positional" },
  // The Keras docs' example: target (None, 8, 16), source (None, 4, 16) → output (None, 8, 16), scores (None, 2, 8, 4).
  { kind: "MultiHeadAttention", args: [{ num_heads: 2, key_dim: 2 }], inputs: [[N, 8, 16], [N, 4, 16]], options: { return_attention_scores: true }, output: [N, 8, 16], params: MHA_2_2_16, extra: [[N, 2, 8, 4]] },
  { kind: "MultiHeadAttention", args: [{ num_heads: 2, key_dim: 2 }], inputs: [[N, 8, 16], [N, 4, 16]], output: [N, 8, 16], params: MHA_2_2_16, extra: undefined, note: "no scores unless asked" },
  // Docs: attention over axes 2 and 3 of (None, 5, 3, 4, 16): output keeps the query's shape;
  // scores (B, 5, N, 3, 4, 3, 4): batch and the non-attention axis, heads, query axes, key axes.
  { kind: "MultiHeadAttention", args: [{ num_heads: 2, key_dim: 2, attention_axes: tup(2, 3) }], inputs: [[N, 5, 3, 4, 16], [N, 5, 3, 4, 16]], options: { return_attention_scores: true }, output: [N, 5, 3, 4, 16], params: MHA_2_2_16, extra: [[N, 5, 2, 3, 4, 3, 4]] },
  { kind: "MultiHeadAttention", args: [{ num_heads: 2, key_dim: 2, attention_axes: -2 }], inputs: [[N, 5, 3, 16], [N, 5, 7, 16]], options: { return_attention_scores: true }, output: [N, 5, 3, 16], params: MHA_2_2_16, extra: [[N, 5, 2, 3, 7]], note: "negative axis counts from the input's end" },
  { kind: "MultiHeadAttention", args: [{ num_heads: 2, key_dim: 2, attention_axes: 3 }], inputs: [[N, 5, 3, 16], [N, 5, 3, 16]], options: { return_attention_scores: true }, output: [N, 5, 3, 16], params: MHA_2_2_16, extra: undefined, problems: ["invalidArgument"], note: "the feature axis" },
  // value_dim=4, output_shape=8, query (None, 10, 32), value (None, 20, 24):
  // query 32·2·2 + 4 = 132; key (from value) 24·2·2 + 4 = 100; value 24·2·4 + 8 = 200; output 2·4·8 + 8 = 72.
  { kind: "MultiHeadAttention", args: [{ num_heads: 2, key_dim: 2, value_dim: 4, output_shape: 8 }], inputs: [[N, 10, 32], [N, 20, 24]], output: [N, 10, 8], params: 132n + 100n + 200n + 72n },
  // output_shape (4, 8): output kernel 2·2·4·8 = 128, bias 4·8 = 32.
  { kind: "MultiHeadAttention", args: [{ num_heads: 2, key_dim: 2, output_shape: tup(4, 8) }], inputs: [[N, 8, 16], [N, 8, 16]], output: [N, 8, 4, 8], params: 3n * 68n + 160n },
  { kind: "MultiHeadAttention", args: [{ num_heads: 2, key_dim: 2, output_shape: null }], inputs: [[N, 8, 16], [N, 8, 16]], output: [N, 8, 16], params: MHA_2_2_16 },
  { kind: "MultiHeadAttention", args: [{ num_heads: 2, key_dim: 2, value_dim: null }], inputs: [[N, 8, 16], [N, 8, 16]], output: [N, 8, 16], params: MHA_2_2_16 },
  // use_bias=False: 3·64 + 64.
  { kind: "MultiHeadAttention", args: [{ num_heads: 2, key_dim: 2, use_bias: false }], inputs: [[N, 8, 16], [N, 8, 16]], output: [N, 8, 16], params: 256n },
  // A key of its own, (None, 4, 12): key 12·2·2 + 4 = 52.
  { kind: "MultiHeadAttention", args: [{ num_heads: 2, key_dim: 2 }], inputs: [[N, 8, 16], [N, 4, 16], [N, 4, 12]], output: [N, 8, 16], params: 68n + 52n + 68n + 80n },
  // Keras's text-classification Transformer: MHA(num_heads=2, key_dim=32) on (None, 200, 32):
  // 3·(32·2·32 + 2·32) + (2·32·32 + 32) = 3·2,112 + 2,080 = 8,416.
  { kind: "MultiHeadAttention", args: [{ num_heads: 2, key_dim: 32 }], inputs: [[N, 200, 32], [N, 200, 32]], output: [N, 200, 32], params: 8416n },
  { kind: "MultiHeadAttention", args: [{ num_heads: 2, key_dim: 2, dropout: 0.1, seed: 3 }], inputs: [[N, 8, 16], [N, 8, 16]], output: [N, 8, 16], params: MHA_2_2_16 },
  { kind: "MultiHeadAttention", args: [{ num_heads: 2, key_dim: 2 }], inputs: [[4, N, 16], [4, N, 16]], options: { return_attention_scores: true, use_causal_mask: true }, output: [4, N, 16], params: MHA_2_2_16, extra: [[4, 2, N, N]] },
  { kind: "MultiHeadAttention", args: [{ num_heads: 2, key_dim: 2 }], inputs: [[N, 8, 16], undefined], output: [N, 8, 16], params: undefined, note: "the value's size is unknown" },
  { kind: "MultiHeadAttention", args: [{ num_heads: 2, key_dim: 2 }], inputs: [undefined, [N, 8, 16]], output: undefined, params: undefined },
  { kind: "MultiHeadAttention", args: [{ num_heads: 2, key_dim: { unresolved: "a function parameter" } }], inputs: [[N, 8, 16], [N, 8, 16]], output: [N, 8, 16], params: undefined },
  { kind: "MultiHeadAttention", args: [{ num_heads: 2, key_dim: 2, output_shape: { unresolved: "a function parameter" } }], inputs: [[N, 8, 16], [N, 8, 16]], output: undefined, params: undefined },
  // Errors.
  { kind: "MultiHeadAttention", args: [{ num_heads: 2, key_dim: 2 }], inputs: [[N, 8, 16], [N, 4, 16], [N, 5, 16]], output: undefined, params: MHA_2_2_16, problems: ["incompatibleShapes"], note: "value and key lengths differ" },
  { kind: "MultiHeadAttention", args: [{ num_heads: 2, key_dim: 2 }], inputs: [[N, 8, 16], [N, 4, 3, 16]], output: undefined, params: MHA_2_2_16, problems: ["incompatibleShapes"], note: "query and value ranks differ" },
  { kind: "MultiHeadAttention", args: [{ num_heads: 2, key_dim: 2 }], inputs: [[N, 8, N], [N, 8, 16]], output: [N, 8, N], params: undefined, problems: ["undefinedLastDimension"] },
  { kind: "MultiHeadAttention", args: [{ num_heads: 2, key_dim: 2 }], inputs: [[N, 8, 16]], output: undefined, params: undefined, problems: ["inputCount"] },
  { kind: "MultiHeadAttention", args: [{ num_heads: 0, key_dim: 2 }], inputs: [[N, 8, 16], [N, 8, 16]], output: [N, 8, 16], params: undefined, problems: ["nonPositiveArgument"] },
  { kind: "MultiHeadAttention", args: [{ num_heads: 2 }], inputs: [[N, 8, 16], [N, 8, 16]], output: [N, 8, 16], params: undefined, problems: ["missingArgument"] },
  { kind: "MultiHeadAttention", args: [{ num_heads: 2, key_dim: 2, output_shape: "wide" }], inputs: [[N, 8, 16], [N, 8, 16]], output: undefined, params: undefined, problems: ["invalidArgument"] },
  { kind: "MultiHeadAttention", args: [{ num_heads: 2, key_dim: 2, attention_axes: "all" }], inputs: [[N, 8, 16], [N, 8, 16]], output: [N, 8, 16], params: MHA_2_2_16, problems: ["invalidArgument"] },
  { kind: "MultiHeadAttention", args: [{ num_heads: 2, key_dim: 2, dropout: 0.1, flash_attention: true }], inputs: [[N, 8, 16], [N, 8, 16]], output: [N, 8, 16], params: MHA_2_2_16, problems: ["invalidArgument"], note: "flash attention refuses dropout" },
  { kind: "MultiHeadAttention", args: [{ num_heads: 2, key_dim: 2, flash_attention: true }], inputs: [[N, 8, 16], [N, 8, 16]], options: { return_attention_scores: true }, output: [N, 8, 16], params: MHA_2_2_16, extra: [[N, 2, 8, 8]], problems: ["invalidArgument"], note: "flash attention has no scores" },
  { kind: "MultiHeadAttention", args: [{ num_heads: 2, key_dim: 2, heads: 3 }], inputs: [[N, 8, 16], [N, 8, 16]], output: [N, 8, 16], params: MHA_2_2_16, problems: ["unknownKeyword"] },

  // GroupQueryAttention(head_dim=4, num_query_heads=4, num_key_value_heads=2) on 16 features:
  // query 16·4·4 + 4·4 = 272; key and value 16·2·4 + 2·4 = 136 each; output 4·4·16 + 16 = 272.
  { kind: "GroupQueryAttention", args: [{ head_dim: 4, num_query_heads: 4, num_key_value_heads: 2 }], inputs: [[N, 10, 16], [N, 12, 16]], options: { return_attention_scores: true }, output: [N, 10, 16], params: 272n + 136n + 136n + 272n, extra: [[N, 4, 10, 12]] },
  { kind: "GroupQueryAttention", args: [4, 4, 2, { use_bias: false }], inputs: [[N, 10, 16], [N, 12, 16]], output: [N, 10, 16], params: 256n + 128n + 128n + 256n },
  // A key of 8 features: 8·2·4 + 8 = 72.
  { kind: "GroupQueryAttention", args: [4, 4, 2], inputs: [[N, 10, 16], [N, 12, 16], [N, 12, 8]], output: [N, 10, 16], params: 272n + 72n + 136n + 272n },
  { kind: "GroupQueryAttention", args: [4, 4, 3], inputs: [[N, 10, 16], [N, 12, 16]], output: [N, 10, 16], params: 272n + 2n * (16n * 3n * 4n + 12n) + 272n, problems: ["invalidArgument"], note: "4 query heads over 3 groups" },
  { kind: "GroupQueryAttention", args: [4, 4, 2], inputs: [[N, 10, 16], [N, 12, 8]], output: undefined, params: 272n + 2n * (8n * 2n * 4n + 8n) + 272n, problems: ["incompatibleShapes"] },
  { kind: "GroupQueryAttention", args: [4, 4, 2], inputs: [[N, 10, 16], [N, 12, 16], [N, 9, 16]], output: undefined, params: 272n + 136n + 136n + 272n, problems: ["incompatibleShapes"] },
  { kind: "GroupQueryAttention", args: [4, 4, 2], inputs: [[N, 2, 10, 16], [N, 12, 16]], output: undefined, params: 272n + 136n + 136n + 272n, problems: ["wrongRank"] },

  // Attention: (None, 5, 8) query on (None, 7, 8) value.
  { kind: "Attention", args: [], inputs: [[N, 5, 8], [N, 7, 8]], output: [N, 5, 8], params: 0n },
  { kind: "Attention", args: [], inputs: [[N, 5, 8], [N, 7, 8]], options: { return_attention_scores: true }, output: [N, 5, 8], params: 0n, extra: [[N, 5, 7]] },
  { kind: "Attention", args: [{ use_scale: true }], inputs: [[N, 5, 8], [N, 7, 8]], output: [N, 5, 8], params: 1n },
  { kind: "Attention", args: [{ score_mode: "concat" }], inputs: [[N, 5, 8], [N, 7, 8]], output: [N, 5, 8], params: 1n },
  { kind: "Attention", args: [true, "concat"], inputs: [[N, 5, 8], [N, 7, 8]], output: [N, 5, 8], params: 2n },
  // A key of its own: value (None, 7, 16), key (None, 7, 8) → (None, 5, 16).
  { kind: "Attention", args: [], inputs: [[N, 5, 8], [N, 7, 16], [N, 7, 8]], output: [N, 5, 16], params: 0n },
  { kind: "Attention", args: [], inputs: [[N, 5, 8], undefined], output: [N, 5, U], params: 0n },
  { kind: "Attention", args: [], inputs: [[N, 5, 8], [N, 7, 6]], output: undefined, params: 0n, problems: ["incompatibleShapes"], note: "query·key needs equal features" },
  { kind: "Attention", args: [], inputs: [[N, 5, 8], [N, 7, 16], [N, 6, 8]], output: undefined, params: 0n, problems: ["incompatibleShapes"], note: "key and value lengths differ" },
  { kind: "Attention", args: [{ score_mode: "concat" }], inputs: [[N, 5, 1], [N, 7, 8]], output: [N, 5, 8], params: 1n, note: "concat broadcasts a size 1" },
  { kind: "Attention", args: [], inputs: [[N, 5, 8], [N, 7, 3, 8]], output: undefined, params: 0n, problems: ["wrongRank"] },
  { kind: "Attention", args: [{ score_mode: "add" }], inputs: [[N, 5, 8], [N, 7, 8]], output: [N, 5, 8], params: undefined, problems: ["invalidArgument"] },
  { kind: "Attention", args: [], inputs: [[N, 5, 8]], output: undefined, params: undefined, problems: ["inputCount"] },
  { kind: "Attention", args: [], inputs: [[N, 5, 8], [N, 5, 8], [N, 5, 8], [N, 5, 8]], output: undefined, params: undefined, problems: ["inputCount"] },

  // AdditiveAttention: scale of the query's dim (8) by default.
  { kind: "AdditiveAttention", args: [], inputs: [[N, 5, 8], [N, 7, 8]], output: [N, 5, 8], params: 8n },
  { kind: "AdditiveAttention", args: [{ use_scale: false }], inputs: [[N, 5, 8], [N, 7, 8]], output: [N, 5, 8], params: 0n },
  { kind: "AdditiveAttention", args: [], inputs: [[N, 5, 8], [N, 7, 16], [N, 7, 8]], options: { return_attention_scores: true }, output: [N, 5, 16], params: 8n, extra: [[N, 5, 7]] },
  { kind: "AdditiveAttention", args: [], inputs: [[N, 5, N], [N, 7, N]], output: [N, 5, N], params: undefined, problems: ["undefinedLastDimension"] },
  { kind: "AdditiveAttention", args: [], inputs: [[N, 5, 8], [N, 7, 6]], output: undefined, params: 8n, problems: ["incompatibleShapes"] },
  { kind: "AdditiveAttention", args: [{ score_mode: "concat" }], inputs: [[N, 5, 8], [N, 7, 8]], output: [N, 5, 8], params: 8n, note: "passes through to Attention, no weight of its own" },
];

for (const row of rows) test(multiRowName(row), () => checkMultiRow(row, assert));

test("MultiHeadAttention explains its count with the user's numbers", () => {
  const got = inferMulti("MultiHeadAttention", [{ num_heads: 2, key_dim: 2 }], [[N, 8, 16], [N, 8, 16]]);
  const text = Object.fromEntries(got.result.formulas.map((f) => [f.label, f.text]));
  assert.equal(text.query, "16·2·2 + 2·2 = 68");
  assert.equal(text.attention_output, "2·2·16 + 16 = 80");
  assert.equal(text.params, "68 + 68 + 68 + 80 = 284");
  assert.deepEqual(
    got.result.weights.map((w) => `${w.name} ${JSON.stringify(w.shape)}`),
    ["query/kernel [16,2,2]", "query/bias [2,2]", "key/kernel [16,2,2]", "key/bias [2,2]", "value/kernel [16,2,2]", "value/bias [2,2]", "attention_output/kernel [2,2,16]", "attention_output/bias [16]"],
  );
});

test("a value/key mismatch names both shapes and blames the key", () => {
  const got = inferMulti("MultiHeadAttention", [{ num_heads: 2, key_dim: 2 }], [[N, 8, 16], [N, 4, 16], [N, 5, 16]]);
  assert.deepEqual(got.messages, ["MultiHeadAttention needs value and key shapes equal on every axis except the last: got (None, 4, 16) and (None, 5, 16)."]);
  assert.deepEqual(got.inputs, [2]);
});
