import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkerReport } from '@whetstone/sdk/contract';
import { applyWorkerReport } from '../../src/server/engine/reports';
import { listTaskVariables } from '../../src/server/engine/playground-variables';
import { closeQueueKit } from '../../src/server/queue/project-queues';
import { startTestStack, type TestStack } from '../helpers/stack';
import { stubStackEnv, useStackWorkers } from '../helpers/workers';

// Playground variables end to end: SDK ctx.playground() → result report → engine → TaskRunVariable + PlaygroundVariable.
let stack: TestStack;
const workers = useStackWorkers(() => stack);

beforeAll(async () => {
  stack = await startTestStack();
  stubStackEnv(stack); // applyWorkerReport below runs in this process
});
afterAll(async () => {
  await closeQueueKit();
  await stack?.stop();
});

/** 1-based line and column of `playground` in the first line of this file containing `text`. */
function positionOf(text: string): { line: number; column: number } {
  const lines = readFileSync(import.meta.filename, 'utf8').split('\n');
  const index = lines.findIndex((l) => l.includes(text));
  return { line: index + 1, column: lines[index]!.indexOf(text) + text.indexOf('playground') + 1 };
}

const variableRows = (runId: string) =>
  stack.prisma.taskRunVariable.findMany({
    where: { taskRun: { workflowRunId: runId } },
    orderBy: { id: 'asc' },
    select: {
      attempt: true,
      name: true,
      defaultValue: true,
      value: true,
      overridden: true,
      file: true,
      line: true,
      column: true,
      taskRunId: true,
    },
  });

describe('playground variables', () => {
  it('stores each attempt’s variables once with their call sites, and the task’s latest variables', async () => {
    const wf = stack.ws.workflow({ name: 'playground-int' });
    wf.task({
      name: 'draft',
      fn: (_input, ctx) => {
        const prompt = ctx.playground('prompt', 'Write a haiku about {topic}');
        const temperature = ctx.playground('temperature', 0.7);
        const options = ctx.playground('options', { maxTokens: 256, stop: ['\n\n'], json: false });
        return { prompt, temperature, options };
      },
    });
    const worker = await workers.start('playground-int', [wf]);
    const run = await wf.runNoWait({});
    expect(await run.result()).toEqual({
      draft: { prompt: 'Write a haiku about {topic}', temperature: 0.7, options: { maxTokens: 256, stop: ['\n\n'], json: false } },
    });

    const rows = await variableRows(run.runId);
    const file = 'tests/playground/playground-variables.int.test.ts';
    expect(rows.map(({ taskRunId: _, ...row }) => row)).toEqual([
      {
        attempt: 1,
        name: 'prompt',
        defaultValue: 'Write a haiku about {topic}',
        value: 'Write a haiku about {topic}',
        overridden: false,
        file,
        ...positionOf("ctx.playground('prompt'"),
      },
      {
        attempt: 1,
        name: 'temperature',
        defaultValue: 0.7,
        value: 0.7,
        overridden: false,
        file,
        ...positionOf("ctx.playground('temperature'"),
      },
      {
        attempt: 1,
        name: 'options',
        defaultValue: { maxTokens: 256, stop: ['\n\n'], json: false },
        value: { maxTokens: 256, stop: ['\n\n'], json: false },
        overridden: false,
        file,
        ...positionOf("ctx.playground('options'"),
      },
    ]);

    const workflow = await stack.prisma.workflow.findFirstOrThrow({ where: { name: 'playground-int' } });
    const latest = await listTaskVariables(stack.prisma, workflow.id, 'draft');
    expect(latest.map((v) => [v.name, v.defaultValue, v.file, v.line, v.stale])).toEqual([
      ['prompt', 'Write a haiku about {topic}', file, positionOf("ctx.playground('prompt'").line, false],
      ['temperature', 0.7, file, positionOf("ctx.playground('temperature'").line, false],
      ['options', { maxTokens: 256, stop: ['\n\n'], json: false }, file, positionOf("ctx.playground('options'").line, false],
    ]);

    // The result report re-delivered twice (a BullMQ retry after an engine died): nothing is stored twice.
    const report: WorkerReport = {
      type: 'task.succeeded',
      taskRunId: rows[0]!.taskRunId,
      attempt: 1,
      workerId: worker.id!,
      output: {},
      at: new Date().toISOString(),
      variables: rows.map((r) => ({
        name: r.name,
        default: r.defaultValue,
        value: r.value,
        overridden: false,
        callsite: { file, line: r.line!, column: r.column! },
      })),
    };
    await applyWorkerReport(stack.prisma, report, { projectId: stack.projectId });
    await applyWorkerReport(stack.prisma, report, { projectId: stack.projectId });
    expect(await variableRows(run.runId)).toEqual(rows);
    expect(await stack.prisma.playgroundVariable.count({ where: { workflowId: workflow.id } })).toBe(3);
  });

  it('marks a variable the latest version no longer reports as stale', async () => {
    const v1 = stack.ws.workflow({ name: 'playground-stale' });
    v1.task({ name: 'a', fn: (_input, ctx) => ({ kept: ctx.playground('kept', 1), dropped: ctx.playground('dropped', 'x') }) });
    await workers.start('playground-stale-v1', [v1]);
    await (await v1.runNoWait({})).result();
    await workers.stopAll();

    // A changed definition (a retry added) registers version 2, whose code no longer declares 'dropped'.
    const v2 = stack.ws.workflow({ name: 'playground-stale' });
    v2.task({ name: 'a', retries: 1, fn: (_input, ctx) => ({ kept: ctx.playground('kept', 2) }) });
    await workers.start('playground-stale-v2', [v2]);
    const workflow = await stack.prisma.workflow.findFirstOrThrow({ where: { name: 'playground-stale' } });
    // Before version 2 reports anything, the last known variables are all current.
    expect((await listTaskVariables(stack.prisma, workflow.id, 'a')).map((v) => [v.name, v.stale])).toEqual([
      ['kept', false],
      ['dropped', false],
    ]);
    await (await v2.runNoWait({})).result();
    const latest = await listTaskVariables(stack.prisma, workflow.id, 'a');
    // In source order: 'kept' now has version 2's call site, below version 1's line in this file.
    expect(latest.map((v) => [v.name, v.defaultValue, v.stale])).toEqual([
      ['dropped', 'x', true],
      ['kept', 2, false],
    ]);
  });
});
