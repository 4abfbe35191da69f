/**
 * Recurrent layers: SimpleRNN, LSTM, GRU (keras/src/layers/rnn/{simple_rnn,lstm,gru}.py,
 * on top of RNN in rnn.py) and ConvLSTM1D/2D/3D (conv_lstm.py, conv_lstm{1,2,3}d.py).
 *
 * Shape rule (RNN.compute_output_shape): input (batch, timesteps, features) →
 * (batch, units), or (batch, timesteps, units) with return_sequences. With
 * return_state the layer returns a tuple: the output, then one (batch, units) per
 * state (LSTM 2, SimpleRNN / GRU 1); the hint shows the first, LL306 explains.
 * ConvLSTM: input (batch, time, spatial…, channels); each step is a convolution
 * (`compute_conv_output_shape`) giving (spatial′…, filters), with the time axis in
 * front under return_sequences; return_state adds two states of the step shape.
 *
 * Weights, with g gates (SimpleRNN 1, GRU 3, LSTM 4):
 * kernel (C_in, g·units), recurrent_kernel (units, g·units), bias (g·units);
 * GRU with reset_after=True (Keras 3's default) has a bias (2, 3·units).
 * ConvLSTM: kernel k…·C_in·4·filters, recurrent_kernel k…·filters·4·filters
 * (the recurrent convolution runs with padding 'same' and stride 1, so its window
 * is kernel_size as well), bias 4·filters.
 *
 * tf.keras 2 (tf_keras/layers/rnn/*.py, signatures as in tf_keras/api/golden/v2) has the same defaults
 * (GRU reset_after=True, unroll=False), no `seed` in LSTM's and GRU's positional order, and `time_major`,
 * which Keras 3 refuses; a time-major input (timesteps first) is not followed (see `generations`).
 */
import { CostRule, Factor, factor, product, sum, times, weightFactor } from "../cost";
import { Args, DataFormat } from "../args";
import { Dim, NONE, Shape, UNKNOWN, formatShape, isKnown } from "../shape";
import { Formula, LayerResult, LayerSpec, ParamDecl, Problem, Weight } from "../spec";
import { Padding, channelIndex, rankProblem, slideWindows, spatialNames, unknownFrom, weight } from "../math";
import { withThousands } from "../format";
import { numeric, pyRepr } from "../values";

/** What a wrapper (Bidirectional) needs to know about a recurrent layer's configuration. */
export interface RecurrentInfo {
  readonly returnSequences?: boolean;
  readonly returnState?: boolean;
  readonly goBackwards?: boolean;
  readonly stateful?: boolean;
  /** The state tensors returned with return_state (shapes, batch included). */
  readonly states: readonly Shape[];
}

export interface RecurrentResult extends LayerResult {
  readonly recurrent: RecurrentInfo;
}

/** The recurrent part of a result produced by one of these specs, if it is one. */
export function recurrentInfo(result: LayerResult): RecurrentInfo | undefined {
  return "recurrent" in result ? (result as RecurrentResult).recurrent : undefined;
}

/** Layers with go_backwards / return_sequences / return_state, which Bidirectional can wrap. */
export function isRecurrent(spec: LayerSpec): boolean {
  return RECURRENT_NAMES.has(spec.name);
}

const RECURRENT_NAMES = new Set(["SimpleRNN", "LSTM", "GRU", "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D"]);

const RNN_SOURCE = "keras/src/layers/rnn/rnn.py; tf_keras/layers/rnn/base_rnn.py";

/** tf.keras 2's `time_major` (RNN.__init__; LSTM's and GRU's own signatures): Keras 3 has none. */
const timeMajor: ParamDecl = { name: "time_major", default: false, generations: { only: 2, shapes: true, source: RNN_SOURCE } };

/** Keywords RNN.__init__ takes through **kwargs (not in the subclasses' signatures). */
const rnnKeywords = (...names: string[]): ParamDecl[] => names.map((name) => ({ name, default: name === "implementation" ? 2 : false }));

