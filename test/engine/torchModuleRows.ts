/**
 * Rows checked against PyTorch: besides the output, parameter counts and problem ids, the error PyTorch
 * raises (`torch`, "Type: message" as python3-torch printed it) must be in one of the messages, and a
 * PyTorch warning (`torchWarning`) too.
 */
import assert from "node:assert/strict";
import { Row, checkRow, infer } from "./helpers";
import { Shape } from "../../server/src/engine/shape";
import { inferMulti } from "./multiInput";
import { Arg } from "./helpers";

export interface TorchRow extends Row {
  /** The exception PyTorch raised for this module and input: "RuntimeError: mat1 and mat2 …". */
  readonly torch?: string;
  /** True where the problem is one of Layer Lens's own (an existing diagnostic), not in PyTorch's words. */
  readonly ownWording?: boolean;
  /** The warning PyTorch gave. */
  readonly torchWarning?: string;
}

/** PyTorch's words (an exception's message after its type) appear in one of `messages`, with the exception's type where ours names one. */
export function assertSaysAsTorch(messages: readonly string[], raised: string): void {
  const [type, ...rest] = raised.split(": ");
  const words = rest.join(": ");
  const match = messages.find((m) => m.includes(words));
  assert.ok(match, `no message says PyTorch's '${words}': ${JSON.stringify(messages)}`);
  if (match.includes("raises this")) assert.ok(match.includes(`raises this ${type}`), `'${match}' names another exception than ${type}`);
}

export function checkTorchRow(row: TorchRow): void {
  checkRow(row, assert);
  const { messages } = infer(row.kind, row.args, row.input);
  if (row.torch && !row.ownWording) assertSaysAsTorch(messages, row.torch);
  if (row.torchWarning) assertSaysAsTorch(messages, `Warning: ${row.torchWarning}`);
}

/** A row of a module called on several tensors (Bilinear, EmbeddingBag with offsets). */
export interface TorchMultiRow {
  readonly kind: string;
  readonly args: readonly Arg[];
  readonly inputs: readonly (Shape | undefined)[];
  readonly output: Shape | undefined;
  readonly params: bigint | undefined;
  readonly problems?: readonly string[];
  readonly torch?: string;
  readonly note?: string;
}

export function checkTorchMultiRow(row: TorchMultiRow): void {
  const got = inferMulti(row.kind, row.args, row.inputs);
  assert.deepEqual(got.output, row.output, "output shape");
  assert.equal(got.params, row.params, "params");
  assert.deepEqual(got.problems, row.problems ?? [], "problems");
  if (row.torch) assertSaysAsTorch(got.messages, row.torch);
}

export function multiRowName(row: TorchMultiRow): string {
  return `${row.kind}${JSON.stringify(row.args)} on ${row.inputs.map((s) => (s ? `(${s.join(", ")})` : "unknown")).join(" and ")}${row.note ? ` — ${row.note}` : ""}`;
}
