import { describe, expect, it } from 'vitest';
import { workerReportSchema, taskJobSchema, type DurableResults } from '../contract';
import { ChildRunFailedError, DurableContext, DurableSuspension, settleDurable } from './durable-context';
import type { Workflow } from '../workflow/workflow';

const TASK_RUN_ID = '0195f3a0-0000-7000-8000-000000000001';
const CHILD_RUN_ID = '0195f3a0-0000-7000-8000-0000000000c1';

function newContext(durableResults?: DurableResults) {
  const job = taskJobSchema.parse({
    taskRunId: TASK_RUN_ID,
    runId: 'r1',
    workflow: 'wf',
    task: 'nap',
    input: {},
    parentOutputs: {},
    durableResults,
  });
  return new DurableContext(job, 1, new AbortController().signal, () => undefined);
}

/** A stand-in for a workflow object: records the triggers spawnChild makes. */
function fakeWorkflow(name: string, trigger: (input: unknown, opts: unknown) => Promise<string> = async () => CHILD_RUN_ID) {
  const calls: Array<{ input: unknown; opts: unknown }> = [];
  const workflow = {
    name,
    async runNoWait(input: unknown, opts: unknown) {
      calls.push({ input, opts });
      return { runId: await trigger(input, opts) };
    },
  } as unknown as Workflow<{ n: number }, { doubled: number }>;
  return { workflow, calls };
}

