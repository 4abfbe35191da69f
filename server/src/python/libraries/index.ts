/**
 * What the interpreter asks of an imported dotted path. Each library's meaning lives in its own
 * module (`keras.ts`, `tensorflow.ts`); this is the interpreter's one entry to them.
 *
 * PyTorch's paths are their own (`torch.`, `torchinfo.`, `torchvision.`): `classifyTorchPath` answers them. For the rest
 * the interpreter asks two questions, in this order: `classifyKerasPath` (Keras's layers, models, merge
 * functions, `ops.shape`, `ops.arange`), then `classifyTensorFlowPath` (TensorFlow's tensors, variables,
 * ranges, and ops). An op is recorded the same way whichever library defines it, so the second question
 * answers the ops of both: `keras.ops.reshape` comes from Keras's module, `tf.reshape` from TensorFlow's.
 */
import { KerasObject, kerasObject, kerasOpNames } from "./keras";
import { TensorFlowObject, tensorFlowObject, tensorFlowOpNames } from "./tensorflow";
import { TorchObject, torchObject } from "./torch";

export type { KerasObject } from "./keras";
export type { TensorFlowObject } from "./tensorflow";

/** PyTorch's modules, containers, tensors and functions (and the summary tools around it), asked first. */
export function classifyTorchPath(path: string): TorchObject | undefined {
  return torchObject(path);
}

export function classifyKerasPath(path: string): KerasObject | undefined {
  return kerasObject(path);
}

/** A TensorFlow tensor, variable or range, or an op of either library (Keras's `{ kind: "op" }` answers). */
export function classifyTensorFlowPath(path: string): TensorFlowObject | undefined {
  const keras = kerasObject(path);
  if (keras?.kind === "op" || keras?.kind === "broadcast" || keras?.kind === "tensor") return keras;
  return tensorFlowObject(path);
}

/** The names of every op the libraries answer, each of which the engine must model. */
export function libraryOpNames(): string[] {
  return [...tensorFlowOpNames(), ...kerasOpNames()];
}
