/**
 * The state of the Python front end's interpreter, shared by the files that make it up
 * (`containers.ts`, `calls.ts`, `definitions.ts`, `extract.ts`, each a layer of one class): the
 * program IR being built (tensors, layer instances, calls, models, helper blocks), the user's
 * functions, classes, instances and dicts, and the bounds on the work. Also the small
 * operations every layer uses: evaluating a node, recording a call, making a tensor or a dict.
 */
import { SyntaxNode } from "@lezer/common";
import { ArgIR, BlockIR, CallIR, ElementIR, GraphModelIR, LayerObjectIR, NoteIR, SequentialIR, Span, TensorIR } from "../engine/ir";
import { ProgramAnalyzer } from "../engine/analyze";
import type { KerasGeneration } from "../engine/generations";
import { LayerValue, ModuleParameter, PyValue, RefValue, isRef, isSequence, items, unresolved } from "../engine/values";
import { EvaluationHost, callArguments, evaluate, nodeText } from "./evaluate";
import { Scope } from "./scope";
import { span } from "./syntax";
import { LIMITS } from "./limits";
import type { ModuleSource, ProjectContext } from "./project";

export const STARRED = "uses * or ** arguments";

/** Tensor arithmetic, by the name Keras's summary gives the op. */
export const TENSOR_OPERATORS = new Map<string, string>([
  ["+", "add"],
  ["-", "subtract"],
  ["*", "multiply"],
  ["/", "divide"],
]);

/** Other element-wise operators (they broadcast as `+` does), by the name Keras's ops give them. */
export const ELEMENTWISE_OPERATORS: ReadonlyMap<string, string> = new Map([
  ["**", "power"],
  ["//", "floor_divide"],
  ["%", "mod"],
]);

/** How the statements of a body execute: straight-line, or perhaps / repeatedly. */
export type Flow = "straight" | "conditional" | "loop";

/** A running helper call: what it returned. */
export interface Frame {
  result?: PyValue;
  done: boolean;
  /** A `return` inside a block that may not run: the result is unknown. */
  uncertain: boolean;
}

export interface Context {
  readonly scope: Scope;
  readonly flow: Flow;
  readonly frame?: Frame;
}

export interface Param {
  readonly name: string;
  /** Evaluated once, where the function is defined: a list default changed in place stays changed (Python's own). */
  default?: PyValue;
  readonly star?: "*" | "**";
}

/** A module of the project as this run of the interpreter executed it (once), its names in `scope`. */
export interface LoadedModule {
  readonly source: ModuleSource;
  readonly scope: Scope;
  /** Its top level is still running: an import of it from there (a cycle) sees only what it has bound so far. */
  loading: boolean;
}

/** What a project path names: a module, a value it binds, or a library's path it imported (and the file reads through it). */
export type ProjectName = { readonly module: LoadedModule } | { readonly value: PyValue } | { readonly library: string };

export interface FunctionDef {
  readonly name: string;
  /** The imported module it is defined in (undefined: the file's own code). */
  readonly module?: LoadedModule;
  /** The statements it runs, or for a `lambda` the expression it returns (`expression` is true). */
  readonly body: SyntaxNode;
  readonly expression?: boolean;
  /** The scope it was defined in (its globals / closure). */
  readonly scope: Scope;
  readonly params: readonly Param[];
  /** For a method looked up on an instance: the instance. */
  readonly self?: RefValue;
  /** The definition this one is bound from (methods), whose `invoked` flag counts. */
  readonly origin?: FunctionDef;
  invoked: boolean;
}

