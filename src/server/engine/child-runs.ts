// Child runs: runs a task starts (`ctx.runChild`), linked to the task run that spawned them by
// (parentTaskRunId, childKey). The key makes spawning idempotent: a retried attempt asking for the
// same key gets the child the first attempt started.
import type { PrismaClient } from '@/server/db/client';
import { badRequest, notFound } from '@/server/errors';
import { isTerminalTaskStatus, UNFINISHED_RUN_STATUSES } from '@/server/shared/statuses';
import { isUuid } from './ids';

export interface ChildParent {
  taskRunId: string;
  key: string;
}

/** What creating a child run needs to know first. */
export interface ChildRunPlan {
  /** The child the task run already spawned under this key: return it, start nothing. */
  existingRunId?: string;
  /** The parent run's metadata, for a child given none. */
  additionalMetadata?: Record<string, string>;
}

/**
 * Checks the spawning task run (it must be a task run of this project that has not finished) and
 * returns the child it already spawned under this key, if any: asking again for an existing child
 * is answered even when the task has finished since.
 */
export async function planChildRun(prisma: PrismaClient, projectId: string, parent: ChildParent): Promise<ChildRunPlan> {
  const task = isUuid(parent.taskRunId)
    ? await prisma.taskRun.findFirst({
        where: { id: parent.taskRunId, workflowRun: { projectId } },
        select: { status: true, taskName: true, workflowRun: { select: { additionalMetadata: true } } },
      })
    : null;
  if (!task) {
    throw notFound(
      `Parent task run '${parent.taskRunId}' not found in this project: a child run's parent must be a task run of the same project`,
    );
  }
  const existing = await findChildRun(prisma, parent);
  if (existing) return { existingRunId: existing };
  if (isTerminalTaskStatus(task.status)) {
    throw badRequest(
      `Parent task run '${parent.taskRunId}' (task '${task.taskName}') is ${task.status}: a finished task cannot start child runs`,
    );
  }
  return { additionalMetadata: stringMap(task.workflowRun.additionalMetadata) };
}

/** The run a task run spawned under `key`, if any. */
export async function findChildRun(prisma: PrismaClient, parent: ChildParent): Promise<string | undefined> {
  const run = await prisma.workflowRun.findUnique({
    where: { parentTaskRunId_childKey: { parentTaskRunId: parent.taskRunId, childKey: parent.key } },
    select: { id: true },
  });
  return run?.id;
}

/**
 * The unfinished child runs of a run, oldest first: cancelling the run cancels them (cancel.ts). A
 * parent task that fails or times out leaves its children running: only cancelling the run cascades.
 */
export async function openChildRuns(prisma: PrismaClient, projectId: string, runId: string): Promise<string[]> {
  const children = await prisma.workflowRun.findMany({
    where: { projectId, parentTaskRun: { workflowRunId: runId }, status: { in: [...UNFINISHED_RUN_STATUSES] } },
    select: { id: true },
    orderBy: { id: 'asc' },
  });
  return children.map((child) => child.id);
}

/**
 * A child created just as its parent run was cancelled can miss the cancel's cascade (the cascade
 * read the children before this one was committed): checked after the child is stored, the parent
 * run is then seen cancelled, and the child follows it. Returns the reason to cancel the child
 * with (the caller cancels it), or undefined while its parent run is not cancelled.
 */
export async function parentRunCancellation(prisma: PrismaClient, parent: ChildParent): Promise<string | undefined> {
  const task = await prisma.taskRun.findUnique({
    where: { id: parent.taskRunId },
    select: { workflowRun: { select: { id: true, status: true } } },
  });
  if (task?.workflowRun.status !== 'CANCELLED') return undefined;
  return childCancelReason(task.workflowRun.id);
}

/** Why a child run is cancelled with its parent run. */
export function childCancelReason(parentRunId: string): string {
  return `Run was cancelled: its parent run ${parentRunId} was cancelled`;
}

/** additionalMetadata is a string map; anything else stored there is not inherited. */
function stringMap(value: unknown): Record<string, string> | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const entries = Object.entries(value as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string');
  return entries.length ? Object.fromEntries(entries) : undefined;
}
