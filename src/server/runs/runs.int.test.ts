import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { useScratchDatabase } from '@/server/testing/scratch-database';
import { createContext, type Context } from '@/server/trpc';
import { createSession } from '@/server/auth/sessions';
import { createCaller } from '@/server/router';
import { expectTrpcError } from '@/server/testing/expect-trpc-error';

const db = useScratchDatabase('whetstone_routers');

// The dashboard routers against a real, migrated scratch database.

/** Signed in as a viewer of 'default' (set up in 'with runs'). */
let caller: ReturnType<typeof createCaller>;
let user: NonNullable<Context['user']>;
const P = { project: 'default' } as const;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  const row = await db.prisma.user.create({ data: { email: 'viewer@example.com', passwordHash: 'x' } });
  user = { id: row.id, email: row.email, name: null };
  // system.info reads the env; it must show the transport without the password.
  vi.stubEnv('DATABASE_URL', 'postgresql://app:hunter2@db.internal:5432/whetstone');
  vi.stubEnv('WHETSTONE_TRANSPORT', 'postgres');
});

afterAll(async () => {
  vi.unstubAllEnvs();
});

describe('before the user is a member of anything', () => {
  it('runs and system.info answer NOT_FOUND; system.me lists no projects', async () => {
    const c = createCaller({ db: db.prisma, user });
    await expectTrpcError(c.runs.list(P), 'NOT_FOUND');
    await expectTrpcError(c.runs.get({ ...P, id: '01900000-0000-7000-8000-000000000000' }), 'NOT_FOUND');
    await expectTrpcError(c.system.info(P), 'NOT_FOUND');
    const me = await c.system.me();
    expect(me).toMatchObject({ user: { email: 'viewer@example.com' }, projects: [], transport: { kind: 'postgres' } });
  });
  it('anonymous callers are refused', async () => {
    await expectTrpcError(createCaller({ db: db.prisma, user: null }).runs.list(P), 'UNAUTHORIZED');
  });
});

