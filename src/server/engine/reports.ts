import { payloadTooLargeMessage } from '@whetstone/sdk/contract';
import type { WorkerReport } from '@/server/queue/contracts';
import { Prisma, type PrismaClient } from '@/server/db/client';
import { env } from '@/server/env';
import { DISPATCHED_TASK_STATUSES } from '@/server/shared/statuses';
import { advanceRun } from './advance';
import { closeEarlierAttemptsAsLost, settleFailedAttempt, type AttemptFailure } from './attempts';
import { sendCancel } from './cancel';
import { isUuid } from './ids';
import { recordAttemptVariables } from './playground-variables';
import { recordReportedUsage } from './durable/slice-usage';
import { recordAttemptSuccess } from './record-success';
import { applySuspension } from './durable/suspend';

type Of<T extends WorkerReport['type']> = Extract<WorkerReport, { type: T }>;

/** Where an event came from: the project whose `engine-events` queue carried it. */
export interface EventSource {
  projectId: string;
}

/**
 * Applies one report from a worker. Every write is conditional on the task's current status and
 * attempt, so a duplicated, late or out-of-order event changes nothing, and each attempt's result
 * is recorded at most once.
 *
 * The event is applied only if its task run belongs to `source`'s project: a worker can only
 * write to its own project's queue, so an event naming another project's task run is forged,
 * and is ignored and logged.
 */
export async function applyWorkerReport(prisma: PrismaClient, event: WorkerReport, source: EventSource): Promise<void> {
  if (!isUuid(event.taskRunId)) return;
  const scope = { id: event.taskRunId, workflowRun: { projectId: source.projectId } };
  switch (event.type) {
    case 'task.started':
      return onStarted(prisma, event, scope, source);
    case 'task.log':
      return onLog(prisma, event, scope, source);
    case 'task.succeeded': {
      const limit = env().WHETSTONE_MAX_PAYLOAD_BYTES;
      const bytes = Buffer.byteLength(JSON.stringify(event.output ?? null));
      // Refused whole: the task fails with the reason and no part of the output is stored.
      if (bytes > limit) {
        return onFinished(prisma, event, scope, source, {
          kind: 'non-retryable',
          error: `PayloadTooLargeError: ${payloadTooLargeMessage(bytes, limit)}`,
        });
      }
      return onFinished(prisma, event, scope, source, {
        kind: 'success',
        output: event.output as Prisma.InputJsonValue,
        checks: event.checks,
      });
    }
    case 'task.failed':
      return onFinished(prisma, event, scope, source, {
        kind: event.kind,
        error: event.error.stack ?? `${event.error.name ?? 'Error'}: ${event.error.message}`,
      });
    case 'task.suspended':
      return onSuspended(prisma, event, scope, source);
  }
}

type Scope = Prisma.TaskRunWhereInput & { id: string };
type TaskState = { id: string; workflowRunId: string; status: string; attempts: number; startedAt: Date | null; workerId: string | null };
const TASK_STATE = { id: true, workflowRunId: true, status: true, attempts: true, startedAt: true, workerId: true } as const;

/** Called when the task run is not in the event's project: logs a forgery (it exists elsewhere), else nothing. */
async function ignoreUnowned(prisma: PrismaClient, event: WorkerReport, source: EventSource): Promise<void> {
  const owner = await prisma.taskRun.findUnique({
    where: { id: event.taskRunId },
    select: { workflowRun: { select: { projectId: true } } },
  });
  if (owner) {
    console.warn(
      `[engine] ignored ${event.type} for task run ${event.taskRunId} from project ${source.projectId}'s queue: the task run belongs to project ${owner.workflowRun.projectId} (worker ${event.workerId})`,
    );
  }
}

/**
 * The report is for a later attempt than Postgres knows: its job was re-delivered to another
 * worker after the first one died (BullMQ's stalled-job check). The earlier attempts were lost.
 */
