import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, taskAttempts, waitForStatus } from '../helpers/runs';
import { startTestStack, type TestStack } from '../helpers/stack';
import { useStackWorkers } from '../helpers/workers';

let stack: TestStack;
const workers = useStackWorkers(() => stack);

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
});

describe('cancelling a run', () => {
  it('aborts the running task, never starts the ones after it, and ends the run CANCELLED', async () => {
    const aborted: string[] = [];
    let afterRan = 0;
    const wf = stack.ws.workflow({ name: 'long-job' });
    const long = wf.task({
      name: 'draft',
      executionTimeout: '30s',
      fn: (_input, ctx) =>
        new Promise((resolve) => {
          ctx.abortSignal.addEventListener('abort', () => {
            aborted.push((ctx.abortSignal.reason as Error).message);
            resolve('stopped');
          });
        }),
    });
    wf.task({ name: 'send', parents: [long], fn: () => ++afterRan });
    await workers.start('cancel-worker', [wf]);

    const ref = await wf.runNoWait({});
    await waitForStatus(stack.prisma, ref.runId, ['RUNNING']);
    await eventually(async () => expect((await taskAttempts(stack.prisma, ref.runId, 'draft')).status).toBe('RUNNING'));
    const summary = await ref.cancel();
    expect(summary.status).toBe('CANCELLED');
    await eventually(async () => expect(aborted).toEqual(['The run was cancelled']), 5_000);
    await expect(ref.result()).rejects.toThrow(/CANCELLED/);

    const tasks = await stack.prisma.taskRun.findMany({ where: { workflowRunId: ref.runId }, include: { attemptsList: true } });
    expect(Object.fromEntries(tasks.map((t) => [t.taskName, t.status]))).toEqual({ draft: 'CANCELLED', send: 'CANCELLED' });
    expect(tasks.find((t) => t.taskName === 'draft')!.attemptsList.map((a) => a.status)).toEqual(['CANCELLED']);
    // The worker's late report of the aborted attempt changes nothing.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await stack.prisma.workflowRun.findUniqueOrThrow({ where: { id: ref.runId } })).status).toBe('CANCELLED');
    expect(afterRan).toBe(0);
    // Cancelling again is harmless and says so.
    const again = await fetch(`${stack.url}/api/v1/runs/${ref.runId}/cancel`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.apiKey}` },
    });
    expect(await again.json()).toEqual({ status: 'CANCELLED', cancelled: false });
  });

  it('withdraws queued tasks: a worker that comes later never runs them', async () => {
    let ran = 0;
    const wf = stack.ws.task({ name: 'queued-only', fn: () => ++ran });
    const registrar = stack.ws.worker('registrar', { workflows: [wf], handleSignals: false });
    await registrar.start();
    await registrar.stop();
    const refs = await Promise.all([1, 2, 3].map(() => wf.runNoWait({})));
    for (const ref of refs) expect((await ref.cancel()).status).toBe('CANCELLED');
    await workers.start('late-worker', [wf]);
    const control = await wf.runNoWait({});
    await control.result();
    expect(ran).toBe(1);
    const statuses = await stack.prisma.taskRun.findMany({
      where: { workflowRunId: { in: refs.map((r) => r.runId) } },
      select: { status: true },
    });
    expect(statuses.map((s) => s.status)).toEqual(['CANCELLED', 'CANCELLED', 'CANCELLED']);
  });

  it('answers 404 for an unknown run and leaves a finished run as it is', async () => {
    const post = (id: string) =>
      fetch(`${stack.url}/api/v1/runs/${id}/cancel`, { method: 'POST', headers: { authorization: `Bearer ${stack.apiKey}` } });
    const unknown = await post('0190c0de-0000-7000-8000-000000000000');
    expect(unknown.status).toBe(404);
    expect((await post('not-a-uuid')).status).toBe(404);
    const quick = stack.ws.task({ name: 'quick', fn: () => 'done' });
    await workers.start('quick-worker', [quick]);
    const ref = await quick.runNoWait({});
    await ref.result();
    expect(await (await post(ref.runId)).json()).toEqual({ status: 'SUCCEEDED', cancelled: false });
  });
});
