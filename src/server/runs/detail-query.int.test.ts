import { beforeAll, describe, expect, it } from 'vitest';
import { useScratchDatabase } from '@/server/testing/scratch-database';
import { loadRunDetail, MAX_REPLAYS_LISTED } from './detail-query';

const db = useScratchDatabase('wstest');

// What the run page shows about a run's origin (event, schedule, replays) and its attempts.

let projectId: string;
let otherProjectId: string;
/** The project as runs.get passes it: links are built with its slug. */
let project: { id: string; slug: string };
let base: { workflowId: string; workflowVersionId: string };

beforeAll(async () => {
  projectId = (await db.prisma.project.create({ data: { name: 'A', slug: 'a' } })).id;
  otherProjectId = (await db.prisma.project.create({ data: { name: 'B', slug: 'b' } })).id;
  project = { id: projectId, slug: 'a' };
  const workflow = await db.prisma.workflow.create({ data: { projectId, name: 'wf' } });
  const version = await db.prisma.workflowVersion.create({ data: { workflowId: workflow.id, version: 1, checksum: 'c', definition: {} } });
  base = { workflowId: workflow.id, workflowVersionId: version.id };
});

const createRun = (data: Record<string, unknown> = {}) =>
  db.prisma.workflowRun.create({ data: { projectId, ...base, input: {}, ...data } });

describe('loadRunDetail trigger information', () => {
  it('an event-triggered run carries the event key', async () => {
    const event = await db.prisma.event.create({ data: { projectId, key: 'ticket:created', payload: {} } });
    const run = await createRun({ triggerSource: 'EVENT', eventId: event.id, additionalMetadata: { source: 'zendesk' } });
    const detail = await loadRunDetail(db.prisma, project, run.id);
    expect(detail).toMatchObject({
      triggerSource: 'EVENT',
      eventId: event.id,
      event: { id: event.id, key: 'ticket:created' },
      schedule: null,
      replayOf: null,
      replays: [],
      replayCount: 0,
      additionalMetadata: { source: 'zendesk' },
    });
  });

  it('a cron run carries its schedule name and expression; a deleted schedule leaves only the source', async () => {
    const schedule = await db.prisma.schedule.create({
      data: { projectId, workflowId: base.workflowId, kind: 'CRON', name: 'nightly', expression: '0 3 * * *', input: {} },
    });
    const run = await createRun({ triggerSource: 'CRON', scheduleId: schedule.id });
    expect((await loadRunDetail(db.prisma, project, run.id)).schedule).toMatchObject({
      kind: 'CRON',
      name: 'nightly',
      expression: '0 3 * * *',
    });
    await db.prisma.schedule.delete({ where: { id: schedule.id } });
    expect(await loadRunDetail(db.prisma, project, run.id)).toMatchObject({ triggerSource: 'CRON', schedule: null });
  });

  it('links a replay to its source and the source to its replays (newest first, capped, own project only)', async () => {
    const source = await createRun({ status: 'FAILED' });
    const first = await createRun({ triggerSource: 'REPLAY', replayOfId: source.id, status: 'SUCCEEDED' });
    const second = await createRun({ triggerSource: 'REPLAY', replayOfId: source.id });
    // Corrupt data must not leak another project's run into this page.
    await db.prisma.workflowRun.create({
      data: {
        projectId: otherProjectId,
        workflowId: base.workflowId,
        workflowVersionId: base.workflowVersionId,
        input: {},
        replayOfId: source.id,
      },
    });

    const replay = await loadRunDetail(db.prisma, project, first.id);
    expect(replay).toMatchObject({ triggerSource: 'REPLAY', replayOfId: source.id, replayOf: { id: source.id, status: 'FAILED' } });

    const original = await loadRunDetail(db.prisma, project, source.id);
    expect(original.replays.map((r) => r.id)).toEqual([second.id, first.id]);
    expect(original.replays[1]).toMatchObject({ status: 'SUCCEEDED' });
    expect(original.replayCount).toBe(2);

    for (let i = 0; i < MAX_REPLAYS_LISTED; i++) await createRun({ triggerSource: 'REPLAY', replayOfId: source.id });
    const many = await loadRunDetail(db.prisma, project, source.id);
    expect(many.replays).toHaveLength(MAX_REPLAYS_LISTED);
    expect(many.replayCount).toBe(MAX_REPLAYS_LISTED + 2);
  });
});

