// `ctx.spawnChild(workflow, input)`: a CHILD step completes when its child run finishes, with the
// child's output, or with its error when it failed or was cancelled (the task's call throws it).
import type { DurableStepResult } from '@whetstone/sdk/contract';
import type { Prisma, PrismaClient } from '@/server/db/client';
import type { AdvanceRun } from '@/server/engine/advance-run';
import { completeStep } from './resume';

const BATCH = 500;

interface ChildRun {
  id: string;
  status: string;
  output: Prisma.JsonValue;
  error: string | null;
  workflow: { name: string };
}

const CHILD_SELECT = { id: true, status: true, output: true, error: true, workflow: { select: { name: true } } } as const;

/** The step result a finished child run gives, or null while it is not finished. */
export function childStepResult(child: ChildRun): DurableStepResult | null {
  if (child.status === 'SUCCEEDED') return { value: child.output ?? null };
  if (child.status === 'FAILED' || child.status === 'CANCELLED') {
    return {
      error: `Child run ${child.id} of '${child.workflow.name}' ${child.status.toLowerCase()}: ${child.error ?? 'no error recorded'}`,
    };
  }
  return null;
}

/** After a run finished: completes the CHILD steps waiting for it (`advance`: see completeStep). */
export async function completeChildSteps(prisma: PrismaClient, childRunId: string, advance: AdvanceRun): Promise<number> {
  const steps = await prisma.durableStep.findMany({
    where: { childRunId, kind: 'CHILD', completedAt: null },
    select: { id: true, taskRunId: true },
  });
  if (!steps.length) return 0;
  const child = await prisma.workflowRun.findUnique({ where: { id: childRunId }, select: CHILD_SELECT });
  const result = child && childStepResult(child);
  if (!result) return 0;
  let completed = 0;
  for (const step of steps) {
    if (await completeStep(prisma, step, result, advance)) completed++;
  }
  return completed;
}

/** The result of a CHILD step whose child already finished (checked when the step is recorded). */
export async function finishedChildResult(prisma: PrismaClient, childRunId: string): Promise<DurableStepResult | null> {
  const child = await prisma.workflowRun.findUnique({ where: { id: childRunId }, select: CHILD_SELECT });
  return child ? childStepResult(child) : null;
}

/** Open CHILD steps whose child finished before `before` but were never completed (an engine died in between). */
export async function completeFinishedChildSteps(prisma: PrismaClient, before: Date, advance: AdvanceRun): Promise<number> {
  const steps = await prisma.$queryRaw<{ id: string; taskRunId: string; childRunId: string }[]>`
    select s.id, s."taskRunId", s."childRunId"
    from "DurableStep" s
    join "TaskRun" t on t.id = s."taskRunId" and t.status = 'WAITING'
    join "WorkflowRun" c on c.id = s."childRunId" and c.status in ('SUCCEEDED', 'FAILED', 'CANCELLED') and c."finishedAt" < ${before}
    where s.kind = 'CHILD' and s."completedAt" is null
    limit ${BATCH}`;
  if (!steps.length) return 0;
  const finished = await prisma.workflowRun.findMany({
    where: { id: { in: [...new Set(steps.map((s) => s.childRunId))] } },
    select: CHILD_SELECT,
  });
  const byId = new Map(finished.map((c) => [c.id, c]));
  let completed = 0;
  for (const step of steps) {
    const child = byId.get(step.childRunId);
    const result = child && childStepResult(child);
    if (result && (await completeStep(prisma, step, result, advance))) completed++;
  }
  return completed;
}
