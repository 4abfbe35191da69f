/** The diagnostics table keeps its promises: unique stable codes, every code raised somewhere. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { Diagnostics, formatMessage } from "../../server/src/engine/diagnostics";

const engineDir = join(__dirname, "../../server/src/engine");

function sources(dir: string): string {
  return readdirSync(dir, { withFileTypes: true })
    .map((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith(".ts") ? readFileSync(join(dir, e.name), "utf8") : ""))
    .join("\n");
}

test("codes are unique and follow the severity ranges", () => {
  const codes = Object.values(Diagnostics).map((d) => d.code);
  assert.equal(new Set(codes).size, codes.length);
  for (const d of Object.values(Diagnostics)) {
    const expected = { error: "1", warning: "2", information: "3" }[d.severity];
    assert.match(d.code, new RegExp(`^LL${expected}\\d\\d$`), `${d.code} is ${d.severity}`);
  }
});

test("every diagnostic is raised by some part of the engine", () => {
  const code = sources(engineDir).replace(/export const Diagnostics[\s\S]*?\} as const;/, "");
  for (const id of Object.keys(Diagnostics)) {
    assert.match(code, new RegExp(`["']${id}["']`), `${id} is never raised`);
  }
});

test("a message with a missing placeholder value is a programming error, not a silent '{x}'", () => {
  assert.throws(() => formatMessage(Diagnostics.missingArgument.message, { layer: "Dense" }), /missing message value 'name'/);
  assert.equal(formatMessage(Diagnostics.missingArgument.message, { layer: "Dense", name: "units" }), "Dense needs the argument 'units'.");
});