const returnFlags: ParamDecl[] = [
  { name: "return_sequences", default: false },
  { name: "return_state", default: false },
  { name: "go_backwards", default: false },
  { name: "stateful", default: false },
];

function weightOptions(unitForgetBias: boolean, activityRegularizer = true): ParamDecl[] {
  return [
    { name: "kernel_initializer", default: "glorot_uniform" },
    { name: "recurrent_initializer", default: "orthogonal" },
    { name: "bias_initializer", default: "zeros" },
    ...(unitForgetBias ? [{ name: "unit_forget_bias", default: true }] : []),
    { name: "kernel_regularizer", default: null },
    { name: "recurrent_regularizer", default: null },
    { name: "bias_regularizer", default: null },
    ...(activityRegularizer ? [{ name: "activity_regularizer", default: null }] : []),
    { name: "kernel_constraint", default: null },
    { name: "recurrent_constraint", default: null },
    { name: "bias_constraint", default: null },
  ];
}

const dropouts: ParamDecl[] = [
  { name: "dropout", default: 0.0 },
  { name: "recurrent_dropout", default: 0.0 },
];

const simpleRnnParams: ParamDecl[] = [
  { name: "units" },
  { name: "activation", default: "tanh" },
  { name: "use_bias", default: true },
  ...weightOptions(false),
  ...dropouts,
  ...returnFlags,
  { name: "unroll", default: false },
  { name: "seed", default: null },
  ...rnnKeywords("zero_output_for_mask"),
  timeMajor,
];

const lstmParams: ParamDecl[] = [
  { name: "units" },
  { name: "activation", default: "tanh" },
  { name: "recurrent_activation", default: "sigmoid" },
  { name: "use_bias", default: true },
  ...weightOptions(true),
  ...dropouts,
  { name: "seed", default: null },
  ...returnFlags,
  { name: "unroll", default: false },
  { name: "use_cudnn", default: "auto" },
  ...rnnKeywords("zero_output_for_mask", "implementation"),
  timeMajor,
];

const gruParams: ParamDecl[] = [
  { name: "units" },
  { name: "activation", default: "tanh" },
  { name: "recurrent_activation", default: "sigmoid" },
  { name: "use_bias", default: true },
  ...weightOptions(false),
  ...dropouts,
  { name: "seed", default: null },
  ...returnFlags,
  { name: "unroll", default: false },
  { name: "reset_after", default: true },
  { name: "use_cudnn", default: "auto" },
  ...rnnKeywords("zero_output_for_mask", "implementation"),
  timeMajor,
];

/** tf.keras 2's positional order (tf_keras/api/golden/v2/tensorflow.keras.layers.-l-s-t-m.pbtxt, -g-r-u.pbtxt). */
const KERAS2_RNN_HEAD = ["units", "activation", "recurrent_activation", "use_bias", "kernel_initializer", "recurrent_initializer", "bias_initializer"];
const KERAS2_RNN_TAIL = [
  "kernel_regularizer", "recurrent_regularizer", "bias_regularizer", "activity_regularizer", "kernel_constraint", "recurrent_constraint",
  "bias_constraint", "dropout", "recurrent_dropout", "return_sequences", "return_state", "go_backwards", "stateful",
];
const KERAS2_POSITIONAL: Partial<Record<string, readonly string[]>> = {
  LSTM: [...KERAS2_RNN_HEAD, "unit_forget_bias", ...KERAS2_RNN_TAIL, "time_major", "unroll"],
  GRU: [...KERAS2_RNN_HEAD, ...KERAS2_RNN_TAIL, "unroll", "time_major", "reset_after"],
};

function convLstmParams(): ParamDecl[] {
  return [
    { name: "filters" },
    { name: "kernel_size" },
    { name: "strides", default: 1 },
    { name: "padding", default: "valid" },
    { name: "data_format", default: null },
    { name: "dilation_rate", default: 1 },
    { name: "activation", default: "tanh" },
    { name: "recurrent_activation", default: "sigmoid" },
    { name: "use_bias", default: true },
    ...weightOptions(true),
    ...dropouts,
    { name: "seed", default: null },
    ...returnFlags,
    ...rnnKeywords("unroll", "zero_output_for_mask"),
  ];
}

