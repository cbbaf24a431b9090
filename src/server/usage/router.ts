import { z } from 'zod';
import { router, viewerProcedure } from '@/server/trpc';
import { loadRunUsage, loadUsageByWorkflow } from './query';

/** LLM usage (ctx.usage() reports) for the run page and the LLM usage page. */
export const usageRouter = router({
  /** One run's calls, tokens and cost per task (with a breakdown by model) and in total. */
  forRun: viewerProcedure.input(z.object({ runId: z.uuid() })).query(({ ctx, input }) => loadRunUsage(ctx.db, ctx.project.id, input.runId)),

  /** Totals per workflow and per task for the runs created in [from, to) (either bound may be left open). */
  byWorkflow: viewerProcedure
    .input(z.object({ from: z.date().optional(), to: z.date().optional() }))
    .query(({ ctx, input }) => loadUsageByWorkflow(ctx.db, ctx.project.id, input)),
});
