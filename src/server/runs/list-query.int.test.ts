import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { WorkflowDefinition } from '@whetstone/sdk/contract';
import { type RunStatus } from '@/server/db/client';
import { usePrivateQueuePrefix } from '@/server/testing/queue-prefix';
import { expectTrpcError } from '@/server/testing/expect-trpc-error';
import { useScratchDatabase } from '@/server/testing/scratch-database';
import { createCaller } from '@/server/router';
import { COUNT_CAP } from './list-query';

// The runs list (every filter, pagination, counts) and its bulk actions through the real router.
const db = useScratchDatabase('wsrunlist');
usePrivateQueuePrefix('wsrunlist');

type Caller = ReturnType<typeof createCaller>;
let editor: Caller;
let viewer: Caller;
const P = { project: 'alpha' } as const;
const ids: Record<string, string> = {};
let foreignRunId: string;
const HOUR = 3_600_000;

const definition = (name: string, tasks: string[]): WorkflowDefinition => ({
  name,
  kind: 'workflow',
  tasks: tasks.map((t, i) => ({ name: t, parents: i ? [tasks[i - 1]!] : [], retries: 0, executionTimeout: '30s', scheduleTimeout: '5m' })),
  onEvents: [],
  onCrons: [],
  defaultPriority: 1,
});

async function workflow(projectId: string, name: string, tasks: string[]) {
  const wf = await db.prisma.workflow.create({ data: { projectId, name } });
  const v = await db.prisma.workflowVersion.create({
    data: { workflowId: wf.id, version: 1, checksum: 'v1', definition: definition(name, tasks) as object },
  });
  return { projectId, workflowId: wf.id, workflowVersionId: v.id };
}

type Scope = Awaited<ReturnType<typeof workflow>>;
interface Plan {
  key: string;
  scope: Scope;
  status: RunStatus;
  agoMs: number;
  meta?: Record<string, string>;
  input: object;
  output?: object | string;
  task?: 'PENDING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  priority?: number;
}

async function run(p: Plan, createdAt: Date) {
  const finished = ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(p.status);
  const created = await db.prisma.workflowRun.create({
    data: {
      ...p.scope,
      status: p.status,
      input: p.input,
      output: p.output,
      additionalMetadata: p.meta,
      priority: p.priority ?? 1,
      createdAt,
      startedAt: p.status === 'QUEUED' ? null : createdAt,
      finishedAt: finished ? new Date(createdAt.getTime() + 1000) : null,
      taskRuns: { create: [{ taskName: 'first', parents: [], status: p.task ?? 'SUCCEEDED' }] },
    },
  });
  ids[p.key] = created.id;
}

const listIds = async (filter: Record<string, unknown> = {}, caller: Caller = viewer) =>
  (await caller.runs.list({ ...P, ...filter })).items.map((r) => r.id);
const byKeys = (...keys: string[]) => keys.map((k) => ids[k]);

