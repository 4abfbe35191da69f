/**
 * The PyTorch module specs against PyTorch itself: seeded random constructor calls and inputs for every
 * `torch.nn.*` module in the registry (torch_generators*.ts), each built by PyTorch (torch_modules.py, Debian's
 * python3-torch, ONE process for all cases) and run forward on zeros, and the same call bound to the spec and
 * inferred by the engine. They must agree on:
 * - refusal: the engine reports an error exactly when PyTorch raises (building or running);
 * - output shapes: every output, a tuple's items in order (LSTM's output, h_n, c_n as the spec's output and
 *   extraOutputs); an engine `?` is a claim not made, and still a failure here: with every argument a constant
 *   and the input known, a module's shapes can be known;
 * - parameters: the total and the trainable count (`sum(p.numel())`, buffers excluded).
 *
 * Where Debian's torch 1.13 differs from current PyTorch, current PyTorch is followed, in torch_modules.py:
 * - the modules 1.13 lacks are built as current PyTorch defines them: ZeroPad1d/3d and CircularPad1d/2d/3d (2.1),
 *   LPPool3d (2.2), RMSNorm (2.4), and LayerNorm's `bias=False` (2.1);
 * - a convolution with padding_mode='circular' on an unbatched input: 1.13 raises ('Invalid padding size'),
 *   current PyTorch pads it (ATen's _pad_circular takes 1 or 2 leading dimensions);
 * - ConstantPad/ZeroPad whose negative padding leaves an axis of 0: 1.13 raises, current PyTorch returns it
 *   (constant_pad_nd checks new_dim >= 0);
 * - MaxPool1d (without indices) whose output length is 0: 1.13 returns it, current PyTorch raises ("max_pool1d()
 *   Invalid computed output size", aten/src/ATen/native/MaxPooling.cpp);
 * - MaxPool2d, and MaxPool1d with indices, whose padding is more than half the kernel but at most half the dilated
 *   window: 1.13 raises, current PyTorch (≥ 2.3, Pool.h) pools it;
 * - MaxUnpool whose output comes out negative on an axis after an empty one: 1.13 returns that negative size, current
 *   PyTorch raises (Pool.h, max_unpooling2d/3d_shape_check);
 * - RNN's 4th positional argument is `nonlinearity` in 2.x and `bias` in 1.13: the generators write keywords.
 * The loss modules (torch_generators_losses.ts) run alike in 1.13 and current PyTorch on the cases drawn: the same
 * signatures, and the same `_Reduction.legacy_get_string` for size_average / reduce. Two differences are not drawn,
 * where the engine follows current PyTorch: CosineEmbeddingLoss's input2 of another rank than input1, which 1.13 lets
 * through (aten/src/ATen/native/Loss.cpp, cosine_embedding_loss checks both inputs' ranks now), and TripletMarginLoss's
 * margin ≤ 0, which 1.13 takes (current torch/nn/modules/loss.py raises a ValueError).
 * A norm refusing a single value per channel only in training mode (BatchNorm on a batch of one with running
 * stats) is accepted either way: a static reading cannot know the mode.
 *
 * TORCH_ORACLE_CASES sets the cases per module (default 12; e.g. 400 for a long run).
 */
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { bindArguments } from "../../server/src/engine/bind";
import { Diagnostics, formatMessage } from "../../server/src/engine/diagnostics";
import { allLayers, findLayer } from "../../server/src/engine/layers/registry";
import { formatShape, Shape } from "../../server/src/engine/shape";
import { LayerResult, LayerSpec, Problem } from "../../server/src/engine/spec";
import { PyValue, isFloat, isLayerValue, pyRepr } from "../../server/src/engine/values";
import { Arg } from "../engine/helpers";
import { ModuleGen, TorchCase, callArgs, isKeywords, rng, spatialGenerators } from "./torch_generators";
import { layerGenerators } from "./torch_generators_layers";
import { lossGenerators } from "./torch_generators_losses";

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), "torch_modules.py");
/** Debian's interpreter, which has python3-torch (the python3 first on the PATH may not). */
const PYTHON = "/usr/bin/python3";
const CASES = Math.max(1, Number(process.env.TORCH_ORACLE_CASES ?? 12) || 12);
const SEED = 2017;

