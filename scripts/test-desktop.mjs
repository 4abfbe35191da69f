// Runs the VS Code integration suite (test/vscode/suite) in desktop VS Code
// with @vscode/test-electron, which downloads VS Code into .vscode-test/ first:
// for machines with internet access. Offline, scripts/test-vscode.mjs runs the
// same suite in code-server. Usage: node scripts/test-desktop.mjs (after npm run build)
import { runTests } from "@vscode/test-electron";
import { join } from "node:path";
import { ROOT, buildSuite } from "./vscode-suite.mjs";

const extensionTestsPath = await buildSuite();
try {
  await runTests({
    extensionDevelopmentPath: ROOT,
    extensionTestsPath,
    // The examples as the workspace; no other extension, no welcome page.
    launchArgs: [join(ROOT, "examples"), "--disable-extensions", "--skip-welcome", "--skip-release-notes"],
  });
} catch (error) {
  console.error(`VS Code integration tests failed: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
