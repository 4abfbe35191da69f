/**
 * A backbone's configuration, from the call's arguments bound as Keras binds them, and the program its
 * family's description makes for it: the description is read (parsed and interpreted by this front end) only
 * when a file uses the family, once per configuration, and kept for the next use.
 */
import { ArgIR, GraphModelIR, ProgramIR, Span } from "../../../engine/ir";
import { PyValue, isUnresolved, pyRepr, unresolved, Unresolved } from "../../../engine/values";
import { Architecture } from "./catalog";

/** Keras's own order of the common arguments; architectures that take others first say so in `signature`. */
const COMMON = ["include_top", "weights", "input_tensor", "input_shape", "pooling", "classes", "classifier_activation"];
const DEFAULTS: ReadonlyMap<string, PyValue> = new Map<string, PyValue>([
  ["include_top", true],
  ["weights", "imagenet"],
  ["input_tensor", null],
  ["input_shape", null],
  ["pooling", null],
  ["classes", 1000],
  ["classifier_activation", "softmax"],
]);
/** Arguments the rules or the shapes read: a value Layer Lens cannot know there makes the backbone unknown. */
const DECISIVE = new Set(["include_top", "weights", "pooling", "classes"]);

export interface BoundArguments {
  readonly values: ReadonlyMap<string, PyValue>;
  readonly spans: ReadonlyMap<string, Span>;
}

/** The call's arguments by name, defaults filled in; unknown when one that decides the model is not known. */
export function bindApplicationArguments(arch: Architecture, args: readonly ArgIR[]): BoundArguments | Unresolved {
  const signature = arch.signature ?? [...COMMON, ...(arch.extras ?? []).map((e) => e.name)];
  const values = new Map<string, PyValue>(DEFAULTS);
  for (const extra of arch.extras ?? []) values.set(extra.name, extra.default);
  const spans = new Map<string, Span>();
  let position = 0;
  for (const arg of args) {
    const name = arg.name ?? signature[position++];
    // Keras 3.5+ takes `name=` for the model; it changes nothing Layer Lens shows.
    if (name === "name") continue;
    if (name === undefined || !values.has(name)) return unresolved(`${arch.name}() got an unexpected argument${arg.name ? ` '${arg.name}'` : ""}`);
    values.set(name, arg.value);
    spans.set(name, arg.span);
  }
  for (const name of [...DECISIVE, ...(arch.extras ?? []).map((e) => e.name)]) {
    const value = values.get(name)!;
    if (isUnresolved(value)) return unresolved(`${arch.name}'s ${name} is not known (${value.unresolved})`);
  }
  if (typeof values.get("include_top") !== "boolean") return unresolved(`${arch.name}'s include_top is not True or False`);
  if (typeof values.get("classes") !== "number") return unresolved(`${arch.name}'s classes is not an integer`);
  return { values, spans };
}

export interface BackboneConfiguration {
  readonly architecture: Architecture;
  readonly values: ReadonlyMap<string, PyValue>;
  /** The image it is built on, batch axis left out. */
  readonly inputShape: readonly (number | null)[];
}

/** Python source for a value the shapes may depend on (strings, numbers, None, booleans, tuples). */
function literal(value: PyValue): string {
  return pyRepr(value);
}

/** The call of the family's builder that makes this configuration (also its key in the cache). */
function driver(configuration: BackboneConfiguration): string {
  const { architecture: arch, values } = configuration;
  const activation = values.get("classifier_activation");
  const pooling = values.get("pooling");
  const args = [
    ...(arch.fixed ? [arch.fixed] : []),
    ...(arch.modelName ? [`model_name=${literal(arch.modelName(values, configuration.inputShape))}`] : []),
    `input_shape=${literal({ tuple: [...configuration.inputShape] })}`,
    `include_top=${literal(values.get("include_top")!)}`,
    `weights=${typeof values.get("weights") === "string" ? literal(values.get("weights")!) : "None"}`,
    `pooling=${typeof pooling === "string" ? literal(pooling) : "None"}`,
    `classes=${literal(values.get("classes")!)}`,
    // The activation changes no shape or weight: what Layer Lens cannot read is given as Keras's default.
    `classifier_activation=${typeof activation === "string" || activation === null ? literal(activation) : "'softmax'"}`,
    ...(arch.extras ?? []).map((e) => `${e.name}=${literal(values.get(e.name)!)}`),
  ];
  return `\n__backbone__ = ${arch.family.builder}(${args.join(", ")})\n`;
}

/** The backbone in its description's program: the first functional model (a Sequential before it is its stem). */
export function backboneModel(program: ProgramIR): GraphModelIR | undefined {
  return program.models.find((m): m is GraphModelIR => m.kind === "functional");
}

/** Programs made for the configurations seen lately, the most recent last. */
const programs = new Map<string, ProgramIR | undefined>();
const KEPT_PROGRAMS = 24;

/**
 * The program the family's description makes for a configuration, read by `read` (the front end's
 * interpreter) on first use; undefined when it makes no functional model.
 */
export function architectureProgram(configuration: BackboneConfiguration, read: (text: string) => ProgramIR): ProgramIR | undefined {
  const call = driver(configuration);
  const key = `${configuration.architecture.family.name}:${call}`;
  if (programs.has(key)) {
    const kept = programs.get(key);
    programs.delete(key);
    programs.set(key, kept);
    return kept;
  }
  const program = read(configuration.architecture.family.source + call);
  const made = backboneModel(program) ? program : undefined;
  programs.set(key, made);
  if (programs.size > KEPT_PROGRAMS) programs.delete(programs.keys().next().value!);
  return made;
}
