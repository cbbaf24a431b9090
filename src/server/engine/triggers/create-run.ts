import type { RunSummary, WorkflowDefinition } from '@whetstone/sdk/contract';
import { env } from '@/server/env';
import { Prisma, type PrismaClient, type TriggerSource } from '@/server/db/client';
import { advanceRun } from '@/server/engine/advance';
import { cancelRun } from '@/server/engine/cancel';
import { findChildRun, parentRunCancellation, planChildRun, type ChildParent } from '@/server/engine/child-runs';
import { admitAndStart } from '@/server/engine/concurrency/actions';
import { concurrencyKeys } from '@/server/engine/concurrency/keys';
import { notFound, tooLarge } from '@/server/errors';
import { isTerminalRunStatus } from '@/server/shared/statuses';
import { isUuid } from '@/server/engine/ids';
import { validateRunInput } from './input-validation';
import { subscribeRunFinished } from '@/server/engine/run-finished';
import { definitionOf } from '@/server/engine/task-options';

/** A waiting request re-reads its run this often even without a notification. */
const SAFETY_RECHECK_MS = 2_000;

export interface CreateRunOptions {
  input: unknown;
  additionalMetadata?: Record<string, string>;
  triggerSource?: TriggerSource;
  /** 1-3; defaults to the workflow's defaultPriority. */
  priority?: number;
  /** A second create with the same key (per project) returns the first run's id and starts nothing. */
  idempotencyKey?: string;
  eventId?: string;
  scheduleId?: string;
  /** A replay: the run it repeats. */
  replayOfId?: string;
  /** How the workflow's concurrency applies: normally (default), wait only (never cancel another run), or not at all. */
  concurrency?: 'normal' | 'wait' | 'skip';
  /** The new run's task rows (default: one PENDING row per task); a playground run freezes some. */
  tasks?: (definition: WorkflowDefinition) => TaskRunSeed[];
  /** A playground run: what it re-runs, recorded with the run. */
  playground?: Prisma.PlaygroundRunUncheckedCreateWithoutRunInput;
  /** A child run: the task run spawning it and its key among that task's children (the same key again returns the same run). */
  parent?: ChildParent;
}

export type TaskRunSeed = Prisma.TaskRunCreateWithoutWorkflowRunInput;

/** One PENDING task run per task, and the onFailure task's. */
export function pendingTaskRuns(definition: WorkflowDefinition): TaskRunSeed[] {
  const tasks: TaskRunSeed[] = definition.tasks.map((t) => ({ taskName: t.name, parents: t.parents }));
  if (definition.onFailure) tasks.push({ taskName: definition.onFailure.name, parents: [], isOnFailure: true });
  return tasks;
}

/** Records a run of the workflow's latest version with one task run per task, then enqueues its root tasks. */
export async function createRun(prisma: PrismaClient, projectId: string, workflowName: string, opts: CreateRunOptions): Promise<string> {
  if (opts.idempotencyKey) {
    const existing = await findByIdempotencyKey(prisma, projectId, opts.idempotencyKey);
    if (existing) return existing;
  }
  if (opts.parent) {
    const plan = await planChildRun(prisma, projectId, opts.parent);
    if (plan.existingRunId) return plan.existingRunId;
    opts = { ...opts, additionalMetadata: opts.additionalMetadata ?? plan.additionalMetadata };
  }
  const { workflow, version, definition } = await latestWorkflowVersion(prisma, projectId, workflowName);
  const input = checkedRunInput(version.id, workflowName, definition, opts.input);
  const tasks = (opts.tasks ?? pendingTaskRuns)(definition);
  const keys =
    opts.concurrency === 'skip'
      ? []
      : concurrencyKeys(definition.concurrency, { input, additionalMetadata: opts.additionalMetadata ?? null });
  let run;
  try {
    run = await prisma.workflowRun.create({
      data: {
        projectId,
        workflowId: workflow.id,
        workflowVersionId: version.id,
        input: input as Prisma.InputJsonValue,
        additionalMetadata: opts.additionalMetadata ?? Prisma.DbNull,
        priority: opts.priority ?? definition.defaultPriority,
        idempotencyKey: opts.idempotencyKey,
        triggerSource: opts.triggerSource ?? 'API',
        eventId: opts.eventId,
        scheduleId: opts.scheduleId,
        replayOfId: opts.replayOfId,
        parentTaskRunId: opts.parent?.taskRunId,
        childKey: opts.parent?.key,
        taskRuns: { create: tasks },
        concurrencyKeys: keys,
        waitingFor: keys.length ? 'CONCURRENCY' : null,
        ...(opts.playground ? { playground: { create: opts.playground } } : {}),
      },
      select: { id: true },
    });
  } catch (err) {
    // Two creates with one key raced: the loser returns the winner's run.
    if (opts.idempotencyKey && err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') {
      const existing = await findByIdempotencyKey(prisma, projectId, opts.idempotencyKey);
      if (existing) return existing;
    }
    if (opts.parent && err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') {
      const existing = await findChildRun(prisma, opts.parent);
      if (existing) return existing;
    }
    throw err;
  }
  if (keys.length) await admitAndStart(prisma, projectId, workflow.id, keys, opts.concurrency === 'wait' ? undefined : run.id);
  else await advanceRun(prisma, run.id);
  // A child created just as its parent run was cancelled follows it (see parentRunCancellation).
  const parentCancelled = opts.parent ? await parentRunCancellation(prisma, opts.parent) : undefined;
  if (parentCancelled) await cancelRun(prisma, projectId, run.id, { reason: parentCancelled });
  return run.id;
}

