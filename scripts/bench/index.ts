// `npm run bench`: issue 9's suite, once per transport, on the real stack (next start + engine via
// startTestStack(), a scratch database, its own queue prefix) with one SDK worker process
// (worker-process.ts). Prints one summary table and writes the `suite` section of
// bench/results.json. See docs/benchmarks.md.
//
//   BENCH_TRANSPORTS=redis,postgres   which transports, in order (default both)
//   BENCH_RAW_JOBS=N                  raw BullMQ baseline jobs (default 20000 redis / 5000 postgres)
//   BENCH_RUNS=N                      1-task runs of the throughput phase (default 600 redis / 400 postgres)
//   BENCH_DAG_RUNS=N                  3-task runs of the DAG phase (default 250 redis / 150 postgres)
//   BENCH_INFLIGHT=N                  trigger requests in flight in the throughput phases (default 32)
//   BENCH_RATE=N                      steady trigger rate of the latency phase, runs/s (default 100)
//   BENCH_STEADY_SECONDS=N            length of the latency phase (default 10)
//   BENCH_EVENT_RATE=N                event pushes per second (default 20)
//   BENCH_EVENT_SECONDS=N             length of the event phase (default 5)
//   BENCH_SLOTS=N                     worker slots per task queue, and the raw baseline's concurrency (default 10)
//   BENCH_OUT=path                    JSON output (default bench/results.json)
//   BENCH_WAIT_QUIET=S                wait up to S seconds for other processes to leave the CPUs alone
//                                     (background load skews every figure; it is recorded either way)
//   BENCH_PROFILE=1                   also count Postgres statements per run of each process in the
//                                     1-task throughput phase (WHETSTONE_QUERY_STATS; adds a little overhead)
//   BENCH_CPU_PROF=dir                sample web's and engine's CPU (cpu-profiler-preload.mjs), profiles in dir/<transport>
//                                     (summarise them with `tsx scripts/bench/cpu-profile.ts dir/<transport>`)
import { mkdtempSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ManagedProcess } from '../stack/processes';
import { ensureNextBuild } from '../stack/next-build';
import { startTestStack } from '../../tests/helpers/stack';
import { EVENT_KEY, defineBenchWorkflows } from './lib/bench-workflows';
import { startWorkerProcess } from './lib/bench-processes';
import { renderSummary, summaryRows, type Figures, type Transport } from './lib/goals';
import { cpuGroups } from './lib/measure';
import { closedLoopThroughput, openLoopLatency, type LatencyResult, type ThroughputResult } from './lib/phases';
import { busyCores, cpuMeter, processTree, rssSampler, type PeakRss } from './lib/proc';
import { readQueryStats, statementsPerRun } from './lib/query-profile';
import { runRawBaseline, type RawResult } from './lib/raw-baseline';
import { resultsPath, writeResultsSection } from './lib/results-file';
import { intEnv } from './lib/env';
import { round } from './lib/stats';

const root = resolve(import.meta.dirname, '../..');
const perTransport = (name: string, redis: number, postgres: number) => ({
  redis: intEnv(name) ?? redis,
  postgres: intEnv(name) ?? postgres,
});

const config = {
  transports: (process.env.BENCH_TRANSPORTS ?? 'redis,postgres')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean) as Transport[],
  rawJobs: perTransport('BENCH_RAW_JOBS', 20_000, 5_000),
  runs: perTransport('BENCH_RUNS', 600, 400),
  dagRuns: perTransport('BENCH_DAG_RUNS', 250, 150),
  inflight: intEnv('BENCH_INFLIGHT') ?? 32,
  rate: intEnv('BENCH_RATE') ?? 100,
  steadyMs: (intEnv('BENCH_STEADY_SECONDS') ?? 10) * 1000,
  eventRate: intEnv('BENCH_EVENT_RATE') ?? 20,
  eventMs: (intEnv('BENCH_EVENT_SECONDS') ?? 5) * 1000,
  slots: intEnv('BENCH_SLOTS') ?? 10,
  rawLatencyMs: 3000,
  warmupRuns: 20,
  waitQuietSeconds: intEnv('BENCH_WAIT_QUIET') ?? 0,
  profile: process.env.BENCH_PROFILE === '1',
  cpuProfDir: process.env.BENCH_CPU_PROF ? resolve(process.env.BENCH_CPU_PROF) : undefined,
  /** A phase that takes longer than this fails the transport instead of hanging the bench. */
  phaseTimeoutMs: 180_000,
  out: resultsPath(),
  echo: process.env.WHETSTONE_TEST_ECHO === '1',
};
for (const t of config.transports) {
  if (t !== 'redis' && t !== 'postgres') throw new Error(`BENCH_TRANSPORTS: unknown transport ${t}`);
}
const rates = { steadyPerSecond: config.rate, eventPerSecond: config.eventRate };

