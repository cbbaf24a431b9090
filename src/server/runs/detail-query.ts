import { TRPCError } from '@trpc/server';
import type { Prisma, PrismaClient } from '@/server/db/client';
import { playgroundPath, runPath } from '@/server/shared/urls';
import { loadChildRunLinks } from './children-query';
import { DURABLE_STEPS_QUERY, durableStepsView } from './durable-steps-query';
import { durationMs, topoSortTasks } from './view';

/** Log lines returned per task; the rest are counted, not sent. */
export const MAX_LOG_LINES_PER_TASK = 2000;
/** "Replayed as" links returned per run (newest first); the rest are counted. Tasks with playground runs are capped the same. */
export const MAX_REPLAYS_LISTED = 20;

const linkedRunSelect = { id: true, status: true, createdAt: true } as const;

const variableSelect = {
  attempt: true,
  name: true,
  value: true,
  defaultValue: true,
  overridden: true,
  file: true,
  line: true,
  column: true,
} as const;

type VariableRow = {
  attempt: number;
  name: string;
  value: Prisma.JsonValue;
  defaultValue: Prisma.JsonValue;
  overridden: boolean;
  file: string | null;
  line: number | null;
  column: number | null;
};

/** The playground variables the task's last reporting attempt used, in the order it reported them. */
function lastAttemptVariables(rows: readonly VariableRow[]) {
  const last = Math.max(...rows.map((v) => v.attempt));
  return rows
    .filter((v) => v.attempt === last)
    .map((v) => ({
      name: v.name,
      value: v.value,
      overridden: v.overridden,
      /** The default in code; the page shows it next to an overridden value. */
      defaultValue: v.defaultValue,
      attempt: v.attempt,
      callsite: v.file ? { file: v.file, line: v.line, column: v.column } : null,
    }));
}

/** Playground runs started from this run, grouped by the task they re-ran (most recent first, capped). */
async function playgroundRunsOf(db: PrismaClient, projectId: string, sourceRunId: string) {
  const groups = await db.playgroundRun.groupBy({
    by: ['taskName'],
    where: { projectId, sourceRunId },
    _count: { _all: true },
    _max: { createdAt: true },
  });
  groups.sort((a, b) => (b._max.createdAt?.getTime() ?? 0) - (a._max.createdAt?.getTime() ?? 0));
  return {
    count: groups.reduce((n, g) => n + g._count._all, 0),
    tasks: groups.slice(0, MAX_REPLAYS_LISTED).map((g) => ({ taskName: g.taskName, runCount: g._count._all, lastAt: g._max.createdAt })),
    taskCount: groups.length,
  };
}

