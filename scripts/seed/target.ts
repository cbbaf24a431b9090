import { databaseNameOf, databaseUrl, ensureDatabase } from '../../src/server/db/pg-admin';
import { resolvePostgres } from '../../src/server/services/postgres';

/** The database `npm run seed:runs` fills and `npm run bench:runs-list` reads, unless told otherwise. */
export const SEED_DATABASE = 'whetstone_seed';

export interface SeedTarget {
  url: string;
  /** The seed's own database (safe to drop with --reset), not one the caller named. */
  isDefault: boolean;
  /** The server's URL, for dropping/creating the database. */
  serverUrl: string;
  stop(): Promise<void>;
}

/**
 * `--url` (or SEED_DATABASE_URL) as given; otherwise database `whetstone_seed` on the server
 * the app itself would use (DATABASE_URL's server, a local one on :5432, or the embedded one).
 */
export async function resolveSeedTarget(explicitUrl: string | undefined, log: (line: string) => void): Promise<SeedTarget> {
  const given = explicitUrl ?? process.env.SEED_DATABASE_URL;
  if (given) {
    const name = databaseNameOf(given);
    if (!name) throw new Error(`${given} names no database`);
    if (await ensureDatabase(given, name)) log(`Created database "${name}"`);
    return { url: given, isDefault: false, serverUrl: given, stop: async () => {} };
  }
  const server = await resolvePostgres({ log });
  if (await ensureDatabase(server.url, SEED_DATABASE)) log(`Created database "${SEED_DATABASE}"`);
  return { url: databaseUrl(server.url, SEED_DATABASE), isDefault: true, serverUrl: server.url, stop: () => server.stop() };
}
