// Bundles the extension client, the language server and the CLI into dist/
// with esbuild. Usage: node scripts/build.mjs
import { build } from "esbuild";
import { createHash } from "node:crypto";
import { chmodSync, copyFileSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** @type {import("esbuild").BuildOptions} */
const common = {
  absWorkingDir: root,
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  sourcemap: "linked",
  minify: true,
  external: ["vscode"],
  logLevel: "warning",
};

const entries = [
  // The module VS Code loads starts the server, then loads the rest of the client (client.js).
  { entryPoints: ["client/src/extension.ts"], outfile: "dist/extension.js" },
  { entryPoints: ["client/src/client.ts"], outfile: "dist/client.js" },
  { entryPoints: ["server/src/lsp/server.ts"], outfile: "dist/server.js" },
  // What the client starts: dist/server.js with a code cache, keyed by that bundle's hash (built before it).
  {
    entryPoints: ["server/loader/main.ts"],
    outfile: "dist/loader.js",
    define: () => ({ SERVER_BUNDLE_HASH: JSON.stringify(createHash("sha256").update(readFileSync(join(root, "dist", "server.js"))).digest("hex").slice(0, 16)) }),
  },
  {
    entryPoints: ["server/src/cli/main.ts"],
    outfile: "dist/cli.js",
    banner: { js: "#!/usr/bin/env node" },
  },
];

function formatSize(bytes) {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KiB`;
}

let failed = false;
for (const entry of entries) {
  try {
    await build({ ...common, ...entry, define: entry.define?.() });
    const out = join(root, entry.outfile);
    if (entry.banner) chmodSync(out, 0o755); // the CLI runs as `./dist/cli.js` too
    console.log(`${relative(root, out).padEnd(20)} ${formatSize(statSync(out).size)}`);
  } catch {
    // esbuild has already printed the errors (logLevel "warning").
    console.error(`build failed: ${entry.entryPoints[0]} -> ${entry.outfile}`);
    failed = true;
  }
}

if (failed) {
  process.exit(1);
}

// The standalone npm package (`npm install -g layer-lens-server`) ships the same server and CLI bundles.
const standalone = join(root, "packages", "layer-lens-server");
mkdirSync(join(standalone, "dist"), { recursive: true });
for (const bundle of ["server.js", "cli.js"]) copyFileSync(join(root, "dist", bundle), join(standalone, "dist", bundle));
copyFileSync(join(root, "LICENSE"), join(standalone, "LICENSE"));

