// The Metrics page's SQL: runs (or one task's runs) of a project bucketed by creation time.
// Every query filters WorkflowRun on (projectId, createdAt) or (projectId, workflowId, createdAt),
// the two indexes that cover it; a task's runs are reached through TaskRun's
// (workflowRunId, taskName) unique index.
import { Prisma, type PrismaClient } from '@/server/db/client';
import { failureRate, fillSeries, metricsWindow, RANGE_SPECS, type BucketStats, type MetricsRange } from './range';

export interface MetricsScope {
  projectId: string;
  /** Only this workflow's runs. */
  workflowId?: string;
  /** Only this task's runs (needs workflowId). */
  task?: string;
}

/** Timestamps are stored as UTC without a zone: compare in UTC whatever the session's TimeZone. */
const utc = (d: Date) => Prisma.sql`(${d.toISOString()}::timestamptz AT TIME ZONE 'UTC')`;

/** Which runs a scope covers since `from` (the WHERE clause, on WorkflowRun `r`). */
function runsWhere(scope: MetricsScope, from: Date): Prisma.Sql {
  const byWorkflow = scope.workflowId ? Prisma.sql` AND r."workflowId" = ${scope.workflowId}::uuid` : Prisma.empty;
  return Prisma.sql`r."projectId" = ${scope.projectId}::uuid AND r."createdAt" >= ${utc(from)}${byWorkflow}`;
}

/** A task's runs of those runs (the join to TaskRun `t`); skipped tasks never ran and are left out. */
function taskJoin(task?: string): Prisma.Sql {
  const byName = task === undefined ? Prisma.empty : Prisma.sql` AND t."taskName" = ${task}`;
  return Prisma.sql`JOIN "TaskRun" t ON t."workflowRunId" = r.id AND t.status <> 'SKIPPED'${byName}`;
}

/** FROM + WHERE for a scope; `m` is the alias whose status and timings are measured (the run, or the task run). */
function source(scope: MetricsScope, from: Date): { m: Prisma.Sql; sql: Prisma.Sql } {
  if (scope.task !== undefined) {
    return { m: Prisma.raw('t'), sql: Prisma.sql`FROM "WorkflowRun" r ${taskJoin(scope.task)} WHERE ${runsWhere(scope, from)}` };
  }
  return { m: Prisma.raw('r'), sql: Prisma.sql`FROM "WorkflowRun" r WHERE ${runsWhere(scope, from)}` };
}

/**
 * Counts by outcome and p50/p95 of the duration (start to finish, in ms) of runs that
 * succeeded or failed; cancelled runs' durations say when someone clicked, not how long work takes.
 */
function aggregates(m: Prisma.Sql): Prisma.Sql {
  const ended = Prisma.sql`${m}.status IN ('SUCCEEDED', 'FAILED') AND ${m}."startedAt" IS NOT NULL AND ${m}."finishedAt" IS NOT NULL`;
  const ms = Prisma.sql`(extract(epoch FROM ${m}."finishedAt" - ${m}."startedAt") * 1000)::float8`;
  return Prisma.sql`count(*)::int AS runs,
    (count(*) FILTER (WHERE ${m}.status = 'SUCCEEDED'))::int AS succeeded,
    (count(*) FILTER (WHERE ${m}.status = 'FAILED'))::int AS failed,
    (count(*) FILTER (WHERE ${m}.status = 'CANCELLED'))::int AS cancelled,
    percentile_cont(0.5) WITHIN GROUP (ORDER BY ${ms}) FILTER (WHERE ${ended}) AS "p50Ms",
    percentile_cont(0.95) WITHIN GROUP (ORDER BY ${ms}) FILTER (WHERE ${ended}) AS "p95Ms"`;
}

/** One row per bucket that has runs: feeds all three charts (runs per minute, failure rate, p50/p95). */
export function metricsSeriesSql(scope: MetricsScope, from: Date, bucketMs: number): Prisma.Sql {
  const { m, sql } = source(scope, from);
  const stride = `${Math.round(bucketMs / 1000)} seconds`;
  return Prisma.sql`
    SELECT date_bin(${stride}::interval, r."createdAt", TIMESTAMP '2000-01-01') AS bucket, ${aggregates(m)}
    ${sql}
    GROUP BY 1 ORDER BY 1`;
}

export function queryMetricsSeries(db: PrismaClient, scope: MetricsScope, from: Date, bucketMs: number) {
  return db.$queryRaw<Array<BucketStats & { bucket: Date }>>(metricsSeriesSql(scope, from, bucketMs));
}

/** The same numbers for the whole window (percentiles of the whole, not of the buckets). */
export async function queryMetricsSummary(db: PrismaClient, scope: MetricsScope, from: Date): Promise<BucketStats> {
  const { m, sql } = source(scope, from);
  const [row] = await db.$queryRaw<BucketStats[]>`SELECT ${aggregates(m)} ${sql}`;
  return row!;
}

/** The same numbers per task of the chosen workflow, or per workflow when none is chosen. */
export async function queryMetricsBreakdown(db: PrismaClient, scope: MetricsScope, from: Date) {
  type Row = BucketStats & { name: string };
  if (scope.workflowId) {
    return db.$queryRaw<Row[]>`
      SELECT t."taskName" AS name, ${aggregates(Prisma.raw('t'))}
      FROM "WorkflowRun" r ${taskJoin()}
      WHERE ${runsWhere({ projectId: scope.projectId, workflowId: scope.workflowId }, from)}
      GROUP BY 1 ORDER BY 1`;
  }
  return db.$queryRaw<Row[]>`
    SELECT w.name AS name, ${aggregates(Prisma.raw('r'))}
    FROM "WorkflowRun" r JOIN "Workflow" w ON w.id = r."workflowId"
    WHERE ${runsWhere(scope, from)}
    GROUP BY w.id, w.name ORDER BY runs DESC, name`;
}

/** Everything the Metrics page shows for one scope and range. */
export async function loadMetrics(db: PrismaClient, scope: MetricsScope, range: MetricsRange, now = Date.now()) {
  const window = metricsWindow(range, now);
  const [series, summary, breakdown] = await Promise.all([
    queryMetricsSeries(db, scope, window.from, window.bucketMs),
    queryMetricsSummary(db, scope, window.from),
    queryMetricsBreakdown(db, scope, window.from),
  ]);
  return {
    range,
    bucketMs: window.bucketMs,
    bucketLabel: RANGE_SPECS[range].bucketLabel,
    from: window.from,
    to: window.to,
    summary: { ...summary, failureRate: failureRate(summary) },
    series: fillSeries(window.buckets, series),
    breakdown: breakdown.map((row) => ({ ...row, failureRate: failureRate(row) })),
  };
}
