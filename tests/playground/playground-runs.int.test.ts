import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlaygroundRuns } from '../../src/server/playground/runs';
import { closeQueueKit } from '../../src/server/queue/project-queues';
import { startTestStack, type TestStack } from '../helpers/stack';
import { eventually, waitForStatus } from '../helpers/runs';
import { memberCaller } from '../helpers/users';
import { stubStackEnv, useStackWorkers } from '../helpers/workers';

// Playground runs on real workers: a task of a finished run re-run with overrides as a new run,
// its parents' outputs frozen from the source, the source untouched.
let stack: TestStack;
const workers = useStackWorkers(() => stack);

beforeAll(async () => {
  stack = await startTestStack();
  stubStackEnv(stack); // startPlaygroundRuns below enqueues from this process
});
afterAll(async () => {
  await closeQueueKit();
  await stack?.stop();
});

/** fetch → draft (two playground variables) → review; counts how often each task really ran. */
function supportDag(name: string) {
  const executions = { fetch: 0, draft: 0, review: 0 };
  const wf = stack.ws.workflow<{ ticket: string }>({ name });
  const fetch = wf.task({
    name: 'fetch',
    fn: (input: { ticket: string }) => (executions.fetch++, { ticket: input.ticket, fetchedAt: executions.fetch }),
  });
  const draft = wf.task({
    name: 'draft',
    parents: [fetch],
    fn: async (input: { ticket: string }, ctx) => {
      executions.draft++;
      const prompt = ctx.playground('prompt', 'Be brief.');
      const temperature = ctx.playground('temperature', 0.2);
      const fetched = await ctx.parentOutput(fetch);
      return { reply: `${prompt} [${temperature}] re: ${input.ticket}`, fetchedAt: (fetched as { fetchedAt: number }).fetchedAt };
    },
  });
  wf.task({
    name: 'review',
    parents: [draft],
    fn: async (_i, ctx) => (executions.review++, { reviewed: ((await ctx.parentOutput(draft)) as { reply: string }).reply.length }),
  });
  return { wf, executions };
}

const taskOf = (runId: string, taskName: string) =>
  stack.prisma.taskRun.findUniqueOrThrow({ where: { workflowRunId_taskName: { workflowRunId: runId, taskName } } });

