import { upsertRateLimitRequestSchema, type UpsertRateLimitRequest } from '@whetstone/sdk/contract';
import { listRateLimits, upsertRateLimit } from '@/server/engine/rate-limits/definitions';
import { apiRoute } from '@/server/rest-handler';

// REST for project-wide rate limits (docs/rate-limits.md); src/app/api/v1/ratelimits re-exports these.

/** POST /api/v1/ratelimits `{ key, limit, duration }`: creates the limit, or changes the one with that key. */
export const upsertRateLimitRoute = apiRoute<UpsertRateLimitRequest>(upsertRateLimitRequestSchema, ({ prisma, principal, body }) =>
  upsertRateLimit(prisma, principal.projectId, body),
);

/** GET /api/v1/ratelimits: every limit of the project, by key. */
export const listRateLimitsRoute = apiRoute(null, async ({ prisma, principal }) => ({
  rateLimits: await listRateLimits(prisma, principal.projectId),
}));
