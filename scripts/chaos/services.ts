// The Postgres and Redis the chaos run breaks. By default the run starts its own (a throwaway
// Postgres cluster and redis-server on free ports), so FLUSHALL and a Postgres restart hit only
// this run; CHAOS_SERVICES=shared uses the machine's (127.0.0.1:5432 via pg_ctlcluster, Redis on
// REDIS_URL or 127.0.0.1:6379), which also breaks everything else using them at the time.
import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { findFreePort } from '../stack/ports';
import { startProcess, type ManagedProcess } from '../stack/processes';

const run = promisify(execFile);

export interface ChaosServices {
  mode: 'private' | 'shared';
  /** Server URL (no database) that scratch databases are created on. */
  postgresUrl: string;
  /** Only for the Redis transport. */
  redisUrl?: string;
  describe(): string;
  /** Restarts Postgres; resolves with what was done, or rejects with why it could not. */
  restartPostgres(): Promise<string>;
  stop(): Promise<void>;
}

export async function startServices(opts: {
  mode: 'private' | 'shared';
  redis: boolean;
  log: (line: string) => void;
}): Promise<ChaosServices> {
  return opts.mode === 'shared' ? sharedServices(opts.redis) : privateServices(opts);
}

// ---- shared: the machine's services -------------------------------------------------------

function sharedServices(redis: boolean): ChaosServices {
  const postgresUrl = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  const redisUrl = redis ? (process.env.REDIS_URL ?? 'redis://127.0.0.1:6379') : undefined;
  return {
    mode: 'shared',
    postgresUrl,
    redisUrl,
    describe: () => `shared services: Postgres ${redact(postgresUrl)}${redisUrl ? `, Redis ${redisUrl}` : ''}`,
    async restartPostgres() {
      const versions = existsSync('/etc/postgresql') ? readdirSync('/etc/postgresql') : [];
      if (!versions.length) throw new Error('no /etc/postgresql/<version>: pg_ctlcluster cannot restart this Postgres');
      const version = versions.sort((a, b) => Number(b) - Number(a))[0]!;
      const args = ['--skip-systemctl-redirect', version, 'main', 'restart'];
      try {
        await run('pg_ctlcluster', args, { timeout: 60_000 });
      } catch (err) {
        const e = err as NodeJS.ErrnoException & { stderr?: string };
        if (e.code === 'ENOENT') throw new Error("pg_ctlcluster is not installed: cannot restart the machine's Postgres");
        throw new Error(`pg_ctlcluster ${args.join(' ')} failed: ${(e.stderr ?? e.message).trim()}`);
      }
      return `pg_ctlcluster ${args.join(' ')}`;
    },
    async stop() {},
  };
}

// ---- private: a throwaway cluster and redis-server ----------------------------------------

async function privateServices(opts: { redis: boolean; log: (line: string) => void }): Promise<ChaosServices> {
  const pg = await startPrivatePostgres(opts.log);
  let redis: { url: string; proc: ManagedProcess } | undefined;
  try {
    if (opts.redis) redis = await startPrivateRedis();
  } catch (err) {
    await pg.stop();
    throw err;
  }
  return {
    mode: 'private',
    postgresUrl: pg.url,
    redisUrl: redis?.url,
    describe: () => `private services: Postgres ${pg.url} (data in ${pg.dataDir})${redis ? `, redis-server ${redis.url}` : ''}`,
    restartPostgres: () => pg.restart(),
    async stop() {
      await redis?.proc.stop('SIGTERM', 5_000);
      await pg.stop();
    },
  };
}

/** The newest installed PostgreSQL's bin directory (Debian layout), or where pg_config says. */
async function postgresBinDir(): Promise<string> {
  const base = '/usr/lib/postgresql';
  if (existsSync(base)) {
    const versions = readdirSync(base).filter((v) => existsSync(join(base, v, 'bin', 'pg_ctl')));
    if (versions.length) return join(base, versions.sort((a, b) => Number(b) - Number(a))[0]!, 'bin');
  }
  try {
    const { stdout } = await run('pg_config', ['--bindir']);
    if (existsSync(join(stdout.trim(), 'pg_ctl'))) return stdout.trim();
  } catch {
    // fall through
  }
  throw new Error('No PostgreSQL server binaries (initdb, pg_ctl) found: install postgresql, or run with CHAOS_SERVICES=shared');
}

async function startPrivatePostgres(log: (line: string) => void) {
  const bin = await postgresBinDir();
  const root = mkdtempSync(join(tmpdir(), 'whetstone-chaos-pg-'));
  const dataDir = join(root, 'data');
  const socketDir = join(root, 'sock');
  mkdirSync(socketDir);
  // initdb and postgres refuse to run as root: run them as the postgres user.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']).catch(() => {
      throw new Error('Running as root and there is no postgres user to run a private Postgres as: run with CHAOS_SERVICES=shared');
    });
    const uid = Number(stdout.trim());
    const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
    chownSync(root, uid, gid);
    chownSync(socketDir, uid, gid);
  }
  const pgcmd = (tool: string, args: string[], timeout = 60_000) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args], { timeout }) : run(join(bin, tool), args, { timeout });
  const port = await findFreePort(55400 + Math.floor(Math.random() * 500));
  const serverOptions = `-p ${port} -c listen_addresses=127.0.0.1 -k ${socketDir} -c max_connections=300`;
  const logFile = join(root, 'postgres.log');
  log(`initdb a private Postgres in ${dataDir} (port ${port})…`);
  await pgcmd('initdb', ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync']);
  await pgcmd('pg_ctl', ['-D', dataDir, '-l', logFile, '-o', serverOptions, '-w', '-t', '60', 'start']);
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    dataDir,
    async restart(): Promise<string> {
      // fast: what a service restart does (SIGINT to the postmaster: connections are cut, a clean
      // shutdown, then start); -w waits until it accepts connections again.
      const args = ['-D', dataDir, '-l', logFile, '-o', serverOptions, '-m', 'fast', '-w', '-t', '60', 'restart'];
      try {
        await pgcmd('pg_ctl', args);
      } catch (err) {
        const e = err as Error & { stderr?: string };
        throw new Error(`pg_ctl restart failed: ${(e.stderr ?? e.message).trim()}`);
      }
      return `pg_ctl -m fast restart of the private cluster on port ${port}`;
    },
    async stop(): Promise<void> {
      await pgcmd('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop'], 30_000).catch(() => undefined);
      rmSync(root, { recursive: true, force: true });
    },
  };
}

async function startPrivateRedis(): Promise<{ url: string; proc: ManagedProcess }> {
  const port = await findFreePort(56400 + Math.floor(Math.random() * 500));
  const proc = startProcess('redis', 'redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    env: process.env,
    echo: false,
  });
  const url = `redis://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (proc.child.exitCode !== null)
      throw new Error(`redis-server exited: ${proc.tail() || 'is it installed? (apt-get install redis-server, or CHAOS_SERVICES=shared)'}`);
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => undefined);
    const ok = await client
      .connect()
      .then(() => client.ping())
      .then(() => true)
      .catch(() => false);
    client.disconnect();
    if (ok) return { url, proc };
    if (Date.now() > deadline) {
      await proc.stop('SIGKILL');
      throw new Error(`redis-server on ${url} did not answer within 10 s`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]+@/, '//$1:***@');
}
