// Concurrency limits. A workflow's rules hold runs back: a run whose keys are all under their
// limit is admitted (waitingFor cleared, root tasks queued); otherwise it waits QUEUED with
// waitingFor CONCURRENCY until a run of its key finishes (or, per strategy, a run is cancelled).
// A task's rules hold that task back the same way: it stays PENDING until a slot of its key frees.
// Decisions are made under a transaction-scoped advisory lock per workflow (or workflow task), so
// several engines and web processes never admit more than the limit.
import type { Concurrency } from '@whetstone/sdk/contract';
import type { PrismaClient } from '@/server/db/client';
import { Prisma } from '@/server/db/client';
import { OPEN_TASK_STATUSES, UNFINISHED_RUN_STATUSES } from '@/server/shared/statuses';

type Tx = Prisma.TransactionClient;

/** Runs admitted (to start) and runs to cancel (CANCEL_IN_PROGRESS) by one admission pass. */
export interface Admission {
  admit: string[];
  cancel: Array<{ runId: string; reason: string }>;
  /** The new run itself is cancelled (CANCEL_NEWEST). */
  cancelNew?: string;
}

/** Tasks holding a slot of their key: started (queued, running or suspended) and not finished. */
const SLOT_HOLDING_TASK = OPEN_TASK_STATUSES.filter((s) => s !== 'PENDING');

/** Index of the rule a stored key belongs to (`<rule>:<value>`). */
function ruleOf(key: string, rules: readonly Concurrency[]): Concurrency | undefined {
  return rules[Number(key.slice(0, key.indexOf(':')))];
}

async function lock(tx: Tx, scope: string): Promise<void> {
  await tx.$executeRaw`select pg_advisory_xact_lock(hashtextextended(${scope}, 0))`;
}

/** Admitted, unfinished runs of the workflow holding `key`, oldest first. */
async function activeRuns(tx: Tx, workflowId: string, key: string) {
  return tx.workflowRun.findMany({
    where: { workflowId, concurrencyKeys: { has: key }, status: { in: [...UNFINISHED_RUN_STATUSES] }, waitingFor: null },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    select: { id: true },
  });
}

/**
 * One admission pass over `keys` of a workflow. With `newRunId` (a run just created), its
 * strategy decides what happens when its key is full: GROUP_ROUND_ROBIN waits, CANCEL_NEWEST
 * cancels it, CANCEL_IN_PROGRESS cancels the oldest running runs of the key to make room. Then
 * waiting runs of those keys are admitted, most urgent and oldest first, while every key they
 * hold has room. Returns what the caller must do after the transaction (start, cancel).
 */
export async function admitRuns(
  prisma: PrismaClient,
  workflowId: string,
  rules: readonly Concurrency[],
  keys: readonly string[],
  newRunId?: string,
): Promise<Admission> {
  if (!keys.length || !rules.length) return { admit: [], cancel: [] };
  return prisma.$transaction(async (tx) => {
    await lock(tx, `concurrency:${workflowId}`);
    const active = new Map<string, string[]>();
    for (const key of new Set(keys))
      active.set(
        key,
        (await activeRuns(tx, workflowId, key)).map((r) => r.id),
      );
    const result: Admission = { admit: [], cancel: [] };

    if (newRunId) {
      for (const key of keys) {
        const rule = ruleOf(key, rules);
        const running = active.get(key)!;
        if (!rule || running.length < rule.maxRuns) continue;
        if (rule.limitStrategy === 'CANCEL_NEWEST') {
          result.cancelNew = newRunId;
          await tx.workflowRun.updateMany({ where: { id: newRunId, waitingFor: 'CONCURRENCY' }, data: { waitingFor: null } });
          return {
            ...result,
            cancel: [
              {
                runId: newRunId,
                reason: `Cancelled by concurrency (CANCEL_NEWEST): key '${valueOf(key)}' already has ${running.length} run(s) in progress`,
              },
            ],
          };
        }
        if (rule.limitStrategy === 'CANCEL_IN_PROGRESS') {
          const victims = running.splice(0, running.length - rule.maxRuns + 1);
          for (const runId of victims) {
            result.cancel.push({
              runId,
              reason: `Cancelled by concurrency (CANCEL_IN_PROGRESS): a newer run of key '${valueOf(key)}' started`,
            });
          }
        }
      }
    }

    const hasRoom = (runKeys: readonly string[]) =>
      runKeys.every((key) => {
        const rule = ruleOf(key, rules);
        const running = active.get(key);
        return !rule || running === undefined || running.length < rule.maxRuns;
      });
    const waiting = await tx.workflowRun.findMany({
      where: { workflowId, waitingFor: 'CONCURRENCY', status: 'QUEUED', concurrencyKeys: { hasSome: [...keys] } },
      orderBy: [{ priority: 'desc' }, { createdAt: 'asc' }, { id: 'asc' }],
      take: 1000,
      select: { id: true, concurrencyKeys: true },
    });
    for (const run of waiting) {
      // A key this pass did not look at is checked now, under the same lock.
      for (const key of run.concurrencyKeys) {
        if (!active.has(key))
          active.set(
            key,
            (await activeRuns(tx, workflowId, key)).map((r) => r.id),
          );
      }
      if (!hasRoom(run.concurrencyKeys)) continue;
      for (const key of run.concurrencyKeys) active.get(key)!.push(run.id);
      result.admit.push(run.id);
    }
    if (result.admit.length) {
      await tx.workflowRun.updateMany({ where: { id: { in: result.admit }, waitingFor: 'CONCURRENCY' }, data: { waitingFor: null } });
    }
    return result;
  });
}

