// `npm run chaos`: proves runs survive failures. Starts its own stack (scratch database, web,
// engine) and 2 SDK worker processes, pushes N two-task runs at a steady rate, and meanwhile
// SIGKILLs a worker, SIGKILLs the engine, FLUSHALLs Redis and restarts Postgres. Then it waits
// for every run to finish and counts: every run must complete exactly once. See docs/chaos.md.
//
//   CHAOS_TRANSPORT=redis|postgres  queue transport (default: WHETSTONE_TEST_TRANSPORT, else redis)
//   CHAOS_RUNS=N                    runs to push (default 1000)
//   CHAOS_RATE=N                    pushes per second (default 50)
//   CHAOS_SETTLE_SECONDS=N          how long to wait for the last runs after pushing and faults (default 180)
//   CHAOS_FAULTS=a,b,…              faults in order, from worker|engine|flushall|postgres (default worker,engine,flushall,postgres,worker; '' for none)
//   CHAOS_SERVICES=private|shared   break a private Postgres + redis-server (default) or the machine's own
//   CHAOS_WORKERS=N, CHAOS_SLOTS=N  worker processes (default 2) and slots per task queue each (default 20)
//   CHAOS_OUT=path                  JSON results (default scripts/chaos/results/latest.json)
//   WHETSTONE_TEST_ECHO=1           print the stack's output (it always goes to the log directory)
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { startTestStack, type TestStack } from '../../tests/helpers/stack';
import { ensureNextBuild } from '../stack/next-build';
import { diagnose } from './diagnose';
import { FAULT_NAMES, planFaults, runFaults, type FaultName, type FaultRecord } from './faults';
import { ChaosWorkers, EngineControl, captureOutput, indent, isAlive, sleep } from './procs';
import { pushRuns, type PushResult } from './push';
import { startServices, type ChaosServices } from './services';
import { progress, tally, type Tally } from './tally';

const root = resolve(import.meta.dirname, '../..');

