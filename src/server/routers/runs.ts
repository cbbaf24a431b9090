import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import type { Prisma } from '../db';
import { cancelRun } from '../engine/cancel';
import { loadRunDetail } from './run-detail-query';
import { editorProcedure, router, viewerProcedure } from '../trpc';
import { countByStatus, durationMs, RUN_STATUSES } from './run-view';


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

  get: viewerProcedure.input(z.object({ id: z.uuid() })).query(({ ctx, input }) => loadRunDetail(ctx.db, ctx.project.id, input.id)),

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