/** Everything the run page shows about one run of the project (`runs.get`); links use the project's slug. */
export async function loadRunDetail(db: PrismaClient, project: { id: string; slug: string }, id: string) {
  const projectId = project.id;
  // Scoped to the project: another project's run id is "not found", like an unknown one.
  const run = await db.workflowRun.findFirst({
    where: { id: id, projectId: projectId },
    include: {
      workflow: { select: { name: true } },
      workflowVersion: { select: { version: true } },
      event: { select: { id: true, key: true, createdAt: true } },
      schedule: { select: { id: true, kind: true, name: true, expression: true, runAt: true } },
      replayOf: { select: linkedRunSelect },
      replays: { where: { projectId }, select: linkedRunSelect, orderBy: { id: 'desc' }, take: MAX_REPLAYS_LISTED },
      _count: { select: { replays: { where: { projectId } } } },
      playground: {
        select: {
          sourceRunId: true,
          taskName: true,
          mode: true,
          batchId: true,
          variant: true,
          sourceRun: { select: { ...linkedRunSelect, projectId: true } },
        },
      },
      taskRuns: {
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        include: {
          worker: { select: { name: true } },
          logs: {
            orderBy: { id: 'asc' },
            take: MAX_LOG_LINES_PER_TASK,
            select: { id: true, attempt: true, level: true, message: true, createdAt: true },
          },
          _count: { select: { logs: true, durableSteps: true } },
          durableSteps: DURABLE_STEPS_QUERY,
          variables: { orderBy: [{ attempt: 'desc' }, { id: 'asc' }], select: variableSelect },
          attemptsList: {
            orderBy: { attempt: 'asc' },
            select: {
              attempt: true,
              status: true,
              error: true,
              queuedAt: true,
              runAfter: true,
              startedAt: true,
              finishedAt: true,
              worker: { select: { name: true } },
            },
          },
        },
      },
    },
  });
  if (!run) {
    throw new TRPCError({ code: 'NOT_FOUND', message: `Run ${id} not found in this project` });
  }

  const playgroundRuns = await playgroundRunsOf(db, projectId, run.id);
  const childLinks = await loadChildRunLinks(db, project, run);
  // A playground run's source, if it still exists in this project (it cascades, but stay scoped).
  const playgroundOf = run.playground
    ? {
        sourceRunId: run.playground.sourceRunId,
        sourceRun:
          run.playground.sourceRun.projectId === projectId
            ? { id: run.playground.sourceRun.id, status: run.playground.sourceRun.status, createdAt: run.playground.sourceRun.createdAt }
            : null,
        taskName: run.playground.taskName,
        mode: run.playground.mode,
        batchId: run.playground.batchId,
        variant: run.playground.variant,
        batchPath: playgroundPath(project.slug, run.playground.sourceRunId, run.playground.taskName, run.playground.batchId),
      }
    : null;

  const tasks = topoSortTasks(run.taskRuns).map((t) => ({
    id: t.id,
    taskName: t.taskName,
    parents: t.parents,
    depth: t.depth,
    status: t.status,
    /** CONCURRENCY: a ready task waiting for a slot of its key; SLEEP/EVENT/CHILD: a durable task waiting. */
    waitingFor: t.waitingFor,
    concurrencyKeys: t.concurrencyKeys,
    isOnFailure: t.isOnFailure,
    /** Copied from the playground run's source run, not executed here: its output is the source's. */
    frozen: t.frozen,
    /** A playground run's re-run task: the values typed in the playground, by variable name. */
    overrides: t.overrides,
    variables: lastAttemptVariables(t.variables),
    /** The task's playground page; none for the onFailure task (it cannot be re-run alone). */
    playgroundPath: t.isOnFailure ? null : playgroundPath(project.slug, run.id, t.taskName),
    /** Where a frozen task's result comes from: the same task in the source run. */
    sourceTaskPath: t.frozen && playgroundOf?.sourceRun ? runPath(project.slug, playgroundOf.sourceRunId, { task: t.taskName }) : null,
    input: t.input,
    output: t.output,
    error: t.error,
    attempts: t.attempts,
    workerName: t.worker?.name ?? null,
    createdAt: t.createdAt,
    queuedAt: t.queuedAt,
    startedAt: t.startedAt,
    finishedAt: t.finishedAt,
    durationMs: durationMs(t.startedAt, t.finishedAt),
    /** A durable task's steps (sleep, event, child) and, while WAITING, the one it waits for. */
    ...durableStepsView(project.slug, t),
    /** The child runs this task spawned (`ctx.runChild`), capped, and how many in all. */
    ...childLinks.childrenOf(t.id),
    logs: t.logs.map((l) => ({ ...l, id: l.id.toString() })),
    logCount: t._count.logs,
    attemptHistory: t.attemptsList.map((a) => ({
      attempt: a.attempt,
      status: a.status,
      error: a.error,
      workerName: a.worker?.name ?? null,
      queuedAt: a.queuedAt,
      runAfter: a.runAfter,
      startedAt: a.startedAt,
      finishedAt: a.finishedAt,
      durationMs: durationMs(a.startedAt, a.finishedAt),
    })),
  }));

  return {
    id: run.id,
    workflowName: run.workflow.name,
    workflowVersion: run.workflowVersion.version,
    status: run.status,
    /** CONCURRENCY: queued behind the workflow's concurrency limit (keys: `<rule>:<value>`). */
    waitingFor: run.waitingFor,
    concurrencyKeys: run.concurrencyKeys,
    input: run.input,
    output: run.output,
    error: run.error,
    additionalMetadata: run.additionalMetadata,
    triggerSource: run.triggerSource,
    eventId: run.eventId,
    // A deleted event or schedule leaves its id null (SetNull): the page then shows only the source.
    event: run.event,
    schedule: run.schedule,
    replayOfId: run.replayOfId,
    replayOf: run.replayOf,
    replays: run.replays,
    replayCount: run._count.replays,
    /** Set on a playground run: the run and task it re-ran, its mode, batch and variant. */
    playgroundOf,
    /** Set on a child run: the run and task that spawned it. */
    childOf: childLinks.childOf,
    /** Playground runs started from this run: how many, and per task (newest first) with the task's playground page. */
    playgroundRunCount: playgroundRuns.count,
    playgroundTaskCount: playgroundRuns.taskCount,
    playgroundTasks: playgroundRuns.tasks.map((g) => ({ ...g, playgroundPath: playgroundPath(project.slug, run.id, g.taskName) })),
    createdAt: run.createdAt,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    durationMs: durationMs(run.startedAt, run.finishedAt),
    tasks,
  };
}
