import type { PrismaClient } from '../../src/server/db/client';

/** Polls Postgres until `check` passes (or throws its last failure after `timeoutMs`). */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 20_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  }
}

/** A run's task runs with their attempts, oldest attempt first. */
export async function taskAttempts(prisma: PrismaClient, runId: string, taskName: string) {
  const task = await prisma.taskRun.findFirstOrThrow({
    where: { workflowRunId: runId, taskName },
    include: { attemptsList: { orderBy: { attempt: 'asc' } } },
  });
  return task;
}

export async function waitForStatus(prisma: PrismaClient, runId: string, statuses: string[], timeoutMs = 20_000) {
  return eventually(async () => {
    const run = await prisma.workflowRun.findUniqueOrThrow({ where: { id: runId } });
    if (!statuses.includes(run.status)) throw new Error(`run ${runId} is ${run.status}, waiting for ${statuses.join('|')}`);
    return run;
  }, timeoutMs);
}
