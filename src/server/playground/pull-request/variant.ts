// A playground variant as a pull request needs it: its task's result, the source run's, and the
// variables whose value differs from the default in code, with their call sites.
import type { Prisma, PrismaClient } from '@/server/db/client';
import { isUuid } from '@/server/engine/ids';
import { sameJson, type Json } from '@/server/playground/rewrite/json-value';
import { badRequest, notFound, precondition } from '@/server/errors';
import { sourceRelativePath } from './paths';

export interface VariantVariable {
  name: string;
  /** Relative to the worker's source root. */
  file: string;
  line: number;
  column?: number;
  defaultValue: unknown;
  value: unknown;
}

export interface Variant {
  /** The PlaygroundRun's id. */
  id: string;
  /** The variant's own run. */
  runId: string;
  sourceRunId: string;
  /** 0-based position in its batch. */
  variant: number;
  taskName: string;
  workflowId: string;
  workflowName: string;
  sourceOutput: Prisma.JsonValue | null;
  variantOutput: Prisma.JsonValue | null;
  /** Only the variables whose value differs from their default; never empty. */
  variables: VariantVariable[];
}

/**
 * The variant `id` (a PlaygroundRun id, or the id of the variant's run) of the project. Its task
 * must have succeeded, and it must override at least one default with another value.
 */
export async function loadVariant(prisma: PrismaClient, projectId: string, id: string): Promise<Variant> {
  const missing = notFound(`Playground variant ${id} not found in this project`);
  if (!isUuid(id)) throw missing;
  const pg = await prisma.playgroundRun.findFirst({
    where: { projectId, OR: [{ id }, { runId: id }] },
    select: {
      id: true,
      runId: true,
      sourceRunId: true,
      variant: true,
      taskName: true,
      run: { select: { workflowId: true, workflow: { select: { name: true } } } },
    },
  });
  if (!pg) throw missing;
  const label = `Variant ${pg.variant + 1} (run ${pg.runId})`;
  const [task, source] = await Promise.all([
    prisma.taskRun.findUnique({
      where: { workflowRunId_taskName: { workflowRunId: pg.runId, taskName: pg.taskName } },
      select: { status: true, output: true, variables: { orderBy: [{ attempt: 'desc' }, { name: 'asc' }] } },
    }),
    prisma.taskRun.findUnique({
      where: { workflowRunId_taskName: { workflowRunId: pg.sourceRunId, taskName: pg.taskName } },
      select: { output: true },
    }),
  ]);
  if (!task) throw precondition(`${label} has no task '${pg.taskName}' yet`);
  if (task.status !== 'SUCCEEDED') {
    throw precondition(
      `${label}: task '${pg.taskName}' is ${task.status.toLowerCase()}; a pull request can only be opened from a variant that succeeded`,
    );
  }
  const lastAttempt = task.variables[0]?.attempt;
  const changed = task.variables.filter(
    (v) => v.attempt === lastAttempt && v.overridden && !sameJson(v.value as Json, v.defaultValue as Json),
  );
  if (!changed.length)
    throw badRequest(`${label} uses the default in code for every playground variable of '${pg.taskName}': there is nothing to change`);
  const variables = changed.map((v): VariantVariable => {
    if (!v.file || v.line === null) {
      throw badRequest(
        `Variable '${v.name}' has no recorded call site: the worker did not report where ctx.playground('${v.name}', …) is in its source (update @whetstone/sdk; compiled code needs source maps)`,
      );
    }
    return {
      name: v.name,
      file: sourceRelativePath(v.file, v.name),
      line: v.line,
      column: v.column ?? undefined,
      defaultValue: v.defaultValue,
      value: v.value,
    };
  });
  return {
    id: pg.id,
    runId: pg.runId,
    sourceRunId: pg.sourceRunId,
    variant: pg.variant,
    taskName: pg.taskName,
    workflowId: pg.run.workflowId,
    workflowName: pg.run.workflow.name,
    sourceOutput: source?.output ?? null,
    variantOutput: task.output,
    variables,
  };
}
