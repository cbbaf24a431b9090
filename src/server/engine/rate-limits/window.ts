// The rule every store applies. Never more than `limit` units start in any window of `windowMs`
// (a sliding window over reservations, which are start times; a task run's units all start at
// one time), and reservations of a key are paced (see paceMs). The Redis script and the Postgres
// statement implement reserveInMemory; its tests are theirs.

/** One limit a task run takes units of. `key` is the store's key (static `s:…`, dynamic `d:…`). */
export interface RateLimitClaim {
  key: string;
  limit: number;
  windowMs: number;
  units: number;
}

/**
 * Where a new reservation of `claim.units` at `t` fits, judged by the reservations of its key
 * (ascending): every window of `windowMs` containing t lies within (t − window, t + window), so
 * if that span holds at most `limit − units` reservations, t is free. Otherwise the earliest t'
 * that could be is when enough of them have left on the left: the k-th one + window, k being the
 * excess. Returns t when free, else that later candidate (which the caller checks again, since
 * reservations further right may come into its span).
 */
export function fitFrom(reservations: readonly number[], claim: Pick<RateLimitClaim, 'limit' | 'windowMs' | 'units'>, t: number): number {
  const inSpan = reservations.filter((r) => r > t - claim.windowMs && r < t + claim.windowMs);
  const excess = inSpan.length - (claim.limit - claim.units);
  return excess <= 0 ? t : inSpan[excess - 1]! + claim.windowMs;
}

/** Candidate moves before a reservation settles for "after the key's last one" (always free). */
export const MAX_FIT_STEPS = 64;

/** Longest gap per unit kept between reservations of a key (see paceMs). */
export const MAX_PACE_MS = 100;

/**
 * The gap kept after a reservation before the key's next one: the limit's even spacing
 * (window / limit) per unit, at most MAX_PACE_MS per unit. Simultaneous reservations would start
 * on one instant, and the few to tens of ms by which dispatch to workers varies would move such a
 * burst into the next window whole; spread out, that jitter moves a start or so. A limit of 10/s
 * starts a task every 100 ms; of 100 a minute, 100 tasks over 10 s, then none till the window frees.
 *
 * Each key keeps a pace clock: the earliest time its next reservation may start. A reservation in
 * turn (as soon as possible) moves it on; one out of turn (a retry after its backoff) waits for
 * it but moves it only if it lands on it, so a retry due in an hour does not hold up the others.
 */
export function paceMs(claim: Pick<RateLimitClaim, 'limit' | 'windowMs' | 'units'>): number {
  return Math.ceil(Math.min(claim.windowMs / claim.limit, MAX_PACE_MS) * claim.units);
}

/** A key's pace clock after a reservation at `at` (see paceMs). */
export function nextPaceClock(paceClock: number | undefined, at: number, pace: number, inTurn: boolean): number | undefined {
  return inTurn || (paceClock !== undefined && at <= paceClock) ? at + pace : paceClock;
}

/** In-memory state of one key: reservations ascending, and the pace clock. */
export interface KeyState {
  reservations: number[];
  paceClock?: number;
}

/**
 * The whole algorithm over in-memory state, as the Redis script and the Postgres store run it:
 * drop reservations no future window can hold (≤ now − window), find the start time, record
 * `units` reservations at it in every key and move the pace clocks.
 */
export function reserveInMemory(
  keys: Map<string, KeyState>,
  claims: readonly RateLimitClaim[],
  now: number,
  opts: { notBefore?: number; inTurn?: boolean } = {},
): number {
  const states = claims.map((claim) => {
    const state = keys.get(claim.key) ?? { reservations: [] };
    state.reservations = state.reservations.filter((t) => t > now - claim.windowMs);
    keys.set(claim.key, state);
    return state;
  });
  let at = Math.max(now, opts.notBefore ?? now, ...states.map((s) => s.paceClock ?? 0));
  for (let step = 0, moved = true; moved; step++) {
    moved = false;
    claims.forEach((claim, i) => {
      const list = states[i]!.reservations;
      const next = step < MAX_FIT_STEPS ? fitFrom(list, claim, at) : list.length ? list.at(-1)! + claim.windowMs : at;
      if (next > at) [at, moved] = [next, true];
    });
  }
  claims.forEach((claim, i) => {
    const state = states[i]!;
    for (let u = 0; u < claim.units; u++) state.reservations.splice(sortedIndex(state.reservations, at), 0, at);
    state.paceClock = nextPaceClock(state.paceClock, at, paceMs(claim), opts.inTurn ?? true);
  });
  return at;
}

function sortedIndex(list: readonly number[], value: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The most units any window of `windowMs` holds (windows are half-open: [t, t + windowMs)). */
export function busiestWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  let first = 0;
  for (let last = 0; last < sorted.length; last++) {
    while (sorted[last]! - sorted[first]! >= windowMs) first++;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

/** Merges claims on the same key (two rules naming one limit) into one claim of their units. */
export function mergeClaims(claims: readonly RateLimitClaim[]): RateLimitClaim[] {
  const byKey = new Map<string, RateLimitClaim>();
  for (const claim of claims) {
    const seen = byKey.get(claim.key);
    byKey.set(claim.key, seen ? { ...seen, units: seen.units + claim.units } : { ...claim });
  }
  return [...byKey.values()];
}
