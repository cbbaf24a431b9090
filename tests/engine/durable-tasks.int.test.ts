import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ChildRunFailedError } from '@whetstone/sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startProcess, type ManagedProcess } from '../../scripts/stack/processes';
import { loadRunDetail } from '../../src/server/runs/detail-query';
import { durableNapWorkflow } from '../fixtures/durable-nap-workflow';
import { eventually } from '../helpers/runs';
import { startTestStack, type TestStack } from '../helpers/stack';
import { useStackWorkers } from '../helpers/workers';

// Durable tasks: steps replay from their recorded results, a waiting task holds no worker slot,
// and the wait survives the processes around it.
let stack: TestStack;
const workers = useStackWorkers(() => stack);
const children: ManagedProcess[] = [];
const root = resolve(import.meta.dirname, '../..');
const scratch = mkdtempSync(join(tmpdir(), 'durable-'));

beforeAll(async () => {
  stack = await startTestStack({
    env: { WHETSTONE_TASK_LOCK_MS: '2000', WHETSTONE_RECOVERY_INTERVAL_MS: '500', WHETSTONE_RECOVERY_GRACE_MS: '1500' },
  });
  projectRef = await stack.prisma.project.findUniqueOrThrow({ where: { id: stack.projectId }, select: { id: true, slug: true } });
});
afterEach(async () => {
  await Promise.all(children.splice(0).map((c) => c.stop('SIGKILL')));
});
afterAll(async () => {
  await stack?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

async function durableTask(runId: string) {
  return stack.prisma.taskRun.findFirstOrThrow({
    where: { workflowRunId: runId },
    include: { durableSteps: { orderBy: { index: 'asc' } }, attemptsList: { orderBy: { attempt: 'asc' } } },
  });
}

async function untilWaiting(runId: string, index: number) {
  return eventually(async () => {
    const task = await durableTask(runId);
    expect(task.status).toBe('WAITING');
    expect(task.durableSteps.map((s) => s.index)).toContain(index);
    return task;
  });
}

let projectRef: { id: string; slug: string };
const project = () => projectRef;

function marks(file: string): string[] {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

describe('durable tasks', () => {
  it('replays a completed sleep instead of sleeping again: code before it runs twice, the step once', async () => {
    const calls = { before: 0, after: 0 };
    const wf = stack.ws.durableTask({
      name: 'sleep-replay',
      fn: async (input: { n: number }, ctx) => {
        calls.before++;
        ctx.usage({ model: 'model-before', inputTokens: 10, outputTokens: 1, costUsd: 0.01 });
        await ctx.sleepFor('1s');
        calls.after++;
        ctx.usage({ model: 'model-after', inputTokens: 20, outputTokens: 2, costUsd: 0.02 });
        return { doubled: input.n * 2 };
      },
    });
    await workers.start('sleep-replay-worker', [wf]);
    const ref = await wf.runNoWait({ n: 21 });
    const waiting = await untilWaiting(ref.runId, 0);
    expect(waiting.waitingFor).toBe('SLEEP');
    expect(await ref.result()).toEqual({ doubled: 42 });
    expect(calls).toEqual({ before: 2, after: 1 });

    const task = await durableTask(ref.runId);
    expect(task.status).toBe('SUCCEEDED');
    expect(task.waitingFor).toBeNull();
    expect(task.durableSteps).toHaveLength(1);
    const [step] = task.durableSteps;
    expect(step).toMatchObject({ index: 0, kind: 'SLEEP', result: { value: null } });
    expect(step!.completedAt!.getTime()).toBeGreaterThanOrEqual(step!.wakeAt!.getTime() - 1000);
    // One attempt: a suspension is not a failed attempt.
    expect(task.attemptsList.map((a) => [a.attempt, a.status])).toEqual([[1, 'SUCCEEDED']]);
    // Each execution's LLM calls are kept: the code before the sleep ran (and called) twice.
    const usage = await stack.prisma.taskRunUsage.findMany({ where: { taskRunId: task.id }, orderBy: { id: 'asc' } });
    expect(usage.map((u) => [u.attempt, u.model])).toEqual([
      [1, 'model-before'],
      [1, 'model-before'],
      [1, 'model-after'],
    ]);
  });

  it('retries a failed execution from its recorded steps, and applies executionTimeout per execution, not to the sleep', async () => {
    const seen: string[] = [];
    const wf = stack.ws.durableTask({
      name: 'retry-after-sleep',
      retries: 1,
      executionTimeout: '1s',
      fn: async (_input, ctx) => {
        seen.push(`attempt ${ctx.attempt}`);
        await ctx.sleepFor('1500ms'); // longer than the timeout: the sleep is no execution
        if (ctx.attempt === 1) throw new Error('flaky after the sleep');
        return 'done';
      },
    });
    await workers.start('retry-after-sleep-worker', [wf]);
    const ref = await wf.runNoWait({});
    expect(await ref.result()).toBe('done');
    // Attempt 2 replays the completed sleep instead of sleeping again.
    expect(seen).toEqual(['attempt 1', 'attempt 1', 'attempt 2']);
    const task = await durableTask(ref.runId);
    expect(task.attemptsList.map((a) => a.status)).toEqual(['FAILED', 'SUCCEEDED']);
    expect(task.durableSteps).toHaveLength(1);
  });

  it('holds no worker slot while it sleeps: a one-slot worker runs the next task meanwhile', async () => {
    const timeline: string[] = [];
    const wf = stack.ws.durableTask({
      name: 'one-slot-nap',
      fn: async (input: { id: string }, ctx) => {
        timeline.push(`before ${input.id}`);
        await ctx.sleepFor('1500ms');
        timeline.push(`after ${input.id}`);
        return input.id;
      },
    });
    await workers.start('one-slot-worker', [wf], { slots: 1 });
    const first = await wf.runNoWait({ id: 'a' });
    await untilWaiting(first.runId, 0);
    const second = await wf.runNoWait({ id: 'b' });
    // The second task starts and suspends while the first still sleeps.
    await untilWaiting(second.runId, 0);
    expect(timeline).not.toContain('after a');
    expect(await Promise.all([first.result(), second.result()])).toEqual(['a', 'b']);
    expect(timeline.indexOf('before b')).toBeLessThan(timeline.indexOf('after a'));
  });

  it('waits for the first event with its key whose payload contains the filter', async () => {
    let executions = 0;
    const wf = stack.ws.durableTask({
      name: 'await-payment',
      fn: async (input: { orderId: string }, ctx) => {
        executions++;
        const paid = await ctx.waitForEvent<{ orderId: string; total: number }>('order:paid', { orderId: input.orderId });
        return { total: paid.total };
      },
    });
    await workers.start('await-payment-worker', [wf]);
    // Pushed before the wait: it does not count.
    await stack.ws.events.push('order:paid', { orderId: 'o1', total: 1 });
    const ref = await wf.runNoWait({ orderId: 'o1' });
    const waiting = await untilWaiting(ref.runId, 0);
    expect(waiting.waitingFor).toBe('EVENT');
    expect(waiting.durableSteps[0]).toMatchObject({ kind: 'EVENT', eventKey: 'order:paid', filter: { orderId: 'o1' }, completedAt: null });
    // The run page says what the task waits for.
    const detail = await loadRunDetail(stack.prisma, project(), ref.runId);
    expect(detail.status).toBe('RUNNING');
    expect(detail.tasks[0]).toMatchObject({
      status: 'WAITING',
      waitingFor: 'EVENT',
      waitingOn: { index: 0, kind: 'EVENT', eventKey: 'order:paid' },
      durableStepCount: 1,
    });

    await stack.ws.events.push('order:paid', { orderId: 'o2', total: 2 });
    await stack.ws.events.push('order:refunded', { orderId: 'o1', total: 3 });
    await new Promise((r) => setTimeout(r, 1500));
    expect((await durableTask(ref.runId)).status).toBe('WAITING');

    await stack.ws.events.push('order:paid', { orderId: 'o1', total: 42, currency: 'EUR' });
    expect(await ref.result()).toEqual({ total: 42 });
    expect(executions).toBe(2);
    const [step] = (await durableTask(ref.runId)).durableSteps;
    expect(step!.result).toEqual({ value: { orderId: 'o1', total: 42, currency: 'EUR' } });
  });

  it('spawns a child run, suspends until it finishes and returns its output (or throws its error)', async () => {
    const counts = { parent: 0, child: 0 };
    const double = stack.ws.task({ name: 'durable-child-double', fn: (input: { n: number }) => (counts.child++, { n: input.n * 2 }) });
    const broken = stack.ws.task({
      name: 'durable-child-broken',
      fn: () => {
        throw new Error('no luck');
      },
    });
    const parent = stack.ws.durableTask({
      name: 'durable-parent',
      fn: async (input: { n: number }, ctx) => {
        counts.parent++;
        const doubled = await ctx.spawnChild(double, { n: input.n });
        let failure = '';
        try {
          await ctx.spawnChild(broken, {});
        } catch (err) {
          failure = `${(err as Error).name}: ${err instanceof ChildRunFailedError}`;
        }
        return { n: doubled.n, failure };
      },
    });
    await workers.start('durable-parent-worker', [parent, double, broken]);
    const ref = await parent.runNoWait({ n: 21 });
    expect(await ref.result()).toEqual({ n: 42, failure: 'ChildRunFailedError: true' });
    expect(counts).toEqual({ parent: 3, child: 1 });

    const task = await durableTask(ref.runId);
    const childRuns = await stack.prisma.workflowRun.findMany({ where: { parentTaskRunId: task.id }, orderBy: { createdAt: 'asc' } });
    expect(childRuns.map((r) => [r.childKey, r.status])).toEqual([
      ['durable-0', 'SUCCEEDED'],
      ['durable-1', 'FAILED'],
    ]);
    expect(task.durableSteps.map((s) => [s.kind, s.childRunId])).toEqual(childRuns.map((r) => ['CHILD', r.id]));
    expect(task.durableSteps[0]!.result).toEqual({ value: { n: 42 } });
    expect(task.durableSteps[1]!.result).toMatchObject({
      error: expect.stringMatching(/^Child run .* of 'durable-child-broken' failed: .*no luck/),
    });
    const detail = await loadRunDetail(stack.prisma, project(), ref.runId);
    expect(detail.tasks[0]!.waitingOn).toBeNull();
    expect(detail.tasks[0]!.durableSteps.map((s) => [s.kind, s.childRunPath, s.value, s.error !== null])).toEqual([
      ['CHILD', `/p/${project().slug}/runs/${childRuns[0]!.id}`, { n: 42 }, false],
      ['CHILD', `/p/${project().slug}/runs/${childRuns[1]!.id}`, null, true],
    ]);
  });

  it('is cancelled while it waits: the run ends, the step is closed and the task never resumes', async () => {
    let after = 0;
    const wf = stack.ws.durableTask({
      name: 'cancel-while-sleeping',
      fn: async (_input, ctx) => {
        await ctx.sleepFor('2s');
        after++;
        return 'woke';
      },
    });
    await workers.start('cancel-sleep-worker', [wf]);
    const ref = await wf.runNoWait({});
    await untilWaiting(ref.runId, 0);
    expect((await ref.cancel()).status).toBe('CANCELLED');
    await expect(ref.result()).rejects.toThrow(/CANCELLED/);
    await new Promise((r) => setTimeout(r, 3500)); // past the wake time, and a few recovery passes
    const task = await durableTask(ref.runId);
    expect(task.status).toBe('CANCELLED');
    expect(task.attemptsList.map((a) => a.status)).toEqual(['CANCELLED']);
    expect(task.durableSteps[0]).toMatchObject({ kind: 'SLEEP', result: { error: 'The run was cancelled' } });
    expect(task.durableSteps[0]!.completedAt).not.toBeNull();
    expect(after).toBe(0);
  });

  it('survives an engine kill and a worker kill during a 2 s sleep, and completes once', async () => {
    const marksFile = join(scratch, 'nap-marks');
    const startWorker = (name: string) => {
      const proc = startProcess(name, process.execPath, ['--import', 'tsx', 'tests/fixtures/durable-nap-worker.ts'], {
        env: { ...stack.env, MARKS_FILE: marksFile, WORKER_NAME: name },
        echo: false,
        cwd: root,
      });
      children.push(proc);
      return proc;
    };
    const doomed = startWorker('nap-doomed');
    await eventually(async () => expect(doomed.tail()).toMatch(/ready /), 30_000);
    const wf = durableNapWorkflow(stack.ws, marksFile);
    const ref = await wf.runNoWait({ id: 'n1', sleep: '2s' });
    const waiting = await untilWaiting(ref.runId, 0);
    const wakeAt = waiting.durableSteps[0]!.wakeAt!;

    const engine = stack.processes.find((p) => p.name === 'engine')!;
    await engine.stop('SIGKILL');
    stack.processes.splice(stack.processes.indexOf(engine), 1);
    await doomed.stop('SIGKILL');
    // The wake time passes with no engine and no worker.
    await new Promise((r) => setTimeout(r, Math.max(0, wakeAt.getTime() - Date.now()) + 500));
    expect((await durableTask(ref.runId)).status).toBe('WAITING');

    const restarted = stack.startEngine();
    await eventually(async () => expect(restarted.tail()).toMatch(/\[engine\] ready/), 30_000);
    const survivor = startWorker('nap-survivor');
    await eventually(async () => expect(survivor.tail()).toMatch(/ready /), 30_000);

    const output = (await ref.result()) as { id: string; pid: number };
    expect(output).toEqual({ id: 'n1', pid: survivor.child.pid });
    const lines = marks(marksFile);
    expect(lines.filter((l) => l.startsWith('before n1')).length).toBeLessThanOrEqual(2);
    expect(lines.filter((l) => l.startsWith('after n1'))).toEqual([`after n1 ${survivor.child.pid}`]);
    const runs = await stack.prisma.workflowRun.findMany({ where: { workflow: { name: 'durable-nap' } } });
    expect(runs.map((r) => r.status)).toEqual(['SUCCEEDED']);
    const task = await durableTask(ref.runId);
    expect(task.durableSteps.map((s) => [s.index, s.kind, s.completedAt !== null])).toEqual([[0, 'SLEEP', true]]);
    expect(task.attemptsList.map((a) => a.status)).toEqual(['SUCCEEDED']);
  });
});
