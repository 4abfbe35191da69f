/**
 * Static evaluation of the constant expressions users write in layer arguments:
 * literals, tuples and lists, names bound to constants, arithmetic, indexing.
 * Never runs anything; whatever it cannot evaluate becomes `Unresolved` with the
 * reason. Integers beyond 2^53 are refused rather than rounded.
 */
import { SyntaxNode } from "@lezer/common";
import { ArgIR } from "../engine/ir";
import { ELLIPSIS, PyValue, RefValue, isFloat, isLayerValue, isInt, isRef, isSequence, isUnresolved, items, numeric, pyFloat, pyRepr, unresolved } from "../engine/values";
import { detached } from "./detached";
import { classifyKerasPath } from "./libraries";
import { Scope } from "./scope";

/**
 * What the plain constant evaluator leaves to the front end's interpreter: calls
 * (layers, helpers, models), attributes (`self.conv`), dicts and comprehensions.
 * Without a host, those are not constants.
 */
export interface EvaluationHost {
  call(node: SyntaxNode, scope: Scope, depth: number): PyValue;
  attribute(node: SyntaxNode, scope: Scope, depth: number): PyValue;
  /** A name bound to an import path that is not a library's (a module of the project), read as a value. */
  imported?(path: string, node: SyntaxNode): PyValue | undefined;
  dictionary(node: SyntaxNode, scope: Scope, depth: number): PyValue;
  comprehension(node: SyntaxNode, scope: Scope, depth: number): PyValue;
  /** `value[index]` for the host's own objects (a dict's entry, a call's second output). */
  item(target: PyValue, index: PyValue): PyValue | undefined;
  /** `a + b` where an operand is one of the host's objects (tensor arithmetic). */
  operator(op: string, a: PyValue, b: PyValue, node: SyntaxNode): PyValue;
  /** `x[:, 0]` on a tensor, with the subscript's key (see `subscriptKey`). */
  tensorItem(node: SyntaxNode, tensor: RefValue, key: PyValue): PyValue;
  /** `lambda t: t / 255.0`: a function value. */
  lambda(node: SyntaxNode, scope: Scope): PyValue;
  /** The keyword arguments `**value` passes, when value is a dict of known keys. */
  keywords(value: PyValue): [string, PyValue][] | undefined;
}

/** Deeper expressions than this are not evaluated (keeps pathological input bounded). */
const MAX_DEPTH = 100;
/** Longer sequences than this are not built (`x = x + x` repeated must not exhaust memory). */
const MAX_LENGTH = 10_000;
/** Longer tuples and lists are not evaluated: no shape has that many dimensions. */
const MAX_ELEMENTS = 10_000;

/** The text of a node (see `detached`: the analysis keeps some of them). */
export function nodeText(text: string, node: SyntaxNode): string {
  return detached(text.slice(node.from, node.to));
}

/** The expression children of a node, skipping punctuation, comments and error nodes. */
export function expressionChildren(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) {
    if (child.type.isError || child.name === "Comment" || /^[()[\]{},:]$/.test(child.name)) continue;
    out.push(child);
  }
  return out;
}

function parseNumber(raw: string): PyValue {
  const literal = raw.replace(/_/g, "").toLowerCase();
  if (/j$/.test(literal)) return unresolved("complex numbers are not dimensions");
  if (/^0[xob]/.test(literal)) {
    const base = literal[1] === "x" ? 16n : literal[1] === "o" ? 8n : 2n;
    let n = 0n;
    for (const ch of literal.slice(2)) n = n * base + BigInt(parseInt(ch, Number(base)));
    return n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : unresolved(`${raw} is too large to follow exactly`);
  }
  if (/^\d+$/.test(literal)) {
    const n = BigInt(literal);
    return n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : unresolved(`${raw} is too large to follow exactly`);
  }
  return pyFloat(parseFloat(literal));
}

