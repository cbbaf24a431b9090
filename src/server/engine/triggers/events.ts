import picomatch from 'picomatch';
import {
  EVENT_KEY_MAX_LENGTH,
  EVENT_KEY_WILDCARDS,
  listEventsQuerySchema,
  wildcardKeyMessage,
  type EventDetail,
  type EventSummary,
  type ListEventsResponse,
  type PushEventResponse,
  type ReplayEventResponse,
} from '@whetstone/sdk/contract';
import { Prisma, type PrismaClient } from '@/server/db/client';
import { env } from '@/server/env';
import { completeEventSteps } from '@/server/engine/durable/event-steps';
import { badRequest, DomainError, internal, notFound, tooLarge } from '@/server/errors';
import { isUuid } from '@/server/engine/ids';
import { createRun } from './create-run';

// Durable events (Hatchet v1's `events.push`). The Event row is written first; then one run is
// created per workflow whose latest version's `onEvents` matches the key, each with the
// idempotency key `event:<eventId>:<workflow>`; then `processedAt` is set. A process dying in
// between leaves `processedAt` null, and `processPendingEvents` (the engine's recovery loop) does
// the rest: the idempotency keys make creating the same runs again return the existing ones.

// ---- Matching (pure) ------------------------------------------------------

/**
 * Glob semantics (picomatch): `*` matches any characters except `/`, `**` as a whole `/`-segment
 * matches any number of segments (`orders/**`, `**\/created`; inside a segment, `ticket:**` is the
 * same as `ticket:*`), `?` one character, `[abc]` a class, `{a,b}` alternatives. Case-sensitive;
 * `!`, `(`, `)`, `+`, `@` and a leading `.` are plain characters.
 */
const MATCH_OPTIONS: picomatch.PicomatchOptions = { windows: false, dot: true, nonegate: true, noextglob: true };
const MAX_CACHED_PATTERNS = 5_000;
const matchers = new Map<string, (key: string) => boolean>();

/** Whether an event key matches one `onEvents` pattern (an exact key is a pattern without wildcards). */
export function eventKeyMatches(key: string, pattern: string): boolean {
  let matcher = matchers.get(pattern);
  if (!matcher) {
    try {
      const compiled = picomatch(pattern, MATCH_OPTIONS);
      matcher = (k) => compiled(k);
    } catch {
      matcher = () => false; // picomatch refuses only the empty pattern, which definitions cannot hold
    }
    if (matchers.size >= MAX_CACHED_PATTERNS) matchers.clear();
    matchers.set(pattern, matcher);
  }
  return matcher(key);
}

export interface EventTriggeredWorkflow {
  name: string;
  onEvents: readonly string[];
}

/** Names of the workflows (in the given order) with at least one `onEvents` pattern matching `key`. */
export function matchingWorkflows(key: string, workflows: readonly EventTriggeredWorkflow[]): string[] {
  return workflows.filter((w) => w.onEvents.some((pattern) => eventKeyMatches(key, pattern))).map((w) => w.name);
}

// ---- Push -----------------------------------------------------------------

export interface PushEventInput {
  key: string;
  /** Any JSON value; `undefined` is stored as `{}`. */
  payload?: unknown;
  additionalMetadata?: Record<string, string>;
  /** Set by replayEvent: the event this one repeats. */
  replayOfId?: string;
}

/** Stores the event, then starts the runs of every matching workflow. bad_request: bad key, too_large: payload over the limit. */
export async function pushEvent(prisma: PrismaClient, projectId: string, input: PushEventInput): Promise<PushEventResponse> {
  assertPushableKey(input.key);
  const payload = input.payload === undefined ? {} : input.payload;
  const bytes = Buffer.byteLength(JSON.stringify(payload));
  const limit = env().WHETSTONE_MAX_PAYLOAD_BYTES;
  if (bytes > limit) throw tooLarge(`Event payload is ${bytes} bytes; the limit is ${limit} bytes (WHETSTONE_MAX_PAYLOAD_BYTES)`);

  const event = await prisma.event.create({
    data: {
      projectId,
      key: input.key,
      payload: payload === null ? Prisma.JsonNull : (payload as Prisma.InputJsonValue),
      additionalMetadata: input.additionalMetadata ?? Prisma.DbNull,
      replayOfId: input.replayOfId,
    },
  });
  try {
    return { eventId: event.id, runIds: await startEventRuns(prisma, event) };
  } catch (err) {
    // The event is durable: recovery will start its runs. Say so, so that the caller does not push it twice.
    console.error(`[events] event ${event.id} ('${event.key}') was stored but starting its runs failed; recovery will retry`, err);
    await recordFailedAttempt(prisma, event.id, 0, err);
    throw internal(
      `Event ${event.id} was stored, but starting its runs failed; the server will start them on its own, so do not push it again (GET /api/v1/events/${event.id} shows its runs)`,
      err,
    );
  }
}

function assertPushableKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0 || key.length > EVENT_KEY_MAX_LENGTH) {
    throw badRequest(`An event key has 1 to ${EVENT_KEY_MAX_LENGTH} characters`);
  }
  if (EVENT_KEY_WILDCARDS.test(key)) throw badRequest(wildcardKeyMessage(key));
}

