/**
 * PyTorch's Transformer modules (torch/nn/modules/transformer.py, current 2.x).
 *
 * TransformerEncoderLayer(d_model, nhead, dim_feedforward=2048, dropout=0.1, activation=relu, layer_norm_eps=1e-5,
 * batch_first=False, norm_first=False, bias=True, device=None, dtype=None): self_attn = MultiheadAttention(d_model,
 * nhead, bias=bias, batch_first=batch_first), linear1 (d_model → dim_feedforward), linear2 (back), norm1 and norm2
 * = LayerNorm(d_model, bias=bias). TransformerDecoderLayer has the same signature and adds multihead_attn (over the
 * memory) and norm3. An `activation` string other than "relu" / "gelu" raises a RuntimeError; a callable is taken.
 * Forward: src (S, N, E) (batch_first (N, S, E); unbatched (S, E)) → the same shape; the decoder layer's
 * (tgt, memory) → tgt's shape, the memory going through multihead_attn as key and value.
 *
 * TransformerEncoder(encoder_layer, num_layers, norm=None, enable_nested_tensor=True, mask_check=True) and
 * TransformerDecoder(decoder_layer, num_layers, norm=None) hold num_layers deep copies of the layer they are given
 * (`_get_clones`), named `layers.0.…`, then `norm.…`: here each of the layer's parameters once, as
 * `layers.0…5.<name>` with the number of copies in front of its shape. The copies keep the shape, so the output is
 * the layer's on the input; a decoder's memory goes to every copy's multihead_attn, so it must be what the layer's
 * attention takes as key and value (the query's rank, d_model features, the query's batch). Without copies forward
 * raises reading self.layers[0] (TransformerDecoder's since 2.0; 1.13's returns tgt).
 *
 * Transformer(d_model=512, nhead=8, num_encoder_layers=6, num_decoder_layers=6, dim_feedforward=2048, dropout=0.1,
 * activation=relu, custom_encoder=None, custom_decoder=None, layer_norm_eps=1e-5, batch_first=False,
 * norm_first=False, bias=True, device=None, dtype=None): an encoder of num_encoder_layers encoder layers and a final
 * LayerNorm (`encoder.…`), a decoder likewise (`decoder.…`), or the custom ones given. forward(src, tgt, …) refuses,
 * a 3-D src being a batch, tgt's size on the batch axis another ("the batch number of src and tgt must be equal"),
 * then a last size other than d_model ("the feature number of src and tgt must be equal to d_model"); the decoder
 * then attends to the memory, the encoder's output on src. The output has tgt's shape.
 *
 * Debian's PyTorch 1.13 has no `bias` argument (its layers always have biases) and does not warn about nested
 * tensors; the counts with bias=True are the same.
 */
import { Cost, CostRule, factor, product, sum, times } from "../../cost";
import { Args } from "../../args";
import { Dim, Shape, isKnown } from "../../shape";
import { Formula, LayerResult, LayerSpec, NestedLayer, ParamDecl, Problem, Weight } from "../../spec";
import { withThousands } from "../../format";
import {
  AttentionConfig,
  attend,
  attentionCost,
  attentionWeights,
  groupsFormula,
  headsProblem,
  layerNormWeights,
  linearWeights,
  multiheadAttentionSpec,
} from "./attention";
import { callRefused, constructorRefused, total } from "./refusals";

/** The options every encoder and decoder layer shares, after d_model and nhead (Transformer's own too). */
const layerOptions: ParamDecl[] = [
  { name: "dim_feedforward", default: 2048 },
  { name: "dropout", default: 0.1 },
  { name: "activation", default: "relu" },
  { name: "layer_norm_eps", default: 1e-5 },
  { name: "batch_first", default: false },
  { name: "norm_first", default: false },
  { name: "bias", default: true },
];

const factoryKeywords: ParamDecl[] = [
  { name: "device", default: null },
  { name: "dtype", default: null },
];

/** An encoder or decoder layer's configuration. */
interface LayerConfig {
  readonly attention: AttentionConfig;
  readonly feedforward?: number;
}

