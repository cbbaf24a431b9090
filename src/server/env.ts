import { z } from 'zod';

// Every environment variable the server (web, engine) reads, declared once: its type, default
// and meaning. Documented for operators in docs/reliability.md ("Server settings"); env.test.ts
// checks that table lists every name below.
//
//   env()                 the web's and the engine's settings: validated once per process, and
//                         DATABASE_URL is required (the launcher resolves it before starting them).
//   settings(environment) the same declarations without requiring DATABASE_URL, parsed on every
//                         call: for code that runs before services are resolved (the launcher,
//                         scripts, resolvePostgres/resolveTransport) or that takes an environment
//                         (tests). Its callers run once per process or pool; cache where it matters.
//
// An empty value counts as unset (`WHETSTONE_TRANSPORT= npm start` detects the transport).
// Errors name the variable. Not here: NODE_ENV (Next.js sets it and inlines it into bundles; only
// src/proxy.ts looks at it, for `next dev`'s CSP), PORT (the launcher's and `next start`'s), the
// SDK worker's variables (WHETSTONE_API_URL, …: packages/sdk), and the tests' and benchmarks' own
// (WHETSTONE_TEST_*, BENCH_*).

/** Where resolveTransport looks for Redis when REDIS_URL is unset, and the web's and engine's REDIS_URL by default. */
export const LOCAL_REDIS_URL = 'redis://127.0.0.1:6379';

/** A whole number of at least `min`, written in decimal. */
function wholeNumber(min: number) {
  return z.string().transform((raw, ctx) => {
    const value = Number(raw.trim());
    if (/^\s*\d+\s*$/.test(raw) && Number.isSafeInteger(value) && value >= min) return value;
    ctx.issues.push({ code: 'custom', input: raw, message: `must be a whole number of at least ${min}, not "${raw}"` });
    return z.NEVER;
  });
}

const httpUrl = (what: string) => z.url({ protocol: /^https?$/, error: `must be an http(s) URL (${what})` });

const transport = z.enum(['redis', 'postgres'], { error: (issue) => `must be "redis" or "postgres", not "${String(issue.input)}"` });
const redisUrl = z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' });

