/** The label checker the fuzz tests rely on must itself tell sound labels from unsound ones. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { unsoundLabel } from "./hints";

test("sound labels pass", () => {
  for (const label of [
    "(None, 26, 26, 32) · 320 params",
    "(None, 10)",
    "(26, 26, 32)",
    "(None, ?, 64) · ? params",
    "(None, 7, 7, 512) · 2.4M params",
    "1 param",
    "12,345 params",
    "Total params: 216,650 (846.29 KB)",
    "Total params: 1,234 (4.82 KB) · 64 non-trainable",
    "Total params: ?",
    "(None, 1099511627776) · 1.2…",
    "Total p…",
    "×4 (None, 500, 1) · 28,676 params",
    "×3 · 92,672 params",
    "×2 (None, 32, 32, 32)",
    "(None, 8, 8, 16) · shared",
    "shared",
    "(None, 4) +1 · 10 params",
    "(20,) · 20 params",
    "×3 (None, 26→22, 26→22, 32→128)",
    "×3 (None, 32→…→32) · 1,096 params",
    "×4 (None, 32, 32, 16→32) · 31,776 params",
    "×2 (None, ?→8) · ? params",
    "×3 (None, ?, ?, 1000, ?) · 164,544 params",
    "×2 (32→64,)",
    "×2 (None, 8)→(None, 5, 4) · 72 params",
    "×3 (None, 8)→…→(None, 5, 4)",
    "×2 (None, 8)→(None, 5…",
    "×3 (None, 62→12, 6…",
    "×3 (None, 32→…",
  ]) {
    assert.equal(unsoundLabel(label), undefined, label);
  }
});

test("negative, NaN, infinite and fractional numbers are caught", () => {
  for (const label of [
    "(None, -2, 26, 32)",
    "(None, NaN)",
    "(None, Infinity) · 10 params",
    "(None, 2.5)",
    "(None, 10) · -3 params",
    "(None, 10) · 3.5 params",
    "Total params: NaN (0.00 B)",
    "Total params: -1 (0.00 B)",
    "×4 (None, -1)",
    "×2 · 3.5 params",
    "×0 (None, 3)",
    "(None, 4) +0.5",
    "(-20,)",
    "(2.5,)",
    "×2 (None, 8→-1)",
    "×2 (None, 8→2.5)",
    "×2 (None, →8)",
    "×2 (None, 8→)",
    "×2 (None, 8→→4)",
    "×2 (None, 8→…4)",
    "×2 (None, 8)→(None, NaN)",
    "×2 (None, 8)→(None, 0.5) · 3 params",
    "×3 (None, 8)→(None, 4)→(None, 2)",
    "×2 (None, 8)→(None, 4) · 3.5 params",
  ]) {
    assert.notEqual(unsoundLabel(label), undefined, label);
  }
});