/** The workflow and its latest version (not_found if it was never registered). */
/** The workflow and its latest version, in one query (every trigger asks). */
export async function latestWorkflowVersion(prisma: PrismaClient, projectId: string, workflowName: string) {
  const [row] = await prisma.$queryRaw<Array<{ workflowId: string; versionId: string; version: number; definition: Prisma.JsonValue }>>`
    select w.id as "workflowId", v.id as "versionId", v.version, v.definition
      from "Workflow" w join "WorkflowVersion" v on v."workflowId" = w.id
     where w."projectId" = ${projectId}::uuid and w.name = ${workflowName}
     order by v.version desc
     limit 1`;
  if (!row) throw notFound(`Workflow '${workflowName}' is not registered in this project: start a worker that defines it first`);
  const version = { id: row.versionId, version: row.version, definition: row.definition };
  return { workflow: { id: row.workflowId, projectId, name: workflowName }, version, definition: definitionOf(version) };
}

/** A run's input as stored: within the payload limit (too_large) and valid for the workflow's input schema (bad_request). */
export function checkedRunInput(versionId: string, workflowName: string, definition: WorkflowDefinition, rawInput: unknown): unknown {
  // REST bodies are limited before parsing; this also covers callers in the server (dashboard, events).
  const inputBytes = Buffer.byteLength(JSON.stringify(rawInput ?? {}));
  const limit = env().WHETSTONE_MAX_PAYLOAD_BYTES;
  if (inputBytes > limit) throw tooLarge(`Run input is ${inputBytes} bytes; the limit is ${limit} bytes`);
  return validateRunInput(versionId, workflowName, definition.inputSchema, rawInput ?? {});
}

export async function findByIdempotencyKey(prisma: PrismaClient, projectId: string, idempotencyKey: string): Promise<string | undefined> {
  const run = await prisma.workflowRun.findUnique({
    where: { projectId_idempotencyKey: { projectId, idempotencyKey } },
    select: { id: true },
  });
  return run?.id;
}

export async function getRunSummary(prisma: PrismaClient, projectId: string, runId: string): Promise<RunSummary> {
  if (!isUuid(runId)) throw notFound(`Run '${runId}' not found`);
  const run = await prisma.workflowRun.findFirst({
    where: { id: runId, projectId },
    select: { id: true, status: true, output: true, error: true, workflow: { select: { name: true } } },
  });
  if (!run) throw notFound(`Run '${runId}' not found`);
  return { id: run.id, workflow: run.workflow.name, status: run.status, output: run.output, error: run.error };
}

/** Long-poll: resolves as soon as the run is terminal (woken by the engine's notification), or with its current state after `waitMs`. */
export async function waitForRunSummary(
  prisma: PrismaClient,
  projectId: string,
  runId: string,
  waitMs: number,
  signal?: AbortSignal,
): Promise<RunSummary> {
  const deadline = Date.now() + waitMs;
  const subscription = await subscribeRunFinished(env().DATABASE_URL, runId);
  try {
    for (;;) {
      const summary = await getRunSummary(prisma, projectId, runId);
      const left = deadline - Date.now();
      if (isTerminalRunStatus(summary.status) || left <= 0 || signal?.aborted) return summary;
      await subscription.wait(Math.min(left, SAFETY_RECHECK_MS), signal);
    }
  } finally {
    subscription.close();
  }
}
