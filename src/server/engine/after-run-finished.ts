import type { PrismaClient } from '@/server/db/client';
import type { AdvanceRun } from './advance-run';
import { releaseRunSlots } from './concurrency/admission';
import { completeChildSteps } from './durable/child-steps';
import { notifyRunFinished } from './run-finished';

/**
 * What the caller already read of the run: each part that does not apply saves a query. Only
 * runs with concurrency keys hold slots, and only child runs can be a durable task's step.
 */
export interface FinishedRunFacts {
  concurrencyKeys: readonly string[];
  parentTaskRunId: string | null;
  /** The caller announced the run already (finishRun notifies in the statement that finishes it). */
  notified?: boolean;
}

/**
 * Everything that follows a run becoming terminal (finished or cancelled), once per run. `advance`
 * (advanceRun, passed by advance.ts and cancel.ts) starts the runs its freed slots admit, and moves
 * on a run whose resumed task fails.
 */
export async function afterRunFinished(
  prisma: PrismaClient,
  runId: string,
  facts: FinishedRunFacts | undefined,
  advance: AdvanceRun,
): Promise<void> {
  if (!facts?.notified) await notifyRunFinished(prisma, runId);
  if (!facts || facts.concurrencyKeys.length) {
    for (const admitted of await releaseRunSlots(prisma, runId)) await advance(prisma, admitted);
  }
  // A durable task waiting for this run (`ctx.spawnChild`) resumes with its output or error.
  if (!facts || facts.parentTaskRunId) await completeChildSteps(prisma, runId, advance);
}
