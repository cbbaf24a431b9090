import type { RateLimitClaim } from './window';

export interface Reservation {
  /**
   * When the task run may start, on the store's clock (Redis TIME, Postgres clock_timestamp()):
   * one clock for every process, which their own clocks follow as closely as NTP keeps them.
   */
  startAt: Date;
}

/**
 * Where reservations live: a sorted set per key on Redis, RateLimitSlot rows on Postgres. A
 * reservation is atomic across every process reserving on the same keys.
 */
export interface RateLimitStore {
  /**
   * Reserves every claim's units at one start time: the earliest (not before `notBeforeMs` from
   * now) at which each claim fits its window and its key's pace (window.ts). `inTurn`: the run
   * wants to start as soon as it may (false for a retry after its backoff). `holder` names the
   * reservation (task run and attempt): reserving again for the same holder replaces its earlier
   * units where the store can.
   */
  reserve(
    projectId: string,
    claims: readonly RateLimitClaim[],
    opts: { notBeforeMs: number; holder: string; inTurn: boolean },
  ): Promise<Reservation>;
}