/** `_get_activation_fn`: a string must be "relu" or "gelu"; anything else is taken as a callable. */
function activationProblem(layer: string, args: Args): Problem | undefined {
  const v = args.raw("activation");
  if (typeof v !== "string" || v === "relu" || v === "gelu") return undefined;
  return constructorRefused(layer, `activation should be relu/gelu, not ${v}`, "activation", "a RuntimeError");
}

function readLayerConfig(layer: string, args: Args, problems: Problem[], names = { model: "d_model", heads: "nhead" }): LayerConfig {
  const embed = args.int(names.model);
  const heads = args.int(names.heads);
  const feedforward = args.int("dim_feedforward");
  args.float("dropout");
  args.float("layer_norm_eps");
  args.bool("norm_first");
  args.raw("device");
  args.raw("dtype");
  const bias = args.bool("bias");
  const heads_ = headsProblem(layer, embed, heads, names.heads);
  if (heads_) problems.push(heads_);
  const activation = activationProblem(layer, args);
  if (activation) problems.push(activation);
  return { attention: { embed, heads, bias, addBiasKv: false, addZeroAttn: false, kdim: embed, vdim: embed, batchFirst: args.bool("batch_first") }, feedforward };
}

/** The layer's parameters in named_parameters() order, grouped for the formula. */
function layerGroups(c: LayerConfig, decoder: boolean, prefix = ""): [string, Weight[]][] {
  const { embed, bias } = c.attention;
  const norms = decoder ? ["norm1", "norm2", "norm3"] : ["norm1", "norm2"];
  return [
    ["self_attn", attentionWeights(c.attention, `${prefix}self_attn.`)],
    ...(decoder ? [["multihead_attn", attentionWeights(c.attention, `${prefix}multihead_attn.`)] as [string, Weight[]]] : []),
    ["linear1", linearWeights(`${prefix}linear1.`, embed, c.feedforward, bias)],
    ["linear2", linearWeights(`${prefix}linear2.`, c.feedforward, embed, bias)],
    [norms.join(", "), norms.flatMap((n) => layerNormWeights(`${prefix}${n}.`, embed, bias))],
  ];
}

/** One layer's MACs per sample: its attentions, the two feed-forward products at every position, a norm per element. */
function layerCost(c: LayerConfig, target: Shape | undefined, memory: Shape | undefined, decoder: boolean): Cost {
  const positions = target && (target.length === 2 || target.length === 3) ? (target.length === 2 || c.attention.batchFirst ? target[target.length - 2] : target[0]) : undefined;
  const { embed, batchFirst } = c.attention;
  if (target && target.length === 3 && batchFirst === undefined) return { note: "depends on batch_first, which is not known" };
  const norms = decoder ? 3 : 2;
  return sum([
    ...attentionCost(c.attention, target, target, "self_attn "),
    ...(decoder ? attentionCost(c.attention, target, memory, "multihead_attn ") : []),
    { label: "linear1", cost: product([factor([positions]), factor([embed, c.feedforward])]) },
    { label: "linear2", cost: product([factor([positions]), factor([c.feedforward, embed])]) },
    { label: "norms", cost: product([factor([norms]), factor([positions, embed])]) },
  ]);
}

/**
 * A decoder's result on tgt alone, as a module holding it runs it (TransformerDecoder its layer, Transformer its
 * custom_decoder): once the self-attention on tgt has passed, the attention every layer runs over the memory, for
 * the holder to check the memory it gives against.
 */
interface DecoderResult extends LayerResult {
  readonly memoryAttention: AttentionConfig;
}

function memoryAttentionOf(result: LayerResult): AttentionConfig | undefined {
  return "memoryAttention" in result ? (result as DecoderResult).memoryAttention : undefined;
}

/**
 * multihead_attn's checks on the memory, key and value of a query of tgt's shape (the self-attention keeps it), in
 * PyTorch's words; raised in the decoder layer, its problems blame the call's tensor `memoryInput`.
 */
function memoryProblems(c: AttentionConfig, target: Shape | undefined, memory: Shape | undefined, memoryInput: number): Problem[] {
  const problems: Problem[] = [];
  attend("TransformerDecoderLayer", c, target, memory, memory, true, problems);
  return problems.map((p) => (p.input === undefined ? p : { ...p, input: memoryInput }));
}

