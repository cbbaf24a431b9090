export { listRateLimitsRoute as GET, upsertRateLimitRoute as POST } from '@/server/rate-limits/rest';
export const dynamic = 'force-dynamic';
