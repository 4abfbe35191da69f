// `npm start`: opens the bundled examples (Keras and PyTorch) in VS Code with the extension loaded
// from this folder. Desktop VS Code when `code` is on the PATH; otherwise
// code-server on 127.0.0.1 (installed into a cache on first use), printing the
// address to open in a browser. Set PORT to choose code-server's port.
import { spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import { ensureCodeServer, ensureSystemPackages, startCodeServer } from "./code-server.mjs";
import { ROOT } from "./vscode-suite.mjs";

const examples = join(ROOT, "examples");
const mnist = join(examples, "mnist_cnn.py");
const pytorch = join(examples, "cifar_pytorch.py");

function hasDesktopCode() {
  return spawnSync("code", ["--version"], { stdio: "ignore" }).status === 0;
}

if (hasDesktopCode()) {
  console.log(`Opening ${examples} in VS Code with Layer Lens from ${ROOT}`);
  const code = spawn("code", ["--new-window", `--extensionDevelopmentPath=${ROOT}`, examples, mnist, pytorch], { stdio: "inherit" });
  code.on("exit", (status) => process.exit(status ?? 1));
} else {
  ensureSystemPackages();
  ensureCodeServer();
  const port = process.env.PORT ? Number(process.env.PORT) : undefined;
  const server = await startCodeServer({ port, stdio: "inherit" });
  const payload = [
    ["extensionDevelopmentPath", server.remoteUri(ROOT)],
    ["openFile", server.remoteUri(mnist)],
    ["openFile", server.remoteUri(pytorch)],
    ["skipWelcome", "true"],
  ];
  console.log(`\nLayer Lens in VS Code (code-server): open this address in a browser on this machine\n\n  ${server.workbenchUrl(examples, payload)}\n`);
  console.log("Press Ctrl+C to stop.");
  const stop = () => server.stop().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}
