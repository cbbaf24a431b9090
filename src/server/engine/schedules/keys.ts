// Pure rules of schedules: when a one-off runs, which tick a cron job stands for, and the
// idempotency keys that make every firing start at most one run.
import { MAX_SCHEDULE_AHEAD_SECONDS } from '@whetstone/sdk/contract';
import { badRequest } from '@/server/errors';

/**
 * The run key of one cron tick. Two engines, a re-delivered job, or a job re-created by recovery
 * for the same tick all map to this key, and createRun returns the first run for it.
 */
export function cronIdempotencyKey(scheduleId: string, fireTime: Date): string {
  return `cron:${scheduleId}:${fireTime.toISOString()}`;
}

/** The run key of a one-off schedule: it starts one run, ever. */
export function onceIdempotencyKey(scheduleId: string): string {
  return `once:${scheduleId}`;
}

/** What the firing needs of a BullMQ job (structural, so tests need no queue). */
export interface FiredJob {
  id?: string | null;
  timestamp?: number;
  delay?: number;
  opts?: { prevMillis?: number; delay?: number };
}

/**
 * The tick a cron job stands for, in ms. A job scheduler names each job `repeat:<schedulerId>:<tick ms>`
 * and records the tick as `opts.prevMillis`; both survive re-delivery, unlike the time it is processed.
 */
export function cronFireTime(job: FiredJob): number {
  const fromId = /^repeat:.+:(\d+)$/.exec(job.id ?? '')?.[1];
  if (fromId) return Number(fromId);
  if (typeof job.opts?.prevMillis === 'number' && job.opts.prevMillis > 0) return job.opts.prevMillis;
  // Not a scheduler job (should not happen): the time it was due.
  return (job.timestamp ?? Date.now()) + (job.delay ?? job.opts?.delay ?? 0);
}

/** When a one-off schedule runs, from exactly one of `runAt` (ISO 8601) and `delaySeconds`; throws a 400 saying why not. */
export function resolveRunAt(request: { runAt?: string; delaySeconds?: number }, now = new Date()): Date {
  const hasRunAt = request.runAt !== undefined;
  const hasDelay = request.delaySeconds !== undefined;
  if (hasRunAt === hasDelay) throw badRequest('Give exactly one of runAt (an ISO 8601 date) and delaySeconds');
  if (hasDelay) {
    const seconds = request.delaySeconds!;
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0) {
      throw badRequest(`delaySeconds must be a number greater than 0 (got ${JSON.stringify(seconds)})`);
    }
    if (seconds > MAX_SCHEDULE_AHEAD_SECONDS) {
      throw badRequest(`delaySeconds must be at most ${MAX_SCHEDULE_AHEAD_SECONDS} (ten years); got ${seconds}`);
    }
    return new Date(now.getTime() + Math.round(seconds * 1000));
  }
  const text = request.runAt!;
  // Date.parse accepts more than ISO 8601; require at least a date and a time with an offset or Z.
  const at = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(text) ? new Date(text) : new Date(NaN);
  if (Number.isNaN(at.getTime())) {
    throw badRequest(`runAt ${JSON.stringify(text)} is not an ISO 8601 date with a time zone, e.g. "2030-01-01T09:00:00Z"`);
  }
  if (at.getTime() <= now.getTime()) {
    throw badRequest(
      `runAt ${at.toISOString()} is in the past (server time ${now.toISOString()}): pass a future date, or use delay(seconds)`,
    );
  }
  if (at.getTime() - now.getTime() > MAX_SCHEDULE_AHEAD_SECONDS * 1000) {
    throw badRequest(`runAt ${at.toISOString()} is more than ten years ahead`);
  }
  return at;
}
