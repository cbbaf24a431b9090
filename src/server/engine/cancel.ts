import { workerControlQueueName, type ControlMessage, type RunStatus } from '@whetstone/sdk/contract';
import type { PrismaClient } from '@/server/db/client';
import { taskQueueName } from '@/server/queue/contracts';
import { queueKit } from '@/server/queue/project-queues';
import { notFound } from '@/server/errors';
import { OPEN_ATTEMPT_STATUSES, OPEN_TASK_STATUSES, UNFINISHED_RUN_STATUSES } from '@/server/shared/statuses';
import { isUuid } from './ids';
import { HEARTBEAT_INTERVAL_MS } from './registration/register';
import { advanceRun } from './advance';
import { afterRunFinished } from './after-run-finished';
import { childCancelReason, openChildRuns } from './child-runs';
import { closeRunSteps } from './durable/cancel';
import { durableJobId } from './durable/job';

/** Child runs cancelled at once when their parent run is cancelled. */
const CASCADE_PARALLELISM = 8;

/**
 * Cancels a run: it ends CANCELLED at once, its pending and queued tasks never start (their jobs
 * are removed), and the workers running its tasks are told to fire those tasks' abort signals.
 * Its unfinished child runs are cancelled too (and theirs). Cancelling a finished run changes
 * nothing and returns its status.
 */
export async function cancelRun(
  prisma: PrismaClient,
  projectId: string,
  runId: string,
  opts: { reason?: string } = {},
): Promise<{ status: RunStatus; cancelled: boolean }> {
  const reason = opts.reason ?? 'Run was cancelled';
  if (!isUuid(runId)) throw notFound(`Run '${runId}' not found`);
  const run = await prisma.workflowRun.findFirst({
    where: { id: runId, projectId },
    select: { id: true, status: true, workflow: { select: { name: true } } },
  });
  if (!run) throw notFound(`Run '${runId}' not found`);
  const now = new Date();
  const cancelled = await prisma.workflowRun.updateMany({
    where: { id: runId, status: { in: [...UNFINISHED_RUN_STATUSES] } },
    data: { status: 'CANCELLED', finishedAt: now, error: reason, waitingFor: null },
  });
  if (cancelled.count !== 1) {
    const current = await prisma.workflowRun.findUniqueOrThrow({ where: { id: runId }, select: { status: true } });
    return { status: current.status, cancelled: false };
  }
  const open = await prisma.taskRun.findMany({
    // WAITING: a suspended durable task (no job, no worker); its open steps are closed below.
    where: { workflowRunId: runId, status: { in: [...OPEN_TASK_STATUSES] } },
    select: {
      id: true,
      taskName: true,
      status: true,
      attempts: true,
      workerId: true,
      _count: { select: { durableSteps: { where: { completedAt: { not: null } } } } },
    },
  });
  await prisma.taskRun.updateMany({
    where: { workflowRunId: runId, status: { in: [...OPEN_TASK_STATUSES] } },
    data: { status: 'CANCELLED', finishedAt: now },
  });
  await closeRunSteps(prisma, projectId, runId, now);
  await prisma.taskRunAttempt.updateMany({
    where: { taskRun: { workflowRunId: runId }, status: { in: [...OPEN_ATTEMPT_STATUSES] } },
    data: { status: 'CANCELLED', error: 'The run was cancelled', finishedAt: now },
  });
  await afterRunFinished(prisma, runId, undefined, advanceRun);

  const kit = queueKit(projectId);
  for (const task of open) {
    if (task.status === 'PENDING' || task.status === 'WAITING') continue;
    let removed = false;
    if (task.status === 'QUEUED') {
      const job = await kit
        .queue(taskQueueName(run.workflow.name, task.taskName))
        .getJob(durableJobId(task.id, task.attempts, task._count.durableSteps));
      // remove() refuses a job a worker holds the lock of: that one has started.
      removed =
        !job ||
        (await job.remove().then(
          () => true,
          () => false,
        ));
    }
    if (removed) continue;
    const workers = task.workerId
      ? [task.workerId]
      : await liveWorkersWithAction(prisma, projectId, `${run.workflow.name}:${task.taskName}`);
    await sendCancel(prisma, projectId, workers, task.id, 'The run was cancelled');
  }
  await cancelChildRuns(prisma, projectId, runId);
  return { status: 'CANCELLED', cancelled: true };
}

/** Cancels the unfinished child runs of a cancelled run (and, through cancelRun, theirs). */
async function cancelChildRuns(prisma: PrismaClient, projectId: string, runId: string): Promise<void> {
  const children = await openChildRuns(prisma, projectId, runId);
  const reason = childCancelReason(runId);
  for (let i = 0; i < children.length; i += CASCADE_PARALLELISM) {
    const results = await Promise.allSettled(
      children.slice(i, i + CASCADE_PARALLELISM).map((childId) => cancelRun(prisma, projectId, childId, { reason })),
    );
    // The parent is cancelled already; a child that could not be cancelled now is said, not thrown.
    for (const result of results) {
      if (result.status === 'rejected') console.error(`[engine] cancelling a child run of ${runId} failed:`, result.reason);
    }
  }
}

/** Tells workers (through their control queues) to abort a task run if they are running it. */
export async function sendCancel(
  prisma: PrismaClient,
  projectId: string,
  workerIds: readonly string[],
  taskRunId: string,
  reason: string,
): Promise<void> {
  const message: ControlMessage = { type: 'cancel', taskRunId, reason };
  const kit = queueKit(projectId);
  await Promise.all(
    workerIds
      .filter(isUuid)
      .map((workerId) =>
        kit.queue<ControlMessage>(workerControlQueueName(workerId)).add('cancel', message, { removeOnComplete: true, removeOnFail: true }),
      ),
  );
}

async function liveWorkersWithAction(prisma: PrismaClient, projectId: string, action: string): Promise<string[]> {
  const workers = await prisma.worker.findMany({
    where: {
      projectId,
      stoppedAt: null,
      lastHeartbeatAt: { gt: new Date(Date.now() - 3 * HEARTBEAT_INTERVAL_MS) },
      actions: { has: action },
    },
    select: { id: true },
  });
  return workers.map((w) => w.id);
}
