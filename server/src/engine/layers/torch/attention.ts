/**
 * PyTorch's nn.MultiheadAttention (torch/nn/modules/activation.py, its forward in torch/nn/functional.py's
 * multi_head_attention_forward and _mha_shape_check, current 2.x), and what the Transformer modules
 * (transformer.ts) build from it: its weights, its checks on query, key and value, its cost.
 *
 * MultiheadAttention(embed_dim, num_heads, dropout=0.0, bias=True, add_bias_kv=False, add_zero_attn=False,
 * kdim=None, vdim=None, batch_first=False, device=None, dtype=None). Parameters in named_parameters() order:
 * in_proj_weight (3E, E) when kdim and vdim are E (None means E), else q_proj_weight (E, E), k_proj_weight
 * (E, kdim), v_proj_weight (E, vdim); in_proj_bias (3E) with bias; bias_k, bias_v (1, 1, E) with add_bias_kv;
 * out_proj.weight (E, E), out_proj.bias (E) with bias. E must be a multiple of num_heads (an AssertionError).
 *
 * Call (query, key, value, key_padding_mask=None, need_weights=True, attn_mask=None, average_attn_weights=True,
 * is_causal=False): query (L, N, E) (batch_first (N, L, E); unbatched (L, E)), key (S, N, kdim), value (S, N, vdim).
 * Output (attn_output, attn_weights): attn_output the query's shape; attn_weights (N, L, S′) averaged over the
 * heads, or (N, num_heads, L, S′) with average_attn_weights=False (unbatched: without N), where S′ = S plus one
 * for bias_k/bias_v and one for add_zero_attn; with need_weights=False PyTorch returns None for it, given here as
 * an unknown extra output (the interpreter makes it None).
 *
 * Debian's PyTorch 1.13 has no `is_causal` argument; current PyTorch refuses is_causal=True without attn_mask.
 */
import { Cost, CostRule, factor, product, sum } from "../../cost";
import { Args } from "../../args";
import { withThousands } from "../../format";
import { Dim, Shape, UNKNOWN, isKnown } from "../../shape";
import { Formula, LayerResult, LayerSpec, ParamDecl, Problem, Weight } from "../../spec";
import { weight } from "../../math";
import { callRefused, constructorRefused, total } from "./refusals";

/** A MultiheadAttention's configuration; a part is undefined when unknown or refused. */
export interface AttentionConfig {
  readonly embed?: number;
  readonly heads?: number;
  readonly bias?: boolean;
  readonly addBiasKv?: boolean;
  readonly addZeroAttn?: boolean;
  readonly kdim?: number;
  readonly vdim?: number;
  readonly batchFirst?: boolean;
}

/** The heads must divide the embedding (MultiheadAttention.__init__'s assertion), `headsArgument` blamed. */
export function headsProblem(layer: string, embed: number | undefined, heads: number | undefined, headsArgument: string): Problem | undefined {
  if (embed === undefined || heads === undefined || embed % heads === 0) return undefined;
  return constructorRefused(layer, "embed_dim must be divisible by num_heads", headsArgument, "an AssertionError");
}

/** `kdim` / `vdim`: None is embed_dim. */
function sizeOr(args: Args, name: string, embed: number | undefined): number | undefined {
  return args.raw(name) === null ? embed : args.int(name);
}

function readConfig(args: Args, problems: Problem[]): AttentionConfig {
  const embed = args.int("embed_dim");
  const heads = args.int("num_heads");
  args.float("dropout");
  args.raw("device");
  args.raw("dtype");
  const problem = headsProblem("MultiheadAttention", embed, heads, "num_heads");
  if (problem) problems.push(problem);
  return {
    embed,
    heads,
    bias: args.bool("bias"),
    addBiasKv: args.bool("add_bias_kv"),
    addZeroAttn: args.bool("add_zero_attn"),
    kdim: sizeOr(args, "kdim", embed),
    vdim: sizeOr(args, "vdim", embed),
    batchFirst: args.bool("batch_first"),
  };
}

