export { listRateLimitsRoute as GET, upsertRateLimitRoute as POST } from '@/server/rest/ratelimits';
export const dynamic = 'force-dynamic';