interface Flags {
  readonly returnSequences?: boolean;
  readonly returnState?: boolean;
  readonly goBackwards?: boolean;
  readonly stateful?: boolean;
  readonly unroll?: boolean;
}

/** The arguments every RNN shares; dropout values are clamped to [0, 1] by Keras, so only their type is checked. */
function readFlags(args: Args): Flags {
  args.float("dropout");
  args.float("recurrent_dropout");
  if (args.has("seed")) args.int("seed", -Infinity);
  args.bool("zero_output_for_mask");
  return {
    returnSequences: args.bool("return_sequences"),
    returnState: args.bool("return_state"),
    goBackwards: args.bool("go_backwards"),
    stateful: args.bool("stateful"),
    unroll: args.bool("unroll"),
  };
}

/** Keras raises for stateful=True without a fixed batch size (RNN.build) and unroll=True without known timesteps (RNN.call). */
function staticChecks(layer: string, input: Shape, flags: Flags): Problem[] {
  const problems: Problem[] = [];
  if (flags.stateful && input[0] === NONE) {
    problems.push({
      id: "staticDimensionRequired",
      argument: "stateful",
      values: {
        layer,
        what: "batch size",
        reason: " with stateful=True",
        shape: formatShape(input),
        keras: "When using `stateful=True` in a RNN, the batch size must be static",
      },
    });
  }
  if (flags.unroll && input[1] === NONE) {
    problems.push({
      id: "staticDimensionRequired",
      argument: "unroll",
      values: {
        layer,
        what: "number of timesteps",
        reason: " with unroll=True",
        shape: formatShape(input),
        keras: "Cannot unroll a RNN if the time dimension is undefined",
      },
    });
  }
  return problems;
}

/** The output (first tensor) and, with return_state, the LL306 explanation naming every tensor. */
function outputs(layer: string, flags: Flags, batch: Dim, steps: Dim, step: Dim[], stateCount: number): { output?: Shape; states: Shape[]; problems: Problem[] } {
  if (flags.returnSequences === undefined) return { states: [], problems: [] };
  const output: Shape = flags.returnSequences ? [batch, steps, ...step] : [batch, ...step];
  const states: Shape[] = Array.from({ length: stateCount }, () => [batch, ...step]);
  const problems: Problem[] = [];
  if (flags.returnState) {
    const all = [output, ...states];
    problems.push({
      id: "multipleOutputs",
      argument: "return_state",
      values: { layer, count: all.length, shapes: all.map((s) => formatShape(s)).join(", ") },
    });
  }
  return { output, states, problems };
}

/**
 * With return_state the call returns a tuple, the output then the states (`out, h, c = LSTM(…, return_state=True)(x)`):
 * the states as further outputs, of unknown shape where the input is unknown, so the tuple still unpacks.
 */
function returnedStates(flags: Flags, states: readonly Shape[], count: number): { extraOutputs?: (Shape | undefined)[] } {
  if (!flags.returnState) return {};
  return { extraOutputs: states.length ? [...states] : Array.from({ length: count }, () => undefined) };
}

function total(weights: readonly Weight[]): bigint | undefined {
  return weights.every((w) => w.count !== undefined) ? weights.reduce((a, w) => a + (w.count ?? 0n), 0n) : undefined;
}

function bias(useBias: boolean | undefined, shape: (number | undefined)[]): Weight[] {
  if (useBias === false) return [];
  return useBias === undefined ? [{ name: "bias", trainable: true }] : [weight("bias", shape)];
}

