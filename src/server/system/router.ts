import { LIVE_WORKER_WINDOW_MS } from '@/server/workers/liveness';
import { env } from '@/server/env';
import { describeTransport } from '@/server/queue/transport-label';
import { authedProcedure, router, viewerProcedure } from '@/server/trpc';
import { myProjects } from '@/server/projects/router';

/** The queue transport from the environment (password redacted); needs no database. */
function transport() {
  const e = env();
  return describeTransport({ transport: e.WHETSTONE_TRANSPORT, redisUrl: e.REDIS_URL, databaseUrl: e.DATABASE_URL });
}

/** For the header of every signed-in page: null rather than an error when the environment is incomplete. */
function transportOrNull(): ReturnType<typeof transport> | null {
  try {
    return transport();
  } catch {
    return null;
  }
}

export const systemRouter = router({
  /** The signed-in user, their projects with their role in each, and the transport (header, project switcher). */
  me: authedProcedure.query(async ({ ctx }) => ({
    user: ctx.user,
    projects: await myProjects(ctx.db, ctx.user.id),
    transport: transportOrNull(),
  })),

  /**
   * What the header shows for one project: transport, registered workflows, live
   * workers. The counts are the project's; a failing count query still returns
   * the transport (then `database` says so).
   */
  info: viewerProcedure.query(async ({ ctx }) => {
    const project = ctx.project;
    try {
      const since = new Date(Date.now() - LIVE_WORKER_WINDOW_MS);
      const [workflowCount, liveWorkerCount] = await Promise.all([
        ctx.db.workflow.count({ where: { projectId: project.id } }),
        ctx.db.worker.count({ where: { projectId: project.id, stoppedAt: null, lastHeartbeatAt: { gte: since } } }),
      ]);
      return { transport: transport(), database: 'ok' as const, project, role: ctx.role, workflowCount, liveWorkerCount };
    } catch (error) {
      console.error('system.info: database query failed:', error instanceof Error ? error.message : error);
      return { transport: transport(), database: 'unreachable' as const, project, role: ctx.role, workflowCount: 0, liveWorkerCount: 0 };
    }
  }),
});
