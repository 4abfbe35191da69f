/**
 * PyTorch's recurrent modules: RNN, LSTM, GRU and their cells (torch/nn/modules/rnn.py, current 2.x).
 *
 * RNN, LSTM and GRU take `*args, **kwargs` and hand them to RNNBase(mode, input_size, hidden_size, num_layers=1,
 * bias=True, batch_first=False, dropout=0.0, bidirectional=False, proj_size=0, device=None, dtype=None); RNN first
 * takes a fourth positional argument out as its `nonlinearity` (`args[3]`), so its positional order has nonlinearity
 * between num_layers and bias. RNN and GRU refuse a `proj_size` keyword ("only supported for LSTM"); given by position
 * it reaches RNNBase, which builds the projection anyway, and the forward then refuses the state: either way it is an
 * error here, with the weights RNNBase would build.
 *
 * Weights, per layer l and direction (suffix `_reverse` for the second), with g gates (RNN 1, GRU 3, LSTM 4), H the
 * hidden size, P the projection (LSTM proj_size, else none) and H_out = P or H: weight_ih_l{l} (g·H, in),
 * weight_hh_l{l} (g·H, H_out), bias_ih_l{l} and bias_hh_l{l} (g·H) with bias, weight_hr_l{l} (P, H) with a
 * projection; in = input_size for the first layer, D·H_out for the others (D = 2 when bidirectional).
 *
 * Forward: input (L, N, H_in), (N, L, H_in) with batch_first, or unbatched (L, H_in) (batch_first ignored) →
 * output (L, N, D·H_out) (batch_first (N, L, D·H_out); unbatched (L, D·H_out)), h_n (D·num_layers, N, H_out) and
 * for LSTM c_n (D·num_layers, N, H) (unbatched: no N). The module returns `(output, h_n)` / `(output, (h_n, c_n))`:
 * here the output and, as extra outputs, [h_n] or [h_n, c_n]. An initial state (`rnn(x, h0)`) changes no shape;
 * RNN's and GRU's is checked against h_n's shape as PyTorch checks it (LSTM's is a tuple, not followed).
 *
 * Cells: RNNCell(input_size, hidden_size, bias=True, nonlinearity='tanh'), LSTMCell and GRUCell(input_size,
 * hidden_size, bias=True): weight_ih (g·H, in), weight_hh (g·H, H), two biases (g·H); (N, H_in) or (H_in,) →
 * (N, H) or (H,); LSTMCell returns (h, c): h, then c as an extra output.
 *
 * Differences from Debian's PyTorch 1.13 (read beside current sources): 1.13's RNN reads a fourth positional
 * argument as `bias`, not `nonlinearity`; its rank errors read "input must have 3 dimensions, got 4" (modules) and
 * "Expected input to be 1-D or 2-D but received 3-D tensor" (cells, an AssertionError). Current PyTorch is followed.
 */
import { CostRule, factor, product, sum, times } from "../../cost";
import { Args } from "../../args";
import { withThousands } from "../../format";
import { Dim, Shape, UNKNOWN, isKnown } from "../../shape";
import { Formula, LayerResult, LayerSpec, MultiInput, ParamDecl, Problem, Weight } from "../../spec";
import { weight } from "../../math";
import { numeric, pyRepr } from "../../values";
import { callRefused, constructorRefused, total } from "./refusals";

type Mode = "RNN" | "LSTM" | "GRU";

const GATES: Record<Mode, number> = { RNN: 1, LSTM: 4, GRU: 3 };

/** How the rank error of each module ends: RNN's says "tensor", LSTM's and GRU's "input". */
const RANK_NOUN: Record<Mode, string> = { RNN: "tensor", LSTM: "input", GRU: "input" };

/** Past this many stacked layers, layers 1… (all alike) are listed as one weight per name with the layer count in front. */
const LISTED_LAYERS = 16;

const factoryKeywords: ParamDecl[] = [
  { name: "device", default: null },
  { name: "dtype", default: null },
];

/** RNNBase's order after the mode; RNN inserts `nonlinearity` after num_layers. */
function moduleParams(mode: Mode): ParamDecl[] {
  return [
    { name: "input_size" },
    { name: "hidden_size" },
    { name: "num_layers", default: 1 },
    ...(mode === "RNN" ? [{ name: "nonlinearity", default: "tanh" }] : []),
    { name: "bias", default: true },
    { name: "batch_first", default: false },
    { name: "dropout", default: 0.0 },
    { name: "bidirectional", default: false },
    { name: "proj_size", default: 0 },
    ...factoryKeywords,
  ];
}