/** LL205: use_cudnn=True with a configuration backend.cudnn_ok rejects (Keras raises in inner_loop). */
function cudnnCheck(layer: string, args: Args, gru: boolean): Problem[] {
  const v = args.raw("use_cudnn");
  if (v === undefined) return [];
  if (v !== "auto" && v !== true && v !== false) {
    return [{ id: "invalidArgument", argument: "use_cudnn", values: { argument: "use_cudnn", expected: "'auto', True or False", value: pyRepr(v) } }];
  }
  if (v !== true) return [];
  const reasons: string[] = [];
  const activation = args.raw("activation");
  const recurrent = args.raw("recurrent_activation");
  if (activation !== undefined && activation !== "tanh") reasons.push(`activation=${pyRepr(activation)} (needs 'tanh')`);
  if (recurrent !== undefined && recurrent !== "sigmoid") reasons.push(`recurrent_activation=${pyRepr(recurrent)} (needs 'sigmoid')`);
  const recurrentDropout = args.raw("recurrent_dropout");
  const dropout = numeric(recurrentDropout);
  if (dropout !== undefined && dropout !== 0) reasons.push(`recurrent_dropout=${pyRepr(recurrentDropout!)} (needs 0)`);
  if (args.raw("unroll") === true) reasons.push("unroll=True");
  if (args.raw("use_bias") === false) reasons.push("use_bias=False");
  if (gru && args.raw("reset_after") === false) reasons.push("reset_after=False");
  if (!reasons.length) return [];
  return [{ id: "cudnnUnavailable", argument: "use_cudnn", values: { layer, reasons: reasons.join(", ") } }];
}

type Kind = "SimpleRNN" | "LSTM" | "GRU";

const GATES: Record<Kind, number> = { SimpleRNN: 1, LSTM: 4, GRU: 3 };
const STATES: Record<Kind, number> = { SimpleRNN: 1, LSTM: 2, GRU: 1 };

function rnnWeights(kind: Kind, inDim: number | undefined, units: number | undefined, useBias: boolean | undefined, resetAfter: boolean | undefined): Weight[] {
  const g = GATES[kind];
  const gu = units === undefined ? undefined : g * units;
  const biasShape = kind === "GRU" ? (resetAfter === undefined ? [undefined] : resetAfter ? [2, gu] : [gu]) : [gu];
  return [weight("kernel", [inDim, gu]), weight("recurrent_kernel", [units, gu]), ...bias(useBias, biasShape)];
}

/** `4·(32·64 + 64·64 + 64) = 24,832`; GRU reset_after: `3·(8·10 + 10·10) + 2·3·10 = 600`. */
function rnnFormula(kind: Kind, c: number, u: number, useBias: boolean, resetAfter: boolean, sum: bigint): string {
  const g = GATES[kind];
  const inner = `${c}·${u} + ${u}·${u}`;
  const wrap = (s: string) => (g === 1 ? s : `${g}·(${s})`);
  let body: string;
  if (!useBias) body = wrap(inner);
  else if (kind === "GRU" && resetAfter) body = `${wrap(inner)} + 2·3·${u}`;
  else body = wrap(`${inner} + ${u}`);
  return `${body} = ${withThousands(sum)}`;
}

/** The time steps a recurrent layer runs its cell for: axis 1 (tf.keras 2's time_major input is not followed). */
function steps(args: Args, input: Shape | undefined): Factor | undefined {
  return input && args.raw("time_major") !== true ? factor([input[1]]) : undefined;
}

const kernelOf = (weights: readonly Weight[], name: string) => weightFactor(weights.find((w) => w.name === name));

/** At each step the cell multiplies the input by its kernel and the state by its recurrent kernel (all gates at once). */
const rnnCost: CostRule = ({ args, input, weights }) =>
  times(steps(args, input), sum([{ label: "input", cost: product([kernelOf(weights, "kernel")]) }, { label: "state", cost: product([kernelOf(weights, "recurrent_kernel")]) }]), "steps");

/** ConvLSTM: at each step both convolutions (input and state, four gates each) run at every output position. */
function convLstmCost(rank: Rank): CostRule {
  return ({ args, input, output, weights }) => {
    const format = args.dataFormat();
    const positions = output && format && factor(format === "channels_last" ? output.slice(-rank - 1, -1) : output.slice(-rank));
    return times(steps(args, input), sum([
      { label: "input", cost: product([positions, kernelOf(weights, "kernel")]) },
      { label: "state", cost: product([positions, kernelOf(weights, "recurrent_kernel")]) },
    ]), "steps");
  };
}

