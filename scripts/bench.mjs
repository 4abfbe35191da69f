// The benchmark: drives dist/server.js over stdio as an editor does, on
// generated Keras files of 1,000 / 10,000 / 50,000 lines, a PyTorch file of 10,000 and a generated project
// of many files importing each other (issue 20), and prints latency
// and memory next to two references measured in the same run on the same
// files: Lezer parsing alone (the floor) and basedpyright's language server
// answering inlay hints. Targets are printed with pass/fail; they are never
// asserted in tests.
//
// Usage: node scripts/bench.mjs [--sizes=1000,10000,50000] [--edits=300]
//                                [--pyright-edits=10] [--no-basedpyright]
// BENCH_ONLY=project (or keras, torch; comma-separated) runs only those sections, e.g. while iterating on one.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync, existsSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { TreeFragment } from "@lezer/common";
import { parser } from "@lezer/python";
import { editSite, generateKerasFile, generateProject, generateTorchFile, siteAt, spreadSites } from "./bench-corpus.mjs";
import { StdioServer } from "./lsp-stdio.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
/** The server measured; LAYER_LENS_SERVER may point at another build (e.g. to compare with a previous commit). */
const SERVER = process.env.LAYER_LENS_SERVER ?? join(root, "dist", "server.js");
const BASEDPYRIGHT = join(root, "node_modules", "basedpyright", "langserver.index.js");
const REPLAY_SERVER = join(root, "scripts", "bench-replay-server.mjs");

const args = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const [key, value] = a.replace(/^--/, "").split("=");
    return [key, value ?? true];
  }),
);
const SIZES = String(args.sizes ?? "1000,10000,50000").split(",").map(Number);
const EDITS = Number(args.edits ?? 300);
const WHOLE_FILE_EDITS = Math.max(10, Math.floor(EDITS / 10));
const HOVERS = Math.max(20, Math.floor(EDITS / 3));
const PYRIGHT_EDITS = Number(args["pyright-edits"] ?? 10);
/** Edits all over the file, each at another Dense call: a long session touches many parts, which the analysis keeps. */
const SPREAD_EDITS = Math.max(20, Math.floor((EDITS * 2) / 3));
const WITH_PYRIGHT = !args["no-basedpyright"] && existsSync(BASEDPYRIGHT);
/** Every this many edits the typist pauses long enough for debounced diagnostics to run. */
/** Edits typed near a syntax error (see `measureBroken`), per kind of error. */
const BROKEN_EDITS = Math.max(2, Math.round(EDITS / 3));
const PAUSE_EVERY = 25;
const PAUSE_MS = 250;
const REFERENCE_TIMEOUT_MS = 120_000;
/** The sections of a run: the Keras files (with the references), the PyTorch file, the project (issue 20). */
const SECTIONS = ["keras", "torch", "project"];
const ONLY = process.env.BENCH_ONLY ? process.env.BENCH_ONLY.split(",") : SECTIONS;
const runs = (section) => ONLY.includes(section);
/** The project's long file, the one edited, as long as the Keras file the targets are set on. */
const PROJECT_LINES = 10_000;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function percentile(values, p) {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/**
 * The benchmark's typing: insert a digit before the units of a Dense call, then delete it,
 * alternately; each insertion types another digit than the last, so, as in real typing, its
 * text is new to the server and the model it sits in is analysed again.
 */
function* typing(site, count) {
  const at = site.position;
  const after = { line: at.line, character: at.character + 1 };
  for (let i = 0; i < count; i++) {
    const digit = String(1 + ((i / 2) % 9));
    yield i % 2 === 0 ? { range: { start: at, end: at }, text: digit, from: site.offset, to: site.offset, inserted: 1 } : { range: { start: at, end: after }, text: "", from: site.offset, to: site.offset + 1, inserted: 0 };
  }
}

const wholeFile = (text) => ({ start: { line: 0, character: 0 }, end: { line: text.split("\n").length, character: 0 } });

/** Times `count` edits each followed by `request`; returns the latencies in ms (edit sent → answer). */
async function timeEdits(server, uri, site, count, request) {
  const times = [];
  for (const edit of typing(site, count)) {
    const t0 = performance.now();
    void server.change(uri, edit.range, edit.text);
    await request();
    times.push(performance.now() - t0);
    if (times.length % PAUSE_EVERY === 0) await sleep(PAUSE_MS);
  }
  // Leave the document as it was: an even number of edits cancels out, an odd one is undone.
  if (count % 2) await server.change(uri, { start: site.position, end: { ...site.position, character: site.position.character + 1 } }, "");
  return times;
}

const COLD_STARTS = 5;
/** The first 60 lines: what an editor shows of a file it opens. */
const TOP = { start: { line: 0, character: 0 }, end: { line: 60, character: 0 } };
/**
 * What the VS Code client starts (client/src/serverProcess.ts): the loader beside the bundle, which runs it
 * with a V8 code cache (server/loader; a build from before it has none: the bundle itself), in this
 * environment without NODE_EXTRA_CA_CERTS, which Node reads at every start, for connections the server
 * never opens. Its code cache is the benchmark's own, made by a first start (`primeCodeCache`), as a
 * user's is by the first window after an install or update.
 */
const LOADER = join(dirname(SERVER), "loader.js");
const CLIENT_SERVER = existsSync(LOADER) ? LOADER : SERVER;
const CODE_CACHE = mkdtempSync(join(tmpdir(), "layer-lens-bench-code-cache-"));
process.on("exit", () => rmSync(CODE_CACHE, { recursive: true, force: true }));
const CLIENT_ENV = {
  ...Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== "NODE_EXTRA_CA_CERTS")),
  LAYER_LENS_CODE_CACHE_DIR: CODE_CACHE,
};
const CLIENT = { server: CLIENT_SERVER, env: CLIENT_ENV };
/** The bundle as other editors start it (`layer-lens-server --stdio`), in this process's environment. */
const INHERITED = { server: SERVER, env: process.env };

