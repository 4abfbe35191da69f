/**
 * torch.nn.functional, one row per call. Every expected shape is PyTorch's: each row was run in python3-torch 1.13
 * (`/usr/bin/python3`, e.g. `F.max_pool2d(torch.randn(1, 3, 32, 32), 3, 2, 1, ceil_mode=True)`), its output shape
 * (and a tuple's further items) copied here, and a call PyTorch refuses carries the error it raised in its note
 * (warnings: the call runs, with the shape PyTorch gives). Where the output of a refused call is shown, it is what
 * Layer Lens shows. scaled_dot_product_attention is not in 1.13: its rows follow PyTorch 2.x's documented shapes.
 * Weight tensors are the user's: none of these functions owns parameters.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { Diagnostics, formatMessage } from "../../server/src/engine/diagnostics";
import { bindArguments } from "../../server/src/engine/bind";
import { findLayer } from "../../server/src/engine/layers/registry";
import { argsIR, tup } from "./helpers";
import { MultiRow, checkMultiRow, inferMulti, multiRowName } from "./multiInput";

const rows: MultiRow[] = [
  // ---- activations: the shape passes through.
  { kind: "torch.nn.functional.relu", args: [], inputs: [[2, 3]], output: [2, 3] },
  { kind: "torch.nn.functional.leaky_relu", args: [0.2], inputs: [[2, 3]], output: [2, 3] },
  { kind: "torch.nn.functional.gelu", args: [{ approximate: 'tanh' }], inputs: [[2, 3]], output: [2, 3] },
  { kind: "torch.nn.functional.gelu", args: [{ approximate: 'tan' }], inputs: [[2, 3]], output: undefined, problems: ["invalidArgument"], note: "torch: approximate argument must be either none or tanh." },
  { kind: "torch.nn.functional.hardtanh", args: [-2.0, 2.0], inputs: [[2, 3]], output: [2, 3] },
  { kind: "torch.nn.functional.threshold", args: [0.1, 20], inputs: [[2, 5]], output: [2, 5] },
  { kind: "torch.nn.functional.silu", args: [], inputs: [[2, 5]], output: [2, 5] },
  { kind: "torch.nn.functional.sigmoid", args: [], inputs: [[2, 5]], output: [2, 5] },
  { kind: "torch.nn.functional.glu", args: [], inputs: [[2, 6]], output: [2, 3] },
  { kind: "torch.nn.functional.glu", args: [0], inputs: [[4, 5]], output: [2, 5] },
  { kind: "torch.nn.functional.glu", args: [], inputs: [[2, 5]], output: undefined, problems: ["torchOpRefuses"], note: "torch: Halving dimension must be even, but dimension 1 is size 5" },
  { kind: "torch.nn.functional.prelu", args: [], inputs: [[2, 6, 4], [6]], output: [2, 6, 4] },
  { kind: "torch.nn.functional.prelu", args: [], inputs: [[2, 6, 4], [5]], output: undefined, problems: ["torchOpRefuses"], note: "torch: Mismatch of parameter numbers and input channel size. Found parameter numbers = 5 and channel size = 6." },
  // ---- softmax family: without dim PyTorch picks one (0 for rank 0, 1, 3; else 1) and warns.
  { kind: "torch.nn.functional.softmax", args: [{ dim: 1 }], inputs: [[64, 10]], output: [64, 10] },
  { kind: "torch.nn.functional.softmax", args: [], inputs: [[64, 10]], output: [64, 10], problems: ["torchWarns"], note: "implicit dim 1" },
  { kind: "torch.nn.functional.log_softmax", args: [2], inputs: [[64, 10]], output: undefined, problems: ["torchOpDimOutOfRange"], note: "torch: Dimension out of range (expected to be in range of [-2, 1], but got 2)" },
  { kind: "torch.nn.functional.softmin", args: [-1], inputs: [[2, 5]], output: [2, 5] },
  // ---- dropout: p in [0, 1]; dropout1d on 2-D or 3-D inputs only.
  { kind: "torch.nn.functional.dropout", args: [0.5], inputs: [[2, 5]], output: [2, 5] },
  { kind: "torch.nn.functional.dropout", args: [{ p: 1.5 }], inputs: [[2, 5]], output: undefined, problems: ["invalidArgument"], note: "torch: dropout probability has to be between 0 and 1, but got 1.5" },
  { kind: "torch.nn.functional.dropout2d", args: [0.2], inputs: [[2, 3, 4, 4]], output: [2, 3, 4, 4] },
  { kind: "torch.nn.functional.dropout1d", args: [], inputs: [[2, 3, 4, 5]], output: undefined, problems: ["torchOpRefuses"], note: "torch: dropout1d: Expected 2D or 3D input, but received a 4D input. Note that dropout1d exists to provide channel-wis" },
  { kind: "torch.nn.functional.alpha_dropout", args: [0.1], inputs: [[2, 5]], output: [2, 5] },
  // ---- one_hot: num_classes appended; -1 (the default) counts them from the data: unknown.
  { kind: "torch.nn.functional.one_hot", args: [10], inputs: [[4, 3]], output: [4, 3, 10] },
  { kind: "torch.nn.functional.one_hot", args: [], inputs: [[4, 3]], output: [4, 3, '?'], problems: ["torchClassesFromData"], note: "the data decides the last size (3 here)" },
  // ---- linear / bilinear / embedding with the user's weight tensors.
  { kind: "torch.nn.functional.linear", args: [], inputs: [[64, 9216], [128, 9216]], output: [64, 128] },
  { kind: "torch.nn.functional.linear", args: [], inputs: [[64, 9216], [128, 4096]], output: undefined, problems: ["torchOpRefuses"], note: "torch: mat1 and mat2 shapes cannot be multiplied (64x9216 and 4096x128)" },
  { kind: "torch.nn.functional.linear", args: [], inputs: [[2, 5, 9216], [128, 4096]], output: undefined, problems: ["torchOpRefuses"], note: "the batch dims are folded into the rows; torch: mat1 and mat2 shapes cannot be multiplied (10x9216 and 4096x128)" },
  { kind: "torch.nn.functional.linear", args: [], inputs: [[2, 5, 7], [3, 7], [3]], output: [2, 5, 3] },
  { kind: "torch.nn.functional.linear", args: [], inputs: [[2, 5, 7], [3, 7], [4]], output: undefined, problems: ["torchOpRefuses"], note: "torch: The expanded size of the tensor (3) must match the existing size (4) at non-singleton dimension 1.  Target siz" },
  { kind: "torch.nn.functional.linear", args: [], inputs: [[2, 5, 7], [7]], output: [2, 5] },
  { kind: "torch.nn.functional.linear", args: [], inputs: [[7], [3, 7]], output: [3] },
  { kind: "torch.nn.functional.bilinear", args: [], inputs: [[2, 4], [2, 5], [3, 4, 5]], output: [2, 3] },
  { kind: "torch.nn.functional.bilinear", args: [], inputs: [[2, 5], [2, 5], [3, 4, 5]], output: undefined, problems: ["torchOpRefuses"], note: "torch: bilinear(): input1 size does not match weight size: got 5 but expected 4" },
  { kind: "torch.nn.functional.embedding", args: [], inputs: [[4, 3], [10, 8]], output: [4, 3, 8] },
  { kind: "torch.nn.functional.embedding", args: [], inputs: [[4, 3], [10]], output: undefined, problems: ["torchOpRefuses"], note: "torch: 'weight' must be 2-D" },
  // ---- normalization.
  { kind: "torch.nn.functional.layer_norm", args: [tup(10,)], inputs: [[20, 5, 10]], output: [20, 5, 10] },
  { kind: "torch.nn.functional.layer_norm", args: [tup(5, 10)], inputs: [[20, 5, 10]], output: [20, 5, 10] },
  { kind: "torch.nn.functional.layer_norm", args: [tup(10,)], inputs: [[20, 5, 4]], output: undefined, problems: ["torchOpRefuses"], note: "torch: Given normalized_shape=[10], expected input with shape [*, 10], but got input of size[20, 5, 4]" },
  { kind: "torch.nn.functional.batch_norm", args: [], inputs: [[4, 3, 8, 8], [3], [3]], output: [4, 3, 8, 8] },
  { kind: "torch.nn.functional.batch_norm", args: [], inputs: [[4, 3, 8, 8], [4], [4]], output: undefined, problems: ["torchOpRefuses"], note: "torch: running_mean should contain 3 elements not 4" },
  { kind: "torch.nn.functional.group_norm", args: [3], inputs: [[2, 6, 4]], output: [2, 6, 4] },
  { kind: "torch.nn.functional.group_norm", args: [4], inputs: [[2, 6, 4]], output: undefined, problems: ["torchOpRefuses"], note: "torch: Expected number of channels in input to be divisible by num_groups, but got input of shape [2, 6, 4] and num_g" },
  { kind: "torch.nn.functional.instance_norm", args: [], inputs: [[2, 6, 4]], output: [2, 6, 4] },
  { kind: "torch.nn.functional.local_response_norm", args: [2], inputs: [[2, 5, 4, 4]], output: [2, 5, 4, 4] },
  { kind: "torch.nn.functional.normalize", args: [], inputs: [[2, 6, 4]], output: [2, 6, 4] },
  { kind: "torch.nn.functional.normalize", args: [{ dim: 3 }], inputs: [[2, 6, 4]], output: undefined, problems: ["torchOpDimOutOfRange"], note: "torch: Dimension out of range (expected to be in range of [-3, 2], but got 3)" },
  // ---- losses: a 0-dim tensor with 'mean' / 'sum', one per sample (and position) with 'none'.
  { kind: "torch.nn.functional.cross_entropy", args: [], inputs: [[64, 10], [64]], output: [] },
  { kind: "torch.nn.functional.cross_entropy", args: [{ reduction: 'none' }], inputs: [[64, 10], [64]], output: [64] },
  { kind: "torch.nn.functional.cross_entropy", args: [], inputs: [[64, 10], [32]], output: undefined, problems: ["torchOpRefuses"], note: "torch: Expected input batch_size (64) to match target batch_size (32)." },
  { kind: "torch.nn.functional.cross_entropy", args: [{ reduction: 'none' }], inputs: [[4, 10, 8, 8], [4, 8, 8]], output: [4, 8, 8] },
  { kind: "torch.nn.functional.cross_entropy", args: [{ reduction: 'none' }], inputs: [[4, 10, 8, 8], [4, 8, 7]], output: undefined, problems: ["torchOpRefuses"], note: "torch: size mismatch (got input: [4, 10, 8, 8] , target: [4, 8, 7]" },
  { kind: "torch.nn.functional.cross_entropy", args: [{ reduction: 'none' }], inputs: [[64, 10], [64, 10]], output: [64], note: "class probabilities" },
  { kind: "torch.nn.functional.cross_entropy", args: [{ reduction: 'none' }], inputs: [[64, 10], [64, 9]], output: undefined, problems: ["torchOpRefuses"], note: "torch: 0D or 1D target tensor expected, multi-target not supported" },
  { kind: "torch.nn.functional.cross_entropy", args: [{ reduction: 'avg' }], inputs: [[64, 10], [64]], output: undefined, problems: ["invalidArgument"], note: "torch: avg is not a valid value for reduction" },
  { kind: "torch.nn.functional.cross_entropy", args: [{ reduction: 'none' }], inputs: [[10], []], output: [], note: "unbatched" },
  { kind: "torch.nn.functional.nll_loss", args: [{ reduction: 'none' }], inputs: [[64, 10], [64]], output: [64] },
  { kind: "torch.nn.functional.cross_entropy", args: [{ ignore_index: 0 }], inputs: [[64, 10], [64, 10]], output: undefined, problems: ["torchOpRefuses"], note: "torch: ignore_index is not supported for floating point target" },
  { kind: "torch.nn.functional.cross_entropy", args: [{ ignore_index: -1, reduction: 'none' }], inputs: [[64, 10], [64, 10]], output: [64], note: "a negative ignore_index passes with probabilities" },
  { kind: "torch.nn.functional.cross_entropy", args: [], inputs: [[4], [1]], output: undefined, problems: ["torchOpRefuses"], note: "torch: size mismatch (got input: [4], target: [1])" },
  { kind: "torch.nn.functional.nll_loss", args: [{ reduction: 'none' }], inputs: [[4], [4]], output: [], note: "1-D input, 1-D target of its length: 0-dim even with 'none'" },
  { kind: "torch.nn.functional.nll_loss", args: [{ reduction: 'none' }], inputs: [[4], []], output: [], note: "unbatched" },
  { kind: "torch.nn.functional.nll_loss", args: [], inputs: [[4], [2]], output: undefined, problems: ["torchOpRefuses"], note: "torch: size mismatch (got input: [4], target: [2])" },
  { kind: "torch.nn.functional.soft_margin_loss", args: [{ reduction: 'none' }], inputs: [[4, 4], [1, 4]], output: [4, 4], note: "the target broadcasts into the input, no warning" },
  { kind: "torch.nn.functional.soft_margin_loss", args: [], inputs: [[4], [1, 4]], output: undefined, problems: ["torchOpRefuses"], note: "torch: output with shape [4] doesn't match the broadcast shape [1, 4]" },
  { kind: "torch.nn.functional.soft_margin_loss", args: [{ reduction: 'none' }], inputs: [[4, 1], [4, 4]], output: undefined, problems: ["torchOpRefuses"], note: "torch: output with shape [4, 1] doesn't match the broadcast shape [4, 4]" },
  { kind: "torch.nn.functional.nll_loss", args: [], inputs: [[64, 10], [3]], output: undefined, problems: ["torchOpRefuses"], note: "torch: Expected input batch_size (64) to match target batch_size (3)." },
  { kind: "torch.nn.functional.mse_loss", args: [], inputs: [[64, 1], [64, 1]], output: [] },
  { kind: "torch.nn.functional.mse_loss", args: [{ reduction: 'none' }], inputs: [[64, 1], [64]], output: [64, 64], problems: ["torchWarns"], note: "the classic broadcast: a 64 × 64 loss" },
  { kind: "torch.nn.functional.mse_loss", args: [{ reduction: 'none' }], inputs: [[64, 2], [3]], output: undefined, problems: ["torchBroadcast"], note: "torch: The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 1" },
  { kind: "torch.nn.functional.l1_loss", args: [{ reduction: 'sum' }], inputs: [[64, 3], [64, 3]], output: [] },
  { kind: "torch.nn.functional.kl_div", args: [{ reduction: 'batchmean' }], inputs: [[64, 10], [64, 10]], output: [] },
  { kind: "torch.nn.functional.binary_cross_entropy", args: [{ reduction: 'none' }], inputs: [[64, 1], [64, 1]], output: [64, 1] },
  { kind: "torch.nn.functional.binary_cross_entropy", args: [], inputs: [[64, 1], [64]], output: undefined, problems: ["torchOpRefuses"], note: "torch: Using a target size (torch.Size([64])) that is different to the input size (torch.Size([64, 1])) is deprecated" },
  { kind: "torch.nn.functional.binary_cross_entropy_with_logits", args: [], inputs: [[64, 3], [64, 3]], output: [] },
  { kind: "torch.nn.functional.binary_cross_entropy_with_logits", args: [], inputs: [[64, 1], [64]], output: undefined, problems: ["torchOpRefuses"], note: "torch: Target size (torch.Size([64])) must be the same as input size (torch.Size([64, 1]))" },
  // ---- similarity.
  { kind: "torch.nn.functional.cosine_similarity", args: [], inputs: [[64, 128], [64, 128]], output: [64] },
  { kind: "torch.nn.functional.cosine_similarity", args: [{ dim: -1 }], inputs: [[64, 1, 128], [1, 10, 128]], output: [64, 10] },
  { kind: "torch.nn.functional.cosine_similarity", args: [], inputs: [[64, 128], [64, 12]], output: undefined, problems: ["torchBroadcast"], note: "torch: The size of tensor a (128) must match the size of tensor b (12) at non-singleton dimension 1" },
  { kind: "torch.nn.functional.pairwise_distance", args: [], inputs: [[64, 128], [64, 128]], output: [64] },
  { kind: "torch.nn.functional.pairwise_distance", args: [{ keepdim: true }], inputs: [[64, 128], [64, 128]], output: [64, 1] },
  // ---- pooling: ⌊(n + 2p − d(k − 1) − 1)/s + 1⌋ (⌈…⌉ with ceil_mode, the last window starting inside).
  { kind: "torch.nn.functional.max_pool2d", args: [2], inputs: [[64, 32, 24, 24]], output: [64, 32, 12, 12] },
  { kind: "torch.nn.functional.max_pool2d", args: [3, 2, 1, { ceil_mode: true }], inputs: [[1, 3, 32, 32]], output: [1, 3, 17, 17] },
  { kind: "torch.nn.functional.max_pool2d", args: [2, 2, { ceil_mode: true }], inputs: [[1, 1, 5, 5]], output: [1, 1, 3, 3] },
  { kind: "torch.nn.functional.max_pool2d", args: [3, 3, 1, { ceil_mode: true }], inputs: [[1, 1, 6, 6]], output: [1, 1, 3, 3], note: "the extra window would start in the padding: dropped" },
  { kind: "torch.nn.functional.max_pool2d", args: [2], inputs: [[3, 32, 32]], output: [3, 16, 16], note: "unbatched" },
  { kind: "torch.nn.functional.max_pool2d", args: [tup(2, 3), { dilation: 2 }], inputs: [[1, 3, 32, 32]], output: [1, 3, 15, 10] },
  { kind: "torch.nn.functional.max_pool2d", args: [3], inputs: [[1, 1, 2, 2]], output: [1, 1, '?', '?'], problems: ["torchOpRefuses"], note: "torch: Given input size: (1x2x2). Calculated output size: (1x0x0). Output size is too small" },
  { kind: "torch.nn.functional.max_pool2d", args: [3, { padding: 2 }], inputs: [[1, 1, 8, 8]], output: undefined, problems: ["torchOpRefuses"], note: "torch: pad should be at most half of kernel size, but got pad=2 and kernel_size=3" },
  { kind: "torch.nn.functional.max_pool2d", args: [2], inputs: [[8, 8]], output: undefined, problems: ["torchOpRefuses"], note: "torch: non-empty 3D or 4D (batch mode) tensor expected for input" },
  { kind: "torch.nn.functional.max_pool1d", args: [2, { return_indices: true }], inputs: [[2, 4, 9]], output: [2, 4, 4], extra: [[2, 4, 4]] },
  { kind: "torch.nn.functional.max_pool3d", args: [2], inputs: [[1, 2, 8, 9, 10]], output: [1, 2, 4, 4, 5] },
  { kind: "torch.nn.functional.avg_pool2d", args: [3, 2, 1, true], inputs: [[1, 3, 7, 7]], output: [1, 3, 4, 4] },
  { kind: "torch.nn.functional.avg_pool1d", args: [4], inputs: [[2, 3, 17]], output: [2, 3, 4] },
  { kind: "torch.nn.functional.avg_pool2d", args: [3, { padding: 2 }], inputs: [[1, 3, 7, 7]], output: undefined, problems: ["torchOpRefuses"], note: "torch: pad should be at most half of kernel size, but got pad=2 and kernel_size=3" },
  { kind: "torch.nn.functional.lp_pool2d", args: [2, 3, 2], inputs: [[2, 3, 8, 8]], output: [2, 3, 3, 3] },
  { kind: "torch.nn.functional.adaptive_avg_pool2d", args: [tup(2, null)], inputs: [[2, 3, 7, 9]], output: [2, 3, 2, 9] },
  { kind: "torch.nn.functional.adaptive_avg_pool2d", args: [1], inputs: [[2, 3, 7, 9]], output: [2, 3, 1, 1] },
  { kind: "torch.nn.functional.adaptive_max_pool1d", args: [4, true], inputs: [[2, 3, 7]], output: [2, 3, 4], extra: [[2, 3, 4]] },
  { kind: "torch.nn.functional.adaptive_avg_pool3d", args: [tup(1, 2, 3)], inputs: [[3, 8, 8, 8]], output: [3, 1, 2, 3], note: "unbatched" },
  // ---- convolution with the user's weight (out, in/groups, *kernel).
  { kind: "torch.nn.functional.conv2d", args: [], inputs: [[1, 3, 32, 32], [6, 3, 5, 5]], output: [1, 6, 28, 28] },
  { kind: "torch.nn.functional.conv2d", args: [{ stride: 2, padding: 1, dilation: 2 }], inputs: [[3, 32, 32], [6, 3, 3, 3]], output: [6, 15, 15], note: "unbatched" },
  { kind: "torch.nn.functional.conv2d", args: [], inputs: [[1, 3, 32, 32], [6, 3, 5, 5], [6]], output: [1, 6, 28, 28] },
  { kind: "torch.nn.functional.conv2d", args: [], inputs: [[1, 3, 32, 32], [6, 3, 5, 5], [5]], output: undefined, problems: ["torchOpRefuses"], note: "torch: Given weight of size [6, 3, 5, 5], expected bias to be 1-dimensional with 6 elements, but got bias of size [5]" },
  { kind: "torch.nn.functional.conv2d", args: [], inputs: [[1, 4, 32, 32], [6, 3, 5, 5]], output: undefined, problems: ["torchOpRefuses"], note: "torch: Given groups=1, weight of size [6, 3, 5, 5], expected input[1, 4, 32, 32] to have 3 channels, but got 4 channe" },
  { kind: "torch.nn.functional.conv2d", args: [{ groups: 2 }], inputs: [[1, 4, 32, 32], [6, 2, 5, 5]], output: [1, 6, 28, 28] },
  { kind: "torch.nn.functional.conv2d", args: [{ groups: 2 }], inputs: [[1, 4, 32, 32], [5, 2, 5, 5]], output: undefined, problems: ["torchOpRefuses"], note: "torch: Given groups=2, expected weight to be divisible by 2 at dimension 0, but got weight of size [[5, 2, 5, 5]] ins" },
  { kind: "torch.nn.functional.conv2d", args: [{ padding: 'same' }], inputs: [[1, 3, 32, 32], [6, 3, 5, 5]], output: [1, 6, 32, 32] },
  { kind: "torch.nn.functional.conv2d", args: [{ stride: 2, padding: 'same' }], inputs: [[1, 3, 32, 32], [6, 3, 5, 5]], output: undefined, problems: ["torchOpRefuses"], note: "torch: padding='same' is not supported for strided convolutions" },
  { kind: "torch.nn.functional.conv2d", args: [], inputs: [[1, 3, 2, 2], [6, 3, 3, 3]], output: undefined, problems: ["torchOpRefuses"], note: "torch: Calculated padded input size per channel: (2 x 2). Kernel size: (3 x 3). Kernel size can't be greater than act" },
  { kind: "torch.nn.functional.conv2d", args: [], inputs: [[3, 32], [6, 3, 3, 3]], output: undefined, problems: ["torchOpRefuses"], note: "torch: Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: [3, 32]" },
  { kind: "torch.nn.functional.conv1d", args: [{ stride: 2 }], inputs: [[2, 3, 50], [8, 3, 5]], output: [2, 8, 23] },
  { kind: "torch.nn.functional.conv3d", args: [{ padding: 1 }], inputs: [[1, 2, 8, 8, 8], [4, 2, 3, 3, 3]], output: [1, 4, 8, 8, 8] },
  { kind: "torch.nn.functional.conv_transpose2d", args: [{ stride: 2, padding: 1, output_padding: 1, groups: 2 }], inputs: [[1, 16, 8, 8], [16, 4, 3, 3]], output: [1, 8, 16, 16] },
  { kind: "torch.nn.functional.conv_transpose2d", args: [], inputs: [[1, 8, 8, 8], [16, 4, 3, 3]], output: undefined, problems: ["torchOpRefuses"], note: "torch: Given transposed=1, weight of size [16, 4, 3, 3], expected input[1, 8, 8, 8] to have 16 channels, but got 8 ch" },
  { kind: "torch.nn.functional.conv_transpose1d", args: [{ stride: 3 }], inputs: [[2, 4, 10], [4, 6, 5]], output: [2, 6, 32] },
  // ---- interpolate / upsample: to `size`, or ⌊n · scale_factor⌋.
  { kind: "torch.nn.functional.interpolate", args: [{ scale_factor: 2, mode: 'bilinear' }], inputs: [[1, 3, 32, 32]], output: [1, 3, 64, 64] },
  { kind: "torch.nn.functional.interpolate", args: [{ scale_factor: 1.5 }], inputs: [[1, 3, 15, 15]], output: [1, 3, 22, 22] },
  { kind: "torch.nn.functional.interpolate", args: [{ scale_factor: tup(2, 0.5) }], inputs: [[1, 3, 15, 16]], output: [1, 3, 30, 8] },
  { kind: "torch.nn.functional.interpolate", args: [{ size: tup(20, 30) }], inputs: [[1, 3, 15, 15]], output: [1, 3, 20, 30] },
  { kind: "torch.nn.functional.interpolate", args: [{ size: 7, mode: 'linear' }], inputs: [[2, 3, 15]], output: [2, 3, 7] },
  { kind: "torch.nn.functional.interpolate", args: [{ size: tup(20,) }], inputs: [[1, 3, 15, 15]], output: undefined, problems: ["torchOpRefuses"], note: "torch: Input and output must have the same number of spatial dimensions, but got input with spatial dimensions of [15" },
  { kind: "torch.nn.functional.interpolate", args: [{ scale_factor: 2, mode: 'linear' }], inputs: [[1, 3, 15, 15]], output: undefined, problems: ["torchOpRefuses"], note: "torch: Got 4D input, but linear mode needs 3D input" },
  { kind: "torch.nn.functional.interpolate", args: [], inputs: [[1, 3, 15, 15]], output: undefined, problems: ["torchOpRefuses"], note: "torch: either size or scale_factor should be defined" },
  { kind: "torch.nn.functional.interpolate", args: [{ size: 3, scale_factor: 2 }], inputs: [[1, 3, 15, 15]], output: undefined, problems: ["torchOpRefuses"], note: "torch: only one of size or scale_factor should be defined" },
  { kind: "torch.nn.functional.interpolate", args: [{ size: 3, align_corners: true }], inputs: [[1, 3, 15, 15]], output: undefined, problems: ["torchOpRefuses"], note: "torch: align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear" },
  { kind: "torch.nn.functional.upsample", args: [null, 2], inputs: [[1, 3, 8, 8]], output: [1, 3, 16, 16] },
  { kind: "torch.nn.functional.upsample_bilinear", args: [{ scale_factor: 2 }], inputs: [[1, 3, 8, 8]], output: [1, 3, 16, 16] },
  // ---- pad: (before, after) pairs from the last dim backwards.
  { kind: "torch.nn.functional.pad", args: [tup(1, 2, 3, 4)], inputs: [[1, 3, 8, 8]], output: [1, 3, 15, 11] },
  { kind: "torch.nn.functional.pad", args: [tup(-1, -1)], inputs: [[1, 3, 8, 8]], output: [1, 3, 8, 6], note: "negative padding crops" },
  { kind: "torch.nn.functional.pad", args: [tup(1, 2, 3)], inputs: [[1, 3, 8, 8]], output: undefined, problems: ["torchOpRefuses"], note: "torch: Padding length must be divisible by 2" },
  { kind: "torch.nn.functional.pad", args: [tup(1, 1, 1, 1, 1, 1)], inputs: [[3, 8]], output: undefined, problems: ["torchOpRefuses"], note: "torch: Padding length too large" },
  { kind: "torch.nn.functional.pad", args: [tup(2, 2, 1, 1), 'reflect'], inputs: [[1, 3, 3, 3]], output: [1, 3, 5, 7] },
  { kind: "torch.nn.functional.pad", args: [tup(3, 3, 0, 0), 'reflect'], inputs: [[1, 3, 3, 3]], output: undefined, problems: ["torchOpRefuses"], note: "torch: Argument #4: Padding size should be less than the corresponding input dimension, but got: padding (3, 3) at di" },
  { kind: "torch.nn.functional.pad", args: [tup(1, 1, 1, 1, 1, 1), { mode: 'replicate' }], inputs: [[1, 3, 3, 3]], output: [1, 5, 5, 5] },
  // ---- pixel shuffle.
  { kind: "torch.nn.functional.pixel_shuffle", args: [2], inputs: [[1, 8, 4, 4]], output: [1, 2, 8, 8] },
  { kind: "torch.nn.functional.pixel_shuffle", args: [2], inputs: [[1, 5, 4, 4]], output: undefined, problems: ["torchOpRefuses"], note: "torch: pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of upscale_factor, but inp" },
  { kind: "torch.nn.functional.pixel_unshuffle", args: [2], inputs: [[1, 2, 4, 6]], output: [1, 8, 2, 3] },
  { kind: "torch.nn.functional.pixel_unshuffle", args: [2], inputs: [[1, 2, 5, 6]], output: undefined, problems: ["torchOpRefuses"], note: "torch: pixel_unshuffle expects height to be divisible by downscale_factor, but input.size(-2)=5 is not divisible by 2" },
  // ---- Sizes Layer Lens does not know stay unknown (`?`), never guessed.
  { kind: "torch.nn.functional.conv2d", args: [], inputs: [[8, 3, "?", 32], [6, 3, 5, 5]], output: [8, 6, "?", 28] },
  { kind: "torch.nn.functional.max_pool2d", args: [{ unresolved: "a value not known" }], inputs: [[8, 3, 32, 32]], output: [8, 3, "?", "?"] },
  { kind: "torch.nn.functional.linear", args: [], inputs: [["?", 9216], [128, 9216]], output: ["?", 128] },
  { kind: "torch.nn.functional.interpolate", args: [{ scale_factor: 2 }], inputs: [[1, 3, "?", 15]], output: [1, 3, "?", 30] },
  // ---- scaled_dot_product_attention (PyTorch 2.x documentation): (…, L, E), (…, S, E), (…, S, Ev) → (…, L, Ev).
  { kind: "torch.nn.functional.scaled_dot_product_attention", args: [], inputs: [[2, 8, 10, 64], [2, 8, 12, 64], [2, 8, 12, 32]], output: [2, 8, 10, 32] },
  { kind: "torch.nn.functional.scaled_dot_product_attention", args: [{ is_causal: true }], inputs: [[10, 64], [12, 64], [12, 64]], output: [10, 64] },
  { kind: "torch.nn.functional.scaled_dot_product_attention", args: [], inputs: [[2, 8, 10, 64], [2, 8, 12, 32], [2, 8, 12, 32]], output: undefined, problems: ["incompatibleShapes"], note: "query and key embeddings differ" },
  { kind: "torch.nn.functional.scaled_dot_product_attention", args: [], inputs: [[2, 8, 10, 64], [2, 8, 12, 64], [2, 8, 11, 32]], output: undefined, problems: ["incompatibleShapes"], note: "key and value lengths differ" },
];

describe("torch.nn.functional", () => {
  for (const row of rows) test(multiRowName(row), () => checkMultiRow(row, assert));
});

/** The message of a call's first problem, filled in. */
function firstMessage(kind: string, args: Parameters<typeof inferMulti>[1], inputs: Parameters<typeof inferMulti>[2]): string {
  return inferMulti(kind, args, inputs).messages[0];
}

