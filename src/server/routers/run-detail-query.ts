import { TRPCError } from '@trpc/server';
import type { PrismaClient } from '../db';
import { durationMs, topoSortTasks } from './run-view';

/** Log lines returned per task; the rest are counted, not sent. */
export const MAX_LOG_LINES_PER_TASK = 2000;
/** "Replayed as" links returned per run (newest first); the rest are counted. */
export const MAX_REPLAYS_LISTED = 20;

const linkedRunSelect = { id: true, status: true, createdAt: true } as const;

/** Everything the run page shows about one run of the project (`runs.get`). */
export async function loadRunDetail(db: PrismaClient, projectId: string, id: string) {
    // Scoped to the project: another project's run id is "not found", like an unknown one.
    const run = await db.workflowRun.findFirst({
      where: { id: id, projectId: projectId },
      include: {
        workflow: { select: { name: true } },
        workflowVersion: { select: { version: true } },
        event: { select: { id: true, key: true, createdAt: true } },
        schedule: { select: { id: true, kind: true, name: true, expression: true, runAt: true } },
        replayOf: { select: linkedRunSelect },
        replays: { where: { projectId }, select: linkedRunSelect, orderBy: { id: 'desc' }, take: MAX_REPLAYS_LISTED },
        _count: { select: { replays: { where: { projectId } } } },
        taskRuns: {
          orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
          include: {
            worker: { select: { name: true } },
            logs: {
              orderBy: { id: 'asc' },
              take: MAX_LOG_LINES_PER_TASK,
              select: { id: true, attempt: true, level: true, message: true, createdAt: true },
            },
            _count: { select: { logs: true } },
            attemptsList: {
              orderBy: { attempt: 'asc' },
              select: {
                attempt: true, status: true, error: true, queuedAt: true, runAfter: true, startedAt: true, finishedAt: true,
                worker: { select: { name: true } },
              },
            },
          },
        },
      },
    });
    if (!run) {
      throw new TRPCError({ code: 'NOT_FOUND', message: `Run ${id} not found in this project` });
    }

    const tasks = topoSortTasks(run.taskRuns).map((t) => ({
      id: t.id,
      taskName: t.taskName,
      parents: t.parents,
      depth: t.depth,
      status: t.status,
      isOnFailure: t.isOnFailure,
      input: t.input,
      output: t.output,
      error: t.error,
      attempts: t.attempts,
      workerName: t.worker?.name ?? null,
      createdAt: t.createdAt,
      queuedAt: t.queuedAt,
      startedAt: t.startedAt,
      finishedAt: t.finishedAt,
      durationMs: durationMs(t.startedAt, t.finishedAt),
      logs: t.logs.map((l) => ({ ...l, id: l.id.toString() })),
      logCount: t._count.logs,
      attemptHistory: t.attemptsList.map((a) => ({
        attempt: a.attempt,
        status: a.status,
        error: a.error,
        workerName: a.worker?.name ?? null,
        queuedAt: a.queuedAt,
        runAfter: a.runAfter,
        startedAt: a.startedAt,
        finishedAt: a.finishedAt,
        durationMs: durationMs(a.startedAt, a.finishedAt),
      })),
    }));

    return {
      id: run.id,
      workflowName: run.workflow.name,
      workflowVersion: run.workflowVersion.version,
      status: run.status,
      input: run.input,
      output: run.output,
      error: run.error,
      additionalMetadata: run.additionalMetadata,
      triggerSource: run.triggerSource,
      eventId: run.eventId,
      // A deleted event or schedule leaves its id null (SetNull): the page then shows only the source.
      event: run.event,
      schedule: run.schedule,
      replayOfId: run.replayOfId,
      replayOf: run.replayOf,
      replays: run.replays,
      replayCount: run._count.replays,
      createdAt: run.createdAt,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      durationMs: durationMs(run.startedAt, run.finishedAt),
      tasks,
    };
}
