// Concurrency limits, rate limits and durable waits: the parts of a definition (and of the wire)
// the engine enforces. Shared by SDK and server like the rest of the contract.
import { z } from 'zod';

/**
 * Where a key comes from: a dotted path into the run's `input` or `additionalMetadata`
 * (`'input.customerId'`, `'additionalMetadata.tenant'`), evaluated by the engine when a run or task
 * is queued. A missing value is the key `''` (all such runs share one group).
 */
export const KEY_EXPRESSION_PATTERN = /^(input|additionalMetadata)(\.[A-Za-z0-9_$-]+)*$/;
export const keyExpressionSchema = z
  .string()
  .regex(KEY_EXPRESSION_PATTERN, "must be a path such as 'input.customerId' or 'additionalMetadata.tenant'");

export const CONCURRENCY_STRATEGIES = ['GROUP_ROUND_ROBIN', 'CANCEL_IN_PROGRESS', 'CANCEL_NEWEST'] as const;
export type ConcurrencyStrategy = (typeof CONCURRENCY_STRATEGIES)[number];

export const concurrencySchema = z.object({
  /** The group key of a run (or task run). */
  expression: keyExpressionSchema,
  /** Runs of one key running at once. */
  maxRuns: z.number().int().min(1).max(10_000).default(1),
  /**
   * GROUP_ROUND_ROBIN: over the limit, a run waits its turn; keys are served in turn, so one busy
   * key cannot starve the others. CANCEL_IN_PROGRESS: the oldest running one of the key is
   * cancelled to make room. CANCEL_NEWEST: the new run is cancelled.
   */
  limitStrategy: z.enum(CONCURRENCY_STRATEGIES).default('GROUP_ROUND_ROBIN'),
});
export type Concurrency = z.infer<typeof concurrencySchema>;
export const concurrencyListSchema = z.array(concurrencySchema).max(5).optional();

export const RATE_LIMIT_DURATIONS = ['SECOND', 'MINUTE', 'HOUR', 'DAY'] as const;
export type RateLimitDuration = (typeof RATE_LIMIT_DURATIONS)[number];
export const RATE_LIMIT_DURATION_MS: Record<RateLimitDuration, number> = {
  SECOND: 1_000,
  MINUTE: 60_000,
  HOUR: 3_600_000,
  DAY: 86_400_000,
};

export const rateLimitKeySchema = z.string().min(1).max(200);

export const taskRateLimitSchema = z
  .object({
    /** A limit created with `ws.ratelimits.upsert({ key, limit, duration })`. */
    staticKey: rateLimitKeySchema.optional(),
    /** A limit per value of this expression (`'input.userId'`), with `limit` and `duration` given here. */
    dynamicKey: keyExpressionSchema.optional(),
    /** Units one task run uses (default 1). */
    units: z.number().int().min(1).max(1_000_000).default(1),
    limit: z.number().int().min(1).max(1_000_000_000).optional(),
    duration: z.enum(RATE_LIMIT_DURATIONS).optional(),
  })
  .superRefine((r, ctx) => {
    if (Boolean(r.staticKey) === Boolean(r.dynamicKey))
      ctx.addIssue({ code: 'custom', message: 'a rate limit needs exactly one of staticKey or dynamicKey' });
    if (r.dynamicKey && (r.limit === undefined || r.duration === undefined))
      ctx.addIssue({ code: 'custom', message: 'a dynamicKey rate limit needs limit and duration' });
    if (r.limit !== undefined && r.units > r.limit)
      ctx.addIssue({ code: 'custom', message: `units (${r.units}) exceed the limit (${r.limit}): the task could never run` });
  });
export type TaskRateLimit = z.infer<typeof taskRateLimitSchema>;
export const taskRateLimitListSchema = z.array(taskRateLimitSchema).max(10).optional();

/** `ws.ratelimits.upsert()`: a project-wide limit tasks name with `staticKey`. */
export const upsertRateLimitRequestSchema = z.object({
  key: rateLimitKeySchema,
  limit: z.number().int().min(1).max(1_000_000_000),
  duration: z.enum(RATE_LIMIT_DURATIONS).default('SECOND'),
});
export type UpsertRateLimitRequest = z.infer<typeof upsertRateLimitRequestSchema>;
export const rateLimitSchema = upsertRateLimitRequestSchema.extend({ updatedAt: z.string() });
