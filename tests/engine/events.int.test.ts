import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Whetstone, WhetstoneApiError, type WhetstoneWorker } from '@whetstone/sdk';
import { createApiKey } from '../../src/server/auth/api-keys';
import { startTestStack, type TestStack } from '../helpers/stack';

// Durable events on the real stack: push → matching workflows (exact and wildcard onEvents) run
// with the payload as input; list, get, replay; errors; recovery of an event whose push died.

const MAX_PAYLOAD_BYTES = 64 * 1024;

let stack: TestStack;
let worker: WhetstoneWorker;

beforeAll(async () => {
  stack = await startTestStack({ env: { WHETSTONE_MAX_PAYLOAD_BYTES: String(MAX_PAYLOAD_BYTES) } });
  const { ws } = stack;
  const anyTicket = ws.task({
    name: 'on-any-ticket',
    on: { event: 'ticket:*' },
    fn: (input: Record<string, unknown>, ctx) => ({ got: input, meta: ctx.additionalMetadata }),
  });
  const created = ws.workflow<Record<string, unknown>>({ name: 'on-ticket-created', on: { event: ['ticket:created'] } });
  created.task({ name: 'step', fn: (input) => ({ echo: input }) });
  const orders = ws.task({ name: 'on-order', on: { event: 'order:*' }, fn: () => 'order' });
  // Two workflows on one key, one of which refuses the payload.
  const strict = ws.task({
    name: 'strict-input',
    on: { event: 'strict:*' },
    inputValidator: z.object({ must: z.string() }),
    fn: (input: { must: string }) => input.must,
  });
  const lenient = ws.task({ name: 'lenient-input', on: { event: 'strict:*' }, fn: () => 'ok' });
  worker = ws.worker('events-test', { workflows: [anyTicket, created, orders, strict, lenient], handleSignals: false });
  await worker.start();
});
afterAll(async () => {
  await worker?.stop();
  await stack?.stop();
});

const runsOf = (eventId: string) =>
  stack.prisma.workflowRun.findMany({
    where: { eventId },
    include: { workflow: { select: { name: true } } },
    orderBy: { createdAt: 'asc' },
  });

async function expectApiError(promise: Promise<unknown>, status: number, message?: string | RegExp): Promise<void> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WhetstoneApiError);
  expect((error as WhetstoneApiError).status).toBe(status);
  if (message) expect((error as Error).message).toMatch(message);
}

