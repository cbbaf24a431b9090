import type { PrismaClient } from '@/server/db/client';
import { notFound } from '@/server/errors';
import { isUuid } from '@/server/engine/ids';
import { metadataOf } from './run-metadata';
import { createRun } from './create-run';

export interface ReplayOptions {
  /** The new run's input; default: the source run's input. */
  input?: unknown;
}

export interface ReplayResult {
  runId: string;
  replayOfId: string;
}

/**
 * Runs a project's run again: a new run of the same workflow's latest version with the source's
 * input (or `opts.input`), metadata and priority, trigger REPLAY and `replayOfId` = the source.
 * The source run is left as it is. 404 for a run of another project; 400 when the input no longer
 * fits the workflow's input schema.
 */
export async function replayRun(prisma: PrismaClient, projectId: string, runId: string, opts: ReplayOptions = {}): Promise<ReplayResult> {
  if (!isUuid(runId)) throw notFound(`Run '${runId}' not found`);
  const source = await prisma.workflowRun.findFirst({
    where: { id: runId, projectId },
    select: { id: true, input: true, additionalMetadata: true, priority: true, workflow: { select: { name: true } } },
  });
  if (!source) throw notFound(`Run '${runId}' not found`);
  const newRunId = await createRun(prisma, projectId, source.workflow.name, {
    input: opts.input === undefined ? source.input : opts.input,
    additionalMetadata: metadataOf(source.additionalMetadata),
    priority: source.priority,
    triggerSource: 'REPLAY',
    replayOfId: source.id,
  });
  return { runId: newRunId, replayOfId: source.id };
}
