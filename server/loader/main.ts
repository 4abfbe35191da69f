/**
 * What the VS Code client starts as the language server (dist/loader.js): it runs dist/server.js as
 * Node would, but compiled with a V8 code cache (`codeCache.ts`), which spares most of the bundle's
 * compilation at each start after the first. Node's own compile cache (`module.enableCompileCache`)
 * comes only with Node 22; VS Code's Electron and code-server run the server on Node 20.
 *
 * The cache is made a while after the start, once the first requests have been answered: by then it
 * holds the functions they compiled too, and making it has not delayed them.
 */
import { Module, createRequire } from "module";
import { readFileSync } from "fs";
import { dirname, join } from "path";
import { Script } from "vm";
import { cacheFile, cacheFolder, readCache, writeCache } from "./codeCache";

/** The hash of dist/server.js, set by the build (scripts/build.mjs): a new bundle gets a cache of its own. */
declare const SERVER_BUNDLE_HASH: string;

const CACHE_AFTER_MS = 2_000;

const bundle = join(__dirname, "server.js");
const folder = cacheFolder();
const file = folder === undefined ? undefined : cacheFile(folder, SERVER_BUNDLE_HASH);
const cachedData = file === undefined ? undefined : readCache(file);
// Node's own wrapper, on a line of its own: the bundle's lines and columns stay those of the file (and its source map).
const wrapped = `(function (exports, require, module, __filename, __dirname) {\n${readFileSync(bundle, "utf8")}\n})`;
const script = new Script(wrapped, { filename: bundle, lineOffset: -1, cachedData });

if (file !== undefined && (cachedData === undefined || script.cachedDataRejected)) {
  setTimeout(() => writeCache(file, script.createCachedData()), CACHE_AFTER_MS).unref();
}

const server = new Module(bundle, module);
server.filename = bundle;
const run = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;
run.call(server.exports, server.exports, createRequire(bundle), server, bundle, dirname(bundle));
