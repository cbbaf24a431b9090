import { findDagProblem, type RegisterWorkerRequest, type RegisterWorkerResponse, type WorkflowDefinition } from '@whetstone/sdk/contract';
import { Prisma, type PrismaClient } from '@/server/db/client';
import { env } from '@/server/env';
import { workerConnection } from '@/server/queue/project-queues';
import { jsonChecksum } from './checksum';
import { badRequest } from '@/server/errors';
import { syncLatestDefinitionCrons } from '@/server/engine/schedules/schedules';

/** Workers beat this often; a revoked key stops its workers at their next beat (within this interval). */
export const HEARTBEAT_INTERVAL_MS = 5_000;

/** Validates and stores the worker's workflows (new version when a definition changed) and records the worker. */
export async function registerWorker(
  prisma: PrismaClient,
  projectId: string,
  request: RegisterWorkerRequest,
): Promise<RegisterWorkerResponse> {
  for (const workflow of request.workflows) {
    const problem = findDagProblem(workflow.name, workflow.tasks);
    if (problem) throw badRequest(problem);
  }
  const versions = [];
  for (const workflow of request.workflows) {
    versions.push({ name: workflow.name, version: await upsertWorkflowVersion(prisma, projectId, workflow) });
  }
  // Declared crons follow the latest version (a worker re-registering an older definition does not bring removed crons back).
  const registered = await prisma.workflow.findMany({
    where: { projectId, name: { in: request.workflows.map((w) => w.name) } },
    select: { id: true },
  });
  for (const { id } of registered) await syncLatestDefinitionCrons(prisma, projectId, id);
  const actions = request.workflows.flatMap((w) => w.tasks.map((t) => `${w.name}:${t.name}`));
  const worker = await prisma.worker.create({
    data: { projectId, name: request.name, actions, hostname: request.hostname, pid: request.pid },
  });
  return {
    workerId: worker.id,
    transport: await workerConnection(prisma, projectId),
    heartbeatIntervalMs: HEARTBEAT_INTERVAL_MS,
    maxPayloadBytes: env().WHETSTONE_MAX_PAYLOAD_BYTES,
    lockDurationMs: env().WHETSTONE_TASK_LOCK_MS,
    workflows: versions,
  };
}

async function upsertWorkflowVersion(prisma: PrismaClient, projectId: string, definition: WorkflowDefinition): Promise<number> {
  const checksum = jsonChecksum(definition);
  // Two workers registering the same change at once race on the unique keys; the loser retries and finds the winner's row.
  for (let attempt = 0; ; attempt++) {
    try {
      const workflow = await prisma.workflow.upsert({
        where: { projectId_name: { projectId, name: definition.name } },
        create: { projectId, name: definition.name },
        update: {},
      });
      const existing = await prisma.workflowVersion.findUnique({
        where: { workflowId_checksum: { workflowId: workflow.id, checksum } },
      });
      if (existing) return existing.version;
      const latest = await prisma.workflowVersion.findFirst({ where: { workflowId: workflow.id }, orderBy: { version: 'desc' } });
      const created = await prisma.workflowVersion.create({
        data: { workflowId: workflow.id, version: (latest?.version ?? 0) + 1, checksum, definition: definition as Prisma.InputJsonValue },
      });
      await prisma.workflow.update({ where: { id: workflow.id }, data: { updatedAt: new Date() } });
      return created.version;
    } catch (err) {
      if (attempt < 3 && err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') continue;
      throw err;
    }
  }
}
