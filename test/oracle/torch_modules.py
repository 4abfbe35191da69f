"""The module oracle: builds PyTorch modules (Debian's python3-torch) and runs one forward on zeros, for
test/oracle/torch_modules.test.ts.

Reads a JSON list of cases on stdin, each {"module": "Conv2d", "args": [...], "kwargs": {...},
"inputs": [{"shape": [...], "dtype": "float" | "long"}, ...], "call": {...}}; writes one JSON result per case:
{"ok": true, "outputs": [shape or null, ...], "params": n, "trainable": n} or {"ok": false, "error": class,
"message": first line}. Values arrive as JSON with Python's kinds marked: {"tuple": [...]}, {"float": x}, and
a module given as an argument (TransformerEncoder's layer) as {"module": ..., "args": ..., "kwargs": ...}.

Outputs are the forward's result flattened in order: LSTM's (output, (h_n, c_n)) is [output, h_n, c_n], a None
in a tuple (MultiheadAttention's weights with need_weights=False) is null. The module stays in training mode,
as a freshly built one is in the user's script.

Debian ships torch 1.13. Where current PyTorch differs, this script follows current PyTorch, each place naming its
source: the modules 1.13 lacks or whose keyword it lacks are built as current PyTorch defines them (CURRENT
below); a circular-padded convolution runs an unbatched input, negative constant padding may empty an axis, a 2-D
max pool pads up to half its dilated window, MaxPool1d refuses an empty output and MaxUnpool a negative one, as
current PyTorch does (`current_pytorch`, `run`).
"""
import json
import sys
import warnings

import torch
from torch import nn
import torch.nn.functional as F


def decode(value):
    if isinstance(value, list):
        return [decode(v) for v in value]
    if isinstance(value, dict):
        if "tuple" in value:
            return tuple(decode(v) for v in value["tuple"])
        if "float" in value:
            return float(value["float"])
        if "module" in value:
            return build(value)
        raise ValueError(f"unknown value {value}")
    return value


class _CircularPad(nn.Module):
    """torch/nn/modules/padding.py (PyTorch ≥ 2.1): F.pad(mode='circular') of `padding` expanded to 2·dims entries,
    on a (dims + 1)- or (dims + 2)-D input."""

    dims = 0

    def __init__(self, padding):
        super().__init__()
        self.padding = _expand(padding, 2 * self.dims)

    def forward(self, x):
        if x.dim() not in (self.dims + 1, self.dims + 2):
            raise ValueError(f"expected {self.dims + 1}D or {self.dims + 2}D input (got {x.dim()}D input)")
        if x.dim() == self.dims + 1:
            return F.pad(x.unsqueeze(0), self.padding, mode="circular").squeeze(0)
        return F.pad(x, self.padding, mode="circular")


def _expand(padding, n):
    if isinstance(padding, int):
        return (padding,) * n
    if len(padding) != n:
        raise ValueError(f"padding must have {n} entries")
    return tuple(padding)


def _circular(dims):
    return type(f"CircularPad{dims}d", (_CircularPad,), {"dims": dims})


def _zero_pad(dims):
    """torch/nn/modules/padding.py (PyTorch ≥ 2.1): ZeroPad1d/3d are ConstantPad with value 0."""
    base = {1: nn.ConstantPad1d, 3: nn.ConstantPad3d}[dims]

    class ZeroPad(base):
        def __init__(self, padding):
            super().__init__(padding, 0.0)

    return ZeroPad


class RMSNorm(nn.Module):
    """torch/nn/modules/normalization.py (PyTorch ≥ 2.4): a weight of normalized_shape when elementwise_affine;
    the input's trailing dimensions must be normalized_shape (F.rms_norm checks as layer_norm does)."""

    def __init__(self, normalized_shape, eps=None, elementwise_affine=True, device=None, dtype=None):
        super().__init__()
        self.normalized_shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
        self.weight = nn.Parameter(torch.ones(self.normalized_shape)) if elementwise_affine else None

    def forward(self, x):
        # layer_norm raises exactly where rms_norm does (the trailing dimensions); its result has the input's shape.
        return F.layer_norm(x, self.normalized_shape, self.weight)


