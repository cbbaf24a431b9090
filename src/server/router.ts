import { createCallerFactory, router } from './trpc';
import { apiKeysRouter } from './projects/api-keys-router';
import { eventsRouter } from './events/router';
import { membersRouter } from './projects/members-router';
import { metricsRouter } from './metrics/router';
import { playgroundRouter } from './playground/router';
import { projectsRouter } from './projects/router';
import { pullRequestsRouter } from './playground/pull-request/router';
import { repositoryRouter } from './playground/pull-request/repository-router';
import { runsRouter } from './runs/router';
import { schedulesRouter } from './schedules/router';
import { systemRouter } from './system/router';
import { usageRouter } from './usage/router';
import { whatIfRouter } from './what-if/router';
import { workersRouter } from './workers/router';
import { workflowsRouter } from './workflows/router';

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
