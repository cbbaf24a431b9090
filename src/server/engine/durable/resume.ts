// Completing a durable step and resuming its task. Both are conditional writes, so the engine
// that handles the wake, the web process that stores the event, a second engine and the recovery
// pass may all try at once: the step completes once and the task is queued once.
import type { DurableStepResult } from '@whetstone/sdk/contract';
import type { Prisma, PrismaClient } from '@/server/db/client';
import type { AdvanceRun } from '@/server/engine/advance-run';
import { failUnrunnableAttempt } from '@/server/engine/attempts';
import { RUN_FOR_JOB_INCLUDE, enqueueAttempt, jobInputs, runForJob, scheduleDeadline } from '@/server/engine/enqueue';
import { definitionOf } from '@/server/engine/task-options';

/**
 * Records the result of an open step (once) and resumes its task. Returns whether this call
 * completed it. `advance` (advanceRun) moves the run on if the resumed task fails (resumeTask).
 */
export async function completeStep(
  prisma: PrismaClient,
  step: { id: string; taskRunId: string },
  result: DurableStepResult,
  advance: AdvanceRun,
  at = new Date(),
): Promise<boolean> {
  const done = await prisma.durableStep.updateMany({
    where: { id: step.id, completedAt: null },
    data: { result: result as Prisma.InputJsonValue, completedAt: at },
  });
  // Also when another caller completed it: it may have died before resuming the task.
  await resumeTask(prisma, step.taskRunId, advance);
  return done.count === 1;
}

/**
 * Queues a WAITING task again (same attempt, a new job carrying every completed step's result)
 * once none of its steps is open. The claim is one statement, so it cannot interleave with a
 * suspension recording a new step; only the caller whose claim succeeds adds the job, and a crash
 * after the claim leaves a QUEUED task without a job, which recovery re-adds. If its rate limits
 * refuse the attempt for good, the task fails and `advance` moves its run on.
 */
export async function resumeTask(prisma: PrismaClient, taskRunId: string, advance: AdvanceRun): Promise<boolean> {
  const task = await prisma.taskRun.findUnique({ where: { id: taskRunId }, include: { workflowRun: { include: RUN_FOR_JOB_INCLUDE } } });
  if (!task || task.status !== 'WAITING') return false;
  const run = task.workflowRun;
  const deadline = scheduleDeadline(definitionOf(run.workflowVersion), task.taskName);
  const claimed = await prisma.$executeRaw`
    update "TaskRun" t
    set status = 'QUEUED', "waitingFor" = null, "queuedAt" = ${new Date()}, "scheduleDeadline" = ${deadline}
    where t.id = ${taskRunId}::uuid and t.status = 'WAITING' and t.attempts = ${task.attempts}
      and not exists (select 1 from "DurableStep" s where s."taskRunId" = t.id and s."completedAt" is null)
      and exists (select 1 from "WorkflowRun" r where r.id = t."workflowRunId" and r.status in ('QUEUED', 'RUNNING'))`;
  if (claimed !== 1) return false;
  // `requeue`: the attempt already holds its rate-limit units; a resume reserves none again.
  const refusal = await enqueueAttempt(prisma, runForJob(run), task, task.attempts, { ...jobInputs(run, task), requeue: true });
  if (refusal) await failUnrunnableAttempt(prisma, task.id, task.attempts, refusal, advance);
  return true;
}
