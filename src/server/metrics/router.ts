import { z } from 'zod';
import { router, viewerProcedure } from '@/server/trpc';
import { loadMetrics } from './query';
import { DEFAULT_METRICS_RANGE, METRICS_RANGES } from './range';

const overviewInput = z.object({
  range: z.enum(METRICS_RANGES).default(DEFAULT_METRICS_RANGE),
  /** Workflow name: its runs, and a breakdown by task. */
  workflow: z.string().min(1).max(200).optional(),
  /** Task name within `workflow`: that task's runs. */
  task: z.string().min(1).max(200).optional(),
});

/** Task names of the workflow's latest version, in definition order (a task without runs in the range can still be picked). */
function taskNames(definition: unknown): string[] {
  const tasks = (definition as { tasks?: Array<{ name?: unknown }> } | null)?.tasks;
  return Array.isArray(tasks) ? tasks.map((t) => t.name).filter((n): n is string => typeof n === 'string') : [];
}

/** Dashboard procedures for the Metrics page. */
export const metricsRouter = router({
  /**
   * Runs per bucket, failure rate and p50/p95 durations over the range, the same for the whole
   * range, and per workflow (or per task of the chosen workflow).
   */
  overview: viewerProcedure.input(overviewInput).query(async ({ ctx, input }) => {
    const [workflows, chosen] = await Promise.all([
      ctx.db.workflow.findMany({ where: { projectId: ctx.project.id }, orderBy: { name: 'asc' }, select: { name: true } }),
      input.workflow
        ? ctx.db.workflow.findUnique({
            where: { projectId_name: { projectId: ctx.project.id, name: input.workflow } },
            select: { id: true, name: true, versions: { orderBy: { version: 'desc' }, take: 1, select: { definition: true } } },
          })
        : null,
    ]);
    const unknownWorkflow = Boolean(input.workflow && !chosen);
    const task = chosen ? input.task : undefined;
    const metrics = await loadMetrics(
      ctx.db,
      // An unknown workflow name matches no runs rather than all of them.
      { projectId: ctx.project.id, workflowId: chosen?.id ?? (unknownWorkflow ? '00000000-0000-0000-0000-000000000000' : undefined), task },
      input.range,
    );
    const tasks = chosen ? taskNames(chosen.versions[0]?.definition) : [];
    for (const row of chosen ? metrics.breakdown : []) if (!tasks.includes(row.name)) tasks.push(row.name);
    // Tasks in definition order (older versions' tasks last), like the workflow's DAG reads.
    const breakdown = chosen ? [...metrics.breakdown].sort((a, b) => tasks.indexOf(a.name) - tasks.indexOf(b.name)) : metrics.breakdown;
    return {
      ...metrics,
      breakdown,
      workflow: chosen?.name ?? null,
      task: task ?? null,
      unknownWorkflow,
      workflows: workflows.map((w) => w.name),
      tasks,
    };
  }),
});
