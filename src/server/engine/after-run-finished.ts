import type { PrismaClient } from '../db';
import { releaseRunSlots } from './concurrency-actions';
import { completeChildSteps } from './durable/child-steps';
import { notifyRunFinished } from './run-finished';

/** Everything that follows a run becoming terminal (finished or cancelled), once per run. */
export async function afterRunFinished(prisma: PrismaClient, runId: string): Promise<void> {
  await notifyRunFinished(prisma, runId);
  await releaseRunSlots(prisma, runId);
  // A durable task waiting for this run (`ctx.spawnChild`) resumes with its output or error.
  await completeChildSteps(prisma, runId);
}
