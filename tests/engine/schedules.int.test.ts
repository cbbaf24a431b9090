import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WhetstoneWorker } from '@whetstone/sdk';
import { createHttpClient } from '../../packages/sdk/src/client/http';
import { ScheduleClient } from '../../packages/sdk/src/client/schedules';
import type { ScheduleJob } from '@whetstone/sdk/contract';
import type { AnyWorker } from '@whetstone/sdk/transport';
import { consumeSchedules, reconcileSchedules } from '../../src/server/engine/schedules/firing';
import { schedulesQueue } from '../../src/server/engine/schedules/queue';
import { closeQueueKit } from '../../src/server/queue/project-queues';
import { startTestStack, type TestStack } from '../helpers/stack';

// Crons and one-off schedules on the real stack. The test process also calls the engine-side
// functions (reconcileSchedules, and a second `schedules` consumer, as a second engine would),
// against the stack's database and queues.
let stack: TestStack;
let worker: WhetstoneWorker;
let schedules: ScheduleClient;
let secondEngine: AnyWorker<ScheduleJob> | undefined;
const seen: { workflow: string; input: unknown; runId: string }[] = [];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor<T>(what: string, fn: () => Promise<T | undefined | null | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

async function status(promise: Promise<unknown>): Promise<{ status: number; message: string }> {
  const err = (await promise.then(
    () => new Error('expected the request to fail'),
    (e: unknown) => e,
  )) as Error & { status?: number };
  return { status: err.status ?? -1, message: err.message };
}

const runsOf = (scheduleId: string) => stack.prisma.workflowRun.findMany({ where: { scheduleId }, orderBy: { createdAt: 'asc' } });

beforeAll(async () => {
  // The engine's own recovery pass is slowed down: this file calls reconcileSchedules itself and counts what it repaired.
  stack = await startTestStack({ env: { WHETSTONE_RECOVERY_INTERVAL_MS: '3600000' } });
  // The engine-side functions below read the server environment: the stack's.
  for (const [key, value] of Object.entries(stack.env)) {
    if (value !== undefined && (key.startsWith('WHETSTONE_') || key === 'DATABASE_URL' || key === 'REDIS_URL')) process.env[key] = value;
  }
  const ticker = stack.ws.workflow<{ n: number }>({ name: 'ticker' });
  ticker.task({ name: 'tick', fn: (input, ctx) => (seen.push({ workflow: 'ticker', input, runId: ctx.runId }), input) });
  const reminder = stack.ws.task({
    name: 'reminder',
    fn: (input: { text: string }, ctx) => (seen.push({ workflow: 'reminder', input, runId: ctx.runId }), input.text),
  });
  worker = stack.ws.worker('schedules-test', { workflows: [ticker, reminder], handleSignals: false });
  await worker.start();
  schedules = new ScheduleClient(createHttpClient(stack.url, stack.apiKey));
  secondEngine = consumeSchedules(stack.prisma, stack.projectId);
  await secondEngine!.waitUntilReady();
});

afterAll(async () => {
  await worker?.stop();
  await closeQueueKit(); // the second engine and the queues opened here
  await stack?.stop();
});

describe('crons', () => {
  it('starts a run every second, lists it with its next run time, and stops when deleted', async () => {
    const created = await schedules.cron('ticker', 'every-second', '* * * * * *', { n: 7 }, { additionalMetadata: { source: 'test' } });
    expect(created).toMatchObject({ kind: 'CRON', source: 'API', name: 'every-second', expression: '* * * * * *', workflow: 'ticker' });
    expect(created.nextRunAt!.getTime() - Date.now()).toBeLessThanOrEqual(1000);

    const runs = await waitFor('two cron runs', async () => {
      const found = await runsOf(created.id);
      return found.length >= 2 && found;
    });
    for (const run of runs) {
      expect(run.triggerSource).toBe('CRON');
      expect(run.input).toEqual({ n: 7 });
      expect(run.additionalMetadata).toEqual({ source: 'test' });
      // One run per tick: the key is the tick, a whole second.
      expect(run.idempotencyKey).toMatch(new RegExp(`^cron:${created.id}:\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.000Z$`));
    }
    expect(new Set(runs.map((r) => r.idempotencyKey)).size).toBe(runs.length);
    await waitFor('a cron run to finish on the worker', async () => seen.some((s) => runs.some((r) => r.id === s.runId)));

    const [listed] = (await schedules.listCrons('ticker')).filter((c) => c.id === created.id);
    expect(listed!.nextRunAt!.getTime()).toBeGreaterThan(Date.now() - 1000);
    expect(listed!.lastFiredAt).not.toBeNull();
    expect((await schedules.listAll({ kind: 'CRON' })).map((c) => c.id)).toContain(created.id);

    // Replacing by name keeps the id and changes what it runs.
    const replaced = await schedules.cron('ticker', 'every-second', '*/2 * * * * *', { n: 8 });
    expect(replaced.id).toBe(created.id);
    expect(replaced.expression).toBe('*/2 * * * * *');

    await schedules.deleteCron('ticker', 'every-second');
    await sleep(1500); // a tick already handed to a consumer may still start its run
    const afterGrace = (await runsOf(created.id)).length;
    await sleep(2000);
    expect((await runsOf(created.id)).length).toBe(afterGrace);
    expect(await schedulesQueue(stack.projectId).getJobScheduler(created.id)).toBeUndefined();
    expect((await schedules.listCrons('ticker')).some((c) => c.id === created.id)).toBe(false);
    expect((await status(schedules.deleteCron('ticker', 'every-second'))).status).toBe(404);
  });

  it('refuses an invalid expression with a message naming the field', async () => {
    const refused = await status(schedules.cron('ticker', 'bad', '61 * * * *'));
    expect(refused.status).toBe(400);
    expect(refused.message).toContain('Invalid cron expression "61 * * * *": the minute field "61" is invalid');
    expect((await status(schedules.cron('ticker', 'bad', 'every day'))).message).toContain('expected 5 fields');
    expect((await status(schedules.cron('nope', 'x', '* * * * *'))).status).toBe(404);
  });
});

describe('one-off schedules', () => {
  it('delay(1) runs once about a second later with its input', async () => {
    const before = Date.now();
    const created = await schedules.delay('reminder', 1, { text: 'hello later' });
    expect(created).toMatchObject({ kind: 'ONCE', source: 'API', name: null });
    expect(created.runAt!.getTime()).toBeGreaterThanOrEqual(before + 900);
    expect((await schedules.listSchedules('reminder')).map((s) => s.id)).toContain(created.id);

    const [run] = await waitFor('the scheduled run', async () => {
      const found = await runsOf(created.id);
      return found.length > 0 && found;
    });
    expect(run!.triggerSource).toBe('SCHEDULE');
    expect(run!.input).toEqual({ text: 'hello later' });
    expect(run!.createdAt.getTime()).toBeGreaterThanOrEqual(created.runAt!.getTime() - 50);
    await waitFor('the reminder task', async () => seen.some((s) => s.runId === run!.id && s.workflow === 'reminder'));
    await sleep(500);
    expect(await runsOf(created.id)).toHaveLength(1);
    const [listed] = (await schedules.listSchedules('reminder')).filter((s) => s.id === created.id);
    expect(listed!.firedAt).not.toBeNull();
    expect(listed!.nextRunAt).toBeNull();
  });

  it('refuses a past date, a delay not over 0, and an unknown workflow', async () => {
    const past = await status(schedules.schedule('reminder', new Date(Date.now() - 60_000), { text: 'x' }));
    expect(past.status).toBe(400);
    expect(past.message).toContain('is in the past');
    expect((await status(schedules.delay('reminder', 0))).message).toContain('delaySeconds must be a number greater than 0 (got 0)');
    expect((await status(schedules.delay('reminder', -3))).status).toBe(400);
    expect((await status(schedules.delay('missing-workflow', 5))).status).toBe(404);
  });

  it('deletes a pending one-off, which then never runs', async () => {
    const created = await schedules.delay('reminder', 1, { text: 'never' });
    await schedules.deleteSchedule(created.id);
    await sleep(1800);
    expect(await runsOf(created.id)).toHaveLength(0);
    expect((await status(schedules.deleteSchedule(created.id))).status).toBe(404);
  });
});

describe('declared crons (on: { cron })', () => {
  /** Starts (and stops) a worker whose 'declared' workflow declares these crons: each call registers a new version. */
  async function register(cron: string[], description: string) {
    const wf = stack.ws.workflow({ name: 'declared', description, on: { cron } });
    wf.task({ name: 't', fn: () => 'ok' });
    const w = stack.ws.worker(`declared-${description}`, { workflows: [wf], handleSignals: false });
    await w.start();
    await w.stop(); // registration alone synced the declared crons
  }

  it('appears when a version declares it and goes when a later version does not', async () => {
    await register(['0 0 1 1 *', '30 4 * * MON'], 'v1');
    const crons = await schedules.listCrons('declared');
    expect(crons.map((c) => [c.source, c.name, c.expression]).sort()).toEqual([
      ['DEFINITION', '0 0 1 1 *', '0 0 1 1 *'],
      ['DEFINITION', '30 4 * * MON', '30 4 * * MON'],
    ]);
    expect(crons[0]!.input).toEqual({});
    const queue = schedulesQueue(stack.projectId);
    for (const cron of crons) expect((await queue.getJobScheduler(cron.id))?.pattern).toBe(cron.expression);

    const refused = await status(schedules.deleteCron('declared', '0 0 1 1 *'));
    expect(refused.status).toBe(400);
    expect(refused.message).toContain('declared in the workflow');

    await register(['30 4 * * MON'], 'v2');
    const after = await schedules.listCrons('declared');
    expect(after.map((c) => c.expression)).toEqual(['30 4 * * MON']);
    expect(after[0]!.id).toBe(crons.find((c) => c.expression === '30 4 * * MON')!.id);
    const removed = crons.find((c) => c.expression === '0 0 1 1 *')!;
    expect(await queue.getJobScheduler(removed.id)).toBeUndefined();

    await register([], 'v3');
    expect(await schedules.listCrons('declared')).toEqual([]);
  });
});

describe('recovery from the queue losing schedules', () => {
  it('re-creates lost job schedulers and delayed jobs, and fires an overdue one-off exactly once', async () => {
    const queue = schedulesQueue(stack.projectId);
    expect(await reconcileSchedules(stack.prisma, stack.projectId)).toEqual({ crons: 0, delayed: 0, fired: 0, orphans: 0 });

    const cron = await schedules.cron('ticker', 'hourly', '0 * * * *', { n: 1 });
    const later = await schedules.delay('reminder', 3600, { text: 'in an hour' });
    const soon = await schedules.delay('reminder', 1, { text: 'lost and found' });
    // The queue loses them behind the server's back (a flushed Redis, a truncated schema).
    expect(await queue.removeJobScheduler(cron.id)).toBe(true);
    await (await queue.getJob(later.id))!.remove();
    await (await queue.getJob(soon.id))!.remove();
    // And keeps a scheduler whose schedule no longer exists.
    await queue.upsertJobScheduler(
      '0190a1b2-0000-7000-8000-00000000dead',
      { pattern: '0 0 1 1 *', tz: 'UTC' },
      { name: 'cron', data: { scheduleId: '0190a1b2-0000-7000-8000-00000000dead' } },
    );
    await sleep(1300); // `soon` is now overdue, and nothing will fire it

    const reports = await Promise.all([
      reconcileSchedules(stack.prisma, stack.projectId),
      reconcileSchedules(stack.prisma, stack.projectId),
    ]);
    expect(reports[0]!.crons + reports[1]!.crons).toBeGreaterThanOrEqual(1);
    expect(await queue.getJobScheduler(cron.id)).toMatchObject({ pattern: '0 * * * *', tz: 'UTC' });
    expect(await queue.getJobState(later.id)).toBe('delayed');
    expect(await queue.getJobScheduler('0190a1b2-0000-7000-8000-00000000dead')).toBeUndefined();

    const runs = await runsOf(soon.id);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ triggerSource: 'SCHEDULE', input: { text: 'lost and found' }, idempotencyKey: `once:${soon.id}` });
    await waitFor('the recovered reminder', async () => seen.some((s) => s.runId === runs[0]!.id));
    expect((await stack.prisma.schedule.findUniqueOrThrow({ where: { id: soon.id } })).firedAt).not.toBeNull();

    // Nothing left to repair, and the overdue one-off does not fire again.
    expect(await reconcileSchedules(stack.prisma, stack.projectId)).toEqual({ crons: 0, delayed: 0, fired: 0, orphans: 0 });
    expect(await runsOf(soon.id)).toHaveLength(1);

    await schedules.deleteCron('ticker', 'hourly');
    await schedules.deleteSchedule(later.id);
    expect(await queue.getJobScheduler(cron.id)).toBeUndefined();
    expect(await queue.getJobState(later.id)).toBe('unknown');
  });
});
