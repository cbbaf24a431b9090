import { EVENT_KEY_MAX_LENGTH } from '@whetstone/sdk/contract';
import { z } from 'zod';
import type { Prisma, PrismaClient } from '@/server/db/client';
import { badRequest, notFound } from '@/server/errors';
import { getEvent, replayEvent } from '@/server/engine/triggers/events';
import { editorProcedure, router, viewerProcedure } from '@/server/trpc';

/** Characters of a payload's JSON shown in the list; the detail sends the whole payload (the page truncates it). */
export const EVENT_PAYLOAD_PREVIEW_CHARS = 240;
/** Runs listed per event in the list; the detail lists all of them. */
const RUNS_PER_LISTED_EVENT = 10;
/** Events replayed by one bulk replay. */
export const MAX_BULK_REPLAY = 50;

const listInput = z.object({
  /** Only events whose key is exactly this (`keyMatch: 'exact'`) or starts with it (`'prefix'`). */
  key: z.string().min(1).max(EVENT_KEY_MAX_LENGTH).optional(),
  keyMatch: z.enum(['exact', 'prefix']).default('exact'),
  /** Id of the last event of the previous page. */
  cursor: z.uuid().nullish(),
  limit: z.number().int().min(1).max(100).default(50),
});

const runSelect = {
  id: true,
  status: true,
  createdAt: true,
  workflow: { select: { name: true } },
} satisfies Prisma.WorkflowRunSelect;

type RunRow = Prisma.WorkflowRunGetPayload<{ select: typeof runSelect }>;

function toRun(r: RunRow) {
  return { id: r.id, status: r.status, workflowName: r.workflow.name, createdAt: r.createdAt };
}

/**
 * The first characters of each event's payload as JSON text, cut in the database: a page of 50
 * events polled every second must not carry 50 payloads of up to 1 MiB each.
 */
async function payloadPreviews(db: PrismaClient, ids: string[]): Promise<Map<string, { text: string; truncated: boolean }>> {
  if (ids.length === 0) return new Map();
  const rows = await db.$queryRaw<Array<{ id: string; head: string }>>`
    SELECT id::text AS id, left(payload::text, ${EVENT_PAYLOAD_PREVIEW_CHARS + 1}) AS head
    FROM "Event" WHERE id = ANY(${ids}::uuid[])`;
  return new Map(
    rows.map((r) => [
      r.id,
      r.head.length > EVENT_PAYLOAD_PREVIEW_CHARS
        ? { text: r.head.slice(0, EVENT_PAYLOAD_PREVIEW_CHARS), truncated: true }
        : { text: r.head, truncated: false },
    ]),
  );
}

/** Prisma hands `startsWith` to LIKE as it is: `%`, `_` and `\\` in a typed prefix must match themselves. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, '\\$&');
}

export const eventsRouter = router({
  /** Newest first; each event with a payload preview and the runs it started. */
  list: viewerProcedure.input(listInput).query(async ({ ctx, input }) => {
    const projectId = ctx.project.id;
    let after: Prisma.EventWhereInput = {};
    if (input.cursor) {
      const at = await ctx.db.event.findFirst({ where: { id: input.cursor, projectId }, select: { id: true, createdAt: true } });
      if (!at) throw badRequest(`Unknown cursor '${input.cursor}'`);
      after = { OR: [{ createdAt: { lt: at.createdAt } }, { createdAt: at.createdAt, id: { lt: at.id } }] };
    }
    const keyFilter: Prisma.EventWhereInput =
      input.key === undefined ? {} : input.keyMatch === 'prefix' ? { key: { startsWith: escapeLike(input.key) } } : { key: input.key };
    const rows = await ctx.db.event.findMany({
      where: { projectId, ...keyFilter, ...after },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: input.limit + 1,
      select: {
        id: true,
        key: true,
        replayOfId: true,
        processedAt: true,
        createdAt: true,
        runs: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], take: RUNS_PER_LISTED_EVENT, select: runSelect },
        _count: { select: { runs: true } },
      },
    });
    const page = rows.slice(0, input.limit);
    const previews = await payloadPreviews(
      ctx.db,
      page.map((e) => e.id),
    );
    return {
      items: page.map((e) => ({
        id: e.id,
        key: e.key,
        payloadPreview: previews.get(e.id) ?? { text: '', truncated: false },
        replayOfId: e.replayOfId,
        processedAt: e.processedAt,
        createdAt: e.createdAt,
        runs: e.runs.map(toRun),
        runCount: e._count.runs,
      })),
      nextCursor: rows.length > input.limit ? (page.at(-1)?.id ?? null) : null,
    };
  }),

  /** One event: full payload, metadata, every run it started, and its replays. */
  get: viewerProcedure.input(z.object({ id: z.uuid() })).query(async ({ ctx, input }) => {
    const event = await getEvent(ctx.db, ctx.project.id, input.id);
    const [runs, replays] = await Promise.all([
      ctx.db.workflowRun.findMany({
        where: { id: { in: event.runIds }, projectId: ctx.project.id },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        select: runSelect,
      }),
      ctx.db.event.findMany({
        where: { replayOfId: event.id, projectId: ctx.project.id },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: 20,
        select: { id: true, createdAt: true },
      }),
    ]);
    return {
      id: event.id,
      key: event.key,
      payload: event.payload,
      additionalMetadata: event.additionalMetadata,
      replayOfId: event.replayOfId,
      processedAt: event.processedAt ? new Date(event.processedAt) : null,
      createdAt: new Date(event.createdAt),
      runs: runs.map(toRun),
      replays,
    };
  }),

  /** Pushes the event again as a new event linked to it (`replayOfId`), starting the workflows that match it now. */
  replay: editorProcedure.input(z.object({ id: z.uuid() })).mutation(({ ctx, input }) => replayEvent(ctx.db, ctx.project.id, input.id)),

  /** Replays each event in order; one failing does not stop the others. An id outside the project replays nothing. */
  bulkReplay: editorProcedure.input(z.object({ ids: z.array(z.uuid()).min(1).max(MAX_BULK_REPLAY) })).mutation(async ({ ctx, input }) => {
    const ids = [...new Set(input.ids)];
    const known = await ctx.db.event.count({ where: { id: { in: ids }, projectId: ctx.project.id } });
    if (known !== ids.length) {
      throw notFound(`${ids.length - known} of the selected events are not in this project; nothing was replayed`);
    }
    const results = [];
    for (const id of ids) {
      try {
        const replayed = await replayEvent(ctx.db, ctx.project.id, id);
        results.push({ id, ok: true as const, eventId: replayed.eventId, runIds: replayed.runIds });
      } catch (err) {
        results.push({ id, ok: false as const, error: err instanceof Error ? err.message : String(err) });
      }
    }
    return { results, replayed: results.filter((r) => r.ok).length, failed: results.filter((r) => !r.ok).length };
  }),
});
