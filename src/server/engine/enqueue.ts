import type { DurableResults, WorkflowDefinition } from '@whetstone/sdk/contract';
import { Prisma, type PrismaClient } from '@/server/db/client';
import { TASK_JOB_RETENTION, taskQueueName, type TaskJob } from '@/server/queue/contracts';
import { queueKit } from '@/server/queue/project-queues';
import { attemptStart, type AttemptRefusal } from './rate-limits/attempt-start';
import { promoteOnTime } from './rate-limits/promote-on-time';
import { completedStepResults, durableJobId, isDurableTask } from './durable/job';
import { definitionOf, taskPolicy } from './task-options';

/** What a job needs to know about its run. */
export interface RunForJob {
  id: string;
  projectId: string;
  workflowName: string;
  input: unknown;
  additionalMetadata: unknown;
  priority: number;
  definition: WorkflowDefinition;
}

/** What to load with a run to queue its tasks (`include` of a WorkflowRun query). */
export const RUN_FOR_JOB_INCLUDE = {
  workflow: { select: { name: true } },
  workflowVersion: { select: { id: true, definition: true } },
  taskRuns: { select: { taskName: true, output: true, status: true, error: true, isOnFailure: true } },
} as const;

type LoadedRun = Prisma.WorkflowRunGetPayload<{ include: typeof RUN_FOR_JOB_INCLUDE }>;

export function runForJob(run: LoadedRun): RunForJob {
  return {
    id: run.id,
    projectId: run.projectId,
    workflowName: run.workflow.name,
    input: run.input,
    additionalMetadata: run.additionalMetadata,
    priority: run.priority,
    definition: definitionOf(run.workflowVersion),
  };
}

/** A task's job options from its run: its parents' outputs, and for an onFailure task the errors of the failed tasks. */
export function jobInputs(
  run: Pick<LoadedRun, 'taskRuns'>,
  task: { parents: string[]; isOnFailure: boolean },
): Pick<AttemptJobOptions, 'parentOutputs' | 'taskErrors'> {
  const outputs = new Map(run.taskRuns.map((t) => [t.taskName, t.output]));
  return {
    parentOutputs: Object.fromEntries(task.parents.map((p) => [p, outputs.get(p) ?? null])),
    taskErrors: task.isOnFailure
      ? Object.fromEntries(
          run.taskRuns.filter((t) => t.status === 'FAILED' && !t.isOnFailure).map((t) => [t.taskName, t.error ?? 'failed']),
        )
      : undefined,
  };
}

export interface AttemptJobOptions {
  parentOutputs: Record<string, unknown>;
  taskErrors?: Record<string, string>;
  /** Retry backoff: the job waits at least this long in BullMQ's delayed set (longer if its rate limits say so). */
  delayMs?: number;
  /** Recovery re-adding the lost job of an attempt already queued: keep its start time, reserve no rate limit again. */
  requeue?: boolean;
}

/** Hatchet's priority 3 is the most urgent; BullMQ's priority 1 is. */
function bullPriority(priority: number): number {
  return 4 - Math.min(3, Math.max(1, priority));
}

/**
 * Records attempt `attempt` of the task as QUEUED and puts its job on the action's queue. The
 * caller has already claimed the task (a conditional update moving it to this attempt), so only
 * one caller gets here per attempt; the job id is per attempt, so a repeated add is a no-op.
 *
 * Returns the refusal of an attempt its rate limits can never let start (nothing was queued): the
 * caller fails it at once with failUnrunnableAttempt (attempts.ts).
 */
