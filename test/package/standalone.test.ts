/**
 * The standalone npm package as a user of another editor installs it: `npm pack` of
 * packages/layer-lens-server, `npm install -g` of that tarball into a throw-away prefix
 * (offline: the package has no dependencies), then its two commands run from the prefix's
 * bin folder. The tarball must hold the bundles the build made, and nothing of VS Code.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { LspClient, ROOT, labelsByLine, lineOf } from "../lsp/client";

const PACKAGE = join(ROOT, "packages", "layer-lens-server");
const npm = (args: string[], cwd: string) => spawnSync("npm", args, { cwd, encoding: "utf8", env: { ...process.env, npm_config_update_notifier: "false" } });

let tmp: string;
let bin: string;
let packed: { files: { path: string }[] };

before(() => {
  if (!existsSync(join(PACKAGE, "dist", "server.js"))) {
    const build = spawnSync(process.execPath, [join(ROOT, "scripts", "build.mjs")], { cwd: ROOT, encoding: "utf8" });
    assert.equal(build.status, 0, build.stderr);
  }
  tmp = mkdtempSync(join(tmpdir(), "layer-lens-package-"));
  const pack = npm(["pack", PACKAGE, "--pack-destination", tmp, "--json"], tmp);
  assert.equal(pack.status, 0, pack.stderr);
  [packed] = JSON.parse(pack.stdout) as { files: { path: string }[]; filename: string }[];
  const tarball = join(tmp, (JSON.parse(pack.stdout) as { filename: string }[])[0].filename);
  const install = npm(["install", "-g", "--prefix", join(tmp, "prefix"), "--offline", "--no-audit", "--no-fund", tarball], tmp);
  assert.equal(install.status, 0, install.stderr);
  bin = join(tmp, "prefix", "bin");
});

after(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe("npm install -g layer-lens-server", () => {
  test("the tarball holds the two bins, the build's own server and CLI bundles, README and LICENSE; no dependency, nothing of VS Code", () => {
    assert.deepEqual(packed.files.map((f) => f.path).sort(), ["LICENSE", "README.md", "bin/layer-lens-server.js", "bin/layer-lens.js", "dist/cli.js", "dist/server.js", "package.json"]);
    for (const bundle of ["server.js", "cli.js"]) {
      assert.ok(readFileSync(join(PACKAGE, "dist", bundle)).equals(readFileSync(join(ROOT, "dist", bundle))), `${bundle} differs from dist/${bundle}`);
    }
    const manifest = JSON.parse(readFileSync(join(PACKAGE, "package.json"), "utf8")) as Record<string, unknown>;
    assert.equal(manifest.dependencies, undefined);
    assert.doesNotMatch(JSON.stringify(manifest), /vscode/);
    // The server bundle must not reach for the VS Code API, which only an extension host has.
    assert.doesNotMatch(readFileSync(join(PACKAGE, "dist", "server.js"), "utf8"), /require\("vscode"\)/);
  });

  test("layer-lens FILE.py prints the model's summary", () => {
    const run = spawnSync(join(bin, "layer-lens"), [join(ROOT, "examples", "mnist_cnn.py")], { encoding: "utf8" });
    assert.equal(run.status, 0, run.stderr);
    // (3·3·1 + 1)·32 = 320; (3·3·32 + 1)·64 = 18,496; (1600 + 1)·10 = 16,010; 320 + 18,496 + 16,010 = 34,826.
    assert.match(run.stdout, /^Total params: 34,826 \(136\.04 KB\)$/m);
  });

  for (const args of [["--stdio"], []]) {
    test(`layer-lens-server ${args.join(" ") || "(no transport named: stdio)"} answers an LSP client with the example's hints`, async () => {
      const server = join(bin, "layer-lens-server");
      const client = await LspClient.start(undefined, { server, serverArgs: args });
      try {
        const path = join(ROOT, "examples", "mnist_cnn.py");
        const text = readFileSync(path, "utf8");
        const uri = pathToFileURL(path).href;
        await client.open(uri, text);
        const labels = labelsByLine(await client.inlayHints(uri));
        assert.deepEqual(labels.get(lineOf(text, "layers.Conv2D(64")), ["(None, 11, 11, 64) · 18,496 params"]);
      } finally {
        await client.stop();
      }
    });
  }
});
