// The durable steps of a task run as the run page shows them (sleep / event / child, result, when).
import type { Prisma } from '@/server/db/client';
import { runPath } from '@/server/shared/urls';

/** Steps returned per task; a durable task with more shows the first ones and the count. */
export const MAX_DURABLE_STEPS_PER_TASK = 200;

/** What to load as each task run's `durableSteps` (and count them in its `_count`). */
export const DURABLE_STEPS_QUERY = {
  orderBy: { index: 'asc' },
  take: MAX_DURABLE_STEPS_PER_TASK,
  select: {
    index: true,
    kind: true,
    wakeAt: true,
    eventKey: true,
    filter: true,
    childRunId: true,
    result: true,
    completedAt: true,
    createdAt: true,
  },
} as const;

type StepRow = Prisma.DurableStepGetPayload<{ select: (typeof DURABLE_STEPS_QUERY)['select'] }>;

/** A task's durable steps, with a link to each child run, and the open step the task waits for (if WAITING). */
export function durableStepsView(projectSlug: string, task: { status: string; durableSteps: StepRow[]; _count: { durableSteps: number } }) {
  const steps = task.durableSteps.map((step) => {
    const result =
      step.result && typeof step.result === 'object' && !Array.isArray(step.result)
        ? (step.result as Record<string, Prisma.JsonValue>)
        : {};
    return {
      index: step.index,
      kind: step.kind,
      wakeAt: step.wakeAt,
      eventKey: step.eventKey,
      filter: step.filter,
      childRunId: step.childRunId,
      childRunPath: step.childRunId ? runPath(projectSlug, step.childRunId) : null,
      /** The event's payload or the child's output (null for a sleep); `error` for a failed child or a closed step. */
      value: result.value ?? null,
      error: typeof result.error === 'string' ? result.error : null,
      createdAt: step.createdAt,
      completedAt: step.completedAt,
    };
  });
  return {
    durableSteps: steps,
    durableStepCount: task._count.durableSteps,
    waitingOn: task.status === 'WAITING' ? (steps.find((s) => s.completedAt === null) ?? null) : null,
  };
}
