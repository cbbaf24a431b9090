// `npm run bench:what-if` (also the last part of `npm run bench`): the wall time of a 100-run what-if
// on the demo workflow (ticket-triage, offline demo model, its worker in this process) and its
// overhead over the tasks' own time.
//
// A signed-in editor calls `whatIf.start` over HTTP (tRPC, as the dashboard does) to re-run the
// `draft-reply` step of 100 finished runs with an edited system_prompt. Wall = `whatIf.start` sent →
// every row's run finished (the database polled every 50 ms; `whatIf.get` then confirms FINISHED).
// Own time = finishedAt − startedAt of the 100 new draft-reply task runs (as the worker reports them).
//
//   overhead = wall − (sum of own times / worker slots)
//
// i.e. what the what-if adds over running the same tasks back to back on all the worker's slots.
//
//   BENCH_TRANSPORTS=redis,postgres   which transports (default both)
//   BENCH_WHAT_IF_RUNS=N              source runs (rows) of each what-if (default 100, at most 200)
//   BENCH_WHAT_IF_REPEAT=N            measured what-ifs per transport, after one 10-row warm-up (default 3)
//   BENCH_SLOTS=N                     worker slots per task queue (default the SDK's 10)
//   BENCH_WHAT_IF_OUT=path            JSON output (default scripts/bench/results/what-if.json)
import { cpus } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTRPCClient, httpLink } from '@trpc/client';
import superjson from 'superjson';
import { demoTickets, ticketTriage } from '../../examples/src/ticket-triage';
import type { AppRouter } from '../../src/server/router';
import { startTestStack, type TestStack } from '../../tests/helpers/stack';
import { createUser, signIn } from '../../tests/helpers/users';
import { ensureNextBuild } from '../stack/next-build';
import { cpuGroups } from './lib/measure';
import { busyCores, cpuMeter } from './lib/proc';
import { round, summarize, table, type Summary } from './lib/stats';

