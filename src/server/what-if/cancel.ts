import type { PrismaClient } from '@/server/db/client';
import { cancelRun } from '@/server/engine/cancel';
import { notFound } from '@/server/errors';
import { UNFINISHED_RUN_STATUSES } from '@/server/shared/statuses';

/** Cancels a report's unfinished rows (their runs) and marks it CANCELLED; finished rows stay as they are. */
export async function cancelWhatIf(prisma: PrismaClient, projectId: string, reportId: string): Promise<{ cancelledRuns: number }> {
  const report = await prisma.whatIfReport.findFirst({
    where: { id: reportId, projectId },
    select: { id: true, rows: { where: { run: { status: { in: [...UNFINISHED_RUN_STATUSES] } } }, select: { runId: true } } },
  });
  if (!report) throw notFound(`What-if report ${reportId} not found in this project`);
  // Marked first: a row finishing meanwhile must not flip the report to FINISHED.
  await prisma.whatIfReport.updateMany({
    where: { id: report.id, status: 'RUNNING' },
    data: { status: 'CANCELLED', finishedAt: new Date() },
  });
  let cancelledRuns = 0;
  for (const row of report.rows) {
    const result = await cancelRun(prisma, projectId, row.runId, { reason: 'The what-if report was cancelled' });
    if (result.cancelled) cancelledRuns++;
  }
  return { cancelledRuns };
}
