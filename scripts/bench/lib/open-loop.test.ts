import { describe, expect, it } from 'vitest';
import { lagMs, offeredRate, openLoop, plannedOffsets, type Clock } from './open-loop';

/** A clock that only moves when slept on, plus an optional extra delay to simulate a busy process. */
function fakeClock(oversleepMs = 0): Clock & { t: number } {
  const clock = {
    t: 1_000_000,
    now: () => clock.t,
    sleep: async (ms: number) => {
      clock.t += ms + oversleepMs;
    },
  };
  return clock;
}

describe('plannedOffsets', () => {
  it('spaces count = duration x rate actions evenly', () => {
    expect(plannedOffsets(100, 50)).toEqual([0, 10, 20, 30, 40]);
    expect(plannedOffsets(2, 2000)).toEqual([0, 500, 1000, 1500]);
  });

  it('plans at least one action', () => {
    expect(plannedOffsets(1, 10)).toEqual([0]);
  });

  it('refuses a rate or duration that is not positive', () => {
    expect(() => plannedOffsets(0, 1000)).toThrow(/rate must be a positive number/);
    expect(() => plannedOffsets(Number.NaN, 1000)).toThrow(/rate/);
    expect(() => plannedOffsets(10, -5)).toThrow(/duration must be a positive number/);
  });
});

describe('openLoop', () => {
  it('starts each action at its planned time without waiting for the previous one', async () => {
    const clock = fakeClock();
    const never = new Promise<string>(() => undefined); // actions that never finish must not hold the loop
    const fired = await openLoop({ ratePerSecond: 100, durationMs: 100, clock, fire: () => never });
    expect(fired.map((f) => f.i)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(fired.map((f) => f.firedAt - 1_000_000)).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
    expect(lagMs(fired)).toEqual({ mean: 0, max: 0 });
  });

  it('catches up when it wakes late, starting every due action at once', async () => {
    const clock = fakeClock(25); // every sleep overshoots by 25 ms
    const fired = await openLoop({ ratePerSecond: 100, durationMs: 100, clock, fire: async (i) => i });
    expect(fired).toHaveLength(10);
    // planned 0,10,...,90; sleeps of 10, 5, 5 ms wake at 35, 65, 95: every due action starts then
    expect(fired.map((f) => f.firedAt - 1_000_000)).toEqual([0, 35, 35, 35, 65, 65, 65, 95, 95, 95]);
    expect(lagMs(fired).max).toBe(25);
    expect(await Promise.all(fired.map((f) => f.result))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('passes the planned time and keeps a failed action from rejecting the loop', async () => {
    const clock = fakeClock();
    const planned: number[] = [];
    const fired = await openLoop({
      ratePerSecond: 50,
      durationMs: 60,
      clock,
      fire: async (i, plannedAt) => {
        planned.push(plannedAt - 1_000_000);
        if (i === 1) throw new Error('boom');
        return i;
      },
    });
    expect(planned).toEqual([0, 20, 40]);
    await expect(fired[1]!.result).rejects.toThrow('boom');
  });
});

describe('offeredRate', () => {
  it('is actions per second between the first and the last start', () => {
    expect(offeredRate([{ firedAt: 0 }, { firedAt: 10 }, { firedAt: 20 }])).toBe(100);
    expect(offeredRate([{ firedAt: 0 }])).toBeNaN();
  });
});
