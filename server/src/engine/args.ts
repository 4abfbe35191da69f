/**
 * Typed access to a layer's bound arguments. Each accessor validates the value
 * as Keras would and records a problem on the argument when it is invalid, so a
 * spec reads like Keras's own constructor: `args.int("filters")`.
 * An accessor returns undefined when the value is unknown or invalid; the spec
 * then shows the dimensions that depend on it as unknown.
 */
import { NestedLayer, Problem } from "./spec";
import type { KerasGeneration } from "./generations";
import { LayerValue, PyValue, RefValue, isInt, isLayerValue, isRef, isSequence, isUnresolved, items, numeric, pyRepr } from "./values";

export type DataFormat = "channels_last" | "channels_first";

export class Args {
  readonly problems: Problem[] = [];
  /** Arguments whose values could not be resolved statically, with the reason. */
  readonly unresolved = new Map<string, string>();

  constructor(
    readonly layer: string,
    private readonly values: ReadonlyMap<string, PyValue>,
    /** Arguments the user wrote (the rest carry Keras defaults). */
    readonly given: ReadonlySet<string> = new Set(),
    /** A layer call or a model given as an argument, bound and ready to run; undefined when it cannot be followed. */
    private readonly resolveLayer: (value: LayerValue | RefValue) => NestedLayer | undefined = () => undefined,
    /** The Keras the call is read as: 2 (tf.keras 2), 3, or undefined when the file does not show which. */
    readonly keras?: KerasGeneration,
  ) {}

  /**
   * A Keras layer given as an argument (wrappers): a layer call, or a model (a Keras model is a layer).
   * Undefined when it is not one Layer Lens follows: unknown, with the reason, for what may be a layer
   * (an instance of a class of the file, a model that cannot be followed here); a problem for a value
   * that cannot be one (a number, a string, a function, a class…).
   */
  nestedLayer(name: string): NestedLayer | undefined {
    const v = this.raw(name);
    if (v === undefined) return undefined;
    if (isRef(v, "instance") || isRef(v, "layer")) {
      this.unresolved.set(name, v.ref === "instance" ? "an instance of a class of this file, which Layer Lens does not follow as a layer" : "a layer instance Layer Lens does not follow here");
      return undefined;
    }
    if (!isLayerValue(v) && !isRef(v, "model")) return this.invalid(name, "a Keras layer such as LSTM(64)", v);
    const nested = this.resolveLayer(v);
    const what = isLayerValue(v) ? v.layer.kind : "the model";
    if (!nested) {
      this.unresolved.set(name, isLayerValue(v) ? `Layer Lens does not model ${v.layer.kind}` : "the model cannot be followed here");
      return undefined;
    }
    // The nested call's unresolved arguments make this one unresolved too, naming them.
    return {
      ...nested,
      infer: (input) => {
        const result = nested.infer(input);
        const [inner] = nested.unresolved ?? [];
        if (inner && !this.unresolved.has(name)) this.unresolved.set(name, `${what}'s ${inner[0]}: ${inner[1]}`);
        return result;
      },
    };
  }

  raw(name: string): PyValue | undefined {
    const v = this.values.get(name);
    if (isUnresolved(v)) {
      this.unresolved.set(name, v.unresolved);
      return undefined;
    }
    return v;
  }

  /** True when the argument is given and not None. */
  has(name: string): boolean {
    const v = this.values.get(name);
    return v !== undefined && v !== null;
  }

  private invalid(name: string, expected: string, value: PyValue): undefined {
    this.problems.push({ id: "invalidArgument", argument: name, values: { argument: name, expected, value: pyRepr(value) } });
    return undefined;
  }

  private nonPositive(name: string, value: PyValue): undefined {
    this.problems.push({ id: "nonPositiveArgument", argument: name, values: { argument: name, value: pyRepr(value) } });
    return undefined;
  }

  /** An integer ≥ `min` (1 unless said otherwise). */
  int(name: string, min = 1): number | undefined {
    const v = this.raw(name);
    if (v === undefined) return undefined;
    if (!isInt(v)) return this.invalid(name, "an integer", v);
    if (v < min) return min === 1 ? this.nonPositive(name, v) : this.invalid(name, `an integer ≥ ${min}`, v);
    return v;
  }

  /** An integer or None. */
  optionalInt(name: string, min = 1): number | null | undefined {
    return this.raw(name) === null ? null : this.int(name, min);
  }