/** The workspace folder a file is measured in: its own folder. */
const folderOf = (path) => pathToFileURL(dirname(path)).href;

/**
 * Spawn → initialize → open → the first inlay hints for `range`, in ms, on a server of its own
 * started as `how` says (CLIENT or INHERITED) with `workspace` as its folder (null: none); then what the extension's status bar
 * asks for next, the summary of the model at the cursor (line 1, outside every model), and the time to that answer.
 */
async function coldStart(text, path, range, how, workspace) {
  const uri = pathToFileURL(path).href;
  const server = new StdioServer(process.execPath, [how.server, "--stdio"], { env: how.env });
  await server.initialize(workspace);
  const initialized = performance.now() - server.started;
  await server.open(uri, text);
  await server.inlayHints(uri, range);
  const cold = performance.now() - server.started;
  const t0 = performance.now();
  await server.connection.sendRequest("layerLens/modelSummary", { textDocument: { uri }, position: { line: 0, character: 0 } });
  const summary = performance.now() - t0;
  await server.stop();
  return { cold, initialized, summary };
}

/** Node alone: spawn → exit of an empty script, in `env`: the part of a cold start no server code runs in. */
async function nodeAlone(env = process.env) {
  const started = performance.now();
  await new Promise((resolve) => spawn(process.execPath, ["-e", ""], { env, stdio: "ignore" }).once("exit", resolve));
  return performance.now() - started;
}

/** Starts the server as the client does on `text` until the loader has written its code cache (it does so 2 s after its start). */
async function primeCodeCache(text, path, workspace) {
  if (CLIENT_SERVER !== LOADER || readdirSync(CODE_CACHE).length) return;
  const uri = pathToFileURL(path).href;
  const server = new StdioServer(process.execPath, [CLIENT_SERVER, "--stdio"], { env: CLIENT_ENV });
  await server.initialize(workspace);
  await server.open(uri, text);
  await server.inlayHints(uri, TOP);
  const deadline = Date.now() + 20_000;
  while (!readdirSync(CODE_CACHE).some((name) => name.endsWith(".cache")) && Date.now() < deadline) await sleep(100);
  await server.stop();
}

/** Cold starts, each on a server of its own, as this process is started and as the VS Code client starts it (medians of COLD_STARTS). */
async function coldStarts(text, path, workspace) {
  const runs = { inherited: [], client: [] };
  await primeCodeCache(text, path, workspace);
  for (let i = 0; i < COLD_STARTS; i++) {
    runs.inherited.push({ ...(await coldStart(text, path, TOP, INHERITED, workspace)), node: await nodeAlone() });
    runs.client.push({ ...(await coldStart(text, path, TOP, CLIENT, workspace)), node: await nodeAlone(CLIENT_ENV) });
  }
  const median = (list, key) => percentile(list.map((run) => run[key]), 50);
  const summarise = (list) => ({ cold: median(list, "cold"), initialized: median(list, "initialized"), node: median(list, "node"), summary: median(list, "summary") });
  return { inherited: summarise(runs.inherited), client: summarise(runs.client) };
}

