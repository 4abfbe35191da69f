// Installs code-server (a real VS Code, served to a browser) from the npm
// registry into a cache outside the repository, for the integration tests and
// `npm start` on machines without desktop VS Code or internet access.
//
// code-server's own post-install downloads things, so it is installed with
// --ignore-scripts and its post-install steps are done here by hand, using
// Debian's ripgrep and Kerberos headers (.ci/run installs them).
//
// Also starts it for the tests and `npm start`: startCodeServer().
//
// Usage: node scripts/code-server.mjs   (installs what is missing, prints the entry script)
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

// The last code-server release whose engine is Node 20 (VS Code 1.100).
export const CODE_SERVER_VERSION = "4.100.3";

const cacheRoot = process.env.LAYER_LENS_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "layer-lens");
const installDir = join(cacheRoot, `code-server-${CODE_SERVER_VERSION}`);
// Written last, so an interrupted install is redone rather than half used.
const completeMarker = join(installDir, ".complete");

function run(command, args, cwd) {
  const started = Date.now();
  // node-pty's install script runs `npx node-gyp`, which would otherwise ask
  // before fetching node-gyp and, with no terminal, give up.
  const env = { ...process.env, npm_config_yes: "true" };
  const result = spawnSync(command, args, { cwd, env, stdio: ["ignore", "inherit", "inherit"] });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(" ")} (in ${cwd}) failed with ${result.status ?? result.signal}`);
  }
  console.error(`code-server install: ${args.slice(0, 2).join(" ")} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

function install(target) {
  const npm = "npm";
  const quiet = ["--no-audit", "--no-fund", "--loglevel=error"];
  mkdirSync(target, { recursive: true });
  writeFileSync(join(target, "package.json"), JSON.stringify({ private: true }));
  run(npm, ["install", "--ignore-scripts", ...quiet, `code-server@${CODE_SERVER_VERSION}`], target);
  run(npm, ["rebuild", "argon2", ...quiet], target);

  const vscodeDir = join(target, "node_modules", "code-server", "lib", "vscode");
  run(npm, ["install", "--omit=dev", "--ignore-scripts", ...quiet], vscodeDir);
  run(npm, ["rebuild", "kerberos", "node-pty", "native-watchdog", "@vscode/spdlog", ...quiet], vscodeDir);
  // @vscode/ripgrep's post-install would download rg; Debian's does the same job.
  const rgDir = join(vscodeDir, "node_modules", "@vscode", "ripgrep", "bin");
  mkdirSync(rgDir, { recursive: true });
  copyFileSync("/usr/bin/rg", join(rgDir, "rg"));
  // VS Code looks for its modules in node_modules.asar when not run from sources.
  symlinkSync("node_modules", join(vscodeDir, "node_modules.asar"));
  run(npm, ["install", "--omit=dev", "--ignore-scripts", ...quiet], join(vscodeDir, "extensions"));
}

// Debian packages, by a file each one installs: Chromium drives the workbench
// in the tests; ripgrep and the Kerberos headers are needed by the install.
const SYSTEM_PACKAGES = {
  chromium: "/usr/bin/chromium",
  ripgrep: "/usr/bin/rg",
  "libkrb5-dev": "/usr/include/krb5.h",
  // Not for VS Code: PyTorch's profiler is the independent counter of the MACs oracle test (test/oracle/macs.test.ts).
  "python3-torch": "/usr/lib/python3/dist-packages/torch/__init__.py",
};

/**
 * Installs the missing Debian packages with apt-get when running as root (CI,
 * this kind of machine); otherwise says which to install.
 */