describe('with runs', () => {
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    const project = await db.prisma.project.create({ data: { name: 'Default', slug: 'default' } });
    const other = await db.prisma.project.create({ data: { name: 'Other', slug: 'other' } });
    await db.prisma.projectMember.create({ data: { projectId: project.id, userId: user.id, role: 'VIEWER' } });
    // Through the real request path: a session cookie → createContext → the viewer tier.
    const { token } = await createSession(db.prisma, user.id);
    caller = createCaller(await createContext({ cookieHeader: `ws_session=${token}`, prisma: db.prisma }));
    const mk = async (projectId: string, name: string) => {
      const workflow = await db.prisma.workflow.create({ data: { projectId, name } });
      const version = await db.prisma.workflowVersion.create({
        data: { workflowId: workflow.id, version: 1, checksum: name, definition: {} },
      });
      return { projectId, workflowId: workflow.id, workflowVersionId: version.id };
    };
    const dag = await mk(project.id, 'dag');
    const simple = await mk(project.id, 'simple');
    const foreign = await mk(other.id, 'dag');
    const worker = await db.prisma.worker.create({ data: { projectId: project.id, name: 'w-live', actions: [] } });
    await db.prisma.worker.create({
      data: { projectId: project.id, name: 'w-stale', actions: [], lastHeartbeatAt: new Date(Date.now() - 60_000) },
    });
    await db.prisma.worker.create({ data: { projectId: project.id, name: 'w-stopped', actions: [], stoppedAt: new Date() } });

    const start = new Date('2026-01-01T00:00:00Z');
    const plan = [
      ['s1', simple, 'SUCCEEDED'],
      ['f1', dag, 'FAILED'],
      ['s2', simple, 'SUCCEEDED'],
      ['q1', simple, 'QUEUED'],
      ['d1', dag, 'SUCCEEDED'],
    ] as const;
    for (const [key, wf, status] of plan) {
      await sleep(3); // uuid v7 ids sort by creation time
      const terminal = status !== 'QUEUED';
      const run = await db.prisma.workflowRun.create({
        data: {
          ...wf,
          status,
          input: { key },
          triggerSource: 'API',
          startedAt: terminal ? start : null,
          finishedAt: terminal ? new Date(start.getTime() + 1500) : null,
        },
      });
      ids[key] = run.id;
    }
    await db.prisma.workflowRun.create({ data: { ...foreign, status: 'FAILED', input: {} } });

    // d1: tasks inserted children-first; the API must return them parents-first.
    const task = (taskName: string, parents: string[], extra: object = {}) =>
      db.prisma.taskRun.create({
        data: { workflowRunId: ids.d1!, taskName, parents, status: 'SUCCEEDED', attempts: 1, ...extra },
      });
    await task('review', ['draft']);
    const draft = await task('draft', ['fetch'], {
      workerId: worker.id,
      input: { q: 1 },
      output: { text: '<b>hi</b>' },
      attempts: 2,
      startedAt: start,
      finishedAt: new Date(start.getTime() + 250),
    });
    await task('fetch', []);
    await db.prisma.taskRunLog.createMany({
      data: ['one', 'two', 'three'].map((message, i) => ({ taskRunId: draft.id, attempt: 1 + (i > 1 ? 1 : 0), message })),
    });
  });

  it('lists newest first with per-status counts of the whole project', async () => {
    const list = await caller.runs.list(P);
    expect(list.items.map((r) => r.id)).toEqual([ids.d1, ids.q1, ids.s2, ids.f1, ids.s1]);
    expect(list.counts).toEqual({ QUEUED: 1, RUNNING: 0, SUCCEEDED: 3, FAILED: 1, CANCELLED: 0 });
    expect(list.total).toBe(5);
    expect(list.workflows).toEqual(['dag', 'simple']);
    expect(list.items[0]).toMatchObject({ workflowName: 'dag', status: 'SUCCEEDED', durationMs: 1500, triggerSource: 'API' });
    expect(list.items[0]!.createdAt).toBeInstanceOf(Date);
    expect(list.items[1]).toMatchObject({ status: 'QUEUED', startedAt: null, durationMs: null });
  });

  it('pages by cursor without gaps or repeats', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof caller.runs.list>> = await caller.runs.list({ ...P, limit: 2, cursor });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((r) => r.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([ids.d1, ids.q1, ids.s2, ids.f1, ids.s1]);
  });

  it('filters by status and by workflow (counts follow the workflow filter)', async () => {
    const succeeded = await caller.runs.list({ ...P, status: 'SUCCEEDED' });
    expect(succeeded.items.map((r) => r.id)).toEqual([ids.d1, ids.s2, ids.s1]);
    expect(succeeded.total).toBe(5);
    const dag = await caller.runs.list({ ...P, workflow: 'dag' });
    expect(dag.items.map((r) => r.id)).toEqual([ids.d1, ids.f1]);
    expect(dag.counts).toMatchObject({ SUCCEEDED: 1, FAILED: 1, QUEUED: 0 });
    expect((await caller.runs.list({ ...P, workflow: 'nope' })).items).toEqual([]);
  });

  it('rejects malformed input', async () => {
    await expectTrpcError(caller.runs.list({ ...P, cursor: 'not-a-uuid' }), 'BAD_REQUEST');
    await expectTrpcError(caller.runs.list({ ...P, status: 'EXPLODED' as 'QUEUED' }), 'BAD_REQUEST');
    await expectTrpcError(caller.runs.get({ ...P, id: 'nope' }), 'BAD_REQUEST');
  });

  it('gets a run with tasks in topological order and logs in order', async () => {
    const run = await caller.runs.get({ ...P, id: ids.d1! });
    expect(run).toMatchObject({ workflowName: 'dag', workflowVersion: 1, status: 'SUCCEEDED', durationMs: 1500 });
    expect(run.tasks.map((t) => [t.taskName, t.depth])).toEqual([
      ['fetch', 0],
      ['draft', 1],
      ['review', 2],
    ]);
    const draft = run.tasks[1]!;
    expect(draft).toMatchObject({
      parents: ['fetch'],
      input: { q: 1 },
      output: { text: '<b>hi</b>' },
      attempts: 2,
      workerName: 'w-live',
      durationMs: 250,
      logCount: 3,
    });
    expect(draft.logs.map((l) => [l.attempt, l.message])).toEqual([
      [1, 'one'],
      [1, 'two'],
      [2, 'three'],
    ]);
    expect(run.tasks[0]).toMatchObject({ workerName: null, logs: [], logCount: 0 });
  });

  it('answers NOT_FOUND for unknown runs and for other projects’ runs', async () => {
    const missing = '01900000-0000-7000-8000-000000000000';
    const error = await expectTrpcError(caller.runs.get({ ...P, id: missing }), 'NOT_FOUND');
    expect(error.message).toContain(missing);
    const foreign = await db.prisma.workflowRun.findFirstOrThrow({ where: { project: { slug: 'other' } } });
    await expectTrpcError(caller.runs.get({ ...P, id: foreign.id }), 'NOT_FOUND');
  });

  it('system.info counts workflows and live workers and hides passwords', async () => {
    const info = await caller.system.info(P);
    expect(info).toMatchObject({ database: 'ok', workflowCount: 2, liveWorkerCount: 1 });
    expect(info.transport).toEqual({
      kind: 'postgres',
      label: 'PostgreSQL (BullMQ Postgres backend)',
      url: 'postgresql://app:***@db.internal:5432/whetstone',
    });
    expect(JSON.stringify(info)).not.toContain('hunter2');
  });
});
