// Runs every test/**/*.test.ts with Node's test runner (Node 20's runner does
// not expand globs itself), then the extension inside a real VS Code
// (scripts/test-vscode.mjs). Extra arguments are passed to `node --test`.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";

function find(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    // test/vscode runs inside VS Code's extension host, not under Node's runner.
    if (entry.isDirectory()) return entry.name === "node_modules" || path === join("test", "vscode") ? [] : find(path);
    return entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

const files = find("test").map((f) => relative(".", f)).sort();
const result = spawnSync(
  process.execPath,
  ["--import", "tsx", "--test", "--test-reporter=spec", ...process.argv.slice(2), ...files],
  { stdio: "inherit" },
);
const inVSCode = spawnSync(process.execPath, ["scripts/test-vscode.mjs"], { stdio: "inherit" });
process.exit(result.status === 0 && inVSCode.status === 0 ? 0 : 1);
