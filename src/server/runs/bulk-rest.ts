import { bulkTriggerRunsRequestSchema, type BulkTriggerRunsRequest } from '@whetstone/sdk/contract';
import { createRuns } from '@/server/engine/triggers/create-runs';
import { apiRoute } from '@/server/rest-handler';

/** POST runs of one workflow (at most MAX_BULK_RUNS; the body within the payload limit): `{ runIds }` in order. */
export const triggerRunsBulkRoute = apiRoute<BulkTriggerRunsRequest, { name: string }>(
  bulkTriggerRunsRequestSchema,
  async ({ prisma, principal, body }, { name }) => ({
    runIds: await createRuns(
      prisma,
      principal.projectId,
      decodeURIComponent(name),
      body.runs.map((run) => ({
        input: run.input,
        additionalMetadata: run.additionalMetadata,
        priority: run.priority,
        idempotencyKey: run.idempotencyKey,
        triggerSource: 'API' as const,
      })),
    ),
  }),
);
