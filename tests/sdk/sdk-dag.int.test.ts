import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WhetstoneRunError, type WhetstoneWorker } from '@whetstone/sdk';
import { startTestStack, type TestStack } from '../helpers/stack';

let stack: TestStack;
let worker: WhetstoneWorker;

const calls: Record<string, number> = {};
const count = (name: string) => (calls[name] = (calls[name] ?? 0) + 1);

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await worker?.stop();
  await stack?.stop();
});

describe('an SDK DAG on the real stack', () => {
  it('runs a diamond in dependency order, once per task, and records everything', async () => {
    const { ws } = stack;
    const wf = ws.workflow<{ n: number }>({ name: 'diamond' });
    const start = wf.task({ name: 'start', fn: (input, ctx) => (count('start'), ctx.log(`got ${input.n}`), { n: input.n + 1 }) });
    const left = wf.task({ name: 'left', parents: [start], fn: async (_i, ctx) => (count('left'), { l: ctx.parentOutput(start).n * 2 }) });
    const right = wf.task({
      name: 'right',
      parents: [start],
      fn: async (_i, ctx) => (count('right'), { r: ctx.parentOutput(start).n * 3 }),
    });
    wf.task({
      name: 'join',
      parents: [left, right],
      fn: (_i, ctx) => (count('join'), { sum: ctx.parentOutput(left).l + ctx.parentOutput(right).r }),
    });
    const single = ws.task({ name: 'shout', fn: (input: { s: string }) => input.s.toUpperCase() });
    worker = ws.worker('dag-test', { workflows: [wf, single], handleSignals: false });
    await worker.start();

    const output = await wf.run({ n: 1 }, { additionalMetadata: { customerId: 'c42' } });
    expect(output).toEqual({ start: { n: 2 }, left: { l: 4 }, right: { r: 6 }, join: { sum: 10 } });
    expect(calls).toEqual({ start: 1, left: 1, right: 1, join: 1 });
    expect(await single.run({ s: 'hi' })).toBe('HI');

    const run = await stack.prisma.workflowRun.findFirstOrThrow({
      where: { workflow: { name: 'diamond' } },
      include: { taskRuns: { include: { logs: true } } },
    });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.additionalMetadata).toEqual({ customerId: 'c42' });
    const byName = Object.fromEntries(run.taskRuns.map((t) => [t.taskName, t]));
    expect(byName.join!.startedAt!.getTime()).toBeGreaterThanOrEqual(byName.left!.finishedAt!.getTime());
    expect(byName.start!.logs.map((l) => l.message)).toEqual(['got 1']);
    expect(byName.start!.workerId).toBe(worker.id);
    expect(run.taskRuns.every((t) => t.attempts === 1 && t.input !== null)).toBe(true);
  });

  it('fails the run with the task error, skips what depended on it, and keeps the stack', async () => {
    const { ws } = stack;
    const wf = ws.workflow({ name: 'breaks' });
    const bad = wf.task({
      name: 'bad',
      fn: () => {
        throw new TypeError('the model returned <b>nothing</b>');
      },
    });
    wf.task({ name: 'after', parents: [bad], fn: () => 'never' });
    const w = ws.worker('breaks-worker', { workflows: [wf], handleSignals: false });
    await w.start();
    try {
      const ref = await wf.runNoWait({});
      const error = await ref.result().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WhetstoneRunError);
      expect((error as Error).message).toContain("Task 'bad' failed: TypeError: the model returned <b>nothing</b>");
      const tasks = await stack.prisma.taskRun.findMany({ where: { workflowRunId: ref.runId } });
      const bad_ = tasks.find((t) => t.taskName === 'bad')!;
      expect(bad_.status).toBe('FAILED');
      expect(bad_.error).toMatch(/TypeError: the model returned <b>nothing<\/b>\n\s+at /);
      expect(tasks.find((t) => t.taskName === 'after')!.status).toBe('SKIPPED');
    } finally {
      await w.stop();
    }
  });

  it('creates a new workflow version only when the definition changes', async () => {
    const { ws } = stack;
    const v = (tasks: string[]) => {
      const wf = ws.workflow({ name: 'versioned' });
      for (const name of tasks) wf.task({ name, fn: () => name });
      return ws.worker('versions', { workflows: [wf], handleSignals: false });
    };
    for (const tasks of [['a'], ['a'], ['a', 'b']]) {
      const w = v(tasks);
      await w.start();
      await w.stop();
    }
    const versions = await stack.prisma.workflowVersion.findMany({
      where: { workflow: { name: 'versioned' } },
      orderBy: { version: 'asc' },
    });
    expect(versions.map((x) => x.version)).toEqual([1, 2]);
  });
});
