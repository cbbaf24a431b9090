// Reads LLM usage (TaskRunUsage rows) for the run page and the LLM usage page.
// byWorkflow filters WorkflowRun on (projectId, createdAt), an index, and reaches usage rows
// through TaskRun's (workflowRunId, taskName) and TaskRunUsage's taskRunId indexes.
import { TRPCError } from '@trpc/server';
import { Prisma, type PrismaClient } from '@/server/db/client';
import { topoSortTasks } from '@/server/runs/view';
import { isTerminalRunStatus } from '@/server/shared/statuses';
import { addTotals, byModel, emptyTotals, sortByCost, unpricedModels, type ModelUsage, type UsageTotals } from './totals';

/** A run's usage per task (tasks in dependency order, only those with usage) and in total. */
export async function loadRunUsage(db: PrismaClient, projectId: string, runId: string) {
  const run = await db.workflowRun.findFirst({
    where: { id: runId, projectId },
    select: {
      status: true,
      taskRuns: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], select: { id: true, taskName: true, parents: true } },
    },
  });
  if (!run) throw new TRPCError({ code: 'NOT_FOUND', message: `Run ${runId} not found in this project` });
  const scope = { taskRun: { workflowRunId: runId } };
  const [groups, attempts] = await Promise.all([
    db.taskRunUsage.groupBy({
      by: ['taskRunId', 'model', 'provider'],
      where: scope,
      _count: { _all: true, costUsd: true },
      _sum: { inputTokens: true, outputTokens: true, costUsd: true },
    }),
    db.taskRunUsage.groupBy({ by: ['taskRunId', 'attempt'], where: scope }),
  ]);

  const modelsByTask = new Map<string, ModelUsage[]>();
  for (const g of groups) {
    const priced = g._count.costUsd;
    const row: ModelUsage = {
      model: g.model,
      provider: g.provider,
      calls: g._count._all,
      inputTokens: g._sum.inputTokens ?? 0,
      outputTokens: g._sum.outputTokens ?? 0,
      costUsd: priced > 0 ? (g._sum.costUsd ?? 0) : null,
      unpricedCalls: g._count._all - priced,
    };
    modelsByTask.set(g.taskRunId, [...(modelsByTask.get(g.taskRunId) ?? []), row]);
  }
  const attemptsByTask = new Map<string, number>();
  for (const a of attempts) attemptsByTask.set(a.taskRunId, (attemptsByTask.get(a.taskRunId) ?? 0) + 1);

  const tasks = topoSortTasks(run.taskRuns)
    .filter((t) => modelsByTask.has(t.id))
    .map((t) => {
      const models = byModel(modelsByTask.get(t.id)!);
      return { taskRunId: t.id, taskName: t.taskName, attempts: attemptsByTask.get(t.id) ?? 0, models, ...sum(models) };
    });
  const models = byModel(tasks.flatMap((t) => t.models));
  return {
    runId,
    /** A finished run's usage no longer changes (its last report was stored before it finished). */
    finished: isTerminalRunStatus(run.status),
    tasks,
    total: { ...sum(models), models, unpricedModels: unpricedModels(models) },
  };
}

function sum(rows: readonly UsageTotals[]): UsageTotals {
  return rows.reduce<UsageTotals>((into, row) => addTotals(into, row), emptyTotals());
}

/** Timestamps are stored as UTC without a zone: compare in UTC whatever the session's TimeZone. */
const utc = (d: Date) => Prisma.sql`(${d.toISOString()}::timestamptz AT TIME ZONE 'UTC')`;

interface GroupRow {
  workflow: string;
  task: string | null;
  model: string | null;
  provider: string | null;
  /** 1 when the row sums every task / every model (SQL GROUPING). */
  allTasks: number;
  allModels: number;
  runs: number;
  calls: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number | null;
  unpricedCalls: number;
}

type WithRuns<T> = T & { runs: number };

