import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '@/server/generated/prisma/client';
import { env } from '@/server/env';
import { queryStatsFile, trackQueries } from './query-stats';
import { applicationName, dbPoolMax, processRole } from './connection-budget';

const globalForPrisma = globalThis as unknown as { whetstonePrisma?: PrismaClient };

/**
 * Prisma's pool: `WHETSTONE_DB_POOL_MAX` connections at most (default 10), idle ones closed after
 * 10 s (so a quiet process holds few), named for pg_stat_activity (`whetstone-<role>[<pid>]:db`,
 * see connection-budget.ts).
 */
export function createPrisma(connectionString: string, opts: { max?: number; applicationName?: string } = {}): PrismaClient {
  const pool = {
    connectionString,
    max: opts.max ?? dbPoolMax(),
    idleTimeoutMillis: 10_000,
    application_name: opts.applicationName ?? applicationName('db'),
  };
  const statsFile = queryStatsFile();
  if (!statsFile) return new PrismaClient({ adapter: new PrismaPg(pool) });
  const client = new PrismaClient({ adapter: new PrismaPg(pool), log: [{ emit: 'event', level: 'query' }] });
  trackQueries(client, statsFile);
  return client;
}

/** The process-wide client (one pool per process; survives Next dev reloads). */
export function db(): PrismaClient {
  if (!globalForPrisma.whetstonePrisma) {
    // pg's own clients of the web and engine processes (the run-finished LISTEN connection, …)
    // take their name from PGAPPNAME. Not set in scripts and tests: processes they launch inherit it.
    if (processRole() === 'web' || processRole() === 'engine') process.env.PGAPPNAME ??= applicationName('pg');
    globalForPrisma.whetstonePrisma = createPrisma(env().DATABASE_URL);
  }
  return globalForPrisma.whetstonePrisma;
}

export type { PrismaClient };
export * from '@/server/generated/prisma/client';
