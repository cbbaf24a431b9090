import { beforeAll, describe, expect, it } from 'vitest';
import { useScratchDatabase } from '../testing/scratch-database';
import { loadRunDetail, MAX_REPLAYS_LISTED } from './run-detail-query';

const db = useScratchDatabase('wstest');

// What the run page shows about a run's origin (event, schedule, replays) and its attempts.

let projectId: string;
let otherProjectId: string;
let base: { workflowId: string; workflowVersionId: string };

beforeAll(async () => {
  projectId = (await db.prisma.project.create({ data: { name: 'A', slug: 'a' } })).id;
  otherProjectId = (await db.prisma.project.create({ data: { name: 'B', slug: 'b' } })).id;
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
    const detail = await loadRunDetail(db.prisma, projectId, run.id);
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
    expect((await loadRunDetail(db.prisma, projectId, run.id)).schedule).toMatchObject({ kind: 'CRON', name: 'nightly', expression: '0 3 * * *' });
    await db.prisma.schedule.delete({ where: { id: schedule.id } });
    expect(await loadRunDetail(db.prisma, projectId, run.id)).toMatchObject({ triggerSource: 'CRON', schedule: null });
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

    const replay = await loadRunDetail(db.prisma, projectId, first.id);
    expect(replay).toMatchObject({ triggerSource: 'REPLAY', replayOfId: source.id, replayOf: { id: source.id, status: 'FAILED' } });

    const original = await loadRunDetail(db.prisma, projectId, source.id);
    expect(original.replays.map((r) => r.id)).toEqual([second.id, first.id]);
    expect(original.replays[1]).toMatchObject({ status: 'SUCCEEDED' });
    expect(original.replayCount).toBe(2);

    for (let i = 0; i < MAX_REPLAYS_LISTED; i++) await createRun({ triggerSource: 'REPLAY', replayOfId: source.id });
    const many = await loadRunDetail(db.prisma, projectId, source.id);
    expect(many.replays).toHaveLength(MAX_REPLAYS_LISTED);
    expect(many.replayCount).toBe(MAX_REPLAYS_LISTED + 2);
  });
});

describe('loadRunDetail attempts', () => {
  it('returns each attempt with its queue time, backoff and worker', async () => {
    const run = await createRun();
    const worker = await db.prisma.worker.create({ data: { projectId, name: 'w1', actions: [] } });
    const task = await db.prisma.taskRun.create({ data: { workflowRunId: run.id, taskName: 'flaky', parents: [], status: 'SUCCEEDED', attempts: 2 } });
    const t = (ms: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, 0, ms));
    await db.prisma.taskRunAttempt.createMany({
      data: [
        { taskRunId: task.id, attempt: 1, status: 'FAILED', error: 'Error: boom\n  at x', queuedAt: t(0), startedAt: t(10), finishedAt: t(20), workerId: worker.id },
        { taskRunId: task.id, attempt: 2, status: 'SUCCEEDED', queuedAt: t(20), runAfter: t(520), startedAt: t(530), finishedAt: t(600) },
      ],
    });
    const detail = await loadRunDetail(db.prisma, projectId, run.id);
    expect(detail.tasks[0]).toMatchObject({ isOnFailure: false });
    expect(detail.tasks[0]!.attemptHistory).toEqual([
      { attempt: 1, status: 'FAILED', error: 'Error: boom\n  at x', workerName: 'w1', queuedAt: t(0), runAfter: null, startedAt: t(10), finishedAt: t(20), durationMs: 10 },
      { attempt: 2, status: 'SUCCEEDED', error: null, workerName: null, queuedAt: t(20), runAfter: t(520), startedAt: t(530), finishedAt: t(600), durationMs: 70 },
    ]);
  });
});