async function adoptLaterAttempt(prisma: PrismaClient, task: TaskState, attempt: number, at: Date): Promise<boolean> {
  const moved = await prisma.taskRun.updateMany({
    where: { id: task.id, attempts: task.attempts, status: { in: [...DISPATCHED_TASK_STATUSES] } },
    data: { attempts: attempt },
  });
  if (moved.count !== 1) {
    // The attempt's other report (started / finished, applied concurrently) may have adopted it first.
    const now = await prisma.taskRun.findUnique({ where: { id: task.id }, select: { attempts: true, status: true } });
    if (!now || now.attempts !== attempt || (now.status !== 'QUEUED' && now.status !== 'RUNNING')) return false;
  }
  await closeEarlierAttemptsAsLost(prisma, task.id, attempt, at);
  task.attempts = attempt;
  return true;
}

/** Applies to the current attempt only; false for stale reports (the caller ignores them). */
async function currentAttempt(prisma: PrismaClient, event: WorkerReport, task: TaskState, source: EventSource): Promise<boolean> {
  if (task.status === 'CANCELLED') {
    // A job that was already taken when the run was cancelled: stop it on its worker.
    if (event.type === 'task.started') await sendCancel(prisma, source.projectId, [event.workerId], task.id, 'The run was cancelled');
    return false;
  }
  if (task.status !== 'QUEUED' && task.status !== 'RUNNING') return false;
  if (event.attempt < task.attempts) return false;
  if (event.attempt > task.attempts) return adoptLaterAttempt(prisma, task, event.attempt, new Date());
  return true;
}

async function onStarted(prisma: PrismaClient, event: Of<'task.started'>, scope: Scope, source: EventSource): Promise<void> {
  const task = await prisma.taskRun.findFirst({ where: scope, select: TASK_STATE });
  if (!task) return ignoreUnowned(prisma, event, source);
  if (!(await currentAttempt(prisma, event, task, source))) return;
  const startedAt = new Date(event.at);
  const workerId = await knownWorkerId(prisma, event.workerId, source);
  await prisma.taskRun.updateMany({
    where: { id: task.id, attempts: event.attempt, status: { in: [...DISPATCHED_TASK_STATUSES] } },
    data: { status: 'RUNNING', startedAt, workerId },
  });
  await prisma.taskRunAttempt.createMany({
    data: [{ taskRunId: task.id, attempt: event.attempt, status: 'QUEUED' }],
    skipDuplicates: true,
  });
  await prisma.taskRunAttempt.updateMany({
    where: { taskRunId: task.id, attempt: event.attempt, status: 'QUEUED' },
    data: { status: 'RUNNING', startedAt, workerId },
  });
  await markRunStarted(prisma, task.workflowRunId, startedAt);
}

/** The run's first started task makes it RUNNING. */
async function markRunStarted(prisma: PrismaClient, runId: string, startedAt: Date): Promise<void> {
  await prisma.workflowRun.updateMany({ where: { id: runId, status: 'QUEUED' }, data: { status: 'RUNNING', startedAt } });
}

async function onLog(prisma: PrismaClient, event: Of<'task.log'>, scope: Scope, source: EventSource): Promise<void> {
  const exists = await prisma.taskRun.count({ where: scope });
  if (!exists) return ignoreUnowned(prisma, event, source);
  await prisma.taskRunLog.createMany({
    data: event.lines.map((line) => ({
      taskRunId: event.taskRunId,
      attempt: event.attempt,
      level: line.level,
      message: line.message,
      createdAt: new Date(line.at),
    })),
  });
}

