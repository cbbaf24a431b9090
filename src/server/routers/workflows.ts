import { router } from '../trpc';

/** Dashboard procedures for the Workflows page (filled in by its feature). */
export const workflowsRouter = router({});
