import { z } from 'zod';

// Read once, validated once. The launcher (scripts/start.ts) and the test
// harness resolve services first and pass the result down as these variables.
const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  DATABASE_URL: z.string().min(1, 'DATABASE_URL is not set: run `npm start`, or point it at a PostgreSQL database'),
  /** Which BullMQ backend carries task jobs. */
  WHETSTONE_TRANSPORT: z.enum(['redis', 'postgres']).default('redis'),
  REDIS_URL: z.string().default('redis://127.0.0.1:6379'),
  /** Key prefix (Redis) / queue-name prefix (Postgres) so installs and test runs never share queues. */
  WHETSTONE_QUEUE_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9_-]+$/)
    .max(28, 'at most 28 characters (it is part of per-project Postgres schema names, max 63)')
    .default('whetstone'),
  /** Largest input, output or event payload in bytes (REST bodies, task outputs); default 1 MiB. */
  WHETSTONE_MAX_PAYLOAD_BYTES: z.coerce.number().int().positive().default(1024 * 1024),
  /** How long a worker holds a task job without renewing its lock; a worker that dies loses its tasks after this (BullMQ lockDuration). */
  WHETSTONE_TASK_LOCK_MS: z.coerce.number().int().min(1000).default(30_000),
  /** How often the engine's recovery pass compares Postgres with the queues. */
  WHETSTONE_RECOVERY_INTERVAL_MS: z.coerce.number().int().min(100).default(5_000),
  /** What recovery leaves alone: state younger than this may still have a report in flight. */
  WHETSTONE_RECOVERY_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
  /** The URL workers and SDK clients use to reach this server. */
  WHETSTONE_PUBLIC_URL: z.string().url().optional(),
  /** GitHub's REST API, for "Open pull request" (GitHub Enterprise: https://HOST/api/v3; tests: a local fake). */
  WHETSTONE_GITHUB_API_URL: z
    .string()
    .url()
    .refine((u) => /^https?:/.test(u), 'must be an http(s) URL')
    .transform((u) => u.replace(/\/+$/, ''))
    .default('https://api.github.com'),
});

export type Env = z.infer<typeof schema>;

let cached: Env | undefined;

export function env(): Env {
  if (!cached) {
    const parsed = schema.safeParse(process.env);
    if (!parsed.success) {
      const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
      throw new Error(`Invalid server environment:\n${lines.join('\n')}`);
    }
    cached = parsed.data;
  }
  return cached;
}
