import { router } from '../trpc';

/** Dashboard procedures for the Usage page (filled in by its feature). */
export const usageRouter = router({});
