/**
 * PyTorch's MultiheadAttention and Transformer modules (layers/torch/attention.ts, transformer.ts). Expected shapes,
 * parameter counts (`sum(p.numel() for p in m.parameters())`) and messages were printed by Debian's python3-torch
 * 1.13 on `torch.randn(*shape)` inputs, except: `bias=False` on the Transformer layers and `is_causal` (1.13 has
 * neither; counted by hand from current torch/nn/modules/transformer.py and activation.py, noted on the row).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Arg, Row, argsIR, checkRow, infer, rowName } from "./helpers";
import { MultiRow, checkMultiRow, inferMulti, multiRowName } from "./multiInput";
import { findLayer } from "../../server/src/engine/layers/registry";
import { bindArguments } from "../../server/src/engine/bind";
import { LayerValue } from "../../server/src/engine/values";

const MHA = "torch.nn.MultiheadAttention";
const TEL = "torch.nn.TransformerEncoderLayer";
const TDL = "torch.nn.TransformerDecoderLayer";

/** A module constructed inside an argument (the layer given to TransformerEncoder, a custom encoder), passed by keyword. */
const M = (kind: string, ...args: Arg[]): LayerValue => ({ layer: { kind, args: argsIR(args) } });

const rows: Row[] = [
  { kind: TEL, args: [512, 8], input: [10, 32, 512], output: [10, 32, 512], params: 3152384n },
  { kind: TEL, args: [64, 4, { dim_feedforward: 256, batch_first: true }], input: [2, 10, 64], output: [2, 10, 64], params: 49984n },
  { kind: TEL, args: [64, 4, 256], input: [10, 64], output: [10, 64], params: 49984n, note: "unbatched" },
  // By hand (1.13 has no bias): 4·64·64 (self_attn) + 256·64 + 64·256 (linears) + 2·64 (norm weights) = 49,280.
  { kind: TEL, args: [64, 4, 256, { bias: false }], input: [10, 2, 64], output: [10, 2, 64], params: 49280n },
  { kind: TEL, args: [64, 4, 256], input: undefined, output: undefined, params: 49984n, note: "weights from the constructor" },
  { kind: TEL, args: [64, 4, { activation: "tanh" }], input: [10, 2, 64], output: [10, 2, 64], params: 281152n, problems: ["torchConstructorRefused"] },
  { kind: TEL, args: [64, 5, 256], input: [10, 2, 64], output: [10, 2, 64], params: 49984n, problems: ["torchConstructorRefused"], note: "heads do not divide d_model" },
  { kind: TEL, args: [64, 4, 256, { batch_first: true }], input: [2, 10, 32], output: undefined, params: 49984n, problems: ["torchCallRefused"] },
  { kind: TEL, args: [64, 4, 256], input: [2, 3, 10, 64], output: undefined, params: 49984n, problems: ["torchCallRefused"] },
  { kind: TEL, args: [64, 4, 256, { units: 3 }], input: [10, 2, 64], output: [10, 2, 64], params: 49984n, problems: ["unknownKeyword"] },
  // Three copies of TransformerEncoderLayer(64, 4, 256, batch_first=True): 3·49,984.
  { kind: "torch.nn.TransformerEncoder", args: [{ encoder_layer: M(TEL, 64, 4, { dim_feedforward: 256, batch_first: true }), num_layers: 3 }], input: [2, 10, 64], output: [2, 10, 64], params: 149952n },
  { kind: "torch.nn.TransformerEncoder", args: [{ encoder_layer: M(TEL, 64, 4, 256), num_layers: 3, norm: M("MyNorm", 64) }], input: [10, 2, 64], output: [10, 2, 64], params: undefined, note: "a norm not followed" },
  { kind: "torch.nn.TransformerEncoder", args: [{ encoder_layer: M(TEL, 64, 4, 256, { batch_first: true }), num_layers: 2 }], input: [2, 10, 32], output: undefined, params: 99968n, problems: ["torchCallRefused"] },
  { kind: "torch.nn.TransformerEncoder", args: [{ encoder_layer: M("MyLayer"), num_layers: 2 }], input: [2, 10, 32], output: undefined, params: undefined, note: "a layer not followed" },
  // python3-torch: "IndexError: index 0 is out of range" (forward reads self.layers[0]).
  { kind: "torch.nn.TransformerEncoder", args: [{ encoder_layer: M(TEL, 4, 2, 8), num_layers: 0 }], input: [3, 2, 4], output: undefined, params: 0n, problems: ["torchCallRefused"], note: "no layers" },
];

