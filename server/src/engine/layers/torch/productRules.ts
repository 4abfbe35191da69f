/**
 * PyTorch's products: matmul (aten/src/ATen/native/LinearAlgebra.cpp `_matmul_impl`: 1-D operands promoted and the
 * promoted dim dropped, a batched operand against a matrix folded into one matrix product, batch dims broadcast
 * otherwise), mm, bmm, mv, dot, outer, cdist and einsum (aten/src/ATen/native/Linear.cpp). The errors quote
 * PyTorch's own messages for the path it takes, so `mat1 and mat2 shapes cannot be multiplied (64x9216 and 4096x128)`
 * reads as the traceback would.
 */
import { CostRule, contraction } from "../../cost";
import { Dim, Shape, UNKNOWN, formatShape, isKnown } from "../../shape";
import { Problem } from "../../spec";
import { Infer, broadcast, invalid, mismatch, rankProblem, result } from "./tensorShapes";

const times = (dims: readonly Dim[]): Dim => (dims.every(isKnown) ? (dims as number[]).reduce((a, b) => a * b, 1) : UNKNOWN);
const text = (d: Dim) => (isKnown(d) ? String(d) : "?");
const clash = (a: Dim, b: Dim) => isKnown(a) && isKnown(b) && a !== b;

function cannotMultiply(layer: string, first: Shape, second: Shape, torch: string): Problem {
  return { id: "torchOpRefuses", input: 1, values: { layer, what: `${formatShape(first)} and ${formatShape(second)}`, torch } };
}

const matText = (rows: Dim, columns: Dim) => `${text(rows)}x${text(columns)}`;
const mmMessage = (a: [Dim, Dim], b: [Dim, Dim]) => `mat1 and mat2 shapes cannot be multiplied (${matText(...a)} and ${matText(...b)})`;
const mvMessage = (rows: Dim, columns: Dim, vector: Dim) => `size mismatch, got input (${text(rows)}), mat (${matText(rows, columns)}), vec (${text(vector)})`;
const dotMessage = (a: Dim, b: Dim) => `inconsistent tensor size, expected tensor [${text(a)}] and src [${text(b)}] to have the same number of elements, but got ${text(a)} and ${text(b)} elements respectively`;
const bmmMessage = (batch: Dim, inner: Dim, got: [Dim, Dim]) => `Expected size for first two dimensions of batch2 tensor to be: [${text(batch)}, ${text(inner)}] but got: [${text(got[0])}, ${text(got[1])}].`;

/** `torch.matmul(input, other)` and `@`. */
export const inferMatmul: Infer = (args, [a, b]) => {
  const layer = args.layer;
  if (!a || !b) return result(args, undefined);
  if (!a.length || !b.length) {
    const torch = `both arguments to matmul need to be at least 1D, but they are ${a.length}D and ${b.length}D`;
    return result(args, undefined, [cannotMultiply(layer, a, b, torch)]);
  }
  const refuse = (torch: string) => result(args, undefined, [cannotMultiply(layer, a, b, torch)]);
  const k = a[a.length - 1];
  if (a.length === 1 && b.length === 1) return clash(a[0], b[0]) ? refuse(dotMessage(a[0], b[0])) : result(args, []);
  if (b.length === 1) {
    // mv, the batch dims of a folded into its rows.
    const rows = times(a.slice(0, -1));
    return clash(k, b[0]) ? refuse(mvMessage(rows, k, b[0])) : result(args, a.slice(0, -1), [], innerFormula(a, b, k, a.slice(0, -1)));
  }
  if (a.length === 1 && b.length >= 3) {
    // PyTorch transposes: other's batch and columns folded into rows, times the vector.
    const m = b[b.length - 1];
    const kb = b[b.length - 2];
    const rows = times([...b.slice(0, -2), m]);
    const output = [...b.slice(0, -2), m];
    return clash(k, kb) ? refuse(mvMessage(rows, kb, k)) : result(args, output, [], innerFormula(a, b, k, output));
  }
  const kb = b[b.length - 2];
  const m = b[b.length - 1];
  if (b.length === 2) {
    // mm, the batch dims of a (if any) folded into its rows; a 1-D a is one row.
    const rows = a.length === 1 ? 1 : times(a.slice(0, -1));
    const output = [...a.slice(0, -1), m];
    return clash(k, kb) ? refuse(mmMessage([rows, k], [kb, m])) : result(args, output, [], innerFormula(a, b, k, output));
  }
  // Batched: the batch dims broadcast, then one bmm.
  const left = a.length === 1 ? [1, ...a] : a;
  const batched = broadcast(layer, [left.slice(0, -2), b.slice(0, -2)]);
  if (batched.problem) return result(args, undefined, [{ ...batched.problem, input: 1, values: { ...batched.problem.values, first: formatShape(a), second: formatShape(b) } }]);
  const batch = batched.shape!;
  if (clash(k, kb)) return refuse(bmmMessage(times(batch), k, [times(batch), kb]));
  const output = [...batch, ...(a.length === 1 ? [] : [left[left.length - 2]]), m];
  return result(args, output, [], innerFormula(a, b, k, output));
};

