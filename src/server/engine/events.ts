import type { EngineEvent } from '../queue/contracts';
import { Prisma, type PrismaClient } from '../db';
import { descendants, finalRunStatus } from './dag';
import { isUuid } from './ids';
import { notifyRunFinished } from './run-finished';
import { enqueueReadyTasks } from './runs';

type Of<T extends EngineEvent['type']> = Extract<EngineEvent, { type: T }>;

/**
 * Applies one report from a worker. Every write is conditional on the task's
 * current status, so a duplicated or late event changes nothing.
 */
export async function handleEngineEvent(prisma: PrismaClient, event: EngineEvent): Promise<void> {
  switch (event.type) {
    case 'task.started':
      return onStarted(prisma, event);
    case 'task.log':
      return onLog(prisma, event);
    case 'task.succeeded':
      return onFinished(prisma, event, { status: 'SUCCEEDED', output: event.output as Prisma.InputJsonValue });
    case 'task.failed':
      return onFinished(prisma, event, {
        status: 'FAILED',
        error: event.error.stack ?? `${event.error.name ?? 'Error'}: ${event.error.message}`,
      });
  }
}

async function onStarted(prisma: PrismaClient, event: Of<'task.started'>): Promise<void> {
  const task = await prisma.taskRun.findUnique({ where: { id: event.taskRunId }, select: { workflowRunId: true } });
  if (!task) return;
  const startedAt = new Date(event.at);
  await prisma.taskRun.updateMany({
    where: { id: event.taskRunId, status: 'QUEUED' },
    data: { status: 'RUNNING', startedAt, attempts: event.attempt, workerId: await knownWorkerId(prisma, event.workerId) },
  });
  await prisma.workflowRun.updateMany({
    where: { id: task.workflowRunId, status: 'QUEUED' },
    data: { status: 'RUNNING', startedAt },
  });
}

async function onLog(prisma: PrismaClient, event: Of<'task.log'>): Promise<void> {
  const exists = await prisma.taskRun.count({ where: { id: event.taskRunId } });
  if (!exists) return;
  await prisma.taskRunLog.createMany({
    data: event.lines.map((line) => ({
      taskRunId: event.taskRunId,
      attempt: event.attempt,
      level: line.level,
      message: line.message,
      createdAt: new Date(line.at),
    })),
  });
}

async function onFinished(
  prisma: PrismaClient,
  event: Of<'task.succeeded'> | Of<'task.failed'>,
  result: { status: 'SUCCEEDED'; output: Prisma.InputJsonValue } | { status: 'FAILED'; error: string },
): Promise<void> {
  const task = await prisma.taskRun.findUnique({ where: { id: event.taskRunId } });
  if (!task) return;
  const finishedAt = new Date(event.at);
  // Committed on its own before looking at siblings: of two parents finishing at once, the later commit sees both.
  const updated = await prisma.taskRun.updateMany({
    where: { id: task.id, status: { in: ['QUEUED', 'RUNNING'] } },
    data: {
      ...result,
      finishedAt,
      attempts: Math.max(task.attempts, event.attempt),
      startedAt: task.startedAt ?? finishedAt,
      workerId: task.workerId ?? (await knownWorkerId(prisma, event.workerId)),
    },
  });
  if (updated.count !== 1) return;
  if (result.status === 'FAILED') {
    const siblings = await prisma.taskRun.findMany({ where: { workflowRunId: task.workflowRunId } });
    await prisma.taskRun.updateMany({
      where: { workflowRunId: task.workflowRunId, taskName: { in: descendants(siblings, task.taskName) }, status: 'PENDING' },
      data: { status: 'SKIPPED', finishedAt },
    });
  } else {
    await enqueueReadyTasks(prisma, task.workflowRunId);
  }
  await finishRunIfDone(prisma, task.workflowRunId);
}

async function finishRunIfDone(prisma: PrismaClient, runId: string): Promise<void> {
  const run = await prisma.workflowRun.findUnique({
    where: { id: runId },
    include: { taskRuns: { orderBy: { createdAt: 'asc' } }, workflowVersion: { select: { definition: true } } },
  });
  if (!run) return;
  const status = finalRunStatus(run.taskRuns);
  if (!status) return;
  const isStandaloneTask = (run.workflowVersion.definition as { kind?: string }).kind === 'task';
  const output =
    status !== 'SUCCEEDED'
      ? Prisma.DbNull
      : isStandaloneTask
        ? ((run.taskRuns[0]?.output ?? null) as Prisma.InputJsonValue)
        : (Object.fromEntries(run.taskRuns.map((t) => [t.taskName, t.output])) as Prisma.InputJsonValue);
  const failed = run.taskRuns.find((t) => t.status === 'FAILED');
  const finished = await prisma.workflowRun.updateMany({
    where: { id: runId, status: { in: ['QUEUED', 'RUNNING'] } },
    data: {
      status,
      output,
      error: failed ? `Task '${failed.taskName}' failed: ${firstLine(failed.error)}` : null,
      finishedAt: new Date(),
    },
  });
  if (finished.count === 1) await notifyRunFinished(prisma, runId);
}

/** A report may name a worker row that was deleted: store null rather than break the foreign key. */
async function knownWorkerId(prisma: PrismaClient, workerId: string): Promise<string | null> {
  if (!isUuid(workerId)) return null;
  const worker = await prisma.worker.findUnique({ where: { id: workerId }, select: { id: true } });
  return worker?.id ?? null;
}

function firstLine(text: string | null): string {
  return (text ?? 'unknown error').split('\n')[0]!;
}
