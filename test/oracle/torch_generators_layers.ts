/**
 * Random cases for the non-spatial PyTorch modules (see torch_generators.ts for the form): linear and reshaping
 * (torch/nn/modules/linear.py, flatten.py), normalization (batchnorm.py, instancenorm.py, normalization.py),
 * activations (activation.py), dropout (dropout.py), embeddings (sparse.py), recurrent (rnn.py) and attention and
 * transformers (activation.py's MultiheadAttention, transformer.py).
 */
import { Arg, Keywords, tup } from "../engine/helpers";
import { LayerValue, PyValue } from "../../server/src/engine/values";
import { ModuleGen, Rng, TorchCase, batch, callArgs, f, someOf, usually, wrongRank } from "./torch_generators";

/** A tensor of rank 1–4, dims 1–5, ending in `last` when given. */
function anyShape(r: Rng, last?: number): number[] {
  const shape = r.ints(r.int(1, 4), 1, 5);
  if (last !== undefined) shape[shape.length - 1] = last;
  return shape;
}

/** A module given as an argument (TransformerEncoder's layer), as the front end hands it over. */
export function nested(module: string, args: readonly Arg[]): LayerValue {
  return { layer: { kind: `torch.nn.${module}`, args: callArgs(args) } };
}

const one = (module: string, args: readonly Arg[], shape: readonly number[], extra: Partial<TorchCase> = {}): TorchCase => ({ module, args, inputs: [{ shape }], ...extra });

// ---------------------------------------------------------------------------
// Linear and reshaping

const linear: ModuleGen = {
  module: "Linear",
  draw(r) {
    const [inF, outF] = [r.int(1, 6), r.int(1, 6)];
    return one("Linear", [inF, outF, someOf(r, { bias: false }, 0.3)], anyShape(r, usually(r, inF, 0.15)));
  },
};

const lazyLinear: ModuleGen = {
  module: "LazyLinear",
  draw: (r) => one("LazyLinear", [r.int(1, 6), someOf(r, { bias: false }, 0.3)], anyShape(r)),
};

const bilinear: ModuleGen = {
  module: "Bilinear",
  draw(r) {
    const [in1, in2, out] = [r.int(1, 4), r.int(1, 4), r.int(1, 4)];
    const lead = r.ints(r.int(0, 2), 1, 3);
    const other = r.chance(0.1) ? [...lead, 1].slice(1) : lead;
    return { module: "Bilinear", args: [in1, in2, out, someOf(r, { bias: false }, 0.3)], inputs: [{ shape: [...lead, usually(r, in1)] }, { shape: [...other, usually(r, in2)] }] };
  },
};

const identity: ModuleGen = {
  module: "Identity",
  // Identity takes and ignores any arguments (torch/nn/modules/linear.py).
  draw: (r) => one("Identity", r.chance(0.3) ? [r.int(1, 9), { unused: f(0.5) }] : [], anyShape(r)),
};

const flatten: ModuleGen = {
  module: "Flatten",
  draw(r) {
    const shape = anyShape(r);
    const axis = () => r.int(-shape.length - (r.chance(0.1) ? 1 : 0), shape.length - 1);
    return one("Flatten", [someOf(r, { start_dim: axis(), end_dim: axis() })], shape);
  },
};

const unflatten: ModuleGen = {
  module: "Unflatten",
  draw(r) {
    const sizes = r.ints(r.int(1, 3), 1, 4);
    const product = sizes.reduce((a, b) => a * b, 1);
    const shape = anyShape(r);
    const dim = r.int(-shape.length, shape.length - 1);
    shape[dim < 0 ? shape.length + dim : dim] = usually(r, product);
    if (r.chance(0.2)) sizes[r.int(0, sizes.length - 1)] = -1;
    return one("Unflatten", [dim, r.chance(0.5) ? tup(...sizes) : sizes], shape);
  },
};

// ---------------------------------------------------------------------------
// Normalization

/** BatchNorm1d takes (N, C) or (N, C, L); 2d (N, C, H, W); 3d (N, C, D, H, W). */
const normRank = (dims: number, r: Rng) => (dims === 1 ? r.pick([2, 3]) : dims + 2);

