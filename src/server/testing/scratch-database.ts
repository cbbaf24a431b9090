import { afterAll, beforeAll, vi } from 'vitest';
import { createPrisma, type PrismaClient } from '@/server/db/client';
import { createScratchDatabase } from '@/server/services/postgres';

export interface ScratchDatabase {
  readonly url: string;
  readonly prisma: PrismaClient;
}

/**
 * Test helper: a fresh migrated database for this test file, created before
 * its tests and dropped after. It is also the process's DATABASE_URL, for code
 * that reads the env (the transport label, queue credentials).
 */
export function useScratchDatabase(prefix = 'wstest'): ScratchDatabase {
  let database: Awaited<ReturnType<typeof createScratchDatabase>> | undefined;
  let prisma: PrismaClient | undefined;
  beforeAll(async () => {
    database = await createScratchDatabase(prefix);
    prisma = createPrisma(database.url);
    vi.stubEnv('DATABASE_URL', database.url);
  });
  afterAll(async () => {
    await prisma?.$disconnect();
    await database?.drop();
  });
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('useScratchDatabase: used before its beforeAll ran');
    return value;
  };
  return {
    get url() {
      return ready(database).url;
    },
    get prisma() {
      return ready(prisma);
    },
  };
}
