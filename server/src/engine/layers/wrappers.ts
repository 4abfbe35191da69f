/**
 * Wrappers around another layer: Bidirectional (keras/src/layers/rnn/bidirectional.py)
 * and TimeDistributed (keras/src/layers/rnn/time_distributed.py).
 *
 * Bidirectional(layer, merge_mode='concat', weights=None, backward_layer=None): a
 * forward copy of the RNN and a backward one (the same config with go_backwards=True,
 * or `backward_layer`), so twice the weights. Output (compute_output_shape): the
 * forward layer's, with the last axis doubled for 'concat', unchanged for
 * 'sum' / 'mul' / 'ave', and two tensors for None. The layer must be recurrent, the
 * two copies must differ in go_backwards and agree on stateful, return_sequences and
 * return_state (`_verify_layer_config`).
 *
 * TimeDistributed(layer): the layer on every time slice: (batch, time, …) → the
 * inner output of (batch, …) with `time` put back after the batch axis; the
 * weights are the inner layer's, shared by every step. Input rank ≥ 3. The layer
 * may be a model (a Keras model is a layer): its output per time step, its weights.
 * Bidirectional refuses a model: `_verify_layer_config` reads the wrapped layer's
 * go_backwards, which a Sequential or functional model does not have.
 *
 * A wrapped value that may be a layer but cannot be followed (an instance of a
 * class of the file) leaves the result unknown, never an error (`Args.nestedLayer`).
 *
 * The wrapped layer's own problems refer to its arguments; they are re-pointed to
 * the wrapper's `layer` (or `backward_layer`) argument so they land on the nested call.
 */
import { factor, sum, times } from "../cost";
import { Args } from "../args";
import { Dim, Shape, formatShape, isKnown } from "../shape";
import { Formula, LayerResult, LayerSpec, NestedLayer, Problem, Weight } from "../spec";
import { minRankProblem } from "../math";
import { withThousands } from "../format";
import { pyRepr } from "../values";
import { isRecurrent, recurrentInfo } from "./recurrent";

/** The nested call's problems, placed on the wrapper's argument; axes shifted to the wrapper's input. */
function repoint(problems: readonly Problem[], argument: string, axisShift = 0): Problem[] {
  return problems.map((p) => (p.axis === undefined ? { ...p, argument } : { ...p, argument, axis: p.axis + axisShift }));
}

function renamed(weights: readonly Weight[], prefix: string): Weight[] {
  return weights.map((w) => ({ ...w, name: `${prefix}${w.name}` }));
}

function total(weights: readonly Weight[]): bigint | undefined {
  return weights.every((w) => w.count !== undefined) ? weights.reduce((a, w) => a + (w.count ?? 0n), 0n) : undefined;
}

type MergeMode = "concat" | "sum" | "mul" | "ave" | null;

/** Keras compares merge_mode exactly (no case folding). */
function readMergeMode(args: Args): MergeMode | undefined {
  const v = args.raw("merge_mode");
  if (v === undefined) return undefined;
  if (v === null || v === "concat" || v === "sum" || v === "mul" || v === "ave") return v;
  args.problems.push({
    id: "invalidArgument",
    argument: "merge_mode",
    values: { argument: "merge_mode", expected: "'concat', 'sum', 'mul', 'ave' or None", value: pyRepr(v) },
  });
  return undefined;
}

/** A layer argument that is given (not None) and modelled; undefined otherwise. */
function optionalNested(args: Args, name: string): NestedLayer | undefined {
  return args.raw(name) === null ? undefined : args.nestedLayer(name);
}

function notRecurrent(argument: string, nested: NestedLayer): Problem {
  if (!nested.spec) {
    // A Sequential or functional model: _verify_layer_config reads its go_backwards, which a model does not have.
    return {
      id: "invalidArgument",
      argument,
      values: { argument, expected: "a recurrent layer such as LSTM(64) (Bidirectional reads its go_backwards, which a model does not have)", value: "a model" },
    };
  }
  return { id: "notRecurrentLayer", argument, values: { wrapper: "Bidirectional", layer: nested.spec.name } };
}

