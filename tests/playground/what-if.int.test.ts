import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeQueueKit } from '../../src/server/queue/project-queues';
import type { createCaller } from '../../src/server/router';
import { startTestStack, type TestStack } from '../helpers/stack';
import { eventually } from '../helpers/runs';
import { memberCaller } from '../helpers/users';
import { stubStackEnv, useStackWorkers } from '../helpers/workers';

// What-if reports on real workers: one set of values over many earlier runs, each a new run linked to its source.
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

type Ticket = { q: string; kind: 'normal' | 'static' | 'fail'; delayMs?: number };

function replyWorkflow(name: string) {
  const wf = stack.ws.workflow<Ticket>({ name });
  wf.task({
    name: 'reply',
    fn: async (input: Ticket, ctx) => {
      const prompt = ctx.playground('prompt', 'Hello');
      if (input.delayMs) await new Promise((r) => setTimeout(r, input.delayMs));
      if (input.kind === 'fail' && prompt !== 'Hello') throw new Error('the new prompt breaks this ticket');
      return input.kind === 'static' ? 'We will get back to you.' : `${prompt}: ${input.q}`;
    },
  });
  return wf;
}

async function finishedReport(id: string) {
  return eventually(async () => {
    const report = await caller.whatIf.get({ project, id });
    if (report.status === 'RUNNING') throw new Error(`${report.totals.pending} pending`);
    return report;
  }, 60_000);
}

