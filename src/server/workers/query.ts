import type { PrismaClient } from '@/server/db/client';
import { LIVE_WORKER_WINDOW_MS } from '@/server/workers/liveness';

/** Stopped or silent workers are listed for this long after their last sign of life… */
export const RECENT_STOPPED_WINDOW_MS = 24 * 3600_000;
/** …and at most this many of them (every worker start is a new row). */
export const MAX_STOPPED_LISTED = 25;
/** Running task runs listed per page load, over all workers (a slot count above it is still exact). */
const MAX_RUNNING_LISTED = 500;

const workerSelect = {
  id: true,
  name: true,
  actions: true,
  hostname: true,
  pid: true,
  startedAt: true,
  lastHeartbeatAt: true,
  stoppedAt: true,
} as const;

export type WorkerState = 'live' | 'stopped' | 'lost';

/** live: beating; stopped: said goodbye (worker.stop()); lost: no heartbeat within the window and no goodbye (killed, crashed, cut off). */
export function workerState(w: { stoppedAt: Date | null; lastHeartbeatAt: Date }, now: number): WorkerState {
  if (w.stoppedAt) return 'stopped';
  return now - w.lastHeartbeatAt.getTime() <= LIVE_WORKER_WINDOW_MS ? 'live' : 'lost';
}

/** The Workers page: live workers, recently stopped or lost ones, and the task runs each is running now. */
export async function loadWorkers(db: PrismaClient, projectId: string, now = Date.now()) {
  const liveSince = new Date(now - LIVE_WORKER_WINDOW_MS);
  const [live, gone] = await Promise.all([
    db.worker.findMany({
      where: { projectId, stoppedAt: null, lastHeartbeatAt: { gte: liveSince } },
      orderBy: [{ name: 'asc' }, { startedAt: 'asc' }],
      select: workerSelect,
    }),
    db.worker.findMany({
      where: {
        projectId,
        lastHeartbeatAt: { gte: new Date(now - RECENT_STOPPED_WINDOW_MS) },
        OR: [{ stoppedAt: { not: null } }, { lastHeartbeatAt: { lt: liveSince } }],
      },
      orderBy: { lastHeartbeatAt: 'desc' },
      take: MAX_STOPPED_LISTED,
      select: workerSelect,
    }),
  ]);
  const ids = [...live, ...gone].map((w) => w.id);
  // Scoped by the run's project as well: a worker id only ever carries its own project's tasks, but the page must not depend on it.
  const where = { status: 'RUNNING' as const, workerId: { in: ids }, workflowRun: { projectId } };
  const [running, counts] = ids.length
    ? await Promise.all([
        db.taskRun.findMany({
          where,
          orderBy: { startedAt: 'asc' },
          take: MAX_RUNNING_LISTED,
          select: {
            id: true,
            taskName: true,
            attempts: true,
            startedAt: true,
            workerId: true,
            workflowRunId: true,
            workflowRun: { select: { workflow: { select: { name: true } } } },
          },
        }),
        db.taskRun.groupBy({ by: ['workerId'], where, _count: { _all: true } }),
      ])
    : [[], []];

  const countOf = new Map(counts.map((c) => [c.workerId, c._count._all]));
  const shape = (w: (typeof live)[number]) => ({
    ...w,
    state: workerState(w, now),
    runningCount: countOf.get(w.id) ?? 0,
    running: running
      .filter((t) => t.workerId === w.id)
      .map((t) => ({
        taskRunId: t.id,
        taskName: t.taskName,
        attempt: t.attempts,
        startedAt: t.startedAt,
        runId: t.workflowRunId,
        workflowName: t.workflowRun.workflow.name,
      })),
  });
  return { live: live.map(shape), stopped: gone.map(shape), liveWindowMs: LIVE_WORKER_WINDOW_MS, serverNow: new Date(now) };
}
