import type { AnyWorker } from '@whetstone/sdk/transport';
import { setProcessRole } from '@/server/db/connection-budget';
import { db } from '@/server/db/client';
import { consumeDurableWakes } from '@/server/engine/durable/sleep-wakes';
import { applyWorkerReport } from '@/server/engine/reports';
import { recoverOnce, type RecoveryReport } from '@/server/engine/recovery';
import { consumeSchedules, reconcileSchedules } from '@/server/engine/schedules/firing';
import { WORKER_REPORTS_QUEUE, workerReportSchema } from '@/server/queue/contracts';
import { env } from '@/server/env';
import { closeProjectQueueKit, closeQueueKit, queueKit, restoreWorkerAccess } from '@/server/queue/project-queues';
import { describeTransport } from '@/server/queue/transport-label';

export interface Engine {
  /** Project ids whose `engine-events` queue is being consumed. */
  projects(): string[];
  stop(): Promise<void>;
}

/**
 * Consumes SDK workers' reports and advances runs. Every project has its own `engine-events` queue
 * (SDK workers can only reach their own project's queues): the engine consumes each one with its
 * own BullMQ worker, finding projects at start and every `discoveryIntervalMs` after (projects are
 * created at runtime). An event is applied only to a task run of the project whose queue carried
 * it. Several engines may run at once: every write is conditional.
 */
export async function startEngine({ concurrency = 16, discoveryIntervalMs = 3_000 } = {}): Promise<Engine> {
  // Names its database connections `whetstone-engine[<pid>]:…` (pg_stat_activity).
  setProcessRole('engine');
  const prisma = db();
  const consumers = new Map<string, AnyWorker>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let syncing: Promise<void> = Promise.resolve();
  let recoveryTimer: NodeJS.Timeout | undefined;
  let recovering: Promise<void> = Promise.resolve();

  const consume = async (projectId: string) => {
    const worker = queueKit(projectId).worker(
      WORKER_REPORTS_QUEUE,
      async (job) => applyWorkerReport(prisma, workerReportSchema.parse(job.data), { projectId }),
      // A killed engine's in-flight events go to another engine after the lock expires.
      { concurrency, lockDuration: env().WHETSTONE_TASK_LOCK_MS, stalledInterval: env().WHETSTONE_TASK_LOCK_MS },
    );
    worker.on('failed', (job, err) => console.error(`[engine] event ${job?.name} of project ${projectId} failed: ${err.message}`));
    worker.on('error', (err) => console.error(`[engine] queue error (project ${projectId}): ${err.message}`));
    consumers.set(projectId, worker);
    // Crons and one-off schedules fire through the project's `schedules` queue.
    const schedules = consumeSchedules(prisma, projectId);
    // Sleeping durable tasks wake through the project's `durable-wakes` queue.
    const wakes = consumeDurableWakes(prisma, projectId);
    await Promise.all([worker.waitUntilReady(), schedules.waitUntilReady(), wakes.waitUntilReady()]);
  };

  const sync = async () => {
    const ids = new Set((await prisma.project.findMany({ select: { id: true } })).map((p) => p.id));
    const added = [...ids].filter((id) => !consumers.has(id));
    // A project whose queues cannot be reached yet (Postgres refusing connections) keeps its
    // BullMQ workers: they retry by themselves, so it is not set up again.
    await Promise.all(
      added.map((id) =>
        consume(id).catch((err: Error) =>
          console.error(`[engine] queues of project ${id} not ready yet (${err.message}); its consumers keep retrying`),
        ),
      ),
    );
    for (const id of [...consumers.keys()].filter((id) => !ids.has(id))) {
      consumers.delete(id);
      await closeProjectQueueKit(id); // closes the engine's BullMQ workers of that project too
    }
    await restoreWorkerAccess(prisma, [...ids]);
  };

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      syncing = sync()
        .catch((err: unknown) => console.error(`[engine] project discovery failed: ${(err as Error).message}`))
        .finally(schedule);
    }, discoveryIntervalMs);
  };

  // Postgres is the truth: put back whatever the queues lost (see recovery.ts).
  const recover = async () => {
    const report = await recoverOnce(prisma);
    for (const projectId of consumers.keys()) {
      const schedules = await reconcileSchedules(prisma, projectId);
      report.schedulesRepaired += schedules.crons + schedules.delayed + schedules.fired;
    }
    if (Object.values(report).some((n) => n > 0)) console.log(`[engine] recovery: ${describeRecovery(report)}`);
  };
  const scheduleRecovery = () => {
    if (stopped) return;
    recoveryTimer = setTimeout(() => {
      recovering = recover()
        .catch((err: unknown) => console.error(`[engine] recovery pass failed: ${(err as Error).message}`))
        .finally(scheduleRecovery);
    }, env().WHETSTONE_RECOVERY_INTERVAL_MS);
  };

  await sync();
  schedule();
  scheduleRecovery();
  const e = env();
  const { label } = describeTransport({ transport: e.WHETSTONE_TRANSPORT, redisUrl: e.REDIS_URL, databaseUrl: e.DATABASE_URL });
  console.log(`[engine] ready on ${label} (${consumers.size} project${consumers.size === 1 ? '' : 's'})`);
  return {
    projects: () => [...consumers.keys()],
    async stop() {
      stopped = true;
      clearTimeout(timer);
      clearTimeout(recoveryTimer);
      await syncing;
      await recovering;
      consumers.clear();
      await closeQueueKit();
      await prisma.$disconnect();
    },
  };
}

function describeRecovery(r: RecoveryReport): string {
  return `advanced ${r.advancedRuns} stalled run(s), re-queued ${r.requeued} lost job(s), ${r.lost} lost attempt(s), ${r.scheduleTimeouts} schedule timeout(s), ${r.events} pending event(s), ${r.durableWakes} durable wake(s), ${r.schedulesRepaired} schedule(s) repaired`;
}
