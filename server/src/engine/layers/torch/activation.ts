/**
 * PyTorch's activation modules (torch/nn/modules/activation.py). All keep the shape except GLU, which halves
 * `dim`; only PReLU has a parameter (`weight`, num_parameters of them). Their own checks, in PyTorch's words:
 * Hardtanh's `max_val > min_val` (asserted in `__init__`), GELU's approximate, RReLU's bounds, Softshrink's
 * lambd and CELU's alpha (raised by the functions they call), PReLU's parameter count against the channels,
 * Softmax's dim (an IndexError out of range; without one, PyTorch's deprecation warning and its choice).
 */
import { Args } from "../../args";
import { elementwiseCost } from "../../cost";
import { Shape, formatShape, isKnown } from "../../shape";
import { LayerResult, LayerSpec, ParamDecl, Problem } from "../../spec";
import { weight } from "../../math";
import { numeric, pyRepr } from "../../values";
import { known, raises, rankRefused, sameShape, wrapDim } from "./moduleChecks";

const inplace: ParamDecl = { name: "inplace", default: false };

/** An element-wise module: its parameters (each number read as one, `inplace` as a bool) and its own check. */
interface Elementwise {
  readonly name: string;
  readonly summary: string;
  readonly params: readonly ParamDecl[];
  /** PyTorch's own check of the arguments, beyond their types. */
  readonly check?: (args: Args) => Problem[];
}

/** A number argument as the checks read it, after `readParams` flagged a wrong type. */
function number(args: Args, name: string): number | undefined {
  return numeric(args.raw(name));
}

/** Flags an argument of the wrong type: `inplace` a bool, the others numbers (None allowed); a string option is left to its check. */
function readParams(args: Args, params: readonly ParamDecl[]): void {
  for (const p of params) {
    if (p.name === "inplace") args.bool(p.name);
    else if (typeof p.default !== "string" && args.raw(p.name) !== null) args.float(p.name);
  }
}

function elementwiseSpec(module: Elementwise): LayerSpec {
  return {
    name: `torch.nn.${module.name}`,
    summary: module.summary,
    params: module.params,
    closedKeywords: true,
    cost: elementwiseCost,
    infer: (args, input) => {
      readParams(args, module.params);
      return sameShape(args, input, module.check?.(args) ?? []);
    },
  };
}

/** `Hardtanh.__init__`: the deprecated min_value / max_value win over min_val / max_val; then `assert max_val > min_val`. */
function hardtanhCheck(args: Args): Problem[] {
  const low = number(args, args.has("min_value") ? "min_value" : "min_val");
  const high = number(args, args.has("max_value") ? "max_value" : "max_val");
  if (low === undefined || high === undefined || high > low) return [];
  return [raises("Hardtanh", "AssertionError", `assert self.max_val > self.min_val failed (min_val=${low}, max_val=${high})`, args.has("max_value") ? "max_value" : "max_val")];
}

