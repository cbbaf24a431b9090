// `npm run bench:playground` (also the last part of `npm run bench`): the playground's overhead.
// A signed-in editor asks for a playground run over HTTP (tRPC playground.run, as the dashboard
// does) and waits for the result (REST long-poll, woken when the engine stores it). Overhead =
// that wall time minus the task's own time (measured inside the task), p50/p95 over the runs.
//
//   BENCH_TRANSPORTS=redis,postgres   which transports (default both)
//   BENCH_PLAYGROUND_RUNS=N           measured re-runs per transport (default 100, after 5 warm-ups)
//   BENCH_PLAYGROUND_OUT=path         JSON output (default scripts/bench/results/playground.json)
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTRPCClient, httpLink } from '@trpc/client';
import superjson from 'superjson';
import type { AppRouter } from '../../src/server/router';
import { startTestStack, type TestStack } from '../../tests/helpers/stack';
import { createUser, signIn } from '../../tests/helpers/users';
import { ensureNextBuild } from '../stack/next-build';
import { summarize, table, type Summary } from './lib/stats';

type Transport = 'redis' | 'postgres';
const root = resolve(import.meta.dirname, '../..');
const transports = (process.env.BENCH_TRANSPORTS ?? 'redis,postgres')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean) as Transport[];
const runs = Number(process.env.BENCH_PLAYGROUND_RUNS ?? 100);
if (!Number.isInteger(runs) || runs <= 0)
  throw new Error(`BENCH_PLAYGROUND_RUNS must be a positive integer, not ${process.env.BENCH_PLAYGROUND_RUNS}`);
const out = resolve(process.env.BENCH_PLAYGROUND_OUT ?? resolve(root, 'scripts/bench/results/playground.json'));
/** What the task itself does: a stand-in for a model call. */
const TASK_WORK_MS = 20;
const log = (line: string) => console.log(`[bench:playground] ${line}`);

interface Result {
  transport: Transport;
  runs: number;
  /** Request sent → result available to the client. */
  total: Summary;
  /** The task's own time, measured inside it. */
  task: Summary;
  /** total − task: what the playground and engine add. */
  overhead: Summary;
  /** playground.run answered (runs created and queued). */
  request: Summary;
}

function defineWorkflow(stack: TestStack) {
  const wf = stack.ws.workflow<{ ticket: string }>({ name: 'bench-playground' });
  const fetch = wf.task({ name: 'fetch', fn: (input: { ticket: string }) => ({ ticket: input.ticket }) });
  wf.task({
    name: 'draft',
    parents: [fetch],
    fn: async (_input, ctx) => {
      const started = performance.now();
      const prompt = ctx.playground('system_prompt', 'You are a concise support agent.');
      const temperature = ctx.playground('temperature', 0.2);
      await sleep(TASK_WORK_MS);
      return { reply: `${prompt} (${temperature})`, ownMs: performance.now() - started };
    },
  });
  return wf;
}

async function benchTransport(transport: Transport): Promise<Result> {
  process.env.WHETSTONE_TEST_TRANSPORT = transport;
  const stack = await startTestStack();
  const worker = stack.ws.worker('bench-playground', { workflows: [defineWorkflow(stack)], handleSignals: false });
  try {
    await worker.start();
    const wf = defineWorkflow(stack);
    const source = await wf.runNoWait({ ticket: 'My order never arrived' });
    await source.result();
    const editor = await createUser(stack.prisma, { role: 'editor', projectId: stack.projectId });
    const cookie = await signIn(stack.url, editor.email, editor.password);
    const project = (await stack.prisma.project.findUniqueOrThrow({ where: { id: stack.projectId } })).slug;
    const trpc = createTRPCClient<AppRouter>({
      links: [httpLink({ url: `${stack.url}/api/trpc`, transformer: superjson, headers: { cookie, origin: stack.url } })],
    });

    const once = async (i: number) => {
      const t0 = performance.now();
      const started = await trpc.playground.run.mutate({
        project,
        runId: source.runId,
        task: 'draft',
        mode: 'STEP',
        variants: [{ overrides: { system_prompt: `Variant ${i}: apologise first.`, temperature: 0.7 } }],
      });
      const t1 = performance.now();
      const runId = started.runs[0]!.runId;
      const res = await fetch(`${stack.url}/api/v1/runs/${runId}?wait=30`, { headers: { authorization: `Bearer ${stack.apiKey}` } });
      const summary = (await res.json()) as { status: string; output: { draft: { ownMs: number } } };
      const t2 = performance.now();
      if (summary.status !== 'SUCCEEDED') throw new Error(`Playground run ${runId} ended ${summary.status}`);
      return { total: t2 - t0, request: t1 - t0, task: summary.output.draft.ownMs };
    };
    for (let i = 0; i < 5; i++) await once(i);
    const samples = [];
    for (let i = 0; i < runs; i++) samples.push(await once(i));
    return {
      transport,
      runs,
      total: summarize(samples.map((s) => s.total)),
      task: summarize(samples.map((s) => s.task)),
      overhead: summarize(samples.map((s) => s.total - s.task)),
      request: summarize(samples.map((s) => s.request)),
    };
  } finally {
    await worker.stop();
    await stack.stop();
  }
}

async function main() {
  ensureNextBuild(root, log);
  const results: Result[] = [];
  for (const transport of transports) {
    log(`${transport}: ${runs} playground re-runs of a ${TASK_WORK_MS} ms task…`);
    const result = await benchTransport(transport);
    results.push(result);
    log(`${transport}: overhead p50 ${result.overhead.p50} ms, p95 ${result.overhead.p95} ms (goal: p50 ≤ 150 ms)`);
  }
  console.log(
    table(
      ['transport', 'overhead p50 / p95', 'total p50 / p95', 'task p50', 'request p50'],
      results.map((r) => [
        r.transport,
        `${r.overhead.p50} / ${r.overhead.p95} ms`,
        `${r.total.p50} / ${r.total.p95} ms`,
        `${r.task.p50} ms`,
        `${r.request.p50} ms`,
      ]),
    ),
  );
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify({ at: new Date().toISOString(), taskWorkMs: TASK_WORK_MS, results }, null, 2)}\n`);
  log(`written to ${out}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
