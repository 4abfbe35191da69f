/**
 * Attention layers (keras/src/layers/attention/*.py).
 *
 * MultiHeadAttention(num_heads, key_dim, value_dim=None, …), called
 * `mha(query, value, key=None, …)` (`MultiInput` form "arguments"). `build` makes four
 * EinsumDense projections (`_build_proj_equation`): query and key kernels
 * (last dim, num_heads, key_dim), the value kernel (last dim, num_heads, value_dim)
 * with value_dim = value_dim or key_dim, each with a (num_heads, size) bias; and the
 * output kernel (num_heads, value_dim, *E) with an E bias, where E is `output_shape`
 * (an int or a tuple) or else the query's last dimension. `value` and `key` must agree on
 * every axis but the last (`build`). Output (`compute_output_shape`): query[:-1] + E.
 * Attention scores (return_attention_scores=True): the shape the einsum of
 * `_build_attention_equation` produces, (batch, <other axes>, num_heads, <query attention
 * axes>, <key attention axes>), i.e. (B, N, T, S) for (B, T, dim) inputs. (Keras's
 * symbolic `compute_output_spec` says (B, N, T, T), which is wrong when S ≠ T; we give
 * the shape the tensor has when the model runs.)
 *
 * GroupQueryAttention(head_dim, num_query_heads, num_key_value_heads, …): the same call,
 * fewer key/value heads shared by groups of query heads (see `inferGroupQueryAttention`).
 *
 * Attention(use_scale=False, score_mode='dot', dropout=0.0, seed=None) and
 * AdditiveAttention(use_scale=True, dropout=0.0), called on [query, value] or
 * [query, value, key] (form "list"). Output (`compute_output_shape`):
 * query[:-1] + (value's last dim,); scores (batch, Tq, Tv). Weights: Attention a scalar
 * `scale` with use_scale and a scalar `concat_score_weight` with score_mode='concat';
 * AdditiveAttention a `scale` vector of the query's last dimension with use_scale.
 * The query·key product needs equal feature sizes ('dot': matmul; 'concat' and
 * additive: broadcast sum), and the scores·value product equal Tv on key and value;
 * Keras raises when the model runs otherwise.
 */
import { CostRule, factor, product, sum } from "../cost";
import { Args } from "../args";
import { Dim, Shape, UNKNOWN, formatShape, isKnown } from "../shape";
import { Formula, LayerResult, LayerSpec, ParamDecl, Problem, Weight } from "../spec";
import { minRankProblem, weight, weightFormula, weightOptions } from "../math";
import { withThousands } from "../format";
import { isInt, isSequence, items, pyRepr } from "../values";
import { countProblem, singleTensorCall } from "./merging";

const known = (d: Dim | undefined): number | undefined => (d !== undefined && isKnown(d) ? d : undefined);
const last = (s: Shape | undefined): Dim | undefined => s?.[s.length - 1];

function shapeMismatch(layer: string, requirement: string, first: Shape, second: Shape, input: number): Problem {
  return { id: "incompatibleShapes", input, values: { layer, requirement, first: formatShape(first), second: formatShape(second) } };
}

/** What an attention layer's call results in, with the problems found so far and the call's own. */
function resultWith(problems: readonly Problem[], call: Args) {
  return (output: Shape | undefined, weights: Weight[], formulas: Formula[] = [], extra?: (Shape | undefined)[]): LayerResult => ({
    output,
    weights,
    formulas,
    problems: [...problems, ...call.problems],
    ...(extra ? { extraOutputs: extra } : {}),
  });
}

/**
 * The query, value and key of a `layer(query, value, key=None)` call (the key defaults to the
 * value), each checked by `rankProblem` and for a known last size; undefined, with the problem
 * pushed, when the call does not pass two or three tensors.
 */
function attentionInputs(
  layer: string,
  inputs: readonly (Shape | undefined)[],
  problems: Problem[],
  rankProblem: (shape: Shape) => Problem | undefined,
): { query?: Shape; value?: Shape; key?: Shape; keyGiven: boolean } | undefined {
  const count = countProblem(layer, inputs.length, 2, 3, "a query and a value tensor, and optionally a key");
  if (count) {
    problems.push(count);
    return undefined;
  }
  const [query, value] = inputs;
  const keyGiven = inputs.length > 2;
  const key = keyGiven ? inputs[2] : value;
  for (const [shape, index] of [[query, 0], [value, 1], [keyGiven ? key : undefined, 2]] as const) {
    if (!shape) continue;
    const rank = rankProblem(shape);
    if (rank) problems.push({ ...rank, input: index });
    else {
      const open = undefinedLast(layer, shape, index);
      if (open) problems.push(open);
    }
  }
  return { query, value, key, keyGiven };
}

