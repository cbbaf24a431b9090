import { createHash, randomBytes } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrisma } from './client';
import { resolvePostgres, type ResolvedPostgres } from '@/server/services/postgres';
import { createMigration, migrateDatabase, readMigrationsList } from './migrations';
import { databaseUrl, dropDatabase, ensureDatabase, withClient } from './pg-admin';

const repoMigrations = new URL('../../../prisma/migrations/', import.meta.url).pathname;
const repoSchema = new URL('../../../prisma/schema.prisma', import.meta.url).pathname;

let server: ResolvedPostgres;
const created: string[] = [];
const tempDirs: string[] = [];

/** An empty database (no tables) on the resolved server. */
async function emptyDatabase(): Promise<string> {
  const name = `whetstone_test_${randomBytes(5).toString('hex')}`;
  await ensureDatabase(server.url, name);
  created.push(name);
  return databaseUrl(server.url, name);
}

async function tableNames(url: string): Promise<string[]> {
  return withClient(url, async (c) =>
    (
      await c.query<{ table_name: string }>("select table_name from information_schema.tables where table_schema = 'public' order by 1")
    ).rows.map((r) => r.table_name),
  );
}

beforeAll(async () => {
  server = await resolvePostgres();
});

afterAll(async () => {
  await Promise.all(created.map((name) => dropDatabase(server.url, name)));
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
  await server.stop();
});

describe('migrateDatabase', () => {
  it('applies every migration to a fresh database, then nothing on the second run', async () => {
    const url = await emptyDatabase();
    const onDisk = (await readMigrationsList(repoMigrations)).migrationDirectories.map((d) => d.path);
    expect(onDisk.some((name) => name.endsWith('_init'))).toBe(true);

    const first = await migrateDatabase(url);
    expect(first.applied).toEqual(onDisk);
    expect(first.applied.some((name) => name.endsWith('_init'))).toBe(true);

    const second = await migrateDatabase(url);
    expect(second.applied).toEqual([]);

    expect(await tableNames(url)).toEqual(
      expect.arrayContaining(['Project', 'ApiKey', 'Workflow', 'WorkflowRun', 'TaskRun', '_prisma_migrations']),
    );
  });

  it('records what the Prisma CLI expects in _prisma_migrations (name, sha256 checksum, finished)', async () => {
    const url = await emptyDatabase();
    await migrateDatabase(url);
    const rows = await withClient(
      url,
      async (c) =>
        (
          await c.query<{ migration_name: string; checksum: string; finished: boolean; rolled_back: boolean }>(
            'select migration_name, checksum, finished_at is not null as finished, rolled_back_at is not null as rolled_back from _prisma_migrations order by migration_name',
          )
        ).rows,
    );
    const dirs = (await readdir(repoMigrations, { withFileTypes: true }))
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
    expect(rows.map((r) => r.migration_name)).toEqual(dirs);
    for (const row of rows) {
      const sql = await readFile(join(repoMigrations, row.migration_name, 'migration.sql'));
      expect(row.checksum).toBe(createHash('sha256').update(sql).digest('hex'));
      expect(row.finished).toBe(true);
      expect(row.rolled_back).toBe(false);
    }
  });

  it('gives a database the generated Prisma client can use', async () => {
    const url = await emptyDatabase();
    await migrateDatabase(url);
    const prisma = createPrisma(url);
    try {
      const project = await prisma.project.create({ data: { name: 'Acme', slug: 'acme' } });
      const workflow = await prisma.workflow.create({ data: { projectId: project.id, name: 'support-reply' } });
      const found = await prisma.project.findUniqueOrThrow({ where: { slug: 'acme' }, include: { workflows: true } });
      expect(found.id).toBe(project.id);
      expect(found.workflows.map((w) => w.id)).toEqual([workflow.id]);
      await expect(prisma.project.create({ data: { name: 'Dup', slug: 'acme' } })).rejects.toThrow();
    } finally {
      await prisma.$disconnect();
    }
  });

  it('is safe when several callers migrate the same database at once', async () => {
    const url = await emptyDatabase();
    const results = await Promise.all([1, 2, 3, 4].map(() => migrateDatabase(url)));
    const applied = results.flatMap((r) => r.applied);
    const onDisk = (await readMigrationsList(repoMigrations)).migrationDirectories.map((d) => d.path);
    expect(applied.sort()).toEqual(onDisk);
    const count = await withClient(url, async (c) => (await c.query('select count(*)::int as n from _prisma_migrations')).rows[0].n);
    expect(count).toBe(onDisk.length);
  });

  it('reports a failing migration with the database error', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ws-migrations-'));
    tempDirs.push(dir);
    await cp(repoMigrations, dir, { recursive: true });
    await mkdir(join(dir, '29990101000000_broken'));
    await writeFile(join(dir, '29990101000000_broken', 'migration.sql'), 'ALTER TABLE "NoSuchTable" ADD COLUMN "x" INTEGER;\n');
    const url = await emptyDatabase();
    await expect(migrateDatabase(url, { migrationsDir: dir })).rejects.toThrow(/NoSuchTable/);
  });
});