function batchNorm(dims: number, lazy: boolean): ModuleGen {
  const module = `${lazy ? "Lazy" : ""}BatchNorm${dims}d`;
  return {
    module,
    draw(r) {
      const channels = r.int(1, 4);
      const options = someOf(r, { eps: f(1e-3), momentum: f(0.2), affine: r.chance(0.5), track_running_stats: r.chance(0.5) }, 0.3);
      const rank = normRank(dims, r);
      const shape = wrongRank(r, [r.int(1, 3), usually(r, channels), ...r.ints(rank - 2, 1, 4)]);
      return one(module, lazy ? [options] : [channels, options], shape);
    },
  };
}

function instanceNorm(dims: number, lazy: boolean): ModuleGen {
  const module = `${lazy ? "Lazy" : ""}InstanceNorm${dims}d`;
  return {
    module,
    draw(r) {
      const channels = r.int(1, 4);
      const options = someOf(r, { affine: r.chance(0.5), track_running_stats: r.chance(0.5) }, 0.4);
      const shape = wrongRank(r, [...batch(r), usually(r, channels), ...r.ints(dims, 1, 4)]);
      return one(module, lazy ? [options] : [channels, options], shape);
    },
  };
}

const layerNorm: ModuleGen = {
  module: "LayerNorm",
  draw(r) {
    const shape = anyShape(r);
    const trailing = shape.slice(-r.int(1, shape.length)).map((d) => usually(r, d, 0.08));
    const normalized: PyValue = trailing.length === 1 && r.chance(0.5) ? trailing[0] : r.chance(0.5) ? tup(...trailing) : trailing;
    return one("LayerNorm", [normalized, someOf(r, { eps: f(1e-6), elementwise_affine: r.chance(0.5), bias: r.chance(0.5) }, 0.3)], shape);
  },
};

const rmsNorm: ModuleGen = {
  module: "RMSNorm",
  draw(r) {
    const shape = anyShape(r);
    const trailing = shape.slice(-r.int(1, shape.length)).map((d) => usually(r, d, 0.08));
    return one("RMSNorm", [trailing.length === 1 ? trailing[0] : tup(...trailing), someOf(r, { eps: f(1e-6), elementwise_affine: r.chance(0.5) }, 0.3)], shape);
  },
};

const groupNorm: ModuleGen = {
  module: "GroupNorm",
  draw(r) {
    const groups = r.int(1, 3);
    const channels = groups * r.int(1, 3) + (r.chance(0.08) ? 1 : 0);
    const shape = [r.int(1, 3), usually(r, channels), ...r.ints(r.int(0, 2), 1, 4)];
    return one("GroupNorm", [groups, channels, someOf(r, { affine: false }, 0.3)], shape);
  },
};

const localResponseNorm: ModuleGen = {
  module: "LocalResponseNorm",
  draw: (r) => one("LocalResponseNorm", [r.int(1, 4)], r.ints(r.int(2, 5), 1, 4)),
};

// ---------------------------------------------------------------------------
// Activations: shape-preserving, except GLU; PReLU has weights

