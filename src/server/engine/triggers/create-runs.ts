// Many runs of one workflow at once (`POST /api/v1/workflows/:name/runs/bulk`, the SDK's runMany and
// its coalesced triggers; a single trigger too). A plain run costs a handful of round trips however
// many are created together: one lookup of the workflow, one of the idempotency keys (skipped for a
// single item), one statement inserting the runs, their task runs (root tasks already claimed) and
// the root tasks' first attempt rows, and one queue.addBulk per task queue. Anything that needs more
// than that (workflow concurrency, a parent, flow control or durability on a root task, playground
// seeds) goes through createRun, one by one.
//
// Writes keep what the rest of the engine relies on: a run, its task runs and their attempt rows
// are committed together; a root task is committed already claimed (QUEUED, attempt 1, queuedAt,
// scheduleDeadline, input: what advanceRun's claim writes), so no one else ever queues it; its job
// has the attempt's job id, so adding it again is a no-op. A crash after the insert leaves QUEUED
// tasks with a QUEUED attempt and no job, which the recovery pass re-queues (findOrphans, keeping
// the attempt: the requeue path of enqueueAttempt).
import type { WorkflowDefinition } from '@whetstone/sdk/contract';
import { Prisma, type PrismaClient } from '@/server/db/client';
import type { TaskJob } from '@/server/queue/contracts';
import { queueKit } from '@/server/queue/project-queues';
import { concurrencyKeys } from '@/server/engine/concurrency/keys';
import { attemptJob, scheduleDeadline, type AttemptJob, type RunForJob } from '@/server/engine/enqueue';
import { DomainError, domainError } from '@/server/errors';
import { checkedRunInput, createRun, latestWorkflowVersion, pendingTaskRuns, type CreateRunOptions } from './create-run';
import { uuidv7 } from '@/server/engine/uuid7';

/** Runs per insert (and per addBulk). */
export const BULK_CHUNK = 500;

type Latest = Awaited<ReturnType<typeof latestWorkflowVersion>>;

interface FastRun {
  index: number;
  item: CreateRunOptions;
  input: unknown;
}

/**
 * Creates one run per item, returning their ids in the items' order. Items are checked first
 * (input size too_large, input schema bad_request, messages prefixed with `runs.<i>: `, as the REST body's own errors are,
 * unless `nameItems: false`), so a bad item stores nothing. Idempotency keys work as in createRun: a key already used, or repeated within the
 * batch, returns the first run's id and starts nothing.
 */