describe("PyTorch's own words and arithmetic", () => {
  test("a linear layer fed the wrong width: mat1 and mat2 as PyTorch names them (the weight transposed)", () => {
    assert.match(firstMessage("torch.nn.functional.linear", [], [[64, 9216], [128, 4096]]), /PyTorch raises 'mat1 and mat2 shapes cannot be multiplied \(64x9216 and 4096x128\)'/);
  });
  test("conv2d on the wrong channels", () => {
    const message = firstMessage("torch.nn.functional.conv2d", [], [[1, 4, 32, 32], [6, 3, 5, 5]]);
    assert.match(message, /Given groups=1, weight of size \[6, 3, 5, 5\], expected input\[1, 4, 32, 32\] to have 3 channels, but got 4 channels instead/);
  });
  test("a window larger than what is left", () => {
    assert.match(firstMessage("torch.nn.functional.max_pool2d", [3], [[1, 1, 2, 2]]), /Given input size: \(1x2x2\)\. Calculated output size: \(1x0x0\)\. Output size is too small/);
  });
  test("softmax without dim names the dim PyTorch picks", () => {
    assert.equal(Diagnostics.torchWarns.code, "LL212");
    assert.match(firstMessage("torch.nn.functional.softmax", [], [[64, 10]]), /Implicit dimension choice for softmax has been deprecated.*picks dim=1 for this rank-2 input \(64, 10\)/);
  });
  test("conv2d's formula: ⌊(32 + 2·0 − 1·(5 − 1) − 1)/1 + 1⌋ = 28", () => {
    const formulas = inferMulti("torch.nn.functional.conv2d", [], [[1, 3, 32, 32], [6, 3, 5, 5]]).result.formulas;
    assert.deepEqual(formulas[0], { label: "height", text: "⌊(32 + 2·0 − 1·(5 − 1) − 1)/1 + 1⌋ = 28" });
  });
  test("max_pool2d with ceil_mode rounds up: ⌈(32 + 2·1 − 1·(3 − 1) − 1)/2 + 1⌉ = 17", () => {
    const formulas = inferMulti("torch.nn.functional.max_pool2d", [3, 2, 1, { ceil_mode: true }], [[1, 3, 32, 32]]).result.formulas;
    assert.equal(formulas[0].text, "⌈(32 + 2·1 − 1·(3 − 1) − 1)/2 + 1⌉ = 17");
  });
  test("every message fills its placeholders", () => {
    for (const row of rows) for (const p of inferMulti(row.kind, row.args, row.inputs).result.problems) formatMessage(Diagnostics[p.id].message, p.values);
  });
});

