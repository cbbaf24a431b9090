// What an admission pass decided, carried out: admitted runs start, cancelled ones are cancelled.
import type { PrismaClient } from '../../db/client';
import { advanceRun } from '../advance';
import { cancelRun } from '../cancel';
import { admitRuns, overdueWaitingGroups } from './slots';
import { definitionOf } from '../task-options';

/** Admits what fits for `keys` of the workflow (and decides the fate of `newRunId`), then starts or cancels. */
export async function admitAndStart(prisma: PrismaClient, projectId: string, workflowId: string, keys: readonly string[], newRunId?: string): Promise<void> {
  const latest = await prisma.workflowVersion.findFirst({ where: { workflowId }, orderBy: { version: 'desc' }, select: { id: true, definition: true } });
  const rules = latest ? (definitionOf(latest).concurrency ?? []) : [];
  const decision = await admitRuns(prisma, workflowId, rules, keys, newRunId);
  for (const { runId, reason } of decision.cancel) await cancelRun(prisma, projectId, runId, { reason });
  for (const runId of decision.admit) await advanceRun(prisma, runId);
}

/** A run with concurrency keys finished: the next waiting runs of its keys may start. */
export async function releaseRunSlots(prisma: PrismaClient, runId: string): Promise<void> {
  const run = await prisma.workflowRun.findUnique({ where: { id: runId }, select: { projectId: true, workflowId: true, concurrencyKeys: true } });
  if (!run?.concurrencyKeys.length) return;
  await admitAndStart(prisma, run.projectId, run.workflowId, run.concurrencyKeys);
}

/** Recovery: waiting runs an engine died before admitting. */
export async function admitOverdueRuns(prisma: PrismaClient, before: Date): Promise<number> {
  let groups = 0;
  for (const group of await overdueWaitingGroups(prisma, before)) {
    const workflow = await prisma.workflow.findUnique({ where: { id: group.workflowId }, select: { projectId: true } });
    if (!workflow) continue;
    await admitAndStart(prisma, workflow.projectId, group.workflowId, group.keys);
    groups++;
  }
  return groups;
}