function undefinedLast(layer: string, shape: Shape, input: number): Problem | undefined {
  return last(shape) === "None" ? { id: "undefinedLastDimension", input, values: { layer, shape: formatShape(shape) } } : undefined;
}

function total(weights: readonly Weight[]): bigint | undefined {
  return weights.every((w) => w.count !== undefined) ? weights.reduce((a, w) => a + (w.count ?? 0n), 0n) : undefined;
}

/** `output_shape`: None (or any falsy value, as `if output_shape:` reads it), an int, or a tuple of ints. */
function outputShapeArg(args: Args): number[] | null | undefined {
  const v = args.raw("output_shape");
  if (v === undefined) return undefined;
  if (v === null || v === 0 || v === false || v === "" || (isSequence(v) && items(v).length === 0)) return null;
  if (isInt(v) && v > 0) return [v];
  if (isSequence(v) && items(v).every((x) => isInt(x) && x > 0)) return items(v) as number[];
  args.problems.push({
    id: "invalidArgument",
    argument: "output_shape",
    values: { argument: "output_shape", expected: "a positive integer or a tuple of them", value: pyRepr(v) },
  });
  return undefined;
}

/** `attention_axes`: None, an int or a list/tuple of ints. */
function attentionAxesArg(args: Args): number[] | null | undefined {
  const v = args.raw("attention_axes");
  if (v === undefined) return undefined;
  if (v === null) return null;
  if (isInt(v)) return [v];
  if (isSequence(v) && items(v).every(isInt)) return items(v) as number[];
  args.problems.push({
    id: "invalidArgument",
    argument: "attention_axes",
    values: { argument: "attention_axes", expected: "an int, list, or tuple of axes", value: pyRepr(v) },
  });
  return undefined;
}

/** An EinsumDense projection's weights, named `<name>/kernel` and `<name>/bias`. */
function projection(name: string, kernel: (number | undefined)[], bias: (number | undefined)[], useBias: boolean | undefined): Weight[] {
  const weights = [weight(`${name}/kernel`, kernel)];
  if (useBias === undefined) weights.push({ name: `${name}/bias`, trainable: true });
  else if (useBias) weights.push(weight(`${name}/bias`, bias));
  return weights;
}

function projectionFormula(name: string, weights: readonly Weight[]): Formula | undefined {
  const sum = total(weights);
  if (sum === undefined) return undefined;
  const terms = weights.map((w) => (w.shape && w.shape.length ? w.shape.join("·") : "1"));
  return { label: name, text: `${terms.join(" + ")} = ${withThousands(sum)}` };
}

/**
 * The attention scores' shape as `_build_attention_equation` computes it for a query of
 * rank `rank` (before projection) and normalized attention axes.
 */
function scoresShape(query: Shape, key: Shape, heads: number | undefined, axes: readonly number[]): Dim[] {
  const projectedRank = query.length + 1;
  const headsAxis = projectedRank - 2;
  const batchDims: Dim[] = [];
  for (let i = 0; i < projectedRank - 1; i++) {
    if (axes.includes(i)) continue;
    batchDims.push(i === headsAxis ? heads ?? UNKNOWN : query[i]);
  }
  return [...batchDims, ...axes.map((i) => query[i]), ...axes.map((i) => key[i] ?? UNKNOWN)];
}

const mhaParams: ParamDecl[] = [
  { name: "num_heads" },
  { name: "key_dim" },
  { name: "value_dim", default: null },
  { name: "dropout", default: 0.0 },
  { name: "use_bias", default: true },
  { name: "output_shape", default: null },
  { name: "attention_axes", default: null },
  { name: "flash_attention", default: null },
  ...weightOptions(["kernel"]),
  { name: "seed", default: null },
];