class LPPool3d(nn.Module):
    """torch/nn/modules/pooling.py (PyTorch ≥ 2.2): F.lp_pool3d, whose shape is avg_pool3d's without padding."""

    def __init__(self, norm_type, kernel_size, stride=None, ceil_mode=False):
        super().__init__()
        self.kernel_size, self.stride, self.ceil_mode = kernel_size, stride, ceil_mode

    def forward(self, x):
        return F.avg_pool3d(x, self.kernel_size, self.stride, 0, self.ceil_mode)


def _layer_norm(normalized_shape, eps=1e-5, elementwise_affine=True, bias=True, device=None, dtype=None):
    """torch/nn/modules/normalization.py (PyTorch ≥ 2.1): `bias=False` leaves the bias out (1.13 lacks the keyword)."""
    module = nn.LayerNorm(normalized_shape, eps, elementwise_affine, device=device, dtype=dtype)
    if elementwise_affine and not bias:
        module.bias = None
    return module


CURRENT = {
    "CircularPad1d": _circular(1),
    "CircularPad2d": _circular(2),
    "CircularPad3d": _circular(3),
    "ZeroPad1d": _zero_pad(1),
    "ZeroPad3d": _zero_pad(3),
    "RMSNorm": RMSNorm,
    "LPPool3d": LPPool3d,
    "LayerNorm": _layer_norm,
}


class Missing(Exception):
    """A module this torch does not have (and CURRENT does not define)."""


def build(spec):
    name = spec["module"]
    constructor = getattr(nn, name, None) if name not in CURRENT else CURRENT[name]
    if constructor is None:
        raise Missing(f"torch {torch.__version__} has no nn.{name}")
    return constructor(*decode(spec.get("args", [])), **{k: decode(v) for k, v in spec.get("kwargs", {}).items()})


def flatten(result):
    if result is None:
        return [None]
    if isinstance(result, torch.Tensor):
        return [list(result.shape)]
    out = []
    for item in result:
        out.extend(flatten(item))
    return out


def _pooled_size(size, kernel, stride, padding, dilation, ceil_mode):
    """aten/src/ATen/native/Pool.h, pooling_output_shape_pad_lr: a ceil_mode window must start inside the input or
    the left padding."""
    out = (size + 2 * padding - dilation * (kernel - 1) - 1 + (stride - 1 if ceil_mode else 0)) // stride + 1
    if ceil_mode and (out - 1) * stride >= size + padding:
        out -= 1
    return out


