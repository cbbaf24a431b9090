// How many PostgreSQL connections a server process opens, and under which `application_name`,
// so that `pg_stat_activity` says whose each connection is (see docs/reliability.md, "Postgres
// transport: connections").
//
//   WHETSTONE_DB_POOL_MAX      Prisma's pool per process (default 10)
//   WHETSTONE_QUEUE_POOL_MAX   BullMQ's pool per project per process on the Postgres transport (default 3)
//   WHETSTONE_PROCESS_ROLE     the role in application_name (default: `engine` in the engine, `web` in Next)

export type ProcessRole = 'web' | 'engine' | (string & {});

const state = globalThis as unknown as { whetstoneProcessRole?: string };

/** The engine calls this at start; Next's server is `web`; anything else (scripts, tests) `server`. */
export function setProcessRole(role: ProcessRole): void {
  state.whetstoneProcessRole = role;
}

export function processRole(): string {
  return state.whetstoneProcessRole ?? process.env.WHETSTONE_PROCESS_ROLE ?? (process.env.NEXT_RUNTIME ? 'web' : 'server');
}

/** `whetstone-<role>[<pid>]:<purpose>`, at most 63 characters (Postgres truncates longer names). */
export function applicationName(purpose: string): string {
  return `whetstone-${processRole()}[${process.pid}]:${purpose}`.slice(0, 63);
}

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, not ${raw}`);
  return n;
}

/** Prisma's pool size per process. */
export function dbPoolMax(): number {
  // 5 starved the web under bursts of triggers (transactions waiting over 2 s for a connection)
  // and the engine (16 events at once): half the 1-task throughput in `npm run bench`.
  return positiveInt('WHETSTONE_DB_POOL_MAX', 10);
}

/** BullMQ's pool size per project per process (Postgres transport); one LISTEN connection comes on top where a worker waits. */
export function queuePoolMax(): number {
  return positiveInt('WHETSTONE_QUEUE_POOL_MAX', 3);
}
