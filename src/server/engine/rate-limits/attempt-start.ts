import type { PrismaClient } from '@/server/db/client';
import { env } from '@/server/env';
import { RateLimitRefusal, taskClaims, type RunForClaims } from './claims';
import { postgresRateLimitStore } from './postgres-store';
import { redisRateLimitStore } from './redis-store';
import type { RateLimitStore } from './store';

/** The task can never pass its rate limits: the attempt fails (failUnrunnableAttempt, attempts.ts). */
export interface AttemptRefusal {
  refused: string;
}

export type AttemptStart =
  /**
   * `startAt`: not before (null: at once); for a rate-limited attempt, its reserved start, even if
   * that is now. `rateLimited`: a reservation was made, so the start may be later than the backoff.
   */
  { startAt: Date | null; rateLimited: boolean } | AttemptRefusal;

/**
 * How far ahead even a free unit is reserved: long enough to put the job on its queue first, so
 * that every rate-limited job, not only those that waited, becomes available at its reserved time
 * (promoteOnTime). Reserved "now", a window's first starts would lag by the time queuing them took
 * and crowd into the next window with its starts.
 */
export const RESERVATION_LEAD_MS = 50;

function store(prisma: PrismaClient): RateLimitStore {
  return env().WHETSTONE_TRANSPORT === 'redis' ? redisRateLimitStore() : postgresRateLimitStore(prisma);
}

/**
 * When a new attempt may start: after its retry backoff (`backoffMs`), at the earliest time its
 * rate limits allow, reserving its units for that time. Backoff and rate limit do not add up:
 * the backoff says "not before", and the reservation is the first free time from then on.
 *
 * `requeue` (recovery putting back the lost job of an attempt already queued): the attempt keeps
 * the start time recorded when it was first queued and reserves nothing again. Only if its row
 * was never written (the process died in between) is it reserved as a new attempt.
 */
export async function attemptStart(
  prisma: PrismaClient,
  run: RunForClaims,
  task: { id: string; taskName: string },
  attempt: number,
  opts: { backoffMs?: number; requeue?: boolean },
): Promise<AttemptStart> {
  const backoffMs = Math.max(0, opts.backoffMs ?? 0);
  if (opts.requeue) {
    const queued = await prisma.taskRunAttempt.findUnique({
      where: { taskRunId_attempt: { taskRunId: task.id, attempt } },
      select: { runAfter: true },
    });
    if (queued) return { startAt: queued.runAfter, rateLimited: false };
  }
  let claims;
  try {
    claims = await taskClaims(prisma, run, task.taskName);
  } catch (err) {
    if (err instanceof RateLimitRefusal) return { refused: `${err.name}: ${err.message}` };
    throw err;
  }
  if (!claims.length) return { startAt: backoffMs > 0 ? new Date(Date.now() + backoffMs) : null, rateLimited: false };
  const notBeforeMs = Math.max(backoffMs, RESERVATION_LEAD_MS);
  const { startAt } = await store(prisma).reserve(run.projectId, claims, {
    notBeforeMs,
    holder: `${task.id}:${attempt}`,
    inTurn: backoffMs === 0,
  });
  return { startAt, rateLimited: true };
}
