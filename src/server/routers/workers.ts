import { router } from '../trpc';

/** Dashboard procedures for the Workers page (filled in by its feature). */
export const workersRouter = router({});
