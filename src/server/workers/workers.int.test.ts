import { beforeAll, describe, expect, it } from 'vitest';
import { useScratchDatabase } from '@/server/testing/scratch-database';
import { createCaller } from '@/server/router';
import { loadWorkers } from './query';

const db = useScratchDatabase('wstest');

const ago = (ms: number) => new Date(Date.now() - ms);
const ids = { live: '', idle: '', stopped: '', lost: '', old: '', foreign: '', runId: '' };
let projectId = '';

beforeAll(async () => {
  const project = await db.prisma.project.create({ data: { name: 'Workers', slug: 'workers' } });
  const other = await db.prisma.project.create({ data: { name: 'Other', slug: 'other' } });
  projectId = project.id;
  const worker = async (name: string, data: Record<string, unknown> = {}, pid = project.id) =>
    (
      await db.prisma.worker.create({
        data: { projectId: pid, name, actions: ['wf:a', 'wf:b', 'other:c'], hostname: 'box', pid: 42, ...data },
      })
    ).id;
  ids.live = await worker('busy', { lastHeartbeatAt: ago(3_000) });
  ids.idle = await worker('idle', { lastHeartbeatAt: ago(20_000) });
  ids.stopped = await worker('stopped', { lastHeartbeatAt: ago(60_000), stoppedAt: ago(59_000) });
  ids.lost = await worker('lost', { lastHeartbeatAt: ago(45_000) });
  ids.old = await worker('old', { lastHeartbeatAt: ago(2 * 86_400_000), stoppedAt: ago(2 * 86_400_000) });
  ids.foreign = await worker('foreign', {}, other.id);

  const wf = await db.prisma.workflow.create({ data: { projectId, name: 'wf' } });
  const version = await db.prisma.workflowVersion.create({ data: { workflowId: wf.id, version: 1, checksum: 'wf', definition: {} } });
  const run = await db.prisma.workflowRun.create({
    data: {
      projectId,
      workflowId: wf.id,
      workflowVersionId: version.id,
      input: {},
      status: 'RUNNING',
      taskRuns: {
        create: [
          { taskName: 'a', parents: [], status: 'RUNNING', attempts: 2, startedAt: ago(1_000), workerId: ids.live },
          { taskName: 'b', parents: [], status: 'RUNNING', attempts: 1, startedAt: ago(2_000), workerId: ids.live },
          { taskName: 'c', parents: [], status: 'SUCCEEDED', startedAt: ago(5_000), finishedAt: ago(4_000), workerId: ids.live },
          { taskName: 'd', parents: [], status: 'RUNNING', startedAt: ago(50_000), workerId: ids.lost },
        ],
      },
    },
  });
  ids.runId = run.id;
});

describe('workers.list', () => {
  it('splits live workers from stopped and silent ones, with what each runs now', async () => {
    const list = await loadWorkers(db.prisma, projectId);
    expect(list.live.map((w) => [w.name, w.state, w.runningCount])).toEqual([
      ['busy', 'live', 2],
      ['idle', 'live', 0],
    ]);
    expect(list.stopped.map((w) => [w.name, w.state, w.runningCount])).toEqual([
      ['lost', 'lost', 1],
      ['stopped', 'stopped', 0],
    ]);
    const busy = list.live[0]!;
    expect(busy).toMatchObject({ actions: ['wf:a', 'wf:b', 'other:c'], hostname: 'box', pid: 42 });
    expect(busy.running.map((t) => [t.taskName, t.attempt, t.workflowName, t.runId])).toEqual([
      ['b', 1, 'wf', ids.runId],
      ['a', 2, 'wf', ids.runId],
    ]);
  });

  it('is served to members of the project only', async () => {
    const user = await db.prisma.user.create({ data: { email: 'v@example.com', passwordHash: 'x' } });
    await db.prisma.projectMember.create({ data: { projectId, userId: user.id, role: 'VIEWER' } });
    const list = await createCaller({ db: db.prisma, user: { id: user.id, email: user.email, name: null } }).workers.list({
      project: 'workers',
    });
    expect([...list.live, ...list.stopped].map((w) => w.id)).not.toContain(ids.foreign);
    expect([...list.live, ...list.stopped].map((w) => w.id)).not.toContain(ids.old);
    expect(list.liveWindowMs).toBe(30_000);
  });
});
