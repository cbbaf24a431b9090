// The engine's side of schedules: firing them (a BullMQ worker per project on the `schedules`
// queue) and recovery (re-creating from Postgres what the queue lost). Every firing starts its
// run through createRun with an idempotency key, so a re-delivered job, two engines, or recovery
// firing a one-off its lost job would have fired never start a second run.
import { SCHEDULES_QUEUE, scheduleJobSchema, type ScheduleJob } from '@whetstone/sdk/contract';
import type { AnyWorker } from '@whetstone/sdk/transport';
import type { Job } from 'bullmq';
import { Prisma, type PrismaClient, type Schedule } from '@/server/db/client';
import { queueKit } from '@/server/queue/project-queues';
import { isRefusal } from '@/server/errors';
import { isUuid } from '@/server/engine/ids';
import { createRun } from '@/server/engine/triggers/create-run';
import { cronFireTime, cronIdempotencyKey, onceIdempotencyKey, type FiredJob } from './keys';
import { armSchedule, onceJobPending, schedulesQueue } from './queue';
import { syncAllDefinitionCrons } from './schedules';

type ScheduleWithWorkflow = Schedule & { workflow: { name: string } };

/** Schedules checked against the queue at once during recovery. */
const RECONCILE_CONCURRENCY = 16;

export type FireOutcome = { runId: string } | { skipped: 'deleted' | 'already-fired' | 'refused' };

/**
 * The engine's consumer of one project's `schedules` queue. Close it with the project's queue kit
 * (closeProjectQueueKit) or `worker.close()`.
 */
export function consumeSchedules(prisma: PrismaClient, projectId: string, opts: { concurrency?: number } = {}): AnyWorker<ScheduleJob> {
  const worker = queueKit(projectId).worker<ScheduleJob>(
    SCHEDULES_QUEUE,
    async (job) => processScheduleJob(prisma, projectId, job as unknown as Job<ScheduleJob>),
    { concurrency: opts.concurrency ?? 4 },
  );
  worker.on('failed', (job, err) =>
    console.error(`[schedules] firing ${job?.id} of project ${projectId} failed (attempt ${job?.attemptsMade}): ${err.message}`),
  );
  worker.on('error', (err) => console.error(`[schedules] queue error (project ${projectId}): ${err.message}`));
  return worker;
}

/** One job of the `schedules` queue: loads its schedule and starts the run (at most one per cron tick / one-off). */
export async function processScheduleJob(
  prisma: PrismaClient,
  projectId: string,
  job: Pick<Job<ScheduleJob>, 'data' | 'id' | 'timestamp' | 'delay' | 'opts' | 'repeatJobKey'>,
): Promise<FireOutcome> {
  const parsed = scheduleJobSchema.safeParse(job.data);
  if (!parsed.success || !isUuid(parsed.data.scheduleId)) return { skipped: 'deleted' };
  const { scheduleId } = parsed.data;
  const schedule = await prisma.schedule.findFirst({
    where: { id: scheduleId, projectId },
    include: { workflow: { select: { name: true } } },
  });
  if (!schedule) {
    // Deleted (or never ours): nothing runs. A cron's scheduler left behind stops here.
    if (job.repeatJobKey)
      await schedulesQueue(projectId)
        .removeJobScheduler(job.repeatJobKey)
        .catch(() => undefined);
    return { skipped: 'deleted' };
  }
  if (schedule.kind === 'CRON') return fireCron(prisma, schedule, new Date(cronFireTime(job as FiredJob)));
  return fireOnce(prisma, schedule);
}

/** Starts the run of one cron tick (idempotent per tick) and records the tick as lastFiredAt. */
export async function fireCron(prisma: PrismaClient, schedule: ScheduleWithWorkflow, tick: Date): Promise<FireOutcome> {
  const runId = await startRun(prisma, schedule, 'CRON', cronIdempotencyKey(schedule.id, tick));
  await prisma.schedule.updateMany({
    where: { id: schedule.id, OR: [{ lastFiredAt: null }, { lastFiredAt: { lt: tick } }] },
    data: { lastFiredAt: tick },
  });
  return runId ? { runId } : { skipped: 'refused' };
}

/** Starts a one-off's run (idempotent: one run per schedule, ever), then marks it fired. */
export async function fireOnce(prisma: PrismaClient, schedule: ScheduleWithWorkflow): Promise<FireOutcome> {
  if (schedule.firedAt) return { skipped: 'already-fired' };
  // Run first, then firedAt: a crash in between leaves it unfired, and recovery's second try
  // finds the same run by its key instead of starting another.
  const runId = await startRun(prisma, schedule, 'SCHEDULE', onceIdempotencyKey(schedule.id));
  const now = new Date();
  await prisma.schedule.updateMany({ where: { id: schedule.id, firedAt: null }, data: { firedAt: now, lastFiredAt: now } });
  return runId ? { runId } : { skipped: 'refused' };
}

