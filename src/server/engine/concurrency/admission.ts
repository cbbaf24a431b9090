// Admission passes under a workflow's current rules (its latest version's): they decide, the
// caller carries the decision out (starts the admitted runs, cancels the others).
import type { PrismaClient } from '@/server/db/client';
import { definitionOf } from '@/server/engine/task-options';
import { admitRuns, type Admission } from './slots';

/** Admits what fits for `keys` of the workflow (and decides the fate of `newRunId`) under its latest rules. */
export async function admitUnderLatestRules(
  prisma: PrismaClient,
  workflowId: string,
  keys: readonly string[],
  newRunId?: string,
): Promise<Admission> {
  const latest = await prisma.workflowVersion.findFirst({
    where: { workflowId },
    orderBy: { version: 'desc' },
    select: { id: true, definition: true },
  });
  const rules = latest ? (definitionOf(latest).concurrency ?? []) : [];
  return admitRuns(prisma, workflowId, rules, keys, newRunId);
}

/**
 * A run with concurrency keys finished: the next waiting runs of its keys are admitted, and
 * returned for the caller to start. A pass without a new run cancels nothing (the strategies that
 * cancel apply to a run being created).
 */
export async function releaseRunSlots(prisma: PrismaClient, runId: string): Promise<string[]> {
  const run = await prisma.workflowRun.findUnique({ where: { id: runId }, select: { workflowId: true, concurrencyKeys: true } });
  if (!run?.concurrencyKeys.length) return [];
  return (await admitUnderLatestRules(prisma, run.workflowId, run.concurrencyKeys)).admit;
}
