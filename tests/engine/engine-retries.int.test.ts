import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { NonRetryableError, WhetstoneRunError } from '@whetstone/sdk';
import { eventually, taskAttempts } from '../helpers/runs';
import { startTestStack, type TestStack } from '../helpers/stack';
import { useStackWorkers } from '../helpers/workers';

let stack: TestStack;
const workers = useStackWorkers(() => stack);

beforeAll(async () => {
  stack = await startTestStack({ env: { WHETSTONE_RECOVERY_INTERVAL_MS: '300', WHETSTONE_RECOVERY_GRACE_MS: '1000' } });
});
afterAll(async () => {
  await stack?.stop();
});

describe('retries, backoff and errors', () => {
  it('retries a failing task with backoff and records every attempt with its error and timing', async () => {
    const wf = stack.ws.workflow({ name: 'flaky' });
    wf.task({
      name: 'call-model',
      retries: 2,
      backoff: { factor: 2, maxSeconds: 1 },
      fn: (_input, ctx) => {
        if (ctx.attempt < 3) throw new Error(`model overloaded (attempt ${ctx.attempt})`);
        return { answer: 42, retryCount: ctx.retryCount };
      },
    });
    await workers.start('flaky-worker', [wf]);
    const ref = await wf.runNoWait({});
    expect(await ref.result()).toEqual({ 'call-model': { answer: 42, retryCount: 2 } });

    const task = await taskAttempts(stack.prisma, ref.runId, 'call-model');
    expect(task.attempts).toBe(3);
    expect(task.attemptsList.map((a) => a.status)).toEqual(['FAILED', 'FAILED', 'SUCCEEDED']);
    expect(task.attemptsList[0]!.error).toContain('model overloaded (attempt 1)');
    expect(task.attemptsList[1]!.error).toContain('model overloaded (attempt 2)');
    // factor 2, capped at 1 s: each retry waits 1 s after the previous attempt failed.
    for (const [prev, next] of [
      [0, 1],
      [1, 2],
    ] as const) {
      const gap = task.attemptsList[next]!.startedAt!.getTime() - task.attemptsList[prev]!.finishedAt!.getTime();
      expect(gap).toBeGreaterThanOrEqual(900);
      expect(gap).toBeLessThan(5000);
    }
    expect(task.attemptsList.every((a) => a.workerId !== null && a.startedAt && a.finishedAt)).toBe(true);
  });

  it('fails after the last retry, and never retries a NonRetryableError', async () => {
    let plainCalls = 0;
    let fatalCalls = 0;
    const plain = stack.ws.task({
      name: 'always-fails',
      retries: 1,
      fn: () => {
        plainCalls++;
        throw new Error('still broken');
      },
    });
    const fatal = stack.ws.task({
      name: 'fatal',
      retries: 3,
      fn: () => {
        fatalCalls++;
        throw new NonRetryableError('customer does not exist');
      },
    });
    await workers.start('failing-worker', [plain, fatal]);

    const plainRef = await plain.runNoWait({});
    await expect(plainRef.result()).rejects.toThrow(/still broken/);
    expect(plainCalls).toBe(2);
    expect((await taskAttempts(stack.prisma, plainRef.runId, 'always-fails')).attemptsList.map((a) => a.status)).toEqual([
      'FAILED',
      'FAILED',
    ]);

    const fatalRef = await fatal.runNoWait({});
    const error = await fatalRef.result().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WhetstoneRunError);
    expect((error as Error).message).toContain('NonRetryableError: customer does not exist');
    expect(fatalCalls).toBe(1);
    expect((await taskAttempts(stack.prisma, fatalRef.runId, 'fatal')).attemptsList).toHaveLength(1);
  });

  it('times out an attempt at executionTimeout: the abort signal fires, the attempt is TIMED_OUT and retried', async () => {
    const aborted: string[] = [];
    const slow = stack.ws.task({
      name: 'slow-model',
      retries: 1,
      executionTimeout: '400ms',
      fn: (_input, ctx) =>
        new Promise((resolve) => {
          ctx.abortSignal.addEventListener('abort', () => {
            aborted.push((ctx.abortSignal.reason as Error).name);
            resolve('too late');
          });
        }),
    });
    await workers.start('slow-worker', [slow]);
    const ref = await slow.runNoWait({});
    await expect(ref.result()).rejects.toThrow(/executionTimeout \(400ms\)/);
    const task = await taskAttempts(stack.prisma, ref.runId, 'slow-model');
    expect(task.attemptsList.map((a) => a.status)).toEqual(['TIMED_OUT', 'TIMED_OUT']);
    expect(aborted).toEqual(['TaskTimeoutError', 'TaskTimeoutError']);
    const took = task.attemptsList[0]!.finishedAt!.getTime() - task.attemptsList[0]!.startedAt!.getTime();
    expect(took).toBeGreaterThanOrEqual(350);
    expect(took).toBeLessThan(3000);
  });

  it('fails a task no worker starts within its scheduleTimeout, without running it', async () => {
    let ran = 0;
    const lonely = stack.ws.task({ name: 'lonely', scheduleTimeout: '1s', fn: () => ++ran });
    const worker = await workers.start('lonely-worker', [lonely]);
    await worker.stop();
    const ref = await lonely.runNoWait({});
    await expect(ref.result()).rejects.toThrow(/scheduleTimeout \(1s\)/);
    const task = await taskAttempts(stack.prisma, ref.runId, 'lonely');
    expect(task.status).toBe('FAILED');
    expect(task.attemptsList).toHaveLength(1);
    expect(task.attemptsList[0]!.startedAt).toBeNull();
    // A worker that comes later does not run it either.
    await workers.start('lonely-worker-2', [lonely]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(ran).toBe(0);
  });

  it('runs the onFailure task with the errors after a task failed, and skips it when the run succeeds', async () => {
    const seen: Record<string, string>[] = [];
    const wf = stack.ws.workflow<{ fail: boolean }>({ name: 'with-handler' });
    const first = wf.task({
      name: 'charge',
      fn: (input) => {
        if (input.fail) throw new Error('card declined');
        return { ok: true };
      },
    });
    wf.task({ name: 'receipt', parents: [first], fn: () => ({ sent: true }) });
    wf.onFailure({ name: 'alert', fn: (_input, ctx) => (seen.push(ctx.taskErrors()), { alerted: true }) });
    await workers.start('handler-worker', [wf]);

    const failing = await wf.runNoWait({ fail: true });
    await expect(failing.result()).rejects.toThrow(/Task 'charge' failed: Error: card declined/);
    const tasks = await stack.prisma.taskRun.findMany({ where: { workflowRunId: failing.runId } });
    const status = Object.fromEntries(tasks.map((t) => [t.taskName, t.status]));
    expect(status).toEqual({ charge: 'FAILED', receipt: 'SKIPPED', alert: 'SUCCEEDED' });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.charge).toContain('card declined');

    expect(await wf.run({ fail: false })).toEqual({ charge: { ok: true }, receipt: { sent: true } });
    const ok = await stack.prisma.workflowRun.findFirstOrThrow({
      where: { workflow: { name: 'with-handler' }, status: 'SUCCEEDED' },
      include: { taskRuns: true },
    });
    expect(ok.taskRuns.find((t) => t.taskName === 'alert')!.status).toBe('SKIPPED');
    expect(seen).toHaveLength(1);
  });
});

