import { redactUrl } from './redact-url';

export { redactUrl };
import pg from 'pg';

// Small helpers for server-level work (probe, create/drop databases) over plain
// `pg`, shared by the migration tooling and src/server/services/postgres.ts.

/** `url` with its database path replaced by `database` (query string kept). */
export function databaseUrl(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

/** The database a URL points at, or undefined when it has no path (pg then uses the user name). */
export function databaseNameOf(url: string): string | undefined {
  const path = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  return path === '' ? undefined : path;
}

/** Postgres SQLSTATE of an error thrown by `pg`, if any. */
export function pgErrorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Runs `fn` on a fresh connection and always closes it. */
export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>, opts: { timeoutMs?: number } = {}): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: opts.timeoutMs ?? 5_000 });
  client.on('error', () => {}); // a server-side termination must not crash the process
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Runs `fn` connected to the server's maintenance database (`postgres`, else `template1`). */
export async function withServer<T>(
  serverUrl: string,
  fn: (client: pg.Client) => Promise<T>,
  opts: { timeoutMs?: number } = {},
): Promise<T> {
  try {
    return await withClient(databaseUrl(serverUrl, 'postgres'), fn, opts);
  } catch (error) {
    if (pgErrorCode(error) !== '3D000') throw error; // 3D000: database "postgres" does not exist
    return withClient(databaseUrl(serverUrl, 'template1'), fn, opts);
  }
}

/** Does the server answer within `timeoutMs`? */
export async function serverAnswers(serverUrl: string, timeoutMs = 1_500): Promise<boolean> {
  try {
    await withServer(serverUrl, (c) => c.query('select 1'), { timeoutMs });
    return true;
  } catch {
    return false;
  }
}

/** Creates database `name` unless it exists; true when this call created it. Safe under concurrency. */
export async function ensureDatabase(serverUrl: string, name: string): Promise<boolean> {
  return withServer(serverUrl, async (client) => {
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount) return false;
    try {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
      return true;
    } catch (error) {
      // 42P04 duplicate_database, 23505 unique_violation: another process created it first.
      if (pgErrorCode(error) === '42P04' || pgErrorCode(error) === '23505') return false;
      throw error;
    }
  });
}

/** Creates database `name` (fails if it exists). */
export async function createDatabase(serverUrl: string, name: string, template?: string): Promise<void> {
  await withServer(serverUrl, async (client) => {
    const from = template ? ` TEMPLATE ${client.escapeIdentifier(template)}` : '';
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}${from}`);
  });
}

/** Drops database `name` if it exists, terminating its other connections first. */
export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  await withServer(serverUrl, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
  });
}