/** Module → a draw of its keywords (empty for those without arguments). */
const ACTIVATIONS: Record<string, (r: Rng, rank: number) => Keywords> = {
  ReLU: (r) => someOf(r, { inplace: true }, 0.2),
  ReLU6: () => ({}),
  LeakyReLU: (r) => someOf(r, { negative_slope: f(0.2) }),
  ELU: (r) => someOf(r, { alpha: f(0.5) }),
  SELU: () => ({}),
  CELU: (r) => someOf(r, { alpha: f(0.5) }),
  GELU: (r) => someOf(r, { approximate: r.pick(["none", "tanh", "tanh", "fast"]) }),
  SiLU: () => ({}),
  Mish: () => ({}),
  Sigmoid: () => ({}),
  Tanh: () => ({}),
  Hardtanh: (r) => someOf(r, { min_val: f(-2), max_val: f(r.pick([2, -3])) }),
  Hardsigmoid: () => ({}),
  Hardswish: () => ({}),
  Softplus: (r) => someOf(r, { beta: f(2), threshold: f(10) }),
  Softsign: () => ({}),
  Softshrink: (r) => someOf(r, { lambd: f(r.pick([0.5, 1])) }),
  Hardshrink: (r) => someOf(r, { lambd: f(0.3) }),
  Tanhshrink: () => ({}),
  Threshold: (r) => ({ threshold: f(0.1), value: f(r.pick([0, 20])) }),
  LogSigmoid: () => ({}),
  Softmax: (r, rank) => someOf(r, { dim: r.int(-rank - 1, rank) }, 0.8),
  LogSoftmax: (r, rank) => someOf(r, { dim: r.int(-rank - 1, rank) }, 0.8),
  Softmin: (r, rank) => someOf(r, { dim: r.int(-rank - 1, rank) }, 0.8),
  Softmax2d: () => ({}),
  GLU: (r, rank) => someOf(r, { dim: r.int(-rank, rank - 1) }),
  RReLU: (r) => someOf(r, { lower: f(0.1), upper: f(0.3) }),
};

const activations: ModuleGen[] = Object.entries(ACTIVATIONS).map(([module, keywords]) => ({
    module,
    draw(r) {
      // GLU halves an axis: even sizes mostly.
      const shape = module === "GLU" ? anyShape(r).map((d) => (r.chance(0.8) ? 2 * d : d)) : anyShape(r);
      return one(module, [keywords(r, shape.length)], shape);
    },
  }));

const prelu: ModuleGen = {
  module: "PReLU",
  draw(r) {
    const shape = anyShape(r);
    const channels = shape.length >= 2 ? shape[1] : shape[0];
    const count = r.chance(0.5) ? 1 : usually(r, channels, 0.15);
    return one("PReLU", [someOf(r, { num_parameters: count, init: f(0.1) }, 0.7)], shape);
  },
};

// ---------------------------------------------------------------------------
// Dropout

const DROPOUT_RANKS: Record<string, readonly number[]> = {
  Dropout: [1, 2, 3, 4],
  Dropout1d: [2, 3, 3, 4],
  Dropout2d: [3, 4, 4, 5],
  Dropout3d: [4, 5, 5, 6],
  AlphaDropout: [1, 2, 3, 4],
  FeatureAlphaDropout: [2, 3, 4, 5],
};

const dropouts: ModuleGen[] = Object.entries(DROPOUT_RANKS).map(([module, ranks]) => ({
  module,
  draw(r) {
    const p = r.chance(0.1) ? f(r.pick([1.5, -0.1])) : r.chance(0.2) ? r.pick([0, 1]) : f(r.pick([0.1, 0.5]));
    return one(module, [p, someOf(r, { inplace: r.chance(0.5) }, 0.2)], r.ints(r.pick(ranks), 1, 4));
  },
}));

// ---------------------------------------------------------------------------
// Embeddings (indices are integer tensors)

const embedding: ModuleGen = {
  module: "Embedding",
  draw(r) {
    const [count, dim] = [r.int(1, 9), r.int(1, 6)];
    const options = someOf(r, { padding_idx: r.int(-count - (r.chance(0.2) ? 1 : 0), count - 1 + (r.chance(0.2) ? 1 : 0)), max_norm: f(1), sparse: true }, 0.3);
    return { module: "Embedding", args: [count, dim, options], inputs: [{ shape: r.ints(r.int(1, 3), 1, 5), dtype: "long" }] };
  },
};

const embeddingBag: ModuleGen = {
  module: "EmbeddingBag",
  draw(r) {
    const options = someOf(r, { mode: r.pick(["sum", "mean", "max"]), padding_idx: 0 }, 0.3);
    // A 1-D input needs offsets, which the forward is not given here: PyTorch refuses it.
    const shape = r.chance(0.15) ? [r.int(1, 5)] : [r.int(1, 3), r.int(1, 5)];
    return { module: "EmbeddingBag", args: [r.int(1, 9), r.int(1, 6), options], inputs: [{ shape, dtype: "long" }] };
  },
};

