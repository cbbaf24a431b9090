import { describe, expect, it } from 'vitest';
import { axisTicks, buildTimeline, type TimelineTaskInput } from './timeline-model';

const T0 = new Date('2026-01-01T00:00:00.000Z').getTime();
const at = (ms: number) => new Date(T0 + ms);

function task(name: string, attempts: TimelineTaskInput['attemptHistory'], extra: Partial<TimelineTaskInput> = {}): TimelineTaskInput {
  return {
    taskName: name,
    status: 'SUCCEEDED',
    attempts: attempts.length,
    workerName: null,
    error: null,
    queuedAt: null,
    startedAt: null,
    finishedAt: null,
    attemptHistory: attempts,
    ...extra,
  };
}
const attempt = (n: number, status: string, q: number, s: number | null, f: number | null, error: string | null = null) => ({
  attempt: n,
  status,
  error,
  workerName: 'w1',
  queuedAt: at(q),
  runAfter: null,
  startedAt: s === null ? null : at(s),
  finishedAt: f === null ? null : at(f),
});

describe('buildTimeline', () => {
  it('draws one bar per attempt on an axis from the run creation to its finish', () => {
    const tl = buildTimeline(
      { createdAt: at(0), finishedAt: at(1000) },
      [
        task('flaky', [attempt(1, 'FAILED', 0, 100, 300, 'Error: boom\n    at x.ts:1'), attempt(2, 'SUCCEEDED', 300, 500, 800)]),
        task('after', [attempt(1, 'SUCCEEDED', 800, 800, 1000)]),
      ],
      T0 + 5000,
    );
    expect(tl.start).toBe(T0);
    expect(tl.end).toBe(T0 + 1000);
    const [first, second] = tl.rows[0]!.bars;
    expect(first).toMatchObject({ attempt: 1, status: 'FAILED', left: 0, width: 30, errorLine: 'Error: boom', finished: true });
    expect(first!.waitShare).toBeCloseTo(100 / 3);
    expect(second).toMatchObject({ attempt: 2, left: 30, width: 50, waitShare: 40 });
    expect(tl.rows[1]!.bars[0]).toMatchObject({ left: 80, width: 20, waitShare: 0 });
  });

  it('a running attempt grows to now; one not started is all wait', () => {
    const tl = buildTimeline(
      { createdAt: at(0), finishedAt: null },
      [task('runs', [attempt(1, 'RUNNING', 0, 200, null)]), task('waits', [attempt(1, 'QUEUED', 500, null, null)]), task('pending', [])],
      T0 + 1000,
    );
    expect(tl.end).toBe(T0 + 1000);
    expect(tl.rows[0]!.bars[0]).toMatchObject({ width: 100, finished: false, waitShare: 20 });
    expect(tl.rows[1]!.bars[0]).toMatchObject({ left: 50, width: 50, waitShare: 100 });
    expect(tl.rows[2]!.bars).toEqual([]);
  });

  it('falls back to the task timings when no attempts were recorded', () => {
    const tl = buildTimeline(
      { createdAt: at(0), finishedAt: at(100) },
      [task('old', [], { attempts: 1, queuedAt: at(0), startedAt: at(50), finishedAt: at(100), status: 'SUCCEEDED', workerName: 'w' })],
      T0 + 100,
    );
    expect(tl.rows[0]!.bars).toEqual([
      expect.objectContaining({ attempt: 1, status: 'SUCCEEDED', workerName: 'w', width: 100, waitShare: 50 }),
    ]);
  });
});

describe('axisTicks', () => {
  it('uses a round step with at most 7 ticks', () => {
    expect(axisTicks(1000).map((t) => t.offsetMs)).toEqual([0, 200, 400, 600, 800, 1000]);
    expect(axisTicks(45_000).map((t) => t.offsetMs)).toEqual([0, 10_000, 20_000, 30_000, 40_000]);
    expect(axisTicks(0)).toEqual([
      { offsetMs: 0, left: 0 },
      { offsetMs: 1, left: 100 },
    ]);
    expect(axisTicks(400 * 24 * 3600_000).length).toBeLessThanOrEqual(7);
  });
});
