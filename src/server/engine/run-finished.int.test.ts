import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrisma, type PrismaClient } from '../db';
import { createScratchDatabase } from '../services/postgres';
import { notifyRunFinished, subscribeRunFinished } from './run-finished';

let database: Awaited<ReturnType<typeof createScratchDatabase>>;
let prisma: PrismaClient;
beforeAll(async () => {
  database = await createScratchDatabase('wstest');
  prisma = createPrisma(database.url);
});
afterAll(async () => {
  await prisma.$disconnect();
  await database.drop();
});

describe('run-finished notifications', () => {
  it('wakes the subscriber of that run only, even when sent before it waits', async () => {
    const runId = randomUUID();
    const mine = await subscribeRunFinished(database.url, runId);
    const other = await subscribeRunFinished(database.url, randomUUID());
    await notifyRunFinished(prisma, runId);
    expect(await mine.wait(10_000)).toBe(true);
    expect(await other.wait(300)).toBe(false);
    mine.close();
    other.close();
  });

  it('an aborted wait ends without an announcement', async () => {
    const sub = await subscribeRunFinished(database.url, randomUUID());
    const abort = new AbortController();
    const waiting = sub.wait(10_000, abort.signal);
    abort.abort();
    expect(await waiting).toBe(false);
    sub.close();
  });
});
