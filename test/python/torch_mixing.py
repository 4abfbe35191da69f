"""Whether a PyTorch model mixes the samples of its input: runs the script given on stdin (which defines `model` and
its input `x`, whose batch is on axis `batch_axis`, 0 unless the script sets it), in eval mode, perturbing one sample
at a time, and reports whether any element of the output depends on two samples. A model that reads its batch from the right axis keeps each output element to one
sample. Output: one JSON object on stdout, {"mixes": bool}."""
import json
import sys

import torch

namespace = {"__name__": "__main__"}
exec(compile(sys.stdin.read(), "<case>", "exec"), namespace)
model, x, axis = namespace["model"], namespace["x"], namespace.get("batch_axis", 0)
model.eval()


def first_tensor(output):
    return output if isinstance(output, torch.Tensor) else first_tensor(output[0])


torch.manual_seed(0)
with torch.no_grad():
    base = first_tensor(model(x))
    touched = []
    for i in range(x.shape[axis]):
        changed = x.clone()
        changed.select(axis, i).add_(torch.randn_like(changed.select(axis, i)))
        touched.append((first_tensor(model(changed)) - base).abs() > 1e-6)
mixes = any(bool((touched[i] & touched[j]).any()) for i in range(len(touched)) for j in range(i + 1, len(touched)))
print(json.dumps({"mixes": mixes}))