/** The constructor's configuration, each part undefined when unknown or refused. */
interface Config {
  readonly inputSize?: number;
  readonly hidden?: number;
  readonly layers?: number;
  readonly bias?: boolean;
  readonly batchFirst?: boolean;
  readonly directions?: number;
  /** 0 without a projection. */
  readonly proj?: number;
}

/** RNN's nonlinearity, compared exactly: RNN.__init__ for the modules, the forward for RNNCell. */
function nonlinearityProblem(layer: string, args: Args, cell: boolean): Problem | undefined {
  const v = args.raw("nonlinearity");
  if (v === undefined || v === "tanh" || v === "relu") return undefined;
  return cell
    ? { ...callRefused(layer, `Unknown nonlinearity: ${typeof v === "string" ? v : pyRepr(v)}`, "a RuntimeError"), argument: "nonlinearity" }
    : constructorRefused(layer, `Unknown nonlinearity '${typeof v === "string" ? v : pyRepr(v)}'. Select from 'tanh' or 'relu'`, "nonlinearity");
}

/** RNNBase.__init__'s checks, and the dropout warning. */
function readConfig(mode: Mode, args: Args, problems: Problem[]): Config {
  const inputSize = args.int("input_size", 0);
  const hidden = args.int("hidden_size");
  const layers = args.int("num_layers");
  const bias = args.bool("bias");
  const batchFirst = args.bool("batch_first");
  const bidirectional = args.bool("bidirectional");
  args.raw("device");
  args.raw("dtype");
  if (mode === "RNN") {
    const problem = nonlinearityProblem(mode, args, false);
    if (problem) problems.push(problem);
  }
  const dropoutValue = args.raw("dropout");
  const dropout = typeof dropoutValue === "boolean" ? undefined : numeric(dropoutValue);
  if (dropoutValue !== undefined && (dropout === undefined || !(dropout >= 0 && dropout <= 1))) {
    problems.push(constructorRefused(mode, "dropout should be a number in range [0, 1] representing the probability of an element being zeroed", "dropout"));
  } else if (dropout !== undefined && dropout > 0 && layers === 1) {
    problems.push({ id: "torchDropoutOneLayer", argument: "dropout", values: { layer: mode, dropout: pyRepr(dropoutValue!), layers } });
  }
  let proj = args.int("proj_size", -Infinity);
  if (proj !== undefined && proj !== 0 && mode !== "LSTM") {
    problems.push(constructorRefused(mode, "proj_size argument is only supported for LSTM, not RNN or GRU", "proj_size"));
  }
  if (proj !== undefined && proj < 0) {
    problems.push(constructorRefused(mode, "proj_size should be a positive integer or zero to disable projections", "proj_size"));
    proj = undefined;
  } else if (proj !== undefined && hidden !== undefined && proj >= hidden) {
    problems.push(constructorRefused(mode, "proj_size has to be smaller than hidden_size", "proj_size"));
    proj = undefined;
  }
  return { inputSize, hidden, layers, bias, batchFirst, directions: bidirectional === undefined ? undefined : bidirectional ? 2 : 1, proj };
}

const outSize = (c: Config): number | undefined => (c.proj === undefined || c.hidden === undefined ? undefined : c.proj > 0 ? c.proj : c.hidden);

/**
 * One layer-and-direction's weights in PyTorch's order, their names ending in `suffix` (`_l0_reverse`; a cell's have
 * none); `count` > 1 stands for that many alike layers, counted in front of each shape (suffix `_l1…l4`).
 */
function layerWeights(mode: Mode, c: Config, suffix: string, input: number | undefined, count = 1): Weight[] {
  const gates = c.hidden === undefined ? undefined : GATES[mode] * c.hidden;
  const lead = count > 1 ? [count] : [];
  const weights = [weight(`weight_ih${suffix}`, [...lead, gates, input]), weight(`weight_hh${suffix}`, [...lead, gates, outSize(c)])];
  if (c.bias === undefined) weights.push({ name: `bias_ih${suffix}`, trainable: true }, { name: `bias_hh${suffix}`, trainable: true });
  else if (c.bias) weights.push(weight(`bias_ih${suffix}`, [...lead, gates]), weight(`bias_hh${suffix}`, [...lead, gates]));
  if (c.proj === undefined) weights.push({ name: `weight_hr${suffix}`, trainable: true });
  else if (c.proj > 0) weights.push(weight(`weight_hr${suffix}`, [...lead, c.proj, c.hidden]));
  return weights;
}

