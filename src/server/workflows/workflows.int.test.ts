import { beforeAll, describe, expect, it } from 'vitest';
import { expectTrpcError } from '@/server/testing/expect-trpc-error';
import { usePrivateQueuePrefix } from '@/server/testing/queue-prefix';
import { useScratchDatabase } from '@/server/testing/scratch-database';
import { createCaller } from '@/server/router';

// Triggered runs enqueue their first task: keep those jobs under a prefix of their own.
usePrivateQueuePrefix('wstest-wf');
const db = useScratchDatabase('wstest_workflows_router');

// The Workflows page's procedures against a real database.

const P = { project: 'wf' } as const;
let editor: ReturnType<typeof createCaller>;
let viewer: ReturnType<typeof createCaller>;

const v1 = { name: 'greet', kind: 'workflow', tasks: [{ name: 'hello', parents: [] }] };
const v2 = {
  name: 'greet',
  kind: 'workflow',
  description: 'Says hello',
  tasks: [
    { name: 'hello', parents: [], retries: 2, backoff: { factor: 2, maxSeconds: 30 }, executionTimeout: '15s' },
    { name: 'shout', parents: ['hello'] },
  ],
  onEvents: ['greet:*'],
  onCrons: ['0 9 * * *'],
  defaultPriority: 2,
  inputSchema: { type: 'object', properties: { name: { type: 'string', minLength: 1 } }, required: ['name'] },
};

beforeAll(async () => {
  const project = await db.prisma.project.create({ data: { name: 'Workflows', slug: 'wf' } });
  const member = async (email: string, role: 'EDITOR' | 'VIEWER') => {
    const user = await db.prisma.user.create({
      data: { email, passwordHash: 'x', memberships: { create: { projectId: project.id, role } } },
    });
    return createCaller({ db: db.prisma, user: { id: user.id, email, name: null } });
  };
  editor = await member('editor@example.com', 'EDITOR');
  viewer = await member('viewer@example.com', 'VIEWER');
  const workflow = await db.prisma.workflow.create({ data: { projectId: project.id, name: 'greet' } });
  await db.prisma.workflowVersion.create({ data: { workflowId: workflow.id, version: 1, checksum: 'a'.repeat(64), definition: v1 } });
  await db.prisma.workflowVersion.create({ data: { workflowId: workflow.id, version: 2, checksum: 'b'.repeat(64), definition: v2 } });
  await db.prisma.schedule.create({
    data: {
      projectId: project.id,
      workflowId: workflow.id,
      kind: 'CRON',
      source: 'DEFINITION',
      name: '0 9 * * *',
      expression: '0 9 * * *',
      input: {},
    },
  });
});

describe('workflows.list and workflows.get', () => {
  it('lists each workflow with its latest version, task count and triggers', async () => {
    expect(await viewer.workflows.list(P)).toEqual([
      expect.objectContaining({
        name: 'greet',
        description: 'Says hello',
        latestVersion: 2,
        versionCount: 2,
        taskCount: 2,
        onEvents: ['greet:*'],
        onCrons: ['0 9 * * *'],
        lastRun: null,
      }),
    ]);
  });

  it('gets the latest version by default, with its crons (next firing) and the trigger settings', async () => {
    const latest = await viewer.workflows.get({ ...P, name: 'greet' });
    expect(latest.versions.map((v) => [v.version, v.taskCount])).toEqual([
      [2, 2],
      [1, 1],
    ]);
    expect(latest.selected?.version).toBe(2);
    expect(latest.selected?.definition?.tasks[0]).toMatchObject({
      name: 'hello',
      retries: 2,
      backoff: { factor: 2, maxSeconds: 30 },
      executionTimeout: '15s',
      scheduleTimeout: '5m',
    });
    expect(latest.trigger).toEqual({ version: 2, inputSchema: v2.inputSchema, defaultPriority: 2 });
    expect(latest.crons).toEqual([expect.objectContaining({ source: 'DEFINITION', expression: '0 9 * * *' })]);
    expect(latest.crons[0]!.nextRunAt!.getUTCHours()).toBe(9);
  });

  it('gets an older version with its defaults filled in; unknown workflows and versions are not found', async () => {
    const old = await viewer.workflows.get({ ...P, name: 'greet', version: 1 });
    expect(old.selected?.definition).toMatchObject({
      tasks: [{ name: 'hello', retries: 0, executionTimeout: '60s' }],
      onEvents: [],
      defaultPriority: 1,
    });
    expect(old.trigger?.version).toBe(2);
    await expectTrpcError(viewer.workflows.get({ ...P, name: 'greet', version: 3 }), 'NOT_FOUND');
    await expectTrpcError(viewer.workflows.get({ ...P, name: 'nope' }), 'NOT_FOUND');
  });
});

describe('workflows.trigger', () => {
  it('refuses input the latest version’s schema refuses, and viewers', async () => {
    const error = await expectTrpcError(editor.workflows.trigger({ ...P, name: 'greet', input: { name: '' } }), 'BAD_REQUEST');
    expect(error.message).toContain("Invalid input for workflow 'greet'");
    await expectTrpcError(viewer.workflows.trigger({ ...P, name: 'greet', input: { name: 'Ada' } }), 'FORBIDDEN');
    await expectTrpcError(editor.workflows.trigger({ ...P, name: 'nope', input: {} }), 'NOT_FOUND');
    expect(await db.prisma.workflowRun.count()).toBe(0);
  });

  it('starts a run of the latest version from the dashboard, with metadata and priority', async () => {
    const { runId } = await editor.workflows.trigger({
      ...P,
      name: 'greet',
      input: { name: 'Ada' },
      additionalMetadata: { source: 'test' },
      priority: 3,
    });
    const run = await db.prisma.workflowRun.findUniqueOrThrow({ where: { id: runId }, include: { workflowVersion: true } });
    expect(run).toMatchObject({ triggerSource: 'DASHBOARD', input: { name: 'Ada' }, additionalMetadata: { source: 'test' }, priority: 3 });
    expect(run.workflowVersion.version).toBe(2);
    const { recentRuns } = await viewer.workflows.get({ ...P, name: 'greet' });
    expect(recentRuns).toEqual([expect.objectContaining({ id: runId, version: 2, triggerSource: 'DASHBOARD' })]);

    const { runId: second } = await editor.workflows.trigger({ ...P, name: 'greet', input: { name: 'Bo' }, additionalMetadata: {} });
    expect(await db.prisma.workflowRun.findUniqueOrThrow({ where: { id: second } })).toMatchObject({
      additionalMetadata: null,
      priority: 2,
    });
  });
});