for (const row of rows) test(rowName(row), () => checkRow(row, assert));

const multiRows: MultiRow[] = [
  // python3-torch: attn_output (2, 5, 12), attn_weights (2, 5, 8) = S 6 + bias_k + zero attention; 504 parameters.
  {
    kind: MHA,
    args: [12, 3, { kdim: 5, vdim: 7, add_bias_kv: true, add_zero_attn: true, batch_first: true }],
    inputs: [[2, 5, 12], [2, 6, 5], [2, 6, 7]],
    output: [2, 5, 12],
    params: 504n,
    extra: [[2, 5, 8]],
  },
  {
    kind: MHA,
    args: [12, 3, { kdim: 5, vdim: 7, add_bias_kv: true, add_zero_attn: true, batch_first: true }],
    inputs: [[2, 5, 12], [2, 6, 5], [2, 6, 7]],
    options: { average_attn_weights: false },
    output: [2, 5, 12],
    params: 504n,
    extra: [[2, 3, 5, 8]],
  },
  {
    kind: MHA,
    args: [12, 3, { kdim: 5, vdim: 7, add_bias_kv: true, add_zero_attn: true, batch_first: true }],
    inputs: [[5, 12], [6, 5], [6, 7]],
    output: [5, 12],
    params: 504n,
    extra: [[5, 8]],
    note: "unbatched",
  },
  { kind: MHA, args: [12, 3], inputs: [[5, 2, 12], [6, 2, 12], [6, 2, 12]], options: { need_weights: false }, output: [5, 2, 12], params: 624n, extra: [undefined], note: "None for the weights" },
  { kind: MHA, args: [16, 4, { bias: false }], inputs: [[5, 2, 16], [5, 2, 16], [5, 2, 16]], output: [5, 2, 16], params: 1024n, extra: [[2, 5, 5]] },
  // python3-torch: "key shape torch.Size([6, 2, 12]) does not match value shape torch.Size([7, 2, 12])".
  { kind: MHA, args: [12, 3], inputs: [[5, 2, 12], [6, 2, 12], [7, 2, 12]], output: [5, 2, 12], params: 624n, extra: [[2, 5, 6]], problems: ["torchCallRefused"] },
  { kind: MHA, args: [12, 3, { kdim: 5, vdim: 7 }], inputs: [[5, 2, 12], [6, 2, 5], [7, 2, 7]], output: [5, 2, 12], params: 480n, extra: [[2, 5, 6]], problems: ["torchCallRefused"] },
  { kind: MHA, args: [12, 3], inputs: [[5, 2, 12], [6, 2], [6, 2]], output: undefined, params: 624n, extra: [undefined], problems: ["torchCallRefused"] },
  { kind: MHA, args: [12, 3], inputs: [[5, 2, 10], [6, 2, 10], [6, 2, 10]], output: undefined, params: 624n, extra: [undefined], problems: ["torchCallRefused"] },
  { kind: MHA, args: [12, 3], inputs: [[5, 2, 12], [6, 3, 12], [6, 3, 12]], output: [5, 2, 12], params: 624n, extra: [[2, 5, 6]], problems: ["torchCallRefused"], note: "batches differ" },
  { kind: MHA, args: [10, 3], inputs: [[5, 2, 10], [5, 2, 10], [5, 2, 10]], output: [5, 2, 10], params: 440n, extra: [[2, 5, 5]], problems: ["torchConstructorRefused"] },
  // Current PyTorch only (1.13 has no is_causal): "Need attn_mask if specifying the is_causal hint".
  { kind: MHA, args: [12, 3], inputs: [[5, 2, 12], [5, 2, 12], [5, 2, 12]], options: { is_causal: true }, output: [5, 2, 12], params: 624n, extra: [[2, 5, 5]], problems: ["torchCallRefused"] },
  { kind: MHA, args: [12, 3], inputs: [[5, 2, 12]], output: undefined, params: 624n, extra: [undefined], problems: ["torchCallRefused"], note: "key and value missing" },

  { kind: TDL, args: [64, 4, 256], inputs: [[7, 2, 64], [10, 2, 64]], output: [7, 2, 64], params: 66752n },
  { kind: TDL, args: [512, 8], inputs: [[7, 2, 512], [10, 2, 512]], output: [7, 2, 512], params: 4204032n },
  // python3-torch: "mat1 and mat2 shapes cannot be multiplied (20x32 and 64x128)".
  { kind: TDL, args: [64, 4, 256], inputs: [[7, 2, 64], [10, 2, 32]], output: [7, 2, 64], params: 66752n, problems: ["torchCallRefused"] },
  { kind: "torch.nn.TransformerDecoder", args: [{ decoder_layer: M(TDL, 64, 4, 256), num_layers: 2 }], inputs: [[7, 2, 64], [10, 2, 64]], output: [7, 2, 64], params: 133504n },
  // The memory against what every decoder layer requires of it; python3-torch raised each, and counted the parameters.
  // "For batched (3-D) `query`, expected `key` and `value` to be 3-D but found 2-D and 2-D tensors respectively".
  { kind: "torch.nn.TransformerDecoder", args: [{ decoder_layer: M(TDL, 4, 2, 8), num_layers: 2 }], inputs: [[3, 2, 4], [5, 4]], output: [3, 2, 4], params: 520n, problems: ["torchCallRefused"], note: "memory's rank" },
  // "mat1 and mat2 shapes cannot be multiplied (10x6 and 4x8)".
  { kind: "torch.nn.TransformerDecoder", args: [{ decoder_layer: M(TDL, 4, 2, 8), num_layers: 1 }], inputs: [[3, 2, 4], [5, 2, 6]], output: [3, 2, 4], params: 260n, problems: ["torchCallRefused"], note: "memory's width" },
  // "shape '[5, 4, 2]' is invalid for input of size 60".
  { kind: "torch.nn.TransformerDecoder", args: [{ decoder_layer: M(TDL, 4, 2, 8), num_layers: 2 }], inputs: [[3, 2, 4], [5, 3, 4]], output: [3, 2, 4], params: 520n, problems: ["torchCallRefused"], note: "memory's batch" },
  // Current PyTorch only: 2.x's forward reads self.layers[0] ("index 0 is out of range"); 1.13 returns tgt.
  { kind: "torch.nn.TransformerDecoder", args: [{ decoder_layer: M(TDL, 4, 2, 8), num_layers: 0 }], inputs: [[3, 2, 4], [5, 2, 4]], output: undefined, params: 0n, problems: ["torchCallRefused"], note: "no layers" },

  { kind: "torch.nn.Transformer", args: [], inputs: [[10, 32, 512], [20, 32, 512]], output: [20, 32, 512], params: 44140544n },
  {
    kind: "torch.nn.Transformer",
    args: [{ d_model: 64, nhead: 4, num_encoder_layers: 2, num_decoder_layers: 3, dim_feedforward: 128, batch_first: true }],
    inputs: [[2, 10, 64], [2, 7, 64]],
    output: [2, 7, 64],
    params: 217920n,
  },
  {
    kind: "torch.nn.Transformer",
    args: [{ d_model: 64, nhead: 4, num_decoder_layers: 1, dim_feedforward: 128, custom_encoder: M("torch.nn.TransformerEncoder", { encoder_layer: M(TEL, 64, 4, 128), num_layers: 2 }) }],
    inputs: [[10, 2, 64], [7, 2, 64]],
    output: [7, 2, 64],
    params: 117312n,
  },
  { kind: "torch.nn.Transformer", args: [64, 4, 2, 3, 128, { batch_first: true }], inputs: [[2, 10, 64], [3, 7, 64]], output: [3, 7, 64], params: 217920n, problems: ["torchCallRefused"] },
  { kind: "torch.nn.Transformer", args: [64, 4, 2, 3, 128, { batch_first: true }], inputs: [[2, 10, 32], [2, 7, 64]], output: [2, 7, 64], params: 217920n, problems: ["torchCallRefused"] },
  // python3-torch, each raised and its parameters counted. A 3-D src is a batch, tgt 2-D: "the batch number of src and tgt must be equal".
  { kind: "torch.nn.Transformer", args: [4, 2, 1, 1, 8], inputs: [[2, 3, 4], [2, 4]], output: [2, 4], params: 448n, problems: ["torchCallRefused"], note: "batched src, unbatched tgt" },
  // "IndexError: Dimension out of range (expected to be in range of [-1, 0], but got 1)".
  { kind: "torch.nn.Transformer", args: [4, 2, 1, 1, 8], inputs: [[2, 3, 4], [4]], output: [4], params: 448n, problems: ["torchCallRefused"], note: "tgt without a batch axis" },
  // "For batched (3-D) `query`, expected `key` and `value` to be 3-D but found 2-D and 2-D tensors respectively".
  { kind: "torch.nn.Transformer", args: [4, 2, 1, 1, 8], inputs: [[2, 4], [3, 1, 4]], output: [3, 1, 4], params: 448n, problems: ["torchCallRefused"], note: "memory's rank" },
  {
    kind: "torch.nn.Transformer",
    args: [4, 2, 1, { custom_decoder: M("torch.nn.TransformerDecoder", { decoder_layer: M(TDL, 4, 2, 8), num_layers: 1 }) }],
    inputs: [[2, 4], [3, 1, 4]],
    output: [3, 1, 4],
    params: 18800n,
    problems: ["torchCallRefused"],
    note: "memory's rank, a custom decoder",
  },
  // "IndexError: index 0 is out of range", from the encoder's forward.
  { kind: "torch.nn.Transformer", args: [4, 2, 0, 1, 8], inputs: [[2, 1, 4], [3, 1, 4]], output: [3, 1, 4], params: 276n, problems: ["torchCallRefused"], note: "no encoder layers" },
];