describe('loadRunDetail attempts', () => {
  it('returns each attempt with its queue time, backoff and worker', async () => {
    const run = await createRun();
    const worker = await db.prisma.worker.create({ data: { projectId, name: 'w1', actions: [] } });
    const task = await db.prisma.taskRun.create({
      data: { workflowRunId: run.id, taskName: 'flaky', parents: [], status: 'SUCCEEDED', attempts: 2 },
    });
    const t = (ms: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, 0, ms));
    await db.prisma.taskRunAttempt.createMany({
      data: [
        {
          taskRunId: task.id,
          attempt: 1,
          status: 'FAILED',
          error: 'Error: boom\n  at x',
          queuedAt: t(0),
          startedAt: t(10),
          finishedAt: t(20),
          workerId: worker.id,
        },
        { taskRunId: task.id, attempt: 2, status: 'SUCCEEDED', queuedAt: t(20), runAfter: t(520), startedAt: t(530), finishedAt: t(600) },
      ],
    });
    const detail = await loadRunDetail(db.prisma, project, run.id);
    expect(detail.tasks[0]).toMatchObject({ isOnFailure: false });
    expect(detail.tasks[0]!.attemptHistory).toEqual([
      {
        attempt: 1,
        status: 'FAILED',
        error: 'Error: boom\n  at x',
        workerName: 'w1',
        queuedAt: t(0),
        runAfter: null,
        startedAt: t(10),
        finishedAt: t(20),
        durationMs: 10,
      },
      {
        attempt: 2,
        status: 'SUCCEEDED',
        error: null,
        workerName: null,
        queuedAt: t(20),
        runAfter: t(520),
        startedAt: t(530),
        finishedAt: t(600),
        durationMs: 70,
      },
    ]);
  });
});