/** nn.Linear's weight (out, in) and bias (out), named after `prefix`. */
export function linearWeights(prefix: string, input: number | undefined, output: number | undefined, bias: boolean | undefined): Weight[] {
  const weights = [weight(`${prefix}weight`, [output, input])];
  if (bias === undefined) weights.push({ name: `${prefix}bias`, trainable: true });
  else if (bias) weights.push(weight(`${prefix}bias`, [output]));
  return weights;
}

/** nn.LayerNorm(E, bias=bias)'s weight and bias (E). */
export function layerNormWeights(prefix: string, size: number | undefined, bias: boolean | undefined): Weight[] {
  return linearWeights(prefix, undefined, size, bias).map((w) => (w.name.endsWith("weight") ? weight(w.name, [size]) : w));
}

/** The attention's parameters, in named_parameters() order, under `prefix` (`self_attn.`). */
export function attentionWeights(c: AttentionConfig, prefix = ""): Weight[] {
  const e = c.embed;
  const packed = c.kdim === undefined || c.vdim === undefined ? undefined : c.kdim === e && c.vdim === e;
  const weights: Weight[] = [];
  if (packed === undefined) weights.push({ name: `${prefix}in_proj_weight`, trainable: true });
  else if (packed) weights.push(weight(`${prefix}in_proj_weight`, [e === undefined ? undefined : 3 * e, e]));
  else weights.push(weight(`${prefix}q_proj_weight`, [e, e]), weight(`${prefix}k_proj_weight`, [e, c.kdim]), weight(`${prefix}v_proj_weight`, [e, c.vdim]));
  if (c.bias === undefined) weights.push({ name: `${prefix}in_proj_bias`, trainable: true });
  else if (c.bias) weights.push(weight(`${prefix}in_proj_bias`, [e === undefined ? undefined : 3 * e]));
  if (c.addBiasKv === undefined) weights.push({ name: `${prefix}bias_k`, trainable: true });
  else if (c.addBiasKv) weights.push(weight(`${prefix}bias_k`, [1, 1, e]), weight(`${prefix}bias_v`, [1, 1, e]));
  return [...weights, ...linearWeights(`${prefix}out_proj.`, e, e, c.bias)];
}

/** `… + … = n` over named groups of weights (`1,050,624 (self_attn) + …`), when every group is known. */
export function groupsFormula(groups: readonly [string, readonly Weight[]][]): Formula | undefined {
  const sums = groups.map(([, w]) => total(w));
  if (sums.some((s) => s === undefined)) return undefined;
  const all = (sums as bigint[]).reduce((a, s) => a + s, 0n);
  return { label: "params", text: `${groups.map(([name], i) => `${withThousands(sums[i]!)} (${name})`).join(" + ")} = ${withThousands(all)}` };
}

/** A tensor read as PyTorch's forward reads it: (sequence, batch, features), an unbatched one with a batch of 1. */
interface Layout {
  readonly sequence: Dim;
  readonly batch: Dim;
  readonly features: Dim;
}

function layout(shape: Shape, batchFirst: boolean): Layout {
  if (shape.length === 2) return { sequence: shape[0], batch: 1, features: shape[1] };
  return batchFirst ? { sequence: shape[1], batch: shape[0], features: shape[2] } : { sequence: shape[0], batch: shape[1], features: shape[2] };
}

const torchSize = (dims: readonly Dim[]) => `torch.Size([${dims.join(", ")}])`;
const differ = (a: Dim, b: Dim) => isKnown(a) && isKnown(b) && a !== b;

/** `(S·N)x{k} and {in}x{out}`: the product F.linear refuses, when its rows are known. */
function matmulMessage(t: Layout, weightIn: number, weightOut: number): string | undefined {
  const rows = isKnown(t.sequence) && isKnown(t.batch) ? t.sequence * t.batch : undefined;
  return rows === undefined ? undefined : `mat1 and mat2 shapes cannot be multiplied (${rows}x${t.features} and ${weightIn}x${weightOut})`;
}