const generators: readonly ModuleGen[] = [...spatialGenerators, ...layerGenerators, ...lossGenerators];

type TorchResult =
  /** `trainingOnly`: PyTorch raised only in training mode (a norm's single value per channel), with this message. */
  | { ok: true; outputs: (number[] | null)[]; params: number; trainable: number; trainingOnly?: string | null }
  | { ok: false; error: string; message: string };

// ---------------------------------------------------------------------------
// The cases, in Python's and in the engine's terms

function toPython(v: PyValue): unknown {
  if (isFloat(v)) return { float: v.float };
  if (Array.isArray(v)) return v.map(toPython);
  if (typeof v === "object" && v !== null && "tuple" in v) return { tuple: v.tuple.map(toPython) };
  if (isLayerValue(v)) {
    const args = v.layer.args;
    return {
      module: v.layer.kind.replace(/^torch\.nn\./, ""),
      args: args.filter((a) => a.name === undefined).map((a) => toPython(a.value)),
      kwargs: Object.fromEntries(args.filter((a) => a.name !== undefined).map((a) => [a.name, toPython(a.value)])),
    };
  }
  return v;
}

function pythonCase(c: TorchCase) {
  const keywords = Object.assign({}, ...c.args.filter(isKeywords));
  return {
    module: c.module,
    args: c.args.filter((a) => !isKeywords(a)).map((a) => toPython(a as PyValue)),
    kwargs: Object.fromEntries(Object.entries(keywords).map(([k, v]) => [k, toPython(v as PyValue)])),
    inputs: c.inputs,
    call: Object.fromEntries(Object.entries(c.call ?? {}).map(([k, v]) => [k, toPython(v)])),
  };
}

const argText = (a: Arg) => (isKeywords(a) ? Object.entries(a).map(([k, v]) => `${k}=${pyRepr(v)}`).join(", ") : pyRepr(a as PyValue));

function describeCase(c: TorchCase): string {
  const args = c.args.map(argText).filter((s) => s !== "").join(", ");
  const call = Object.entries(c.call ?? {}).map(([k, v]) => `, ${k}=${pyRepr(v)}`).join("");
  const inputs = c.inputs.map((i) => `${i.dtype === "long" ? "long" : ""}${formatShape(i.shape)}`).join(", ");
  return `nn.${c.module}(${args})(${inputs}${call})`;
}

interface EngineRun {
  readonly outputs: (Shape | undefined)[];
  readonly params?: bigint;
  readonly trainable?: bigint;
  readonly errors: string[];
}

function sum(counts: readonly (bigint | undefined)[]): bigint | undefined {
  return counts.some((c) => c === undefined) ? undefined : counts.reduce<bigint>((a, c) => a + (c as bigint), 0n);
}

/** The call as the analyzer runs it: bound to the spec, then its `infer` (or its multi-input `infer` on every tensor). */
function runEngine(spec: LayerSpec, c: TorchCase): EngineRun {
  const binding = bindArguments(spec, callArgs(c.args));
  const problems: Problem[] = [...binding.problems];
  let result: LayerResult;
  if (spec.multiInput) {
    const optionsSpec: LayerSpec = { name: spec.name, summary: spec.summary, params: spec.multiInput.callOptions ?? [], openKeywords: true, infer: spec.infer };
    const options = bindArguments(optionsSpec, callArgs([c.call ?? {}]));
    problems.push(...options.problems);
    result = spec.multiInput.infer(binding.args, c.inputs.map((i) => i.shape), options.args);
  } else {
    result = spec.infer(binding.args, c.inputs[0].shape);
  }
  problems.push(...result.problems);
  const errors = problems.filter((p) => Diagnostics[p.id].severity === "error").map((p) => `${p.id}: ${formatMessage(Diagnostics[p.id].message, p.values)}`);
  return {
    outputs: [result.output, ...(result.extraOutputs ?? [])],
    params: sum(result.weights.map((w) => w.count)),
    trainable: sum(result.weights.filter((w) => w.trainable).map((w) => w.count)),
    errors,
  };
}

