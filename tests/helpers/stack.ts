import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { Redis } from 'ioredis';
import { Whetstone } from '@whetstone/sdk';
import { createApiKey } from '../../src/server/auth/api-keys';
import { deleteAclUsers } from '../../src/server/queue/redis-acl';
import { ensureDefaultProject } from '../../src/server/bootstrap/project';
import { createPrisma, type PrismaClient } from '../../src/server/db/client';
import { createScratchDatabase } from '../../src/server/services/postgres';
import { launchStack, type Stack } from '../../scripts/stack/launch';
import { findFreePort } from '../../scripts/stack/ports';
import { testTransport } from './test-transport';

export interface TestStack extends Stack {
  prisma: PrismaClient;
  apiKey: string;
  projectId: string;
  ws: Whetstone;
}

const root = resolve(import.meta.dirname, '../..');

/**
 * The real product (next start + engine) on a fresh database and a fresh queue
 * prefix, so test files never see each other's runs or jobs.
 */
export async function startTestStack(opts: { demoWorker?: boolean; env?: Record<string, string> } = {}): Promise<TestStack> {
  const database = await createScratchDatabase('wstest');
  const prisma = createPrisma(database.url);
  const project = await ensureDefaultProject(prisma);
  const { key } = await createApiKey(prisma, project.id, 'integration test');
  const transport = testTransport();
  const queuePrefix = `wstest_${randomBytes(4).toString('hex')}`;
  const stack = await launchStack({
    root,
    databaseUrl: database.url,
    transport,
    queuePrefix,
    apiKey: key,
    port: await findFreePort(3300 + Math.floor(Math.random() * 600)),
    demoWorker: opts.demoWorker,
    env: opts.env,
    echo: process.env.WHETSTONE_TEST_ECHO === '1',
  }).catch(async (error: unknown) => {
    await prisma.$disconnect();
    await database.drop();
    throw error;
  });
  return {
    ...stack,
    prisma,
    apiKey: key,
    projectId: project.id,
    ws: Whetstone.init({ apiUrl: stack.url, apiKey: key }),
    async stop() {
      await stack.stop();
      await prisma.$disconnect();
      if (transport.kind === 'redis') await deleteRedisPrefix(transport.url, queuePrefix);
      await database.drop();
    },
  };
}

async function deleteRedisPrefix(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url);
  try {
    const keys = await redis.keys(`${prefix}:*`);
    for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
    await deleteAclUsers(redis, prefix);
  } finally {
    redis.disconnect();
  }
}
