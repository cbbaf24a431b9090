// `npm run bench`: latency, throughput and memory of the real stack (next start + engine +
// an SDK worker in this process), once per transport. See docs/benchmarks.md.
//
//   BENCH_TRANSPORTS=redis,postgres   which transports, in order (default both)
//   BENCH_RUNS=N                      concurrent runs of the throughput phase (default 500 redis / 300 postgres)
//   BENCH_LATENCY_RUNS=N              sequential runs per latency phase (default 50, after 5 warm-up runs)
//   BENCH_SLOTS=N                     worker slots per task queue (default: the SDK default, 10)
//   BENCH_OUT=path                    JSON output (default scripts/bench/results/latest.json)
//   BENCH_WAIT_QUIET=S                wait up to S seconds for other processes to leave the CPUs alone
//                                     (background load skews every figure; it is recorded either way)
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, resolve } from 'node:path';
import type { WhetstoneWorker } from '@whetstone/sdk';
import { ensureNextBuild } from '../stack/next-build';
import { startTestStack, type TestStack } from '../../tests/helpers/stack';
import { cpuGroups, defineWorkloads, sequential, stages, withTimeout as withTimeoutMs, type ClientRun } from './measure';
import { busyCores, cpuMeter, treeRss } from './proc';
import { round, summarize, table, type Summary } from './stats';

type Transport = 'redis' | 'postgres';

