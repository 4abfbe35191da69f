/**
 * PyTorch's functions on tensors (`torch.*`) and tensor methods (`torch.Tensor.*`), one row per call. Every expected
 * shape is PyTorch's: each row was run in python3-torch 1.13 (`/usr/bin/python3`, the call in the row's own terms,
 * e.g. `torch.randn(64, 9216).view(8, -1)`), its output shape (and a tuple's further items) copied here, and a call
 * PyTorch refuses carries the error it raised in its note. Where the output of a refused call is shown, it is what
 * Layer Lens shows (a refused call passes nothing on). `*size` varargs arrive packed, as the analyzer packs them
 * (torch_opcall.test.ts); a Python number operand is a 0-dim tensor `[]`. None of them owns weights.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { tup } from "./helpers";
import { MultiRow, checkMultiRow, inferMulti, multiRowName } from "./multiInput";

const rows: MultiRow[] = [
  // ---- view / reshape: one -1 inferred; the element count must agree.
  { kind: "torch.Tensor.view", args: [tup(8, -1)], inputs: [[64, 9216]], output: [8, 73728] },
  { kind: "torch.Tensor.view", args: [tup(-1, 7, 7, 64)], inputs: [[2, 3136]], output: [2, 7, 7, 64] },
  { kind: "torch.Tensor.view", args: [tup(8, 100)], inputs: [[64, 9216]], output: [8, 100], problems: ["torchShapeInvalid"], note: "torch: shape '[8, 100]' is invalid for input of size 589824" },
  { kind: "torch.Tensor.view", args: [tup(-1, 5)], inputs: [[14, 14]], output: ['?', 5], problems: ["torchShapeInvalid"], note: "torch: shape '[-1, 5]' is invalid for input of size 196" },
  { kind: "torch.Tensor.view", args: [tup(-1, -1)], inputs: [[14, 14]], output: undefined, problems: ["reshapeMismatch"], note: "torch: only one dimension can be inferred" },
  { kind: "torch.Tensor.view", args: [tup(-2, 98)], inputs: [[14, 14]], output: undefined, problems: ["invalidArgument"], note: "torch: invalid shape dimension -2" },
  { kind: "torch.Tensor.view", args: [tup(-1, 0)], inputs: [[0, 3]], output: ['?', 0], problems: ["reshapeMismatch"], note: "torch: cannot reshape tensor of 0 elements into shape [-1, 0] because the unspecified dimension size -1 can be any va" },
  { kind: "torch.Tensor.reshape", args: [tup(2, -1, 2)], inputs: [[2, 3, 4]], output: [2, 6, 2] },
  { kind: "torch.Tensor.reshape", args: [tup(-1,)], inputs: [[2, 3, 4]], output: [24] },
  { kind: "torch.reshape", args: [tup(4, 6)], inputs: [[2, 3, 4]], output: [4, 6] },
  { kind: "torch.Tensor.view_as", args: [], inputs: [[2, 6], [3, 4]], output: [3, 4] },
  { kind: "torch.Tensor.reshape_as", args: [], inputs: [[2, 6], [3, 5]], output: [3, 5], problems: ["torchShapeInvalid"], note: "torch: shape '[3, 5]' is invalid for input of size 12" },
  // ---- flatten / unflatten.
  { kind: "torch.Tensor.flatten", args: [1], inputs: [[64, 64, 12, 12]], output: [64, 9216] },
  { kind: "torch.flatten", args: [], inputs: [[2, 3, 4]], output: [24] },
  { kind: "torch.flatten", args: [{ start_dim: 1, end_dim: 2 }], inputs: [[2, 3, 4, 5]], output: [2, 12, 5] },
  { kind: "torch.Tensor.flatten", args: [], inputs: [[]], output: [1], note: "a 0-dim tensor flattens to one element" },
  { kind: "torch.Tensor.flatten", args: [2, 1], inputs: [[2, 3, 4]], output: undefined, problems: ["invalidArgument"], note: "torch: flatten() has invalid args: start_dim cannot come after end_dim" },
  { kind: "torch.Tensor.flatten", args: [3], inputs: [[2, 3, 4]], output: undefined, problems: ["torchOpDimOutOfRange"], note: "torch: Dimension out of range (expected to be in range of [-3, 2], but got 3)" },
  { kind: "torch.Tensor.unflatten", args: [1, tup(2, -1)], inputs: [[2, 8]], output: [2, 2, 4] },
  { kind: "torch.Tensor.unflatten", args: [1, tup(2, 3)], inputs: [[2, 8]], output: undefined, problems: ["invalidArgument"], note: "torch: unflatten: Provided sizes [2, 3] don't multiply up to the size of dim 1 (8) in the input tensor" },
  // ---- permute / transpose / t / squeeze / unsqueeze / movedim.
  { kind: "torch.Tensor.permute", args: [tup(0, 2, 1)], inputs: [[2, 3, 4]], output: [2, 4, 3] },
  { kind: "torch.Tensor.permute", args: [tup(0, -1, 1)], inputs: [[2, 3, 4]], output: [2, 4, 3] },
  { kind: "torch.Tensor.permute", args: [tup(0, 2)], inputs: [[2, 3, 4]], output: undefined, problems: ["invalidArgument"], note: "torch: permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired orderin" },
  { kind: "torch.Tensor.permute", args: [tup(0, 2, 2)], inputs: [[2, 3, 4]], output: undefined, problems: ["invalidArgument"], note: "torch: permute(): duplicate dims are not allowed." },
  { kind: "torch.Tensor.permute", args: [tup(0, 2, 3)], inputs: [[2, 3, 4]], output: undefined, problems: ["torchOpDimOutOfRange"], note: "torch: Dimension out of range (expected to be in range of [-3, 2], but got 3)" },
  { kind: "torch.permute", args: [[2, 0, 1]], inputs: [[2, 3, 4]], output: [4, 2, 3] },
  { kind: "torch.Tensor.transpose", args: [1, 2], inputs: [[2, 3, 4]], output: [2, 4, 3] },
  { kind: "torch.Tensor.transpose", args: [0, 3], inputs: [[2, 3, 4]], output: undefined, problems: ["torchOpDimOutOfRange"], note: "torch: Dimension out of range (expected to be in range of [-3, 2], but got 3)" },
  { kind: "torch.Tensor.transpose", args: [0, -1], inputs: [[]], output: [], note: "a 0-dim tensor takes dims 0 and -1" },
  { kind: "torch.Tensor.t", args: [], inputs: [[2, 3]], output: [3, 2] },
  { kind: "torch.Tensor.t", args: [], inputs: [[2]], output: [2] },
  { kind: "torch.Tensor.t", args: [], inputs: [[2, 3, 4]], output: undefined, problems: ["wrongRank"], note: "torch: t() expects a tensor with <= 2 dimensions, but self is 3D" },
  { kind: "torch.Tensor.unsqueeze", args: [1], inputs: [[2, 3]], output: [2, 1, 3] },
  { kind: "torch.Tensor.unsqueeze", args: [-1], inputs: [[2, 3]], output: [2, 3, 1] },
  { kind: "torch.Tensor.unsqueeze", args: [3], inputs: [[2, 3]], output: undefined, problems: ["torchOpDimOutOfRange"], note: "torch: Dimension out of range (expected to be in range of [-3, 2], but got 3)" },
  { kind: "torch.Tensor.squeeze", args: [], inputs: [[2, 1, 3, 1]], output: [2, 3] },
  { kind: "torch.Tensor.squeeze", args: [0], inputs: [[2, 1, 3, 1]], output: [2, 1, 3, 1], note: "a dim not of size 1 stays" },
  { kind: "torch.Tensor.squeeze", args: [-1], inputs: [[2, 1, 3, 1]], output: [2, 1, 3] },
  { kind: "torch.Tensor.squeeze", args: [4], inputs: [[2, 1, 3, 1]], output: undefined, problems: ["torchOpDimOutOfRange"], note: "torch: Dimension out of range (expected to be in range of [-4, 3], but got 4)" },
  { kind: "torch.squeeze", args: [], inputs: [[]], output: [] },
  { kind: "torch.Tensor.movedim", args: [0, -1], inputs: [[2, 3, 4]], output: [3, 4, 2] },
  { kind: "torch.movedim", args: [tup(0, 1), tup(2, 0)], inputs: [[2, 3, 4]], output: [3, 4, 2] },
  // ---- expand / repeat / tile.
  { kind: "torch.Tensor.expand", args: [tup(2, -1, 4)], inputs: [[3, 1]], output: [2, 3, 4] },
  { kind: "torch.Tensor.expand", args: [tup(4, 4)], inputs: [[3, 1]], output: undefined, problems: ["incompatibleShapes"], note: "torch: The expanded size of the tensor (4) must match the existing size (3) at non-singleton dimension 0.  Target siz" },
  { kind: "torch.Tensor.expand", args: [tup(4,)], inputs: [[3, 1]], output: undefined, problems: ["invalidArgument"], note: "torch: expand(torch.FloatTensor{[3, 1]}, size=[4]): the number of sizes provided (1) must be greater or equal to the " },
  { kind: "torch.Tensor.expand", args: [tup(-1, 3, 4)], inputs: [[3, 1]], output: undefined, problems: ["invalidArgument"], note: "torch: The expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension 0" },
  { kind: "torch.Tensor.expand_as", args: [], inputs: [[1, 6], [3, 6]], output: [3, 6] },
  { kind: "torch.Tensor.repeat", args: [tup(2, 2, 3)], inputs: [[3, 1]], output: [2, 6, 3] },
  { kind: "torch.Tensor.repeat", args: [tup(2,)], inputs: [[3, 1]], output: undefined, problems: ["invalidArgument"], note: "torch: Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor" },
  { kind: "torch.Tensor.tile", args: [tup(2,)], inputs: [[2, 3]], output: [2, 6] },
  { kind: "torch.tile", args: [tup(2, 1, 2)], inputs: [[2, 3]], output: [2, 2, 6] },
  // ---- chunk / split / unbind / narrow (tuples: the first piece, then the others).
  { kind: "torch.Tensor.chunk", args: [4], inputs: [[5, 2]], output: [2, 2], extra: [[2, 2], [1, 2]], note: "⌈5 / 4⌉ = 2 per chunk: only 3 chunks" },
  { kind: "torch.Tensor.chunk", args: [3, 1], inputs: [[2, 7]], output: [2, 3], extra: [[2, 3], [2, 1]] },
  { kind: "torch.Tensor.chunk", args: [3], inputs: [[0, 2]], output: [0, 2], extra: [[0, 2], [0, 2]] },
  { kind: "torch.Tensor.chunk", args: [0], inputs: [[10, 2]], output: undefined, problems: ["invalidArgument"], note: "torch: chunk expects `chunks` to be greater than 0, got: 0" },
  { kind: "torch.Tensor.split", args: [3], inputs: [[10, 2]], output: [3, 2], extra: [[3, 2], [3, 2], [1, 2]] },
  { kind: "torch.Tensor.split", args: [[3, 7]], inputs: [[10, 2]], output: [3, 2], extra: [[7, 2]] },
  { kind: "torch.Tensor.split", args: [[3, 4]], inputs: [[10, 2]], output: undefined, problems: ["invalidArgument"], note: "torch: split_with_sizes expects split_sizes to sum exactly to 10 (input tensor's size at dimension 0), but got split_" },
  { kind: "torch.Tensor.split", args: [0], inputs: [[10, 2]], output: undefined, problems: ["invalidArgument"], note: "torch: split_size can only be 0 if dimension size is 0, but got dimension size of 10" },
  { kind: "torch.split", args: [2, { dim: 1 }], inputs: [[3, 5]], output: [3, 2], extra: [[3, 2], [3, 1]] },
  { kind: "torch.Tensor.unbind", args: [1], inputs: [[2, 3, 4]], output: [2, 4], extra: [[2, 4], [2, 4]] },
  { kind: "torch.Tensor.narrow", args: [1, 2, 3], inputs: [[2, 6]], output: [2, 3] },
  { kind: "torch.Tensor.narrow", args: [1, -2, 2], inputs: [[2, 6]], output: [2, 2] },
  { kind: "torch.Tensor.narrow", args: [1, 2, 5], inputs: [[2, 6]], output: undefined, problems: ["invalidArgument"], note: "torch: start (2) + length (5) exceeds dimension size (6)." },
  { kind: "torch.Tensor.flip", args: [tup(0, 1)], inputs: [[2, 5, 3]], output: [2, 5, 3] },
  { kind: "torch.Tensor.flip", args: [tup(3,)], inputs: [[2, 5, 3]], output: undefined, problems: ["torchOpDimOutOfRange"], note: "torch: Dimension out of range (expected to be in range of [-3, 2], but got 3)" },
  { kind: "torch.Tensor.roll", args: [1], inputs: [[2, 3]], output: [2, 3] },
  { kind: "torch.roll", args: [tup(1, 2), tup(0, 1)], inputs: [[2, 5, 3]], output: [2, 5, 3] },
  // ---- cat / stack (a list of tensors).
  { kind: "torch.cat", args: [{ dim: 1 }], inputs: [[2, 16, 4], [2, 8, 4]], output: [2, 24, 4] },
  { kind: "torch.cat", args: [], inputs: [[2, 3], [5, 3], [1, 3]], output: [8, 3] },
  { kind: "torch.concat", args: [-1], inputs: [[2, 3], [2, 4]], output: [2, 7] },
  { kind: "torch.cat", args: [{ dim: 1 }], inputs: [[2, 16, 4], [2, 8, 5]], output: undefined, problems: ["torchCatSizes"], note: "torch: Sizes of tensors must match except in dimension 1. Expected size 4 but got size 5 for tensor number 1 in the l" },
  { kind: "torch.cat", args: [{ dim: 1 }], inputs: [[2, 16, 4], [2, 8]], output: undefined, problems: ["incompatibleShapes"], note: "torch: Tensors must have same number of dimensions: got 3 and 2" },
  { kind: "torch.cat", args: [{ dim: 2 }], inputs: [[2, 16], [2, 8]], output: undefined, problems: ["torchOpDimOutOfRange"], note: "torch: Dimension out of range (expected to be in range of [-2, 1], but got 2)" },
  { kind: "torch.cat", args: [], inputs: [[2, 3], [0]], output: [2, 3], note: "a 1-D empty tensor is skipped" },
  { kind: "torch.stack", args: [], inputs: [[2, 3], [2, 3]], output: [2, 2, 3] },
  { kind: "torch.stack", args: [{ dim: -1 }], inputs: [[2, 3], [2, 3], [2, 3]], output: [2, 3, 3] },
  { kind: "torch.stack", args: [], inputs: [[2, 3], [2, 4]], output: undefined, problems: ["incompatibleShapes"], note: "torch: stack expects each tensor to be equal size, but got [2, 3] at entry 0 and [2, 4] at entry 1" },
  // ---- broadcasting: element-wise operands, where, masked_fill, in place.
  { kind: "torch.add", args: [], inputs: [[5, 1, 3], [4, 1]], output: [5, 4, 3] },
  { kind: "torch.Tensor.mul", args: [], inputs: [[2, 3], []], output: [2, 3], note: "a number is a 0-dim tensor" },
  { kind: "torch.sub", args: [{ alpha: 2 }], inputs: [[2, 3], [3]], output: [2, 3] },
  { kind: "torch.add", args: [], inputs: [[2, 3], [4]], output: undefined, problems: ["torchBroadcast"], note: "torch: The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1" },
  { kind: "torch.div", args: [{ rounding_mode: 'floor' }], inputs: [[2, 1], [1, 3]], output: [2, 3] },
  { kind: "torch.where", args: [], inputs: [[2, 1], [3], [4, 1, 1]], output: [4, 2, 3] },
  { kind: "torch.where", args: [], inputs: [[2, 3]], output: ['?'], extra: [['?']], note: "condition alone: one index tensor per dim, as long as the count of True (random here)" },
  { kind: "torch.Tensor.masked_fill", args: [0], inputs: [[2, 3], [3]], output: [2, 3] },
  { kind: "torch.Tensor.masked_fill", args: [0], inputs: [[2, 3], [4, 3]], output: undefined, problems: ["torchBroadcast"], note: "torch: The size of tensor a (4) must match the size of tensor b (2) at non-singleton dimension 0" },
  { kind: "torch.Tensor.add_", args: [], inputs: [[2, 3], [3]], output: [2, 3] },
  { kind: "torch.Tensor.add_", args: [], inputs: [[3], [2, 3]], output: undefined, problems: ["incompatibleShapes"], note: "torch: output with shape [3] doesn't match the broadcast shape [2, 3]" },
  { kind: "torch.Tensor.pow", args: [], inputs: [[2, 3], []], output: [2, 3] },
  { kind: "torch.clamp", args: [{ min: 0 }], inputs: [[2, 3]], output: [2, 3] },
  { kind: "torch.zeros_like", args: [], inputs: [[2, 3]], output: [2, 3] },
  { kind: "torch.full_like", args: [7], inputs: [[2, 3]], output: [2, 3] },
  { kind: "torch.exp", args: [], inputs: [[2, 3]], output: [2, 3] },
  { kind: "torch.Tensor.sqrt_", args: [], inputs: [[2, 3]], output: [2, 3] },
  { kind: "torch.Tensor.float", args: [], inputs: [[2, 3]], output: [2, 3] },
  { kind: "torch.Tensor.to", args: [tup('cpu')], inputs: [[2, 3]], output: [2, 3], note: "the device does not matter to the shape" },
  { kind: "torch.Tensor.contiguous", args: [], inputs: [[2, 3]], output: [2, 3] },
  { kind: "torch.Tensor.new_zeros", args: [tup(4, 5)], inputs: [[2, 3]], output: [4, 5] },
  // ---- reductions: dim None reduces every dim (a 0-dim tensor); keepdim leaves 1s.
  { kind: "torch.Tensor.sum", args: [], inputs: [[2, 3, 4]], output: [] },
  { kind: "torch.Tensor.mean", args: [tup(1, 2), { keepdim: true }], inputs: [[2, 3, 4]], output: [2, 1, 1] },
  { kind: "torch.mean", args: [[0, 2]], inputs: [[2, 5, 3]], output: [5] },
  { kind: "torch.Tensor.sum", args: [-1], inputs: [[2, 3, 4]], output: [2, 3] },
  { kind: "torch.Tensor.sum", args: [2], inputs: [[2, 3]], output: undefined, problems: ["torchOpDimOutOfRange"], note: "torch: Dimension out of range (expected to be in range of [-2, 1], but got 2)" },
  { kind: "torch.Tensor.sum", args: [1], inputs: [[]], output: undefined, problems: ["torchOpDimOutOfRange"], note: "torch: Dimension out of range (expected to be in range of [-1, 0], but got 1)" },
  { kind: "torch.Tensor.sum", args: [0], inputs: [[]], output: [], note: "a 0-dim tensor takes dim 0" },
  { kind: "torch.Tensor.mean", args: [tup(1, 1)], inputs: [[2, 3, 4]], output: undefined, problems: ["invalidArgument"], note: "torch: dim 1 appears multiple times in the list of dims" },
  { kind: "torch.Tensor.prod", args: [1], inputs: [[2, 3, 4]], output: [2, 4] },
  { kind: "torch.Tensor.std", args: [1, true, true], inputs: [[2, 3, 4]], output: [2, 1, 4] },
  { kind: "torch.Tensor.var", args: [], inputs: [[2, 5]], output: [] },
  { kind: "torch.Tensor.amax", args: [], inputs: [[2, 3, 4]], output: [] },
  { kind: "torch.Tensor.amax", args: [tup(0, 2)], inputs: [[2, 3, 4]], output: [3] },
  { kind: "torch.Tensor.logsumexp", args: [1], inputs: [[2, 5]], output: [2] },
  { kind: "torch.Tensor.norm", args: [{ dim: 1 }], inputs: [[2, 5]], output: [2] },
  { kind: "torch.Tensor.max", args: [], inputs: [[2, 3, 4]], output: [] },
  { kind: "torch.Tensor.max", args: [1], inputs: [[2, 3, 4]], output: [2, 4], extra: [[2, 4]], note: "(values, indices)" },
  { kind: "torch.min", args: [1, true], inputs: [[2, 3, 4]], output: [2, 1, 4], extra: [[2, 1, 4]] },
  { kind: "torch.Tensor.max", args: [{ keepdim: true }], inputs: [[2, 3, 4]], output: undefined, problems: ["invalidArgument"], note: "torch: max() received an invalid combination of arguments - got (keepdim=bool, ), but expected one of:" },
  { kind: "torch.Tensor.median", args: [], inputs: [[2, 5]], output: [] },
  { kind: "torch.Tensor.mode", args: [], inputs: [[2, 5]], output: [2], extra: [[2]] },
  { kind: "torch.Tensor.kthvalue", args: [2], inputs: [[2, 5]], output: [2], extra: [[2]] },
  { kind: "torch.Tensor.argmax", args: [], inputs: [[2, 3, 4]], output: [] },
  { kind: "torch.Tensor.argmax", args: [{ keepdim: true }], inputs: [[2, 3, 4]], output: [1, 1, 1] },
  { kind: "torch.argmin", args: [1], inputs: [[2, 3, 4]], output: [2, 4] },
  { kind: "torch.Tensor.topk", args: [3], inputs: [[2, 5]], output: [2, 3], extra: [[2, 3]] },
  { kind: "torch.Tensor.topk", args: [6], inputs: [[2, 5]], output: undefined, problems: ["invalidArgument"], note: "torch: selected index k out of range" },
  { kind: "torch.Tensor.sort", args: [], inputs: [[2, 5]], output: [2, 5], extra: [[2, 5]] },
  { kind: "torch.Tensor.argsort", args: [0], inputs: [[2, 5]], output: [2, 5] },
  { kind: "torch.Tensor.cumsum", args: [1], inputs: [[2, 5]], output: [2, 5] },
  { kind: "torch.Tensor.softmax", args: [-1], inputs: [[2, 5]], output: [2, 5] },
  { kind: "torch.softmax", args: [2], inputs: [[2, 5]], output: undefined, problems: ["torchOpDimOutOfRange"], note: "torch: Dimension out of range (expected to be in range of [-2, 1], but got 2)" },
  { kind: "torch.std_mean", args: [1], inputs: [[2, 5]], output: [2], extra: [[2]] },
  // ---- products.
  { kind: "torch.matmul", args: [], inputs: [[3], [3]], output: [] },
  { kind: "torch.matmul", args: [], inputs: [[3], [4]], output: undefined, problems: ["torchOpRefuses"], note: "torch: inconsistent tensor size, expected tensor [3] and src [4] to have the same number of elements, but got 3 and 4" },
  { kind: "torch.matmul", args: [], inputs: [[3], [3, 5]], output: [5] },
  { kind: "torch.matmul", args: [], inputs: [[3], [4, 5]], output: undefined, problems: ["torchOpRefuses"], note: "torch: mat1 and mat2 shapes cannot be multiplied (1x3 and 4x5)" },
  { kind: "torch.matmul", args: [], inputs: [[2, 3], [3]], output: [2] },
  { kind: "torch.matmul", args: [], inputs: [[2, 3], [4]], output: undefined, problems: ["torchOpRefuses"], note: "PyTorch 2.x words it 'size mismatch, got input (2), mat (2x3), vec (4)'; torch: size mismatch, got 2, 2x3,4" },
  { kind: "torch.matmul", args: [], inputs: [[64, 9216], [9216, 128]], output: [64, 128] },
  { kind: "torch.matmul", args: [], inputs: [[64, 9216], [4096, 128]], output: undefined, problems: ["torchOpRefuses"], note: "torch: mat1 and mat2 shapes cannot be multiplied (64x9216 and 4096x128)" },
  { kind: "torch.matmul", args: [], inputs: [[2, 3, 4], [4, 6]], output: [2, 3, 6] },
  { kind: "torch.matmul", args: [], inputs: [[2, 3, 4], [5, 6]], output: undefined, problems: ["torchOpRefuses"], note: "torch: mat1 and mat2 shapes cannot be multiplied (6x4 and 5x6)" },
  { kind: "torch.matmul", args: [], inputs: [[2, 3, 4], [4]], output: [2, 3] },
  { kind: "torch.matmul", args: [], inputs: [[4], [2, 4, 6]], output: [2, 6] },
  { kind: "torch.matmul", args: [], inputs: [[10, 1, 3, 4], [5, 4, 6]], output: [10, 5, 3, 6] },
  { kind: "torch.matmul", args: [], inputs: [[3, 4], [5, 4, 6]], output: [5, 3, 6] },
  { kind: "torch.matmul", args: [], inputs: [[2, 3, 4], [2, 5, 6]], output: undefined, problems: ["torchOpRefuses"], note: "torch: Expected size for first two dimensions of batch2 tensor to be: [2, 4] but got: [2, 5]." },
  { kind: "torch.matmul", args: [], inputs: [[2, 3, 4], [3, 4, 6]], output: undefined, problems: ["torchBroadcast"], note: "torch: The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 0" },
  { kind: "torch.matmul", args: [], inputs: [[], [5]], output: undefined, problems: ["torchOpRefuses"], note: "torch: both arguments to matmul need to be at least 1D, but they are 0D and 1D" },
  { kind: "torch.Tensor.matmul", args: [], inputs: [[8, 10, 64], [64, 10]], output: [8, 10, 10] },
  { kind: "torch.mm", args: [], inputs: [[2, 3], [3, 5]], output: [2, 5] },
  { kind: "torch.mm", args: [], inputs: [[2, 3], [3]], output: undefined, problems: ["wrongRank"], note: "torch: mat2 must be a matrix" },
  { kind: "torch.bmm", args: [], inputs: [[4, 5, 6], [4, 6, 7]], output: [4, 5, 7] },
  { kind: "torch.bmm", args: [], inputs: [[4, 5, 6], [3, 6, 7]], output: undefined, problems: ["torchOpRefuses"], note: "torch: Expected size for first two dimensions of batch2 tensor to be: [4, 6] but got: [3, 6]." },
  { kind: "torch.bmm", args: [], inputs: [[5, 6], [4, 6, 7]], output: undefined, problems: ["wrongRank"], note: "torch: batch1 must be a 3D tensor" },
  { kind: "torch.mv", args: [], inputs: [[2, 3], [3]], output: [2] },
  { kind: "torch.dot", args: [], inputs: [[3], [4]], output: undefined, problems: ["torchOpRefuses"], note: "torch: inconsistent tensor size, expected tensor [3] and src [4] to have the same number of elements, but got 3 and 4" },
  { kind: "torch.outer", args: [], inputs: [[2], [3]], output: [2, 3] },
  { kind: "torch.outer", args: [], inputs: [[2, 3], [3]], output: undefined, problems: ["wrongRank"], note: "torch: outer: Expected 1-D argument self, but got 2-D" },
  { kind: "torch.cdist", args: [], inputs: [[2, 5, 3], [2, 7, 3]], output: [2, 5, 7] },
  { kind: "torch.cdist", args: [], inputs: [[2, 5, 3], [2, 7, 4]], output: undefined, problems: ["incompatibleShapes"], note: "torch: X1 and X2 must have the same number of columns. X1: 3 X2: 4" },
  // ---- einsum: the equation first, then the operands.
  { kind: "torch.einsum", args: ['bij,bjk->bik'], inputs: [[2, 3, 4], [2, 4, 5]], output: [2, 3, 5] },
  { kind: "torch.einsum", args: ['ij,jk'], inputs: [[3, 4], [4, 5]], output: [3, 5], note: "implicit output: the labels used once, in order" },
  { kind: "torch.einsum", args: ['ba,Ab'], inputs: [[3, 4], [5, 3]], output: [5, 4], note: "upper-case labels come first" },
  { kind: "torch.einsum", args: ['...ij,...jk->...ik'], inputs: [[7, 3, 4], [4, 5]], output: [7, 3, 5] },
  { kind: "torch.einsum", args: ['...ij,jk'], inputs: [[7, 3, 4], [4, 5]], output: [7, 3, 5] },
  { kind: "torch.einsum", args: ['ii'], inputs: [[3, 3]], output: [] },
  { kind: "torch.einsum", args: ['ij,jk->ik'], inputs: [[2, 1], [4, 5]], output: [2, 5], note: "a size-1 subscript broadcasts" },
  { kind: "torch.einsum", args: ['bhqd,bhkd->bhqk'], inputs: [[2, 8, 10, 64], [2, 8, 12, 64]], output: [2, 8, 10, 12] },
  { kind: "torch.einsum", args: ['ij,jk->ik'], inputs: [[2, 3, 4], [4, 5]], output: undefined, problems: ["invalidArgument"], note: "torch: einsum(): the number of subscripts in the equation (2) does not match the number of dimensions (3) for operand" },
  { kind: "torch.einsum", args: ['ij,jk->ik'], inputs: [[2, 3], [4, 5]], output: undefined, problems: ["incompatibleShapes"], note: "torch: einsum(): subscript j has size 4 for operand 1 which does not broadcast with previously seen size 3" },
  // ---- more methods.
  { kind: "torch.Tensor.where", args: [], inputs: [[3], [2, 1], [4, 1, 1]], output: [4, 2, 3], note: "self, condition, other" },
  { kind: "torch.Tensor.masked_fill_", args: [0], inputs: [[2, 3], [3]], output: [2, 3] },
  { kind: "torch.Tensor.masked_fill_", args: [0], inputs: [[3], [2, 3]], output: undefined, problems: ["incompatibleShapes"], note: "torch: output with shape [3] doesn't match the broadcast shape [2, 3]" },
  { kind: "torch.Tensor.new_full", args: [tup(4, 5), 7], inputs: [[2, 3]], output: [4, 5] },
  { kind: "torch.Tensor.swapaxes", args: [0, 2], inputs: [[2, 3, 4]], output: [4, 3, 2] },
  { kind: "torch.broadcast_to", args: [tup(2, 3, 4)], inputs: [[3, 1]], output: [2, 3, 4] },
  { kind: "torch.Tensor.type", args: ['torch.DoubleTensor'], inputs: [[2, 3]], output: [2, 3] },
  { kind: "torch.Tensor.sum", args: [{ dim: tup(0, 2) }], inputs: [[2, 3, 4]], output: [3] },
  { kind: "torch.Tensor.prod", args: [{ dim: 1, keepdim: true }], inputs: [[2, 3, 4]], output: [2, 1, 4] },
  { kind: "torch.Tensor.prod", args: [{ dim: tup(1, 2) }], inputs: [[2, 3, 4]], output: undefined, problems: ["invalidArgument"], note: "torch: prod() received an invalid combination of arguments - got (dim=tuple, ), but expected one of:" },
  { kind: "torch.max", args: [{ dim: 2, keepdim: true }], inputs: [[2, 3, 4]], output: [2, 3, 1], extra: [[2, 3, 1]] },
  { kind: "torch.Tensor.cummax", args: [1], inputs: [[2, 3]], output: [2, 3], extra: [[2, 3]] },
  { kind: "torch.Tensor.all", args: [1], inputs: [[2, 3]], output: [2] },
  { kind: "torch.unbind", args: [], inputs: [[3, 2]], output: [2], extra: [[2], [2]] },
  { kind: "torch.Tensor.repeat_interleave", args: [2], inputs: [[2, 3]], output: [12] },
  { kind: "torch.Tensor.repeat_interleave", args: [2, { dim: 1 }], inputs: [[2, 3]], output: [2, 6] },
  { kind: "torch.repeat_interleave", args: [3, 0], inputs: [[2, 3]], output: [6, 3] },
  { kind: "torch.Tensor.triu", args: [1], inputs: [[2, 3]], output: [2, 3] },
  { kind: "torch.tril", args: [], inputs: [[3]], output: undefined, problems: ["wrongRank"], note: "torch: Dimension out of range (expected to be in range of [-1, 0], but got -2)" },
  { kind: "torch.Tensor.nonzero", args: [], inputs: [[2, 3]], output: ['?', 2], note: "the count of nonzero elements (6 here) is known only at run time" },
  { kind: "torch.argwhere", args: [], inputs: [[2, 3, 4]], output: ['?', 3], note: "the count (24 here) is known only at run time" },
  // ---- Current PyTorch where 1.13 differs (PyTorch 2.x documentation): squeeze takes a tuple of dims.
  { kind: "torch.Tensor.squeeze", args: [tup(1, 3)], inputs: [[2, 1, 3, 1]], output: [2, 3], note: "PyTorch ≥ 2.0; 1.13 refuses a tuple" },
  // ---- Sizes Layer Lens does not know stay unknown (`?`), never guessed; the known ones still flow.
  { kind: "torch.Tensor.view", args: [tup(-1, 400)], inputs: [["?", 16, 5, 5]], output: ["?", 400] },
  { kind: "torch.Tensor.view", args: [tup({ unresolved: "x.size(0)" }, -1)], inputs: [[64, 9216]], output: ["?", "?"] },
  { kind: "torch.Tensor.view", args: [tup(8, 100)], inputs: [["?", 9216]], output: [8, 100], note: "nothing to check against" },
  { kind: "torch.Tensor.flatten", args: [1], inputs: [["?", 64, 12, "?"]], output: ["?", "?"] },
  { kind: "torch.Tensor.squeeze", args: [], inputs: [[2, "?", 3]], output: undefined, note: "the ? might be 1" },
  { kind: "torch.cat", args: [{ dim: 1 }], inputs: [[2, "?"], [2, 8]], output: [2, "?"] },
  { kind: "torch.cat", args: [{ dim: 0 }], inputs: [["?", 3], [2, 3]], output: ["?", 3] },
  { kind: "torch.matmul", args: [], inputs: [[64, "?"], [4096, 128]], output: [64, 128] },
  { kind: "torch.Tensor.chunk", args: [2, 1], inputs: [[2, "?"]], output: [2, "?"], note: "the number of chunks is unknown too" },
  { kind: "torch.Tensor.mean", args: [1], inputs: [undefined], output: undefined },
];

describe("torch functions and tensor methods", () => {
  for (const row of rows) test(multiRowName(row), () => checkMultiRow(row, assert));
});

describe("PyTorch's own words", () => {
  const message = (kind: string, args: Parameters<typeof inferMulti>[1], inputs: Parameters<typeof inferMulti>[2]) => inferMulti(kind, args, inputs).messages[0];
  test("view to a size that does not fit", () => {
    assert.equal(message("torch.Tensor.view", [tup(8, 100)], [[64, 9216]]), "torch.Tensor.view: shape '[8, 100]' is invalid for input of size 589824.");
  });
  test("cat of sizes that differ off the joined dim", () => {
    assert.equal(message("torch.cat", [{ dim: 1 }], [[2, 16, 4], [2, 8, 5]]), "torch.cat: Sizes of tensors must match except in dimension 1. Expected size 4 but got size 5 for tensor number 1 in the list.");
  });
  test("a dim out of range", () => {
    assert.equal(message("torch.Tensor.sum", [2], [[2, 3]]), "torch.Tensor.sum: Dimension out of range (expected to be in range of [-2, 1], but got 2). PyTorch raises IndexError.");
  });
  test("operands that do not broadcast", () => {
    assert.match(message("torch.add", [], [[2, 3], [4]]), /The size of tensor a \(3\) must match the size of tensor b \(4\) at non-singleton dimension 1/);
  });
  test("the -1 of a view, worked out", () => {
    assert.deepEqual(inferMulti("torch.Tensor.view", [tup(-1, 7, 7, 64)], [[2, 3136]]).result.formulas, [{ label: "-1", text: "(2·3136) / (7·7·64) = 2" }]);
  });
});
