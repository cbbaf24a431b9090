import type { PrismaClient } from '@/server/db/client';
import { runPath } from '@/server/shared/urls';

/** Child runs listed per task on the run page (the oldest, by key); the rest are counted. */
export const MAX_CHILDREN_LISTED = 20;

/**
 * The run page's parent/child links (`runs.get`), within the project: the task run (and run) that
 * spawned this run, and per task of this run the child runs it spawned.
 */
export async function loadChildRunLinks(
  db: PrismaClient,
  project: { id: string; slug: string },
  run: { id: string; parentTaskRunId: string | null },
) {
  const projectId = project.id;
  const [parentTask, counts] = await Promise.all([
    run.parentTaskRunId
      ? db.taskRun.findFirst({
          where: { id: run.parentTaskRunId, workflowRun: { projectId } },
          select: {
            taskName: true,
            workflowRun: { select: { id: true, status: true, createdAt: true, workflow: { select: { name: true } } } },
          },
        })
      : null,
    db.workflowRun.groupBy({
      by: ['parentTaskRunId'],
      where: { projectId, parentTaskRun: { workflowRunId: run.id } },
      _count: { _all: true },
    }),
  ]);
  const listed = await Promise.all(
    counts.map(async (group) => ({
      taskRunId: group.parentTaskRunId!,
      count: group._count._all,
      runs: (
        await db.workflowRun.findMany({
          where: { projectId, parentTaskRunId: group.parentTaskRunId },
          orderBy: { id: 'asc' },
          take: MAX_CHILDREN_LISTED,
          select: { id: true, status: true, createdAt: true, childKey: true, workflow: { select: { name: true } } },
        })
      )
        // Children spawned together are created in any order: list the first ones by key (0, 1, 2, …, 10).
        .sort((a, b) => (a.childKey ?? '').localeCompare(b.childKey ?? '', 'en', { numeric: true })),
    })),
  );
  const byTask = new Map(listed.map((group) => [group.taskRunId, group]));
  return {
    /** A child run: the run and task that spawned it (null when it is not a child, or its parent was deleted). */
    childOf: parentTask
      ? {
          taskName: parentTask.taskName,
          run: {
            id: parentTask.workflowRun.id,
            status: parentTask.workflowRun.status,
            createdAt: parentTask.workflowRun.createdAt,
            workflowName: parentTask.workflowRun.workflow.name,
            path: runPath(project.slug, parentTask.workflowRun.id),
          },
        }
      : null,
    /** The child runs one task run of this run spawned (first MAX_CHILDREN_LISTED) and how many in all. */
    childrenOf(taskRunId: string) {
      const group = byTask.get(taskRunId);
      return {
        childRuns: (group?.runs ?? []).map((child) => ({
          id: child.id,
          status: child.status,
          createdAt: child.createdAt,
          key: child.childKey,
          workflowName: child.workflow.name,
          path: runPath(project.slug, child.id),
        })),
        childRunCount: group?.count ?? 0,
      };
    },
  };
}
