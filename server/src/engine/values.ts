/**
 * Python values as the front end resolved them. Anything the front end could not
 * resolve statically is an `Unresolved` carrying the reason, so the engine can say
 * why a shape became unknown instead of guessing.
 */
export interface Unresolved {
  readonly unresolved: string;
}

export type PyValue = number | string | boolean | null | Unresolved | PyValue[] | PyTuple | LayerValue | RefValue;

/**
 * An object the front end follows by identity rather than by value: a tensor, a
 * layer instance or a model (numbered in the program IR), or one of the front
 * end's own objects (a function, a class, an instance of a user class, a dict).
 */
export interface RefValue {
  readonly ref: "tensor" | "layer" | "model" | "function" | "class" | "instance" | "dict";
  readonly id: number;
}

export function isRef(v: PyValue | undefined, kind?: RefValue["ref"]): v is RefValue {
  return typeof v === "object" && v !== null && "ref" in v && (kind === undefined || v.ref === kind);
}

/**
 * A Keras layer constructed inside an argument, e.g. the `LSTM(64)` in
 * `Bidirectional(LSTM(64))`: its class name and its evaluated arguments.
 */
export interface LayerValue {
  readonly layer: {
    readonly kind: string;
    readonly args: readonly { readonly name?: string; readonly value: PyValue; readonly span: { readonly start: number; readonly end: number } }[];
  };
}

export function isLayerValue(v: PyValue | undefined): v is LayerValue {
  return typeof v === "object" && v !== null && "layer" in v;
}

/** A Python tuple; kept apart from lists only so values print back as the user wrote them. */
export interface PyTuple {
  readonly tuple: PyValue[];
}

export function unresolved(reason: string): Unresolved {
  return { unresolved: reason };
}

export function isUnresolved(v: PyValue | undefined): v is Unresolved {
  return typeof v === "object" && v !== null && "unresolved" in v;
}

export function isSequence(v: PyValue | undefined): v is PyValue[] | PyTuple {
  return Array.isArray(v) || (typeof v === "object" && v !== null && "tuple" in v);
}

export function items(v: PyValue[] | PyTuple): PyValue[] {
  return Array.isArray(v) ? v : v.tuple;
}

export function isInt(v: PyValue | undefined): v is number {
  return typeof v === "number" && Number.isSafeInteger(v);
}

/** Renders a value the way Python's repr would, for messages. */
export function pyRepr(v: PyValue): string {
  if (v === null) return "None";
  if (typeof v === "boolean") return v ? "True" : "False";
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : v > 0 ? "inf" : v < 0 ? "-inf" : "nan";
  if (typeof v === "string") return `'${v}'`;
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(", ")}]`;
  if ("tuple" in v) return v.tuple.length === 1 ? `(${pyRepr(v.tuple[0])},)` : `(${v.tuple.map(pyRepr).join(", ")})`;
  if ("layer" in v) return `${v.layer.kind}(…)`;
  if ("ref" in v) return `<${v.ref}>`;
  return "?";
}
