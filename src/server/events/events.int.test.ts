import { beforeAll, describe, expect, it } from 'vitest';
import { expectTrpcError } from '@/server/testing/expect-trpc-error';
import { useScratchDatabase } from '@/server/testing/scratch-database';
import { createCaller } from '@/server/router';

const db = useScratchDatabase('wstest_events_router');

// The Events page's procedures against a real database. No workflow matches the keys used here,
// so replays store events without starting runs (nothing reaches a queue).

const P = { project: 'ev' } as const;
let editor: ReturnType<typeof createCaller>;
let viewer: ReturnType<typeof createCaller>;
const ids = { a1: '', a2: '', b1: '', b2: '', foreign: '', run: '' };

beforeAll(async () => {
  const project = await db.prisma.project.create({ data: { name: 'Events', slug: 'ev' } });
  const other = await db.prisma.project.create({ data: { name: 'Other', slug: 'other' } });
  const member = async (email: string, role: 'EDITOR' | 'VIEWER') => {
    const user = await db.prisma.user.create({
      data: { email, passwordHash: 'x', memberships: { create: { projectId: project.id, role } } },
    });
    return createCaller({ db: db.prisma, user: { id: user.id, email, name: null } });
  };
  editor = await member('editor@example.com', 'EDITOR');
  viewer = await member('viewer@example.com', 'VIEWER');

  const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
  const event = (projectId: string, key: string, s: number, payload: unknown = { s }) =>
    db.prisma.event.create({ data: { projectId, key, payload: payload as object, createdAt: at(s), processedAt: at(s) } });
  ids.a1 = (await event(project.id, 'order:created', 1)).id;
  ids.b1 = (await event(project.id, 'ticket:created', 2)).id;
  ids.a2 = (await event(project.id, 'order:paid', 3, { note: 'x'.repeat(1000) })).id;
  ids.b2 = (await event(project.id, 'ticket:created', 4, { html: '<b>hi</b>' })).id;
  ids.foreign = (await event(other.id, 'order:created', 5)).id;

  const workflow = await db.prisma.workflow.create({ data: { projectId: project.id, name: 'wf' } });
  const version = await db.prisma.workflowVersion.create({ data: { workflowId: workflow.id, version: 1, checksum: 'c', definition: {} } });
  const run = await db.prisma.workflowRun.create({
    data: {
      projectId: project.id,
      workflowId: workflow.id,
      workflowVersionId: version.id,
      input: {},
      eventId: ids.b2,
      status: 'SUCCEEDED',
    },
  });
  ids.run = run.id;
});

describe('events.list', () => {
  it('lists the project’s events newest first, with a short payload preview and their runs', async () => {
    const page = await viewer.events.list(P);
    expect(page.items.map((e) => e.id)).toEqual([ids.b2, ids.a2, ids.b1, ids.a1]);
    expect(page.nextCursor).toBeNull();
    const [b2, a2] = page.items;
    expect(b2).toMatchObject({ key: 'ticket:created', runCount: 1, runs: [{ id: ids.run, status: 'SUCCEEDED', workflowName: 'wf' }] });
    expect(b2!.payloadPreview).toEqual({ text: '{"html": "<b>hi</b>"}', truncated: false });
    expect(a2!.payloadPreview.truncated).toBe(true);
    expect(a2!.payloadPreview.text.length).toBe(240);
  });

  it('filters on the exact key or on a key prefix', async () => {
    expect((await viewer.events.list({ ...P, key: 'ticket:created' })).items.map((e) => e.id)).toEqual([ids.b2, ids.b1]);
    expect((await viewer.events.list({ ...P, key: 'order:' })).items).toEqual([]);
    expect((await viewer.events.list({ ...P, key: 'order:', keyMatch: 'prefix' })).items.map((e) => e.id)).toEqual([ids.a2, ids.a1]);
    // LIKE wildcards in a prefix are plain characters.
    expect((await viewer.events.list({ ...P, key: '%', keyMatch: 'prefix' })).items).toEqual([]);
    expect((await viewer.events.list({ ...P, key: 'order_', keyMatch: 'prefix' })).items).toEqual([]);
    expect((await viewer.events.list({ ...P, key: 'order\\', keyMatch: 'prefix' })).items).toEqual([]);
    const projectId = (await db.prisma.project.findUniqueOrThrow({ where: { slug: 'ev' } })).id;
    const promo = await db.prisma.event.create({ data: { projectId, key: 'promo_50%\\x:used', payload: {} } });
    try {
      expect((await viewer.events.list({ ...P, key: 'promo_50%\\x', keyMatch: 'prefix' })).items.map((e) => e.id)).toEqual([promo.id]);
    } finally {
      await db.prisma.event.delete({ where: { id: promo.id } });
    }
  });

  it('pages with the cursor; a cursor from another project is refused', async () => {
    const first = await viewer.events.list({ ...P, limit: 3 });
    expect(first.items.map((e) => e.id)).toEqual([ids.b2, ids.a2, ids.b1]);
    expect(first.nextCursor).toBe(ids.b1);
    const second = await viewer.events.list({ ...P, limit: 3, cursor: first.nextCursor });
    expect(second).toMatchObject({ items: [{ id: ids.a1 }], nextCursor: null });
    await expectTrpcError(viewer.events.list({ ...P, cursor: ids.foreign }), 'BAD_REQUEST');
  });
});

describe('events.get, replay and bulkReplay', () => {
  it('gets one event with its payload, runs and replays; other projects’ events are not found', async () => {
    expect(await viewer.events.get({ ...P, id: ids.b2 })).toMatchObject({
      key: 'ticket:created',
      payload: { html: '<b>hi</b>' },
      additionalMetadata: {},
      replayOfId: null,
      runs: [{ id: ids.run, workflowName: 'wf' }],
      replays: [],
    });
    await expectTrpcError(viewer.events.get({ ...P, id: ids.foreign }), 'NOT_FOUND');
  });

  it('replay stores a new event linked to the original; viewers may not replay', async () => {
    await expectTrpcError(viewer.events.replay({ ...P, id: ids.b1 }), 'FORBIDDEN');
    const replay = await editor.events.replay({ ...P, id: ids.b1 });
    expect(replay).toMatchObject({ replayOfId: ids.b1, runIds: [] });
    expect(await viewer.events.get({ ...P, id: replay.eventId })).toMatchObject({
      key: 'ticket:created',
      replayOfId: ids.b1,
      payload: { s: 2 },
    });
    expect((await viewer.events.get({ ...P, id: ids.b1 })).replays.map((r) => r.id)).toEqual([replay.eventId]);
    await expectTrpcError(editor.events.replay({ ...P, id: ids.foreign }), 'NOT_FOUND');
  });

  it('bulk replay replays each selected event once, and nothing when one is not in the project', async () => {
    const before = await db.prisma.event.count();
    await expectTrpcError(editor.events.bulkReplay({ ...P, ids: [ids.a1, ids.foreign] }), 'NOT_FOUND');
    expect(await db.prisma.event.count()).toBe(before);
    await expectTrpcError(viewer.events.bulkReplay({ ...P, ids: [ids.a1] }), 'FORBIDDEN');

    const result = await editor.events.bulkReplay({ ...P, ids: [ids.a1, ids.a2, ids.a1] });
    expect(result).toMatchObject({ replayed: 2, failed: 0 });
    expect(result.results.map((r) => r.id)).toEqual([ids.a1, ids.a2]);
    expect(await db.prisma.event.count({ where: { replayOfId: { in: [ids.a1, ids.a2] } } })).toBe(2);
  });
});