for (const row of multiRows) test(multiRowName(row), () => checkMultiRow(row, assert));

test("PyTorch's own words", () => {
  const messages = (kind: string, args: Arg[], inputs: number[][], options = {}) => inferMulti(kind, args, inputs, options).messages;
  assert.deepEqual(messages(MHA, [12, 3], [[5, 2, 12], [6, 2, 12], [7, 2, 12]]), [
    "MultiheadAttention: key shape torch.Size([6, 2, 12]) does not match value shape torch.Size([7, 2, 12]). PyTorch raises an AssertionError when the module is called.",
  ]);
  assert.match(messages(MHA, [12, 3, { kdim: 5, vdim: 7 }], [[5, 2, 12], [6, 2, 5], [7, 2, 7]])[0], /key's sequence and batch dims torch\.Size\(\[6, 2\]\) do not match value's torch\.Size\(\[7, 2\]\)/);
  assert.match(messages(MHA, [12, 3], [[5, 2, 12], [6, 2], [6, 2]])[0], /For batched \(3-D\) `query`, expected `key` and `value` to be 3-D but found 2-D and 2-D tensors respectively/);
  assert.match(messages(MHA, [12, 3], [[5, 2, 10], [6, 2, 10], [6, 2, 10]])[0], /was expecting embedding dimension of 12, but got 10/);
  assert.match(messages(MHA, [10, 3], [[5, 2, 10], [5, 2, 10], [5, 2, 10]])[0], /^MultiheadAttention: embed_dim must be divisible by num_heads\. PyTorch raises an AssertionError when the module is created\.$/);
  assert.match(messages(TDL, [64, 4, 256], [[7, 2, 64], [10, 2, 32]])[0], /mat1 and mat2 shapes cannot be multiplied \(20x32 and 64x128\)/);
  assert.match(messages("torch.nn.Transformer", [64, 4, 2, 3, 128, { batch_first: true }], [[2, 10, 64], [3, 7, 64]])[0], /the batch number of src and tgt must be equal/);
  assert.match(messages("torch.nn.Transformer", [64, 4, 2, 3, 128], [[10, 2, 32], [7, 2, 64]])[0], /the feature number of src and tgt must be equal to d_model/);
  // python3-torch's messages for the memory and the batches (rows above).
  const decoder = [{ decoder_layer: M(TDL, 4, 2, 8), num_layers: 2 }];
  assert.deepEqual(messages("torch.nn.TransformerDecoder", decoder, [[3, 2, 4], [5, 4]]), [
    "TransformerDecoderLayer: For batched (3-D) `query`, expected `key` and `value` to be 3-D but found 2-D and 2-D tensors respectively. PyTorch raises an AssertionError when the module is called.",
  ]);
  assert.deepEqual(messages("torch.nn.TransformerDecoder", decoder, [[3, 2, 4], [5, 2, 6]]), [
    "TransformerDecoderLayer: mat1 and mat2 shapes cannot be multiplied (10x6 and 4x8). PyTorch raises a RuntimeError when the module is called.",
  ]);
  assert.match(messages("torch.nn.TransformerDecoder", decoder, [[3, 2, 4], [5, 3, 4]])[0], /shape '\[5, 4, 2\]' is invalid for input of size 60/);
  assert.match(messages(TDL, [4, 2, 8, { batch_first: true }], [[2, 3, 4], [3, 5, 4]])[0], /shape '\[5, 4, 2\]' is invalid for input of size 60/);
  assert.match(messages(MHA, [4, 2, { add_bias_kv: true }], [[3, 2, 4], [5, 3, 4], [5, 3, 4]])[0], /Sizes of tensors must match except in dimension 0\. Expected size 3 but got size 2 for tensor number 1 in the list\./);
  assert.deepEqual(messages("torch.nn.Transformer", [4, 2, 1, 1, 8], [[2, 3, 4], [2, 4]]), ["Transformer: the batch number of src and tgt must be equal. PyTorch raises a RuntimeError when the module is called."]);
  assert.match(messages("torch.nn.Transformer", [4, 2, 1, 1, 8], [[2, 3, 4], [4]])[0], /Dimension out of range \(expected to be in range of \[-1, 0\], but got 1\)\. PyTorch raises an IndexError/);
  assert.match(messages("torch.nn.Transformer", [4, 2, 1, 1, 8], [[2, 4], [3, 1, 4]])[0], /For batched \(3-D\) `query`, expected `key` and `value` to be 3-D but found 2-D and 2-D tensors/);
  assert.match(messages("torch.nn.Transformer", [4, 2, 0, 1, 8], [[2, 1, 4], [3, 1, 4]])[0], /^TransformerEncoder: index 0 is out of range\. PyTorch raises an IndexError/);
  assert.match(infer(TEL, [64, 4, { activation: "tanh" }], undefined).messages[0], /activation should be relu\/gelu, not tanh\. PyTorch raises a RuntimeError/);
});

