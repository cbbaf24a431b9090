// `ctx.waitForEvent(key, filter)`: an EVENT step completes with the payload of the first event of
// its project pushed with that key at or after the step was called, whose payload contains the
// filter (Postgres `@>`). Both sides look for the other after writing their own row (the event
// when it is stored, the step when it is recorded), so one of them always sees the other.
import type { Prisma, PrismaClient } from '@/server/db/client';
import { advanceRun } from '@/server/engine/advance';
import { completeStep } from './resume';

const BATCH = 500;

/** Completes the open EVENT steps a stored event satisfies. Safe to repeat (recovery re-processes unprocessed events). */
export async function completeEventSteps(prisma: PrismaClient, eventId: string): Promise<number> {
  const matches = await prisma.$queryRaw<{ id: string; taskRunId: string; payload: Prisma.JsonValue }[]>`
    select s.id, s."taskRunId", e.payload
    from "Event" e
    join "DurableStep" s on s.kind = 'EVENT' and s."completedAt" is null and s."eventKey" = e.key
      and s."createdAt" <= e."createdAt" and (s.filter is null or e.payload @> s.filter)
    join "TaskRun" t on t.id = s."taskRunId" and t.status = 'WAITING'
    join "WorkflowRun" r on r.id = t."workflowRunId" and r."projectId" = e."projectId"
    where e.id = ${eventId}::uuid
    limit ${BATCH}`;
  let completed = 0;
  for (const match of matches) {
    if (await completeStep(prisma, match, { value: match.payload }, advanceRun)) completed++;
  }
  return completed;
}

/** The payload of the first stored event that satisfies an EVENT step, if any. */
export async function firstMatchingEvent(prisma: PrismaClient, stepId: string): Promise<{ payload: Prisma.JsonValue } | undefined> {
  const rows = await prisma.$queryRaw<{ payload: Prisma.JsonValue }[]>`
    select e.payload
    from "DurableStep" s
    join "TaskRun" t on t.id = s."taskRunId"
    join "WorkflowRun" r on r.id = t."workflowRunId"
    join "Event" e on e."projectId" = r."projectId" and e.key = s."eventKey" and e."createdAt" >= s."createdAt"
      and (s.filter is null or e.payload @> s.filter)
    where s.id = ${stepId}::uuid and s.kind = 'EVENT'
    order by e."createdAt" asc, e.id asc
    limit 1`;
  return rows[0];
}

/** Open EVENT steps (recorded before `before`) whose event was stored but never delivered to them; completes them. */
export async function completeMissedEventSteps(prisma: PrismaClient, before: Date): Promise<number> {
  const matches = await prisma.$queryRaw<{ id: string; taskRunId: string; payload: Prisma.JsonValue }[]>`
    select s.id, s."taskRunId", m.payload
    from "DurableStep" s
    join "TaskRun" t on t.id = s."taskRunId" and t.status = 'WAITING'
    join "WorkflowRun" r on r.id = t."workflowRunId" and r.status in ('QUEUED', 'RUNNING')
    cross join lateral (
      select e.payload from "Event" e
      where e."projectId" = r."projectId" and e.key = s."eventKey" and e."createdAt" >= s."createdAt"
        and (s.filter is null or e.payload @> s.filter)
      order by e."createdAt" asc, e.id asc
      limit 1
    ) m
    where s.kind = 'EVENT' and s."completedAt" is null and s."createdAt" < ${before}
    limit ${BATCH}`;
  let completed = 0;
  for (const match of matches) {
    if (await completeStep(prisma, match, { value: match.payload }, advanceRun)) completed++;
  }
  return completed;
}
