import { describe, expect, it } from 'vitest';
import { GOALS, renderSummary, summaryRows, type Figures } from './goals';

const rates = { steadyPerSecond: 100, eventPerSecond: 20 };

function figures(over: Partial<Figures> = {}): Figures {
  return {
    rawJobsPerSecond: 10_000,
    rawAddToStartMs: { p50: 1, p99: 4 },
    singleRunsPerSecond: 2600,
    dagRunsPerSecond: 500,
    steady: { offeredRate: 99.9, p50: 8, p95: 30, p99: 60 },
    event: { offeredRate: 20, p50: 12, p99: 40 },
    peakRssMB: { engine: 240, worker: 150, web: 400, rawBaseline: 120 },
    backgroundBusyCores: 0.05,
    backgroundBusyCoresDuringThroughput: 0.1,
    ...over,
  };
}

const row = (rows: ReturnType<typeof summaryRows>, metric: string, nth = 0) => rows.filter((r) => r.metric.startsWith(metric))[nth]!;

describe('summaryRows', () => {
  it('judges each goal on the transports it applies to', () => {
    const rows = summaryRows({ redis: figures(), postgres: figures({ singleRunsPerSecond: 2000, rawJobsPerSecond: 5000 }) }, rates);
    // 2,500 runs/s is a Redis goal only
    expect(row(rows, '1-task runs/s').met).toEqual({ redis: true });
    // ratio: redis 2600/10000 = 0.26 ≥ 0.15; postgres 2000/5000 = 0.4 ≥ 0.30
    const ratio = row(rows, '  ÷ raw BullMQ');
    expect(ratio.values.redis).toBeCloseTo(0.26);
    expect(ratio.values.postgres).toBeCloseTo(0.4);
    expect(ratio.met).toEqual({ redis: true, postgres: true });
    // latency goals apply to both: p50 8 ≤ 10, p99 60 > 50
    expect(row(rows, 'trigger → task start p50').met).toEqual({ redis: true, postgres: true });
    expect(row(rows, 'trigger → task start p99').met).toEqual({ redis: false, postgres: false });
    expect(row(rows, '3-task DAG runs/s').met).toEqual({ redis: false });
    expect(row(rows, 'engine peak RSS').met).toEqual({ redis: true, postgres: true });
  });

  it('reports each target also as a ratio against its same-run baseline', () => {
    const rows = summaryRows({ redis: figures() }, rates);
    expect(row(rows, '  ÷ raw BullMQ', 1).values.redis).toBeCloseTo(0.05); // DAG 500 / 10,000
    expect(row(rows, '  ÷ raw BullMQ', 1).met).toEqual({ redis: GOALS.dagOfRaw <= 0.05 });
    expect(row(rows, '  p50 ÷ raw p50').values.redis).toBe(8);
    expect(row(rows, '  p99 ÷ raw p99').values.redis).toBe(15);
    expect(row(rows, '  engine ÷ bare BullMQ').values.redis).toBe(2);
  });

  it('derives the DAG ratio goal from the ceiling the single-task goals imply', () => {
    expect(GOALS.dagOfRaw).toBeCloseTo(0.048);
  });

  it('leaves a missing transport out and judges no goal on a value it could not measure', () => {
    const rows = summaryRows(
      { postgres: figures({ steady: { offeredRate: 0, p50: Number.NaN, p95: Number.NaN, p99: Number.NaN } }) },
      rates,
    );
    expect(row(rows, 'raw BullMQ add+process').values).toEqual({ postgres: 10_000 });
    expect(row(rows, 'trigger → task start p50').met).toEqual({});
  });
});

describe('renderSummary', () => {
  it('prints one table with metric, redis, postgres, goal and met? columns', () => {
    const text = renderSummary(summaryRows({ redis: figures(), postgres: figures({ singleRunsPerSecond: 100 }) }, rates));
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^metric\s+redis\s+postgres\s+goal\s+met\?$/);
    expect(lines.find((l) => l.startsWith('1-task runs/s'))).toMatch(/2600\.0\s+100\.0\s+redis ≥2500\s+yes$/);
    expect(lines.find((l) => l.startsWith('  ÷ raw BullMQ'))).toMatch(
      /0\.260\s+0\.010\s+redis ≥0\.15, postgres ≥0\.3\s+redis yes, postgres no$/,
    );
    expect(lines.find((l) => l.startsWith('trigger → task start p50 @100/s'))).toBeDefined();
  });

  it('prints - for a transport that was not run', () => {
    const text = renderSummary(summaryRows({ redis: figures() }, rates));
    expect(text.split('\n').find((l) => l.startsWith('engine peak RSS'))).toMatch(/240\s+-\s+≤250\s+yes$/);
  });
});