test("parameters are named as named_parameters() names them", () => {
  // python3-torch: nn.MultiheadAttention(12, 3, kdim=5, vdim=7, add_bias_kv=True).named_parameters().
  const mha = inferMulti(MHA, [12, 3, { kdim: 5, vdim: 7, add_bias_kv: true }], [undefined, undefined, undefined]).result.weights;
  assert.deepEqual(mha.map((w) => [w.name, w.shape]), [
    ["q_proj_weight", [12, 12]],
    ["k_proj_weight", [12, 5]],
    ["v_proj_weight", [12, 7]],
    ["in_proj_bias", [36]],
    ["bias_k", [1, 1, 12]],
    ["bias_v", [1, 1, 12]],
    ["out_proj.weight", [12, 12]],
    ["out_proj.bias", [12]],
  ]);
  const layer = infer(TEL, [512, 8], undefined).result.weights.map((w) => w.name);
  assert.deepEqual(layer, [
    "self_attn.in_proj_weight", "self_attn.in_proj_bias", "self_attn.out_proj.weight", "self_attn.out_proj.bias",
    "linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias", "norm1.weight", "norm1.bias", "norm2.weight", "norm2.bias",
  ]);
  const stack = infer("torch.nn.TransformerEncoder", [{ encoder_layer: M(TEL, 64, 4, 256), num_layers: 3 }], undefined).result.weights;
  assert.deepEqual([stack[0].name, stack[0].shape], ["layers.0…2.self_attn.in_proj_weight", [3, 192, 64]]);
  const transformer = inferMulti("torch.nn.Transformer", [], [undefined, undefined]).result.weights.map((w) => w.name);
  assert.deepEqual(transformer.slice(-2), ["decoder.norm.weight", "decoder.norm.bias"]);
});

