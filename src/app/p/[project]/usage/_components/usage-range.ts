// The LLM usage page's time range, from its URL: `?range=24h` (a preset ending now) or
// `?from=2026-01-01&to=2026-01-31` (UTC days, both included; or full ISO times). Pure.

export const USAGE_RANGES = [
  ['1h', 'Last hour', 3_600_000],
  ['24h', 'Last 24 hours', 86_400_000],
  ['7d', 'Last 7 days', 7 * 86_400_000],
  ['30d', 'Last 30 days', 30 * 86_400_000],
  ['all', 'All time', null],
] as const;
export type UsageRangeKey = (typeof USAGE_RANGES)[number][0] | 'custom';
export const DEFAULT_USAGE_RANGE = '7d';

export interface UsageRange {
  key: UsageRangeKey;
  /** ISO strings (`to` exclusive): they cross from the server page to the client component unchanged. */
  from: string | null;
  to: string | null;
}

type SearchParams = Record<string, string | string[] | undefined>;
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

const DAY_MS = 86_400_000;

/** A `YYYY-MM-DD` (that day's start, or its end for `to`, UTC) or a full ISO time; null when absent or not a date. */
function parseDate(text: string | undefined, edge: 'start' | 'end'): Date | null {
  if (!text || text.length > 40) return null;
  const day = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const date = new Date(day ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(date.getTime())) return null;
  return day && edge === 'end' ? new Date(date.getTime() + DAY_MS) : date;
}

/**
 * Presets end now and start at `now` minus their length, rounded down to the minute so the
 * server's prefetch and the browser ask for the same range.
 */
export function parseUsageRange(params: SearchParams, now: number): UsageRange {
  const from = parseDate(first(params.from), 'start');
  const to = parseDate(first(params.to), 'end');
  if (from || to) return { key: 'custom', from: from?.toISOString() ?? null, to: to?.toISOString() ?? null };
  const key = first(params.range);
  const preset = USAGE_RANGES.find(([k]) => k === key) ?? USAGE_RANGES.find(([k]) => k === DEFAULT_USAGE_RANGE)!;
  const length = preset[2];
  const minute = Math.floor(now / 60_000) * 60_000;
  return { key: preset[0], from: length === null ? null : new Date(minute - length).toISOString(), to: null };
}

/** The byWorkflow input for a range. */
export function usageRangeInput(range: UsageRange): { from?: Date; to?: Date } {
  return { ...(range.from ? { from: new Date(range.from) } : {}), ...(range.to ? { to: new Date(range.to) } : {}) };
}
