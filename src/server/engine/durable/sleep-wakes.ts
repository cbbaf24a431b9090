// Waking sleeping durable tasks: a delayed job per SLEEP step on the project's `durable-wakes`
// queue, consumed by the engine. The job lives in Redis (or the Postgres backend), so it outlives
// an engine restart; the recovery pass completes overdue sleeps whose job was lost.
import type { AnyWorker } from '@whetstone/sdk/transport';
import { z } from 'zod';
import type { PrismaClient } from '@/server/db/client';
import { queueKit } from '@/server/queue/project-queues';
import { advanceRun } from '@/server/engine/advance';
import { completeStep } from './resume';

export const DURABLE_WAKES_QUEUE = 'durable-wakes';
export const wakeJobSchema = z.object({ stepId: z.string().uuid() });
export type WakeJob = z.infer<typeof wakeJobSchema>;

/** A wake job arriving this much before its step's wakeAt (clocks of two hosts) still wakes it. */
const EARLY_TOLERANCE_MS = 1_000;
const RETENTION = { removeOnComplete: true, removeOnFail: { age: 7 * 24 * 3600 } } as const;
/** A wake that hit a transient error (database restarting) is retried; completing a step twice is harmless. */
const RETRIES = { attempts: 5, backoff: { type: 'exponential', delay: 1000 } } as const;

function wakeJobId(stepId: string): string {
  return `wake-${stepId}`;
}

/** Schedules the wake of a SLEEP step. Adding it again (a re-delivered report, recovery) adds nothing while it waits. */
export async function armSleep(projectId: string, step: { id: string; wakeAt: Date }): Promise<void> {
  const delay = Math.max(0, step.wakeAt.getTime() - Date.now());
  await queueKit(projectId)
    .queue<WakeJob>(DURABLE_WAKES_QUEUE)
    .add('wake', { stepId: step.id }, { jobId: wakeJobId(step.id), delay, ...RETENTION, ...RETRIES });
}

/** Withdraws the wake of a step that will not be needed (its run was cancelled). Best effort: a stray wake finds the step closed. */
export async function disarmSleep(projectId: string, stepId: string): Promise<void> {
  await queueKit(projectId)
    .queue<WakeJob>(DURABLE_WAKES_QUEUE)
    .remove(wakeJobId(stepId))
    .catch(() => undefined);
}

/** The engine's consumer of one project's `durable-wakes` queue; closed with the project's queue kit. */
export function consumeDurableWakes(prisma: PrismaClient, projectId: string, opts: { concurrency?: number } = {}): AnyWorker<WakeJob> {
  const worker = queueKit(projectId).worker<WakeJob>(DURABLE_WAKES_QUEUE, async (job) => wakeSleep(prisma, projectId, job.data), {
    concurrency: opts.concurrency ?? 8,
  });
  worker.on('failed', (job, err) =>
    console.error(`[durable] wake ${job?.id} of project ${projectId} failed (attempt ${job?.attemptsMade}): ${err.message}`),
  );
  worker.on('error', (err) => console.error(`[durable] wake queue error (project ${projectId}): ${err.message}`));
  return worker;
}

/** Completes the sleep a wake job names, if it is this project's, still open and due. */
export async function wakeSleep(prisma: PrismaClient, projectId: string, data: unknown): Promise<boolean> {
  const parsed = wakeJobSchema.safeParse(data);
  if (!parsed.success) return false;
  const step = await prisma.durableStep.findFirst({
    where: { id: parsed.data.stepId, kind: 'SLEEP', completedAt: null, taskRun: { workflowRun: { projectId } } },
    select: { id: true, taskRunId: true, wakeAt: true },
  });
  // Too early (a job added by hand, a clock far off): the recovery pass completes it once overdue.
  if (!step?.wakeAt || step.wakeAt.getTime() > Date.now() + EARLY_TOLERANCE_MS) return false;
  return completeStep(prisma, step, { value: null }, advanceRun);
}
