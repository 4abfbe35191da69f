/**
 * Kept for the modules that still import from here: the libraries' path classification now lives in
 * `libraries/` (one module per library, `libraries/index.ts` the interpreter's entry).
 */
export * from "./libraries";