/** A decoder's result on tgt and memory: its result on tgt, and the memory checked when the decoder gets to it. */
function withMemory(result: LayerResult, target: Shape | undefined, memory: Shape | undefined): LayerResult {
  const c = memoryAttentionOf(result);
  return c ? { ...result, problems: [...result.problems, ...memoryProblems(c, target, memory, 1)] } : result;
}

/** An encoder layer on src, or a decoder layer on tgt (its memory checked by `withMemory`). */
function inferLayer(name: string, decoder: boolean, args: Args, target: Shape | undefined): LayerResult | DecoderResult {
  const problems: Problem[] = [];
  const c = readLayerConfig(name, args, problems);
  const groups = layerGroups(c, decoder);
  const params = groupsFormula(groups);
  const attended = attend(name, c.attention, target, target, target, true, problems);
  const result = { output: attended.output, weights: groups.flatMap(([, w]) => w), formulas: params ? [params] : [], problems: [...args.problems, ...problems] };
  return decoder && attended.output ? { ...result, memoryAttention: c.attention } : result;
}

const layerCostRule = (name: string, decoder: boolean): CostRule => ({ args, input, inputs }) => {
  const c = readLayerConfig(name, args, []);
  return layerCost(c, input, decoder ? inputs?.[1] : undefined, decoder);
};

const encoderLayerSpec: LayerSpec = {
  name: "torch.nn.TransformerEncoderLayer",
  summary: "One Transformer encoder block: self-attention then a two-layer feed-forward network, each with a residual connection and LayerNorm.",
  params: [{ name: "d_model" }, { name: "nhead" }, ...layerOptions, ...factoryKeywords],
  closedKeywords: true,
  cost: layerCostRule("TransformerEncoderLayer", false),
  infer: (args, input) => inferLayer("TransformerEncoderLayer", false, args, input),
};

const decoderCallOptions: ParamDecl[] = [
  { name: "tgt_mask", default: null },
  { name: "memory_mask", default: null },
  { name: "tgt_key_padding_mask", default: null },
  { name: "memory_key_padding_mask", default: null },
  { name: "tgt_is_causal", default: false },
  { name: "memory_is_causal", default: false },
];

const decoderLayerSpec: LayerSpec = {
  name: "torch.nn.TransformerDecoderLayer",
  summary: "One Transformer decoder block: self-attention, attention over the encoder's memory, then a feed-forward network, each with a residual connection and LayerNorm.",
  params: [{ name: "d_model" }, { name: "nhead" }, ...layerOptions, ...factoryKeywords],
  closedKeywords: true,
  cost: layerCostRule("TransformerDecoderLayer", true),
  // On one tensor (nested in TransformerDecoder, or called without memory) it is run on tgt.
  infer: (args, input) => inferLayer("TransformerDecoderLayer", true, args, input),
  multiInput: {
    form: "arguments",
    tensors: ["tgt", "memory"],
    min: 2,
    max: 2,
    callOptions: decoderCallOptions,
    infer: (args, inputs) => {
      const result = inferLayer("TransformerDecoderLayer", true, args, inputs[0]);
      if (inputs.length > 1) return withMemory(result, inputs[0], inputs[1]);
      const missing = callRefused("TransformerDecoderLayer", "forward() missing 1 required positional argument: 'memory'", "a TypeError");
      return { ...result, problems: [...result.problems, missing] };
    },
  },
};

/** The nested module's problems, placed on the argument that holds it. */
function repoint(problems: readonly Problem[], argument: string): Problem[] {
  return problems.map((p) => ({ ...p, argument, input: undefined }));
}

/** `count` copies of a module's parameters: each name once, `layers.0…5.<name>`, the copies counted in front of the shape. */
function copies(weights: readonly Weight[], count: number | undefined, prefix: string): Weight[] {
  if (count === undefined) return [{ name: `${prefix}layers`, trainable: true }];
  if (count === 0) return [];
  const range = count === 1 ? "0" : `0…${count - 1}`;
  return weights.map((w) => {
    const name = `${prefix}layers.${range}.${w.name}`;
    if (count === 1 || !w.shape || w.count === undefined) return { ...w, name };
    return { ...w, name, shape: [count, ...w.shape], count: BigInt(count) * w.count };
  });
}

