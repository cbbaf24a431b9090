import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import type { Prisma } from '../db';
import { cancelRun } from '../engine/cancel';
import { editorProcedure, router, viewerProcedure } from '../trpc';
import { countByStatus, durationMs, RUN_STATUSES, topoSortTasks } from './run-view';

/** Log lines returned per task; the rest are counted, not sent. */
export const MAX_LOG_LINES_PER_TASK = 2000;

const listInput = z.object({
  status: z.enum(RUN_STATUSES).optional(),
  /** Workflow name. */
  workflow: z.string().min(1).max(200).optional(),
  /** Id of the last run of the previous page (ids are uuid v7: they sort by time). */
  cursor: z.uuid().nullish(),
  limit: z.number().int().min(1).max(200).default(50),
});

const listSelect = {
  id: true,
  status: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
  triggerSource: true,
  workflow: { select: { name: true } },
} satisfies Prisma.WorkflowRunSelect;

function toListItem(r: Prisma.WorkflowRunGetPayload<{ select: typeof listSelect }>) {
  return {
    id: r.id,
    workflowName: r.workflow.name,
    status: r.status,
    createdAt: r.createdAt,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    durationMs: durationMs(r.startedAt, r.finishedAt),
    triggerSource: r.triggerSource,
  };
}

export const runsRouter = router({
  list: viewerProcedure.input(listInput).query(async ({ ctx, input }) => {
    const scope = {
      projectId: ctx.project.id,
      ...(input.workflow ? { workflow: { name: input.workflow } } : {}),
    };

    const [rows, grouped, workflows] = await Promise.all([
      ctx.db.workflowRun.findMany({
        where: {
          ...scope,
          ...(input.status ? { status: input.status } : {}),
          ...(input.cursor ? { id: { lt: input.cursor } } : {}),
        },
        orderBy: { id: 'desc' },
        take: input.limit + 1,
        select: listSelect,
      }),
      ctx.db.workflowRun.groupBy({ by: ['status'], where: scope, _count: { _all: true } }),
      ctx.db.workflow.findMany({
        where: { projectId: ctx.project.id },
        orderBy: { name: 'asc' },
        select: { name: true },
      }),
    ]);

    const page = rows.slice(0, input.limit);
    const counts = countByStatus(grouped.map((g) => ({ status: g.status, count: g._count._all })));
    return {
      items: page.map(toListItem),
      nextCursor: rows.length > input.limit ? (page.at(-1)?.id ?? null) : null,
      counts,
      total: Object.values(counts).reduce((a, b) => a + b, 0),
      workflows: workflows.map((w) => w.name),
    };
  }),

  get: viewerProcedure.input(z.object({ id: z.uuid() })).query(async ({ ctx, input }) => {
    // Scoped to the project: another project's run id is "not found", like an unknown one.
    const run = await ctx.db.workflowRun.findFirst({
      where: { id: input.id, projectId: ctx.project.id },
      include: {
        workflow: { select: { name: true } },
        workflowVersion: { select: { version: true } },
        taskRuns: {
          orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
          include: {
            worker: { select: { name: true } },
            logs: {
              orderBy: { id: 'asc' },
              take: MAX_LOG_LINES_PER_TASK,
              select: { id: true, attempt: true, level: true, message: true, createdAt: true },
            },
            _count: { select: { logs: true } },
            attemptsList: {
              orderBy: { attempt: 'asc' },
              select: { attempt: true, status: true, error: true, startedAt: true, finishedAt: true, worker: { select: { name: true } } },
            },
          },
        },
      },
    });
    if (!run) {
      throw new TRPCError({ code: 'NOT_FOUND', message: `Run ${input.id} not found in this project` });
    }

    const tasks = topoSortTasks(run.taskRuns).map((t) => ({
      id: t.id,
      taskName: t.taskName,
      parents: t.parents,
      depth: t.depth,
      status: t.status,
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
      logs: t.logs.map((l) => ({ ...l, id: l.id.toString() })),
      logCount: t._count.logs,
      attemptHistory: t.attemptsList.map((a) => ({
        attempt: a.attempt,
        status: a.status,
        error: a.error,
        workerName: a.worker?.name ?? null,
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
      input: run.input,
      output: run.output,
      error: run.error,
      additionalMetadata: run.additionalMetadata,
      triggerSource: run.triggerSource,
      eventId: run.eventId,
      createdAt: run.createdAt,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      durationMs: durationMs(run.startedAt, run.finishedAt),
      tasks,
    };
  }),
  /** Queued tasks never start, running ones get their abort signal; a finished run is left as it is. */
  cancel: editorProcedure.input(z.object({ id: z.uuid() })).mutation(async ({ ctx, input }) => {
    try {
      return await cancelRun(ctx.db, ctx.project.id, input.id);
    } catch (err) {
      if ((err as { status?: number }).status === 404) throw new TRPCError({ code: 'NOT_FOUND', message: `Run ${input.id} not found in this project` });
      throw err;
    }
  }),
});
