/**
 * Lists and dicts changed in place and read through their methods: `sizes.append(8)`,
 * `cfg.update(units=4)`, `cfg.get("units", 32)`, `d["k"] = v`, `del sizes[0]`. A list is a
 * value here, so a change gives the new list to every holder of it; a dict is followed by
 * identity and changes itself. Where a change may not run, what it changes becomes unknown.
 */
import { SyntaxNode } from "@lezer/common";
import { ArgIR } from "../engine/ir";
import { PyValue, RefValue, isInt, isRef, isSequence, items, unresolved } from "../engine/values";
import { Scope } from "./scope";
import { MUTATING_METHODS } from "./statements";
import { Context, InterpreterState} from "./interpreterState";
import { LIMITS } from "./limits";
import { shorten } from "./syntax";
import { READING_METHODS, listMethod } from "./builtins";

export abstract class Containers extends InterpreterState {
  /** `d["key"] = value` on a dict the front end follows, `sizes[0] = value` on a list. */
  protected setItem(target: SyntaxNode, value: PyValue, ctx: Context): void {
    this.changeItem(target, ctx, (list, i) => list.map((v, j) => (j === i ? value : v)), (dict, key) => dict.set(key, value));
  }

  /** `del d["key"]`, `del sizes[0]`. */
  protected deleteItem(target: SyntaxNode, ctx: Context): void {
    this.changeItem(target, ctx, (list, i) => list.filter((_, j) => j !== i), (dict, key) => dict.delete(key));
  }

  /**
   * An item of a list or a dict assigned or deleted: a list gets its new value in every holder (see
   * `replaceList`); a dict changes itself, or the item becomes unknown where the change may not run.
   */
  protected changeItem(
    target: SyntaxNode,
    ctx: Context,
    inList: (list: readonly PyValue[], index: number) => PyValue[],
    inDict: (dict: Map<string, PyValue>, key: string) => void,
  ): void {
    const object = target.firstChild!;
    const index = target.getChild("[")?.nextSibling;
    if (!index || target.getChild("PropertyName")) return;
    const holder = this.eval(object, ctx.scope);
    const key = target.getChild(":") ? unresolved("a slice") : this.eval(index, ctx.scope);
    const why = `\`${shorten(this.t(target))}\` is not an item Layer Lens follows`;
    if (Array.isArray(holder)) {
      const i = isInt(key) ? (key < 0 ? holder.length + key : key) : -1;
      this.replaceList(object, ctx.scope, holder, i >= 0 && i < holder.length ? inList(holder, i) : unresolved(why));
    } else if (isRef(holder, "dict")) {
      const dict = this.dicts[holder.id];
      if (typeof key !== "string") {
        for (const name of dict.keys()) dict.set(name, unresolved(why));
        this.opaqueDicts.add(holder.id);
      } else if (this.uncertain > this.dictsMadeAt[holder.id]) dict.set(key, unresolved(`'${this.t(target)}' is changed in a conditional block`));
      else inDict(dict, key);
    }
  }

  /** `dict(base, units=8)`: the items of a dict followed by identity, then the keywords. */
  /** `dict(...)` (and `OrderedDict(...)`): from a dict, or a sequence of (key, value) pairs, and keywords. */
  protected dictCall(args: readonly ArgIR[]): PyValue {
    const positional = args.filter((a) => a.name === undefined);
    const copied = positional.length === 0 ? [] : positional.length === 1 ? (this.keywords(positional[0].value) ?? pairs(positional[0].value)) : undefined;
    if (!copied) return unresolved("dict() of a value Layer Lens does not follow");
    return this.newDict([...copied, ...args.filter((a) => a.name !== undefined).map((a): [string, PyValue] => [a.name!, a.value])]);
  }

  /**
   * A method of a list or a dict: `cfg.get("units", 32)`, `cfg.copy()`, `cfg.items()`, `sizes.copy()`, or one
   * that changes it in place, `sizes.append(8)`, `cfg.update(units=4)`. A list is a value here, so the name,
   * attribute or item holding it gets the new list; a dict is followed by identity and changes itself. Where
   * the call may not run, what it changes becomes unknown. Undefined: not such a call.
   */
  protected containerMethod(node: SyntaxNode, receiver: SyntaxNode, method: string, owner: PyValue, scope: Scope, depth: number): PyValue | undefined {
    if (!(MUTATING_METHODS.has(method) || READING_METHODS.has(method))) return undefined;
    if (!Array.isArray(owner) && !isRef(owner, "dict")) return undefined;
    const args = this.args(node.getChild("ArgList")!, scope, depth);
    const positional = args?.every((a) => a.name === undefined) ? args.map((a) => a.value) : undefined;
    if (READING_METHODS.has(method)) return positional ? this.readingMethod(owner, method, positional) : unresolved(`\`${shorten(this.t(node))}\` with keywords`);
    const why = `\`${shorten(this.t(node))}\` changes it in a way Layer Lens does not follow`;
    if (Array.isArray(owner)) {
      const change = positional ? listMethod(owner, method, positional) : undefined;
      this.replaceList(receiver, scope, owner, change?.list ?? unresolved(why));
      return change ? change.result : unresolved(why);
    }
    return this.dictMethod(owner.id, method, args, why);
  }

