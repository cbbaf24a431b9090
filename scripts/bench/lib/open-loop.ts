// Open-loop load: each action is started at its planned time (start + i / rate), never "after the
// previous one finished". A slow system therefore sees the load pile up, as it would from real
// clients, instead of the benchmark politely slowing down (closed loop hides queueing delay).

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** Wall-clock ms, comparable with the timestamps the stack writes to the database. */
export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface OpenLoopOptions<T> {
  /** Actions per second (> 0). */
  ratePerSecond: number;
  /** How long to keep starting actions; count = floor(duration * rate), at least 1. */
  durationMs: number;
  /** Started at its planned time and not awaited before the next one starts. */
  fire: (i: number, plannedAt: number) => Promise<T>;
  clock?: Clock;
}

export interface Fired<T> {
  i: number;
  plannedAt: number;
  /** When `fire` was called: later than planned when the process was busy (see `lagMs`). */
  firedAt: number;
  result: Promise<T>;
}

/** Planned start times (ms offsets from the start) of an open-loop schedule. */
export function plannedOffsets(ratePerSecond: number, durationMs: number): number[] {
  if (!(ratePerSecond > 0) || !Number.isFinite(ratePerSecond)) throw new Error(`rate must be a positive number, not ${ratePerSecond}`);
  if (!(durationMs > 0) || !Number.isFinite(durationMs)) throw new Error(`duration must be a positive number of ms, not ${durationMs}`);
  const count = Math.max(1, Math.floor((durationMs / 1000) * ratePerSecond));
  const interval = 1000 / ratePerSecond;
  return Array.from({ length: count }, (_, i) => i * interval);
}

/**
 * Runs the schedule and resolves once every action has been *started* (their promises are in
 * `result`). When the process wakes late, every action that is due starts at once: the schedule
 * catches up rather than drifting, so the offered rate holds on average.
 */
export async function openLoop<T>(opts: OpenLoopOptions<T>): Promise<Fired<T>[]> {
  const clock = opts.clock ?? realClock;
  const offsets = plannedOffsets(opts.ratePerSecond, opts.durationMs);
  const start = clock.now();
  const fired: Fired<T>[] = [];
  let next = 0;
  while (next < offsets.length) {
    const now = clock.now();
    while (next < offsets.length && start + offsets[next]! <= now) {
      const plannedAt = start + offsets[next]!;
      const result = opts.fire(next, plannedAt);
      result.catch(() => undefined); // the caller awaits it; never an unhandled rejection meanwhile
      fired.push({ i: next, plannedAt, firedAt: clock.now(), result });
      next++;
    }
    if (next < offsets.length) await clock.sleep(Math.max(0, start + offsets[next]! - clock.now()));
  }
  return fired;
}

/** How far behind schedule actions started: the process (not the system under test) was busy. */
export function lagMs(fired: readonly Pick<Fired<unknown>, 'plannedAt' | 'firedAt'>[]): { mean: number; max: number } {
  if (!fired.length) return { mean: 0, max: 0 };
  const lags = fired.map((f) => f.firedAt - f.plannedAt);
  return { mean: lags.reduce((s, v) => s + v, 0) / lags.length, max: Math.max(...lags) };
}

/** Actions per second actually offered: count over the span from the first to the last start. */
export function offeredRate(fired: readonly Pick<Fired<unknown>, 'firedAt'>[]): number {
  if (fired.length < 2) return NaN;
  const span = fired[fired.length - 1]!.firedAt - fired[0]!.firedAt;
  return span > 0 ? ((fired.length - 1) / span) * 1000 : NaN;
}
