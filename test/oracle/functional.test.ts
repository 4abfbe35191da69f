/**
 * Differential tests of functional models, end to end through the real language server:
 * random graphs (one or two `keras.Input`s, branches, merges, residual connections, layers
 * shared by two calls, several outputs) written as Python, opened over LSP; every call's
 * inlay hint and the model's totals must match what TensorFlow.js builds from the same
 * graph with `tf.input` / `tf.model` (each node's shape, each layer's `countParams()`,
 * `model.countParams()`).
 *
 * The graph's outputs are the tensors nothing consumes, so every layer counts. Merge layers
 * are written as classes or as their functions (`layers.add([a, b])`). Subtract has no tfjs
 * counterpart and is left out. Seeded; ORACLE_RUNS multiplies the number of models.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { memorySize, withThousands } from "../../server/src/engine/format";
import { formatShape } from "../../server/src/engine/shape";
import { LspClient, labelText, tooltipText } from "../lsp/client";
import { buildServerIfStale, checkLabel, checkTooltip } from "./hints";
import { TfConfig, TfNode, buildTfjsFunctional, setupTfjs } from "./tfjs";
import { ELEMENTWISE_MERGES, rng } from "./generators";

const SCALE = Math.max(1, Number(process.env.ORACLE_RUNS ?? 1) || 1);
const MODELS = 60 * SCALE;
const SEED = 11;

type Namespace = "keras" | "tf";

interface Node {
  /** The Python variable holding the tensor. */
  readonly name: string;
  /** Batch excluded, as the generator tracks it to draw only valid graphs; tfjs has the last word. */
  readonly shape: readonly number[];
  readonly tf: TfNode;
  /** The right-hand side, with `L.` for the layers namespace. */
  readonly python: string;
  /** A later call of a shared layer (its hint says `shared` instead of the count). */
  readonly sharedCall?: boolean;
  /** A line to write before this one (a shared layer's creation). */
  readonly before?: string;
}

const zeros = { kernelInitializer: "zeros", biasInitializer: "zeros" };