  /** Keras's `standardize_tuple`: an int, or a tuple/list of `n` ints, each ≥ `min`. */
  intTuple(name: string, n: number, min = 1): number[] | undefined {
    const v = this.raw(name);
    if (v === undefined) return undefined;
    let list: PyValue[];
    if (isInt(v)) list = Array(n).fill(v);
    else if (isSequence(v) && items(v).length === n && items(v).every(isInt)) list = items(v);
    else {
      if (isSequence(v) && items(v).some(isUnresolved)) {
        this.unresolved.set(name, "an element of it is not a constant");
        return undefined;
      }
      return this.invalid(name, n === 1 ? "an integer" : `an integer or a tuple of ${n} integers`, v);
    }
    const ints = list as number[];
    if (ints.some((x) => x < min)) {
      return min === 1 ? this.nonPositive(name, v) : this.invalid(name, `integers ≥ ${min}`, v);
    }
    return ints;
  }

  /** A string among `allowed`, compared case-insensitively as Keras does for padding. */
  choice<T extends string>(name: string, allowed: readonly T[]): T | undefined {
    const v = this.raw(name);
    if (v === undefined) return undefined;
    const lower = typeof v === "string" ? v.toLowerCase() : undefined;
    const match = allowed.find((a) => a === lower);
    if (match === undefined) {
      this.invalid(name, allowed.map((a) => `'${a}'`).join(" or "), v);
      return undefined;
    }
    return match;
  }

  /** Keras's padding, with its own diagnostics for 'causal' outside Conv1D. */
  padding(allowCausal: boolean): "valid" | "same" | "causal" | undefined {
    const v = this.raw("padding");
    if (v === undefined) return undefined;
    const lower = typeof v === "string" ? v.toLowerCase() : undefined;
    if (lower === "valid" || lower === "same") return lower;
    if (lower === "causal") {
      if (allowCausal) return lower;
      this.problems.push({ id: "causalPadding", argument: "padding", values: { layer: this.layer } });
      return undefined;
    }
    this.problems.push({
      id: "invalidPadding",
      argument: "padding",
      values: { allowed: allowCausal ? "'valid', 'same' or 'causal'" : "'valid' or 'same'", value: pyRepr(v) },
    });
    return undefined;
  }

  /** data_format; None means Keras's configured default, channels_last unless the user changed keras.json. */
  dataFormat(name = "data_format"): DataFormat | undefined {
    const v = this.raw(name);
    if (v === undefined) return undefined;
    if (v === null) return "channels_last";
    const lower = typeof v === "string" ? v.toLowerCase() : undefined;
    if (lower === "channels_last" || lower === "channels_first") return lower;
    this.problems.push({ id: "invalidDataFormat", argument: name, values: { value: pyRepr(v) } });
    return undefined;
  }

  bool(name: string): boolean | undefined {
    const v = this.raw(name);
    if (v === undefined) return undefined;
    if (typeof v === "boolean") return v;
    return this.invalid(name, "True or False", v);
  }

  /** A float (ints accepted), optionally within [min, max]. */
  float(name: string, min = -Infinity, max = Infinity): number | undefined {
    const v = this.raw(name);
    if (v === undefined) return undefined;
    const n = numeric(v);
    if (n === undefined || Number.isNaN(n) || n < min || n > max) {
      const range =
        Number.isFinite(min) && Number.isFinite(max)
          ? `a number in [${min}, ${max}]`
          : Number.isFinite(min)
            ? `a number ≥ ${min}`
            : Number.isFinite(max)
              ? `a number ≤ ${max}`
              : "a number";
      return this.invalid(name, range, v);
    }
    return n;
  }

  /** An axis index (negative counts from the end), or a list of them. */
  axes(name: string): number[] | undefined {
    const v = this.raw(name);
    if (v === undefined) return undefined;
    if (isInt(v)) return [v];
    if (isSequence(v) && items(v).every(isInt)) return items(v) as number[];
    return this.invalid(name, "an integer axis or a list of them", v);
  }
}

/**
 * False only for a value that is certainly not callable in Python (a number, a string, a list or tuple,
 * a dict, a tensor); true for functions, classes, layers and models, and for instances of the file's
 * classes, which may define `__call__`. For Keras arguments that accept a callable (TextVectorization's
 * `standardize` and `split`): only a value that cannot be one is an error.
 */
export function mayBeCallable(value: PyValue): boolean {
  if (isLayerValue(value)) return true;
  return isRef(value) && value.ref !== "dict" && value.ref !== "tensor";
}