function innerFormula(a: Shape, b: Shape, k: Dim, output: Shape) {
  return isKnown(k) ? [{ label: "product", text: `${formatShape(a)} @ ${formatShape(b)} → ${formatShape(output)}, summing over ${k}` }] : [];
}

/** `torch.mm(input, mat2)`: two matrices. */
export const inferMm: Infer = (args, [a, b]) => {
  const problems: Problem[] = [];
  if (a && a.length !== 2) problems.push(rankProblem(args.layer, a, "2", "(self must be a matrix)", 0));
  if (b && b.length !== 2) problems.push(rankProblem(args.layer, b, "2", "(mat2 must be a matrix)", 1));
  if (!a || !b || problems.length) return result(args, undefined, problems);
  if (clash(a[1], b[0])) return result(args, undefined, [cannotMultiply(args.layer, a, b, mmMessage([a[0], a[1]], [b[0], b[1]]))]);
  return result(args, [a[0], b[1]], [], innerFormula(a, b, a[1], [a[0], b[1]]));
};

/** `torch.bmm(input, mat2)`: two batches of matrices, the same batch size. */
export const inferBmm: Infer = (args, [a, b]) => {
  const problems: Problem[] = [];
  if (a && a.length !== 3) problems.push(rankProblem(args.layer, a, "3", "(batch1 must be a 3D tensor)", 0));
  if (b && b.length !== 3) problems.push(rankProblem(args.layer, b, "3", "(batch2 must be a 3D tensor)", 1));
  if (!a || !b || problems.length) return result(args, undefined, problems);
  if (clash(a[0], b[0]) || clash(a[2], b[1])) return result(args, undefined, [cannotMultiply(args.layer, a, b, bmmMessage(a[0], a[2], [b[0], b[1]]))]);
  const output = [isKnown(a[0]) ? a[0] : b[0], a[1], b[2]];
  return result(args, output, [], innerFormula(a, b, a[2], output));
};

/** `torch.mv(input, vec)`: a matrix times a vector. */
export const inferMv: Infer = (args, [a, b]) => {
  const problems: Problem[] = [];
  if (a && a.length !== 2) problems.push(rankProblem(args.layer, a, "2", "(a matrix)", 0));
  if (b && b.length !== 1) problems.push(rankProblem(args.layer, b, "1", "(a vector)", 1));
  if (!a || !b || problems.length) return result(args, undefined, problems);
  if (clash(a[1], b[0])) return result(args, undefined, [cannotMultiply(args.layer, a, b, mvMessage(a[0], a[1], b[0]))]);
  return result(args, [a[0]]);
};

/** `torch.dot` / `torch.inner` on vectors: a 0-dim tensor. */
export const inferDot: Infer = (args, [a, b]) => {
  const problems: Problem[] = [];
  if (a && a.length !== 1) problems.push(rankProblem(args.layer, a, "1", `(1D tensors expected, but got ${a.length}D and ${b?.length ?? "?"}D tensors)`, 0));
  if (b && b.length !== 1) problems.push(rankProblem(args.layer, b, "1", `(1D tensors expected, but got ${a?.length ?? "?"}D and ${b.length}D tensors)`, 1));
  if (!a || !b || problems.length) return result(args, undefined, problems);
  return clash(a[0], b[0]) ? result(args, undefined, [cannotMultiply(args.layer, a, b, dotMessage(a[0], b[0]))]) : result(args, []);
};

/** `torch.outer(input, vec2)`: (n) × (m) → (n, m). */
export const inferOuter: Infer = (args, [a, b]) => {
  const problems: Problem[] = [];
  if (a && a.length !== 1) problems.push(rankProblem(args.layer, a, "1", `(outer: Expected 1-D argument self, but got ${a.length}-D)`, 0));
  if (b && b.length !== 1) problems.push(rankProblem(args.layer, b, "1", `(outer: Expected 1-D argument vec2, but got ${b.length}-D)`, 1));
  if (!a || !b || problems.length) return result(args, undefined, problems);
  return result(args, [a[0], b[0]]);
};

/** `torch.cdist(x1, x2)`: (…, P, M) and (…, R, M) → (…, P, R), the batch dims broadcast. */
export const inferCdist: Infer = (args, [a, b]) => {
  const problems: Problem[] = [];
  if (a && a.length < 2) problems.push(rankProblem(args.layer, a, "2 or more", `(cdist only supports at least 2D tensors, X1 got: ${a.length}D)`, 0));
  if (b && b.length < 2) problems.push(rankProblem(args.layer, b, "2 or more", `(cdist only supports at least 2D tensors, X2 got: ${b.length}D)`, 1));
  if (!a || !b || problems.length) return result(args, undefined, problems);
  const [ma, mb] = [a[a.length - 1], b[b.length - 1]];
  if (clash(ma, mb)) return result(args, undefined, [mismatch(args.layer, `the same number of columns (PyTorch: X1 and X2 must have the same number of columns. X1: ${ma} X2: ${mb})`, a, b, 1)]);
  const batched = broadcast(args.layer, [a.slice(0, -2), b.slice(0, -2)]);
  if (batched.problem) return result(args, undefined, [{ ...batched.problem, input: 1 }]);
  return result(args, [...batched.shape!, a[a.length - 2], b[b.length - 2]]);
};

