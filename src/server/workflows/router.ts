import { additionalMetadataSchema, nameSchema, prioritySchema, workflowDefinitionSchema } from '@whetstone/sdk/contract';
import { z } from 'zod';
import type { Prisma } from '@/server/db/client';
import { createRun } from '@/server/engine/triggers/create-run';
import { notFound } from '@/server/errors';
import { listCrons } from '@/server/engine/schedules/schedules';
import { editorProcedure, router, viewerProcedure } from '@/server/trpc';
import { durationMs } from '@/server/runs/view';

/** Runs listed on a workflow's page. */
const RECENT_RUNS = 10;
/** Versions listed on a workflow's page (newest first). */
const MAX_VERSIONS = 100;

/** A stored definition with the contract's defaults filled in; null when it does not parse (an older or corrupt row). */
function parseDefinition(stored: Prisma.JsonValue) {
  const parsed = workflowDefinitionSchema.safeParse(stored);
  return parsed.success ? parsed.data : null;
}

function taskCountOf(stored: Prisma.JsonValue): number {
  const tasks = stored && typeof stored === 'object' && !Array.isArray(stored) ? stored.tasks : undefined;
  return Array.isArray(tasks) ? tasks.length : 0;
}

const workflowName = z.string().min(1).max(200);

export const workflowsRouter = router({
  /** The project's workflows by name, each with its latest version's shape and its last run. */
  list: viewerProcedure.query(async ({ ctx }) => {
    const workflows = await ctx.db.workflow.findMany({
      where: { projectId: ctx.project.id },
      orderBy: { name: 'asc' },
      select: {
        name: true,
        updatedAt: true,
        versions: { orderBy: { version: 'desc' }, take: 1, select: { version: true, createdAt: true, definition: true } },
        runs: { orderBy: { id: 'desc' }, take: 1, select: { id: true, status: true, createdAt: true } },
        _count: { select: { versions: true } },
      },
    });
    return workflows.map((w) => {
      const latest = w.versions[0];
      const definition = latest ? parseDefinition(latest.definition) : null;
      return {
        name: w.name,
        description: definition?.description ?? null,
        kind: definition?.kind ?? 'workflow',
        latestVersion: latest?.version ?? null,
        latestVersionAt: latest?.createdAt ?? null,
        versionCount: w._count.versions,
        taskCount: latest ? taskCountOf(latest.definition) : 0,
        onEvents: definition?.onEvents ?? [],
        onCrons: definition?.onCrons ?? [],
        lastRun: w.runs[0] ?? null,
      };
    });
  }),

  /**
   * One workflow: its versions, the definition of `version` (default: the latest), its crons
   * (declared and created at runtime, with their next firing) and its last runs.
   */
  get: viewerProcedure
    .input(z.object({ name: workflowName, version: z.number().int().min(1).optional() }))
    .query(async ({ ctx, input }) => {
      const workflow = await ctx.db.workflow.findUnique({
        where: { projectId_name: { projectId: ctx.project.id, name: input.name } },
        select: {
          id: true,
          name: true,
          versions: {
            orderBy: { version: 'desc' },
            take: MAX_VERSIONS,
            select: { version: true, checksum: true, createdAt: true, definition: true },
          },
        },
      });
      if (!workflow) throw notFound(`Workflow '${input.name}' not found in this project`);
      const latest = workflow.versions[0];
      const selected = input.version === undefined ? latest : workflow.versions.find((v) => v.version === input.version);
      if (input.version !== undefined && !selected) {
        throw notFound(`Workflow '${input.name}' has no version ${input.version}`);
      }
      const [crons, runs] = await Promise.all([
        latest ? listCrons(ctx.db, ctx.project.id, workflow.name) : [],
        ctx.db.workflowRun.findMany({
          where: { workflowId: workflow.id, projectId: ctx.project.id },
          orderBy: { id: 'desc' },
          take: RECENT_RUNS,
          select: {
            id: true,
            status: true,
            createdAt: true,
            startedAt: true,
            finishedAt: true,
            triggerSource: true,
            workflowVersion: { select: { version: true } },
          },
        }),
      ]);
      const latestDefinition = latest ? parseDefinition(latest.definition) : null;
      return {
        name: workflow.name,
        latestVersion: latest?.version ?? null,
        /** What `trigger` runs: the latest version, whose input schema and priority apply. */
        trigger: latest
          ? {
              version: latest.version,
              inputSchema: latestDefinition?.inputSchema ?? null,
              defaultPriority: latestDefinition?.defaultPriority ?? 1,
            }
          : null,
        versions: workflow.versions.map((v) => ({
          version: v.version,
          checksum: v.checksum,
          createdAt: v.createdAt,
          taskCount: taskCountOf(v.definition),
        })),
        selected: selected
          ? {
              version: selected.version,
              checksum: selected.checksum,
              createdAt: selected.createdAt,
              definition: parseDefinition(selected.definition),
              raw: selected.definition,
            }
          : null,
        crons: crons.map((c) => ({
          id: c.id,
          name: c.name,
          source: c.source,
          expression: c.expression,
          nextRunAt: c.nextRunAt ? new Date(c.nextRunAt) : null,
          lastFiredAt: c.lastFiredAt ? new Date(c.lastFiredAt) : null,
        })),
        recentRuns: runs.map((r) => ({
          id: r.id,
          status: r.status,
          createdAt: r.createdAt,
          startedAt: r.startedAt,
          finishedAt: r.finishedAt,
          durationMs: durationMs(r.startedAt, r.finishedAt),
          triggerSource: r.triggerSource,
          version: r.workflowVersion.version,
        })),
      };
    }),

  /** Starts a run of the workflow's latest version from the dashboard (the engine validates the input like any trigger). */
  trigger: editorProcedure
    .input(
      z.object({
        name: nameSchema,
        input: z.unknown(),
        additionalMetadata: additionalMetadataSchema,
        priority: prioritySchema.optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const runId = await createRun(ctx.db, ctx.project.id, input.name, {
        input: input.input ?? {},
        additionalMetadata:
          input.additionalMetadata && Object.keys(input.additionalMetadata).length > 0 ? input.additionalMetadata : undefined,
        priority: input.priority,
        triggerSource: 'DASHBOARD',
      });
      return { runId };
    }),
});
