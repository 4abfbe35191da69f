/** The README's coverage and diagnostics tables stay true to the registry and the diagnostics table. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { allLayers } from "../../server/src/engine/layers/registry";
import { Diagnostics } from "../../server/src/engine/diagnostics";

const readme = readFileSync(join(__dirname, "../../README.md"), "utf8");
const section = (title: string) => readme.slice(readme.indexOf(title), readme.indexOf("\n#", readme.indexOf(title) + title.length));

/** Expands `tf.math.{exp,log}` into `tf.math.exp` and `tf.math.log`. */
function expandBraces(text: string): string[] {
  const match = /\{([^{}]*)\}/.exec(text);
  if (!match) return [text];
  return match[1].split(",").flatMap((choice) => expandBraces(text.slice(0, match.index) + choice + text.slice(match.index + match[0].length)));
}

/** Expands the README's `Conv1D/2D/3D` (PyTorch's `Conv1d/2d/3d`) and `tf.math.{exp,log}` shorthands into the names they stand for. */
function listedLayers(): Set<string> {
  const names = new Set<string>();
  for (const [, written] of section("### Layers covered").matchAll(/`([A-Za-z0-9/._{},]+)`/g)) {
    for (const group of expandBraces(written)) {
      const [first, ...rest] = group.split("/");
      names.add(first);
      const stem = first.replace(/\d[dD]$/, "");
      for (const suffix of rest) names.add(`${stem}${suffix}`);
    }
  }
  return names;
}

test("every layer Layer Lens models is listed in the README, and nothing more", () => {
  const listed = listedLayers();
  const modelled = allLayers().map((s) => s.name);
  for (const name of modelled) assert.ok(listed.has(name), `${name} is modelled but not in the README`);
  const known = new Set(allLayers().flatMap((s) => [s.name, ...(s.aliases ?? [])]));
  for (const name of listed) if (!name.includes("*")) assert.ok(known.has(name), `${name} is in the README but not modelled`);
});

test("every diagnostic code is documented in the README with its severity", () => {
  const table = section("### Diagnostics");
  for (const d of Object.values(Diagnostics)) {
    assert.match(table, new RegExp(`\\| ${d.code} \\| ${d.severity} \\|`), `${d.code} missing`);
  }
});