/** The sessions of one file, typed in at `site`, with `workspace` as the server's folder (null: none). */
async function measureLayerLens(text, path, site = editSite(text), workspace = folderOf(path)) {
  const uri = pathToFileURL(path).href;
  const server = new StdioServer(process.execPath, [SERVER, "--stdio"]);
  await server.initialize(workspace);
  await server.open(uri, text);
  const first = await server.inlayHints(uri, site.visible);
  // The edits' visible lines are mid-file, as in a view restored at its last place.
  const coldMiddle = performance.now() - server.started;
  const cpuBefore = server.cpuMs();
  const visible = await timeEdits(server, uri, site, EDITS, () => server.inlayHints(uri, site.visible));
  const cpuPerEdit = (server.cpuMs() - cpuBefore) / EDITS;
  let wholeAnswer;
  const whole = await timeEdits(server, uri, site, WHOLE_FILE_EDITS, async () => (wholeAnswer = await server.inlayHints(uri, wholeFile(text))));
  const hover = await timeEdits(server, uri, site, HOVERS, () => server.hover(uri, site.position));
  const rss = server.peakRssMb();
  const failures = server.logs.filter((l) => /failed/.test(l));
  await server.stop();
  // Spawning a process is the noisiest thing measured here: medians of five.
  const starts = await coldStarts(text, path, workspace);
  return { cold: starts.client.cold, starts, summaryAtOpen: starts.client.summary, coldMiddle, first, visible, cpuPerEdit, whole, wholeAnswer, hover, rss, failures };
}

/**
 * The floor under a whole-file answer: the same edits, each followed by the same request, to a server
 * that answers with the hints Layer Lens gave, doing no work (`bench-replay-server.mjs`).
 */
async function measureReplay(text, path, answer) {
  const answerPath = join(dirname(path), "whole-file-hints.json");
  const json = JSON.stringify(answer);
  writeFileSync(answerPath, json);
  const uri = pathToFileURL(path).href;
  const server = new StdioServer(process.execPath, [REPLAY_SERVER, answerPath, "--stdio"]);
  await server.initialize(pathToFileURL(dirname(path)).href);
  await server.open(uri, text);
  const times = await timeEdits(server, uri, editSite(text), WHOLE_FILE_EDITS, () => server.inlayHints(uri, wholeFile(text)));
  await server.stop();
  return { hints: answer.length, bytes: Buffer.byteLength(json), times };
}

/**
 * A session of edits all over a file (each inserts a digit at another site, then asks for the hints
 * around it), on a server of its own: latency where the analysis has not just been warmed at the
 * same place, and the memory a kept analysis of many edited parts holds. Once the file is analysed,
 * or right after opening it (`justOpened`: a long file is then analysed only as far as the edits).
 */
async function measureSpread(text, path, justOpened) {
  const uri = pathToFileURL(path).href;
  const sites = spreadSites(text, SPREAD_EDITS);
  const server = new StdioServer(process.execPath, [SERVER, "--stdio"]);
  await server.initialize(pathToFileURL(dirname(path)).href);
  await server.open(uri, text);
  await server.inlayHints(uri, sites[0].visible);
  if (!justOpened) await server.diagnosticsFor(uri);
  const times = [];
  for (const site of sites) {
    const t0 = performance.now();
    void server.change(uri, { start: site.position, end: site.position }, "1");
    await server.inlayHints(uri, site.visible);
    times.push(performance.now() - t0);
    if (times.length % PAUSE_EVERY === 0) await sleep(PAUSE_MS);
  }
  const rss = server.peakRssMb();
  await server.stop();
  return { times, rss };
}

/**
 * The same typing with a syntax error on the line above it, as while a line is half typed: one that
 * leaves brackets balanced, and one that leaves a bracket open. Near an error an edited file is
 * parsed without reusing the old tree there (python/errorZones.ts), so these cost more than clean code.
 */
const BROKEN_LINES = { "stray tokens": "    1 +* ,\n", "unclosed bracket": "    layers.Dense(\n" };

