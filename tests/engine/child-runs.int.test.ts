import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WhetstoneRunError } from '@whetstone/sdk';
import { createApiKey } from '../../src/server/auth/api-keys';
import { loadRunDetail } from '../../src/server/runs/detail-query';
import { eventually, waitForStatus } from '../helpers/runs';
import { startTestStack, type TestStack } from '../helpers/stack';
import { useStackWorkers } from '../helpers/workers';

// Child runs: ctx.runChild / runNoWaitChild / runChildren from inside tasks, linked to the spawning
// task run under a key, so a retried attempt gets its children back; cancelling a run cancels them.
let stack: TestStack;
let project: { id: string; slug: string };
const workers = useStackWorkers(() => stack);

beforeAll(async () => {
  stack = await startTestStack();
  project = await stack.prisma.project.findUniqueOrThrow({ where: { id: stack.projectId }, select: { id: true, slug: true } });
});
afterAll(async () => {
  await stack?.stop();
});

const childRunsOf = (parentRunId: string) =>
  stack.prisma.workflowRun.findMany({ where: { parentTaskRun: { workflowRunId: parentRunId } }, orderBy: { childKey: 'asc' } });

describe('child runs', () => {
  it('runChild resolves with the child output; the child inherits metadata, takes its priority, and runs.get links both ways', async () => {
    const double = stack.ws.task({ name: 'double', fn: (input: { n: number }) => ({ doubled: input.n * 2 }) });
    const parent = stack.ws.workflow<{ n: number }>({ name: 'parent-of-double' });
    parent.task({
      name: 'spawn',
      fn: async (input, ctx) => {
        const child = await ctx.runChild(double, { n: input.n }, { priority: 3 });
        return { got: child.doubled };
      },
    });
    await workers.start('children-basic', [double, parent]);

    const ref = await parent.runNoWait({ n: 21 }, { additionalMetadata: { tenant: 'acme' } });
    expect(await ref.result()).toEqual({ spawn: { got: 42 } });

    const [child] = await childRunsOf(ref.runId);
    expect(child).toMatchObject({
      status: 'SUCCEEDED',
      childKey: '0',
      priority: 3,
      additionalMetadata: { tenant: 'acme' },
      output: { doubled: 42 },
    });
    const spawnTask = await stack.prisma.taskRun.findFirstOrThrow({ where: { workflowRunId: ref.runId, taskName: 'spawn' } });
    expect(child!.parentTaskRunId).toBe(spawnTask.id);

    const parentDetail = await loadRunDetail(stack.prisma, project, ref.runId);
    expect(parentDetail.childOf).toBeNull();
    const spawnDetail = parentDetail.tasks.find((t) => t.taskName === 'spawn')!;
    expect(spawnDetail.childRunCount).toBe(1);
    expect(spawnDetail.childRuns).toEqual([
      expect.objectContaining({
        id: child!.id,
        status: 'SUCCEEDED',
        key: '0',
        workflowName: 'double',
        path: `/p/${project.slug}/runs/${child!.id}`,
      }),
    ]);
    const childDetail = await loadRunDetail(stack.prisma, project, child!.id);
    expect(childDetail.childOf).toEqual({
      taskName: 'spawn',
      run: expect.objectContaining({
        id: ref.runId,
        workflowName: 'parent-of-double',
        status: 'SUCCEEDED',
        path: `/p/${project.slug}/runs/${ref.runId}`,
      }),
    });
    expect(childDetail.tasks[0]!.childRunCount).toBe(0);
  });

  it('runNoWaitChild returns a RunRef; a failed child rejects with WhetstoneRunError and the parent may handle it', async () => {
    const flaky = stack.ws.task({
      name: 'maybe-fails',
      fn: (input: { fail: boolean }) => {
        if (input.fail) throw new Error('child says no');
        return 'fine';
      },
    });
    const parent = stack.ws.task({
      name: 'no-wait-parent',
      fn: async (_input, ctx) => {
        const ok = await ctx.runNoWaitChild(flaky, { fail: false });
        const bad = await ctx.runNoWaitChild(flaky, { fail: true }, { key: 'the-bad-one', additionalMetadata: { own: 'yes' } });
        const error = await bad.result().catch((err: unknown) => err);
        return {
          ok: await ok.result(),
          okRunId: ok.runId,
          badRunId: bad.runId,
          isRunError: error instanceof WhetstoneRunError,
          status: (error as WhetstoneRunError).status,
          message: (error as Error).message,
        };
      },
    });
    await workers.start('children-no-wait', [flaky, parent]);
    const ref = await parent.runNoWait({}, { additionalMetadata: { from: 'parent' } });
    const out = (await ref.result()) as Record<string, unknown>;
    expect(out).toMatchObject({ ok: 'fine', isRunError: true, status: 'FAILED' });
    expect(out.message).toContain('child says no');
    const children = await childRunsOf(ref.runId);
    expect(children.map((c) => [c.id, c.childKey, c.status, c.additionalMetadata])).toEqual([
      [out.okRunId, '0', 'SUCCEEDED', { from: 'parent' }],
      [out.badRunId, 'the-bad-one', 'FAILED', { own: 'yes' }],
    ]);
  });

  it('bulk: runChildren starts 10 children, all linked under keys 0-9, outputs in order', async () => {
    const square = stack.ws.task({ name: 'square', fn: (input: { i: number }) => input.i * input.i });
    const parent = stack.ws.task({
      name: 'fan-out',
      fn: async (_input, ctx) => ctx.runChildren(Array.from({ length: 10 }, (_, i) => ({ workflow: square, input: { i } }))),
    });
    await workers.start('children-bulk', [square, parent]);
    const ref = await parent.runNoWait({});
    expect(await ref.result()).toEqual([0, 1, 4, 9, 16, 25, 36, 49, 64, 81]);
    const children = await childRunsOf(ref.runId);
    expect(children.map((c) => c.childKey).sort((a, b) => Number(a) - Number(b))).toEqual([
      '0',
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      '7',
      '8',
      '9',
    ]);
    expect(new Set(children.map((c) => c.parentTaskRunId)).size).toBe(1);
    expect(children.every((c) => c.status === 'SUCCEEDED')).toBe(true);
    const detail = await loadRunDetail(stack.prisma, project, ref.runId);
    expect(detail.tasks[0]!.childRunCount).toBe(10);
    expect(detail.tasks[0]!.childRuns).toHaveLength(10);
  });

  it('a parent attempt that fails after spawning is retried and gets the same child back: no second child run', async () => {
    let childExecutions = 0;
    const slowChild = stack.ws.task({
      name: 'counted-child',
      fn: async () => {
        childExecutions++;
        await new Promise((resolve) => setTimeout(resolve, 300));
        return 'child done';
      },
    });
    const spawnedIds: string[] = [];
    const parent = stack.ws.task({
      name: 'retried-parent',
      retries: 2,
      fn: async (_input, ctx) => {
        const ref = await ctx.runNoWaitChild(slowChild, {});
        spawnedIds.push(ref.runId);
        if (ctx.attempt === 1) throw new Error('first attempt fails after spawning');
        return ref.result();
      },
    });
    await workers.start('children-retry', [slowChild, parent]);
    const ref = await parent.runNoWait({});
    expect(await ref.result()).toBe('child done');
    expect(spawnedIds).toHaveLength(2);
    expect(spawnedIds[1]).toBe(spawnedIds[0]);
    const children = await childRunsOf(ref.runId);
    expect(children.map((c) => c.id)).toEqual([spawnedIds[0]]);
    expect(childExecutions).toBe(1);
  });

  it('cancelling the parent run cancels its running children and theirs; the grandchild task gets its abort signal', async () => {
    const aborted: string[] = [];
    const grandchild = stack.ws.task({
      name: 'waits-forever',
      executionTimeout: '30s',
      fn: (_input, ctx) =>
        new Promise((resolve) => {
          ctx.abortSignal.addEventListener('abort', () => {
            aborted.push(ctx.runId);
            resolve('aborted');
          });
        }),
    });
    const child = stack.ws.task({ name: 'middle', executionTimeout: '30s', fn: (_input, ctx) => ctx.runChild(grandchild, {}) });
    const parent = stack.ws.task({ name: 'top', executionTimeout: '30s', fn: (_input, ctx) => ctx.runChild(child, {}) });
    await workers.start('children-cancel', [grandchild, child, parent]);
    const ref = await parent.runNoWait({});

    const [middle] = await eventually(async () => {
      const runs = await childRunsOf(ref.runId);
      expect(runs).toHaveLength(1);
      return runs;
    });
    const [leaf] = await eventually(async () => {
      const runs = await childRunsOf(middle!.id);
      expect(runs).toHaveLength(1);
      return runs;
    });
    await eventually(async () => {
      const task = await stack.prisma.taskRun.findFirstOrThrow({ where: { workflowRunId: leaf!.id } });
      expect(task.status).toBe('RUNNING');
    });
    expect((await ref.cancel()).status).toBe('CANCELLED');
    await waitForStatus(stack.prisma, middle!.id, ['CANCELLED']);
    const leafRun = await waitForStatus(stack.prisma, leaf!.id, ['CANCELLED']);
    expect(leafRun.error).toBe(`Run was cancelled: its parent run ${middle!.id} was cancelled`);
    await eventually(async () => expect(aborted).toEqual([leaf!.id]));
    await expect(ref.result()).rejects.toThrow(/CANCELLED/);
  });

  it('refuses a parent task run of another project (404), an unknown one (404) and a finished one (400)', async () => {
    const quick = stack.ws.task({ name: 'quick-parent', fn: () => 'done' });
    await workers.start('children-refusals', [quick]);
    const finished = await quick.runNoWait({});
    await finished.result();
    const finishedTask = await stack.prisma.taskRun.findFirstOrThrow({ where: { workflowRunId: finished.runId } });

    const other = await stack.prisma.project.create({ data: { name: 'Other', slug: 'other-children' } });
    const otherKey = (await createApiKey(stack.prisma, other.id, 'other')).key;
    const trigger = (key: string, workflow: string, parent: unknown) =>
      fetch(`${stack.url}/api/v1/workflows/${workflow}/runs`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ input: {}, parent }),
      });

    // Project B names project A's task run as the parent of a run: not found, nothing created.
    const foreign = await trigger(otherKey, 'quick-parent', { taskRunId: finishedTask.id, key: 'x' });
    expect(foreign.status).toBe(404);
    expect((await foreign.json()).error).toBe(
      `Parent task run '${finishedTask.id}' not found in this project: a child run's parent must be a task run of the same project`,
    );
    const unknown = await trigger(stack.apiKey, 'quick-parent', { taskRunId: '0190c0de-0000-7000-8000-000000000000', key: 'x' });
    expect(unknown.status).toBe(404);
    const done = await trigger(stack.apiKey, 'quick-parent', { taskRunId: finishedTask.id, key: 'late' });
    expect(done.status).toBe(400);
    expect((await done.json()).error).toBe(
      `Parent task run '${finishedTask.id}' (task 'quick-parent') is SUCCEEDED: a finished task cannot start child runs`,
    );
    const malformed = await trigger(stack.apiKey, 'quick-parent', { taskRunId: 'nope', key: '' });
    expect(malformed.status).toBe(400);
    expect(await stack.prisma.workflowRun.count({ where: { parentTaskRunId: { not: null }, workflow: { name: 'quick-parent' } } })).toBe(0);
  });
});