function rnnSpec(kind: Kind, params: ParamDecl[], summary: string): LayerSpec {
  return {
    name: kind,
    summary,
    params,
    cost: rnnCost,
    ...(KERAS2_POSITIONAL[kind] ? { generations: { keras2Positional: KERAS2_POSITIONAL[kind], source: RNN_SOURCE } } : {}),
    infer(args: Args, input: Shape | undefined): RecurrentResult {
      const units = args.int("units");
      args.raw("activation");
      const useBias = args.bool("use_bias");
      const resetAfter = kind === "GRU" ? args.bool("reset_after") : false;
      if (kind === "LSTM") args.bool("unit_forget_bias");
      const flags = readFlags(args);
      const problems: Problem[] = kind === "SimpleRNN" ? [] : cudnnCheck(kind, args, kind === "GRU");
      const info = (states: Shape[]): RecurrentInfo => ({ ...flags, states });
      const finish = (output: Shape | undefined, weights: Weight[], formulas: Formula[], states: Shape[] = []): RecurrentResult => ({
        output,
        weights,
        formulas,
        problems: [...args.problems, ...problems],
        recurrent: info(states),
        ...returnedStates(flags, states, STATES[kind]),
      });
      const unknown = rnnWeights(kind, undefined, units, useBias, resetAfter);
      if (!input) return finish(undefined, unknown, []);
      // tf.keras 2's time_major=True reads the input as (timesteps, batch, features): not followed (nor a value not known).
      if (args.raw("time_major") !== false) {
        if (!args.unresolved.has("time_major")) args.unresolved.set("time_major", "a time-major input (timesteps before the batch) is not followed");
        return finish(undefined, rnnWeights(kind, isKnown(input[input.length - 1]) ? (input[input.length - 1] as number) : undefined, units, useBias, resetAfter), []);
      }
      const wrongRank = rankProblem(kind, input, 3, "(batch, timesteps, features)");
      if (wrongRank) {
        problems.push(wrongRank);
        return finish(undefined, unknown, []);
      }
      const last = input[2];
      if (last === NONE) problems.push({ id: "undefinedLastDimension", values: { layer: kind, shape: formatShape(input) } });
      problems.push(...staticChecks(kind, input, flags));
      const out = outputs(kind, flags, input[0], input[1], [units ?? UNKNOWN], STATES[kind]);
      problems.push(...out.problems);
      const inDim = isKnown(last) ? last : undefined;
      const weights = rnnWeights(kind, inDim, units, useBias, resetAfter);
      const formulas: Formula[] = [];
      const sum = total(weights);
      if (sum !== undefined && inDim !== undefined && units !== undefined && useBias !== undefined && resetAfter !== undefined) {
        formulas.push({ label: "params", text: rnnFormula(kind, inDim, units, useBias, resetAfter, sum) });
      }
      return finish(out.output, weights, formulas, out.states);
    },
  };
}

type Rank = 1 | 2 | 3;

