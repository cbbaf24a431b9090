import { createCallerFactory, router } from '../trpc';
import { apiKeysRouter } from './apiKeys';
import { eventsRouter } from './events';
import { membersRouter } from './members';
import { metricsRouter } from './metrics';
import { playgroundRouter } from './playground';
import { projectsRouter } from './projects';
import { pullRequestsRouter } from './pull-requests';
import { repositoryRouter } from './repository';
import { runsRouter } from './runs';
import { schedulesRouter } from './schedules';
import { systemRouter } from './system';
import { usageRouter } from './usage';
import { whatIfRouter } from './what-if';
import { workersRouter } from './workers';
import { workflowsRouter } from './workflows';

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
  events: eventsRouter,
  workflows: workflowsRouter,
  workers: workersRouter,
  schedules: schedulesRouter,
  metrics: metricsRouter,
  usage: usageRouter,
  playground: playgroundRouter,
  repository: repositoryRouter,
  pullRequests: pullRequestsRouter,
  whatIf: whatIfRouter,
});

export type AppRouter = typeof appRouter;

/** Server-side caller (server components, tests): `createCaller(await createContext(...))` or `{ db, user }`. */
export const createCaller = createCallerFactory(appRouter);
