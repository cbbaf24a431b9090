import { z } from 'zod';
import { MAX_PLAYGROUND_VARIANTS } from '@/server/shared/limits';
import { startPlaygroundRuns } from './runs';
import { editorProcedure, router, viewerProcedure } from '@/server/trpc';
import { loadPlaygroundBatch, loadPlaygroundHistory, loadPlaygroundTask } from './query';

const sourceTask = z.object({ runId: z.uuid(), task: z.string().min(1).max(200) });

export const playgroundRouter = router({
  /** A task of a run as the playground shows it: variables, input, parents' outputs, result, live workers. */
  task: viewerProcedure.input(sourceTask).query(({ ctx, input }) => loadPlaygroundTask(ctx.db, ctx.project.id, input.runId, input.task)),

  /**
   * Re-runs the task (STEP) or it and everything downstream (FROM_HERE) once per variant, each a
   * new run linked to the source, on real workers. Returns at once; `batch` follows the runs.
   */
  run: editorProcedure
    .input(
      sourceTask.extend({
        mode: z.enum(['STEP', 'FROM_HERE']),
        /** The new runs' input; omitted: the source run's. */
        input: z.unknown().optional(),
        variants: z
          .array(z.object({ overrides: z.record(z.string(), z.unknown()) }))
          .min(1)
          .max(MAX_PLAYGROUND_VARIANTS),
      }),
    )
    .mutation(({ ctx, input }) =>
      startPlaygroundRuns(ctx.db, ctx.project.id, {
        sourceRunId: input.runId,
        taskName: input.task,
        mode: input.mode,
        input: input.input,
        variants: input.variants,
        createdById: ctx.user.id,
      }),
    ),

  /** The variants of one batch with their results so far. */
  batch: viewerProcedure
    .input(z.object({ batchId: z.uuid() }))
    .query(({ ctx, input }) => loadPlaygroundBatch(ctx.db, ctx.project.id, input.batchId)),

  /** Every batch run from this source task, newest first. */
  history: viewerProcedure
    .input(sourceTask)
    .query(({ ctx, input }) => loadPlaygroundHistory(ctx.db, ctx.project.id, input.runId, input.task)),
});