/** The four projections' weights with their formulas and the `params` sum. */
function projections(groups: [string, Weight[]][]): { weights: Weight[]; formulas: Formula[] } {
  const weights = groups.flatMap(([, w]) => w);
  const formulas = groups.flatMap(([name, w]) => projectionFormula(name, w) ?? []);
  const sum = total(weights);
  if (sum !== undefined) {
    formulas.push({ label: "params", text: `${groups.map(([, w]) => withThousands(total(w) ?? 0n)).join(" + ")} = ${withThousands(sum)}` });
  }
  return { weights, formulas };
}

const mhaCallOptions: ParamDecl[] = [
  { name: "query_mask", default: null },
  { name: "value_mask", default: null },
  { name: "key_mask", default: null },
  { name: "attention_mask", default: null },
  { name: "return_attention_scores", default: false },
  { name: "training", default: null },
  { name: "use_causal_mask", default: false },
];

function inferMultiHeadAttention(args: Args, inputs: readonly (Shape | undefined)[], call: Args): LayerResult {
  const layer = "MultiHeadAttention";
  const heads = args.int("num_heads");
  const keyDim = args.int("key_dim");
  // `value_dim if value_dim else key_dim`
  const valueDim = args.raw("value_dim") === null || args.raw("value_dim") === 0 ? keyDim : args.int("value_dim");
  const dropout = args.float("dropout", 0, 1);
  const useBias = args.bool("use_bias");
  const outputShape = outputShapeArg(args);
  const axesArg = attentionAxesArg(args);
  const flash = args.raw("flash_attention");
  const returnScores = call.bool("return_attention_scores");
  call.bool("use_causal_mask");
  const problems: Problem[] = [...args.problems];
  const finish = resultWith(problems, call);

  if (flash === true && dropout !== undefined && dropout > 0) {
    problems.push({ id: "invalidArgument", argument: "dropout", values: { argument: "dropout", expected: "0.0 when flash_attention=True", value: dropout } });
  }
  if (flash === true && returnScores) {
    problems.push({
      id: "invalidArgument",
      argument: "flash_attention",
      values: { argument: "flash_attention", expected: "False or None when the call asks for return_attention_scores=True", value: "True" },
    });
  }

  const tensors = attentionInputs(layer, inputs, problems, (shape) => minRankProblem(layer, shape, 2, "(batch, …, features)"));
  if (!tensors) return finish(undefined, [{ name: "query/kernel", trainable: true }]);
  const { query, value, key, keyGiven } = tensors;
  if (keyGiven && value && key) {
    const [v, k] = [value.slice(1, -1), key.slice(1, -1)];
    // Python tuple comparison: None equals None only; our ? may be anything.
    if (v.length !== k.length || v.some((d, i) => d !== UNKNOWN && k[i] !== UNKNOWN && d !== k[i])) {
      problems.push(shapeMismatch(layer, "value and key shapes equal on every axis except the last", value, key, 2));
    }
  }
  if (query && value && query.length !== value.length) {
    problems.push(shapeMismatch(layer, "query and value of the same rank", query, value, 1));
  }

  const qLast = known(last(query));
  const vLast = known(last(value));
  const kLast = known(last(key));
  const out: (number | undefined)[] = outputShape === undefined ? [undefined] : outputShape ?? [qLast];
  const groups: [string, Weight[]][] = [
    ["query", projection("query", [qLast, heads, keyDim], [heads, keyDim], useBias)],
    ["key", projection("key", [kLast, heads, keyDim], [heads, keyDim], useBias)],
    ["value", projection("value", [vLast, heads, valueDim], [heads, valueDim], useBias)],
    [
      "attention_output",
      outputShape === undefined
        ? [{ name: "attention_output/kernel", trainable: true }]
        : projection("attention_output", [heads, valueDim, ...out], out, useBias),
    ],
  ];
  const { weights, formulas } = projections(groups);
  if (problems.some((p) => p.id === "incompatibleShapes" || p.id === "wrongRank")) return finish(undefined, weights, formulas);

  if (!query) return finish(undefined, weights, formulas);
  const output: Dim[] | undefined =
    outputShape === undefined ? undefined : [...query.slice(0, -1), ...(outputShape ?? [last(query) as Dim])];
  if (!returnScores) return finish(output, weights, formulas);

  // _build_attention: default axes are all but batch and features; negative ones count from the input's end.
  let axes: number[] | undefined;
  if (axesArg === null) axes = Array.from({ length: query.length - 2 }, (_, i) => i + 1);
  else if (axesArg) {
    axes = axesArg.map((a) => (a >= 0 ? a : query.length + a));
    const bad = axes.findIndex((a) => a < 0 || a > query.length - 2);
    if (bad >= 0) {
      problems.push({
        id: "invalidArgument",
        argument: "attention_axes",
        values: { argument: "attention_axes", expected: `axes of the query between its batch and feature axes (1 to ${query.length - 2})`, value: axesArg[bad] },
      });
      return finish(output, weights, formulas);
    }
  }
  const scores = axes && key && query.length >= 3 ? scoresShape(query, key, heads, axes) : undefined;
  return finish(output, weights, formulas, [scores]);
}

