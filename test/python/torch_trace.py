"""Runs a PyTorch fixture of Layer Lens's tests and reports what PyTorch itself computes: for every torch.nn module
the fixture constructs, the line of its constructor call, the shape of each output it returned and the parameters
of the modules made there (each once); and for every model the fixture keeps at its top level (its own modules and
Sequentials), sum(p.numel()) of its parameters and of those that train. The fixtures are the project's own files (test/fixtures/torch);
nothing else is run. Output: one JSON object on stdout."""
import inspect
import json
import sys

import torch
import torch.nn as nn

fixture = sys.argv[1]
lines = {}
shapes = {}
params = {}
original_init = nn.Module.__init__


CONTAINERS = (nn.Sequential, nn.ModuleList, nn.ModuleDict)


def init(self, *args, **kwargs):
    original_init(self, *args, **kwargs)
    if not type(self).__module__.startswith("torch.nn") or isinstance(self, CONTAINERS):
        return
    # Above this module's own constructors, the fixture's line that constructs it; a module another module's
    # constructor makes (a TransformerEncoderLayer's Linear) has none.
    for frame in inspect.stack()[1:]:
        if frame.frame.f_locals.get("self") is self:
            continue
        if frame.filename == fixture:
            lines[id(self)] = frame.lineno
        break


def first_tensor(output):
    if isinstance(output, torch.Tensor):
        return output
    if isinstance(output, (tuple, list)) and output:
        return first_tensor(output[0])
    return None


def hook(module, inputs, output):
    line = lines.get(id(module))
    tensor = first_tensor(output)
    if line is not None and tensor is not None:
        shapes.setdefault(line, []).append(list(tensor.shape))
        params.setdefault(line, {})[id(module)] = sum(p.numel() for p in module.parameters())


nn.Module.__init__ = init
torch.nn.modules.module.register_module_forward_hook(hook)
namespace = {"__name__": "__main__", "__file__": fixture}
with open(fixture) as source:
    exec(compile(source.read(), fixture, "exec"), namespace)
# Models: the user's modules and Sequentials the fixture keeps (a single built-in module, `first = head[0]`, is a layer).
models = {
    name: {"total": sum(p.numel() for p in value.parameters()), "trainable": sum(p.numel() for p in value.parameters() if p.requires_grad)}
    for name, value in namespace.items()
    if isinstance(value, nn.Module) and not name.startswith("_") and (isinstance(value, nn.Sequential) or not type(value).__module__.startswith("torch.nn"))
}
modules = {str(line): {"shapes": s, "params": sum(params[line].values())} for line, s in shapes.items()}
print(json.dumps({"modules": modules, "models": models}))