beforeAll(async () => {
  vi.stubEnv('WHETSTONE_TRANSPORT', process.env.WHETSTONE_TEST_TRANSPORT === 'postgres' ? 'postgres' : 'redis');
  const alpha = await db.prisma.project.create({ data: { name: 'Alpha', slug: 'alpha' } });
  const beta = await db.prisma.project.create({ data: { name: 'Beta', slug: 'beta' } });
  const member = async (email: string, role: 'EDITOR' | 'VIEWER') => {
    const user = await db.prisma.user.create({
      data: { email, passwordHash: 'x', memberships: { create: { projectId: alpha.id, role } } },
    });
    return createCaller({ db: db.prisma, user: { id: user.id, email, name: null } });
  };
  editor = await member('editor@example.com', 'EDITOR');
  viewer = await member('viewer@example.com', 'VIEWER');

  const support = await workflow(alpha.id, 'support-reply', ['first', 'second']);
  const lower = await workflow(alpha.id, 'lowercase', ['first']);
  const now = Date.now();
  const plans: Plan[] = [
    {
      key: 'charged',
      scope: support,
      status: 'SUCCEEDED',
      agoMs: 72 * HOUR,
      meta: { customerId: 'c42', plan: 'pro' },
      input: { question: 'I was charged twice for my invoice' },
      output: { reply: 'We refund the second charge' },
      priority: 2,
    },
    {
      key: 'login',
      scope: support,
      status: 'FAILED',
      agoMs: 2 * HOUR,
      meta: { customerId: 'c42', plan: 'free' },
      input: { question: 'Cannot login since Monday' },
      task: 'FAILED',
    },
    {
      key: 'walrus',
      scope: lower,
      status: 'SUCCEEDED',
      agoMs: 0.5 * HOUR,
      meta: { customerId: 'c7' },
      input: { message: 'Hello WALRUS' },
      output: 'hello walrus',
    },
    {
      key: 'refund',
      scope: support,
      status: 'RUNNING',
      agoMs: 0.2 * HOUR,
      meta: { customerId: 'c17', plan: 'pro' },
      input: { question: 'A refund please' },
      task: 'RUNNING',
    },
    { key: 'queued', scope: lower, status: 'QUEUED', agoMs: 0.01 * HOUR, input: { message: 'Queued' }, task: 'PENDING' },
  ];
  // Older runs for paging; old1 and old2 share a creation time (ties break by id).
  for (let i = 1; i <= 7; i++)
    plans.push({ key: `old${i}`, scope: lower, status: 'SUCCEEDED', agoMs: (100 + (i === 2 ? 1 : i)) * HOUR, input: { n: i } });
  for (const p of plans) await run(p, new Date(now - p.agoMs));

  const foreign = await workflow(beta.id, 'support-reply', ['first']);
  await run({ key: 'foreign', scope: foreign, status: 'RUNNING', agoMs: 0, input: {}, task: 'RUNNING' }, new Date());
  foreignRunId = ids.foreign!;

  // A playground experiment on 'charged' (the newest run of all): hidden from the list unless asked for.
  await run(
    {
      key: 'playground',
      scope: support,
      status: 'SUCCEEDED',
      agoMs: 0,
      meta: { customerId: 'c42', plan: 'pro' },
      input: { question: 'I was charged twice (playground)' },
    },
    new Date(now + 1000),
  );
  await db.prisma.workflowRun.update({ where: { id: ids.playground! }, data: { triggerSource: 'PLAYGROUND' } });
  await db.prisma.playgroundRun.create({
    data: {
      projectId: alpha.id,
      sourceRunId: ids.charged!,
      taskName: 'first',
      mode: 'STEP',
      batchId: crypto.randomUUID(),
      variant: 0,
      runId: ids.playground!,
      overrides: {},
    },
  });
});

const NEWEST_FIRST = ['queued', 'refund', 'walrus', 'login', 'charged', 'old1'];

