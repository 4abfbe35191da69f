// The module VS Code loads as `extensionTestsPath`, inside its extension host,
// both under code-server + Chromium (scripts/test-vscode.mjs) and under desktop
// VS Code (@vscode/test-electron, scripts/test-desktop.mjs). It runs every
// bundled *.test.js beside it with mocha and rejects when any test fails.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import Mocha from "mocha";

export async function run(): Promise<void> {
  // The first test waits for the language server to start, in a busy CI.
  const mocha = new Mocha({ ui: "tdd", timeout: 60_000, color: false, reporter: "spec" });
  const files = readdirSync(__dirname).filter((f) => f.endsWith(".test.js")).sort();
  if (files.length === 0) throw new Error(`no *.test.js in ${__dirname}: run scripts/build-vscode-tests.mjs`);
  for (const file of files) mocha.addFile(join(__dirname, file));
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  if (failures > 0) throw new Error(`${failures} of the VS Code integration tests failed`);
}
