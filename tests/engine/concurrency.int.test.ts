import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recoverOnce } from '../../src/server/engine/recovery';
import { closeQueueKit } from '../../src/server/queue/project-queues';
import { startTestStack, type TestStack } from '../helpers/stack';
import { eventually, waitForStatus } from '../helpers/runs';
import { stubStackEnv, useStackWorkers } from '../helpers/workers';

// Concurrency limits on real workers: runs (or tasks) of one key wait their turn, or are cancelled per strategy.
let stack: TestStack;
const workers = useStackWorkers(() => stack);

beforeAll(async () => {
  stack = await startTestStack();
  stubStackEnv(stack); // recoverOnce below runs in this process
});
afterAll(async () => {
  await closeQueueKit();
  await stack?.stop();
});

type Span = { key: string; start: number; end: number };

/** No two spans of one key overlap (at most `maxRuns` = 1 at a time per key). */
function overlapsPerKey(spans: readonly Span[]): string[] {
  const problems: string[] = [];
  const byKey = new Map<string, Span[]>();
  for (const span of spans) byKey.set(span.key, [...(byKey.get(span.key) ?? []), span]);
  for (const [key, list] of byKey) {
    const sorted = [...list].sort((a, b) => a.start - b.start);
    for (let i = 1; i < sorted.length; i++) if (sorted[i]!.start < sorted[i - 1]!.end) problems.push(`${key} #${i}`);
  }
  return problems;
}

const gate = () => {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
};

describe('workflow concurrency', () => {
  it('GROUP_ROUND_ROBIN, maxRuns 1: 3 keys × 20 runs take turns; never two runs of a key at once', async () => {
    const spans: Span[] = [];
    const hold = gate();
    const wf = stack.ws.workflow<{ customerId: string; i: number }>({
      name: 'cc-round-robin',
      concurrency: { expression: 'input.customerId', maxRuns: 1, limitStrategy: 'GROUP_ROUND_ROBIN' },
    });
    wf.task({
      name: 'work',
      fn: async (input: { customerId: string; i: number }) => {
        const start = performance.now();
        if (input.i === 0 && input.customerId === 'a') await hold.opened;
        await new Promise((r) => setTimeout(r, 5));
        spans.push({ key: input.customerId, start, end: performance.now() });
        return input.customerId;
      },
    });
    await workers.start('cc-round-robin', [wf], { slots: 1 });
    // Every run of key a first, then b, then c (the first one holds the only slot meanwhile):
    // without the limit they would run in that order.
    const refs = [];
    for (const key of ['a', 'b', 'c']) for (let i = 0; i < 20; i++) refs.push(await wf.runNoWait({ customerId: key, i }));
    const waiting = await stack.prisma.workflowRun.count({ where: { id: { in: refs.map((r) => r.runId) }, waitingFor: 'CONCURRENCY' } });
    expect(waiting).toBe(57);
    hold.open();
    await Promise.all(refs.map((r) => r.result()));

    const order = [...spans].sort((x, y) => x.start - y.start).map((s) => s.key);
    expect(order).toHaveLength(60);
    expect(overlapsPerKey(spans)).toEqual([]);
    // Keys take turns: the first six starts hold every key twice, and no key starts 3 times in a row.
    expect(order.slice(0, 6).sort()).toEqual(['a', 'a', 'b', 'b', 'c', 'c']);
    let streak = 0;
    let longestStreak = 0;
    order.forEach((key, i) => {
      streak = i > 0 && order[i - 1] === key ? streak + 1 : 1;
      longestStreak = Math.max(longestStreak, streak);
    });
    expect(longestStreak).toBeLessThanOrEqual(2);
    // Waiting runs were visible as such while they waited; none is left waiting.
    expect(await stack.prisma.workflowRun.count({ where: { workflow: { name: 'cc-round-robin' }, waitingFor: { not: null } } })).toBe(0);
  });

  it('shows waiting runs as waiting for concurrency', async () => {
    const hold = gate();
    const wf = stack.ws.workflow<{ customerId: string }>({ name: 'cc-visible', concurrency: { expression: 'input.customerId' } });
    wf.task({ name: 'work', fn: async () => hold.opened });
    await workers.start('cc-visible', [wf]);
    const first = await wf.runNoWait({ customerId: 'x' });
    const second = await wf.runNoWait({ customerId: 'x' });
    const other = await wf.runNoWait({ customerId: 'y' });
    await waitForStatus(stack.prisma, first.runId, ['RUNNING']);
    await waitForStatus(stack.prisma, other.runId, ['RUNNING']);
    const waiting = await stack.prisma.workflowRun.findUniqueOrThrow({ where: { id: second.runId } });
    expect([waiting.status, waiting.waitingFor, waiting.concurrencyKeys]).toEqual(['QUEUED', 'CONCURRENCY', ['0:x']]);
    hold.open();
    await second.result();
    expect((await stack.prisma.workflowRun.findUniqueOrThrow({ where: { id: second.runId } })).waitingFor).toBeNull();
  });

  it('CANCEL_NEWEST cancels a new run of a busy key, with the reason', async () => {
    const hold = gate();
    const wf = stack.ws.workflow<{ customerId: string }>({
      name: 'cc-newest',
      concurrency: { expression: 'input.customerId', limitStrategy: 'CANCEL_NEWEST' },
    });
    wf.task({ name: 'work', fn: async () => (await hold.opened, 'done') });
    await workers.start('cc-newest', [wf]);
    const first = await wf.runNoWait({ customerId: 'x' });
    await waitForStatus(stack.prisma, first.runId, ['RUNNING']);
    const second = await wf.runNoWait({ customerId: 'x' });
    const cancelled = await waitForStatus(stack.prisma, second.runId, ['CANCELLED', 'SUCCEEDED', 'FAILED']);
    expect(cancelled.status).toBe('CANCELLED');
    expect(cancelled.error).toBe("Cancelled by concurrency (CANCEL_NEWEST): key 'x' already has 1 run(s) in progress");
    hold.open();
    expect(await first.result()).toEqual({ work: 'done' });
  });

  it('CANCEL_IN_PROGRESS cancels the running run of the key and starts the new one', async () => {
    const wf = stack.ws.workflow<{ customerId: string; n: number }>({
      name: 'cc-in-progress',
      concurrency: { expression: 'input.customerId', limitStrategy: 'CANCEL_IN_PROGRESS' },
    });
    wf.task({
      name: 'work',
      fn: async (input: { n: number }, ctx) => {
        if (input.n === 1) await new Promise((_, reject) => ctx.abortSignal.addEventListener('abort', () => reject(new Error('aborted'))));
        return input.n;
      },
    });
    await workers.start('cc-in-progress', [wf]);
    const first = await wf.runNoWait({ customerId: 'x', n: 1 });
    await waitForStatus(stack.prisma, first.runId, ['RUNNING']);
    const second = await wf.runNoWait({ customerId: 'x', n: 2 });
    expect(await second.result()).toEqual({ work: 2 });
    const old = await stack.prisma.workflowRun.findUniqueOrThrow({ where: { id: first.runId } });
    expect([old.status, old.error]).toEqual(['CANCELLED', "Cancelled by concurrency (CANCEL_IN_PROGRESS): a newer run of key 'x' started"]);
  });

  it('the recovery pass admits a waiting run whose turn an engine never handed on', async () => {
    const hold = gate();
    const wf = stack.ws.workflow<{ customerId: string }>({ name: 'cc-recovery', concurrency: { expression: 'input.customerId' } });
    wf.task({ name: 'work', fn: async () => (await hold.opened, 'ok') });
    await workers.start('cc-recovery', [wf]);
    const first = await wf.runNoWait({ customerId: 'x' });
    await waitForStatus(stack.prisma, first.runId, ['RUNNING']);
    const second = await wf.runNoWait({ customerId: 'x' });
    // The first run ends behind the engine's back (as if the engine died before releasing its slot).
    await stack.prisma.workflowRun.update({ where: { id: first.runId }, data: { status: 'CANCELLED', finishedAt: new Date() } });
    hold.open();
    expect((await stack.prisma.workflowRun.findUniqueOrThrow({ where: { id: second.runId } })).waitingFor).toBe('CONCURRENCY');
    await recoverOnce(stack.prisma, new Date(Date.now() + 60_000));
    expect(await second.result()).toEqual({ work: 'ok' });
  });
});

