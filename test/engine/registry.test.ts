/**
 * The registry of layer specs: every spec is found under each of its names, PyTorch's as Keras's, and
 * PyTorch's specs are built only once a `torch.` name is looked up (a Keras file's start does not wait for them).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { allLayers, findLayer } from "../../server/src/engine/layers/registry";

test("every spec is found under its name and each of its aliases, itself", () => {
  const specs = allLayers();
  assert.ok(specs.some((spec) => spec.name === "Dense") && specs.some((spec) => spec.name === "torch.nn.Conv2d"));
  for (const spec of specs) for (const name of [spec.name, ...(spec.aliases ?? [])]) assert.equal(findLayer(name), spec, name);
  assert.equal(findLayer("torch.nn.NoSuchModule"), undefined);
  assert.equal(findLayer("NoSuchLayer"), undefined);
});

test("PyTorch's modules are loaded at the first lookup of a torch. name, not before", () => {
  // A process of its own: this one may have loaded them already.
  const script = `
    const { findLayer } = require("./server/src/engine/layers/registry");
    const torchLoaded = () => Object.keys(require.cache).some((file) => file.includes("/layers/torch/"));
    const seen = [torchLoaded()];
    findLayer("Dense"); findLayer("Conv2D");
    seen.push(torchLoaded());
    seen.push(findLayer("torch.nn.Conv2d")?.name, torchLoaded());
    console.log(JSON.stringify(seen));`;
  const run = spawnSync(process.execPath, ["--import", "tsx", "-e", script], { cwd: `${__dirname}/../..`, encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(JSON.parse(run.stdout.trim().split("\n").pop()!), [false, false, "torch.nn.Conv2d", true]);
});