test("formulas: parameters by part", () => {
  assert.deepEqual(infer(TEL, [512, 8], undefined).result.formulas, [
    { label: "params", text: "1,050,624 (self_attn) + 1,050,624 (linear1) + 1,049,088 (linear2) + 2,048 (norm1, norm2) = 3,152,384" },
  ]);
  assert.deepEqual(infer("torch.nn.TransformerEncoder", [{ encoder_layer: M(TEL, 64, 4, 256), num_layers: 3 }], undefined).result.formulas, [{ label: "params", text: "3·49,984 = 149,952" }]);
});

test("cost: projections, the two attention products, feed-forward, norms", () => {
  const spec = findLayer(MHA)!;
  const binding = bindArguments(spec, argsIR([12, 3]));
  const inputs = [[5, 2, 12], [6, 2, 12], [6, 2, 12]];
  // Per sample: 5·12·12 + 6·12·12 + 6·12·12 + 5·6·12 + 5·6·12 + 5·12·12 = 720 + 864 + 864 + 360 + 360 + 720 = 3,888.
  const cost = spec.cost!({ args: binding.args, input: inputs[0], inputs, weights: [] });
  assert.equal(cost.macs, 3888n);
  const layer = findLayer(TEL)!;
  const layerBinding = bindArguments(layer, argsIR([16, 2, 32]));
  // Self-attention on 4 positions: 4·16·16 for each of q, k, v and out (4,096) + 4·4·16 for scores and context (512);
  // linears 2·4·16·32 = 4,096; norms 2·4·16 = 128.
  assert.equal(layer.cost!({ args: layerBinding.args, input: [4, 1, 16], weights: [] }).macs, 4096n + 512n + 4096n + 128n);
});

