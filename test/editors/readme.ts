/** The README's configuration snippets, read where the user reads them, for the tests that run them. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../lsp/client";

/** The first fenced block of `language` after the line that starts with `heading` (e.g. "### Emacs"). */
export function readmeBlock(heading: string, language: string): string {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const at = readme.split("\n").findIndex((line) => line.startsWith(heading));
  if (at < 0) throw new Error(`README.md has no line starting ${heading}`);
  const after = readme.split("\n").slice(at + 1).join("\n");
  const block = new RegExp("^```" + language + "\\n([\\s\\S]*?)^```$", "m").exec(after);
  if (!block) throw new Error(`no ${language} block after ${heading}`);
  return block[1];
}
