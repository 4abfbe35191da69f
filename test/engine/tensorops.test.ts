/**
 * Tensor functions between layers, expectations worked out by hand from each library's own rules:
 * - TensorFlow: the ops' shape functions (array_ops.cc) and documented behaviour. Reshape: counts must
 *   agree on a fully known input, one -1 is their quotient; with one open input size and a -1 the -1 is
 *   that open size (None); with one open input size and no -1 the target must hold a multiple of the
 *   input's known part. A reduction axis named twice is refused. Squeeze without an axis on an open size knows nothing. Transpose perm: a
 *   permutation of 0…rank−1. tf.argmax's axis None is 0. one_hot axis: −1 or 0…rank. pad 'REFLECT':
 *   pads ≤ size − 1, 'SYMMETRIC' ≤ size.
 * - Keras 3: compute_output_spec of keras/src/ops (numpy.py, nn.py, core.py) and operation_utils.
 *   Reshape: a None in the input leaves the -1 None, unchecked. Squeeze without an axis keeps None;
 *   with an axis that is None it raises. unstack returns `num` tensors as asked. one_hot axis: −1 or 0…rank−1. argmax with axis None flattens.
 *   matmul follows NumPy (1-D operands promoted). tile follows NumPy (shorter side padded with 1s).
 * None of them owns weights (checkMultiRow checks 0 params on every row).
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { findLayer } from "../../server/src/engine/layers/registry";
import { elementwiseOps } from "../../server/src/engine/layers/elementwise";
import { tensorOps as shapeOps } from "../../server/src/engine/layers/tensorops";

/** Every tensor function spec: the element-wise family and the shape functions. */
const tensorOps = [...elementwiseOps, ...shapeOps];
import { classifyKerasPath, classifyTensorFlowPath, libraryOpNames } from "../../server/src/python/libraries";
import { Shape } from "../../server/src/engine/shape";
import { tup } from "./helpers";
import { MultiRow, checkMultiRow, inferMulti, multiRowName } from "./multiInput";

const N = "None";
const U = "?";