export async function createRuns(
  prisma: PrismaClient,
  projectId: string,
  workflowName: string,
  items: readonly CreateRunOptions[],
  opts: { nameItems?: boolean } = {},
): Promise<string[]> {
  const at = opts.nameItems === false ? <T>(_index: number, fn: () => T): T => fn() : atItem;
  const ids = new Array<string | undefined>(items.length);
  if (!items.length) return [];

  // Idempotency: one query for every key; a repeated key takes the first item's run.
  const keys = [...new Set(items.flatMap((item) => (item.idempotencyKey ? [item.idempotencyKey] : [])))];
  // A single item skips the lookup: its insert skips a taken key and then finds the first run
  // (insertAndStart), one query fewer for every plain trigger.
  const existing = items.length === 1 ? new Map<string, string>() : await runsByIdempotencyKey(prisma, projectId, keys);
  const firstWithKey = new Map<string, number>();
  const repeats: Array<[index: number, first: number]> = [];
  const toCreate: number[] = [];
  items.forEach((item, i) => {
    const key = item.idempotencyKey;
    if (key) {
      const found = existing.get(key);
      if (found) return void (ids[i] = found);
      const first = firstWithKey.get(key);
      if (first !== undefined) return void repeats.push([i, first]);
      firstWithKey.set(key, i);
    }
    toCreate.push(i);
  });

  if (toCreate.length) {
    const latest = await latestWorkflowVersion(prisma, projectId, workflowName);
    const fastWorkflow = rootsNeedNothingSpecial(latest.definition);
    // Every item is checked before anything is written. (A child run is checked by createRun,
    // which first returns the child its parent already has.)
    const plan = toCreate.map((index) => {
      const item = items[index]!;
      if (item.parent) return { index, item, fast: false, input: undefined };
      const input = at(index, () => checkedRunInput(latest.version.id, workflowName, latest.definition, item.input));
      const groups =
        item.concurrency === 'skip'
          ? []
          : concurrencyKeys(latest.definition.concurrency, { input, additionalMetadata: item.additionalMetadata ?? null });
      const fast = fastWorkflow && !groups.length && !item.tasks && !item.playground;
      return { index, item, fast, input };
    });
    // In the items' order: consecutive plain items go in chunks, the others one by one.
    let pending: FastRun[] = [];
    const flush = async () => {
      for (let i = 0; i < pending.length; i += BULK_CHUNK) {
        const chunk = pending.slice(i, i + BULK_CHUNK);
        const created = await insertAndStart(prisma, projectId, workflowName, latest, chunk);
        chunk.forEach((run, j) => (ids[run.index] = created[j]));
      }
      pending = [];
    };
    for (const p of plan) {
      if (p.fast) {
        pending.push(p);
        continue;
      }
      await flush();
      ids[p.index] = await at(p.index, () => createRun(prisma, projectId, workflowName, p.item));
    }
    await flush();
  }
  for (const [i, first] of repeats) ids[i] = ids[first];
  return ids as string[];
}

/**
 * Whether a fresh run's root tasks can be queued straight away: no task concurrency (admission
 * under a lock), no rate limits (a reservation per attempt), not durable (its job depends on its
 * recorded steps). The workflow's other tasks are queued later by the engine, as always.
 */
function rootsNeedNothingSpecial(definition: WorkflowDefinition): boolean {
  return definition.tasks.filter((t) => t.parents.length === 0).every((t) => !t.concurrency?.length && !t.rateLimits?.length && !t.durable);
}

/** Inserts the runs with their task runs (root tasks claimed), then queues the root tasks. Returns each run's id (the winner's for an idempotency key another request took meanwhile). */
async function insertAndStart(
  prisma: PrismaClient,
  projectId: string,
  workflowName: string,
  latest: Latest,
  runs: readonly FastRun[],
): Promise<string[]> {
  const { workflow, version, definition } = latest;
  const seeds = pendingTaskRuns(definition);
  const rows = runs.map(({ item, input }) => ({
    id: uuidv7(),
    projectId,
    workflowId: workflow.id,
    workflowVersionId: version.id,
    input,
    additionalMetadata: item.additionalMetadata ?? null,
    priority: item.priority ?? definition.defaultPriority,
    idempotencyKey: item.idempotencyKey,
    triggerSource: item.triggerSource ?? 'API',
    eventId: item.eventId,
    scheduleId: item.scheduleId,
    replayOfId: item.replayOfId,
  }));

  // The claim advanceRun would make of each root task right after the insert (claimFirstAttempt).
  const queuedAt = new Date();
  const deadlines = new Map(seeds.map((s) => [s.taskName, scheduleDeadline(definition, s.taskName)]));
  const isRoot = (seed: (typeof seeds)[number]) => !seed.isOnFailure && !(seed.parents as string[]).length;
  const plannedTasks = rows.flatMap((run) =>
    seeds.map((seed) => ({
      id: uuidv7(),
      workflowRunId: run.id,
      taskName: seed.taskName,
      parents: seed.parents as string[],
      isOnFailure: seed.isOnFailure ?? false,
      root: isRoot(seed),
      deadline: deadlines.get(seed.taskName)!,
      attemptId: uuidv7(),
    })),
  );
  const inserted = await insertRunsWithTasks(
    prisma,
    { projectId, workflowId: workflow.id, versionId: version.id, queuedAt },
    rows,
    plannedTasks,
  );
  const taskRows: Prisma.TaskRunCreateManyInput[] = plannedTasks
    .filter((t) => t.root && inserted.has(t.workflowRunId))
    .map((t) => ({ id: t.id, workflowRunId: t.workflowRunId, taskName: t.taskName, status: 'QUEUED' as const }));

  const ids = rows.map((r) => r.id);
  const lost = rows.flatMap((r, i) => (inserted.has(r.id) ? [] : [i]));
  if (lost.length) {
    const winners = await runsByIdempotencyKey(
      prisma,
      projectId,
      lost.map((i) => rows[i]!.idempotencyKey!),
    );
    for (const i of lost) {
      const winner = winners.get(rows[i]!.idempotencyKey!);
      if (!winner) throw new Error(`Run with idempotency key '${rows[i]!.idempotencyKey}' was neither created nor found`);
      ids[i] = winner;
    }
  }

  await startRootTasks(
    prisma,
    projectId,
    workflowName,
    definition,
    runs,
    rows,
    taskRows.filter((t) => t.status === 'QUEUED'),
  );
  return ids;
}

