/**
 * Differential tests of whole models, end to end through the real language
 * server: random Sequential stacks of 2–20 layers (drawn from the layers both
 * our registry and tfjs-layers have, chained so each is valid for tfjs),
 * written out as Python in varied styles, opened over LSP; every layer's inlay
 * hint (shape with the batch as None, `N params`) and the totals hint must match
 * what tfjs's model reports (`outputShape`, `countParams()`, `model.countParams()`).
 *
 * Seeded; ORACLE_RUNS multiplies the number of models (`npm run test:oracle:long`).
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { findLayer } from "../../server/src/engine/layers/registry";
import { memorySize, withThousands } from "../../server/src/engine/format";
import { Shape } from "../../server/src/engine/shape";
import { PyValue, isSequence } from "../../server/src/engine/values";
import { LspClient, labelText, tooltipText } from "../lsp/client";
import { buildServerIfStale, checkLabel, checkTooltip, py } from "./hints";
import { Case, Kw, generators, rng } from "./generators";
import { TfLayer, TfOutcome, buildTfjs, buildTfjsSequential, keras3Refuses, setupTfjs } from "./tfjs";

const SCALE = Math.max(1, Number(process.env.ORACLE_RUNS ?? 1) || 1);
const MODELS = 100 * SCALE;
const SEED = 7;

// ---------------------------------------------------------------------------
// Random chains

interface Chain {
  readonly input: number[];
  readonly cases: Case[];
}

const WRAPPERS = new Set(["Bidirectional", "TimeDistributed"]);

function available(): typeof generators {
  return generators.filter((g) => findLayer(g.kind));
}

/** Keeps tensors small so weights stay cheap to allocate. */
function small(shape: Shape): boolean {
  let n = 1;
  for (const d of shape.slice(1)) {
    if (typeof d !== "number" || d > 48) return false;
    n *= d;
  }
  return n <= 4096;
}

/**
 * A chain of `length` layers from a random input, each drawn from the generators
 * for the current shape and kept only if tfjs builds it (and, for the layers
 * where tfjs's verdict needs correcting, tfjs's verdict is already Keras 3's).
 */
function makeChain(seed: number, length: number): Chain {
  const random = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  const gens = available();
  const rank = 1 + Math.floor(random() * 4);
  const input = Array.from({ length: rank }, (_, i) => (i === rank - 1 ? 1 + Math.floor(random() * 4) : 4 + Math.floor(random() * 9)));
  let shape: Shape = ["None", ...input];
  const cases: Case[] = [];
  for (let attempt = 0; cases.length < length && attempt < length * 8; attempt++) {
    const dims = shape.slice(1) as number[];
    const fits = gens.filter((g) => g.ranks.includes(dims.length) && (!WRAPPERS.has(g.kind) || wrapperReady(g.kind)));
    if (!fits.length) break;
    const gen = pick(fits);
    const [c] = fc.sample(gen.forInput(dims, "valid"), { seed: Math.floor(random() * 2 ** 31), numRuns: 1 });
    if (c.kind === "Embedding" && cases.length > 0) continue; // its input is token ids: first layer only
    const built = buildTfjs(dims, [c.tf]);
    const adjusted = c.keras3 ? c.keras3(built) : built;
    if (keras3Refuses(adjusted) || !built.ok || adjusted !== built) continue;
    if (!small(built.shapes[0])) continue;
    cases.push(c);
    shape = built.shapes[0];
  }
  return { input, cases };
}

/** A wrapper runs only when the layers it wraps are registered too. */
function wrapperReady(kind: string): boolean {
  return kind === "Bidirectional" ? ["LSTM", "GRU", "SimpleRNN"].every((k) => findLayer(k)) : !!findLayer("Dense");
}

// ---------------------------------------------------------------------------
// Python source

