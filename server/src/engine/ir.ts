/**
 * The program description the Python front end hands to the engine: plain data,
 * with source positions as [start, end) offsets into the document text. The
 * engine never sees a syntax tree.
 *
 * The front end follows objects by identity: each tensor, layer instance and
 * model it meets gets a number, and values refer to them as `{ ref, id }`
 * (`RefValue`). Calls are listed in the order the program would run them, with
 * helper functions and loops already unrolled.
 */
import { ModuleParameter, PyValue, RefValue } from "./values";
import type { KerasGeneration } from "./generations";
import type { DiagnosticId } from "./diagnostics";

export interface Span {
  readonly start: number;
  readonly end: number;
}

export interface ArgIR {
  /** Keyword name; absent for a positional argument. */
  readonly name?: string;
  readonly value: PyValue;
  readonly span: Span;
}

/** A call of a Keras layer class, e.g. `layers.Conv2D(32, 3)`. */
export interface LayerCallIR {
  readonly type: "layer";
  /** The Keras class name the callee resolved to, e.g. `Conv2D`. */
  readonly kind: string;
  readonly args: readonly ArgIR[];
  /** The whole call expression. */
  readonly span: Span;
  /** The callee (`layers.Conv2D`), where diagnostics about the layer as a whole go. */
  readonly calleeSpan: Span;
  /**
   * Made inside a library's model (a `keras.applications` backbone, named here) at the call that builds it: a row
   * of that model with no hint or hover of its own (its spans are the building call's).
   */
  readonly library?: string;
  /**
   * A library model's layer copied from the program its description made for one configuration (that program and
   * the layer in it): the same arguments every time, so its analysis on an input is kept and reused (`libraryRuns.ts`).
   */
  readonly template?: string;
  /**
   * Made by code of another module of the project (an imported helper, module class or module), at the call of
   * this file that ran it, named here: a row of what it builds, with no hint of its own (its spans are that call's).
   */
  readonly imported?: string;
  /**
   * A PyTorch module's constructor call (`nn.Conv2d(3, 6, 5)` in `__init__`), which made its weights: that line gets
   * the hint with the shapes of its calls and its parameters; each call (`self.conv1(x)` in `forward`) its shape.
   */
  readonly constructed?: Span;
  /**
   * `nn.utils.weight_norm(module, dim=…)`: the module's weight is a direction of its shape and a magnitude of one
   * value per slice along `dim` (one in all for None), both parameters.
   */
  readonly weightNorm?: { readonly dim: number | null };
  /**
   * A PyTorch module's attributes the file set (`self.decoder.weight = self.embed.weight`), the last value of each:
   * PyTorch registers a Parameter under that name, in place of a weight of that name (tied weights), and None
   * removes the weight; any other value is a plain attribute, unless the name is a weight's.
   */
  readonly tied?: readonly TiedWeight[];
}

/** An element of a model that is not a Keras layer call we can follow. */
export interface OpaqueIR {
  readonly type: "opaque";
  /** What the user wrote, shortened, for messages. */
  readonly text: string;
  readonly span: Span;
  /** True for a call still being typed (unclosed or broken); it gets no hint and no message. */
  readonly incomplete?: boolean;
  /** Made by code of another module of the project (see `LayerCallIR.imported`). */
  readonly imported?: string;
}

/** A model used as a layer (`keras.Sequential([augment, ...])`, `x = encoder(x)`). */
export interface ModelElementIR {
  readonly type: "model";
  /** Index into `ProgramIR.models`. */
  readonly model: number;
  /** The model's name, for messages and tables. */
  readonly text: string;
  readonly span: Span;
  /** Made by code of another module of the project (see `LayerCallIR.imported`). */
  readonly imported?: string;
}

export type ElementIR = LayerCallIR | OpaqueIR | ModelElementIR;

interface ModelHeader {
  /** The variable it is assigned to, if any. */
  readonly name?: string;
  /** The `Sequential(...)` / `Model(...)` call, or the subclass's `class` statement. */
  readonly span: Span;
  /** Where the model's summary hover is (`keras.Model`, the class name). */
  readonly calleeSpan: Span;
  /** Where the totals hint goes (end of the statement that completes the model). */
  readonly totalsOffset: number;
  /** `model.trainable = False`: every weight of the model is non-trainable, where it is used as a layer too. */
  readonly frozen?: boolean;
  /** Built inside a library's model (a backbone's stem), named here: a row of that model, not a model of the file. */
  readonly within?: string;
  /** Built by another module of the project as it was imported, named here: not a model of this file. */
  readonly imported?: string;
}

