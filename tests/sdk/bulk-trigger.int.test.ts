import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { taskQueueName } from '../../src/server/queue/contracts';
import { closeQueueKit, queueKit } from '../../src/server/queue/project-queues';
import { wipeQueues } from '../helpers/queues';
import { eventually } from '../helpers/runs';
import { startTestStack, type TestStack } from '../helpers/stack';
import { stubStackEnv, useStackWorkers } from '../helpers/workers';

// Bulk triggering on real workers: POST /workflows/:name/runs/bulk, the SDK's runMany /
// runNoWaitMany, and the client coalescing concurrent runNoWait calls into bulk requests.
let stack: TestStack;
const workers = useStackWorkers(() => stack);

beforeAll(async () => {
  // A short recovery grace, for the test that loses the jobs of a bulk insert.
  stack = await startTestStack({ env: { WHETSTONE_RECOVERY_INTERVAL_MS: '500', WHETSTONE_RECOVERY_GRACE_MS: '1500' } });
  stubStackEnv(stack); // queueKit below reads the stack's queues
});
afterEach(() => {
  vi.restoreAllMocks();
});
afterAll(async () => {
  await closeQueueKit();
  await stack?.stop();
});

/** POSTs a bulk trigger with the stack's key. */
async function postBulk(workflow: string, body: unknown): Promise<{ status: number; json: any }> {
  const response = await fetch(`${stack.url}/api/v1/workflows/${workflow}/runs/bulk`, {
    method: 'POST',
    headers: { authorization: `Bearer ${stack.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}

/** Counts the SDK's trigger requests for `workflow` (single and bulk) made while `fn` runs. */
async function countTriggerRequests<T>(workflow: string, fn: () => Promise<T>): Promise<{ result: T; single: number; bulk: number }> {
  const original = globalThis.fetch;
  const seen = { single: 0, bulk: 0 };
  vi.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
    const path = new URL(String(input instanceof Request ? input.url : input)).pathname;
    if (init?.method === 'POST' && path === `/api/v1/workflows/${workflow}/runs`) seen.single++;
    if (init?.method === 'POST' && path === `/api/v1/workflows/${workflow}/runs/bulk`) seen.bulk++;
    return original(input, init);
  });
  try {
    return { result: await fn(), ...seen };
  } finally {
    vi.restoreAllMocks();
  }
}

function doubler(name: string) {
  const wf = stack.ws.workflow<{ n: number }>({ name, inputValidator: z.object({ n: z.number() }) });
  const double = wf.task({ name: 'double', fn: (input) => input.n * 2 });
  wf.task({ name: 'plus-one', parents: [double], fn: (_input, ctx) => (ctx.parentOutput(double) as number) + 1 });
  return wf;
}

describe('bulk runs', () => {
  it('runMany: 200 runs of a two-task DAG, in bulk requests, all succeed with their own outputs', async () => {
    const wf = doubler('bulk-dag');
    await workers.start('bulk-dag', [wf], { slots: 50 });
    const inputs = Array.from({ length: 200 }, (_, n) => ({ n }));
    const {
      result: outputs,
      single,
      bulk,
    } = await countTriggerRequests('bulk-dag', () => wf.runMany(inputs, { additionalMetadata: { batch: 'b1' } }));
    expect(outputs).toEqual(inputs.map(({ n }) => ({ double: n * 2, 'plus-one': n * 2 + 1 })));
    expect([single, bulk]).toEqual([0, 1]);

    const runs = await stack.prisma.workflowRun.findMany({
      where: { workflow: { name: 'bulk-dag' } },
      include: { taskRuns: { include: { attemptsList: true } } },
      orderBy: { id: 'asc' },
    });
    expect(runs).toHaveLength(200);
    // Ids sort in the order the runs were given.
    expect(runs.map((r) => (r.input as { n: number }).n)).toEqual(inputs.map((i) => i.n));
    for (const run of runs) {
      expect(run.status).toBe('SUCCEEDED');
      expect(run.additionalMetadata).toEqual({ batch: 'b1' });
      expect(run.idempotencyKey).toMatch(/^sdk:/);
      expect(run.taskRuns.map((t) => [t.taskName, t.status, t.attempts, t.attemptsList.map((a) => a.status)]).sort()).toEqual([
        ['double', 'SUCCEEDED', 1, ['SUCCEEDED']],
        ['plus-one', 'SUCCEEDED', 1, ['SUCCEEDED']],
      ]);
    }
  });

  it('stores root tasks claimed and queues the same job as a single trigger does', async () => {
    const wf = doubler('bulk-shape');
    const registrar = await workers.start('bulk-shape', [wf]);
    await registrar.stop(); // registered, nobody consumes: the jobs stay on the queue
    const single = await wf.runNoWait({ n: 7 }, { priority: 3, additionalMetadata: { via: 'x' } });
    const [bulk] = await wf.runNoWaitMany([{ input: { n: 7 }, options: { priority: 3, additionalMetadata: { via: 'x' } } }]);

    const load = (runId: string) => stack.prisma.taskRun.findMany({ where: { workflowRunId: runId }, orderBy: { taskName: 'asc' } });
    const [singleTasks, bulkTasks] = [await load(single.runId), await load(bulk!.runId)];
    const shape = (t: (typeof bulkTasks)[number]) => ({
      taskName: t.taskName,
      status: t.status,
      attempts: t.attempts,
      input: t.input,
      queued: t.queuedAt !== null,
      deadlineInMinutes: t.scheduleDeadline ? Math.round((t.scheduleDeadline.getTime() - t.queuedAt!.getTime()) / 60_000) : null,
    });
    expect(bulkTasks.map(shape)).toEqual(singleTasks.map(shape));
    expect(bulkTasks.map(shape)).toEqual([
      { taskName: 'double', status: 'QUEUED', attempts: 1, input: { n: 7 }, queued: true, deadlineInMinutes: 5 },
      { taskName: 'plus-one', status: 'PENDING', attempts: 0, input: null, queued: false, deadlineInMinutes: null },
    ]);

    const queue = queueKit(stack.projectId).queue(taskQueueName('bulk-shape', 'double'));
    const [singleJob, bulkJob] = await Promise.all([queue.getJob(`${singleTasks[0]!.id}-a1`), queue.getJob(`${bulkTasks[0]!.id}-a1`)]);
    expect(bulkJob).toBeDefined();
    const comparable = (job: NonNullable<typeof bulkJob>) => ({
      name: job.name,
      data: { ...(job.data as object), taskRunId: '-', runId: '-', scheduleDeadline: '-' },
      priority: job.opts.priority,
      removeOnComplete: job.opts.removeOnComplete,
      removeOnFail: job.opts.removeOnFail,
    });
    expect(comparable(bulkJob!)).toEqual(comparable(singleJob!));
    expect(comparable(bulkJob!).priority).toBe(1);
    const attempts = await stack.prisma.taskRunAttempt.findMany({ where: { taskRunId: bulkTasks[0]!.id } });
    expect(attempts.map((a) => [a.attempt, a.status, a.runAfter])).toEqual([[1, 'QUEUED', null]]);
  });

  it('honours idempotency keys within a batch, across batches and across concurrent requests', async () => {
    const wf = doubler('bulk-idem');
    await workers.start('bulk-idem', [wf]);
    const first = await wf.runNoWaitMany([
      { input: { n: 1 }, options: { idempotencyKey: 'idem-a' } },
      { input: { n: 2 }, options: { idempotencyKey: 'idem-a' } },
      { input: { n: 3 }, options: { idempotencyKey: 'idem-b' } },
    ]);
    expect(first[1]!.runId).toBe(first[0]!.runId);
    const second = await wf.runNoWaitMany([
      { input: { n: 4 }, options: { idempotencyKey: 'idem-b' } },
      { input: { n: 5 }, options: { idempotencyKey: 'idem-a' } },
      { input: { n: 6 }, options: { idempotencyKey: 'idem-c' } },
    ]);
    expect(second.map((r) => r.runId).slice(0, 2)).toEqual([first[2]!.runId, first[0]!.runId]);
    expect(await second[1]!.result()).toEqual({ double: 2, 'plus-one': 3 });

    // Requests racing on the same new keys: one run per key, every request answers with it.
    const keys = Array.from({ length: 50 }, (_, i) => `race-${i}`);
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, r) =>
        postBulk('bulk-idem', { runs: keys.map((key, i) => ({ input: { n: i + r * 100 }, idempotencyKey: key })) }),
      ),
    );
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.json.runIds).toEqual(answers[0]!.json.runIds);
    }
    expect(new Set(answers[0]!.json.runIds).size).toBe(50);
    const stored = await stack.prisma.workflowRun.findMany({ where: { workflow: { name: 'bulk-idem' } }, include: { taskRuns: true } });
    expect(stored).toHaveLength(3 + 50);
    // Nothing was started twice: one job per run's root task.
    await eventually(async () => {
      const runs = await stack.prisma.workflowRun.findMany({ where: { workflow: { name: 'bulk-idem' } }, select: { status: true } });
      expect(runs.every((r) => r.status === 'SUCCEEDED')).toBe(true);
    });
    const attempts = await stack.prisma.taskRunAttempt.count({ where: { taskRun: { workflowRun: { workflow: { name: 'bulk-idem' } } } } });
    expect(attempts).toBe(53 * 2);
  });

  it('refuses a batch with one bad item, naming its index, and stores nothing', async () => {
    const wf = doubler('bulk-invalid');
    await workers.start('bulk-invalid', [wf]);
    const badInput = await postBulk('bulk-invalid', { runs: [{ input: { n: 1 } }, { input: { n: 2 } }, { input: { n: 'three' } }] });
    expect(badInput.status).toBe(400);
    expect(badInput.json.error).toMatch(/^runs\.2: Invalid input for workflow 'bulk-invalid'/);
    const badPriority = await postBulk('bulk-invalid', { runs: [{ input: { n: 1 } }, { input: { n: 2 }, priority: 9 }] });
    expect(badPriority.status).toBe(400);
    expect(badPriority.json.error).toMatch(/runs\.1\.priority/);
    const tooMany = await postBulk('bulk-invalid', { runs: Array.from({ length: 1001 }, () => ({ input: { n: 1 } })) });
    expect(tooMany.status).toBe(400);
    expect(tooMany.json.error).toMatch(/at most 1000 runs/);
    const child = await postBulk('bulk-invalid', {
      runs: [{ input: { n: 1 }, parent: { taskRunId: '0190b7a0-0000-7000-8000-000000000000', key: 'k' } }],
    });
    expect(child.status).toBe(400);
    const unknown = await postBulk('bulk-nowhere', { runs: [{ input: {} }] });
    expect(unknown.status).toBe(404);
    expect(await stack.prisma.workflowRun.count({ where: { workflow: { name: 'bulk-invalid' } } })).toBe(0);
    expect(await postBulk('bulk-invalid', { runs: [] })).toEqual({ status: 200, json: { runIds: [] } });
  });

  it('falls back to one-by-one creation for a workflow with concurrency, which still holds', async () => {
    type Span = { key: string; start: number; end: number };
    const spans: Span[] = [];
    const wf = stack.ws.workflow<{ key: string; i: number }>({
      name: 'bulk-concurrency',
      concurrency: { expression: 'input.key', maxRuns: 1 },
    });
    wf.task({
      name: 'work',
      fn: async (input) => {
        const start = performance.now();
        await new Promise((r) => setTimeout(r, 100));
        spans.push({ key: input.key, start, end: performance.now() });
        return input.i;
      },
    });
    await workers.start('bulk-concurrency', [wf], { slots: 10 });
    const inputs = ['a', 'b', 'c'].flatMap((key) => Array.from({ length: 5 }, (_, i) => ({ key, i })));
    const refs = await wf.runNoWaitMany(inputs.map((input) => ({ input })));
    const waiting = await stack.prisma.workflowRun.count({ where: { id: { in: refs.map((r) => r.runId) }, waitingFor: 'CONCURRENCY' } });
    expect(waiting).toBeGreaterThan(0);
    expect(await Promise.all(refs.map((r) => r.result()))).toEqual(inputs.map((i) => ({ work: i.i })));
    for (const key of ['a', 'b', 'c']) {
      const own = spans.filter((s) => s.key === key).sort((x, y) => x.start - y.start);
      expect(own).toHaveLength(5);
      for (let i = 1; i < own.length; i++) expect(own[i]!.start).toBeGreaterThanOrEqual(own[i - 1]!.end);
    }
  });

  it('coalesces 50 concurrent runNoWait calls into far fewer requests; every run completes', async () => {
    const wf = doubler('bulk-coalesce');
    await workers.start('bulk-coalesce', [wf], { slots: 20 });
    const {
      result: refs,
      single,
      bulk,
    } = await countTriggerRequests('bulk-coalesce', () => Promise.all(Array.from({ length: 50 }, (_, n) => wf.runNoWait({ n }))));
    expect(single + bulk).toBeLessThanOrEqual(2);
    expect(bulk).toBeGreaterThanOrEqual(1);
    expect(new Set(refs.map((r) => r.runId)).size).toBe(50);
    const outputs = await Promise.all(refs.map((r) => r.result()));
    expect(outputs).toEqual(Array.from({ length: 50 }, (_, n) => ({ double: 2 * n, 'plus-one': 2 * n + 1 })));

    // Calls spread out still go one by one to the single-run endpoint.
    const spread = await countTriggerRequests('bulk-coalesce', async () => {
      for (let n = 0; n < 3; n++) await wf.runNoWait({ n });
    });
    expect([spread.single, spread.bulk]).toEqual([3, 0]);
  });

  it('a coalesced batch with one refused call: the others still start, the bad one gets its own error', async () => {
    const wf = doubler('bulk-coalesce-bad');
    await workers.start('bulk-coalesce-bad', [wf]);
    const results = await Promise.allSettled([
      stack.ws.triggerRun('bulk-coalesce-bad', { n: 1 }),
      stack.ws.triggerRun('bulk-coalesce-bad', { n: 'not a number' }),
      stack.ws.triggerRun('bulk-coalesce-bad', { n: 3 }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason.message).toMatch(/failed with 400: Invalid input for workflow 'bulk-coalesce-bad'/);
    expect(await stack.prisma.workflowRun.count({ where: { workflow: { name: 'bulk-coalesce-bad' } } })).toBe(2);
  });

  it('runs whose jobs were lost right after the insert (a crash before the enqueue) are re-queued by recovery', async () => {
    const wf = doubler('bulk-crash');
    const registrar = await workers.start('bulk-crash', [wf]);
    await registrar.stop();
    const refs = await wf.runNoWaitMany(Array.from({ length: 20 }, (_, n) => ({ input: { n } })));
    // What a crash between the commit and queue.addBulk leaves: claimed tasks, no jobs, no attempt rows.
    await wipeQueues(stack);
    await stack.prisma.taskRunAttempt.deleteMany({ where: { taskRun: { workflowRunId: { in: refs.map((r) => r.runId) } } } });
    await workers.start('bulk-crash-after', [wf], { slots: 20 });
    const outputs = await Promise.all(refs.map((r) => r.result()));
    expect(outputs).toEqual(Array.from({ length: 20 }, (_, n) => ({ double: 2 * n, 'plus-one': 2 * n + 1 })));
    const attempts = await stack.prisma.taskRunAttempt.findMany({
      where: { taskRun: { workflowRunId: { in: refs.map((r) => r.runId) } } },
    });
    expect(attempts).toHaveLength(40);
    expect(attempts.every((a) => a.status === 'SUCCEEDED' && a.attempt === 1)).toBe(true);
  });
});
