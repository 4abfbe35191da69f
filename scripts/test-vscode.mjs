// Runs Layer Lens inside a real VS Code (code-server, driven by Debian's
// Chromium through playwright-core) on this offline machine:
//
// 1. the integration suite (test/vscode/suite) against the development folder,
//    through VS Code's remote integration-test mechanism: the workbench loads
//    the extension from extensionDevelopmentPath and runs extensionTestsPath
//    in its extension host, reporting the exit code to codeAutomationExit;
// 2. the packaged .vsix, installed into code-server as a user would: the
//    bundled example opened in the editor must show its hints on screen,
//    which is then saved as a screenshot.
//
// Usage: node scripts/test-vscode.mjs [--screenshot PATH]   (after npm run build)
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { format, parseArgs } from "node:util";
import { chromium } from "playwright-core";
import { ensureSystemPackages, installVsix, startCodeServer } from "./code-server.mjs";
import { ROOT, buildSuite } from "./vscode-suite.mjs";

const SUITE_TIMEOUT_MS = 10 * 60_000;
const { values: options } = parseArgs({ options: { screenshot: { type: "string", default: join(ROOT, "out", "screenshot.png") } } });

const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  // The machine has no network: without these Chromium keeps trying to reach Google.
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

function log(message) {
  console.log(`[test-vscode] ${message}`);
}

/** Runs `body(page)` in a fresh headless Chromium, forwarding its console. */
async function withPage(body) {
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS, headless: true });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    return await body(page);
  } finally {
    await browser.close();
  }
}

async function withCodeServer(options, body) {
  const server = await startCodeServer(options);
  try {
    return await body(server);
  } finally {
    await server.stop();
  }
}

/** Phase 1: the mocha suite in the extension host; resolves to its counts. */
async function runSuite() {
  const testsPath = await buildSuite();
  return withCodeServer({}, (server) =>
    withPage(async (page) => {
      const counts = { passed: 0, failed: 0 };
      let reportExit;
      const exited = new Promise((resolve) => (reportExit = resolve));
      // The workbench passes on its log, the extension host's console (where
      // mocha's spec reporter writes) included, as console-style arguments.
      await page.exposeFunction("codeAutomationLog", (type, args) => {
        const text = format(...args);
        const summary = /^\s*(\d+) (passing|failing)/.exec(text);
        if (summary) counts[summary[2] === "passing" ? "passed" : "failed"] = Number(summary[1]);
        console.log(type === "info" ? text : `[${type}] ${text}`);
      });
      await page.exposeFunction("codeAutomationExit", (code) => reportExit(code));
      page.on("pageerror", (error) => console.log(`[page error] ${error.message}`));

      const payload = [
        ["extensionDevelopmentPath", server.remoteUri(ROOT)],
        ["extensionTestsPath", server.remoteUri(testsPath)],
        ["skipWelcome", "true"],
      ];
      log(`suite: ${server.origin}, extension ${ROOT}`);
      await page.goto(server.workbenchUrl(join(ROOT, "examples"), payload));
      let timer;
      const timeout = new Promise((resolve) => (timer = setTimeout(() => resolve("timeout"), SUITE_TIMEOUT_MS)));
      const code = await Promise.race([exited, timeout]);
      clearTimeout(timer);
      if (code === "timeout") throw new Error(`the suite did not finish within ${SUITE_TIMEOUT_MS / 60_000} minutes`);
      log(`suite: VS Code reported exit code ${code}`);
      if (code !== 0 && counts.failed === 0) counts.failed = 1; // failed before any test ran
      return counts;
    }),
  );
}

/** Builds the .vsix exactly as `npm run package` does, into `dir`. */
function packageVsix(dir) {
  const vsix = join(dir, "layer-lens.vsix");
  const result = spawnSync("npm", ["run", "--silent", "package", "--", "--out", vsix], { cwd: ROOT, stdio: ["ignore", "inherit", "inherit"] });
  if (result.status !== 0) throw new Error(`npm run package failed with ${result.status ?? result.signal}`);
  log(`package: ${vsix} is ${(statSync(vsix).size / 1024).toFixed(1)} KiB`);
  return vsix;
}

/** What the editor shows: VS Code renders inlay hints as text inside the view lines. */
function editorText(page) {
  return page.locator(".monaco-editor .view-lines").first().innerText().then((text) => text.replace(/\u00a0/g, " "));
}

/** Phase 2: the packaged extension, on screen. */
async function runPackaged() {
  const work = mkdtempSync(join(tmpdir(), "layer-lens-vsix-"));
  try {
    const vsix = packageVsix(work);
    const extensionsDir = join(work, "extensions");
    installVsix(vsix, extensionsDir);
    // The whole of each hinted line in the picture.
    const settings = { "editor.minimap.enabled": false };
    return await withCodeServer({ extensionsDir, settings }, (server) =>
      withPage(async (page) => {
        log(`packaged: ${server.origin}, extensions from ${extensionsDir}`);
        const payload = [["openFile", server.remoteUri(join(ROOT, "examples", "mnist_cnn.py"))], ["skipWelcome", "true"]];
        await page.goto(server.workbenchUrl(join(ROOT, "examples"), payload));
        await page.locator(".monaco-editor .view-lines").first().waitFor({ timeout: 60_000 });
        await page.keyboard.press("Control+B"); // hide the side bar

        // Hand-derived: 28 − 3 + 1 = 26 and (3·3·1 + 1)·32 = 320; 13 − 3 + 1 = 11 and (3·3·32 + 1)·64 = 18,496.
        const expected = ["(None, 26, 26, 32) · 320 params", "(None, 11, 11, 64) · 18,496 params", "Total params: 34,826 (136.04 KB)"];
        const deadline = Date.now() + 120_000;
        let shown = await editorText(page);
        while (!expected.every((label) => shown.includes(label))) {
          if (Date.now() > deadline) throw new Error(`hints never appeared on screen; the editor shows:\n${shown}`);
          await page.waitForTimeout(500);
          shown = await editorText(page);
        }
        log("packaged: the installed .vsix shows the example's hints in the editor");
        // The cursor into the model (Go to Line 15, its first Conv2D): the status bar shows its total.
        await page.keyboard.press("Control+G");
        await page.keyboard.type("15");
        await page.keyboard.press("Enter");
        const total = page.locator(".statusbar").getByText("34,826 params");
        await total.waitFor({ timeout: 60_000 });
        log(`packaged: the status bar shows "${(await total.innerText()).trim()}"`);
        mkdirSync(dirname(options.screenshot), { recursive: true });
        await page.mouse.move(0, 799); // no hover in the picture
        await page.screenshot({ path: options.screenshot });
        log(`packaged: screenshot ${options.screenshot}`);
      }),
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

ensureSystemPackages();
const counts = await runSuite();
let packaged = true;
try {
  await runPackaged();
} catch (error) {
  packaged = false;
  console.log(`[test-vscode] packaged .vsix: FAILED: ${error.stack ?? error}`);
}
const passed = counts.passed + (packaged ? 1 : 0);
const failed = counts.failed + (packaged ? 0 : 1);
console.log(`vscode: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 1 ? 0 : 1);