/** Every layer and direction, as `named_parameters()` lists them (deep stacks: layers 1… grouped). */
function moduleWeights(mode: Mode, c: Config): Weight[] {
  if (c.layers === undefined || c.directions === undefined) return [{ name: "weight_ih_l0", trainable: true }];
  const out = outSize(c);
  const deeper = out === undefined ? undefined : c.directions * out;
  const suffixes = c.directions === 2 ? ["", "_reverse"] : [""];
  const weights: Weight[] = [];
  const grouped = c.layers > LISTED_LAYERS;
  const listed = grouped ? 2 : c.layers;
  for (let l = 0; l < listed; l++) {
    const name = grouped && l === 1 ? `_l1…l${c.layers - 1}` : `_l${l}`;
    for (const suffix of suffixes) weights.push(...layerWeights(mode, c, name + suffix, l === 0 ? c.inputSize : deeper, grouped && l === 1 ? c.layers - 1 : 1));
  }
  return weights;
}

/** One layer-and-direction's parameters written out: `4·20·10 + 4·20·20 + 2·4·20`. */
function layerTerms(mode: Mode, c: Config, input: number): string {
  const g = GATES[mode] === 1 ? `${c.hidden}` : `${GATES[mode]}·${c.hidden}`;
  const terms = [`${g}·${input}`, `${g}·${outSize(c)}`];
  if (c.bias) terms.push(`2·${g}`);
  if (c.proj) terms.push(`${c.proj}·${c.hidden}`);
  return terms.join(" + ");
}

/** `2·(4·20·10 + …) + 2·(…) = 12,345`: the first layer, then the others (all alike), each times its directions. */
function paramsFormula(mode: Mode, c: Config, count: bigint): Formula | undefined {
  if (c.inputSize === undefined || c.hidden === undefined || c.layers === undefined || c.directions === undefined || c.bias === undefined || c.proj === undefined) return undefined;
  const times = (n: number, s: string) => (n === 1 ? s : `${n}·(${s})`);
  const parts = [times(c.directions, layerTerms(mode, c, c.inputSize))];
  if (c.layers > 1) parts.push(times((c.layers - 1) * c.directions, layerTerms(mode, c, c.directions * outSize(c)!)));
  return { label: "params", text: `${parts.join(" + ")} = ${withThousands(count)}` };
}

const dims = (s: Shape) => `(${s.join(", ")})`;

/** RNN's and GRU's initial state against h_n's shape, as the forward checks it (an unbatched state is read with a batch of 1). */
function stateProblems(layer: string, hx: Shape, expected: Shape, batched: boolean): Problem[] {
  const rank = batched ? 3 : 2;
  if (hx.length !== rank) {
    const message = batched ? `For batched 3-D input, hx should also be 3-D but got ${hx.length}-D tensor` : `For unbatched 2-D input, hx should also be 2-D but got ${hx.length}-D tensor`;
    return [callRefused(layer, message, "a RuntimeError", 1)];
  }
  const differs = hx.some((d, i) => isKnown(d) && isKnown(expected[i]) && d !== expected[i]);
  if (!differs) return [];
  const asBatched = (s: Shape) => (batched ? s : [s[0], 1, ...s.slice(1)]);
  return [{ id: "torchStateShape", input: 1, values: { layer, what: "hidden", expected: dims(asBatched(expected)), actual: `[${asBatched(hx).join(", ")}]` } }];
}

