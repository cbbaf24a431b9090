import { beforeAll, describe, expect, it } from 'vitest';
import { useScratchDatabase } from '@/server/testing/scratch-database';
import { loadChildRunLinks, MAX_CHILDREN_LISTED } from './children-query';

const db = useScratchDatabase('wstest');

// What the run page shows about child runs: capped per task, numbered keys in order, own project only.

let project: { id: string; slug: string };
let otherProjectId: string;
let base: { workflowId: string; workflowVersionId: string };

beforeAll(async () => {
  project = await db.prisma.project.create({ data: { name: 'A', slug: 'a b' }, select: { id: true, slug: true } });
  otherProjectId = (await db.prisma.project.create({ data: { name: 'B', slug: 'b' } })).id;
  const workflow = await db.prisma.workflow.create({ data: { projectId: project.id, name: 'wf' } });
  const version = await db.prisma.workflowVersion.create({ data: { workflowId: workflow.id, version: 1, checksum: 'c', definition: {} } });
  base = { workflowId: workflow.id, workflowVersionId: version.id };
});

const createRun = (data: Record<string, unknown> = {}) =>
  db.prisma.workflowRun.create({ data: { projectId: project.id, ...base, input: {}, ...data } });

describe('loadChildRunLinks', () => {
  it('lists a task’s children by key (capped, with the total) and links a child to its parent run and task', async () => {
    const parent = await createRun({ status: 'RUNNING' });
    const fanOut = await db.prisma.taskRun.create({
      data: { workflowRunId: parent.id, taskName: 'fan-out', parents: [], status: 'RUNNING' },
    });
    const quiet = await db.prisma.taskRun.create({ data: { workflowRunId: parent.id, taskName: 'quiet', parents: [], status: 'RUNNING' } });
    const total = MAX_CHILDREN_LISTED + 5;
    // Created in reverse key order, as a bulk spawn may create them.
    for (let key = total - 1; key >= 0; key--) await createRun({ parentTaskRunId: fanOut.id, childKey: String(key) });
    // Corrupt data must not leak another project's run into this page.
    await db.prisma.workflowRun.create({
      data: { projectId: otherProjectId, ...base, input: {}, parentTaskRunId: fanOut.id, childKey: 'foreign' },
    });

    const links = await loadChildRunLinks(db.prisma, project, { id: parent.id, parentTaskRunId: null });
    expect(links.childOf).toBeNull();
    const listed = links.childrenOf(fanOut.id);
    expect(listed.childRunCount).toBe(total);
    expect(listed.childRuns).toHaveLength(MAX_CHILDREN_LISTED);
    // The oldest 20 (keys 24..5), shown in key order.
    expect(listed.childRuns.map((c) => c.key)).toEqual(Array.from({ length: MAX_CHILDREN_LISTED }, (_, i) => String(i + 5)));
    expect(listed.childRuns[0]).toMatchObject({ workflowName: 'wf', status: 'QUEUED', path: `/p/a%20b/runs/${listed.childRuns[0]!.id}` });
    expect(links.childrenOf(quiet.id)).toEqual({ childRuns: [], childRunCount: 0 });

    const child = listed.childRuns[0]!;
    const childLinks = await loadChildRunLinks(db.prisma, project, { id: child.id, parentTaskRunId: fanOut.id });
    expect(childLinks.childOf).toEqual({
      taskName: 'fan-out',
      run: { id: parent.id, status: 'RUNNING', createdAt: parent.createdAt, workflowName: 'wf', path: `/p/a%20b/runs/${parent.id}` },
    });
  });

  it('a parent task run of another project is not shown', async () => {
    const foreignRun = await db.prisma.workflowRun.create({ data: { projectId: otherProjectId, ...base, input: {} } });
    const foreignTask = await db.prisma.taskRun.create({ data: { workflowRunId: foreignRun.id, taskName: 't', parents: [] } });
    const run = await createRun({ parentTaskRunId: foreignTask.id, childKey: '0' });
    expect((await loadChildRunLinks(db.prisma, project, run)).childOf).toBeNull();
  });
});
