import { pushEventRequestSchema, type PushEventRequest } from '@whetstone/sdk/contract';
import { getEvent, listEvents, pushEvent, replayEvent } from '@/server/engine/triggers/events';
import { apiRoute } from '@/server/rest-handler';

/** POST /api/v1/events: store an event and start the workflows whose onEvents match its key. */
export const pushEventRoute = apiRoute<PushEventRequest>(pushEventRequestSchema, ({ prisma, principal, body }) =>
  pushEvent(prisma, principal.projectId, body),
);

/** GET /api/v1/events?key=&limit=&cursor=: the project's events, newest first. */
export const listEventsRoute = apiRoute(null, ({ prisma, principal, request }) => {
  const params = new URL(request.url).searchParams;
  const value = (name: string) => params.get(name) ?? undefined;
  const limit = value('limit');
  return listEvents(prisma, principal.projectId, {
    key: value('key'),
    limit: limit === undefined ? undefined : Number(limit),
    cursor: value('cursor'),
  });
});

/** GET /api/v1/events/:id: the event and the ids of the runs it started. */
export const getEventRoute = apiRoute<undefined, { id: string }>(null, ({ prisma, principal }, { id }) =>
  getEvent(prisma, principal.projectId, id),
);

/** POST /api/v1/events/:id/replay: push it again as a new event linked to it. */
export const replayEventRoute = apiRoute<undefined, { id: string }>(null, ({ prisma, principal }, { id }) =>
  replayEvent(prisma, principal.projectId, id),
);
