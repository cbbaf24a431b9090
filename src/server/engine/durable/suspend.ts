// A durable task suspended at a step (`task.suspended`): record the step, set the task WAITING
// (it holds no worker slot; its attempt stays open, a suspension is not a failure) and arrange the
// wake. A report delivered twice, or applied by two engines at once, records one step and one wake.
import type { DurableStepReport, WorkerReport } from '@whetstone/sdk/contract';
import type { DurableStepKind, Prisma, PrismaClient } from '@/server/db/client';
import { advanceRun } from '@/server/engine/advance';
import { settleFailedAttempt } from '@/server/engine/attempts';
import { definitionOf } from '@/server/engine/task-options';
import { DISPATCHED_TASK_STATUSES } from '@/server/shared/statuses';
import { finishedChildResult } from './child-steps';
import { firstMatchingEvent } from './event-steps';
import { countCompletedSteps, isDurableTask } from './job';
import { completeStep } from './resume';
import { armSleep } from './sleep-wakes';
import { recordSuspendedSliceUsage } from './slice-usage';

export type SuspendedReport = Extract<WorkerReport, { type: 'task.suspended' }>;

const KIND: Record<DurableStepReport['kind'], DurableStepKind> = { sleep: 'SLEEP', event: 'EVENT', child: 'CHILD' };

interface RecordedStep {
  id: string;
  taskRunId: string;
  kind: DurableStepKind;
  wakeAt: Date | null;
  childRunId: string | null;
}

/** Applies a suspension of the task's current attempt (the caller checked the attempt and the project). */
export async function applySuspension(prisma: PrismaClient, projectId: string, report: SuspendedReport): Promise<void> {
  const task = await prisma.taskRun.findUnique({
    where: { id: report.taskRunId },
    select: { id: true, taskName: true, workflowRun: { select: { workflowVersion: { select: { id: true, definition: true } } } } },
  });
  if (!task) return;
  if (!isDurableTask(definitionOf(task.workflowRun.workflowVersion), task.taskName)) {
    console.warn(
      `[durable] ignored a suspension of task run ${task.id} ('${task.taskName}'): the task is not durable (worker ${report.workerId})`,
    );
    return;
  }
  // Steps complete in order, so an execution resumed after n completed steps suspends at step n.
  const completed = await countCompletedSteps(prisma, task.id);
  if (report.step.index !== completed) {
    if (report.step.index > completed) {
      console.warn(
        `[durable] ignored a suspension of task run ${task.id} at step ${report.step.index}: only ${completed} step(s) completed`,
      );
    }
    return; // else a late report of an earlier execution
  }
  const problem = await stepProblem(prisma, projectId, task.id, report.step);
  if (problem) {
    const at = new Date();
    await settleFailedAttempt(prisma, task.id, report.attempt, { kind: 'non-retryable', error: problem }, { finishedAt: at }, advanceRun);
    return;
  }
  const step = await recordStep(prisma, report);
  if (step) await armStep(prisma, projectId, step);
}

/** Why a step cannot be waited for, or null. A child must be a run of this project spawned by this task. */
async function stepProblem(prisma: PrismaClient, projectId: string, taskRunId: string, step: DurableStepReport): Promise<string | null> {
  if (step.kind !== 'child') return null;
  const child = await prisma.workflowRun.findFirst({ where: { id: step.childRunId, projectId }, select: { parentTaskRunId: true } });
  if (!child) return `DurableStepError: step ${step.index} waits for child run ${step.childRunId}, which does not exist in this project`;
  if (child.parentTaskRunId !== taskRunId)
    return `DurableStepError: step ${step.index} waits for run ${step.childRunId}, which is not a child of this task run`;
  return null;
}

/**
 * In one transaction: the step (unless this index was recorded before) and the task's move to
 * WAITING. Returns the step to arm: also when a re-delivered report finds both already done, since
 * the first delivery may have died before arming it. Null for a report that no longer applies.
 */
async function recordStep(prisma: PrismaClient, report: SuspendedReport): Promise<RecordedStep | null> {
  const { taskRunId, attempt, step } = report;
  const reported = new Date(report.at);
  // The step counts events from when it was called; a worker clock ahead of ours must not skip any.
  const calledAt = Number.isNaN(reported.getTime()) ? new Date() : new Date(Math.min(reported.getTime(), Date.now()));
  return prisma.$transaction(async (tx) => {
    const existing = await tx.durableStep.findUnique({
      where: { taskRunId_index: { taskRunId, index: step.index } },
      select: RECORDED_SELECT,
    });
    if (existing?.completedAt) return null;
    const moved = await tx.taskRun.updateMany({
      where: { id: taskRunId, attempts: attempt, status: { in: [...DISPATCHED_TASK_STATUSES] } },
      data: { status: 'WAITING', waitingFor: KIND[step.kind] },
    });
    if (moved.count !== 1) {
      const task = await tx.taskRun.findUnique({ where: { id: taskRunId }, select: { status: true, attempts: true } });
      return existing && task?.status === 'WAITING' && task.attempts === attempt ? existing : null;
    }
    if (existing) return existing;
    const created = await tx.durableStep.create({
      data: { taskRunId, index: step.index, kind: KIND[step.kind], createdAt: calledAt, ...stepColumns(step) },
      select: RECORDED_SELECT,
    });
    await recordSuspendedSliceUsage(tx, taskRunId, attempt, report.usage, calledAt);
    return created;
  });
}

const RECORDED_SELECT = { id: true, taskRunId: true, kind: true, wakeAt: true, childRunId: true, completedAt: true } as const;

function stepColumns(step: DurableStepReport): Partial<Prisma.DurableStepUncheckedCreateInput> {
  switch (step.kind) {
    case 'sleep':
      return { wakeAt: new Date(step.wakeAt) };
    case 'event':
      return { eventKey: step.key, ...(step.filter ? { filter: step.filter as Prisma.InputJsonValue } : {}) };
    case 'child':
      return { childRunId: step.childRunId };
  }
}

/** Completes the step now if it already can (a past wake time, an event already stored, a finished child), else schedules its wake. */
async function armStep(prisma: PrismaClient, projectId: string, step: RecordedStep): Promise<void> {
  if (step.kind === 'SLEEP') {
    const wakeAt = step.wakeAt ?? new Date();
    if (wakeAt.getTime() <= Date.now()) {
      await completeStep(prisma, step, { value: null }, advanceRun);
      return;
    }
    // If the queue is unreachable, the recovery pass wakes the sleep once it is overdue.
    await armSleep(projectId, { id: step.id, wakeAt }).catch((err: unknown) =>
      console.error(`[durable] could not schedule the wake of step ${step.id} (recovery will wake it): ${(err as Error).message}`),
    );
    return;
  }
  if (step.kind === 'EVENT') {
    const event = await firstMatchingEvent(prisma, step.id);
    if (event) await completeStep(prisma, step, { value: event.payload }, advanceRun);
    return;
  }
  const result = step.childRunId ? await finishedChildResult(prisma, step.childRunId) : null;
  if (result) await completeStep(prisma, step, result, advanceRun);
}
