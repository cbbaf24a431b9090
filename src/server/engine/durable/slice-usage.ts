// LLM usage of durable tasks. One attempt of a durable task runs in slices (start → suspend,
// resume → suspend, …, resume → finish), and each slice reports its own calls. A suspension's calls
// are stored with its step (once, as the step is recorded once); the last slice's calls are those
// stored after the last step completed, so a re-delivered final report adds nothing.
import type { LlmUsage } from '@whetstone/sdk/contract';
import type { Prisma, PrismaClient } from '@/server/db/client';
import { lockAttemptUsage, recordAttemptUsage, usageRows } from '@/server/engine/usage';

/** A suspended slice's calls, inside the transaction that records its step. */
export async function recordSuspendedSliceUsage(
  tx: Prisma.TransactionClient,
  taskRunId: string,
  attempt: number,
  usage: readonly LlmUsage[] | undefined,
  at: Date,
): Promise<void> {
  if (!usage?.length) return;
  await tx.taskRunUsage.createMany({ data: usageRows(taskRunId, attempt, usage, at, new Date()) });
}

/** The calls of a finished (succeeded or failed) attempt's report; for a durable task with completed steps, its last slice's. */
export async function recordReportedUsage(
  prisma: PrismaClient,
  taskRunId: string,
  attempt: number,
  usage: readonly LlmUsage[] | undefined,
  at: Date,
): Promise<void> {
  if (!usage?.length) return;
  const last = await prisma.durableStep.findFirst({
    where: { taskRunId, completedAt: { not: null } },
    orderBy: { completedAt: 'desc' },
    select: { completedAt: true },
  });
  const since = last?.completedAt;
  if (!since) return recordAttemptUsage(prisma, taskRunId, attempt, usage, at);
  await prisma.$transaction(async (tx) => {
    await lockAttemptUsage(tx, taskRunId, attempt);
    const stored = await tx.taskRunUsage.count({ where: { taskRunId, attempt, createdAt: { gte: since } } });
    // Never before `since`, whatever this host's clock says: a re-delivered report must find these rows.
    const createdAt = new Date(Math.max(Date.now(), since.getTime()));
    if (stored === 0) await tx.taskRunUsage.createMany({ data: usageRows(taskRunId, attempt, usage, at, createdAt) });
  });
}