describe('runs.list filters', () => {
  it('lists newest first with exact counts per status and row details', async () => {
    const list = await viewer.runs.list(P);
    expect(list.items.slice(0, 5).map((r) => r.id)).toEqual(byKeys(...NEWEST_FIRST.slice(0, 5)));
    expect(list.items).toHaveLength(12);
    expect(list.counts).toEqual({ QUEUED: 1, RUNNING: 1, SUCCEEDED: 9, FAILED: 1, CANCELLED: 0 });
    expect(list).toMatchObject({ total: 12, capped: [], countCap: COUNT_CAP, workflows: ['lowercase', 'support-reply'] });
    const charged = list.items.find((r) => r.id === ids.charged)!;
    expect(charged).toMatchObject({
      workflowName: 'support-reply',
      status: 'SUCCEEDED',
      triggerSource: 'API',
      replayOfId: null,
      durationMs: 1000,
    });
    expect(Object.fromEntries(charged.metadata)).toEqual({ customerId: 'c42', plan: 'pro' });
    expect(charged.inputPreview).toContain('charged twice');
    expect(charged.createdAt).toBeInstanceOf(Date);
  });

  it('filters by status; the counts ignore the status filter', async () => {
    const succeeded = await viewer.runs.list({ ...P, status: 'SUCCEEDED' });
    expect(succeeded.items.map((r) => r.id)).toEqual(expect.arrayContaining(byKeys('walrus', 'charged', 'old1')));
    expect(succeeded.items.every((r) => r.status === 'SUCCEEDED')).toBe(true);
    expect(succeeded.items).toHaveLength(9);
    expect(succeeded.counts).toMatchObject({ SUCCEEDED: 9, FAILED: 1, RUNNING: 1 });
  });

  it('filters by workflow (counts follow); an unknown workflow matches nothing', async () => {
    const support = await viewer.runs.list({ ...P, workflow: 'support-reply' });
    expect(support.items.map((r) => r.id)).toEqual(byKeys('refund', 'login', 'charged'));
    expect(support.counts).toEqual({ QUEUED: 0, RUNNING: 1, SUCCEEDED: 1, FAILED: 1, CANCELLED: 0 });
    const none = await viewer.runs.list({ ...P, workflow: 'nope' });
    expect(none).toMatchObject({ items: [], total: 0, nextCursor: null });
  });

  it('filters by time: presets relative to now, and a custom from/to range', async () => {
    expect(await listIds({ since: '1h' })).toEqual(byKeys('queued', 'refund', 'walrus'));
    expect(await listIds({ since: '24h' })).toEqual(byKeys('queued', 'refund', 'walrus', 'login'));
    const from = new Date(Date.now() - 4 * HOUR).toISOString();
    const to = new Date(Date.now() - 1 * HOUR).toISOString();
    expect(await listIds({ from, to })).toEqual(byKeys('login'));
    expect(await listIds({ to })).toEqual(expect.not.arrayContaining(byKeys('walrus')));
    expect((await viewer.runs.list({ ...P, since: '1h' })).counts).toMatchObject({ SUCCEEDED: 1, RUNNING: 1, QUEUED: 1, FAILED: 0 });
  });

  it('filters by metadata key=value pairs, ANDed', async () => {
    expect(await listIds({ meta: { customerId: 'c42' } })).toEqual(byKeys('login', 'charged'));
    expect(await listIds({ meta: { customerId: 'c42', plan: 'pro' } })).toEqual(byKeys('charged'));
    expect(await listIds({ meta: { plan: 'pro' } })).toEqual(byKeys('refund', 'charged'));
    expect(await listIds({ meta: { customerId: 'c4' } })).toEqual([]);
    expect((await viewer.runs.list({ ...P, meta: { customerId: 'c42' } })).counts).toMatchObject({ SUCCEEDED: 1, FAILED: 1, RUNNING: 0 });
  });

  it('searches words in inputs and outputs (websearch syntax)', async () => {
    expect(await listIds({ q: 'walrus' })).toEqual(byKeys('walrus'));
    expect(await listIds({ q: 'refund' })).toEqual(byKeys('refund', 'charged'));
    expect(await listIds({ q: '"charged twice"' })).toEqual(byKeys('charged'));
    expect(await listIds({ q: 'refund -please' })).toEqual(byKeys('charged'));
    expect(await listIds({ q: 'walrus or login' })).toEqual(byKeys('walrus', 'login'));
    expect(await listIds({ q: 'nothing-matches-this' })).toEqual([]);
  });

  it('combines filters', async () => {
    expect(await listIds({ workflow: 'support-reply', meta: { plan: 'pro' }, q: 'refund' })).toEqual(byKeys('refund', 'charged'));
    expect(await listIds({ workflow: 'support-reply', meta: { plan: 'pro' }, q: 'refund', status: 'RUNNING', since: '24h' })).toEqual(
      byKeys('refund'),
    );
  });

  it('rejects malformed filters', async () => {
    await expectTrpcError(viewer.runs.list({ ...P, since: '2y' as '1h' }), 'BAD_REQUEST');
    await expectTrpcError(viewer.runs.list({ ...P, from: 'yesterday' }), 'BAD_REQUEST');
    await expectTrpcError(viewer.runs.list({ ...P, q: 'x'.repeat(201) }), 'BAD_REQUEST');
    const tooMany = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, 'v']));
    await expectTrpcError(viewer.runs.list({ ...P, meta: tooMany }), 'BAD_REQUEST');
  });
});