async function measureBroken(text, path) {
  const site = editSite(text);
  const lineStart = text.lastIndexOf("\n", site.offset - 1) + 1;
  const results = {};
  for (const [kind, line] of Object.entries(BROKEN_LINES)) {
    const broken = text.slice(0, lineStart) + line + text.slice(lineStart);
    const uri = pathToFileURL(path).href;
    const server = new StdioServer(process.execPath, [SERVER, "--stdio"]);
    await server.initialize(pathToFileURL(dirname(path)).href);
    await server.open(uri, broken);
    const brokenSite = siteAt(broken, site.offset + line.length);
    await server.inlayHints(uri, brokenSite.visible);
    results[kind] = await timeEdits(server, uri, brokenSite, BROKEN_EDITS, () => server.inlayHints(uri, brokenSite.visible));
    await server.stop();
  }
  return results;
}

function measureParse(text, site) {
  const t0 = performance.now();
  let tree = parser.parse(text);
  const cold = performance.now() - t0;
  let fragments = TreeFragment.addTree(tree);
  let current = text;
  const times = [];
  for (const edit of typing(site, EDITS)) {
    const t = performance.now();
    current = current.slice(0, edit.from) + edit.text + current.slice(edit.to);
    fragments = TreeFragment.applyChanges(fragments, [{ fromA: edit.from, toA: edit.to, fromB: edit.from, toB: edit.from + edit.inserted }]);
    tree = parser.parse(current, fragments);
    fragments = TreeFragment.addTree(tree, fragments);
    times.push(performance.now() - t);
  }
  return { cold, incremental: times };
}

async function measureBasedpyright(text, path) {
  const uri = pathToFileURL(path).href;
  const site = editSite(text);
  const server = new StdioServer(process.execPath, [BASEDPYRIGHT, "--stdio"], { cwd: dirname(path) });
  const bounded = (promise, what) =>
    Promise.race([promise, sleep(REFERENCE_TIMEOUT_MS).then(() => Promise.reject(new Error(`basedpyright: no answer to ${what} within ${REFERENCE_TIMEOUT_MS} ms`)))]);
  try {
    await bounded(server.initialize(pathToFileURL(dirname(path)).href), "initialize");
    await server.open(uri, text);
    const first = await bounded(server.inlayHints(uri, site.visible), "the first inlay hints");
    const cold = performance.now() - server.started;
    const visible = [];
    for (const edit of typing(site, PYRIGHT_EDITS)) {
      const t0 = performance.now();
      void server.change(uri, edit.range, edit.text);
      await bounded(server.inlayHints(uri, site.visible), "inlay hints after an edit");
      visible.push(performance.now() - t0);
    }
    return { cold, hints: first?.length ?? 0, visible, rss: server.peakRssMb() };
  } catch (error) {
    return { error: error.message };
  } finally {
    await server.stop();
  }
}

/** A hint's label as the editor shows it (a string, or parts). */
const labelText = (hint) => (typeof hint.label === "string" ? hint.label : hint.label.map((part) => part.value).join(""));

/** What an answer shows on one line (its hints' labels), undefined if nothing. */
function lineLabel(answer, line) {
  const labels = answer.filter((hint) => hint.position.line === line).map(labelText);
  return labels.length ? labels.join(" | ") : undefined;
}

/**
 * The lines of `range` that call one of the project's helpers, and those among them whose hint has no parameter
 * count: every helper of the project makes weights, so a line without one means its module was not followed.
 */
function helperCallsWithoutParams(answer, helperLines, range) {
  const calls = helperLines.filter((line) => line >= range.start.line && line < range.end.line);
  return { calls, missing: calls.filter((line) => !/params/.test(lineLabel(answer, line) ?? "")) };
}

/** Even, so that the module ends each series as it began. */
const CROSS_FILE_EDITS = 2 * Math.max(5, Math.floor(EDITS / 20));
/** How long after an edit a hint reflecting it may take before the edit counts as lost. */
const CROSS_FILE_TIMEOUT_MS = 10_000;
/** Between cross-file edits: no refresh for this long means the last edit's re-analyses are all done. */
const SETTLED_MS = 500;

/**
 * An edit in a block module open beside the long file that imports it (issue 20): a digit typed into the filter
 * count of a stem helper, then deleted, the long file's hints for the 60 lines around its call asked for (1) as an
 * editor does, when the server asks for hints again (`workspace/inlayHint/refresh`, sent once the importers are
 * analysed again), and (2) at once and again until the answer shows the change (what the server could answer
 * soonest). Each edit is timed to the first answer whose label on the stem's line shows it; `withModels` opens the
 * project's model scripts too, which import the blocks and are analysed again after each edit as well.
 */
