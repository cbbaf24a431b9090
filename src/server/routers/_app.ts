import { createCallerFactory, router } from '../trpc';
import { apiKeysRouter } from './apiKeys';
import { membersRouter } from './members';
import { projectsRouter } from './projects';
import { runsRouter } from './runs';
import { systemRouter } from './system';

/**
 * The dashboard's tRPC API. One router per feature; add new ones here (and to
 * INTENDED in authorization-matrix.int.test.ts, which checks every procedure's access).
 */
export const appRouter = router({
  runs: runsRouter,
  system: systemRouter,
  projects: projectsRouter,
  members: membersRouter,
  apiKeys: apiKeysRouter,
});

export type AppRouter = typeof appRouter;

/** Server-side caller (server components, tests): `createCaller(await createContext(...))` or `{ db, user }`. */
export const createCaller = createCallerFactory(appRouter);
