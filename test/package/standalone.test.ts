/**
 * The standalone npm package as a user of another editor installs it: `npm pack` of
 * packages/layer-lens-server, `npm install -g` of that tarball into a throw-away prefix
 * (offline: the package has no dependencies), then its two commands run from the prefix's
 * bin folder. The tarball must hold the bundles the build made, and nothing of VS Code.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { LspClient, ROOT, labelsByLine, lineOf } from "../lsp/client";
import { Installed, PACKAGE, installPackage } from "./install";

let tmp: string;
let installed: Installed;

before(() => {
  tmp = mkdtempSync(join(tmpdir(), "layer-lens-package-"));
  installed = installPackage(tmp);
});

after(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe("npm install -g layer-lens-server", () => {
  test("the tarball holds the two bins, the build's own server and CLI bundles, README and LICENSE; no dependency, nothing of VS Code", () => {
    assert.deepEqual([...installed.files].sort(), ["LICENSE", "README.md", "bin/layer-lens-server.js", "bin/layer-lens.js", "dist/cli.js", "dist/server.js", "package.json"]);
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
    const run = spawnSync(join(installed.bin, "layer-lens"), [join(ROOT, "examples", "mnist_cnn.py")], { encoding: "utf8" });
    assert.equal(run.status, 0, run.stderr);
    // (3·3·1 + 1)·32 = 320; (3·3·32 + 1)·64 = 18,496; (1600 + 1)·10 = 16,010; 320 + 18,496 + 16,010 = 34,826.
    assert.match(run.stdout, /^Total params: 34,826 \(136\.04 KB\)$/m);
  });

  for (const args of [["--stdio"], []]) {
    test(`layer-lens-server ${args.join(" ") || "(no transport named: stdio)"} answers an LSP client with the example's hints`, async () => {
      const server = join(installed.bin, "layer-lens-server");
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
