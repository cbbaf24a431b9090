// Child runs: runs a task starts (`ctx.runChild`), linked to the task run that spawned them by
// (parentTaskRunId, childKey). The key makes spawning idempotent: a retried attempt asking for the
// same key gets the child the first attempt started.
import type { PrismaClient } from '../db/client';
import { cancelRun } from './cancel';
import { badRequest, notFound } from '../errors';
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

const FINISHED_TASK: readonly string[] = ['SUCCEEDED', 'FAILED', 'CANCELLED', 'SKIPPED'];
const OPEN_RUN = ['QUEUED', 'RUNNING'] as const;
/** Child runs cancelled at once when their parent run is cancelled. */
const CASCADE_PARALLELISM = 8;

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
    throw notFound(`Parent task run '${parent.taskRunId}' not found in this project: a child run's parent must be a task run of the same project`);
  }
  const existing = await findChildRun(prisma, parent);
  if (existing) return { existingRunId: existing };
  if (FINISHED_TASK.includes(task.status)) {
    throw badRequest(`Parent task run '${parent.taskRunId}' (task '${task.taskName}') is ${task.status}: a finished task cannot start child runs`);
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
 * Cancels the unfinished child runs of a cancelled run (and, through cancelRun, theirs). A parent
 * task that fails or times out leaves its children running: only cancelling the run cascades.
 */
export async function cancelChildRuns(prisma: PrismaClient, projectId: string, runId: string): Promise<void> {
  const children = await prisma.workflowRun.findMany({
    where: { projectId, parentTaskRun: { workflowRunId: runId }, status: { in: [...OPEN_RUN] } },
    select: { id: true },
    orderBy: { id: 'asc' },
  });
  const reason = `Run was cancelled: its parent run ${runId} was cancelled`;
  for (let i = 0; i < children.length; i += CASCADE_PARALLELISM) {
    const results = await Promise.allSettled(children.slice(i, i + CASCADE_PARALLELISM).map((child) => cancelRun(prisma, projectId, child.id, { reason })));
    // The parent is cancelled already; a child that could not be cancelled now is said, not thrown.
    for (const result of results) {
      if (result.status === 'rejected') console.error(`[engine] cancelling a child run of ${runId} failed:`, result.reason);
    }
  }
}

/**
 * A child created just as its parent run was cancelled can miss the cancel's cascade (the cascade
 * read the children before this one was committed): checked after the child is stored, the parent
 * run is then seen cancelled, and the child follows it.
 */
export async function cancelIfParentRunCancelled(prisma: PrismaClient, projectId: string, childRunId: string, parent: ChildParent): Promise<void> {
  const task = await prisma.taskRun.findUnique({ where: { id: parent.taskRunId }, select: { workflowRun: { select: { id: true, status: true } } } });
  if (task?.workflowRun.status !== 'CANCELLED') return;
  await cancelRun(prisma, projectId, childRunId, { reason: `Run was cancelled: its parent run ${task.workflowRun.id} was cancelled` });
}

/** additionalMetadata is a string map; anything else stored there is not inherited. */
function stringMap(value: unknown): Record<string, string> | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const entries = Object.entries(value as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string');
  return entries.length ? Object.fromEntries(entries) : undefined;
}