const declarations = {
  /**
   * The application database. Required by the web and the engine; before launch (npm start,
   * scripts) unset means: a server on 127.0.0.1:5432, else an embedded one (services/postgres.ts).
   */
  DATABASE_URL: z.string().optional(),
  /**
   * Which BullMQ backend carries task jobs. Unset: the launcher picks Redis when REDIS_URL is set
   * or one answers on 127.0.0.1:6379, else Postgres, and passes its choice on; a web or engine
   * started without the launcher assumes `redis`.
   */
  WHETSTONE_TRANSPORT: transport.optional(),
  /** The Redis of the Redis transport (and of rate limits on it). Unset: 127.0.0.1:6379 (see WHETSTONE_TRANSPORT). */
  REDIS_URL: redisUrl.optional(),
  /** Key prefix (Redis) / queue-name prefix (Postgres) so installs and test runs never share queues. */
  WHETSTONE_QUEUE_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9_-]+$/, 'must be letters, digits, _ and - only')
    .max(28, 'must be at most 28 characters (it is part of per-project Postgres schema names, max 63)')
    .default('whetstone'),
  /** Largest input, output or event payload in bytes (REST bodies, task outputs); default 1 MiB. */
  WHETSTONE_MAX_PAYLOAD_BYTES: wholeNumber(1).default(1024 * 1024),
  /** How long an SDK worker holds a task job without renewing its lock; an SDK worker that dies loses its tasks after this (BullMQ lockDuration). */
  WHETSTONE_TASK_LOCK_MS: wholeNumber(1000).default(30_000),
  /** How often the engine's recovery pass compares Postgres with the queues. */
  WHETSTONE_RECOVERY_INTERVAL_MS: wholeNumber(100).default(5_000),
  /** What recovery leaves alone: state younger than this may still have a report in flight. */
  WHETSTONE_RECOVERY_GRACE_MS: wholeNumber(0).default(10_000),
  /** The URL SDK workers and clients use to reach this server (links in pull requests). */
  WHETSTONE_PUBLIC_URL: httpUrl('the URL SDK workers and clients reach this server at').optional(),
  /** GitHub's REST API, for "Open pull request" (GitHub Enterprise: https://HOST/api/v3; tests: a local fake). */
  WHETSTONE_GITHUB_API_URL: httpUrl('GitHub Enterprise: https://HOST/api/v3')
    .transform((u) => u.replace(/\/+$/, ''))
    .default('https://api.github.com'),
  /**
   * Key of the secrets stored at rest (queue credentials, repository tokens), base64 of 32 bytes.
   * Unset: generated once into WHETSTONE_DATA_DIR/secret-key (crypto/secrets.ts).
   */
  WHETSTONE_SECRET_KEY: z
    .string()
    .refine((value) => Buffer.from(value, 'base64').length === 32, 'must be 32 bytes, base64-encoded (openssl rand -base64 32)')
    .optional(),
  /** Generated secret key, embedded PostgreSQL data, the demo API key. Unset: `.whetstone` in the repository. */
  WHETSTONE_DATA_DIR: z.string().optional(),
  /** The root the SDK records call sites relative to, read by "Download patch". Unset: the git checkout around the server's working directory. */
  WHETSTONE_SOURCE_ROOT: z.string().optional(),
  /** Prisma's pool per process. 5 starved the web under bursts of triggers and the engine (16 events at once). */
  WHETSTONE_DB_POOL_MAX: wholeNumber(1).default(10),
  /** BullMQ's pool per project per process on the Postgres transport; one LISTEN connection comes on top where a BullMQ worker waits (the engine). */
  WHETSTONE_QUEUE_POOL_MAX: wholeNumber(1).default(3),
  /** The role in connections' application_name (`whetstone-<role>[<pid>]:…`). Unset: `engine` in the engine, `web` in Next, else `server`. */
  WHETSTONE_PROCESS_ROLE: z
    .string()
    .regex(/^[\w.-]+$/, 'must be letters, digits, _, . and - only')
    .optional(),
  /**
   * How many reverse proxies stand in front of the web process (unset: 0), each appending the address it saw
   * to X-Forwarded-For (docs/security.md). 0 (default): forwarded headers are not trusted — the
   * CSRF check compares Origin with Host only, and the client address is what Next.js took from the
   * socket. N: the client address is the Nth X-Forwarded-For entry from the right, and
   * X-Forwarded-Host counts as this server's host.
   */
  WHETSTONE_TRUSTED_PROXIES: wholeNumber(0).optional(),
  /** Benchmarks: a directory where this process writes its SQL statement counts (db/query-stats.ts). */
  WHETSTONE_QUERY_STATS: z.string().optional(),
  /** Set by Next.js in its server (`nodejs`): tells the web process apart. Not for users to set. */
  NEXT_RUNTIME: z.string().optional(),
};

const settingsSchema = z.object(declarations);

// The web and the engine: DATABASE_URL is required, and transport and Redis have their defaults.
const serverSchema = settingsSchema.extend({
  DATABASE_URL: z.string({ error: 'is not set: run `npm start`, or point it at a PostgreSQL database' }),
  WHETSTONE_TRANSPORT: transport.default('redis'),
  REDIS_URL: redisUrl.default(LOCAL_REDIS_URL),
});

/** What settings() returns: every declaration, DATABASE_URL, WHETSTONE_TRANSPORT and REDIS_URL optional. */
export type Settings = z.infer<typeof settingsSchema>;
/** What env() returns. */
export type Env = z.infer<typeof serverSchema>;

type Environment = Record<string, string | undefined>;

/** Every variable declared above (docs and tests list them). */
export const VARIABLE_NAMES = Object.keys(declarations) as (keyof typeof declarations)[];

function parse<S extends z.ZodType>(schema: S, environment: Environment): z.infer<S> {
  // Only the declared names, and an empty value is unset.
  const present: Environment = {};
  for (const name of VARIABLE_NAMES) {
    const value = environment[name];
    if (value !== undefined && value !== '') present[name] = value;
  }
  const parsed = schema.safeParse(present);
  if (parsed.success) return parsed.data;
  // Every message above reads on from the name ("X must be …", "X is not set …"); none repeats a value that may be secret.
  const lines = parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`);
  throw new Error(lines.length === 1 ? `Invalid environment: ${lines[0]}` : `Invalid environment:\n  ${lines.join('\n  ')}`);
}

/** The declarations, validated, without requiring DATABASE_URL (for code that runs before it is known). Not cached. */
export function settings(environment: Environment = process.env): Settings {
  return parse(settingsSchema, environment);
}

/** The web's and the engine's settings, DATABASE_URL required; not cached (tests). */
export function parseEnv(environment: Environment = process.env): Env {
  return parse(serverSchema, environment);
}

let cached: Env | undefined;

/** The web's and the engine's settings: process.env, validated on the first call and kept for the process. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
