/**
 * Tensor shapes. A dimension is a positive integer, `None` where Keras itself
 * leaves it open (the batch, a variable sequence length), or `?` where Layer Lens
 * cannot know it statically. The two are kept apart: `None` is what
 * `model.summary()` prints, `?` is our own admission of ignorance.
 */
export type Dim = number | "None" | "?";
export type Shape = readonly Dim[];

export const NONE: Dim = "None";
export const UNKNOWN: Dim = "?";

export function isKnown(d: Dim): d is number {
  return typeof d === "number";
}

/** Combines open dimensions: any `?` wins over `None`, since we then know less than Keras. */
export function openOf(...dims: Dim[]): Dim {
  return dims.some((d) => d === UNKNOWN) ? UNKNOWN : NONE;
}

export function formatDim(d: Dim): string {
  return typeof d === "number" ? String(d) : d;
}

/** Keras notation: `(None, 14, 14, 20)`, with a trailing comma for rank 1. */
export function formatShape(shape: Shape, options: { batch?: boolean } = {}): string {
  const dims = options.batch === false ? shape.slice(1) : shape;
  const parts = dims.map(formatDim);
  return parts.length === 1 ? `(${parts[0]},)` : `(${parts.join(", ")})`;
}

/** Product of the dimensions from `from` on, or the open dimension that prevents it. */
export function elementCount(shape: Shape, from = 1): number | Dim {
  let product = 1;
  let open: Dim[] = [];
  for (const d of shape.slice(from)) {
    if (isKnown(d)) product *= d;
    else open.push(d);
  }
  return open.length ? openOf(...open) : product;
}
