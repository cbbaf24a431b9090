import type { Prisma, PrismaClient } from '@/server/db/client';

/** A workflow version as a run's jobs need it: immutable once stored, so each process reads it once. */
export interface CachedVersion {
  id: string;
  definition: Prisma.JsonValue;
  workflow: { name: string };
}

const MAX_CACHED = 1_000;
const cache = new Map<string, Promise<CachedVersion | null>>();

/**
 * The version with its workflow's name, from this process's cache (versions and workflow names
 * never change; a deleted one is only ever asked for by runs that were deleted with it).
 * Saves two queries every time a run is advanced.
 */
export function cachedVersion(prisma: PrismaClient, versionId: string): Promise<CachedVersion | null> {
  let hit = cache.get(versionId);
  if (!hit) {
    hit = prisma.workflowVersion.findUnique({
      where: { id: versionId },
      select: { id: true, definition: true, workflow: { select: { name: true } } },
    });
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(versionId, hit);
    // A failed read is not remembered.
    hit.then(
      (v) => (v ? undefined : cache.delete(versionId)),
      () => cache.delete(versionId),
    );
  }
  return hit;
}
