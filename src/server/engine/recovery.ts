import type { PrismaClient } from '@/server/db/client';
import { env } from '@/server/env';
import { taskQueueName } from '@/server/queue/contracts';
import { queueKit } from '@/server/queue/project-queues';
import { DISPATCHED_TASK_STATUSES, UNFINISHED_RUN_STATUSES } from '@/server/shared/statuses';
import { advanceRun } from './advance';
import { admitOverdueRuns } from './concurrency/actions';
import { failUnrunnableAttempt, settleFailedAttempt } from './attempts';
import { RUN_FOR_JOB_INCLUDE, enqueueAttempt, jobInputs, runForJob } from './enqueue';
import { processPendingEvents } from './triggers/events';
import { durableJobId } from './durable/job';
import { recoverDurableTasks } from './durable/recovery';
import { HEARTBEAT_INTERVAL_MS } from './registration/register';
import { definitionOf, taskPolicy } from './task-options';

// Postgres is the truth; the queues carry it out. This pass finds what Postgres says should be
// happening but no queue is doing (Redis flushed, queue schema truncated, an engine killed
// between two writes, a worker killed mid-task) and puts it back. Every repair is a conditional
// write, so several engines may run it at once.

/** A finished job whose report never arrived is given up on after this long. */
const REPORT_LOST_AFTER_MS = 2 * 60_000;
const BATCH = 500;

/** A durable task's completed steps: while it is queued or running, they say which resume its job is. */
const COMPLETED_STEPS = { where: { completedAt: { not: null } } } as const;

export interface RecoveryReport {
  advancedRuns: number;
  requeued: number;
  lost: number;
  scheduleTimeouts: number;
  events: number;
  /** Durable steps completed (or tasks resumed) that a lost wake or a dead engine left waiting. */
  durableWakes: number;
  /** Filled in by the engine, which reconciles each project's schedules after this pass. */
  schedulesRepaired: number;
}

export async function recoverOnce(prisma: PrismaClient, now = new Date()): Promise<RecoveryReport> {
  const graceMs = env().WHETSTONE_RECOVERY_GRACE_MS;
  const before = new Date(now.getTime() - graceMs);
  const report: RecoveryReport = {
    advancedRuns: 0,
    requeued: 0,
    lost: 0,
    scheduleTimeouts: 0,
    events: 0,
    durableWakes: 0,
    schedulesRepaired: 0,
  };
  // Events stored by a server that died before starting their runs.
  report.events = await processPendingEvents(prisma, { olderThanMs: graceMs });
  report.scheduleTimeouts = await failScheduleTimeouts(prisma, now);
  const durable = await recoverDurableTasks(prisma, before);
  report.durableWakes = durable.sleeps + durable.events + durable.children + durable.resumed;
  // Runs waiting for a concurrency slot that a finished run's engine died before handing on.
  await admitOverdueRuns(prisma, before);
  for (const runId of await stalledRuns(prisma, before)) {
    await advanceRun(prisma, runId);
    report.advancedRuns++;
  }
  const orphans = await findOrphans(prisma, before, now);
  for (const orphan of orphans) {
    if (orphan.action === 'requeue') {
      await requeueSameAttempt(prisma, orphan.id, orphan.attempts);
      report.requeued++;
    } else {
      if (
        await settleFailedAttempt(
          prisma,
          orphan.id,
          orphan.attempts,
          { kind: 'lost', error: orphan.reason },
          { finishedAt: now },
          advanceRun,
        )
      )
        report.lost++;
    }
  }
  return report;
}

/**
 * Non-terminal runs that nothing will move forward by itself: a pending task whose parents are
 * all finished (the engine died before queuing it or skipping it), or no open task at all
 * (it died before finishing the run).
 */
async function stalledRuns(prisma: PrismaClient, before: Date): Promise<string[]> {
  const rows = await prisma.$queryRaw<{ id: string }[]>`
    select r.id from "WorkflowRun" r
    where r.status in ('QUEUED', 'RUNNING') and r."createdAt" < ${before} and r."waitingFor" is null
      and (
        not exists (select 1 from "TaskRun" t where t."workflowRunId" = r.id and t.status in ('QUEUED', 'RUNNING', 'WAITING'))
        or exists (
          select 1 from "TaskRun" t where t."workflowRunId" = r.id and t.status = 'PENDING' and not t."isOnFailure"
            and not exists (
              select 1 from "TaskRun" p where p."workflowRunId" = r.id and p."taskName" = any(t.parents)
                and (p.status in ('PENDING', 'QUEUED', 'RUNNING', 'WAITING') or p."finishedAt" >= ${before})
            )
        )
      )
    order by r."createdAt" limit ${BATCH}`;
  return rows.map((r) => r.id);
}

interface Orphan {
  id: string;
  attempts: number;
  action: 'requeue' | 'lost';
  reason: string;
}

