import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client';
import { env } from './env';

const globalForPrisma = globalThis as unknown as { whetstonePrisma?: PrismaClient };

export function createPrisma(connectionString: string): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString }) });
}

/** The process-wide client (one pool per process; survives Next dev reloads). */
export function db(): PrismaClient {
  globalForPrisma.whetstonePrisma ??= createPrisma(env().DATABASE_URL);
  return globalForPrisma.whetstonePrisma;
}

export type { PrismaClient };
export * from './generated/prisma/client';
