import { randomBytes, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createPrisma, type PrismaClient } from '@/server/db/client';
import { useScratchDatabase } from '@/server/testing/scratch-database';
import { postgresRateLimitStore } from './postgres-store';
import { rateLimitRedisKey, redisRateLimitStore } from './redis-store';
import type { RateLimitStore } from './store';
import { busiestWindow, type RateLimitClaim } from './window';

// Several processes reserve on one key at once: each store must hand out a schedule in which no
// window holds more than the limit, and no tighter one is lost (the reservations are packed).

const db = useScratchDatabase('wstest');
const prefix = `wstest_rl_${randomBytes(4).toString('hex')}`;
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const redisClients: Redis[] = [];
const extraPrisma: PrismaClient[] = [];

beforeAll(() => {
  vi.stubEnv('WHETSTONE_QUEUE_PREFIX', prefix);
  vi.stubEnv('REDIS_URL', redisUrl);
});
afterAll(async () => {
  const redis = new Redis(redisUrl);
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
  for (const client of redisClients) client.disconnect();
  await Promise.all(extraPrisma.map((p) => p.$disconnect()));
});

const claim = (over: Partial<RateLimitClaim> = {}): RateLimitClaim => ({
  key: `s:${randomUUID()}`,
  limit: 10,
  windowMs: 1000,
  units: 1,
  ...over,
});

interface StoreKind {
  name: string;
  /** Stores as several processes would hold them (own connections). */
  stores(): RateLimitStore[];
  /** Every reserved unit of a key, store clock, ascending. */
  reserved(projectId: string, key: string): Promise<number[]>;
}

const kinds: StoreKind[] = [
  {
    name: 'redis',
    stores: () =>
      Array.from({ length: 4 }, () => {
        const redis = new Redis(redisUrl);
        redisClients.push(redis);
        return redisRateLimitStore(redis);
      }),
    async reserved(projectId, key) {
      const redis = redisClients[0]!;
      const flat = await redis.zrange(rateLimitRedisKey(projectId, key), '0', '-1', 'WITHSCORES');
      return flat.filter((_, i) => i % 2 === 1).map(Number);
    },
  },
  {
    name: 'postgres',
    stores: () => {
      const second = createPrisma(db.url);
      extraPrisma.push(second);
      return [postgresRateLimitStore(db.prisma), postgresRateLimitStore(second)];
    },
    async reserved(projectId, key) {
      const rows = await db.prisma.rateLimitSlot.findMany({ where: { projectId, key }, orderBy: { at: 'asc' }, select: { at: true } });
      return rows.map((r) => r.at.getTime());
    },
  },
];

describe.each(kinds)('$name rate-limit store', (kind) => {
  let stores: RateLimitStore[];
  beforeAll(() => {
    stores = kind.stores();
  });

  it('200 concurrent reservations from several connections form a valid, packed schedule', async () => {
    const projectId = randomUUID();
    // A minute's window: nothing reserved here leaves it while the test runs.
    const c = claim({ windowMs: 60_000 });
    const before = Date.now();
    const starts = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        stores[i % stores.length]!.reserve(projectId, [c], { notBeforeMs: 0, holder: `t${i}:1`, inTurn: true }),
      ),
    );
    const reserved = await kind.reserved(projectId, c.key);
    expect(reserved).toHaveLength(200);
    expect(busiestWindow(reserved, c.windowMs)).toBe(10);
    // Packed and paced: 10 per window, 100 ms apart, so the last starts 19 windows and 900 ms
    // after the first (plus what the calls took, had they come slower than the pace).
    const took = Date.now() - before;
    expect(reserved.at(-1)! - reserved[0]!).toBeGreaterThanOrEqual(19 * c.windowMs + 900);
    expect(reserved.at(-1)! - reserved[0]!).toBeLessThan(19 * c.windowMs + 900 + took);
    expect(busiestWindow(reserved, 100)).toBe(1);
    // What callers get back is that schedule.
    expect(starts.map((s) => s.startAt.getTime()).sort((a, b) => a - b)).toEqual(reserved);
  });

  it('keeps keys and projects apart, and takes a run’s units together', async () => {
    const projectId = randomUUID();
    const other = randomUUID();
    const a = claim({ units: 3 });
    const b = claim();
    const reserve = async (project: string, claims: RateLimitClaim[]) =>
      (await stores[0]!.reserve(project, claims, { notBeforeMs: 0, holder: randomUUID(), inTurn: true })).startAt.getTime();
    // Runs of 3 units of 10/s, paced 300 ms apart: the fourth waits for the first to leave its window.
    const starts: number[] = [];
    for (let i = 0; i < 4; i++) starts.push(await reserve(projectId, [a]));
    expect(starts.map((t) => t - starts[0]!)).toEqual([0, 300, 600, 1000]);
    // Key b and the other project have their own windows and pace.
    expect((await reserve(projectId, [b])) - Date.now()).toBeLessThan(100);
    expect((await reserve(other, [a])) - Date.now()).toBeLessThan(100);
    expect(await kind.reserved(projectId, a.key)).toHaveLength(12);
  });

  it('starts a run with two limits when both have room; a retry after its backoff holds up no one', async () => {
    const projectId = randomUUID();
    const perSecond = claim({ limit: 1 });
    const perMinute = claim({ limit: 2, windowMs: 60_000 });
    const reserve = async (claims: RateLimitClaim[], notBeforeMs = 0) =>
      (await stores[0]!.reserve(projectId, claims, { notBeforeMs, holder: randomUUID(), inTurn: notBeforeMs === 0 })).startAt.getTime();
    const starts: number[] = [];
    for (let i = 0; i < 3; i++) starts.push(await reserve([perSecond, perMinute]));
    expect(starts[1]! - starts[0]!).toBe(1000); // the per-second limit
    expect(starts[2]! - starts[0]!).toBe(60_000); // the per-minute limit

    const retried = claim({ limit: 1 });
    const retry = await reserve([retried], 30_000);
    expect(retry - Date.now()).toBeGreaterThan(29_000);
    expect((await reserve([retried])) - Date.now()).toBeLessThan(100);
    expect((await reserve([retried])) - Date.now()).toBeLessThan(1100);
  });
});

describe('redis rate-limit store', () => {
  it('replaces the reservation of the same holder instead of adding to it, and expires its keys after the window', async () => {
    const redis = new Redis(redisUrl);
    redisClients.push(redis);
    const store = redisRateLimitStore(redis);
    const projectId = randomUUID();
    const c = claim({ limit: 2, units: 2 });
    const first = await store.reserve(projectId, [c], { notBeforeMs: 0, holder: 'task-1:1', inTurn: true });
    const again = await store.reserve(projectId, [c], { notBeforeMs: 0, holder: 'task-1:1', inTurn: true });
    // Only the pace (2 units × 100 ms) apart: added to the first, it would have waited a window.
    expect(again.startAt.getTime() - first.startAt.getTime()).toBe(200);
    const key = rateLimitRedisKey(projectId, c.key);
    expect(await redis.zcard(key)).toBe(2);
    for (const k of [key, rateLimitRedisKey(projectId, `pace:${c.key}`)]) {
      const ttl = await redis.pttl(k);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(1400);
    }
  });
});
