import { findDagProblem, type RegisterWorkerRequest, type RegisterWorkerResponse, type WorkflowDefinition } from '@whetstone/sdk/contract';
import { Prisma, type PrismaClient } from '@/server/db/client';
import { env } from '@/server/env';
import { workerConnection } from '@/server/queue/project-queues';
import { jsonChecksum } from './checksum';
import { badRequest } from '@/server/errors';
import { syncLatestDefinitionCrons } from '@/server/engine/schedules/schedules';
import { inputSchemaMessage, inputSchemaProblem } from '@/server/engine/triggers/input-validation';

/** Workers beat this often; a revoked key stops its workers at their next beat (within this interval). */
export const HEARTBEAT_INTERVAL_MS = 5_000;

/** Attempts of the registration transaction when it races another registration (unique keys, deadlock). */
const MAX_ATTEMPTS = 4;

/**
 * Validates the worker's workflows, then stores them (a new version when a definition changed) and
 * the worker in one transaction: a registration that fails stores nothing.
 */
export async function registerWorker(
  prisma: PrismaClient,
  projectId: string,
  request: RegisterWorkerRequest,
): Promise<RegisterWorkerResponse> {
  assertRegistrable(request.workflows);
  // Before the transaction: it may create the project's Redis ACL user (idempotent), and a failure here stores nothing.
  const transport = await workerConnection(prisma, projectId);
  // Locks are taken in name order, so two registrations of overlapping workflows cannot deadlock.
  const workflows = [...new Map(request.workflows.map((w) => [w.name, w])).values()].sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  const { workerId, versions, workflowIds } = await inTransaction(prisma, async (tx) => {
    const versions = new Map<string, number>();
    const workflowIds: string[] = [];
    for (const workflow of workflows) {
      const stored = await upsertWorkflowVersion(tx, projectId, workflow);
      versions.set(workflow.name, stored.version);
      workflowIds.push(stored.workflowId);
    }
    const actions = request.workflows.flatMap((w) => w.tasks.map((t) => `${w.name}:${t.name}`));
    const worker = await tx.worker.create({
      data: { projectId, name: request.name, actions, hostname: request.hostname, pid: request.pid },
      select: { id: true },
    });
    return { workerId: worker.id, versions, workflowIds };
  });
  // Declared crons follow the latest version (a worker re-registering an older definition does not bring removed crons back).
  // After the commit, since arming a cron is a queue write; the engine's recovery re-syncs crons a failure here left behind.
  for (const id of workflowIds) {
    await syncLatestDefinitionCrons(prisma, projectId, id).catch((err: unknown) =>
      console.error(`[workers] syncing the crons of workflow ${id} failed; recovery will retry: ${(err as Error).message}`),
    );
  }
  return {
    workerId,
    transport,
    heartbeatIntervalMs: HEARTBEAT_INTERVAL_MS,
    maxPayloadBytes: env().WHETSTONE_MAX_PAYLOAD_BYTES,
    lockDurationMs: env().WHETSTONE_TASK_LOCK_MS,
    workflows: request.workflows.map((w) => ({ name: w.name, version: versions.get(w.name)! })),
  };
}

/** bad_request naming the workflow: a broken DAG, two definitions of one name, an inputSchema the server cannot compile. */
function assertRegistrable(workflows: readonly WorkflowDefinition[]): void {
  const seen = new Map<string, string>();
  for (const workflow of workflows) {
    const checksum = jsonChecksum(workflow);
    if ((seen.get(workflow.name) ?? checksum) !== checksum) {
      throw badRequest(`Workflow '${workflow.name}' is given twice in one registration, with different definitions`);
    }
    seen.set(workflow.name, checksum);
    const problem = findDagProblem(workflow.name, workflow.tasks);
    if (problem) throw badRequest(problem);
    if (workflow.inputSchema) {
      const schemaProblem = inputSchemaProblem(workflow.inputSchema);
      if (schemaProblem) throw badRequest(inputSchemaMessage(workflow.name, schemaProblem));
    }
  }
}

/** Runs `fn` in a transaction, again from the start when it lost a race (unique key taken, deadlock, serialization). */
async function inTransaction<T>(prisma: PrismaClient, fn: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await prisma.$transaction(fn, { maxWait: 10_000, timeout: 30_000 });
    } catch (err) {
      const raced = err instanceof Prisma.PrismaClientKnownRequestError && (err.code === 'P2002' || err.code === 'P2034');
      if (raced && attempt < MAX_ATTEMPTS) continue;
      throw err;
    }
  }
}

async function upsertWorkflowVersion(
  tx: Prisma.TransactionClient,
  projectId: string,
  definition: WorkflowDefinition,
): Promise<{ workflowId: string; version: number }> {
  const checksum = jsonChecksum(definition);
  // Two registrations of the same new workflow race on the unique keys; the loser's transaction is retried and finds the winner's rows.
  const workflow = await tx.workflow.upsert({
    where: { projectId_name: { projectId, name: definition.name } },
    create: { projectId, name: definition.name },
    update: {},
    select: { id: true },
  });
  const existing = await tx.workflowVersion.findUnique({
    where: { workflowId_checksum: { workflowId: workflow.id, checksum } },
    select: { version: true },
  });
  if (existing) return { workflowId: workflow.id, version: existing.version };
  const latest = await tx.workflowVersion.findFirst({
    where: { workflowId: workflow.id },
    orderBy: { version: 'desc' },
    select: { version: true },
  });
  const created = await tx.workflowVersion.create({
    data: { workflowId: workflow.id, version: (latest?.version ?? 0) + 1, checksum, definition: definition as Prisma.InputJsonValue },
    select: { version: true },
  });
  await tx.workflow.update({ where: { id: workflow.id }, data: { updatedAt: new Date() } });
  return { workflowId: workflow.id, version: created.version };
}
