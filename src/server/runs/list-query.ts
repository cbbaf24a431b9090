// The runs list's SQL. A page walks WorkflowRun's (projectId, createdAt DESC) index (or
// (projectId, workflowId, createdAt DESC) with a workflow filter) newest first and stops after a
// page; metadata filters use the jsonb_path_ops GIN index through `@>`, text search the GIN index
// on the generated `search` tsvector. Counts per status are capped (COUNT_CAP): exact counts over a
// million runs cost a full index scan on every poll, and "10,000+" says all a person needs.
// Playground runs (experiments) are left out unless the trigger filter asks for them; see
// countsWithoutPlaygroundSql for how the default view's counts stay index-only.
import { z } from 'zod';
import { Prisma, type PrismaClient } from '@/server/db/client';
import {
  MAX_METADATA_FILTERS,
  MAX_METADATA_KEY_LENGTH,
  MAX_METADATA_VALUE_LENGTH,
  MAX_SEARCH_LENGTH,
  MAX_WORKFLOW_NAME_LENGTH,
} from '@/server/shared/limits';
import { RUN_STATUSES, type RunStatusName } from '@/server/shared/statuses';
import { countByStatus, durationMs, TIME_PRESETS, TRIGGER_FILTERS, type TriggerFilter } from './view';

/** Counts per status stop at this many: a count above it is shown as "10,000+". */
export const COUNT_CAP = 10_000;

/** Metadata chips sent per row (values cut to METADATA_CHIP_CHARS); the run page shows all of it. */
const METADATA_CHIPS = 6;
const METADATA_CHIP_CHARS = 80;
const PREVIEW_CHARS = 160;

export const runListFilterSchema = z.object({
  status: z.enum(RUN_STATUSES).optional(),
  /** Workflow name. */
  workflow: z.string().min(1).max(MAX_WORKFLOW_NAME_LENGTH).optional(),
  /** Runs created in the last 1h/24h/7d/30d (takes precedence over from). */
  since: z.enum(Object.keys(TIME_PRESETS) as [keyof typeof TIME_PRESETS, ...Array<keyof typeof TIME_PRESETS>]).optional(),
  /** Created at or after (ISO time). */
  from: z.iso.datetime({ offset: true }).optional(),
  /** Created before (ISO time). */
  to: z.iso.datetime({ offset: true }).optional(),
  /** additionalMetadata must contain every key with this value (`@>`). */
  meta: z
    .record(z.string().min(1).max(MAX_METADATA_KEY_LENGTH), z.string().max(MAX_METADATA_VALUE_LENGTH))
    .refine((m) => Object.keys(m).length <= MAX_METADATA_FILTERS, `At most ${MAX_METADATA_FILTERS} metadata filters`)
    .optional(),
  /** Full-text search over input and output (websearch syntax: words, "a phrase", -word, or). */
  q: z.string().trim().min(1).max(MAX_SEARCH_LENGTH).optional(),
  /** What started the runs: one trigger source, or ALL; omitted: every source but PLAYGROUND (experiments). */
  trigger: z.enum(TRIGGER_FILTERS).optional(),
});
export type RunListFilter = z.infer<typeof runListFilterSchema>;

export const runListInput = runListFilterSchema.extend({
  /** Id of the last run of the previous page. */
  cursor: z.uuid().nullish(),
  limit: z.number().int().min(1).max(200).default(50),
});
export type RunListInput = z.infer<typeof runListInput>;

/** A filter with the workflow resolved to its id; `null` when the named workflow does not exist (nothing matches). */
export interface ResolvedFilter {
  projectId: string;
  workflowId?: string;
  status?: RunStatusName;
  from?: Date;
  to?: Date;
  meta?: Record<string, string>;
  q?: string;
  /** Omitted: every source but PLAYGROUND. */
  trigger?: TriggerFilter;
}

