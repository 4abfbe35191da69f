/**
 * What a layer spec is. Each Keras layer is described once, declaratively: its
 * Keras 3 signature (names in positional order, defaults) and an `infer` function
 * that turns resolved arguments and an input shape into an output shape, the
 * weights it creates, the formulas behind both, and the problems Keras would
 * report, and a cost rule (`cost.ts`). Specs live one family per file under `layers/`. Where tf.keras 2 reads a
 * call differently, the spec says so as data (`generations`), read by the binding.
 */
import { DiagnosticId } from "./diagnostics";
import { Shape } from "./shape";
import { PyValue } from "./values";
import { Args } from "./args";
import type { LayerGenerations, ParamGenerations } from "./generations";
import type { Cost, CostRule } from "./cost";

export interface ParamDecl {
  readonly name: string;
  /** Absent means required (Keras has no default for it). */
  readonly default?: PyValue;
  /** Where tf.keras 2 and Keras 3 disagree on this parameter (`generations.ts`); absent: they agree. */
  readonly generations?: ParamGenerations;
}

export interface Weight {
  readonly name: string;
  /** Its shape, or undefined when a dimension of it is unknown. */
  readonly shape?: readonly number[];
  readonly count?: bigint;
  readonly trainable: boolean;
}

export interface Formula {
  /** What it computes: `height`, `params`, `kernel`… */
  readonly label: string;
  /** The formula with the user's numbers, e.g. `⌊(34 − 8) / 2⌋ + 1 = 14`. */
  readonly text: string;
}

export interface Problem {
  readonly id: DiagnosticId;
  readonly values: Record<string, string | number>;
  /** The argument at fault; the analyzer places the diagnostic on it. */
  readonly argument?: string;
  /** For a dimension that went non-positive: its index in the input shape. */
  readonly axis?: number;
  /**
   * For a layer called on several tensors: the index (in `MultiInput.infer`'s `inputs`) of the
   * tensor at fault, when no argument is; the analyzer may place the diagnostic on that tensor.
   */
  readonly input?: number;
}

export interface LayerResult {
  /** undefined when even the rank is unknown. */
  readonly output?: Shape;
  readonly weights: readonly Weight[];
  readonly formulas: readonly Formula[];
  readonly problems: readonly Problem[];
  /** Further outputs when the call returns a tuple (attention scores, RNN states). */
  readonly extraOutputs?: readonly (Shape | undefined)[];
}

export interface LayerSpec {
  /** The Keras class name, as `keras.layers.<name>`. */
  readonly name: string;
  /** Other public names of the same class (e.g. `Convolution2D`). */
  readonly aliases?: readonly string[];
  /** One sentence: what the layer computes. */
  readonly summary: string;
  /** The constructor's parameters in Keras's positional order. */
  readonly params: readonly ParamDecl[];
  /** True for layers that accept extra `**kwargs` we do not model (the spec accepts any keyword). */
  readonly openKeywords?: boolean;
  /** True when the constructor also takes `*args` it ignores (PyTorch's Identity): any number of positional arguments. */
  readonly openPositional?: boolean;
  /**
   * True when the constructor has no `**kwargs` (SpatialDropout, TensorFlow functions): it accepts its
   * own parameters only, none of the base-layer keywords (`trainable`, `input_shape`…) it does not declare.
   */
  readonly closedKeywords?: boolean;
  /** Where tf.keras 2 and Keras 3 disagree on the layer beyond single parameters (`generations.ts`). */
  readonly generations?: LayerGenerations;
  /** For convolutions and pooling: the number of spatial axes (used by the channels-first check). */
  readonly spatialRank?: number;
  /** True for Input / InputLayer: the output comes from the arguments, not from an input tensor. */
  readonly isInput?: boolean;
  /**
   * `input` is undefined when the incoming shape is unknown; a layer with weights
   * must then still list them, with unknown sizes, so no total is claimed. `args` has the
   * arguments bound to `params` with Keras's defaults applied.
   */
  infer(args: Args, input: Shape | undefined): LayerResult;
  /**
   * What one call computes for one sample (MACs, with the formula), from the call's arguments and what
   * `infer` found; run only when asked (hover, summary, totals). Absent: not counted yet, unknown.
   */
  readonly cost?: CostRule;
  /**
   * Present on layers called on several tensors (merge layers, attention, tf.nn ops);
   * such a spec's `infer` is never called by the analyzer.
   */
  readonly multiInput?: MultiInput;
  /**
   * Methods of a layer instance whose result its arguments decide, by name (`vocabulary_size` of a
   * `StringLookup` given its vocabulary): the value, or an unresolved one saying why not.
   */
  readonly methods?: Readonly<Record<string, (args: Args) => PyValue>>;
}