const bidirectionalSpec: LayerSpec = {
  name: "Bidirectional",
  summary: "Runs a recurrent layer forwards and a copy of it backwards over the sequence and merges the two outputs (concatenated by default).",
  params: [{ name: "layer" }, { name: "merge_mode", default: "concat" }, { name: "weights", default: null }, { name: "backward_layer", default: null }],
  // Both directions run over the whole sequence (merging them is element-wise, not counted).
  cost: ({ args, input }) => {
    const forward = args.nestedLayer("layer");
    const backward = args.has("backward_layer") ? args.nestedLayer("backward_layer") : forward;
    if (!forward || !backward) return { note: "the wrapped layer is not followed" };
    return sum([{ label: "forward", cost: forward.cost(input) }, { label: "backward", cost: backward.cost(input) }]);
  },
  infer(args: Args, input: Shape | undefined): LayerResult {
    const merge = readMergeMode(args);
    const layer = args.nestedLayer("layer");
    const backward = args.has("backward_layer") ? optionalNested(args, "backward_layer") : undefined;
    const backwardGiven = args.has("backward_layer");
    const problems: Problem[] = [];
    const unknownWeights: Weight[] = [{ name: "forward_layer", trainable: true }];
    const finish = (output: Shape | undefined, weights: Weight[], formulas: Formula[] = []): LayerResult => ({
      output,
      weights,
      formulas,
      problems: [...args.problems, ...problems],
    });
    if (!layer) return finish(undefined, unknownWeights);
    if (!layer.spec || !isRecurrent(layer.spec)) {
      problems.push(notRecurrent("layer", layer));
      return finish(undefined, unknownWeights);
    }
    if (backward && (!backward.spec || !isRecurrent(backward.spec))) {
      problems.push(notRecurrent("backward_layer", backward));
      return finish(undefined, unknownWeights);
    }
    // Each copy's own multiple-outputs note is replaced by one for the whole wrapper.
    const own = (r: LayerResult, argument: string) => repoint(r.problems.filter((p) => p.id !== "multipleOutputs"), argument);
    const fwd = layer.infer(input);
    problems.push(...own(fwd, "layer"));
    const bwd = backward ? backward.infer(input) : fwd;
    if (backward) problems.push(...own(bwd, "backward_layer"));
    const fInfo = recurrentInfo(fwd);
    const bInfo = recurrentInfo(bwd);

    // _verify_layer_config: opposite directions, same stateful / return_sequences / return_state.
    const mismatch = (detail: string, argument: string) =>
      problems.push({ id: "bidirectionalMismatch", argument, values: { detail } });
    if (fInfo && bInfo && !(backwardGiven && !backward)) {
      const fBack = fInfo.goBackwards;
      const bBack = backward ? bInfo.goBackwards : true;
      if (fBack !== undefined && bBack !== undefined && fBack === bBack) {
        mismatch(
          backward
            ? `must have different go_backwards values (both are ${fBack ? "True" : "False"})`
            : "would both run backwards: the wrapped layer has go_backwards=True and its backward copy gets go_backwards=True too",
          backward ? "backward_layer" : "layer",
        );
      }
      if (backward) {
        for (const [key, attr] of [["stateful", "stateful"], ["returnSequences", "return_sequences"], ["returnState", "return_state"]] as const) {
          const a = fInfo[key];
          const b = bInfo[key];
          if (a !== undefined && b !== undefined && a !== b) mismatch(`must have the same ${attr} (forward ${a ? "True" : "False"}, backward ${b ? "True" : "False"})`, "backward_layer");
        }
      }
    }

    const weights = [...renamed(fwd.weights, "forward_"), ...renamed(bwd.weights, "backward_")];
    const formulas: Formula[] = [];
    let output: Shape | undefined = fwd.output;
    if (output && merge === undefined) output = [...output.slice(0, -1), isKnown(output[output.length - 1]) ? "?" : output[output.length - 1]];
    else if (output && merge === "concat") {
      const last = output[output.length - 1];
      const doubled: Dim = isKnown(last) ? 2 * last : last;
      if (isKnown(last)) formulas.push({ label: "features", text: `2·${last} = ${doubled}` });
      output = [...output.slice(0, -1), doubled];
    }
    if (backward && fwd.output && bwd.output && merge !== null) {
      const a = fwd.output[fwd.output.length - 1];
      const b = bwd.output[bwd.output.length - 1];
      if (isKnown(a) && isKnown(b) && a !== b) mismatch(`must produce the same output size (forward ${a}, backward ${b})`, "backward_layer");
    }
    if (output && (merge === null || fInfo?.returnState)) {
      const states = fInfo?.returnState ? [...(fInfo?.states ?? []), ...(bInfo?.states ?? [])] : [];
      const all: Shape[] = [...(merge === null ? [output, bwd.output ?? output] : [output]), ...states];
      problems.push({
        id: "multipleOutputs",
        argument: merge === null && args.given.has("merge_mode") ? "merge_mode" : "layer",
        values: { layer: "Bidirectional", count: all.length, shapes: all.map((s) => formatShape(s)).join(", ") },
      });
    }
    const f = total(fwd.weights);
    const b = total(bwd.weights);
    if (f !== undefined && b !== undefined) {
      formulas.push({
        label: "params",
        text: backward ? `${withThousands(f)} + ${withThousands(b)} = ${withThousands(f + b)}` : `2·${withThousands(f)} = ${withThousands(f + b)}`,
      });
    }
    if (backwardGiven && !backward) {
      // backward_layer given but unknown (not modelled, not resolved or not a layer): so are its weights.
      return finish(output, [...renamed(fwd.weights, "forward_"), { name: "backward_layer", trainable: true }], formulas.filter((x) => x.label !== "params"));
    }
    return finish(output, weights, formulas);
  },
};