interface StoredEvent {
  id: string;
  projectId: string;
  key: string;
  payload: Prisma.JsonValue;
  additionalMetadata: Prisma.JsonValue;
}

/**
 * Creates one run per matching workflow (idempotent per event and workflow), then marks the event
 * processed. A workflow that refuses the payload (invalid input) is skipped with a warning.
 */
async function startEventRuns(prisma: PrismaClient, event: StoredEvent): Promise<string[]> {
  const names = matchingWorkflows(event.key, await triggerableWorkflows(prisma, event.projectId));
  const runIds: string[] = [];
  for (const name of names) {
    const runId = await createEventRun(prisma, event, name);
    if (runId) runIds.push(runId);
  }
  // Durable tasks waiting for this key (`ctx.waitForEvent`): before processedAt, so recovery redoes it after a crash.
  await completeEventSteps(prisma, event.id);
  await prisma.event.updateMany({ where: { id: event.id, processedAt: null }, data: { processedAt: new Date() } });
  return runIds;
}

/** The project's workflows (by name) with the `onEvents` of their latest version. */
async function triggerableWorkflows(prisma: PrismaClient, projectId: string): Promise<EventTriggeredWorkflow[]> {
  const workflows = await prisma.workflow.findMany({
    where: { projectId },
    orderBy: { name: 'asc' },
    select: { name: true, versions: { orderBy: { version: 'desc' }, take: 1, select: { definition: true } } },
  });
  return workflows.map((w) => ({ name: w.name, onEvents: onEventsOf(w.versions[0]?.definition) }));
}

function onEventsOf(definition: Prisma.JsonValue | undefined): string[] {
  if (!definition || typeof definition !== 'object' || Array.isArray(definition)) return [];
  const onEvents = definition.onEvents;
  return Array.isArray(onEvents) ? onEvents.filter((p): p is string => typeof p === 'string' && p.length > 0) : [];
}

async function createEventRun(prisma: PrismaClient, event: StoredEvent, workflowName: string): Promise<string | null> {
  const metadata = asMetadata(event.additionalMetadata);
  try {
    // createRun returns the existing run for a known idempotency key (also when two processes race).
    return await createRun(prisma, event.projectId, workflowName, {
      input: event.payload,
      additionalMetadata: Object.keys(metadata).length > 0 ? metadata : undefined,
      triggerSource: 'EVENT',
      eventId: event.id,
      idempotencyKey: `event:${event.id}:${workflowName}`,
    });
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    // Invalid input for this workflow (bad_request), workflow gone (not_found), …: the other workflows still run.
    console.warn(`[events] event ${event.id} ('${event.key}') did not start workflow '${workflowName}': ${err.message}`);
    return null;
  }
}

function asMetadata(value: Prisma.JsonValue): Record<string, string> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

// ---- Recovery -------------------------------------------------------------

/** Attempts (the push's own included) after which an event whose runs cannot be started is marked failed. */
export const MAX_EVENT_ATTEMPTS = 5;
/** Wait before recovery tries an event again after its n-th failed attempt: 10 s, 20 s, 40 s, … at most 5 minutes. */
export function eventRetryDelayMs(failedAttempts: number): number {
  return Math.min(5_000 * 2 ** failedAttempts, 300_000);
}
/** Longest failure reason stored with an event. */
const MAX_FAILURE_REASON = 2_000;

export interface ProcessPendingEventsOptions {
  /** Only events stored at least this long ago (leave in-flight pushes to their request). */
  olderThanMs: number;
  /** At most this many events per call (oldest first); default 100. */
  limit?: number;
}

/**
 * Counts a failed attempt at starting an event's runs: recovery tries it again after a backoff
 * (eventRetryDelayMs), and after MAX_EVENT_ATTEMPTS it is marked failed with the reason and left
 * alone, so a poison event is never retried forever and never holds up the others.
 * Conditional on the attempts seen, so two processes failing the same event count it once.
 */
async function recordFailedAttempt(prisma: PrismaClient, eventId: string, attemptsBefore: number, err: unknown): Promise<void> {
  const attempts = attemptsBefore + 1;
  const reason = ((err as Error)?.message || String(err)).slice(0, MAX_FAILURE_REASON);
  const now = new Date();
  try {
    await prisma.event.updateMany({
      where: { id: eventId, processedAt: null, attempts: attemptsBefore },
      data: {
        attempts,
        failureReason: reason,
        ...(attempts >= MAX_EVENT_ATTEMPTS
          ? { failedAt: now, nextAttemptAt: null }
          : { nextAttemptAt: new Date(now.getTime() + eventRetryDelayMs(attempts)) }),
      },
    });
    if (attempts >= MAX_EVENT_ATTEMPTS) {
      console.error(`[events] event ${eventId} failed ${attempts} times; it is marked failed and will not be retried: ${reason}`);
    }
  } catch (recordErr) {
    // The database may be what failed; the event stays pending and recovery tries again.
    console.error(`[events] could not record the failed attempt of event ${eventId}: ${(recordErr as Error).message}`);
  }
}

