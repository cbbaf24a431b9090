// What the playground page reads: a source task run with its variables and parents' outputs,
// the variants of a batch as they run, and the history of batches of a source task.
import { TRPCError } from '@trpc/server';
import type { Prisma, PrismaClient } from '@/server/db/client';
import { descendants } from '@/server/engine/dag';
import { listTaskVariables } from '@/server/engine/playground-variables';
import { definitionOf } from '@/server/engine/task-options';
import { durationMs } from '@/server/runs/view';
import { isTerminalRunStatus } from '@/server/shared/statuses';
import { LIVE_WORKER_WINDOW_MS } from '@/server/workers/liveness';

/** Log lines per task run on the playground page. */
const MAX_LOG_LINES = 200;
/** Batches listed in the history (newest first). */
export const MAX_HISTORY_BATCHES = 50;

const notFound = (message: string) => new TRPCError({ code: 'NOT_FOUND', message });

const taskResultSelect = {
  id: true,
  taskName: true,
  status: true,
  input: true,
  output: true,
  error: true,
  attempts: true,
  startedAt: true,
  finishedAt: true,
  queuedAt: true,
  overrides: true,
  logs: { orderBy: { id: 'asc' }, take: MAX_LOG_LINES, select: { id: true, level: true, message: true, createdAt: true } },
  usage: { select: { model: true, inputTokens: true, outputTokens: true, costUsd: true } },
  variables: { orderBy: [{ attempt: 'desc' }, { id: 'asc' }], select: { attempt: true, name: true, value: true, overridden: true } },
} satisfies Prisma.TaskRunSelect;

type TaskResultRow = Prisma.TaskRunGetPayload<{ select: typeof taskResultSelect }>;

/** A task run's result as the playground shows it: output, error, logs, duration, usage, the values its last attempt used. */
function taskResult(t: TaskResultRow) {
  const lastAttempt = t.variables[0]?.attempt;
  return {
    id: t.id,
    taskName: t.taskName,
    status: t.status,
    output: t.output,
    error: t.error,
    attempts: t.attempts,
    queuedAt: t.queuedAt,
    startedAt: t.startedAt,
    finishedAt: t.finishedAt,
    durationMs: durationMs(t.startedAt, t.finishedAt),
    logs: t.logs.map((l) => ({ ...l, id: l.id.toString() })),
    usage: {
      inputTokens: t.usage.reduce((n, u) => n + u.inputTokens, 0),
      outputTokens: t.usage.reduce((n, u) => n + u.outputTokens, 0),
      costUsd: t.usage.some((u) => u.costUsd !== null) ? t.usage.reduce((n, u) => n + (u.costUsd ?? 0), 0) : null,
      models: [...new Set(t.usage.map((u) => u.model))],
    },
    values: t.variables.filter((v) => v.attempt === lastAttempt).map((v) => ({ name: v.name, value: v.value, overridden: v.overridden })),
  };
}

/** Live workers of the project that run `actions` (`workflow:task`): the ones none of them runs. */
export async function actionsWithoutWorker(db: PrismaClient, projectId: string, actions: readonly string[]): Promise<string[]> {
  if (!actions.length) return [];
  const live = await db.worker.findMany({
    where: {
      projectId,
      stoppedAt: null,
      lastHeartbeatAt: { gte: new Date(Date.now() - LIVE_WORKER_WINDOW_MS) },
      actions: { hasSome: [...actions] },
    },
    select: { actions: true },
  });
  const served = new Set(live.flatMap((w) => w.actions));
  return actions.filter((a) => !served.has(a));
}

