/**
 * Jupyter notebooks as one Python document: the code cells laid end to end, in
 * order, so constants and imports of earlier cells reach later ones, exactly as
 * running the notebook top to bottom would. Cells are joined by line: cell k
 * occupies whole lines [firstLine, firstLine + lineCount) of the joined text.
 * Shared by the language server (cells synced by the editor) and the CLI (cells
 * read from an `.ipynb` file).
 */

export interface CellPlacement {
  readonly uri: string;
  readonly firstLine: number;
  readonly lineCount: number;
  /** Length of the cell's last line, where a range running past the cell is cut. */
  readonly lastLineLength: number;
}

export interface JoinedNotebook {
  readonly text: string;
  readonly cells: readonly CellPlacement[];
}

/**
 * Cell magics whose body IPython runs as Python in the notebook's namespace.
 * The body of any other (`%%bash`, `%%writefile`, `%%html`, …) is not run as
 * Python there, so such a cell is left out entirely.
 */
const PYTHON_CELL_MAGICS = new Set(["time", "timeit", "capture", "prun"]);

interface LineState {
  /** Open brackets: the next line continues the statement. */
  readonly depth: number;
  /** The quotes of a triple-quoted string still open at the end of the line. */
  readonly quote?: string;
  /** The line ends in a backslash outside a string. */
  readonly continued: boolean;
}

/** Follows brackets, strings and comments across one line, enough to tell where statements start. */
function scanLine(line: string, state: LineState): LineState {
  let { depth, quote } = state;
  let i = 0;
  let comment = false;
  while (i < line.length) {
    const c = line[i];
    if (quote) {
      if (c === "\\") i += 2;
      else if (line.startsWith(quote, i)) {
        i += quote.length;
        quote = undefined;
      } else i++;
      continue;
    }
    if (c === "#") {
      comment = true;
      break;
    }
    if (c === '"' || c === "'") {
      quote = line.startsWith(c.repeat(3), i) ? c.repeat(3) : c;
      i += quote.length;
      continue;
    }
    if ("([{".includes(c)) depth++;
    else if (")]}".includes(c)) depth = Math.max(0, depth - 1);
    i++;
  }
  // A string in single quotes ends with its line (closed or not).
  if (quote?.length === 1) quote = undefined;
  return { depth, quote, continued: !comment && !quote && line.endsWith("\\") };
}

const commentOut = (line: string) => line.replace(/^([ \t]*)\S/, "$1#");

/**
 * IPython lines (`%matplotlib inline`, `!pip install keras`, `%%time`) are not
 * Python; they become comments of the same length so the rest still parses and
 * every column stays where it was. Only a line that starts a statement is one:
 * `% x` continuing a bracket or a triple-quoted string is Python.
 */
export function withoutMagics(text: string): string {
  const lines = text.split("\n");
  const cellMagic = /^\s*%%(\w+)/.exec(lines[0]);
  if (cellMagic && !PYTHON_CELL_MAGICS.has(cellMagic[1])) return lines.map(commentOut).join("\n");
  let state: LineState = { depth: 0, continued: false };
  return lines
    .map((line) => {
      const startsStatement = state.depth === 0 && !state.quote && !state.continued;
      const python = startsStatement ? line.replace(/^([ \t]*)[%!]/, "$1#") : line;
      state = scanLine(python, state);
      return python;
    })
    .join("\n");
}

export function joinCells(cells: readonly { uri: string; text: string }[]): JoinedNotebook {
  const placements: CellPlacement[] = [];
  const parts: string[] = [];
  let line = 0;
  for (const cell of cells) {
    const lines = withoutMagics(cell.text.replace(/\r\n?/g, "\n")).split("\n");
    placements.push({ uri: cell.uri, firstLine: line, lineCount: lines.length, lastLineLength: lines[lines.length - 1].length });
    parts.push(lines.join("\n"));
    line += lines.length;
  }
  return { text: parts.join("\n"), cells: placements };
}

