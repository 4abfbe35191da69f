/**
 * Python values as the front end resolved them. Anything the front end could not
 * resolve statically is an `Unresolved` carrying the reason, so the engine can say
 * why a shape became unknown instead of guessing.
 */
export interface Unresolved {
  readonly unresolved: string;
  /**
   * A PyTorch module's parameter read as an attribute (`self.embed.weight`): not a tensor Layer Lens follows, but
   * which parameter it is, so that assigning it to another module (tied weights) is counted once.
   */
  readonly parameter?: ModuleParameter;
}

/** The parameter `weight` of the module `layer` (its name as the module's spec names its weights). */
export interface ModuleParameter {
  readonly layer: number;
  readonly weight: string;
}

/**
 * A JavaScript number is a Python int; a Python float is a `PyFloat`, even when its value is
 * whole: Keras refuses `Dense(256 / 2)` (units=128.0) as it refuses `Dense(2.5)`.
 */
export type PyValue = number | PyFloat | string | boolean | null | Unresolved | PyValue[] | PyTuple | LayerValue | RefValue | PySlice | PyEllipsis;

/** A subscript's `start:stop:step`, each `None` when left out, as a tensor index passes it (`x[:, ::2]`). */
export interface PySlice {
  readonly slice: readonly [PyValue, PyValue, PyValue];
}

/** Python's `...` in a subscript (`x[..., :3]`). */
export interface PyEllipsis {
  readonly ellipsis: true;
}

export const ELLIPSIS: PyEllipsis = { ellipsis: true };

export function isSlice(v: PyValue | undefined): v is PySlice {
  return typeof v === "object" && v !== null && "slice" in v;
}

export function isEllipsis(v: PyValue | undefined): v is PyEllipsis {
  return typeof v === "object" && v !== null && "ellipsis" in v;
}

export interface PyFloat {
  readonly float: number;
}

export function pyFloat(n: number): PyFloat {
  return { float: n };
}

export function isFloat(v: PyValue | undefined): v is PyFloat {
  return typeof v === "object" && v !== null && "float" in v;
}

/**
 * The value of an int or a float; undefined for anything else. A number that is not whole
 * counts too: the engine's own tests and defaults write floats such as 0.5 as plain numbers.
 */
export function numeric(v: PyValue | undefined): number | undefined {
  if (typeof v === "number") return v;
  return isFloat(v) ? v.float : undefined;
}

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
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : floatRepr(v);
  if (typeof v === "string") return `'${v}'`;
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(", ")}]`;
  if ("tuple" in v) return v.tuple.length === 1 ? `(${pyRepr(v.tuple[0])},)` : `(${v.tuple.map(pyRepr).join(", ")})`;
  if ("float" in v) return floatRepr(v.float);
  if ("layer" in v) return `${v.layer.kind}(…)`;
  if ("ref" in v) return `<${v.ref}>`;
  if ("slice" in v) return `slice(${v.slice.map(pyRepr).join(", ")})`;
  if ("ellipsis" in v) return "Ellipsis";
  return "?";
}

/** Python's `repr` of a float: the shortest digits that read back, in exponent form below 1e-4 and from 1e16 on. */
function floatRepr(n: number): string {
  if (!Number.isFinite(n)) return n > 0 ? "inf" : n < 0 ? "-inf" : "nan";
  if (n === 0) return Object.is(n, -0) ? "-0.0" : "0.0";
  const [mantissa, exponentText] = n.toExponential().split("e");
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 16) return `${mantissa}e${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
  const fixed = String(n);
  return Number.isInteger(n) ? `${fixed}.0` : fixed;
}
