#!/usr/bin/env node
// The Layer Lens language server. Editors start it as `layer-lens-server --stdio`;
// with no transport named it talks over stdio all the same.
const transports = ["--stdio", "--node-ipc", "--socket", "--pipe"];
if (!process.argv.slice(2).some((arg) => transports.some((t) => arg === t || arg.startsWith(`${t}=`)))) process.argv.push("--stdio");
require("../dist/server.js");
