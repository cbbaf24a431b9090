import { z } from 'zod';
import { createCron, createOneOffSchedule, deleteSchedule } from '@/server/engine/schedules/schedules';
import { NotFoundError } from '@/server/errors';
import { editorProcedure, router, viewerProcedure } from '@/server/trpc';
import { loadSchedules } from './query';

// Expressions, names, dates and inputs are checked by the engine's schedules module (the same
// rules and messages as the REST API); these schemas only bound the shapes.
const target = { workflow: z.string().min(1).max(200), input: z.unknown().default({}) };

const createCronInput = z.object({ ...target, name: z.string().min(1).max(100), expression: z.string().max(200) });

const createOneOffInput = z
  .object({ ...target, runAt: z.string().max(100).optional(), delaySeconds: z.number().optional() })
  .refine((v) => (v.runAt === undefined) !== (v.delaySeconds === undefined), { message: 'Give exactly one of a date and a delay' });

/** Dashboard procedures for the Schedules page. */
export const schedulesRouter = router({
  list: viewerProcedure.query(({ ctx }) => loadSchedules(ctx.db, ctx.project.id)),

  /** Creates a runtime cron, or replaces the workflow's cron of that name. */
  createCron: editorProcedure
    .input(createCronInput)
    .mutation(({ ctx, input }) =>
      createCron(ctx.db, ctx.project.id, input.workflow, { name: input.name, expression: input.expression, input: input.input }),
    ),

  createOneOff: editorProcedure.input(createOneOffInput).mutation(({ ctx, input }) =>
    createOneOffSchedule(ctx.db, ctx.project.id, input.workflow, {
      runAt: input.runAt,
      delaySeconds: input.delaySeconds,
      input: input.input,
    }),
  ),

  /**
   * Deletes a runtime cron or one-off. A declared cron is refused (it lives in the workflow's
   * code). A schedule that is already gone (deleted in another tab) is not an error.
   */
  delete: editorProcedure.input(z.object({ id: z.uuid() })).mutation(async ({ ctx, input }) => {
    try {
      return await deleteSchedule(ctx.db, ctx.project.id, input.id);
    } catch (err) {
      if (err instanceof NotFoundError) return { deleted: false as const, id: input.id };
      throw err;
    }
  }),
});
