import { randomUUID } from 'node:crypto';
import { PLAYGROUND_NAME_PATTERN, type WorkflowDefinition } from '@whetstone/sdk/contract';
import { env } from '@/server/env';
import { Prisma, type PrismaClient } from '@/server/db/client';
import { descendants } from '@/server/engine/dag';
import { badRequest, notFound, tooLarge } from '@/server/errors';
import { isUuid } from '@/server/engine/ids';
import { overrideTypeProblem } from './json-type';
import { knownTaskVariables } from '@/server/engine/playground-variables';
import { metadataOf } from '@/server/engine/triggers/run-metadata';
import { createRun, type TaskRunSeed } from '@/server/engine/triggers/create-run';
import { definitionOf } from '@/server/engine/task-options';
import { MAX_PLAYGROUND_VARIANTS } from '@/server/shared/limits';

export type PlaygroundMode = 'STEP' | 'FROM_HERE';

export interface PlaygroundRunRequest {
  sourceRunId: string;
  taskName: string;
  /** STEP: only the task; FROM_HERE: the task and everything downstream. */
  mode: PlaygroundMode;
  /** The new runs' input; default: the source run's. */
  input?: unknown;
  /** One entry per variant: the values `ctx.playground(name, …)` returns instead of the defaults. */
  variants: ReadonlyArray<{ overrides: Record<string, unknown> }>;
  createdById?: string;
  /** A what-if report's row: the report (which is also the batch). */
  reportId?: string;
}

export interface PlaygroundRunStarted {
  batchId: string;
  runs: Array<{ variant: number; runId: string }>;
}

type SourceTask = { taskName: string; status: string; output: Prisma.JsonValue; parents: string[] };

/**
 * Re-runs a task of a source run, once per variant, each as a new run (trigger PLAYGROUND) of the
 * workflow's latest version. The re-run tasks (the task, or the task and its descendants) start
 * PENDING with the variant's overrides; every other task is frozen: copied with its source output,
 * so the re-run tasks see exactly the parents' outputs the source run had. The source is not touched.
 */
export async function startPlaygroundRuns(
  prisma: PrismaClient,
  projectId: string,
  req: PlaygroundRunRequest,
): Promise<PlaygroundRunStarted> {
  if (!isUuid(req.sourceRunId)) throw notFound(`Run '${req.sourceRunId}' not found`);
  if (req.variants.length < 1 || req.variants.length > MAX_PLAYGROUND_VARIANTS) {
    throw badRequest(`A playground run takes 1 to ${MAX_PLAYGROUND_VARIANTS} variants; got ${req.variants.length}`);
  }
  const source = await prisma.workflowRun.findFirst({
    where: { id: req.sourceRunId, projectId },
    select: {
      id: true,
      input: true,
      additionalMetadata: true,
      priority: true,
      workflowId: true,
      workflow: {
        select: { name: true, versions: { orderBy: { version: 'desc' }, take: 1, select: { id: true, version: true, definition: true } } },
      },
      taskRuns: { select: { taskName: true, status: true, output: true, parents: true, isOnFailure: true } },
    },
  });
  if (!source) throw notFound(`Run '${req.sourceRunId}' not found`);
  const latest = source.workflow.versions[0]!;
  const definition = definitionOf(latest);
  const workflow = source.workflow.name;
  if (definition.onFailure?.name === req.taskName) {
    throw badRequest(`'${req.taskName}' is the onFailure task of '${workflow}': it runs only after a failure and cannot be re-run alone`);
  }
  const task = definition.tasks.find((t) => t.name === req.taskName);
  if (!task) throw notFound(`Workflow '${workflow}' (version ${latest.version}) has no task '${req.taskName}'`);

  const sourceTasks = new Map(source.taskRuns.filter((t) => !t.isOnFailure).map((t) => [t.taskName, t]));
  for (const parent of task.parents) {
    if (sourceTasks.get(parent)?.status !== 'SUCCEEDED') {
      throw badRequest(`Task '${req.taskName}' needs the output of '${parent}', which did not succeed in run ${source.id}`);
    }
  }

  const known = await knownTaskVariables(prisma, source.workflowId, source.id, req.taskName);
  req.variants.forEach((v, i) => checkVariant(v.overrides, known, req.taskName, i));

  const rerun = new Set([req.taskName, ...(req.mode === 'FROM_HERE' ? descendants(definition.tasks.map(asNode), req.taskName) : [])]);
  const batchId = req.reportId ?? randomUUID();
  const runs = await Promise.all(
    req.variants.map(async (variant, index) => {
      const runId = await createRun(prisma, projectId, workflow, {
        input: req.input === undefined ? source.input : req.input,
        additionalMetadata: metadataOf(source.additionalMetadata),
        priority: source.priority,
        triggerSource: 'PLAYGROUND',
        // A what-if row runs under the workflow's concurrency like production (it waits, never cancels); a single re-run does not.
        concurrency: req.reportId ? 'wait' : 'skip',
        tasks: (def) => playgroundTasks(def, rerun, sourceTasks, req.taskName, variant.overrides),
        playground: {
          projectId,
          sourceRunId: source.id,
          taskName: req.taskName,
          mode: req.mode,
          batchId,
          variant: index,
          overrides: variant.overrides as Prisma.InputJsonValue,
          createdById: req.createdById,
          reportId: req.reportId,
        },
      });
      return { variant: index, runId };
    }),
  );
  return { batchId, runs };
}