/** A module argument that is given (not None) and followed; undefined otherwise (None, or not followed: `unresolved` says). */
function optionalModule(args: Args, name: string): NestedLayer | undefined {
  return args.raw(name) === null ? undefined : args.nestedLayer(name);
}

/** TransformerEncoder / TransformerDecoder (`stack`): the layer's copies then the optional norm, on the input. */
function inferStack(stack: string, layerArgument: string, args: Args, input: Shape | undefined): LayerResult | DecoderResult {
  const layer = args.nestedLayer(layerArgument);
  const count = args.int("num_layers", 0);
  const normGiven = args.raw("norm") !== null;
  const norm = optionalModule(args, "norm");
  const problems: Problem[] = [];
  // forward reads self.layers[0] (TransformerDecoder's too since PyTorch 2.0), which an empty ModuleList refuses.
  if (count === 0) problems.push(callRefused(stack, "index 0 is out of range", "an IndexError"));
  const inner = layer?.infer(input);
  if (inner) problems.push(...repoint(inner.problems, layerArgument));
  const output = count === 0 ? undefined : inner?.output;
  const normResult = norm?.infer(output);
  if (normResult) problems.push(...repoint(normResult.problems, "norm"));
  const layerWeights = inner ? copies(inner.weights, count, "") : [{ name: "layers", trainable: true }];
  const normWeights = !normGiven ? [] : normResult ? normResult.weights.map((w) => ({ ...w, name: `norm.${w.name}` })) : [{ name: "norm", trainable: true }];
  const formulas: Formula[] = [];
  const layerTotal = inner ? total(inner.weights) : undefined;
  const normTotal = total(normWeights);
  if (layerTotal !== undefined && count !== undefined && normTotal !== undefined) {
    const all = BigInt(count) * layerTotal + normTotal;
    const norms = normGiven ? ` + ${withThousands(normTotal)} (norm)` : "";
    formulas.push({ label: "params", text: `${count}·${withThousands(layerTotal)}${norms} = ${withThousands(all)}` });
  }
  const result = { output: layer ? output : undefined, weights: [...layerWeights, ...normWeights], formulas, problems: [...args.problems, ...problems] };
  // The copies are alike: what the first requires of the memory, every one does. (An unknown count that is 0 raises
  // anyway, so a memory refused is an error whatever it is.)
  const memoryAttention = count !== 0 && inner ? memoryAttentionOf(inner) : undefined;
  return memoryAttention ? { ...result, memoryAttention } : result;
}

/** The stack's cost: the layer's, once per copy, then its norm's. */
const stackCost = (layerArgument: string): CostRule => ({ args, input }) => {
  const layer = args.nestedLayer(layerArgument);
  const count = args.int("num_layers", 0);
  if (!layer || count === undefined) return { note: "the stacked layer is not followed" };
  const output = layer.infer(input).output;
  const norm = optionalModule(args, "norm");
  const layers = times(factor([count]), layer.cost(input), "layers");
  return norm ? sum([{ label: "layers", cost: layers }, { label: "norm", cost: norm.cost(output) }]) : layers;
};

const encoderSpec: LayerSpec = {
  name: "torch.nn.TransformerEncoder",
  summary: "A stack of num_layers copies of an encoder layer, optionally followed by a normalization.",
  params: [{ name: "encoder_layer" }, { name: "num_layers" }, { name: "norm", default: null }, { name: "enable_nested_tensor", default: true }, { name: "mask_check", default: true }],
  closedKeywords: true,
  cost: stackCost("encoder_layer"),
  infer: (args, input) => {
    args.bool("enable_nested_tensor");
    args.bool("mask_check");
    return inferStack("TransformerEncoder", "encoder_layer", args, input);
  },
};

const decoderSpec: LayerSpec = {
  name: "torch.nn.TransformerDecoder",
  summary: "A stack of num_layers copies of a decoder layer over the target and the encoder's memory, optionally followed by a normalization.",
  params: [{ name: "decoder_layer" }, { name: "num_layers" }, { name: "norm", default: null }],
  closedKeywords: true,
  cost: stackCost("decoder_layer"),
  infer: (args, input) => inferStack("TransformerDecoder", "decoder_layer", args, input),
  multiInput: {
    form: "arguments",
    tensors: ["tgt", "memory"],
    min: 2,
    max: 2,
    callOptions: decoderCallOptions,
    infer: (args, inputs) => withMemory(inferStack("TransformerDecoder", "decoder_layer", args, inputs[0]), inputs[0], inputs[1]),
  },
};