export async function resolveFilter(db: PrismaClient, projectId: string, input: RunListFilter, now: Date): Promise<ResolvedFilter | null> {
  let workflowId: string | undefined;
  if (input.workflow) {
    const workflow = await db.workflow.findUnique({ where: { projectId_name: { projectId, name: input.workflow } }, select: { id: true } });
    if (!workflow) return null;
    workflowId = workflow.id;
  }
  const from = input.since ? new Date(now.getTime() - TIME_PRESETS[input.since]) : input.from ? new Date(input.from) : undefined;
  const to = input.since ? undefined : input.to ? new Date(input.to) : undefined;
  const meta = input.meta && Object.keys(input.meta).length > 0 ? input.meta : undefined;
  return { projectId, workflowId, status: input.status, from, to, meta, q: input.q, trigger: input.trigger };
}

/** Timestamps are stored as UTC without a zone: compare in UTC whatever the session's TimeZone. */
const utc = (d: Date) => Prisma.sql`(${d.toISOString()}::timestamptz AT TIME ZONE 'UTC')`;

/** The WHERE clause on WorkflowRun `r`; counts leave out the status (and, see countsSql, sometimes the trigger). */
function whereSql(f: ResolvedFilter, opts: { status: boolean; trigger?: boolean }): Prisma.Sql {
  const parts = [Prisma.sql`r."projectId" = ${f.projectId}::uuid`];
  if (f.workflowId) parts.push(Prisma.sql`r."workflowId" = ${f.workflowId}::uuid`);
  if (opts.status && f.status) parts.push(Prisma.sql`r.status = ${f.status}::"RunStatus"`);
  if (f.from) parts.push(Prisma.sql`r."createdAt" >= ${utc(f.from)}`);
  if (f.to) parts.push(Prisma.sql`r."createdAt" < ${utc(f.to)}`);
  if (f.meta) parts.push(Prisma.sql`r."additionalMetadata" @> ${JSON.stringify(f.meta)}::jsonb`);
  if (f.q) parts.push(Prisma.sql`r.search @@ websearch_to_tsquery('simple', ${f.q})`);
  const trigger = opts.trigger === false ? null : triggerSql(f);
  if (trigger) parts.push(trigger);
  return Prisma.join(parts, ' AND ');
}

/**
 * The trigger condition. Every playground run has its PlaygroundRun row (written with the run), and
 * they are few next to the rest: "only playground" starts from those rows instead of filtering
 * every run of the project.
 */
function triggerSql(f: ResolvedFilter): Prisma.Sql | null {
  if (f.trigger === 'ALL') return null;
  if (!f.trigger) return Prisma.sql`r."triggerSource" <> 'PLAYGROUND'::"TriggerSource"`;
  const same = Prisma.sql`r."triggerSource" = ${f.trigger}::"TriggerSource"`;
  if (f.trigger !== 'PLAYGROUND') return same;
  return Prisma.sql`${same} AND r.id IN (SELECT pr."runId" FROM "PlaygroundRun" pr WHERE pr."projectId" = ${f.projectId}::uuid)`;
}

/** Creation time encoded in a uuid v7 (its first 48 bits): where to continue if the cursor's run was deleted. */
export function uuidV7Time(id: string): Date {
  return new Date(parseInt(id.replace(/-/g, '').slice(0, 12), 16));
}

/** Runs strictly after the cursor run in (createdAt DESC, id DESC) order. */
function afterCursorSql(f: ResolvedFilter, cursor: string): Prisma.Sql {
  const at = Prisma.sql`coalesce((SELECT c."createdAt" FROM "WorkflowRun" c WHERE c.id = ${cursor}::uuid AND c."projectId" = ${f.projectId}::uuid), ${utc(uuidV7Time(cursor))})`;
  // The plain `<=` lets the (…, createdAt) index bound the scan; the row comparison breaks ties by id.
  return Prisma.sql` AND r."createdAt" <= ${at} AND (r."createdAt", r.id) < (${at}, ${cursor}::uuid)`;
}

