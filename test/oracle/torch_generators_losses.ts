/**
 * Random cases for PyTorch's loss modules (torch/nn/modules/loss.py; see torch_generators.ts for the form), called
 * on (input, target) or (input1, input2, target): mostly the pairs each loss takes, in every reduction, and now and then the mistakes users make
 * (a target whose batch, positions or rank do not fit the input, a target that only broadcasts, a reduction PyTorch
 * does not know, the deprecated size_average / reduce). Class indices are `long` zeros (class 0 exists whatever C),
 * probabilities and regression targets floats. A `weight` tensor cannot be written here: the cases leave it out.
 */
import { Keywords } from "../engine/helpers";
import { ModuleGen, Rng, TorchInput, f, someOf } from "./torch_generators";

/** `reduction`, when drawn: PyTorch's three, now and then one it refuses (or `extra`, KLDivLoss's 'batchmean'). */
function reductionOf(r: Rng, extra: readonly string[] = []): Keywords {
  if (!r.chance(0.7)) return {};
  return { reduction: r.chance(0.06) ? r.pick(["max", "avg"]) : r.pick(["mean", "sum", "none", ...extra]) };
}

/** Now and then the deprecated size_average / reduce, which take over `reduction` when either is not None. */
function legacyOf(r: Rng): Keywords {
  return r.chance(0.2) ? someOf(r, { size_average: r.pick([true, false, null]), reduce: r.pick([true, false, null]) }, 0.6) : {};
}

/** A shape of rank 1–4, dims 1–4. */
function anyShape(r: Rng): number[] {
  return r.ints(r.int(1, 4), 1, 4);
}

/** Usually `shape`; now and then another one: a different size somewhere, one axis fewer or more. */
function mostly(r: Rng, shape: readonly number[], p = 0.12): number[] {
  if (!r.chance(p)) return [...shape];
  const out = [...shape];
  const kind = r.int(0, 2);
  if (kind === 0 && out.length) out[r.int(0, out.length - 1)] += r.int(1, 2);
  else if (kind === 1 && out.length) out.shift();
  else out.push(r.int(1, 3));
  return out;
}

/**
 * Input (C), (N, C) or (N, C, d1, …) (NLLLoss now and then a 0-dim one) and a target of class indices or, for
 * CrossEntropyLoss, probabilities. The engine has no dtypes: a target is drawn as a user would write it for its
 * shape, probabilities (float) when it has the input's shape and CrossEntropyLoss reads it so, class indices (long)
 * otherwise. A 1-D input now and then gets a 1-D target (nll_loss takes one of its length as a batch, and returns a
 * 0-dim loss whatever the reduction; CrossEntropyLoss reads it as probabilities), and probabilities an ignore_index
 * ≥ 0 (PyTorch: "ignore_index is not supported for floating point target").
 */
function classLoss(module: "CrossEntropyLoss" | "NLLLoss"): ModuleGen {
  return {
    module,
    draw(r) {
      const classes = r.int(1, 5);
      const rank = r.pick([1, 2, 2, 2, 3, 4]);
      const input = module === "NLLLoss" && r.chance(0.03) ? [] : rank === 1 ? [classes] : [r.int(1, 3), classes, ...r.ints(rank - 2, 1, 4)];
      const perSample = input.length <= 1 ? [] : [input[0], ...input.slice(2)];
      const target = (module === "CrossEntropyLoss" && r.chance(0.25)) || (input.length === 1 && r.chance(0.3)) ? mostly(r, input) : mostly(r, perSample);
      const probabilities = module === "CrossEntropyLoss" && target.length === input.length && target.every((d, i) => d === input[i]);
      const ignoreIndex = r.pick(probabilities ? [-100, -1, 0, 2] : [-100, 0, 1]);
      const options: Keywords = module === "CrossEntropyLoss" ? someOf(r, { ignore_index: ignoreIndex, label_smoothing: f(r.pick([0.0, 0.1, 0.5])) }, 0.3) : someOf(r, { ignore_index: ignoreIndex }, 0.3);
      const targetInput: TorchInput = probabilities ? { shape: target } : { shape: target, dtype: "long" };
      return { module, args: [{ ...options, ...reductionOf(r), ...legacyOf(r) }], inputs: [{ shape: input }, targetInput] };
    },
  };
}

/**
 * Losses over the elements of input and target, which broadcast: a target of the input's shape, now and then one
 * that only broadcasts to it (an axis of 1 or one fewer: PyTorch warns for most), one the input only broadcasts to
 * (the input's axes of 1: SoftMarginLoss refuses to widen its input) or one that does not broadcast.
 */
function pointwiseLoss(module: string, options: (r: Rng) => Keywords, { extra = [], legacy = true }: PointwiseOptions = {}): ModuleGen {
  return {
    module,
    draw(r) {
      const shape = anyShape(r);
      const input = r.chance(0.1) ? shape.map((d) => (r.chance(0.5) ? 1 : d)) : shape;
      const broadcasting = r.chance(0.15) ? shape.map((d) => (r.chance(0.4) ? 1 : d)).slice(r.int(0, 1)) : shape;
      const keywords = { ...options(r), ...reductionOf(r, extra), ...(legacy ? legacyOf(r) : {}) };
      return { module, args: [keywords], inputs: [{ shape: input }, { shape: mostly(r, broadcasting) }] };
    },
  };
}

interface PointwiseOptions {
  /** Reductions besides PyTorch's three (KLDivLoss's 'batchmean'). */
  readonly extra?: readonly string[];
  /** False for HuberLoss, which takes no size_average / reduce. */
  readonly legacy?: boolean;
}

