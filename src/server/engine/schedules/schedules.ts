// Crons and one-off schedules (Hatchet v1's `wf.cron()`, `wf.schedule()`, `wf.delay()`).
// Postgres is the truth: every change is written to the Schedule table first, then carried
// out on the project's `schedules` queue (schedule-queue.ts). The engine fires them and repairs
// the queue from the table (schedule-firing.ts).
import {
  cronNameSchema,
  describeCronProblem,
  nextCronTimes,
  type CreateCronRequest,
  type CreateScheduleRequest,
  type ScheduleInfo,
} from '@whetstone/sdk/contract';
import { Prisma, type PrismaClient, type Schedule } from '@/server/db/client';
import { env } from '@/server/env';
import { badRequest, notFound, tooLarge } from '@/server/errors';
import { isUuid } from '@/server/engine/ids';
import { validateRunInput } from '@/server/engine/triggers/input-validation';
import { armOrLog, disarmOrLog } from './queue';
import { resolveRunAt } from './keys';
import { definitionOf } from '@/server/engine/task-options';

/** Lists return at most this many schedules. */
const LIST_LIMIT = 1000;

type ScheduleWithWorkflow = Schedule & { workflow: { name: string } };
const WITH_WORKFLOW = { workflow: { select: { name: true } } } as const;

// ---- Reading --------------------------------------------------------------

/** The API's view of a schedule, with its next firing computed from the expression (UTC). */
export function toScheduleInfo(row: ScheduleWithWorkflow, now = new Date()): ScheduleInfo {
  let nextRunAt: Date | null = null;
  if (row.kind === 'CRON' && row.expression) {
    try {
      nextRunAt = nextCronTimes(row.expression, 1, now)[0] ?? null;
    } catch {
      nextRunAt = null;
    }
  } else if (row.kind === 'ONCE' && !row.firedAt) {
    nextRunAt = row.runAt;
  }
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    id: row.id,
    workflow: row.workflow.name,
    kind: row.kind,
    source: row.source,
    name: row.name,
    expression: row.expression,
    runAt: iso(row.runAt),
    input: row.input,
    additionalMetadata: (row.additionalMetadata as Record<string, string> | null) ?? null,
    priority: row.priority,
    nextRunAt: iso(nextRunAt),
    lastFiredAt: iso(row.lastFiredAt),
    firedAt: iso(row.firedAt),
    createdAt: row.createdAt.toISOString(),
  };
}

async function findWorkflow(prisma: PrismaClient, projectId: string, workflowName: string) {
  const workflow = await prisma.workflow.findUnique({
    where: { projectId_name: { projectId, name: workflowName } },
    include: { versions: { orderBy: { version: 'desc' }, take: 1 } },
  });
  const version = workflow?.versions[0];
  if (!workflow || !version) {
    throw notFound(`Workflow '${workflowName}' is not registered in this project: start a worker that defines it first`);
  }
  return { workflow, version };
}

/** Refuses input the workflow's latest version would refuse when the schedule fires (size, inputValidator). */
function checkInput(version: { id: string; definition: unknown }, workflowName: string, input: unknown): unknown {
  const bytes = Buffer.byteLength(JSON.stringify(input ?? {}));
  const limit = env().WHETSTONE_MAX_PAYLOAD_BYTES;
  if (bytes > limit) throw tooLarge(`Schedule input is ${bytes} bytes; the limit is ${limit} bytes`);
  return validateRunInput(version.id, workflowName, definitionOf(version).inputSchema, input ?? {});
}

export async function listCrons(prisma: PrismaClient, projectId: string, workflowName: string): Promise<ScheduleInfo[]> {
  const { workflow } = await findWorkflow(prisma, projectId, workflowName);
  const rows = await prisma.schedule.findMany({
    where: { workflowId: workflow.id, kind: 'CRON' },
    include: WITH_WORKFLOW,
    orderBy: [{ source: 'asc' }, { name: 'asc' }],
    take: LIST_LIMIT,
  });
  const now = new Date();
  return rows.map((row) => toScheduleInfo(row, now));
}

/** One-off schedules of a workflow: those still to fire first (soonest first), then fired ones. */
export async function listOneOffSchedules(prisma: PrismaClient, projectId: string, workflowName: string): Promise<ScheduleInfo[]> {
  const { workflow } = await findWorkflow(prisma, projectId, workflowName);
  const rows = await prisma.schedule.findMany({
    where: { workflowId: workflow.id, kind: 'ONCE' },
    include: WITH_WORKFLOW,
    orderBy: [{ firedAt: { sort: 'desc', nulls: 'first' } }, { runAt: 'asc' }],
    take: LIST_LIMIT,
  });
  const now = new Date();
  return rows.map((row) => toScheduleInfo(row, now));
}