/** Each output element of a product is a dot product over the first operand's last dim: one MAC per multiply-add. */
export const productCost: CostRule = ({ inputs, output }) => {
  const first = inputs?.[0];
  return contraction(output, first?.[first.length - 1]);
};

// ---------------------------------------------------------------------------------------------
// einsum
// ---------------------------------------------------------------------------------------------

/** One operand's subscripts: its labels, with `...` where the broadcast dims go. */
type Subscripts = readonly (string | "...")[];

function parseSubscripts(term: string): Subscripts | undefined {
  const out: (string | "...")[] = [];
  for (let i = 0; i < term.length; i++) {
    if (term.startsWith("...", i)) {
      if (out.includes("...")) return undefined;
      out.push("...");
      i += 2;
    } else if (/[A-Za-z]/.test(term[i])) out.push(term[i]);
    else if (term[i] !== " ") return undefined;
  }
  return out;
}

/** PyTorch orders implicit output labels A–Z before a–z. */
const labelOrder = (label: string) => (label <= "Z" ? label.charCodeAt(0) - 65 : label.charCodeAt(0) - 97 + 26);

/**
 * `torch.einsum(equation, *operands)`: each label's size agrees across operands (a 1 broadcasts), `...` stands for
 * broadcast dims; without `->` the output is the labels used once, in order, after the broadcast dims.
 */
export const inferEinsum: Infer = (args, inputs) => {
  const equation = args.raw("equation");
  if (equation === undefined) return result(args, undefined);
  if (typeof equation !== "string") return result(args, undefined, [invalid("equation", "a string such as 'ij,jk->ik'", equation)]);
  const [lhs, rhs] = equation.split("->");
  const terms = lhs.split(",").map(parseSubscripts);
  const output = rhs === undefined ? undefined : parseSubscripts(rhs);
  const operands = [...inputs];
  if (terms.some((t) => !t) || (rhs !== undefined && !output) || equation.split("->").length > 2) {
    return result(args, undefined, [invalid("equation", "subscripts of letters and '...', operands separated by ',' and an optional '->'", equation)]);
  }
  if (terms.length !== operands.length) {
    return result(args, undefined, [invalid("equation", `one term per operand (PyTorch: einsum(): more operands were provided than specified in the equation, or fewer): ${operands.length} operands`, equation)]);
  }
  if (operands.some((s) => !s)) return result(args, undefined);
  const sizes = new Map<string, Dim>();
  let ellipsis: Dim[] = [];
  for (let i = 0; i < terms.length; i++) {
    const term = terms[i]!;
    const shape = operands[i]!;
    const labels = term.filter((l) => l !== "...").length;
    const hasEllipsis = term.includes("...");
    if (hasEllipsis ? shape.length < labels : shape.length !== labels) {
      const torch = `the number of subscripts in the equation (${labels}) does not match the number of dimensions (${shape.length}) for operand ${i}${hasEllipsis ? "" : " and no ellipsis was given"}`;
      return result(args, undefined, [invalid("equation", `subscripts that fit the operands (PyTorch: einsum(): ${torch})`, equation)]);
    }
    let dim = 0;
    for (const label of term) {
      if (label === "...") {
        const span = shape.length - labels;
        const broadcasted = broadcast(args.layer, [ellipsis, shape.slice(dim, dim + span)]);
        if (broadcasted.problem) return result(args, undefined, [{ ...broadcasted.problem, input: i }]);
        ellipsis = broadcasted.shape!;
        dim += span;
        continue;
      }
      const d = shape[dim++];
      const seen = sizes.get(label);
      if (seen === undefined || seen === 1) sizes.set(label, d);
      else if (d !== 1 && clash(seen, d)) {
        return result(args, undefined, [mismatch(args.layer, `one size per subscript (PyTorch: einsum(): subscript ${label} has size ${d} for operand ${i} which does not broadcast with previously seen size ${seen})`, operands[0]!, shape, i)]);
      } else if (!isKnown(seen)) sizes.set(label, d);
    }
  }
  const counts = new Map<string, number>();
  for (const term of terms) for (const l of term!) if (l !== "...") counts.set(l, (counts.get(l) ?? 0) + 1);
  const outLabels = output ?? ["...", ...[...counts].filter(([, n]) => n === 1).map(([l]) => l).sort((x, y) => labelOrder(x) - labelOrder(y))];
  const unknownLabel = outLabels.find((l) => l !== "..." && !sizes.has(l));
  if (unknownLabel) return result(args, undefined, [invalid("equation", `output subscripts that appear in an operand (PyTorch: einsum(): output subscript ${unknownLabel} does not appear in the equation for any input operand)`, equation)]);
  const shape = outLabels.flatMap((l) => (l === "..." ? ellipsis : [sizes.get(l)!]));
  return result(args, shape);
};
