import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, vi } from 'vitest';
import { env } from '@/server/env';
import { deleteAclUsers } from '@/server/queue/redis-acl';
import { closeQueueKit } from '@/server/queue/project-queues';

/**
 * Test helper: this file's queues live under a prefix of their own (env WHETSTONE_QUEUE_PREFIX),
 * and after its tests their Redis keys and the workers' ACL users are deleted. On the Postgres
 * backend the queue schemas go with the scratch database.
 */
export function usePrivateQueuePrefix(name: string): string {
  const prefix = `${name}_${randomBytes(3).toString('hex')}`;
  vi.stubEnv('WHETSTONE_QUEUE_PREFIX', prefix);
  afterAll(async () => {
    await closeQueueKit();
    if (env().WHETSTONE_TRANSPORT !== 'redis') return;
    const redis = new Redis(env().REDIS_URL);
    try {
      const keys = await redis.keys(`${prefix}:*`);
      for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
      await deleteAclUsers(redis, prefix);
    } finally {
      redis.disconnect();
    }
  });
  return prefix;
}
