// "Try on more runs": one set of playground values over many earlier runs of a workflow.
import type { Prisma, PrismaClient } from '@/server/db/client';
import { badRequest, DomainError, notFound } from '@/server/errors';
import { isUuid } from '@/server/engine/ids';
import { startPlaygroundRuns, type PlaygroundMode } from '@/server/playground/runs';
import { listTaskVariables } from '@/server/engine/playground-variables';
import { matchingRunIds, type RunListFilter } from '@/server/runs/list-query';
import { MAX_WHAT_IF_RUNS } from '@/server/shared/limits';
import type { ReportRule } from './checks';

/** Rows started at once: each is a few queries and a queue add. */
const START_CONCURRENCY = 4;

export interface WhatIfRequest {
  /** The playground's source run: it names the workflow, and its task's variables are the reference for warnings. */
  sourceRunId: string;
  taskName: string;
  mode: PlaygroundMode;
  overrides: Record<string, unknown>;
  /** The runs to try it on: the runs-list filter (the workflow is forced to this one), or ids picked by hand. */
  sources: { filter: Omit<RunListFilter, 'workflow'> } | { runIds: string[] };
  rules: ReportRule[];
  /** Start even though the code changed since (the warnings were shown and accepted). */
  confirmWarnings?: boolean;
  createdById?: string;
}

export interface WhatIfWarning {
  kind: 'stale' | 'moved' | 'skipped';
  message: string;
  runId?: string;
}

export type WhatIfStarted =
  { started: true; reportId: string; rows: number; skipped: WhatIfWarning[] } | { started: false; warnings: WhatIfWarning[] };

export async function startWhatIf(prisma: PrismaClient, projectId: string, req: WhatIfRequest): Promise<WhatIfStarted> {
  if (!isUuid(req.sourceRunId)) throw notFound(`Run '${req.sourceRunId}' not found`);
  const source = await prisma.workflowRun.findFirst({
    where: { id: req.sourceRunId, projectId },
    select: { id: true, workflowId: true, workflow: { select: { name: true } } },
  });
  if (!source) throw notFound(`Run '${req.sourceRunId}' not found`);
  const workflow = source.workflow.name;

  const sourceIds = await resolveSources(prisma, projectId, source.workflowId, workflow, req.sources);
  if (!sourceIds.length) throw badRequest(`No run of '${workflow}' matches: nothing to try the values on`);

  const warnings = await codeChangeWarnings(prisma, source.workflowId, source.id, req.taskName, Object.keys(req.overrides));
  if (warnings.length && !req.confirmWarnings) return { started: false, warnings };

  const report = await prisma.whatIfReport.create({
    data: {
      projectId,
      workflowId: source.workflowId,
      taskName: req.taskName,
      mode: req.mode,
      overrides: req.overrides as Prisma.InputJsonValue,
      filter: 'filter' in req.sources ? (req.sources.filter as Prisma.InputJsonValue) : undefined,
      rules: req.rules as unknown as Prisma.InputJsonValue,
      warnings: warnings as unknown as Prisma.InputJsonValue,
      createdById: req.createdById,
    },
    select: { id: true },
  });

  const skipped: WhatIfWarning[] = [];
  let started = 0;
  let next = 0;
  const lane = async () => {
    while (next < sourceIds.length) {
      const runId = sourceIds[next++]!;
      try {
        await startPlaygroundRuns(prisma, projectId, {
          sourceRunId: runId,
          taskName: req.taskName,
          mode: req.mode,
          variants: [{ overrides: req.overrides }],
          createdById: req.createdById,
          reportId: report.id,
        });
        started++;
      } catch (err) {
        // One source that cannot take it (its parent task failed, say) is listed; the others go on.
        if (!(err instanceof DomainError)) throw err;
        skipped.push({ kind: 'skipped', runId, message: err.message });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(START_CONCURRENCY, sourceIds.length) }, lane));
  await prisma.whatIfReport.update({
    where: { id: report.id },
    data: {
      rowsStartedAt: new Date(),
      ...(skipped.length ? { warnings: [...warnings, ...skipped] as unknown as Prisma.InputJsonValue } : {}),
      ...(started === 0 ? { status: 'FINISHED', finishedAt: new Date() } : {}),
    },
  });
  return { started: true, reportId: report.id, rows: started, skipped };
}

async function resolveSources(
  prisma: PrismaClient,
  projectId: string,
  workflowId: string,
  workflow: string,
  sources: WhatIfRequest['sources'],
): Promise<string[]> {
  if ('runIds' in sources) {
    const ids = [...new Set(sources.runIds)];
    if (ids.length > MAX_WHAT_IF_RUNS) throw badRequest(`A what-if takes at most ${MAX_WHAT_IF_RUNS} runs; ${ids.length} were picked`);
    const found = await prisma.workflowRun.findMany({
      where: { id: { in: ids.filter(isUuid) }, projectId },
      select: { id: true, workflowId: true },
    });
    const byId = new Map(found.map((r) => [r.id, r]));
    for (const id of ids) {
      const run = byId.get(id);
      if (!run) throw notFound(`Run '${id}' not found`);
      if (run.workflowId !== workflowId) throw badRequest(`Run '${id}' is not a run of '${workflow}'`);
    }
    return ids;
  }
  // Playground runs are experiments, not production runs to learn from.
  const filter: RunListFilter = {
    ...sources.filter,
    workflow,
    trigger: sources.filter.trigger === 'PLAYGROUND' || sources.filter.trigger === 'ALL' ? undefined : sources.filter.trigger,
  };
  const ids = await matchingRunIds(prisma, projectId, filter, MAX_WHAT_IF_RUNS + 1);
  if (ids.length > MAX_WHAT_IF_RUNS)
    throw badRequest(`More than ${MAX_WHAT_IF_RUNS} runs match: narrow the filter (a what-if takes at most ${MAX_WHAT_IF_RUNS})`);
  return ids;
}

/**
 * Variables whose code changed since the source run: one the current code no longer exposes
 * (stale), or whose call site is not where the source run recorded it (moved).
 */
async function codeChangeWarnings(
  prisma: PrismaClient,
  workflowId: string,
  sourceRunId: string,
  taskName: string,
  names: readonly string[],
): Promise<WhatIfWarning[]> {
  const [latest, recorded] = await Promise.all([
    listTaskVariables(prisma, workflowId, taskName),
    prisma.taskRunVariable.findMany({
      where: { taskRun: { workflowRunId: sourceRunId, taskName }, name: { in: [...names] } },
      orderBy: { attempt: 'desc' },
      distinct: ['name'],
      select: { name: true, file: true, line: true, column: true },
    }),
  ]);
  const warnings: WhatIfWarning[] = [];
  for (const name of names) {
    const now = latest.find((v) => v.name === name);
    if (!now || now.stale) {
      warnings.push({ kind: 'stale', message: `'${name}' is no longer exposed by the current code of task '${taskName}'` });
      continue;
    }
    const then = recorded.find((v) => v.name === name);
    if (then?.file && (then.file !== now.file || then.line !== now.line)) {
      warnings.push({
        kind: 'moved',
        message: `'${name}' moved from ${then.file}:${then.line} to ${now.file}:${now.line} since the source run`,
      });
    }
  }
  return warnings;
}
