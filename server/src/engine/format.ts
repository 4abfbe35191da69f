/** Number formatting shared by hints, hovers and the CLI. */

export function withThousands(n: bigint | number): string {
  const s = (typeof n === "bigint" ? n : BigInt(n)).toString();
  const negative = s.startsWith("-");
  const digits = negative ? s.slice(1) : s;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return negative ? `-${grouped}` : grouped;
}

const MEMORY_UNITS = ["B", "KB", "MB", "GB", "TB", "PB"];

/**
 * Python's `"{:.2f}"`: like `toFixed(2)` except that an exact tie rounds to the
 * even digit (1.125 → "1.12"), where JavaScript rounds up. Sizes here are
 * integers over powers of 1024, so ties are exact and `x * 100` is computed exactly.
 */
function pythonFixed2(x: number): string {
  const hundredths = x * 100;
  if (hundredths % 1 !== 0.5) return x.toFixed(2);
  const floor = Math.floor(hundredths);
  return ((floor % 2 === 0 ? floor : floor + 1) / 100).toFixed(2);
}

/** Size of float32 weights as Keras's summary prints it: powers of 1024, two decimals. */
export function memorySize(params: bigint, bytesPerParam = 4): string {
  let size = Number(params * BigInt(bytesPerParam));
  for (const unit of MEMORY_UNITS) {
    if (size / 1024 < 1) return `${pythonFixed2(size)} ${unit}`;
    size /= 1024;
  }
  return `${pythonFixed2(size)} ${MEMORY_UNITS[MEMORY_UNITS.length - 1]}`;
}

/** `1 param` / `3,860 params`. */
export function paramCount(n: bigint): string {
  return `${withThousands(n)} ${n === 1n ? "param" : "params"}`;
}