export interface SequentialIR extends ModelHeader {
  /** Optional so plain Sequential descriptions (engine tests) need not say it. */
  readonly kind?: "sequential";
  readonly elements: readonly ElementIR[];
  /** `model.build(shape)`, when present. */
  readonly build?: { readonly value: PyValue; readonly span: Span };
}

/**
 * A model defined by the tensors it connects: `keras.Model(inputs, outputs)`, or a
 * subclassed model whose `call` the front end traced on an input tensor.
 */
export interface GraphModelIR extends ModelHeader {
  readonly kind: "functional" | "subclassed";
  /** Tensor refs, possibly in lists, tuples or dicts (as `{ dict }` values are flattened to lists). */
  readonly inputs: PyValue;
  readonly outputs: PyValue;
  /** Why the input shape is unknown, when it is (a subclassed model never built). */
  readonly inputUnknown?: string;
  /** A library's prebuilt model (`keras.applications.ResNet50`): what it is, and the input sizes it takes. */
  readonly library?: { readonly name: string; readonly rules: string };
  /**
   * A PyTorch module's parameters are those of every module and `nn.Parameter` it holds (`model.parameters()`),
   * whether its `forward` uses them or not: the layer objects and variable tensors it holds, counted in its totals.
   */
  readonly held?: {
    readonly layers: readonly number[];
    readonly variables: readonly number[];
    /** The layers whose parameters do not train (`requires_grad = False`). */
    readonly frozen?: readonly number[];
    /** Weights whose requires_grad was set one by one (`self.embed.weight.requires_grad = False`), which it decides. */
    readonly trainableWeights?: readonly (ModuleParameter & { readonly trainable: boolean })[];
    /** Why they cannot be counted although each is known (a weight norm Layer Lens does not follow). */
    readonly unknownBecause?: string;
    /** Other modules' parameters held as attributes (`self.w = self.embed.weight`). */
    readonly parameters?: readonly ModuleParameter[];
  };
  /** The calls a traced PyTorch `forward` made (indices into `calls`): all of them the model's, as torchinfo lists them. */
  readonly ran?: readonly number[];
  /** A PyTorch module (its class, `Sequential` for `nn.Sequential`): summarised as torchinfo does, its modules only. */
  readonly torch?: { readonly module: string };
}

/** An attribute the file set on a PyTorch module (`LayerCallIR.tied`), at `span` (the assignment's target). */
export interface TiedWeight {
  readonly weight: string;
  /** Another module's parameter, an `nn.Parameter` (a variable tensor), None, or a value Layer Lens does not follow. */
  readonly to: ModuleParameter | { readonly variable: number } | { readonly unknown: string } | null;
  readonly span: Span;
}

export type ModelIR = SequentialIR | GraphModelIR;

/** Where a tensor comes from. */
export type TensorIR =
  /** `keras.Input(shape=...)`: the call, bound like a layer. */
  | { readonly type: "input"; readonly call: LayerCallIR }
  /** Output `index` of call `call` (0 for a single result; further indices are tuple items). */
  | { readonly type: "output"; readonly call: number; readonly index: number }
  /**
   * A TensorFlow tensor with a literal shape: `tf.zeros([2, 3])`, `tf.Variable(tf.random.normal([...]))`,
   * `tf.compat.v1.placeholder(tf.float32, [None, 32, 32, 3])`, a custom layer's `self.add_weight(shape=...)`. A
   * variable's elements are parameters (non-trainable when `trainable` is false), counted in a model that uses it.
   */
  | { readonly type: "literal"; readonly shape: PyValue; readonly variable: boolean; readonly text: string; readonly span: Span; readonly trainable?: false; readonly library?: string; readonly imported?: string }
  /** A tensor of a given shape that gets no hint of its own (from `model.build(...)`, an annotation, a variable's initial value). */
  | { readonly type: "shaped"; readonly shape: PyValue; readonly span: Span }
  /** A tensor whose shape the front end cannot know (a function parameter, a traced model's unknown input). */
  | { readonly type: "unknown"; readonly reason: string };

/** A layer instance: created once, possibly called several times (shared weights). */
export interface LayerObjectIR {
  readonly call: LayerCallIR;
}

