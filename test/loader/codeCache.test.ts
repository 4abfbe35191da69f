/**
 * The server's loader (server/loader): dist/server.js run with a V8 code cache. Whatever the cache's
 * state (none, whole, altered, truncated, rejected by V8, in a folder that cannot be written or that
 * others may write, several servers starting at once), the server starts and gives the hints it gives
 * without a cache, and the cache ends up whole.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InlayHint } from "vscode-languageserver-protocol/node";
import { cacheFile, cacheFolder, frame, readCache, unframe, writeCache } from "../../server/loader/codeCache";
import { LspClient, ROOT, labelText, wholeDocument } from "../lsp/client";

const LOADER = join(ROOT, "dist", "loader.js");
const BUNDLE = join(ROOT, "dist", "server.js");
const EXAMPLE = join(ROOT, "examples", "mnist_cnn.py");
/** The loader makes its cache 2 s after its start (server/loader/main.ts); a server is kept that long and more. */
const CACHE_WRITTEN_WITHIN_MS = 10_000;
const PAST_CACHE_WRITE_MS = 3_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function scratch(): string {
  return mkdtempSync(join(tmpdir(), "layer-lens-loader-"));
}

/** The files of a folder (none if it is not there). */
function filesIn(folder: string): string[] {
  return existsSync(folder) ? readdirSync(folder).sort() : [];
}

/** A server started with its code cache in `folder` ("" for none), or dist/server.js itself. */
function start(folder: string | undefined): Promise<LspClient> {
  const server = folder === undefined ? BUNDLE : LOADER;
  const env = folder === undefined ? process.env : { ...process.env, LAYER_LENS_CODE_CACHE_DIR: folder };
  return LspClient.start(undefined, { server, env });
}

/** The example's hints, as text, from `client`. */
async function hints(client: LspClient): Promise<string[]> {
  const text = readFileSync(EXAMPLE, "utf8");
  const uri = client.uri("mnist_cnn.py");
  await client.open(uri, text);
  return (await client.inlayHints(uri, wholeDocument(text))).map((hint: InlayHint) => `${hint.position.line}:${labelText(hint)}`);
}

/** Waits until `folder` holds a cache file (none of them aside), while `client` runs. */
async function cacheWritten(folder: string): Promise<string> {
  const deadline = Date.now() + CACHE_WRITTEN_WITHIN_MS;
  for (;;) {
    const written = filesIn(folder).filter((name) => name.endsWith(".cache"));
    if (written.length) return join(folder, written[0]);
    if (Date.now() > deadline) throw new Error(`no cache written in ${folder} within ${CACHE_WRITTEN_WITHIN_MS} ms`);
    await sleep(100);
  }
}

let withoutCache: string[] | undefined;
/** The hints of dist/server.js started as before the loader, the reference for every start here. */
async function reference(): Promise<string[]> {
  if (withoutCache) return withoutCache;
  const client = await start(undefined);
  try {
    withoutCache = await hints(client);
  } finally {
    await client.stop();
  }
  // Hand-derived (28 − 3 + 1 = 26, (3·3·1 + 1)·32 = 320): the reference is the server's real answer.
  assert.ok(withoutCache.some((hint) => hint.endsWith("(None, 26, 26, 32) · 320 params")), withoutCache.join("\n"));
  return withoutCache;
}

test("the cache's frame: what was framed comes back; altered, truncated or empty contents do not", () => {
  const data = Buffer.from("bytes V8 would have written");
  assert.deepEqual(unframe(frame(data)), data);
  const altered = frame(data);
  altered[altered.length - 1] ^= 1;
  assert.equal(unframe(altered), undefined);
  assert.equal(unframe(frame(data).subarray(0, 40)), undefined);
  assert.equal(unframe(Buffer.alloc(0)), undefined);
  assert.equal(unframe(Buffer.alloc(32)), undefined);
});

test("the cache's folder: the one given, none when it is empty, else the temporary directory's for this user", () => {
  assert.equal(cacheFolder({ LAYER_LENS_CODE_CACHE_DIR: "/some/where" }), "/some/where");
  assert.equal(cacheFolder({ LAYER_LENS_CODE_CACHE_DIR: "" }), undefined);
  const folder = cacheFolder({})!;
  assert.ok(folder.startsWith(tmpdir()), folder);
  if (process.getuid) assert.ok(folder.endsWith(`-${process.getuid()}`), folder);
  const file = cacheFile("/c", "0123456789abcdef");
  assert.ok(file.includes("0123456789abcdef") && file.includes(process.versions.v8) && file.includes(process.arch), file);
});