function inferModule(mode: Mode, args: Args, input: Shape | undefined, hx: Shape | undefined): LayerResult {
  const problems: Problem[] = [];
  const c = readConfig(mode, args, problems);
  const weights = moduleWeights(mode, c);
  const count = total(weights);
  const formulas: Formula[] = [];
  const params = count === undefined ? undefined : paramsFormula(mode, c, count);
  const finish = (output?: Shape, extra?: (Shape | undefined)[]): LayerResult => ({
    output,
    weights,
    formulas: params ? [...formulas, params] : formulas,
    problems: [...args.problems, ...problems],
    extraOutputs: extra ?? (mode === "LSTM" ? [undefined, undefined] : [undefined]),
  });
  if (!input) return finish();
  if (input.length !== 2 && input.length !== 3) {
    problems.push({ id: "torchSequenceRank", input: 0, values: { layer: mode, expected: "2D or 3D", got: `${input.length}D ${RANK_NOUN[mode]}` } });
    return finish();
  }
  const last = input[input.length - 1];
  if (isKnown(last) && c.inputSize !== undefined && last !== c.inputSize) {
    problems.push({ id: "torchInputSize", argument: "input_size", values: { layer: mode, expected: c.inputSize, actual: last } });
  }
  const batched = input.length === 3;
  if (batched && c.batchFirst === undefined) return finish();
  const [steps, batch] = batched ? (c.batchFirst ? [input[1], input[0]] : [input[0], input[1]]) : [input[0], undefined];
  const out = outSize(c);
  const features: Dim = out !== undefined && c.directions !== undefined ? c.directions * out : UNKNOWN;
  const stateRows: Dim = c.layers !== undefined && c.directions !== undefined ? c.directions * c.layers : UNKNOWN;
  if (c.directions === 2 && out !== undefined) formulas.push({ label: "features", text: `2·${out} = ${features}` });
  if (isKnown(stateRows) && stateRows > 1) formulas.push({ label: "state rows", text: `${c.directions}·${c.layers} = ${stateRows}` });
  const withBatch = (a: Dim, b: Dim): Shape => (batch === undefined ? [a, b] : [a, batch, b]);
  const output: Shape = batch === undefined ? [steps, features] : c.batchFirst ? [batch, steps, features] : [steps, batch, features];
  const hN = withBatch(stateRows, out ?? UNKNOWN);
  if (hx && mode !== "LSTM") problems.push(...stateProblems(mode, hx, hN, batched));
  return finish(output, mode === "LSTM" ? [hN, withBatch(stateRows, c.hidden ?? UNKNOWN)] : [hN]);
}

/** The steps a module runs its layers for (the sequence axis), or undefined when the layout is not known. */
function sequenceLength(args: Args, input: Shape | undefined): Dim | undefined {
  if (!input || (input.length !== 2 && input.length !== 3)) return undefined;
  if (input.length === 2) return input[0];
  const batchFirst = args.bool("batch_first");
  return batchFirst === undefined ? undefined : batchFirst ? input[1] : input[0];
}

/** The weight matrices' sizes (biases are additions, not counted), one term each. */
function matrixProducts(weights: readonly Weight[]) {
  return weights.filter((w) => !w.name.startsWith("bias")).map((w) => ({ label: w.name, cost: product([w.shape ? factor(w.shape) : undefined]) }));
}

/** At every step each layer and direction multiplies its input and its state by their matrices (and the projection). */
const moduleCost: CostRule = ({ args, input, weights }) => {
  const steps = sequenceLength(args, input);
  return times(steps === undefined ? undefined : factor([steps]), sum(matrixProducts(weights)), "steps");
};

/** A cell is one step. */
const cellCost: CostRule = ({ weights }) => sum(matrixProducts(weights));

/** `rnn(input, hx=None)`: the initial state is the call's second argument. */
function moduleCall(mode: Mode): MultiInput {
  return {
    form: "arguments",
    tensors: ["input", "hx"],
    min: 1,
    max: 2,
    infer: (args, inputs) => inferModule(mode, args, inputs[0], inputs[1]),
  };
}

const SUMMARIES: Record<Mode, string> = {
  RNN: "Elman RNN: h_t = tanh(x_t·W_ihᵀ + b_ih + h_{t−1}·W_hhᵀ + b_hh) over the sequence, stacked num_layers deep, optionally in both directions.",
  LSTM: "Long Short-Term Memory: four gates over the input and the previous state carry a memory cell along the sequence; stacked, optionally bidirectional, optionally projected (proj_size).",
  GRU: "Gated Recurrent Unit: reset, update and new gates over the input and the previous state; stacked, optionally bidirectional.",
};

/** RNN, LSTM, GRU (torch/nn/modules/rnn.py: RNNBase and the three subclasses). */
function moduleSpec(mode: Mode): LayerSpec {
  return {
    name: `torch.nn.${mode}`,
    summary: SUMMARIES[mode],
    params: moduleParams(mode),
    closedKeywords: true,
    cost: moduleCost,
    infer: (args, input) => inferModule(mode, args, input, undefined),
    multiInput: moduleCall(mode),
  };
}

type CellName = "RNNCell" | "LSTMCell" | "GRUCell";

const CELL_MODE: Record<CellName, Mode> = { RNNCell: "RNN", LSTMCell: "LSTM", GRUCell: "GRU" };

