import { router, viewerProcedure } from '@/server/trpc';
import { loadWorkers } from './query';

/** Dashboard procedures for the Workers page. */
export const workersRouter = router({
  /** Live workers, recently stopped or lost ones, and what each is running now. */
  list: viewerProcedure.query(({ ctx }) => loadWorkers(ctx.db, ctx.project.id)),
});
