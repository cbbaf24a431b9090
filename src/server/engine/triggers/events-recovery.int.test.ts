import { beforeAll, describe, expect, it } from 'vitest';
import { registerWorkerRequestSchema } from '@whetstone/sdk/contract';
import { ensureDefaultProject } from '@/server/bootstrap/project';
import { useScratchDatabase } from '@/server/testing/scratch-database';
import { usePrivateQueuePrefix } from '@/server/testing/queue-prefix';
import { registerWorker } from '@/server/engine/registration/register';
import { createRun } from './create-run';
import { MAX_EVENT_ATTEMPTS, processPendingEvents, pushEvent } from './events';

// Events that can never start their runs (a poison event) must not be retried forever nor hold up
// the others; a workflow version whose inputSchema the server cannot compile is refused (400), not a crash.
const scratch = useScratchDatabase();
usePrivateQueuePrefix('wsevrecover');
let projectId = '';

/** A workflow version stored as-is, bypassing registration's checks (as an older server stored them). */
async function storeRawVersion(name: string, definition: object): Promise<void> {
  const workflow = await scratch.prisma.workflow.create({ data: { projectId, name } });
  await scratch.prisma.workflowVersion.create({ data: { workflowId: workflow.id, version: 1, checksum: name, definition } });
}

beforeAll(async () => {
  projectId = (await ensureDefaultProject(scratch.prisma)).id;
  const workflows = registerWorkerRequestSchema.parse({
    name: 'w',
    workflows: [
      { name: 'on-good', tasks: [{ name: 't' }], onEvents: ['good:*', 'schema:*'] },
      { name: 'plain', tasks: [{ name: 't' }] },
    ],
  }).workflows;
  await registerWorker(scratch.prisma, projectId, { name: 'w', workflows });
  // A definition the engine cannot parse: every event matching it fails the same way, every time.
  await storeRawVersion('corrupt', { name: 'corrupt', tasks: 'not-a-list', onEvents: ['poison:*'] });
  await storeRawVersion('uncompilable', {
    name: 'uncompilable',
    kind: 'workflow',
    tasks: [{ name: 't', parents: [] }],
    onEvents: ['schema:*'],
    inputSchema: { type: 'not-a-type' },
  });
});

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);

describe('event recovery', () => {
  it('marks a poison event failed after MAX_EVENT_ATTEMPTS, with its reason, and 120 of them never block the others', async () => {
    // 120 poison events, older than a good one that is also pending: the first pass takes 100 poison ones.
    await scratch.prisma.event.createMany({
      data: Array.from({ length: 120 }, (_, i) => ({
        projectId,
        key: `poison:${i}`,
        payload: {},
        createdAt: new Date(minutesAgo(30).getTime() + i),
      })),
    });
    const good = await scratch.prisma.event.create({ data: { projectId, key: 'good:1', payload: { n: 1 }, createdAt: minutesAgo(20) } });

    await processPendingEvents(scratch.prisma, { olderThanMs: 1_000 });
    await processPendingEvents(scratch.prisma, { olderThanMs: 1_000 });
    const goodAfter = await scratch.prisma.event.findUniqueOrThrow({ where: { id: good.id } });
    expect(goodAfter.processedAt).not.toBeNull();
    expect(await scratch.prisma.workflowRun.count({ where: { eventId: good.id } })).toBe(1);

    const poison = () => scratch.prisma.event.findMany({ where: { key: { startsWith: 'poison:' } } });
    const first = await poison();
    expect(first.every((e) => e.attempts === 1 && e.processedAt === null && e.failedAt === null)).toBe(true);
    expect(first.every((e) => e.nextAttemptAt !== null && e.nextAttemptAt.getTime() > Date.now())).toBe(true);
    expect(first[0]!.failureReason).toMatch(/tasks/);

    // Recovery passes, each after the backoff has run out, until they give up.
    for (let pass = 2; pass <= MAX_EVENT_ATTEMPTS + 2; pass++) {
      await scratch.prisma.event.updateMany({ where: { key: { startsWith: 'poison:' } }, data: { nextAttemptAt: minutesAgo(1) } });
      await processPendingEvents(scratch.prisma, { olderThanMs: 1_000, limit: 200 });
    }
    const last = await poison();
    expect(last).toHaveLength(120);
    for (const e of last) {
      expect(e.attempts).toBe(MAX_EVENT_ATTEMPTS);
      expect(e.failedAt).not.toBeNull();
      expect(e.processedAt).toBeNull();
      expect(e.failureReason).toMatch(/tasks/);
    }
  });

  it('a push whose runs fail counts as the first attempt and says the event is stored', async () => {
    const err = await pushEvent(scratch.prisma, projectId, { key: 'poison:pushed', payload: {} }).then(
      () => null,
      (e: Error) => e,
    );
    expect(err?.message).toMatch(/was stored, but starting its runs failed/);
    const stored = await scratch.prisma.event.findFirstOrThrow({ where: { key: 'poison:pushed' } });
    expect(stored.attempts).toBe(1);
    expect(stored.failureReason).toMatch(/tasks/);
  });
});

describe('a stored inputSchema the server cannot compile', () => {
  it('refuses the trigger with 400 naming the workflow, not a crash', async () => {
    const err = await createRun(scratch.prisma, projectId, 'uncompilable', { input: {} }).then(
      () => null,
      (e: Error & { kind?: string }) => e,
    );
    expect(err?.kind).toBe('bad_request');
    expect(err?.message).toMatch(/Workflow 'uncompilable': inputSchema is not a JSON Schema the server can use/);
  });

  it('an event matching it still starts the other workflows and is processed', async () => {
    const pushed = await pushEvent(scratch.prisma, projectId, { key: 'schema:x', payload: {} });
    expect(pushed.runIds).toHaveLength(1);
    const event = await scratch.prisma.event.findUniqueOrThrow({ where: { id: pushed.eventId } });
    expect(event.processedAt).not.toBeNull();
    expect(event.attempts).toBe(0);
  });
});
