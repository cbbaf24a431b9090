import type { AttemptStatus, PrismaClient } from '@/server/db/client';
import { DISPATCHED_TASK_STATUSES, OPEN_ATTEMPT_STATUSES } from '@/server/shared/statuses';
import type { AdvanceRun } from './advance-run';
import { RUN_FOR_JOB_INCLUDE, enqueueAttempt, jobInputs, runForJob } from './enqueue';
import type { AttemptRefusal } from './rate-limits/attempt-start';
import { EXTRA_LOST_ATTEMPTS, definitionOf, retryDelayMs, taskPolicy } from './task-options';

/** How an attempt ended without success. */
export type AttemptFailure =
  { kind: 'error' | 'timeout' | 'non-retryable' | 'schedule-timeout' | 'cancelled'; error: string } | { kind: 'lost'; error: string };

const STATUS_OF: Record<AttemptFailure['kind'], AttemptStatus> = {
  error: 'FAILED',
  timeout: 'TIMED_OUT',
  'non-retryable': 'FAILED',
  'schedule-timeout': 'FAILED',
  cancelled: 'CANCELLED',
  lost: 'LOST',
};

/**
 * Records the end of attempt `attempt` (once: the attempt row is updated only while open) and
 * returns false if it had already ended. Attempts before it that are still open were lost
 * (their job was re-delivered to another worker): they are closed as LOST.
 */
export async function closeAttempt(
  prisma: PrismaClient,
  taskRunId: string,
  attempt: number,
  data: { status: AttemptStatus; error?: string | null; finishedAt: Date; workerId?: string | null; startedAt?: Date },
): Promise<boolean> {
  await prisma.taskRunAttempt.createMany({ data: [{ taskRunId, attempt, status: 'QUEUED' }], skipDuplicates: true });
  const closed = await prisma.taskRunAttempt.updateMany({
    where: { taskRunId, attempt, status: { in: [...OPEN_ATTEMPT_STATUSES] } },
    data: {
      status: data.status,
      error: data.error ?? null,
      finishedAt: data.finishedAt,
      ...(data.workerId ? { workerId: data.workerId } : {}),
      ...(data.startedAt ? { startedAt: data.startedAt } : {}),
    },
  });
  return closed.count === 1;
}

/**
 * Records that attempt `attempt` failed and moves the task on (retry or fail). Both steps are
 * idempotent, so a re-delivered report, or one whose first application died between the two,
 * completes what is missing: the attempt is closed once, and the retry or failure is a
 * conditional update of the task that only one caller wins. If the attempt was already closed
 * otherwise (recovery recorded it LOST), the task moves on as that says. A task that fails moves
 * its run on with `advance` (advanceRun, passed by the caller).
 */
export async function settleFailedAttempt(
  prisma: PrismaClient,
  taskRunId: string,
  attempt: number,
  failure: AttemptFailure,
  data: { finishedAt: Date; workerId?: string | null; startedAt?: Date },
  advance: AdvanceRun,
): Promise<boolean> {
  const closed = await closeAttempt(prisma, taskRunId, attempt, { status: STATUS_OF[failure.kind], error: failure.error, ...data });
  const row = await prisma.taskRunAttempt.findUnique({
    where: { taskRunId_attempt: { taskRunId, attempt } },
    select: { status: true, error: true },
  });
  if (!row || row.status === 'SUCCEEDED' || row.status === 'QUEUED' || row.status === 'RUNNING') return closed;
  const recorded: AttemptFailure = closed ? failure : row.status === 'LOST' ? { kind: 'lost', error: row.error ?? failure.error } : failure;
  await retryOrFail(prisma, taskRunId, attempt, recorded, data.finishedAt, advance);
  return closed;
}