const ELEMENTWISE: readonly Elementwise[] = [
  { name: "ReLU", summary: "max(0, x), element-wise.", params: [inplace] },
  { name: "ReLU6", summary: "min(max(0, x), 6), element-wise.", params: [inplace] },
  { name: "LeakyReLU", summary: "x for x ≥ 0, negative_slope·x below, element-wise.", params: [{ name: "negative_slope", default: 0.01 }, inplace] },
  { name: "ELU", summary: "x for x > 0, alpha·(exp(x) − 1) below, element-wise.", params: [{ name: "alpha", default: 1.0 }, inplace] },
  { name: "SELU", summary: "Scaled ELU with fixed constants (self-normalizing), element-wise.", params: [inplace] },
  {
    name: "CELU",
    summary: "max(0, x) + min(0, alpha·(exp(x/alpha) − 1)), element-wise.",
    params: [{ name: "alpha", default: 1.0 }, inplace],
    check: (args) => (number(args, "alpha") === 0 ? [raises("CELU", "RuntimeError", "ZeroDivisionError: alpha cannot be 0 for CELU", "alpha")] : []),
  },
  {
    name: "GELU",
    summary: "Gaussian error linear unit x·Φ(x) (or its tanh approximation), element-wise.",
    params: [{ name: "approximate", default: "none" }],
    check: (args) => {
      const mode = args.raw("approximate");
      if (mode === undefined || mode === "none" || mode === "tanh") return [];
      return [raises("GELU", "RuntimeError", "approximate argument must be either none or tanh.", "approximate")];
    },
  },
  { name: "SiLU", summary: "x·sigmoid(x) (swish), element-wise.", params: [inplace] },
  { name: "Mish", summary: "x·tanh(softplus(x)), element-wise.", params: [inplace] },
  { name: "Sigmoid", summary: "1 / (1 + exp(−x)), element-wise.", params: [] },
  { name: "Tanh", summary: "tanh(x), element-wise.", params: [] },
  {
    name: "Hardtanh",
    summary: "x clipped to [min_val, max_val], element-wise.",
    params: [{ name: "min_val", default: -1.0 }, { name: "max_val", default: 1.0 }, inplace, { name: "min_value", default: null }, { name: "max_value", default: null }],
    check: hardtanhCheck,
  },
  { name: "Hardsigmoid", summary: "Piecewise-linear sigmoid: clip(x/6 + 1/2, 0, 1), element-wise.", params: [inplace] },
  { name: "Hardswish", summary: "x·hardsigmoid(x), element-wise.", params: [inplace] },
  { name: "Softplus", summary: "log(1 + exp(beta·x)) / beta, linear above threshold, element-wise.", params: [{ name: "beta", default: 1.0 }, { name: "threshold", default: 20.0 }] },
  { name: "Softsign", summary: "x / (1 + |x|), element-wise.", params: [] },
  {
    name: "Softshrink",
    summary: "x − lambd above lambd, x + lambd below −lambd, 0 between, element-wise.",
    params: [{ name: "lambd", default: 0.5 }],
    check: (args) => {
      const lambd = number(args, "lambd");
      return lambd !== undefined && lambd < 0 ? [raises("Softshrink", "RuntimeError", `lambda must be greater or equal to 0, but found to be ${pyRepr(args.raw("lambd") ?? lambd)}.`, "lambd")] : [];
    },
  },
  { name: "Hardshrink", summary: "x where |x| > lambd, else 0, element-wise.", params: [{ name: "lambd", default: 0.5 }] },
  { name: "Tanhshrink", summary: "x − tanh(x), element-wise.", params: [] },
  { name: "Threshold", summary: "x where x > threshold, else value, element-wise.", params: [{ name: "threshold" }, { name: "value" }, inplace] },
  { name: "LogSigmoid", summary: "log(sigmoid(x)), element-wise.", params: [] },
  {
    name: "RReLU",
    summary: "Randomized leaky ReLU: a slope drawn from [lower, upper] in training, their mean in evaluation, element-wise.",
    params: [{ name: "lower", default: 1 / 8 }, { name: "upper", default: 1 / 3 }, inplace],
    check: (args) => {
      const [lower, upper] = [number(args, "lower"), number(args, "upper")];
      return lower !== undefined && upper !== undefined && lower > upper ? [raises("RReLU", "RuntimeError", "Lower bound should be less than or equal to the upper bound", "lower")] : [];
    },
  },
];

/** Softmax2d asserts a 3-D or 4-D input (PyTorch 2.x's wording; 1.13 said 'Softmax2d requires a 3D or 4D tensor as input'). */
const softmax2dSpec: LayerSpec = {
  name: "torch.nn.Softmax2d",
  summary: "Softmax over the channels at every position of a (N, C, H, W) or (C, H, W) input.",
  params: [],
  closedKeywords: true,
  cost: elementwiseCost,
  infer: (args, input) => {
    if (input && input.length !== 3 && input.length !== 4) {
      return sameShape(args, undefined, [rankRefused("Softmax2d", input, `Softmax2d: expected input to be 3D or 4D, got ${input.length}D instead`)]);
    }
    return sameShape(args, input);
  },
};

/**
 * Softmax, LogSoftmax and Softmin: `dim` wrapped against the input; None is `_get_softmax_dim`'s choice
 * (0 for a 0-, 1- or 3-D input, else 1) with PyTorch's deprecation warning.
 */
