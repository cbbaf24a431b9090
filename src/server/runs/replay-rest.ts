import { z } from 'zod';
import { replayRun } from '@/server/engine/triggers/replay';
import { apiRoute } from '@/server/rest-handler';

const replayRequestSchema = z.object({
  /** The new run's input; default: the source run's. */
  input: z.unknown().optional(),
});

/** POST /api/v1/runs/:id/replay `{input?}`: a new run of the same workflow (latest version) linked to this one → `{runId, replayOfId}`. */
export const replayRunRoute = apiRoute<z.infer<typeof replayRequestSchema>, { id: string }>(
  replayRequestSchema,
  ({ prisma, principal, body }, { id }) => replayRun(prisma, principal.projectId, id, { input: body.input }),
);
