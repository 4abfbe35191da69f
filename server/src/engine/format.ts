/** Number formatting shared by hints, hovers and the CLI. */

export function withThousands(n: bigint | number): string {
  const s = (typeof n === "bigint" ? n : BigInt(n)).toString();
  const negative = s.startsWith("-");
  const digits = negative ? s.slice(1) : s;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return negative ? `-${grouped}` : grouped;
}

const MEMORY_UNITS = ["B", "KB", "MB", "GB", "TB", "PB"];

/** Size of float32 weights as Keras's summary prints it: powers of 1024, two decimals. */
export function memorySize(params: bigint, bytesPerParam = 4): string {
  let size = Number(params * BigInt(bytesPerParam));
  for (const unit of MEMORY_UNITS) {
    if (size / 1024 < 1) return `${size.toFixed(2)} ${unit}`;
    size /= 1024;
  }
  return `${size.toFixed(2)} ${MEMORY_UNITS[MEMORY_UNITS.length - 1]}`;
}

/** `1 param` / `3,860 params`. */
export function paramCount(n: bigint): string {
  return `${withThousands(n)} ${n === 1n ? "param" : "params"}`;
}
