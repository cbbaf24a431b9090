// What a durable task's job carries and is called: the results of its completed steps, and a job
// id per resume. Its steps complete in order, so while the task is QUEUED or RUNNING the number of
// completed steps says which resume its current job is.
import { taskJobId, type DurableResults, type WorkflowDefinition } from '@whetstone/sdk/contract';
import type { PrismaClient } from '@/server/db/client';

/** The BullMQ job id of an attempt's execution after `completedSteps` steps (a resume is a new job of the same attempt). */
export function durableJobId(taskRunId: string, attempt: number, completedSteps: number): string {
  const base = taskJobId(taskRunId, attempt);
  return completedSteps > 0 ? `${base}-r${completedSteps}` : base;
}

export function isDurableTask(definition: WorkflowDefinition, taskName: string): boolean {
  return definition.tasks.some((t) => t.name === taskName && t.durable === true);
}

/** The recorded results of a task's completed steps, by index, and how many there are. */
export async function completedStepResults(prisma: PrismaClient, taskRunId: string): Promise<{ results: DurableResults; count: number }> {
  const steps = await prisma.durableStep.findMany({
    where: { taskRunId, completedAt: { not: null } },
    select: { index: true, result: true },
    orderBy: { index: 'asc' },
  });
  const results: DurableResults = {};
  for (const step of steps) results[String(step.index)] = asStepResult(step.result);
  return { results, count: steps.length };
}

/** A stored result, read defensively: anything but `{ error }` is a value. */
export function asStepResult(stored: unknown): DurableResults[string] {
  if (stored && typeof stored === 'object' && !Array.isArray(stored)) {
    const record = stored as Record<string, unknown>;
    if (typeof record.error === 'string') return { error: record.error };
    if ('value' in record) return { value: record.value ?? null };
  }
  return { value: null };
}

/** How many steps of the task have completed (the suffix of its current job's id). */
export function countCompletedSteps(prisma: PrismaClient, taskRunId: string): Promise<number> {
  return prisma.durableStep.count({ where: { taskRunId, completedAt: { not: null } } });
}
