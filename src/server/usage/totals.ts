// Pure shapes and sums for LLM usage views (no database).

/** Calls, tokens and cost of some LLM calls. `costUsd` sums the priced calls; null when none was priced. */
export interface UsageTotals {
  calls: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number | null;
  /** Calls whose model is not in the price table and that reported no cost. */
  unpricedCalls: number;
}

export interface ModelUsage extends UsageTotals {
  model: string;
  /** The provider the calls named, when they all named the same one. */
  provider: string | null;
}

export const emptyTotals = (): UsageTotals => ({ calls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, unpricedCalls: 0 });

/** Adds `more` into `into` (mutates and returns it). */
export function addTotals<T extends UsageTotals>(into: T, more: UsageTotals): T {
  const pricedBefore = into.calls - into.unpricedCalls;
  const pricedMore = more.calls - more.unpricedCalls;
  into.calls += more.calls;
  into.inputTokens += more.inputTokens;
  into.outputTokens += more.outputTokens;
  into.unpricedCalls += more.unpricedCalls;
  into.costUsd = pricedBefore + pricedMore === 0 && into.calls > 0 ? null : (into.costUsd ?? 0) + (more.costUsd ?? 0);
  return into;
}

/** One row per model, merged from rows that may repeat it; the provider is kept when all rows name the same one. */
export function byModel(rows: readonly ModelUsage[]): ModelUsage[] {
  const merged = new Map<string, ModelUsage>();
  for (const row of rows) {
    const into = merged.get(row.model);
    if (!into) merged.set(row.model, addTotals({ model: row.model, provider: row.provider, ...emptyTotals() }, row));
    else {
      if (into.provider !== row.provider) into.provider = null;
      addTotals(into, row);
    }
  }
  return sortByCost([...merged.values()]);
}

/** Most expensive first; unpriced after priced of the same cost; then most calls. */
export function sortByCost<T extends UsageTotals>(rows: T[]): T[] {
  return rows.sort((a, b) => (b.costUsd ?? -1) - (a.costUsd ?? -1) || b.calls - a.calls);
}

/** The distinct models with unpriced calls, for "unknown price (model)". */
export function unpricedModels(models: readonly ModelUsage[]): string[] {
  return [...new Set(models.filter((m) => m.unpricedCalls > 0).map((m) => m.model))].sort();
}