const asNode = (t: { name: string; parents: string[] }) => ({ taskName: t.name, parents: t.parents, status: 'PENDING' });

/** The task rows of a playground run: re-run tasks PENDING (the chosen one with the overrides), the rest frozen from the source. */
export function playgroundTasks(
  definition: WorkflowDefinition,
  rerun: ReadonlySet<string>,
  sourceTasks: ReadonlyMap<string, SourceTask>,
  taskName: string,
  overrides: Record<string, unknown>,
): TaskRunSeed[] {
  const rows: TaskRunSeed[] = definition.tasks.map((t) => {
    if (rerun.has(t.name)) {
      return { taskName: t.name, parents: t.parents, ...(t.name === taskName ? { overrides: overrides as Prisma.InputJsonValue } : {}) };
    }
    const from = sourceTasks.get(t.name);
    return from?.status === 'SUCCEEDED'
      ? {
          taskName: t.name,
          parents: t.parents,
          frozen: true,
          status: 'SUCCEEDED',
          output: (from.output ?? Prisma.JsonNull) as Prisma.InputJsonValue,
        }
      : { taskName: t.name, parents: t.parents, frozen: true, status: 'SKIPPED' };
  });
  // An experiment does not page anyone: the onFailure task never runs in a playground run.
  if (definition.onFailure)
    rows.push({ taskName: definition.onFailure.name, parents: [], isOnFailure: true, frozen: true, status: 'SKIPPED' });
  return rows;
}

function checkVariant(overrides: Record<string, unknown>, known: ReadonlyMap<string, unknown>, taskName: string, index: number): void {
  const where = `Variant ${index + 1}`;
  if (!overrides || typeof overrides !== 'object' || Array.isArray(overrides))
    throw badRequest(`${where}: overrides must be an object of values by variable name`);
  for (const name of Object.keys(overrides)) {
    if (!PLAYGROUND_NAME_PATTERN.test(name)) throw badRequest(`${where}: '${name}' is not a valid playground variable name`);
    if (!known.has(name)) throw badRequest(`${where}: task '${taskName}' exposes no playground variable '${name}'`);
  }
  for (const [name, value] of Object.entries(overrides)) {
    const problem = overrideTypeProblem(name, known.get(name), value);
    if (problem) throw badRequest(`${where}: ${problem}`);
  }
  const bytes = Buffer.byteLength(JSON.stringify(overrides));
  const limit = env().WHETSTONE_MAX_PAYLOAD_BYTES;
  if (bytes > limit) throw tooLarge(`${where}: overrides are ${bytes} bytes; the limit is ${limit} bytes`);
}
