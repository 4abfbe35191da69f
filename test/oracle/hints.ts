/**
 * What the oracle tests that go through the language server share: writing values as
 * Python, checking a hint label and its tooltip against tfjs's numbers, and rebuilding
 * dist/server.js when the sources are newer.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { paramCount, withThousands } from "../../server/src/engine/format";
import { Shape, formatShape } from "../../server/src/engine/shape";
import { PyValue, isSequence, items } from "../../server/src/engine/values";
import { ROOT, SERVER } from "../lsp/client";

function expectedParams(n: bigint): string[] {
  const compact = (() => {
    for (const [size, suffix] of [
      [1_000_000_000n, "B"],
      [1_000_000n, "M"],
      [1_000n, "k"],
    ] as const)
      if (n >= size) return `${(Number(n) / Number(size)).toFixed(n >= size * 100n ? 0 : 1)}${suffix} params`;
    return paramCount(n);
  })();
  return [paramCount(n), compact];
}

/** Checks a layer hint label against tfjs: `shape · N params`, a shorter form, or one cut with an ellipsis. */
export function checkLabel(label: string, shape: Shape, params: bigint, where: string): void {
  const s = formatShape(shape);
  const fulls = params === 0n ? [s, `${s} · 0 params`] : expectedParams(params).map((p) => `${s} · ${p}`).concat([s]);
  if (label.endsWith("…")) {
    const prefix = label.slice(0, -1);
    assert.ok(fulls.some((f) => f.startsWith(prefix)), `${where}: hint '${label}' is not a cut of '${fulls[0]}'`);
  } else assert.ok(fulls.includes(label), `${where}: hint '${label}', tfjs says '${fulls[0]}'`);
}

export function checkTooltip(tooltip: string, shape: Shape, params: bigint, where: string): void {
  assert.ok(tooltip.includes(`→ \`${formatShape(shape)}\``), `${where}: hover/tooltip lacks the output ${formatShape(shape)}:\n${tooltip}`);
  if (params > 0n) assert.ok(tooltip.includes(`**Parameters: ${withThousands(params)}**`), `${where}: tooltip lacks Parameters: ${withThousands(params)}:\n${tooltip}`);
}

function serverIsStale(): boolean {
  if (!existsSync(SERVER)) return true;
  const built = statSync(SERVER).mtimeMs;
  const newest = (dir: string): number =>
    readdirSync(dir, { withFileTypes: true }).reduce((m, e) => Math.max(m, e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs), 0);
  return newest(join(ROOT, "server", "src")) > built;
}

/** A value as Python source. */
export function py(v: PyValue): string {
  if (v === null) return "None";
  if (typeof v === "boolean") return v ? "True" : "False";
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : String(v);
  if (typeof v === "string") return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(py).join(", ")}]`;
  if (isSequence(v)) {
    const xs = items(v);
    return xs.length === 1 ? `(${py(xs[0])},)` : `(${xs.map(py).join(", ")})`;
  }
  throw new Error("unresolved value");
}

/** Rebuilds dist/server.js when a source file is newer than it. */
export function buildServerIfStale(): void {
  if (!serverIsStale()) return;
  const built = spawnSync(process.execPath, [join(ROOT, "scripts", "build.mjs")], { cwd: ROOT, encoding: "utf8" });
  assert.equal(built.status, 0, `build failed: ${built.stderr}`);
}