/**
 * How a layer called on several tensors receives them, and its result on all of them.
 * - `list`: `Concatenate(axis=1)([a, b])`, `Attention()([query, value])`: one list of tensors.
 * - `arguments`: `mha(query, value, key=None)`: the call's own parameters, in positional order.
 * - `op`: `tf.nn.conv2d(input, filters, strides, padding)`: a function, not a class; the tensors and
 *   the options come in the same call (`params` lists the options only; `tensors` names the tensors).
 */
export interface MultiInput {
  readonly form: "list" | "arguments" | "op";
  /** For `arguments` and `op`: the tensor parameters in positional order, e.g. `["query", "value", "key"]`. */
  readonly tensors?: readonly string[];
  /** Fewest / most tensors Keras accepts. */
  readonly min: number;
  readonly max?: number;
  /**
   * For `op`: PyTorch's `*size` varargs (`x.view(8, -1)`, `x.permute(0, 2, 1)`): the positional arguments after
   * the tensors are this one parameter, packed as a tuple, unless a single tuple or list is given (`x.view((8, -1))`).
   */
  readonly varargs?: string;
  /**
   * Other spellings of keywords, by the name they stand for (PyTorch's NumPy-compatible `axis=` for `dim=`,
   * `keepdims=` for `keepdim=`).
   */
  readonly keywordAliases?: Readonly<Record<string, string>>;
  /** For `op`: how many positional options come before the tensors (`torch.einsum(equation, *operands)`: 1). */
  readonly leading?: number;
  /**
   * For `op`: a Python number where a tensor is expected is a 0-dim tensor, as PyTorch wraps it (`torch.add(x, 1)`,
   * `torch.where(c, x, 0.0)`).
   */
  readonly scalars?: boolean;
  /** Call-time keyword arguments that are not tensors, with their defaults (`return_attention_scores`, `use_causal_mask`). */
  readonly callOptions?: readonly ParamDecl[];
  /**
   * `inputs[i]` is undefined when that tensor's shape is unknown; `callOptions` has the call-time
   * options bound with their defaults. A result's `extraOutputs` lists further outputs
   * (attention scores) when the call returns a tuple.
   */
  infer(args: Args, inputs: readonly (Shape | undefined)[], callOptions: Args): LayerResult;
}

/**
 * A layer passed as an argument (the `LSTM(64)` in `Bidirectional(LSTM(64))`), bound and ready to run;
 * or a model passed as one (`TimeDistributed(frame_model)`: a Keras model is a layer), which the
 * analyzer runs on the input it is given.
 */
export interface NestedLayer {
  /** The nested layer call's spec; undefined for a model used as a layer. */
  readonly spec?: LayerSpec;
  /** Its result on `input`, binding problems included (their `argument` refers to the nested call). */
  infer(input: Shape | undefined): LayerResult;
  /** Its cost on `input` (a wrapper's cost is its layer's). */
  cost(input: Shape | undefined): Cost;
  /** After `infer`: the nested call's arguments that could not be resolved, with the reason. */
  readonly unresolved?: ReadonlyMap<string, string>;
}