async function measureCrossFile(project, withModels) {
  const { edited, crossFile } = project;
  const server = new StdioServer(process.execPath, [SERVER, "--stdio"]);
  let lastRefresh = -Infinity;
  let onRefresh = () => undefined;
  server.connection.onRequest("workspace/inlayHint/refresh", () => {
    lastRefresh = performance.now();
    onRefresh();
    return null;
  });
  const nextRefresh = () => new Promise((resolve) => (onRefresh = resolve));
  const settled = async () => {
    do await sleep(SETTLED_MS);
    while (performance.now() - lastRefresh < SETTLED_MS);
  };
  await server.initialize(pathToFileURL(project.root).href);
  const uri = pathToFileURL(edited.path).href;
  await server.open(uri, edited.text);
  await server.open(pathToFileURL(crossFile.module.path).href, crossFile.module.text);
  const models = withModels ? project.files.filter((path) => /[\/]models[\/]/.test(path)) : [];
  for (const path of models) await server.open(pathToFileURL(path).href, readFileSync(path, "utf8"));
  const range = edited.site.visible;
  const stemLine = async () => lineLabel(await server.inlayHints(uri, range), crossFile.importerLine);
  const unedited = await stemLine();
  await server.diagnosticsFor(uri);
  await settled();

  const moduleUri = pathToFileURL(crossFile.module.path).href;
  const times = { refreshed: [], polled: [] };
  let lost = 0;
  for (const [mode, wait] of [["refreshed", nextRefresh], ["polled", () => Promise.resolve()]]) {
    for (const edit of typing(crossFile.module.site, CROSS_FILE_EDITS)) {
      // An insertion changes the stem's parameters, a deletion brings them back.
      const shows = (label) => label !== undefined && (edit.inserted ? label !== unedited : label === unedited);
      const t0 = performance.now();
      let asked = wait();
      void server.change(moduleUri, edit.range, edit.text);
      for (;;) {
        const left = CROSS_FILE_TIMEOUT_MS - (performance.now() - t0);
        if (left <= 0 || (await Promise.race([asked.then(() => true), sleep(left).then(() => false)])) === false) {
          lost++;
          break;
        }
        asked = wait();
        if (shows(await stemLine())) {
          times[mode].push(performance.now() - t0);
          break;
        }
      }
      await settled();
    }
  }
  const rss = server.peakRssMb();
  const failures = server.logs.filter((l) => /failed/.test(l));
  await server.stop();
  return { open: 2 + models.length, unedited, times, lost, rss, failures };
}

