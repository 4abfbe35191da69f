/**
 * Tensors a PyTorch program makes from a size (`torch.randn(8, 3, 32, 32)`, `torch.zeros((8, 20))`,
 * `torch.randint(0, 10, (8, 20))`), from data (`torch.tensor([[1, 2], [3, 4]])`) or a range (`torch.arange(10)`):
 * where a model's input comes from, as `keras.Input` is on the Keras side. The front end reads the size from the
 * call's arguments (its `*size` varargs, one sequence or `size=`; see python/libraries/torch.ts) and passes it as
 * `size`. The dtype does not change a shape; the batch is a number, as in every PyTorch shape.
 */
import { Args } from "../../args";
import { Dim, UNKNOWN } from "../../shape";
import { LayerSpec } from "../../spec";
import { dataMovementCost } from "../../cost";
import { isInt, isSequence, isUnresolved, items, pyRepr } from "../../values";

/** torch/_torch_docs.py: each factory's documented name; all of them take a size the same way. */
const FACTORIES = ["torch.randn", "torch.rand", "torch.zeros", "torch.ones", "torch.empty", "torch.full", "torch.randint", "torch.tensor", "torch.as_tensor", "torch.Tensor", "torch.arange"];

function inferSize(args: Args): { output?: Dim[] } {
  const size = args.raw("size");
  if (size === undefined || size === null) return {};
  if (isUnresolved(size)) {
    args.unresolved.set("size", size.unresolved);
    return {};
  }
  if (!isSequence(size)) {
    args.problems.push({ id: "invalidArgument", argument: "size", values: { argument: "size", expected: "a sequence of non-negative integers such as (8, 3, 32, 32)", value: pyRepr(size) } });
    return {};
  }
  const dims: Dim[] = [];
  for (const d of items(size)) {
    if (isInt(d) && d >= 0) dims.push(d);
    else if (isUnresolved(d)) dims.push(UNKNOWN);
    else {
      // PyTorch: "Trying to create tensor with negative dimension -1: [-1, 3]".
      args.problems.push({ id: "invalidArgument", argument: "size", values: { argument: "size", expected: "non-negative integers (PyTorch: Trying to create tensor with negative dimension)", value: pyRepr(size) } });
      return {};
    }
  }
  return { output: dims };
}

const factory: LayerSpec = {
  name: FACTORIES[0],
  aliases: FACTORIES.slice(1),
  summary: "A tensor of the given size: where a model's input comes from.",
  params: [{ name: "size", default: null }],
  closedKeywords: true,
  isInput: true,
  cost: dataMovementCost,
  infer: (args) => ({ output: inferSize(args).output, weights: [], formulas: [], problems: args.problems }),
};

export const torchFactories: readonly LayerSpec[] = [factory];
