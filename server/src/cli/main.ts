/**
 * `layer-lens PATH... [--format text|json|sarif|github] [--fail-on error|warning|never]
 * [--keras-version 2|3|auto] [--root DIR] [--jobs N]`: for each Keras model in each file, a table like
 * `model.summary()` and the diagnostics, or the same as JSON, SARIF or GitHub annotations
 * (formats.ts). A path may be a file, a folder or a glob; `.ipynb` notebooks are read by
 * their code cells. Imports of the project's own modules are followed from each file's folder, the
 * folders named and each `--root`. Exits 1 when a diagnostic is as severe as `--fail-on` (an error by
 * default), 2 on a usage or file error. Reads files; runs nothing.
 */
import { statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, resolve } from "node:path";
import { KerasVersion } from "../python/libraries/generation";
import { expandArguments } from "./files";
import { FORMATS, Format, github, json, sarif, summaryLine, text } from "./formats";
import { analyseAll, serveAsWorker } from "./parallel";
import { FileReport } from "./report";

const USAGE = "usage: layer-lens PATH... [--format text|json|sarif|github] [--json] [--fail-on error|warning|never] [--keras-version 2|3|auto] [--root DIR] [--jobs N]";

const KERAS_VERSIONS: Record<string, KerasVersion> = { "2": 2, "3": 3, auto: "auto" };
const FAIL_ON = ["error", "warning", "never"] as const;
type FailOn = (typeof FAIL_ON)[number];

interface Options {
  readonly paths: string[];
  format: Format;
  failOn: FailOn;
  kerasVersion: KerasVersion;
  jobs: number;
  readonly roots: string[];
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

const oneOf = <T extends string>(allowed: readonly T[], value: string | undefined): value is T => (allowed as readonly (string | undefined)[]).includes(value);

/** The options, "help" when asked for, or why the command line is wrong. */
function parse(argv: readonly string[]): Options | string {
  const options: Options = { paths: [], format: "text", failOn: "error", kerasVersion: "auto", jobs: availableParallelism(), roots: [] };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].startsWith("--") && argv[i].includes("=") ? [argv[i].slice(0, argv[i].indexOf("=")), argv[i].slice(argv[i].indexOf("=") + 1)] : [argv[i], undefined];
    const value = () => inline ?? argv[++i];
    if (flag === "--help" || flag === "-h") return "help";
    else if (flag === "--json") options.format = "json";
    else if (flag === "--format") {
      const format = value();
      if (!oneOf(FORMATS, format)) return `--format takes one of ${FORMATS.join(", ")}`;
      options.format = format;
    } else if (flag === "--fail-on") {
      const failOn = value();
      if (!oneOf(FAIL_ON, failOn)) return `--fail-on takes one of ${FAIL_ON.join(", ")}`;
      options.failOn = failOn;
    } else if (flag === "--keras-version") {
      const version = value();
      if (version === undefined || !Object.hasOwn(KERAS_VERSIONS, version)) return "--keras-version takes one of 2, 3, auto";
      options.kerasVersion = KERAS_VERSIONS[version];
    } else if (flag === "--jobs") {
      const jobs = Number(value());
      if (!Number.isInteger(jobs) || jobs < 1) return "--jobs takes a whole number of at least 1";
      options.jobs = jobs;
    } else if (flag === "--root") {
      const root = value();
      if (!root || !isFolder(root)) return `--root takes a folder${root ? `: ${root} is not one` : ""}`;
      options.roots.push(root);
    } else if (flag.startsWith("-")) return `unknown option ${flag}`;
    else options.paths.push(flag);
  }
  return options.paths.length ? options : "no file, folder or glob given";
}

/** Whether a report has a diagnostic as severe as `failOn` asks to fail on. */
function fails(reports: readonly FileReport[], failOn: FailOn): boolean {
  const severities = failOn === "error" ? ["error"] : failOn === "warning" ? ["error", "warning"] : [];
  return reports.some((r) => r.diagnostics.some((d) => severities.includes(d.severity)));
}

const RENDER: Record<Format, (reports: readonly FileReport[]) => string> = { text, json, sarif, github };

async function main(argv: readonly string[]): Promise<number> {
  const options = parse(argv);
  if (options === "help") {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (typeof options === "string") {
    process.stderr.write(`layer-lens: ${options}\n${USAGE}\n`);
    return 2;
  }
  const { files, problems } = expandArguments(options.paths);
  for (const problem of problems) process.stderr.write(`layer-lens: ${problem}\n`);
  // A folder named is a project: imports in its files are looked for from it as well as from each file's folder.
  const roots = [...options.roots, ...options.paths.filter(isFolder)];
  const folders = [...new Set(files.map((f) => dirname(resolve(f))))];
  const reports = await analyseAll(files, { kerasVersion: options.kerasVersion, roots, folders }, options.jobs);
  for (const report of reports) if (report.error) process.stderr.write(`layer-lens: ${report.error}\n`);
  const read = reports.filter((r) => !r.error);
  process.stdout.write(RENDER[options.format](read));
  // Machine formats keep stdout to their document; people and CI logs read the summary.
  const summary = `${summaryLine(reports)}\n`;
  if (options.format === "json" || options.format === "sarif") process.stderr.write(summary);
  else process.stdout.write(summary);
  if (problems.length || read.length < reports.length) return 2;
  return fails(read, options.failOn) ? 1 : 0;
}

if (!serveAsWorker()) {
  // A reader that stops early (`dist/cli.js model.py | head`) closes the pipe: stop quietly, as other CLIs do.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
    process.exit(process.exitCode ?? 0);
  });
  void main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    // A worker thread that died (out of memory): said in one line, as a file error is.
    (error: unknown) => {
      process.stderr.write(`layer-lens: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