export function ensureSystemPackages() {
  const missing = Object.entries(SYSTEM_PACKAGES).filter(([, file]) => !existsSync(file)).map(([name]) => name);
  if (missing.length === 0) return;
  console.error(`installing Debian packages: ${missing.join(" ")}`);
  if (process.getuid?.() !== 0) {
    throw new Error(`missing Debian packages: sudo apt-get install ${missing.join(" ")}`);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  for (const args of [["update", "-qq"], ["install", "-y", "-qq", "--no-install-recommends", ...missing]]) {
    const result = spawnSync("apt-get", args, { env, stdio: ["ignore", "inherit", "inherit"] });
    if (result.status !== 0) throw new Error(`apt-get ${args.join(" ")} failed with ${result.status ?? result.signal}`);
  }
}

/** Installs code-server unless a complete install is cached; returns its entry script. */
export function ensureCodeServer() {
  const entry = join(installDir, "node_modules", "code-server", "out", "node", "entry.js");
  if (existsSync(completeMarker)) return entry;
  // Install beside the final folder, then move it in place, so that the cache
  // only ever holds a complete install.
  const staging = `${installDir}.partial`;
  rmSync(staging, { recursive: true, force: true });
  const started = Date.now();
  console.error(`code-server install: ${CODE_SERVER_VERSION} into ${installDir}`);
  install(staging);
  writeFileSync(join(staging, ".complete"), `${CODE_SERVER_VERSION}\n`);
  rmSync(installDir, { recursive: true, force: true });
  renameSync(staging, installDir);
  console.error(`code-server install: done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return entry;
}

async function freePort() {
  const server = createServer();
  await new Promise((resolve, reject) => server.once("error", reject).listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Starts code-server on 127.0.0.1 with a fresh user-data folder and the given
 * extensions folder (a fresh one by default). Resolves when it answers HTTP.
 * `workbenchUrl(folder, payload)` is the address that opens `folder`;
 * `remoteUri(path)` names a path on this server for the payload.
 */
export async function startCodeServer({ extensionsDir, port, settings = {}, stdio = "pipe" } = {}) {
  const entry = ensureCodeServer();
  const home = mkdtempSync(join(tmpdir(), "layer-lens-code-server-"));
  const userDataDir = join(home, "user-data");
  const extensions = extensionsDir ?? join(home, "extensions");
  mkdirSync(join(userDataDir, "User"), { recursive: true });
  mkdirSync(extensions, { recursive: true });
  const userSettings = {
    "workbench.startupEditor": "none",
    "workbench.tips.enabled": false,
    "extensions.ignoreRecommendations": true,
    "extensions.autoCheckUpdates": false,
    "extensions.autoUpdate": false,
    // The examples live inside this repository: no prompt to open it in Git.
    "git.openRepositoryInParentFolders": "never",
    "telemetry.telemetryLevel": "off",
    ...settings,
  };
  writeFileSync(join(userDataDir, "User", "settings.json"), JSON.stringify(userSettings, null, 2));
  const chosenPort = port ?? (await freePort());
  const child = spawn(
    process.execPath,
    [entry, "--config", join(home, "config.yaml"), "--auth", "none", "--bind-addr", `127.0.0.1:${chosenPort}`,
      "--user-data-dir", userDataDir, "--extensions-dir", extensions, "--disable-telemetry", "--disable-update-check", "--disable-workspace-trust"],
    // Its own process group, so that stop() also ends the extension hosts and
    // language servers it started.
    { stdio: ["ignore", stdio, stdio], detached: true },
  );
  const signalGroup = (signal) => {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // The group is already gone.
    }
  };
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal)));
  const origin = `http://127.0.0.1:${chosenPort}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const ready = await fetch(`${origin}/healthz`).then((r) => r.ok, () => false);
    if (ready) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      signalGroup("SIGKILL");
      throw new Error(`code-server did not start on ${origin} (exit ${child.exitCode})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const remoteUri = (path) => `vscode-remote://127.0.0.1:${chosenPort}${path}`;
  return {
    origin,
    child,
    userDataDir,
    remoteUri,
    workbenchUrl: (folder, payload) =>
      `${origin}/?folder=${encodeURIComponent(folder)}` + (payload ? `&payload=${encodeURIComponent(JSON.stringify(payload))}` : ""),
    async stop() {
      signalGroup("SIGTERM");
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
      signalGroup("SIGKILL");
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** Installs a packaged extension into `extensionsDir`, as a user would. */
export function installVsix(vsix, extensionsDir) {
  const result = spawnSync(process.execPath, [ensureCodeServer(), "--install-extension", vsix, "--extensions-dir", extensionsDir], {
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`installing ${vsix} failed:\n${result.stdout}${result.stderr}`);
  return result.stdout;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  ensureSystemPackages();
  console.log(ensureCodeServer());
}