const rows: MultiRow[] = [
  // ---- Element-wise: the shape passes through, open sizes included; unknown stays unknown.
  { kind: "tf.nn.relu", args: [], inputs: [[N, 28, 28, 32]], output: [N, 28, 28, 32] },
  { kind: "tf.exp", args: [], inputs: [[N, U, 3]], output: [N, U, 3], note: "the top-level alias of tf.math.exp" },
  { kind: "tf.math.exp", args: [], inputs: [undefined], output: undefined },
  { kind: "tf.nn.leaky_relu", args: [{ alpha: 0.1 }], inputs: [[N, 10]], output: [N, 10] },
  { kind: "tf.nn.gelu", args: [{ approximate: true }], inputs: [[N, 10]], output: [N, 10] },
  { kind: "tf.nn.swish", args: [{ beta: 2.0 }], inputs: [[N, 10]], output: [N, 10], note: "alias of tf.nn.silu" },
  { kind: "tf.cast", args: [{ unresolved: "tf.float32 is an attribute" }], inputs: [[N, 28, 28]], output: [N, 28, 28], note: "the dtype does not matter to the shape" },
  { kind: "tf.cast", args: [], inputs: [[N, 28, 28]], output: [N, 28, 28], problems: ["missingArgument"], note: "dtype is required" },
  { kind: "tf.clip_by_value", args: [0.0, 1.0], inputs: [[N, 5]], output: [N, 5] },
  { kind: "tf.identity", args: [], inputs: [[3, 4]], output: [3, 4] },
  { kind: "tf.stop_gradient", args: [], inputs: [[3, 4]], output: [3, 4] },
  { kind: "tf.nn.relu", args: [{ alpha: 0.1 }], inputs: [[N, 10]], output: [N, 10], problems: ["unknownKeyword"], note: "relu has no alpha" },
  { kind: "keras.ops.relu", args: [], inputs: [[N, 10]], output: [N, 10] },
  { kind: "keras.ops.nn.relu", args: [], inputs: [[N, 10]], output: [N, 10] },
  { kind: "keras.ops.numpy.sqrt", args: [], inputs: [[N, 10]], output: [N, 10] },
  { kind: "keras.ops.clip", args: [0, 6], inputs: [[N, 10]], output: [N, 10] },
  { kind: "keras.ops.cast", args: ["float16"], inputs: [[N, 10]], output: [N, 10] },
  { kind: "keras.ops.gelu", args: [{ approximate: false }], inputs: [[N, 10]], output: [N, 10] },
  { kind: "keras.activations.relu", args: [{ max_value: 6.0 }], inputs: [[N, 10]], output: [N, 10] },
  { kind: "keras.activations.swish", args: [], inputs: [[N, 10]], output: [N, 10] },

  // ---- softmax family: the axis must be one of the input's (rank 3: −3…2).
  { kind: "tf.nn.softmax", args: [], inputs: [[N, 5, 3]], output: [N, 5, 3], note: "axis None is the last" },
  { kind: "tf.nn.softmax", args: [{ axis: -3 }], inputs: [[N, 5, 3]], output: [N, 5, 3] },
  { kind: "tf.nn.softmax", args: [{ axis: 3 }], inputs: [[N, 5, 3]], output: [N, 5, 3], problems: ["invalidArgument"] },
  { kind: "tf.math.log_softmax", args: [{ axis: -4 }], inputs: [[N, 5, 3]], output: [N, 5, 3], problems: ["invalidArgument"] },
  { kind: "tf.nn.softmax", args: [{ axis: [1, 2] }], inputs: [[N, 5, 3]], output: [N, 5, 3], problems: ["invalidArgument"], note: "TensorFlow takes one axis" },
  { kind: "keras.ops.softmax", args: [{ axis: tup(1, 2) }], inputs: [[N, 5, 3]], output: [N, 5, 3], note: "Keras takes a tuple of axes" },
  { kind: "keras.ops.softmax", args: [{ axis: tup(1, 3) }], inputs: [[N, 5, 3]], output: [N, 5, 3], problems: ["invalidArgument"] },
  { kind: "keras.activations.softmax", args: [{ axis: 2 }], inputs: [[N, 5]], output: [N, 5], problems: ["invalidArgument"] },
  { kind: "keras.ops.log_softmax", args: [{ axis: 1 }], inputs: [[N, 5]], output: [N, 5] },
  { kind: "keras.ops.sparsemax", args: [{ axis: tup(0, 1) }], inputs: [[N, 5]], output: [N, 5], problems: ["invalidArgument"], note: "sparsemax takes one axis" },

  // ---- tf.nn.dropout: rate in [0, 1).
  { kind: "tf.nn.dropout", args: [{ rate: 0.5 }], inputs: [[N, 64]], output: [N, 64] },
  { kind: "tf.nn.dropout", args: [0.0], inputs: [[N, 64]], output: [N, 64] },
  { kind: "tf.nn.dropout", args: [{ rate: 1 }], inputs: [[N, 64]], output: [N, 64], problems: ["invalidArgument"] },
  { kind: "tf.nn.dropout", args: [], inputs: [[N, 64]], output: [N, 64], problems: ["missingArgument"] },

  // ---- tf.reshape.
  { kind: "tf.reshape", args: [[4, 7, 7]], inputs: [[14, 14]], output: [4, 7, 7], note: "196 = 4·7·7" },
  { kind: "tf.reshape", args: [[-1, 7]], inputs: [[14, 14]], output: [28, 7], note: "196 / 7 = 28" },
  { kind: "tf.reshape", args: [{ shape: tup(2, -1, 2) }], inputs: [[2, 3, 4]], output: [2, 6, 2], note: "24 / (2·2) = 6" },
  { kind: "tf.reshape", args: [[5, 7]], inputs: [[14, 14]], output: [5, 7], problems: ["reshapeMismatch"], note: "196 ≠ 35" },
  { kind: "tf.reshape", args: [[-1, 5]], inputs: [[14, 14]], output: [U, 5], problems: ["reshapeMismatch"], note: "196 is not a multiple of 5" },
  { kind: "tf.reshape", args: [[-1, 0]], inputs: [[2, 3]], output: [U, 0], problems: ["reshapeMismatch"], note: "a -1 next to a 0 cannot be inferred" },
  { kind: "tf.reshape", args: [[-1, 7, 7, 64]], inputs: [[N, 3136]], output: [N, 7, 7, 64], note: "3,136 per item on both sides: -1 is the batch" },
  { kind: "tf.reshape", args: [[-1, 7, 7, 64]], inputs: [[N, 28, 28, 1]], output: [N, 7, 7, 64], note: "784 ≠ 3,136 per item: TensorFlow leaves the -1 open" },
  { kind: "tf.reshape", args: [[-1, 28, 28]], inputs: [[N, 784]], output: [N, 28, 28] },
  { kind: "tf.reshape", args: [[-1, 4]], inputs: [[N, N, 8]], output: [N, 4], note: "two open sizes: nothing to infer" },
  { kind: "tf.reshape", args: [[-1, 4]], inputs: [[N, U, 8]], output: [U, 4] },
  { kind: "tf.reshape", args: [[32, 28, 28]], inputs: [[N, 784]], output: [32, 28, 28], note: "25,088 is 32·784: the batch must be 32" },
  { kind: "tf.reshape", args: [[10, 5]], inputs: [[N, 784]], output: [10, 5], problems: ["reshapeMismatch"], note: "50 is no multiple of 784" },
  { kind: "tf.reshape", args: [[-1, -1]], inputs: [[4, 4]], output: undefined, problems: ["reshapeMismatch"], note: "one -1 at most" },
  { kind: "tf.reshape", args: [[-2, 8]], inputs: [[4, 4]], output: undefined, problems: ["invalidArgument"] },
  { kind: "tf.reshape", args: [[null, 8]], inputs: [[4, 4]], output: undefined, problems: ["invalidArgument"], note: "TensorFlow cannot convert None" },
  { kind: "tf.reshape", args: [[-1, { unresolved: "n" }]], inputs: [[4, 4]], output: [U, U] },
  { kind: "tf.reshape", args: [[-1, 8]], inputs: [undefined], output: [U, 8] },

  // ---- keras.ops.reshape.
  { kind: "keras.ops.reshape", args: [[-1, 7, 7, 64]], inputs: [[N, 28, 28, 1]], output: [N, 7, 7, 64] },
  { kind: "keras.ops.reshape", args: [[10, 5]], inputs: [[N, 784]], output: [10, 5], note: "a None in the input: Keras checks nothing" },
  { kind: "keras.ops.reshape", args: [[-1, 7]], inputs: [[14, 14]], output: [28, 7] },
  { kind: "keras.ops.reshape", args: [-1], inputs: [[3, 4]], output: [12], note: "a bare int, as NumPy" },
  { kind: "keras.ops.reshape", args: [tup(null, 4)], inputs: [[2, 8]], output: [N, 4], note: "a None in the target is kept" },
  { kind: "keras.ops.reshape", args: [tup(5, 7)], inputs: [[14, 14]], output: [5, 7], problems: ["reshapeMismatch"] },
  { kind: "keras.ops.reshape", args: [tup(-1, 5)], inputs: [[14, 14]], output: [U, 5], problems: ["reshapeMismatch"] },
  { kind: "keras.ops.reshape", args: [tup(-1, 4)], inputs: [[U, 8]], output: [U, 4] },

  // ---- transpose.
  { kind: "tf.transpose", args: [], inputs: [[N, 3, 5]], output: [5, 3, N], note: "reversed by default" },
  { kind: "tf.transpose", args: [[0, 2, 1]], inputs: [[N, 3, 5]], output: [N, 5, 3] },
  { kind: "tf.transpose", args: [{ perm: [0, -1, 1] }], inputs: [[N, 3, 5]], output: undefined, problems: ["invalidArgument"], note: "the kernel refuses negative entries" },
  { kind: "tf.transpose", args: [[0, 1]], inputs: [[N, 3, 5]], output: undefined, problems: ["invalidArgument"] },
  { kind: "tf.transpose", args: [[0, 1, 1]], inputs: [[N, 3, 5]], output: undefined, problems: ["invalidArgument"], note: "2 is missing" },
  { kind: "keras.ops.transpose", args: [[0, -1, 1]], inputs: [[N, 3, 5]], output: [N, 5, 3], note: "Keras counts negative axes from the end" },
  { kind: "keras.ops.transpose", args: [], inputs: [[2, 3, 4, 5]], output: [5, 4, 3, 2] },
  { kind: "keras.ops.transpose", args: [{ axes: [0, 3, 1] }], inputs: [[N, 3, 5]], output: undefined, problems: ["invalidArgument"] },

  // ---- expand_dims: TensorFlow one axis in [−rank−1, rank]; Keras a tuple allowed.
  { kind: "tf.expand_dims", args: [-1], inputs: [[N, 5]], output: [N, 5, 1] },
  { kind: "tf.expand_dims", args: [{ axis: 0 }], inputs: [[N, 5]], output: [1, N, 5] },
  { kind: "tf.expand_dims", args: [-3], inputs: [[N, 5]], output: [1, N, 5] },
  { kind: "tf.expand_dims", args: [3], inputs: [[N, 5]], output: undefined, problems: ["invalidArgument"] },
  { kind: "tf.expand_dims", args: [[1, 2]], inputs: [[N, 5]], output: undefined, problems: ["invalidArgument"] },
  { kind: "keras.ops.expand_dims", args: [tup(1, 2)], inputs: [[N, 5]], output: [N, 1, 1, 5] },
  { kind: "keras.ops.expand_dims", args: [tup(0, -1)], inputs: [[N, 5]], output: [1, N, 5, 1] },
  { kind: "keras.ops.expand_dims", args: [1], inputs: [[N, 5]], output: [N, 1, 5] },

  // ---- squeeze.
  { kind: "tf.squeeze", args: [], inputs: [[4, 1, 5, 1]], output: [4, 5] },
  { kind: "tf.squeeze", args: [], inputs: [[N, 1, 5]], output: undefined, note: "an open size might be 1: TensorFlow knows nothing" },
  { kind: "tf.squeeze", args: [{ axis: 1 }], inputs: [[N, 1, 5]], output: [N, 5] },
  { kind: "tf.squeeze", args: [{ axis: [0, -2] }], inputs: [[N, 1, 5]], output: [5], note: "an open size named in axis is taken as 1" },
  { kind: "tf.squeeze", args: [{ axis: 2 }], inputs: [[N, 1, 5]], output: undefined, problems: ["invalidArgument"], note: "size 5" },
  { kind: "tf.squeeze", args: [{ axis: 3 }], inputs: [[N, 1, 5]], output: undefined, problems: ["invalidArgument"] },
  { kind: "keras.ops.squeeze", args: [], inputs: [[N, 1, 5]], output: [N, 5], note: "Keras keeps None" },
  { kind: "keras.ops.squeeze", args: [], inputs: [[N, U, 5]], output: undefined, note: "a ? might be 1" },
  { kind: "keras.ops.squeeze", args: [{ axis: 0 }], inputs: [[N, 1, 5]], output: undefined, problems: ["invalidArgument"], note: "Keras: None is not 1" },
  { kind: "keras.ops.squeeze", args: [{ axis: 1 }], inputs: [[N, 1, 5]], output: [N, 5] },

  // ---- concat / concatenate.
  { kind: "tf.concat", args: [-1], inputs: [[N, 8, 3], [N, 8, 4]], output: [N, 8, 7], note: "3 + 4" },
  { kind: "tf.concat", args: [{ axis: 1 }], inputs: [[N, 2, 5], [N, 1, 5], [N, 4, 5]], output: [N, 7, 5] },
  { kind: "tf.concat", args: [0], inputs: [[N, 5], [8, 5]], output: [N, 5], note: "None + 8 is open" },
  { kind: "tf.concat", args: [1], inputs: [[N, 5], [8, 5]], output: [8, 10], note: "TensorFlow merges the other sizes: 8 wins over None" },
  { kind: "tf.concat", args: [-1], inputs: [[N, 8, 3], undefined], output: [N, 8, U] },
  { kind: "tf.concat", args: [-1], inputs: [[N, 8, 3], [N, 4, 3]], output: undefined, problems: ["incompatibleShapes"] },
  { kind: "tf.concat", args: [-1], inputs: [[N, 8, 3], [N, 3]], output: undefined, problems: ["incompatibleShapes"], note: "ranks differ" },
  { kind: "tf.concat", args: [2], inputs: [[N, 3], [N, 3]], output: undefined, problems: ["invalidArgument"] },
  { kind: "tf.concat", args: [], inputs: [[N, 3], [N, 3]], output: undefined, problems: ["missingArgument"] },
  { kind: "tf.concat", args: [0], inputs: [], output: undefined, problems: ["inputCount"] },
  { kind: "keras.ops.concatenate", args: [], inputs: [[2, 3], [4, 3]], output: [6, 3], note: "axis 0 by default" },
  { kind: "keras.ops.concatenate", args: [{ axis: -1 }], inputs: [[N, 3], [N, 4]], output: [N, 7] },
  { kind: "keras.ops.concatenate", args: [{ axis: 1 }], inputs: [[N, 5], [8, 5]], output: [N, 10], note: "Keras keeps the first input's sizes" },

  // ---- stack / unstack.
  { kind: "tf.stack", args: [], inputs: [[N, 3], [N, 3]], output: [2, N, 3] },
  { kind: "tf.stack", args: [{ axis: -1 }], inputs: [[N, 3], [N, 3], [N, 3]], output: [N, 3, 3] },
  { kind: "tf.stack", args: [{ axis: 2 }], inputs: [[N, 3], [N, 3]], output: [N, 3, 2] },
  { kind: "tf.stack", args: [{ axis: 3 }], inputs: [[N, 3], [N, 3]], output: undefined, problems: ["invalidArgument"] },
  { kind: "tf.stack", args: [{ axis: 1 }], inputs: [[N, 3], [N, 4]], output: undefined, problems: ["incompatibleShapes"] },
  { kind: "keras.ops.stack", args: [{ axis: -2 }], inputs: [[2, 3, 4], [2, 3, 4]], output: [2, 3, 2, 4] },
  { kind: "tf.unstack", args: [{ axis: 1 }], inputs: [[N, 3, 4]], output: [N, 4], extra: [[N, 4], [N, 4]] },
  { kind: "tf.unstack", args: [], inputs: [[2, 5]], output: [5], extra: [[5]] },
  { kind: "tf.unstack", args: [], inputs: [[N, 3, 4]], output: undefined, problems: ["invalidArgument"], note: "None on axis 0 without num" },
  { kind: "tf.unstack", args: [{ num: 4, axis: -1 }], inputs: [[N, 3, U]], output: [N, 3], extra: [[N, 3], [N, 3], [N, 3]], note: "num gives the count" },
  { kind: "tf.unstack", args: [{ num: 4 }], inputs: [[3, 5]], output: undefined, problems: ["invalidArgument"], note: "num 4 ≠ 3" },
  { kind: "keras.ops.unstack", args: [{ axis: -1 }], inputs: [[N, 2]], output: [N], extra: [[N]] },
  { kind: "keras.ops.unstack", args: [{ num: 4 }], inputs: [[3, 5]], output: [5], extra: [[5], [5], [5]], note: "Keras returns num tensors as asked" },
  { kind: "keras.ops.unstack", args: [], inputs: [[N, 5]], output: undefined, problems: ["invalidArgument"], note: "Cannot infer argument `num`" },

  // ---- split.
  { kind: "tf.split", args: [2, { axis: -1 }], inputs: [[N, 8]], output: [N, 4], extra: [[N, 4]], note: "8 / 2" },
  { kind: "tf.split", args: [[3, -1], -1], inputs: [[N, 8]], output: [N, 3], extra: [[N, 5]], note: "8 − 3 = 5" },
  { kind: "tf.split", args: [[2, 2, 4]], inputs: [[8, 3]], output: [2, 3], extra: [[2, 3], [4, 3]] },
  { kind: "tf.split", args: [3, -1], inputs: [[N, 8]], output: undefined, problems: ["invalidArgument"], note: "3 does not divide 8" },
  { kind: "tf.split", args: [[3, 4], -1], inputs: [[N, 8]], output: undefined, problems: ["invalidArgument"], note: "3 + 4 ≠ 8" },
  { kind: "tf.split", args: [[3, 6, -1], -1], inputs: [[N, 8]], output: undefined, problems: ["invalidArgument"], note: "3 + 6 > 8" },
  { kind: "tf.split", args: [2], inputs: [[N, 8]], output: [N, 8], extra: [[N, 8]], note: "axis 0 is None: each part is None" },
  { kind: "tf.split", args: [[1, -1], 0], inputs: [[N, 8]], output: [1, 8], extra: [[N, 8]] },
  { kind: "keras.ops.split", args: [[3, 5], -1], inputs: [[N, 8]], output: [N, 3], extra: [[N, 2], [N, 3]], note: "cut at 3 and 5" },
  { kind: "keras.ops.split", args: [4, { axis: 1 }], inputs: [[N, 8]], output: [N, 2], extra: [[N, 2], [N, 2], [N, 2]] },
  { kind: "keras.ops.split", args: [3, { axis: 1 }], inputs: [[N, 8]], output: undefined, problems: ["invalidArgument"] },

  // ---- tile, pad.
  { kind: "tf.tile", args: [[1, 3]], inputs: [[N, 5]], output: [N, 15] },
  { kind: "tf.tile", args: [[2, 0]], inputs: [[N, 5]], output: [N, 0], note: "open times 2 stays open" },
  { kind: "tf.tile", args: [[2]], inputs: [[N, 5]], output: undefined, problems: ["invalidArgument"], note: "one multiple per axis" },
  { kind: "keras.ops.tile", args: [3], inputs: [[N, 5]], output: [N, 15], note: "NumPy: (3,) padded to (1, 3)" },
  { kind: "keras.ops.tile", args: [[2, 1, 1]], inputs: [[4, 5]], output: [2, 4, 5], note: "NumPy: the shape padded to (1, 4, 5)" },
  { kind: "tf.pad", args: [[[0, 0], [2, 2]]], inputs: [[N, 5]], output: [N, 9] },
  { kind: "tf.pad", args: [[[1, 1], [2, 3]], "reflect"], inputs: [[4, 5]], output: [6, 10], note: "mode is case-insensitive; pads ≤ size − 1" },
  { kind: "tf.pad", args: [[[0, 0], [5, 0]], "REFLECT"], inputs: [[4, 5]], output: undefined, problems: ["invalidArgument"], note: "5 > 5 − 1" },
  { kind: "tf.pad", args: [[[0, 0], [5, 0]], "SYMMETRIC"], inputs: [[4, 5]], output: [4, 10] },
  { kind: "tf.pad", args: [[[0, 0], [2, 2]], "EDGE"], inputs: [[4, 5]], output: [4, 9], problems: ["invalidArgument"] },
  { kind: "tf.pad", args: [[[2, 2]]], inputs: [[4, 5]], output: undefined, problems: ["invalidArgument"], note: "one pair per axis" },
  { kind: "keras.ops.pad", args: [2], inputs: [[N, 5]], output: [N, 9] },
  { kind: "keras.ops.pad", args: [tup(1, 2)], inputs: [[3, 5]], output: [6, 8], note: "one pair for every axis" },
  { kind: "keras.ops.pad", args: [[[0, 0], [1, 1]]], inputs: [[3, 5]], output: [3, 7] },
  { kind: "keras.ops.pad", args: [[[0, 0], [1, 1], [1, 1]]], inputs: [[3, 5]], output: undefined, problems: ["invalidArgument"] },

  // ---- one_hot.
  { kind: "tf.one_hot", args: [10], inputs: [[N, 5]], output: [N, 5, 10] },
  { kind: "tf.one_hot", args: [10, { axis: 0 }], inputs: [[N, 5]], output: [10, N, 5] },
  { kind: "tf.one_hot", args: [10, { axis: 2 }], inputs: [[N, 5]], output: [N, 5, 10], note: "TensorFlow: axis up to the rank" },
  { kind: "tf.one_hot", args: [10, { axis: 3 }], inputs: [[N, 5]], output: undefined, problems: ["invalidArgument"] },
  { kind: "tf.one_hot", args: [{ unresolved: "n_classes" }], inputs: [[N]], output: [N, U] },
  { kind: "keras.ops.one_hot", args: [10], inputs: [[N]], output: [N, 10] },
  { kind: "keras.ops.one_hot", args: [10, { axis: 1 }], inputs: [[N, 5]], output: [N, 10, 5] },
  { kind: "keras.ops.one_hot", args: [10, { axis: 2 }], inputs: [[N, 5]], output: undefined, problems: ["invalidArgument"], note: "Keras: axis below the rank" },

  // ---- Reductions.
  { kind: "tf.reduce_mean", args: [{ axis: [1, 2] }], inputs: [[N, 7, 7, 64]], output: [N, 64] },
  { kind: "tf.math.reduce_mean", args: [[1, 2], true], inputs: [[N, 7, 7, 64]], output: [N, 1, 1, 64] },
  { kind: "tf.reduce_sum", args: [], inputs: [[N, 7]], output: [] },
  { kind: "tf.reduce_max", args: [{ keepdims: true }], inputs: [[N, 7]], output: [1, 1] },
  { kind: "tf.reduce_sum", args: [{ axis: [1, -2] }], inputs: [[N, 7, 3]], output: undefined, problems: ["invalidArgument"], note: "Axes contains duplicate dimension: 1" },
  { kind: "tf.reduce_sum", args: [{ axis: -3 }], inputs: [[N, 7]], output: undefined, problems: ["invalidArgument"] },
  { kind: "tf.reduce_any", args: [{ axis: [] }], inputs: [[N, 7]], output: [N, 7], note: "no axis reduced" },
  { kind: "tf.math.reduce_std", args: [-1], inputs: [[N, 7]], output: [N] },
  { kind: "keras.ops.mean", args: [{ axis: tup(1, 2) }], inputs: [[N, 7, 7, 64]], output: [N, 64] },
  { kind: "keras.ops.sum", args: [{ axis: -1, keepdims: true }], inputs: [[N, 7]], output: [N, 1] },
  { kind: "keras.ops.max", args: [], inputs: [[N, 7]], output: [] },
  { kind: "keras.ops.sum", args: [{ axis: [1, 1] }], inputs: [[N, 7, 3]], output: undefined, note: "a repeated axis: not followed for Keras" },
  { kind: "keras.ops.all", args: [{ axis: 2 }], inputs: [[N, 7]], output: undefined, problems: ["invalidArgument"] },

  // ---- argmax / argmin: TensorFlow's None is axis 0; Keras flattens.
  { kind: "tf.argmax", args: [], inputs: [[N, 7]], output: [7] },
  { kind: "tf.math.argmin", args: [{ axis: -1 }], inputs: [[N, 7]], output: [N] },
  { kind: "tf.argmax", args: [{ axis: 2 }], inputs: [[N, 7]], output: undefined, problems: ["invalidArgument"] },
  { kind: "tf.argmax", args: [{ axis: [0] }], inputs: [[N, 7]], output: undefined, problems: ["invalidArgument"] },
  { kind: "keras.ops.argmax", args: [], inputs: [[N, 7]], output: [] },
  { kind: "keras.ops.argmax", args: [{ axis: -1 }], inputs: [[N, 7]], output: [N] },
  { kind: "keras.ops.argmin", args: [{ axis: 1, keepdims: true }], inputs: [[N, 7]], output: [N, 1] },

  // ---- keras.ops.matmul (NumPy).
  { kind: "keras.ops.matmul", args: [], inputs: [[N, 4, 5], [5, 3]], output: [N, 4, 3] },
  { kind: "keras.ops.matmul", args: [], inputs: [[N, 4, 5], [5]], output: [N, 4], note: "a 1-D right operand drops its promoted axis" },
  { kind: "keras.ops.matmul", args: [], inputs: [[5], [N, 5, 3]], output: [N, 3] },
  { kind: "keras.ops.matmul", args: [], inputs: [[5], [5]], output: [] },
  { kind: "keras.ops.matmul", args: [], inputs: [[2, 1, 4, 5], [3, 5, 6]], output: [2, 3, 4, 6] },
  { kind: "keras.ops.matmul", args: [], inputs: [[N, 4, 5], [6, 3]], output: undefined, problems: ["incompatibleShapes"] },
  { kind: "keras.ops.matmul", args: [], inputs: [[2, 4, 5], [3, 5, 6]], output: undefined, problems: ["incompatibleShapes"], note: "batch 2 vs 3" },
  { kind: "keras.ops.matmul", args: [], inputs: [[], [3]], output: undefined, problems: ["wrongRank"] },

  // ---- tf.gather with literal indices.
  { kind: "tf.gather", args: [[0, 2], { axis: 1 }], inputs: [[N, 5, 3]], output: [N, 2, 3] },
  { kind: "tf.gather", args: [1, { axis: -1 }], inputs: [[N, 5, 3]], output: [N, 5], note: "a scalar index removes the axis" },
  { kind: "tf.gather", args: [[[0, 1], [2, 3], [4, 0]]], inputs: [[10, 4]], output: [3, 2, 4] },
  { kind: "tf.gather", args: [[0], { axis: 2 }], inputs: [[N, 5]], output: undefined, problems: ["invalidArgument"] },
  { kind: "tf.gather", args: [{ indices: { ref: "tensor", id: 0 } }], inputs: [[N, 5]], output: undefined, note: "indices that are a tensor are not followed" },
];