describe('trigger filter: playground runs are hidden unless asked for', () => {
  it('the default list and its counts leave playground runs out, whatever the other filters', async () => {
    expect(await listIds()).not.toContain(ids.playground);
    expect(await listIds({ meta: { customerId: 'c42' } })).toEqual(byKeys('login', 'charged'));
    expect(await listIds({ q: 'charged' })).toEqual(byKeys('charged'));
    expect((await viewer.runs.list({ ...P, workflow: 'support-reply' })).counts).toEqual({
      QUEUED: 0,
      RUNNING: 1,
      SUCCEEDED: 1,
      FAILED: 1,
      CANCELLED: 0,
    });
  });

  it('trigger=PLAYGROUND lists only them (with counts); ALL lists every run; one source lists that source', async () => {
    const playground = await viewer.runs.list({ ...P, trigger: 'PLAYGROUND' });
    expect(playground.items.map((r) => r.id)).toEqual(byKeys('playground'));
    expect(playground.items[0]).toMatchObject({ triggerSource: 'PLAYGROUND', workflowName: 'support-reply' });
    expect(playground.counts).toEqual({ QUEUED: 0, RUNNING: 0, SUCCEEDED: 1, FAILED: 0, CANCELLED: 0 });
    expect(await listIds({ trigger: 'PLAYGROUND', meta: { customerId: 'c42' }, q: 'playground' })).toEqual(byKeys('playground'));
    expect(await listIds({ trigger: 'PLAYGROUND', status: 'FAILED' })).toEqual([]);

    const all = await viewer.runs.list({ ...P, trigger: 'ALL', limit: 200 });
    expect(all.items.map((r) => r.id)).toEqual([ids.playground, ...(await listIds({ limit: 200 }))]);
    expect(all.counts.SUCCEEDED).toBe(10);
    expect(await listIds({ trigger: 'ALL', meta: { customerId: 'c42' } })).toEqual(byKeys('playground', 'login', 'charged'));

    expect(await listIds({ trigger: 'API', limit: 200 })).toEqual(await listIds({ limit: 200 }));
    expect(await listIds({ trigger: 'EVENT' })).toEqual([]);
    expect((await viewer.runs.list({ ...P, trigger: 'EVENT' })).total).toBe(0);
  });

  it('rejects an unknown trigger', async () => {
    await expectTrpcError(viewer.runs.list({ ...P, trigger: 'WEBHOOK' as 'API' }), 'BAD_REQUEST');
  });
});

