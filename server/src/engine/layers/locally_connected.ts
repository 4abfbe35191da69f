/**
 * tf.keras 2's LocallyConnected1D and LocallyConnected2D (tf_keras/layers/locally_connected/
 * locally_connected{1,2}d.py): a convolution whose weights are not shared between output positions.
 * Keras 3 removed both (keras/api/layers has neither), so they are modelled for code written for
 * tf.keras 2 only (`generations.only`); read as anything else, what they give is unknown.
 *
 * Output as a convolution without dilation (`conv_utils.conv_output_length`): 'valid' ⌊(n − k) / s⌋ + 1,
 * 'same' ⌈n / s⌉, the channels becoming `filters`. Weights, with o the output positions (the product of
 * the output sizes), k the window's size (the product of kernel_size) and c the input channels:
 * - implementation=1 (the default; 'valid' padding only, else the constructor raises): kernel (o, k·c, filters);
 * - implementation=2: a dense kernel masked to the windows, (input sizes…, c, output sizes…, filters) under
 *   channels_last, (c, input sizes…, filters, output sizes…) under channels_first;
 * - implementation=3: one kernel entry per connection (`conv_kernel_idxs`): o·k·c·filters under 'valid' padding,
 *   where every window lies inside the input; under 'same' it depends on the windows cut at the edges (unknown);
 * - bias (output sizes…, filters) with use_bias.
 * `build` needs the spatial sizes (LocallyConnected2D raises for None) and the channels.
 */
import { product, weightFactor } from "../cost";
import { Args } from "../args";
import { Dim, NONE, Shape, UNKNOWN, formatShape, isKnown } from "../shape";
import { Formula, LayerResult, LayerSpec, Problem, Weight } from "../spec";
import { channelIndex, rankProblem, slideWindows, spatialExample, weight } from "../math";
import { withThousands } from "../format";
import { pyRepr } from "../values";

type Rank = 1 | 2;

function spec(rank: Rank): LayerSpec {
  const name = `LocallyConnected${rank}D`;
  return {
    name,
    summary: `${rank}-D convolution with unshared weights: a separate filter bank at every output position (tf.keras 2's; Keras 3 removed it).`,
    params: [
      { name: "filters" },
      { name: "kernel_size" },
      { name: "strides", default: rank === 1 ? 1 : { tuple: [1, 1] } },
      { name: "padding", default: "valid" },
      { name: "data_format", default: null },
      { name: "activation", default: null },
      { name: "use_bias", default: true },
      { name: "kernel_initializer", default: "glorot_uniform" },
      { name: "bias_initializer", default: "zeros" },
      { name: "kernel_regularizer", default: null },
      { name: "bias_regularizer", default: null },
      { name: "activity_regularizer", default: null },
      { name: "kernel_constraint", default: null },
      { name: "bias_constraint", default: null },
      { name: "implementation", default: 1 },
    ],
    generations: { only: 2, source: `tf_keras/layers/locally_connected/locally_connected${rank}d.py; keras/api/layers/__init__.py (no ${name})` },
    spatialRank: rank,
    infer(args: Args, input: Shape | undefined): LayerResult {
      const filters = args.int("filters");
      const kernel = args.intTuple("kernel_size", rank);
      const strides = args.intTuple("strides", rank);
      const padding = args.padding(false);
      const format = args.dataFormat();
      const useBias = args.bool("use_bias");
      const implementation = args.raw("implementation");
      const problems: Problem[] = [];
      if (implementation !== undefined && implementation !== 1 && implementation !== 2 && implementation !== 3) {
        problems.push({ id: "invalidArgument", argument: "implementation", values: { argument: "implementation", expected: "1, 2 or 3", value: pyRepr(implementation) } });
      }
      if (implementation === 1 && padding === "same") {
        // "Invalid border mode for LocallyConnected2D (only "valid" is supported if implementation is 1)".
        problems.push({ id: "invalidArgument", argument: "padding", values: { argument: "padding", expected: "'valid' when implementation=1", value: "'same'" } });
      }
      const unknownWeights: Weight[] = [{ name: "kernel", trainable: true }];
      const done = (output: Shape | undefined, weights: Weight[], formulas: Formula[] = []): LayerResult => ({ output, weights, formulas, problems: [...args.problems, ...problems] });
      // Only tf.keras 2 has the layer.
      if (args.keras !== 2 || !input) return done(undefined, unknownWeights);
      const wrongRank = rankProblem(name, input, rank + 2, spatialExample(rank));
      if (wrongRank) {
        problems.push(wrongRank);
        return done(undefined, unknownWeights);
      }
      if (!format) return done(undefined, unknownWeights);
      const slid = slideWindows(name, input, rank, format, { size: kernel, strides, padding }, "kernel_size");
      problems.push(...slid.problems);
      const channelAxis = channelIndex(format, rank + 2);
      const channels = input[channelAxis];
      const sizes = format === "channels_first" ? input.slice(2) : input.slice(1, -1);
      if (rank === 2 && sizes.some((d) => d === NONE)) {
        problems.push({
          id: "staticDimensionRequired",
          values: { layer: name, what: "size on every spatial axis", reason: "", shape: formatShape(input), keras: `The spatial dimensions of the inputs to a ${name} layer should be fully-defined` },
        });
      }
      if (channels === NONE) problems.push({ id: "undefinedAxis", values: { layer: name, axis: channelAxis, shape: formatShape(input) } });
      const f: Dim = filters ?? UNKNOWN;
      const output: Shape = format === "channels_first" ? [input[0], f, ...slid.spatial] : [input[0], ...slid.spatial, f];

      const known = (dims: readonly Dim[]) => (dims.every(isKnown) ? (dims as number[]) : undefined);
      const out = known(slid.spatial);
      const inSizes = known(sizes);
      const c = isKnown(channels) ? channels : undefined;
      const k = kernel?.reduce((a, b) => a * b, 1);
      const o = out?.reduce((a, b) => a * b, 1);
      let kernelWeight: Weight;
      if (implementation === 1) kernelWeight = weight("kernel", [o, k !== undefined && c !== undefined ? k * c : undefined, filters]);
      else if (implementation === 2) {
        const i = inSizes ?? [undefined];
        const u = out ?? [undefined];
        kernelWeight = weight("kernel", format === "channels_first" ? [c, ...i, filters, ...u] : [...i, c, ...u, filters]);
      } else if (implementation === 3 && padding === "valid") kernelWeight = weight("kernel", [o, k, c, filters]);
      else kernelWeight = { name: "kernel", trainable: true };
      const weights: Weight[] = [kernelWeight];
      if (useBias !== false) weights.push(useBias === undefined ? { name: "bias", trainable: true } : weight("bias", [...(out ?? [undefined]), filters]));
      const formulas: Formula[] = [...slid.formulas];
      if (weights.every((w) => w.count !== undefined)) {
        const sum = weights.reduce((a, w) => a + w.count!, 0n);
        formulas.push({ label: "params", text: `${weights.map((w) => w.shape!.join("·")).join(" + ")} = ${withThousands(sum)}` });
      }
      return done(output, weights, formulas);
    },
  };
}

// Every kernel entry multiplies once: one window per output position (implementation 1 and 3), or the dense
// masked kernel of implementation 2, multiplied whole.
export const locallyConnectedLayers: LayerSpec[] = [spec(1), spec(2)].map((s) => ({ ...s, cost: ({ weights }) => product([weightFactor(weights.find((w) => w.name === "kernel"))]) }));
