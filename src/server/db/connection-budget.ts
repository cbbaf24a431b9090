// How many PostgreSQL connections a server process opens, and under which `application_name`,
// so that `pg_stat_activity` says whose each connection is (see docs/reliability.md, "Postgres
// transport: connections"). The variables (WHETSTONE_DB_POOL_MAX, WHETSTONE_QUEUE_POOL_MAX,
// WHETSTONE_PROCESS_ROLE) are declared in env.ts; read through settings() because scripts create
// pools before DATABASE_URL is set.
import { settings } from '@/server/env';

export type ProcessRole = 'web' | 'engine' | (string & {});

const state = globalThis as unknown as { whetstoneProcessRole?: string };

/** The engine calls this at start; Next's server is `web`; anything else (scripts, tests) `server`. */
export function setProcessRole(role: ProcessRole): void {
  state.whetstoneProcessRole = role;
}

export function processRole(): string {
  if (state.whetstoneProcessRole) return state.whetstoneProcessRole;
  const { WHETSTONE_PROCESS_ROLE, NEXT_RUNTIME } = settings();
  return WHETSTONE_PROCESS_ROLE ?? (NEXT_RUNTIME ? 'web' : 'server');
}

/** `whetstone-<role>[<pid>]:<purpose>`, at most 63 characters (Postgres truncates longer names). */
export function applicationName(purpose: string): string {
  return `whetstone-${processRole()}[${process.pid}]:${purpose}`.slice(0, 63);
}

/** Prisma's pool size per process (default 10). */
export function dbPoolMax(): number {
  return settings().WHETSTONE_DB_POOL_MAX;
}

/** BullMQ's pool size per project per process (Postgres transport, default 3); one LISTEN connection comes on top where a BullMQ worker waits (the engine). */
export function queuePoolMax(): number {
  return settings().WHETSTONE_QUEUE_POOL_MAX;
}
