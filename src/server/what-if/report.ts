// A what-if report as its page shows it: one row per source run (old output, new output, timings,
// cost, checks), and totals. Rows are read live; the report is marked finished once all are.
import type { Prisma, PrismaClient } from '@/server/db/client';
import { notFound } from '@/server/errors';
import { durationMs } from '@/server/runs/view';
import { isTerminalRunStatus, UNFINISHED_RUN_STATUSES } from '@/server/shared/statuses';
import { evaluateRules, type CheckResult, type ReportRule } from './checks';
import type { WhatIfWarning } from './start';

const taskSelect = {
  status: true,
  output: true,
  error: true,
  startedAt: true,
  finishedAt: true,
  checkResults: true,
  usage: { select: { costUsd: true, inputTokens: true, outputTokens: true } },
} satisfies Prisma.TaskRunSelect;
type TaskRow = Prisma.TaskRunGetPayload<{ select: typeof taskSelect }>;

export type RowOutcome = 'pending' | 'changed' | 'unchanged' | 'failed';

function side(task: TaskRow | undefined, rules: readonly ReportRule[]) {
  if (!task) return null;
  const declared = Array.isArray(task.checkResults) ? (task.checkResults as unknown as CheckResult[]) : [];
  return {
    status: task.status,
    output: task.output,
    error: task.error,
    durationMs: durationMs(task.startedAt, task.finishedAt),
    costUsd: task.usage.some((u) => u.costUsd !== null) ? task.usage.reduce((n, u) => n + (u.costUsd ?? 0), 0) : null,
    tokens: task.usage.reduce((n, u) => n + u.inputTokens + u.outputTokens, 0),
    checks: task.status === 'SUCCEEDED' ? [...declared, ...evaluateRules(rules, task.output)] : [],
  };
}

/** Same JSON (object key order ignored). */
export function sameOutput(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export async function loadWhatIfReport(prisma: PrismaClient, projectId: string, reportId: string) {
  const report = await prisma.whatIfReport.findFirst({
    where: { id: reportId, projectId },
    include: {
      workflow: { select: { name: true } },
      createdBy: { select: { email: true } },
      rows: { orderBy: { createdAt: 'asc' }, select: { id: true, sourceRunId: true, runId: true, run: { select: { status: true } } } },
    },
  });
  if (!report) throw notFound(`What-if report ${reportId} not found in this project`);
  const rules = report.rules as unknown as ReportRule[];
  const runIds = report.rows.flatMap((r) => [r.sourceRunId, r.runId]);
  const tasks = await prisma.taskRun.findMany({
    where: { workflowRunId: { in: runIds }, taskName: report.taskName },
    select: { ...taskSelect, workflowRunId: true },
  });
  const byRun = new Map(tasks.map((t) => [t.workflowRunId, t]));

  const rows = report.rows.map((row) => {
    const before = side(byRun.get(row.sourceRunId), rules);
    const after = side(byRun.get(row.runId), rules);
    const finished = isTerminalRunStatus(row.run.status);
    const outcome: RowOutcome = !finished
      ? 'pending'
      : after?.status !== 'SUCCEEDED'
        ? 'failed'
        : sameOutput(before?.output, after.output)
          ? 'unchanged'
          : 'changed';
    return { id: row.id, sourceRunId: row.sourceRunId, runId: row.runId, runStatus: row.run.status, outcome, before, after };
  });

  // Rows still being started count as pending.
  const finished = report.rowsStartedAt !== null && rows.every((r) => r.outcome !== 'pending');
  if (finished && report.status === 'RUNNING') {
    await prisma.whatIfReport.updateMany({
      where: { id: report.id, status: 'RUNNING' },
      data: { status: 'FINISHED', finishedAt: new Date() },
    });
  }
  return {
    id: report.id,
    workflowName: report.workflow.name,
    taskName: report.taskName,
    mode: report.mode,
    overrides: report.overrides as Record<string, unknown>,
    filter: report.filter,
    rules,
    warnings: report.warnings as unknown as WhatIfWarning[],
    status: finished && report.status === 'RUNNING' ? 'FINISHED' : report.status,
    createdAt: report.createdAt,
    createdBy: report.createdBy?.email ?? null,
    rows,
    totals: totals(rows),
  };
}

type Row = { outcome: RowOutcome; before: ReturnType<typeof side>; after: ReturnType<typeof side> };

export function totals(rows: readonly Row[]) {
  const count = (o: RowOutcome) => rows.filter((r) => r.outcome === o).length;
  const sum = (values: Array<number | null | undefined>) => {
    const known = values.filter((v): v is number => typeof v === 'number');
    return known.length ? known.reduce((a, b) => a + b, 0) : null;
  };
  const mean = (values: Array<number | null | undefined>) => {
    const known = values.filter((v): v is number => typeof v === 'number');
    return known.length ? Math.round(known.reduce((a, b) => a + b, 0) / known.length) : null;
  };
  const done = rows.filter((r) => r.outcome !== 'pending');
  const checks = (pick: (r: Row) => CheckResult[] | undefined) => {
    const all = done.flatMap((r) => pick(r) ?? []);
    return { passed: all.filter((c) => c.passed).length, failed: all.filter((c) => !c.passed).length };
  };
  return {
    rows: rows.length,
    pending: count('pending'),
    changed: count('changed'),
    unchanged: count('unchanged'),
    failed: count('failed'),
    costUsd: { before: sum(done.map((r) => r.before?.costUsd)), after: sum(done.map((r) => r.after?.costUsd)) },
    meanDurationMs: { before: mean(done.map((r) => r.before?.durationMs)), after: mean(done.map((r) => r.after?.durationMs)) },
    checks: { before: checks((r) => r.before?.checks), after: checks((r) => r.after?.checks) },
  };
}

/** The project's reports, newest first. A running one whose rows are all finished is marked FINISHED first. */
export async function listWhatIfReports(prisma: PrismaClient, projectId: string, opts: { workflow?: string; limit?: number } = {}) {
  await finishDoneReports(prisma, projectId);
  const reports = await prisma.whatIfReport.findMany({
    where: { projectId, ...(opts.workflow ? { workflow: { name: opts.workflow } } : {}) },
    orderBy: { createdAt: 'desc' },
    take: opts.limit ?? 50,
    select: {
      id: true,
      taskName: true,
      mode: true,
      status: true,
      overrides: true,
      createdAt: true,
      finishedAt: true,
      workflow: { select: { name: true } },
      createdBy: { select: { email: true } },
      _count: { select: { rows: true } },
    },
  });
  return reports.map((r) => ({
    id: r.id,
    workflowName: r.workflow.name,
    taskName: r.taskName,
    mode: r.mode,
    status: r.status,
    overrides: r.overrides as Record<string, unknown>,
    rows: r._count.rows,
    createdAt: r.createdAt,
    finishedAt: r.finishedAt,
    createdBy: r.createdBy?.email ?? null,
  }));
}

async function finishDoneReports(prisma: PrismaClient, projectId: string): Promise<void> {
  await prisma.whatIfReport.updateMany({
    where: {
      projectId,
      status: 'RUNNING',
      rowsStartedAt: { not: null },
      rows: { none: { run: { status: { in: [...UNFINISHED_RUN_STATUSES] } } } },
    },
    data: { status: 'FINISHED', finishedAt: new Date() },
  });
}
