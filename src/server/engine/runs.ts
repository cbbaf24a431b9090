import { TERMINAL_RUN_STATUSES, workflowDefinitionSchema, type RunSummary } from '@whetstone/sdk/contract';
import { env } from '../env';
import { Prisma, type PrismaClient, type TriggerSource } from '../db';
import { TASK_JOB_RETENTION, taskQueueName, type TaskJob } from '../queue/contracts';
import { queueKit } from '../queue/transport';
import { readyTasks } from './dag';
import { ApiError, notFound } from './errors';
import { isUuid } from './ids';
import { subscribeRunFinished } from './run-finished';

/** A waiting request re-reads its run this often even without a notification. */
const SAFETY_RECHECK_MS = 2_000;

export interface CreateRunOptions {
  input: unknown;
  additionalMetadata?: Record<string, string>;
  triggerSource?: TriggerSource;
}

/** Records a run of the workflow's latest version with one task run per task, then enqueues its root tasks. */
export async function createRun(prisma: PrismaClient, projectId: string, workflowName: string, opts: CreateRunOptions): Promise<string> {
  const workflow = await prisma.workflow.findUnique({
    where: { projectId_name: { projectId, name: workflowName } },
    include: { versions: { orderBy: { version: 'desc' }, take: 1 } },
  });
  const version = workflow?.versions[0];
  if (!workflow || !version) {
    throw notFound(`Workflow '${workflowName}' is not registered in this project: start a worker that defines it first`);
  }
  const definition = workflowDefinitionSchema.parse(version.definition);
  // REST bodies are limited before parsing; this also covers callers in the server (dashboard).
  const inputBytes = Buffer.byteLength(JSON.stringify(opts.input ?? {}));
  const limit = env().WHETSTONE_MAX_PAYLOAD_BYTES;
  if (inputBytes > limit) throw new ApiError(413, `Run input is ${inputBytes} bytes; the limit is ${limit} bytes`);
  const run = await prisma.workflowRun.create({
    data: {
      projectId,
      workflowId: workflow.id,
      workflowVersionId: version.id,
      input: (opts.input ?? {}) as Prisma.InputJsonValue,
      additionalMetadata: opts.additionalMetadata ?? Prisma.DbNull,
      triggerSource: opts.triggerSource ?? 'API',
      taskRuns: { create: definition.tasks.map((t) => ({ taskName: t.name, parents: t.parents })) },
    },
  });
  await enqueueReadyTasks(prisma, run.id);
  return run.id;
}

/**
 * Moves every pending task whose parents all succeeded to QUEUED and puts it on its action's queue.
 * The PENDING→QUEUED update is the claim: concurrent callers never enqueue a task twice.
 */
export async function enqueueReadyTasks(prisma: PrismaClient, runId: string): Promise<void> {
  const run = await prisma.workflowRun.findUnique({
    where: { id: runId },
    include: { workflow: { select: { name: true } }, taskRuns: true },
  });
  if (!run || run.status === 'SUCCEEDED' || run.status === 'FAILED' || run.status === 'CANCELLED') return;
  const outputs = new Map(run.taskRuns.map((t) => [t.taskName, t.output]));
  for (const task of readyTasks(run.taskRuns)) {
    const claimed = await prisma.taskRun.updateMany({
      where: { id: task.id, status: 'PENDING' },
      data: { status: 'QUEUED', queuedAt: new Date(), input: run.input as Prisma.InputJsonValue },
    });
    if (claimed.count !== 1) continue;
    const job: TaskJob = {
      taskRunId: task.id,
      runId: run.id,
      workflow: run.workflow.name,
      task: task.taskName,
      input: run.input,
      parentOutputs: Object.fromEntries(task.parents.map((p) => [p, outputs.get(p) ?? null])),
      additionalMetadata: (run.additionalMetadata as Record<string, string> | null) ?? {},
    };
    await queueKit(run.projectId)
      .queue<TaskJob>(taskQueueName(run.workflow.name, task.taskName))
      .add(task.taskName, job, { jobId: task.id, ...TASK_JOB_RETENTION });
  }
}

export async function getRunSummary(prisma: PrismaClient, projectId: string, runId: string): Promise<RunSummary> {
  if (!isUuid(runId)) throw notFound(`Run '${runId}' not found`);
  const run = await prisma.workflowRun.findFirst({
    where: { id: runId, projectId },
    select: { id: true, status: true, output: true, error: true, workflow: { select: { name: true } } },
  });
  if (!run) throw notFound(`Run '${runId}' not found`);
  return { id: run.id, workflow: run.workflow.name, status: run.status, output: run.output, error: run.error };
}

/** Long-poll: resolves as soon as the run is terminal (woken by the engine's notification), or with its current state after `waitMs`. */
export async function waitForRunSummary(
  prisma: PrismaClient,
  projectId: string,
  runId: string,
  waitMs: number,
  signal?: AbortSignal,
): Promise<RunSummary> {
  const deadline = Date.now() + waitMs;
  const subscription = await subscribeRunFinished(env().DATABASE_URL, runId);
  try {
    for (;;) {
      const summary = await getRunSummary(prisma, projectId, runId);
      const left = deadline - Date.now();
      if (TERMINAL_RUN_STATUSES.includes(summary.status) || left <= 0 || signal?.aborted) return summary;
      await subscription.wait(Math.min(left, SAFETY_RECHECK_MS), signal);
    }
  } finally {
    subscription.close();
  }
}