/**
 * A key whose batch is not the query's, in PyTorch's words: with bias_k, torch.cat refuses to join the key and bias_k
 * repeated for the query's batch; without, the projected key refuses its view as (S, N·heads, head_dim), N the
 * query's. Undefined while a size it names is unknown.
 */
function batchMessage(c: AttentionConfig, q: Layout, k: Layout): string | undefined {
  if (c.addBiasKv) return `Sizes of tensors must match except in dimension 0. Expected size ${k.batch} but got size ${q.batch} for tensor number 1 in the list`;
  const { embed, heads } = c;
  if (c.addBiasKv === undefined || embed === undefined || heads === undefined || embed % heads !== 0) return undefined;
  if (!isKnown(k.sequence) || !isKnown(k.batch) || !isKnown(q.batch)) return undefined;
  return `shape '[${k.sequence}, ${q.batch * heads}, ${embed / heads}]' is invalid for input of size ${k.sequence * k.batch * embed}`;
}

/** What attention on these tensors gives: the output, the key's length, and the problems PyTorch raises. */
export interface Attended {
  readonly output?: Shape;
  /** The key's length S (before bias_k / zero attention). */
  readonly keyLength?: Dim;
}

/**
 * multi_head_attention_forward's checks on (query, key, value), in its order. `keyIsValue`: the same tensor is key
 * and value (a decoder's memory), which decides how the packed projection splits its weight.
 */
export function attend(layer: string, c: AttentionConfig, query: Shape | undefined, key: Shape | undefined, value: Shape | undefined, keyIsValue: boolean, problems: Problem[]): Attended {
  if (!query) return {};
  if (query.length !== 2 && query.length !== 3) {
    problems.push(callRefused(layer, `query should be unbatched 2D or batched 3D tensor but received ${query.length}-D query tensor`, "an AssertionError", 0));
    return {};
  }
  const batched = query.length === 3;
  if ((key && key.length !== query.length) || (value && value.length !== query.length)) {
    const [rank, name] = batched ? [3, "batched (3-D)"] : [2, "unbatched (2-D)"];
    const found = `${key ? key.length : "?"}-D and ${value ? value.length : "?"}-D`;
    problems.push(callRefused(layer, `For ${name} \`query\`, expected \`key\` and \`value\` to be ${rank}-D but found ${found} tensors respectively`, "an AssertionError", key && key.length !== query.length ? 1 : 2));
    return {};
  }
  if (batched && c.batchFirst === undefined) return {};
  const q = layout(query, !!c.batchFirst);
  const output = query;
  if (c.embed !== undefined && differ(q.features, c.embed)) {
    problems.push(callRefused(layer, `was expecting embedding dimension of ${c.embed}, but got ${q.features}`, "an AssertionError", 0));
    return {};
  }
  if (!key || !value) return { output, keyLength: key ? layout(key, !!c.batchFirst).sequence : undefined };
  const k = layout(key, !!c.batchFirst);
  const v = layout(value, !!c.batchFirst);
  const asTensor = (t: Layout) => [t.sequence, t.batch, t.features];
  const packed = c.embed !== undefined && c.kdim === c.embed && c.vdim === c.embed;
  const separate = c.embed !== undefined && c.kdim !== undefined && c.vdim !== undefined && !packed;
  if (packed && (differ(k.sequence, v.sequence) || differ(k.batch, v.batch) || differ(k.features, v.features))) {
    problems.push(callRefused(layer, `key shape ${torchSize(asTensor(k))} does not match value shape ${torchSize(asTensor(v))}`, "an AssertionError", 1));
    return { output, keyLength: k.sequence };
  }
  if (separate && (differ(k.sequence, v.sequence) || differ(k.batch, v.batch))) {
    problems.push(callRefused(layer, `key's sequence and batch dims ${torchSize([k.sequence, k.batch])} do not match value's ${torchSize([v.sequence, v.batch])}`, "an AssertionError", 1));
    return { output, keyLength: k.sequence };
  }
  if (separate && differ(k.features, c.kdim!)) {
    problems.push(callRefused(layer, matmulMessage(k, c.kdim!, c.embed!) ?? `the key's last size ${k.features} is not kdim (${c.kdim})`, "a RuntimeError", 1));
  } else if (separate && differ(v.features, c.vdim!)) {
    problems.push(callRefused(layer, matmulMessage(v, c.vdim!, c.embed!) ?? `the value's last size ${v.features} is not vdim (${c.vdim})`, "a RuntimeError", 2));
  } else if (packed && differ(k.features, c.embed!)) {
    // The packed projection splits in_proj_weight as (q, kv) when key is value, in three otherwise.
    const exact = keyIsValue ? matmulMessage(k, c.embed!, 2 * c.embed!) : undefined;
    problems.push(callRefused(layer, exact ?? `the key's last size ${k.features} is not embed_dim (${c.embed}), which kdim=None requires`, "a RuntimeError", 1));
  } else if (differ(k.batch, q.batch)) {
    problems.push(callRefused(layer, batchMessage(c, q, k) ?? `the key's batch size ${k.batch} is not the query's (${q.batch})`, "a RuntimeError", 1));
  }
  return { output, keyLength: k.sequence };
}

