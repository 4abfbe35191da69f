// Lezer: an incremental parse after one deletion gives another tree than a fresh parse of the same text.
// Usage (from the repository root, with @lezer/python 1.1.19, @lezer/lr 1.4.12, @lezer/common 1.5.5 installed):
//   node docs/lezer-repro/repro.mjs
// See docs/lezer-incremental-recovery.md.
import { readFileSync } from "node:fs";
import { TreeFragment } from "@lezer/common";
import { parser } from "@lezer/python";

const before = readFileSync(new URL("before.py", import.meta.url), "utf8");
// Delete "imp" of the second line's "import os": the first line is not Python, and now neither is the second.
const from = before.indexOf("import os");
const to = from + 3;
const after = before.slice(0, from) + before.slice(to);

const fragments = TreeFragment.applyChanges(TreeFragment.addTree(parser.parse(before)), [{ fromA: from, toA: to, fromB: from, toB: from }]);
const incremental = parser.parse(after, fragments);
const fresh = parser.parse(after);

/** The top-level statements as `Name from-to`, to compare the two trees where they first differ. */
const statements = (tree) => {
  const out = [];
  const cursor = tree.cursor();
  for (let more = cursor.firstChild(); more; more = cursor.nextSibling()) out.push(`${cursor.name} ${cursor.from}-${cursor.to} ${JSON.stringify(after.slice(cursor.from, Math.min(cursor.to, cursor.from + 30)))}`);
  return out;
};
const [a, b] = [statements(incremental), statements(fresh)];
const first = a.findIndex((s, i) => s !== b[i]);
console.log(`same tree: ${incremental.toString() === fresh.toString()}`);
if (first >= 0) console.log(`first difference, top-level statement ${first}:\n  incremental: ${a[first]}\n  fresh:       ${b[first]}`);
