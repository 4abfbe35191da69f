/**
 * Whole PyTorch scripts through the product, against PyTorch running them: seeded random scripts in the styles
 * users write (torch_script_generator.ts), run by torch_scripts.py (Debian's python3-torch, ONE process; it runs
 * only these generated scripts) with hooks recording every torch.nn module's output, and read by the Layer Lens
 * CLI (`layer-lens --format json`, one run over all of them, docs/cli-output.schema.json). They must agree on:
 * - errors: the CLI reports an error exactly when PyTorch raises, on a line of the failing module (its
 *   constructor's or its call's) or the script line PyTorch's traceback last passed;
 * - each module's output: a CLI layer of that class on the module's constructor line (or, in a forward, its
 *   call's line) with PyTorch's shape (a `?` is a claim not made, and a failure: these scripts are all constants);
 * - the parameters: the total of the CLI's model `model` is sum(p.numel()) of PyTorch's (when PyTorch built it).
 *
 * TORCH_ORACLE_SCRIPTS sets the number of scripts (default 60).
 */
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { rng } from "./torch_generators";
import { Script, script } from "./torch_script_generator";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, "..", "..");
const ORACLE = join(HERE, "torch_scripts.py");
const CLI = join(ROOT, "server", "src", "cli", "main.ts");
/** Debian's interpreter, which has python3-torch (the python3 first on the PATH may not). */
const PYTHON = "/usr/bin/python3";
const SCRIPTS = Math.max(1, Number(process.env.TORCH_ORACLE_SCRIPTS ?? 60) || 60);
const SEED = 1717;

type Dims = (number | null)[] | null;

interface TorchModule {
  readonly cls: string;
  readonly line: number | null;
  readonly callLine: number | null;
  readonly outputs: Dims[];
}

interface TorchRun {
  readonly modules: TorchModule[];
  readonly params: number | null;
  readonly error: { type: string; message: string; line: number | null; module: { cls: string; line: number | null; callLine: number | null } | null } | null;
}

interface CliLayer {
  readonly layer: string | null;
  readonly line: number;
  readonly output: (number | "?" | null)[] | null;
}
interface CliDiagnostic {
  readonly code: string;
  readonly severity: string;
  readonly message: string;
  readonly line: number;
}
interface CliFile {
  readonly file: string;
  readonly models: { name: string | null; layers: CliLayer[]; totals: { total: number | string | null; unknownBecause?: string | null } }[];
  readonly diagnostics: CliDiagnostic[];
}

const shown = (dims: Dims | (number | "?" | null)[]) => (dims ? `(${dims.map((d) => (d === null ? "None" : d)).join(", ")})` : "unknown");

/** The CLI's layer name is PyTorch's path (`torch.nn.Conv2d`); the class alone is accepted too. */
const sameClass = (layer: string | null, cls: string) => layer === `torch.nn.${cls}` || layer === cls;

/** What the CLI got wrong about one script, as a list of findings (empty when it agrees with PyTorch). */
function findings(torch: TorchRun, cli: CliFile): string[] {
  const wrong: string[] = [];
  const errors = cli.diagnostics.filter((d) => d.severity === "error");
  if (torch.error) {
    const { error } = torch;
    const where = [error.module?.line, error.module?.callLine, error.line].filter((l): l is number => typeof l === "number");
    const what = `PyTorch raises ${error.type} (${error.message}) at line ${error.line}${error.module ? ` in ${error.module.cls} of line ${error.module.line}` : ""}`;
    if (errors.length === 0) wrong.push(`${what}; the CLI reports no error`);
    else if (!errors.some((d) => where.includes(d.line))) wrong.push(`${what}; the CLI's errors are elsewhere: ${errors.map((d) => `line ${d.line} ${d.code} ${d.message}`).join(" | ")}`);
  } else if (errors.length > 0) {
    wrong.push(`PyTorch runs it; the CLI reports ${errors.map((d) => `line ${d.line} ${d.code} ${d.message}`).join(" | ")}`);
  }
  const layers = cli.models.flatMap((m) => m.layers);
  for (const module of torch.modules) {
    const at = layers.filter((l) => sameClass(l.layer, module.cls) && (l.line === module.line || l.line === module.callLine));
    const expected = module.outputs[0];
    if (at.length === 0) {
      wrong.push(`${module.cls} of line ${module.line} (called at line ${module.callLine}): PyTorch ${shown(expected)}; no such layer in the CLI's models`);
      continue;
    }
    const matches = (o: CliLayer["output"]) => !!o && !!expected && o.length === expected.length && o.every((d, i) => d === expected[i]);
    if (!at.some((l) => matches(l.output))) wrong.push(`${module.cls} of line ${module.line}: PyTorch ${shown(expected)}, the CLI ${at.map((l) => shown(l.output)).join(" or ")}`);
  }
  if (torch.params !== null) {
    const model = cli.models.find((m) => m.name === "model");
    if (!model) wrong.push(`PyTorch's model has ${torch.params} parameters; the CLI has no model named model`);
    else if (String(model.totals.total) !== String(torch.params)) wrong.push(`params: PyTorch ${torch.params}, the CLI ${model.totals.total ?? `unknown (${model.totals.unknownBecause})`}`);
  }
  return wrong;
}

describe("oracle: generated PyTorch scripts, PyTorch against the CLI", () => {
  const r = rng(SEED);
  const scripts: Script[] = Array.from({ length: SCRIPTS }, () => script(r));
  let torchRuns: TorchRun[] = [];
  let cliFiles: CliFile[] = [];

  before(() => {
    const run = spawnSync(PYTHON, [ORACLE], { input: JSON.stringify(scripts.map((s) => s.source)), encoding: "utf8", timeout: 300_000, maxBuffer: 1 << 28 });
    assert.equal(run.status, 0, `the oracle ran: ${PYTHON} needs python3-torch (apt-get install python3-torch; .ci/run installs it):\n${run.error ?? (run.signal ? `killed by ${run.signal}` : run.stderr)}`);
    torchRuns = JSON.parse(run.stdout);
    assert.equal(torchRuns.length, scripts.length);

    const dir = mkdtempSync(join(tmpdir(), "layer-lens-torch-scripts-"));
    try {
      const files = scripts.map((s, i) => {
        const path = join(dir, `script_${String(i).padStart(3, "0")}.py`);
        writeFileSync(path, s.source);
        return path;
      });
      const cli = spawnSync(process.execPath, ["--import", "tsx", CLI, "--format", "json", "--fail-on", "never", "--jobs", "1", ...files], { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 28 });
      assert.equal(cli.status, 0, `the CLI ran:\n${cli.stderr}`);
      cliFiles = JSON.parse(cli.stdout);
      assert.deepEqual(cliFiles.map((f) => f.file), files);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("the generator draws scripts PyTorch runs and scripts it refuses", () => {
    const raised = torchRuns.filter((t) => t.error).length;
    assert.ok(raised > 0 && raised < torchRuns.length, `${raised} of ${torchRuns.length} raise`);
  });

  scripts.forEach((s, i) => {
    test(`script ${i}: ${s.note}`, () => {
      const wrong = findings(torchRuns[i], cliFiles[i]);
      assert.deepEqual(wrong, [], `the script:\n${s.source.split("\n").map((l, n) => `${String(n + 1).padStart(3)}  ${l}`).join("\n")}`);
    });
  });
});