/**
 * createRun for a schedule. A refusal that no retry can fix (input the workflow's current
 * version rejects, over the size limit) is logged and the firing is dropped (null); anything
 * else throws, and BullMQ retries the job.
 */
async function startRun(
  prisma: PrismaClient,
  schedule: ScheduleWithWorkflow,
  triggerSource: 'CRON' | 'SCHEDULE',
  idempotencyKey: string,
): Promise<string | null> {
  try {
    return await createRun(prisma, schedule.projectId, schedule.workflow.name, {
      input: schedule.input,
      additionalMetadata: (schedule.additionalMetadata as Record<string, string> | null) ?? undefined,
      priority: schedule.priority ?? undefined,
      triggerSource,
      scheduleId: schedule.id,
      idempotencyKey,
    });
  } catch (err) {
    // The schedule was deleted while firing: the run's foreign key fails, and nothing should run.
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2003') return null;
    if (isRefusal(err)) {
      console.error(
        `[schedules] ${schedule.kind === 'CRON' ? 'cron' : 'schedule'} ${schedule.id} of workflow '${schedule.workflow.name}' did not start a run: ${err.message}`,
      );
      return null;
    }
    throw err;
  }
}

export interface ReconcileReport {
  /** Crons whose job scheduler (or its next job) was missing or out of date, and was re-created. */
  crons: number;
  /** One-offs whose delayed job was missing and was added again. */
  delayed: number;
  /** One-offs whose time passed while their job was missing: fired now. */
  fired: number;
  /** Job schedulers without a schedule row (deleted while the queue was unreachable): removed. */
  orphans: number;
}

/**
 * Recovery for one project: for every schedule in Postgres, makes sure its BullMQ side exists
 * (after a FLUSHALL, a truncated queue schema, a failed arm), and removes job schedulers whose
 * schedule is gone. A one-off whose time passed while its job was missing fires now, exactly
 * once (idempotency key + conditional firedAt) even if several engines reconcile at once.
 */
export async function reconcileSchedules(prisma: PrismaClient, projectId: string): Promise<ReconcileReport> {
  const report: ReconcileReport = { crons: 0, delayed: 0, fired: 0, orphans: 0 };
  const queue = schedulesQueue(projectId);
  // Schedulers are listed before the rows are read: a row is always written before its scheduler,
  // so a scheduler listed here whose row the later read does not find was really deleted.
  const schedulers = await queue.getJobSchedulers(0, -1, true);
  await syncAllDefinitionCrons(prisma, projectId);
  const rows = await prisma.schedule.findMany({
    where: { projectId, OR: [{ kind: 'CRON' }, { kind: 'ONCE', firedAt: null }] },
    include: { workflow: { select: { name: true } } },
  });
  const ids = new Set(rows.map((r) => r.id));
  for (const scheduler of schedulers) {
    if (ids.has(scheduler.key)) continue;
    await queue.removeJobScheduler(scheduler.key);
    report.orphans++;
  }
  const byKey = new Map(schedulers.map((s) => [s.key, s]));
  const now = Date.now();
  const check = async (row: (typeof rows)[number]) => {
    try {
      if (row.kind === 'CRON') {
        const scheduler = byKey.get(row.id);
        const nextJob = scheduler?.next ? await queue.getJob(`repeat:${row.id}:${scheduler.next}`) : undefined;
        if (scheduler && scheduler.pattern === row.expression && scheduler.tz === 'UTC' && nextJob) return;
        await armSchedule(projectId, row);
        report.crons++;
      } else {
        const { pending, state } = await onceJobPending(projectId, row.id);
        if (pending) return;
        if (state !== 'unknown') await queue.remove(row.id).catch(() => undefined); // a finished job would block re-adding the id
        if (!row.runAt || row.runAt.getTime() <= now) {
          await fireOnce(prisma, row);
          report.fired++;
        } else {
          await armSchedule(projectId, row);
          report.delayed++;
        }
      }
    } catch (err) {
      console.error(`[schedules] recovery of schedule ${row.id} (project ${projectId}) failed: ${(err as Error).message}`);
    }
  };
  // A few queue round trips at a time: one per schedule, every recovery pass.
  for (let i = 0; i < rows.length; i += RECONCILE_CONCURRENCY) await Promise.all(rows.slice(i, i + RECONCILE_CONCURRENCY).map(check));
  return report;
}
