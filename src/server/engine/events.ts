import { payloadTooLargeMessage } from '@whetstone/sdk/contract';
import type { EngineEvent } from '../queue/contracts';
import { Prisma, type PrismaClient } from '../db';
import { env } from '../env';
import { descendants, finalRunStatus } from './dag';
import { isUuid } from './ids';
import { notifyRunFinished } from './run-finished';
import { enqueueReadyTasks } from './runs';

type Of<T extends EngineEvent['type']> = Extract<EngineEvent, { type: T }>;

/** Where an event came from: the project whose `engine-events` queue carried it. */
export interface EventSource {
  projectId: string;
}

/**
 * Applies one report from a worker. Every write is conditional on the task's
 * current status, so a duplicated or late event changes nothing.
 *
 * The event is applied only if its task run belongs to `source`'s project: a worker can only
 * write to its own project's queue, so an event naming another project's task run is forged,
 * and is ignored and logged.
 */
export async function handleEngineEvent(prisma: PrismaClient, event: EngineEvent, source: EventSource): Promise<void> {
  if (!isUuid(event.taskRunId)) return;
  const scope = { id: event.taskRunId, workflowRun: { projectId: source.projectId } };
  switch (event.type) {
    case 'task.started':
      return onStarted(prisma, event, scope, source);
    case 'task.log':
      return onLog(prisma, event, scope, source);
    case 'task.succeeded': {
      const limit = env().WHETSTONE_MAX_PAYLOAD_BYTES;
      const bytes = Buffer.byteLength(JSON.stringify(event.output ?? null));
      // Refused whole: the task fails with the reason and no part of the output is stored.
      if (bytes > limit) {
        return onFinished(prisma, event, scope, source, { status: 'FAILED', error: `PayloadTooLargeError: ${payloadTooLargeMessage(bytes, limit)}` });
      }
      return onFinished(prisma, event, scope, source, { status: 'SUCCEEDED', output: event.output as Prisma.InputJsonValue });
    }
    case 'task.failed':
      return onFinished(prisma, event, scope, source, {
        status: 'FAILED',
        error: event.error.stack ?? `${event.error.name ?? 'Error'}: ${event.error.message}`,
      });
  }
}

type Scope = Prisma.TaskRunWhereInput & { id: string };

/** Called when the task run is not in the event's project: logs a forgery (it exists elsewhere), else nothing. */
async function ignoreUnowned(prisma: PrismaClient, event: EngineEvent, source: EventSource): Promise<void> {
  const owner = await prisma.taskRun.findUnique({ where: { id: event.taskRunId }, select: { workflowRun: { select: { projectId: true } } } });
  if (owner) {
    console.warn(
      `[engine] ignored ${event.type} for task run ${event.taskRunId} from project ${source.projectId}'s queue: the task run belongs to project ${owner.workflowRun.projectId} (worker ${event.workerId})`,
    );
  }
}

async function onStarted(prisma: PrismaClient, event: Of<'task.started'>, scope: Scope, source: EventSource): Promise<void> {
  const task = await prisma.taskRun.findFirst({ where: scope, select: { workflowRunId: true } });
  if (!task) return ignoreUnowned(prisma, event, source);
  const startedAt = new Date(event.at);
  await prisma.taskRun.updateMany({
    where: { id: event.taskRunId, status: 'QUEUED' },
    data: { status: 'RUNNING', startedAt, attempts: event.attempt, workerId: await knownWorkerId(prisma, event.workerId, source) },
  });
  await prisma.workflowRun.updateMany({
    where: { id: task.workflowRunId, status: 'QUEUED' },
    data: { status: 'RUNNING', startedAt },
  });
}

async function onLog(prisma: PrismaClient, event: Of<'task.log'>, scope: Scope, source: EventSource): Promise<void> {
  const exists = await prisma.taskRun.count({ where: scope });
  if (!exists) return ignoreUnowned(prisma, event, source);
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
  scope: Scope,
  source: EventSource,
  result: { status: 'SUCCEEDED'; output: Prisma.InputJsonValue } | { status: 'FAILED'; error: string },
): Promise<void> {
  const task = await prisma.taskRun.findFirst({ where: scope });
  if (!task) return ignoreUnowned(prisma, event, source);
  const finishedAt = new Date(event.at);
  // Committed on its own before looking at siblings: of two parents finishing at once, the later commit sees both.
  const updated = await prisma.taskRun.updateMany({
    where: { id: task.id, status: { in: ['QUEUED', 'RUNNING'] } },
    data: {
      ...result,
      finishedAt,
      attempts: Math.max(task.attempts, event.attempt),
      startedAt: task.startedAt ?? finishedAt,
      workerId: task.workerId ?? (await knownWorkerId(prisma, event.workerId, source)),
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

/** A report may name a worker row that was deleted (or of another project): store null rather than break the foreign key or misattribute. */
async function knownWorkerId(prisma: PrismaClient, workerId: string, source: EventSource): Promise<string | null> {
  if (!isUuid(workerId)) return null;
  const worker = await prisma.worker.findFirst({ where: { id: workerId, projectId: source.projectId }, select: { id: true } });
  return worker?.id ?? null;
}

function firstLine(text: string | null): string {
  return (text ?? 'unknown error').split('\n')[0]!;
}
