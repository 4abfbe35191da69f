"""The MACs oracle's counter: runs stacks of layers in PyTorch (Debian's python3-torch) and reports the
FLOPs that torch.profiler.profile(with_flops=True) counts for its matrix products and convolutions.

Reads a JSON list of stacks on stdin: {"input": [dims after the batch, channels last], "layers": [...]}; writes
one JSON number per stack (FLOPs for a batch of one). Each layer is run as PyTorch computes it, on tensors
kept channels last between layers as Keras keeps them; PyTorch works out every shape itself.

The profiler counts aten::conv2d (2·N·Cout·Hout·Wout·kh·kw·Cin/groups, no bias), aten::mm / addmm / bmm /
baddbmm (2·M·N·K, a fused bias not counted) and element-wise aten::add / mul (one per element). Only the
products are summed here: Layer Lens does not count element-wise operations (bias additions, the attention
scaling, softmax). The profiler has no formula for conv1d, so a 1-D convolution runs as a 2-D one of height 1.
"""
import json
import sys

import torch
import torch.nn.functional as F
from torch.profiler import profile

COUNTED = {"aten::conv2d", "aten::mm", "aten::addmm", "aten::bmm", "aten::baddbmm"}


def same_padding(size, kernel, stride, dilation):
    """TensorFlow's 'same': output ceil(size / stride), the extra padding after (bottom, right)."""
    effective = dilation * (kernel - 1) + 1
    out = -(-size // stride)
    total = max((out - 1) * stride + effective - size, 0)
    return total // 2, total - total // 2


def conv2d_nhwc(x, filters, kernel, strides, padding, dilation, groups):
    x = x.permute(0, 3, 1, 2)
    if padding == "same":
        top, bottom = same_padding(x.shape[2], kernel[0], strides[0], dilation[0])
        left, right = same_padding(x.shape[3], kernel[1], strides[1], dilation[1])
        x = F.pad(x, (left, right, top, bottom))
    weight = torch.randn(filters, x.shape[1] // groups, kernel[0], kernel[1])
    y = F.conv2d(x, weight, torch.randn(filters), stride=strides, dilation=dilation, groups=groups)
    return y.permute(0, 2, 3, 1)


def run_layer(x, layer):
    kind = layer["kind"]
    if kind == "conv2d":
        return conv2d_nhwc(x, layer["filters"], layer["kernel"], layer["strides"], layer["padding"], layer["dilation"], layer["groups"])
    if kind == "conv1d":
        y = conv2d_nhwc(x.unsqueeze(1), layer["filters"], [1, layer["kernel"]], [1, layer["strides"]], layer["padding"], [1, layer["dilation"]], layer["groups"])
        return y.squeeze(1)
    if kind == "depthwise2d":
        channels = x.shape[-1]
        return conv2d_nhwc(x, channels * layer["multiplier"], layer["kernel"], layer["strides"], layer["padding"], layer["dilation"], channels)
    if kind == "separable2d":
        channels = x.shape[-1]
        x = conv2d_nhwc(x, channels * layer["multiplier"], layer["kernel"], layer["strides"], layer["padding"], layer["dilation"], channels)
        return conv2d_nhwc(x, layer["filters"], [1, 1], [1, 1], "valid", [1, 1], 1)
    if kind == "dense":
        return F.linear(x, torch.randn(layer["units"], x.shape[-1]), torch.randn(layer["units"]))
    if kind == "flatten":
        return x.reshape(x.shape[0], -1)
    if kind == "mha":
        attention = torch.nn.MultiheadAttention(x.shape[-1], layer["heads"], batch_first=True)
        return attention(x, x, x, need_weights=False)[0]
    raise ValueError(kind)


def flops(stack):
    x = torch.randn(1, *stack["input"])
    with torch.no_grad(), profile(with_flops=True) as prof:
        for layer in stack["layers"]:
            x = run_layer(x, layer)
    return sum(event.flops for event in prof.key_averages() if event.key in COUNTED)


if __name__ == "__main__":
    torch.manual_seed(0)
    print(json.dumps([flops(stack) for stack in json.load(sys.stdin)]))
