// The recovery pass's share for durable tasks: wakes whatever a lost wake job, a dead engine or a
// missed notification left waiting. Every repair goes through completeStep/resumeTask, which are
// conditional, so several engines may run it at once.
import type { PrismaClient } from '@/server/db/client';
import { advanceRun } from '@/server/engine/advance';
import { completeFinishedChildSteps } from './child-steps';
import { completeMissedEventSteps } from './event-steps';
import { completeStep, resumeTask } from './resume';

const BATCH = 500;

export interface DurableRecoveryReport {
  /** Sleeps past their wake time (plus the grace) whose wake job never came. */
  sleeps: number;
  /** Waits for events that were stored but never delivered to them. */
  events: number;
  /** Waits for child runs that finished without the step completing. */
  children: number;
  /** Tasks whose steps all completed but that were never queued again. */
  resumed: number;
}

export async function recoverDurableTasks(prisma: PrismaClient, before: Date): Promise<DurableRecoveryReport> {
  const report: DurableRecoveryReport = { sleeps: 0, events: 0, children: 0, resumed: 0 };
  const overdue = await prisma.durableStep.findMany({
    where: { kind: 'SLEEP', completedAt: null, wakeAt: { lt: before }, taskRun: { status: 'WAITING' } },
    select: { id: true, taskRunId: true },
    orderBy: { wakeAt: 'asc' },
    take: BATCH,
  });
  for (const step of overdue) {
    if (await completeStep(prisma, step, { value: null }, advanceRun)) report.sleeps++;
  }
  report.events = await completeMissedEventSteps(prisma, before);
  report.children = await completeFinishedChildSteps(prisma, before, advanceRun);
  for (const task of await waitingWithoutOpenStep(prisma)) {
    if (await resumeTask(prisma, task.id, advanceRun)) report.resumed++;
  }
  return report;
}

/** WAITING tasks of unfinished runs with no open step: an engine completed their step and died before queuing them. */
function waitingWithoutOpenStep(prisma: PrismaClient): Promise<{ id: string }[]> {
  return prisma.$queryRaw<{ id: string }[]>`
    select t.id from "TaskRun" t
    join "WorkflowRun" r on r.id = t."workflowRunId" and r.status in ('QUEUED', 'RUNNING')
    where t.status = 'WAITING'
      and not exists (select 1 from "DurableStep" s where s."taskRunId" = t.id and s."completedAt" is null)
    limit ${BATCH}`;
}
