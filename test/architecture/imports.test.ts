/**
 * The dependency invariants of ARCHITECTURE.md, checked: the engine imports
 * nothing outside itself; the Python front end nothing from the server or CLI;
 * the CLI nothing from the language server.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join, relative, resolve, dirname } from "node:path";

const root = resolve(__dirname, "../..");

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

function imports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/(?:import|export)[^;]*?from\s+["']([^"']+)["']|require\(["']([^"']+)["']\)/g)].map((m) => {
    const spec = m[1] ?? m[2];
    return spec.startsWith(".") ? relative(root, resolve(dirname(file), spec)) : spec;
  });
}

function check(dir: string, allowed: (spec: string) => boolean): void {
  for (const file of files(join(root, dir))) {
    for (const spec of imports(file)) {
      assert.ok(allowed(spec), `${relative(root, file)} imports ${spec}`);
    }
  }
}

test("the engine is pure: it imports only itself", () => {
  check("server/src/engine", (spec) => spec.startsWith("server/src/engine"));
});

test("the Python front end imports only the engine's data types, itself and the parser", () => {
  check("server/src/python", (spec) => spec.startsWith("server/src/python") || spec.startsWith("server/src/engine") || spec.startsWith("@lezer/"));
});

test("the CLI never imports the language server", () => {
  check("server/src/cli", (spec) => !spec.startsWith("server/src/lsp") && !spec.startsWith("vscode"));
});

test("the client does no analysis: it imports no server code", () => {
  check("client/src", (spec) => !spec.startsWith("server/"));
});

test("no part of the server can run programs or open connections", () => {
  const forbidden = /^(node:)?(child_process|net|http|https|dgram|tls|vm)$/;
  check("server/src", (spec) => !forbidden.test(spec));
  // Only the CLI starts threads, each running the CLI's own bundle on the files it is given.
  for (const file of files(join(root, "server/src"))) {
    const threads = imports(file).some((spec) => /^(node:)?worker_threads$/.test(spec));
    assert.equal(threads, relative(root, file) === join("server", "src", "cli", "parallel.ts"), `${relative(root, file)} imports worker_threads`);
  }
});