function valueOf(key: string): string {
  return key.slice(key.indexOf(':') + 1);
}

/**
 * Claims a concurrency slot for a ready task and queues it (PENDING → QUEUED, in the same
 * transaction as the count), or marks it waiting. True when the task was claimed.
 */
export async function claimTaskSlot(
  prisma: PrismaClient,
  task: { id: string; taskName: string },
  workflowId: string,
  rules: readonly Concurrency[],
  keys: readonly string[],
  claim: Prisma.TaskRunUpdateManyMutationInput,
): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    await lock(tx, `task-concurrency:${workflowId}:${task.taskName}`);
    for (const key of keys) {
      const rule = ruleOf(key, rules);
      if (!rule) continue;
      const running = await tx.taskRun.count({
        where: { taskName: task.taskName, concurrencyKeys: { has: key }, status: { in: SLOT_HOLDING_TASK }, workflowRun: { workflowId } },
      });
      if (running >= rule.maxRuns) {
        await tx.taskRun.updateMany({
          where: { id: task.id, status: 'PENDING' },
          data: { waitingFor: 'CONCURRENCY', concurrencyKeys: [...keys] },
        });
        return false;
      }
    }
    const claimed = await tx.taskRun.updateMany({
      where: { id: task.id, status: 'PENDING' },
      data: { ...claim, waitingFor: null, concurrencyKeys: [...keys] },
    });
    return claimed.count === 1;
  });
}

/** Runs with a task waiting for a slot of one of `keys`, oldest first: advancing them re-checks their slot. */
export async function taskWaiters(
  prisma: PrismaClient,
  workflowId: string,
  taskName: string,
  keys: readonly string[],
  limit: number,
): Promise<string[]> {
  const waiting = await prisma.taskRun.findMany({
    where: {
      taskName,
      waitingFor: 'CONCURRENCY',
      status: 'PENDING',
      concurrencyKeys: { hasSome: [...keys] },
      workflowRun: { workflowId, status: { in: [...UNFINISHED_RUN_STATUSES] } },
    },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    take: limit,
    select: { workflowRunId: true },
  });
  return [...new Set(waiting.map((t) => t.workflowRunId))];
}

/** (workflow, key) groups with runs waiting longer than `before`: the recovery pass re-admits them. */
export async function overdueWaitingGroups(prisma: PrismaClient, before: Date): Promise<Array<{ workflowId: string; keys: string[] }>> {
  const rows = await prisma.workflowRun.findMany({
    where: { waitingFor: 'CONCURRENCY', status: 'QUEUED', createdAt: { lt: before } },
    distinct: ['workflowId'],
    take: 100,
    select: { workflowId: true },
  });
  const groups = [];
  for (const { workflowId } of rows) {
    const keyRows = await prisma.$queryRaw<Array<{ key: string }>>`
      select distinct unnest("concurrencyKeys") as key from "WorkflowRun"
      where "workflowId" = ${workflowId}::uuid and "waitingFor" = 'CONCURRENCY' and status = 'QUEUED' limit 1000`;
    groups.push({ workflowId, keys: keyRows.map((r) => r.key) });
  }
  return groups;
}
