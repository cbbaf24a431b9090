import { createCallerFactory, router } from '../trpc';
import { runsRouter } from './runs';
import { systemRouter } from './system';

/** The dashboard's tRPC API. One router per feature; add new ones here. */
export const appRouter = router({
  runs: runsRouter,
  system: systemRouter,
});

export type AppRouter = typeof appRouter;

/** Server-side caller (server components, tests): `createCaller({ db })`. */
export const createCaller = createCallerFactory(appRouter);