/** The attention weights' shape: (N, L, S′) or (N, heads, L, S′), without N when unbatched. */
function weightsShape(c: AttentionConfig, query: Shape, keyLength: Dim | undefined, average: boolean): Shape {
  const q = layout(query, !!c.batchFirst);
  const extra = (c.addBiasKv ? 1 : 0) + (c.addZeroAttn ? 1 : 0);
  const s: Dim = keyLength !== undefined && isKnown(keyLength) && c.addBiasKv !== undefined && c.addZeroAttn !== undefined ? keyLength + extra : UNKNOWN;
  const perHead: Dim[] = average ? [q.sequence, s] : [c.heads ?? UNKNOWN, q.sequence, s];
  return query.length === 3 ? [q.batch, ...perHead] : perHead;
}

const callOptions: ParamDecl[] = [
  { name: "key_padding_mask", default: null },
  { name: "need_weights", default: true },
  { name: "attn_mask", default: null },
  { name: "average_attn_weights", default: true },
  { name: "is_causal", default: false },
];

function inferMultiheadAttention(args: Args, inputs: readonly (Shape | undefined)[], call: Args): LayerResult {
  const layer = "MultiheadAttention";
  const problems: Problem[] = [];
  const c = readConfig(args, problems);
  const weights = attentionWeights(c);
  const params = groupsFormula([["in_proj", weights.filter((w) => !w.name.startsWith("out_proj."))], ["out_proj", weights.filter((w) => w.name.startsWith("out_proj."))]]);
  const needWeights = call.bool("need_weights");
  const average = call.bool("average_attn_weights");
  if (call.bool("is_causal") && call.raw("attn_mask") === null) {
    const message = "Need attn_mask if specifying the is_causal hint. You may use the Transformer module method `generate_square_subsequent_mask` to create this mask";
    problems.push({ ...callRefused(layer, message, "a RuntimeError"), argument: "is_causal" });
  }
  const missing = ["key", "value"].slice(Math.max(0, inputs.length - 1));
  if (missing.length) {
    const names = missing.map((m) => `'${m}'`).join(" and ");
    problems.push(callRefused(layer, `forward() missing ${missing.length} required positional argument${missing.length > 1 ? "s" : ""}: ${names}`, "a TypeError"));
  }
  const [query, key, value] = inputs;
  const attended = missing.length ? {} : attend(layer, c, query, key, value, false, problems);
  const scores = attended.output && query && needWeights && average !== undefined ? weightsShape(c, query, attended.keyLength, average) : undefined;
  return {
    output: attended.output,
    weights,
    formulas: params ? [params] : [],
    problems: [...args.problems, ...problems, ...call.problems],
    // With need_weights=False PyTorch returns None here: an unknown shape, which the interpreter makes None.
    extraOutputs: [scores],
  };
}

