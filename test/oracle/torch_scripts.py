"""The script oracle: runs the Python scripts test/oracle/torch_scripts.test.ts generated (and only those) with
Debian's python3-torch, and reports what every torch.nn module did.

Reads a JSON list of script texts on stdin; writes one JSON report per script:
{"modules": [{"cls", "line", "callLine", "outputs"}...], "params": n | null, "error": null | {"type", "message",
"line", "module": {"cls", "line", "callLine"} | null}}.
- `line` is where the module was constructed: the innermost line of the script on the stack when
  nn.Module.__init__ ran (the generator writes each constructor call on a line of its own);
- `callLine` is the innermost line of the script on the stack when the module ran (`x = self.fc1(x)` in a
  forward; for a Sequential's children, the line that called the Sequential);
- `outputs` the forward's result flattened (an LSTM's (output, (h_n, c_n)) is three shapes);
- `params` is sum(p.numel()) of the script's `model`;
- an error names the script line its traceback last passed and the torch.nn module running when it was raised.
Reported are the torch.nn modules the script uses itself (see Recorder): not the containers, not the parts of
another torch.nn module, nor the script's own classes.
"""
import json
import sys
import traceback
import warnings

import torch
from torch import nn

FILENAME = "<generated script>"


def script_line():
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_code.co_filename == FILENAME:
            return frame.f_lineno
        frame = frame.f_back
    return None


def is_library(module):
    return type(module).__module__.startswith("torch.nn")


CONTAINERS = (nn.Sequential, nn.ModuleList, nn.ModuleDict)


def shapes(result):
    if result is None:
        return [None]
    if isinstance(result, torch.Tensor):
        return [list(result.shape)]
    if isinstance(result, (tuple, list)):
        return [s for item in result for s in shapes(item)]
    return [None]


class Recorder:
    """Records the torch.nn modules the script itself uses: not the containers (Sequential, ModuleList, ModuleDict),
    and not the parts of another torch.nn module (a TransformerEncoder's layers, MultiheadAttention's out_proj)."""

    def __init__(self):
        self.modules = []
        # The torch.nn modules running, outermost first: (module, call line, recorded).
        self.running = []

    def pre(self, module, inputs):
        if is_library(module):
            inside = any(not isinstance(m, CONTAINERS) for m, _, _ in self.running)
            self.running.append((module, script_line(), not isinstance(module, CONTAINERS) and not inside))

    def post(self, module, inputs, output):
        if is_library(module):
            _, call_line, recorded = self.running.pop()
            if recorded:
                self.modules.append({"cls": type(module).__name__, "line": getattr(module, "_constructed_at", None), "callLine": call_line, "outputs": shapes(output)})

    def failing(self):
        """The recorded module running when an exception was raised, if any."""
        recorded = [(m, line) for m, line, r in self.running if r]
        return recorded[-1] if recorded else None


original_init = nn.Module.__init__


def recording_init(self, *args, **kwargs):
    original_init(self, *args, **kwargs)
    if "_constructed_at" not in self.__dict__:
        object.__setattr__(self, "_constructed_at", script_line())


def run(source):
    recorder = Recorder()
    pre = torch.nn.modules.module.register_module_forward_pre_hook(recorder.pre)
    post = torch.nn.modules.module.register_module_forward_hook(recorder.post)
    namespace = {"__name__": "__main__"}
    error = None
    try:
        with torch.no_grad():
            exec(compile(source, FILENAME, "exec"), namespace)
    except Exception as raised:  # what PyTorch raises is the verdict, whatever its class
        frames = [f for f in traceback.extract_tb(raised.__traceback__) if f.filename == FILENAME]
        running = recorder.failing()
        lines = str(raised).strip().splitlines()
        error = {
            "type": type(raised).__name__,
            "message": lines[0] if lines else "",
            "line": frames[-1].lineno if frames else None,
            "module": {"cls": type(running[0]).__name__, "line": getattr(running[0], "_constructed_at", None), "callLine": running[1]} if running else None,
        }
    finally:
        pre.remove()
        post.remove()
    model = namespace.get("model")
    params = sum(p.numel() for p in model.parameters()) if isinstance(model, nn.Module) else None
    return {"modules": recorder.modules, "params": params, "error": error}


if __name__ == "__main__":
    warnings.simplefilter("ignore")
    torch.manual_seed(0)
    torch.set_num_threads(1)
    nn.Module.__init__ = recording_init
    print(json.dumps([run(source) for source in json.load(sys.stdin)]))