def _dilated_max_pool(module, x):
    """The shapes of a MaxPool2d, or a MaxPool1d with indices (a 2-D pool of height 1), whose padding 1.13 compared
    with half the kernel. Current PyTorch compares it with half the dilated window (Pool.h's pooling_output_shape and
    pool2d_shape_check, PyTorch ≥ 2.3) and sizes the output by pooling_output_shape_pad_lr; None where it raises too."""
    dims = 2 if isinstance(module, nn.MaxPool2d) else 1
    if dims == 1 and not module.return_indices:
        return None
    each = lambda v: list(v) if isinstance(v, (tuple, list)) else [v] * dims
    kernels, strides, paddings, dilations = (each(v) for v in (module.kernel_size, module.stride, module.padding, module.dilation))
    if any(p > ((k - 1) * d + 1) // 2 for k, p, d in zip(kernels, paddings, dilations)):
        return None
    sizes = list(x.shape[-dims:])
    outs = [_pooled_size(n, k, s, p, d, module.ceil_mode) for n, k, s, p, d in zip(sizes, kernels, strides, paddings, dilations)]
    if min(outs) < 1:
        raise RuntimeError(f"Given input size {sizes}. Calculated output size {outs}. Output size is too small")
    shape = list(x.shape[:-dims]) + outs
    return [shape, shape] if module.return_indices else [shape]


def current_pytorch(module, inputs, call, error):
    """The outputs current PyTorch gives where 1.13 raised `error`; re-raises it where current PyTorch raises too."""
    message = str(error)
    # 1.13's circular padding refuses an unbatched (C, *) input ('Invalid padding size, expected 0 but got 2'); current
    # PyTorch pads it (aten/src/ATen/native/PadNd.cpp, _pad_circular_symint: "1 or 2 non-padded dimensions"), as the
    # batched input of one.
    if message.startswith("Invalid padding size, expected") and getattr(module, "padding_mode", None) == "circular":
        batched = flatten(module(inputs[0].unsqueeze(0), *inputs[1:], **call))
        return [shape[1:] if shape else shape for shape in batched]
    # 1.13's constant_pad_nd refuses negative padding that leaves an axis empty (new_dim > 0); current PyTorch's checks
    # new_dim >= 0 (PadNd.cpp, constant_pad_nd) and returns the empty axis.
    if "resulted in a negative output size" in message and isinstance(module, (nn.ConstantPad1d, nn.ConstantPad2d, nn.ConstantPad3d)):
        shape = list(inputs[0].shape)
        pads = module.padding
        for i in range(len(pads) // 2):
            shape[-1 - i] += pads[2 * i] + pads[2 * i + 1]
        if min(shape) >= 0:
            return [shape]
    if message.startswith("pad should be at most half of kernel size") and isinstance(module, (nn.MaxPool1d, nn.MaxPool2d)):
        shapes = _dilated_max_pool(module, inputs[0])
        if shapes is not None:
            return shapes
    raise error


def run(case):
    try:
        module = build(case)
        inputs = [torch.zeros(i["shape"], dtype=torch.long if i.get("dtype") == "long" else torch.float32) for i in case["inputs"]]
        call = {k: decode(v) for k, v in case.get("call", {}).items()}
        training_only = None
        with torch.no_grad():
            try:
                outputs = flatten(module(*inputs, **call))
            except RuntimeError as error:
                outputs = current_pytorch(module, inputs, call, error)
            except ValueError as error:
                # Batch and instance norms refuse a single value per channel in training mode only; a static
                # reading cannot know the mode, so the test accepts an error or none (and the shapes of eval mode).
                if "when training" not in str(error):
                    raise
                training_only = str(error)
                outputs = flatten(module.eval()(*inputs, **call))
        # 1.13's max_pool1d without indices returns an empty length; current PyTorch raises
        # (aten/src/ATen/native/MaxPooling.cpp, check_max_pool1d: "max_pool1d() Invalid computed output size").
        if isinstance(module, nn.MaxPool1d) and not module.return_indices and outputs[0][-1] <= 0:
            raise RuntimeError(f"max_pool1d() Invalid computed output size: {outputs[0][-1]}")
        # 1.13 (and PyTorch up to 2.10) sizes MaxUnpool's output unchecked: an axis that comes out negative either fails
        # the allocation ("numel: integer multiplication overflow") or, after an empty axis, is returned as a negative
        # size; current PyTorch refuses any (aten/src/ATen/native/Pool.h, max_unpooling2d/3d_shape_check).
        if isinstance(module, (nn.MaxUnpool1d, nn.MaxUnpool2d, nn.MaxUnpool3d)) and min(outputs[0]) < 0:
            raise RuntimeError(f"output_size must contain non-negative spatial dimensions, but got {outputs[0]}")
        params = list(module.parameters())
        return {
            "ok": True,
            "outputs": outputs,
            "params": sum(p.numel() for p in params),
            "trainable": sum(p.numel() for p in params if p.requires_grad),
            "trainingOnly": training_only,
        }
    except Missing as missing:
        return {"ok": False, "error": "Missing", "message": str(missing)}
    except Exception as error:  # what PyTorch raises is the verdict, whatever its class
        lines = str(error).strip().splitlines()
        return {"ok": False, "error": type(error).__name__, "message": lines[0] if lines else ""}


if __name__ == "__main__":
    warnings.simplefilter("ignore")
    torch.manual_seed(0)
    torch.set_num_threads(1)
    print(json.dumps([run(case) for case in json.load(sys.stdin)]))