interface Style {
  /** keras: `from keras import layers`; tf: `import tensorflow as tf`; star: `from keras.layers import *`. */
  readonly imports: "keras" | "tf" | "star";
  /** list: `Sequential([...])`; add: `model.add(...)` per layer. */
  readonly form: "list" | "add";
  /** How the input shape is given. */
  readonly input: "Input" | "InputLayer" | "input_shape" | "build";
  /** How many leading arguments are positional: 0 none, 1 as many as possible, else a random count. */
  readonly positional: number;
  /** Hoist integer and tuple arguments into module-level constants. */
  readonly hoist: boolean;
}

const styleArb: fc.Arbitrary<Style> = fc.record({
  imports: fc.constantFrom("keras", "tf", "star"),
  form: fc.constantFrom("list", "add"),
  input: fc.constantFrom("Input", "InputLayer", "input_shape", "build"),
  positional: fc.integer({ min: 0, max: 2 }),
  hoist: fc.boolean(),
});

class Writer {
  readonly constants: string[] = [];
  private n = 0;
  constructor(
    readonly style: Style,
    readonly random: () => number,
  ) {}

  layer(kind: string): string {
    return this.style.imports === "keras" ? `layers.${kind}` : this.style.imports === "tf" ? `tf.keras.layers.${kind}` : kind;
  }
  get sequential(): string {
    return this.style.imports === "keras" ? "keras.Sequential" : this.style.imports === "tf" ? "tf.keras.Sequential" : "Sequential";
  }
  get input(): string {
    return this.style.imports === "keras" ? "keras.Input" : this.style.imports === "tf" ? "tf.keras.Input" : "Input";
  }
  imports(): string[] {
    if (this.style.imports === "keras") return ["import keras", "from keras import layers"];
    if (this.style.imports === "tf") return ["import tensorflow as tf"];
    return ["from keras.layers import *", "from keras.models import Sequential"];
  }

  value(v: PyValue): string {
    const text = py(v);
    if (this.style.hoist && (typeof v === "number" || isSequence(v)) && this.random() < 0.5) {
      const name = `${isSequence(v) ? "SHAPE" : "N"}_${this.n++}`;
      this.constants.push(`${name} = ${text}`);
      return name;
    }
    return text;
  }

  /** `X(args)`, the first arguments positional as the style says (positional order = the spec's `params`). */
  call(kind: string, kw: Kw, extra: string[] = [], inner?: string): string {
    const spec = findLayer(kind)!;
    const keys = Object.keys(kw);
    let lead = 0;
    while (lead < keys.length && spec.params[lead]?.name === keys[lead]) lead++;
    const positional = this.style.positional === 0 ? 0 : this.style.positional === 1 ? lead : Math.floor(this.random() * (lead + 1));
    const args = [
      ...(inner ? [inner] : []),
      ...keys.map((k, i) => (i < positional ? this.value(kw[k]) : `${k}=${this.value(kw[k])}`)),
      ...extra,
    ];
    return `${this.layer(kind)}(${args.join(", ")})`;
  }

  caseCall(c: Case, extra: string[] = []): string {
    const inner = c.inner ? this.call(c.inner.kind, c.inner.kw) : undefined;
    return this.call(c.kind, c.kw, extra, inner);
  }
}

interface Program {
  readonly text: string;
  /** 0-based line of each layer's call, in order. */
  readonly lines: number[];
}

function writeProgram(chain: Chain, style: Style, seed: number): Program {
  const w = new Writer(style, rng(seed ^ 0x5bd1e995));
  const shape = `(${chain.input.join(", ")}${chain.input.length === 1 ? "," : ""})`;
  const inputShape = w.value({ tuple: chain.input });
  const calls = chain.cases.map((c, i) => (i === 0 && style.input === "input_shape" ? w.caseCall(c, [`input_shape=${inputShape}`]) : w.caseCall(c)));
  const first = style.input === "Input" ? `${w.input}(shape=${inputShape})` : style.input === "InputLayer" ? `${w.layer("InputLayer")}(shape=${inputShape})` : undefined;
  const body: string[] = [];
  const layerLines: number[] = [];
  if (style.form === "list") {
    body.push(`model = ${w.sequential}([`);
    if (first) body.push(`    ${first},`);
    for (const c of calls) {
      layerLines.push(body.length);
      body.push(`    ${c},`);
    }
    body.push("])");
  } else {
    body.push(`model = ${w.sequential}()`);
    if (first) body.push(`model.add(${first})`);
    for (const c of calls) {
      layerLines.push(body.length);
      body.push(`model.add(${c})`);
    }
  }
  if (style.input === "build") body.push(`model.build((None, ${shape.slice(1)}`);
  const head = [...w.imports(), "", ...w.constants, ""];
  const text = [...head, ...body, ""].join("\n");
  return { text, lines: layerLines.map((l) => l + head.length) };
}

