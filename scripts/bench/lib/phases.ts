// The measuring phases of `npm run bench` / `npm run bench:scale`. Runs are triggered over HTTP
// (the SDK client, as an application would) and awaited on the database: "finished" means the
// engine stored the result in Postgres; "task start" is the time the task function recorded.
import type { Workflow } from '@whetstone/sdk';
import type { TestStack } from '../../../tests/helpers/stack';
import type { BenchInput } from './bench-workflows';
import { stages, type TriggeredRun } from './measure';
import { lagMs, offeredRate, openLoop } from './open-loop';
import { round, summarize, type Summary } from './stats';

type Prisma = TestStack['prisma'];
const TERMINAL = ['SUCCEEDED', 'FAILED', 'CANCELLED'] as const;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until every run is SUCCEEDED, FAILED or CANCELLED; returns how many ended in each. */
export async function waitForRuns(prisma: Prisma, runIds: readonly string[], timeoutMs: number): Promise<Record<string, number>> {
  const deadline = Date.now() + timeoutMs;
  const where = { id: { in: [...runIds] } };
  for (;;) {
    const done = await prisma.workflowRun.count({ where: { ...where, status: { in: [...TERMINAL] } } });
    if (done >= runIds.length) break;
    if (Date.now() > deadline) throw new Error(`only ${done} of ${runIds.length} runs finished within ${timeoutMs / 1000} s`);
    await sleep(200);
  }
  const groups = await prisma.workflowRun.groupBy({ by: ['status'], where, _count: { _all: true } });
  return Object.fromEntries(groups.map((g) => [g.status, g._count._all]));
}

export interface ThroughputResult {
  /** Runs triggered (accepted by the server). */
  runs: number;
  /** Trigger requests kept in flight. */
  inflight: number;
  /** First trigger sent → last trigger answered. */
  triggerMs: number;
  /** First trigger sent → last run finished (stored by the engine). */
  wallMs: number;
  /** SUCCEEDED runs per second over wallMs. */
  runsPerSecond: number;
  statuses: Record<string, number>;
  triggerErrors: number;
  firstTriggerError?: string;
}

/**
 * `runs` runs triggered by `inflight` concurrent callers (each sends the next trigger when its
 * previous one was answered), then awaited on the database. Enough runs keep the pipeline full,
 * so this is the stack's throughput, not the client's patience.
 */
export async function closedLoopThroughput(
  prisma: Prisma,
  wf: Workflow<BenchInput, unknown>,
  opts: { runs: number; inflight: number; timeoutMs: number },
): Promise<ThroughputResult> {
  const ids: string[] = [];
  let next = 0;
  let triggerErrors = 0;
  let firstTriggerError: string | undefined;
  const t0 = Date.now();
  await Promise.all(
    Array.from({ length: Math.min(opts.inflight, opts.runs) }, async () => {
      while (next < opts.runs) {
        const i = next++;
        try {
          ids.push((await wf.runNoWait({ i })).runId);
        } catch (err) {
          triggerErrors++;
          firstTriggerError ??= (err as Error).message;
        }
      }
    }),
  );
  const triggerMs = Date.now() - t0;
  if (!ids.length) throw new Error(`no trigger was accepted: ${firstTriggerError}`);
  const statuses = await waitForRuns(prisma, ids, opts.timeoutMs);
  const last = await prisma.workflowRun.aggregate({ where: { id: { in: ids } }, _max: { finishedAt: true } });
  const wallMs = last._max.finishedAt!.getTime() - t0;
  return {
    runs: ids.length,
    inflight: opts.inflight,
    triggerMs,
    wallMs,
    runsPerSecond: round(((statuses.SUCCEEDED ?? 0) / wallMs) * 1000),
    statuses,
    triggerErrors,
    firstTriggerError,
  };
}

export interface LatencyResult {
  ratePerSecond: number;
  durationMs: number;
  /** Triggers per second actually sent (the open loop falls behind when this process is starved). */
  offeredRate: number;
  schedulerLagMs: { mean: number; max: number };
  triggers: number;
  triggerErrors: number;
  firstTriggerError?: string;
  /** Trigger request sent → answered. */
  triggerHttpMs: Summary;
  /** Trigger request sent → the (first) task's function started. */
  toTaskStartMs: Summary;
  statuses: Record<string, number>;
  /** Where the time went, from the database timestamps (see measure.ts). */
  stages: Record<string, Summary>;
}

/**
 * Open loop: `trigger(i)` is called at a fixed rate whatever happens to the earlier ones, then
 * every run is awaited on the database. `trigger` resolves with the run it started.
 */
export async function openLoopLatency(
  prisma: Prisma,
  opts: { ratePerSecond: number; durationMs: number; timeoutMs: number; trigger: (i: number) => Promise<string> },
): Promise<LatencyResult> {
  const fired = await openLoop({
    ratePerSecond: opts.ratePerSecond,
    durationMs: opts.durationMs,
    fire: async (i): Promise<TriggeredRun> => {
      const startedAt = Date.now();
      const runId = await opts.trigger(i);
      return { runId, startedAt, triggeredAt: Date.now() };
    },
  });
  const settled = await Promise.allSettled(fired.map((f) => f.result));
  const runs = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const errors = settled.flatMap((s) => (s.status === 'rejected' ? [(s.reason as Error).message] : []));
  if (!runs.length) throw new Error(`no trigger was accepted: ${errors[0]}`);
  const statuses = await waitForRuns(
    prisma,
    runs.map((r) => r.runId),
    opts.timeoutMs,
  );
  const starts = await firstTaskStarts(
    prisma,
    runs.map((r) => r.runId),
  );
  const toStart = runs.flatMap((r) => {
    const at = starts.get(r.runId);
    return at === undefined ? [] : [at - r.startedAt];
  });
  return {
    ratePerSecond: opts.ratePerSecond,
    durationMs: opts.durationMs,
    offeredRate: round(offeredRate(fired)),
    schedulerLagMs: mapValues(lagMs(fired), (v) => round(v)),
    triggers: fired.length,
    triggerErrors: errors.length,
    firstTriggerError: errors[0],
    triggerHttpMs: summarize(runs.map((r) => r.triggeredAt - r.startedAt)),
    toTaskStartMs: summarize(toStart),
    statuses,
    stages: await stages({ prisma }, runs),
  };
}

/** When each run's first task function started: the time the task recorded in its output, else the worker's report. */
export async function firstTaskStarts(prisma: Prisma, runIds: readonly string[]): Promise<Map<string, number>> {
  const tasks = await prisma.taskRun.findMany({
    where: { workflowRunId: { in: [...runIds] } },
    select: { workflowRunId: true, output: true, startedAt: true },
  });
  const starts = new Map<string, number>();
  for (const t of tasks) {
    const recorded = (t.output as { startedAt?: unknown } | null)?.startedAt;
    const at = typeof recorded === 'number' ? recorded : t.startedAt?.getTime();
    if (at === undefined) continue;
    const earlier = starts.get(t.workflowRunId);
    if (earlier === undefined || at < earlier) starts.set(t.workflowRunId, at);
  }
  return starts;
}

function mapValues<T extends Record<string, number>>(o: T, f: (v: number) => number): T {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v)])) as T;
}