// ---------------------------------------------------------------------------
// Recurrent: keywords after hidden_size (RNN's 4th positional is nonlinearity in PyTorch 2.x, bias in 1.13)

function recurrent(module: "RNN" | "LSTM" | "GRU"): ModuleGen {
  return {
    module,
    draw(r) {
      const [inputSize, hidden] = [r.int(1, 5), r.int(2, 6)];
      const layers = r.int(1, 2);
      const batchFirst = r.chance(0.3);
      const options: Record<string, PyValue> = someOf(r, { bias: false, batch_first: batchFirst, bidirectional: r.chance(0.5), dropout: f(0.2) }, 0.4);
      if (module === "RNN" && r.chance(0.3)) options.nonlinearity = r.pick(["relu", "tanh"]);
      if (module === "LSTM" && r.chance(0.3)) options.proj_size = r.int(1, hidden);
      const positional = r.chance(0.5) ? [inputSize, hidden, layers] : [inputSize, hidden];
      if (positional.length === 2 && layers > 1) options.num_layers = layers;
      const [length, n] = [r.int(1, 4), r.int(1, 3)];
      const features = usually(r, inputSize);
      const unbatched = r.chance(0.25);
      const shape = unbatched ? [length, features] : options.batch_first ? [n, length, features] : [length, n, features];
      const input = { shape: wrongRank(r, shape) };
      // RNN and GRU take an initial state h_0 (D·num_layers, N, H_out), or (D·num_layers, H_out) unbatched; LSTM's is a
      // tuple, left out here. Now and then its hidden size is off.
      if (module === "LSTM" || !r.chance(0.3)) return one(module, [...positional, options], input.shape);
      const state = [(options.bidirectional === true ? 2 : 1) * layers, ...(unbatched ? [] : [n]), usually(r, hidden, 0.2)];
      return { module, args: [...positional, options], inputs: [input, { shape: state }] };
    },
  };
}

function cell(module: "RNNCell" | "LSTMCell" | "GRUCell"): ModuleGen {
  return {
    module,
    draw(r) {
      const [inputSize, hidden] = [r.int(1, 5), r.int(1, 6)];
      const options = someOf(r, { bias: false, ...(module === "RNNCell" ? { nonlinearity: "relu" } : {}) }, 0.3);
      const shape = wrongRank(r, [...batch(r), usually(r, inputSize)]);
      // RNNCell and GRUCell take a state hx (N, hidden) or (hidden), batched as the input is (a batched state beside an
      // unbatched input crashes 1.13's gru_cell); LSTMCell's is a tuple, left out here.
      if (module === "LSTMCell" || !r.chance(0.3)) return one(module, [inputSize, hidden, options], shape);
      return { module, args: [inputSize, hidden, options], inputs: [{ shape }, { shape: [...shape.slice(0, -1), usually(r, hidden, 0.2)] }] };
    },
  };
}

// ---------------------------------------------------------------------------
// Attention and transformers (small sizes: the forward runs for real)

/** (L, N, E), (N, L, E) with batch_first, or unbatched (L, E). */
function sequence(length: number, n: number | undefined, width: number, batchFirst: boolean): number[] {
  if (n === undefined) return [length, width];
  return batchFirst ? [n, length, width] : [length, n, width];
}

const multiheadAttention: ModuleGen = {
  module: "MultiheadAttention",
  draw(r) {
    const heads = r.int(1, 3);
    const embed = heads * r.int(1, 3) + (r.chance(0.12) ? 1 : 0);
    const kdim = r.chance(0.3) ? r.int(1, 5) : undefined;
    const vdim = r.chance(0.3) ? r.int(1, 5) : undefined;
    const batchFirst = r.chance(0.3);
    const options: Keywords = { ...someOf(r, { bias: false, add_bias_kv: true, add_zero_attn: true, batch_first: batchFirst }, 0.3), ...(kdim ? { kdim } : {}), ...(vdim ? { vdim } : {}) };
    const n = r.chance(0.2) ? undefined : r.int(1, 3);
    const bf = options.batch_first === true;
    const [target, source] = [r.int(1, 4), r.int(1, 4)];
    const inputs = [sequence(target, n, embed, bf), sequence(source, n, usually(r, kdim ?? embed, 0.08), bf), sequence(source, n, vdim ?? embed, bf)];
    const call = someOf(r, { need_weights: r.chance(0.5), average_attn_weights: r.chance(0.5) }, 0.4);
    return { module: "MultiheadAttention", args: [embed, heads, options], inputs: inputs.map((shape) => ({ shape })), call };
  },
};

