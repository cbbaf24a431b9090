// `npm run bench:scale`: issue 9's scale-out check. One stack (web + engine, scratch database,
// own queue prefix), worker processes separate from this one:
//   phase 1: 1 engine + 1 worker process → 1-task throughput
//   phase 2: a 2nd engine and a 2nd worker process join (same Postgres, same Redis) → same again
// then checks that every run finished and that no task ran twice (execution log written by the
// tasks themselves, and TaskRunAttempt rows). Writes the `scale` section of bench/results.json.
// Exit code 1 when a run did not finish or ran twice; the throughput ratio is reported like the
// suite's goals (measured, not enforced). See docs/benchmarks.md.
//
//   BENCH_TRANSPORTS=redis          transports, in order (default redis only)
//   BENCH_SCALE_RUNS=N              runs per phase (default 1000 redis / 600 postgres)
//   BENCH_INFLIGHT=N                trigger requests in flight (default 64)
//   BENCH_SLOTS=N                   slots per task queue of each worker process (default 10)
//   BENCH_OUT=path                  JSON output (default bench/results.json)
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { ManagedProcess } from '../stack/processes';
import { ensureNextBuild } from '../stack/next-build';
import { captureOutput } from '../chaos/procs';
import { startTestStack, type TestStack } from '../../tests/helpers/stack';
import { defineBenchWorkflows } from './lib/bench-workflows';
import { startExtraEngine, startWorkerProcess } from './lib/bench-processes';
import { tallyExecutions, type ExecTally } from './lib/exec-tally';
import type { Transport } from './lib/goals';
import { cpuGroups } from './lib/measure';
import { closedLoopThroughput, type ThroughputResult } from './lib/phases';
import { busyCores, cpuMeter, processTree } from './lib/proc';
import { writeResultsSection } from './lib/results-file';
import { intEnv } from './lib/env';
import { round, table } from './lib/stats';

const root = resolve(import.meta.dirname, '../..');
const config = {
  transports: (process.env.BENCH_TRANSPORTS ?? 'redis')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean) as Transport[],
  runs: { redis: intEnv('BENCH_SCALE_RUNS') ?? 1000, postgres: intEnv('BENCH_SCALE_RUNS') ?? 600 },
  inflight: intEnv('BENCH_INFLIGHT') ?? 64,
  slots: intEnv('BENCH_SLOTS') ?? 10,
  warmupRuns: 30,
  timeoutMs: 240_000,
  echo: process.env.WHETSTONE_TEST_ECHO === '1',
};
for (const t of config.transports) {
  if (t !== 'redis' && t !== 'postgres') throw new Error(`BENCH_TRANSPORTS: unknown transport ${t}`);
}
const log = (line: string) => console.log(`[bench:scale] ${line}`);
let interrupted = false;

interface Phase extends ThroughputResult {
  engines: number;
  workers: number;
  cpuSeconds: Record<string, number>;
  /** Task executions of this phase's runs per worker process. */
  executionsByWorkerPid: Record<string, number>;
  /** Most PostgreSQL connections to the stack's database seen at once (sampled every second). */
  peakDbConnections: number;
}

interface ScaleResult {
  transport: Transport;
  backgroundBusyCores: number;
  one: Phase;
  two: Phase;
  /** Phase 2 runs/s over phase 1 runs/s. */
  ratio: number;
  higher: boolean;
  checks: {
    runs: number;
    notSucceeded: Record<string, number>;
    taskRuns: number;
    executions: Omit<ExecTally, 'missing' | 'duplicated' | 'byPid'> & { missing: number; duplicated: ExecTally['duplicated'] };
    /** Task runs with more than one TaskRunAttempt row (e.g. a LOST attempt, then a new one). */
    retriedTaskRuns: number;
    /** Task runs with more than one SUCCEEDED attempt: a result recorded twice. */
    recordedTwice: number;
    passed: boolean;
  };
  /** For up to 5 task runs that ran twice or have several attempts: their execution-log lines and attempt rows. */
  diagnostics: { taskRunId: string; executions: string[]; attempts: Record<string, unknown>[] }[];
  execLog: string;
}

