import { router } from '../trpc';

/** Dashboard procedures for the Metrics page (filled in by its feature). */
export const metricsRouter = router({});
