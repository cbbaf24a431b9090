import { describe, expect, it } from 'vitest';
import {
  MAX_FIT_STEPS,
  busiestWindow,
  fitFrom,
  mergeClaims,
  nextPaceClock,
  paceMs,
  reserveInMemory,
  type KeyState,
  type RateLimitClaim,
} from './window';

const claim = (over: Partial<RateLimitClaim> = {}): RateLimitClaim => ({ key: 'k', limit: 10, windowMs: 1000, units: 1, ...over });
const fresh = () => new Map<string, KeyState>();

describe('reservations', () => {
  it('paces a burst at the limit’s rate, and never holds more than the limit in a window', () => {
    const keys = fresh();
    const starts = Array.from({ length: 40 }, (_, i) => reserveInMemory(keys, [claim()], i));
    expect(starts).toEqual(Array.from({ length: 40 }, (_, i) => i * 100));
    expect(busiestWindow(starts, 1000)).toBe(10);
  });

  it('reserves all units of a run at one time: runs of 3 units of 10/s, three per window', () => {
    const keys = fresh();
    const starts = Array.from({ length: 7 }, () => reserveInMemory(keys, [claim({ units: 3 })], 0));
    expect(starts).toEqual([0, 300, 600, 1000, 1300, 1600, 2000]);
    expect(keys.get('k')!.reservations).toEqual(starts.flatMap((t) => [t, t, t]));
    expect(busiestWindow(keys.get('k')!.reservations, 1000)).toBe(9);
  });

  it('starts a run when every one of its limits has room', () => {
    const keys = fresh();
    const perSecond = claim({ key: 'second', limit: 2 });
    const perMinute = claim({ key: 'minute', limit: 3, windowMs: 60_000 });
    const starts = Array.from({ length: 4 }, () => reserveInMemory(keys, [perSecond, perMinute], 0));
    expect(starts).toEqual([0, 100, 1000, 60_000]);
    expect(keys.get('second')!.reservations).toEqual(starts);
  });

  it('a retry waits out its backoff, then takes the first free time; one due later does not hold up the others', () => {
    const keys = fresh();
    const once = claim({ limit: 1 });
    expect(reserveInMemory(keys, [once], 0, { notBefore: 500, inTurn: false })).toBe(500);
    expect(reserveInMemory(keys, [once], 0, { notBefore: 200, inTurn: false })).toBe(1500);
    expect(reserveInMemory(keys, [once], 0, { notBefore: 9000, inTurn: false })).toBe(9000);
    // In turn: the first window free of the earlier two, long before the retry at 9000.
    expect(reserveInMemory(keys, [once], 0)).toBe(2500);
    expect(busiestWindow(keys.get('k')!.reservations, 1000)).toBe(1);
  });

  it('forgets reservations no future window can hold', () => {
    const keys = new Map<string, KeyState>([['k', { reservations: [0, 100, 900, 1000] }]]);
    expect(reserveInMemory(keys, [claim()], 1000)).toBe(1000);
    expect(keys.get('k')!.reservations).toEqual([100, 900, 1000, 1000]);
  });

  it(`gives up searching for a gap after ${MAX_FIT_STEPS} moves and starts after the key's last reservation`, () => {
    // One per 10 ms, reservations every 15 ms: no gap is ever 10 ms clear on both sides.
    const reservations = Array.from({ length: 200 }, (_, i) => 5 + i * 15);
    const keys = new Map<string, KeyState>([['k', { reservations: [...reservations] }]]);
    expect(reserveInMemory(keys, [claim({ limit: 1, windowMs: 10 })], 0)).toBe(reservations.at(-1)! + 10);
    expect(busiestWindow(keys.get('k')!.reservations, 10)).toBe(1);
  });

  it('never exceeds the limit in any window over random arrivals, units, limits, backoffs and pairs of limits', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const pick = <T>(values: readonly T[]) => values[Math.floor(random() * values.length)]!;
    for (let round = 0; round < 60; round++) {
      const a = claim({ key: 'a', limit: 1 + Math.floor(random() * 12), windowMs: pick([100, 1000, 5000]) });
      const b = claim({ key: 'b', limit: 1 + Math.floor(random() * 30), windowMs: pick([1000, 60_000]) });
      const keys = fresh();
      const recorded: Record<'a' | 'b', number[]> = { a: [], b: [] };
      let now = 0;
      for (let i = 0; i < 300; i++) {
        now += Math.floor(random() * (a.windowMs / 5));
        const claims = [{ ...a, units: 1 + Math.floor(random() * a.limit) }, ...(random() < 0.3 ? [{ ...b, units: 1 }] : [])];
        const backoff = random() < 0.2 ? Math.floor(random() * a.windowMs * 3) : 0;
        const at = reserveInMemory(keys, claims, now, { notBefore: now + backoff, inTurn: backoff === 0 });
        expect(at).toBeGreaterThanOrEqual(now + backoff);
        for (const c of claims) for (let u = 0; u < c.units; u++) recorded[c.key as 'a' | 'b'].push(at);
      }
      expect(busiestWindow(recorded.a, a.windowMs)).toBeLessThanOrEqual(a.limit);
      expect(busiestWindow(recorded.b, b.windowMs)).toBeLessThanOrEqual(b.limit);
    }
  });
});

describe('parts of the rule', () => {
  it('fitFrom: free when the span around t has room, else when enough reservations have left it', () => {
    expect(fitFrom([0, 500], claim({ limit: 3 }), 900)).toBe(900);
    expect(fitFrom([0, 500, 1500], claim({ limit: 3 }), 900)).toBe(1000);
    expect(fitFrom([0, 500, 1500], claim({ limit: 3, units: 2 }), 900)).toBe(1500);
    // Reservations further than a window either side do not count.
    expect(fitFrom([-1000, 1900], claim({ limit: 1 }), 900)).toBe(900);
  });

  it('paceMs spreads units evenly over the window, at most 100 ms each', () => {
    expect(paceMs(claim())).toBe(100);
    expect(paceMs(claim({ limit: 1000 }))).toBe(1);
    expect(paceMs(claim({ limit: 3 }))).toBe(100);
    expect(paceMs(claim({ limit: 1000, windowMs: 86_400_000, units: 2 }))).toBe(200);
  });

  it('nextPaceClock: moved by runs in turn, and by others only when they land on it', () => {
    expect(nextPaceClock(undefined, 50, 100, false)).toBeUndefined();
    expect(nextPaceClock(undefined, 50, 100, true)).toBe(150);
    expect(nextPaceClock(500, 900, 100, true)).toBe(1000);
    expect(nextPaceClock(500, 900, 100, false)).toBe(500);
    expect(nextPaceClock(500, 500, 100, false)).toBe(600);
  });

  it('busiestWindow counts half-open windows', () => {
    expect(busiestWindow([0, 999, 1000, 1999], 1000)).toBe(2);
    expect(busiestWindow([0, 1, 2, 1000], 1000)).toBe(3);
    expect(busiestWindow([], 1000)).toBe(0);
  });

  it('mergeClaims adds up units of rules naming the same limit', () => {
    expect(mergeClaims([claim({ key: 'a' }), claim({ key: 'b', units: 2 }), claim({ key: 'a', units: 3 })])).toEqual([
      claim({ key: 'a', units: 4 }),
      claim({ key: 'b', units: 2 }),
    ]);
  });
});
