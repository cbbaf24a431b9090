import { z } from 'zod';
import { cancelRun } from '@/server/engine/cancel';
import { replayRun } from '@/server/engine/triggers/replay';
import { NotFoundError, notFound } from '@/server/errors';
import { loadRunDetail } from './detail-query';
import { MAX_BULK_RUN_ACTIONS } from '@/server/shared/limits';
import { bulkCancel, bulkReplay, bulkReplayByFilter } from './actions';
import { listRuns, runListFilterSchema, runListInput } from './list-query';
import { editorProcedure, router, viewerProcedure } from '@/server/trpc';

const bulkInput = z.object({ ids: z.array(z.uuid()).min(1).max(MAX_BULK_RUN_ACTIONS) });

export const runsRouter = router({
  /** A page of runs, newest first, with filters (see run-list-query.ts) and capped counts per status. */
  list: viewerProcedure.input(runListInput).query(({ ctx, input }) => listRuns(ctx.db, ctx.project.id, input)),

  get: viewerProcedure.input(z.object({ id: z.uuid() })).query(({ ctx, input }) => loadRunDetail(ctx.db, ctx.project, input.id)),

  /** Queued tasks never start, running ones get their abort signal; a finished run is left as it is. */
  cancel: editorProcedure.input(z.object({ id: z.uuid() })).mutation(async ({ ctx, input }) => {
    try {
      return await cancelRun(ctx.db, ctx.project.id, input.id);
    } catch (err) {
      if (err instanceof NotFoundError) throw notFound(`Run ${input.id} not found in this project`);
      throw err;
    }
  }),

  /** A new run of the same workflow (latest version) with the run's input (or `input`), linked by replayOfId. */
  replay: editorProcedure
    .input(z.object({ id: z.uuid(), input: z.unknown().optional() }))
    .mutation(({ ctx, input }) => replayRun(ctx.db, ctx.project.id, input.id, { input: input.input })),

  /** Cancels up to 500 runs by id; each result says cancelled, already finished, or why not. */
  bulkCancel: editorProcedure.input(bulkInput).mutation(({ ctx, input }) => bulkCancel(ctx.db, ctx.project.id, input.ids)),

  /** Replays up to 500 runs by id; each result has the new run's id or why not. */
  bulkReplay: editorProcedure.input(bulkInput).mutation(({ ctx, input }) => bulkReplay(ctx.db, ctx.project.id, input.ids)),

  /**
   * Replays every run the list shows for `filter` (at most 500), if no more match than
   * `confirmCount` (what the person was shown); otherwise CONFLICT and nothing is replayed.
   */
  bulkReplayByFilter: editorProcedure
    .input(z.object({ filter: runListFilterSchema, confirmCount: z.number().int().min(0).max(MAX_BULK_RUN_ACTIONS) }))
    .mutation(({ ctx, input }) => bulkReplayByFilter(ctx.db, ctx.project.id, input.filter, input.confirmCount)),
});