/** The playground page of one task of a run. */
export async function loadPlaygroundTask(db: PrismaClient, projectId: string, runId: string, taskName: string) {
  const run = await db.workflowRun.findFirst({
    where: { id: runId, projectId },
    select: {
      id: true,
      status: true,
      input: true,
      triggerSource: true,
      createdAt: true,
      workflowId: true,
      workflow: {
        select: { name: true, versions: { orderBy: { version: 'desc' }, take: 1, select: { id: true, version: true, definition: true } } },
      },
      workflowVersion: { select: { version: true } },
      taskRuns: { select: { taskName: true, parents: true, status: true, output: true, isOnFailure: true } },
      playground: { select: { sourceRunId: true, batchId: true } },
    },
  });
  if (!run) throw notFound(`Run ${runId} not found in this project`);
  const source = run.taskRuns.find((t) => t.taskName === taskName);
  if (!source) throw notFound(`Run ${runId} has no task '${taskName}'`);
  const task = await db.taskRun.findUniqueOrThrow({
    where: { workflowRunId_taskName: { workflowRunId: run.id, taskName } },
    select: taskResultSelect,
  });

  const latest = run.workflow.versions[0]!;
  const definition = definitionOf(latest);
  const current = definition.tasks.find((t) => t.name === taskName);
  const downstream = current
    ? descendants(
        definition.tasks.map((t) => ({ taskName: t.name, parents: t.parents, status: '' })),
        taskName,
      )
    : [];
  const workflow = run.workflow.name;

  const [known, missingWorkers] = await Promise.all([
    listTaskVariables(db, run.workflowId, taskName),
    actionsWithoutWorker(
      db,
      projectId,
      [taskName, ...downstream].map((t) => `${workflow}:${t}`),
    ),
  ]);
  const used = new Map(taskResult(task).values.map((v) => [v.name, v]));
  const recorded = await db.taskRunVariable.findMany({
    where: { taskRunId: task.id },
    orderBy: { attempt: 'desc' },
    distinct: ['name'],
    select: { name: true, defaultValue: true, file: true, line: true, column: true },
  });
  const byName = new Map(known.map((v) => [v.name, v]));
  const names = [...known.map((v) => v.name), ...recorded.map((v) => v.name).filter((n) => !byName.has(n))];
  const variables = names.map((name) => {
    const latestKnown = byName.get(name);
    const fromRun = recorded.find((v) => v.name === name);
    return {
      name,
      /** The default in the current code (as last reported), else the one the source run had. */
      defaultValue: latestKnown ? latestKnown.defaultValue : fromRun!.defaultValue,
      /** What the source run used (its default or its own override); undefined when it did not report it. */
      sourceValue: used.get(name)?.value,
      sourceOverridden: used.get(name)?.overridden ?? false,
      file: latestKnown?.file ?? fromRun?.file ?? null,
      line: latestKnown?.line ?? fromRun?.line ?? null,
      column: latestKnown?.column ?? fromRun?.column ?? null,
      /** The current code no longer exposes it (or no run of it reported it since the code changed). */
      stale: latestKnown ? latestKnown.stale : true,
    };
  });

  const statuses = new Map(run.taskRuns.map((t) => [t.taskName, t]));
  return {
    run: {
      id: run.id,
      workflowName: workflow,
      workflowVersion: run.workflowVersion.version,
      status: run.status,
      input: run.input,
      triggerSource: run.triggerSource,
      createdAt: run.createdAt,
      playgroundOf: run.playground,
    },
    latestVersion: latest.version,
    task: { ...taskResult(task), isOnFailure: source.isOnFailure, parents: source.parents, input: task.input },
    /** The task is still in the current code and is not the onFailure task: it can be re-run. */
    runnable: Boolean(current) && !source.isOnFailure,
    parentOutputs: source.parents.map((p) => ({
      name: p,
      status: statuses.get(p)?.status ?? 'PENDING',
      output: statuses.get(p)?.output ?? null,
    })),
    downstream,
    variables,
    /** `workflow:task` actions (this task, then downstream) no live worker runs. */
    missingWorkers,
  };
}

const batchRunSelect = {
  id: true,
  variant: true,
  mode: true,
  taskName: true,
  overrides: true,
  createdAt: true,
  sourceRunId: true,
  batchId: true,
  createdBy: { select: { email: true } },
  run: { select: { id: true, status: true, input: true, workflow: { select: { name: true } } } },
} satisfies Prisma.PlaygroundRunSelect;