/** One addBulk per task queue (the attempt rows were written with the runs). */
async function startRootTasks(
  prisma: PrismaClient,
  projectId: string,
  workflowName: string,
  definition: WorkflowDefinition,
  runs: readonly FastRun[],
  rows: ReadonlyArray<{ id: string; priority: number }>,
  claimed: readonly Prisma.TaskRunCreateManyInput[],
): Promise<void> {
  if (!claimed.length) return;
  const runById = new Map(
    rows.map((row, i): [string, RunForJob] => [
      row.id,
      {
        id: row.id,
        projectId,
        workflowName,
        input: runs[i]!.input,
        additionalMetadata: runs[i]!.item.additionalMetadata ?? null,
        priority: row.priority,
        definition,
      },
    ]),
  );
  const byQueue = new Map<string, Array<{ job: AttemptJob; taskRunId: string }>>();
  for (const task of claimed) {
    const job = attemptJob(runById.get(task.workflowRunId)!, { id: task.id!, taskName: task.taskName }, 1, {
      parentOutputs: {},
      runAfter: null,
    });
    byQueue.set(job.queueName, [...(byQueue.get(job.queueName) ?? []), { job, taskRunId: task.id! }]);
  }
  const kit = queueKit(projectId);
  const adds = await Promise.allSettled(
    [...byQueue].map(async ([queueName, jobs]) => {
      await kit.queue<TaskJob>(queueName).addBulk(jobs.map(({ job }) => ({ name: job.name, data: job.data, opts: job.opts })));
    }),
  );
  // A job that did not make it onto its queue is put back by the recovery pass (its task is
  // QUEUED with a QUEUED attempt and no job), as after a crash right after the insert.
  const failed = adds.find((a): a is PromiseRejectedResult => a.status === 'rejected');
  if (failed) throw failed.reason;
}

interface PlannedTask {
  id: string;
  workflowRunId: string;
  taskName: string;
  parents: string[];
  isOnFailure: boolean;
  /** Committed already claimed (QUEUED, attempt 1) with its first attempt row. */
  root: boolean;
  deadline: Date;
  attemptId: string;
}

/**
 * The runs, their task runs and the root tasks' first attempt rows, in one statement (no
 * transaction to open, one round trip): a run whose idempotency key is taken is skipped with
 * its tasks. Returns the ids of the runs inserted. Rows go in in key order, so two inserts
 * sharing keys wait for each other in the same order, never in a cycle.
 */
