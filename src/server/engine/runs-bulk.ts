// Many runs of one workflow at once (`POST /api/v1/workflows/:name/runs/bulk`, the SDK's runMany and
// its coalesced triggers). A plain run costs a handful of round trips however many are created
// together: one lookup of the workflow, one of the idempotency keys, one transaction inserting the
// runs and their task runs (root tasks already claimed), one queue.addBulk per task queue and one
// insert of the attempt rows. Anything that needs more than that (workflow concurrency, a parent,
// flow control or durability on a root task, playground seeds) goes through createRun, one by one.
//
// Writes keep what the rest of the engine relies on: a run and its task runs are committed
// together; a root task is committed already claimed (QUEUED, attempt 1, queuedAt,
// scheduleDeadline, input: what advanceRun's claim writes), so no one else ever queues it; its job
// has the attempt's job id, so adding it again is a no-op. A crash after the commit leaves QUEUED
// tasks without jobs, which the recovery pass re-queues (findOrphans), exactly as after a crash
// between createRun's claim and its queue.add.
import type { WorkflowDefinition } from '@whetstone/sdk/contract';
import { Prisma, type PrismaClient } from '../db';
import type { TaskJob } from '../queue/contracts';
import { queueKit } from '../queue/transport';
import { concurrencyKeys } from './concurrency-keys';
import { attemptJob, jsonInput, scheduleDeadline, type AttemptJob, type RunForJob } from './enqueue';
import { ApiError } from './errors';
import { checkedRunInput, createRun, latestWorkflowVersion, pendingTaskRuns, type CreateRunOptions } from './runs';
import { uuidv7 } from './uuid7';

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
 * (input size 413, input schema 400, messages prefixed with `runs.<i>: `, as the REST body's own errors are,
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
      const groups = item.concurrency === 'skip' ? [] : concurrencyKeys(latest.definition.concurrency, { input, additionalMetadata: item.additionalMetadata ?? null });
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
  return definition.tasks
    .filter((t) => t.parents.length === 0)
    .every((t) => !t.concurrency?.length && !t.rateLimits?.length && !t.durable);
}

/** Inserts the runs with their task runs (root tasks claimed), then queues the root tasks. Returns each run's id (the winner's for an idempotency key another request took meanwhile). */
async function insertAndStart(prisma: PrismaClient, projectId: string, workflowName: string, latest: Latest, runs: readonly FastRun[]): Promise<string[]> {
  const { workflow, version, definition } = latest;
  const seeds = pendingTaskRuns(definition);
  const rows = runs.map(({ item, input }) => ({
    id: uuidv7(),
    projectId,
    workflowId: workflow.id,
    workflowVersionId: version.id,
    input: jsonInput(input),
    additionalMetadata: item.additionalMetadata ?? Prisma.DbNull,
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
  const taskRows: Prisma.TaskRunCreateManyInput[] = [];
  const inserted = await prisma.$transaction(async (tx) => {
    // An idempotency key another request inserted since the lookup is skipped, not an error.
    // In key order: two bulk inserts sharing keys wait for each other's keys in the same order, never in a cycle.
    const byKey = [...rows].sort((a, b) => compareKeys(a.idempotencyKey, b.idempotencyKey));
    const created = await tx.workflowRun.createManyAndReturn({ data: byKey, select: { id: true }, skipDuplicates: true });
    const createdIds = new Set(created.map((r) => r.id));
    for (const run of rows) {
      if (!createdIds.has(run.id)) continue;
      for (const seed of seeds) {
        taskRows.push({
          id: uuidv7(),
          workflowRunId: run.id,
          taskName: seed.taskName,
          parents: seed.parents as string[],
          isOnFailure: seed.isOnFailure ?? false,
          ...(isRoot(seed)
            ? { status: 'QUEUED' as const, attempts: 1, queuedAt, scheduleDeadline: deadlines.get(seed.taskName)!, input: run.input }
            : {}),
        });
      }
    }
    if (taskRows.length) await tx.taskRun.createMany({ data: taskRows });
    return createdIds;
    // A burst of triggers can keep every pooled connection busy for a while: wait for one rather than fail the trigger.
  }, { maxWait: 10_000 });

  const ids = rows.map((r) => r.id);
  const lost = rows.flatMap((r, i) => (inserted.has(r.id) ? [] : [i]));
  if (lost.length) {
    const winners = await runsByIdempotencyKey(prisma, projectId, lost.map((i) => rows[i]!.idempotencyKey!));
    for (const i of lost) {
      const winner = winners.get(rows[i]!.idempotencyKey!);
      if (!winner) throw new Error(`Run with idempotency key '${rows[i]!.idempotencyKey}' was neither created nor found`);
      ids[i] = winner;
    }
  }

  await startRootTasks(prisma, projectId, workflowName, definition, runs, rows, taskRows.filter((t) => t.status === 'QUEUED'));
  return ids;
}

/** One addBulk per task queue, then one insert of the attempt rows (after the adds, like enqueueAttempt). */
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
    const job = attemptJob(runById.get(task.workflowRunId)!, { id: task.id!, taskName: task.taskName }, 1, { parentOutputs: {}, runAfter: null });
    byQueue.set(job.queueName, [...(byQueue.get(job.queueName) ?? []), { job, taskRunId: task.id! }]);
  }
  const kit = queueKit(projectId);
  const adds = await Promise.allSettled(
    [...byQueue].map(async ([queueName, jobs]) => {
      await kit.queue<TaskJob>(queueName).addBulk(jobs.map(({ job }) => ({ name: job.name, data: job.data, opts: job.opts })));
      return jobs.map((j) => j.taskRunId);
    }),
  );
  // The jobs that are on their queues get their attempt rows even if another queue's add failed
  // (recovery re-queues the rest: their tasks are QUEUED without a job).
  const added = adds.flatMap((a) => (a.status === 'fulfilled' ? a.value : []));
  if (added.length) {
    await prisma.taskRunAttempt.createMany({
      data: added.map((taskRunId) => ({ taskRunId, attempt: 1, status: 'QUEUED' as const, runAfter: null })),
      skipDuplicates: true,
    });
  }
  const failed = adds.find((a): a is PromiseRejectedResult => a.status === 'rejected');
  if (failed) throw failed.reason;
}

function compareKeys(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  return a < b ? -1 : 1;
}

async function runsByIdempotencyKey(prisma: PrismaClient, projectId: string, keys: readonly string[]): Promise<Map<string, string>> {
  if (!keys.length) return new Map();
  const runs = await prisma.workflowRun.findMany({
    where: { projectId, idempotencyKey: { in: [...keys] } },
    select: { id: true, idempotencyKey: true },
  });
  return new Map(runs.map((r) => [r.idempotencyKey!, r.id]));
}

/** Runs `fn` for item `index`; an ApiError it throws names the item. */
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
  return err instanceof ApiError ? new ApiError(err.status, `runs.${index}: ${err.message}`) : err;
}