// ---------------------------------------------------------------------------
// Comparison

let client: LspClient;

interface Tally {
  models: number;
  layers: number;
  kinds: Map<string, number>;
}

async function checkModel(chain: Chain, style: Style, seed: number, tally: Tally): Promise<void> {
  const tf: TfOutcome = buildTfjsSequential(chain.input, chain.cases.map((c) => c.tf as TfLayer));
  assert.ok(tf.ok, `tfjs refused the generated chain: ${!tf.ok && tf.error}`);
  const program = writeProgram(chain, style, seed);
  const uri = client.uri("oracle.py");
  await client.open(uri, program.text);
  try {
    const hints = await client.inlayHints(uri);
    const where = (i: number) => `model ${JSON.stringify(style)}\n${program.text}\nlayer ${i + 1} (${chain.cases[i].kind}, line ${program.lines[i] + 1})`;
    for (const [i, line] of program.lines.entries()) {
      const onLine = hints.filter((h) => h.position.line === line && !labelText(h).startsWith("Total params"));
      assert.equal(onLine.length, 1, `${where(i)}: expected one hint on the line, got ${onLine.map(labelText).join(" | ") || "none"}`);
      checkLabel(labelText(onLine[0]), tf.shapes[i], tf.params[i], where(i));
      checkTooltip(tooltipText(onLine[0]), tf.shapes[i], tf.params[i], where(i));
      tally.kinds.set(chain.cases[i].kind, (tally.kinds.get(chain.cases[i].kind) ?? 0) + 1);
    }
    const totals = hints.filter((h) => labelText(h).startsWith("Total params"));
    assert.equal(totals.length, 1, `model ${JSON.stringify(style)}\n${program.text}: expected one totals hint, got ${totals.length}`);
    const base = `Total params: ${withThousands(tf.total)} (${memorySize(tf.total)})`;
    const label = labelText(totals[0]);
    const expected = tf.nonTrainable ? [`${base} · ${withThousands(tf.nonTrainable)} non-trainable`, base] : [base];
    assert.ok(
      expected.includes(label) || (label.endsWith("…") && expected[0].startsWith(label.slice(0, -1))),
      `${program.text}\ntotals: hint '${label}', tfjs says '${expected[0]}'`,
    );
    tally.models++;
    tally.layers += chain.cases.length;
  } finally {
    await client.close(uri);
  }
}

describe("oracle: random Sequential models through the language server against tfjs-layers", () => {
  before(async () => {
    buildServerIfStale();
    await setupTfjs();
    client = await LspClient.start();
  });

  after(async () => {
    await client?.stop();
  });

  test(`${MODELS} random models: every layer hint and the totals match tfjs`, async (t) => {
    const tally: Tally = { models: 0, layers: 0, kinds: new Map() };
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 2, max: 20 }), styleArb, async (seed, length, style) => {
        const chain = makeChain(seed, length);
        fc.pre(chain.cases.length >= 2);
        await checkModel(chain, style, seed, tally);
      }),
      { seed: SEED, numRuns: MODELS, includeErrorInReport: true },
    );
    t.diagnostic(`${tally.models} models, ${tally.layers} layer hints checked (incl. shrinking)`);
    t.diagnostic(`layers: ${[...tally.kinds].map(([k, n]) => `${k} ${n}`).join(", ")}`);
    assert.ok(tally.models >= MODELS * 0.8);
  });
});