/** BCELoss and BCEWithLogitsLoss: probabilities or logits and a target of exactly their shape. */
function binaryLoss(module: "BCELoss" | "BCEWithLogitsLoss"): ModuleGen {
  return {
    module,
    draw(r) {
      const input = anyShape(r);
      return { module, args: [{ ...reductionOf(r), ...legacyOf(r) }], inputs: [{ shape: input }, { shape: mostly(r, input, 0.2) }] };
    },
  };
}

/** MultiLabelSoftMarginLoss: scores (N, C) or (C) and 0/1 targets of their shape, now and then one that does not fit. */
const multiLabelSoftMargin: ModuleGen = {
  module: "MultiLabelSoftMarginLoss",
  draw(r) {
    const input = r.chance(0.03) ? [] : r.chance(0.2) ? [r.int(1, 5)] : [r.int(1, 3), r.int(1, 5), ...(r.chance(0.1) ? [r.int(1, 3)] : [])];
    return { module: "MultiLabelSoftMarginLoss", args: [{ ...reductionOf(r), ...legacyOf(r) }], inputs: [{ shape: input }, { shape: mostly(r, input) }] };
  },
};

/** MarginRankingLoss: two scores and a ±1 target of one shape, now and then an axis of 1 or another rank. */
const marginRanking: ModuleGen = {
  module: "MarginRankingLoss",
  draw(r) {
    const shape = r.ints(r.int(0, 2), 1, 4);
    const variant = () => (r.chance(0.15) ? shape.map((d) => (r.chance(0.5) ? 1 : d)) : mostly(r, shape, 0.08));
    return { module: "MarginRankingLoss", args: [{ ...someOf(r, { margin: f(r.pick([0.0, 0.5])) }, 0.3), ...reductionOf(r), ...legacyOf(r) }], inputs: [{ shape }, { shape: variant() }, { shape: variant() }] };
  },
};

/**
 * CosineEmbeddingLoss: inputs (N, D) with a target (N), or (D) with a 0-dim one; now and then ranks or sizes that do
 * not fit. input2 keeps input1's rank: 1.13 checks only input1's, current PyTorch both (see torch_modules.test.ts).
 */
const cosineEmbedding: ModuleGen = {
  module: "CosineEmbeddingLoss",
  draw(r) {
    const batched = r.chance(0.8);
    const fitting = batched ? [r.int(1, 3), r.int(1, 4)] : [r.int(1, 4)];
    const input = r.chance(0.06) ? mostly(r, fitting, 1) : fitting;
    const other = r.chance(0.1) ? input.map((d, i) => (i === 0 && batched ? 1 : d)) : input.map((d) => (r.chance(0.1) ? d + 1 : d));
    const target = mostly(r, batched ? [fitting[0]] : [], 0.1);
    return { module: "CosineEmbeddingLoss", args: [{ ...someOf(r, { margin: f(r.pick([0.0, 0.5])) }, 0.3), ...reductionOf(r), ...legacyOf(r) }], inputs: [{ shape: input }, { shape: other }, { shape: target }] };
  },
};

/**
 * TripletMarginLoss: anchor, positive and negative of one shape, now and then an axis of 1, another size or another
 * rank. A margin ≤ 0 is not drawn: current PyTorch refuses it, 1.13 not (see torch_modules.test.ts).
 */
const tripletMargin: ModuleGen = {
  module: "TripletMarginLoss",
  draw(r) {
    const shape = r.ints(r.int(0, 3), 1, 4);
    const variant = () => (r.chance(0.15) ? shape.map((d) => (r.chance(0.5) ? 1 : d)) : mostly(r, shape, 0.08));
    const options = someOf(r, { margin: f(r.pick([0.5, 1.0, 2.0])), p: f(r.pick([1.0, 2.0])), swap: r.chance(0.5) }, 0.4);
    return { module: "TripletMarginLoss", args: [{ ...options, ...reductionOf(r), ...legacyOf(r) }], inputs: [{ shape: variant() }, { shape: variant() }, { shape: variant() }] };
  },
};

const none = () => ({});

export const lossGenerators: readonly ModuleGen[] = [
  classLoss("CrossEntropyLoss"),
  classLoss("NLLLoss"),
  pointwiseLoss("L1Loss", none),
  pointwiseLoss("MSELoss", none),
  // PyTorch refuses a negative beta and a delta ≤ 0 in the forward, which the functions' rules do not check: positive ones only.
  pointwiseLoss("SmoothL1Loss", (r) => someOf(r, { beta: f(r.pick([0.5, 1.0, 2.0])) })),
  pointwiseLoss("HuberLoss", (r) => someOf(r, { delta: f(r.pick([0.5, 1.0, 2.0])) }), { legacy: false }),
  pointwiseLoss("SoftMarginLoss", none),
  pointwiseLoss("KLDivLoss", (r) => someOf(r, { log_target: r.chance(0.5) }), { extra: ["batchmean"] }),
  binaryLoss("BCELoss"),
  binaryLoss("BCEWithLogitsLoss"),
  pointwiseLoss("PoissonNLLLoss", (r) => someOf(r, { log_input: r.chance(0.5), full: r.chance(0.5), eps: f(1e-6) }, 0.4)),
  pointwiseLoss("HingeEmbeddingLoss", (r) => someOf(r, { margin: f(r.pick([0.5, 1.0, 2.0])) }, 0.3)),
  multiLabelSoftMargin,
  marginRanking,
  cosineEmbedding,
  tripletMargin,
];