describe('events', () => {
  let createdEventId = '';
  let createdRunIds: string[] = [];

  it('push starts exactly the matching workflows (exact and wildcard) with the payload as input', async () => {
    const payload = { ticketId: 't-1', body: 'My invoice is wrong' };
    const pushed = await stack.ws.events.push('ticket:created', payload, { additionalMetadata: { source: 'test' } });
    createdEventId = pushed.eventId;
    createdRunIds = pushed.runIds;
    expect(pushed.runIds).toHaveLength(2);

    const runs = await runsOf(pushed.eventId);
    expect(runs.map((r) => r.workflow.name).sort()).toEqual(['on-any-ticket', 'on-ticket-created']);
    expect(runs.map((r) => r.id).sort()).toEqual([...pushed.runIds].sort());
    for (const run of runs) {
      expect(run.triggerSource).toBe('EVENT');
      expect(run.eventId).toBe(pushed.eventId);
      expect(run.input).toEqual(payload);
      expect(run.additionalMetadata).toEqual({ source: 'test' });
    }

    const results = await Promise.all(pushed.runIds.map((id) => stack.ws.waitForRun(id)));
    const byWorkflow = Object.fromEntries(results.map((r) => [r.workflow, r]));
    expect(byWorkflow['on-any-ticket']).toMatchObject({ status: 'SUCCEEDED', output: { got: payload, meta: { source: 'test' } } });
    expect(byWorkflow['on-ticket-created']).toMatchObject({ status: 'SUCCEEDED', output: { step: { echo: payload } } });

    const event = await stack.prisma.event.findUniqueOrThrow({ where: { id: pushed.eventId } });
    expect(event).toMatchObject({
      projectId: stack.projectId,
      key: 'ticket:created',
      payload,
      additionalMetadata: { source: 'test' },
      replayOfId: null,
    });
    expect(event.processedAt).not.toBeNull();
  });

  it('a wildcard pattern matches other keys; an event nothing matches is stored with no runs', async () => {
    const closed = await stack.ws.events.push('ticket:closed', { ticketId: 't-1' });
    expect(closed.runIds).toHaveLength(1);
    const [run] = await runsOf(closed.eventId);
    expect(run!.workflow.name).toBe('on-any-ticket');
    expect((await stack.ws.waitForRun(closed.runIds[0]!)).status).toBe('SUCCEEDED');

    const nothing = await stack.ws.events.push('invoice:paid', 42);
    expect(nothing.runIds).toEqual([]);
    const stored = await stack.ws.events.get(nothing.eventId);
    expect(stored).toMatchObject({ key: 'invoice:paid', payload: 42, runIds: [] });
    expect(stored.processedAt).not.toBeNull();
  });

  it('a workflow refusing the payload does not stop the others', async () => {
    const bad = await stack.ws.events.push('strict:go', { nope: 1 });
    expect((await runsOf(bad.eventId)).map((r) => r.workflow.name)).toEqual(['lenient-input']);
    expect(bad.runIds).toHaveLength(1);
    expect((await stack.prisma.event.findUniqueOrThrow({ where: { id: bad.eventId } })).processedAt).not.toBeNull();

    const good = await stack.ws.events.push('strict:go', { must: 'yes' });
    expect((await runsOf(good.eventId)).map((r) => r.workflow.name).sort()).toEqual(['lenient-input', 'strict-input']);
  });

  it('lists events newest first, filtered by key, with a cursor', async () => {
    const mine = [];
    for (let i = 0; i < 3; i++) mine.push((await stack.ws.events.push('list:me', { i })).eventId);
    await stack.ws.events.push('list:other', {});

    const all = await stack.ws.events.list({ key: 'list:me' });
    expect(all.events.map((e) => e.id)).toEqual([...mine].reverse());
    expect(all.events.every((e) => e.key === 'list:me')).toBe(true);
    expect(all.events[0]).toMatchObject({ payload: { i: 2 }, additionalMetadata: {}, replayOfId: null });
    expect(all.nextCursor).toBeNull();

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await stack.ws.events.list({ key: 'list:me', limit: 2, cursor });
      expect(page.events.length).toBeLessThanOrEqual(2);
      seen.push(...page.events.map((e) => e.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([...mine].reverse());

    const everything = await stack.ws.events.list();
    expect(everything.events.map((e) => e.id)).toEqual(expect.arrayContaining([...mine, createdEventId]));
    expect(everything.events.map((e) => e.key)).toContain('list:other');

    await expectApiError(stack.ws.events.list({ limit: 0 }), 400, /limit/);
    await expectApiError(stack.ws.events.list({ limit: 101 }), 400, /limit/);
    await expectApiError(stack.ws.events.list({ cursor: randomUUID() }), 400, /cursor/);
  });

  it('get returns the event and the ids of the runs it started', async () => {
    const event = await stack.ws.events.get(createdEventId);
    expect(event).toMatchObject({ id: createdEventId, key: 'ticket:created', additionalMetadata: { source: 'test' }, replayOfId: null });
    expect([...event.runIds].sort()).toEqual([...createdRunIds].sort());
    expect(new Date(event.createdAt).getTime()).toBeGreaterThan(0);
  });

  it('replay stores a new event linked to the replayed one and starts new runs', async () => {
    const replay = await stack.ws.events.replay(createdEventId);
    expect(replay.eventId).not.toBe(createdEventId);
    expect(replay.replayOfId).toBe(createdEventId);
    expect(replay.runIds).toHaveLength(2);
    expect(replay.runIds.some((id) => createdRunIds.includes(id))).toBe(false);

    const stored = await stack.ws.events.get(replay.eventId);
    expect(stored).toMatchObject({
      key: 'ticket:created',
      payload: { ticketId: 't-1' },
      additionalMetadata: { source: 'test' },
      replayOfId: createdEventId,
    });
    const runs = await runsOf(replay.eventId);
    expect(runs.map((r) => r.workflow.name).sort()).toEqual(['on-any-ticket', 'on-ticket-created']);
    expect(runs.every((r) => r.triggerSource === 'EVENT')).toBe(true);
    for (const id of replay.runIds) expect((await stack.ws.waitForRun(id)).status).toBe('SUCCEEDED');
    // The original keeps its own runs.
    expect([...(await stack.ws.events.get(createdEventId)).runIds].sort()).toEqual([...createdRunIds].sort());

    // Replaying a replay links to that replay.
    const again = await stack.ws.events.replay(replay.eventId);
    expect(again.replayOfId).toBe(replay.eventId);
    expect((await stack.ws.events.get(again.eventId)).replayOfId).toBe(replay.eventId);
  });

  it('answers 404 for unknown ids and other projects’ events, and hides them from other projects’ lists', async () => {
    await expectApiError(stack.ws.events.get(randomUUID()), 404, /not found/);
    await expectApiError(stack.ws.events.get('not-a-uuid'), 404, /not found/);
    await expectApiError(stack.ws.events.replay(randomUUID()), 404, /not found/);

    const other = await stack.prisma.project.create({ data: { name: 'Other events', slug: 'other-events' } });
    const otherWs = Whetstone.init({ apiUrl: stack.url, apiKey: (await createApiKey(stack.prisma, other.id, 'other')).key });
    await expectApiError(otherWs.events.get(createdEventId), 404);
    await expectApiError(otherWs.events.replay(createdEventId), 404);
    expect((await otherWs.events.list()).events).toEqual([]);
    // Pushing there does not start this project's workflows.
    const pushed = await otherWs.events.push('ticket:created', {});
    expect(pushed.runIds).toEqual([]);
  });

  it('refuses a wildcard key (400) and an oversized payload (413), storing nothing', async () => {
    const before = await stack.prisma.event.count();
    await expectApiError(stack.ws.events.push('ticket:*', {}), 400, /wildcard/);
    await expectApiError(stack.ws.events.push('ticket:{a,b}', {}), 400, /wildcard/);
    await expectApiError(stack.ws.events.push('', {}), 400);
    await expectApiError(stack.ws.events.push('k'.repeat(201), {}), 400);
    await expectApiError(stack.ws.events.push('ticket:created', { blob: 'x'.repeat(MAX_PAYLOAD_BYTES) }), 413, /limit is 65536 bytes/);
    expect(await stack.prisma.event.count()).toBe(before);
  });

  it('recovers an event stored by a server that died before starting its runs, exactly once', async () => {
    // The test process runs the engine's recovery function against the stack's database and queues.
    for (const k of ['DATABASE_URL', 'WHETSTONE_TRANSPORT', 'REDIS_URL', 'WHETSTONE_QUEUE_PREFIX', 'WHETSTONE_MAX_PAYLOAD_BYTES']) {
      if (stack.env[k]) process.env[k] = stack.env[k];
    }
    const { env } = await import('../../src/server/env');
    expect(env().DATABASE_URL).toBe(stack.env.DATABASE_URL);
    const { processPendingEvents } = await import('../../src/server/engine/triggers/events');
    const { closeQueueKit } = await import('../../src/server/queue/project-queues');
    try {
      const payload = { ticketId: 'recovered' };
      const event = await stack.prisma.event.create({
        data: { projectId: stack.projectId, key: 'ticket:created', payload, createdAt: new Date(Date.now() - 60_000) },
      });
      expect(event.processedAt).toBeNull();

      await processPendingEvents(stack.prisma, { olderThanMs: 10_000 });
      await processPendingEvents(stack.prisma, { olderThanMs: 10_000 });
      await Promise.all([processPendingEvents(stack.prisma, { olderThanMs: 0 }), processPendingEvents(stack.prisma, { olderThanMs: 0 })]);

      const runs = await runsOf(event.id);
      expect(runs.map((r) => r.workflow.name).sort()).toEqual(['on-any-ticket', 'on-ticket-created']);
      expect(runs.every((r) => r.triggerSource === 'EVENT' && r.idempotencyKey === `event:${event.id}:${r.workflow.name}`)).toBe(true);
      expect((await stack.prisma.event.findUniqueOrThrow({ where: { id: event.id } })).processedAt).not.toBeNull();
      for (const run of runs) expect((await stack.ws.waitForRun(run.id)).status).toBe('SUCCEEDED');
      expect((await stack.ws.events.get(event.id)).runIds).toHaveLength(2);
    } finally {
      await closeQueueKit();
    }
  });
});
