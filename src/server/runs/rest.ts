import { triggerRunRequestSchema } from '@whetstone/sdk/contract';
import { cancelRun } from '@/server/engine/cancel';
import { createRun, getRunSummary, waitForRunSummary } from '@/server/engine/triggers/create-run';
import { createRuns } from '@/server/engine/triggers/create-runs';
import { apiRoute } from '@/server/rest-handler';

const MAX_WAIT_SECONDS = 30;

export const triggerRunRoute = apiRoute<ReturnType<typeof triggerRunRequestSchema.parse>, { name: string }>(
  triggerRunRequestSchema,
  async ({ prisma, principal, body }, { name }) => {
    const workflow = decodeURIComponent(name);
    const opts = {
      input: body.input,
      additionalMetadata: body.additionalMetadata,
      priority: body.priority,
      idempotencyKey: body.idempotencyKey,
      triggerSource: 'API' as const,
    };
    // A child run goes through createRun's parent checks; any other takes the bulk path's
    // fewer round trips (it falls back to createRun itself when the workflow needs it).
    if (body.parent) return { runId: await createRun(prisma, principal.projectId, workflow, { ...opts, parent: body.parent }) };
    const [runId] = await createRuns(prisma, principal.projectId, workflow, [opts], { nameItems: false });
    return { runId };
  },
);

/** GET a run's status and output; `?wait=N` long-polls up to N seconds for it to finish. */
export const getRunRoute = apiRoute<undefined, { id: string }>(null, async ({ prisma, principal, request }, { id }) => {
  const wait = Number(new URL(request.url).searchParams.get('wait') ?? 0);
  if (!Number.isFinite(wait) || wait <= 0) return getRunSummary(prisma, principal.projectId, id);
  return waitForRunSummary(prisma, principal.projectId, id, Math.min(wait, MAX_WAIT_SECONDS) * 1000, request.signal);
});

/** POST: cancel a run; a finished run is left as it is (`cancelled: false`). */
export const cancelRunRoute = apiRoute<undefined, { id: string }>(null, async ({ prisma, principal }, { id }) =>
  cancelRun(prisma, principal.projectId, id),
);
