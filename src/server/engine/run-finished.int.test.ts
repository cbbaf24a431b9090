import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { useScratchDatabase } from '@/server/testing/scratch-database';
import { notifyRunFinished, subscribeRunFinished } from './run-finished';

const db = useScratchDatabase('wstest');

afterAll(async () => {});

describe('run-finished notifications', () => {
  it('wakes the subscriber of that run only, even when sent before it waits', async () => {
    const runId = randomUUID();
    const mine = await subscribeRunFinished(db.url, runId);
    const other = await subscribeRunFinished(db.url, randomUUID());
    await notifyRunFinished(db.prisma, runId);
    expect(await mine.wait(10_000)).toBe(true);
    expect(await other.wait(300)).toBe(false);
    mine.close();
    other.close();
  });

  it('an aborted wait ends without an announcement', async () => {
    const sub = await subscribeRunFinished(db.url, randomUUID());
    const abort = new AbortController();
    const waiting = sub.wait(10_000, abort.signal);
    abort.abort();
    expect(await waiting).toBe(false);
    sub.close();
  });
});
