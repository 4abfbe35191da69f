/** Presentation rules: Keras's memory sizes, hint labels within VS Code's per-line limit. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { memorySize, withThousands } from "../../server/src/engine/format";
import { MAX_HINT_LINE, fitLine } from "../../server/src/engine/report";

test("memory sizes read as Keras's summary prints them (float32, powers of 1024, Python's rounding)", () => {
  // 34,826 params · 4 B = 139,304 B = 136.039… KB (Keras's MNIST convnet example)
  assert.equal(memorySize(34_826n), "136.04 KB");
  // 1,199,882 · 4 = 4,799,528 B = 4.577… MB
  assert.equal(memorySize(1_199_882n), "4.58 MB");
  // 20 · 4 = 80 B
  assert.equal(memorySize(20n), "80.00 B");
  // 288 · 4 = 1,152 B = 1.125 KB exactly: Python's '{:.2f}' rounds the tie to even.
  assert.equal(memorySize(288n), "1.12 KB");
  // 6,944 · 4 = 27,776 B = 27.125 KB exactly.
  assert.equal(memorySize(6_944n), "27.12 KB");
  // 608 · 4 = 2,432 B = 2.375 KB exactly: the even neighbour is 2.38.
  assert.equal(memorySize(608n), "2.38 KB");
});

test("counts beyond 2^53 keep every digit", () => {
  assert.equal(withThousands(2n ** 64n), "18,446,744,073,709,551,616");
});

test("labels that fit are kept whole", () => {
  assert.deepEqual(fitLine([["(None, 26, 26, 32) · 320 params", "(None, 26, 26, 32)"]]), ["(None, 26, 26, 32) · 320 params"]);
});

test("the longest label on a line steps down first; the others stay whole", () => {
  const labels = fitLine([
    ["(None, 8)", "(None, 8)"],
    ["Total params: 9,999 (39.06 KB) · 1,024 non-trainable", "Total params: 9,999 (39.06 KB)"],
  ]);
  assert.deepEqual(labels, ["(None, 8)", "Total params: 9,999 (39.06 KB)"]);
});

test("when nothing shorter fits, the longest labels are cut with an ellipsis to the line limit", () => {
  const long = "(None, 1024, 1024, 1024, 1024, 1024, 1024, 1024)";
  const labels = fitLine([[long], ["(None, 8)"]]);
  assert.equal(labels[1], "(None, 8)");
  assert.ok(labels[0].endsWith("…"));
  assert.equal(labels.join("").length, MAX_HINT_LINE);
});