/**
 * Usage of the project's runs created in [from, to): per workflow (runs with usage, tokens, cost,
 * by model) and per task of each workflow, plus the project's total.
 */
export async function loadUsageByWorkflow(db: PrismaClient, projectId: string, range: { from?: Date; to?: Date }) {
  const from = range.from ? Prisma.sql` AND r."createdAt" >= ${utc(range.from)}` : Prisma.empty;
  const to = range.to ? Prisma.sql` AND r."createdAt" < ${utc(range.to)}` : Prisma.empty;
  const rows = await db.$queryRaw<GroupRow[]>`
    SELECT w.name AS workflow, t."taskName" AS task, u.model,
           CASE WHEN count(DISTINCT u.provider) = 1 AND count(u.provider) = count(*) THEN min(u.provider) END AS provider,
           GROUPING(t."taskName")::int AS "allTasks", GROUPING(u.model)::int AS "allModels",
           count(DISTINCT r.id)::int AS runs,
           count(*)::int AS calls,
           sum(u."inputTokens")::float8 AS "inputTokens",
           sum(u."outputTokens")::float8 AS "outputTokens",
           sum(u."costUsd")::float8 AS "costUsd",
           (count(*) - count(u."costUsd"))::int AS "unpricedCalls"
    FROM "WorkflowRun" r
    JOIN "Workflow" w ON w.id = r."workflowId"
    JOIN "TaskRun" t ON t."workflowRunId" = r.id
    JOIN "TaskRunUsage" u ON u."taskRunId" = t.id
    WHERE r."projectId" = ${projectId}::uuid${from}${to}
    GROUP BY GROUPING SETS ((w.name), (w.name, u.model), (w.name, t."taskName"), (w.name, t."taskName", u.model))`;

  const totals = (r: GroupRow): WithRuns<UsageTotals> => ({
    runs: r.runs,
    calls: r.calls,
    inputTokens: r.inputTokens,
    outputTokens: r.outputTokens,
    costUsd: r.costUsd,
    unpricedCalls: r.unpricedCalls,
  });
  const model = (r: GroupRow): ModelUsage => ({ model: r.model ?? '', provider: r.provider, ...totals(r) });

  type TaskUsage = WithRuns<UsageTotals> & { task: string; models: ModelUsage[] };
  type WorkflowUsage = WithRuns<UsageTotals> & { workflow: string; models: ModelUsage[]; tasks: TaskUsage[] };
  const workflows = new Map<string, WorkflowUsage>();
  const tasks = new Map<string, TaskUsage>();
  const workflowOf = (name: string) => {
    const found = workflows.get(name) ?? { workflow: name, runs: 0, ...emptyTotals(), models: [], tasks: [] };
    workflows.set(name, found);
    return found;
  };
  const taskOf = (workflow: string, name: string) => {
    const key = JSON.stringify([workflow, name]);
    const found = tasks.get(key) ?? { task: name, runs: 0, ...emptyTotals(), models: [] };
    if (!tasks.has(key)) workflowOf(workflow).tasks.push(found);
    tasks.set(key, found);
    return found;
  };
  for (const r of rows) {
    if (r.allTasks > 0 && r.allModels > 0) Object.assign(workflowOf(r.workflow), totals(r));
    else if (r.allTasks > 0) workflowOf(r.workflow).models.push(model(r));
    else if (r.allModels > 0) Object.assign(taskOf(r.workflow, r.task!), totals(r));
    else taskOf(r.workflow, r.task!).models.push(model(r));
  }

  const list = sortByCost([...workflows.values()]);
  for (const w of list) {
    sortByCost(w.models);
    sortByCost(w.tasks);
    for (const t of w.tasks) sortByCost(t.models);
  }
  const models = byModel(list.flatMap((w) => w.models));
  return {
    from: range.from ?? null,
    to: range.to ?? null,
    total: { runs: list.reduce((n, w) => n + w.runs, 0), ...sum(models), models, unpricedModels: unpricedModels(models) },
    workflows: list,
  };
}
