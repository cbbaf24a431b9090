import { createCallerFactory, router } from '@/server/trpc';
import { apiKeysRouter } from '@/server/projects/api-keys-router';
import { eventsRouter } from '@/server/events/router';
import { membersRouter } from '@/server/projects/members-router';
import { metricsRouter } from '@/server/metrics/router';
import { playgroundRouter } from '@/server/playground/router';
import { projectsRouter } from '@/server/projects/router';
import { pullRequestsRouter } from '@/server/playground/pull-request/router';
import { repositoryRouter } from '@/server/playground/pull-request/repository-router';
import { runsRouter } from '@/server/runs/router';
import { schedulesRouter } from '@/server/schedules/router';
import { systemRouter } from '@/server/system/router';
import { usageRouter } from '@/server/usage/router';
import { whatIfRouter } from '@/server/what-if/router';
import { workersRouter } from '@/server/workers/router';
import { workflowsRouter } from '@/server/workflows/router';

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
