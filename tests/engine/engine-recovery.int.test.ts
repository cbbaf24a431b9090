import { resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startProcess, type ManagedProcess } from '../../scripts/stack/processes';
import { sleepyWorkflow } from '../fixtures/sleepy-workflow';
import { wipeQueues } from '../helpers/queues';
import { eventually, taskAttempts, waitForStatus } from '../helpers/runs';
import { startTestStack, type TestStack } from '../helpers/stack';
import { useStackWorkers } from '../helpers/workers';

// Postgres is the truth: whatever the queues or processes lose, the engine puts back.
let stack: TestStack;
const workers = useStackWorkers(() => stack);
const children: ManagedProcess[] = [];
const root = resolve(import.meta.dirname, '../..');

beforeAll(async () => {
  stack = await startTestStack({
    env: { WHETSTONE_TASK_LOCK_MS: '2000', WHETSTONE_RECOVERY_INTERVAL_MS: '500', WHETSTONE_RECOVERY_GRACE_MS: '1500' },
  });
});
afterEach(async () => {
  await Promise.all(children.splice(0).map((c) => c.stop('SIGKILL')));
});
afterAll(async () => {
  await stack?.stop();
});

function twoStep(executions: string[]) {
  const wf = stack.ws.workflow<{ id: string }>({ name: 'two-step' });
  const a = wf.task({ name: 'a', fn: (input) => (executions.push(`${input.id}:a`), { x: input.id }) });
  wf.task({ name: 'b', parents: [a], fn: (input, ctx) => (executions.push(`${input.id}:b`), { y: ctx.parentOutput(a).x }) });
  return wf;
}