for (const row of rows) test(multiRowName(row), () => checkMultiRow(row, assert));

describe("element-wise functions", () => {
  const elementwise = tensorOps.filter((s) => /Applied element by element/.test(s.summary));
  test("there are element-wise functions of TensorFlow and Keras", () => {
    assert.ok(elementwise.some((s) => s.name.startsWith("tf.math.")));
    assert.ok(elementwise.some((s) => s.name.startsWith("keras.ops.")));
    assert.ok(elementwise.some((s) => s.name.startsWith("keras.activations.")));
  });
  for (const spec of elementwise) {
    test(`${spec.name} keeps (None, 7, ?, 3) and owns no weights`, () => {
      const shape: Shape = [N, 7, U, 3];
      const got = inferMulti(spec.name, [], [shape]);
      assert.deepEqual(got.output, shape);
      assert.deepEqual(got.result.weights, []);
      const required = spec.params.filter((p) => p.default === undefined).map((p) => p.name);
      assert.deepEqual(got.problems, required.map(() => "missingArgument"));
    });
  }
});

describe("formulas explain the numbers", () => {
  test("reshape infers the -1 from the element counts", () => {
    assert.deepEqual(inferMulti("tf.reshape", [[-1, 7]], [[14, 14]]).result.formulas, [{ label: "-1", text: "(14·14) / 7 = 28" }]);
  });
  test("reshape's -1 against an open batch", () => {
    assert.deepEqual(inferMulti("tf.reshape", [[-1, 28, 28]], [[N, 784]]).result.formulas, [
      { label: "-1", text: "784 elements per item in, 28·28 = 784 out: -1 keeps the input's None" },
    ]);
  });
  test("concat sums the axis; split divides it; pad adds to it", () => {
    assert.deepEqual(inferMulti("tf.concat", [-1], [[N, 3], [N, 4]]).result.formulas, [{ label: "axis -1", text: "3 + 4 = 7" }]);
    assert.deepEqual(inferMulti("tf.split", [2, -1], [[N, 8]]).result.formulas, [{ label: "axis -1", text: "8 / 2 = 4" }]);
    assert.deepEqual(inferMulti("tf.pad", [[[0, 0], [2, 3]]], [[N, 5]]).result.formulas, [{ label: "axis 1", text: "5 + 2 + 3 = 10" }]);
  });
  test("a mismatch names both counts", () => {
    const got = inferMulti("tf.reshape", [[5, 7]], [[14, 14]]);
    assert.deepEqual(got.messages, ["Reshape target (5, 7) does not fit the input (14, 14): the input has 14·14 = 196 elements, the target 5·7 = 35."]);
  });
});