/**
 * Multi-head and grouped-query attention: the projections (each position of a tensor through its kernel),
 * then per query head the two batched products, query·keyᵀ (scores) and scores·value (context), over every
 * pair of query and key positions. (Grouped-query attention shares key/value heads, not the products.)
 */
const projectedAttentionCost: CostRule = ({ args, inputs, weights }) => {
  if (args.has("attention_axes")) return { note: "attention over chosen axes (attention_axes) is not counted" };
  const [query, value, keyGiven] = inputs ?? [];
  const key = keyGiven ?? value;
  const inner = (s: Shape | undefined) => (s && s.length >= 2 ? s.slice(1, -1) : undefined);
  const positions = (s: Shape | undefined) => inner(s) && factor(inner(s)!);
  const kernel = (name: string) => weights.find((w) => w.name === `${name}/kernel`)?.shape;
  const [q, k, v, out] = ["query", "key", "value", "attention_output"].map(kernel);
  const heads = q && factor([q[1]]);
  const pairs = inner(query) && inner(key) && factor([...inner(query)!, ...inner(key)!]);
  return sum([
    { label: "query", cost: product([positions(query), q && factor(q)]) },
    { label: "key", cost: product([positions(key), k && factor(k)]) },
    { label: "value", cost: product([positions(value), v && factor(v)]) },
    { label: "scores", cost: product([heads, pairs, q && factor([q[2]])]) },
    { label: "context", cost: product([heads, pairs, v && factor([v[2]])]) },
    { label: "output", cost: product([positions(query), out && factor(out)]) },
  ]);
};

/** Attention and AdditiveAttention: a score for every query and key position over the features, then the weighted sum of values. */
const listAttentionCost: CostRule = ({ inputs }) => {
  const [query, value, keyGiven] = inputs ?? [];
  const key = keyGiven ?? value;
  const rows = query && query.length >= 2 ? factor(query.slice(1, -1)) : undefined;
  const length = key && key.length >= 2 ? factor([key[key.length - 2]]) : undefined;
  return sum([
    { label: "scores", cost: product([rows, length, query && factor([query[query.length - 1]])]) },
    { label: "context", cost: product([rows, length, value && factor([value[value.length - 1]])]) },
  ]);
};

const multiHeadAttentionSpec: LayerSpec = {
  name: "MultiHeadAttention",
  summary: "Multi-head attention (Vaswani et al.): projects query, key and value into num_heads heads, attends, and projects back.",
  params: mhaParams,
  cost: projectedAttentionCost,
  infer: singleTensorCall("MultiHeadAttention", "a query and a value tensor, and optionally a key"),
  multiInput: { form: "arguments", tensors: ["query", "value", "key"], min: 2, max: 3, callOptions: mhaCallOptions, infer: inferMultiHeadAttention },
};

const gqaParams: ParamDecl[] = [
  { name: "head_dim" },
  { name: "num_query_heads" },
  { name: "num_key_value_heads" },
  { name: "dropout", default: 0.0 },
  { name: "use_bias", default: true },
  { name: "flash_attention", default: null },
  ...weightOptions(["kernel"]),
  { name: "seed", default: null },
];

/**
 * GroupQueryAttention (grouped_query_attention.py): EinsumDense projections "bqm,muh->bquh"
 * (query: (dim, Nq, head_dim)), "bkm,mvh->bkvh" (key, value: (dim, Nkv, head_dim)) and
 * "bquh,uhm->bqm" (output: (Nq, head_dim, query dim)), biases over their last two (or last)
 * axes; Nq must be a multiple of Nkv; query and value share their last size
 * (compute_output_shape); output = query's shape; scores (B, Nq, T, S).
 */
