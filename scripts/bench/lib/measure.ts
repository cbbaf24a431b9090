// The diagnostics' workloads (probe.ts: an SDK worker in-process, sequential runs), and the measurements
// the suite shares with them (per-stage breakdown from the database, CPU groups).
import type { Workflow, WhetstoneWorker } from '@whetstone/sdk';
import type { TestStack } from '../../../tests/helpers/stack';
import { pidsNamed, pidsWithCmdline, processTree } from './proc';
import { summarize, type Summary } from './stats';

/** What the client saw of one run: wall-clock ms (Date.now) to compare with database timestamps. */
export interface ClientRun {
  runId: string;
  /** Trigger request sent. */
  startedAt: number;
  /** Trigger request answered. */
  triggeredAt: number;
  /** The client had the result. */
  resolvedAt: number;
}

/** A run the benchmark waited for on the database: no client-side result time. */
export type TriggeredRun = Omit<ClientRun, 'resolvedAt'> & { resolvedAt?: number };

// ---- the workloads ------------------------------------------------------------------

export interface Workloads {
  one: Workflow<{ i: number }, unknown>;
  chain: Workflow<{ i: number }, Record<string, unknown>>;
  worker: WhetstoneWorker;
}

export function defineWorkloads(stack: TestStack, slots?: number): Workloads {
  const one = stack.ws.task({ name: 'bench-one', fn: (input: { i: number }) => ({ i: input.i }) });
  const chain = stack.ws.workflow<{ i: number }>({ name: 'bench-chain' });
  const a = chain.task({ name: 'a', fn: (input) => ({ v: input.i }) });
  const b = chain.task({ name: 'b', parents: [a], fn: (_i, ctx) => ({ v: ctx.parentOutput(a).v + 1 }) });
  chain.task({ name: 'c', parents: [b], fn: (_i, ctx) => ({ v: ctx.parentOutput(b).v + 1 }) });
  const worker = stack.ws.worker('bench-worker', { workflows: [one, chain], handleSignals: false, slots });
  return { one, chain, worker };
}

export async function timedRun(wf: Workflow<{ i: number }, unknown>, i: number): Promise<ClientRun> {
  const startedAt = Date.now();
  const ref = await wf.runNoWait({ i });
  const triggeredAt = Date.now();
  await ref.result();
  return { runId: ref.runId, startedAt, triggeredAt, resolvedAt: Date.now() };
}

export async function sequential(wf: Workflow<{ i: number }, unknown>, n: number): Promise<ClientRun[]> {
  const runs: ClientRun[] = [];
  for (let i = 0; i < n; i++) runs.push(await timedRun(wf, i));
  return runs;
}

export function withTimeout<T>(what: string, promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${timeoutMs / 1000} s`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// ---- where the time goes, from the database -------------------------------------------

/** Per-stage durations of finished runs, from the timestamps the web process, worker and engine wrote. */
export async function stages(stack: Pick<TestStack, 'prisma'>, client: TriggeredRun[]): Promise<Record<string, Summary>> {
  const byId = new Map(client.map((c) => [c.runId, c]));
  const runs = await stack.prisma.workflowRun.findMany({
    where: { id: { in: [...byId.keys()] } },
    select: {
      id: true,
      createdAt: true,
      finishedAt: true,
      taskRuns: { select: { taskName: true, parents: true, queuedAt: true, startedAt: true, finishedAt: true } },
    },
  });
  const d = {
    'trigger HTTP (client)': [] as number[],
    'run created→1st task queued': [] as number[],
    'task queued→started': [] as number[],
    'task started→finished': [] as number[],
    'parent finished→child queued': [] as number[],
    'last task finished→run finished': [] as number[],
    'run created→finished': [] as number[],
    'run finished→client has result': [] as number[],
  };
  const ms = (a: Date | null, b: Date | null) => (a && b ? b.getTime() - a.getTime() : NaN);
  for (const run of runs) {
    const c = byId.get(run.id)!;
    const tasks = [...run.taskRuns].sort((x, y) => (x.queuedAt?.getTime() ?? 0) - (y.queuedAt?.getTime() ?? 0));
    const byName = new Map(tasks.map((t) => [t.taskName, t]));
    d['trigger HTTP (client)'].push(c.triggeredAt - c.startedAt);
    d['run created→1st task queued'].push(ms(run.createdAt, tasks[0]!.queuedAt));
    for (const t of tasks) {
      d['task queued→started'].push(ms(t.queuedAt, t.startedAt));
      d['task started→finished'].push(ms(t.startedAt, t.finishedAt));
      for (const p of t.parents) d['parent finished→child queued'].push(ms(byName.get(p)!.finishedAt, t.queuedAt));
    }
    const last = Math.max(...tasks.map((t) => t.finishedAt?.getTime() ?? 0));
    d['last task finished→run finished'].push((run.finishedAt?.getTime() ?? NaN) - last);
    d['run created→finished'].push(ms(run.createdAt, run.finishedAt));
    if (c.resolvedAt !== undefined) d['run finished→client has result'].push(c.resolvedAt - (run.finishedAt?.getTime() ?? NaN));
  }
  return Object.fromEntries(
    Object.entries(d)
      .filter(([, v]) => v.length)
      .map(([k, v]) => [k, summarize(v)]),
  );
}

/**
 * Who burns the 2 cores: the stack's processes, `extra` groups (e.g. worker processes), this
 * process (named `self`), the PostgreSQL backends of the stack's scratch database, and Redis.
 * Pass the result to cpuMeter().
 */
export function cpuGroups(
  stack: TestStack,
  extra: Record<string, () => number[]> = {},
  self = 'bench (SDK worker + client)',
): Record<string, () => number[]> {
  const groups: Record<string, () => number[]> = {};
  // By name: several engines (scale-out) are one group; processes started later are picked up.
  for (const name of new Set(stack.processes.map((p) => p.name))) {
    groups[name] = () =>
      stack.processes.filter((p) => p.name === name && p.child.exitCode === null).flatMap((p) => processTree(p.child.pid!));
  }
  Object.assign(groups, extra);
  groups[self] = () => [process.pid];
  const database = new URL(stack.env.DATABASE_URL!).pathname.slice(1);
  groups['postgres (this database)'] = () => pidsWithCmdline('postgres', ` ${database} `);
  groups['redis-server'] = () => pidsNamed('redis-server');
  return groups;
}
