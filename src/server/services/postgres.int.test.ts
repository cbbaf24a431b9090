import { chmod, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseNameOf, databaseUrl, dropDatabase, serverAnswers, withClient } from '@/server/db/pg-admin';
import { createScratchDatabase, ensureDatabase, resolvePostgres, type ResolvedPostgres } from './postgres';

const CLOSED_PORT_URL = 'postgresql://postgres@127.0.0.1:1';
let server: ResolvedPostgres;
const created: string[] = [];
const tempDirs: string[] = [];

const uniqueName = () => {
  const name = `whetstone_test_${randomBytes(5).toString('hex')}`;
  created.push(name);
  return name;
};

async function databaseExists(name: string): Promise<boolean> {
  return withClient(databaseUrl(server.url, 'postgres'), async (c) =>
    Boolean((await c.query('select 1 from pg_database where datname = $1', [name])).rowCount),
  );
}

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ws-pg-'));
  await chmod(dir, 0o755); // as root, the embedded server runs as user "postgres", which must enter it
  tempDirs.push(dir);
  return dir;
}

beforeAll(async () => {
  server = await resolvePostgres();
});

afterAll(async () => {
  await Promise.all(created.map((name) => dropDatabase(server.url, name)));
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
  await server.stop();
});

describe('resolvePostgres', () => {
  it('uses DATABASE_URL as given and creates its database when the server answers', async () => {
    const name = uniqueName();
    const url = databaseUrl(server.url, name);
    const resolved = await resolvePostgres({ databaseUrl: url });
    expect(resolved.source).toBe('env');
    expect(resolved.url).toBe(url);
    expect(await databaseExists(name)).toBe(true);
  });

  it('only reports (does not throw) when the DATABASE_URL server does not answer', async () => {
    const lines: string[] = [];
    const resolved = await resolvePostgres({ databaseUrl: `${CLOSED_PORT_URL}/nowhere`, log: (l) => lines.push(l) });
    expect(resolved).toMatchObject({ source: 'env', url: `${CLOSED_PORT_URL}/nowhere` });
    expect(lines.join('\n')).toContain('did not answer');
  });

  it('falls back to the local server and creates the requested database there', async () => {
    const name = uniqueName();
    const resolved = await resolvePostgres({ databaseUrl: null, localUrl: server.url, database: name });
    expect(resolved.source).toBe('local');
    expect(databaseNameOf(resolved.url)).toBe(name);
    const current = await withClient(resolved.url, async (c) => (await c.query('select current_database() as db')).rows[0].db);
    expect(current).toBe(name);
  });

  it('starts an embedded server when nothing else answers, keeps its data, and stop() stops it', async () => {
    const dataDir = join(await tempDir(), 'pgdata');
    const opts = { databaseUrl: null, localUrl: CLOSED_PORT_URL, dataDir, database: 'whetstone' };

    let started = Date.now();
    const first = await resolvePostgres(opts);
    const firstMs = Date.now() - started;
    expect(first.source).toBe('embedded');
    expect(databaseNameOf(first.url)).toBe('whetstone');
    expect(await withClient(first.url, async (c) => (await c.query('select 1 as one')).rows[0].one)).toBe(1);
    await withClient(first.url, (c) => c.query('create table kept (v int); insert into kept values (42)'));
    // A second resolver on the same folder reuses the running server; its stop() leaves it alone.
    const second = await resolvePostgres(opts);
    expect(second.url).toBe(first.url);
    await second.stop();
    expect(await serverAnswers(first.url)).toBe(true);
    await first.stop();
    expect(await serverAnswers(first.url)).toBe(false);

    started = Date.now();
    const again = await resolvePostgres(opts); // existing folder: no initdb
    const againMs = Date.now() - started;
    try {
      expect(await withClient(again.url, async (c) => (await c.query('select v from kept')).rows[0].v)).toBe(42);
    } finally {
      await again.stop();
    }
    console.log(`embedded postgres: init+start ${firstMs} ms, restart ${againMs} ms`);
  });

  it('throws one clear line when no PostgreSQL can be found or started', async () => {
    const dataDir = join(await tempDir(), 'not-pgdata');
    await mkdir(dataDir);
    await writeFile(join(dataDir, 'something'), 'x');
    const attempt = resolvePostgres({ databaseUrl: null, localUrl: CLOSED_PORT_URL, dataDir });
    await expect(attempt).rejects.toThrow(/^No PostgreSQL: set DATABASE_URL, start one on .*not-pgdata is neither empty/);
    const message = await attempt.catch((e: Error) => e.message);
    expect(message).not.toContain('\n');
    expect(await readdir(dataDir)).toEqual(['something']);
  });
});

describe('ensureDatabase', () => {
  it('creates a missing database exactly once, even when called concurrently', async () => {
    const name = uniqueName();
    const results = await Promise.all([1, 2, 3].map(() => ensureDatabase(server.url, name)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await ensureDatabase(server.url, name)).toBe(false);
    expect(await databaseExists(name)).toBe(true);
  });
});

describe('createScratchDatabase', () => {
  it('gives a migrated database of its own, and drop() removes it despite open connections', async () => {
    const scratch = await createScratchDatabase();
    expect(scratch.name).toMatch(/^whetstone_test_[0-9a-f]{10}$/);
    const tables = await withClient(scratch.url, async (c) =>
      (await c.query("select table_name from information_schema.tables where table_schema = 'public'")).rows.map(
        (r: { table_name: string }) => r.table_name,
      ),
    );
    expect(tables).toEqual(expect.arrayContaining(['Project', 'WorkflowRun', '_prisma_migrations']));

    const open = new pg.Client({ connectionString: scratch.url });
    open.on('error', () => {});
    await open.connect();
    await scratch.drop();
    expect(await databaseExists(scratch.name)).toBe(false);
    await open.end().catch(() => {});
  });

  it('gives every caller a different database', async () => {
    const [a, b] = await Promise.all([createScratchDatabase('whetstone_test'), createScratchDatabase('whetstone_test')]);
    try {
      expect(a.url).not.toBe(b.url);
      await withClient(a.url, (c) => c.query(`insert into "Project" (id, name, slug) values (gen_random_uuid(), 'a', 'a')`));
      const inB = await withClient(b.url, async (c) => (await c.query('select count(*)::int as n from "Project"')).rows[0].n);
      expect(inB).toBe(0);
    } finally {
      await Promise.all([a.drop(), b.drop()]);
    }
  });
});
