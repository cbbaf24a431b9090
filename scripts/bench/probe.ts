// Diagnostics behind the figures of `npm run bench`: where a run's time goes and what limits
// throughput. Not part of `npm run bench` (it takes longer and prints more); run it with
//
//   npx tsx scripts/bench/probe.ts            # BENCH_TRANSPORTS=redis|postgres (default redis), BENCH_RUNS=N
//
// Experiments, all on one real stack (startTestStack) with an SDK worker in this process:
//   A. HTTP floor: sequential GET /api/health, GET /api/v1/runs/:id (no wait), POST a run.
//   B. Result delivery: the same runs awaited with the SDK long-poll, with a tight client poll of
//      GET /api/v1/runs/:id (every 2 ms), and by polling the database directly (every 2 ms).
//   C. Throughput variants: N triggers all at once + SDK result() (what `npm run bench` does);
//      N triggers all at once + waiting on the database (no long-polls); N triggers with at most
//      16 in flight + waiting on the database. CPU seconds per process for each.
//   D. Database transactions per run (pg_stat_database.xact_commit), SDK run() vs DB wait.
//   E. Result lag vs run duration: tasks that sleep 10…900 ms, awaited with the SDK long-poll.
//   F. In-process cost (no HTTP) of createRun and of the engine's event handlers, with the
//      number of SQL statements Prisma sends for each.
//   G. One queue hop (add() → processor called) on the transport, in this process.
import { resolve } from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import type { Whetstone } from '@whetstone/sdk';
import { ensureNextBuild } from '../stack/next-build';
import { startTestStack } from '../../tests/helpers/stack';
import { cpuGroups, defineWorkloads, stages, withTimeout, type ClientRun } from './lib/measure';
import { busyCores, cpuMeter } from './lib/proc';
import { round, summarize, table } from './lib/stats';