export async function enqueueAttempt(
  prisma: PrismaClient,
  run: RunForJob,
  task: { id: string; taskName: string; overrides?: Prisma.JsonValue },
  attempt: number,
  opts: AttemptJobOptions,
): Promise<AttemptRefusal | undefined> {
  // A durable task replays its completed steps; each resume is a new job of the same attempt.
  const durable = isDurableTask(run.definition, task.taskName) ? await completedStepResults(prisma, task.id) : undefined;
  const start = await attemptStart(prisma, run, task, attempt, { backoffMs: opts.delayMs, requeue: opts.requeue });
  if ('refused' in start) return start;
  const runAfter = start.startAt;
  const job = attemptJob(run, task, attempt, { parentOutputs: opts.parentOutputs, taskErrors: opts.taskErrors, runAfter, durable });
  const queue = queueKit(run.projectId).queue<TaskJob>(job.queueName);
  const added = await queue.add(job.name, job.data, job.opts);
  if (start.rateLimited && runAfter) promoteOnTime(added, runAfter);
  // Recorded after the add: writes between a reservation and its job would start a job due at
  // once late, bunching it with the next window's. (If the process dies in between, the worker's
  // report creates the attempt row.)
  await prisma.taskRunAttempt.createMany({
    data: [{ taskRunId: task.id, attempt, status: 'QUEUED', runAfter }],
    skipDuplicates: true,
  });
  if (start.rateLimited) {
    // The worker's report may have created the row first. The caller set the deadline after the
    // backoff only; waiting for a rate limit does not count against scheduleTimeout.
    await prisma.taskRunAttempt.updateMany({ where: { taskRunId: task.id, attempt }, data: { runAfter } });
    await prisma.taskRun.updateMany({
      where: { id: task.id, attempts: attempt, status: 'QUEUED' },
      data: { scheduleDeadline: job.deadline },
    });
  }
  return undefined;
}

/** One attempt's job as it goes on its queue: payload, job id (per attempt, so a repeated add is a no-op), priority, delay, retention. */
export interface AttemptJob {
  queueName: string;
  name: string;
  data: TaskJob;
  opts: { jobId: string; priority: number; delay?: number } & typeof TASK_JOB_RETENTION;
  /** The scheduleDeadline the job carries. */
  deadline: Date;
}

/**
 * Builds the job of attempt `attempt` (enqueueAttempt, and createRuns' bulk adds). `runAfter`:
 * not before (backoff or a rate-limit reservation), null for at once; the job's scheduleDeadline
 * counts from then.
 */
export function attemptJob(
  run: RunForJob,
  task: { id: string; taskName: string; overrides?: Prisma.JsonValue },
  attempt: number,
  opts: Pick<AttemptJobOptions, 'parentOutputs' | 'taskErrors'> & {
    runAfter: Date | null;
    durable?: { results: DurableResults; count: number };
  },
): AttemptJob {
  const policy = taskPolicy(run.definition, task.taskName);
  const { runAfter, durable } = opts;
  const now = Date.now();
  const deadline = new Date(Math.max(runAfter?.getTime() ?? 0, now) + policy.scheduleTimeoutMs);
  const data: TaskJob = {
    taskRunId: task.id,
    runId: run.id,
    workflow: run.workflowName,
    task: task.taskName,
    attempt,
    input: run.input,
    parentOutputs: opts.parentOutputs,
    additionalMetadata: (run.additionalMetadata as Record<string, string> | null) ?? {},
    executionTimeoutMs: policy.executionTimeoutMs,
    scheduleDeadline: deadline.toISOString(),
    taskErrors: opts.taskErrors,
    overrides: overridesOf(task.overrides),
    ...(durable ? { durableResults: durable.results } : {}),
  };
  const delayMs = runAfter ? Math.max(0, runAfter.getTime() - now) : 0;
  return {
    queueName: taskQueueName(run.workflowName, task.taskName),
    name: task.taskName,
    data,
    opts: {
      jobId: durableJobId(task.id, attempt, durable?.count ?? 0),
      priority: bullPriority(run.priority),
      ...(delayMs > 0 ? { delay: delayMs } : {}),
      ...TASK_JOB_RETENTION,
    },
    deadline,
  };
}

function overridesOf(stored: Prisma.JsonValue | undefined): Record<string, unknown> | undefined {
  return stored && typeof stored === 'object' && !Array.isArray(stored) ? stored : undefined;
}

/** The deadline a task claimed now must start by (scheduleTimeout, after any backoff delay). */
export function scheduleDeadline(definition: WorkflowDefinition, taskName: string, delayMs = 0): Date {
  return new Date(Date.now() + delayMs + taskPolicy(definition, taskName).scheduleTimeoutMs);
}

export const jsonInput = (value: unknown) => value as Prisma.InputJsonValue;
