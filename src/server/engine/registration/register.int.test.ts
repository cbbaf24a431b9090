import { beforeAll, describe, expect, it } from 'vitest';
import { registerWorkerRequestSchema, type WorkflowDefinition } from '@whetstone/sdk/contract';
import { ensureDefaultProject } from '@/server/bootstrap/project';
import { useScratchDatabase } from '@/server/testing/scratch-database';
import { usePrivateQueuePrefix } from '@/server/testing/queue-prefix';
import { registerWorker } from './register';

// Registration stores everything or nothing, and refuses what would break every later trigger.
const scratch = useScratchDatabase();
usePrivateQueuePrefix('wsregister');
let projectId = '';

beforeAll(async () => {
  projectId = (await ensureDefaultProject(scratch.prisma)).id;
});

const definition = (name: string, extra: Partial<WorkflowDefinition> = {}): WorkflowDefinition =>
  registerWorkerRequestSchema.parse({ name: 'w', workflows: [{ name, tasks: [{ name: 't' }], ...extra }] }).workflows[0]!;

const counts = async () => ({
  workflows: await scratch.prisma.workflow.count(),
  versions: await scratch.prisma.workflowVersion.count(),
  workers: await scratch.prisma.worker.count(),
});

async function refusal(promise: Promise<unknown>): Promise<Error & { kind?: string }> {
  return promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (err: Error & { kind?: string }) => err,
  );
}

describe('registerWorker', () => {
  it('refuses an inputSchema the server cannot compile, naming the workflow and the problem, and stores nothing', async () => {
    const before = await counts();
    const err = await refusal(
      registerWorker(scratch.prisma, projectId, {
        name: 'w',
        workflows: [definition('fine'), definition('broken-schema', { inputSchema: { type: 'not-a-type' } })],
      }),
    );
    expect(err.kind).toBe('bad_request');
    expect(err.message).toMatch(
      /Workflow 'broken-schema': inputSchema is not a JSON Schema the server can use \(Unsupported type: not-a-type\)/,
    );
    const unresolved = await refusal(
      registerWorker(scratch.prisma, projectId, { name: 'w', workflows: [definition('bad-ref', { inputSchema: { $ref: '#/nope' } })] }),
    );
    expect(unresolved.message).toMatch(/Workflow 'bad-ref'.*Reference not found/);
    expect(await counts()).toEqual(before);
  });

  it('stores nothing when the transaction fails after the workflows were written', async () => {
    const before = await counts();
    // Postgres refuses NUL in text: the worker row fails after the workflows and versions were written.
    const err = await refusal(
      registerWorker(scratch.prisma, projectId, {
        name: 'w',
        workflows: [definition('atomic-a'), definition('atomic-b')],
        hostname: 'host\u0000name',
      }),
    );
    expect(err.kind).toBeUndefined(); // an internal error (500), not a refusal
    expect(await counts()).toEqual(before);
    expect(await scratch.prisma.workflow.findMany({ where: { name: { startsWith: 'atomic-' } } })).toEqual([]);
  });

  it('registers concurrently without duplicates or lost versions, and reuses identical definitions', async () => {
    const workflows = [definition('race-a'), definition('race-b')];
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        registerWorker(scratch.prisma, projectId, { name: `w${i}`, workflows: i % 2 ? workflows : [...workflows].reverse() }),
      ),
    );
    for (const r of results) expect(r.workflows.map((w) => w.version)).toEqual([1, 1]);
    expect(await scratch.prisma.workflowVersion.count({ where: { workflow: { name: { startsWith: 'race-' } } } })).toBe(2);
    expect(new Set(results.map((r) => r.workerId)).size).toBe(6);
  });
});

describe('registerWorkerRequestSchema', () => {
  it('bounds pid to what the int4 column holds', () => {
    const body = { name: 'w', workflows: [{ name: 'x', tasks: [{ name: 't' }] }] };
    expect(registerWorkerRequestSchema.safeParse({ ...body, pid: 2_147_483_647 }).success).toBe(true);
    expect(registerWorkerRequestSchema.safeParse({ ...body, pid: 2_147_483_648 }).success).toBe(false);
    expect(registerWorkerRequestSchema.safeParse({ ...body, pid: -1 }).success).toBe(false);
  });
});
