import type { PlaygroundVariable } from '@whetstone/sdk/contract';
import { Prisma, type PrismaClient } from '@/server/db/client';

const MAX_INT = 2_147_483_647;

/** A Json column's value: Prisma stores a JSON null only as `Prisma.JsonNull`. */
export function jsonColumn(value: unknown): Prisma.InputJsonValue | typeof Prisma.JsonNull {
  return value === null || value === undefined ? Prisma.JsonNull : (value as Prisma.InputJsonValue);
}

/** TaskRunVariable rows of one attempt, as the report carries them. */
export function attemptVariableRows(taskRunId: string, attempt: number, variables: readonly PlaygroundVariable[]) {
  return variables.map((v) => ({
    taskRunId,
    attempt,
    name: v.name,
    defaultValue: jsonColumn(v.default),
    value: jsonColumn(v.value),
    overridden: v.overridden,
    file: v.callsite?.file ?? null,
    line: v.callsite?.line ?? null,
    column: v.callsite?.column ?? null,
  }));
}

/**
 * Stores the playground variables an attempt reported, once per (task run, attempt, name): a
 * re-delivered report adds nothing. Then refreshes the task's latest known variables
 * (PlaygroundVariable), unless a newer workflow version already reported them.
 */
export async function recordAttemptVariables(
  prisma: PrismaClient,
  taskRunId: string,
  attempt: number,
  variables: readonly PlaygroundVariable[] | undefined,
): Promise<void> {
  if (!variables?.length || attempt > MAX_INT) return;
  await prisma.taskRunVariable.createMany({ data: attemptVariableRows(taskRunId, attempt, variables), skipDuplicates: true });

  const task = await prisma.taskRun.findUnique({
    where: { id: taskRunId },
    select: { taskName: true, workflowRun: { select: { workflowId: true, workflowVersion: { select: { id: true, version: true } } } } },
  });
  if (!task) return;
  const { workflowId, workflowVersion } = task.workflowRun;
  // A late report of an older version must not bring back its defaults over a newer version's.
  const newer = await prisma.workflowVersion.findMany({
    where: { workflowId, version: { gt: workflowVersion.version } },
    select: { id: true },
  });
  const now = new Date();
  const latest = (v: PlaygroundVariable) => ({
    defaultValue: jsonColumn(v.default),
    file: v.callsite?.file ?? null,
    line: v.callsite?.line ?? null,
    column: v.callsite?.column ?? null,
    versionId: workflowVersion.id,
    lastSeenAt: now,
  });
  await prisma.playgroundVariable.createMany({
    data: variables.map((v) => ({ workflowId, taskName: task.taskName, name: v.name, ...latest(v) })),
    skipDuplicates: true,
  });
  await prisma.$transaction(
    variables.map((v) =>
      prisma.playgroundVariable.updateMany({
        where: { workflowId, taskName: task.taskName, name: v.name, versionId: { notIn: newer.map((n) => n.id) } },
        data: latest(v),
      }),
    ),
  );
}

export interface TaskVariable {
  name: string;
  defaultValue: unknown;
  file: string | null;
  line: number | null;
  column: number | null;
  versionId: string;
  lastSeenAt: Date;
  /** The latest version's runs of this task report variables, and not this one: the code no longer declares it. */
  stale: boolean;
}

/**
 * The latest known playground variables of a workflow task, in source order. A variable is stale
 * when some run of the workflow's latest version reported variables for this task but none
 * reported this one (its row still names an older version). Until the latest version's runs
 * report anything, nothing is stale: the dashboard shows the last known variables.
 */
export async function listTaskVariables(prisma: PrismaClient, workflowId: string, taskName: string): Promise<TaskVariable[]> {
  const [rows, latestVersion] = await Promise.all([
    prisma.playgroundVariable.findMany({
      where: { workflowId, taskName },
      orderBy: [{ file: 'asc' }, { line: 'asc' }, { column: 'asc' }, { name: 'asc' }],
      select: { name: true, defaultValue: true, file: true, line: true, column: true, versionId: true, lastSeenAt: true },
    }),
    prisma.workflowVersion.findFirst({ where: { workflowId }, orderBy: { version: 'desc' }, select: { id: true } }),
  ]);
  if (!rows.length || !latestVersion) return rows.map((row) => ({ ...row, stale: false }));
  const latestReported = await prisma.taskRunVariable.findFirst({
    where: { taskRun: { taskName, workflowRun: { workflowId, workflowVersionId: latestVersion.id } } },
    select: { id: true },
  });
  return rows.map((row) => ({ ...row, stale: latestReported !== null && row.versionId !== latestVersion.id }));
}

/**
 * The variables a playground run of the task may override, with their defaults: the ones the
 * source run's task reported, and the latest known ones of the workflow task (the current code's
 * default wins, since that is what a worker runs now).
 */
export async function knownTaskVariables(
  prisma: PrismaClient,
  workflowId: string,
  sourceRunId: string,
  taskName: string,
): Promise<Map<string, unknown>> {
  const [fromSource, latest] = await Promise.all([
    prisma.taskRunVariable.findMany({
      where: { taskRun: { workflowRunId: sourceRunId, taskName } },
      orderBy: { attempt: 'asc' },
      select: { name: true, defaultValue: true },
    }),
    prisma.playgroundVariable.findMany({ where: { workflowId, taskName }, select: { name: true, defaultValue: true } }),
  ]);
  const known = new Map<string, unknown>();
  for (const v of [...fromSource, ...latest]) known.set(v.name, v.defaultValue);
  return known;
}
