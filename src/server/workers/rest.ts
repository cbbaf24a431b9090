import { registerWorkerRequestSchema } from '@whetstone/sdk/contract';
import { registerWorker } from '@/server/engine/registration/register';
import { notFound } from '@/server/errors';
import { isUuid } from '@/server/engine/ids';
import { apiRoute } from '@/server/rest-handler';

export const registerWorkerRoute = apiRoute(registerWorkerRequestSchema, ({ prisma, principal, body }) =>
  registerWorker(prisma, principal.projectId, body),
);

const touchWorker = (data: { lastHeartbeatAt: Date } | { stoppedAt: Date }) =>
  apiRoute<undefined, { id: string }>(null, async ({ prisma, principal }, { id }) => {
    const updated = isUuid(id) ? await prisma.worker.updateMany({ where: { id, projectId: principal.projectId }, data }) : { count: 0 };
    if (updated.count === 0) throw notFound(`Worker '${id}' not found: register it again`);
    return { ok: true };
  });

export const heartbeatRoute = (request: Request, route: { params: Promise<{ id: string }> }) =>
  touchWorker({ lastHeartbeatAt: new Date() })(request, route);
export const stopWorkerRoute = (request: Request, route: { params: Promise<{ id: string }> }) =>
  touchWorker({ stoppedAt: new Date() })(request, route);