type Transport = 'redis' | 'postgres';
const root = resolve(import.meta.dirname, '../..');
const transports = (process.env.BENCH_TRANSPORTS ?? 'redis,postgres')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean) as Transport[];
const rows = positiveInt('BENCH_WHAT_IF_RUNS', 100);
if (rows > 200) throw new Error(`BENCH_WHAT_IF_RUNS must be at most 200 (a what-if's limit), not ${rows}`);
const repeat = positiveInt('BENCH_WHAT_IF_REPEAT', 3);
const slots = positiveInt('BENCH_SLOTS', 10);
const out = resolve(process.env.BENCH_WHAT_IF_OUT ?? resolve(root, 'scripts/bench/results/what-if.json'));
const TASK = 'draft-reply';
const WARM_UP_ROWS = 10;
const POLL_MS = 50;
const EDITED_PROMPT = `You are a warm, apologetic support agent for Whetstone.
Reply to the customer in under 60 words.
Mention the order number if there is one.
Sign as The Whetstone Team.`;
const FORMULA = 'overhead = wall − (sum of task own times / worker slots)';
const log = (line: string) => console.log(`[bench:what-if] ${line}`);

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, not ${raw}`);
  return value;
}

interface Sample {
  rows: number;
  /** whatIf.start sent → every row's run finished. */
  wallMs: number;
  /** whatIf.start answered (the rows' runs created and queued). */
  startMs: number;
  /** The tasks' own time (finishedAt − startedAt of the re-run tasks). */
  ownSumMs: number;
  ownMaxMs: number;
  ownMeanMs: number;
  overheadMs: number;
  /** Each row: its run created → finished (database timestamps). */
  rowLatency: Summary;
  /** CPU seconds during the what-if, by process group ('other processes': anything else on the machine). */
  cpuSeconds: Record<string, number>;
  /** Cores other processes kept busy during the what-if, on average. */
  otherBusyCores: number;
}

interface Result {
  transport: Transport;
  slots: number;
  /** Cores other processes kept busy just before the stack started (0 = quiet machine). */
  backgroundBusyCores: number;
  samples: Sample[];
  /** The median sample by wall time. */
  median: Sample;
}

type Trpc = ReturnType<typeof createTRPCClient<AppRouter>>;

async function whatIfOnce(stack: TestStack, trpc: Trpc, project: string, sourceRunIds: string[]): Promise<Sample> {
  const meter = cpuMeter(cpuGroups(stack));
  const t0 = performance.now();
  const started = await trpc.whatIf.start.mutate({
    project,
    runId: sourceRunIds[0]!,
    task: TASK,
    mode: 'STEP',
    overrides: { system_prompt: EDITED_PROMPT },
    sources: { runIds: sourceRunIds },
  });
  const startMs = performance.now() - t0;
  if (!started.started) throw new Error(`whatIf.start refused: ${started.warnings.map((w) => w.message).join('; ')}`);
  if (started.rows !== sourceRunIds.length)
    throw new Error(`whatIf.start started ${started.rows} of ${sourceRunIds.length} rows: ${JSON.stringify(started.skipped)}`);
  const reportId = started.reportId;
  // The report is marked FINISHED when read after its last row finished: watch the rows' runs, cheaply.
  for (;;) {
    const open = await stack.prisma.workflowRun.count({ where: { playground: { reportId }, status: { in: ['QUEUED', 'RUNNING'] } } });
    if (open === 0) break;
    if (performance.now() - t0 > 300_000) throw new Error(`what-if ${reportId}: ${open} rows still unfinished after 5 minutes`);
    await sleep(POLL_MS);
  }
  const wallMs = performance.now() - t0;
  const cpuSeconds = meter.stop();
  const report = await trpc.whatIf.get.query({ project, id: reportId });
  if (report.status !== 'FINISHED' || report.totals.failed)
    throw new Error(`what-if ${reportId} ended ${report.status} with ${report.totals.failed} failed rows`);

  const runs = await stack.prisma.workflowRun.findMany({
    where: { playground: { reportId } },
    select: { createdAt: true, finishedAt: true, taskRuns: { where: { taskName: TASK }, select: { startedAt: true, finishedAt: true } } },
  });
  const own = runs.map((r) => {
    const task = r.taskRuns[0];
    if (!task?.startedAt || !task.finishedAt) throw new Error(`a row of what-if ${reportId} has no timed ${TASK} task`);
    return task.finishedAt.getTime() - task.startedAt.getTime();
  });
  const ownSumMs = own.reduce((a, b) => a + b, 0);
  return {
    rows: runs.length,
    wallMs: round(wallMs),
    startMs: round(startMs),
    ownSumMs,
    ownMaxMs: Math.max(...own),
    ownMeanMs: round(ownSumMs / own.length),
    overheadMs: round(wallMs - ownSumMs / slots),
    rowLatency: summarize(runs.map((r) => r.finishedAt!.getTime() - r.createdAt.getTime())),
    cpuSeconds,
    otherBusyCores: round(cpuSeconds['other processes']! / (wallMs / 1000), 2),
  };
}

async function benchTransport(transport: Transport): Promise<Result> {
  process.env.WHETSTONE_TEST_TRANSPORT = transport;
  const backgroundBusyCores = await busyCores();
  if (backgroundBusyCores > 0.25)
    log(`WARNING: other processes use ${backgroundBusyCores} of ${cpus().length} cores: the figures are skewed by them`);
  const stack = await startTestStack();
  const worker = stack.ws.worker('bench-what-if', { workflows: [ticketTriage(stack.ws)], handleSignals: false, slots });
  try {
    await worker.start();
    const wf = ticketTriage(stack.ws);
    log(`${transport}: seeding ${rows} ticket-triage runs…`);
    const seeded = await Promise.all(
      Array.from({ length: rows }, (_, i) => {
        const ticket = demoTickets[i % demoTickets.length]!;
        return wf.runNoWait({ customerId: `${ticket.customerId}-${i}`, subject: `${ticket.subject} (#${i})`, body: ticket.body });
      }),
    );
    await Promise.all(seeded.map((r) => r.result()));
    const sourceRunIds = seeded.map((r) => r.runId);

    const editor = await createUser(stack.prisma, { role: 'editor', projectId: stack.projectId });
    const cookie = await signIn(stack.url, editor.email, editor.password);
    const project = (await stack.prisma.project.findUniqueOrThrow({ where: { id: stack.projectId } })).slug;
    const trpc = createTRPCClient<AppRouter>({
      links: [httpLink({ url: `${stack.url}/api/trpc`, transformer: superjson, headers: { cookie, origin: stack.url } })],
    });

    await whatIfOnce(stack, trpc, project, sourceRunIds.slice(0, WARM_UP_ROWS));
    const samples: Sample[] = [];
    for (let i = 0; i < repeat; i++) {
      const sample = await whatIfOnce(stack, trpc, project, sourceRunIds);
      log(
        `${transport} #${i + 1}: wall ${sample.wallMs} ms, tasks' own time Σ ${sample.ownSumMs} ms (max ${sample.ownMaxMs} ms), overhead ${sample.overheadMs} ms; other processes busy ${sample.otherBusyCores} cores; CPU s ${JSON.stringify(sample.cpuSeconds)}`,
      );
      samples.push(sample);
    }
    const median = [...samples].sort((a, b) => a.wallMs - b.wallMs)[Math.floor(samples.length / 2)]!;
    return { transport, slots, backgroundBusyCores, samples, median };
  } finally {
    await worker.stop();
    await stack.stop();
  }
}

async function main() {
  // The demo's offline model: no network, and the same work on every machine.
  delete process.env.OPENAI_BASE_URL;
  delete process.env.OPENAI_API_KEY;
  ensureNextBuild(root, log);
  const results: Result[] = [];
  for (const transport of transports) {
    log(
      `${transport}: what-if of ${rows} runs of ticket-triage › ${TASK} (STEP, edited system_prompt), ${repeat}× after a warm-up, ${slots} worker slots…`,
    );
    results.push(await benchTransport(transport));
  }
  console.log(`\n${FORMULA}; median of ${repeat} by wall time\n`);
  console.log(
    table(
      [
        'transport',
        'rows',
        'wall ms',
        'overhead ms',
        'own Σ ms',
        'own max ms',
        'own mean ms',
        'start answered ms',
        'row p50 / p95 ms',
        'other busy cores',
      ],
      results.map(({ transport, median: m }) => [
        transport,
        m.rows,
        m.wallMs,
        m.overheadMs,
        m.ownSumMs,
        m.ownMaxMs,
        m.ownMeanMs,
        m.startMs,
        `${m.rowLatency.p50} / ${m.rowLatency.p95}`,
        m.otherBusyCores,
      ]),
    ),
  );
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(
    out,
    `${JSON.stringify({ at: new Date().toISOString(), workflow: 'ticket-triage', task: TASK, mode: 'STEP', rows, repeat, formula: FORMULA, results }, null, 2)}\n`,
  );
  log(`written to ${out}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
