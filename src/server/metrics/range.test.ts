import { describe, expect, it } from 'vitest';
import { bucketStart, failureRate, fillSeries, metricsWindow } from './range';

describe('metrics windows', () => {
  const now = Date.UTC(2026, 10, 21, 13, 7, 42);
  it('starts on a bucket boundary one range ago and ends with the current bucket', () => {
    const hour = metricsWindow('1h', now);
    expect(hour.from.toISOString()).toBe('2026-11-21T12:07:00.000Z');
    expect(hour.buckets).toHaveLength(61);
    expect(new Date(hour.buckets.at(-1)!).toISOString()).toBe('2026-11-21T13:07:00.000Z');
    expect(metricsWindow('24h', now).from.toISOString()).toBe('2026-11-20T13:00:00.000Z');
    const week = metricsWindow('7d', now);
    expect(week.from.toISOString()).toBe('2026-11-14T12:00:00.000Z');
    expect(new Date(week.buckets.at(-1)!).toISOString()).toBe('2026-11-21T12:00:00.000Z');
  });
  it('aligns 2 h buckets on even UTC hours, like date_bin from 2000-01-01', () => {
    expect(new Date(bucketStart(Date.UTC(2026, 0, 1, 3, 59), 2 * 3600_000)).toISOString()).toBe('2026-01-01T02:00:00.000Z');
  });
});

describe('failure rate and series', () => {
  it('is failed over succeeded + failed, null when nothing ended', () => {
    expect(failureRate({ succeeded: 3, failed: 1 })).toBe(0.25);
    expect(failureRate({ succeeded: 0, failed: 0 })).toBeNull();
  });
  it('fills buckets without runs with zeros', () => {
    const series = fillSeries(
      [0, 60_000, 120_000],
      [{ bucket: new Date(60_000), runs: 2, succeeded: 1, failed: 1, cancelled: 0, p50Ms: 10, p95Ms: 20 }],
    );
    expect(series.map((p) => [p.t, p.runs, p.failureRate])).toEqual([
      [0, 0, null],
      [60_000, 2, 0.5],
      [120_000, 0, null],
    ]);
  });
});