/** A random valid functional graph; every input is consumed, every node is consumed or an output. */
function makeGraph(seed: number): Node[] {
  const r = rng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const image = r() < 0.35;
  const nodes: Node[] = [];
  const add = (node: Omit<Node, "name">) => nodes.push({ ...node, name: `t${nodes.length}` });
  const ref = (i: number) => nodes[i].name;
  const list = (is: number[]) => `[${is.map(ref).join(", ")}]`;
  const of = (rank: number) => nodes.flatMap((n, i) => (n.shape.length === rank ? [i] : []));

  const dense = (from: number, units: number) => {
    const bias = r() < 0.8;
    const args = [r() < 0.5 ? `${units}` : `units=${units}`, ...(bias ? [] : ["use_bias=False"])];
    add({ shape: [units], python: `L.Dense(${args.join(", ")})(${ref(from)})`, tf: { layer: { name: "dense", config: { units, useBias: bias, ...zeros } }, from: [from], list: false } });
  };
  const conv = (from: number, filters: number) => {
    const k = pick([1, 3]);
    const [h, w] = nodes[from].shape;
    add({
      shape: [h, w, filters],
      python: `L.Conv2D(${filters}, ${k}, padding="same")(${ref(from)})`,
      tf: { layer: { name: "conv2d", config: { filters, kernelSize: k, padding: "same", ...zeros } }, from: [from], list: false },
    });
  };
  const merge = (from: number[]) => {
    const [cls, fn] = pick(ELEMENTWISE_MERGES);
    const python = r() < 0.5 ? `L.${cls}()(${list(from)})` : `L.${fn}(${list(from)})`;
    add({ shape: nodes[from[0]].shape, python, tf: { layer: { name: fn, config: {} }, from, list: true } });
  };
  const concatenate = (from: number[]) => {
    const shape = [...nodes[from[0]].shape];
    shape[shape.length - 1] = from.reduce((a, i) => a + nodes[i].shape[nodes[i].shape.length - 1], 0);
    const python = r() < 0.5 ? `L.Concatenate()(${list(from)})` : `L.concatenate(${list(from)})`;
    add({ shape, python, tf: { layer: { name: "concatenate", config: { axis: -1 } as TfConfig }, from, list: true } });
  };
  /** Indices of nodes of the same shape as `i`, `i` included. */
  const sameShape = (i: number) => nodes.flatMap((n, j) => (n.shape.join() === nodes[i].shape.join() ? [j] : []));

  const inputs = int(1, 2);
  const [h, w] = [int(3, 8), int(3, 8)];
  for (let i = 0; i < inputs; i++) {
    const shape = image ? [h, w, int(1, 3)] : [int(2, 8)];
    add({ shape, python: `INPUT(shape=(${shape.join(", ")}${shape.length === 1 ? "," : ""}))`, tf: { input: shape } });
  }
  for (let i = 0; i < inputs; i++) (image ? conv(i, int(1, 4)) : dense(i, int(2, 6)));

  const steps = int(2, 8);
  for (let s = 0; s < steps; s++) {
    if (image) {
      const maps = of(3).filter((i) => i >= inputs);
      const t = pick(maps);
      const op = pick(["conv", "residual", "merge", "concat", "pool", "head"]);
      if (op === "conv") conv(t, int(1, 6));
      else if (op === "residual") {
        conv(t, nodes[t].shape[2]);
        merge([t, nodes.length - 1]);
      } else if (op === "merge" || op === "concat") {
        const partners = sameShape(t).filter((j) => j >= inputs);
        const spatial = maps.filter((j) => nodes[j].shape[0] === nodes[t].shape[0] && nodes[j].shape[1] === nodes[t].shape[1]);
        if (op === "merge" && partners.length > 1) merge([t, pick(partners.filter((j) => j !== t))]);
        else if (op === "concat" && spatial.length > 1) concatenate([t, pick(spatial.filter((j) => j !== t))]);
        else conv(t, int(1, 6));
      } else if (op === "pool" && nodes[t].shape[0] >= 2 && nodes[t].shape[1] >= 2) {
        const [ph, pw, c] = nodes[t].shape;
        add({ shape: [Math.floor(ph / 2), Math.floor(pw / 2), c], python: `L.MaxPooling2D(2)(${ref(t)})`, tf: { layer: { name: "maxPooling2d", config: { poolSize: 2 } }, from: [t], list: false } });
      } else {
        add({ shape: [nodes[t].shape[2]], python: `L.GlobalAveragePooling2D()(${ref(t)})`, tf: { layer: { name: "globalAveragePooling2d", config: {} }, from: [t], list: false } });
        dense(nodes.length - 1, int(1, 5));
      }
      continue;
    }
    const vectors = of(1).filter((i) => i >= inputs);
    const t = pick(vectors);
    const op = pick(["dense", "residual", "merge", "concat", "dot", "shared"]);
    const partners = sameShape(t).filter((j) => j >= inputs && j !== t);
    if (op === "dense") dense(t, int(1, 8));
    else if (op === "residual") {
      dense(t, nodes[t].shape[0]);
      merge([t, nodes.length - 1]);
    } else if (op === "merge" && partners.length) merge([t, pick(partners), ...(r() < 0.3 ? [pick(partners)] : [])]);
    else if (op === "concat" && vectors.length > 1) concatenate([t, pick(vectors.filter((j) => j !== t)), ...(r() < 0.3 ? [pick(vectors)] : [])]);
    else if (op === "dot" && partners.length) {
      const from = [t, pick(partners)];
      const python = r() < 0.5 ? `L.Dot(axes=1)(${list(from)})` : `L.dot(${list(from)}, axes=1)`;
      add({ shape: [1], python, tf: { layer: { name: "dot", config: { axes: 1 } }, from, list: true } });
    } else if (op === "shared" && partners.length) {
      const units = int(1, 6);
      const layer = `shared${nodes.length}`;
      const first = nodes.length;
      add({ shape: [units], before: `${layer} = L.Dense(${units})`, python: `${layer}(${ref(t)})`, tf: { layer: { name: "dense", config: { units, ...zeros } }, from: [t], list: false } });
      const other = pick(partners);
      add({ shape: [units], python: `${layer}(${ref(other)})`, sharedCall: true, tf: { layer: { name: "dense", config: { units } }, from: [other], list: false, sharedWith: first } });
    } else dense(t, int(1, 8));
  }
  return nodes;
}

interface Program {
  readonly text: string;
  /** 0-based line of each node's assignment. */
  readonly lines: number[];
  readonly modelLine: number;
}