/** Every schedule of the project, optionally of one kind or one workflow. */
export async function listAllSchedules(
  prisma: PrismaClient,
  projectId: string,
  filter: { kind?: 'CRON' | 'ONCE'; workflow?: string } = {},
): Promise<ScheduleInfo[]> {
  const rows = await prisma.schedule.findMany({
    where: { projectId, kind: filter.kind, workflow: filter.workflow ? { name: filter.workflow } : undefined },
    include: WITH_WORKFLOW,
    orderBy: [{ kind: 'asc' }, { createdAt: 'asc' }],
    take: LIST_LIMIT,
  });
  const now = new Date();
  return rows.map((row) => toScheduleInfo(row, now));
}

// ---- Crons ----------------------------------------------------------------

/** Creates the cron, or replaces the workflow's cron of the same name (same id: its runs stay linked). */
export async function createCron(
  prisma: PrismaClient,
  projectId: string,
  workflowName: string,
  request: CreateCronRequest,
): Promise<ScheduleInfo> {
  const name = cronNameSchema.safeParse(request.name);
  if (!name.success) throw badRequest(`Invalid cron name ${JSON.stringify(request.name)}: ${name.error.issues[0]?.message}`);
  const expression = typeof request.expression === 'string' ? request.expression.trim() : '';
  const problem = describeCronProblem(expression);
  if (problem) throw badRequest(problem);
  const { workflow, version } = await findWorkflow(prisma, projectId, workflowName);
  const input = checkInput(version, workflowName, request.input);
  const fields = {
    expression,
    input: input as Prisma.InputJsonValue,
    additionalMetadata: request.additionalMetadata ?? Prisma.DbNull,
    priority: request.priority ?? null,
  };
  let row: ScheduleWithWorkflow;
  for (let attempt = 0; ; attempt++) {
    try {
      row = await prisma.schedule.upsert({
        where: { workflowId_name: { workflowId: workflow.id, name: name.data } },
        create: { projectId, workflowId: workflow.id, kind: 'CRON', source: 'API', name: name.data, ...fields },
        update: fields,
        include: WITH_WORKFLOW,
      });
      break;
    } catch (err) {
      // Two creates of one name raced: the loser updates the winner's row.
      if (attempt < 2 && err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') continue;
      throw err;
    }
  }
  await armOrLog(projectId, row);
  return toScheduleInfo(row);
}

export async function deleteCron(
  prisma: PrismaClient,
  projectId: string,
  workflowName: string,
  cronName: string,
): Promise<{ deleted: true; id: string }> {
  const { workflow } = await findWorkflow(prisma, projectId, workflowName);
  const row = await prisma.schedule.findUnique({ where: { workflowId_name: { workflowId: workflow.id, name: cronName } } });
  if (!row || row.kind !== 'CRON') throw notFound(`Workflow '${workflowName}' has no cron named '${cronName}'`);
  return deleteRow(prisma, projectId, row);
}

// ---- One-off schedules ----------------------------------------------------

/** One run at `runAt`, or `delaySeconds` from now. */
export async function createOneOffSchedule(
  prisma: PrismaClient,
  projectId: string,
  workflowName: string,
  request: CreateScheduleRequest,
): Promise<ScheduleInfo> {
  const runAt = resolveRunAt(request);
  const { workflow, version } = await findWorkflow(prisma, projectId, workflowName);
  const input = checkInput(version, workflowName, request.input);
  const row = await prisma.schedule.create({
    data: {
      projectId,
      workflowId: workflow.id,
      kind: 'ONCE',
      source: 'API',
      runAt,
      input: input as Prisma.InputJsonValue,
      additionalMetadata: request.additionalMetadata ?? Prisma.DbNull,
      priority: request.priority ?? null,
    },
    include: WITH_WORKFLOW,
  });
  await armOrLog(projectId, row);
  return toScheduleInfo(row);
}

/** Deletes any runtime schedule of the project by id (a one-off, or a cron). */
export async function deleteSchedule(prisma: PrismaClient, projectId: string, id: string): Promise<{ deleted: true; id: string }> {
  const row = isUuid(id) ? await prisma.schedule.findFirst({ where: { id, projectId } }) : null;
  if (!row) throw notFound(`Schedule '${id}' not found`);
  return deleteRow(prisma, projectId, row);
}

async function deleteRow(prisma: PrismaClient, projectId: string, row: Schedule): Promise<{ deleted: true; id: string }> {
  if (row.source === 'DEFINITION') {
    throw badRequest(
      `Cron '${row.expression}' is declared in the workflow's code (onCrons): remove it there and restart the worker; it is deleted when the new version registers`,
    );
  }
  // Row first: a job that still fires after this finds no row and does nothing.
  await prisma.schedule.deleteMany({ where: { id: row.id, projectId } });
  await disarmOrLog(projectId, row);
  return { deleted: true, id: row.id };
}

// ---- Declared crons -------------------------------------------------------

/**
 * Makes the workflow's DEFINITION crons exactly `crons` (the latest version's `onCrons`):
 * creates the missing ones (named by their expression), deletes the others, and arms/disarms
 * their job schedulers. Safe to run concurrently and repeatedly.
 */
export async function syncDefinitionCrons(
  prisma: PrismaClient,
  projectId: string,
  workflowId: string,
  crons: readonly string[],
): Promise<{ created: number; deleted: number }> {
  const wanted = [...new Set(crons.map((c) => c.trim()).filter((c) => !describeCronProblem(c)))];
  const existing = await prisma.schedule.findMany({ where: { workflowId, source: 'DEFINITION' } });
  const removed = existing.filter((row) => !wanted.includes(row.expression ?? ''));
  const missing = wanted.filter((expression) => !existing.some((row) => row.expression === expression));
  if (removed.length) {
    await prisma.schedule.deleteMany({ where: { id: { in: removed.map((r) => r.id) }, source: 'DEFINITION' } });
    for (const row of removed) await disarmOrLog(projectId, row);
  }
  if (missing.length) {
    await prisma.schedule.createMany({
      data: missing.map((expression) => ({
        projectId,
        workflowId,
        kind: 'CRON' as const,
        source: 'DEFINITION' as const,
        name: expression,
        expression,
        input: {},
      })),
      skipDuplicates: true, // another registration created it at the same time
    });
    const created = await prisma.schedule.findMany({ where: { workflowId, source: 'DEFINITION', name: { in: missing } } });
    for (const row of created) await armOrLog(projectId, row);
  }
  return { created: missing.length, deleted: removed.length };
}

/** syncDefinitionCrons with the `onCrons` of the workflow's latest version (not the registering worker's, which may be older). */
export async function syncLatestDefinitionCrons(prisma: PrismaClient, projectId: string, workflowId: string): Promise<void> {
  const latest = await prisma.workflowVersion.findFirst({
    where: { workflowId },
    orderBy: { version: 'desc' },
    select: { id: true, definition: true },
  });
  if (!latest) return;
  await syncDefinitionCrons(prisma, projectId, workflowId, definitionOf(latest).onCrons);
}

/**
 * Recovery: brings every workflow's DEFINITION crons in line with its latest version (a crash
 * between registering a version and syncing, or two registrations racing). One query for all
 * latest versions; only workflows that differ are synced.
 */
export async function syncAllDefinitionCrons(prisma: PrismaClient, projectId: string): Promise<void> {
  const latest = await prisma.$queryRaw<{ workflowId: string; crons: unknown }[]>`
    SELECT DISTINCT ON (v."workflowId") v."workflowId"::text AS "workflowId", v.definition->'onCrons' AS crons
    FROM "WorkflowVersion" v JOIN "Workflow" w ON w.id = v."workflowId"
    WHERE w."projectId" = ${projectId}::uuid
    ORDER BY v."workflowId", v.version DESC`;
  const rows = await prisma.schedule.findMany({
    where: { projectId, source: 'DEFINITION' },
    select: { workflowId: true, expression: true },
  });
  for (const { workflowId, crons } of latest) {
    const list = (Array.isArray(crons) ? crons : []).filter((c): c is string => typeof c === 'string');
    const wanted = new Set(list.map((c) => c.trim()).filter((c) => !describeCronProblem(c)));
    const have = new Set(rows.filter((r) => r.workflowId === workflowId).map((r) => r.expression ?? ''));
    const same = wanted.size === have.size && [...wanted].every((c) => have.has(c));
    if (!same) await syncDefinitionCrons(prisma, projectId, workflowId, [...wanted]);
  }
}