const transport = (process.env.BENCH_TRANSPORTS ?? 'redis').split(',')[0]!.trim();
process.env.WHETSTONE_TEST_TRANSPORT = transport;
const N = Number(process.env.BENCH_RUNS ?? (transport === 'redis' ? 500 : 300));
const log = (line: string) => console.log(`[probe] ${line}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

ensureNextBuild(resolve(import.meta.dirname, '../..'), log);
log(`background load before start: ${await busyCores()} cores busy`);
const stack = await startTestStack();
// Ctrl-C: the stack's processes run in their own process groups, so stop them before exiting.
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    log('interrupted: stopping the stack…');
    void stack.stop().finally(() => process.exit(130));
  });
}
const w = defineWorkloads(stack);
const pgAdmin = new pg.Client({ connectionString: stack.env.DATABASE_URL });
let stopExtra: () => Promise<void> = async () => undefined;

async function registerIdle(ws: Whetstone) {
  const idle = ws.task({ name: 'bench-idle', fn: (input: { i: number }) => input.i });
  const registrar = ws.worker('bench-idle-registrar', { workflows: [idle], handleSignals: false });
  await registrar.start();
  await registrar.stop();
  return idle;
}
try {
  await w.worker.start();
  await pgAdmin.connect();
  // bench-idle: registered, but nobody consumes its queue, so a POST measures the trigger alone.
  const idle = await registerIdle(stack.ws);
  const sleepy = stack.ws.task({ name: 'bench-sleep', fn: async (input: { ms: number }) => (await sleep(input.ms), input.ms) });
  const sleepWorker = stack.ws.worker('bench-sleep-worker', { workflows: [sleepy], handleSignals: false });
  await sleepWorker.start();
  stopExtra = () => sleepWorker.stop();
  const auth = { authorization: `Bearer ${stack.apiKey}` };
  const timeIt = async (n: number, fn: () => Promise<unknown>) => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      await fn();
      out.push(performance.now() - t);
    }
    return summarize(out);
  };
  for (let i = 0; i < 5; i++) await w.one.run({ i });

  // ---- A. HTTP floor ----
  const someRun = (await stack.prisma.workflowRun.findFirstOrThrow({ where: { status: 'SUCCEEDED' } })).id;
  const a = {
    'GET /api/health': await timeIt(100, () => fetch(`${stack.url}/api/health`).then((r) => r.text())),
    'GET /api/v1/runs/:id (no wait)': await timeIt(100, () =>
      fetch(`${stack.url}/api/v1/runs/${someRun}`, { headers: auth }).then((r) => r.text()),
    ),
    'POST …/bench-one/runs (worker runs it)': await timeIt(100, () => w.one.runNoWait({ i: 0 })),
    'POST …/bench-idle/runs (nobody runs it)': await timeIt(100, () => idle.runNoWait({ i: 0 })),
    'prisma findUnique from the bench': await timeIt(100, () => stack.prisma.workflowRun.findUnique({ where: { id: someRun } })),
  };
  await sleep(1000); // let the 100 triggered runs finish
  console.log(`\n=== A. HTTP floor (${transport}, sequential, ms) ===`);
  console.log(
    table(
      ['request', 'n', 'p50', 'p95', 'mean'],
      Object.entries(a).map(([k, s]) => [k, s.n, s.p50, s.p95, s.mean]),
    ),
  );

  // ---- B. result delivery ----
  const dbWait = async (runId: string, every: number) => {
    for (;;) {
      const r = await stack.prisma.workflowRun.findUnique({ where: { id: runId }, select: { status: true } });
      if (r && ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(r.status)) return;
      await sleep(every);
    }
  };
  const httpWait = async (runId: string) => {
    for (;;) {
      const r = (await (await fetch(`${stack.url}/api/v1/runs/${runId}`, { headers: auth })).json()) as { status: string };
      if (['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(r.status)) return;
      await sleep(2);
    }
  };
  const modes: Record<string, (runId: string) => Promise<unknown>> = {
    'SDK result() long-poll': (id) => stack.ws.waitForRun(id),
    'client polls GET every 2 ms': httpWait,
    'bench polls the DB every 2 ms': (id) => dbWait(id, 2),
  };
  const bRows: (string | number)[][] = [];
  for (const [wfName, wf] of [
    ['1-task', w.one],
    ['chain', w.chain],
  ] as const) {
    for (const [mode, wait] of Object.entries(modes)) {
      const runs: ClientRun[] = [];
      for (let i = 0; i < 40; i++) {
        const startedAt = Date.now();
        const ref = await wf.runNoWait({ i });
        const triggeredAt = Date.now();
        await wait(ref.runId);
        runs.push({ runId: ref.runId, startedAt, triggeredAt, resolvedAt: Date.now() });
      }
      const e2e = summarize(runs.map((r) => r.resolvedAt - r.startedAt));
      const st = await stages(stack, runs);
      bRows.push([`${wfName}: ${mode}`, e2e.p50, e2e.p95, st['run created→finished']!.p50, st['run finished→client has result']!.p50]);
    }
  }
  console.log(`\n=== B. result delivery (${transport}, 40 sequential runs each, ms) ===`);
  console.log(table(['how the client waits', 'e2e p50', 'e2e p95', 'created→finished p50', 'finished→client p50'], bRows));

  // ---- C. throughput variants ----
  const waitDbAll = async (ids: string[]) => {
    for (;;) {
      const done = await stack.prisma.workflowRun.count({ where: { id: { in: ids }, status: 'SUCCEEDED' } });
      if (done === ids.length) return;
      await sleep(50);
    }
  };
  const triggerAll = async (n: number, limit: number) => {
    const out: { runId: string; startedAt: number; triggeredAt: number }[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(limit, n) }, async () => {
        while (next < n) {
          const i = next++;
          const startedAt = Date.now();
          const ref = await w.one.runNoWait({ i });
          out.push({ runId: ref.runId, startedAt, triggeredAt: Date.now() });
        }
      }),
    );
    return out;
  };
  const variants: Record<string, () => Promise<ClientRun[]>> = {
    [`${N} at once + SDK result()`]: async () => {
      const t = await triggerAll(N, N);
      const out: ClientRun[] = [];
      await Promise.all(t.map(async (r) => (await stack.ws.waitForRun(r.runId), out.push({ ...r, resolvedAt: Date.now() }))));
      return out;
    },
    [`${N} at once + DB wait`]: async () => {
      const t = await triggerAll(N, N);
      await waitDbAll(t.map((r) => r.runId));
      return t.map((r) => ({ ...r, resolvedAt: Date.now() }));
    },
    [`${N}, 16 in flight + DB wait`]: async () => {
      const t = await triggerAll(N, 16);
      await waitDbAll(t.map((r) => r.runId));
      return t.map((r) => ({ ...r, resolvedAt: Date.now() }));
    },
  };
  const cRows: (string | number)[][] = [];
  const cpuRows: (string | number)[][] = [];
  let cpuHeader: string[] = [];
  for (const [name, fn] of Object.entries(variants)) {
    await sleep(500);
    const meter = cpuMeter(cpuGroups(stack));
    const t0 = Date.now();
    const runs = await withTimeout(name, fn(), 120_000);
    const wall = Date.now() - t0;
    const cpu = meter.stop();
    const st = await stages(stack, runs);
    const triggerWall = Math.max(...runs.map((r) => r.triggeredAt)) - t0;
    cRows.push([
      name,
      round((N / wall) * 1000),
      wall,
      triggerWall,
      st['trigger HTTP (client)']!.mean,
      st['run created→1st task queued']!.mean,
      st['task queued→started']!.mean,
      st['last task finished→run finished']!.mean,
      st['run created→finished']!.mean,
    ]);
    cpuHeader = Object.keys(cpu);
    cpuRows.push([name, ...Object.values(cpu), round(Object.values(cpu).reduce((s, v) => s + v, 0))]);
  }
  console.log(`\n=== C. throughput variants (${transport}, 1-task, means in ms) ===`);
  console.log(
    table(
      [
        'variant',
        'runs/s',
        'wall',
        'trigger wall',
        'trigger HTTP',
        'created→queued',
        'queued→started',
        'task fin→run fin',
        'created→finished',
      ],
      cRows,
    ),
  );
  console.log(table(['CPU seconds', ...cpuHeader, 'total'], cpuRows));

  // ---- E. result lag vs run duration ----
  const eRows: (string | number)[][] = [];
  for (const ms of [10, 40, 90, 150, 300, 600, 900]) {
    const runs: ClientRun[] = [];
    for (let i = 0; i < 6; i++) {
      const startedAt = Date.now();
      const ref = await sleepy.runNoWait({ ms: ms + i * 7 });
      const triggeredAt = Date.now();
      await ref.result();
      runs.push({ runId: ref.runId, startedAt, triggeredAt, resolvedAt: Date.now() });
    }
    const st = await stages(stack, runs);
    const e2e = summarize(runs.map((r) => r.resolvedAt - r.startedAt));
    eRows.push([
      `sleep ${ms}…${ms + 35} ms`,
      st['run created→finished']!.mean,
      st['run finished→client has result']!.mean,
      st['run finished→client has result']!.max,
      e2e.mean,
    ]);
  }
  console.log(`\n=== E. SDK result() lag vs run duration (${transport}, 6 runs each, ms) ===`);
  console.log(table(['task', 'created→finished', 'finished→client mean', 'max', 'e2e mean'], eRows));

  // ---- F. in-process cost of the web's createRun and the engine's handlers ----
  for (const k of ['DATABASE_URL', 'WHETSTONE_TRANSPORT', 'REDIS_URL', 'WHETSTONE_QUEUE_PREFIX']) {
    if (stack.env[k]) process.env[k] = stack.env[k];
  }
  const { PrismaClient } = await import('../../src/server/generated/prisma/client');
  const { createRun, getRunSummary } = await import('../../src/server/engine/triggers/create-run');
  const { applyWorkerReport } = await import('../../src/server/engine/reports');
  const { authenticateApiKey } = await import('../../src/server/auth/api-keys');
  const { closeQueueKit } = await import('../../src/server/queue/project-queues');
  let statements = 0;
  const logged = new PrismaClient({
    adapter: new PrismaPg({ connectionString: stack.env.DATABASE_URL! }),
    log: [{ emit: 'event', level: 'query' }],
  });
  logged.$on('query', () => statements++);
  const fRows: (string | number)[][] = [];
  const measure = async (name: string, n: number, fn: (i: number) => Promise<unknown>) => {
    const t: number[] = [];
    const q: number[] = [];
    for (let i = 0; i < n; i++) {
      const s0 = statements;
      const t0 = performance.now();
      await fn(i);
      t.push(performance.now() - t0);
      q.push(statements - s0);
    }
    const s = summarize(t);
    fRows.push([name, s.p50, s.p95, round(q.reduce((a, b) => a + b, 0) / n)]);
  };
  try {
    for (let i = 0; i < 5; i++) await createRun(logged, stack.projectId, 'bench-idle', { input: { i } });
    const created: string[] = [];
    await measure('web: createRun (1 task)', 40, async (i) =>
      created.push(await createRun(logged, stack.projectId, 'bench-idle', { input: { i } })),
    );
    await measure('web: authenticateApiKey', 40, () => authenticateApiKey(logged, `Bearer ${stack.apiKey}`));
    await measure('web: getRunSummary (one long-poll tick)', 40, () => getRunSummary(logged, stack.projectId, created[0]!));
    const tasks = await logged.taskRun.findMany({ where: { workflowRunId: { in: created } }, select: { id: true } });
    const event = (type: 'task.started' | 'task.succeeded', id: string) =>
      ({
        type,
        taskRunId: id,
        attempt: 1,
        workerId: w.worker.id!,
        at: new Date().toISOString(),
        ...(type === 'task.succeeded' ? { output: 1 } : {}),
      }) as Parameters<typeof applyWorkerReport>[1];
    await measure('engine: task.started', tasks.length, (i) =>
      applyWorkerReport(logged, event('task.started', tasks[i]!.id), { projectId: stack.projectId }),
    );
    await measure('engine: task.succeeded (+ finish run)', tasks.length, (i) =>
      applyWorkerReport(logged, event('task.succeeded', tasks[i]!.id), { projectId: stack.projectId }),
    );
    await measure('prisma: one findUnique by id', 40, () => logged.workflowRun.findUnique({ where: { id: created[0]! } }));
  } finally {
    await closeQueueKit();
    await logged.$disconnect();
  }
  console.log(`\n=== F. in-process cost, no HTTP (${transport}, idle workflow, ms) ===`);
  console.log(table(['step', 'p50', 'p95', 'SQL statements'], fRows));

  // ---- G. one queue hop: add() → processor starts, on this transport ----
  {
    const { createQueueKit } = await import('@whetstone/sdk/transport');
    const { projectConnection } = await import('../../src/server/queue/project-queues');
    const kit = createQueueKit(projectConnection(stack.projectId));
    const hops: number[] = [];
    let resolveHop: (() => void) | undefined;
    let sentAt = 0;
    const worker = kit.worker('bench-hop', async () => {
      hops.push(performance.now() - sentAt);
      resolveHop?.();
    });
    await worker.waitUntilReady();
    const queue = kit.queue('bench-hop');
    for (let i = 0; i < 60; i++) {
      const done = new Promise<void>((r) => (resolveHop = r));
      sentAt = performance.now();
      await queue.add('hop', { i }, { removeOnComplete: true });
      await done;
      await sleep(5);
    }
    await kit.close();
    const s = summarize(hops.slice(10));
    console.log(`\n=== G. one queue hop, add() → processor called (${transport}, 50 sequential jobs, ms) ===`);
    console.log(table(['hop', 'p50', 'p95', 'max'], [['SDK queue kit, same process', s.p50, s.p95, s.max]]));
  }

  // ---- D. database transactions per run ----
  // PostgreSQL 15 publishes a backend's counters when it goes idle, at most once a second
  // (PGSTAT_MIN_INTERVAL) and otherwise within 10 s: wait that out before each reading, and
  // subtract what the idle stack commits on its own (heartbeats; BullMQ's housekeeping on Postgres).
  const xacts = async () => {
    await sleep(11_000);
    const r = await pgAdmin.query('select xact_commit::int as n from pg_stat_database where datname = current_database()');
    return { n: r.rows[0].n as number, at: Date.now() };
  };
  const idle0 = await xacts();
  const idle1 = await xacts();
  const idlePerMs = (idle1.n - idle0.n - 1) / (idle1.at - idle0.at);
  const dRows: (string | number)[][] = [['idle stack, per second', round(idlePerMs * 1000)]];
  for (const mode of ['SDK run() (long-poll)', 'runNoWait + bench polls DB every 20 ms'] as const) {
    const before = await xacts();
    let ownQueries = 0;
    for (let i = 0; i < 50; i++) {
      const ref = await w.one.runNoWait({ i });
      if (mode.startsWith('SDK')) {
        await ref.result();
        continue;
      }
      for (;;) {
        ownQueries++; // the bench's own polling, subtracted below
        const r = await stack.prisma.workflowRun.findUnique({ where: { id: ref.runId }, select: { status: true } });
        if (r?.status === 'SUCCEEDED') break;
        await sleep(20);
      }
    }
    const after = await xacts();
    dRows.push([`${mode}, per run`, round((after.n - before.n - ownQueries - 1 - idlePerMs * (after.at - before.at)) / 50)]);
  }
  console.log(`\n=== D. committed transactions (pg_stat_database.xact_commit, ${transport}) ===`);
  console.log(table(['what', 'transactions'], dRows));
} finally {
  await pgAdmin.end().catch(() => undefined);
  await stopExtra().catch(() => undefined);
  await w.worker.stop().catch(() => undefined);
  await stack.stop();
}
process.exit(0);