export interface CallIR {
  /**
   * What is called: a layer instance, a model, a TensorFlow op by its spec name (`tf.nn.conv2d`),
   * or an element-wise operation on two tensors (`x + y`, `tf.maximum(a, b)`: NumPy broadcasting, named as
   * Keras names the op, on the two tensors in `args`).
   */
  readonly callee: RefValue | { readonly op: string; readonly calleeSpan: Span } | { readonly operator: string } | OpaqueCallee;
  /** The call's own arguments; tensors appear as refs. */
  readonly args: readonly ArgIR[];
  /** The call expression (`layers.Dense(10)(x)`, `mha(q, v)`), where its hint goes. */
  readonly span: Span;
  /** Made inside a library's model (see `LayerCallIR.library`), tensor arithmetic included. */
  readonly library?: string;
  /** Made by code of another module of the project (see `LayerCallIR.imported`). */
  readonly imported?: string;
}

/**
 * Something Layer Lens does not follow applied to tensors: an unknown function (`tfa.activations.gelu(x)`),
 * a third-party layer (`tfa.layers.GroupNormalization(8)(x)`), arithmetic with a value it cannot know. Its
 * output's shape is unknown, but the tensors it consumed stay in the graph, so the layers before it still
 * belong to the model built around it.
 */
export interface OpaqueCallee {
  /** What the user wrote, shortened, for messages and the summary. */
  readonly opaque: string;
  readonly calleeSpan: Span;
  /** Why it is not followed. */
  readonly reason: string;
  /** True when it surely creates no weights (arithmetic); otherwise its weights are unknown. */
  readonly weightless: boolean;
}

/** One run of a helper function or of a custom layer's `call` from a call site. */
export interface BlockIR {
  /** The helper's name, for messages. */
  readonly name: string;
  /** The call expression `conv_block(x, 64)`. */
  readonly span: Span;
  /** What it returned (tensor refs, possibly in a tuple). */
  readonly result: PyValue;
  /**
   * Calls made during the run, directly or in nested helpers, as indices into `calls`. The
   * block's parameters are those of the layers and models first called (built) among them.
   */
  readonly calls: readonly number[];
  /** Variables made during the run (a custom layer's `add_weight`), as tensor ids: their weights are the block's too. */
  readonly variables?: readonly number[];
  /** A helper run by code of another module of the project (see `LayerCallIR.imported`): no hint of its own. */
  readonly imported?: string;
  /** The module of the project the helper is defined in, when not the file (`models/blocks.py`), for the hover. */
  readonly definedIn?: string;
  /**
   * For the call of a custom layer (or of a model subclass used as a layer): its class and its instance. A model's
   * summary lists it as one row, as Keras does, whatever it calls inside.
   */
  readonly layer?: {
    readonly name: string;
    /** The layer object's identity (`instance:3`, `layer:5`): a second call of the same object shares its weights. */
    readonly object: string;
    /** A model subclass's own model: its summary lists what it calls. */
    readonly model?: number;
    /**
     * A PyTorch module: its parameters are all it holds, used or not (`model.parameters()`), which its model's totals
     * count; a call of it shows its shape only.
     */
    readonly torch?: true;
  };
}

/** A diagnostic the front end found itself (a backbone's arguments Keras refuses, a layer name it does not have). */
export interface NoteIR {
  readonly id: DiagnosticId;
  readonly values: Record<string, string | number>;
  readonly span: Span;
}

export interface ProgramIR {
  readonly tensors: readonly TensorIR[];
  readonly layers: readonly LayerObjectIR[];
  readonly calls: readonly CallIR[];
  readonly models: readonly ModelIR[];
  readonly blocks: readonly BlockIR[];
  /**
   * The Keras generation the program is written for, as its file shows it or the user set it (2: tf.keras 2,
   * 3: Keras 3); absent when not known, and then calls are read as both generations agree (generations.ts).
   */
  readonly keras?: KerasGeneration;
  /**
   * The global dtype policy (`keras.mixed_precision.set_global_policy("mixed_float16")`) set before the program
   * makes its first layer; absent for Keras's float32. `?` when it is set later or to something not known: then
   * the layers' dtypes are unknown.
   */
  readonly dtypePolicy?: string;
  readonly notes?: readonly NoteIR[];
  /**
   * Why the split of the models' parameters into trainable and not is unknown: a `trainable` flag set where the
   * front end cannot tell on what or whether (in a loop it does not unroll, in a branch that may not run).
   */
  readonly trainableUnknown?: string;
  /**
   * A run of another file seen from a module it imports (the module's lines show what that file's calls of it
   * make): what is `imported` here is the other file's, so its diagnostics, placed in that file, are left out.
   */
  readonly shownOnly?: true;
}
