/**
 * A wrapped layer whose own arguments are unknown (`Bidirectional(LSTM(n))` with `n` a
 * function parameter): the shapes after it become unknown and the one LL302 information
 * names the wrapped call's argument and why it is unknown.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { LayerValue } from "../../server/src/engine/values";
import { Arg, argsIR, sequential } from "./helpers";

const L = (kind: string, ...args: Arg[]): LayerValue => ({ layer: { kind, args: argsIR(args) } });
const n = { unresolved: "n is a parameter of build_model" };

for (const [wrapper, inner, input] of [
  ["Bidirectional", L("LSTM", n), [10, 32]],
  ["Bidirectional", L("GRU", 8, { dropout: 0.1, return_sequences: n }), [10, 32]],
  ["TimeDistributed", L("Dense", { units: n }), [10, 32]],
] as const) {
  test(`${wrapper}(${inner.layer.kind}(…unknown…)) names the unknown argument of the wrapped call`, () => {
    const model = sequential([...input], [[wrapper, [{ layer: inner }]]]);
    assert.deepEqual(model.diagnostics.map((d) => d.code), ["LL302"]);
    const argument = inner.layer.args.find((a) => a.value === n)?.name ?? "units";
    assert.equal(
      model.diagnostics[0].message,
      `Shapes are unknown from here: layer is not known statically (${inner.layer.kind}'s ${argument}: n is a parameter of build_model).`,
    );
    const { output, params } = model.layers[1];
    assert.ok(params === undefined || !output || output.includes("?"), "something after it is unknown");
  });
}

test("a wrapped call with every argument known raises no LL302", () => {
  const model = sequential([10, 32], [["Bidirectional", [{ layer: L("LSTM", 4) }]]]);
  assert.deepEqual(model.diagnostics, []);
});
