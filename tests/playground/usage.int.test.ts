import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkerReport } from '@whetstone/sdk/contract';
import { applyWorkerReport } from '../../src/server/engine/reports';
import { priceUsage } from '../../src/server/engine/usage';
import { closeQueueKit } from '../../src/server/queue/project-queues';
import { createCaller } from '../../src/server/router';
import { eventually } from '../helpers/runs';
import { startTestStack, type TestStack } from '../helpers/stack';
import { stubStackEnv, useStackWorkers } from '../helpers/workers';
import { createUser } from '../helpers/users';

// LLM usage end to end: SDK ctx.usage() → report → engine → TaskRunUsage → usage.* procedures.
let stack: TestStack;
let caller: ReturnType<typeof createCaller>;
const workers = useStackWorkers(() => stack);

beforeAll(async () => {
  stack = await startTestStack();
  const viewer = await createUser(stack.prisma, { role: 'viewer', projectId: stack.projectId });
  caller = createCaller({ db: stack.prisma, user: { id: viewer.id, email: viewer.email, name: null } });
  stubStackEnv(stack); // applyWorkerReport below runs in this process
});
afterAll(async () => {
  await closeQueueKit();
  await stack?.stop();
});

const cost = (model: string, inputTokens: number, outputTokens: number) =>
  priceUsage({ model, inputTokens, outputTokens }, new Date()).costUsd!;

const usageRows = (runId: string) =>
  stack.prisma.taskRunUsage.findMany({
    where: { taskRun: { workflowRunId: runId } },
    orderBy: { id: 'asc' },
    select: {
      attempt: true,
      model: true,
      provider: true,
      inputTokens: true,
      outputTokens: true,
      costUsd: true,
      costSource: true,
      taskRun: { select: { taskName: true, id: true } },
    },
  });

