import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { WhetstoneApiError, WhetstoneRunError } from '@whetstone/sdk';
import { registerWorkerResponseSchema } from '@whetstone/sdk/contract';
import { createQueueKit } from '@whetstone/sdk/transport';
import { createApiKey } from '../../src/server/auth/api-keys';
import { deleteAclUsers } from '../../src/server/queue/redis-acl';
import { startTestStack, type TestStack } from '../helpers/stack';
import { testTransport } from '../helpers/test-transport';

let stack: TestStack;
const transport = testTransport();
const LIMIT = 1024 * 1024;

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  const prefix = stack?.env.WHETSTONE_QUEUE_PREFIX;
  await stack?.stop();
  if (transport.kind === 'redis' && prefix) {
    const admin = new Redis(transport.url);
    await deleteAclUsers(admin, prefix).finally(() => admin.disconnect());
  }
});

describe('payload limits', () => {
  it('fails a task whose output is over the limit, with the sizes, and stores none of it', async () => {
    const wf = stack.ws.workflow({ name: 'too-big' });
    const big = wf.task({ name: 'big', fn: () => ({ blob: 'x'.repeat(LIMIT) }) });
    wf.task({ name: 'after', parents: [big], fn: () => 'never' });
    const worker = stack.ws.worker('big-worker', { workflows: [wf], handleSignals: false });
    await worker.start();
    try {
      const ref = await wf.runNoWait({});
      const error = await ref.result().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WhetstoneRunError);
      expect((error as Error).message).toMatch(
        new RegExp(`Task 'big' failed: PayloadTooLargeError: Task output is ${LIMIT + 11} bytes; the limit is ${LIMIT} bytes`),
      );
      const tasks = await stack.prisma.taskRun.findMany({ where: { workflowRunId: ref.runId } });
      const bigRun = tasks.find((t) => t.taskName === 'big')!;
      expect(bigRun.status).toBe('FAILED');
      expect(bigRun.output).toBeNull();
      expect(bigRun.error).toContain(`Task output is ${LIMIT + 11} bytes; the limit is ${LIMIT} bytes`);
      expect(tasks.find((t) => t.taskName === 'after')!.status).toBe('SKIPPED');
      const run = await stack.prisma.workflowRun.findUniqueOrThrow({ where: { id: ref.runId } });
      expect(run.output).toBeNull();
      expect(run.error).toContain('Task output is');
    } finally {
      await worker.stop();
    }
  });

  it('the engine also refuses an oversized output that arrives anyway (a worker not checking)', async () => {
    const res = await fetch(`${stack.url}/api/v1/workers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'raw', workflows: [{ name: 'engine-guard', tasks: [{ name: 't' }] }] }),
    });
    const registration = registerWorkerResponseSchema.parse(await res.json());
    expect(registration.maxPayloadBytes).toBe(LIMIT);
    const ref = await stack.ws.workflow({ name: 'engine-guard' }).runNoWait({});
    const task = await stack.prisma.taskRun.findFirstOrThrow({ where: { workflowRunId: ref.runId } });
    const kit = createQueueKit(registration.transport);
    try {
      await kit.queue('engine-events').add('task.succeeded', {
        type: 'task.succeeded',
        taskRunId: task.id,
        attempt: 1,
        workerId: registration.workerId,
        output: 'y'.repeat(LIMIT + 5),
        at: new Date().toISOString(),
      });
    } finally {
      await kit.close();
    }
    const error = await ref.result().catch((e: unknown) => e);
    expect((error as Error).message).toContain(
      `Task 't' failed: PayloadTooLargeError: Task output is ${LIMIT + 7} bytes; the limit is ${LIMIT} bytes`,
    );
    const after = await stack.prisma.taskRun.findUniqueOrThrow({ where: { id: task.id } });
    expect(after.status).toBe('FAILED');
    expect(after.output).toBeNull();
  });

  it('refuses an oversized input with 413 and stores nothing', async () => {
    const wf = stack.ws.workflow({ name: 'small-input' });
    wf.task({ name: 'a', fn: () => 1 });
    const worker = stack.ws.worker('input-worker', { workflows: [wf], handleSignals: false });
    await worker.start();
    try {
      const before = await stack.prisma.workflowRun.count();
      const error = await wf.runNoWait({ blob: 'x'.repeat(LIMIT) }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WhetstoneApiError);
      expect((error as WhetstoneApiError).status).toBe(413);
      expect((error as Error).message).toMatch(/the limit is 1048576 bytes/);
      expect(await stack.prisma.workflowRun.count()).toBe(before);
      expect(await stack.prisma.taskRun.count({ where: { workflowRun: { workflow: { name: 'small-input' } } } })).toBe(0);
    } finally {
      await worker.stop();
    }
  });
});

describe('API key revocation', () => {
  it('stops the workers of a revoked key within 10 s, saying why', async () => {
    const { id, key } = await createApiKey(stack.prisma, stack.projectId, 'to revoke');
    const { Whetstone } = await import('@whetstone/sdk');
    const ws = Whetstone.init({ apiUrl: stack.url, apiKey: key });
    const wf = ws.workflow({ name: 'revocable' });
    wf.task({ name: 'a', fn: () => 'ran' });
    const worker = ws.worker('revocable-worker', { workflows: [wf], handleSignals: false });
    await worker.start();
    expect(await wf.run({})).toEqual({ a: 'ran' });

    const logged: string[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => {
      logged.push(args.map(String).join(' '));
      original(...args);
    };
    try {
      const revokedAt = Date.now();
      await stack.prisma.apiKey.update({ where: { id }, data: { revokedAt: new Date() } });
      const error = await Promise.race([
        worker.stopped.then(
          () => new Error('stopped resolved instead of rejecting'),
          (e: unknown) => e,
        ),
        new Promise((r) => setTimeout(() => r(new Error('still running after 10 s')), 10_000)),
      ]);
      expect(Date.now() - revokedAt).toBeLessThan(10_000);
      expect(error).toBeInstanceOf(WhetstoneApiError);
      expect((error as WhetstoneApiError).status).toBe(401);
      expect(logged).toContain("[whetstone] worker 'revocable-worker': the API key was revoked or is invalid (401); stopping");
    } finally {
      console.error = original;
    }

    // It no longer consumes: a run triggered with a valid key stays queued.
    const wsValid = stack.ws.workflow({ name: 'revocable' });
    const ref = await wsValid.runNoWait({});
    await new Promise((r) => setTimeout(r, 1500));
    const task = await stack.prisma.taskRun.findFirstOrThrow({ where: { workflowRunId: ref.runId } });
    expect(task.status).toBe('QUEUED');
  });
});
