// Pure: the what-if report table's client-side filtering and sorting.

export type Outcome = 'pending' | 'changed' | 'unchanged' | 'failed';
export const OUTCOMES: readonly Outcome[] = ['changed', 'unchanged', 'failed', 'pending'];

interface SideLike {
  durationMs: number | null;
  costUsd: number | null;
  checks: ReadonlyArray<{ passed: boolean }>;
}
export interface RowLike {
  outcome: Outcome;
  before: SideLike | null;
  after: SideLike | null;
}

export type OutcomeFilter = 'all' | Outcome;
/** `source`: the report's own order (the source runs as they were started). */
export type RowSortKey = 'source' | 'outcome' | 'duration' | 'cost';

export interface RowView {
  outcome: OutcomeFilter;
  /** Only rows whose new output fails a check. */
  checksFailing: boolean;
  sort: RowSortKey;
  descending: boolean;
}

export const DEFAULT_ROW_VIEW: RowView = { outcome: 'all', checksFailing: false, sort: 'source', descending: false };

/** What a reader looks at first: failures, then changes, then the rest. */
const OUTCOME_RANK: Record<Outcome, number> = { failed: 0, changed: 1, unchanged: 2, pending: 3 };

/** After minus before, when both are known. */
function change(row: RowLike, pick: (side: SideLike) => number | null): number | null {
  const before = row.before ? pick(row.before) : null;
  const after = row.after ? pick(row.after) : null;
  return before === null || after === null ? null : after - before;
}

export const durationChange = (row: RowLike) => change(row, (s) => s.durationMs);
export const costChange = (row: RowLike) => change(row, (s) => s.costUsd);

/** The new output fails at least one check. */
export const failsChecks = (row: RowLike) => Boolean(row.after?.checks.some((c) => !c.passed));

function sortValue(row: RowLike, key: RowSortKey): number | null {
  if (key === 'outcome') return OUTCOME_RANK[row.outcome];
  if (key === 'duration') return durationChange(row);
  if (key === 'cost') return costChange(row);
  return null;
}

/** The rows the table shows, in its order. Rows without a value to sort by stay last either way; ties keep the report's order. */
export function visibleRows<R extends RowLike>(rows: readonly R[], view: RowView): R[] {
  const kept = rows.filter((r) => (view.outcome === 'all' || r.outcome === view.outcome) && (!view.checksFailing || failsChecks(r)));
  if (view.sort === 'source') return view.descending ? kept.reverse() : kept;
  const keyed = kept.map((row, index) => ({ row, index, value: sortValue(row, view.sort) }));
  keyed.sort((a, b) => {
    if (a.value === null || b.value === null) return a.value === b.value ? a.index - b.index : a.value === null ? 1 : -1;
    const diff = view.descending ? b.value - a.value : a.value - b.value;
    return diff || a.index - b.index;
  });
  return keyed.map((k) => k.row);
}

/** Rows per outcome, and how many fail a check: the filter buttons' counts. */
export function outcomeCounts(rows: readonly RowLike[]): Record<OutcomeFilter, number> & { checksFailing: number } {
  const counts = { all: rows.length, changed: 0, unchanged: 0, failed: 0, pending: 0, checksFailing: 0 };
  for (const row of rows) {
    counts[row.outcome]++;
    if (failsChecks(row)) counts.checksFailing++;
  }
  return counts;
}

/** Each check's name with its result before and after (a check one side lacks is null there). */
export function pairChecks(
  before: ReadonlyArray<{ name: string; passed: boolean }> | undefined,
  after: ReadonlyArray<{ name: string; passed: boolean }> | undefined,
): Array<{ name: string; before: boolean | null; after: boolean | null }> {
  const names = [...new Set([...(after ?? []), ...(before ?? [])].map((c) => c.name))];
  const find = (list: typeof before, name: string) => list?.find((c) => c.name === name)?.passed ?? null;
  return names.map((name) => ({ name, before: find(before, name), after: find(after, name) }));
}