/** Queued or running tasks whose current attempt's job is gone, or finished without a report arriving. */
async function findOrphans(prisma: PrismaClient, before: Date, now: Date): Promise<Orphan[]> {
  const tasks = await prisma.taskRun.findMany({
    where: {
      status: { in: [...DISPATCHED_TASK_STATUSES] },
      queuedAt: { lt: before },
      workflowRun: { status: { in: [...UNFINISHED_RUN_STATUSES] } },
    },
    select: {
      id: true,
      taskName: true,
      status: true,
      attempts: true,
      startedAt: true,
      worker: { select: { lastHeartbeatAt: true, stoppedAt: true } },
      _count: { select: { durableSteps: COMPLETED_STEPS } },
      workflowRun: {
        select: { projectId: true, workflow: { select: { name: true } }, workflowVersion: { select: { id: true, definition: true } } },
      },
    },
    orderBy: { queuedAt: 'asc' },
    take: BATCH,
  });
  const orphans: Orphan[] = [];
  await Promise.all(
    tasks.map(async (task) => {
      const run = task.workflowRun;
      const queue = queueKit(run.projectId).queue(taskQueueName(run.workflow.name, task.taskName));
      const job = await currentJob(queue, task.id, task.attempts, task._count.durableSteps);
      if (job) {
        const state = await job.getState();
        // Read before getState: a job that finished in between has no finishedOn here yet.
        const finishedOn = job.finishedOn ?? now.getTime();
        if ((state === 'completed' || state === 'failed') && now.getTime() - finishedOn > REPORT_LOST_AFTER_MS) {
          orphans.push({
            id: task.id,
            attempts: task.attempts,
            action: 'lost',
            reason: `The attempt's job ${state} but its report never reached the engine`,
          });
        }
        return;
      }
      if (task.status === 'QUEUED') {
        orphans.push({ id: task.id, attempts: task.attempts, action: 'requeue', reason: 'The queued job was lost' });
        return;
      }
      // Running, and its job is gone (Redis flushed): a live worker will still report within its
      // timeout; otherwise the attempt is lost.
      const policy = taskPolicy(definitionOf(run.workflowVersion), task.taskName);
      const workerAlive =
        task.worker && !task.worker.stoppedAt && now.getTime() - task.worker.lastHeartbeatAt.getTime() < 3 * HEARTBEAT_INTERVAL_MS;
      const deadline = (task.startedAt?.getTime() ?? 0) + policy.executionTimeoutMs + env().WHETSTONE_RECOVERY_GRACE_MS;
      if (!workerAlive || now.getTime() > deadline) {
        orphans.push({
          id: task.id,
          attempts: task.attempts,
          action: 'lost',
          reason: "The running attempt's job was lost and its worker did not report",
        });
      }
    }),
  );
  return orphans;
}

/** Puts the job of a queued attempt back on its queue (same attempt, same job id). */
async function requeueSameAttempt(prisma: PrismaClient, taskRunId: string, attempt: number): Promise<void> {
  const task = await prisma.taskRun.findUnique({ where: { id: taskRunId }, include: { workflowRun: { include: RUN_FOR_JOB_INCLUDE } } });
  if (!task || task.status !== 'QUEUED' || task.attempts !== attempt) return;
  const refusal = await enqueueAttempt(prisma, runForJob(task.workflowRun), task, attempt, {
    ...jobInputs(task.workflowRun, task),
    requeue: true,
  });
  if (refusal) await failUnrunnableAttempt(prisma, task.id, attempt, refusal, advanceRun);
}

/** Queued tasks past their scheduleTimeout fail (not retried), and their jobs are withdrawn. */
async function failScheduleTimeouts(prisma: PrismaClient, now: Date): Promise<number> {
  const expired = await prisma.taskRun.findMany({
    where: { status: 'QUEUED', scheduleDeadline: { lt: now } },
    select: {
      id: true,
      taskName: true,
      attempts: true,
      _count: { select: { durableSteps: COMPLETED_STEPS } },
      workflowRun: {
        select: { projectId: true, workflow: { select: { name: true } }, workflowVersion: { select: { id: true, definition: true } } },
      },
    },
    take: BATCH,
  });
  for (const task of expired) {
    const run = task.workflowRun;
    const definition = definitionOf(run.workflowVersion);
    const timeout = [...definition.tasks, ...(definition.onFailure ? [definition.onFailure] : [])].find(
      (t) => t.name === task.taskName,
    )?.scheduleTimeout;
    const error = `ScheduleTimeoutError: no worker started the task within its scheduleTimeout (${timeout})`;
    const job = await queueKit(run.projectId)
      .queue(taskQueueName(run.workflow.name, task.taskName))
      .getJob(durableJobId(task.id, task.attempts, task._count.durableSteps));
    await job?.remove().catch(() => undefined);
    await settleFailedAttempt(prisma, task.id, task.attempts, { kind: 'schedule-timeout', error }, { finishedAt: now }, advanceRun);
  }
  return expired.length;
}

/**
 * The job carrying a task's current attempt: its own (`-a<n>`, `-a<n>-r<steps>` for a resumed
 * durable task), or, for an attempt adopted from a job BullMQ re-delivered after its worker died,
 * the job of an earlier attempt still active.
 */
async function currentJob(
  queue: ReturnType<ReturnType<typeof queueKit>['queue']>,
  taskRunId: string,
  attempt: number,
  completedSteps: number,
) {
  const own = await queue.getJob(durableJobId(taskRunId, attempt, completedSteps));
  if (own) return own;
  for (let earlier = attempt - 1; earlier >= Math.max(1, attempt - 6); earlier--) {
    const job = await queue.getJob(durableJobId(taskRunId, earlier, completedSteps));
    if (job && (await job.getState()) === 'active') return job;
  }
  return undefined;
}