describe('trigger options', () => {
  it('refuses input the inputValidator rejects, in the SDK and on the server, with the zod message', async () => {
    const wf = stack.ws.task({
      name: 'validated',
      inputValidator: z.object({ customerId: z.string().min(2), tier: z.enum(['free', 'pro']).default('free') }),
      fn: (input) => input,
    });
    await workers.start('validated-worker', [wf]);
    await expect(wf.runNoWait({ customerId: 7 } as never)).rejects.toThrow(/Invalid input for workflow 'validated'.*customerId/s);
    expect(await wf.run({ customerId: 'c42' } as never)).toEqual({ customerId: 'c42', tier: 'free' });

    // Another trigger path (plain REST, e.g. curl) gets the same check on the server.
    const response = await fetch(`${stack.url}/api/v1/workflows/validated/runs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ input: { customerId: 'x', tier: 'gold' } }),
    });
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: string };
    expect(error).toMatch(/^Invalid input for workflow 'validated':/);
    expect(error).toMatch(/customerId/);
    expect(error).toMatch(/tier/);
  });

  it('starts one run per idempotency key and keeps additionalMetadata', async () => {
    const echo = stack.ws.task({ name: 'echo-meta', fn: (_input, ctx) => ctx.additionalMetadata });
    await workers.start('echo-worker', [echo]);
    const first = await echo.runNoWait({}, { idempotencyKey: 'order-1001', additionalMetadata: { customerId: 'c42' } });
    const second = await echo.runNoWait({}, { idempotencyKey: 'order-1001', additionalMetadata: { customerId: 'c42' } });
    expect(second.runId).toBe(first.runId);
    expect(await first.result()).toEqual({ customerId: 'c42' });
    expect(await stack.prisma.workflowRun.count({ where: { workflow: { name: 'echo-meta' } } })).toBe(1);
  });

  it('runs higher-priority runs first when a worker has a backlog', async () => {
    const order: string[] = [];
    const wf = stack.ws.task({ name: 'prioritised', fn: (input: { id: string }) => void order.push(input.id) });
    const idle = await workers.start('prio-register', [wf]);
    await idle.stop();
    const refs = [];
    for (const id of ['low-1', 'low-2', 'low-3']) refs.push(await wf.runNoWait({ id }, { priority: 1 }));
    for (const id of ['urgent-1', 'urgent-2']) refs.push(await wf.runNoWait({ id }, { priority: 3 }));
    await workers.start('prio-worker', [wf], { slots: 1 });
    await Promise.all(refs.map((r) => r.result()));
    expect(order.slice(0, 2).sort()).toEqual(['urgent-1', 'urgent-2']);
    const runs = await stack.prisma.workflowRun.findMany({ where: { workflow: { name: 'prioritised' } }, select: { priority: true } });
    expect(runs.map((r) => r.priority).sort()).toEqual([1, 1, 1, 3, 3]);
  });

  it('makes a new version when a definition changes; runs keep the version they started with', async () => {
    const v1 = stack.ws.workflow({ name: 'versioned' });
    v1.task({ name: 'one', fn: () => 1 });
    const w1 = await workers.start('v1-worker', [v1]);
    await w1.stop();
    const oldRun = await v1.runNoWait({});

    const v2 = stack.ws.workflow({ name: 'versioned' });
    const one = v2.task({ name: 'one', fn: () => 1 });
    v2.task({ name: 'two', parents: [one], fn: () => 2 });
    await workers.start('v2-worker', [v2]);
    expect(await oldRun.result()).toEqual({ one: 1 });
    expect(await v2.run({})).toEqual({ one: 1, two: 2 });
    const runs = await stack.prisma.workflowRun.findMany({
      where: { workflow: { name: 'versioned' } },
      include: { workflowVersion: true, taskRuns: true },
      orderBy: { createdAt: 'asc' },
    });
    expect(runs.map((r) => [r.workflowVersion.version, r.taskRuns.length])).toEqual([
      [1, 1],
      [2, 2],
    ]);
  });

  it('refuses invalid task options and cron expressions when the workflow is defined', () => {
    const wf = stack.ws.workflow({ name: 'bad-options' });
    expect(() => wf.task({ name: 't', executionTimeout: '30 seconds', fn: () => 1 })).toThrow(
      /executionTimeout: Invalid duration "30 seconds"/,
    );
    expect(() => wf.task({ name: 't', retries: -1, fn: () => 1 })).toThrow(/retries must be an integer from 0 to 100/);
    expect(() => stack.ws.workflow({ name: 'bad-cron', on: { cron: '61 * * * *' } })).toThrow(/Invalid cron expression "61 \* \* \* \*"/);
    void eventually;
  });
});