export interface ClassDef {
  readonly name: string;
  /** The imported module it is defined in (undefined: the file's own code). */
  readonly module?: LoadedModule;
  readonly node: SyntaxNode;
  readonly base: "model" | "layer" | "other";
  readonly methods: ReadonlyMap<string, number>;
  readonly parent?: ClassDef;
  /** The `# input: ...` annotation's expression and where it is. */
  readonly annotation?: { readonly text: string; readonly span: Span };
  /** What its body assigns (`MAX_LEN = 128`, a dataclass field's default), read as `Config.MAX_LEN` or on an instance. */
  readonly attributes: ReadonlyMap<string, PyValue>;
  /** For a `@dataclass`: its fields in order, which its generated `__init__` takes. */
  readonly fields?: readonly string[];
  /** For a subclass of a Keras layer class (`class MyConv(layers.Conv2D)`): that class. */
  readonly builtin?: string;
  /**
   * A PyTorch module: a subclass of `nn.Module` (its `forward` is what a call runs), or `nn.Sequential` itself
   * (`sequential`: it runs its modules, its attributes "0", "1"… in order, as PyTorch keeps them).
   */
  readonly torch?: "module" | "sequential";
  instantiated: boolean;
}

export interface Instance {
  readonly cls: ClassDef;
  readonly attributes: Map<string, PyValue>;
  /** How many bodies that may not run were under way when it was made (see `Extractor.surely`). */
  readonly madeAt: number;
  /** For a Model subclass: its model in the program, and whether its `call` has been traced. */
  readonly model?: number;
  traced: boolean;
  /** For a Layer subclass: whether its `build(input_shape)` has run (Keras runs it before the first call). */
  built?: boolean;
  /** The variables its `add_weight` calls made (tensor ids). */
  variables?: number[];
  /** Whether it has been called (its first call's block owns the variables made before). */
  called?: boolean;
}

/** Where a helper run's block starts: the calls and tensors made before it, and earlier variables it owns. */
export interface RunStart {
  readonly calls: number;
  readonly tensors: number;
  readonly variables?: readonly number[];
}

export type SequentialBuilder = { -readonly [K in keyof SequentialIR]: SequentialIR[K] } & { elements: ElementIR[] };
export type GraphBuilder = { -readonly [K in keyof GraphModelIR]: GraphModelIR[K] };

export abstract class InterpreterState implements EvaluationHost {
  protected readonly tensors: TensorIR[] = [];
  protected readonly layers: LayerObjectIR[] = [];
  protected readonly calls: CallIR[] = [];
  protected readonly models: (SequentialBuilder | GraphBuilder)[] = [];
  protected readonly blocks: BlockIR[] = [];
  /** Diagnostics the front end finds itself (a backbone's arguments Keras refuses). */
  protected readonly notes: NoteIR[] = [];
  /** Why the models' trainable split is unknown, once a `trainable` flag was set where it cannot be followed. */
  protected trainableUnknown: string | undefined;
  protected readonly functions: FunctionDef[] = [];
  protected readonly classes: ClassDef[] = [];
  protected readonly instances: Instance[] = [];
  protected readonly dicts: Map<string, PyValue>[] = [];
  /** For each dict, how many bodies that may not run were under way when it was made. */
  protected readonly dictsMadeAt: number[] = [];
  /** Dicts changed in ways not followed: they may hold keys Layer Lens does not know. */
  protected readonly opaqueDicts = new Set<number>();
  /**
   * The `__init__` runs under way, innermost last, with the arguments their `super().__init__(...)` passed
   * (null: passed with `*args` Layer Lens cannot see).
   */
  protected readonly constructing: { superArgs?: readonly ArgIR[] | null }[] = [];
  /** PyTorch modules whose parameters the file stops training (`requires_grad = False`): true while frozen. */
  protected readonly torchFrozen = new Map<number, boolean>();
  /** PyTorch modules' weights whose requires_grad the file sets one by one, by `layer.weight`, after their module's. */
  protected readonly weightsTraining = new Map<string, ModuleParameter & { readonly trainable: boolean }>();
  /** PyTorch modules whose weights cannot be counted (a weight norm Layer Lens does not follow), with why. */
  protected readonly replacedWeights = new Map<number, string>();
  /** How many PyTorch modules' `__init__` runs are under way: a module made in one is a part, not a model. */
  protected torchInits = 0;
  /** Dicts that are `types.SimpleNamespace` objects: their items are read as attributes (`ns.filters`). */
  protected readonly namespaces = new Set<number>();
  protected steps = 0;
  /** The outermost comprehension under way: the steps taken and objects built when it started. */
  protected expression: { readonly steps: number; readonly built: number } | undefined;
  /** How many loop iterations, comprehensions and helper runs are under way: only their work counts as steps. */
  protected repeating = 0;
  protected exhausted = false;
  protected callDepth = 0;
  /** How many bodies under way may or may not run (branches on unknown conditions, loops not unrolled). */
  protected uncertain = 0;
  /** Running the functions the file never calls: their `global` and `nonlocal` names stay their own. */
  protected finishing = false;
  /** The scopes of the helper runs under way, innermost last: a list passed down may be changed there. */
  protected readonly invocations: Scope[] = [];
  protected moduleScope = new Scope();
  /** The text of the code running now: the file's, or an imported module's while its code runs. */
  protected text: string;
  /** The imported module whose code is running (undefined: the file's own). */
  protected module: LoadedModule | undefined;
  /** The file's own calls under way, innermost last: where code of another module that they run shows. */
  protected readonly sites: SyntaxNode[] = [];
  /** Follows the program as it is built, for `x.shape`, read as the file's Keras generation. */
  protected readonly shapes: ProgramAnalyzer;