describe('task concurrency', () => {
  it('a task of one key runs once at a time over all runs; its waiting task is marked and then runs', async () => {
    const spans: Span[] = [];
    const hold = gate();
    const wf = stack.ws.workflow<{ customerId: string; i: number }>({ name: 'cc-task' });
    const prepare = wf.task({ name: 'prepare', fn: (input: { i: number }) => input.i });
    wf.task({
      name: 'llm',
      parents: [prepare],
      concurrency: { expression: 'input.customerId', maxRuns: 1 },
      fn: async (input: { customerId: string; i: number }) => {
        const start = performance.now();
        if (input.i === 0) await hold.opened;
        await new Promise((r) => setTimeout(r, 5));
        spans.push({ key: input.customerId, start, end: performance.now() });
        return input.i;
      },
    });
    await workers.start('cc-task', [wf], { slots: 5 });
    const first = await wf.runNoWait({ customerId: 'k', i: 0 });
    await eventually(async () => {
      const t = await stack.prisma.taskRun.findFirstOrThrow({ where: { workflowRunId: first.runId, taskName: 'llm' } });
      if (t.status !== 'RUNNING') throw new Error(t.status);
    });
    const rest = await Promise.all([1, 2, 3, 4].map((i) => wf.runNoWait({ customerId: 'k', i })));
    await eventually(async () => {
      const waiting = await stack.prisma.taskRun.count({
        where: { workflowRunId: { in: rest.map((r) => r.runId) }, taskName: 'llm', waitingFor: 'CONCURRENCY', status: 'PENDING' },
      });
      if (waiting !== 4) throw new Error(`${waiting} waiting`);
    });
    hold.open();
    await Promise.all([first, ...rest].map((r) => r.result()));
    expect(spans).toHaveLength(5);
    expect(overlapsPerKey(spans)).toEqual([]);
  });
});