/** What is wrong with the engine's answer to one case, or undefined when it agrees with PyTorch. */
function disagreement(torch: TorchResult, ours: EngineRun): string | undefined {
  if (!torch.ok) return ours.errors.length > 0 ? undefined : `PyTorch raises ${torch.error}: ${torch.message}; the engine reports no error`;
  // In training mode PyTorch raises, in eval mode not: an error, or none and eval mode's shapes.
  if (ours.errors.length > 0 && torch.trainingOnly) return undefined;
  if (ours.errors.length > 0) return `PyTorch accepts it (${torch.outputs.map((o) => (o ? formatShape(o) : "None")).join(", ")}); the engine reports ${ours.errors.join(" | ")}`;
  const wrong: string[] = [];
  torch.outputs.forEach((expected, i) => {
    const got = ours.outputs[i];
    const shown = got ? formatShape(got) : "unknown";
    if (expected === null) {
      if (got !== undefined) wrong.push(`output ${i}: PyTorch gives None, the engine ${shown}`);
    } else if (!got || got.length !== expected.length || got.some((d, j) => d !== expected[j])) {
      wrong.push(`output ${i}: PyTorch ${formatShape(expected)}, the engine ${shown}`);
    }
  });
  if (ours.outputs.length > torch.outputs.length && ours.outputs.slice(torch.outputs.length).some((o) => o !== undefined)) {
    wrong.push(`the engine gives ${ours.outputs.length} outputs, PyTorch ${torch.outputs.length}`);
  }
  if (ours.params !== BigInt(torch.params)) wrong.push(`params: PyTorch ${torch.params}, the engine ${ours.params ?? "unknown"}`);
  else if (ours.trainable !== BigInt(torch.trainable)) wrong.push(`trainable: PyTorch ${torch.trainable}, the engine ${ours.trainable ?? "unknown"}`);
  return wrong.length ? wrong.join("; ") : undefined;
}

// ---------------------------------------------------------------------------

const registered = allLayers().filter((s) => s.name.startsWith("torch.nn.") && !s.name.startsWith("torch.nn.functional."));

describe("oracle: PyTorch modules against torch (python3-torch)", () => {
  const cases = new Map<string, TorchCase[]>();
  const verdicts = new Map<TorchCase, TorchResult>();

  before(() => {
    const r = rng(SEED);
    for (const gen of generators) if (findLayer(`torch.nn.${gen.module}`)) cases.set(gen.module, Array.from({ length: CASES }, () => gen.draw(r)));
    const all = [...cases.values()].flat();
    const run = spawnSync(PYTHON, [SCRIPT], { input: JSON.stringify(all.map(pythonCase)), encoding: "utf8", timeout: 600_000, maxBuffer: 1 << 28 });
    assert.equal(run.status, 0, `the oracle ran: ${PYTHON} needs python3-torch (apt-get install python3-torch; .ci/run installs it):\n${run.error ?? (run.signal ? `killed by ${run.signal}` : run.stderr)}`);
    const results: TorchResult[] = JSON.parse(run.stdout);
    assert.equal(results.length, all.length);
    all.forEach((c, i) => verdicts.set(c, results[i]));
  });

  test("every registered torch.nn module has a generator", () => {
    const covered = new Set(generators.map((g) => `torch.nn.${g.module}`));
    const missing = registered.filter((s) => !covered.has(s.name)).map((s) => s.name);
    assert.deepEqual(missing, [], "modules with no generator in test/oracle/torch_generators*.ts");
  });

  for (const gen of generators) {
    const name = `torch.nn.${gen.module}`;
    test(`${name} (${CASES} cases)`, { skip: findLayer(name) ? false : `${name} is not in the registry yet` }, (t) => {
      const spec = findLayer(name)!;
      const failures: string[] = [];
      let [built, raised] = [0, 0];
      for (const c of cases.get(gen.module) ?? []) {
        const torch = verdicts.get(c)!;
        assert.ok(torch.ok || torch.error !== "Missing", `${describeCase(c)}: ${torch.ok ? "" : torch.message}`);
        if (torch.ok) built++;
        else raised++;
        const wrong = disagreement(torch, runEngine(spec, c));
        if (wrong) failures.push(`${describeCase(c)}: ${wrong}`);
      }
      t.diagnostic(`${built} built, ${raised} refused by PyTorch`);
      assert.deepEqual(failures, [], `${failures.length} of ${CASES} cases disagree with PyTorch`);
      assert.ok(built > 0, "the generator should draw cases PyTorch accepts");
    });
  }
});