/** Tensor.size(dim) beyond the tensor's rank: the IndexError's message. */
function sizeOutOfRange(rank: number, dim: number): string {
  return rank === 0 ? `Dimension specified as ${dim} but tensor has no dimensions` : `Dimension out of range (expected to be in range of [${-rank}, ${rank - 1}], but got ${dim})`;
}

/** Transformer.forward's own checks on src and tgt, in its order: the first it raises. */
function transformerProblem(c: AttentionConfig, src: Shape, tgt: Shape): Problem | undefined {
  // A 3-D src is a batch, whatever tgt's rank: tgt's size on the batch axis is read all the same.
  if (src.length === 3 && c.batchFirst !== undefined) {
    const axis = c.batchFirst ? 0 : 1;
    if (tgt.length <= axis) return callRefused("Transformer", sizeOutOfRange(tgt.length, axis), "an IndexError", 1);
    if (isKnown(src[axis]) && isKnown(tgt[axis]) && src[axis] !== tgt[axis]) return callRefused("Transformer", "the batch number of src and tgt must be equal", "a RuntimeError", 1);
  }
  const lastOf = (s: Shape): Dim => s[s.length - 1];
  const wrong = [src, tgt].findIndex((s) => c.embed !== undefined && isKnown(lastOf(s)) && lastOf(s) !== c.embed);
  if (wrong >= 0) return callRefused("Transformer", "the feature number of src and tgt must be equal to d_model", "a RuntimeError", wrong);
  // Past those checks, the first self-attention refuses a rank other than 2 or 3.
  const badRank = [src, tgt].findIndex((s) => s.length !== 2 && s.length !== 3);
  if (badRank < 0) return undefined;
  const rank = [src, tgt][badRank].length;
  return callRefused("Transformer", `query should be unbatched 2D or batched 3D tensor but received ${rank}-D query tensor`, "an AssertionError", badRank);
}

const transformerParams: ParamDecl[] = [
  { name: "d_model", default: 512 },
  { name: "nhead", default: 8 },
  { name: "num_encoder_layers", default: 6 },
  { name: "num_decoder_layers", default: 6 },
  { name: "dim_feedforward", default: 2048 },
  { name: "dropout", default: 0.1 },
  { name: "activation", default: "relu" },
  { name: "custom_encoder", default: null },
  { name: "custom_decoder", default: null },
  { name: "layer_norm_eps", default: 1e-5 },
  { name: "batch_first", default: false },
  { name: "norm_first", default: false },
  { name: "bias", default: true },
  ...factoryKeywords,
];

/** One side of the Transformer: the custom module given, or `count` default layers and a LayerNorm. */
interface Side {
  readonly weights: Weight[];
  readonly output?: Shape;
  readonly problems: Problem[];
  readonly cost: Cost;
  /** The decoder's: the attention over the memory its layers run, once its self-attention on tgt has passed. */
  readonly memoryAttention?: AttentionConfig;
}