const ms = (v) => (Number.isFinite(v) ? (v >= 100 ? v.toFixed(0) : v.toFixed(1)) : "–");
const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(a / b >= 10 ? 0 : 1)}×` : "–");

function row(cells, widths) {
  return `| ${cells.map((c, i) => String(c).padEnd(widths[i])).join(" | ")} |`;
}

/** Prints nothing for a section not run (no rows). */
function printTable(title, header, rows) {
  if (!rows.length) return;
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  console.log(`\n${title}\n`);
  console.log(row(header, widths));
  console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const r of rows) console.log(row(r, widths));
}

if (ONLY.some((section) => !SECTIONS.includes(section))) {
  console.error(`BENCH_ONLY names sections among ${SECTIONS.join(", ")}.`);
  process.exit(1);
}
if (!existsSync(SERVER)) {
  console.error("dist/server.js is missing: run `npm run build` first.");
  process.exit(1);
}
if (!WITH_PYRIGHT && !args["no-basedpyright"]) console.error("basedpyright is not installed (npm install): the reference is skipped.");

const dir = join(tmpdir(), "layer-lens-bench");
mkdirSync(dir, { recursive: true });
console.log(`Layer Lens benchmark — ${new Date().toISOString()} — ${cpus().length} × ${cpus()[0]?.model ?? "CPU"}, Node ${process.version}`);
console.log(`${EDITS} single-character edits per file → visible-range hints (60 lines), ${WHOLE_FILE_EDITS} → whole-file hints, ${HOVERS} → hover;`);
console.log(`a ${PAUSE_MS} ms pause every ${PAUSE_EVERY} edits lets debounced diagnostics run. basedpyright: ${WITH_PYRIGHT ? `${PYRIGHT_EDITS} edits` : "skipped"}.`);

const results = [];
for (const lines of runs("keras") ? SIZES : []) {
  const text = generateKerasFile(lines);
  // One folder per file, so basedpyright's workspace holds only the file measured.
  const path = join(dir, String(lines), `bench_${lines}.py`);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  const lens = await measureLayerLens(text, path);
  const spread = await measureSpread(text, path, false);
  const spreadOpened = await measureSpread(text, path, true);
  const parse = measureParse(text, editSite(text));
  const broken = await measureBroken(text, path);
  const replay = await measureReplay(text, path, lens.wholeAnswer);
  const pyright = WITH_PYRIGHT ? await measureBasedpyright(text, path) : undefined;
  results.push({ lines, chars: text.length, lens, spread, spreadOpened, parse, broken, replay, pyright });
  console.error(`  measured ${lines.toLocaleString("en")} lines`);
}

// PyTorch: a generated file of module classes, Sequential models and training code, typed in at an nn.Linear.
const TORCH_LINES = 10_000;
const torchText = generateTorchFile(TORCH_LINES);
let torch;
if (runs("torch")) {
  const torchPath = join(dir, "torch", `bench_torch_${TORCH_LINES}.py`);
  mkdirSync(dirname(torchPath), { recursive: true });
  writeFileSync(torchPath, torchText);
  torch = await measureLayerLens(torchText, torchPath, editSite(torchText, "nn.Linear("));
  console.error(`  measured the PyTorch file`);
}

// A project (issue 20): its long file, which imports the blocks, typed in at a helper's argument; then its blocks edited.
let project;
if (runs("project")) {
  const root = join(dir, "project");
  // A module left by an older generator would still be found by an import.
  rmSync(root, { recursive: true, force: true });
  const generated = generateProject(root, { lines: PROJECT_LINES });
  const { edited } = generated;
  const lens = await measureLayerLens(edited.text, edited.path, edited.site);
  // The control: the same file and edits with no workspace folder, so that no import is followed.
  const unfollowed = await measureLayerLens(edited.text, edited.path, edited.site, null);
  const crossFile = await measureCrossFile(generated, false);
  const crossFileWithModels = await measureCrossFile(generated, true);
  const helperCalls = helperCallsWithoutParams(lens.first, edited.helperLines, edited.site.visible);
  project = { generated, lens, unfollowed, crossFile, crossFileWithModels, helperCalls };
  console.error(`  measured the project`);
}

printTable(
  "Layer Lens (ms unless noted)",
  ["file", "cold start (top, median of 5, started as by VS Code's client)", "then status-bar summary", "cold start (mid-file)", "edit→visible p50", "edit→visible p99", "server CPU / edit", "edit→whole p50", "edit→whole p99", "hover p99", "max request", "peak RSS"],
  results.map(({ lines, chars, lens }) => [
    `${lines.toLocaleString("en")} lines (${(chars / 1024).toFixed(0)} KB)`,
    ms(lens.cold),
    ms(lens.summaryAtOpen),
    ms(lens.coldMiddle),
    ms(percentile(lens.visible, 50)),
    ms(percentile(lens.visible, 99)),
    ms(lens.cpuPerEdit),
    ms(percentile(lens.whole, 50)),
    ms(percentile(lens.whole, 99)),
    ms(percentile(lens.hover, 99)),
    ms(Math.max(...lens.visible, ...lens.whole, ...lens.hover)),
    `${lens.rss.toFixed(0)} MB`,
  ]),
);

/** A run's edit → visible p50 and p99, edit → whole p99 and hover p99. */
const editCells = (run) => [ms(percentile(run.visible, 50)), ms(percentile(run.visible, 99)), ms(percentile(run.whole, 99)), ms(percentile(run.hover, 99))];

printTable(
  "PyTorch (ms unless noted; the same edits at an nn.Linear, the same requests)",
  ["file", "cold start", "edit→visible p50", "edit→visible p99", "edit→whole p99", "hover p99", "peak RSS"],
  torch ? [[`${TORCH_LINES.toLocaleString("en")} lines (${(torchText.length / 1024).toFixed(0)} KB)`, ms(torch.cold), ...editCells(torch), `${torch.rss.toFixed(0)} MB`]] : [],
);

if (project) {
  const { generated, lens, unfollowed, crossFile, crossFileWithModels, helperCalls } = project;
  printTable(
    `Project (issue 20; ms unless noted): ${generated.files.length} files; its ${PROJECT_LINES.toLocaleString("en")}-line file (${(generated.edited.text.length / 1024).toFixed(0)} KB) imports the blocks and is typed in at a helper call's argument, the same requests`,
    ["the long file", "cold start (top, median of 5, started as by VS Code's client)", "of which initialize → first hints", "cold start (mid-file)", "edit→visible p50", "edit→visible p99", "edit→whole p99", "hover p99", "peak RSS"],
    [["its imports followed (the project as workspace folder)", lens], ["not followed (no workspace folder: the helpers' calls unknown)", unfollowed]].map(([how, run]) => [
      how,
      ms(run.cold),
      // The part imports can cost: spawning Node and loading the bundle, the noisiest, are the same in both.
      ms(run.starts.client.cold - run.starts.client.initialized),
      ms(run.coldMiddle),
      ...editCells(run),
      `${run.rss.toFixed(0)} MB`,
    ]),
  );
  printTable(
    `Project: a block module edited beside the long file (${CROSS_FILE_EDITS} edits of a stem's filter count per way of asking) → the long file's hints on the line calling it show the change`,
    ["documents open", "as an editor asks (on refresh) p50", "p99", "max", "asked at once, again until shown p50", "p99", "lost", "peak RSS"],
    [crossFile, crossFileWithModels].map((run) => [
      run.open === 2 ? "the long file and the module" : `those and the ${run.open - 2} model scripts`,
      ms(percentile(run.times.refreshed, 50)),
      ms(percentile(run.times.refreshed, 99)),
      ms(Math.max(...run.times.refreshed)),
      ms(percentile(run.times.polled, 50)),
      ms(percentile(run.times.polled, 99)),
      run.lost,
      `${run.rss.toFixed(0)} MB`,
    ]),
  );
  // A benchmark of a file whose imports are not followed would measure nothing of issue 20.
  if (!helperCalls.calls.length || helperCalls.missing.length)
    console.log(`\nWARNING: of the ${helperCalls.calls.length} lines calling the project's helpers in the first hints' range, ${helperCalls.missing.length} show no parameters (lines ${helperCalls.missing.map((l) => l + 1).join(", ")}): the imports may not be followed.`);
  if (crossFile.unedited === undefined) console.log("\nWARNING: the long file shows no hint on the line calling the edited stem: the cross-file measurement is meaningless.");
  for (const run of [crossFile, crossFileWithModels]) if (run.lost) console.log(`\nWARNING: ${run.lost} cross-file edit(s) never showed in the long file's hints within ${CROSS_FILE_TIMEOUT_MS / 1000} s (${run.open} documents open).`);
}