/** A cell's state against (N, H) or (H,): the rank, then the batch and the size as aten's cell checks word them. */
function cellStateProblems(layer: CellName, hx: Shape, input: Shape, hidden: number | undefined): Problem[] {
  if (hx.length !== 1 && hx.length !== 2) return [callRefused(layer, `${layer}: Expected hidden to be 1D or 2D, got ${hx.length}D instead`, "a ValueError", 1)];
  const problems: Problem[] = [];
  const [inBatch, hxBatch] = [input.length === 2 ? input[0] : 1, hx.length === 2 ? hx[0] : 1];
  if (isKnown(inBatch) && isKnown(hxBatch) && inBatch !== hxBatch) problems.push(callRefused(layer, `Input batch size ${inBatch} doesn't match hidden0 batch size ${hxBatch}`, "a RuntimeError", 1));
  const size = hx[hx.length - 1];
  if (isKnown(size) && hidden !== undefined && size !== hidden) problems.push(callRefused(layer, `hidden0 has inconsistent hidden_size: got ${size}, expected ${hidden}`, "a RuntimeError", 1));
  return problems;
}

/** RNNCell, LSTMCell, GRUCell (torch/nn/modules/rnn.py: RNNCellBase and the three cells; the checks in aten's RNN.cpp). */
function inferCell(layer: CellName, args: Args, input: Shape | undefined, hx: Shape | undefined): LayerResult {
  const mode = CELL_MODE[layer];
  const inputSize = args.int("input_size", 0);
  const hidden = args.int("hidden_size");
  const bias = args.bool("bias");
  args.raw("device");
  args.raw("dtype");
  const problems: Problem[] = [];
  if (layer === "RNNCell") {
    const problem = nonlinearityProblem(layer, args, true);
    if (problem) problems.push(problem);
  }
  const c: Config = { inputSize, hidden, bias, proj: 0 };
  const weights = layerWeights(mode, c, "", inputSize);
  const count = total(weights);
  const formulas: Formula[] = count !== undefined && inputSize !== undefined && hidden !== undefined && bias !== undefined
    ? [{ label: "params", text: `${layerTerms(mode, c, inputSize)} = ${withThousands(count)}` }]
    : [];
  const finish = (output?: Shape, extra?: Shape): LayerResult => ({
    output,
    weights,
    formulas,
    problems: [...args.problems, ...problems],
    ...(layer === "LSTMCell" ? { extraOutputs: [extra] } : {}),
  });
  if (!input) return finish();
  if (input.length !== 1 && input.length !== 2) {
    problems.push({ id: "torchSequenceRank", input: 0, values: { layer, expected: "1D or 2D", got: `${input.length}D` } });
    return finish();
  }
  const last = input[input.length - 1];
  if (isKnown(last) && inputSize !== undefined && last !== inputSize) {
    const message = `input has inconsistent input_size: got ${last} expected ${inputSize}`;
    problems.push({ id: "torchCallRefused", argument: "input_size", values: { layer, message, error: "a RuntimeError", actual: last } });
  }
  if (hx && layer !== "LSTMCell") problems.push(...cellStateProblems(layer, hx, input, hidden));
  const output: Shape = input.length === 2 ? [input[0], hidden ?? UNKNOWN] : [hidden ?? UNKNOWN];
  return finish(output, output);
}

function cellSpec(layer: CellName, summary: string): LayerSpec {
  return {
    name: `torch.nn.${layer}`,
    summary,
    params: [
      { name: "input_size" },
      { name: "hidden_size" },
      { name: "bias", default: true },
      ...(layer === "RNNCell" ? [{ name: "nonlinearity", default: "tanh" }] : []),
      ...factoryKeywords,
    ],
    closedKeywords: true,
    cost: cellCost,
    infer: (args, input) => inferCell(layer, args, input, undefined),
    multiInput: { form: "arguments", tensors: ["input", "hx"], min: 1, max: 2, infer: (args, inputs) => inferCell(layer, args, inputs[0], inputs[1]) },
  };
}

export const torchRecurrentModules: readonly LayerSpec[] = [
  moduleSpec("RNN"),
  moduleSpec("LSTM"),
  moduleSpec("GRU"),
  cellSpec("RNNCell", "One step of an Elman RNN: h′ = tanh(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh)."),
  cellSpec("LSTMCell", "One step of an LSTM: returns the next hidden state h′ and cell state c′."),
  cellSpec("GRUCell", "One step of a GRU: returns the next hidden state h′."),
];