const benchStarted = Date.now();
const log = (line: string) => console.log(`[bench +${((Date.now() - benchStarted) / 1000).toFixed(0)}s] ${line}`);
/** Set on SIGINT/SIGTERM: the handler stops the stack and exits; the main loop must not go on. */
let interrupted = false;

interface TransportResult {
  transport: Transport;
  figures: Figures;
  startupMs: number;
  raw: RawResult;
  steady: LatencyResult;
  event: LatencyResult;
  single: ThroughputResult & { cpuSeconds: Record<string, number>; statementsPerRun?: ReturnType<typeof statementsPerRun> };
  dag: ThroughputResult;
  peakRss: Record<string, PeakRss>;
}

async function benchTransport(transport: Transport): Promise<TransportResult> {
  process.env.WHETSTONE_TEST_TRANSPORT = transport;
  const backgroundBusyCores = await quietEnough();
  log(`${transport}: starting the stack (next start + engine, scratch database) and a worker process…`);
  const startT = Date.now();
  const queryStatsDir = config.profile ? mkdtempSync(join(tmpdir(), 'bench-queries-')) : undefined;
  const profileEnv: Record<string, string> = {
    ...(queryStatsDir ? { WHETSTONE_QUERY_STATS: queryStatsDir } : {}),
    ...(config.cpuProfDir
      ? {
          NODE_OPTIONS: `--import=${join(root, 'scripts/bench/processes/cpu-profiler-preload.mjs')}`,
          WHETSTONE_CPU_PROF_DIR: join(config.cpuProfDir, transport),
        }
      : {}),
  };
  const stack = await startTestStack({ env: profileEnv });
  const startupMs = Date.now() - startT;
  let worker: ManagedProcess | undefined;
  const stopAll = async () => {
    await worker?.stop().catch((err: Error) => log(`worker stop failed: ${err.message}`));
    await stack.stop().catch((err: Error) => log(`stack stop failed: ${err.message}`));
  };
  // Ctrl-C: the stack's processes run in their own process groups, so stop them before exiting.
  const onSignal = () => {
    if (interrupted) return log('still stopping the stack…');
    interrupted = true;
    log('interrupted: stopping the worker and the stack…');
    void stopAll().finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    worker = await startWorkerProcess(stack, { root, slots: config.slots, echo: config.echo });
    const workerPid = worker.child.pid!;
    const byName = (name: string) => () =>
      stack.processes.filter((p) => p.name === name && p.child.exitCode === null).flatMap((p) => processTree(p.child.pid!));
    const memory = rssSampler({ engine: byName('engine'), worker: () => processTree(workerPid), web: byName('web') });
    log(`${transport}: stack up in ${(startupMs / 1000).toFixed(1)} s at ${stack.url}`);
    const wf = defineBenchWorkflows(stack.ws);
    const timeoutMs = config.phaseTimeoutMs;

    log(
      `${transport}: raw BullMQ baseline (${config.rawJobs[transport]} jobs, concurrency ${config.slots}; then ${config.rate}/s for ${config.rawLatencyMs / 1000} s)…`,
    );
    const raw = await runRawBaseline(stack, {
      root,
      jobs: config.rawJobs[transport],
      concurrency: config.slots,
      ratePerSecond: config.rate,
      latencyMs: config.rawLatencyMs,
    });
    log(`${transport}: raw BullMQ ${raw.jobsPerSecond} jobs/s; add → start p50 ${raw.latency.addToStartMs.p50} ms`);

    log(`${transport}: warm-up…`);
    await closedLoopThroughput(stack.prisma, wf.one, { runs: config.warmupRuns, inflight: 4, timeoutMs });
    await closedLoopThroughput(stack.prisma, wf.chain, { runs: config.warmupRuns / 2, inflight: 4, timeoutMs });
    for (let i = 0; i < 5; i++) await stack.ws.events.push(EVENT_KEY, { i });

    log(`${transport}: 1-task runs at a steady ${config.rate}/s for ${config.steadyMs / 1000} s (open loop)…`);
    const steady = await openLoopLatency(stack.prisma, {
      ratePerSecond: config.rate,
      durationMs: config.steadyMs,
      timeoutMs,
      trigger: async (i) => (await wf.one.runNoWait({ i })).runId,
    });
    log(
      `${transport}: trigger → task start p50 ${steady.toTaskStartMs.p50} / p99 ${steady.toTaskStartMs.p99} ms (${steady.offeredRate} triggers/s sent)`,
    );

    log(`${transport}: events at ${config.eventRate}/s for ${config.eventMs / 1000} s…`);
    const event = await openLoopLatency(stack.prisma, {
      ratePerSecond: config.eventRate,
      durationMs: config.eventMs,
      timeoutMs,
      trigger: async (i) => onlyRun(await stack.ws.events.push(EVENT_KEY, { i })),
    });
    log(`${transport}: event → task start p50 ${event.toTaskStartMs.p50} / p99 ${event.toTaskStartMs.p99} ms`);

    log(`${transport}: ${config.runs[transport]} 1-task runs, ${config.inflight} triggers in flight…`);
    const queriesBefore = queryStatsDir ? await settledQueryStats(queryStatsDir) : undefined;
    const meter = cpuMeter(cpuGroups(stack, { 'worker process': () => processTree(workerPid) }, 'bench (client)'));
    const single = {
      ...(await closedLoopThroughput(stack.prisma, wf.one, { runs: config.runs[transport], inflight: config.inflight, timeoutMs })),
      cpuSeconds: meter.stop(),
      statementsPerRun:
        queryStatsDir && queriesBefore
          ? statementsPerRun(
              queriesBefore,
              await settledQueryStats(queryStatsDir),
              { web: byName('web')(), engine: byName('engine')() },
              config.runs[transport],
            )
          : undefined,
    };
    if (single.statementsPerRun) log(`${transport}: Postgres statements per run: ${JSON.stringify(single.statementsPerRun)}`);
    log(
      `${transport}: ${single.runsPerSecond} runs/s (triggers sent in ${(single.triggerMs / 1000).toFixed(1)} s, all stored after ${(single.wallMs / 1000).toFixed(1)} s)`,
    );

    log(`${transport}: ${config.dagRuns[transport]} 3-task DAG runs…`);
    const dag = await closedLoopThroughput(stack.prisma, wf.chain, {
      runs: config.dagRuns[transport],
      inflight: config.inflight,
      timeoutMs,
    });
    log(`${transport}: ${dag.runsPerSecond} DAG runs/s`);

    const peakRss = memory.stop();
    const figures: Figures = {
      rawJobsPerSecond: raw.jobsPerSecond,
      rawAddToStartMs: { p50: raw.latency.addToStartMs.p50, p99: raw.latency.addToStartMs.p99 },
      singleRunsPerSecond: single.runsPerSecond,
      dagRunsPerSecond: dag.runsPerSecond,
      steady: {
        offeredRate: steady.offeredRate,
        p50: steady.toTaskStartMs.p50,
        p95: steady.toTaskStartMs.p95,
        p99: steady.toTaskStartMs.p99,
      },
      event: { offeredRate: event.offeredRate, p50: event.toTaskStartMs.p50, p99: event.toTaskStartMs.p99 },
      peakRssMB: { engine: peakRss.engine!.peakMB, worker: peakRss.worker!.peakMB, web: peakRss.web!.peakMB, rawBaseline: raw.peakRssMB },
      backgroundBusyCores,
      backgroundBusyCoresDuringThroughput: round((single.cpuSeconds['other processes'] ?? 0) / (single.wallMs / 1000), 2),
    };
    return { transport, figures, startupMs, raw, steady, event, single, dag, peakRss };
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await stopAll();
  }
}