interface PageRow {
  id: string;
  workflowName: string;
  status: RunStatusName;
  triggerSource: string;
  replayOfId: string | null;
  /** CONCURRENCY: queued behind its workflow's concurrency limit. */
  waitingFor: string | null;
  /** A child run: the run whose task spawned it. */
  parentRunId: string | null;
  additionalMetadata: unknown;
  inputPreview: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

/** The page query: `limit` runs after the cursor, newest first, with their workflow's name. */
export function pageSql(f: ResolvedFilter, cursor: string | null | undefined, limit: number): Prisma.Sql {
  const after = cursor ? afterCursorSql(f, cursor) : Prisma.empty;
  return Prisma.sql`
    SELECT p.id, w.name AS "workflowName", p.status::text AS status, p."triggerSource"::text AS "triggerSource",
      p."replayOfId", p."waitingFor"::text AS "waitingFor", p."additionalMetadata", left(p.input::text, ${PREVIEW_CHARS}) AS "inputPreview",
      (SELECT t."workflowRunId" FROM "TaskRun" t WHERE t.id = p."parentTaskRunId") AS "parentRunId",
      p."createdAt", p."startedAt", p."finishedAt"
    FROM (
      SELECT r.id, r."workflowId", r.status, r."triggerSource", r."replayOfId", r."waitingFor", r."parentTaskRunId", r."additionalMetadata", r.input,
        r."createdAt", r."startedAt", r."finishedAt"
      FROM "WorkflowRun" r
      WHERE ${whereSql(f, { status: true })}${after}
      ORDER BY r."createdAt" DESC, r.id DESC
      LIMIT ${limit}
    ) p
    JOIN "Workflow" w ON w.id = p."workflowId"
    ORDER BY p."createdAt" DESC, p.id DESC`;
}

/** Ids of the runs the list shows for a filter (status included), newest first, at most `limit`. */
export async function matchingRunIds(
  db: PrismaClient,
  projectId: string,
  input: RunListFilter,
  limit: number,
  now = new Date(),
): Promise<string[]> {
  const filter = await resolveFilter(db, projectId, input, now);
  if (!filter) return [];
  const rows = await db.$queryRaw<Array<{ id: string }>>(Prisma.sql`
    SELECT r.id FROM "WorkflowRun" r WHERE ${whereSql(filter, { status: true })}
    ORDER BY r."createdAt" DESC, r.id DESC LIMIT ${limit}`);
  return rows.map((r) => r.id);
}

/** Per status, how many runs match the filter without its status, up to COUNT_CAP + 1 (more than the cap). */
export function countsSql(f: ResolvedFilter): Prisma.Sql {
  if (!f.trigger && countsFromIndexOnly(f)) return countsWithoutPlaygroundSql(f);
  const where = whereSql(f, { status: false });
  const perStatus = RUN_STATUSES.map(
    (s) => Prisma.sql`SELECT ${s}::text AS status, (SELECT count(*) FROM (
        SELECT 1 FROM "WorkflowRun" r WHERE ${where} AND r.status = ${Prisma.raw(`'${s}'`)}::"RunStatus" LIMIT ${COUNT_CAP + 1}
      ) x)::int AS count`,
  );
  return Prisma.join(perStatus, ' UNION ALL ');
}

/** No filter but the project (and status): the counts are index-only scans of (projectId, status). */
const countsFromIndexOnly = (f: ResolvedFilter) => !f.workflowId && !f.from && !f.to && !f.meta && !f.q;

/**
 * The unfiltered default view's counts (every trigger but PLAYGROUND) without reading the runs: a
 * condition on "triggerSource" would turn the index-only scans of (projectId, status) into a heap
 * fetch per run (4 → ~25 ms on a million runs). Instead count every run, capped at COUNT_CAP + 1 +
 * the project's playground runs of that status (found through PlaygroundRun), and subtract those:
 * min(all − playground, cap + 1). That costs ~4 µs per playground run of the project. With any
 * other filter the runs are read anyway, and the plain condition costs nothing more.
 */
function countsWithoutPlaygroundSql(f: ResolvedFilter): Prisma.Sql {
  const where = whereSql(f, { status: false, trigger: false });
  const playground = (s: string) => Prisma.sql`coalesce((SELECT pg.n FROM pg WHERE pg.status = ${Prisma.raw(`'${s}'`)}::"RunStatus"), 0)`;
  const perStatus = RUN_STATUSES.map(
    (s) => Prisma.sql`SELECT ${s}::text AS status, ((SELECT count(*) FROM (
        SELECT 1 FROM "WorkflowRun" r WHERE ${where} AND r.status = ${Prisma.raw(`'${s}'`)}::"RunStatus" LIMIT ${COUNT_CAP + 1} + ${playground(s)}
      ) x) - ${playground(s)})::int AS count`,
  );
  return Prisma.sql`WITH pg AS (
      SELECT r.status, count(*) AS n FROM "PlaygroundRun" p JOIN "WorkflowRun" r ON r.id = p."runId"
      WHERE p."projectId" = ${f.projectId}::uuid AND r."triggerSource" = 'PLAYGROUND'::"TriggerSource" AND ${where}
      GROUP BY r.status
    )
    ${Prisma.join(perStatus, ' UNION ALL ')}`;
}

/** Row metadata as [key, text] chips (first few, cut), for the list; user data, rendered as text. */
function metadataChips(value: unknown): { chips: Array<[string, string]>; more: number } {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { chips: [], more: 0 };
  const entries = Object.entries(value as Record<string, unknown>);
  const chips = entries.slice(0, METADATA_CHIPS).map(([k, v]): [string, string] => {
    const text = typeof v === 'string' ? v : JSON.stringify(v);
    return [k.slice(0, METADATA_CHIP_CHARS), text.length > METADATA_CHIP_CHARS ? `${text.slice(0, METADATA_CHIP_CHARS)}…` : text];
  });
  return { chips, more: Math.max(0, entries.length - METADATA_CHIPS) };
}

function toListItem(r: PageRow) {
  const { chips, more } = metadataChips(r.additionalMetadata);
  return {
    id: r.id,
    workflowName: r.workflowName,
    status: r.status,
    createdAt: r.createdAt,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    durationMs: durationMs(r.startedAt, r.finishedAt),
    triggerSource: r.triggerSource,
    replayOfId: r.replayOfId,
    waitingFor: r.waitingFor,
    parentRunId: r.parentRunId,
    metadata: chips,
    moreMetadata: more,
    inputPreview: r.inputPreview,
  };
}
export type RunListItem = ReturnType<typeof toListItem>;

/**
 * One page of the project's runs (newest first) with counts per status for the same filter
 * without its status (a count over COUNT_CAP is COUNT_CAP and listed in `capped`).
 */
export async function listRuns(db: PrismaClient, projectId: string, input: RunListInput, now = new Date()) {
  const filter = await resolveFilter(db, projectId, input, now);
  const [rows, grouped, workflows] = await Promise.all([
    filter ? db.$queryRaw<PageRow[]>(pageSql(filter, input.cursor, input.limit + 1)) : [],
    input.cursor || !filter ? [] : db.$queryRaw<Array<{ status: RunStatusName; count: number }>>(countsSql(filter)),
    db.workflow.findMany({ where: { projectId }, orderBy: { name: 'asc' }, select: { name: true } }),
  ]);
  const page = rows.slice(0, input.limit);
  const counts = countByStatus(grouped.map((g) => ({ status: g.status, count: Math.min(g.count, COUNT_CAP) })));
  const capped = grouped.filter((g) => g.count > COUNT_CAP).map((g) => g.status);
  return {
    items: page.map(toListItem),
    nextCursor: rows.length > input.limit ? (page.at(-1)?.id ?? null) : null,
    /** Counts are computed for the first page only (later pages repeat the first page's). */
    counts,
    capped,
    countCap: COUNT_CAP,
    total: Object.values(counts).reduce((a, b) => a + b, 0),
    workflows: workflows.map((w) => w.name),
  };
}
export type RunListPage = Awaited<ReturnType<typeof listRuns>>;
