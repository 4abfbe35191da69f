/**
 * Convolution layers: Conv1D, Conv2D, Conv3D (Keras's BaseConv).
 *
 * Shape rule, per spatial axis: 'valid' gives ⌊(n − (d·(k−1)+1)) / s⌋ + 1,
 * 'same' (and 'causal', Conv1D only) gives ⌈n / s⌉; the channel axis becomes `filters`.
 * Weights: kernel k₁·…·kᵣ·(C_in / groups)·filters, bias filters (when use_bias).
 */
import { Args } from "../args";
import { Dim, Shape, UNKNOWN, isKnown } from "../shape";
import { Formula, LayerResult, LayerSpec, ParamDecl, Problem, Weight } from "../spec";
import { adapterParams, channelIndex, rankProblem, slideWindows, spatialExample, unknownFrom, weight, withAdapters } from "../math";
import { withThousands } from "../format";

const convParams: ParamDecl[] = [
  { name: "filters" },
  { name: "kernel_size" },
  { name: "strides", default: 1 },
  { name: "padding", default: "valid" },
  { name: "data_format", default: null },
  { name: "dilation_rate", default: 1 },
  { name: "groups", default: 1 },
  { name: "activation", default: null },
  { name: "use_bias", default: true },
  { name: "kernel_initializer", default: "glorot_uniform" },
  { name: "bias_initializer", default: "zeros" },
  { name: "kernel_regularizer", default: null },
  { name: "bias_regularizer", default: null },
  { name: "activity_regularizer", default: null },
  { name: "kernel_constraint", default: null },
  { name: "bias_constraint", default: null },
];



/** Parameter formula such as `(8·8·3 + 1)·20 = 3,860`, grouped when groups > 1. */
function paramFormula(kernel: number[], inChannels: number, groups: number, filters: number, useBias: boolean, total: bigint): string {
  const perFilter = [...kernel, groups > 1 ? `(${inChannels}/${groups})` : inChannels].join("·");
  const body = useBias ? `(${perFilter} + 1)·${filters}` : `${perFilter}·${filters}`;
  return `${body} = ${withThousands(total)}`;
}

function convSpec(rank: 1 | 2 | 3): LayerSpec {
  const name = `Conv${rank}D`;
  return {
    name,
    aliases: [`Convolution${rank}D`],
    summary: `${rank}-D convolution: slides \`filters\` learned windows of size \`kernel_size\` over the input.`,
    params: [...convParams, ...adapterParams],
    spatialRank: rank,
    infer(args: Args, input: Shape | undefined): LayerResult {
      const filters = args.int("filters");
      const kernel = args.intTuple("kernel_size", rank);
      const strides = args.intTuple("strides", rank);
      const dilation = args.intTuple("dilation_rate", rank);
      const padding = args.padding(rank === 1);
      const format = args.dataFormat();
      const groups = args.int("groups");
      const useBias = args.bool("use_bias");
      const problems: Problem[] = [];

      if (strides && dilation && Math.max(...strides) > 1 && Math.max(...dilation) > 1) {
        problems.push({
          id: "stridesWithDilation",
          argument: "strides",
          values: { strides: `(${strides.join(", ")})`, dilation: `(${dilation.join(", ")})` },
        });
      }
      if (filters !== undefined && groups !== undefined && filters % groups !== 0) {
        problems.push({ id: "groupsNotDividing", argument: "groups", values: { what: "filters", count: filters, groups } });
      }

      const formulas: Formula[] = [];
      // Without a usable input the kernel's depth is unknown, so its size is too.
      const unknownWeights: Weight[] = [{ name: "kernel", trainable: true }, ...(useBias === false ? [] : [{ name: "bias", trainable: true }])];
      if (!input) return { weights: unknownWeights, formulas, problems: [...args.problems, ...problems] };
      const wrongRank = rankProblem(name, input, rank + 2, spatialExample(rank));
      if (wrongRank) return { weights: unknownWeights, formulas, problems: [...args.problems, ...problems, wrongRank] };

      const inChannels: Dim = format ? input[channelIndex(format, rank + 2)] : UNKNOWN;
      if (isKnown(inChannels) && groups !== undefined && inChannels % groups !== 0) {
        problems.push({
          id: "groupsNotDividing",
          argument: "groups",
          values: { what: "input channels", count: inChannels, groups },
        });
      }

      if (!format) {
        const output = input.map((d, i) => (i === 0 ? d : unknownFrom(d)));
        return { output, weights: unknownWeights, formulas, problems: [...args.problems, ...problems] };
      }
      // An unknown dilation leaves the window's extent, and so every size, unknown.
      const window = { size: dilation ? kernel : undefined, strides, padding, dilation };
      const slid = slideWindows(name, input, rank, format, window, "kernel_size");
      formulas.push(...slid.formulas);
      problems.push(...slid.problems);
      const spatial = slid.spatial;

      const outChannels: Dim = filters ?? UNKNOWN;
      const output: Dim[] = format === "channels_first" ? [input[0], outChannels, ...spatial] : [input[0], ...spatial, outChannels];

      const perGroupIn = isKnown(inChannels) && groups !== undefined && inChannels % groups === 0 ? inChannels / groups : undefined;
      const weights: Weight[] = [weight("kernel", [...(kernel ?? [undefined]), perGroupIn, filters])];
      if (useBias !== false) weights.push(useBias === undefined ? { name: "bias", trainable: true } : weight("bias", [filters]));
      const adapted = withAdapters(args, weights);
      if (adapted) return { output, weights: adapted, formulas, problems: [...args.problems, ...problems] };
      const total = weights.every((w) => w.count !== undefined) ? weights.reduce((a, w) => a + (w.count ?? 0n), 0n) : undefined;
      if (total !== undefined && kernel && isKnown(inChannels) && groups && filters) {
        formulas.push({ label: "params", text: paramFormula(kernel, inChannels, groups, filters, useBias !== false, total) });
      }
      return { output, weights, formulas, problems: [...args.problems, ...problems] };
    },
  };
}

export const convolutionLayers: LayerSpec[] = [convSpec(1), convSpec(2), convSpec(3)];