describe('LLM usage', () => {
  it('stores every call per attempt (failed ones too), prices it, and sums it per run and per workflow', async () => {
    const wf = stack.ws.workflow({ name: 'usage-int' });
    const draft = wf.task({
      name: 'draft',
      fn: (_input, ctx) => {
        ctx.usage({ model: 'gpt-4o-mini', provider: 'openai', inputTokens: 1200, outputTokens: 300 });
        ctx.usage({ model: 'claude-3-5-haiku-latest', inputTokens: 500, outputTokens: 100, costUsd: 0.002 });
        return { text: 'hello' };
      },
    });
    wf.task({
      name: 'polish',
      parents: [draft],
      retries: 1,
      fn: (_input, ctx) => {
        if (ctx.attempt === 1) {
          ctx.usage({ model: 'in-house-llm', inputTokens: 100, outputTokens: 10 });
          throw new Error('model overloaded');
        }
        ctx.usage({ model: 'gpt-4o-mini', inputTokens: 200, outputTokens: 50 });
        return { text: 'HELLO' };
      },
    });
    const worker = await workers.start('usage-int', [wf]);
    const first = await wf.runNoWait({});
    await first.result();
    const second = await wf.runNoWait({});
    await second.result();

    const rows = await usageRows(first.runId);
    expect(rows.map((r) => [r.taskRun.taskName, r.attempt, r.model, r.inputTokens, r.outputTokens, r.costSource])).toEqual([
      ['draft', 1, 'gpt-4o-mini', 1200, 300, 'COMPUTED'],
      ['draft', 1, 'claude-3-5-haiku-latest', 500, 100, 'REPORTED'],
      ['polish', 1, 'in-house-llm', 100, 10, 'UNKNOWN'],
      ['polish', 2, 'gpt-4o-mini', 200, 50, 'COMPUTED'],
    ]);
    expect(rows[0]!.provider).toBe('openai');
    expect(rows[0]!.costUsd).toBeCloseTo(cost('gpt-4o-mini', 1200, 300), 12);
    expect(rows[0]!.costUsd).toBeGreaterThan(0);
    expect(rows[1]!.costUsd).toBe(0.002);
    expect(rows[2]!.costUsd).toBeNull();

    const runCost = cost('gpt-4o-mini', 1200, 300) + 0.002 + cost('gpt-4o-mini', 200, 50);
    const forRun = await caller.usage.forRun({ project: 'default', runId: first.runId });
    expect(forRun.finished).toBe(true);
    expect(forRun.tasks.map((t) => [t.taskName, t.attempts, t.calls, t.inputTokens, t.outputTokens, t.unpricedCalls])).toEqual([
      ['draft', 1, 2, 1700, 400, 0],
      ['polish', 2, 2, 300, 60, 1],
    ]);
    expect(forRun.tasks[0]!.costUsd).toBeCloseTo(cost('gpt-4o-mini', 1200, 300) + 0.002, 12);
    expect(forRun.tasks[1]!.costUsd).toBeCloseTo(cost('gpt-4o-mini', 200, 50), 12);
    expect(forRun.tasks[1]!.models.map((m) => [m.model, m.calls, m.costUsd === null])).toEqual([
      ['gpt-4o-mini', 1, false],
      ['in-house-llm', 1, true],
    ]);
    expect(forRun.total).toMatchObject({
      calls: 4,
      inputTokens: 2000,
      outputTokens: 460,
      unpricedCalls: 1,
      unpricedModels: ['in-house-llm'],
    });
    expect(forRun.total.costUsd).toBeCloseTo(runCost, 12);
    expect(forRun.total.models.find((m) => m.model === 'gpt-4o-mini')).toMatchObject({ calls: 2, inputTokens: 1400, outputTokens: 350 });

    const byWorkflow = await caller.usage.byWorkflow({ project: 'default', from: new Date(Date.now() - 3_600_000) });
    const usageInt = byWorkflow.workflows.find((w) => w.workflow === 'usage-int')!;
    expect(usageInt).toMatchObject({ runs: 2, calls: 8, inputTokens: 4000, outputTokens: 920, unpricedCalls: 1 + 1 });
    expect(usageInt.costUsd).toBeCloseTo(2 * runCost, 12);
    expect(usageInt.models.map((m) => [m.model, m.calls])).toEqual(
      expect.arrayContaining([
        ['gpt-4o-mini', 4],
        ['claude-3-5-haiku-latest', 2],
        ['in-house-llm', 2],
      ]),
    );
    expect(usageInt.tasks.map((t) => [t.task, t.runs, t.calls, t.inputTokens, t.outputTokens]).sort()).toEqual([
      ['draft', 2, 4, 3400, 800],
      ['polish', 2, 4, 600, 120],
    ]);
    // A range that ends before the runs were created holds none of them.
    const before = await caller.usage.byWorkflow({ project: 'default', to: new Date(Date.now() - 3_600_000) });
    expect(before.workflows.find((w) => w.workflow === 'usage-int')).toBeUndefined();

    // The same reports re-delivered (a BullMQ retry after an engine died): nothing is stored twice.
    const draftTask = rows[0]!.taskRun;
    const polishTask = rows[2]!.taskRun;
    const workerId = worker.id!;
    const at = new Date().toISOString();
    const succeeded: WorkerReport = {
      type: 'task.succeeded',
      taskRunId: draftTask.id,
      attempt: 1,
      workerId,
      output: { text: 'hello' },
      at,
      usage: [
        { model: 'gpt-4o-mini', provider: 'openai', inputTokens: 1200, outputTokens: 300 },
        { model: 'claude-3-5-haiku-latest', inputTokens: 500, outputTokens: 100, costUsd: 0.002 },
      ],
    };
    const failed: WorkerReport = {
      type: 'task.failed',
      taskRunId: polishTask.id,
      attempt: 1,
      workerId,
      kind: 'error',
      error: { message: 'model overloaded' },
      at,
      usage: [{ model: 'in-house-llm', inputTokens: 100, outputTokens: 10 }],
    };
    for (const report of [succeeded, succeeded, failed, failed])
      await applyWorkerReport(stack.prisma, report, { projectId: stack.projectId });
    expect(await usageRows(first.runId)).toEqual(rows);
    expect((await caller.usage.forRun({ project: 'default', runId: first.runId })).total.calls).toBe(4);
  });

  it('stores a report delivered twice at once only once', async () => {
    const wf = stack.ws.workflow({ name: 'usage-redelivered' });
    wf.task({ name: 'only', fn: () => ({}) });
    const worker = await workers.start('usage-redelivered', [wf]);
    const workerId = worker.id!;
    await worker.stop(); // nobody runs the task: this test plays the worker
    const ref = await wf.runNoWait({});
    const task = await eventually(() => stack.prisma.taskRun.findFirstOrThrow({ where: { workflowRunId: ref.runId, status: 'QUEUED' } }));

    const report: WorkerReport = {
      type: 'task.succeeded',
      taskRunId: task.id,
      attempt: 1,
      workerId,
      output: { ok: true },
      at: new Date().toISOString(),
      usage: [
        { model: 'gpt-4o-mini', inputTokens: 10, outputTokens: 5 },
        { model: 'gpt-4o', inputTokens: 20, outputTokens: 7 },
        { model: 'gpt-4o', inputTokens: 1, outputTokens: 1 },
      ],
    };
    const source = { projectId: stack.projectId };
    await Promise.all([
      applyWorkerReport(stack.prisma, report, source),
      applyWorkerReport(stack.prisma, report, source),
      applyWorkerReport(stack.prisma, report, source),
    ]);
    await applyWorkerReport(stack.prisma, report, source);

    const rows = await usageRows(ref.runId);
    expect(rows.map((r) => [r.model, r.inputTokens, r.outputTokens])).toEqual([
      ['gpt-4o-mini', 10, 5],
      ['gpt-4o', 20, 7],
      ['gpt-4o', 1, 1],
    ]);
    expect(await stack.prisma.taskRun.findUniqueOrThrow({ where: { id: task.id }, select: { status: true } })).toEqual({
      status: 'SUCCEEDED',
    });
    const forRun = await caller.usage.forRun({ project: 'default', runId: ref.runId });
    expect(forRun.total).toMatchObject({ calls: 3, inputTokens: 31, outputTokens: 13, unpricedCalls: 0 });
    expect(forRun.total.models.find((m) => m.model === 'gpt-4o')).toMatchObject({ calls: 2, inputTokens: 21, outputTokens: 8 });
  });

  it('a run without usage has none, and another project cannot read a run', async () => {
    const wf = stack.ws.workflow({ name: 'usage-none' });
    wf.task({ name: 'quiet', fn: () => ({}) });
    await workers.start('usage-none', [wf]);
    const ref = await wf.runNoWait({});
    await ref.result();
    const forRun = await caller.usage.forRun({ project: 'default', runId: ref.runId });
    expect(forRun.tasks).toEqual([]);
    expect(forRun.total).toMatchObject({ calls: 0, costUsd: 0 });
    await expect(caller.usage.forRun({ project: 'default', runId: '01890000-0000-7000-8000-000000000000' })).rejects.toThrow(/not found/);
  });
});
