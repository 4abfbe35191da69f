/**
 * A V8 code cache for the server bundle: what V8 compiled of it (the bundle's pre-parse at load, and
 * each function at its first call) kept in a file, so that the next start reads it instead of
 * compiling again. The cache lives in a folder of the temporary directory that only this user may
 * write (never in the user's folders), one file per bundle, V8 version and architecture.
 *
 * Nothing here may fail the start: a cache that cannot be read, was truncated or altered, or that V8
 * rejects (another V8 or other flags) is ignored and made again; a folder that cannot be written
 * leaves the server without a cache.
 */
// Named imports: the bundler then loads each module with a plain require, without the helpers a namespace import needs.
import { createHash } from "crypto";
import { lstatSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "fs";
import { tmpdir, userInfo } from "os";
import { dirname, join } from "path";

/** The checksum in front of the cached data: V8 checks a cache's version and length, not its bytes. */
const CHECKSUM = "sha256";
const CHECKSUM_BYTES = 32;

/** The cached data with its checksum in front, as it is written. */
export function frame(data: Buffer): Buffer {
  return Buffer.concat([createHash(CHECKSUM).update(data).digest(), data]);
}

/** The cached data of a file's contents; undefined when they are not what `frame` wrote. */
export function unframe(contents: Buffer): Buffer | undefined {
  if (contents.length <= CHECKSUM_BYTES) return undefined;
  const data = contents.subarray(CHECKSUM_BYTES);
  const sum = createHash(CHECKSUM).update(data).digest();
  return sum.equals(contents.subarray(0, CHECKSUM_BYTES)) ? data : undefined;
}

/**
 * The cache's folder: `LAYER_LENS_CODE_CACHE_DIR` if set (an empty value: no cache), else one of the
 * temporary directory named for the user, since that directory is often shared between users.
 */
export function cacheFolder(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const chosen = env.LAYER_LENS_CODE_CACHE_DIR;
  if (chosen !== undefined) return chosen || undefined;
  const user = typeof process.getuid === "function" ? String(process.getuid()) : userInfo().username;
  return join(tmpdir(), `layer-lens-code-cache-${user}`);
}

/** The file of the cache of the bundle whose build has hash `bundleHash`, for this runtime's V8. */
export function cacheFile(folder: string, bundleHash: string): string {
  return join(folder, `server-${bundleHash}-v8-${process.versions.v8}-${process.arch}.cache`);
}

/**
 * Whether only this user can write `folder`: another user who could would choose the code that runs.
 * (Where there are no user ids, Windows, the temporary directory is the user's own.)
 */
function ownFolder(folder: string): boolean {
  if (typeof process.getuid !== "function") return true;
  const stat = lstatSync(folder);
  return stat.isDirectory() && stat.uid === process.getuid() && (stat.mode & 0o022) === 0;
}

/** The cached data in `file`, if it is there, whole and in a folder of this user's. */
export function readCache(file: string): Buffer | undefined {
  try {
    if (!ownFolder(dirname(file))) return undefined;
    return unframe(readFileSync(file));
  } catch {
    return undefined;
  }
}

/**
 * Writes `data` to `file` as a whole or not at all (written aside, then renamed: a server started
 * meanwhile reads the old file or the new one, never a part), creating its folder for this user only.
 */
export function writeCache(file: string, data: Buffer): void {
  const folder = dirname(file);
  const aside = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    if (!ownFolder(folder)) return;
    writeFileSync(aside, frame(data), { flag: "wx", mode: 0o600 });
    renameSync(aside, file);
  } catch {
    try {
      rmSync(aside, { force: true });
    } catch {
      // Nothing more to do: the server runs without a cache.
    }
  }
}
