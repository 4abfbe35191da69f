/** The index of the first item whose key is greater than `value`, in items sorted by that key (ascending). */
export function firstAbove<T>(items: readonly T[], value: number, key: (item: T) => number): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (key(items[mid]) <= value) low = mid + 1;
    else high = mid;
  }
  return low;
}