/**
 * Starts the runs of events whose push died between storing the event and marking it processed.
 * Safe to call from several processes at once and repeatedly: runs are created at most once per
 * event and workflow. An event that fails is retried with backoff and marked failed after
 * MAX_EVENT_ATTEMPTS attempts; one failing event never stops the others. Resolves with the number
 * of events it completed.
 */
export async function processPendingEvents(prisma: PrismaClient, opts: ProcessPendingEventsOptions): Promise<number> {
  const now = new Date();
  const events = await prisma.event.findMany({
    where: {
      processedAt: null,
      failedAt: null,
      createdAt: { lte: new Date(now.getTime() - opts.olderThanMs) },
      OR: [{ nextAttemptAt: null }, { nextAttemptAt: { lte: now } }],
    },
    orderBy: { createdAt: 'asc' },
    take: opts.limit ?? 100,
    select: { id: true, projectId: true, key: true, payload: true, additionalMetadata: true, attempts: true },
  });
  let processed = 0;
  for (const event of events) {
    try {
      await startEventRuns(prisma, event);
      processed++;
    } catch (err) {
      console.error(`[events] recovery could not start the runs of event ${event.id} ('${event.key}'): ${(err as Error).message}`);
      await recordFailedAttempt(prisma, event.id, event.attempts, err);
    }
  }
  return processed;
}

// ---- Read and replay ------------------------------------------------------

const summarySelect = {
  id: true,
  key: true,
  payload: true,
  additionalMetadata: true,
  replayOfId: true,
  processedAt: true,
  failedAt: true,
  failureReason: true,
  createdAt: true,
} satisfies Prisma.EventSelect;

type EventRow = Prisma.EventGetPayload<{ select: typeof summarySelect }>;

function toSummary(row: EventRow): EventSummary {
  return {
    id: row.id,
    key: row.key,
    payload: row.payload,
    additionalMetadata: asMetadata(row.additionalMetadata),
    replayOfId: row.replayOfId,
    processedAt: row.processedAt?.toISOString() ?? null,
    failedAt: row.failedAt?.toISOString() ?? null,
    failureReason: row.failureReason,
    createdAt: row.createdAt.toISOString(),
  };
}

/** The project's events, newest first, optionally with exactly one key; `cursor` is the previous page's `nextCursor`. */
export async function listEvents(
  prisma: PrismaClient,
  projectId: string,
  query: { key?: string; limit?: number; cursor?: string } = {},
): Promise<ListEventsResponse> {
  const parsed = listEventsQuerySchema.safeParse(query);
  if (!parsed.success) {
    throw badRequest(`Invalid query: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; ')}`);
  }
  const { key, limit, cursor } = parsed.data;
  let after: Prisma.EventWhereInput = {};
  if (cursor !== undefined) {
    const at = isUuid(cursor)
      ? await prisma.event.findFirst({ where: { id: cursor, projectId }, select: { id: true, createdAt: true } })
      : null;
    if (!at) throw badRequest(`Unknown cursor '${cursor}': pass the nextCursor of a previous page`);
    after = { OR: [{ createdAt: { lt: at.createdAt } }, { createdAt: at.createdAt, id: { lt: at.id } }] };
  }
  const rows = await prisma.event.findMany({
    where: { projectId, ...(key !== undefined ? { key } : {}), ...after },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: limit + 1,
    select: summarySelect,
  });
  const page = rows.slice(0, limit);
  return { events: page.map(toSummary), nextCursor: rows.length > limit ? page[page.length - 1]!.id : null };
}

async function findEvent(prisma: PrismaClient, projectId: string, eventId: string): Promise<EventRow> {
  const row = isUuid(eventId) ? await prisma.event.findFirst({ where: { id: eventId, projectId }, select: summarySelect }) : null;
  if (!row) throw notFound(`Event '${eventId}' not found in this project`);
  return row;
}

/** One event with the ids of the runs it started (oldest first). not_found for unknown ids and other projects' events. */
export async function getEvent(prisma: PrismaClient, projectId: string, eventId: string): Promise<EventDetail> {
  const row = await findEvent(prisma, projectId, eventId);
  const runs = await prisma.workflowRun.findMany({
    where: { eventId: row.id, projectId },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    select: { id: true },
  });
  return { ...toSummary(row), runIds: runs.map((r) => r.id) };
}

/**
 * Pushes the event again as a NEW event with the same key, payload and metadata, `replayOfId`
 * = `eventId` (a replay of a replay links to that replay), starting new runs of the workflows
 * whose latest version matches it now.
 */
export async function replayEvent(prisma: PrismaClient, projectId: string, eventId: string): Promise<ReplayEventResponse> {
  const original = await findEvent(prisma, projectId, eventId);
  const metadata = asMetadata(original.additionalMetadata);
  const pushed = await pushEvent(prisma, projectId, {
    key: original.key,
    payload: original.payload,
    additionalMetadata: original.additionalMetadata === null ? undefined : metadata,
    replayOfId: original.id,
  });
  return { ...pushed, replayOfId: original.id };
}