describe('loadRunDetail playground', () => {
  it('returns the variables of each task’s last attempt with their call site, and a playground link (none for onFailure)', async () => {
    const run = await createRun({ status: 'SUCCEEDED' });
    const draft = await db.prisma.taskRun.create({
      data: { workflowRunId: run.id, taskName: 'draft reply/v2', parents: [], status: 'SUCCEEDED', attempts: 2 },
    });
    await db.prisma.taskRun.create({
      data: { workflowRunId: run.id, taskName: 'alert', parents: [], status: 'SKIPPED', isOnFailure: true },
    });
    const site = { file: 'src/draft.ts', line: 12, column: 7 };
    await db.prisma.taskRunVariable.createMany({
      data: [
        // Attempt 1 used an older prompt: only the last attempt's values are shown.
        { taskRunId: draft.id, attempt: 1, name: 'system_prompt', defaultValue: 'Be brief.', value: 'old', overridden: true, ...site },
        { taskRunId: draft.id, attempt: 2, name: 'system_prompt', defaultValue: 'Be brief.', value: 'Be warm.', overridden: true, ...site },
        {
          taskRunId: draft.id,
          attempt: 2,
          name: 'temperature',
          defaultValue: 0.7,
          value: 0.7,
          overridden: false,
          file: 'src/draft.ts',
          line: 13,
          column: 22,
        },
        { taskRunId: draft.id, attempt: 2, name: 'no_site', defaultValue: {}, value: {}, overridden: false },
      ],
    });
    const detail = await loadRunDetail(db.prisma, project, run.id);
    const task = detail.tasks.find((t) => t.taskName === 'draft reply/v2')!;
    expect(task.variables).toEqual([
      { name: 'system_prompt', value: 'Be warm.', overridden: true, defaultValue: 'Be brief.', attempt: 2, callsite: site },
      {
        name: 'temperature',
        value: 0.7,
        overridden: false,
        defaultValue: 0.7,
        attempt: 2,
        callsite: { file: 'src/draft.ts', line: 13, column: 22 },
      },
      { name: 'no_site', value: {}, overridden: false, defaultValue: {}, attempt: 2, callsite: null },
    ]);
    expect(task).toMatchObject({ frozen: false, overrides: null, sourceTaskPath: null });
    expect(task.playgroundPath).toBe(`/p/a/runs/${run.id}/playground/draft%20reply%2Fv2`);
    const alert = detail.tasks.find((t) => t.taskName === 'alert')!;
    expect(alert).toMatchObject({ isOnFailure: true, playgroundPath: null, variables: [] });
    expect(detail).toMatchObject({ playgroundOf: null, playgroundRunCount: 0, playgroundTasks: [] });
  });

  it('a playground run carries its source, task, mode, variant and batch link; frozen tasks are marked and link to the source task', async () => {
    const source = await createRun({ status: 'SUCCEEDED' });
    const batchId = crypto.randomUUID();
    const pg = await createRun({ status: 'SUCCEEDED', triggerSource: 'PLAYGROUND' });
    await db.prisma.playgroundRun.create({
      data: {
        projectId,
        sourceRunId: source.id,
        taskName: 'draft',
        mode: 'FROM_HERE',
        batchId,
        variant: 2,
        runId: pg.id,
        overrides: { temperature: 0 },
      },
    });
    await db.prisma.taskRun.createMany({
      data: [
        { workflowRunId: pg.id, taskName: 'classify', parents: [], status: 'SUCCEEDED', frozen: true, output: { category: 'billing' } },
        { workflowRunId: pg.id, taskName: 'draft', parents: ['classify'], status: 'SUCCEEDED', attempts: 1, overrides: { temperature: 0 } },
      ],
    });
    const detail = await loadRunDetail(db.prisma, project, pg.id);
    expect(detail.playgroundOf).toEqual({
      sourceRunId: source.id,
      sourceRun: { id: source.id, status: 'SUCCEEDED', createdAt: source.createdAt },
      taskName: 'draft',
      mode: 'FROM_HERE',
      batchId,
      variant: 2,
      batchPath: `/p/a/runs/${source.id}/playground/draft?batch=${batchId}`,
    });
    const [classify, draft] = detail.tasks;
    expect(classify).toMatchObject({
      taskName: 'classify',
      frozen: true,
      output: { category: 'billing' },
      sourceTaskPath: `/p/a/runs/${source.id}#task-classify`,
    });
    expect(draft).toMatchObject({ taskName: 'draft', frozen: false, overrides: { temperature: 0 }, sourceTaskPath: null });
  });

  it('a source run counts its playground runs per task (newest task first, this project only)', async () => {
    const source = await createRun({ status: 'SUCCEEDED' });
    const playgroundRun = async (taskName: string, createdAt: Date, owner = projectId) => {
      const run = await db.prisma.workflowRun.create({ data: { projectId: owner, ...base, input: {}, triggerSource: 'PLAYGROUND' } });
      await db.prisma.playgroundRun.create({
        data: {
          projectId: owner,
          sourceRunId: source.id,
          taskName,
          mode: 'STEP',
          batchId: crypto.randomUUID(),
          variant: 0,
          runId: run.id,
          overrides: {},
          createdAt,
        },
      });
    };
    await playgroundRun('classify', new Date(Date.UTC(2026, 0, 1)));
    await playgroundRun('draft', new Date(Date.UTC(2026, 0, 2)));
    await playgroundRun('draft', new Date(Date.UTC(2026, 0, 3)));
    await playgroundRun('draft', new Date(Date.UTC(2026, 0, 4)), otherProjectId);
    const detail = await loadRunDetail(db.prisma, project, source.id);
    expect(detail.playgroundRunCount).toBe(3);
    expect(detail.playgroundTaskCount).toBe(2);
    expect(detail.playgroundTasks).toEqual([
      { taskName: 'draft', runCount: 2, lastAt: new Date(Date.UTC(2026, 0, 3)), playgroundPath: `/p/a/runs/${source.id}/playground/draft` },
      {
        taskName: 'classify',
        runCount: 1,
        lastAt: new Date(Date.UTC(2026, 0, 1)),
        playgroundPath: `/p/a/runs/${source.id}/playground/classify`,
      },
    ]);
  });
});
