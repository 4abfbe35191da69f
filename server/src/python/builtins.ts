/**
 * Python's built-in functions and list methods on constant values, as pure functions: what
 * `range(3)`, `len(x)`, `zip(a, b)`, `min(...)`, `sizes.append(8)` give, or why not.
 */
import { ArgIR } from "../engine/ir";
import { PyValue, isFloat, isInt, isSequence, isUnresolved, items, numeric, pyFloat, unresolved } from "../engine/values";
import { LIMITS } from "./limits";

/** `range`, `len`, `enumerate`, `zip`, … on constants, when the name is not rebound in the file. */
export function builtin(name: string, args: readonly ArgIR[]): PyValue | undefined {
  const values = args.filter((a) => a.name === undefined).map((a) => a.value);
  const unknown = values.find(isUnresolved);
  if (unknown && ["range", "len", "enumerate", "zip", "list", "tuple", "min", "max", "int", "float", "abs", "reversed", "sorted"].includes(name)) return unknown;
  switch (name) {
    case "range": {
      if (!values.length || values.length > 3 || !values.every(isInt)) return unresolved("range() of values that are not integers");
      const [start, stop, step] = values.length === 1 ? [0, values[0], 1] : [values[0], values[1], values[2] ?? 1];
      if (step === 0) return unresolved("range() with step 0");
      const count = Math.max(0, Math.ceil((stop - start) / step));
      if (count > LIMITS.iterations * 40) return unresolved("a range too long to follow");
      return Array.from({ length: count }, (_, i) => start + i * step);
    }
    case "len":
      if (values.length === 1 && typeof values[0] === "string") return [...values[0]].length;
      return values.length === 1 && isSequence(values[0]) ? items(values[0]).length : unresolved("len() of a value that is not a constant sequence");
    case "enumerate":
      return values.length >= 1 && isSequence(values[0])
        ? items(values[0]).map((v, i) => ({ tuple: [i + (isInt(values[1]) ? values[1] : 0), v] }))
        : unresolved("enumerate() of a value that is not a constant sequence");
    case "zip": {
      if (!values.every(isSequence)) return unresolved("zip() of values that are not constant sequences");
      const lists = values.map((v) => items(v as PyValue[]));
      const length = Math.min(...lists.map((l) => l.length));
      return Array.from({ length: lists.length ? length : 0 }, (_, i) => ({ tuple: lists.map((l) => l[i]) }));
    }
    case "reversed":
      return values.length === 1 && isSequence(values[0]) ? [...items(values[0])].reverse() : unresolved("reversed() of a value that is not a constant sequence");
    case "sorted": {
      const pool = values.length === 1 && isSequence(values[0]) ? items(values[0]) : undefined;
      const keywords = args.some((a) => a.name !== undefined);
      if (!pool || keywords || !(pool.every(isInt) || pool.every((v) => typeof v === "string"))) return unresolved("sorted() of values Layer Lens does not order");
      return [...pool].sort((a, b) => (isInt(a) && isInt(b) ? a - b : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0));
    }
    case "list":
    case "tuple": {
      const source = values.length ? values[0] : [];
      if (!isSequence(source)) return unresolved(`${name}() of a value that is not a constant sequence`);
      return name === "list" ? [...items(source)] : { tuple: [...items(source)] };
    }
    case "min":
    case "max": {
      const pool = values.length === 1 && isSequence(values[0]) ? items(values[0]) : values;
      const numbers = pool.map(numeric);
      if (!pool.length || numbers.some((n) => n === undefined || Number.isNaN(n))) return unresolved(`${name}() of values that are not numbers`);
      // Python returns the first of the extreme items itself, an int or a float as it was.
      const extreme = name === "min" ? Math.min(...(numbers as number[])) : Math.max(...(numbers as number[]));
      return pool[numbers.indexOf(extreme)];
    }
    case "int": {
      const n = values.length === 1 ? numeric(values[0]) : undefined;
      if (n === undefined || !Number.isFinite(n)) return unresolved("int() of a value that is not a finite number");
      return Number.isSafeInteger(Math.trunc(n)) ? Math.trunc(n) : unresolved("the result is too large to follow exactly");
    }
    case "float": {
      const n = values.length === 1 ? numeric(values[0]) : undefined;
      return n === undefined ? unresolved("float() of a value that is not a number") : pyFloat(n);
    }
    case "abs": {
      const n = values.length === 1 ? numeric(values[0]) : undefined;
      if (n === undefined) return unresolved("abs() of a value that is not a number");
      return isFloat(values[0]) ? pyFloat(Math.abs(n)) : Math.abs(n);
    }
    default:
      return undefined;
  }
}

/** The shape `(n,)` of `arange(start, stop, step)` / `tf.range(start, limit, delta)` (one bound: the stop). */
export function rangeLength(args: readonly ArgIR[], names: readonly string[]): PyValue {
  const positional = args.filter((a) => a.name === undefined).map((a) => a.value);
  const given = names.map((name, i) => args.find((a) => a.name === name)?.value ?? positional[i]);
  const [first, second, step = 1] = given;
  const [start, stop] = second === undefined || second === null ? [0, first] : [first, second];
  if (!isInt(start) || !isInt(stop) || !isInt(step) || step === 0) return unresolved("a range whose bounds are not constant integers");
  return { tuple: [Math.max(0, Math.ceil((stop - start) / step))] };
}

/** Whether a map holds exactly this object among its values. */
export function holds(entries: ReadonlyMap<string, PyValue>, value: PyValue): boolean {
  for (const own of entries.values()) if (own === value) return true;
  return false;
}

/** Methods of a list or dict that read it (see `Extractor.readingMethod`). */
export const READING_METHODS: ReadonlySet<string> = new Set(["get", "copy", "keys", "values", "items"]);

/**
 * Python's list methods on a constant list: the list after the call and what the call returns; undefined
 * when the arguments are not ones Layer Lens follows.
 */
export function listMethod(list: readonly PyValue[], method: string, args: readonly PyValue[]): { list: PyValue[]; result: PyValue } | undefined {
  const [first, second] = args;
  const at = (i: number, length: number) => (i < 0 ? Math.max(0, length + i) : Math.min(i, length));
  switch (method) {
    case "append":
      return args.length === 1 ? { list: [...list, first], result: null } : undefined;
    case "extend":
      return args.length === 1 && isSequence(first) ? { list: [...list, ...items(first)], result: null } : undefined;
    case "insert": {
      if (args.length !== 2 || !isInt(first)) return undefined;
      const copy = [...list];
      copy.splice(at(first, list.length), 0, second);
      return { list: copy, result: null };
    }
    case "pop": {
      const index = args.length === 0 ? list.length - 1 : isInt(first) && args.length === 1 ? (first < 0 ? list.length + first : first) : -1;
      if (index < 0 || index >= list.length) return undefined;
      return { list: list.filter((_, i) => i !== index), result: list[index] };
    }
    case "clear":
      return args.length === 0 ? { list: [], result: null } : undefined;
    case "reverse":
      return args.length === 0 ? { list: [...list].reverse(), result: null } : undefined;
    default:
      return undefined;
  }
}