function transformerLayerArgs(r: Rng): { args: Arg[]; width: number; batchFirst: boolean } {
  const heads = r.int(1, 2);
  const width = heads * r.int(1, 3) + (r.chance(0.05) ? 1 : 0);
  const batchFirst = r.chance(0.3);
  const options = someOf(r, { dropout: f(0), activation: r.pick(["relu", "gelu"]), batch_first: batchFirst, norm_first: r.chance(0.5), layer_norm_eps: f(1e-6) }, 0.4);
  return { args: [width, heads, r.int(1, 8), options], width, batchFirst: options.batch_first === true };
}

function transformerInputs(r: Rng, width: number, batchFirst: boolean, count: number): { shape: number[] }[] {
  const n = r.chance(0.2) ? undefined : r.int(1, 2);
  return Array.from({ length: count }, () => ({ shape: wrongRank(r, sequence(r.int(1, 4), n, usually(r, width, 0.08), batchFirst)) }));
}

const encoderLayer: ModuleGen = {
  module: "TransformerEncoderLayer",
  draw(r) {
    const { args, width, batchFirst } = transformerLayerArgs(r);
    return { module: "TransformerEncoderLayer", args, inputs: transformerInputs(r, width, batchFirst, 1) };
  },
};

const decoderLayer: ModuleGen = {
  module: "TransformerDecoderLayer",
  draw(r) {
    const { args, width, batchFirst } = transformerLayerArgs(r);
    return { module: "TransformerDecoderLayer", args, inputs: transformerInputs(r, width, batchFirst, 2) };
  },
};

function stack(module: "TransformerEncoder" | "TransformerDecoder"): ModuleGen {
  return {
    module,
    draw(r) {
      const { args, width, batchFirst } = transformerLayerArgs(r);
      const layer = nested(`${module}Layer`, args);
      const norm: Keywords = r.chance(0.4) ? { norm: nested("LayerNorm", [width]) } : {};
      return { module, args: [layer, r.int(1, 2), norm], inputs: transformerInputs(r, width, batchFirst, module === "TransformerEncoder" ? 1 : 2) };
    },
  };
}

const transformer: ModuleGen = {
  module: "Transformer",
  draw(r) {
    const heads = r.int(1, 2);
    const width = heads * r.int(1, 3) + (r.chance(0.05) ? 1 : 0);
    const batchFirst = r.chance(0.3);
    const options: Keywords = { num_encoder_layers: r.int(1, 2), num_decoder_layers: r.int(1, 2), dim_feedforward: r.int(1, 8), ...someOf(r, { batch_first: batchFirst, norm_first: true }, 0.4) };
    return { module: "Transformer", args: [width, heads, options], inputs: transformerInputs(r, width, options.batch_first === true, 2) };
  },
};

export const layerGenerators: readonly ModuleGen[] = [
  linear,
  lazyLinear,
  bilinear,
  identity,
  flatten,
  unflatten,
  ...[1, 2, 3].flatMap((d) => [batchNorm(d, false), batchNorm(d, true), instanceNorm(d, false), instanceNorm(d, true)]),
  layerNorm,
  rmsNorm,
  groupNorm,
  localResponseNorm,
  ...activations,
  prelu,
  ...dropouts,
  embedding,
  embeddingBag,
  recurrent("RNN"),
  recurrent("LSTM"),
  recurrent("GRU"),
  cell("RNNCell"),
  cell("LSTMCell"),
  cell("GRUCell"),
  multiheadAttention,
  encoderLayer,
  decoderLayer,
  stack("TransformerEncoder"),
  stack("TransformerDecoder"),
  transformer,
];
