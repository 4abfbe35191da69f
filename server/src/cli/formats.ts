/**
 * The CLI's output formats over the files' reports:
 * - `text` each model's summary table and the diagnostics as `file:line:column: severity code: message`;
 * - `json` the reports as data (`docs/cli-output.schema.json` describes them);
 * - `sarif` SARIF 2.1.0, for code-scanning uploads, its rules from the diagnostics table;
 * - `github` GitHub Actions workflow commands, which annotate the lines of a pull request.
 * A notebook's lines are counted within their cell: formats that can only point at lines of the
 * file itself (SARIF, GitHub) name the file and say the cell and line in the message.
 */
import { isAbsolute, relative, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { Diagnostics, Severity } from "../engine/diagnostics";
import { DiagnosticReport, FileReport } from "./report";

export const FORMATS = ["text", "json", "sarif", "github"] as const;
export type Format = (typeof FORMATS)[number];

export function json(reports: readonly FileReport[]): string {
  return `${JSON.stringify(reports.map(({ file, models, diagnostics }) => ({ file, models, diagnostics })), null, 2)}\n`;
}

const SARIF_LEVEL: Record<Severity, "error" | "warning" | "note"> = { error: "error", warning: "warning", information: "note" };

/** The rules, one per diagnostic code, in the table's order. */
const RULES = Object.entries(Diagnostics).map(([key, d]) => ({
  id: d.code,
  name: key[0].toUpperCase() + key.slice(1),
  shortDescription: { text: d.explanation.replace(/\.\s[\s\S]*$/, ".") },
  fullDescription: { text: d.explanation },
  defaultConfiguration: { level: SARIF_LEVEL[d.severity] },
}));

/** A file as SARIF names it: relative to where the CLI runs (the repository root in CI), else by its file URL. */
function artifactLocation(file: string): { uri: string; uriBaseId?: string } {
  const path = relative(process.cwd(), resolve(file));
  if (path.startsWith("..") || isAbsolute(path)) return { uri: pathToFileURL(resolve(file)).href };
  return { uri: path.split(sep).map(encodeURIComponent).join("/"), uriBaseId: "%SRCROOT%" };
}

function inCell(d: DiagnosticReport): string {
  return d.cell === undefined ? "" : `cell ${d.cell}, line ${d.line}: `;
}

export function sarif(reports: readonly FileReport[]): string {
  const ruleIndex = new Map(RULES.map((rule, i) => [rule.id, i]));
  const results = reports.flatMap((report) =>
    report.diagnostics.map((d) => {
      const region = d.cell === undefined ? { region: { startLine: d.line, startColumn: d.column, endLine: d.end.line, endColumn: d.end.column } } : {};
      return {
        ruleId: d.code,
        ...(ruleIndex.has(d.code) ? { ruleIndex: ruleIndex.get(d.code) } : {}),
        level: SARIF_LEVEL[d.severity],
        message: { text: `${inCell(d)}${d.message}` },
        locations: [{ physicalLocation: { artifactLocation: artifactLocation(report.file), ...region } }],
      };
    }),
  );
  const log = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [{ tool: { driver: { name: "Layer Lens", rules: RULES } }, results }],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

const GITHUB_COMMAND: Record<Severity, string> = { error: "error", warning: "warning", information: "notice" };

/** Workflow commands escape `%`, line breaks, and in properties `:` and `,`. */
const escapeData = (text: string) => text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
const escapeProperty = (text: string) => escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");

export function github(reports: readonly FileReport[]): string {
  const lines = reports.flatMap((report) =>
    report.diagnostics.map((d) => {
      const at = d.cell === undefined ? [`line=${d.line}`, `col=${d.column}`, `endLine=${d.end.line}`, `endColumn=${d.end.column}`] : [];
      const properties = [`file=${escapeProperty(report.file)}`, ...at, `title=${escapeProperty(`Layer Lens ${d.code}`)}`].join(",");
      return `::${GITHUB_COMMAND[d.severity]} ${properties}::${escapeData(`${inCell(d)}${d.message}`)}\n`;
    }),
  );
  return lines.join("");
}

export function text(reports: readonly FileReport[]): string {
  return reports.map((r) => r.text).join("");
}

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString("en")} ${n === 1 ? one : many}`;

/** The line that ends a run: how many files and models were read and how many problems of each severity they have. */
export function summaryLine(reports: readonly FileReport[]): string {
  const read = reports.filter((r) => !r.error);
  const severities = read.flatMap((r) => r.diagnostics.map((d) => d.severity));
  const counted = (s: Severity) => severities.filter((x) => x === s).length;
  const unread = reports.length - read.length;
  return [
    `Layer Lens: ${plural(read.length, "file")}${unread ? ` (${plural(unread, "file")} not read)` : ""}`,
    plural(read.reduce((n, r) => n + r.models.length, 0), "model"),
    plural(counted("error"), "error"),
    plural(counted("warning"), "warning"),
    `${counted("information").toLocaleString("en")} information`,
  ].join(", ");
}