/** Records an attempt enqueueAttempt refused as failed (not retried); the run moves on as after any failed task. */
export async function failUnrunnableAttempt(
  prisma: PrismaClient,
  taskRunId: string,
  attempt: number,
  refusal: AttemptRefusal,
  advance: AdvanceRun,
): Promise<void> {
  await settleFailedAttempt(
    prisma,
    taskRunId,
    attempt,
    { kind: 'non-retryable', error: refusal.refused },
    { finishedAt: new Date() },
    advance,
  );
}

export async function closeEarlierAttemptsAsLost(prisma: PrismaClient, taskRunId: string, before: number, at: Date): Promise<void> {
  await prisma.taskRunAttempt.updateMany({
    where: { taskRunId, attempt: { lt: before }, status: { in: [...OPEN_ATTEMPT_STATUSES] } },
    data: {
      status: 'LOST',
      error: 'The worker running this attempt stopped responding; the task was given to another worker',
      finishedAt: at,
    },
  });
}

/**
 * After attempt `attempt` of a task failed (already recorded by closeAttempt): queues the next
 * attempt if the policy allows, else fails the task. Errors and timeouts use the task's
 * `retries` (with backoff); lost attempts (worker died, job lost) are retried up to
 * EXTRA_LOST_ATTEMPTS more; non-retryable errors, schedule timeouts and cancellations never are.
 * A failed task moves its run on with `advance`.
 */
export async function retryOrFail(
  prisma: PrismaClient,
  taskRunId: string,
  attempt: number,
  failure: AttemptFailure,
  at: Date,
  advance: AdvanceRun,
): Promise<void> {
  const task = await prisma.taskRun.findUnique({
    where: { id: taskRunId },
    include: { workflowRun: { include: RUN_FOR_JOB_INCLUDE } },
  });
  if (!task || task.attempts !== attempt || (task.status !== 'QUEUED' && task.status !== 'RUNNING')) return;
  const run = task.workflowRun;
  const definition = definitionOf(run.workflowVersion);
  const policy = taskPolicy(definition, task.taskName);

  let retry = false;
  if (failure.kind === 'error' || failure.kind === 'timeout') {
    const lost = await prisma.taskRunAttempt.count({ where: { taskRunId, status: 'LOST' } });
    retry = attempt - lost < policy.retries + 1;
  } else if (failure.kind === 'lost') {
    const lost = await prisma.taskRunAttempt.count({ where: { taskRunId, status: 'LOST' } });
    retry = lost <= EXTRA_LOST_ATTEMPTS && attempt < policy.retries + 1 + EXTRA_LOST_ATTEMPTS;
  }
  if (retry && run.status !== 'CANCELLED') {
    const retryNumber = attempt; // the first retry follows attempt 1
    const delayMs = failure.kind === 'lost' ? 0 : retryDelayMs(policy.backoff, retryNumber);
    const next = attempt + 1;
    const claimed = await prisma.taskRun.updateMany({
      where: { id: taskRunId, attempts: attempt, status: { in: [...DISPATCHED_TASK_STATUSES] } },
      data: {
        status: 'QUEUED',
        attempts: next,
        error: failure.error,
        queuedAt: at,
        startedAt: null,
        scheduleDeadline: new Date(Date.now() + delayMs + policy.scheduleTimeoutMs),
      },
    });
    if (claimed.count !== 1) return;
    const refusal = await enqueueAttempt(prisma, runForJob(run), task, next, { ...jobInputs(run, task), delayMs });
    if (refusal) await failUnrunnableAttempt(prisma, taskRunId, next, refusal, advance);
    return;
  }
  const failed = await prisma.taskRun.updateMany({
    where: { id: taskRunId, attempts: attempt, status: { in: [...DISPATCHED_TASK_STATUSES] } },
    data: {
      status: failure.kind === 'cancelled' ? 'CANCELLED' : 'FAILED',
      error: failure.error,
      finishedAt: at,
      startedAt: task.startedAt ?? at,
    },
  });
  if (failed.count === 1) await advance(prisma, run.id);
}
