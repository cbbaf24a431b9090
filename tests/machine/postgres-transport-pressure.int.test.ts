import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createQueueKit, type QueueKit } from '@whetstone/sdk/transport';
import { eventually } from '../helpers/runs';
import { startRefusingProxy, type RefusingProxy } from '../helpers/pg-refusing-proxy';
import { startTestStack, type TestStack } from '../helpers/stack';
import { useStackWorkers } from '../helpers/workers';

// The Postgres transport when the database refuses connections ("sorry, too many clients
// already", what `npm run bench:scale` hit with 2 engines + 2 workers) or drops them (a restart):
// consumers must resume by themselves once connections are accepted again, and a task whose
// completion could not be written meanwhile must not run a second time.
//
// Only the consumer under test goes through a proxy that refuses its connections (FATAL 53300,
// as Postgres says it), so the web process, the engine and other tests on the same server are
// untouched. It is about the Postgres transport, so its stack uses that transport whichever one
// the int stage tests (it runs in both).
const REFUSAL_MS = 6_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** `promise`, or a failure naming `what` after `ms` (a run's result() would wait for ever). */
async function within<T>(ms: number, what: () => Promise<string>, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => void what().then((w) => reject(new Error(`not done within ${ms / 1000} s: ${w}`)), reject), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

let stack: TestStack;
let proxy: RefusingProxy;
const workers = useStackWorkers(() => stack);

describe('Postgres transport under connection pressure', () => {
  beforeAll(async () => {
    vi.stubEnv('WHETSTONE_TEST_TRANSPORT', 'postgres');
    stack = await startTestStack();
    const db = new URL(stack.env.DATABASE_URL!);
    proxy = await startRefusingProxy({ host: db.hostname, port: Number(db.port || 5432) });
  });
  afterEach(() => {
    proxy?.accept();
    vi.restoreAllMocks();
  });
  afterAll(async () => {
    await workers.stopAll();
    await proxy?.close();
    await stack?.stop();
    vi.unstubAllEnvs();
  });

  /** SDK workers started after this reach the queues through the proxy (their registration's connection is rewritten). */
  function workersThroughProxy(): void {
    const realFetch = globalThis.fetch;
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
      const response = await realFetch(input, init);
      if (!(init?.method === 'POST' && String(input).endsWith('/api/v1/workers') && response.ok)) return response;
      const body = (await response.json()) as { transport: { kind: string; connectionString?: string } };
      if (body.transport.kind === 'postgres') body.transport.connectionString = proxy.url(body.transport.connectionString!);
      return new Response(JSON.stringify(body), { status: response.status, headers: response.headers });
    });
  }

  it('an SDK worker whose connections were cut and refused for a few seconds resumes consuming, and runs each task once', async () => {
    const executions = new Map<string, number>();
    const count = (id: string) => executions.set(id, (executions.get(id) ?? 0) + 1);
    const quick = stack.ws.task<{ i: number }, { i: number }>({
      name: 'pressure-quick',
      fn: (input, ctx) => (count(ctx.taskRunId), { i: input.i }),
    });
    const slow = stack.ws.task<{ i: number }, { i: number }>({
      name: 'pressure-slow',
      fn: async (input, ctx) => {
        count(ctx.taskRunId);
        await sleep(1_500); // still running when the connections are cut: its reports and completion wait
        return { i: input.i };
      },
    });
    workersThroughProxy();
    await workers.start('pressured', [quick, slow]);
    expect(proxy.open()).toBeGreaterThan(0);

    const before = await Promise.all([0, 1, 2].map((i) => quick.run({ i })));
    expect(before.map((o) => o.i)).toEqual([0, 1, 2]);

    const slowRefs = await Promise.all([0, 1, 2, 3].map((i) => slow.runNoWait({ i })));
    await eventually(async () => expect(executions.size).toBe(3 + 4), 15_000);
    proxy.refuse({ dropOpen: true });
    // The web process and the engine are fine: these are queued while the worker cannot fetch.
    const duringRefs = await Promise.all(Array.from({ length: 10 }, (_, i) => quick.runNoWait({ i: 100 + i })));
    await sleep(REFUSAL_MS);
    expect(proxy.refused()).toBeGreaterThan(0);
    proxy.accept();

    const refs = [...slowRefs, ...duringRefs];
    const pending = async () => {
      const runs = await stack.prisma.workflowRun.findMany({
        where: { id: { in: refs.map((r) => r.runId) } },
        include: { taskRuns: true },
      });
      const open = runs.filter((r) => r.status !== 'SUCCEEDED');
      return `${open.length} of ${runs.length} runs not finished (task statuses ${JSON.stringify(open.map((r) => r.taskRuns.map((t) => `${t.taskName}:${t.status}`).join()))}); executions ${JSON.stringify([...executions.values()])}; proxied connections ${proxy.open()}`;
    };
    const outputs = await within(45_000, pending, Promise.all(refs.map((r) => r.result())));
    expect(outputs.map((o) => o.i)).toEqual([0, 1, 2, 3, ...Array.from({ length: 10 }, (_, i) => 100 + i)]);
    // And it keeps consuming.
    const after = await within(
      20_000,
      async () => 'runs triggered after the refusal',
      Promise.all([200, 201, 202].map((i) => quick.run({ i }))),
    );
    expect(after.map((o) => o.i)).toEqual([200, 201, 202]);

    expect([...executions.values()].filter((n) => n !== 1)).toEqual([]);
    expect(executions.size).toBe(3 + 4 + 10 + 3);
    const attempts = await stack.prisma.taskRunAttempt.findMany({ where: { taskRunId: { in: [...executions.keys()] } } });
    expect(attempts.filter((a) => a.attempt !== 1 || a.status !== 'SUCCEEDED')).toEqual([]);
  }, 120_000);

  describe('a queue kit (what the engine runs per project)', () => {
    let schema: string;
    const kits: QueueKit[] = [];
    beforeAll(() => {
      schema = `wstest_pressure_${randomBytes(4).toString('hex')}`;
    });
    afterEach(async () => {
      proxy.accept();
      await within(15_000, async () => 'closing the queue kits', Promise.all(kits.splice(0).map((k) => k.close())));
    });
    const kit = (through: 'proxy' | 'direct') => {
      const connectionString = through === 'proxy' ? proxy.url(stack.env.DATABASE_URL!) : stack.env.DATABASE_URL!;
      const k = createQueueKit(
        { kind: 'postgres', connectionString, schema },
        { applicationName: `wstest-pressure:${through}`, log: () => undefined },
      );
      kits.push(k);
      return k;
    };

    it('a worker created while Postgres refuses connections starts consuming once they are accepted', async () => {
      const producer = kit('direct').queue<{ n: number }>('created-while-refused');
      await producer.waitUntilReady();
      proxy.refuse({ dropOpen: true });
      const seen: number[] = [];
      // BullMQ's own backend memoized the failed first connection: this worker never consumed.
      const worker = kit('proxy').worker<{ n: number }>('created-while-refused', async (job) => void seen.push(job.data.n));
      worker.on('error', () => undefined);
      await producer.addBulk([1, 2, 3].map((n) => ({ name: 'n', data: { n } })));
      await sleep(3_000);
      expect(seen).toEqual([]);
      expect(proxy.refused()).toBeGreaterThan(0);
      proxy.accept();
      await eventually(async () => expect([...seen].sort()).toEqual([1, 2, 3]), 20_000);
    }, 60_000);

    it('a consumer cut off mid-job finishes that job once and goes on with the jobs queued meanwhile', async () => {
      const producer = kit('direct').queue<{ n: number }>('cut-mid-job');
      await producer.waitUntilReady();
      const runs = new Map<number, number>();
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const worker = kit('proxy').worker<{ n: number }>(
        'cut-mid-job',
        async (job) => {
          runs.set(job.data.n, (runs.get(job.data.n) ?? 0) + 1);
          if (job.data.n === 0) await gate;
        },
        { concurrency: 4, lockDuration: 30_000 },
      );
      worker.on('error', () => undefined);
      await worker.waitUntilReady();
      await producer.add('n', { n: 0 });
      await eventually(async () => expect(runs.get(0)).toBe(1), 10_000);
      proxy.refuse({ dropOpen: true });
      await producer.addBulk([1, 2, 3, 4, 5].map((n) => ({ name: 'n', data: { n } })));
      release(); // job 0 finishes while its completion cannot be written
      await sleep(REFUSAL_MS);
      proxy.accept();
      await eventually(async () => expect((await producer.getJobCounts('completed')).completed).toBe(6), 30_000);
      expect([...runs.entries()].sort(([a], [b]) => a - b)).toEqual([0, 1, 2, 3, 4, 5].map((n) => [n, 1]));
      expect((await producer.getJobCounts('active', 'wait', 'failed')).failed).toBe(0);
    }, 60_000);
  });
});