const timeDistributedSpec: LayerSpec = {
  name: "TimeDistributed",
  summary: "Applies the wrapped layer to every time slice of the input, with the same weights at every step.",
  params: [{ name: "layer" }],
  // The wrapped layer on one time slice, once per step.
  cost: ({ args, input }) => {
    const layer = args.nestedLayer("layer");
    if (!layer || !input || input.length < 3) return { note: layer ? "depends on a dimension that is not known statically" : "the wrapped layer is not followed" };
    return times(factor([input[1]]), layer.cost([input[0], ...input.slice(2)]), "steps");
  },
  infer(args: Args, input: Shape | undefined): LayerResult {
    const layer = args.nestedLayer("layer");
    const problems: Problem[] = [];
    const finish = (output: Shape | undefined, weights: readonly Weight[], formulas: readonly Formula[] = []): LayerResult => ({
      output,
      weights,
      formulas,
      problems: [...args.problems, ...problems],
    });
    if (!layer) return finish(undefined, [{ name: "layer", trainable: true }]);
    if (!input) return finish(undefined, layer.infer(undefined).weights);
    const wrongRank = minRankProblem("TimeDistributed", input, 3, "(batch, time, …)");
    if (wrongRank) {
      problems.push(wrongRank);
      return finish(undefined, layer.infer(undefined).weights);
    }
    // _get_child_input_shape: the time axis removed.
    const inner = layer.infer([input[0], ...input.slice(2)]);
    problems.push(...repoint(inner.problems, "layer", 1));
    const output = inner.output && inner.output.length ? [inner.output[0], input[1], ...inner.output.slice(1)] : undefined;
    return finish(output, inner.weights, inner.formulas);
  },
};

export const wrapperLayers: LayerSpec[] = [bidirectionalSpec, timeDistributedSpec];