  constructor(
    protected readonly ownText: string,
    keras?: KerasGeneration,
    protected readonly project?: ProjectContext,
  ) {
    this.text = ownText;
    this.shapes = new ProgramAnalyzer({ tensors: this.tensors, layers: this.layers, calls: this.calls, models: this.models, blocks: this.blocks, ...(keras ? { keras } : {}) });
  }


  protected t(node: SyntaxNode): string {
    return nodeText(this.text, node);
  }

  protected eval(node: SyntaxNode, scope: Scope, depth = 0): PyValue {
    return evaluate(node, this.text, scope, depth, this);
  }

  protected args(argList: SyntaxNode, scope: Scope, depth: number): ArgIR[] | undefined {
    return callArguments(argList, this.text, scope, depth, this);
  }

  /** The step budget ran out: models still being built cannot be trusted to be complete. */
  protected exhaust(at: SyntaxNode): void {
    this.exhausted = true;
    const text = `the rest of the file (more than ${LIMITS.steps.toLocaleString("en")} statements to follow)`;
    for (const model of this.models) if (model.kind === "sequential") model.elements.push({ type: "opaque", text, span: { start: at.from, end: at.from } });
  }

  /** Whether a tensor is a variable (`tf.Variable`, a custom layer's `add_weight`): its elements are weights. */
  protected isVariable(id: number): boolean {
    const tensor = this.tensors[id];
    return tensor.type === "literal" && tensor.variable;
  }

  protected newTensor(tensor: TensorIR): RefValue {
    return { ref: "tensor", id: this.tensors.push(tensor) - 1 };
  }

  /** Records a call of a layer, model or op; its value is its (first) output tensor. */
  protected record(call: CallIR): RefValue {
    const index = this.calls.push(call) - 1;
    return this.newTensor({ type: "output", call: index, index: 0 });
  }

  protected newDict(entries: [string, PyValue][]): RefValue {
    this.dictsMadeAt.push(this.uncertain);
    return { ref: "dict", id: this.dicts.push(new Map(entries)) - 1 };
  }

  keywords(value: PyValue): [string, PyValue][] | undefined {
    return isRef(value, "dict") && !this.opaqueDicts.has(value.id) ? [...this.dicts[value.id]] : undefined;
  }

  /** A value with dicts replaced by the list of their values (a model's inputs and outputs dicts). */
  protected plain(value: PyValue): PyValue {
    if (isRef(value, "dict")) return [...this.dicts[value.id].values()].map((v) => this.plain(v));
    if (isSequence(value)) return items(value).map((v) => this.plain(v));
    return value;
  }

  protected hasTensor(value: PyValue): boolean {
    return isRef(value, "tensor") || (isSequence(value) && items(value).some((v) => this.hasTensor(v)));
  }

