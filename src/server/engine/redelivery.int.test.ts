import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { WorkflowDefinition } from '@whetstone/sdk/contract';
import { ensureDefaultProject } from '@/server/bootstrap/project';
import { useScratchDatabase } from '@/server/testing/scratch-database';
import { usePrivateQueuePrefix } from '@/server/testing/queue-prefix';
import { applyWorkerReport } from './reports';
import { registerWorker } from './registration/register';
import { createRun } from './triggers/create-run';

// Reports delivered twice, half applied, or applied concurrently (BullMQ re-delivers a report whose
// engine died; an engine applies 16 reports at once). Found by `npm run chaos`.
const scratch = useScratchDatabase();
usePrivateQueuePrefix('wsredeliver');
let projectId: string;
let workerId: string;

const definition: WorkflowDefinition = {
  name: 'redelivered',
  kind: 'workflow',
  tasks: [{ name: 'a', parents: [], retries: 3, executionTimeout: '30s', scheduleTimeout: '5m' }],
  onEvents: [],
  onCrons: [],
  defaultPriority: 1,
};

beforeAll(async () => {
  vi.stubEnv('WHETSTONE_TRANSPORT', process.env.WHETSTONE_TEST_TRANSPORT === 'postgres' ? 'postgres' : 'redis');
  projectId = (await ensureDefaultProject(scratch.prisma)).id;
  workerId = (await registerWorker(scratch.prisma, projectId, { name: 'w', workflows: [definition], hostname: 'h', pid: 1 })).workerId;
});

async function newTask() {
  const runId = await createRun(scratch.prisma, projectId, 'redelivered', { input: {} });
  return scratch.prisma.taskRun.findFirstOrThrow({ where: { workflowRunId: runId } });
}
const at = () => new Date().toISOString();
const state = (id: string) =>
  scratch.prisma.taskRun.findUniqueOrThrow({ where: { id }, include: { attemptsList: { orderBy: { attempt: 'asc' } } } });

describe('re-delivered and concurrent reports', () => {
  it('applies the started and succeeded reports of a re-delivered attempt, even when applied at once', async () => {
    for (let i = 0; i < 10; i++) {
      const task = await newTask();
      const source = { projectId };
      await applyWorkerReport(scratch.prisma, { type: 'task.started', taskRunId: task.id, attempt: 1, workerId, at: at() }, source);
      // The worker of attempt 1 died; BullMQ gave the job to another worker: attempt 2.
      await Promise.all([
        applyWorkerReport(scratch.prisma, { type: 'task.started', taskRunId: task.id, attempt: 2, workerId, at: at() }, source),
        applyWorkerReport(
          scratch.prisma,
          { type: 'task.succeeded', taskRunId: task.id, attempt: 2, workerId, output: { i }, at: at() },
          source,
        ),
      ]);
      const after = await state(task.id);
      expect(after.status).toBe('SUCCEEDED');
      expect(after.output).toEqual({ i });
      expect(after.attemptsList.map((a) => a.status)).toEqual(['LOST', 'SUCCEEDED']);
    }
  });

  it('records a success once when its report is delivered twice', async () => {
    const task = await newTask();
    const report = { type: 'task.succeeded' as const, taskRunId: task.id, attempt: 1, workerId, output: { ok: 1 }, at: at() };
    await applyWorkerReport(scratch.prisma, report, { projectId });
    await applyWorkerReport(scratch.prisma, { ...report, output: { ok: 2 } }, { projectId });
    const after = await state(task.id);
    expect(after.output).toEqual({ ok: 1 });
    expect(after.attemptsList.map((a) => a.status)).toEqual(['SUCCEEDED']);
  });

  it('finishes a failure whose first application died after closing the attempt: the re-delivered report retries the task', async () => {
    const task = await newTask();
    // First delivery got as far as closing the attempt, then the engine was killed.
    await scratch.prisma.taskRunAttempt.updateMany({
      where: { taskRunId: task.id, attempt: 1 },
      data: { status: 'FAILED', error: 'boom', finishedAt: new Date() },
    });
    const report = {
      type: 'task.failed' as const,
      taskRunId: task.id,
      attempt: 1,
      workerId,
      kind: 'error' as const,
      error: { message: 'boom' },
      at: at(),
    };
    await applyWorkerReport(scratch.prisma, report, { projectId });
    await applyWorkerReport(scratch.prisma, report, { projectId }); // and once more: still one retry
    const after = await state(task.id);
    expect(after.status).toBe('QUEUED');
    expect(after.attempts).toBe(2);
    expect(after.attemptsList.map((a) => a.status)).toEqual(['FAILED', 'QUEUED']);
  });
});