function convLstmSpec(rank: Rank): LayerSpec {
  const name = `ConvLSTM${rank}D`;
  const names = spatialNames(rank);
  return {
    name,
    summary: `${rank}-D convolutional LSTM: an LSTM whose input and recurrent transformations are ${rank}-D convolutions with \`filters\` channels.`,
    params: convLstmParams(),
    cost: convLstmCost(rank),
    infer(args: Args, input: Shape | undefined): RecurrentResult {
      const filters = args.int("filters");
      const kernel = args.intTuple("kernel_size", rank);
      const strides = args.intTuple("strides", rank);
      const dilation = args.intTuple("dilation_rate", rank);
      const padding: Padding | undefined = args.padding(false);
      const format: DataFormat | undefined = args.dataFormat();
      const useBias = args.bool("use_bias");
      args.bool("unit_forget_bias");
      const flags = readFlags(args);
      const problems: Problem[] = [];
      if (strides && dilation && Math.max(...strides) > 1 && Math.max(...dilation) > 1) {
        problems.push({
          id: "stridesWithDilation",
          argument: "strides",
          values: { strides: `(${strides.join(", ")})`, dilation: `(${dilation.join(", ")})` },
        });
      }
      const weightsFor = (c: number | undefined): Weight[] => {
        const k = kernel ?? [undefined];
        const f4 = filters === undefined ? undefined : 4 * filters;
        return [weight("kernel", [...k, c, f4]), weight("recurrent_kernel", [...k, filters, f4]), ...bias(useBias, [f4])];
      };
      const finish = (output: Shape | undefined, weights: Weight[], formulas: Formula[] = [], states: Shape[] = []): RecurrentResult => ({
        output,
        weights,
        formulas,
        problems: [...args.problems, ...problems],
        recurrent: { ...flags, states },
        ...returnedStates(flags, states, 2),
      });
      if (!input) return finish(undefined, weightsFor(undefined));
      const wrongRank = rankProblem(name, input, rank + 3, `(batch, time, ${names.join(", ")}, channels)`);
      if (wrongRank) {
        problems.push(wrongRank);
        return finish(undefined, weightsFor(undefined));
      }
      problems.push(...staticChecks(name, input, flags));
      // One time step: (batch, spatial…, channels) or (batch, channels, spatial…).
      const step: Shape = [input[0], ...input.slice(2)];
      if (!format) {
        const out = outputs(name, flags, input[0], input[1], step.slice(1).map(unknownFrom), 2);
        problems.push(...out.problems);
        return finish(out.output, weightsFor(undefined), [], out.states);
      }
      const channelAxis = channelIndex(format, rank + 2) + 1;
      const channels = input[channelAxis];
      const firstSpatial = format === "channels_first" ? 3 : 2;
      if (input.slice(firstSpatial, firstSpatial + rank).some((d) => d === NONE)) {
        problems.push({
          id: "staticDimensionRequired",
          values: {
            layer: name,
            what: `size on every spatial axis (${names.join(", ")})`,
            reason: "",
            shape: formatShape(input),
            keras: "ConvLSTM layers only support static input shapes for the spatial dimension",
          },
        });
      }
      if (channels === NONE) {
        problems.push({ id: "undefinedAxis", values: { layer: name, axis: channelAxis, shape: formatShape(input) } });
      }
      const window = { size: dilation ? kernel : undefined, strides, padding, dilation };
      const slid = slideWindows(name, step, rank, format, window, "kernel_size");
      // slideWindows counts axes of the step; the full input has the time axis in front.
      problems.push(...slid.problems.map((p) => ({ ...p, axis: (p.axis ?? 0) + 1 })));
      const f: Dim = filters ?? UNKNOWN;
      const stepOut: Dim[] = format === "channels_first" ? [f, ...slid.spatial] : [...slid.spatial, f];
      const out = outputs(name, flags, input[0], input[1], stepOut, 2);
      problems.push(...out.problems);
      const c = isKnown(channels) ? channels : undefined;
      const weights = weightsFor(c);
      const formulas: Formula[] = [...slid.formulas];
      const sum = total(weights);
      if (sum !== undefined && kernel && filters !== undefined && c !== undefined) {
        const k = kernel.join("·");
        const b = useBias ? ` + ${filters}` : "";
        formulas.push({ label: "params", text: `4·(${k}·${c}·${filters} + ${k}·${filters}·${filters}${b}) = ${withThousands(sum)}` });
      }
      return finish(out.output, weights, formulas, out.states);
    },
  };
}

export const recurrentLayers: LayerSpec[] = [
  rnnSpec("SimpleRNN", simpleRnnParams, "Fully connected RNN: each step's output `activation(x·kernel + h·recurrent_kernel + bias)` is fed back as the next state."),
  rnnSpec("LSTM", lstmParams, "Long Short-Term Memory: four gates (input, forget, cell, output) over the input and the previous state, carrying a memory cell across time."),
  rnnSpec("GRU", gruParams, "Gated Recurrent Unit: update, reset and candidate gates over the input and the previous state."),
  convLstmSpec(1),
  convLstmSpec(2),
  convLstmSpec(3),
];