  /**
   * The value an object's attribute or item takes from an assignment: unknown when the assignment is in a
   * body that may not run while the object exists either way (`if cond: self.block = Dense(8)`).
   */
  protected surely(madeAt: number, target: string, value: PyValue): PyValue {
    return this.uncertain > madeAt ? unresolved(`'${target}' is assigned in a conditional block`) : value;
  }

  /** A tensor's shape as a tuple (`x.shape`), from the engine following the program built so far. */
  protected shapeValue(value: PyValue | undefined): PyValue {
    if (!isRef(value, "tensor")) return unresolved("the shape of a value that is not a tensor Layer Lens follows");
    const shape = this.shapes.tensorShape(value.id);
    if (!shape) return unresolved("the shape of a tensor Layer Lens cannot follow");
    return { tuple: shape.map((d) => (d === "None" ? null : d === "?" ? unresolved("a dimension Layer Lens cannot know") : d)) };
  }

  protected layerValue(ref: RefValue): LayerValue {
    const call = this.layers[ref.id].call;
    return { layer: { kind: call.kind, args: call.args } };
  }

  /** `keras.Model(inputs, outputs)` / `keras.Model(inputs=..., outputs=...)`. */
  protected functional(call: SyntaxNode, args: readonly ArgIR[]): RefValue {
    const positional = args.filter((a) => a.name === undefined);
    const inputs = args.find((a) => a.name === "inputs") ?? positional[0];
    const outputs = args.find((a) => a.name === "outputs") ?? positional[1];
    const name = args.find((a) => a.name === "name")?.value;
    const builder: GraphBuilder = {
      kind: "functional",
      span: span(call),
      calleeSpan: span(call.firstChild!),
      totalsOffset: call.to,
      inputs: this.plain(inputs?.value ?? unresolved("the model has no inputs")),
      outputs: this.plain(outputs?.value ?? unresolved("the model has no outputs")),
      ...(typeof name === "string" ? { name } : {}),
    };
    return { ref: "model", id: this.models.push(builder) - 1 };
  }

  /** The name a target gives a model (`model`, `self.model`), if it is a simple one. */
  protected targetKey(node: SyntaxNode): string | undefined {
    if (node.name === "VariableName") return this.t(node);
    if (node.name === "MemberExpression" && node.getChild("PropertyName") && node.firstChild?.name === "VariableName") {
      return this.t(node).replace(/\s+/g, "");
    }
    return undefined;
  }

  /**
   * Runs code of `module` (undefined: the file's own) with its text. What code of another module makes while the
   * file's code runs it is the file's call's (`at`, else the innermost of `sites`): its spans, and no hint of its own.
   */
  /**
   * What a project path (`project.ts`) names, its module run first if this run has not yet (`at`: where the file
   * needed it); undefined when it is not one, or goes on past a value (`cfg.model.units`: read as attributes).
   */
  protected abstract projectName(path: string, at: Span | undefined): ProjectName | undefined;

  /** Whether code of `module` (undefined: the file's own) is what the analysis shows (see `ProjectContext.focus`). */
  protected abstract shown(module: LoadedModule | undefined): boolean;

  protected abstract runIn<T>(module: LoadedModule | undefined, at: Span | undefined, run: () => T): T;

  abstract call(node: SyntaxNode, scope: Scope, depth: number): PyValue;
  abstract attribute(node: SyntaxNode, scope: Scope, depth: number): PyValue;
  abstract dictionary(node: SyntaxNode, scope: Scope, depth: number): PyValue;
  abstract comprehension(node: SyntaxNode, scope: Scope, depth: number): PyValue;
  abstract item(target: PyValue, index: PyValue): PyValue | undefined;
  abstract operator(op: string, a: PyValue, b: PyValue, node: SyntaxNode): PyValue;
  abstract tensorItem(node: SyntaxNode, tensor: RefValue, key: PyValue): PyValue;
  abstract lambda(node: SyntaxNode, scope: Scope): PyValue;
}