describe('playground runs', () => {
  it('re-runs one step with overrides as a new run; parents frozen from the source, which is unchanged', async () => {
    const { wf, executions } = supportDag('pg-step');
    await workers.start('pg-step', [wf]);
    const source = await wf.runNoWait({ ticket: 'refund please' });
    const sourceResult = await source.result();
    expect(executions).toEqual({ fetch: 1, draft: 1, review: 1 });

    const started = await startPlaygroundRuns(stack.prisma, stack.projectId, {
      sourceRunId: source.runId,
      taskName: 'draft',
      mode: 'STEP',
      variants: [{ overrides: { prompt: 'Apologise first.' } }],
    });
    expect(started.runs).toHaveLength(1);
    const runId = started.runs[0]!.runId;
    const run = await waitForStatus(stack.prisma, runId, ['SUCCEEDED', 'FAILED']);
    expect(run.status).toBe('SUCCEEDED');
    expect(run.triggerSource).toBe('PLAYGROUND');

    // Only draft ran again, with the override and the source's fetch output (fetchedAt 1).
    expect(executions).toEqual({ fetch: 1, draft: 2, review: 1 });
    const draft = await taskOf(runId, 'draft');
    expect(draft.output).toEqual({ reply: 'Apologise first. [0.2] re: refund please', fetchedAt: 1 });
    expect(draft.overrides).toEqual({ prompt: 'Apologise first.' });
    const fetch = await taskOf(runId, 'fetch');
    expect([fetch.frozen, fetch.status, fetch.output]).toEqual([true, 'SUCCEEDED', { ticket: 'refund please', fetchedAt: 1 }]);
    // review is downstream but not re-run in STEP mode: it keeps the source's output.
    const review = await taskOf(runId, 'review');
    expect([review.frozen, review.output]).toEqual([true, (sourceResult as { review: unknown }).review]);

    const variables = await stack.prisma.taskRunVariable.findMany({ where: { taskRunId: draft.id }, orderBy: { name: 'asc' } });
    expect(variables.map((v) => [v.name, v.value, v.overridden])).toEqual([
      ['prompt', 'Apologise first.', true],
      ['temperature', 0.2, false],
    ]);
    const link = await stack.prisma.playgroundRun.findUniqueOrThrow({ where: { runId } });
    expect([link.sourceRunId, link.taskName, link.mode, link.batchId, link.variant]).toEqual([
      source.runId,
      'draft',
      'STEP',
      started.batchId,
      0,
    ]);

    const sourceDraft = await taskOf(source.runId, 'draft');
    expect(sourceDraft.output).toEqual({ reply: 'Be brief. [0.2] re: refund please', fetchedAt: 1 });
    expect(sourceDraft.overrides).toBeNull();
  });

  it('runs from here: the task and everything downstream, with an edited input', async () => {
    const { wf, executions } = supportDag('pg-from-here');
    await workers.start('pg-from-here', [wf]);
    const source = await wf.runNoWait({ ticket: 'where is my order' });
    await source.result();

    const { runs } = await startPlaygroundRuns(stack.prisma, stack.projectId, {
      sourceRunId: source.runId,
      taskName: 'draft',
      mode: 'FROM_HERE',
      input: { ticket: 'order #42 is late' },
      variants: [{ overrides: { temperature: 0.9 } }],
    });
    const run = await waitForStatus(stack.prisma, runs[0]!.runId, ['SUCCEEDED', 'FAILED']);
    expect(run.status).toBe('SUCCEEDED');
    expect(run.input).toEqual({ ticket: 'order #42 is late' });
    expect(executions).toEqual({ fetch: 1, draft: 2, review: 2 });
    const reply = 'Be brief. [0.9] re: order #42 is late';
    expect(run.output).toEqual({
      fetch: { ticket: 'where is my order', fetchedAt: 1 },
      draft: { reply, fetchedAt: 1 },
      review: { reviewed: reply.length },
    });
    expect((await taskOf(run.id, 'review')).frozen).toBe(false);
  });

  it('runs up to six variants side by side; batch and history report them through the router', async () => {
    const { wf } = supportDag('pg-variants');
    await workers.start('pg-variants', [wf]);
    const source = await wf.runNoWait({ ticket: 't' });
    await source.result();
    const { user: owner, caller, project } = await memberCaller(stack, 'editor');

    const page = await caller.playground.task({ project, runId: source.runId, task: 'draft' });
    expect(page.variables.map((v) => [v.name, v.defaultValue, v.sourceValue, v.stale])).toEqual([
      ['prompt', 'Be brief.', 'Be brief.', false],
      ['temperature', 0.2, 0.2, false],
    ]);
    expect(page.parentOutputs).toEqual([{ name: 'fetch', status: 'SUCCEEDED', output: { ticket: 't', fetchedAt: 1 } }]);
    expect(page.downstream).toEqual(['review']);
    expect(page.missingWorkers).toEqual([]);

    const temperatures = [0, 0.3, 0.6];
    const started = await caller.playground.run({
      project,
      runId: source.runId,
      task: 'draft',
      mode: 'STEP',
      variants: temperatures.map((temperature) => ({ overrides: { prompt: 'Hi.', temperature } })),
    });
    const batch = await eventually(async () => {
      const b = await caller.playground.batch({ project, batchId: started.batchId });
      if (!b.finished) throw new Error('still running');
      return b;
    });
    expect(batch.variants.map((v) => [v.variant, v.runStatus, (v.task!.output as { reply: string }).reply])).toEqual(
      temperatures.map((t, i) => [i, 'SUCCEEDED', `Hi. [${t}] re: t`]),
    );
    expect(batch.variants[0]!.task!.values).toEqual([
      { name: 'prompt', value: 'Hi.', overridden: true },
      { name: 'temperature', value: 0, overridden: true },
    ]);
    expect(batch.createdBy).toBe(owner.email);

    const history = await caller.playground.history({ project, runId: source.runId, task: 'draft' });
    expect(history).toHaveLength(1);
    expect(history[0]!.variants.map((v) => v.overrides)).toEqual(temperatures.map((temperature) => ({ prompt: 'Hi.', temperature })));
  });

  it('refuses bad requests with a clear message and starts nothing', async () => {
    const { wf } = supportDag('pg-errors');
    await workers.start('pg-errors', [wf]);
    const source = await wf.runNoWait({ ticket: 't' });
    await source.result();
    const before = await stack.prisma.workflowRun.count();
    const start = (over: Partial<Parameters<typeof startPlaygroundRuns>[2]>) =>
      startPlaygroundRuns(stack.prisma, stack.projectId, {
        sourceRunId: source.runId,
        taskName: 'draft',
        mode: 'STEP',
        variants: [{ overrides: {} }],
        ...over,
      });

    await expect(start({ variants: [{ overrides: { temperature: 'hot' } }] })).rejects.toThrow(
      "Variant 1: 'temperature' is a number in code; the new value is a string",
    );
    await expect(start({ variants: [{ overrides: {} }, { overrides: { tone: 'warm' } }] })).rejects.toThrow(
      "Variant 2: task 'draft' exposes no playground variable 'tone'",
    );
    await expect(start({ variants: Array.from({ length: 7 }, () => ({ overrides: {} })) })).rejects.toThrow('1 to 6 variants');
    await expect(start({ taskName: 'publish' })).rejects.toMatchObject({
      kind: 'not_found',
      message: "Workflow 'pg-errors' (version 1) has no task 'publish'",
    });
    await expect(start({ sourceRunId: '00000000-0000-7000-8000-000000000000' })).rejects.toMatchObject({ kind: 'not_found' });
    await expect(start({ sourceRunId: 'not-a-uuid' })).rejects.toMatchObject({ kind: 'not_found' });
    expect(await stack.prisma.workflowRun.count()).toBe(before);
  });

  it('a retried attempt of a playground run keeps its overrides', async () => {
    const wf = stack.ws.workflow({ name: 'pg-retry' });
    let calls = 0;
    wf.task({
      name: 'flaky',
      retries: 1,
      fn: (_i, ctx) => {
        const prompt = ctx.playground('prompt', 'default');
        calls++;
        if (ctx.attempt === 1 && prompt !== 'default') throw new Error('first attempt of the playground run fails');
        return { prompt, attempt: ctx.attempt };
      },
    });
    await workers.start('pg-retry', [wf]);
    const source = await wf.runNoWait({});
    await source.result();
    const { runs } = await startPlaygroundRuns(stack.prisma, stack.projectId, {
      sourceRunId: source.runId,
      taskName: 'flaky',
      mode: 'STEP',
      variants: [{ overrides: { prompt: 'edited' } }],
    });
    const run = await waitForStatus(stack.prisma, runs[0]!.runId, ['SUCCEEDED', 'FAILED']);
    expect(run.output).toEqual({ flaky: { prompt: 'edited', attempt: 2 } });
    expect(calls).toBe(3);
  });

  it('refuses a step whose parent did not succeed in the source run', async () => {
    const wf = stack.ws.workflow({ name: 'pg-broken-parent' });
    const fetch = wf.task({
      name: 'fetch',
      fn: () => {
        throw new Error('upstream down');
      },
    });
    wf.task({ name: 'draft', parents: [fetch], fn: (_i, ctx) => ctx.playground('prompt', 'x') });
    await workers.start('pg-broken-parent', [wf]);
    const source = await wf.runNoWait({});
    await waitForStatus(stack.prisma, source.runId, ['FAILED']);
    await expect(
      startPlaygroundRuns(stack.prisma, stack.projectId, {
        sourceRunId: source.runId,
        taskName: 'draft',
        mode: 'STEP',
        variants: [{ overrides: {} }],
      }),
    ).rejects.toThrow(`Task 'draft' needs the output of 'fetch', which did not succeed in run ${source.runId}`);
  });

  it('with no live worker for the task, the page says so and the queued variant waits for one', async () => {
    const { wf } = supportDag('pg-no-worker');
    const worker = await workers.start('pg-no-worker', [wf]);
    const source = await wf.runNoWait({ ticket: 't' });
    await source.result();
    await worker.stop();
    const { caller, project } = await memberCaller(stack, 'editor');

    const page = await caller.playground.task({ project, runId: source.runId, task: 'draft' });
    expect(page.missingWorkers).toEqual(['pg-no-worker:draft', 'pg-no-worker:review']);
    const { batchId } = await caller.playground.run({
      project,
      runId: source.runId,
      task: 'draft',
      mode: 'STEP',
      variants: [{ overrides: {} }],
    });
    const batch = await caller.playground.batch({ project, batchId });
    expect([batch.variants[0]!.task?.status, batch.variants[0]!.waitingForWorker]).toEqual(['QUEUED', true]);

    // A worker starting later picks it up.
    await workers.start('pg-no-worker-2', [supportDag('pg-no-worker').wf]);
    const done = await waitForStatus(stack.prisma, batch.variants[0]!.runId, ['SUCCEEDED', 'FAILED']);
    expect(done.status).toBe('SUCCEEDED');
  });
});