/** The variants of one batch, as they run: the live page polls this until every run is finished. */
export async function loadPlaygroundBatch(db: PrismaClient, projectId: string, batchId: string) {
  const variants = await db.playgroundRun.findMany({ where: { batchId, projectId }, orderBy: { variant: 'asc' }, select: batchRunSelect });
  if (!variants.length) throw notFound(`Playground batch ${batchId} not found in this project`);
  const first = variants[0]!;
  const tasks = await db.taskRun.findMany({
    where: { workflowRunId: { in: variants.map((v) => v.run.id) }, taskName: first.taskName },
    select: { ...taskResultSelect, workflowRunId: true },
  });
  const byRun = new Map(tasks.map((t) => [t.workflowRunId, t]));
  const waiting = variants.some((v) => byRun.get(v.run.id)?.status === 'QUEUED');
  const missingWorkers = waiting ? await actionsWithoutWorker(db, projectId, [`${first.run.workflow.name}:${first.taskName}`]) : [];
  return {
    batchId,
    sourceRunId: first.sourceRunId,
    taskName: first.taskName,
    mode: first.mode,
    createdAt: first.createdAt,
    createdBy: first.createdBy?.email ?? null,
    input: first.run.input,
    finished: variants.every((v) => isTerminalRunStatus(v.run.status)),
    variants: variants.map((v) => {
      const task = byRun.get(v.run.id);
      return {
        variant: v.variant,
        runId: v.run.id,
        runStatus: v.run.status,
        overrides: v.overrides as Record<string, unknown>,
        task: task ? taskResult(task) : null,
        /** Queued with no live worker for the task: it waits until one starts. */
        waitingForWorker: task?.status === 'QUEUED' && missingWorkers.length > 0,
      };
    }),
  };
}

/** Every playground batch of a source task, newest first, with each variant's values and outcome. */
export async function loadPlaygroundHistory(db: PrismaClient, projectId: string, sourceRunId: string, taskName: string) {
  const recent = await db.playgroundRun.findMany({
    where: { projectId, sourceRunId, taskName },
    distinct: ['batchId'],
    orderBy: { createdAt: 'desc' },
    take: MAX_HISTORY_BATCHES,
    select: { batchId: true },
  });
  const variants = await db.playgroundRun.findMany({
    where: { batchId: { in: recent.map((r) => r.batchId) }, projectId },
    orderBy: [{ createdAt: 'desc' }, { variant: 'asc' }],
    select: {
      ...batchRunSelect,
      run: {
        select: {
          id: true,
          status: true,
          input: true,
          workflow: { select: { name: true } },
          taskRuns: { where: { taskName }, select: { status: true, output: true, error: true } },
        },
      },
    },
  });
  const batches = new Map<string, { batchId: string; createdAt: Date; createdBy: string | null; mode: string; variants: unknown[] }>();
  for (const v of variants) {
    const batch = batches.get(v.batchId) ?? {
      batchId: v.batchId,
      createdAt: v.createdAt,
      createdBy: v.createdBy?.email ?? null,
      mode: v.mode,
      variants: [],
    };
    const task = v.run.taskRuns[0];
    batch.variants.push({
      variant: v.variant,
      runId: v.run.id,
      runStatus: v.run.status,
      overrides: v.overrides as Record<string, unknown>,
      taskStatus: task?.status ?? null,
      output: task?.output ?? null,
      error: task?.error ?? null,
    });
    batches.set(v.batchId, batch);
  }
  for (const batch of batches.values()) (batch.variants as Array<{ variant: number }>).sort((a, b) => a.variant - b.variant);
  return [...batches.values()] as Array<{
    batchId: string;
    createdAt: Date;
    createdBy: string | null;
    mode: 'STEP' | 'FROM_HERE';
    variants: Array<{
      variant: number;
      runId: string;
      runStatus: string;
      overrides: Record<string, unknown>;
      taskStatus: string | null;
      output: Prisma.JsonValue;
      error: string | null;
    }>;
  }>;
}
