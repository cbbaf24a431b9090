import { router } from '../trpc';

/** Dashboard procedures for the Schedules page (filled in by its feature). */
export const schedulesRouter = router({});