function inferGroupQueryAttention(args: Args, inputs: readonly (Shape | undefined)[], call: Args): LayerResult {
  const layer = "GroupQueryAttention";
  const headDim = args.int("head_dim");
  const queryHeads = args.int("num_query_heads");
  const kvHeads = args.int("num_key_value_heads");
  args.float("dropout", 0, 1);
  const useBias = args.bool("use_bias");
  const returnScores = call.bool("return_attention_scores");
  call.bool("use_causal_mask");
  const problems: Problem[] = [...args.problems];
  if (queryHeads !== undefined && kvHeads !== undefined && queryHeads % kvHeads !== 0) {
    problems.push({
      id: "invalidArgument",
      argument: "num_key_value_heads",
      values: { argument: "num_key_value_heads", expected: `a divisor of num_query_heads (${queryHeads})`, value: kvHeads },
    });
  }
  const finish = resultWith(problems, call);
  // The einsum equations name exactly three axes: (batch, length, features).
  const tensors = attentionInputs(layer, inputs, problems, (shape) =>
    shape.length === 3 ? undefined : { id: "wrongRank", values: { layer, expected: 3, example: "(batch, length, features)", shape: formatShape(shape), rank: shape.length } },
  );
  if (!tensors) return finish(undefined, [{ name: "query/kernel", trainable: true }]);
  const { query, value, key, keyGiven } = tensors;
  const [q, v] = [last(query), last(value)];
  if (query && value && q !== UNKNOWN && v !== UNKNOWN && q !== v) {
    problems.push(shapeMismatch(layer, "the same last size on query and value", query, value, 1));
  }
  if (keyGiven && value && key && value.length === key.length && value[1] !== UNKNOWN && key[1] !== UNKNOWN && value[1] !== key[1]) {
    problems.push(shapeMismatch(layer, "value and key shapes equal on every axis except the last", value, key, 2));
  }
  const qLast = known(q);
  const { weights, formulas } = projections([
    ["query", projection("query", [qLast, queryHeads, headDim], [queryHeads, headDim], useBias)],
    ["key", projection("key", [known(last(key)), kvHeads, headDim], [kvHeads, headDim], useBias)],
    ["value", projection("value", [known(v), kvHeads, headDim], [kvHeads, headDim], useBias)],
    ["attention_output", projection("attention_output", [queryHeads, headDim, qLast], [qLast], useBias)],
  ]);
  if (!query || problems.some((p) => p.id === "incompatibleShapes" || p.id === "wrongRank")) return finish(undefined, weights, formulas);
  const scores = returnScores && key ? [[query[0], queryHeads ?? UNKNOWN, query[1], key[1]]] : undefined;
  return finish(query, weights, formulas, scores);
}

const groupQueryAttentionSpec: LayerSpec = {
  name: "GroupQueryAttention",
  summary: "Grouped-query attention: num_query_heads query heads share num_key_value_heads key/value heads.",
  params: gqaParams,
  cost: projectedAttentionCost,
  infer: singleTensorCall("GroupQueryAttention", "a query and a value tensor, and optionally a key"),
  multiInput: { form: "arguments", tensors: ["query", "value", "key"], min: 2, max: 3, callOptions: mhaCallOptions, infer: inferGroupQueryAttention },
};

const listCallOptions: ParamDecl[] = [
  { name: "mask", default: null },
  { name: "training", default: false },
  { name: "return_attention_scores", default: false },
  { name: "use_causal_mask", default: false },
];

type ScoreMode = "dot" | "concat" | "additive";

/** Keras compares score_mode exactly: `if self.score_mode not in ["dot", "concat"]`. */
function scoreModeArg(args: Args): "dot" | "concat" | undefined {
  const v = args.raw("score_mode");
  if (v === undefined) return undefined;
  if (v === "dot" || v === "concat") return v;
  args.problems.push({ id: "invalidArgument", argument: "score_mode", values: { argument: "score_mode", expected: "'dot' or 'concat'", value: pyRepr(v) } });
  return undefined;
}

