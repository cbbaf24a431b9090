import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeQueueKit } from '../../src/server/queue/project-queues';
import type { createCaller } from '../../src/server/router';
import { ruleName } from '../../src/server/what-if/checks';
import { eventually } from '../helpers/runs';
import { startTestStack, type TestStack } from '../helpers/stack';
import { memberCaller } from '../helpers/users';
import { stubStackEnv, useStackWorkers } from '../helpers/workers';

// Output checks declared next to a task in the SDK: the worker evaluates them on every successful
// attempt, the engine stores them on the task run, and a what-if report totals them with the
// checks typed in the report.
let stack: TestStack;
const workers = useStackWorkers(() => stack);
let caller: ReturnType<typeof createCaller>;
let project: string;

beforeAll(async () => {
  stack = await startTestStack();
  stubStackEnv(stack);
  ({ caller, project } = await memberCaller(stack, 'editor'));
});
afterAll(async () => {
  await closeQueueKit();
  await stack?.stop();
});

function checkedWorkflow() {
  const wf = stack.ws.workflow<{ q: string }>({ name: 'declared-checks' });
  wf.task({
    name: 'reply',
    fn: (input: { q: string }, ctx) => `${ctx.playground('prompt', 'Thank you')}: ${input.q}`,
    checks: {
      maxLength: 40,
      mustMatch: /thank/i,
      custom: {
        explodes: (out) => {
          if (out.includes('boom')) throw new Error('cannot read this reply');
          return true;
        },
      },
    },
  });
  wf.task({ name: 'unchecked', fn: () => 'no checks here' });
  return wf;
}

const LONG = 'a question much longer than forty characters';

describe('declared output checks', () => {
  it('are stored with each successful task run and totalled by a what-if report with its typed checks', async () => {
    const wf = checkedWorkflow();
    await workers.start('declared-checks', [wf]);
    const sources = await Promise.all(['a', 'b', 'boom', LONG].map((q) => wf.runNoWait({ q })));
    await Promise.all(sources.map((s) => s.result()));

    const stored = async (runId: string, taskName: string) =>
      (await stack.prisma.taskRun.findFirstOrThrow({ where: { workflowRunId: runId, taskName }, select: { checkResults: true } }))
        .checkResults;
    expect(await stored(sources[0]!.runId, 'reply')).toEqual([
      { name: 'length ≤ 40', passed: true },
      { name: 'matches /thank/i', passed: true },
      { name: 'explodes', passed: true },
    ]);
    // A check that throws has failed with its error; the task itself succeeded.
    expect(await stored(sources[2]!.runId, 'reply')).toEqual([
      { name: 'length ≤ 40', passed: true },
      { name: 'matches /thank/i', passed: true },
      { name: 'explodes', passed: false, message: 'Error: cannot read this reply' },
    ]);
    expect(await stored(sources[3]!.runId, 'reply')).toEqual([
      { name: 'length ≤ 40', passed: false, message: `${`Thank you: ${LONG}`.length} characters` },
      { name: 'matches /thank/i', passed: true },
      { name: 'explodes', passed: true },
    ]);
    expect(await stored(sources[0]!.runId, 'unchecked')).toBeNull();
    // The same rule typed in a report has the same name, so the two line up in totals.
    expect([ruleName({ kind: 'maxLength', value: 40 }), ruleName({ kind: 'mustMatch', pattern: 'thank', flags: 'i' })]).toEqual([
      'length ≤ 40',
      'matches /thank/i',
    ]);

    const started = await caller.whatIf.start({
      project,
      runId: sources[0]!.runId,
      task: 'reply',
      mode: 'STEP',
      overrides: { prompt: 'Hi' },
      sources: { runIds: sources.map((s) => s.runId) },
      rules: [{ kind: 'mustNotMatch', pattern: 'boom', flags: '' }],
    });
    if (!started.started) throw new Error('not started');
    const report = await eventually(async () => {
      const r = await caller.whatIf.get({ project, id: started.reportId });
      if (r.status === 'RUNNING') throw new Error(`${r.totals.pending} pending`);
      return r;
    }, 60_000);

    const row = report.rows.find((r) => r.sourceRunId === sources[2]!.runId)!;
    expect(row.after?.output).toBe('Hi: boom');
    // Declared checks (as the worker evaluated the new output) first, then the report's own.
    expect(row.after?.checks).toEqual([
      { name: 'length ≤ 40', passed: true },
      { name: 'matches /thank/i', passed: false },
      { name: 'explodes', passed: false, message: 'Error: cannot read this reply' },
      { name: 'does not match /boom/', passed: false },
    ]);
    // Before: declared 10 passed / 2 failed (boom's explodes, the long one's length), typed 3 / 1 (boom).
    // After ("Hi: …" never matches /thank/i): declared 6 / 6, typed 3 / 1.
    expect(report.totals).toMatchObject({
      rows: 4,
      changed: 4,
      failed: 0,
      checks: { before: { passed: 13, failed: 3 }, after: { passed: 9, failed: 7 } },
    });
  });
});
