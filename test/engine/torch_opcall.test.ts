/**
 * The analyzer's op path for PyTorch's calling conventions, through `analyzeProgram` on a program description:
 * `*size` varargs packed into one parameter (`x.view(8, -1)` as `x.view((8, -1))`), options before the tensors
 * (`torch.einsum(equation, *operands)`), Python numbers standing for 0-dim tensors (`torch.add(x, 1)`) and an
 * optional tensor given as None. Expected shapes from python3-torch 1.13 (`/usr/bin/python3`):
 *   torch.randn(64, 9216).view(8, -1).shape == (8, 73728); .view((8, -1)) the same; .view(-1).shape == (589824,)
 *   torch.randn(2, 3, 4).permute(0, 2, 1).shape == (2, 4, 3)
 *   torch.einsum("ij,jk->ik", torch.randn(2, 3), torch.randn(3, 5)).shape == (2, 5)
 *   torch.add(torch.randn(2, 3), 1).shape == (2, 3); torch.where(c, x, 0.0) with c (2, 1), x (3,) → (2, 3)
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Args } from "../../server/src/engine/args";
import { analyzeProgram } from "../../server/src/engine/analyze";
import { ArgIR, ProgramIR } from "../../server/src/engine/ir";
import { Shape } from "../../server/src/engine/shape";
import { PyValue, pyFloat } from "../../server/src/engine/values";

let offset = 0;
const span = () => ({ start: (offset += 10), end: offset + 5 });

/** A tensor of `shape` (id = its index) and one op call on the arguments given (tensors as `{ ref: "tensor", id }`). */
function runOp(op: string, shapes: readonly Shape[], args: readonly (PyValue | { name: string; value: PyValue })[]) {
  const argIR: ArgIR[] = args.map((a) =>
    typeof a === "object" && a !== null && "name" in a && "value" in a ? { name: a.name as string, value: a.value, span: span() } : { value: a as PyValue, span: span() },
  );
  const program: ProgramIR = {
    tensors: shapes.map((shape) => ({ type: "shaped", shape: [...shape], span: span() })),
    layers: [],
    calls: [{ callee: { op, calleeSpan: span() }, args: argIR, span: span() }],
    models: [],
    blocks: [],
  };
  const analysis = analyzeProgram(program);
  const call = analysis.calls[analysis.calls.length - 1];
  return { output: call.output, diagnostics: analysis.diagnostics.map((d) => d.code) };
}

const t = (id: number) => ({ ref: "tensor" as const, id });

test("*size varargs: the sizes after the tensor are packed into one tuple", () => {
  assert.deepEqual(runOp("torch.Tensor.view", [[64, 9216]], [t(0), 8, -1]), { output: [8, 73728], diagnostics: [] });
  assert.deepEqual(runOp("torch.Tensor.permute", [[2, 3, 4]], [t(0), 0, 2, 1]), { output: [2, 4, 3], diagnostics: [] });
});

test("*size varargs: one tuple or list is passed as it is, one int is packed", () => {
  assert.deepEqual(runOp("torch.Tensor.view", [[64, 9216]], [t(0), { tuple: [8, -1] }]).output, [8, 73728]);
  assert.deepEqual(runOp("torch.Tensor.reshape", [[64, 9216]], [t(0), [8, -1]]).output, [8, 73728]);
  assert.deepEqual(runOp("torch.Tensor.view", [[64, 9216]], [t(0), -1]).output, [589824]);
  assert.deepEqual(runOp("torch.Tensor.view", [[64, 9216]], [t(0), { name: "size", value: { tuple: [-1, 4096] } }]).output, [144, 4096]);
});

test("*size varargs: a size that is not a constant is unknown, the others kept", () => {
  assert.deepEqual(runOp("torch.Tensor.view", [[64, 9216]], [t(0), { unresolved: "x.size(0)" }, -1]).output, ["?", "?"]);
});

test("options before the tensors: torch.einsum(equation, *operands)", () => {
  assert.deepEqual(runOp("torch.einsum", [[2, 3], [3, 5]], ["ij,jk->ik", t(0), t(1)]), { output: [2, 5], diagnostics: [] });
});

test("a Python number stands for a 0-dim tensor where PyTorch wraps it", () => {
  assert.deepEqual(runOp("torch.add", [[2, 3]], [t(0), 1]), { output: [2, 3], diagnostics: [] });
  assert.deepEqual(runOp("torch.where", [[2, 1], [3]], [t(0), t(1), pyFloat(0)]), { output: [2, 3], diagnostics: [] });
});

test("a number where no number may stand for a tensor is not followed", () => {
  assert.equal(runOp("torch.matmul", [[2, 3]], [t(0), 1]).output, undefined);
});

test("PyTorch's NumPy-compatible keywords: axis= for dim=, keepdims= for keepdim= (torch.sum(x, axis=1, keepdims=True) is (2, 1))", () => {
  assert.deepEqual(runOp("torch.sum", [[2, 3]], [t(0), { name: "axis", value: 1 }, { name: "keepdims", value: true }]), { output: [2, 1], diagnostics: [] });
  assert.deepEqual(runOp("torch.cat", [[2, 3], [2, 3]], [[t(0), t(1)], { name: "axis", value: 1 }]), { output: [2, 6], diagnostics: [] });
});

test("torch.nn.functional's Python functions take no axis= (F.softmax(x, axis=1) raises TypeError)", () => {
  assert.deepEqual(runOp("torch.nn.functional.softmax", [[2, 3]], [t(0), { name: "axis", value: 1 }]).diagnostics, ["LL109", "LL212"]);
});

test("an optional tensor given as None is absent, not a value Layer Lens could not follow (F.linear(x, w, None) is (2, 3))", () => {
  assert.deepEqual(runOp("torch.nn.functional.linear", [[2, 7], [3, 7]], [t(0), t(1), null]), { output: [2, 3], diagnostics: [] });
});

test("every PyTorch spec answers (never throws) on known, unknown and missing shapes", async () => {
  const { allLayers } = await import("../../server/src/engine/layers/registry");
  for (const spec of allLayers().filter((s) => s.name.startsWith("torch.") && s.multiInput)) {
    const slots = spec.multiInput!.tensors?.length ?? 2;
    for (const shape of [[2, 4, 6, 8], [3], [], ["?", 4, "?"], undefined] as const) {
      const inputs = Array.from({ length: slots }, () => shape as Shape | undefined);
      const options = new Map<string, PyValue>();
      for (const p of spec.params) if (p.default !== undefined) options.set(p.name, p.default);
      assert.doesNotThrow(() => spec.multiInput!.infer(new Args(spec.name, options), inputs, new Args(spec.name, new Map())), spec.name);
    }
  }
});

test("torch.cat(tensors=[a, b], dim=1): the list passed by keyword", () => {
  assert.deepEqual(runOp("torch.cat", [[2, 3], [2, 3]], [{ name: "tensors", value: [t(0), t(1)] }, { name: "dim", value: 1 }]), { output: [2, 6], diagnostics: [] });
});
