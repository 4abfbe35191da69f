/**
 * The server never runs the user's code. It analyses a file full of
 * `os.system`, `subprocess`, `__import__`, `eval`, `exec`, file writes and
 * network calls while confined by Node's permission model (no file writes, no
 * child processes, no workers) and with code generation from strings disabled,
 * so any attempt would fail loudly; and the test checks from outside that no
 * file appeared, no connection reached a listening port and no socket or child
 * process was created.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync } from "node:fs";
import { createServer, Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LspClient, labelsByLine, lineOf } from "../lsp/client";

/** Node's permission model: reads allowed, no writes, no child processes, no workers; no eval in the server either. */
const CONFINED = ["--experimental-permission", "--allow-fs-read=*", "--disallow-code-generation-from-strings"];

let home: string;
let listener: Server;
let port: number;
let connections = 0;
let client: LspClient;

before(async () => {
  home = realpathSync(mkdtempSync(join(tmpdir(), "layer-lens-security-")));
  listener = createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
  port = (listener.address() as { port: number }).port;
  client = await LspClient.start(undefined, { nodeArgs: CONFINED, cwd: home, env: { PATH: process.env.PATH, HOME: home, TMPDIR: home } });
});

after(async () => {
  await client?.stop();
  listener?.close();
  rmSync(home, { recursive: true, force: true });
});

function hostile(dir: string, port: number): string {
  const touch = (name: string) => `${dir}/${name}`;
  return [
    "import os, subprocess, socket, urllib.request, shutil",
    "import keras",
    "from keras import layers",
    `os.system("touch ${touch("os-system")}")`,
    `subprocess.run(["touch", "${touch("subprocess")}"])`,
    `subprocess.Popen("touch ${touch("popen")}", shell=True)`,
    `__import__("os").system("touch ${touch("dunder-import")}")`,
    `eval("__import__('os').system('touch ${touch("eval")}')")`,
    `exec("open('${touch("exec")}', 'w').write('x')")`,
    `open("${touch("open")}", "w").write("x")`,
    `shutil.copy("/etc/hostname", "${touch("copy")}")`,
    `socket.create_connection(("127.0.0.1", ${port}))`,
    `urllib.request.urlopen("http://127.0.0.1:${port}/")`,
    `units = eval("os.system('touch ${touch("units")}') or 3")`,
    "m = keras.Sequential([",
    "    keras.Input(shape=(4,)),",
    "    layers.Dense(3),",
    `    layers.Dense(int(exec("import os; os.system('touch ${touch("layer")}')") or 2)),`,
    "    layers.Dense(units),",
    "])",
    "",
  ].join("\n");
}

/** Socket inodes among a process's open file descriptors. */
function sockets(pid: number): string[] {
  return readdirSync(`/proc/${pid}/fd`).flatMap((fd) => {
    try {
      const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      return target.startsWith("socket:") ? [target] : [];
    } catch {
      return []; // closed meanwhile
    }
  });
}

const children = (pid: number) => readdirSync(`/proc/${pid}/task`).flatMap((task) => readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim().split(/\s+/).filter(Boolean));

test("the confinement is real: the same Node flags make writing a file and starting a process fail", () => {
  const attempt = (code: string) => spawnSync(process.execPath, [...CONFINED, "-e", code], { cwd: home, encoding: "utf8" });
  const write = attempt(`require("fs").writeFileSync(${JSON.stringify(join(home, "probe"))}, "x")`);
  assert.notEqual(write.status, 0);
  assert.match(write.stderr, /ERR_ACCESS_DENIED/);
  const spawnAttempt = attempt(`require("child_process").spawnSync("true")`);
  assert.notEqual(spawnAttempt.status, 0);
  assert.match(spawnAttempt.stderr, /ERR_ACCESS_DENIED/);
  const evaluate = attempt(`eval("1 + 1")`);
  assert.notEqual(evaluate.status, 0);
  assert.match(evaluate.stderr, /EvalError|Code generation from strings disallowed/);
  assert.deepEqual(readdirSync(home), []);
});

test("analysing a file full of os.system, subprocess, __import__, eval, exec, file and network calls runs none of it", async () => {
  const pid = client.child.pid!;
  const socketsBefore = sockets(pid);
  const text = hostile(home, port);
  const uri = client.uri("hostile.py");
  const published = await client.open(uri, text);
  const byLine = labelsByLine(await client.inlayHints(uri));
  for (let line = 0; line < text.split("\n").length; line++) await client.hover(uri, line, 6);

  // The analysis ran: Input (4,) → Dense(3): 4·3 + 3 = 15 params; what eval/exec would compute stays unknown.
  assert.deepEqual(byLine.get(lineOf(text, "layers.Dense(3)")), ["(None, 3) · 15 params"]);
  assert.ok(!byLine.get(lineOf(text, "layers.Dense(units)"))?.some((l) => /^\(None, \d/.test(l)), "a shape computed from eval");
  assert.ok(Array.isArray(published.diagnostics));

  // Nothing was executed, written or connected.
  assert.deepEqual(readdirSync(home), [], "files appeared in the sandbox");
  assert.equal(connections, 0, "a connection reached the listening port");
  assert.deepEqual(sockets(pid), socketsBefore, "the server opened a socket");
  assert.deepEqual(children(pid), [], "the server started a process");
  const trail = [...client.logs, client.stderr].join("\n");
  assert.doesNotMatch(trail, /ERR_ACCESS_DENIED|EvalError|failed/);
  assert.ok(client.alive);
});