const root = resolve(import.meta.dirname, '../..');
const intEnv = (name: string): number | undefined => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, not ${raw}`);
  return n;
};

const config = {
  transports: (process.env.BENCH_TRANSPORTS ?? 'redis,postgres').split(',').map((s) => s.trim()).filter(Boolean) as Transport[],
  warmup: 5,
  latencyRuns: intEnv('BENCH_LATENCY_RUNS') ?? 50,
  throughputRuns: { redis: intEnv('BENCH_RUNS') ?? 500, postgres: intEnv('BENCH_RUNS') ?? 300 },
  slots: intEnv('BENCH_SLOTS'),
  waitQuietSeconds: intEnv('BENCH_WAIT_QUIET') ?? 0,
  /** A phase that takes longer than this fails the bench instead of hanging it. */
  phaseTimeoutMs: 120_000,
  out: resolve(process.env.BENCH_OUT ?? resolve(root, 'scripts/bench/results/latest.json')),
};
for (const t of config.transports) {
  if (t !== 'redis' && t !== 'postgres') throw new Error(`BENCH_TRANSPORTS: unknown transport ${t}`);
}

const log = (line: string) => console.log(`[bench] ${line}`);
const withTimeout = <T>(what: string, promise: Promise<T>) => withTimeoutMs(what, promise, config.phaseTimeoutMs);
/** Set on SIGINT/SIGTERM: the handler stops the stack and exits; the main loop must not go on. */
let interrupted = false;

// ---- one transport ----------------------------------------------------------------------

interface TransportResult {
  transport: Transport;
  /** Cores other processes kept busy just before this transport's stack started. */
  backgroundBusyCores: number;
  startupMs: number;
  latency: Record<'one' | 'chain', { endToEnd: Summary; stages: Record<string, Summary> }>;
  throughput: {
    runs: number;
    triggerWallMs: number;
    totalWallMs: number;
    runsPerSecond: number;
    /** Runs per second between the first run created and the last run finished, from the database. */
    engineRunsPerSecond: number;
    endToEnd: Summary;
    stages: Record<string, Summary>;
    /** CPU seconds each process group used during the phase (2 cores = 2 s per wall second). */
    cpuSeconds: Record<string, number>;
  };
  memoryMiB: Record<string, { tree: number; largest: number; processes: number }>;
}

async function benchTransport(transport: Transport): Promise<TransportResult> {
  process.env.WHETSTONE_TEST_TRANSPORT = transport;
  const backgroundBusyCores = await quietEnough();
  log(`${transport}: starting the stack (next start + engine, scratch database)…`);
  const startT = Date.now();
  const stack = await startTestStack();
  const startupMs = Date.now() - startT;
  let worker: WhetstoneWorker | undefined;
  // Ctrl-C: the stack's processes run in their own process groups, so stop them before exiting.
  const onSignal = () => {
    if (interrupted) return log('still stopping the stack…');
    interrupted = true;
    log('interrupted: stopping the worker and the stack…');
    void Promise.allSettled([worker?.stop()])
      .then(() => stack.stop())
      .finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const w = defineWorkloads(stack, config.slots);
    worker = w.worker;
    await worker.start();
    log(`${transport}: stack up in ${(startupMs / 1000).toFixed(1)} s at ${stack.url}; worker ${worker.id}`);

    const latency = {} as TransportResult['latency'];
    for (const [key, wf] of [['one', w.one], ['chain', w.chain]] as const) {
      await withTimeout(`${key} warm-up`, sequential(wf, config.warmup));
      const runs = await withTimeout(`${key} latency`, sequential(wf, config.latencyRuns));
      latency[key] = { endToEnd: summarize(runs.map((r) => r.resolvedAt - r.startedAt)), stages: await stages(stack, runs) };
      log(`${transport}: ${key} latency p50 ${latency[key].endToEnd.p50} ms, p95 ${latency[key].endToEnd.p95} ms`);
    }

    const n = config.throughputRuns[transport];
    log(`${transport}: ${n} concurrent runNoWait() of bench-one…`);
    const client: ClientRun[] = [];
    const meter = cpuMeter(cpuGroups(stack));
    const t0 = Date.now();
    const triggered = await withTimeout(
      'throughput triggers',
      Promise.all(
        Array.from({ length: n }, async (_, i) => {
          const startedAt = Date.now();
          const ref = await w.one.runNoWait({ i });
          return { ref, startedAt, triggeredAt: Date.now() };
        }),
      ),
    );
    const triggerWallMs = Date.now() - t0;
    await withTimeout(
      'throughput results',
      Promise.all(
        triggered.map(async ({ ref, startedAt, triggeredAt }) => {
          await ref.result();
          client.push({ runId: ref.runId, startedAt, triggeredAt, resolvedAt: Date.now() });
        }),
      ),
    );
    const totalWallMs = Date.now() - t0;
    const cpuSeconds = meter.stop();
    const bounds = await stack.prisma.workflowRun.aggregate({
      where: { id: { in: client.map((c) => c.runId) } },
      _min: { createdAt: true },
      _max: { finishedAt: true },
    });
    const engineSpan = bounds._max.finishedAt!.getTime() - bounds._min.createdAt!.getTime();
    const throughput = {
      runs: n,
      triggerWallMs,
      totalWallMs,
      runsPerSecond: round((n / totalWallMs) * 1000),
      engineRunsPerSecond: round((n / engineSpan) * 1000),
      endToEnd: summarize(client.map((c) => c.resolvedAt - c.startedAt)),
      stages: await stages(stack, client),
      cpuSeconds,
    };
    log(`${transport}: ${throughput.runsPerSecond} runs/s (${n} runs in ${(totalWallMs / 1000).toFixed(1)} s)`);

    const memoryMiB: TransportResult['memoryMiB'] = {};
    for (const p of stack.processes) {
      const rss = treeRss(p.child.pid);
      memoryMiB[p.name] = { tree: rss.rssMiB, largest: rss.largestMiB, processes: rss.pids.length };
    }
    const own = Math.round(process.memoryUsage().rss / 1024 / 1024);
    memoryMiB['bench (SDK worker + client)'] = { tree: own, largest: own, processes: 1 };
    return { transport, backgroundBusyCores, startupMs, latency, throughput, memoryMiB };
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await worker?.stop().catch((err: Error) => log(`worker stop failed: ${err.message}`));
    await stack.stop().catch((err: Error) => log(`stack stop failed: ${err.message}`));
  }
}

/** Samples the background load (waiting for it to drop when BENCH_WAIT_QUIET is set) and warns when it is high. */
async function quietEnough(): Promise<number> {
  const deadline = Date.now() + config.waitQuietSeconds * 1000;
  let busy = await busyCores();
  while (busy > 0.25 && Date.now() < deadline) {
    log(`machine busy (${busy} cores used by other processes); waiting for it to calm down…`);
    busy = await busyCores(5000);
  }
  if (busy > 0.25) log(`WARNING: other processes use ${busy} of ${cpus().length} cores: the figures below are skewed by them`);
  return busy;
}

function report(r: TransportResult): string {
  const lat = table(
    ['latency (sequential)', 'n', 'p50 ms', 'p95 ms', 'max ms', 'mean ms'],
    (['one', 'chain'] as const).map((k) => {
      const s = r.latency[k].endToEnd;
      return [k === 'one' ? '1-task run()' : '3-task chain run()', s.n, s.p50, s.p95, s.max, s.mean];
    }),
  );
  const stageRows = (label: string, st: Record<string, Summary>) => Object.entries(st).map(([k, s]) => [`${label} ${k}`, s.mean, s.p50, s.p95, s.max]);
  const st = table(
    ['stage (from DB timestamps)', 'mean ms', 'p50 ms', 'p95 ms', 'max ms'],
    [...stageRows('[1-task]', r.latency.one.stages), ...stageRows('[chain]', r.latency.chain.stages), ...stageRows('[throughput]', r.throughput.stages)],
  );
  const t = r.throughput;
  const thr = table(
    ['throughput', 'runs', 'runs/s', 'engine runs/s', 'trigger wall ms', 'total wall ms', 'e2e p50 ms', 'e2e p95 ms'],
    [['1-task runNoWait() x N', t.runs, t.runsPerSecond, t.engineRunsPerSecond, t.triggerWallMs, t.totalWallMs, t.endToEnd.p50, t.endToEnd.p95]],
  );
  const cpu = table(
    ['CPU during throughput', 'cpu s', '% of wall'],
    Object.entries(t.cpuSeconds).map(([k, v]) => [k, v, round((v / (t.totalWallMs / 1000)) * 100)]),
  );
  const mem = table(
    ['memory (VmRSS, end)', 'tree MiB', 'largest MiB', 'processes'],
    Object.entries(r.memoryMiB).map(([k, m]) => [k, m.tree, m.largest, m.processes]),
  );
  return [`\n=== ${r.transport} (stack start ${(r.startupMs / 1000).toFixed(1)} s, background load ${r.backgroundBusyCores} cores) ===`, lat, '', thr, '', st, '', cpu, '', mem].join('\n');
}

// ---- main -------------------------------------------------------------------------------

const benchStarted = Date.now();
ensureNextBuild(root, log);
const results: TransportResult[] = [];
let failed = false;
for (const transport of config.transports) {
  try {
    const r = await benchTransport(transport);
    results.push(r);
    console.log(report(r));
  } catch (err) {
    if (interrupted) await new Promise(() => undefined); // the signal handler exits
    failed = true;
    console.error(`[bench] ${transport} failed: ${(err as Error).stack ?? err}`);
  }
}
const output = {
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, node: process.version },
  config: { warmup: config.warmup, latencyRuns: config.latencyRuns, throughputRuns: config.throughputRuns, slots: config.slots ?? 10 },
  totalSeconds: round((Date.now() - benchStarted) / 1000),
  results,
};
mkdirSync(dirname(config.out), { recursive: true });
writeFileSync(config.out, `${JSON.stringify(output, null, 1)}\n`);
log(`wrote ${config.out} (${output.totalSeconds} s in all)`);
process.exit(failed ? 1 : 0);
