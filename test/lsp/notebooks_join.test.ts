import { test } from "node:test";
import assert from "node:assert/strict";
import { cellAt, rangeToCell, toCell, toJoined } from "../../server/src/lsp/notebooks";
import { joinCells, withoutMagics } from "../../server/src/python/notebook";

test("IPython magics and shell lines become comments of the same length", () => {
  const cell = "%matplotlib inline\n  !pip install keras\nx = 1  # 100%\n%time y = 2";
  const clean = withoutMagics(cell);
  assert.equal(clean, "#matplotlib inline\n  #pip install keras\nx = 1  # 100%\n#time y = 2");
  assert.equal(clean.length, cell.length);
});

test("a % or ! continuing a statement is Python, not a magic", () => {
  const cell = [
    "a = (8",
    "     % 3)",
    "b = 1 \\",
    "    != 2",
    'doc = """',
    "% not a magic",
    '"""',
    "s = 'x(' # (",
    "%who",
  ].join("\n");
  const expected = cell.replace("%who", "#who");
  assert.equal(withoutMagics(cell), expected);
});

test("a cell magic that runs Python keeps its body; any other leaves the cell out", () => {
  assert.equal(withoutMagics("%%time\nx = 1"), "#%time\nx = 1");
  assert.equal(withoutMagics("%%bash\necho (\n\n  ls"), "#%bash\n#cho (\n\n  #s");
});

test("cells are laid end to end by line, CRLF normalised", () => {
  const joined = joinCells([
    { uri: "c1", text: "import keras\r\nN = 3" },
    { uri: "c2", text: "x = N" },
    { uri: "c3", text: "" },
    { uri: "c4", text: "a\nbc\n" },
  ]);
  assert.equal(joined.text, "import keras\nN = 3\nx = N\n\na\nbc\n");
  assert.deepEqual(
    joined.cells.map((c) => [c.uri, c.firstLine, c.lineCount, c.lastLineLength]),
    [["c1", 0, 2, 5], ["c2", 2, 1, 5], ["c3", 3, 1, 0], ["c4", 4, 3, 0]],
  );
  assert.equal(cellAt(joined.cells, 3)?.uri, "c3");
  assert.equal(cellAt(joined.cells, 6)?.uri, "c4");
  assert.equal(cellAt(joined.cells, 7), undefined);
});

test("positions move between a cell and the joined text by its first line only", () => {
  const [, second] = joinCells([{ uri: "c1", text: "a\nb" }, { uri: "c2", text: "c\ndef" }]).cells;
  assert.deepEqual(toJoined(second, { line: 1, character: 2 }), { line: 3, character: 2 });
  assert.deepEqual(toJoined(second, { line: 2, character: 0 }), { line: 3, character: 3 }, "past the cell's end stays at its end");
  assert.deepEqual(toCell(second, { line: 3, character: 2 }), { line: 1, character: 2 });
  assert.equal(toCell(second, { line: 1, character: 0 }), undefined, "a line of the first cell is not in the second");
  assert.equal(toCell(second, { line: 4, character: 0 }), undefined, "past the last cell's end");
  assert.equal(rangeToCell(second, { start: { line: 0, character: 0 }, end: { line: 2, character: 1 } }), undefined);
  assert.deepEqual(rangeToCell(second, { start: { line: 2, character: 1 }, end: { line: 9, character: 0 } }), { start: { line: 0, character: 1 }, end: { line: 1, character: 3 } });
});