async function scaleTransport(transport: Transport): Promise<ScaleResult> {
  process.env.WHETSTONE_TEST_TRANSPORT = transport;
  const backgroundBusyCores = await busyCores();
  if (backgroundBusyCores > 0.25) log(`WARNING: other processes use ${backgroundBusyCores} of ${cpus().length} cores: noisy figures`);
  log(`${transport}: starting the stack (next start + 1 engine)…`);
  const stack = await startTestStack();
  const dir = mkdtempSync(join(tmpdir(), `whetstone-bench-scale-${transport}-`));
  const execLog = join(dir, 'exec.log');
  writeFileSync(execLog, '');
  const workers: ManagedProcess[] = [];
  const stopAll = async () => {
    await Promise.all(workers.map((w) => w.stop().catch((err: Error) => log(`worker stop failed: ${err.message}`))));
    await stack.stop().catch((err: Error) => log(`stack stop failed: ${err.message}`));
  };
  const onSignal = () => {
    if (interrupted) return;
    interrupted = true;
    log('interrupted: stopping the workers and the stack…');
    void stopAll().finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    // Every line the web, the engines and the workers print goes to <dir>/<name>.log, kept afterwards.
    for (const p of stack.processes) captureOutput(dir, p);
    const wf = defineBenchWorkflows(stack.ws);
    const addWorker = async () => {
      const proc = await startWorkerProcess(stack, { root, slots: config.slots, execLog, echo: config.echo });
      captureOutput(dir, proc);
      workers.push(proc);
    };
    const workerPids = () => workers.filter((w) => w.child.exitCode === null).flatMap((w) => processTree(w.child.pid!));
    const phase = async (engines: number): Promise<Phase> => {
      log(
        `${transport}: ${engines} engine(s) + ${workers.length} worker process(es): warm-up, then ${config.runs[transport]} 1-task runs, ${config.inflight} triggers in flight…`,
      );
      await closedLoopThroughput(stack.prisma, wf.one, { runs: config.warmupRuns, inflight: 8, timeoutMs: config.timeoutMs });
      const meter = cpuMeter(cpuGroups(stack, { 'worker processes': workerPids }, 'bench (client)'));
      const connections = dbConnectionSampler(stack);
      const result = await closedLoopThroughput(stack.prisma, wf.one, {
        runs: config.runs[transport],
        inflight: config.inflight,
        timeoutMs: config.timeoutMs,
      });
      const cpuSeconds = meter.stop();
      const peakDbConnections = await connections.stop();
      log(`${transport}: ${result.runsPerSecond} runs/s (${peakDbConnections} connections to the database at peak)`);
      return { ...result, engines, workers: workers.length, cpuSeconds, executionsByWorkerPid: {}, peakDbConnections };
    };

    await addWorker();
    const startOfOne = new Date();
    const one = await phase(1);
    captureOutput(dir, await startExtraEngine(stack));
    await addWorker();
    const startOfTwo = new Date();
    const two = await phase(2);

    // Graceful stop: the workers finish and report what they hold, so the log is complete.
    await Promise.all(workers.map((w) => w.stop('SIGTERM', 15_000)));
    const text = readFileSync(execLog, 'utf8');
    const taskRuns = await stack.prisma.taskRun.findMany({ select: { id: true, createdAt: true } });
    const all = tallyExecutions(
      text,
      taskRuns.map((t) => t.id),
    );
    const inPhase = (from: Date, to?: Date) => taskRuns.filter((t) => t.createdAt >= from && (!to || t.createdAt < to)).map((t) => t.id);
    one.executionsByWorkerPid = tallyExecutions(text, inPhase(startOfOne, startOfTwo)).byPid;
    two.executionsByWorkerPid = tallyExecutions(text, inPhase(startOfTwo)).byPid;
    const statuses = await stack.prisma.workflowRun.groupBy({ by: ['status'], _count: { _all: true } });
    const runs = statuses.reduce((s, g) => s + g._count._all, 0);
    const notSucceeded = Object.fromEntries(statuses.filter((g) => g.status !== 'SUCCEEDED').map((g) => [g.status, g._count._all]));
    const attempts = await stack.prisma.taskRunAttempt.findMany({ select: { taskRunId: true, status: true } });
    const attemptsPer = new Map<string, { all: number; succeeded: number }>();
    for (const a of attempts) {
      const c = attemptsPer.get(a.taskRunId) ?? { all: 0, succeeded: 0 };
      c.all++;
      if (a.status === 'SUCCEEDED') c.succeeded++;
      attemptsPer.set(a.taskRunId, c);
    }
    const retried = [...attemptsPer].filter(([, c]) => c.all > 1 || c.succeeded > 1).map(([id]) => id);
    const retriedTaskRuns = retried.length;
    const recordedTwice = [...attemptsPer.values()].filter((c) => c.succeeded > 1).length;
    const suspects = [...new Set([...all.duplicated.map((d) => d.taskRunId), ...retried])].slice(0, 5);
    const diagnostics = await Promise.all(
      suspects.map(async (taskRunId) => ({
        taskRunId,
        executions: text.split('\n').filter((l) => l.startsWith(`${taskRunId} `)),
        attempts: await stack.prisma.taskRunAttempt.findMany({
          where: { taskRunId },
          orderBy: { attempt: 'asc' },
          select: { attempt: true, status: true, error: true, workerId: true, queuedAt: true, startedAt: true, finishedAt: true },
        }),
      })),
    );
    const passed = !Object.keys(notSucceeded).length && !all.duplicated.length && !all.missing.length && !all.unknown && !retriedTaskRuns;
    const ratio = round(two.runsPerSecond / one.runsPerSecond, 2);
    return {
      transport,
      backgroundBusyCores,
      one,
      two,
      ratio,
      higher: ratio > 1,
      checks: {
        runs,
        notSucceeded,
        taskRuns: taskRuns.length,
        executions: {
          executions: all.executions,
          once: all.once,
          unknown: all.unknown,
          missing: all.missing.length,
          duplicated: all.duplicated,
        },
        retriedTaskRuns,
        recordedTwice,
        passed,
      },
      diagnostics,
      execLog,
    };
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await stopAll();
  }
}

