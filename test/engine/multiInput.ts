/**
 * Drives specs of layers called on several tensors (merge layers, attention, tf ops)
 * through the public path: bind the constructor's arguments to the Keras signature,
 * bind the call's options with their defaults, then run `multiInput.infer`.
 */
import { Args } from "../../server/src/engine/args";
import { bindArguments } from "../../server/src/engine/bind";
import { Diagnostics, formatMessage } from "../../server/src/engine/diagnostics";
import { findFunctionalForm, findLayer } from "../../server/src/engine/layers/registry";
import { Shape } from "../../server/src/engine/shape";
import { LayerResult, LayerSpec } from "../../server/src/engine/spec";
import { PyValue } from "../../server/src/engine/values";
import { Arg, argsIR } from "./helpers";

export interface MultiInferred {
  readonly result: LayerResult;
  readonly output?: Shape;
  readonly extra?: readonly (Shape | undefined)[];
  readonly params?: bigint;
  readonly problems: string[];
  readonly messages: string[];
  /** Index of the tensor each problem blames, in order (undefined when none). */
  readonly inputs: (number | undefined)[];
}

export function runMulti(spec: LayerSpec, args: readonly Arg[], inputs: readonly (Shape | undefined)[], options: Record<string, PyValue> = {}): MultiInferred {
  const multi = spec.multiInput;
  if (!multi) throw new Error(`${spec.name} is not called on several tensors`);
  const binding = bindArguments(spec, argsIR(args));
  const values = new Map<string, PyValue>();
  for (const p of multi.callOptions ?? []) if (p.default !== undefined) values.set(p.name, p.default);
  for (const [k, v] of Object.entries(options)) values.set(k, v);
  const callArgs = new Args(spec.name, values, new Set(Object.keys(options)));
  const result = multi.infer(binding.args, inputs, callArgs);
  const problems = [...binding.problems, ...result.problems];
  const counts = result.weights.map((w) => w.count);
  return {
    result,
    output: result.output,
    extra: result.extraOutputs,
    params: counts.some((c) => c === undefined) ? undefined : counts.reduce<bigint>((a, c) => a + (c as bigint), 0n),
    problems: problems.map((p) => p.id),
    messages: problems.map((p) => formatMessage(Diagnostics[p.id].message, p.values)),
    inputs: problems.map((p) => p.input),
  };
}

export function inferMulti(kind: string, args: readonly Arg[], inputs: readonly (Shape | undefined)[], options: Record<string, PyValue> = {}): MultiInferred {
  const spec = findLayer(kind);
  if (!spec) throw new Error(`no spec for ${kind}`);
  return runMulti(spec, args, inputs, options);
}

/** `keras.layers.<name>(inputs, *args)`. */
export function inferFunctional(name: string, args: readonly Arg[], inputs: readonly (Shape | undefined)[]): MultiInferred {
  const spec = findFunctionalForm(name);
  if (!spec) throw new Error(`no functional form ${name}`);
  return runMulti(spec, args, inputs);
}

/** One row of a table of multi-input calls. */
export interface MultiRow {
  readonly note?: string;
  readonly kind: string;
  readonly args: readonly Arg[];
  readonly inputs: readonly (Shape | undefined)[];
  readonly options?: Record<string, PyValue>;
  readonly output: Shape | undefined;
  readonly params?: bigint | undefined;
  readonly extra?: readonly (Shape | undefined)[];
  readonly problems?: readonly string[];
}

export function multiRowName(row: MultiRow): string {
  const shapes = row.inputs.map((s) => (s ? `(${s.join(", ")})` : "unknown")).join(", ");
  const options = row.options ? ` ${JSON.stringify(row.options)}` : "";
  return `${row.kind}${JSON.stringify(row.args).replace(/"/g, "'")} on [${shapes}]${options}${row.note ? ` — ${row.note}` : ""}`;
}

export function checkMultiRow(row: MultiRow, assert: typeof import("node:assert/strict")): void {
  const got = inferMulti(row.kind, row.args, row.inputs, row.options);
  assert.deepEqual(got.output, row.output, "output shape");
  assert.deepEqual(got.problems, row.problems ?? [], "problems");
  assert.equal(got.params, "params" in row ? row.params : 0n, "params");
  if ("extra" in row) assert.deepEqual(got.extra, row.extra, "extra outputs");
}