const intEnv = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, not ${raw}`);
  return n;
};

const transport = (process.env.CHAOS_TRANSPORT ?? process.env.WHETSTONE_TEST_TRANSPORT ?? 'redis') as 'redis' | 'postgres';
if (transport !== 'redis' && transport !== 'postgres') throw new Error(`CHAOS_TRANSPORT must be redis or postgres, not ${transport}`);
const servicesMode = (process.env.CHAOS_SERVICES ?? 'private') as 'private' | 'shared';
if (servicesMode !== 'private' && servicesMode !== 'shared')
  throw new Error(`CHAOS_SERVICES must be private or shared, not ${servicesMode}`);
const faultNames = (process.env.CHAOS_FAULTS ?? 'worker,engine,flushall,postgres,worker')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean) as FaultName[];
for (const f of faultNames)
  if (!FAULT_NAMES.includes(f)) throw new Error(`CHAOS_FAULTS: unknown fault ${f} (choose from ${FAULT_NAMES.join(', ')})`);

const config = {
  transport,
  services: servicesMode,
  runs: Math.floor(intEnv('CHAOS_RUNS', 1000)),
  rate: intEnv('CHAOS_RATE', 50),
  settleSeconds: intEnv('CHAOS_SETTLE_SECONDS', 180),
  faults: faultNames,
  workers: Math.floor(intEnv('CHAOS_WORKERS', 2)),
  slots: Math.floor(intEnv('CHAOS_SLOTS', 20)),
  /** The last fault comes this long after the last push. */
  faultTailMs: 5_000,
  engineDownMs: 2_000,
  stackEnv: { WHETSTONE_TASK_LOCK_MS: '5000', WHETSTONE_RECOVERY_INTERVAL_MS: '1000', WHETSTONE_RECOVERY_GRACE_MS: '3000' },
  out: resolve(process.env.CHAOS_OUT ?? join(root, 'scripts/chaos/results/latest.json')),
};

/** After the dashboard build check: the wall time covers services, stack, push, faults and settle. */
let started = Date.now();
let t0 = 0; // the first push
const log = (line: string) => {
  const clock = new Date().toISOString().slice(11, 23);
  const offset = t0 ? ` +${((Date.now() - t0) / 1000).toFixed(1)}s` : '';
  console.log(`[chaos ${clock}${offset}] ${line}`);
};

// ---- cleanup, on every path ----------------------------------------------------------------

let services: ChaosServices | undefined;
let stack: TestStack | undefined;
let workers: ChaosWorkers | undefined;
let engine: EngineControl | undefined;
let interrupted = false;
let cleaning: Promise<void> | undefined;
const cleanup = () =>
  (cleaning ??= (async () => {
    engine?.stop();
    await workers?.stopAll().catch((err: Error) => log(`stopping workers failed: ${err.message}`));
    await stack?.stop().catch((err: Error) => log(`stopping the stack failed: ${err.message}`));
    await services?.stop().catch((err: Error) => log(`stopping the services failed: ${err.message}`));
  })());
const onSignal = (signal: string) => {
  if (interrupted) return log('still cleaning up…');
  interrupted = true;
  log(`${signal}: stopping workers, the stack and the services…`);
  void cleanup().finally(() => process.exit(130));
};
process.on('SIGINT', () => onSignal('SIGINT'));
process.on('SIGTERM', () => onSignal('SIGTERM'));

// ---- the run --------------------------------------------------------------------------------

interface Outcome {
  tally: Tally;
  push: PushResult;
  faults: FaultRecord[];
  settled: boolean;
  settleMs: number;
  diagnostics: string;
}

async function main(): Promise<Outcome> {
  ensureNextBuild(root, log);
  started = Date.now();
  const workDir = mkdtempSync(join(tmpdir(), `whetstone-chaos-${transport}-`));
  const execLog = join(workDir, 'exec.log');
  log(`${config.runs} runs at ${config.rate}/s on ${transport}; faults: ${config.faults.join(', ') || '(none)'}; logs in ${workDir}`);

  services = await startServices({ mode: config.services, redis: transport === 'redis', log });
  log(services.describe());
  if (config.services === 'shared')
    log('WARNING: CHAOS_SERVICES=shared: FLUSHALL and the Postgres restart hit everything else using these services too');
  // startTestStack reads these: the scratch database goes on this server, the queues on this Redis.
  process.env.DATABASE_URL = services.postgresUrl;
  if (services.redisUrl) process.env.REDIS_URL = services.redisUrl;
  process.env.WHETSTONE_TEST_TRANSPORT = transport;

  log('starting the stack (next start + engine, scratch database)…');
  stack = await startTestStack({ env: config.stackEnv });
  const s = stack;
  for (const p of s.processes.filter((p) => p.name === 'web')) captureOutput(workDir, p);
  engine = new EngineControl(s, { logDir: workDir, log, downMs: config.engineDownMs });
  engine.supervise();
  workers = new ChaosWorkers({
    root,
    env: s.env,
    execLog,
    logDir: workDir,
    slots: config.slots,
    echo: process.env.WHETSTONE_TEST_ECHO === '1',
    log,
  });
  for (let i = 0; i < config.workers; i++) await workers.start();
  log(`stack up at ${s.url} (queue prefix ${s.env.WHETSTONE_QUEUE_PREFIX}); ${config.workers} chaos workers registered`);

  const wf = s.ws.workflow<{ seq: number }>({ name: 'chaos-chain' });
  const windowMs = ((config.runs - 1) / config.rate) * 1000;
  const plan = planFaults(config.faults, windowMs, config.faultTailMs);
  log(
    `plan: pushes over ${(windowMs / 1000).toFixed(1)} s; ${plan.map((p) => `${p.name} at +${(p.atMs / 1000).toFixed(1)}s`).join(', ') || 'no faults'}`,
  );
  t0 = Date.now() + 500;
  const pusher = pushRuns(wf, { runs: config.runs, rate: config.rate, t0, log });
  const faults = await runFaults(plan, t0, { transport, workers, engine, services }, log, () => interrupted);
  let push: PushResult | undefined;
  void pusher.done.then((r) => {
    push = r;
    log(`push done: ${r.runIds.size}/${config.runs} accepted in ${(r.wallMs / 1000).toFixed(1)} s, ${r.retries} retried trigger(s)`);
  });

  // Wait for every seq to reach a terminal run.
  const settleStart = Date.now();
  const deadline = settleStart + config.settleSeconds * 1000;
  let settled = false;
  let lastPrint = 0;
  while (!interrupted) {
    const p = await progress(s.prisma).catch((err: Error) => err);
    if (p instanceof Error) log(`settle: database read failed (${p.message.split('\n')[0]}); retrying`);
    else {
      if (push && p.terminalSeqs >= config.runs) {
        settled = true;
        log(`settled: all ${config.runs} seqs have a terminal run (${fmtStatus(p.byStatus)})`);
        break;
      }
      if (Date.now() - lastPrint >= 10_000) {
        lastPrint = Date.now();
        log(`settle: ${p.terminalSeqs}/${config.runs} seqs terminal (${fmtStatus(p.byStatus)})`);
      }
    }
    if (Date.now() > deadline) {
      log(`settle deadline: ${config.settleSeconds} s passed without every run finishing`);
      break;
    }
    await sleep(1_000);
  }
  const settleMs = Date.now() - settleStart;
  if (interrupted) await new Promise(() => undefined); // the signal handler exits
  pusher.abandon();
  const pushResult = await Promise.race([pusher.done, sleep(40_000).then(() => undefined)]);
  if (!pushResult) throw new Error('pushes were still retrying 40 s after being abandoned');

  const t = await tally(s.prisma, config.runs, pushResult.runIds, execLog);
  let diagnostics = '';
  const suspicious = [
    ...t.lostSeqs.slice(0, 5),
    ...t.duplicateRuns.slice(0, 3).map((d) => d.seq),
    ...t.duplicateResults.slice(0, 3).map((d) => d.seq),
    ...t.failedRuns.slice(0, 3).map((f) => f.seq),
  ];
  if (suspicious.length) diagnostics = await diagnose(s, [...new Set(suspicious)], execLog, workDir);
  const webAlive = s.processes.filter((p) => p.name === 'web').every(isAlive);
  if (!webAlive) log('!! the web process died during the run');
  log(`logs (web, engine, workers, exec.log) kept in ${workDir}`);
  return { tally: t, push: pushResult, faults, settled, settleMs, diagnostics };
}

/** A plain table: columns of numbers (or listed in `right`) right-aligned, the others left-aligned. */
function table(header: string[], rows: (string | number)[][], right: number[] = []): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const numeric = header.map((_, i) => right.includes(i) || rows.every((r) => typeof r[i] === 'number'));
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(cells[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

function fmtStatus(byStatus: Record<string, number>): string {
  return (
    Object.entries(byStatus)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ') || 'no runs yet'
  );
}

function report(o: Outcome, wallMs: number): string {
  const t = o.tally;
  const rows: (string | number)[][] = [
    [
      'pushed',
      t.pushed,
      o.push.abandoned.length ? `${o.push.abandoned.length} never accepted by the server` : 'each seq once, idempotency key chaos-<seq>',
    ],
    ['completed', t.completed, 'seqs whose run SUCCEEDED'],
    ['failed', t.failed, 'seqs whose run FAILED'],
    ['cancelled', t.cancelled, 'seqs whose run was CANCELLED'],
    [
      'lost',
      t.lost,
      t.neverAccepted.length
        ? `no terminal run by the deadline; ${t.neverAccepted.length} with no run at all`
        : 'no terminal run by the deadline',
    ],
    [
      'duplicated',
      t.duplicated,
      `${t.duplicateRuns.length} seqs with >1 run, ${t.duplicateResults.length} task runs with >1 SUCCEEDED attempt`,
    ],
    ['re-executed', t.reExecuted, `seq/task pairs whose work ran more than once (at-least-once; of ${t.executions} executions)`],
    ['lost attempts recorded', t.lostAttempts, 'TaskRunAttempt rows LOST'],
    [
      'retries',
      o.push.retries,
      `pushes re-sent after the SDK gave up (${o.push.retriedSeqs} seqs); task attempts beyond the first: ${t.taskRetries}`,
    ],
    [
      'wall time',
      `${(wallMs / 1000).toFixed(1)} s`,
      `push ${(o.push.wallMs / 1000).toFixed(1)} s, settle ${(o.settleMs / 1000).toFixed(1)} s`,
    ],
  ];
  if (t.corrupted.length) rows.push(['corrupted', t.corrupted.length, 'runs whose seq, outputs or execution log disagree (see below)']);
  const faults = table(
    ['fault', 'at', 'took', 'outcome', 'detail'],
    o.faults.map((f) => [f.name, `+${(f.startedMs / 1000).toFixed(1)}s`, `${(f.durationMs / 1000).toFixed(1)}s`, f.outcome, f.detail]),
    [1, 2],
  );
  // When the re-executions happened (5 s buckets after the first push), to line them up with the faults.
  const buckets = new Map<number, number>();
  for (const x of t.extraExecutions) {
    const b = Math.floor((x.at - t0) / 5000) * 5;
    buckets.set(b, (buckets.get(b) ?? 0) + 1);
  }
  const sameAttempt = t.extraExecutions.filter((x) => x.attempt === 1).length;
  const timeline = [...buckets]
    .sort((a, b) => a[0] - b[0])
    .map(([b, n]) => `+${b}s ${n}`)
    .join(', ');
  const crashes = [...(workers?.crashes ?? []), ...(engine?.crashes ?? [])];
  return [
    `\n=== chaos: ${transport} transport, ${config.services} services, ${config.runs} runs at ${config.rate}/s ===`,
    table(['', 'count', 'meaning'], rows, [1]),
    '',
    faults,
    ...(t.extraExecutions.length
      ? [
          '',
          `re-executions: ${t.extraExecutions.length} extra executions, ${sameAttempt} of the same attempt (its job was put back on the queue: recovery after lost jobs or lost reports) and ${t.extraExecutions.length - sameAttempt} of a later attempt (after a LOST one)`,
          `  finished at (5 s buckets after the first push): ${timeline}`,
        ]
      : []),
    ...(crashes.length
      ? [
          '',
          `unexpected process exits (restarted by the chaos supervisor): ${crashes.map((c) => `${c.process} pid ${c.pid} code ${c.code}`).join('; ')}`,
        ]
      : []),
  ].join('\n');
}

let exitCode = 1;
try {
  const outcome = await main();
  const wallMs = Date.now() - started;
  const t = outcome.tally;
  const ok = t.completed === t.pushed && t.lost === 0 && t.duplicated === 0 && t.corrupted.length === 0;
  console.log(report(outcome, wallMs));
  if (outcome.push.errors.size) {
    console.log(
      `\npush errors (after the SDK's retries), by message:\n${[...outcome.push.errors].map(([m, n]) => `  ${n} × ${m}`).join('\n')}`,
    );
  }
  if (t.reExecutedExamples.length)
    console.log(
      `\nre-executed, e.g. (<seq> <task> <attempt> <pid> <ms>):\n${t.reExecutedExamples
        .slice(0, 5)
        .map((r) => `  ${r.lines.join(' | ')}`)
        .join('\n')}`,
    );
  if (t.corrupted.length)
    console.log(
      `\ncorrupted:\n${t.corrupted
        .slice(0, 20)
        .map((c) => `  ${c.runId}: ${c.problem}`)
        .join('\n')}`,
    );
  if (t.failedRuns.length)
    console.log(
      `\nfailed runs:\n${t.failedRuns
        .slice(0, 10)
        .map((f) => `  seq ${f.seq} ${f.runId}: ${f.error}`)
        .join('\n')}`,
    );
  if (t.lostSeqs.length) console.log(`\nlost seqs: ${t.lostSeqs.slice(0, 50).join(' ')}${t.lostSeqs.length > 50 ? ' …' : ''}`);
  if (outcome.diagnostics) console.log(`\ndiagnostics:\n${indent(outcome.diagnostics)}`);
  console.log(
    `\n${ok ? 'PASS' : 'FAIL'}: completed ${t.completed}/${t.pushed}, lost ${t.lost}, duplicated ${t.duplicated}${t.corrupted.length ? `, corrupted ${t.corrupted.length}` : ''}`,
  );
  exitCode = ok ? 0 : 1;

  const json = {
    date: new Date().toISOString(),
    passed: ok,
    config: { ...config, out: undefined },
    table: {
      pushed: t.pushed,
      completed: t.completed,
      failed: t.failed,
      cancelled: t.cancelled,
      lost: t.lost,
      duplicated: t.duplicated,
      reExecuted: t.reExecuted,
      lostAttemptsRecorded: t.lostAttempts,
      retries: outcome.push.retries,
      wallSeconds: Math.round(wallMs / 100) / 10,
    },
    push: {
      wallMs: outcome.push.wallMs,
      retries: outcome.push.retries,
      retriedSeqs: outcome.push.retriedSeqs,
      abandoned: outcome.push.abandoned,
      errors: Object.fromEntries(outcome.push.errors),
    },
    faults: outcome.faults,
    crashes: [...(workers?.crashes ?? []), ...(engine?.crashes ?? [])],
    settled: outcome.settled,
    settleMs: outcome.settleMs,
    details: {
      attemptsByStatus: t.attemptsByStatus,
      taskRetries: t.taskRetries,
      executions: t.executions,
      lostSeqs: t.lostSeqs,
      neverAccepted: t.neverAccepted,
      duplicateRuns: t.duplicateRuns,
      duplicateResults: t.duplicateResults,
      reExecutedExamples: t.reExecutedExamples,
      corrupted: t.corrupted,
      failedRuns: t.failedRuns,
    },
    diagnostics: outcome.diagnostics || undefined,
  };
  mkdirSync(dirname(config.out), { recursive: true });
  writeFileSync(config.out, `${JSON.stringify(json, null, 1)}\n`);
  log(`wrote ${config.out}`);
} catch (err) {
  if (!interrupted) console.error(`[chaos] failed: ${(err as Error).stack ?? err}`);
} finally {
  if (!interrupted) {
    log('cleaning up…');
    await cleanup();
  }
}
if (interrupted) await new Promise(() => undefined);
process.exit(exitCode);
