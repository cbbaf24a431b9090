import {
  createCronRequestSchema,
  createScheduleRequestSchema,
  type CreateCronRequest,
  type CreateScheduleRequest,
} from '@whetstone/sdk/contract';
import { badRequest } from '@/server/errors';
import {
  createCron,
  createOneOffSchedule,
  deleteCron,
  deleteSchedule,
  listAllSchedules,
  listCrons,
  listOneOffSchedules,
} from '@/server/engine/schedules/schedules';
import { apiRoute } from '@/server/rest-handler';

// REST for crons and one-off schedules (docs/schedules.md). Route files under
// src/app/api/v1 re-export these.

/** Path segments arrive decoded by Next; decoding again is harmless for our names, and fixes a client that double-encodes. */
function segment(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** POST /api/v1/workflows/:name/crons: create a cron, or replace the one with the same name. */
export const createCronRoute = apiRoute<CreateCronRequest, { name: string }>(
  createCronRequestSchema,
  ({ prisma, principal, body }, { name }) => createCron(prisma, principal.projectId, segment(name), body),
);

/** GET /api/v1/workflows/:name/crons: the workflow's crons (declared and runtime) with their next run time. */
export const listCronsRoute = apiRoute<undefined, { name: string }>(null, async ({ prisma, principal }, { name }) => ({
  schedules: await listCrons(prisma, principal.projectId, segment(name)),
}));

/** DELETE /api/v1/workflows/:name/crons/:cronName */
export const deleteCronRoute = apiRoute<undefined, { name: string; cronName: string }>(null, ({ prisma, principal }, { name, cronName }) =>
  deleteCron(prisma, principal.projectId, segment(name), segment(cronName)),
);

/** POST /api/v1/workflows/:name/schedules: one run at `runAt`, or `delaySeconds` from now. */
export const createScheduleRoute = apiRoute<CreateScheduleRequest, { name: string }>(
  createScheduleRequestSchema,
  ({ prisma, principal, body }, { name }) => createOneOffSchedule(prisma, principal.projectId, segment(name), body),
);

/** GET /api/v1/workflows/:name/schedules: the workflow's one-off schedules, pending first. */
export const listSchedulesRoute = apiRoute<undefined, { name: string }>(null, async ({ prisma, principal }, { name }) => ({
  schedules: await listOneOffSchedules(prisma, principal.projectId, segment(name)),
}));

/** DELETE /api/v1/schedules/:id: a one-off schedule, or a runtime cron, by id. */
export const deleteScheduleRoute = apiRoute<undefined, { id: string }>(null, ({ prisma, principal }, { id }) =>
  deleteSchedule(prisma, principal.projectId, id),
);

/** GET /api/v1/schedules?kind=CRON|ONCE&workflow=name: every schedule of the project. */
export const listAllSchedulesRoute = apiRoute(null, async ({ prisma, principal, request }) => {
  const params = new URL(request.url).searchParams;
  const kind = params.get('kind') ?? undefined;
  if (kind !== undefined && kind !== 'CRON' && kind !== 'ONCE') throw badRequest(`kind must be CRON or ONCE, not ${JSON.stringify(kind)}`);
  return { schedules: await listAllSchedules(prisma, principal.projectId, { kind, workflow: params.get('workflow') ?? undefined }) };
});