function writeProgram(nodes: readonly Node[], namespace: Namespace): Program {
  const [layersNs, input, model] = namespace === "keras" ? ["layers", "keras.Input", "keras.Model"] : ["tf.keras.layers", "tf.keras.Input", "tf.keras.Model"];
  const lines = namespace === "keras" ? ["import keras", "from keras import layers", ""] : ["import tensorflow as tf", ""];
  const at: number[] = [];
  for (const node of nodes) {
    if (node.before) lines.push(node.before.replace(/\bL\./g, `${layersNs}.`));
    at.push(lines.length);
    lines.push(`${node.name} = ${node.python.replace(/\bL\./g, `${layersNs}.`).replace("INPUT", input)}`);
  }
  const consumed = new Set(nodes.flatMap((n) => ("from" in n.tf ? n.tf.from : [])));
  const ins = nodes.filter((n) => "input" in n.tf).map((n) => n.name);
  const outs = nodes.filter((_, i) => !consumed.has(i)).map((n) => n.name);
  const modelLine = lines.length;
  const arg = (names: string[]) => (names.length === 1 ? names[0] : `[${names.join(", ")}]`);
  lines.push(`model = ${model}(inputs=${arg(ins)}, outputs=${arg(outs)})`, "");
  return { text: lines.join("\n"), lines: at, modelLine };
}

let client: LspClient;

interface Tally {
  models: number;
  hints: number;
  merges: number;
  shared: number;
}

async function checkGraph(nodes: readonly Node[], namespace: Namespace, tally: Tally): Promise<void> {
  const tf = buildTfjsFunctional(nodes.map((n) => n.tf));
  const program = writeProgram(nodes, namespace);
  assert.ok(tf.ok, `tfjs refused the generated graph: ${!tf.ok && tf.error}\n${program.text}`);
  const uri = client.uri("functional_oracle.py");
  await client.open(uri, program.text);
  try {
    const hints = await client.inlayHints(uri);
    for (const [i, line] of program.lines.entries()) {
      const where = `${program.text}\nline ${line + 1} (${nodes[i].name})`;
      const onLine = hints.filter((h) => h.position.line === line);
      assert.equal(onLine.length, 1, `${where}: expected one hint, got ${onLine.map(labelText).join(" | ") || "none"}`);
      const label = labelText(onLine[0]);
      if (nodes[i].sharedCall) {
        const s = formatShape(tf.shapes[i]);
        assert.ok([s, `${s} · shared`].includes(label) || (label.endsWith("…") && `${s} · shared`.startsWith(label.slice(0, -1))), `${where}: hint '${label}', tfjs says '${s}' (shared)`);
        tally.shared++;
      } else {
        checkLabel(label, tf.shapes[i], tf.params[i], where);
        // An Input's hover shows its shape alone; a layer call's shows input → output and the count.
        if (!("input" in nodes[i].tf)) checkTooltip(tooltipText(onLine[0]), tf.shapes[i], tf.params[i], where);
      }
      if ("list" in nodes[i].tf && nodes[i].tf.list) tally.merges++;
      tally.hints++;
    }
    const totals = hints.filter((h) => h.position.line === program.modelLine);
    assert.equal(totals.length, 1, `${program.text}\nexpected one totals hint on the model line, got ${totals.map(labelText).join(" | ") || "none"}`);
    const expected = `Total params: ${withThousands(tf.total)} (${memorySize(tf.total)})`;
    const label = labelText(totals[0]);
    assert.ok(label === expected || (label.endsWith("…") && expected.startsWith(label.slice(0, -1))), `${program.text}\ntotals: hint '${label}', tfjs says '${expected}'`);
    tally.models++;
  } finally {
    await client.close(uri);
  }
}

describe("oracle: random functional models through the language server against tfjs-layers", () => {
  before(async () => {
    buildServerIfStale();
    await setupTfjs();
    client = await LspClient.start();
  });

  after(async () => {
    await client?.stop();
  });

  test(`${MODELS} random functional models: every call's hint and the totals match tf.model`, async (t) => {
    const tally: Tally = { models: 0, hints: 0, merges: 0, shared: 0 };
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.constantFrom<Namespace>("keras", "tf"), async (seed, namespace) => {
        await checkGraph(makeGraph(seed), namespace, tally);
      }),
      { seed: SEED, numRuns: MODELS, includeErrorInReport: true },
    );
    t.diagnostic(`${tally.models} models, ${tally.hints} call hints (${tally.merges} merges, ${tally.shared} shared calls) checked (incl. shrinking)`);
    assert.ok(tally.merges > 0 && tally.shared > 0, "the generator should produce merges and shared layers");
  });
});
