import type { DeclaredCheckResult } from '@whetstone/sdk/contract';
import type { PrismaClient } from '@/server/db/client';

export interface AttemptSuccess {
  /** The project whose queue carried the report: a task run of another project is left alone. */
  projectId: string;
  taskRunId: string;
  attempt: number;
  output: unknown;
  /** The task's declared output checks, as the worker evaluated them on this output. */
  checks?: readonly DeclaredCheckResult[];
  /** The start the report carries (no task.started was sent); the task's recorded start wins. */
  reportedStartedAt?: Date;
  finishedAt: Date;
  /** Who ran the attempt (null: unknown worker); the task keeps the worker recorded at its start. */
  workerId: string | null;
}

/**
 * Closes the attempt as SUCCEEDED and gives the task its output, both or neither, in one
 * statement (instead of a read and a five-step transaction: this is the engine's hottest write).
 *
 * - Only while the task run is of `projectId`, on this attempt and still open (QUEUED/RUNNING);
 *   otherwise nothing is written and the caller takes the careful path (events.ts: a later
 *   attempt, a cancelled task, a duplicate or forged report).
 * - The attempt row is created if the process that queued it died before writing it; its id is
 *   then a random uuid (Prisma makes v7 ids in the client, Postgres 15 has no v7 function).
 * - The task takes the output only if the attempt is SUCCEEDED (now, or by an earlier delivery of
 *   this report), so an attempt closed otherwise (LOST) stays without a result.
 *
 * Returns the task's run id if the task moved to SUCCEEDED, else null.
 */
export async function recordAttemptSuccess(prisma: PrismaClient, s: AttemptSuccess): Promise<string | null> {
  const output = JSON.stringify(s.output ?? null);
  const checks = s.checks?.length ? JSON.stringify(s.checks) : null;
  const reported = s.reportedStartedAt ?? null;
  const rows = await prisma.$queryRaw<{ workflowRunId: string }[]>`
    with target as (
      select t.id, coalesce(t."startedAt", ${reported}::timestamp(3), ${s.finishedAt}::timestamp(3)) as "startedAt"
        from "TaskRun" t join "WorkflowRun" r on r.id = t."workflowRunId"
       where t.id = ${s.taskRunId}::uuid and t.attempts = ${s.attempt}::int and t.status in ('QUEUED', 'RUNNING')
         and r."projectId" = ${s.projectId}::uuid
    ), closed as (
      insert into "TaskRunAttempt" as a (id, "taskRunId", attempt, status, "workerId", "startedAt", "finishedAt")
      select gen_random_uuid(), target.id, ${s.attempt}::int, 'SUCCEEDED', ${s.workerId}::uuid, target."startedAt", ${s.finishedAt}::timestamp(3) from target
      on conflict ("taskRunId", attempt) do update
        set status = 'SUCCEEDED', "finishedAt" = excluded."finishedAt", "startedAt" = excluded."startedAt",
            "workerId" = coalesce(excluded."workerId", a."workerId")
        where a.status in ('QUEUED', 'RUNNING')
      returning 1
    )
    update "TaskRun" t
       set status = 'SUCCEEDED', output = ${output}::jsonb, "checkResults" = coalesce(${checks}::jsonb, t."checkResults"),
           error = null, "finishedAt" = ${s.finishedAt}::timestamp(3), "startedAt" = target."startedAt",
           "workerId" = coalesce(t."workerId", ${s.workerId}::uuid)
      from target
     where t.id = target.id
       and (exists (select 1 from closed)
            or exists (select 1 from "TaskRunAttempt" p where p."taskRunId" = t.id and p.attempt = ${s.attempt}::int and p.status = 'SUCCEEDED'))
    returning t."workflowRunId"`;
  return rows[0]?.workflowRunId ?? null;
}
