// Wire shapes of the events API (push, list, get, replay). Re-exported by contract.ts.
// Self-contained on purpose: contract.ts re-exports this module, so importing from it here
// would be a cycle evaluated before contract.ts' own bindings exist.
import { z } from 'zod';
import { metadataMapSchema } from './metadata-contract.js';

/** Longest event key (and onEvents pattern). */
export const EVENT_KEY_MAX_LENGTH = 200;

/**
 * Characters that make a string a glob pattern (`*`, `**`, `?`, `[abc]`, `{a,b}`): allowed in a
 * workflow's `onEvents`, refused in a pushed key so that a key never looks like a pattern.
 */
export const EVENT_KEY_WILDCARDS = /[*?[\]{}]/;

/** The message for a pushed key with a wildcard (server and SDK say the same). */
export function wildcardKeyMessage(key: string): string {
  return `Event key ${JSON.stringify(key)} contains a wildcard character (* ? [ ] { }): wildcards belong in a workflow's onEvents patterns; push a concrete key such as "ticket:created"`;
}

/** A key as pushed: 1-200 characters, no wildcards. */
export const pushEventKeySchema = z
  .string()
  .min(1, 'an event key needs at least 1 character')
  .max(EVENT_KEY_MAX_LENGTH, `an event key has at most ${EVENT_KEY_MAX_LENGTH} characters`)
  .superRefine((key, ctx) => {
    if (EVENT_KEY_WILDCARDS.test(key)) ctx.addIssue({ code: 'custom', message: wildcardKeyMessage(key) });
  });

/** As stored (responses): what was accepted when the event was pushed. */
const eventMetadataSchema = z.record(z.string(), z.string());

// ---- POST /api/v1/events ---------------------------------------------------

export const pushEventRequestSchema = z.object({
  key: pushEventKeySchema,
  /** Any JSON value (usually an object); it becomes the input of every run the event starts. Default `{}`. */
  payload: z.unknown().default({}),
  /** Copied into the additionalMetadata of every run the event starts. */
  additionalMetadata: metadataMapSchema.optional(),
});
export type PushEventRequest = z.infer<typeof pushEventRequestSchema>;

export const pushEventResponseSchema = z.object({
  eventId: z.string(),
  /** The runs the event started, one per workflow whose onEvents matched (by workflow name). */
  runIds: z.array(z.string()),
});
export type PushEventResponse = z.infer<typeof pushEventResponseSchema>;

// ---- GET /api/v1/events -----------------------------------------------------

export const DEFAULT_EVENT_LIST_LIMIT = 50;
export const MAX_EVENT_LIST_LIMIT = 100;

/** Query string of the list (`?key=&limit=&cursor=`); numbers arrive as strings. */
export const listEventsQuerySchema = z.object({
  /** Only events with exactly this key. */
  key: z.string().min(1).max(EVENT_KEY_MAX_LENGTH).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_EVENT_LIST_LIMIT).default(DEFAULT_EVENT_LIST_LIMIT),
  /** `nextCursor` of the previous page. */
  cursor: z.string().min(1).optional(),
});
export type ListEventsQuery = z.input<typeof listEventsQuerySchema>;

export const eventSummarySchema = z.object({
  id: z.string(),
  key: z.string(),
  payload: z.unknown(),
  additionalMetadata: eventMetadataSchema,
  /** Set on a replay: the event it repeats. */
  replayOfId: z.string().nullable(),
  /** ISO time its runs were started; null while the server (or its recovery) still has to. */
  processedAt: z.string().nullable(),
  /** ISO time the server gave up starting its runs (it failed MAX_EVENT_ATTEMPTS times); null otherwise. Replay it once fixed. */
  failedAt: z.string().nullable().default(null),
  /** Why its runs could not be started (the last error), while it is retried or once it failed; null otherwise. */
  failureReason: z.string().nullable().default(null),
  /** ISO time it was stored. */
  createdAt: z.string(),
});
export type EventSummary = z.infer<typeof eventSummarySchema>;

export const listEventsResponseSchema = z.object({
  /** Newest first. */
  events: z.array(eventSummarySchema),
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type ListEventsResponse = z.infer<typeof listEventsResponseSchema>;

// ---- GET /api/v1/events/:id -------------------------------------------------

export const eventDetailSchema = eventSummarySchema.extend({
  /** Every run this event started, oldest first. */
  runIds: z.array(z.string()),
});
export type EventDetail = z.infer<typeof eventDetailSchema>;

// ---- POST /api/v1/events/:id/replay -----------------------------------------

export const replayEventResponseSchema = pushEventResponseSchema.extend({
  /** The event that was replayed (the `:id` of the request). */
  replayOfId: z.string(),
});
export type ReplayEventResponse = z.infer<typeof replayEventResponseSchema>;
