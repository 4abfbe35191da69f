/**
 * Which dotted paths under `torch.` (and the summary tools around it) name PyTorch objects: modules
 * (`torch.nn.Conv2d`, named by that path in the engine), containers, the `nn.Module` base class, tensors made
 * from a size (`torch.randn(8, 3, 32, 32)`), parameters, and functions on tensors (`torch.nn.functional.relu`,
 * `torch.cat`), each named by its path. A tensor's methods (`x.view(8, -1)`) are `torch.Tensor.<name>`.
 * Whether the engine models a module or function is the registry's answer, asked by the interpreter.
 */

export type TorchObject =
  /** `nn.Module`: a base class whose `forward` is what a call runs. */
  | { readonly kind: "module" }
  /** `nn.Sequential`: its modules applied in order. */
  | { readonly kind: "sequential" }
  /** `nn.ModuleList` / `nn.ModuleDict` (and the parameter ones): a list or dict of what they were given. */
  | { readonly kind: "container"; readonly of: "list" | "dict" }
  /** A module class under `torch.nn` (`Conv2d`, `LSTM`), named `torch.nn.<Name>`. */
  | { readonly kind: "layer"; readonly name: string }
  /** `nn.Parameter(tensor)`: a weight shaped like its tensor. */
  | { readonly kind: "parameter" }
  /** A tensor made from a size: `torch.randn(8, 3)`, `torch.randn((8, 3))` or `size=(8, 3)` (see `sizePosition`). */
  | { readonly kind: "tensor"; readonly name: string }
  /** `torch.tensor(data)`: a tensor shaped like its nested lists. */
  | { readonly kind: "literal" }
  /** `torch.arange(start, end, step)`: a rank-1 tensor. */
  | { readonly kind: "range"; readonly names: readonly string[] }
  /** A function of tensors (`torch.nn.functional.relu`, `torch.cat`); the engine's spec of that name models it. */
  | { readonly kind: "function"; readonly name: string }
  /** `torchinfo.summary(model, input_size=...)`, `torchsummary.summary(model, (3, 32, 32))`: the model run on that size. */
  | { readonly kind: "summary"; readonly batchIncluded: boolean }
  /**
   * `nn.utils.weight_norm(module, name="weight", dim=0)` (and its `parametrizations` form): the module, its weight
   * split into a magnitude and a direction (one more parameter per slice along `dim`); `spectral_norm`: the module,
   * its parameters as many.
   */
  | { readonly kind: "reparametrized"; readonly adds: "magnitude" | "nothing" }
  /** Modules loaded or built by a library at run time (`torchvision.models.resnet18()`, `torch.hub.load`). */
  | { readonly kind: "runtime"; readonly what: string };

/** Tensor factories taking a size (`*size` or one sequence, or `size=`). */
const FACTORIES: ReadonlySet<string> = new Set(["randn", "rand", "zeros", "ones", "empty", "full", "randint"]);

export function torchObject(path: string): TorchObject | undefined {
  if (path === "torchinfo.summary") return { kind: "summary", batchIncluded: true };
  if (path === "torchsummary.summary") return { kind: "summary", batchIncluded: false };
  if (path.startsWith("torchvision.models.") || path === "torch.hub.load") return { kind: "runtime", what: path };
  if (!path.startsWith("torch.")) return undefined;
  const rest = path.slice("torch.".length);
  if (rest === "nn.Module") return { kind: "module" };
  if (rest === "nn.Sequential") return { kind: "sequential" };
  if (rest === "nn.ModuleList" || rest === "nn.ParameterList") return { kind: "container", of: "list" };
  if (rest === "nn.ModuleDict" || rest === "nn.ParameterDict") return { kind: "container", of: "dict" };
  if (rest === "nn.Parameter" || rest === "nn.parameter.Parameter") return { kind: "parameter" };
  if (rest === "nn.utils.weight_norm" || rest === "nn.utils.parametrizations.weight_norm") return { kind: "reparametrized", adds: "magnitude" };
  if (rest === "nn.utils.spectral_norm" || rest === "nn.utils.parametrizations.spectral_norm") return { kind: "reparametrized", adds: "nothing" };
  const module = /^nn\.(?:modules\.\w+\.)?([A-Z]\w*)$/.exec(rest);
  if (module) return { kind: "layer", name: `torch.nn.${module[1]}` };
  if (FACTORIES.has(rest)) return { kind: "tensor", name: path };
  if (rest === "tensor" || rest === "as_tensor" || rest === "Tensor") return { kind: "literal" };
  if (rest === "arange") return { kind: "range", names: ["start", "end", "step"] };
  return { kind: "function", name: path };
}

/**
 * Where a factory's size is among `count` positional arguments: each of them (`torch.randn(8, 3)`, or one
 * sequence), or one position: `torch.randint(low, high, size)` (the low optional), `torch.full(size, value)`.
 */
export function sizePosition(name: string, count: number): number | "varargs" {
  if (name === "torch.randint") return count >= 3 ? 2 : 1;
  if (name === "torch.full") return 0;
  return "varargs";
}

/** Methods of a module that return the module itself (`model.to(device)`, `net.eval()`). */
export const MODULE_SELF_METHODS: ReadonlySet<string> = new Set([
  "to",
  "cuda",
  "cpu",
  "eval",
  "train",
  "float",
  "double",
  "half",
  "bfloat16",
  "requires_grad_",
  "apply",
  "type",
  "share_memory",
  "zero_grad",
]);

/** Modules whose second result is a tuple of states: `output, (h_n, c_n) = lstm(x)`, `h, c = lstm_cell(x)` is flat. */
export const STATE_PAIR_MODULES: ReadonlySet<string> = new Set(["torch.nn.LSTM"]);
