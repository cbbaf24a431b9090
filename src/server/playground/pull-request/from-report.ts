// "Open pull request" from a what-if report: every row re-ran the task with the report's values, so
// any row whose task succeeded can stand for the change; the report's summary goes in the body.
import type { PrismaClient } from '@/server/db/client';
import { isUuid } from '@/server/engine/ids';
import { loadWhatIfReport } from '@/server/what-if/report';
import { badRequest, notFound, precondition } from '@/server/errors';
import type { WhatIfBodyReport } from './what-if-section';

export interface ReportChoice {
  /** The row (PlaygroundRun id) to open from; the first succeeded row when left out. */
  playgroundRunId: string;
  report: WhatIfBodyReport;
}

export async function variantFromReport(
  prisma: PrismaClient,
  projectId: string,
  reportId: string,
  playgroundRunId?: string,
): Promise<ReportChoice> {
  const exists = isUuid(reportId) && (await prisma.whatIfReport.count({ where: { id: reportId, projectId } }));
  if (!exists) throw notFound(`What-if report ${reportId} not found in this project`);
  const report = await loadWhatIfReport(prisma, projectId, reportId);
  const summary: WhatIfBodyReport = { id: report.id, taskName: report.taskName, rows: report.rows, totals: report.totals };
  if (playgroundRunId) {
    const row = report.rows.find((r) => r.id === playgroundRunId || r.runId === playgroundRunId);
    if (!row) throw badRequest(`Playground run ${playgroundRunId} is not a row of what-if report ${reportId}`);
    return { playgroundRunId: row.id, report: summary };
  }
  const row = report.rows.find((r) => r.after?.status === 'SUCCEEDED');
  if (!row) {
    const waiting = report.totals.pending ? ` (${report.totals.pending} of ${report.totals.rows} not finished yet)` : '';
    throw precondition(
      `No row of what-if report ${reportId} has a succeeded task '${report.taskName}'${waiting}: a pull request is opened from a row whose task succeeded with the new values`,
    );
  }
  return { playgroundRunId: row.id, report: summary };
}