describe("library paths and specs", () => {
  test("every op a library answers has a spec of that name", () => {
    const names = libraryOpNames();
    assert.ok(names.length > 200, `only ${names.length} op names`);
    for (const name of names) assert.ok(findLayer(name), `${name} is classified as an op but has no spec`);
  });

  test("every tensor function spec is reachable from some library path", () => {
    const names = new Set(libraryOpNames());
    for (const spec of tensorOps) assert.ok([spec.name, ...(spec.aliases ?? [])].some((n) => names.has(n)), `${spec.name} is never classified`);
  });

  test("paths name the ops as the user spelled them, whichever root reached them", () => {
    const cases: [string, string | undefined][] = [
      ["tensorflow.math.exp", "tf.math.exp"],
      ["tensorflow.exp", "tf.exp"],
      ["tensorflow.nn.relu", "tf.nn.relu"],
      ["tensorflow.reshape", "tf.reshape"],
      ["tensorflow.linalg.matmul", "tf.matmul"],
      ["keras.ops.reshape", "keras.ops.reshape"],
      ["keras.ops.numpy.reshape", "keras.ops.numpy.reshape"],
      ["tensorflow.keras.ops.nn.relu", "keras.ops.nn.relu"],
      ["keras.activations.gelu", "keras.activations.gelu"],
      ["tf_keras.activations.relu", "keras.activations.relu"],
      // Not TensorFlow 2 top-level names, nor functions followed.
      ["tensorflow.log", undefined],
      ["tensorflow.data.Dataset", undefined],
      ["keras.ops.einsum", undefined],
    ];
    for (const [path, name] of cases) {
      const got = classifyTensorFlowPath(path);
      assert.deepEqual(got, name === undefined ? undefined : { kind: "op", name }, path);
    }
  });

  test("Keras's other objects are still Keras's", () => {
    assert.deepEqual(classifyKerasPath("tensorflow.keras.layers.Dense"), { kind: "layer", name: "Dense" });
    assert.deepEqual(classifyKerasPath("keras.ops.shape"), { kind: "shape" });
    assert.deepEqual(classifyKerasPath("keras.ops.arange"), { kind: "range", names: ["start", "stop", "step"] });
    assert.deepEqual(classifyTensorFlowPath("tensorflow.zeros"), { kind: "tensor", name: "tf.zeros", shape: { position: 0, keyword: "shape" } });
  });
});
