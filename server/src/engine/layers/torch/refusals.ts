/**
 * What the recurrent and attention modules share: PyTorch's own refusals as problems (LL163 from a constructor,
 * LL164 from a forward, each with PyTorch's message and exception), and a weight list's total.
 */
import { Problem, Weight } from "../../spec";

/** `error`: the exception, as the message reads it ("a ValueError", "an AssertionError"). */
export function constructorRefused(layer: string, message: string, argument: string, error = "a ValueError"): Problem {
  return { id: "torchConstructorRefused", argument, values: { layer, message, error } };
}

/** `input`: the tensor at fault (its index in the call), when no argument is. */
export function callRefused(layer: string, message: string, error: string, input?: number): Problem {
  return { id: "torchCallRefused", ...(input === undefined ? {} : { input }), values: { layer, message, error } };
}

/** The parameters' total, undefined while one of them is not sized. */
export function total(weights: readonly Weight[]): bigint | undefined {
  return weights.every((w) => w.count !== undefined) ? weights.reduce((a, w) => a + (w.count ?? 0n), 0n) : undefined;
}