printTable(
  "Cold start, where the time goes (medians of 5): node alone is spawn → exit of an empty script; the server's is spawn → initialize answered (Node's start, the bundle loaded) → the first hints of the top 60 lines (parse and analysis)",
  ["file", "started as", "node alone", "spawn → initialize", "initialize → first hints", "cold start"],
  results.flatMap(({ lines, lens }) =>
    [["by VS Code's client (dist/loader.js, code cache made)", lens.starts.client], ["dist/server.js, in this environment", lens.starts.inherited]].map(([how, start]) => [
      `${lines.toLocaleString("en")} lines`,
      how,
      ms(start.node),
      ms(start.initialized),
      ms(start.cold - start.initialized),
      ms(start.cold),
    ]),
  ),
);

printTable(
  `Editing all over a file (${SPREAD_EDITS} edits, each at another Dense call, each → hints for the 60 lines around it)`,
  ["file", "once analysed: edit→visible p50", "p99", "max", "peak RSS", "just opened: edit→visible p50", "p99", "max"],
  results.map(({ lines, spread, spreadOpened }) => [
    `${lines.toLocaleString("en")} lines`,
    ms(percentile(spread.times, 50)),
    ms(percentile(spread.times, 99)),
    ms(Math.max(...spread.times)),
    `${spread.rss.toFixed(0)} MB`,
    ms(percentile(spreadOpened.times, 50)),
    ms(percentile(spreadOpened.times, 99)),
    ms(Math.max(...spreadOpened.times)),
  ]),
);

printTable(
  `Typing near a syntax error: the same edits (${BROKEN_EDITS}) with a broken line just above them, → visible hints`,
  ["file", "clean p50", "clean p99", ...Object.keys(BROKEN_LINES).flatMap((kind) => [`${kind} p50`, `${kind} p99`])],
  results.map(({ lines, lens, broken }) => [
    `${lines.toLocaleString("en")} lines`,
    ms(percentile(lens.visible, 50)),
    ms(percentile(lens.visible, 99)),
    ...Object.keys(BROKEN_LINES).flatMap((kind) => [ms(percentile(broken[kind], 50)), ms(percentile(broken[kind], 99))]),
  ]),
);