  /**
   * The new value of a list changed in place, given to everything that holds it: Python changes the one list
   * that the name, a helper's parameter it was passed as (`out.append(...)` changes the caller's `blocks`),
   * an attribute or a dict item all refer to. Where the change may not run for a holder, that holder's value
   * becomes unknown.
   */
  protected replaceList(receiver: SyntaxNode, scope: Scope, old: PyValue[], changed: PyValue): void {
    const why = `'${shorten(this.t(receiver))}' is changed where Layer Lens cannot tell whether it runs`;
    const list = Array.isArray(changed) && changed.length > LIMITS.changedList ? unresolved(`a list of more than ${LIMITS.changedList.toLocaleString("en")} items changed in place`) : changed;
    let held = false;
    // A function the file never calls leaves the module's names as they are (see `finish`).
    const scopes = new Set(this.finishing ? scope.chain(true) : [scope, ...this.invocations].flatMap((s) => [...s.chain()]));
    for (const holder of scopes) {
      for (const name of holder.namesHolding(old)) {
        holder.bindValue(name, this.uncertain > holder.depth ? unresolved(why) : list);
        held = true;
      }
    }
    for (const fn of this.finishing ? [] : this.functions) {
      for (const param of fn.params) {
        if (param.default !== old) continue;
        param.default = this.uncertain > fn.scope.depth ? unresolved(why) : list;
        held = true;
      }
    }
    // Attributes and dict items: their object's `madeAt` says whether the change surely reaches them.
    const replaceIn = (entries: Map<string, PyValue>, madeAt: number) => {
      for (const [key, value] of entries) {
        if (value !== old) continue;
        entries.set(key, this.surely(madeAt, this.t(receiver), list));
        held = true;
      }
    };
    for (const instance of this.instances) replaceIn(instance.attributes, instance.madeAt);
    this.dicts.forEach((dict, id) => replaceIn(dict, this.dictsMadeAt[id]));
    if (held || this.finishing) return;
    // Held somewhere not followed (`rows[0].append(1)`): what the outermost name holds is unknown.
    let root: SyntaxNode | null = receiver;
    while (root && root.name === "MemberExpression") root = root.firstChild;
    if (root?.name !== "VariableName") return;
    for (const holder of scope.chain()) if (holder.binds(this.t(root))) return holder.bindValue(this.t(root), unresolved(why));
  }

  /** `cfg.get(k, default)`, `cfg.copy()`, `cfg.keys()`, `cfg.values()`, `cfg.items()`, `sizes.copy()`. */
  protected readingMethod(owner: PyValue[] | RefValue, method: string, args: readonly PyValue[]): PyValue {
    if (Array.isArray(owner)) return method === "copy" && args.length === 0 ? [...owner] : unresolved(`list.${method}()`);
    const entries = this.keywords(owner);
    if (!entries) return unresolved("the dict was changed in a way Layer Lens does not follow");
    const [key, fallback] = args;
    if (method === "get" && typeof key === "string" && args.length <= 2) {
      const dict = this.dicts[owner.id];
      return dict.has(key) ? dict.get(key)! : (fallback ?? null);
    }
    if (args.length) return unresolved(`dict.${method}() with these arguments`);
    if (method === "copy") return this.newDict(entries);
    if (method === "keys") return entries.map(([k]) => k);
    if (method === "values") return entries.map(([, v]) => v);
    if (method === "items") return entries.map(([k, v]) => ({ tuple: [k, v] }));
    return unresolved(`dict.${method}()`);
  }

  /** `cfg.update(...)`, `cfg.pop(k)`, `cfg.setdefault(k, v)`, `cfg.clear()`, `cfg.popitem()` on a dict followed by identity. */
  protected dictMethod(id: number, method: string, args: readonly ArgIR[] | undefined, why: string): PyValue {
    const dict = this.dicts[id];
    const sure = this.uncertain <= this.dictsMadeAt[id];
    const positional = args?.filter((a) => a.name === undefined).map((a) => a.value) ?? [];
    const set = (key: string, value: PyValue) => dict.set(key, sure ? value : unresolved(why));
    if (method === "update" && args && positional.length <= 1) {
      const source = positional.length ? this.keywords(positional[0]) : [];
      if (source) {
        for (const [key, value] of source) set(key, value);
        for (const a of args) if (a.name !== undefined) set(a.name, a.value);
        return null;
      }
    }
    const key = positional[0];
    if ((method === "pop" || method === "setdefault") && typeof key === "string" && positional.length <= 2 && args?.length === positional.length) {
      const had = dict.get(key);
      if (method === "setdefault") {
        if (had === undefined) set(key, positional[1] ?? null);
        if (had !== undefined) return had;
        return sure ? (positional[1] ?? null) : unresolved(why);
      }
      if (sure) dict.delete(key);
      else set(key, unresolved(why));
      if (had !== undefined) return had;
      return positional.length === 2 ? positional[1] : unresolved(`the dict has no key '${key}'`);
    }
    // Anything else (clear, popitem, update from something not followed): none of its items can be trusted.
    for (const name of dict.keys()) dict.set(name, unresolved(why));
    this.opaqueDicts.add(id);
    return unresolved(why);
  }
}

/** `[("conv", layer), ("relu", act)]`: the entries of a dict made from pairs with string keys; undefined otherwise. */
function pairs(value: PyValue): [string, PyValue][] | undefined {
  if (!isSequence(value)) return undefined;
  const entries: [string, PyValue][] = [];
  for (const pair of items(value)) {
    if (!isSequence(pair) || items(pair).length !== 2 || typeof items(pair)[0] !== "string") return undefined;
    entries.push([items(pair)[0] as string, items(pair)[1]]);
  }
  return entries;
}
