// Bundles the VS Code integration suite (test/vscode/suite) into
// out/test/vscode/: index.js is the `extensionTestsPath` module, each
// *.test.js a mocha file it loads. `vscode` is the host's; mocha is required
// from node_modules at run time (it loads its reporters dynamically).
import { build } from "esbuild";
import { readdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
export const SUITE_OUT = join(ROOT, "out", "test", "vscode");
const SUITE_SRC = join(ROOT, "test", "vscode", "suite");

export async function buildSuite() {
  const entries = readdirSync(SUITE_SRC).filter((f) => f === "index.ts" || f.endsWith(".test.ts"));
  rmSync(SUITE_OUT, { recursive: true, force: true });
  await build({
    absWorkingDir: ROOT,
    entryPoints: entries.map((f) => join(SUITE_SRC, f)),
    outdir: SUITE_OUT,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    sourcemap: "inline",
    external: ["vscode", "mocha"],
    logLevel: "warning",
  });
  return join(SUITE_OUT, "index.js");
}