printTable(
  "References (same files, same edits)",
  ["file", "Lezer cold parse", "Lezer edit p50", "Lezer edit p99", "visible p50 / parse p50", "basedpyright cold", "basedpyright edit p50", "basedpyright RSS", "basedpyright p50 / ours"],
  results.map(({ lines, lens, parse, pyright }) => [
    `${lines.toLocaleString("en")} lines`,
    ms(parse.cold),
    ms(percentile(parse.incremental, 50)),
    ms(percentile(parse.incremental, 99)),
    ratio(percentile(lens.visible, 50), percentile(parse.incremental, 50)),
    pyright?.error ? "failed" : ms(pyright?.cold),
    ms(pyright?.visible ? percentile(pyright.visible, 50) : NaN),
    pyright?.rss ? `${pyright.rss.toFixed(0)} MB` : "–",
    ratio(pyright?.visible ? percentile(pyright.visible, 50) : NaN, percentile(lens.visible, 50)),
  ]),
);
printTable(
  "Whole-file answers and their floor: the same answer replayed by a server that does no work (same edits)",
  ["file", "hints", "JSON", "replayed p50", "replayed max", "Layer Lens p50", "Layer Lens max", "p50 / replayed p50"],
  results.map(({ lines, lens, replay }) => [
    `${lines.toLocaleString("en")} lines`,
    replay.hints.toLocaleString("en"),
    `${(replay.bytes / 1e6).toFixed(1)} MB`,
    ms(percentile(replay.times, 50)),
    ms(Math.max(...replay.times)),
    ms(percentile(lens.whole, 50)),
    ms(Math.max(...lens.whole)),
    ratio(percentile(lens.whole, 50), percentile(replay.times, 50)),
  ]),
);
for (const { lines, pyright } of results) if (pyright?.error) console.log(`\nbasedpyright on ${lines} lines: ${pyright.error}`);

const targets = [];
const ten = results.find((r) => r.lines === 10_000);
if (ten) {
  targets.push(["10,000 lines: edit → visible hints p99 < 20 ms", percentile(ten.lens.visible, 99), 20]);
  // Started as the VS Code client starts it; the table above has it in this process's environment too.
  targets.push(["10,000 lines: cold start (opened at its top, started as by VS Code's client) < 300 ms", ten.lens.cold, 300]);
  targets.push(["10,000 lines: the same ≤ 200 ms (issue 22)", ten.lens.cold, 200.5]);
  targets.push(["10,000 lines: peak RSS < 150 MB", ten.lens.rss, 150]);
}
if (torch) {
  targets.push(["PyTorch 10,000 lines: edit → visible hints p99 < 20 ms", percentile(torch.visible, 99), 20]);
  targets.push(["PyTorch 10,000 lines: cold start < 300 ms", torch.cold, 300]);
  targets.push(["PyTorch 10,000 lines: peak RSS < 150 MB", torch.rss, 150]);
}
// Issue 20: the same targets for a file whose models are built from the project's modules, read at its first hints.
if (project) {
  targets.push(["Project, 10,000-line file importing its blocks: edit → visible hints p99 < 20 ms", percentile(project.lens.visible, 99), 20]);
  targets.push(["Project, the same file: cold start (opened at its top, started as by VS Code's client) < 300 ms", project.lens.cold, 300]);
  targets.push(["Project, the same file: peak RSS < 150 MB", project.lens.rss, 150]);
}
// The targets as the developers' guide restates them (issue 5 was blocked on < 100 MB and on whole-file answers
// under 100 ms, which a server replaying the answer with no work cannot meet here): the whole-file answer is
// reported beside its replayed floor above, not held to 100 ms.
const fifty = results.find((r) => r.lines === 50_000);
if (fifty) {
  targets.push(["50,000 lines: visible-range requests < 100 ms", Math.max(...fifty.lens.visible), 100]);
  targets.push(["50,000 lines: hovers < 100 ms", Math.max(...fifty.lens.hover), 100]);
}
console.log("\nTargets\n");
for (const [name, value, limit] of targets) console.log(`${value < limit ? "PASS" : "FAIL"}  ${name} (measured ${ms(value)})`);

const failures = [
  ...results.flatMap((r) => r.lens.failures),
  ...(torch?.failures ?? []),
  ...(project ? [project.lens, project.unfollowed, project.crossFile, project.crossFileWithModels].flatMap((run) => run.failures) : []),
];
if (failures.length) {
  console.log(`\nThe server logged ${failures.length} handler failure(s):\n${failures.slice(0, 3).join("\n")}`);
  process.exitCode = 1;
}