describe('createMigration', () => {
  it('finds nothing to do: the committed migrations produce exactly prisma/schema.prisma', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ws-migrations-'));
    tempDirs.push(dir);
    await cp(repoMigrations, dir, { recursive: true });
    const before = await readdir(dir);
    expect(await createMigration('noop', { migrationsDir: dir, schemaPath: repoSchema, databaseUrl: server.url })).toBeNull();
    expect(await readdir(dir)).toEqual(before);
  });

  it('writes the SQL for a schema change into a new, later folder that migrates a database', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ws-migrations-'));
    tempDirs.push(dir);
    await cp(repoMigrations, dir, { recursive: true });
    await rm(join(dir, 'migration_lock.toml'));
    const schemaPath = join(dir, 'schema.prisma');
    const schema = await readFile(repoSchema, 'utf8');
    await writeFile(schemaPath, `${schema}\nmodel Throwaway {\n  id   Int    @id @default(autoincrement())\n  note String\n}\n`);

    // A clock behind the newest folder must still give a folder that sorts after it.
    const result = await createMigration('Add throwaway!', {
      migrationsDir: dir,
      schemaPath,
      databaseUrl: server.url,
      now: new Date('2000-01-01T00:00:00Z'),
    });
    expect(result).not.toBeNull();
    const folder = basename(result!.dir);
    expect(folder).toMatch(/^\d{14}_add_throwaway$/);
    const names = (await readMigrationsList(dir)).migrationDirectories.map((d) => d.path);
    expect(names.at(-1)).toBe(folder);
    expect(names.length).toBeGreaterThan(1);

    const sql = await readFile(join(result!.dir, 'migration.sql'), 'utf8');
    expect(sql).toContain('CREATE TABLE "Throwaway"');
    expect(sql).not.toContain('CREATE TABLE "Project"');
    expect(await readFile(join(dir, 'migration_lock.toml'), 'utf8')).toContain('provider = "postgresql"');

    const url = await emptyDatabase();
    expect((await migrateDatabase(url, { migrationsDir: dir })).applied.at(-1)).toBe(folder);
    expect(await tableNames(url)).toContain('Throwaway');

    // And now the folder matches the schema again.
    expect(await createMigration('again', { migrationsDir: dir, schemaPath, databaseUrl: server.url })).toBeNull();
  });

  it('leaves no shadow databases behind', async () => {
    const shadows = () =>
      withClient(
        databaseUrl(server.url, 'postgres'),
        async (c) => (await c.query("select datname from pg_database where datname like 'whetstone_shadow_%'")).rows,
      );
    // Another process's createMigration may hold one for a moment: wait for it to go.
    for (let i = 0; i < 20 && (await shadows()).length > 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await shadows()).toEqual([]);
  });

  it('rejects a name with nothing usable in it', async () => {
    await expect(createMigration('!!!', { migrationsDir: join(tmpdir(), 'unused'), databaseUrl: 'postgresql://unused' })).rejects.toThrow(
      /Invalid migration name/,
    );
    expect(existsSync(join(tmpdir(), 'unused'))).toBe(false);
  });
});