/** The processes write their counts every second: wait for a fresh write. */
async function settledQueryStats(dir: string) {
  await new Promise((r) => setTimeout(r, 1_200));
  return readQueryStats(dir);
}

function onlyRun(pushed: { eventId: string; runIds: string[] }): string {
  if (pushed.runIds.length !== 1) throw new Error(`event ${pushed.eventId} started ${pushed.runIds.length} runs, expected 1 (bench-event)`);
  return pushed.runIds[0]!;
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

// ---- main -------------------------------------------------------------------------------

ensureNextBuild(root, log);
const results: TransportResult[] = [];
const failures: Record<string, string> = {};
for (const transport of config.transports) {
  try {
    results.push(await benchTransport(transport));
  } catch (err) {
    if (interrupted) await new Promise(() => undefined); // the signal handler exits
    failures[transport] = (err as Error).message;
    console.error(`[bench] ${transport} failed: ${(err as Error).stack ?? err}`);
  }
}
const figures = Object.fromEntries(results.map((r) => [r.transport, r.figures])) as Partial<Record<Transport, Figures>>;
const summary = summaryRows(figures, rates);
const totalSeconds = round((Date.now() - benchStarted) / 1000);
console.log(`\n=== npm run bench (issue 9): ${config.transports.join(' + ')}, ${totalSeconds} s ===`);
console.log(renderSummary(summary));
const noisy = results.filter((r) => r.figures.backgroundBusyCores > 0.25);
if (noisy.length)
  console.log(
    `NOTE: other processes kept ${noisy.map((r) => `${r.figures.backgroundBusyCores} cores busy before ${r.transport}`).join(', ')}: noisy figures.`,
  );
const path = writeResultsSection('suite', {
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, node: process.version },
  config: { ...config, out: undefined, echo: undefined },
  totalSeconds,
  summary,
  failures,
  transports: Object.fromEntries(results.map((r) => [r.transport, r])),
});
log(`wrote ${path} (${totalSeconds} s in all)`);
process.exit(Object.keys(failures).length ? 1 : 0);