async function insertRunsWithTasks(
  prisma: PrismaClient,
  at: { projectId: string; workflowId: string; versionId: string; queuedAt: Date },
  runs: ReadonlyArray<{
    id: string;
    input: unknown;
    additionalMetadata: unknown;
    priority: number;
    idempotencyKey?: string;
    triggerSource: string;
    eventId?: string;
    scheduleId?: string;
    replayOfId?: string;
  }>,
  tasks: readonly PlannedTask[],
): Promise<Set<string>> {
  const runsJson = JSON.stringify(
    runs.map((r) => ({
      id: r.id,
      input: r.input ?? {},
      meta: r.additionalMetadata,
      priority: r.priority,
      key: r.idempotencyKey ?? null,
      trigger: r.triggerSource,
      event: r.eventId ?? null,
      schedule: r.scheduleId ?? null,
      replay: r.replayOfId ?? null,
    })),
  );
  const tasksJson = JSON.stringify(
    tasks.map((t) => ({
      id: t.id,
      run: t.workflowRunId,
      name: t.taskName,
      parents: t.parents,
      fail: t.isOnFailure,
      root: t.root,
      deadline: t.deadline.toISOString(),
      attempt: t.attemptId,
    })),
  );
  const rows = await prisma.$queryRaw<Array<{ id: string }>>`
    with new_runs as (
      insert into "WorkflowRun" (id, "projectId", "workflowId", "workflowVersionId", input, "additionalMetadata", priority,
                                 "idempotencyKey", "triggerSource", "eventId", "scheduleId", "replayOfId")
      select r.id, ${at.projectId}::uuid, ${at.workflowId}::uuid, ${at.versionId}::uuid, r.input, r.meta, r.priority,
             r.key, r.trigger::"TriggerSource", r.event, r.schedule, r.replay
        from jsonb_to_recordset(${runsJson}::jsonb)
             as r(id uuid, input jsonb, meta jsonb, priority int, key text, trigger text, event uuid, schedule uuid, replay uuid)
       order by r.key
      on conflict ("projectId", "idempotencyKey") do nothing
      returning id, input
    ), planned as (
      select t.*, nr.input as run_input
        from jsonb_to_recordset(${tasksJson}::jsonb)
             as t(id uuid, run uuid, name text, parents jsonb, fail boolean, root boolean, deadline timestamp(3), attempt uuid)
        join new_runs nr on nr.id = t.run
    ), new_tasks as (
      insert into "TaskRun" (id, "workflowRunId", "taskName", parents, "isOnFailure", status, attempts, "queuedAt", "scheduleDeadline", input)
      select p.id, p.run, p.name, array(select jsonb_array_elements_text(p.parents)), p.fail,
             (case when p.root then 'QUEUED' else 'PENDING' end)::"TaskStatus", case when p.root then 1 else 0 end,
             case when p.root then ${at.queuedAt}::timestamp(3) end, case when p.root then p.deadline end,
             case when p.root then p.run_input end
        from planned p
      returning id
    ), new_attempts as (
      insert into "TaskRunAttempt" (id, "taskRunId", attempt, status)
      select p.attempt, p.id, 1, 'QUEUED'::"AttemptStatus" from planned p where p.root
    )
    select id::text from new_runs`;
  return new Set(rows.map((r) => r.id));
}

async function runsByIdempotencyKey(prisma: PrismaClient, projectId: string, keys: readonly string[]): Promise<Map<string, string>> {
  if (!keys.length) return new Map();
  const runs = await prisma.workflowRun.findMany({
    where: { projectId, idempotencyKey: { in: [...keys] } },
    select: { id: true, idempotencyKey: true },
  });
  return new Map(runs.map((r) => [r.idempotencyKey!, r.id]));
}

/** Runs `fn` for item `index`; a DomainError it throws names the item. */
function atItem<T>(index: number, fn: () => T): T {
  try {
    const result = fn();
    if (result instanceof Promise) return result.catch((err: unknown) => Promise.reject(named(index, err))) as T;
    return result;
  } catch (err) {
    throw named(index, err);
  }
}

function named(index: number, err: unknown): unknown {
  return err instanceof DomainError ? domainError(err.kind, `runs.${index}: ${err.message}`, { cause: err.cause }) : err;
}
