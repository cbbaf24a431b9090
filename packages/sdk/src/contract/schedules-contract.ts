// Wire shapes of the schedules API: crons (recurring, UTC) and one-off schedules, plus the job
// the server puts on a project's `schedules` queue. Postgres holds every schedule; the job only
// names one.
//
// This module is re-exported by contract.ts, so it must not import from contract.ts (the cycle
// would evaluate this file first and find contract's schemas uninitialised): the few shared
// rules it needs are restated here.
import { z } from 'zod';
import { cronProblem } from './cron.js';
import { metadataMapSchema } from './metadata-contract.js';

/** Same alphabet as workflow and task names (NAME_PATTERN in contract.ts). */
const CRON_NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_-]{0,99}$/;

export const cronNameSchema = z
  .string()
  .regex(CRON_NAME_PATTERN, 'must start with a letter or digit and use only letters, digits, "-" and "_" (max 100)');

const scheduleMetadataSchema = metadataMapSchema.optional();
const schedulePrioritySchema = z.number().int().min(1).max(3).optional();

/** Longest delay / furthest date a one-off schedule may have: ten years. */
export const MAX_SCHEDULE_AHEAD_SECONDS = 10 * 365 * 24 * 3600;

const CRON_FIELDS_5 = ['minute', 'hour', 'day-of-month', 'month', 'day-of-week'] as const;
const CRON_FIELDS_6 = ['second', ...CRON_FIELDS_5] as const;

/**
 * Like cronProblem(), but names the field at fault when one field alone is invalid:
 * `Invalid cron expression "61 * * * *": the minute field "61" is invalid (Constraint error, …)`.
 * Null when the expression is valid.
 */
export function describeCronProblem(expression: string): string | null {
  const problem = cronProblem(expression);
  if (!problem) return null;
  const fields = expression.trim().split(/\s+/);
  const names = fields.length === 6 ? CRON_FIELDS_6 : fields.length === 5 ? CRON_FIELDS_5 : null;
  if (!names) return problem;
  for (let i = 0; i < fields.length; i++) {
    // The same expression with every other field a wildcard: fails only if this field does.
    const probe = fields.map((f, j) => (j === i ? f : '*')).join(' ');
    const fieldProblem = cronProblem(probe);
    if (fieldProblem) {
      const detail = fieldProblem.replace(`Invalid cron expression ${JSON.stringify(probe)}: `, '');
      return `Invalid cron expression ${JSON.stringify(expression)}: the ${names[i]} field ${JSON.stringify(fields[i])} is invalid (${detail})`;
    }
  }
  return problem;
}

// ---- REST: requests -------------------------------------------------------

/** POST /api/v1/workflows/:name/crons: creates the cron, or replaces the one with this name. */
export const createCronRequestSchema = z.object({
  name: cronNameSchema,
  /** 5 fields (minute hour day-of-month month day-of-week) or 6 with seconds first, in UTC. */
  expression: z.string().max(200),
  input: z.unknown().default({}),
  additionalMetadata: scheduleMetadataSchema,
  priority: schedulePrioritySchema,
});
export type CreateCronRequest = z.infer<typeof createCronRequestSchema>;

/** POST /api/v1/workflows/:name/schedules: one run at `runAt` (ISO 8601), or `delaySeconds` from now. */
export const createScheduleRequestSchema = z
  .object({
    runAt: z.string().optional(),
    delaySeconds: z
      .number()
      .min(0, 'delaySeconds must be 0 or more')
      .max(MAX_SCHEDULE_AHEAD_SECONDS, `delaySeconds is at most ${MAX_SCHEDULE_AHEAD_SECONDS} (ten years)`)
      .optional(),
    input: z.unknown().default({}),
    additionalMetadata: scheduleMetadataSchema,
    priority: schedulePrioritySchema,
  })
  .refine((body) => (body.runAt === undefined) !== (body.delaySeconds === undefined), {
    message: 'give exactly one of runAt (an ISO 8601 date) and delaySeconds',
  });
export type CreateScheduleRequest = z.infer<typeof createScheduleRequestSchema>;

// ---- REST: responses ------------------------------------------------------

export const scheduleKindSchema = z.enum(['CRON', 'ONCE']);
export type ScheduleKind = z.infer<typeof scheduleKindSchema>;
export const scheduleSourceSchema = z.enum(['DEFINITION', 'API']);
export type ScheduleSource = z.infer<typeof scheduleSourceSchema>;

/** One schedule as the API returns it; dates are ISO 8601 strings (UTC). */
export const scheduleInfoSchema = z.object({
  id: z.string(),
  workflow: z.string(),
  kind: scheduleKindSchema,
  /** DEFINITION: declared in the workflow's code (`onCrons`); API: created at runtime. */
  source: scheduleSourceSchema,
  /** Crons: the name (a declared cron is named by its expression). One-offs: null. */
  name: z.string().nullable(),
  expression: z.string().nullable(),
  /** One-offs: when it runs. */
  runAt: z.string().nullable(),
  input: z.unknown(),
  additionalMetadata: z.record(z.string(), z.string()).nullable(),
  priority: z.number().int().nullable(),
  /** The next time it fires; null for a one-off that already fired. */
  nextRunAt: z.string().nullable(),
  /** Crons: the tick that last started a run. */
  lastFiredAt: z.string().nullable(),
  /** One-offs: when it started its run. */
  firedAt: z.string().nullable(),
  createdAt: z.string(),
});
export type ScheduleInfo = z.infer<typeof scheduleInfoSchema>;

export const scheduleListResponseSchema = z.object({ schedules: z.array(scheduleInfoSchema) });
export type ScheduleListResponse = z.infer<typeof scheduleListResponseSchema>;

export const deleteScheduleResponseSchema = z.object({ deleted: z.literal(true), id: z.string() });
export type DeleteScheduleResponse = z.infer<typeof deleteScheduleResponseSchema>;

// ---- Queue ----------------------------------------------------------------

/** Each project's queue of schedule firings (cron job schedulers and delayed one-off jobs), consumed by the engine. */
export const SCHEDULES_QUEUE = 'schedules';

/** The job carries the schedule's id only: Postgres holds the rest, read when it fires. */
export const scheduleJobSchema = z.object({ scheduleId: z.string() });
export type ScheduleJob = z.infer<typeof scheduleJobSchema>;