/** Per sample: L query positions and S′ key positions. */
function lengths(c: AttentionConfig, query: Shape | undefined, key: Shape | undefined): { l?: Dim; s?: Dim } {
  if (!query || (query.length !== 2 && query.length !== 3)) return {};
  const l = layout(query, !!c.batchFirst).sequence;
  if (!key || key.length !== query.length) return { l };
  const s = layout(key, !!c.batchFirst).sequence;
  const extra = (c.addBiasKv ? 1 : 0) + (c.addZeroAttn ? 1 : 0);
  return { l, s: isKnown(s) ? s + extra : s };
}

/**
 * One attention's MACs for one sample: the query, key and value projections (each position through its
 * matrix), the scores (L·S′ dot products of the E head features), the context (as many), the output projection.
 */
export function attentionCost(c: AttentionConfig, query: Shape | undefined, key: Shape | undefined, label = ""): { label: string; cost: Cost }[] {
  const { l, s } = lengths(c, query, key);
  const e = c.embed;
  const keyOnly = key && query && key.length === query.length ? layout(key, !!c.batchFirst).sequence : undefined;
  return [
    { label: `${label}query`, cost: product([factor([l]), factor([e, e])]) },
    { label: `${label}key`, cost: product([factor([keyOnly]), factor([c.kdim, e])]) },
    { label: `${label}value`, cost: product([factor([keyOnly]), factor([c.vdim, e])]) },
    { label: `${label}scores`, cost: product([factor([l, s]), factor([e])]) },
    { label: `${label}context`, cost: product([factor([l, s]), factor([e])]) },
    { label: `${label}output`, cost: product([factor([l]), factor([e, e])]) },
  ];
}

function attentionConfigOf(args: Args): AttentionConfig {
  return readConfig(args, []);
}

const multiheadAttentionCost: CostRule = ({ args, inputs }) => {
  const [query, key] = inputs ?? [];
  return sum(attentionCost(attentionConfigOf(args), query, key));
};

/** nn.MultiheadAttention (torch/nn/modules/activation.py; torch/nn/functional.py multi_head_attention_forward). */
export const multiheadAttentionSpec: LayerSpec = {
  name: "torch.nn.MultiheadAttention",
  summary: "Multi-head attention: projects query, key and value into num_heads heads of embed_dim/num_heads features, attends, and projects back to embed_dim.",
  params: [
    { name: "embed_dim" },
    { name: "num_heads" },
    { name: "dropout", default: 0.0 },
    { name: "bias", default: true },
    { name: "add_bias_kv", default: false },
    { name: "add_zero_attn", default: false },
    { name: "kdim", default: null },
    { name: "vdim", default: null },
    { name: "batch_first", default: false },
    { name: "device", default: null },
    { name: "dtype", default: null },
  ],
  closedKeywords: true,
  cost: multiheadAttentionCost,
  // Called on one tensor (inside nn.Sequential), the forward misses key and value: PyTorch raises a TypeError.
  infer(args: Args): LayerResult {
    const problems: Problem[] = [];
    const weights = attentionWeights(readConfig(args, problems));
    problems.push(callRefused("MultiheadAttention", "forward() missing 2 required positional arguments: 'key' and 'value'", "a TypeError"));
    return { output: undefined, weights, formulas: [], problems: [...args.problems, ...problems] };
  },
  multiInput: { form: "arguments", tensors: ["query", "key", "value"], min: 3, max: 3, callOptions, infer: inferMultiheadAttention },
};