/** A durable task stopped at a step (durable/suspend.ts does the rest). */
async function onSuspended(prisma: PrismaClient, event: Of<'task.suspended'>, scope: Scope, source: EventSource): Promise<void> {
  const task = await prisma.taskRun.findFirst({ where: scope, select: TASK_STATE });
  if (!task) return ignoreUnowned(prisma, event, source);
  await recordAttemptVariables(prisma, task.id, event.attempt, event.variables);
  // Already WAITING: a re-delivered report, which re-arms the wake its first delivery may have died before arming.
  const applies = task.status === 'WAITING' ? event.attempt === task.attempts : await currentAttempt(prisma, event, task, source);
  if (applies) await applySuspension(prisma, source.projectId, event);
}

type Outcome =
  { kind: 'success'; output: Prisma.InputJsonValue; checks?: Of<'task.succeeded'>['checks'] } | Exclude<AttemptFailure, { kind: 'lost' }>;

async function onFinished(
  prisma: PrismaClient,
  event: Of<'task.succeeded'> | Of<'task.failed'>,
  scope: Scope,
  source: EventSource,
  outcome: Outcome,
): Promise<void> {
  const finishedAt = new Date(event.at);
  // A task that finished quickly sends no task.started: its result says when it started.
  const reportedStart = event.startedAt ? new Date(event.startedAt) : undefined;
  const success = async (workerId: string | null) =>
    outcome.kind === 'success'
      ? recordAttemptSuccess(prisma, {
          projectId: source.projectId,
          taskRunId: event.taskRunId,
          attempt: event.attempt,
          output: outcome.output,
          checks: outcome.checks,
          reportedStartedAt: reportedStart,
          finishedAt,
          workerId,
        })
      : null;
  // The common case in one statement: the current attempt succeeded with nothing else to record.
  // Anything else (a stale, duplicated or forged report, usage, variables) takes the path below.
  if (outcome.kind === 'success' && !event.usage?.length && !event.variables?.length) {
    const runId = await success(await knownWorkerId(prisma, event.workerId, source));
    if (runId) return advanceRun(prisma, runId, { startedAt: reportedStart });
  }

  const task = await prisma.taskRun.findFirst({ where: scope, select: TASK_STATE });
  if (!task) return ignoreUnowned(prisma, event, source);
  // Before the result: the calls were paid for even if the result is stale (a lost or cancelled
  // attempt), and a report re-delivered after a crash between the two still closes the attempt.
  await recordReportedUsage(prisma, task.id, event.attempt, event.usage, new Date(event.at));
  await recordAttemptVariables(prisma, task.id, event.attempt, event.variables);
  if (!(await currentAttempt(prisma, event, task, source))) return;
  const workerId = await knownWorkerId(prisma, event.workerId, source);
  if (outcome.kind !== 'success') {
    if (reportedStart && !task.startedAt) await markRunStarted(prisma, task.workflowRunId, reportedStart);
    await settleFailedAttempt(
      prisma,
      task.id,
      event.attempt,
      outcome,
      { finishedAt, workerId, startedAt: task.startedAt ?? reportedStart ?? finishedAt },
      advanceRun,
    );
    return;
  }
  const runId = await success(workerId);
  if (runId) await advanceRun(prisma, runId, { startedAt: reportedStart });
}

/** Workers seen recently, per project: every report names its worker, and looking it up each time was a query per report. */
const knownWorkers = new Map<string, number>();
const KNOWN_WORKER_TTL_MS = 30_000;

/** A report may name a worker row that was deleted (or of another project): store null rather than break the foreign key or misattribute. */
async function knownWorkerId(prisma: PrismaClient, workerId: string, source: EventSource): Promise<string | null> {
  if (!isUuid(workerId)) return null;
  const key = `${source.projectId}/${workerId}`;
  if ((knownWorkers.get(key) ?? 0) > Date.now()) return workerId;
  const worker = await prisma.worker.findFirst({ where: { id: workerId, projectId: source.projectId }, select: { id: true } });
  if (!worker) return null;
  if (knownWorkers.size > 10_000) knownWorkers.clear();
  knownWorkers.set(key, Date.now() + KNOWN_WORKER_TTL_MS);
  return worker.id;
}
