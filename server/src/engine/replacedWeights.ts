/**
 * A PyTorch module's weights as the file changed them after building it: `weight_norm`'s parameters, and weights
 * replaced (`self.decoder.weight = self.encoder.weight`: tied weights, an `nn.Parameter` put in a weight's place,
 * `self.head.bias = None`): a module's own parameters then, a model's totals counting each parameter once as
 * `model.parameters()` does, and a module given a weight of another shape than its arguments make.
 */
import { EngineDiagnostic, LayerAnalysis, ParamTotals, diagnostic } from "./results";
import { GraphModelIR, LayerCallIR, TiedWeight } from "./ir";
import { formatShape } from "./shape";
import { Weight } from "./spec";
import { sumWeights, totalsOf } from "./totals";
import { ModuleParameter } from "./values";

/** What a PyTorch model holds (`GraphModelIR.held`), each module's weights as its spec gives them. */
export interface HeldWeights {
  readonly held: NonNullable<GraphModelIR["held"]>;
  /** A module's weights; undefined, with why, when they cannot be counted. */
  readonly layer: (id: number) => { readonly weights?: readonly Weight[]; readonly uncounted?: string };
  /** The attributes the file set on a module (`LayerCallIR.tied`). */
  readonly tied: (id: number) => readonly TiedWeight[];
  /** An `nn.Parameter`'s weight. */
  readonly variable: (id: number) => readonly Weight[];
}

/**
 * A PyTorch model's totals as `model.parameters()` gives them: every parameter of the modules it holds and every
 * `nn.Parameter`, each once however many modules hold it. A weight the file replaced (`self.head.weight =
 * self.embed.weight`) is the parameter put in its place (counted with its owner), or none (`= None`); a Parameter
 * set under another name is one more. A weight replaced by a value Layer Lens does not follow leaves the total
 * unknown, and, as a parameter may be shared, no lower bound is claimed.
 */
export function heldTotals({ held, layer, tied, variable }: HeldWeights): ParamTotals {
  if (held.unknownBecause) return { unknownBecause: held.unknownBecause };
  // Each parameter once, grouped by its owner so a lower bound still counts whole modules only.
  const owners = new Map<string, Map<string, Weight>>();
  const own = new Map((held.trainableWeights ?? []).map((w) => [`layer ${w.layer}.${w.weight}`, w.trainable]));
  const add = (owner: string, key: string, weight: Weight, frozen = false) => {
    const group = owners.get(owner) ?? owners.set(owner, new Map()).get(owner)!;
    // A parameter frozen through any module that holds it does not train, unless its own flag was set after.
    const trainable = own.get(`${owner}.${key}`) ?? (weight.trainable && !frozen && group.get(key)?.trainable !== false);
    group.set(key, trainable === weight.trainable ? weight : { ...weight, trainable });
  };
  let uncounted: string | undefined;
  const parameter = (p: ModuleParameter, frozen: boolean): string | undefined => {
    const { weights, uncounted: why } = layer(p.layer);
    if (!weights || why) return why;
    const weight = weights.find((w) => w.name === p.weight);
    if (!weight) return `\`${p.weight}\` is not a parameter Layer Lens knows of the module it is read from`;
    add(`layer ${p.layer}`, p.weight, weight, frozen || (held.frozen?.includes(p.layer) ?? false));
    return undefined;
  };
  for (const id of held.layers) {
    const { weights, uncounted: why } = layer(id);
    const frozen = held.frozen?.includes(id) ?? false;
    uncounted ??= why;
    const set = tied(id);
    for (const w of weights ?? []) if (!set.some((t) => t.weight === w.name)) add(`layer ${id}`, w.name, w, frozen);
    for (const { weight, to } of set) {
      if (to === null) continue;
      if ("unknown" in to) {
        if (weights?.some((w) => w.name === weight) ?? true) return { unknownBecause: to.unknown };
      } else if ("variable" in to) for (const w of variable(to.variable)) add(`variable ${to.variable}`, w.name, w, frozen);
      else uncounted ??= parameter(to, frozen);
    }
  }
  for (const id of held.variables) for (const w of variable(id)) add(`variable ${id}`, w.name, w);
  for (const p of held.parameters ?? []) uncounted ??= parameter(p, false);
  return totalsOf([...owners.values()].map((group) => [...group.values()]), uncounted);
}

/** What a replaced weight holds now: another module's weight or an `nn.Parameter`'s, undefined when not known. */
export type Replacement = (to: ModuleParameter | { readonly variable: number }) => Weight | undefined;

/**
 * A module's own parameters once the file replaced some (`module.parameters()`): a replaced weight is the parameter
 * put in its place under its name, of that parameter's size (unknown when Layer Lens cannot follow it), a weight set
 * to None is gone, and a Parameter set under a new name is one more.
 */
export function withTiedWeights(call: LayerCallIR, weights: readonly Weight[], replacement: Replacement): readonly Weight[] {
  if (!call.tied) return weights;
  const replaced = new Map(call.tied.map((t) => [t.weight, t.to]));
  const out: Weight[] = weights.filter((w) => !replaced.has(w.name));
  for (const { weight, to } of call.tied) {
    if (to === null) continue;
    const own = weights.find((w) => w.name === weight);
    if ("unknown" in to) {
      if (own) out.push({ name: weight, trainable: own.trainable });
      continue;
    }
    const given = replacement(to);
    out.push(given ? { ...given, name: weight } : { name: weight, trainable: own?.trainable ?? true });
  }
  return out;
}

/**
 * A weight replaced by a parameter of another known shape. PyTorch assigns it, and the module's forward then computes
 * with that weight or raises (a Linear's product): its output is not what its arguments say, so it is unknown here.
 */
export function tiedShapeMismatch(call: LayerCallIR, weights: readonly Weight[], replacement: Replacement): EngineDiagnostic | undefined {
  for (const { weight, to, span } of call.tied ?? []) {
    const own = weights.find((w) => w.name === weight);
    const given = to && !("unknown" in to) ? replacement(to) : undefined;
    if (!own?.shape || !given?.shape || (own.shape.length === given.shape.length && own.shape.every((d, i) => d === given.shape![i]))) continue;
    const layer = call.kind.replace(/^torch\.nn\./, "");
    return diagnostic("torchTiedWeightShape", { target: weight, layer, given: formatShape(given.shape), own: formatShape(own.shape) }, span);
  }
  return undefined;
}

/**
 * A module under `weight_norm`: its magnitude `weight_g` is a parameter more, one value per slice of the weight along
 * `dim` (PyTorch's `norm_except_dim`; one in all for None); its direction `weight_v` has the weight's shape and takes
 * its place.
 */
export function withWeightNorm(call: LayerCallIR, analysis: LayerAnalysis): LayerAnalysis {
  const norm = call.weightNorm;
  if (!norm) return analysis;
  const weight = analysis.weights.find((w) => w.name === "weight");
  const dim = norm.dim === null ? undefined : norm.dim < 0 && weight?.shape ? norm.dim + weight.shape.length : norm.dim;
  const size = !weight?.shape ? undefined : dim === undefined ? 1 : weight.shape[dim];
  const magnitude: Weight = { name: "weight_g", shape: size === undefined ? undefined : [size], count: size === undefined ? undefined : BigInt(size), trainable: weight?.trainable ?? true };
  const weights = [...analysis.weights, magnitude];
  return { ...analysis, weights, params: sumWeights(weights, () => true) };
}
