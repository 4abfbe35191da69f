/** The standalone npm package packed and installed with `npm install -g` into a throw-away prefix, as a user installs it. */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../lsp/client";

export const PACKAGE = join(ROOT, "packages", "layer-lens-server");

const npm = (args: string[], cwd: string) => spawnSync("npm", args, { cwd, encoding: "utf8", env: { ...process.env, npm_config_update_notifier: "false" } });

export interface Installed {
  /** The prefix's bin folder, with `layer-lens` and `layer-lens-server`. */
  readonly bin: string;
  /** The files in the tarball. */
  readonly files: readonly string[];
}

/** Builds if needed, packs the package into `dir` and installs the tarball under `dir/prefix` (offline: it has no dependencies). */
export function installPackage(dir: string): Installed {
  if (!existsSync(join(PACKAGE, "dist", "server.js"))) {
    const build = spawnSync(process.execPath, [join(ROOT, "scripts", "build.mjs")], { cwd: ROOT, encoding: "utf8" });
    assert.equal(build.status, 0, build.stderr);
  }
  const pack = npm(["pack", PACKAGE, "--pack-destination", dir, "--json"], dir);
  assert.equal(pack.status, 0, pack.stderr);
  const [packed] = JSON.parse(pack.stdout) as { files: { path: string }[]; filename: string }[];
  const install = npm(["install", "-g", "--prefix", join(dir, "prefix"), "--offline", "--no-audit", "--no-fund", join(dir, packed.filename)], dir);
  assert.equal(install.status, 0, install.stderr);
  return { bin: join(dir, "prefix", "bin"), files: packed.files.map((f) => f.path) };
}
