/**
 * Reuses the engine's analysis of a model whose description did not change.
 * The engine is a pure function of the IR, and an edit elsewhere in the file
 * changes a model's offsets but nothing else, so the cache key is the IR with
 * every offset taken relative to the model's start, and a hit is the cached
 * analysis moved to the model's current place.
 */
import { EngineDiagnostic, ModelAnalysis, analyzeSequential } from "../engine/analyze";
import { SequentialIR, Span } from "../engine/ir";

interface Entry {
  readonly base: number;
  readonly analysis: ModelAnalysis;
}

const isSpan = (v: unknown): v is Span =>
  typeof v === "object" && v !== null && typeof (v as Span).start === "number" && typeof (v as Span).end === "number";

/**
 * The IR as text with offsets relative to `base`. Numbers JSON cannot write
 * (NaN, ±Infinity, -0) are tagged, so `Dense(1e309)` and `Dense(None)` differ.
 */
function structuralKey(model: SequentialIR): string {
  const base = model.span.start;
  return JSON.stringify(model, (key, value: unknown) => {
    if (key === "totalsOffset") return (value as number) - base;
    if (isSpan(value)) return [value.start - base, value.end - base];
    if (typeof value === "number" && (!Number.isFinite(value) || Object.is(value, -0))) return { number: String(value) };
    return value;
  });
}

const moveSpan = (span: Span, delta: number): Span => ({ start: span.start + delta, end: span.end + delta });

function moveDiagnostic(d: EngineDiagnostic, delta: number): EngineDiagnostic {
  return { ...d, span: moveSpan(d.span, delta), related: d.related.map((r) => ({ ...r, span: moveSpan(r.span, delta) })) };
}

/**
 * The cached analysis made the analysis of `model`: the same results, with the
 * layers pointing at `model`'s own elements (the engine analyses elements one
 * to one, in order) and the diagnostics moved with it.
 */
function relocate(cached: ModelAnalysis, model: SequentialIR, delta: number): ModelAnalysis {
  return {
    ...cached,
    model,
    layers: cached.layers.map((layer, i) => ({ ...layer, element: model.elements[i] })),
    diagnostics: cached.diagnostics.map((d) => moveDiagnostic(d, delta)),
  };
}

export class ModelAnalysisCache {
  private entries = new Map<string, Entry>();

  /**
   * Analyses the models of one version of a document. Entries not used by
   * this version are dropped, so the cache never holds more than one
   * document version's models.
   */
  analyzeAll(models: readonly SequentialIR[]): ModelAnalysis[] {
    const next = new Map<string, Entry>();
    const analyses = models.map((model) => {
      const key = structuralKey(model);
      const base = model.span.start;
      const hit = next.get(key) ?? this.entries.get(key);
      const entry: Entry = !hit ? { base, analysis: analyzeSequential(model) } : hit.base === base ? hit : { base, analysis: relocate(hit.analysis, model, base - hit.base) };
      next.set(key, entry);
      return entry.analysis;
    });
    this.entries = next;
    return analyses;
  }
}
