import { z } from 'zod';
import { runListFilterSchema } from '@/server/runs/list-query';
import { editorProcedure, router, viewerProcedure } from '@/server/trpc';
import { cancelWhatIf } from './cancel';
import { reportRulesSchema } from './checks';
import { listWhatIfReports, loadWhatIfReport } from './report';
import { MAX_WHAT_IF_RUNS } from '@/server/shared/limits';
import { startWhatIf } from './start';

const startInput = z.object({
  /** The playground's source run and task. */
  runId: z.uuid(),
  task: z.string().min(1).max(200),
  mode: z.enum(['STEP', 'FROM_HERE']),
  overrides: z.record(z.string(), z.unknown()),
  sources: z.union([
    z.object({ filter: runListFilterSchema.omit({ workflow: true }) }),
    z.object({ runIds: z.array(z.uuid()).min(1).max(MAX_WHAT_IF_RUNS) }),
  ]),
  rules: reportRulesSchema.default([]),
  confirmWarnings: z.boolean().default(false),
});

export const whatIfRouter = router({
  /**
   * Re-runs the task (or from it) with `overrides` over up to MAX_WHAT_IF_RUNS earlier runs of the workflow,
   * each a new run linked to its source. When the code changed since the source run, answers
   * `{ started: false, warnings }` unless `confirmWarnings`.
   */
  start: editorProcedure.input(startInput).mutation(({ ctx, input }) =>
    startWhatIf(ctx.db, ctx.project.id, {
      sourceRunId: input.runId,
      taskName: input.task,
      mode: input.mode,
      overrides: input.overrides,
      sources: input.sources,
      rules: input.rules,
      confirmWarnings: input.confirmWarnings,
      createdById: ctx.user.id,
    }),
  ),

  /** One report with its rows and totals, live while it runs. */
  get: viewerProcedure.input(z.object({ id: z.uuid() })).query(({ ctx, input }) => loadWhatIfReport(ctx.db, ctx.project.id, input.id)),

  /** The project's reports, newest first (optionally of one workflow). */
  list: viewerProcedure
    .input(z.object({ workflow: z.string().min(1).max(200).optional() }))
    .query(({ ctx, input }) => listWhatIfReports(ctx.db, ctx.project.id, { workflow: input.workflow })),

  /** Stops the report's unfinished runs. */
  cancel: editorProcedure.input(z.object({ id: z.uuid() })).mutation(({ ctx, input }) => cancelWhatIf(ctx.db, ctx.project.id, input.id)),
});
