import type { Prisma, PrismaClient } from '@/server/db/client';
import { isTerminalTaskStatus, isUnfinishedRunStatus, type TerminalRunStatus } from '@/server/shared/statuses';
import { descendants, finalRunStatus, readyTasks } from './dag';
import { enqueueAttempt, jobInputs, jsonInput, runForJob, scheduleDeadline, type AttemptJobOptions, type RunForJob } from './enqueue';
import { afterRunFinished, type FinishedRunFacts } from './after-run-finished';
import { failUnrunnableAttempt } from './attempts';
import { claimTaskSlot, taskWaiters } from './concurrency/slots';
import { concurrencyKeys } from './concurrency/keys';
import { RUN_FINISHED_CHANNEL } from './run-finished';
import { cachedVersion } from './registration/version-cache';

export interface AdvanceOptions {
  /** A task's start that no task.started reported (it came with the result): the run's start if it has none yet. */
  startedAt?: Date;
}

/**
 * Moves a run forward from what Postgres says: skips what can no longer run, queues every task
 * whose parents all succeeded, starts the onFailure task after a failure, and finishes the run
 * when nothing is left. Every write is conditional, so concurrent callers (several engines, the
 * recovery pass) never queue a task twice or finish a run twice; calling it again is harmless.
 */
export async function advanceRun(prisma: PrismaClient, runId: string, opts: AdvanceOptions = {}): Promise<void> {
  const row = await prisma.workflowRun.findUnique({ where: { id: runId }, include: { taskRuns: true } });
  if (!row || !isUnfinishedRunStatus(row.status)) return;
  // Held back by its workflow's concurrency limit: admission (concurrency.ts) starts it.
  if (row.waitingFor === 'CONCURRENCY') return;
  const version = await cachedVersion(prisma, row.workflowVersionId);
  if (!version) return;
  const run = { ...row, workflow: version.workflow, workflowVersion: version };
  const forJob = runForJob(run);
  const definition = forJob.definition;
  const regular = run.taskRuns.filter((t) => !t.isOnFailure);
  const onFailure = run.taskRuns.find((t) => t.isOnFailure);
  const now = new Date();

  // Downstream of a failed or cancelled task nothing can run.
  const blocked = new Set<string>();
  for (const t of regular) {
    if (t.status === 'FAILED' || t.status === 'CANCELLED' || t.status === 'SKIPPED') {
      for (const name of descendants(regular, t.taskName)) blocked.add(name);
    }
  }
  const toSkip = regular.filter((t) => blocked.has(t.taskName) && t.status === 'PENDING');
  if (toSkip.length) {
    await prisma.taskRun.updateMany({
      where: { id: { in: toSkip.map((t) => t.id) }, status: 'PENDING' },
      data: { status: 'SKIPPED', finishedAt: now },
    });
    for (const t of toSkip) t.status = 'SKIPPED';
  }

  for (const task of readyTasks(regular)) {
    // Task limits apply to every run, playground ones too: they only ever wait, never cancel.
    const rules = definition.tasks.find((t) => t.name === task.taskName)?.concurrency;
    const deadline = scheduleDeadline(definition, task.taskName);
    const claimed = rules?.length
      ? await claimTaskSlot(prisma, task, run.workflowId, rules, concurrencyKeys(rules, run), firstAttemptClaim(run.input, deadline))
      : await claimFirstAttempt(prisma, task.id, run.input, deadline);
    if (!claimed) continue;
    task.status = 'QUEUED';
    await enqueueFirstAttempt(prisma, forJob, task, jobInputs(run, task));
  }

  // A playground run's frozen tasks were copied from its source: only the re-run ones decide.
  await wakeTaskWaiters(prisma, run, definition.tasks);

  const status = finalRunStatus(regular.filter((t) => !t.frozen));
  // Its first task's start, reported with that task's result: the run started then.
  const startedAt = run.status === 'QUEUED' && !run.startedAt ? opts.startedAt : undefined;
  if (!status) {
    if (startedAt) await prisma.workflowRun.updateMany({ where: { id: run.id, status: 'QUEUED' }, data: { status: 'RUNNING', startedAt } });
    return;
  }
  if (onFailure) {
    if (status === 'FAILED' && onFailure.status === 'PENDING') {
      if (await claimFirstAttempt(prisma, onFailure.id, run.input, scheduleDeadline(definition, onFailure.taskName))) {
        await enqueueFirstAttempt(prisma, forJob, onFailure, jobInputs(run, onFailure));
      }
      return;
    }
    if (status === 'FAILED' && (onFailure.status === 'QUEUED' || onFailure.status === 'RUNNING')) return;
    if (status !== 'FAILED' && onFailure.status === 'PENDING') {
      await prisma.taskRun.updateMany({ where: { id: onFailure.id, status: 'PENDING' }, data: { status: 'SKIPPED', finishedAt: now } });
    }
  }
  await finishRun(prisma, run, status, regular, (definition.kind ?? 'workflow') === 'task', startedAt);
}

