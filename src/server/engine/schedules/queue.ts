// The BullMQ side of schedules, on each project's `schedules` queue: a cron is a job scheduler
// whose id is the schedule's id; a one-off is a delayed job whose job id is the schedule's id.
// Both only carry `{ scheduleId }`. Postgres is the truth: everything here can be recreated
// from the Schedule table (reconcileSchedules), so failures here are logged, not fatal.
import { SCHEDULES_QUEUE, type ScheduleJob } from '@whetstone/sdk/contract';
import type { AnyQueue } from '@whetstone/sdk/transport';
import { queueKit } from '@/server/queue/project-queues';

/** Finished schedule jobs stay inspectable for an hour, failed ones a week; the run records stay in Postgres. */
const RETENTION = { removeOnComplete: { age: 3600, count: 1000 }, removeOnFail: { age: 7 * 24 * 3600 } } as const;
/** A firing that hit a transient error (database restarting) is retried; the idempotency key keeps it to one run. */
const RETRIES = { attempts: 5, backoff: { type: 'exponential', delay: 1000 } } as const;

/** BullMQ's ErrorCode.SchedulerJobIdCollision. */
const SCHEDULER_JOB_ID_COLLISION = -10;

export const CRON_JOB_NAME = 'cron';
export const ONCE_JOB_NAME = 'once';

/** Job states in which a one-off job will still fire. */
const PENDING_STATES = new Set(['delayed', 'waiting', 'wait', 'active', 'prioritized', 'waiting-children']);

export interface ArmableSchedule {
  id: string;
  kind: 'CRON' | 'ONCE';
  expression: string | null;
  runAt: Date | null;
  firedAt: Date | null;
}

export function schedulesQueue(projectId: string): AnyQueue<ScheduleJob> {
  return queueKit(projectId).queue<ScheduleJob>(SCHEDULES_QUEUE);
}

/** Creates (or updates) the BullMQ side of a schedule: the cron's job scheduler, or the one-off's delayed job. */
export async function armSchedule(projectId: string, schedule: ArmableSchedule): Promise<void> {
  const queue = schedulesQueue(projectId);
  if (schedule.kind === 'CRON') {
    if (!schedule.expression) return;
    try {
      await queue.upsertJobScheduler(
        schedule.id,
        { pattern: schedule.expression, tz: 'UTC' },
        { name: CRON_JOB_NAME, data: { scheduleId: schedule.id }, opts: { ...RETENTION, ...RETRIES } },
      );
    } catch (err) {
      // A job for the next tick already exists (another process armed it first): nothing to do.
      if ((err as { code?: number }).code !== SCHEDULER_JOB_ID_COLLISION) throw err;
    }
    return;
  }
  if (schedule.firedAt || !schedule.runAt) return;
  const delay = Math.max(0, schedule.runAt.getTime() - Date.now());
  // Same job id twice is a no-op in BullMQ: arming again (recovery, a second engine) adds nothing.
  await queue.add(ONCE_JOB_NAME, { scheduleId: schedule.id }, { jobId: schedule.id, delay, ...RETENTION, ...RETRIES });
}

/** Removes the BullMQ side of a deleted schedule. A job already due may still be delivered: it finds no row and does nothing. */
export async function disarmSchedule(projectId: string, schedule: Pick<ArmableSchedule, 'id' | 'kind'>): Promise<void> {
  const queue = schedulesQueue(projectId);
  if (schedule.kind === 'CRON') await queue.removeJobScheduler(schedule.id);
  else await queue.remove(schedule.id);
}

/** Best effort: Postgres already holds the change, and reconcileSchedules repairs the queue from it. */
export async function armOrLog(projectId: string, schedule: ArmableSchedule): Promise<void> {
  await armSchedule(projectId, schedule).catch((err: unknown) =>
    console.error(
      `[schedules] could not arm schedule ${schedule.id} of project ${projectId} (recovery will retry): ${(err as Error).message}`,
    ),
  );
}

export async function disarmOrLog(projectId: string, schedule: Pick<ArmableSchedule, 'id' | 'kind'>): Promise<void> {
  await disarmSchedule(projectId, schedule).catch((err: unknown) =>
    console.error(`[schedules] could not disarm schedule ${schedule.id} of project ${projectId}: ${(err as Error).message}`),
  );
}

/** Whether a one-off's job is still waiting to fire (false when missing, finished or failed). */
export async function onceJobPending(projectId: string, scheduleId: string): Promise<{ pending: boolean; state: string }> {
  const state = await schedulesQueue(projectId).getJobState(scheduleId);
  return { pending: PENDING_STATES.has(state), state };
}
