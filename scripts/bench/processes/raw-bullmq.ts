// The baseline of `npm run bench`: bare BullMQ on the same backend, in its own process
// (`node --import tsx scripts/bench/processes/raw-bullmq.ts`, started by runRawBaseline in raw-baseline.ts).
// Plain BullMQ Queue + Worker with BullMQ's own connection defaults — not our createQueueKit, whose
// small Postgres pools (max 2 per queue/worker) are a choice of ours and would lower the ceiling —
// a no-op processor, the SDK worker's concurrency and the engine's task-job retention. Two measurements:
//   throughput: N tiny jobs added with addBulk while a Worker processes them;
//               jobs/s = N / (last completed − first added)
//   latency:    jobs added one by one at a steady rate (open loop); add() called → processor called
// Prints one line `RAW-RESULT <json>` (RawResult) and exits. Env: BENCH_RAW_CONNECTION (a
// TransportConnection as JSON), BENCH_RAW_JOBS, BENCH_RAW_CONCURRENCY, BENCH_RAW_RATE,
// BENCH_RAW_LATENCY_MS.
import { Queue, Worker, createPostgresBackend, type Processor } from 'bullmq';
import { Redis } from 'ioredis';
import { transportConnectionSchema, type TransportConnection } from '@whetstone/sdk/contract';
import type { AnyQueue, AnyWorker } from '@whetstone/sdk/transport';
import { TASK_JOB_RETENTION } from '../../../src/server/queue/contracts';
import { openLoop, offeredRate } from '../lib/open-loop';
import { peakRssMB } from '../lib/proc';
import { RAW_RESULT_PREFIX, type RawResult } from '../lib/raw-baseline';
import { round, summarize } from '../lib/stats';

const positive = (name: string, fallback: number): number => {
  const raw = process.env[name];
  const n = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!(Number.isFinite(n) && n > 0)) throw new Error(`${name} must be a positive number, not ${raw}`);
  return n;
};

/** Queues and workers on one backend; close() closes all of them. */
interface RawKit {
  queue<T>(name: string): AnyQueue<T>;
  worker<T>(name: string, processor: Processor<T>, concurrency: number): AnyWorker<T>;
  close(): Promise<void>;
}

function rawKit(connection: TransportConnection): RawKit {
  const closers: (() => Promise<unknown>)[] = [];
  const track = <C extends { close(): Promise<unknown> }>(c: C): C => {
    closers.push(() => c.close());
    return c;
  };
  if (connection.kind === 'redis') {
    const redis = () => new Redis(connection.url, { maxRetriesPerRequest: null });
    return {
      queue: (name) => track(new Queue(name, { connection: redis(), prefix: connection.prefix })),
      worker: (name, processor, concurrency) =>
        track(new Worker(name, processor, { connection: redis(), prefix: connection.prefix, concurrency })),
      close: async () => void (await Promise.allSettled(closers.map((c) => c()))),
    };
  }
  const pg = { connectionString: connection.connectionString, schema: connection.schema, migrate: true };
  return {
    queue: (name) => track(new Queue(name, { connection: pg }, createPostgresBackend)) as AnyQueue<any>,
    worker: (name, processor, concurrency) =>
      track(new Worker(name, processor as Processor<any>, { connection: pg, concurrency }, createPostgresBackend)) as AnyWorker<any>,
    close: async () => void (await Promise.allSettled(closers.map((c) => c()))),
  };
}

async function throughput(kit: RawKit, jobs: number, concurrency: number): Promise<Pick<RawResult, 'addMs' | 'totalMs' | 'jobsPerSecond'>> {
  const name = 'bench-raw-throughput';
  const queue = kit.queue<{ i: number }>(name);
  let completed = 0;
  let lastCompletedAt = 0;
  let allDone!: () => void;
  let failed!: (err: Error) => void;
  const done = new Promise<void>((resolve, reject) => ((allDone = resolve), (failed = reject)));
  done.catch(() => undefined); // awaited below; an error before then must not count as unhandled
  const worker = kit.worker(name, async () => undefined, concurrency);
  // Any transport error (e.g. Postgres out of connections) spoils the figure: fail now, not at the deadline.
  worker.on('error', (err) => failed(err));
  queue.on('error', (err) => failed(err));
  worker.on('completed', () => {
    if (++completed === jobs) {
      lastCompletedAt = Date.now();
      allDone();
    }
  });
  await Promise.all([worker.waitUntilReady(), queue.waitUntilReady()]);
  const firstAddedAt = Date.now();
  for (let i = 0; i < jobs; i += 1000) {
    const chunk = Array.from({ length: Math.min(1000, jobs - i) }, (_, k) => ({
      name: 'tiny',
      data: { i: i + k },
      opts: TASK_JOB_RETENTION,
    }));
    await queue.addBulk(chunk);
  }
  const addMs = Date.now() - firstAddedAt;
  await withDeadline(done, 90_000, () => `raw throughput: ${completed} of ${jobs} jobs completed after 90 s`);
  await Promise.all([worker.close(), queue.close()]); // fewer connections held during the latency part
  const totalMs = lastCompletedAt - firstAddedAt;
  return { addMs, totalMs, jobsPerSecond: round((jobs / totalMs) * 1000) };
}

async function latency(kit: RawKit, ratePerSecond: number, durationMs: number, concurrency: number): Promise<RawResult['latency']> {
  const name = 'bench-raw-latency';
  const queue = kit.queue<{ sentAt: number }>(name);
  const samples: number[] = [];
  const worker = kit.worker<{ sentAt: number }>(
    name,
    async (job) => {
      samples.push(Date.now() - job.data.sentAt);
    },
    concurrency,
  );
  let error: Error | undefined;
  worker.on('error', (err) => (error ??= err));
  queue.on('error', (err) => (error ??= err));
  await Promise.all([worker.waitUntilReady(), queue.waitUntilReady()]);
  const fired = await openLoop({ ratePerSecond, durationMs, fire: () => queue.add('tiny', { sentAt: Date.now() }, TASK_JOB_RETENTION) });
  await Promise.all(fired.map((f) => f.result));
  await withDeadline(
    (async () => {
      while (samples.length < fired.length) {
        if (error) throw error;
        await new Promise((r) => setTimeout(r, 20));
      }
    })(),
    60_000,
    () => `raw latency: ${samples.length} of ${fired.length} jobs processed after 60 s`,
  );
  await Promise.all([worker.close(), queue.close()]);
  return { ratePerSecond, offeredRate: round(offeredRate(fired)), addToStartMs: summarize(samples) };
}

function withDeadline<T>(promise: Promise<T>, ms: number, message: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message())), ms)))]).finally(
    () => clearTimeout(timer),
  );
}

async function main(): Promise<void> {
  const connection = transportConnectionSchema.parse(JSON.parse(process.env.BENCH_RAW_CONNECTION ?? 'null'));
  const jobs = Math.round(positive('BENCH_RAW_JOBS', 10_000));
  const concurrency = Math.round(positive('BENCH_RAW_CONCURRENCY', 10));
  const kit = rawKit(connection);
  try {
    const t = await throughput(kit, jobs, concurrency);
    const l = await latency(kit, positive('BENCH_RAW_RATE', 100), positive('BENCH_RAW_LATENCY_MS', 3000), concurrency);
    const result: RawResult = { jobs, concurrency, ...t, latency: l, peakRssMB: peakRssMB(process.pid) };
    console.log(`${RAW_RESULT_PREFIX}${JSON.stringify(result)}`);
  } finally {
    await kit.close();
  }
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    console.error(err.stack ?? err);
    process.exit(1);
  },
);