function firstAttemptClaim(input: unknown, deadline: Date) {
  return { status: 'QUEUED' as const, attempts: 1, queuedAt: new Date(), scheduleDeadline: deadline, input: jsonInput(input) };
}

async function claimFirstAttempt(prisma: PrismaClient, taskRunId: string, input: unknown, deadline: Date): Promise<boolean> {
  const claimed = await prisma.taskRun.updateMany({
    where: { id: taskRunId, status: 'PENDING' },
    data: firstAttemptClaim(input, deadline),
  });
  return claimed.count === 1;
}

/** Queues a claimed task's first attempt; one its rate limits refuse for good fails, and the run moves on. */
async function enqueueFirstAttempt(
  prisma: PrismaClient,
  run: RunForJob,
  task: { id: string; taskName: string; overrides?: Prisma.JsonValue },
  opts: AttemptJobOptions,
): Promise<void> {
  const refusal = await enqueueAttempt(prisma, run, task, 1, opts);
  if (refusal) await failUnrunnableAttempt(prisma, task.id, 1, refusal, advanceRun);
}

/**
 * A finished task of this run that held a concurrency slot frees it: advance the runs whose same
 * task waits for a slot of its key (they re-check under the lock). Calling it again is harmless.
 */
async function wakeTaskWaiters(
  prisma: PrismaClient,
  run: { id: string; workflowId: string; taskRuns: ReadonlyArray<{ taskName: string; status: string; concurrencyKeys: string[] }> },
  tasks: ReadonlyArray<{ name: string; concurrency?: ReadonlyArray<{ maxRuns: number }> }>,
): Promise<void> {
  for (const task of run.taskRuns) {
    if (!task.concurrencyKeys.length || !isTerminalTaskStatus(task.status)) continue;
    const rules = tasks.find((t) => t.name === task.taskName)?.concurrency ?? [];
    const room = Math.max(1, ...rules.map((r) => r.maxRuns));
    for (const runId of await taskWaiters(prisma, run.workflowId, task.taskName, task.concurrencyKeys, room)) {
      if (runId !== run.id) await advanceRun(prisma, runId);
    }
  }
}

async function finishRun(
  prisma: PrismaClient,
  run: { id: string } & FinishedRunFacts,
  status: TerminalRunStatus,
  tasks: ReadonlyArray<{ taskName: string; output: Prisma.JsonValue; status: string; error: string | null; createdAt: Date }>,
  isStandaloneTask: boolean,
  startedAt?: Date,
): Promise<void> {
  const ordered = [...tasks].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  const output =
    status !== 'SUCCEEDED'
      ? null
      : JSON.stringify(isStandaloneTask ? (ordered[0]?.output ?? null) : Object.fromEntries(ordered.map((t) => [t.taskName, t.output])));
  const failed = ordered.find((t) => t.status === 'FAILED');
  const error = failed
    ? `Task '${failed.taskName}' failed: ${firstLine(failed.error)}`
    : status === 'CANCELLED'
      ? 'Run was cancelled'
      : null;
  // Finished and announced in one statement (the notification goes out when it commits).
  const finished = await prisma.$executeRaw`
    with finished as (
      update "WorkflowRun"
         set status = ${status}::"RunStatus", output = ${output}::jsonb, error = ${error}, "finishedAt" = ${new Date()}::timestamp(3),
             "startedAt" = coalesce("startedAt", ${startedAt ?? null}::timestamp(3))
       where id = ${run.id}::uuid and status in ('QUEUED', 'RUNNING')
      returning id
    )
    select pg_notify(${RUN_FINISHED_CHANNEL}, id::text) from finished`;
  if (finished === 1) await afterRunFinished(prisma, run.id, { ...run, notified: true }, advanceRun);
}

function firstLine(text: string | null): string {
  return (text ?? 'unknown error').split('\n')[0]!;
}
