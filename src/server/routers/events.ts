import { router } from '../trpc';

/** Dashboard procedures for the Events page (filled in by its feature). */
export const eventsRouter = router({});