test("written whole and read back; nothing left aside; no folder made where a file is", () => {
  const root = scratch();
  try {
    const file = join(root, "cache", "server.cache");
    writeCache(file, Buffer.from("compiled"));
    assert.deepEqual(readCache(file), Buffer.from("compiled"));
    assert.deepEqual(filesIn(join(root, "cache")), ["server.cache"]);
    assert.equal(statSync(join(root, "cache")).mode & 0o777, 0o700);
    writeFileSync(join(root, "plain"), "a file");
    writeCache(join(root, "plain", "server.cache"), Buffer.from("compiled"));
    assert.equal(readFileSync(join(root, "plain"), "utf8"), "a file");
    assert.equal(readCache(join(root, "missing", "server.cache")), undefined);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("a folder others may write is neither read nor written", () => {
  const root = scratch();
  try {
    const shared = join(root, "shared");
    mkdirSync(shared);
    writeFileSync(join(shared, "server.cache"), frame(Buffer.from("planted")));
    chmodSync(shared, 0o777);
    assert.equal(readCache(join(shared, "server.cache")), undefined);
    writeCache(join(shared, "other.cache"), Buffer.from("compiled"));
    assert.deepEqual(filesIn(shared), ["server.cache"]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("without a cache the loaded server answers as dist/server.js does and writes its cache; the next start uses it", { timeout: 60_000 }, async () => {
  const expected = await reference();
  const folder = join(scratch(), "cache");
  try {
    const first = await start(folder);
    try {
      assert.deepEqual(await hints(first), expected);
      await cacheWritten(folder);
    } finally {
      await first.stop();
    }
    const [name] = filesIn(folder);
    assert.deepEqual(filesIn(folder), [name], "one cache file, nothing left aside");
    const file = join(folder, name);
    const written = readFileSync(file);
    assert.ok(unframe(written), "the cache is whole");

    const second = await start(folder);
    try {
      assert.deepEqual(await hints(second), expected);
      // A cache V8 rejected would be made again after 2 s.
      await sleep(PAST_CACHE_WRITE_MS);
    } finally {
      await second.stop();
    }
    assert.ok(readFileSync(file).equals(written), "a cache V8 took is not written again");
  } finally {
    rmSync(join(folder, ".."), { recursive: true, force: true });
  }
});

test("an altered, truncated or foreign cache: the server starts as without one, and the cache is made again", { timeout: 120_000 }, async () => {
  const expected = await reference();
  const folder = join(scratch(), "cache");
  try {
    const first = await start(folder);
    const file = await cacheWritten(folder).finally(() => first.stop());
    const good = readFileSync(file);
    const altered = Buffer.from(good);
    altered[Math.floor(altered.length / 2)] ^= 0xff;
    // Whole as a frame, but not V8's: V8 itself rejects it.
    const foreign = frame(Buffer.from("not a code cache of this bundle".repeat(100)));
    for (const [what, contents] of [["altered", altered], ["truncated", good.subarray(0, good.length >> 1)], ["foreign", foreign]] as const) {
      writeFileSync(file, contents);
      const client = await start(folder);
      try {
        assert.deepEqual(await hints(client), expected, what);
        const deadline = Date.now() + CACHE_WRITTEN_WITHIN_MS;
        while (readFileSync(file).equals(contents) && Date.now() < deadline) await sleep(100);
      } finally {
        await client.stop();
      }
      assert.ok(unframe(readFileSync(file)), `the ${what} cache made again whole`);
      assert.deepEqual(filesIn(folder), [file.split("/").pop()], `nothing left aside after the ${what} cache`);
    }
  } finally {
    rmSync(join(folder, ".."), { recursive: true, force: true });
  }
});

test("no cache folder to be had (a file is in its way, or none is set): the server answers the same", { timeout: 60_000 }, async () => {
  const expected = await reference();
  const root = scratch();
  try {
    writeFileSync(join(root, "plain"), "a file");
    for (const folder of [join(root, "plain", "cache"), ""]) {
      const client = await start(folder);
      try {
        assert.deepEqual(await hints(client), expected, folder || "no folder");
        await sleep(PAST_CACHE_WRITE_MS);
        assert.ok(client.alive, "still running after it tried to write its cache");
      } finally {
        await client.stop();
      }
    }
    assert.deepEqual(filesIn(root), ["plain"]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("servers starting together share one folder: each answers, and one whole cache is left", { timeout: 60_000 }, async () => {
  const expected = await reference();
  const folder = join(scratch(), "cache");
  try {
    const clients = await Promise.all([start(folder), start(folder), start(folder)]);
    try {
      for (const answer of await Promise.all(clients.map(hints))) assert.deepEqual(answer, expected);
      await cacheWritten(folder);
      await sleep(PAST_CACHE_WRITE_MS);
    } finally {
      await Promise.all(clients.map((client) => client.stop()));
    }
    const files = filesIn(folder);
    assert.equal(files.length, 1, files.join(", "));
    assert.ok(unframe(readFileSync(join(folder, files[0]))), "the cache is whole");
  } finally {
    rmSync(join(folder, ".."), { recursive: true, force: true });
  }
});

test("an error in the bundle points at its own line and column, as when Node loads it", () => {
  const root = scratch();
  try {
    copyFileSync(LOADER, join(root, "loader.js"));
    writeFileSync(join(root, "server.js"), "let a = 1; null.x;\n");
    const where = (script: string) => {
      const run = spawnSync(process.execPath, [join(root, script)], { encoding: "utf8", env: { ...process.env, LAYER_LENS_CODE_CACHE_DIR: "" } });
      return /server\.js:(\d+):(\d+)/.exec(run.stderr)?.slice(1) ?? run.stderr;
    };
    const byNode = where("server.js");
    assert.equal(byNode[0], "1", "Node places it on the first line");
    assert.deepEqual(where("loader.js"), byNode);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