describe('recovery', () => {
  it('gives the task of a worker killed mid-task to another worker, recording the lost attempt', async () => {
    const proc = startProcess('sleepy', process.execPath, ['--import', 'tsx', 'tests/fixtures/sleepy-worker.ts'], {
      env: { ...stack.env, SLEEP_MS: '5000', WORKER_NAME: 'doomed' },
      echo: false,
      cwd: root,
    });
    children.push(proc);
    await eventually(async () => expect(proc.tail()).toMatch(/ready /), 30_000);
    const wf = sleepyWorkflow(stack.ws, 100);
    const ref = await wf.runNoWait({ id: 'k1' });
    await eventually(async () => expect(proc.tail()).toMatch(/started k1 attempt 1/), 10_000);
    await proc.stop('SIGKILL');

    await workers.start('survivor', [wf]);
    expect(await ref.result()).toEqual({ pid: process.pid, attempt: 2 });
    const task = await taskAttempts(stack.prisma, ref.runId, 'sleepy');
    expect(task.attempts).toBe(2);
    expect(task.attemptsList.map((a) => a.status)).toEqual(['LOST', 'SUCCEEDED']);
    expect(task.attemptsList[0]!.error).toMatch(/stopped responding/);
  });

  it('re-queues queued work the queues lost (FLUSHALL / truncated queue schema), running each task once', async () => {
    const executions: string[] = [];
    const wf = twoStep(executions);
    const registrar = await workers.start('registrar', [wf]);
    await registrar.stop();
    const refs = await Promise.all(['r1', 'r2', 'r3', 'r4', 'r5'].map((id) => wf.runNoWait({ id })));
    await wipeQueues(stack);

    await workers.start('after-flush', [wf]);
    const outputs = await Promise.all(refs.map((r) => r.result()));
    expect(outputs.map((o) => o.b)).toEqual(['r1', 'r2', 'r3', 'r4', 'r5'].map((y) => ({ y })));
    expect(executions.sort()).toEqual(['r1', 'r2', 'r3', 'r4', 'r5'].flatMap((id) => [`${id}:a`, `${id}:b`]).sort());
    const attempts = await stack.prisma.taskRunAttempt.findMany({
      where: { taskRun: { workflowRunId: { in: refs.map((r) => r.runId) } } },
    });
    expect(attempts).toHaveLength(10);
    expect(attempts.every((a) => a.status === 'SUCCEEDED' && a.attempt === 1)).toBe(true);
  });

  it('records the result of a task that was running when the queues were wiped, once', async () => {
    let calls = 0;
    const slow = stack.ws.task({
      name: 'mid-flush',
      fn: async () => {
        calls++;
        await new Promise((r) => setTimeout(r, 1500));
        return 'finished';
      },
    });
    await workers.start('mid-flush-worker', [slow]);
    const ref = await slow.runNoWait({});
    await waitForStatus(stack.prisma, ref.runId, ['RUNNING']);
    await wipeQueues(stack);
    expect(await ref.result()).toBe('finished');
    await new Promise((r) => setTimeout(r, 2500)); // a recovery pass or two
    expect(calls).toBe(1);
    const task = await taskAttempts(stack.prisma, ref.runId, 'mid-flush');
    expect(task.attemptsList.map((a) => a.status)).toEqual(['SUCCEEDED']);
  });

  it('finishes what an engine killed between two writes left half done', async () => {
    const executions: string[] = [];
    const wf = twoStep(executions);
    await workers.start('half-done', [wf]);
    const workflow = await stack.prisma.workflow.findFirstOrThrow({
      where: { name: 'two-step' },
      include: { versions: { orderBy: { version: 'desc' }, take: 1 } },
    });
    const past = new Date(Date.now() - 60_000);
    const base = {
      projectId: stack.projectId,
      workflowId: workflow.id,
      workflowVersionId: workflow.versions[0]!.id,
      createdAt: past,
      startedAt: past,
    };
    // a succeeded, but the engine died before queuing b.
    const childNotQueued = await stack.prisma.workflowRun.create({
      data: {
        ...base,
        status: 'RUNNING',
        input: { id: 'h1' },
        taskRuns: {
          create: [
            {
              taskName: 'a',
              parents: [],
              status: 'SUCCEEDED',
              output: { x: 'h1' },
              attempts: 1,
              queuedAt: past,
              startedAt: past,
              finishedAt: past,
            },
            { taskName: 'b', parents: ['a'] },
          ],
        },
      },
    });
    // a was claimed (QUEUED) but its job never reached the queue.
    const jobNeverAdded = await stack.prisma.workflowRun.create({
      data: {
        ...base,
        status: 'QUEUED',
        input: { id: 'h2' },
        taskRuns: {
          create: [
            { taskName: 'a', parents: [], status: 'QUEUED', attempts: 1, queuedAt: past, scheduleDeadline: new Date(Date.now() + 60_000) },
            { taskName: 'b', parents: ['a'] },
          ],
        },
      },
    });
    // Every task finished, but the run was never closed.
    const notClosed = await stack.prisma.workflowRun.create({
      data: {
        ...base,
        status: 'RUNNING',
        input: { id: 'h3' },
        taskRuns: {
          create: [
            { taskName: 'a', parents: [], status: 'SUCCEEDED', output: { x: 'h3' }, attempts: 1, finishedAt: past },
            { taskName: 'b', parents: ['a'], status: 'SUCCEEDED', output: { y: 'h3' }, attempts: 1, finishedAt: past },
          ],
        },
      },
    });
    for (const run of [childNotQueued, jobNeverAdded, notClosed]) {
      const done = await waitForStatus(stack.prisma, run.id, ['SUCCEEDED']);
      const id = (run.input as { id: string }).id;
      expect(done.output).toEqual({ a: { x: id }, b: { y: id } });
    }
    expect(executions.sort()).toEqual(['h1:b', 'h2:a', 'h2:b']);
  });

  it('loses nothing and doubles nothing with two engines, one of them SIGKILLed and restarted mid-load', async () => {
    const executions: string[] = [];
    const wf = twoStep(executions);
    await workers.start('load-worker', [wf]);
    const second = stack.startEngine();
    await eventually(async () => expect(second.tail()).toMatch(/\[engine\] ready/), 30_000);
    const ids = Array.from({ length: 40 }, (_, i) => `m${i}`);
    const refs = [];
    for (const [i, id] of ids.entries()) {
      refs.push(await wf.runNoWait({ id }));
      if (i === 20) {
        const first = stack.processes.find((p) => p.name === 'engine')!;
        await first.stop('SIGKILL');
        stack.processes.splice(stack.processes.indexOf(first), 1);
        const restarted = stack.startEngine();
        await eventually(async () => expect(restarted.tail()).toMatch(/\[engine\] ready/), 30_000);
      }
    }
    const outputs = await Promise.all(refs.map((r) => r.result()));
    expect(outputs).toHaveLength(40);
    expect(executions.sort()).toEqual(ids.flatMap((id) => [`${id}:a`, `${id}:b`]).sort());
    const succeeded = await stack.prisma.taskRunAttempt.groupBy({
      by: ['taskRunId'],
      where: { status: 'SUCCEEDED', taskRun: { workflowRunId: { in: refs.map((r) => r.runId) } } },
      _count: true,
    });
    expect(succeeded).toHaveLength(80);
    expect(succeeded.every((g) => g._count === 1)).toBe(true);
  });
});
