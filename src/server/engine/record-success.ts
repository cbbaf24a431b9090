import type { DeclaredCheckResult } from '@whetstone/sdk/contract';
import type { PrismaClient } from '../db';

export interface AttemptSuccess {
  taskRunId: string;
  attempt: number;
  output: unknown;
  /** The task's declared output checks, as the worker evaluated them on this output. */
  checks?: readonly DeclaredCheckResult[];
  startedAt: Date;
  finishedAt: Date;
  /** Who ran the attempt (null: unknown worker). */
  attemptWorkerId: string | null;
  /** The task's worker: the one recorded at its start, else the attempt's. */
  taskWorkerId: string | null;
}

/**
 * Closes the attempt as SUCCEEDED and gives the task its output, both or neither, in one
 * statement (one round trip instead of a five-step transaction: this is the engine's hottest write).
 *
 * - The attempt row is created if the process that queued it died before writing it; its id is
 *   then a random uuid (Prisma makes v7 ids in the client, Postgres 15 has no v7 function).
 * - The task takes the output only while it is on this attempt, still open, and the attempt is
 *   SUCCEEDED (now, or by an earlier delivery of this report), so an attempt closed otherwise
 *   (LOST) stays without a result and a duplicated report changes nothing.
 *
 * Returns the task's run id if the task moved to SUCCEEDED, else null.
 */
export async function recordAttemptSuccess(prisma: PrismaClient, s: AttemptSuccess): Promise<string | null> {
  const output = JSON.stringify(s.output ?? null);
  const checks = s.checks?.length ? JSON.stringify(s.checks) : null;
  const rows = await prisma.$queryRaw<{ workflowRunId: string }[]>`
    with closed as (
      insert into "TaskRunAttempt" as a (id, "taskRunId", attempt, status, "workerId", "startedAt", "finishedAt")
      values (gen_random_uuid(), ${s.taskRunId}::uuid, ${s.attempt}::int, 'SUCCEEDED', ${s.attemptWorkerId}::uuid, ${s.startedAt}, ${s.finishedAt})
      on conflict ("taskRunId", attempt) do update
        set status = 'SUCCEEDED', "finishedAt" = excluded."finishedAt", "startedAt" = excluded."startedAt",
            "workerId" = coalesce(excluded."workerId", a."workerId")
        where a.status in ('QUEUED', 'RUNNING')
      returning 1
    )
    update "TaskRun" t
       set status = 'SUCCEEDED', output = ${output}::jsonb, "checkResults" = coalesce(${checks}::jsonb, t."checkResults"),
           error = null, "finishedAt" = ${s.finishedAt}, "startedAt" = ${s.startedAt}, "workerId" = ${s.taskWorkerId}::uuid
     where t.id = ${s.taskRunId}::uuid and t.attempts = ${s.attempt}::int and t.status in ('QUEUED', 'RUNNING')
       and (exists (select 1 from closed)
            or exists (select 1 from "TaskRunAttempt" p where p."taskRunId" = t.id and p.attempt = t.attempts and p.status = 'SUCCEEDED'))
    returning t."workflowRunId"`;
  return rows[0]?.workflowRunId ?? null;
}
