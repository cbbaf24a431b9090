import { env } from '../env';
import { findDefaultProject, publicProcedure, router } from '../trpc';
import { describeTransport } from '../queue/transport-label';

/** A worker whose last heartbeat is older than this is not counted as live. */
export const LIVE_WORKER_WINDOW_MS = 30_000;

export const systemRouter = router({
  /**
   * What the header shows. The transport comes from the environment and is
   * returned even when the database is unreachable (then `database` says so).
   */
  info: publicProcedure.query(async ({ ctx }) => {
    const e = env();
    const transport = describeTransport({
      transport: e.WHETSTONE_TRANSPORT,
      redisUrl: e.REDIS_URL,
      databaseUrl: e.DATABASE_URL,
    });
    try {
      const project = await findDefaultProject(ctx.db);
      if (!project) return { transport, database: 'ok' as const, project, workflowCount: 0, liveWorkerCount: 0 };
      const since = new Date(Date.now() - LIVE_WORKER_WINDOW_MS);
      const [workflowCount, liveWorkerCount] = await Promise.all([
        ctx.db.workflow.count({ where: { projectId: project.id } }),
        ctx.db.worker.count({ where: { projectId: project.id, stoppedAt: null, lastHeartbeatAt: { gte: since } } }),
      ]);
      return { transport, database: 'ok' as const, project, workflowCount, liveWorkerCount };
    } catch (error) {
      console.error('system.info: database query failed:', error instanceof Error ? error.message : error);
      return { transport, database: 'unreachable' as const, project: null, workflowCount: 0, liveWorkerCount: 0 };
    }
  }),
});