describe('DurableContext', () => {
  it('suspends at the first step without a result and reports it', async () => {
    const ctx = newContext();
    let after = false;
    const before = Date.now();
    const outcome = await settleDurable(
      ctx,
      (async () => {
        await ctx.sleepFor('2s');
        after = true;
      })(),
    );
    expect(after).toBe(false);
    expect(outcome).toMatchObject({ kind: 'suspended', step: { index: 0, kind: 'sleep' } });
    const step = (outcome as { step: { wakeAt: string } }).step;
    expect(Date.parse(step.wakeAt) - before).toBeGreaterThanOrEqual(2000);
    expect(Date.parse(step.wakeAt) - before).toBeLessThan(3000);
    // What the worker sends passes the engine's contract.
    const report = {
      type: 'task.suspended',
      taskRunId: TASK_RUN_ID,
      attempt: 1,
      workerId: 'w',
      step: (outcome as { step: unknown }).step,
      at: new Date().toISOString(),
    };
    expect(workerReportSchema.parse(report)).toMatchObject({ step: { index: 0, kind: 'sleep' } });
  });

  it('replays completed steps in call order and suspends at the next one', async () => {
    const ctx = newContext({ '0': { value: null }, '1': { value: { orderId: 'o1', total: 5 } } });
    const { workflow, calls } = fakeWorkflow('double');
    const seen: unknown[] = [];
    const outcome = await settleDurable(
      ctx,
      (async () => {
        seen.push(await ctx.sleepFor('1h'));
        seen.push(await ctx.waitForEvent('order:paid', { orderId: 'o1' }));
        seen.push(await ctx.spawnChild(workflow, { n: 2 }));
      })(),
    );
    expect(seen).toEqual([undefined, { orderId: 'o1', total: 5 }]);
    expect(outcome).toEqual({ kind: 'suspended', step: { index: 2, kind: 'child', childRunId: CHILD_RUN_ID } });
    // The child is linked to this task under its step's key; a resend finds the same child.
    expect(calls).toEqual([
      {
        input: { n: 2 },
        opts: { idempotencyKey: `durable:${TASK_RUN_ID}:durable-2`, parent: { taskRunId: TASK_RUN_ID, key: 'durable-2' } },
      },
    ]);
  });

  it('finishes with the output once every step has a result; a failed child replays as ChildRunFailedError', async () => {
    const ctx = newContext({ '0': { value: { doubled: 4 } }, '1': { error: "Child run x of 'broken' failed: boom" } });
    const { workflow, calls } = fakeWorkflow('double');
    const outcome = await settleDurable(
      ctx,
      (async () => {
        const first = await ctx.spawnChild(workflow, { n: 2 });
        const second = await ctx.spawnChild(workflow, { n: 3 }).catch((err: unknown) => err);
        return { first, second: second instanceof ChildRunFailedError ? (second as Error).message : 'not thrown' };
      })(),
    );
    expect(outcome).toEqual({ kind: 'finished', output: { first: { doubled: 4 }, second: "Child run x of 'broken' failed: boom" } });
    expect(calls).toEqual([]);
  });

  it('runs steps one at a time: in Promise.all the later ones wait for the earlier', async () => {
    const ctx = newContext({ '0': { value: null } });
    const settled: string[] = [];
    const outcome = await settleDurable(
      ctx,
      Promise.all([
        ctx.sleepFor(1000).then(() => settled.push('sleep')),
        ctx.waitForEvent('a').then(
          () => settled.push('a'),
          (err: Error) => settled.push(err.name),
        ),
        ctx.waitForEvent('b').then(
          () => settled.push('b'),
          (err: Error) => settled.push(err.name),
        ),
      ]),
    );
    expect(outcome).toEqual({ kind: 'suspended', step: { index: 1, kind: 'event', key: 'a' } });
    await new Promise((r) => setImmediate(r));
    expect(settled.sort()).toEqual(['DurableSuspension', 'DurableSuspension', 'sleep']);
  });

  it('still suspends when the task swallows the suspension, and later steps suspend too', async () => {
    const ctx = newContext();
    const later: unknown[] = [];
    const outcome = await settleDurable(
      ctx,
      (async () => {
        try {
          await ctx.sleepFor('5m');
        } catch {
          // swallowed
        }
        later.push(await ctx.waitForEvent('x').catch((err: unknown) => err));
        return 'carried on';
      })(),
    );
    expect(outcome).toMatchObject({ kind: 'suspended', step: { index: 0, kind: 'sleep' } });
    await new Promise((r) => setImmediate(r));
    expect(later[0]).toBeInstanceOf(DurableSuspension);
  });

  it('fails the execution when the child run cannot be created', async () => {
    const ctx = newContext();
    const { workflow } = fakeWorkflow('double', async () => {
      throw new Error('POST /api/v1/workflows/double/runs failed with 404');
    });
    const work = (async () => {
      try {
        return await ctx.spawnChild(workflow, { n: 1 });
      } catch {
        return 'fallback'; // the worker still reports the failure
      }
    })();
    await expect(settleDurable(ctx, work)).rejects.toThrow(/failed with 404/);
  });

  it('passes on the task error when no step suspended', async () => {
    const ctx = newContext();
    await expect(settleDurable(ctx, Promise.reject(new Error('task broke')))).rejects.toThrow('task broke');
    await expect(settleDurable(newContext(), Promise.resolve(7))).resolves.toEqual({ kind: 'finished', output: 7 });
  });

  it('refuses bad arguments with a clear message', async () => {
    const ctx = newContext();
    await expect(ctx.sleepFor('soon')).rejects.toThrow(/ctx.sleepFor\(\) in task 'nap': Invalid duration "soon"/);
    await expect(ctx.sleepFor(-5)).rejects.toThrow(/positive number/);
    await expect(ctx.sleepFor('400d')).rejects.toThrow(/at most 366 days/);
    await expect(ctx.waitForEvent('')).rejects.toThrow(/1 to 200 characters/);
    await expect(ctx.waitForEvent('order:*')).rejects.toThrow(/wildcard/);
    await expect(ctx.waitForEvent('k', { at: new Date() } as never)).rejects.toThrow(/must be JSON/);
    await expect(ctx.waitForEvent('k', ['a'] as never)).rejects.toThrow(/plain object/);
    await expect(ctx.spawnChild('double' as never, {})).rejects.toThrow(/expected a workflow/);
    // Refused calls take no step: the next valid call is still step 0.
    const outcome = await settleDurable(ctx, ctx.waitForEvent('k'));
    expect(outcome).toEqual({ kind: 'suspended', step: { index: 0, kind: 'event', key: 'k' } });
  });
});
