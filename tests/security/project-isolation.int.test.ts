import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { Whetstone, type WhetstoneWorker } from '@whetstone/sdk';
import { registerWorkerResponseSchema, type RegisterWorkerResponse } from '@whetstone/sdk/contract';
import { createQueueKit } from '@whetstone/sdk/transport';
import { createApiKey } from '../../src/server/auth/api-keys';
import { deleteAclUsers } from '../../src/server/queue/redis-acl';
import { startTestStack, type TestStack } from '../helpers/stack';
import { testTransport } from '../helpers/test-transport';

// Two projects on one stack: A (the stack's default project) and B (created here, found by the
// running engine). Workers of one project must not reach the other's queues, and the engine must
// not apply a report naming another project's task run.
let stack: TestStack;
let keyB: string;
let projectB: string;
let workerA: WhetstoneWorker | undefined;
const transport = testTransport();

beforeAll(async () => {
  stack = await startTestStack();
  projectB = (await stack.prisma.project.create({ data: { name: 'Project B', slug: 'project-b' } })).id;
  keyB = (await createApiKey(stack.prisma, projectB, 'b')).key;
});
afterAll(async () => {
  await workerA?.stop();
  const prefix = stack?.env.WHETSTONE_QUEUE_PREFIX;
  await stack?.stop();
  if (transport.kind === 'redis' && prefix) {
    const admin = new Redis(transport.url);
    await deleteAclUsers(admin, prefix).finally(() => admin.disconnect());
  }
});

async function register(key: string, workflow: string, task: string): Promise<RegisterWorkerResponse> {
  const res = await fetch(`${stack.url}/api/v1/workers`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: `raw-${workflow}`, workflows: [{ name: workflow, tasks: [{ name: task }] }] }),
  });
  expect(res.status).toBe(200);
  return registerWorkerResponseSchema.parse(await res.json());
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined | null | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('per-project queues', () => {
  it("gives each project its own queues, and a worker of A cannot read or write B's", async () => {
    const a = await register(stack.apiKey, 'probe-a', 't');
    const b = await register(keyB, 'probe-b', 't');
    if (a.transport.kind === 'redis' && b.transport.kind === 'redis') {
      expect(a.transport.prefix).toBe(`${stack.env.WHETSTONE_QUEUE_PREFIX}:p:${stack.projectId}`);
      expect(b.transport.prefix).toBe(`${stack.env.WHETSTONE_QUEUE_PREFIX}:p:${projectB}`);
      // Each project's workers authenticate as that project's ACL user, never as the server.
      const userA = new URL(a.transport.url).username;
      expect(userA).toContain(stack.projectId);
      expect(new URL(b.transport.url).username).toContain(projectB);
      const stored = await stack.prisma.project.findUniqueOrThrow({ where: { id: stack.projectId } });
      expect(stored.queueCredential).toMatch(/^v1:/);
      expect(stored.queueCredential).not.toContain(decodeURIComponent(new URL(a.transport.url).password));

      const asA = new Redis(a.transport.url, { maxRetriesPerRequest: 1 });
      try {
        await asA.set(`${a.transport.prefix}:mine`, '1');
        expect(await asA.get(`${a.transport.prefix}:mine`)).toBe('1');
        await expect(asA.get(`${b.transport.prefix}:engine-events:meta`)).rejects.toThrow(/NOPERM/);
        await expect(asA.set(`${b.transport.prefix}:x`, '1')).rejects.toThrow(/NOPERM/);
        await expect(asA.keys('*')).rejects.toThrow(/NOPERM/);
        await expect(asA.flushall()).rejects.toThrow(/NOPERM/);
        await expect(asA.call('ACL', 'LIST')).rejects.toThrow(/NOPERM/);
        // INFO's keyspace section would count every project's keys.
        await expect(asA.info()).rejects.toThrow(/NOPERM/);
      } finally {
        asA.disconnect();
      }
      // Through BullMQ too: A's credentials with B's prefix.
      const forged = createQueueKit({ ...a.transport, prefix: b.transport.prefix });
      try {
        await expect(forged.queue('engine-events').add('task.succeeded', {})).rejects.toThrow(/NOPERM/);
      } finally {
        await forged.close();
      }
    } else if (a.transport.kind === 'postgres' && b.transport.kind === 'postgres') {
      const hex = (id: string) => id.replace(/-/g, '');
      expect(a.transport.schema).toBe(`${stack.env.WHETSTONE_QUEUE_PREFIX!.toLowerCase()}_q_${hex(stack.projectId)}`);
      expect(b.transport.schema).toBe(`${stack.env.WHETSTONE_QUEUE_PREFIX!.toLowerCase()}_q_${hex(projectB)}`);
      expect(a.transport.schema).not.toBe(b.transport.schema);
    } else {
      throw new Error('both projects must use the same transport');
    }
  });

  it("runs each project's workflows end to end on its own queues", async () => {
    const wsB = Whetstone.init({ apiUrl: stack.url, apiKey: keyB });
    const wfA = stack.ws.workflow<{ n: number }>({ name: 'shared-name' });
    const first = wfA.task({ name: 'first', fn: (input) => ({ who: 'A', n: input.n }) });
    wfA.task({ name: 'second', parents: [first], fn: (_i, ctx) => ({ doubled: ctx.parentOutput(first).n * 2 }) });
    const wfB = wsB.workflow<{ n: number }>({ name: 'shared-name' });
    wfB.task({ name: 'first', fn: (input) => ({ who: 'B', n: input.n }) });
    workerA = stack.ws.worker('worker-a', { workflows: [wfA], handleSignals: false });
    const workerB = wsB.worker('worker-b', { workflows: [wfB], handleSignals: false });
    await workerA.start();
    await workerB.start();
    try {
      expect(await wfA.run({ n: 2 })).toEqual({ first: { who: 'A', n: 2 }, second: { doubled: 4 } });
      expect(await wfB.run({ n: 3 })).toEqual({ first: { who: 'B', n: 3 } });
    } finally {
      await workerB.stop();
    }
  });

  it("ignores and logs a forged report naming another project's task run", async () => {
    // B has a queued task that no worker of B runs.
    await register(keyB, 'b-idle', 'wait');
    const wsB = Whetstone.init({ apiUrl: stack.url, apiKey: keyB });
    const ref = await wsB.workflow({ name: 'b-idle' }).runNoWait({});
    const victim = await waitFor('B task queued', () =>
      stack.prisma.taskRun.findFirst({ where: { workflowRunId: ref.runId, status: 'QUEUED' } }),
    );

    // A worker of A sends, on A's own engine-events queue (all it can reach), a success for B's task.
    const a = await register(stack.apiKey, 'probe-a', 't');
    const kitA = createQueueKit(a.transport);
    try {
      await kitA.queue('engine-events').add('task.succeeded', {
        type: 'task.succeeded',
        taskRunId: victim.id,
        attempt: 1,
        workerId: a.workerId,
        output: { pwned: true },
        at: new Date().toISOString(),
      });
      const engine = stack.processes.find((p) => p.name === 'engine')!;
      await waitFor('engine log line', async () => engine.tail().includes(`ignored task.succeeded for task run ${victim.id}`));
    } finally {
      await kitA.close();
    }
    const after = await stack.prisma.taskRun.findUniqueOrThrow({ where: { id: victim.id } });
    expect(after.status).toBe('QUEUED');
    expect(after.output).toBeNull();
    expect((await stack.prisma.workflowRun.findUniqueOrThrow({ where: { id: ref.runId } })).status).toBe('QUEUED');
  });
});