describe('pagination', () => {
  async function allPages(filter: Record<string, unknown>, limit: number) {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<Caller['runs']['list']>> = await viewer.runs.list({ ...P, ...filter, limit, cursor });
      expect(page.items.length).toBeLessThanOrEqual(limit);
      seen.push(...page.items.map((r) => r.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 50);
    return seen;
  }

  it('pages by cursor without gaps or repeats, also across runs created in the same millisecond', async () => {
    const everything = await listIds({ limit: 200 });
    expect(everything).toHaveLength(12);
    for (const limit of [1, 2, 5]) expect(await allPages({}, limit)).toEqual(everything);
    const [a, b] = [everything.indexOf(ids.old1!), everything.indexOf(ids.old2!)];
    expect(Math.abs(a - b)).toBe(1);
  });

  it('pages a filtered list the same way', async () => {
    const succeeded = await listIds({ status: 'SUCCEEDED', limit: 200 });
    expect(await allPages({ status: 'SUCCEEDED' }, 2)).toEqual(succeeded);
    expect(await allPages({ meta: { customerId: 'c42' } }, 1)).toEqual(byKeys('login', 'charged'));
  });
});

describe('bulk actions and replay', () => {
  it('viewers may not cancel or replay', async () => {
    await expectTrpcError(viewer.runs.bulkCancel({ ...P, ids: byKeys('refund') as string[] }), 'FORBIDDEN');
    await expectTrpcError(viewer.runs.bulkReplay({ ...P, ids: byKeys('charged') as string[] }), 'FORBIDDEN');
    await expectTrpcError(viewer.runs.replay({ ...P, id: ids.charged! }), 'FORBIDDEN');
  });

  it('refuses malformed or oversized id lists', async () => {
    await expectTrpcError(editor.runs.bulkCancel({ ...P, ids: [] }), 'BAD_REQUEST');
    await expectTrpcError(editor.runs.bulkCancel({ ...P, ids: ['nope'] }), 'BAD_REQUEST');
    const many = Array.from({ length: 501 }, () => ids.charged!);
    await expectTrpcError(editor.runs.bulkReplay({ ...P, ids: many }), 'BAD_REQUEST');
  });

  it('a bulk action naming another project’s run is not found and changes nothing', async () => {
    await expectTrpcError(editor.runs.bulkCancel({ ...P, ids: [ids.refund!, foreignRunId] }), 'NOT_FOUND');
    await expectTrpcError(editor.runs.bulkReplay({ ...P, ids: [ids.charged!, foreignRunId] }), 'NOT_FOUND');
    expect(await db.prisma.workflowRun.findUniqueOrThrow({ where: { id: ids.refund! } })).toMatchObject({ status: 'RUNNING' });
    expect(await db.prisma.workflowRun.count({ where: { replayOfId: { not: null } } })).toBe(0);
  });

  it('bulk cancel: unfinished runs end CANCELLED, finished ones are left as they are', async () => {
    const result = await editor.runs.bulkCancel({ ...P, ids: [ids.refund!, ids.queued!, ids.charged!] });
    expect(result).toMatchObject({ cancelled: 2, unchanged: 1, failed: 0 });
    expect(result.results.find((r) => r.id === ids.charged)).toMatchObject({ ok: true, value: { cancelled: false, status: 'SUCCEEDED' } });
    const statuses = await db.prisma.workflowRun.findMany({
      where: { id: { in: [ids.refund!, ids.queued!, ids.charged!, foreignRunId] } },
      select: { id: true, status: true },
    });
    const status = Object.fromEntries(statuses.map((s) => [s.id, s.status]));
    expect([status[ids.refund!], status[ids.queued!], status[ids.charged!], status[foreignRunId]]).toEqual([
      'CANCELLED',
      'CANCELLED',
      'SUCCEEDED',
      'RUNNING',
    ]);
    expect((await viewer.runs.list(P)).counts.CANCELLED).toBe(2);
  });

  it('bulk replay: new runs of the latest version with the same input, metadata and priority, linked by replayOfId', async () => {
    const support = await db.prisma.workflow.findFirstOrThrow({ where: { name: 'support-reply', project: { slug: 'alpha' } } });
    const v2 = await db.prisma.workflowVersion.create({
      data: { workflowId: support.id, version: 2, checksum: 'v2', definition: definition('support-reply', ['first']) as object },
    });

    const result = await editor.runs.bulkReplay({ ...P, ids: [ids.charged!, ids.login!] });
    expect(result).toMatchObject({ replayed: 2, failed: 0 });
    const made = result.results.flatMap((r) => (r.ok ? [r.value] : []));
    expect(made.map((m) => m.replayOfId).sort()).toEqual([ids.charged!, ids.login!].sort());

    const replay = await db.prisma.workflowRun.findUniqueOrThrow({
      where: { id: made.find((m) => m.replayOfId === ids.charged)!.runId },
      include: { taskRuns: true },
    });
    expect(replay).toMatchObject({
      workflowId: support.id,
      workflowVersionId: v2.id,
      triggerSource: 'REPLAY',
      replayOfId: ids.charged,
      input: { question: 'I was charged twice for my invoice' },
      additionalMetadata: { customerId: 'c42', plan: 'pro' },
      priority: 2,
      output: null,
    });
    expect(replay.taskRuns.map((t) => t.taskName)).toEqual(['first']);
    const source = await db.prisma.workflowRun.findUniqueOrThrow({ where: { id: ids.charged! } });
    expect(source.status).toBe('SUCCEEDED');

    // In the list: on top, marked as replays of their sources, and found by the source's metadata.
    const list = await viewer.runs.list(P);
    expect(
      list.items
        .slice(0, 2)
        .map((r) => r.replayOfId)
        .sort(),
    ).toEqual([ids.charged!, ids.login!].sort());
    expect(list.items[0]).toMatchObject({ triggerSource: 'REPLAY' });
    expect(await listIds({ meta: { customerId: 'c42', plan: 'pro' } })).toEqual([replay.id, ids.charged]);
  });

  it('replay with another input; unknown and foreign runs are not found', async () => {
    const { runId, replayOfId } = await editor.runs.replay({ ...P, id: ids.walrus!, input: { message: 'Edited' } });
    expect(replayOfId).toBe(ids.walrus);
    expect(await db.prisma.workflowRun.findUniqueOrThrow({ where: { id: runId } })).toMatchObject({
      input: { message: 'Edited' },
      replayOfId: ids.walrus,
      triggerSource: 'REPLAY',
    });
    await expectTrpcError(editor.runs.replay({ ...P, id: foreignRunId }), 'NOT_FOUND');
    await expectTrpcError(editor.runs.replay({ ...P, id: '01900000-0000-7000-8000-000000000000' }), 'NOT_FOUND');
    await expectTrpcError(editor.runs.replay({ ...P, id: 'nope' }), 'BAD_REQUEST');
  });
});

describe('replay every run matching the filters', () => {
  const replaysOf = (id: string) => db.prisma.workflowRun.count({ where: { replayOfId: id } });

  it('viewers may not; the filter is validated like the list’s', async () => {
    await expectTrpcError(viewer.runs.bulkReplayByFilter({ ...P, filter: { q: 'walrus' }, confirmCount: 1 }), 'FORBIDDEN');
    await expectTrpcError(editor.runs.bulkReplayByFilter({ ...P, filter: { since: '2y' as '1h' }, confirmCount: 1 }), 'BAD_REQUEST');
    await expectTrpcError(editor.runs.bulkReplayByFilter({ ...P, filter: {}, confirmCount: 501 }), 'BAD_REQUEST');
    await expectTrpcError(editor.runs.bulkReplayByFilter({ ...P, filter: {}, confirmCount: -1 }), 'BAD_REQUEST');
  });

  it('refuses when more runs match than the count confirmed, and replays nothing', async () => {
    const before = await replaysOf(ids.walrus!);
    await expectTrpcError(
      editor.runs.bulkReplayByFilter({ ...P, filter: { workflow: 'lowercase', q: 'walrus' }, confirmCount: 0 }),
      'CONFLICT',
    );
    await expectTrpcError(editor.runs.bulkReplayByFilter({ ...P, filter: { workflow: 'support-reply' }, confirmCount: 2 }), 'CONFLICT');
    expect(await replaysOf(ids.walrus!)).toBe(before);
  });

  it('replays exactly what the list shows for the filter: no playground runs, no other project’s runs', async () => {
    const shown = await listIds({ meta: { customerId: 'c42', plan: 'pro' } });
    const result = await editor.runs.bulkReplayByFilter({
      ...P,
      filter: { meta: { customerId: 'c42', plan: 'pro' } },
      confirmCount: shown.length,
    });
    expect(result).toMatchObject({ matched: shown.length, replayed: shown.length, failed: 0 });
    expect(result.results.map((r) => r.id)).toEqual(shown);
    expect(shown).not.toContain(ids.playground);
    const made = result.results.flatMap((r) => (r.ok ? [r.value.runId] : []));
    const runs = await db.prisma.workflowRun.findMany({
      where: { id: { in: made } },
      select: { triggerSource: true, replayOfId: true, projectId: true },
    });
    expect(runs.map((r) => r.replayOfId).sort()).toEqual([...shown].sort());
    expect(runs.every((r) => r.triggerSource === 'REPLAY')).toBe(true);
    expect(await replaysOf(ids.playground!)).toBe(0);

    // beta has a 'support-reply' run too, and a word only it has: alpha's filter never reaches it.
    await db.prisma.workflowRun.update({ where: { id: foreignRunId }, data: { input: { question: 'okapi' } } });
    expect(await editor.runs.bulkReplayByFilter({ ...P, filter: { q: 'okapi' }, confirmCount: 5 })).toMatchObject({
      matched: 0,
      replayed: 0,
    });
    expect(await editor.runs.bulkReplayByFilter({ ...P, filter: { workflow: 'only-in-beta' }, confirmCount: 5 })).toMatchObject({
      matched: 0,
      replayed: 0,
    });
    expect(await replaysOf(foreignRunId)).toBe(0);
  });

  it('an explicit trigger filter replays those runs, playground ones included', async () => {
    const result = await editor.runs.bulkReplayByFilter({ ...P, filter: { trigger: 'PLAYGROUND' }, confirmCount: 1 });
    expect(result).toMatchObject({ matched: 1, replayed: 1 });
    expect(await replaysOf(ids.playground!)).toBe(1);
  });

  it('refuses more than 500 matching runs', async () => {
    const alpha = await db.prisma.project.findUniqueOrThrow({ where: { slug: 'alpha' } });
    const scope = await workflow(alpha.id, 'crowded', ['first']);
    await db.prisma.$executeRaw`
      INSERT INTO "WorkflowRun" (id, "projectId", "workflowId", "workflowVersionId", status, input, "createdAt")
      SELECT gen_random_uuid(), ${alpha.id}::uuid, ${scope.workflowId}::uuid, ${scope.workflowVersionId}::uuid, 'SUCCEEDED', '{}', now() - i * interval '1 second'
      FROM generate_series(1, 501) AS i`;
    await expectTrpcError(editor.runs.bulkReplayByFilter({ ...P, filter: { workflow: 'crowded' }, confirmCount: 500 }), 'BAD_REQUEST');
    expect(await db.prisma.workflowRun.count({ where: { workflowId: scope.workflowId, triggerSource: 'REPLAY' } })).toBe(0);
  });
});

describe('counts over many runs', () => {
  it(`stop at ${COUNT_CAP.toLocaleString('en')} per status and say so`, async () => {
    const project = await db.prisma.project.create({ data: { name: 'Big', slug: 'big' } });
    const user = await db.prisma.user.create({
      data: { email: 'big@example.com', passwordHash: 'x', memberships: { create: { projectId: project.id, role: 'VIEWER' } } },
    });
    const scope = await workflow(project.id, 'many', ['first']);
    await db.prisma.$executeRaw`
      INSERT INTO "WorkflowRun" (id, "projectId", "workflowId", "workflowVersionId", status, input, "createdAt")
      SELECT gen_random_uuid(), ${project.id}::uuid, ${scope.workflowId}::uuid, ${scope.workflowVersionId}::uuid,
        (CASE WHEN i <= ${COUNT_CAP + 5} THEN 'SUCCEEDED' ELSE 'FAILED' END)::"RunStatus", '{}', now() - i * interval '1 second'
      FROM generate_series(1, ${COUNT_CAP + 8}) AS i`;
    const list = await createCaller({ db: db.prisma, user: { id: user.id, email: user.email, name: null } }).runs.list({ project: 'big' });
    expect(list.counts).toMatchObject({ SUCCEEDED: COUNT_CAP, FAILED: 3 });
    expect(list.capped).toEqual(['SUCCEEDED']);
    expect(list.items).toHaveLength(50);
    expect(list.nextCursor).toBe(list.items[49]!.id);
  });
});