describe("MACs per sample (cost.ts's convention, worked out by hand)", () => {
  const macs = (kind: string, args: Parameters<typeof inferMulti>[1], inputs: Parameters<typeof inferMulti>[2]) => {
    const spec = findLayer(kind)!;
    const output = inferMulti(kind, args, inputs).output;
    return spec.cost!({ args: bindArguments(spec, argsIR(args)).args, inputs, input: inputs[0], output, weights: [] }).macs;
  };
  test("conv2d: 28·28 positions · 6 filters · 3·5·5 weights = 352,800 (one sample of the batch)", () => {
    assert.equal(macs("torch.nn.functional.conv2d", [], [[8, 3, 32, 32], [6, 3, 5, 5]]), 352_800n);
  });
  test("conv2d unbatched: the input is the sample", () => {
    assert.equal(macs("torch.nn.functional.conv2d", [], [[3, 32, 32], [6, 3, 5, 5]]), 352_800n);
  });
  test("linear: 128 outputs · 9216 inputs", () => {
    assert.equal(macs("torch.nn.functional.linear", [], [[64, 9216], [128, 9216]]), 1_179_648n);
  });
  test("max_pool2d: 16·16 outputs · 3 channels · a 2·2 window", () => {
    assert.equal(macs("torch.nn.functional.max_pool2d", [2], [[8, 3, 32, 32]]), 3_072n);
  });
  test("a conv whose input size is unknown costs unknown", () => {
    assert.equal(macs("torch.nn.functional.conv2d", [], [[8, 3, "?", 32], [6, 3, 5, 5]]), undefined);
  });
});