function inferListAttention(layer: string, additive: boolean, args: Args, inputs: readonly (Shape | undefined)[], call: Args): LayerResult {
  const useScale = args.bool("use_scale");
  const declaredMode = scoreModeArg(args);
  const mode: ScoreMode | undefined = additive ? "additive" : declaredMode;
  args.float("dropout", 0, 1);
  const returnScores = call.bool("return_attention_scores");
  call.bool("use_causal_mask");
  call.bool("training");
  const problems: Problem[] = [...args.problems];
  const count = countProblem(layer, inputs.length, 2, 3, "a list [query, value] or [query, value, key]");
  if (count) return { output: undefined, weights: [{ name: "scale", trainable: true }], formulas: [], problems: [...problems, count] };
  const [query, value] = inputs;
  const key = inputs.length > 2 ? inputs[2] : value;
  const keyIndex = inputs.length > 2 ? 2 : 1;

  const weights: Weight[] = [];
  if (useScale === undefined) weights.push({ name: "scale", trainable: true });
  else if (useScale) weights.push(additive ? weight("scale", [known(last(query))]) : weight("scale", []));
  if (mode === undefined && !additive) weights.push({ name: "concat_score_weight", trainable: true });
  if (mode === "concat") weights.push(weight("concat_score_weight", []));
  const formulas = weights.flatMap((w) => weightFormula(w) ?? []);
  if (additive && useScale && query) {
    const open = undefinedLast(layer, query, 0);
    if (open) problems.push(open);
  }

  if (query && key) {
    // 'dot' transposes the key with axes [0, 2, 1].
    if (mode === "dot" && key.length !== 3) {
      problems.push({ id: "wrongRank", input: keyIndex, values: { layer, expected: 3, example: "(batch, Tv, dim)", shape: formatShape(key), rank: key.length } });
    }
    const [q, k] = [last(query), last(key)];
    if (isKnown(q as Dim) && isKnown(k as Dim) && q !== k && (mode === "dot" || (q !== 1 && k !== 1))) {
      problems.push(shapeMismatch(layer, "the same feature size (last axis) on query and key", query, key, keyIndex));
    }
  }
  if (key && value && key.length >= 2 && value.length >= 2) {
    const [kT, vT] = [key[key.length - 2], value[value.length - 2]];
    if (isKnown(kT) && isKnown(vT) && kT !== vT) problems.push(shapeMismatch(layer, "the same length Tv (axis -2) on key and value", value, key, keyIndex));
  }
  const failed = problems.some((p) => p.id === "incompatibleShapes" || p.id === "wrongRank");
  const output = query && !failed ? [...query.slice(0, -1), last(value) ?? UNKNOWN] : undefined;
  const scores = returnScores && output && query && key ? [[...query.slice(0, -1), key.length >= 2 ? key[key.length - 2] : UNKNOWN]] : undefined;
  return { output, weights, formulas, problems: [...problems, ...call.problems], ...(scores ? { extraOutputs: scores } : {}) };
}

const attentionSpec: LayerSpec = {
  name: "Attention",
  summary: "Dot-product (Luong-style) attention over [query, value] or [query, value, key]: (batch, Tq, dim) → (batch, Tq, value dim).",
  params: [
    { name: "use_scale", default: false },
    { name: "score_mode", default: "dot" },
    { name: "dropout", default: 0.0 },
    { name: "seed", default: null },
  ],
  cost: listAttentionCost,
  infer: singleTensorCall("Attention", "a list [query, value] or [query, value, key]"),
  multiInput: { form: "list", min: 2, max: 3, callOptions: listCallOptions, infer: (args, inputs, call) => inferListAttention("Attention", false, args, inputs, call) },
};

const additiveAttentionSpec: LayerSpec = {
  name: "AdditiveAttention",
  summary: "Additive (Bahdanau-style) attention over [query, value] or [query, value, key]: scores = Σ scale·tanh(query + key).",
  // use_scale and dropout are its own; score_mode and seed pass through **kwargs to Attention.
  params: [
    { name: "use_scale", default: true },
    { name: "dropout", default: 0.0 },
    { name: "score_mode", default: "dot" },
    { name: "seed", default: null },
  ],
  cost: listAttentionCost,
  infer: singleTensorCall("AdditiveAttention", "a list [query, value] or [query, value, key]"),
  multiInput: { form: "list", min: 2, max: 3, callOptions: listCallOptions, infer: (args, inputs, call) => inferListAttention("AdditiveAttention", true, args, inputs, call) },
};

export const attentionLayers: LayerSpec[] = [multiHeadAttentionSpec, groupQueryAttentionSpec, attentionSpec, additiveAttentionSpec];
