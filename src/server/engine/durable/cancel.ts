import type { PrismaClient } from '@/server/db/client';
import { disarmSleep } from './sleep-wakes';

/** Closes the open durable steps of a cancelled run (nothing resumes its tasks) and withdraws their wake jobs. */
export async function closeRunSteps(prisma: PrismaClient, projectId: string, runId: string, at: Date): Promise<void> {
  const open = await prisma.durableStep.findMany({
    where: { completedAt: null, taskRun: { workflowRunId: runId } },
    select: { id: true, kind: true },
  });
  if (!open.length) return;
  await prisma.durableStep.updateMany({
    where: { id: { in: open.map((s) => s.id) }, completedAt: null },
    data: { completedAt: at, result: { error: 'The run was cancelled' } },
  });
  await Promise.all(open.filter((s) => s.kind === 'SLEEP').map((s) => disarmSleep(projectId, s.id)));
}