describe('what-if reports', () => {
  it('a report over 30 seeded runs has 30 rows linked to their sources, correct totals and checks', async () => {
    const wf = replyWorkflow('whatif-30');
    await workers.start('whatif-30', [wf], { slots: 10 });
    const kinds: Ticket['kind'][] = [...Array(20).fill('normal'), ...Array(5).fill('static'), ...Array(5).fill('fail')];
    const sources = await Promise.all(
      kinds.map((kind, i) => wf.runNoWait({ q: `ticket ${i}`, kind }, { additionalMetadata: { cohort: 'seeded' } })),
    );
    await Promise.all(sources.map((s) => s.result()));
    // Another run of the workflow outside the filter: not part of the report.
    await wf.run({ q: 'other', kind: 'normal' }, { additionalMetadata: { cohort: 'other' } });

    const started = await caller.whatIf.start({
      project,
      runId: sources[0]!.runId,
      task: 'reply',
      mode: 'STEP',
      overrides: { prompt: 'Apologies' },
      sources: { filter: { meta: { cohort: 'seeded' } } },
      rules: [
        { kind: 'mustMatch', pattern: '^apolog', flags: 'i' },
        { kind: 'maxLength', value: 40 },
      ],
    });
    expect(started).toMatchObject({ started: true, rows: 30, skipped: [] });
    if (!started.started) throw new Error('not started');
    const report = await finishedReport(started.reportId);

    expect(report.status).toBe('FINISHED');
    expect(report.rows).toHaveLength(30);
    expect(new Set(report.rows.map((r) => r.sourceRunId))).toEqual(new Set(sources.map((s) => s.runId)));
    const links = await stack.prisma.playgroundRun.findMany({
      where: { reportId: report.id },
      select: { sourceRunId: true, runId: true, taskName: true },
    });
    expect(
      links.every((l) => l.taskName === 'reply' && report.rows.some((r) => r.runId === l.runId && r.sourceRunId === l.sourceRunId)),
    ).toBe(true);

    expect(report.totals).toMatchObject({ rows: 30, pending: 0, changed: 20, unchanged: 5, failed: 5 });
    const normal = report.rows.find((r) => r.before?.output === 'Hello: ticket 3')!;
    expect([normal.outcome, normal.after?.output]).toEqual(['changed', 'Apologies: ticket 3']);
    expect(normal.after?.checks).toEqual([
      { name: 'matches /^apolog/i', passed: true },
      { name: 'length ≤ 40', passed: true },
    ]);
    expect(normal.before?.checks.map((c) => c.passed)).toEqual([false, true]);
    // Before: 25 succeeded runs (20 normal + 5 static; the 5 failing kinds succeeded with the old prompt too) × 2 checks.
    // "Hello: …" and the static reply fail mustMatch and pass maxLength.
    expect(report.totals.checks.before).toEqual({ passed: 30, failed: 30 });
    // After: 25 succeeded (20 changed pass both, 5 static fail mustMatch); the 5 failed rows have no checks.
    expect(report.totals.checks.after).toEqual({ passed: 45, failed: 5 });
    const failed = report.rows.find((r) => r.outcome === 'failed')!;
    expect(failed.after?.error).toContain('the new prompt breaks this ticket');

    const list = await caller.whatIf.list({ project, workflow: 'whatif-30' });
    expect(list.map((r) => [r.id, r.rows, r.status])).toEqual([[report.id, 30, 'FINISHED']]);
  });

  it('cancelling a report stops its remaining runs', async () => {
    const wf = replyWorkflow('whatif-cancel');
    await workers.start('whatif-cancel', [wf], { slots: 1 });
    const sources = [];
    for (let i = 0; i < 5; i++) sources.push(await wf.runNoWait({ q: `t${i}`, kind: 'normal' }));
    await Promise.all(sources.map((s) => s.result()));
    // Slow rows behind one slot: most are still queued when the report is cancelled.
    const slow = await Promise.all([0, 1, 2, 3, 4].map((i) => wf.runNoWait({ q: `slow ${i}`, kind: 'normal', delayMs: 1500 })));
    await Promise.all(slow.map((s) => s.result()));
    const started = await caller.whatIf.start({
      project,
      runId: slow[0]!.runId,
      task: 'reply',
      mode: 'STEP',
      overrides: { prompt: 'Hi' },
      sources: { runIds: slow.map((s) => s.runId) },
    });
    if (!started.started) throw new Error('not started');
    const { cancelledRuns } = await caller.whatIf.cancel({ project, id: started.reportId });
    expect(cancelledRuns).toBeGreaterThanOrEqual(3);
    const report = await caller.whatIf.get({ project, id: started.reportId });
    expect(report.status).toBe('CANCELLED');
    const statuses = await stack.prisma.workflowRun.findMany({
      where: { id: { in: report.rows.map((r) => r.runId) } },
      select: { status: true },
    });
    expect(statuses.filter((s) => s.status === 'CANCELLED')).toHaveLength(cancelledRuns);
  });

  it('warns first when the code changed since the source run, and starts once confirmed', async () => {
    const old = stack.ws.workflow<Ticket>({ name: 'whatif-changed' });
    old.task({
      name: 'reply',
      fn: (input: Ticket, ctx) => `${ctx.playground('prompt', 'Hello')} ${ctx.playground('tone', 'warm')}: ${input.q}`,
    });
    const oldWorker = await workers.start('whatif-changed-v1', [old]);
    const source = await old.runNoWait({ q: 'x', kind: 'normal' });
    await source.result();
    await oldWorker.stop();
    // Version 2 no longer reads 'tone'.
    const current = stack.ws.workflow<Ticket>({ name: 'whatif-changed', description: 'v2' });
    current.task({ name: 'reply', fn: (input: Ticket, ctx) => `${ctx.playground('prompt', 'Hello')}: ${input.q}` });
    await workers.start('whatif-changed-v2', [current]);
    await current.run({ q: 'y', kind: 'normal' });

    const request = {
      project,
      runId: source.runId,
      task: 'reply',
      mode: 'STEP' as const,
      overrides: { prompt: 'Hey', tone: 'cold' },
      sources: { runIds: [source.runId] },
    };
    const warned = await caller.whatIf.start(request);
    // 'prompt' is read by version 2 on another line (moved); 'tone' is not read any more (stale).
    expect(warned).toEqual({
      started: false,
      warnings: [
        {
          kind: 'moved',
          message: expect.stringMatching(
            /^'prompt' moved from tests\/playground\/what-if\.int\.test\.ts:\d+ to tests\/playground\/what-if\.int\.test\.ts:\d+ since the source run$/,
          ),
        },
        { kind: 'stale', message: "'tone' is no longer exposed by the current code of task 'reply'" },
      ],
    });
    expect(await stack.prisma.whatIfReport.count({ where: { workflow: { name: 'whatif-changed' } } })).toBe(0);

    const confirmed = await caller.whatIf.start({ ...request, confirmWarnings: true });
    if (!confirmed.started) throw new Error('not started');
    const report = await finishedReport(confirmed.reportId);
    expect(report.rows.map((r) => r.after?.output)).toEqual(['Hey: x']);
    expect(report.warnings.map((w) => w.kind)).toEqual(['moved', 'stale']);
  });

  it('refuses more than 200 matching runs and runs of another workflow', async () => {
    const wf = replyWorkflow('whatif-refuse');
    await workers.start('whatif-refuse', [wf]);
    const mine = await wf.runNoWait({ q: 'a', kind: 'normal' });
    await mine.result();
    const other = replyWorkflow('whatif-refuse-other');
    await workers.start('whatif-refuse-other', [other]);
    const theirs = await other.runNoWait({ q: 'b', kind: 'normal' });
    await theirs.result();
    await expect(
      caller.whatIf.start({
        project,
        runId: mine.runId,
        task: 'reply',
        mode: 'STEP',
        overrides: { prompt: 'x' },
        sources: { runIds: [mine.runId, theirs.runId] },
      }),
    ).rejects.toThrow(`Run '${theirs.runId}' is not a run of 'whatif-refuse'`);
  });
});