test("cost of a whole Transformer: encoder layers on src, decoder layers on tgt over the encoder's output", () => {
  const spec = findLayer("torch.nn.Transformer")!;
  const binding = bindArguments(spec, argsIR([{ d_model: 8, nhead: 2, num_encoder_layers: 1, num_decoder_layers: 1, dim_feedforward: 16 }]));
  const inputs = [[3, 1, 8], [2, 1, 8]];
  // Encoder layer on 3 positions: 4·3·8·8 (projections) + 2·3·3·8 (scores, context) + 2·3·8·16 (linears) + 2·3·8 (norms) = 768 + 144 + 768 + 48;
  // its norm 3·8 = 24. Decoder layer on 2 positions over 3: self 4·2·8·8 + 2·2·2·8 = 576; cross 2·2·8·8 (query, output) +
  // 2·3·8·8 (key, value) + 2·2·3·8 (scores, context) = 256 + 384 + 96; linears 2·2·8·16 = 512; norms 3·2·8 = 48; its norm 2·8 = 16.
  const expected = 768n + 144n + 768n + 48n + 24n + 576n + 256n + 384n + 96n + 512n + 48n + 16n;
  assert.equal(spec.cost!({ args: binding.args, input: inputs[0], inputs, weights: [] }).macs, expected);
});