/** Samples the number of connections to the stack's database (the Postgres transport holds many) until stop(). */
function dbConnectionSampler(stack: TestStack): { stop(): Promise<number> } {
  const database = new URL(stack.env.DATABASE_URL!).pathname.slice(1);
  let peak = 0;
  const sample = async () => {
    const rows = await stack.prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = ${database}`;
    peak = Math.max(peak, rows[0]?.n ?? 0);
  };
  const timer = setInterval(() => void sample().catch(() => undefined), 1000);
  return {
    async stop() {
      clearInterval(timer);
      await sample().catch(() => undefined);
      return peak;
    },
  };
}

function report(r: ScaleResult): string {
  const cpu = (p: Phase) =>
    Object.entries(p.cpuSeconds)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
  const otherCores = (p: Phase) => round((p.cpuSeconds['other processes'] ?? 0) / (p.wallMs / 1000), 2);
  const split = (p: Phase) => Object.values(p.executionsByWorkerPid).join(' / ');
  const c = r.checks;
  const yesNo = (b: boolean) => (b ? 'yes' : 'NO');
  return [
    `\n=== npm run bench:scale: ${r.transport} (background load ${r.backgroundBusyCores} cores before start) ===`,
    table(
      ['', '1 engine + 1 worker', '2 engines + 2 workers'],
      [
        ['1-task runs/s (trigger → stored)', r.one.runsPerSecond, r.two.runsPerSecond],
        ['runs / wall s', `${r.one.runs} / ${(r.one.wallMs / 1000).toFixed(1)}`, `${r.two.runs} / ${(r.two.wallMs / 1000).toFixed(1)}`],
        ['task executions per worker process', split(r.one), split(r.two)],
        ['cores other processes used meanwhile (noise)', otherCores(r.one), otherCores(r.two)],
        ['PostgreSQL connections to the stack database, peak', r.one.peakDbConnections, r.two.peakDbConnections],
      ],
    ),
    `CPU s, 1+1: ${cpu(r.one)}`,
    `CPU s, 2+2: ${cpu(r.two)}`,
    '',
    table(
      ['check', 'result', 'passed?'],
      [
        ['throughput 2+2 ÷ 1+1 (> 1 wanted; measured, not enforced)', r.ratio.toFixed(2), r.higher ? 'yes' : 'no'],
        [
          'runs finished SUCCEEDED',
          `${c.runs - Object.values(c.notSucceeded).reduce((s, v) => s + v, 0)} of ${c.runs}`,
          yesNo(!Object.keys(c.notSucceeded).length),
        ],
        [
          'task runs executed exactly once (execution log)',
          `${c.executions.once} of ${c.taskRuns}`,
          yesNo(c.executions.once === c.taskRuns),
        ],
        ['task runs executed twice or more', c.executions.duplicated.length, yesNo(!c.executions.duplicated.length)],
        [
          'task runs never executed / executions of unknown task runs',
          `${c.executions.missing} / ${c.executions.unknown}`,
          yesNo(!c.executions.missing && !c.executions.unknown),
        ],
        ['task runs with more than one attempt', c.retriedTaskRuns, yesNo(!c.retriedTaskRuns)],
        ['task runs with more than one SUCCEEDED attempt (result recorded twice)', c.recordedTwice, yesNo(!c.recordedTwice)],
      ],
      ['left', 'right', 'left'],
    ),
    ...r.diagnostics.map((d) =>
      [
        `task run ${d.taskRunId}: executions (task run, attempt, pid, epoch ms):`,
        ...d.executions.map((l) => `    ${l}`),
        '  attempts:',
        ...d.attempts.map((a) => `    ${JSON.stringify(a)}`),
      ].join('\n'),
    ),
    `execution log and process logs: ${dirname(r.execLog)}`,
  ].join('\n');
}

const started = Date.now();
ensureNextBuild(root, log);
const results: ScaleResult[] = [];
const failures: Record<string, string> = {};
for (const transport of config.transports) {
  try {
    const r = await scaleTransport(transport);
    results.push(r);
    console.log(report(r));
  } catch (err) {
    if (interrupted) await new Promise(() => undefined);
    failures[transport] = (err as Error).message;
    console.error(`[bench:scale] ${transport} failed: ${(err as Error).stack ?? err}`);
  }
}
const totalSeconds = round((Date.now() - started) / 1000);
const path = writeResultsSection('scale', {
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, node: process.version },
  config: { ...config, echo: undefined },
  totalSeconds,
  failures,
  transports: Object.fromEntries(results.map((r) => [r.transport, r])),
});
log(`wrote ${path} (${totalSeconds} s in all)`);
const failed = Object.keys(failures).length > 0 || results.some((r) => !r.checks.passed);
process.exit(failed ? 1 : 0);
