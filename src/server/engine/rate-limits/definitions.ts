import type { UpsertRateLimitRequest } from '@whetstone/sdk/contract';
import type { PrismaClient } from '@/server/db/client';

export interface RateLimitInfo {
  key: string;
  limit: number;
  duration: string;
  updatedAt: string;
}

const SELECT = { key: true, limit: true, duration: true, updatedAt: true } as const;

function info(row: { key: string; limit: number; duration: string; updatedAt: Date }): RateLimitInfo {
  return { key: row.key, limit: row.limit, duration: row.duration, updatedAt: row.updatedAt.toISOString() };
}

/**
 * Creates or changes a project-wide limit (`ws.ratelimits.upsert`). A change applies to
 * reservations made from then on; ones already made keep their start times.
 */
export async function upsertRateLimit(prisma: PrismaClient, projectId: string, req: UpsertRateLimitRequest): Promise<RateLimitInfo> {
  const row = await prisma.rateLimit.upsert({
    where: { projectId_key: { projectId, key: req.key } },
    create: { projectId, key: req.key, limit: req.limit, duration: req.duration },
    update: { limit: req.limit, duration: req.duration },
    select: SELECT,
  });
  return info(row);
}

export async function listRateLimits(prisma: PrismaClient, projectId: string): Promise<RateLimitInfo[]> {
  const rows = await prisma.rateLimit.findMany({ where: { projectId }, orderBy: { key: 'asc' }, select: SELECT });
  return rows.map(info);
}
