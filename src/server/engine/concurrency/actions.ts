// What an admission pass decided, carried out: admitted runs start, cancelled ones are cancelled.
import type { PrismaClient } from '@/server/db/client';
import { advanceRun } from '@/server/engine/advance';
import { cancelRun } from '@/server/engine/cancel';
import { admitUnderLatestRules } from './admission';
import { overdueWaitingGroups } from './slots';

/** Admits what fits for `keys` of the workflow (and decides the fate of `newRunId`), then starts or cancels. */
export async function admitAndStart(
  prisma: PrismaClient,
  projectId: string,
  workflowId: string,
  keys: readonly string[],
  newRunId?: string,
): Promise<void> {
  const decision = await admitUnderLatestRules(prisma, workflowId, keys, newRunId);
  for (const { runId, reason } of decision.cancel) await cancelRun(prisma, projectId, runId, { reason });
  for (const runId of decision.admit) await advanceRun(prisma, runId);
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
