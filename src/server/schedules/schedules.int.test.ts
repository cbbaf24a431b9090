import { beforeAll, describe, expect, it } from 'vitest';
import { cronIdempotencyKey, onceIdempotencyKey } from '@/server/engine/schedules/keys';
import { expectTrpcError } from '@/server/testing/expect-trpc-error';
import { useScratchDatabase } from '@/server/testing/scratch-database';
import { createCaller } from '@/server/router';

const db = useScratchDatabase('wstest');

// The Schedules page's procedures on rows written directly (nothing here arms a queue: creating
// and deleting runtime schedules end to end is e2e/schedules.spec.ts).

const ids = { declared: '', cron: '', pendingOnce: '', firedOnce: '', foreign: '', cronRun: '', onceRun: '' };
let editor: ReturnType<typeof createCaller>;
let viewer: ReturnType<typeof createCaller>;

beforeAll(async () => {
  const project = await db.prisma.project.create({ data: { name: 'Sched', slug: 'sched' } });
  const other = await db.prisma.project.create({ data: { name: 'Other', slug: 'other' } });
  const member = async (email: string, role: 'EDITOR' | 'VIEWER') => {
    const user = await db.prisma.user.create({ data: { email, passwordHash: 'x' } });
    await db.prisma.projectMember.create({ data: { projectId: project.id, userId: user.id, role } });
    return createCaller({ db: db.prisma, user: { id: user.id, email, name: null } });
  };
  editor = await member('editor@example.com', 'EDITOR');
  viewer = await member('viewer@example.com', 'VIEWER');

  const workflow = async (projectId: string, name: string) => {
    const wf = await db.prisma.workflow.create({ data: { projectId, name } });
    const version = await db.prisma.workflowVersion.create({
      data: { workflowId: wf.id, version: 1, checksum: name, definition: { name, kind: 'workflow', tasks: [{ name: 't', parents: [] }] } },
    });
    return { wf, version };
  };
  const { wf, version } = await workflow(project.id, 'digest');
  const foreign = await workflow(other.id, 'digest');
  const tick = new Date('2026-01-01T03:00:00Z');
  const schedule = (data: Record<string, unknown>) =>
    db.prisma.schedule.create({ data: { projectId: project.id, workflowId: wf.id, input: {}, ...data } as never });

  ids.declared = (await schedule({ kind: 'CRON', source: 'DEFINITION', name: '0 3 * * *', expression: '0 3 * * *', lastFiredAt: tick })).id;
  ids.cron = (await schedule({ kind: 'CRON', source: 'API', name: 'hourly', expression: '0 * * * *', input: { note: '<i>x</i>' } })).id;
  ids.pendingOnce = (await schedule({ kind: 'ONCE', runAt: new Date(Date.now() + 3600_000) })).id;
  ids.firedOnce = (await schedule({ kind: 'ONCE', runAt: new Date(Date.now() - 60_000), firedAt: new Date(Date.now() - 59_000) })).id;
  ids.foreign = (
    await db.prisma.schedule.create({
      data: { projectId: other.id, workflowId: foreign.wf.id, kind: 'ONCE', runAt: new Date(Date.now() + 60_000), input: {} },
    })
  ).id;

  const run = (idempotencyKey: string, scheduleId: string, status: 'SUCCEEDED' | 'FAILED') =>
    db.prisma.workflowRun.create({
      data: { projectId: project.id, workflowId: wf.id, workflowVersionId: version.id, input: {}, idempotencyKey, scheduleId, status },
    });
  ids.cronRun = (await run(cronIdempotencyKey(ids.declared, tick), ids.declared, 'SUCCEEDED')).id;
  ids.onceRun = (await run(onceIdempotencyKey(ids.firedOnce), ids.firedOnce, 'FAILED')).id;
});

describe('schedules.list', () => {
  it("lists the project's crons and one-offs (pending first) with the run each last started", async () => {
    const list = await viewer.schedules.list({ project: 'sched' });
    expect(list.workflows).toEqual(['digest']);
    expect(list.crons.map((c) => [c.name, c.source])).toEqual([
      ['0 3 * * *', 'DEFINITION'],
      ['hourly', 'API'],
    ]);
    const declared = list.crons[0]!;
    expect(declared.lastRun).toEqual({ id: ids.cronRun, status: 'SUCCEEDED' });
    expect(new Date(declared.nextRunAt!).getUTCHours()).toBe(3);
    expect(list.crons[1]).toMatchObject({ lastRun: null, input: { note: '<i>x</i>' } });
    expect(list.oneOffs.map((s) => s.id)).toEqual([ids.pendingOnce, ids.firedOnce]);
    expect(list.oneOffs[1]!.lastRun).toEqual({ id: ids.onceRun, status: 'FAILED' });
    expect(list.oneOffs.some((s) => s.id === ids.foreign)).toBe(false);
  });
});

describe('schedules.delete and create', () => {
  it('refuses to delete a declared cron, and says where it lives', async () => {
    await expectTrpcError(editor.schedules.delete({ project: 'sched', id: ids.declared }), 'BAD_REQUEST');
    await expect(editor.schedules.delete({ project: 'sched', id: ids.declared })).rejects.toThrow(/remove it there and restart the worker/);
    expect(await db.prisma.schedule.count({ where: { id: ids.declared } })).toBe(1);
  });

  it("answers { deleted: false } for another project's schedule and leaves it alone", async () => {
    expect(await editor.schedules.delete({ project: 'sched', id: ids.foreign })).toEqual({ deleted: false, id: ids.foreign });
    expect(await db.prisma.schedule.count({ where: { id: ids.foreign } })).toBe(1);
  });

  it("refuses viewers, and passes on the engine's messages", async () => {
    await expectTrpcError(viewer.schedules.delete({ project: 'sched', id: ids.cron }), 'FORBIDDEN');
    const bad = editor.schedules.createCron({ project: 'sched', workflow: 'digest', name: 'x', expression: '61 * * * *' });
    await expect(bad).rejects.toThrow(/the minute field "61" is invalid/);
    await expectTrpcError(
      editor.schedules.createCron({ project: 'sched', workflow: 'nope', name: 'x', expression: '* * * * *' }),
      'NOT_FOUND',
    );
    await expectTrpcError(
      editor.schedules.createOneOff({ project: 'sched', workflow: 'digest', runAt: '2020-01-01T00:00:00Z' }),
      'BAD_REQUEST',
    );
    await expectTrpcError(
      editor.schedules.createOneOff({ project: 'sched', workflow: 'digest', runAt: 'soon', delaySeconds: 5 }),
      'BAD_REQUEST',
    );
    expect(await db.prisma.schedule.count({ where: { name: 'x' } })).toBe(0);
  });
});
