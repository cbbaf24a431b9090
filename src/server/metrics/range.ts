// Time ranges of the Metrics page and their buckets (pure: shared by the query and the page).

export const METRICS_RANGES = ['1h', '24h', '7d'] as const;
export type MetricsRange = (typeof METRICS_RANGES)[number];
export const DEFAULT_METRICS_RANGE: MetricsRange = '24h';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Bucket sizes keep every chart between ~60 and ~100 points. */
export const RANGE_SPECS: Record<MetricsRange, { rangeMs: number; bucketMs: number; label: string; bucketLabel: string }> = {
  '1h': { rangeMs: HOUR, bucketMs: MINUTE, label: 'Last hour', bucketLabel: '1 min' },
  '24h': { rangeMs: 24 * HOUR, bucketMs: 15 * MINUTE, label: 'Last 24 hours', bucketLabel: '15 min' },
  '7d': { rangeMs: 7 * 24 * HOUR, bucketMs: 2 * HOUR, label: 'Last 7 days', bucketLabel: '2 h' },
};

export function parseMetricsRange(value: unknown): MetricsRange {
  return (METRICS_RANGES as readonly unknown[]).includes(value) ? (value as MetricsRange) : DEFAULT_METRICS_RANGE;
}

/**
 * Start of the bucket holding `ms`. Buckets are aligned to UTC midnight like the SQL's
 * date_bin(…, TIMESTAMP '2000-01-01'): every bucket size divides a day, so aligning on the
 * Unix epoch gives the same boundaries.
 */
export function bucketStart(ms: number, bucketMs: number): number {
  return Math.floor(ms / bucketMs) * bucketMs;
}

/** The window a range covers at `now`: from the start of the bucket `rangeMs` ago, so every bucket but the current one is whole. */
export function metricsWindow(range: MetricsRange, now: number): { from: Date; to: Date; bucketMs: number; buckets: number[] } {
  const { rangeMs, bucketMs } = RANGE_SPECS[range];
  const first = bucketStart(now - rangeMs, bucketMs);
  const last = bucketStart(now, bucketMs);
  const buckets: number[] = [];
  for (let t = first; t <= last; t += bucketMs) buckets.push(t);
  return { from: new Date(first), to: new Date(now), bucketMs, buckets };
}

export interface BucketStats {
  runs: number;
  succeeded: number;
  failed: number;
  cancelled: number;
  p50Ms: number | null;
  p95Ms: number | null;
}

export const EMPTY_STATS: BucketStats = { runs: 0, succeeded: 0, failed: 0, cancelled: 0, p50Ms: null, p95Ms: null };

/** Failed ÷ (succeeded + failed): of the runs that ran to an end, the share that failed. Cancelled and unfinished runs count for neither. Null when none ended. */
export function failureRate(s: Pick<BucketStats, 'succeeded' | 'failed'>): number | null {
  const ended = s.succeeded + s.failed;
  return ended === 0 ? null : s.failed / ended;
}

/** One point per bucket of the window, empty buckets included (the SQL only returns buckets with runs). */
export function fillSeries(buckets: readonly number[], rows: ReadonlyArray<BucketStats & { bucket: Date }>) {
  const byTime = new Map(rows.map((r) => [r.bucket.getTime(), r]));
  return buckets.map((t) => {
    const row = byTime.get(t);
    const stats: BucketStats = row
      ? { runs: row.runs, succeeded: row.succeeded, failed: row.failed, cancelled: row.cancelled, p50Ms: row.p50Ms, p95Ms: row.p95Ms }
      : EMPTY_STATS;
    return { t, ...stats, failureRate: failureRate(stats) };
  });
}