function softmaxSpec(layer: string, functionName: string, summary: string): LayerSpec {
  return {
    name: `torch.nn.${layer}`,
    summary,
    params: [{ name: "dim", default: null }],
    closedKeywords: true,
    cost: elementwiseCost,
    infer(args: Args, input: Shape | undefined): LayerResult {
      const implicit = args.raw("dim") === null;
      const dim = implicit ? undefined : args.int("dim", -Infinity);
      if (!input) return sameShape(args, undefined);
      if (implicit) {
        const chosen = [0, 1, 3].includes(input.length) ? 0 : 1;
        return sameShape(args, input, [{ id: "torchImplicitDim", values: { function: functionName, layer, dim: chosen, rank: input.length, shape: formatShape(input) } }]);
      }
      if (dim === undefined) return sameShape(args, input);
      const index = wrapDim(layer, "dim", dim, input);
      return typeof index === "number" ? sameShape(args, input) : sameShape(args, undefined, [index]);
    },
  };
}

/** activation.py `GLU`: splits `dim` in two halves (a·sigmoid(b)), so it must be even; scalars are refused. */
const gluSpec: LayerSpec = {
  name: "torch.nn.GLU",
  summary: "Gated linear unit: splits `dim` into halves a and b and returns a·sigmoid(b), halving that dimension.",
  params: [{ name: "dim", default: -1 }],
  closedKeywords: true,
  cost: elementwiseCost,
  infer(args: Args, input: Shape | undefined): LayerResult {
    const dim = args.int("dim", -Infinity);
    if (!input || dim === undefined) return sameShape(args, undefined);
    if (input.length === 0) return sameShape(args, undefined, [rankRefused("GLU", input, "glu does not support scalars because halving size must be even")]);
    const index = wrapDim("GLU", "dim", dim, input);
    if (typeof index !== "number") return sameShape(args, undefined, [index]);
    const extent = input[index];
    const output = [...input];
    if (!isKnown(extent)) return sameShape(args, output);
    if (extent % 2 !== 0) {
      return sameShape(args, undefined, [raises("GLU", "RuntimeError", `Halving dimension must be even, but dimension ${index} is size ${extent}`, "dim")]);
    }
    output[index] = extent / 2;
    return { output, weights: [], formulas: [{ label: `dim ${index}`, text: `${extent} / 2 = ${extent / 2}` }], problems: args.problems };
  },
};

/**
 * activation.py `PReLU`: a weight of num_parameters slopes, which must be 1 or the input's channels
 * (dimension 1; a 1-D input counts one channel), and a 0-D input only with one.
 */
const preluSpec: LayerSpec = {
  name: "torch.nn.PReLU",
  summary: "Parametric ReLU: x for x ≥ 0, a·x below, with a learned slope a shared (num_parameters=1) or per channel.",
  params: [{ name: "num_parameters", default: 1 }, { name: "init", default: 0.25 }, { name: "device", default: null }, { name: "dtype", default: null }],
  closedKeywords: true,
  cost: elementwiseCost,
  infer(args: Args, input: Shape | undefined): LayerResult {
    const count = args.int("num_parameters", 0);
    args.float("init");
    const weights = [weight("weight", [count])];
    if (!input || count === undefined || count === 1) return { output: input, weights, formulas: [], problems: args.problems };
    if (input.length === 0) return { weights, formulas: [], problems: [...args.problems, rankRefused("PReLU", input, "Not allow zero-dim input tensor.")] };
    const channels = input.length >= 2 ? known(input[1]) : 1;
    const problems: Problem[] = [];
    if (channels !== undefined && channels !== count) {
      const message = `Mismatch of parameter numbers and input channel size. Found parameter numbers = ${count} and channel size = ${channels}.`;
      problems.push(raises("PReLU", "RuntimeError", message, "num_parameters", channels));
    }
    return { output: input, weights, formulas: [], problems: [...args.problems, ...problems] };
  },
};

export const torchActivationModules: readonly LayerSpec[] = [
  ...ELEMENTWISE.map(elementwiseSpec),
  softmax2dSpec,
  softmaxSpec("Softmax", "softmax", "Softmax along `dim`: exp(x) / Σ exp(x), the shape unchanged."),
  softmaxSpec("LogSoftmax", "log_softmax", "log(softmax(x)) along `dim`, the shape unchanged."),
  softmaxSpec("Softmin", "softmin", "softmax(−x) along `dim`, the shape unchanged."),
  gluSpec,
  preluSpec,
];