function parseString(raw: string): PyValue {
  const match = /^([a-zA-Z]*)('''|"""|'|")([\s\S]*)\2$/.exec(raw);
  if (!match) return unresolved("an unterminated string");
  const prefix = match[1].toLowerCase();
  if (prefix.includes("f")) return unresolved("an f-string");
  if (prefix.includes("b")) return unresolved("a bytes literal");
  return prefix.includes("r") ? match[3] : match[3].replace(/\\(['"\\])/g, "$1");
}

function intResult(n: number): PyValue {
  return Number.isSafeInteger(n) ? n : unresolved("the result is too large to follow exactly");
}

/** Python arithmetic on constants: `+ - * / // % **`, sequence concatenation and repetition. */
export function arithmetic(op: string, a: PyValue, b: PyValue): PyValue {
  if (isUnresolved(a)) return a;
  if (isUnresolved(b)) return b;
  if (op === "+" && isSequence(a) && isSequence(b)) {
    if (items(a).length + items(b).length > MAX_LENGTH) return unresolved("a very long sequence");
    const joined = [...items(a), ...items(b)];
    return Array.isArray(a) ? joined : { tuple: joined };
  }
  if (op === "*" && isSequence(a) && isInt(b)) {
    if (items(a).length * b > MAX_LENGTH) return unresolved("a very long repeated sequence");
    const repeated = Array.from({ length: Math.max(0, b) }, () => items(a)).flat();
    return Array.isArray(a) ? repeated : { tuple: repeated };
  }
  if (op === "+" && typeof a === "string" && typeof b === "string") {
    return a.length + b.length > MAX_LENGTH * 100 ? unresolved("a very long string") : a + b;
  }
  const x = asNumber(a);
  const y = asNumber(b);
  if (x === undefined || y === undefined) return unresolved(`'${op}' on values that are not numbers`);
  // Python's types: int with int stays int, except for `/` and a negative power; a float makes a float.
  const ints = !isFloat(a) && !isFloat(b);
  const result = (n: number) => (ints ? intResult(n) : floatResult(n));
  switch (op) {
    case "+":
      return result(x + y);
    case "-":
      return result(x - y);
    case "*":
      return result(x * y);
    case "/":
      return y === 0 ? unresolved("division by zero") : floatResult(x / y);
    case "//":
      return y === 0 ? unresolved("division by zero") : result(Math.floor(x / y));
    case "%":
      return y === 0 ? unresolved("division by zero") : result(x - y * Math.floor(x / y));
    case "**":
      if (x === 0 && y < 0) return unresolved("division by zero");
      return ints && y < 0 ? floatResult(x ** y) : result(x ** y);
    default:
      return unresolved(`the operator '${op}'`);
  }
}

/** An int's, a float's or a bool's value (Python's `True + 1` is 2); undefined for anything else. */
function asNumber(v: PyValue): number | undefined {
  return typeof v === "boolean" ? Number(v) : numeric(v);
}

/** A float result; NaN from numbers that are not NaN is Python's complex result (`(-8) ** 0.5`), which no dimension is. */
function floatResult(n: number): PyValue {
  return Number.isNaN(n) ? unresolved("a complex number") : pyFloat(n);
}

function subscript(target: PyValue, index: PyValue, host?: EvaluationHost): PyValue {
  if (isUnresolved(target)) return target;
  if (isUnresolved(index)) return index;
  const own = host?.item(target, index);
  if (own !== undefined) return own;
  if (!isSequence(target) || !isInt(index)) return unresolved("an index that is not a constant position");
  const list = items(target);
  const i = index < 0 ? list.length + index : index;
  return i >= 0 && i < list.length ? list[i] : unresolved("an index out of range");
}

/** The `start:stop:step` of a subscript, each undefined when left out; an Unresolved when not constant. */
function sliceBounds(open: SyntaxNode, recurse: (n: SyntaxNode) => PyValue): (PyValue | undefined)[] {
  const bounds: (PyValue | undefined)[] = [undefined];
  for (let c = open.nextSibling; c && c.name !== "]"; c = c.nextSibling) {
    if (c.name === ":") bounds.push(undefined);
    else if (c.name !== "Comment") bounds[bounds.length - 1] = recurse(c);
  }
  return bounds;
}

/**
 * A subscript's key as a tensor index takes it: one entry, or a tuple of them when there are commas; each an
 * int, a `PySlice` (`::2`), `None`, `...` (`ELLIPSIS`), or whatever else the expression is.
 */
function subscriptKey(open: SyntaxNode, recurse: (n: SyntaxNode) => PyValue): PyValue {
  const groups: SyntaxNode[][] = [[]];
  let commas = 0;
  for (let c = open.nextSibling; c && c.name !== "]"; c = c.nextSibling) {
    if (c.name === ",") {
      groups.push([]);
      commas++;
    } else if (c.name !== "Comment") groups[groups.length - 1].push(c);
  }
  if (!groups[groups.length - 1].length && commas) groups.pop();
  const entry = (group: SyntaxNode[]): PyValue => {
    if (!group.some((n) => n.name === ":")) return group.length === 1 && group[0].name === "Ellipsis" ? ELLIPSIS : group.length === 1 ? recurse(group[0]) : unresolved("an index Layer Lens cannot read");
    const bounds: PyValue[] = [null];
    for (const n of group) {
      if (n.name === ":") bounds.push(null);
      else bounds[bounds.length - 1] = recurse(n);
    }
    return bounds.length > 3 ? unresolved("a slice with more than two colons") : { slice: [bounds[0], bounds[1] ?? null, bounds[2] ?? null] };
  };
  const entries = groups.map(entry);
  return commas ? { tuple: entries } : entries[0];
}

/** Python's `sequence[start:stop:step]` on a constant sequence. */
export function sliced(target: PyValue, bounds: readonly (PyValue | undefined)[]): PyValue {
  if (isUnresolved(target)) return target;
  const bad = bounds.find((b) => b !== undefined && b !== null && !isInt(b));
  if (bounds.length > 3 || bad !== undefined) return isUnresolved(bad) ? bad : unresolved("a slice that is not constant");
  if (!isSequence(target)) return unresolved("a slice of a value that is not a constant sequence");
  const list = items(target);
  const [start, stop, step] = bounds.map((b) => (b === null ? undefined : (b as number | undefined)));
  const by = step ?? 1;
  if (by === 0) return unresolved("a slice with step 0");
  const clamp = (i: number | undefined, fallback: number, low: number, high: number) =>
    i === undefined ? fallback : Math.min(high, Math.max(low, i < 0 ? list.length + i : i));
  const picked: PyValue[] = [];
  if (by > 0) for (let i = clamp(start, 0, 0, list.length), end = clamp(stop, list.length, 0, list.length); i < end; i += by) picked.push(list[i]);
  else for (let i = clamp(start, list.length - 1, -1, list.length - 1), end = clamp(stop, -1, -1, list.length - 1); i > end; i += by) picked.push(list[i]);
  return Array.isArray(target) ? picked : { tuple: picked };
}

/** The dotted import path an expression names, e.g. `tf.keras.layers.Conv2D` → `tensorflow.keras.layers.Conv2D`. */
export function importPathOf(node: SyntaxNode, text: string, scope: Scope): string | undefined {
  if (node.name === "VariableName") return scope.importPath(nodeText(text, node));
  if (node.name === "MemberExpression") {
    const object = node.firstChild;
    const property = node.getChild("PropertyName");
    if (!object || !property) return undefined;
    const base = importPathOf(object, text, scope);
    return base === undefined ? undefined : `${base}.${nodeText(text, property)}`;
  }
  return undefined;
}

/**
 * The arguments of a call, positional and keyword, evaluated; undefined when it
 * uses `*args` / `**kwargs`, whose contents cannot be known.
 */
export function callArguments(argList: SyntaxNode, text: string, scope: Scope, depth = 0, host?: EvaluationHost): ArgIR[] | undefined {
  const args: ArgIR[] = [];
  const parts = expressionChildren(argList);
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (part.name === "**" && host && parts[i + 1]) {
      // `**config` with a dict of constants: its entries are keyword arguments.
      const spread = host.keywords(evaluate(parts[i + 1], text, scope, depth + 1, host));
      if (!spread) return undefined;
      for (const [name, value] of spread) args.push({ name, value, span: { start: part.from, end: parts[i + 1].to } });
      i += 1;
    } else if (part.name === "*" && host && parts[i + 1]) {
      // `nn.Sequential(*layers)` with a list Layer Lens follows: its items are positional arguments.
      const spread = evaluate(parts[i + 1], text, scope, depth + 1, host);
      if (!isSequence(spread)) return undefined;
      for (const value of items(spread)) args.push({ value, span: { start: part.from, end: parts[i + 1].to } });
      i += 1;
    } else if (part.name === "*" || part.name === "**") return undefined;
    else if (part.name === "VariableName" && parts[i + 1]?.name === "AssignOp" && parts[i + 2]) {
      // `units=64` is a keyword; `n := 64` is a positional argument.
      const value = parts[i + 2];
      const keyword = nodeText(text, parts[i + 1]) === "=";
      args.push({ ...(keyword ? { name: nodeText(text, part) } : {}), value: evaluate(value, text, scope, depth + 1, host), span: { start: part.from, end: value.to } });
      i += 2;
    } else args.push({ value: evaluate(part, text, scope, depth + 1, host), span: { start: part.from, end: part.to } });
  }
  return args;
}

/** Python's truth value of a constant; undefined when it cannot be known. */
export function truthy(v: PyValue): boolean | undefined {
  if (v === null) return false;
  if (typeof v === "boolean") return v;
  if (typeof v === "number") return v !== 0;
  if (isFloat(v)) return v.float !== 0;
  if (typeof v === "string") return v.length > 0;
  if (isSequence(v)) return items(v).length > 0;
  // Objects are true unless their class says otherwise; functions and classes never do (`if activation:`).
  return isRef(v, "tensor") || isRef(v, "layer") || isRef(v, "model") || isRef(v, "function") || isRef(v, "class") || isLayerValue(v) ? true : undefined;
}

function equal(a: PyValue, b: PyValue): boolean | undefined {
  const scalar = (v: PyValue) => v === null || typeof v !== "object" || isFloat(v);
  if (scalar(a) && scalar(b)) return (asNumber(a) ?? a) === (asNumber(b) ?? b);
  if (isSequence(a) && isSequence(b)) {
    const [x, y] = [items(a), items(b)];
    if (x.length !== y.length || Array.isArray(a) !== Array.isArray(b)) return false;
    const each = x.map((item, i) => equal(item, y[i]));
    return each.includes(false) ? false : each.includes(undefined) ? undefined : true;
  }
  return undefined;
}

/** `a < b`, `a == b`, `a is None`, `a in b` on constants. */
function compare(op: string, a: PyValue, b: PyValue): PyValue {
  if (isUnresolved(a)) return a;
  if (isUnresolved(b)) return b;
  const comparison = op.replace(/\s+/g, " ");
  if (comparison === "is" || comparison === "is not") {
    if (a !== null && b !== null) return unresolved("an identity comparison");
    return (a === b) === (comparison === "is");
  }
  if (comparison === "==" || comparison === "!=") {
    const e = equal(a, b);
    return e === undefined ? unresolved("a comparison of objects") : e === (comparison === "==");
  }
  if (comparison === "in" || comparison === "not in") {
    if (!isSequence(b)) return unresolved("a membership test");
    const found = items(b).map((item) => equal(a, item));
    if (found.includes(true)) return comparison === "in";
    return found.includes(undefined) ? unresolved("a membership test") : comparison !== "in";
  }
  const [x, y] = [asNumber(a) ?? a, asNumber(b) ?? b];
  if (!((typeof x === "number" && typeof y === "number") || (typeof x === "string" && typeof y === "string"))) {
    return unresolved(`'${op}' on values that are not numbers`);
  }
  switch (comparison) {
    case "<":
      return x < y;
    case "<=":
      return x <= y;
    case ">":
      return x > y;
    case ">=":
      return x >= y;
    default:
      return unresolved(`the comparison '${op}'`);
  }
}

/** The text of an f-string whose replacements are constants (`f"block{i}_conv"`). */
function formatString(node: SyntaxNode, text: string, scope: Scope, depth: number, host?: EvaluationHost): PyValue {
  const match = /^([a-zA-Z]*)('''|"""|'|")/.exec(nodeText(text, node));
  if (!match || /b/i.test(match[1])) return unresolved("an f-string");
  const close = node.to - match[2].length;
  const literal = (from: number, to: number) => detached(text.slice(from, to)).replace(/\{\{/g, "{").replace(/\}\}/g, "}");
  let out = "";
  let at = node.from + match[0].length;
  for (let part = node.firstChild; part; part = part.nextSibling) {
    if (part.name !== "FormatReplacement") continue;
    out += literal(at, part.from);
    at = part.to;
    const inner = expressionChildren(part).filter((c) => c.name !== "FormatSpec" && c.name !== "FormatConversion");
    if (inner.length !== 1 || inner.length !== expressionChildren(part).length) return unresolved("an f-string with a format specification");
    const value = evaluate(inner[0], text, scope, depth + 1, host);
    if (isUnresolved(value)) return value;
    if (typeof value === "string") out += value;
    else if (isInt(value) || isFloat(value)) out += pyRepr(value);
    else return unresolved("an f-string with a value that is not a string or a number");
  }
  return out + literal(at, Math.max(at, close));
}

export function evaluate(node: SyntaxNode, text: string, scope: Scope, depth = 0, host?: EvaluationHost): PyValue {
  if (depth > MAX_DEPTH) return unresolved("an expression nested too deeply");
  const recurse = (n: SyntaxNode) => evaluate(n, text, scope, depth + 1, host);
  switch (node.name) {
    case "Number":
      return parseNumber(nodeText(text, node));
    case "String":
      return parseString(nodeText(text, node));
    case "ContinuedString": {
      const parts = expressionChildren(node).map(recurse);
      return parts.reduce((acc, part) => arithmetic("+", acc, part));
    }
    case "FormatString":
      return formatString(node, text, scope, depth, host);
    case "Boolean":
      return nodeText(text, node) === "True";
    case "None":
      return null;
    case "VariableName": {
      const name = nodeText(text, node);
      const value = scope.value(name);
      const path = host?.imported && isUnresolved(value) ? scope.importPath(name) : undefined;
      const found = path !== undefined ? host!.imported!(path, node) : undefined;
      return found !== undefined ? found : value;
    }
    case "ParenthesizedExpression": {
      const inner = expressionChildren(node);
      return inner.length === 1 ? recurse(inner[0]) : unresolved("an unsupported expression");
    }
    case "TupleExpression":
    case "ArrayExpression": {
      const elements = expressionChildren(node);
      if (elements.length > MAX_ELEMENTS) return unresolved("a sequence too long to follow");
      const values = elements.map(recurse);
      return node.name === "TupleExpression" ? { tuple: values } : values;
    }
    case "UnaryExpression": {
      const [op, operand] = [node.firstChild, node.lastChild];
      if (!op || !operand || op === operand) return unresolved("an incomplete expression");
      const value = recurse(operand);
      const sign = nodeText(text, op);
      if (isUnresolved(value)) return value;
      if (sign === "not") {
        const truth = truthy(value);
        return truth === undefined ? unresolved("a boolean expression") : !truth;
      }
      const n = asNumber(value);
      if (n === undefined) return unresolved(`'${sign}' on a value that is not a number`);
      if (sign === "+") return isFloat(value) ? value : n;
      return sign === "-" ? (isFloat(value) ? pyFloat(-n) : intResult(-n)) : unresolved(`the operator '${sign}'`);
    }
    case "ConditionalExpression": {
      // `a if condition else b`: only the branch taken is evaluated, as in Python.
      const [then, , condition, , otherwise] = expressionChildren(node);
      if (!then || !condition || !otherwise) return unresolved("an incomplete expression");
      const test = recurse(condition);
      const truth = isUnresolved(test) ? undefined : truthy(test);
      if (truth === undefined) return isUnresolved(test) ? test : unresolved("a condition that is not constant");
      return recurse(truth ? then : otherwise);
    }
    case "BinaryExpression": {
      const parts: SyntaxNode[] = [];
      for (let c = node.firstChild; c; c = c.nextSibling) if (c.name !== "Comment") parts.push(c);
      const [left, op, right] = [parts[0], parts[1], parts[parts.length - 1]];
      if (!left || !op || !right || op === right) return unresolved("an incomplete expression");
      if (op.name === "CompareOp" || op.name === "in" || op.name === "is" || op.name === "not") {
        return compare(text.slice(op.from, right.from).trim(), recurse(left), recurse(right));
      }
      if (op.name === "and" || op.name === "or") {
        // Python's short circuit: `a and b` is a when a is false, else b.
        const first = recurse(left);
        const truth = truthy(first);
        if (truth === undefined) return isUnresolved(first) ? first : unresolved("a boolean expression");
        return truth === (op.name === "and") ? recurse(right) : first;
      }
      if (op.name !== "ArithOp") return unresolved("an expression that is not arithmetic");
      const [a, b] = [recurse(left), recurse(right)];
      if (host && (isRef(a) || isRef(b))) return host.operator(nodeText(text, op), a, b, node);
      return arithmetic(nodeText(text, op), a, b);
    }
    case "MemberExpression": {
      const open = node.getChild("[");
      const target = node.firstChild;
      const index = open?.nextSibling;
      if (!open && host) return host.attribute(node, scope, depth);
      if (!open || !target || !index || index.name === "]") return unresolved("an attribute, not a constant");
      const object = recurse(target);
      if (host && isRef(object, "tensor")) return host.tensorItem(node, object, subscriptKey(open, recurse));
      if (index.nextSibling?.name !== "]" || index.name === ":") {
        const bounds = sliceBounds(open, recurse);
        // The host's own objects slice themselves (`self.features[:3]`, a Sequential of the first three modules).
        const constant = bounds.length <= 3 && bounds.every((b) => b === undefined || b === null || isInt(b));
        const own = constant ? host?.item(object, { slice: [bounds[0] ?? null, bounds[1] ?? null, bounds[2] ?? null] }) : undefined;
        return own ?? sliced(object, bounds);
      }
      return subscript(object, recurse(index), host);
    }
    case "DictionaryExpression":
      return host ? host.dictionary(node, scope, depth) : unresolved("a dict");
    case "LambdaExpression":
      return host ? host.lambda(node, scope) : unresolved("a lambda");
    case "ArrayComprehensionExpression":
      return host ? host.comprehension(node, scope, depth) : unresolved("a list comprehension");
    case "CallExpression": {
      if (host) return host.call(node, scope, depth);
      // A Keras layer built inside an argument (`Bidirectional(LSTM(64))`) is a value the engine can follow.
      const callee = node.firstChild;
      const path = callee ? importPathOf(callee, text, scope) : undefined;
      const keras = path === undefined ? undefined : classifyKerasPath(path);
      const argList = node.getChild("ArgList");
      if (keras?.kind !== "layer" || !argList) return unresolved(`\`${nodeText(text, node).slice(0, 40)}\` is a call, not a constant expression`);
      const args = callArguments(argList, text, scope, depth);
      return args ? { layer: { kind: keras.name, args } } : unresolved(`${keras.name}(…) uses * or ** arguments`);
    }
    default:
      return unresolved(`\`${nodeText(text, node).slice(0, 40)}\` is not a constant expression`);
  }
}