function side(args: Args, c: LayerConfig, which: "encoder" | "decoder", input: Shape | undefined, memory: Shape | undefined): Side {
  const custom = `custom_${which}`;
  if (args.raw(custom) !== null) {
    const module = args.nestedLayer(custom);
    const result = module?.infer(input);
    return {
      weights: result ? result.weights.map((w) => ({ ...w, name: `${which}.${w.name}` })) : [{ name: which, trainable: true }],
      output: result?.output,
      problems: result ? repoint(result.problems, custom) : [],
      cost: module ? module.cost(input) : { note: `the custom ${which} is not followed` },
      memoryAttention: result && memoryAttentionOf(result),
    };
  }
  const countArgument = `num_${which}_layers`;
  const count = args.int(countArgument, 0);
  const decoder = which === "decoder";
  const layer = layerGroups(c, decoder).flatMap(([, w]) => w);
  const norm = layerNormWeights(`${which}.norm.`, c.attention.embed, c.attention.bias);
  const normCost = product([factor([input && input.length >= 2 ? (input.length === 2 || c.attention.batchFirst ? input[input.length - 2] : input[0]) : undefined]), factor([c.attention.embed])]);
  // As TransformerEncoder's and TransformerDecoder's forward do, an empty stack raises reading its first layer.
  const stackName = decoder ? "TransformerDecoder" : "TransformerEncoder";
  const empty = count === 0 ? [{ ...callRefused(stackName, "index 0 is out of range", "an IndexError"), argument: countArgument }] : [];
  return {
    weights: [...copies(layer, count, `${which}.`), ...norm],
    output: count === 0 ? undefined : input,
    problems: empty,
    cost: sum([{ label: "layers", cost: times(count === undefined ? undefined : factor([count]), layerCost(c, input, memory, decoder), "layers") }, { label: "norm", cost: normCost }]),
    // Its layers are TransformerDecoderLayers of the Transformer's own configuration.
    memoryAttention: decoder && count !== 0 ? c.attention : undefined,
  };
}

function runTransformer(args: Args, src: Shape | undefined, tgt: Shape | undefined): { result: LayerResult; cost: Cost } {
  const problems: Problem[] = [];
  const c = readLayerConfig("Transformer", args, problems);
  const encoder = side(args, c, "encoder", src, undefined);
  const decoder = side(args, c, "decoder", tgt, encoder.output);
  problems.push(...encoder.problems, ...decoder.problems);
  const forward = src && tgt ? transformerProblem(c.attention, src, tgt) : undefined;
  if (forward) problems.push(forward);
  // Past forward's own checks the decoder attends to the memory, the encoder's output on src (blamed for it).
  else if (decoder.memoryAttention) problems.push(...memoryProblems(decoder.memoryAttention, tgt, encoder.output, 0));
  const groups: [string, Weight[]][] = [["encoder", encoder.weights], ["decoder", decoder.weights]];
  const params = groupsFormula(groups);
  return {
    result: { output: decoder.output, weights: [...encoder.weights, ...decoder.weights], formulas: params ? [params] : [], problems: [...args.problems, ...problems] },
    cost: sum([{ label: "encoder", cost: encoder.cost }, { label: "decoder", cost: decoder.cost }]),
  };
}

/** Called without tgt, the forward raises a TypeError. */
function withoutTarget(result: LayerResult): LayerResult {
  return { ...result, output: undefined, problems: [...result.problems, callRefused("Transformer", "forward() missing 1 required positional argument: 'tgt'", "a TypeError")] };
}

const transformerCallOptions: ParamDecl[] = [
  { name: "src_mask", default: null },
  { name: "tgt_mask", default: null },
  { name: "memory_mask", default: null },
  { name: "src_key_padding_mask", default: null },
  { name: "tgt_key_padding_mask", default: null },
  { name: "memory_key_padding_mask", default: null },
  { name: "src_is_causal", default: null },
  { name: "tgt_is_causal", default: null },
  { name: "memory_is_causal", default: false },
];

const transformerSpec: LayerSpec = {
  name: "torch.nn.Transformer",
  summary: "The encoder-decoder Transformer (Vaswani et al.): an encoder stack over src, a decoder stack over tgt attending to the encoder's output.",
  params: transformerParams,
  closedKeywords: true,
  cost: ({ args, inputs }) => runTransformer(args, inputs?.[0], inputs?.[1]).cost,
  infer: (args, input) => withoutTarget(runTransformer(args, input, undefined).result),
  multiInput: {
    form: "arguments",
    tensors: ["src", "tgt"],
    min: 2,
    max: 2,
    callOptions: transformerCallOptions,
    infer: (args, inputs) => {
      const { result } = runTransformer(args, inputs[0], inputs[1]);
      return inputs.length > 1 ? result : withoutTarget(result);
    },
  },
};

/** MultiheadAttention (attention.ts) and the modules built of it. */
export const torchTransformerModules: readonly LayerSpec[] = [multiheadAttentionSpec, encoderLayerSpec, decoderLayerSpec, encoderSpec, decoderSpec, transformerSpec];

